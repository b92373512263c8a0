/**
 * The case store port: what dialogs, staff actions and the server need from storage, and nothing
 * about how it is kept. Redis and in-memory adapters implement it and pass one contract suite.
 */
import type { Actor, Case, CaseEvent, CaseEventType, CaseStatus, StoredCase } from './case.js';
import type { CaseFacts } from './case-facts.js';
import { CaseConflict } from './errors.js';
import type { OutboxEvent, OutboxEventInput } from './outbox-event.js';
import type { CaseReference } from './reference.js';

/** An event to append, before the store gives it an id and stamps the case's stage on it. */
export interface CaseEventInput {
  readonly type: CaseEventType;
  readonly at: string;
  readonly actor: Actor;
  readonly summary: string;
  readonly details?: Record<string, unknown>;
}

/** A new complaint. */
export interface LodgeRequest {
  /** The case as it will be saved, except its reference, which the store draws. */
  readonly case: Omit<Case, 'reference'>;
  /** The email or phone the complainant will give to look the case up; stored only as a keyed hash. */
  readonly secondFactor: string;
  /** Identifies this submission, so the same one delivered twice (a channel retry) makes one case. */
  readonly submissionKey: string;
  readonly event: Omit<CaseEventInput, 'type'>;
  /** What lodging causes (staff alerted, the complainant acknowledged): written with the case, in the same step. */
  readonly events?: readonly OutboxEventInput[];
}

/** The case, and whether this call created it (false: it was a repeat of an earlier submission). */
export interface LodgeResult {
  readonly stored: StoredCase;
  readonly created: boolean;
}

/** A change to a case: its whole next state, the event recording why, and its idempotency key. */
export interface CaseChange {
  readonly next: Case;
  readonly event: CaseEventInput;
  /** What the change causes outside the case, written to the outbox in the same atomic step. */
  readonly events?: readonly OutboxEventInput[];
  /**
   * Names this change: the same key again (a double click, a replayed invoke, a turn run again,
   * a retry after a timeout) changes nothing. Derive it from what caused the change, e.g.
   * "<activity id>:escalate"; give two changes made by one activity different purposes.
   */
  readonly idempotencyKey: string;
}

/** The case after a change, and whether this call made the change (false: replay of one already made). */
export interface UpdateResult {
  readonly stored: StoredCase;
  readonly applied: boolean;
}

/**
 * An erasure decided (see `src/rights/erasure.ts`): the anonymised case, the history it keeps
 * (the earlier entries anonymised), the entry recording the erasure, and what it causes. The
 * store replaces the whole record at once and forgets the case's second factors and contact
 * index entries.
 */
export interface CaseErasure {
  readonly next: Case;
  readonly history: readonly CaseEvent[];
  readonly event: CaseEventInput;
  readonly events?: readonly OutboxEventInput[];
  /** Names this erasure: the same key again (a retried sweep, a double click) changes nothing. */
  readonly idempotencyKey: string;
}

/** A lookup: the reference, the detail typed, and who is asking. */
export interface LookupRequest {
  readonly reference: CaseReference;
  readonly secondFactor: string;
  /**
   * Who is asking, for the per-requester limits: the user id bound into a Direct Line token (the
   * chat), never anything the person can type or choose.
   */
  readonly requesterKey: string;
  /** The client's address, as an opaque keyed digest (never the address itself), where the channel knows it. */
  readonly addressKey?: string | null;
}

/** The outcome of a lookup with reference and second factor. */
export type VerifyResult =
  | { readonly ok: true; readonly stored: StoredCase }
  /** One neutral answer whatever was wrong; `refused` once too many attempts were made. */
  | { readonly ok: false; readonly refused: boolean; readonly failures: number; readonly retryAfterSeconds: number | null };

/** A case due for a response, from the deadline index. */
export interface DueCase {
  readonly reference: CaseReference;
  /** When the deadline ends, ms since the epoch. */
  readonly dueAt: number;
}

/**
 * When a case's timeline next needs looking at (ms since the epoch), or null for never: the
 * stores keep every case in a wake index by it, written with the case (see `timeline.ts`).
 */
export type WakeSchedule = (value: Case) => number | null;

/**
 * Limits on lookups by reference and second factor. Failures are counted per requester (the chat,
 * and the client's address) and per reference and requester, so that nobody can lock a case's
 * owner out by guessing at its reference: the owner, from their own chat and address, is never
 * refused for strangers' failures. A reference's own count only slows the answers to wrong
 * details down (the dialog pauses longer as it grows), never refusing the right ones.
 */
export interface LookupGuard {
  /** Failures one requester (chat) may make against one reference. */
  readonly maxFailuresPerReference: number;
  /** Failures one chat may make in all. */
  readonly maxFailuresPerRequester: number;
  /** Failures one client address may make in all, across every chat it opens. */
  readonly maxFailuresPerAddress: number;
  /** How long a run of failures is counted, and how long lookups stay refused after too many. */
  readonly lockoutMs: number;
}

/** What a lookup is counted against: which count, and its limit (a reference's own count never refuses). */
export interface LookupCount {
  readonly kind: 'reference' | 'reference-and-requester' | 'requester' | 'address';
  readonly limit: number;
}

/** A limit no count reaches: the reference's own count, which only slows answers down. */
const NEVER_REFUSED = 2 ** 31 - 1;

/** The counts a lookup reserves an attempt on, in this order. */
export function lookupCounts(request: LookupRequest, guard: LookupGuard): LookupCount[] {
  return [
    { kind: 'reference', limit: NEVER_REFUSED },
    { kind: 'reference-and-requester', limit: guard.maxFailuresPerReference },
    { kind: 'requester', limit: guard.maxFailuresPerRequester },
    ...(request.addressKey ? [{ kind: 'address' as const, limit: guard.maxFailuresPerAddress }] : []),
  ];
}

/** An attempt reserved on one count (or refused): the attempts counted, and the ms left in its window. */
export interface LookupReservation {
  readonly reserved: boolean;
  readonly attempts: number;
  readonly msLeft: number;
}

/**
 * The answer to a lookup that failed, from its reservations on `lookupCounts`: refused once any
 * count that refuses is at its limit, with the wait until the longest of those ends; `failures`
 * (which slows the dialog's answer) the highest count, the reference's own included.
 */
export function failedLookup(counts: readonly LookupCount[], reservations: readonly LookupReservation[]): VerifyResult & { readonly ok: false } {
  const limiting = reservations.filter((reservation, index) => {
    const limit = counts[index]?.limit ?? 1;
    return limit !== NEVER_REFUSED && (!reservation.reserved || reservation.attempts >= limit);
  });
  const refused = limiting.length > 0;
  return {
    ok: false,
    refused,
    failures: Math.max(...reservations.map((reservation) => reservation.attempts)),
    retryAfterSeconds: refused ? Math.ceil(Math.max(...limiting.map((reservation) => reservation.msLeft), 1000) / 1000) : null,
  };
}

/**
 * Options for listing from an index. Indexes are read a page at a time so no single command
 * holds Redis up; a list taken while cases change reflects each page as it was read. Which
 * entries come back when more than `limit` match is unspecified.
 */
export interface ListOptions {
  /** The most entries to return (default 1000). */
  readonly limit?: number;
}

/** An index a queue filter names: a status, a stage of a procedure, or a handler (null: unassigned). */
export type QueueIndex = { readonly status: CaseStatus } | { readonly procedure: string; readonly stage: string } | { readonly handlerId: string | null };

/** A slice of the staff queue: the open cases in queue order (what is owed soonest first). */
export interface QueueRequest {
  /** Queue positions (`CaseIndexEntry.queueAt`, ms) from `from` inclusive to `to` exclusive; `to` may be Infinity. */
  readonly from: number;
  readonly to: number;
  /** Filters: a case is listed only if every group has it in at least one of the group's indexes. */
  readonly within: readonly (readonly QueueIndex[])[];
  readonly offset: number;
  readonly limit: number;
}

/** What a queue slice found: how many match in all, and the slice's entries (`dueAt` is the queue position). */
export interface QueueSlice {
  readonly total: number;
  readonly entries: readonly DueCase[];
}

/** Where cases live. */
export interface CaseStore {
  /** False for the in-memory store: nothing survives a restart. */
  readonly durable: boolean;
  lodge(request: LodgeRequest): Promise<LodgeResult>;
  get(reference: CaseReference): Promise<StoredCase | null>;
  /** Applies a change made to `current`; throws `CaseConflict` if the case has moved on since. */
  update(current: StoredCase, change: CaseChange): Promise<UpdateResult>;
  /** The case's history, oldest first. */
  history(reference: CaseReference): Promise<CaseEvent[]>;
  /** Whether a change under this idempotency key was made to the case (a replayed action is then "already done"). */
  wasApplied(reference: CaseReference, idempotencyKey: string): Promise<boolean>;
  /** A lookup by reference and second factor, counted and limited per reference and per requester. */
  verify(request: LookupRequest): Promise<VerifyResult>;
  /** Cases whose current deadline ends in [from, to), soonest first. */
  dueBetween(from: Date, to: Date, options?: ListOptions): Promise<DueCase[]>;
  /**
   * A page of the open cases in queue order (queue position, then reference) and how many match,
   * from the due index and the set indexes, without reading any case: a page costs about the
   * same among a hundred open cases as among a hundred thousand.
   */
  queue(request: QueueRequest): Promise<QueueSlice>;
  /** Cases whose timeline has a moment due at or before `until`, soonest first (from the wake index, never a scan). */
  dueToWake(until: Date, options?: ListOptions): Promise<CaseReference[]>;
  /**
   * Puts a case back in the wake index, if it is still at the version read (a change saved
   * meanwhile placed it already): at `at` (ms since the epoch) when given, otherwise at the time
   * its schedule gives now. For a sweep that found nothing due or could not do a case, and for a
   * change of settings or calendar.
   */
  reschedule(stored: StoredCase, at?: number): Promise<void>;
  /** Takes a reference out of the wake index (its case is gone). */
  unschedule(reference: CaseReference): Promise<void>;
  listByStatus(status: CaseStatus, options?: ListOptions): Promise<CaseReference[]>;
  /**
   * Cases that hold this email or phone number (in any of the ways it can be written), from the
   * keyed-hash contact index. An index entry may outlive a correction made under an earlier
   * secret, so callers that show what they find check each case's details themselves.
   */
  findByContact(detail: string, options?: ListOptions): Promise<CaseReference[]>;
  /** The facts the figures count, for each case there is (in the order asked; a reference with no case is left out). */
  factsOf(references: readonly CaseReference[]): Promise<CaseFacts[]>;
  /** Cases lodged in [from, to), earliest first (for the figures of a period). */
  lodgedBetween(from: Date, to: Date, options?: ListOptions): Promise<CaseReference[]>;
  /** Finished cases (closed, redirected, withdrawn; not yet erased) that finished before `until`, earliest first. */
  finishedBefore(until: Date, options?: ListOptions): Promise<CaseReference[]>;
  /** Erases a case's personal data as decided on `current`; throws `CaseConflict` if the case has moved on since. */
  erase(current: StoredCase, erasure: CaseErasure): Promise<UpdateResult>;
  listByStage(procedure: string, stage: string, options?: ListOptions): Promise<CaseReference[]>;
  /** Cases assigned to a handler; `null` lists the unassigned. */
  listByHandler(handlerId: string | null, options?: ListOptions): Promise<CaseReference[]>;
  /**
   * Tells the listener, after each change this process saves, the events it wrote to the outbox
   * (named and stamped): the relay's cue to move them on at once rather than at its next sweep.
   */
  onEvents(listener: (events: readonly OutboxEvent[]) => void): void;
  close(): Promise<void>;
}

/**
 * Reads a case, decides a change and applies it, deciding again on fresh data whenever someone
 * else got there first. Every attempt carries the same idempotency key, so if an earlier attempt
 * did land (its answer was lost), the later one does not apply the change twice. `decide`
 * returns null to make no change; nothing is changed (null) on a case whose personal data were
 * erased.
 */
export async function updateCase(
  store: CaseStore,
  reference: CaseReference,
  idempotencyKey: string,
  decide: (current: StoredCase) => Omit<CaseChange, 'idempotencyKey'> | null,
  options: { readonly attempts?: number } = {},
): Promise<UpdateResult | null> {
  const attempts = options.attempts ?? 100;
  for (let attempt = 1; ; attempt += 1) {
    const current = await store.get(reference);
    // Nothing changes a case whose personal data were erased: what is left is the anonymous record.
    if (!current || current.case.erased) return null;
    const change = decide(current);
    if (!change) return null;
    try {
      return await store.update(current, { ...change, idempotencyKey });
    } catch (error) {
      if (!(error instanceof CaseConflict) || attempt >= attempts) throw error;
      // Back off a little, with jitter, so many writers on one case do not stay in lock-step.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
    }
  }
}
