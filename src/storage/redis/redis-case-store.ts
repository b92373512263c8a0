/**
 * The case store on Redis. Each case is a hash (version, JSON document, second-factor hash) with
 * a history stream beside it; indexes are per shard. Lodging and every change are single Lua
 * scripts over keys of one shard, so they are atomic on one server and on a Cluster alike.
 */
import { z } from 'zod';
import type { CaseEvent, CaseStatus, StoredCase } from '../../cases/case.js';
import { checkSecondFactor, deepFreeze, newEvent, readCase, readEvent, secondFactorsOf, submissionHash, validCase } from '../../cases/case-records.js';
import {
  type CaseChange,
  type CaseErasure,
  type CaseStore,
  type DueCase,
  failedLookup,
  type ListOptions,
  type LodgeRequest,
  type LodgeResult,
  type LookupCount,
  lookupCounts,
  type LookupGuard,
  type LookupRequest,
  type QueueIndex,
  type QueueRequest,
  type QueueSlice,
  type UpdateResult,
  type VerifyResult,
  type WakeSchedule,
} from '../../cases/case-store.js';
import { CaseConflict, ErasedCaseEvent, InvalidCaseData, StorageUnavailable, UnknownReference } from '../../cases/errors.js';
import { type CaseFacts, caseFactsOf, readCaseFacts } from '../../cases/case-facts.js';
import { contactDetailsOf, finishedAtOf, indexEntryOf } from '../../cases/indexing.js';
import { defaultWakeSchedule } from '../default-wake-schedule.js';
import { isForStaff, type OutboxEvent, outboxEventSchema, staffOrder, stampEvents } from '../../cases/outbox-event.js';
import { sealedEventSchema, sealEvent } from './sealed-event.js';
import { type CaseReference, generateReference, isCaseReference } from '../../cases/reference.js';
import type { SecondFactorHasher } from '../../cases/second-factor.js';
import { caseAssociatedData, type DataKeyRing, isSealed, open, seal, SealBroken } from '../encryption/data-keys.js';
import { type ServerClock, storageCall } from './connection.js';
import {
  LODGE_CASE,
  LODGE_CASE_ANSWER,
  REINDEX_CASE,
  REPLACE_SECOND_FACTORS,
  RESERVE_ATTEMPT,
  RESERVE_ATTEMPT_ANSWER,
  UPDATE_CASE,
  UPDATE_CASE_ANSWER,
} from './script-codes.js';
import type { RedisKeys } from './keys.js';
import { runScript, type RedisClient } from './scripts.js';

/** What the Redis case store is built from. */
export interface RedisCaseStoreOptions {
  readonly client: RedisClient;
  readonly keys: RedisKeys;
  readonly hasher: SecondFactorHasher;
  readonly guard: LookupGuard;
  /** Server-time deadlines for writes, so a write given up on never lands later. */
  readonly clock: ServerClock;
  /** How long a submission is remembered for repeat deliveries (default 30 days). */
  readonly submissionMemorySeconds?: number;
  /** When each case's timeline next needs looking at (default: the built-in rulebook and settings). */
  readonly schedule?: WakeSchedule;
  /** The key-encryption keys (DATA_KEYS): each case's record and history are sealed with a data key of its own, kept wrapped by these. */
  readonly dataKeys: DataKeyRing;
}

/** How many cases' unwrapped data keys are kept in memory, so a change after a read needs no extra round trip. */
const DATA_KEY_CACHE = 5000;

/** A change's events as the Lua scripts take them: one sealed event per line, and the staff ones' order. */
function outboxArguments(events: readonly OutboxEvent[], dataKey: Buffer): [string, string] {
  return [
    events.map((event) => JSON.stringify(sealEvent(event, dataKey))).join('\n'),
    events
      .filter(isForStaff)
      .map((event) => `${String(staffOrder(event))} ${event.id}`)
      .join(' '),
  ];
}

/** A stream's entries as XRANGE answers them: id, then field and value pairs. */
const STREAM_ENTRIES = z.array(z.tuple([z.string(), z.array(z.string())]));

/** Entries read from an index per command, so no single command holds Redis for long. */
const PAGE = 200;

/** Entries one read of the lodged index takes (each a reference and a time: a page stays well under a millisecond). */
const LODGED_PAGE = 2000;

/** Cases whose facts one command reads (each a few hundred bytes: a command stays about a millisecond). */
const FACTS_BATCH = 1000;

/** What case-facts answers: each case's facts, or '' for none kept. */
const factsAnswer = z.array(z.string());

/** What queue-slice answers: the count, then reference and position pairs. */
const queueSliceAnswer = z.tuple([z.number()], z.union([z.string(), z.number()]));

/** Cases in Redis. */
export class RedisCaseStore implements CaseStore {
  readonly durable = true;
  private readonly client: RedisClient;
  private readonly keys: RedisKeys;
  private readonly hasher: SecondFactorHasher;
  private readonly guard: LookupGuard;
  private readonly clock: ServerClock;
  private readonly submissionMemorySeconds: number;
  private readonly schedule: WakeSchedule;
  private readonly listeners: ((events: readonly OutboxEvent[]) => void)[] = [];
  private readonly dataKeys: DataKeyRing;
  /**
   * Unwrapped data keys of the cases this process read or wrote lately, oldest first, with the
   * wrapped form they were read as: an erasure elsewhere gives a case a new key, which a read
   * notices by its wrapped form.
   */
  private readonly dataKeyCache = new Map<CaseReference, { readonly wrapped: string; readonly key: Buffer }>();

  constructor(options: RedisCaseStoreOptions) {
    this.client = options.client;
    this.keys = options.keys;
    this.hasher = options.hasher;
    this.guard = options.guard;
    this.clock = options.clock;
    this.submissionMemorySeconds = options.submissionMemorySeconds ?? 30 * 86_400;
    this.schedule = options.schedule ?? defaultWakeSchedule();
    this.dataKeys = options.dataKeys;
  }

  /** Keeps a case's unwrapped data key for the next change (dropping the oldest past `DATA_KEY_CACHE`). */
  private remember(reference: CaseReference, wrapped: string, dataKey: Buffer): void {
    this.dataKeyCache.delete(reference);
    if (this.dataKeyCache.size >= DATA_KEY_CACHE) {
      const oldest = this.dataKeyCache.keys().next();
      if (!oldest.done) this.dataKeyCache.delete(oldest.value);
    }
    this.dataKeyCache.set(reference, { wrapped, key: dataKey });
  }

  /**
   * A case's data key: remembered, or unwrapped from `wrapped` (read here when not given); null
   * for a case stored before records were sealed, which has none until its next change.
   */
  private async dataKeyOf(reference: CaseReference, wrapped?: string | null): Promise<Buffer | null> {
    const remembered = this.dataKeyCache.get(reference);
    if (remembered && (wrapped === undefined || wrapped === remembered.wrapped)) return remembered.key;
    const stored = wrapped !== undefined ? wrapped : await storageCall('read data key', () => this.client.hget(this.keys.case(reference), 'dk'));
    if (!stored) return null;
    const dataKey = this.dataKeys.unwrap(stored, reference);
    this.remember(reference, stored, dataKey);
    return dataKey;
  }

  /** A stored case document, opened with its data key (one stored before sealing is read as it is). */
  private openCase(reference: CaseReference, doc: string, dataKey: Buffer | null, version: number): StoredCase {
    if (!isSealed(doc)) return readCase(doc, version);
    if (!dataKey) throw new InvalidCaseData('read', ['the stored document is sealed, but the case has no data key']);
    return readCase(open(doc, dataKey, caseAssociatedData(reference, 'doc'), 'case document'), version);
  }

  /** A stored history entry, opened likewise. */
  private openHistoryEntry(reference: CaseReference, entry: string, dataKey: Buffer | null): CaseEvent {
    if (!isSealed(entry)) return readEvent(entry);
    if (!dataKey) throw new InvalidCaseData('read', ['a history entry is sealed, but the case has no data key']);
    return readEvent(open(entry, dataKey, caseAssociatedData(reference, 'history'), 'history entry'));
  }

  onEvents(listener: (events: readonly OutboxEvent[]) => void): void {
    this.listeners.push(listener);
  }

  /** Tells this process's listeners (the relay) that events were written. */
  private written(events: readonly OutboxEvent[]): void {
    if (events.length > 0) for (const listener of this.listeners) listener(events);
  }

  /** A fresh reference that lives in the given shard. */
  private referenceInShard(shard: number): CaseReference {
    for (;;) {
      const reference = generateReference();
      if (this.keys.shardOfReference(reference) === shard) return reference;
    }
  }

  async lodge(request: LodgeRequest): Promise<LodgeResult> {
    checkSecondFactor(request.secondFactor);
    const hash = submissionHash(request.submissionKey);
    const shard = this.keys.shardOfSubmission(hash);
    const marker = this.keys.lodgedSubmission(shard, hash);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const reference = this.referenceInShard(shard);
      const value = validCase({ ...request.case, reference });
      const event = newEvent({ ...request.event, type: 'lodged' }, value.stage);
      const dataKey = this.dataKeys.newDataKey();
      const wrappedKey = this.dataKeys.wrap(dataKey, reference);
      const index = indexEntryOf(value);
      const events = stampEvents(reference, 1, value.lodgedAt, request.events ?? []);
      const answer = await storageCall('lodge', () =>
        runScript(
          this.client,
          'lodgeCase',
          [
            marker,
            this.keys.case(reference),
            this.keys.history(reference),
            this.keys.dueIndex(shard),
            this.keys.statusIndex(shard, index.status),
            this.keys.stageIndex(shard, index.procedure, index.stage),
            this.keys.handlerIndex(shard, index.handlerId),
            this.keys.lodgedIndex(shard),
            this.keys.outbox(shard),
            this.keys.staffEffects(reference),
            this.keys.wakeIndex(shard),
            this.keys.contactIndex(shard),
          ],
          [
            reference,
            seal(JSON.stringify(value), dataKey, caseAssociatedData(reference, 'doc')),
            this.hasher.hashAll(reference, secondFactorsOf(value, request.secondFactor)),
            index.queueAt ?? '',
            Date.parse(value.lodgedAt),
            seal(JSON.stringify(event), dataKey, caseAssociatedData(reference, 'history')),
            this.submissionMemorySeconds,
            this.clock.deadline(),
            ...outboxArguments(events, dataKey),
            this.schedule(value) ?? '',
            wrappedKey,
            this.contactMembers(reference, contactDetailsOf(value)).join(' '),
            JSON.stringify(caseFactsOf(value)),
          ],
        ),
      );
      const result = LODGE_CASE_ANSWER.parse(answer);
      if (result[0] === LODGE_CASE.tooLate) throw new StorageUnavailable('lodge: Redis answered too late, so nothing was saved');
      if (result[0] === LODGE_CASE.created) {
        this.remember(reference, wrappedKey, dataKey);
        this.written(events);
        return { stored: deepFreeze({ case: value, version: 1 }), created: true };
      }
      if (result[0] === LODGE_CASE.alreadyLodged && isCaseReference(result[1])) {
        const existing = await this.get(result[1]);
        if (existing) return { stored: existing, created: false };
        // The remembered case is gone (deleted by hand): forget it and lodge this one afresh.
        await storageCall('lodge', () => this.client.del(marker));
      }
      // LODGE_CASE.referenceTaken: draw another.
    }
    throw new Error('Could not find a free case reference after 10 tries');
  }

  async get(reference: CaseReference): Promise<StoredCase | null> {
    const [version, doc, wrapped] = await storageCall('read case', () => this.client.hmget(this.keys.case(reference), 'v', 'doc', 'dk'));
    if (version === null || version === undefined || doc === null || doc === undefined) return null;
    return this.openCase(reference, doc, await this.dataKeyOf(reference, wrapped ?? null), Number(version));
  }

  async update(current: StoredCase, change: CaseChange): Promise<UpdateResult> {
    const reference = current.case.reference;
    if (change.next.reference !== reference) throw new InvalidCaseData('write', ['reference: a change cannot move a case to another reference']);
    const next = validCase(change.next);
    const event = newEvent(change.event, next.stage);
    const shard = this.keys.shardOfReference(reference);
    const before = indexEntryOf(current.case);
    const after = indexEntryOf(next);
    const events = stampEvents(reference, current.version + 1, change.event.at, change.events ?? []);
    // A case stored before records were sealed gets its data key with this change.
    const existingKey = await this.dataKeyOf(reference);
    const dataKey = existingKey ?? this.dataKeys.newDataKey();
    const wrappedKey = existingKey ? '' : this.dataKeys.wrap(dataKey, reference);
    // A corrected contact detail moves the case in the contact index and changes what unlocks it.
    const detailsBefore = contactDetailsOf(current.case);
    const detailsAfter = contactDetailsOf(next);
    const leaving = detailsBefore.filter((detail) => !detailsAfter.includes(detail));
    const contactChanged = leaving.length > 0 || detailsAfter.some((detail) => !detailsBefore.includes(detail));
    const hashesBefore = contactChanged ? ((await storageCall('read case', () => this.client.hget(this.keys.case(reference), 'sf'))) ?? '') : '';
    const hashesAfter = contactChanged ? this.hasher.replaced(reference, detailsBefore, detailsAfter, hashesBefore) : '';
    const finishedAt = finishedAtOf(next, change.event.at);
    const answer = await storageCall('update case', () =>
      runScript(
        this.client,
        'updateCase',
        [
          this.keys.case(reference),
          this.keys.history(reference),
          this.keys.appliedChanges(reference),
          this.keys.dueIndex(shard),
          this.keys.statusIndex(shard, before.status),
          this.keys.statusIndex(shard, after.status),
          this.keys.stageIndex(shard, before.procedure, before.stage),
          this.keys.stageIndex(shard, after.procedure, after.stage),
          this.keys.handlerIndex(shard, before.handlerId),
          this.keys.handlerIndex(shard, after.handlerId),
          this.keys.outbox(shard),
          this.keys.staffEffects(reference),
          this.keys.wakeIndex(shard),
          this.keys.contactIndex(shard),
          this.keys.finishedIndex(shard),
        ],
        [
          reference,
          current.version,
          seal(JSON.stringify(next), dataKey, caseAssociatedData(reference, 'doc')),
          after.queueAt ?? '',
          seal(JSON.stringify(event), dataKey, caseAssociatedData(reference, 'history')),
          change.idempotencyKey,
          this.clock.deadline(),
          ...outboxArguments(events, dataKey),
          this.schedule(next) ?? '',
          wrappedKey,
          this.contactMembers(reference, leaving, true).join(' '),
          this.contactMembers(reference, detailsAfter).join(' '),
          finishedAt ?? '',
          hashesBefore,
          // Never '' when changed: with every detail removed the case keeps only an access code, or nothing.
          contactChanged ? hashesAfter || '-' : '',
          JSON.stringify(caseFactsOf(next)),
        ],
      ),
    );
    return this.settled('update case', answer, current, (version) => {
      if (!existingKey) this.remember(reference, wrappedKey, dataKey);
      this.written(events);
      return { case: next, version };
    });
  }

  /** What a change's or an erasure's script answered, as the store's callers are told it. */
  private async settled(what: string, answer: unknown, current: StoredCase, applied: (version: number) => StoredCase): Promise<UpdateResult> {
    const reference = current.case.reference;
    const [code, version] = UPDATE_CASE_ANSWER.parse(answer);
    switch (code) {
      case UPDATE_CASE.applied:
        return { stored: deepFreeze(applied(version)), applied: true };
      case UPDATE_CASE.alreadyApplied: {
        const latest = await this.get(reference);
        if (!latest) throw new UnknownReference(reference);
        return { stored: latest, applied: false };
      }
      case UPDATE_CASE.stale:
        throw new CaseConflict(reference, current.version, version);
      case UPDATE_CASE.tooLate:
        throw new StorageUnavailable(`${what}: Redis answered too late, so nothing was changed`);
      default:
        throw new UnknownReference(reference);
    }
  }

  /**
   * The contact index members for a case's details: under the current secret (what is written),
   * or, for what is taken out, under every secret this process knows, so an entry written before
   * a rotation of CASE_SECRET goes too.
   */
  private contactMembers(reference: CaseReference, details: readonly string[], everySecret = false): string[] {
    return [
      ...new Set(
        details.flatMap((detail) => {
          const digests = this.hasher.contactDigests(detail);
          return (everySecret ? digests : digests.slice(0, 1)).map((digest) => `${digest}:${reference}`);
        }),
      ),
    ];
  }

  async erase(current: StoredCase, erasure: CaseErasure): Promise<UpdateResult> {
    const reference = current.case.reference;
    if (erasure.next.reference !== reference) throw new InvalidCaseData('write', ['reference: an erasure cannot move a case to another reference']);
    const next = validCase(erasure.next);
    const event = newEvent(erasure.event, next.stage);
    const shard = this.keys.shardOfReference(reference);
    const events = stampEvents(reference, current.version + 1, erasure.event.at, erasure.events ?? []);
    // A new data key: whatever is still sealed under the old one (events waiting in a queue) can no longer be opened.
    const dataKey = this.dataKeys.newDataKey();
    const wrappedKey = this.dataKeys.wrap(dataKey, reference);
    const historyAd = caseAssociatedData(reference, 'history');
    const answer = await storageCall('erase case', () =>
      runScript(
        this.client,
        'eraseCase',
        [
          this.keys.case(reference),
          this.keys.history(reference),
          this.keys.wakeIndex(shard),
          this.keys.finishedIndex(shard),
          this.keys.dueIndex(shard),
          this.keys.contactIndex(shard),
          this.keys.outbox(shard),
          this.keys.staffEffects(reference),
          this.keys.appliedChanges(reference),
        ],
        [
          reference,
          current.version,
          seal(JSON.stringify(next), dataKey, caseAssociatedData(reference, 'doc')),
          wrappedKey,
          [...erasure.history, event].map((entry) => seal(JSON.stringify(entry), dataKey, historyAd)).join('\n'),
          this.contactMembers(reference, contactDetailsOf(current.case), true).join(' '),
          this.clock.deadline(),
          ...outboxArguments(events, dataKey),
          erasure.idempotencyKey,
        ],
      ),
    );
    return this.settled('erase case', answer, current, (version) => {
      this.remember(reference, wrappedKey, dataKey);
      this.written(events);
      return { case: next, version };
    });
  }

  async findByContact(detail: string, options: ListOptions = {}): Promise<CaseReference[]> {
    const limit = options.limit ?? 1000;
    const digests = this.hasher.contactDigests(detail);
    const perShard = await Promise.all(
      this.shardNumbers().flatMap((shard) =>
        digests.map((digest) =>
          storageCall('find cases by contact', () =>
            // ';' sorts just after ':', so the range is every member "<digest>:...".
            this.client.zrangebylex(this.keys.contactIndex(shard), `[${digest}:`, `(${digest};`, 'LIMIT', 0, Math.min(limit, PAGE)),
          ),
        ),
      ),
    );
    const references = perShard.flat().map((member) => member.slice(member.indexOf(':') + 1));
    return [...new Set(references)].filter(isCaseReference).sort().slice(0, limit);
  }

  async lodgedBetween(from: Date, to: Date, options: ListOptions = {}): Promise<CaseReference[]> {
    const limit = options.limit ?? 1000;
    const perShard = await Promise.all(
      this.shardNumbers().map(async (shard) => {
        const found: { reference: CaseReference; at: number }[] = [];
        // Large pages: a year's figures read every case lodged in it (each page skips those before it).
        for (let offset = 0; found.length < limit; offset += LODGED_PAGE) {
          const page = await storageCall('list lodged cases', () =>
            this.client.zrangebyscore(this.keys.lodgedIndex(shard), from.getTime(), `(${to.getTime()}`, 'WITHSCORES', 'LIMIT', offset, LODGED_PAGE),
          );
          for (let index = 0; index + 1 < page.length; index += 2) found.push({ reference: page[index] as CaseReference, at: Number(page[index + 1]) });
          if (page.length < LODGED_PAGE * 2) break;
        }
        return found;
      }),
    );
    // References are upper-case letters and digits: compared as they are, not by locale (a locale's compare is far slower over 100k).
    return perShard
      .flat()
      .sort((a, b) => a.at - b.at || (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0))
      .slice(0, limit)
      .map((entry) => entry.reference);
  }

  async finishedBefore(until: Date, options: ListOptions = {}): Promise<CaseReference[]> {
    const limit = options.limit ?? 1000;
    const perShard = await Promise.all(
      this.shardNumbers().map((shard) =>
        storageCall('list finished cases', () =>
          this.client.zrangebyscore(this.keys.finishedIndex(shard), '-inf', `(${until.getTime()}`, 'WITHSCORES', 'LIMIT', 0, Math.min(limit, PAGE)),
        ),
      ),
    );
    const found: { reference: CaseReference; at: number }[] = [];
    for (const page of perShard) {
      for (let index = 0; index + 1 < page.length; index += 2) found.push({ reference: page[index] as CaseReference, at: Number(page[index + 1]) });
    }
    return found
      .sort((a, b) => a.at - b.at || a.reference.localeCompare(b.reference))
      .slice(0, limit)
      .map((entry) => entry.reference);
  }

  /**
   * Lists a case stored before the rights indexes existed under its contact details and, when
   * finished, the time it finished (its last closing, redirecting or withdrawing in its
   * history), and an open one owing nothing in the staff queue, if it is still at the version
   * read; for `npm run rights -- reindex`. Returns false
   * when there is no such case, or it is erased.
   */
  async reindexForRights(reference: CaseReference): Promise<boolean> {
    for (;;) {
      const stored = await this.get(reference);
      if (!stored || stored.case.erased) return false;
      const finishing = (await this.history(reference)).filter((event) => ['closed', 'redirected', 'withdrawn'].includes(event.type)).at(-1);
      const finishedAt = finishedAtOf(stored.case, finishing?.at ?? stored.case.updatedAt);
      const shard = this.keys.shardOfReference(reference);
      const answer = await storageCall('reindex case', () =>
        runScript(
          this.client,
          'reindexCase',
          [this.keys.case(reference), this.keys.contactIndex(shard), this.keys.finishedIndex(shard), this.keys.dueIndex(shard)],
          [
            reference,
            stored.version,
            this.contactMembers(reference, contactDetailsOf(stored.case)).join(' '),
            finishedAt ?? '',
            indexEntryOf(stored.case).queueAt ?? '',
            JSON.stringify(caseFactsOf(stored.case)),
          ],
        ),
      );
      if (answer === REINDEX_CASE.listed) return true;
      // The case changed meanwhile: its change listed it already, but read it again to be sure.
    }
  }

  /**
   * The event a stream entry or job carries, opened with its case's data key (a plain one from
   * before sealing as it is); null when it is neither, or belongs to no case. Throws
   * `ErasedCaseEvent` for one written before its case's personal data were erased.
   */
  async openEvent(carried: unknown): Promise<OutboxEvent | null> {
    const sealed = sealedEventSchema.safeParse(carried);
    if (!sealed.success) {
      const plain = outboxEventSchema.safeParse(carried);
      return plain.success ? plain.data : null;
    }
    const reference = sealed.data.reference;
    if (!isCaseReference(reference)) return null;
    // The data key as stored now (not as remembered): an erasure in another process replaced it.
    const [wrapped, doc] = await storageCall('read data key', () => this.client.hmget(this.keys.case(reference), 'dk', 'doc'));
    const dataKey = await this.dataKeyOf(reference, wrapped ?? null);
    if (!dataKey) return null;
    let opened: string;
    try {
      opened = open(sealed.data.sealed, dataKey, caseAssociatedData(reference, 'event'), 'outbox event');
    } catch (error) {
      if (error instanceof SealBroken && doc && this.openCase(reference, doc, dataKey, 0).case.erased) throw new ErasedCaseEvent(reference);
      throw error;
    }
    const event = outboxEventSchema.safeParse(JSON.parse(opened));
    return event.success && event.data.id === sealed.data.id ? event.data : null;
  }

  async history(reference: CaseReference): Promise<CaseEvent[]> {
    // The data key is read with the entries (one slot, one transaction): an erasure elsewhere replaces both.
    const [entries, wrapped] = await storageCall('read history', async () => {
      const [read, key] = (await this.client.multi().xrange(this.keys.history(reference), '-', '+').hget(this.keys.case(reference), 'dk').exec()) ?? [];
      const failure = read?.[0] ?? key?.[0] ?? null;
      if (failure) throw failure;
      return [
        STREAM_ENTRIES.parse(read?.[1] ?? []),
        z
          .string()
          .nullable()
          .parse(key?.[1] ?? null),
      ] as const;
    });
    const dataKey = entries.length > 0 ? await this.dataKeyOf(reference, wrapped) : null;
    return entries.map(([, fields]) => this.openHistoryEntry(reference, fields[fields.indexOf('e') + 1] ?? 'null', dataKey));
  }

  async verify(request: LookupRequest): Promise<VerifyResult> {
    const counts = lookupCounts(request, this.guard);
    const guards = counts.map((count) => this.guardKey(count.kind, request));
    // Reserve an attempt on every count before comparing, so parallel guesses cannot all get in
    // under a limit; the right answer gives its attempts back.
    const answers = await storageCall('verify', () =>
      Promise.all(guards.map((key, index) => runScript(this.client, 'reserveAttempt', [key], [counts[index]?.limit ?? 1, this.guard.lockoutMs]))),
    );
    const reservations = answers.map((answer) => {
      const [reserved, attempts, msLeft] = RESERVE_ATTEMPT_ANSWER.parse(answer);
      return { reserved: reserved === RESERVE_ATTEMPT.reserved, attempts, msLeft };
    });
    const [version, doc, stored, wrapped] = await storageCall('verify', () => this.client.hmget(this.keys.case(request.reference), 'v', 'doc', 'sf', 'dk'));
    // Compare even when refused or when there is no case, so timing says nothing about either.
    const matches = this.hasher.matches(request.reference, request.secondFactor, stored ?? null);
    const refused = reservations.some((reservation) => !reservation.reserved);
    if (!refused && matches && version && doc) {
      await storageCall('verify', () => Promise.all(guards.map((key) => runScript(this.client, 'releaseAttempt', [key], []))));
      await this.rehash(request, stored ?? null);
      return { ok: true, stored: this.openCase(request.reference, doc, await this.dataKeyOf(request.reference, wrapped ?? null), Number(version)) };
    }
    return failedLookup(counts, reservations);
  }

  /** The counter of one of a lookup's counts. */
  private guardKey(kind: LookupCount['kind'], request: LookupRequest): string {
    switch (kind) {
      case 'reference':
        return this.keys.referenceGuard(request.reference);
      case 'reference-and-requester':
        return this.keys.referenceRequesterGuard(request.reference, request.requesterKey);
      case 'requester':
        return this.keys.requesterGuard(request.requesterKey);
      case 'address':
        return this.keys.requesterGuard(`address:${request.addressKey ?? ''}`);
    }
  }

  /**
   * Replaces a hash made with an earlier secret by the current one's, now that its owner has
   * typed the detail. Only if the stored hashes are still the ones compared: a rotation writing
   * at the same moment wins, and the next lookup tries again.
   */
  private async rehash(request: LookupRequest, stored: string | null): Promise<void> {
    const next = this.hasher.rehashed(request.reference, request.secondFactor, stored);
    if (next === null || stored === null) return;
    await storageCall('verify', () => runScript(this.client, 'replaceSecondFactors', [this.keys.case(request.reference)], [stored, next]));
  }

  /**
   * Every case's reference, a page at a time, shard by shard (for maintenance such as a
   * rotation of CASE_SECRET; never on a request's path).
   */
  async *allReferences(): AsyncGenerator<CaseReference> {
    for (const shard of this.shardNumbers()) {
      for (let offset = 0; ; offset += PAGE) {
        const page = await storageCall('list cases', () => this.client.zrange(this.keys.lodgedIndex(shard), String(offset), String(offset + PAGE - 1)));
        for (const reference of page) if (isCaseReference(reference)) yield reference;
        if (page.length < PAGE) break;
      }
    }
  }

  /**
   * Re-hashes one case's second factors under the current secret (`SecondFactorHasher.rotated`),
   * if they are still what was read. Returns whether the case still needs an earlier secret (its
   * access code could not be re-hashed), or null if there is no such case.
   */
  async rotateSecondFactors(reference: CaseReference, legacyKeyId: string): Promise<{ readonly needsEarlierSecret: boolean } | null> {
    for (;;) {
      const [doc, stored, wrapped] = await storageCall('rotate', () => this.client.hmget(this.keys.case(reference), 'doc', 'sf', 'dk'));
      if (doc === null || doc === undefined) return null;
      const value = this.openCase(reference, doc, await this.dataKeyOf(reference, wrapped ?? null), 0).case;
      const next = this.hasher.rotated(
        reference,
        [value.contact.email, value.contact.phone].filter((detail): detail is string => detail !== null),
        stored ?? null,
        legacyKeyId,
      );
      const replaced =
        next === stored
          ? REPLACE_SECOND_FACTORS.replaced
          : await storageCall('rotate', () => runScript(this.client, 'replaceSecondFactors', [this.keys.case(reference)], [stored ?? '', next]));
      if (replaced === REPLACE_SECOND_FACTORS.replaced)
        return { needsEarlierSecret: next.split(',').some((entry) => entry !== '' && !entry.startsWith(`${this.hasher.keyId}.`)) };
    }
  }

  async dueBetween(from: Date, to: Date, options: ListOptions = {}): Promise<DueCase[]> {
    const limit = options.limit ?? 1000;
    const perShard = await Promise.all(this.shardNumbers().map((shard) => this.dueInShard(shard, from.getTime(), to.getTime(), limit)));
    return perShard
      .flat()
      .sort((a, b) => a.dueAt - b.dueAt || a.reference.localeCompare(b.reference))
      .slice(0, limit);
  }

  private async dueInShard(shard: number, from: number, to: number, limit: number): Promise<DueCase[]> {
    const found: DueCase[] = [];
    for (let offset = 0; found.length < limit; offset += PAGE) {
      const page = await storageCall('list due cases', () =>
        this.client.zrangebyscore(this.keys.dueIndex(shard), from, `(${to}`, 'WITHSCORES', 'LIMIT', offset, PAGE),
      );
      for (let index = 0; index + 1 < page.length; index += 2) {
        found.push({ reference: page[index] as CaseReference, dueAt: Number(page[index + 1]) });
      }
      if (page.length < PAGE * 2) break;
    }
    return found;
  }

  async factsOf(references: readonly CaseReference[]): Promise<CaseFacts[]> {
    // A batch of a shard's cases a command (see case-facts-n.lua); a case stored before its facts
    // were kept beside it is opened instead, and its facts worked out from it.
    const kept = new Map<CaseReference, string>();
    const byShard = new Map<number, CaseReference[]>();
    for (const reference of references) {
      const shard = this.keys.shardOfReference(reference);
      const inShard = byShard.get(shard);
      if (inShard) inShard.push(reference);
      else byShard.set(shard, [reference]);
    }
    await Promise.all(
      [...byShard.values()].map(async (inShard) => {
        for (let start = 0; start < inShard.length; start += FACTS_BATCH) {
          const batch = inShard.slice(start, start + FACTS_BATCH);
          const answer = factsAnswer.parse(
            await storageCall('read case facts', () =>
              runScript(
                this.client,
                'caseFacts',
                batch.map((reference) => this.keys.case(reference)),
                [],
              ),
            ),
          );
          batch.forEach((reference, index) => kept.set(reference, answer[index] ?? ''));
        }
      }),
    );
    const facts: CaseFacts[] = [];
    for (const reference of references) {
      const text = kept.get(reference);
      if (text) {
        facts.push(readCaseFacts(text));
        continue;
      }
      const stored = await this.get(reference);
      if (stored) facts.push(caseFactsOf(stored.case));
    }
    return facts;
  }

  async queue(request: QueueRequest): Promise<QueueSlice> {
    const want = request.offset + request.limit;
    const to = request.to === Infinity ? '+inf' : String(request.to);
    const perShard = await Promise.all(
      this.shardNumbers().map(async (shard) => {
        const keys = request.within.map((group) => group.map((index) => this.queueIndexKey(shard, index)));
        const answer = await storageCall('read the queue', () =>
          runScript(
            this.client,
            'queueSlice',
            [this.keys.dueIndex(shard), ...keys.flat()],
            [request.from, to, want, keys.map((group) => group.length).join(' ')],
          ),
        );
        return queueSliceAnswer.parse(answer);
      }),
    );
    const entries: DueCase[] = [];
    let total = 0;
    for (const [count, ...pairs] of perShard) {
      total += count;
      for (let index = 0; index + 1 < pairs.length; index += 2)
        entries.push({ reference: String(pairs[index]) as CaseReference, dueAt: Number(pairs[index + 1]) });
    }
    entries.sort((a, b) => a.dueAt - b.dueAt || (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0));
    return { total, entries: entries.slice(request.offset, want) };
  }

  private queueIndexKey(shard: number, index: QueueIndex): string {
    if ('status' in index) return this.keys.statusIndex(shard, index.status);
    if ('handlerId' in index) return this.keys.handlerIndex(shard, index.handlerId);
    return this.keys.stageIndex(shard, index.procedure, index.stage);
  }

  async dueToWake(until: Date, options: ListOptions = {}): Promise<CaseReference[]> {
    const limit = options.limit ?? 1000;
    const perShard = await Promise.all(
      this.shardNumbers().map((shard) =>
        storageCall('list cases to wake', () =>
          this.client.zrangebyscore(this.keys.wakeIndex(shard), '-inf', until.getTime(), 'WITHSCORES', 'LIMIT', 0, Math.min(limit, PAGE)),
        ),
      ),
    );
    const found: { reference: CaseReference; at: number }[] = [];
    for (const page of perShard) {
      for (let index = 0; index + 1 < page.length; index += 2) found.push({ reference: page[index] as CaseReference, at: Number(page[index + 1]) });
    }
    return found
      .sort((a, b) => a.at - b.at || a.reference.localeCompare(b.reference))
      .slice(0, limit)
      .map((entry) => entry.reference);
  }

  async reschedule(stored: StoredCase, at?: number): Promise<void> {
    const reference = stored.case.reference;
    const shard = this.keys.shardOfReference(reference);
    const when = at ?? this.schedule(stored.case) ?? '';
    await storageCall('reschedule case', () =>
      runScript(this.client, 'rescheduleCase', [this.keys.case(reference), this.keys.wakeIndex(shard)], [reference, stored.version, when]),
    );
  }

  async wasApplied(reference: CaseReference, idempotencyKey: string): Promise<boolean> {
    return (await storageCall('read applied changes', () => this.client.sismember(this.keys.appliedChanges(reference), idempotencyKey))) === 1;
  }

  async unschedule(reference: CaseReference): Promise<void> {
    await storageCall('unschedule case', () => this.client.zrem(this.keys.wakeIndex(this.keys.shardOfReference(reference)), reference));
  }

  listByStatus(status: CaseStatus, options: ListOptions = {}): Promise<CaseReference[]> {
    return this.listSets((shard) => this.keys.statusIndex(shard, status), options);
  }

  listByStage(procedure: string, stage: string, options: ListOptions = {}): Promise<CaseReference[]> {
    return this.listSets((shard) => this.keys.stageIndex(shard, procedure, stage), options);
  }

  listByHandler(handlerId: string | null, options: ListOptions = {}): Promise<CaseReference[]> {
    return this.listSets((shard) => this.keys.handlerIndex(shard, handlerId), options);
  }

  private shardNumbers(): number[] {
    return Array.from({ length: this.keys.shards }, (_, shard) => shard);
  }

  /** Reads a per-shard set index with SSCAN, a page at a time, up to the limit. */
  private async listSets(keyOf: (shard: number) => string, options: ListOptions): Promise<CaseReference[]> {
    const limit = options.limit ?? 1000;
    const perShard = await Promise.all(
      this.shardNumbers().map(async (shard) => {
        const found: string[] = [];
        let cursor = '0';
        do {
          const [next, members] = await storageCall('list cases', () => this.client.sscan(keyOf(shard), cursor, 'COUNT', PAGE));
          found.push(...members);
          cursor = next;
        } while (cursor !== '0' && found.length < limit);
        return found;
      }),
    );
    return [...new Set(perShard.flat())].sort().slice(0, limit) as CaseReference[];
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => undefined);
  }
}
