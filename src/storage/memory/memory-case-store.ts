/**
 * Cases in this process's memory: the embedded default when no Redis is configured, for trying
 * the bot on a laptop. It keeps the same rules as the Redis store (versions, idempotency,
 * lookup limits, indexes) and passes the same contract tests, but nothing survives a restart.
 * Records are kept as JSON text, so a caller changing an object it passed in or got back cannot
 * change what is stored.
 */
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
import { type CaseFacts, caseFactsOf } from '../../cases/case-facts.js';
import { defaultWakeSchedule } from '../default-wake-schedule.js';
import { CaseConflict, InvalidCaseData, UnknownReference } from '../../cases/errors.js';
import { type CaseIndexEntry, contactDetailsOf, finishedAtOf, indexEntryOf } from '../../cases/indexing.js';
import { type OutboxEvent, stampEvents } from '../../cases/outbox-event.js';
import { type CaseReference, generateReference } from '../../cases/reference.js';
import { normaliseSecondFactor, type SecondFactorHasher } from '../../cases/second-factor.js';
import { settle } from './settle.js';

interface Record {
  doc: string;
  version: number;
  secondFactorHash: string;
  index: CaseIndexEntry;
  /** When its timeline next needs looking at (the wake index), or null. */
  wakeAt: number | null;
  /** When it finished (the finished index), or null while open or once erased. */
  finishedAt: number | null;
  history: string[];
  applied: Set<string>;
}

interface Counter {
  count: number;
  expiresAt: number;
}

/** Cases held in memory. */
export class MemoryCaseStore implements CaseStore {
  readonly durable = false;
  private readonly cases = new Map<CaseReference, Record>();
  private readonly submissions = new Map<string, { reference: CaseReference; expiresAt: number }>();
  private readonly guards = new Map<string, Counter>();
  private readonly listeners: ((events: readonly OutboxEvent[]) => void)[] = [];
  /** Every event written, in order: this store's outbox (nothing relays it; listeners act on it). */
  readonly outbox: OutboxEvent[] = [];

  constructor(
    private readonly hasher: SecondFactorHasher,
    private readonly guard: LookupGuard,
    private readonly now: () => number = Date.now,
    private readonly submissionMemoryMs = 30 * 86_400_000,
    private readonly schedule: WakeSchedule = defaultWakeSchedule(),
  ) {}

  onEvents(listener: (events: readonly OutboxEvent[]) => void): void {
    this.listeners.push(listener);
  }

  /** Keeps the events of a saved change and tells the listeners, after the caller has its answer. */
  private written(events: readonly OutboxEvent[]): void {
    if (events.length === 0) return;
    this.outbox.push(...events);
    setImmediate(() => {
      for (const listener of this.listeners) listener(events);
    });
  }

  lodge(request: LodgeRequest): Promise<LodgeResult> {
    return settle(() => this.lodgeNow(request));
  }

  private lodgeNow(request: LodgeRequest): LodgeResult {
    checkSecondFactor(request.secondFactor);
    const hash = submissionHash(request.submissionKey);
    const remembered = this.submissions.get(hash);
    if (remembered && remembered.expiresAt > this.now()) {
      const existing = this.read(remembered.reference);
      if (existing) return { stored: existing, created: false };
    }
    let reference = generateReference();
    while (this.cases.has(reference)) reference = generateReference();
    const value = validCase({ ...request.case, reference });
    const event = newEvent({ ...request.event, type: 'lodged' }, value.stage);
    const events = stampEvents(reference, 1, value.lodgedAt, request.events ?? []);
    this.cases.set(reference, {
      doc: JSON.stringify(value),
      version: 1,
      secondFactorHash: this.hasher.hashAll(reference, secondFactorsOf(value, request.secondFactor)),
      index: indexEntryOf(value),
      wakeAt: this.schedule(value),
      finishedAt: null,
      history: [JSON.stringify(event)],
      applied: new Set(),
    });
    this.submissions.set(hash, { reference, expiresAt: this.now() + this.submissionMemoryMs });
    this.written(events);
    return { stored: deepFreeze({ case: value, version: 1 }), created: true };
  }

  private read(reference: CaseReference): StoredCase | null {
    const record = this.cases.get(reference);
    return record ? readCase(record.doc, record.version) : null;
  }

  get(reference: CaseReference): Promise<StoredCase | null> {
    return settle(() => this.read(reference));
  }

  update(current: StoredCase, change: CaseChange): Promise<UpdateResult> {
    return settle(() => this.updateNow(current, change));
  }

  private updateNow(current: StoredCase, change: CaseChange): UpdateResult {
    const reference = current.case.reference;
    if (change.next.reference !== reference) throw new InvalidCaseData('write', ['reference: a change cannot move a case to another reference']);
    const next = validCase(change.next);
    const event = newEvent(change.event, next.stage);
    const record = this.cases.get(reference);
    if (!record) throw new UnknownReference(reference);
    if (record.applied.has(change.idempotencyKey)) {
      return { stored: readCase(record.doc, record.version), applied: false };
    }
    // As in Redis: the caller's picture of the case must match how it is stored and listed.
    const listed = indexEntryOf(current.case);
    if (
      record.version !== current.version ||
      listed.status !== record.index.status ||
      listed.stage !== record.index.stage ||
      listed.procedure !== record.index.procedure ||
      listed.handlerId !== record.index.handlerId
    ) {
      throw new CaseConflict(reference, current.version, record.version);
    }
    const events = stampEvents(reference, record.version + 1, change.event.at, change.events ?? []);
    const detailsBefore = contactDetailsOf(current.case);
    const detailsAfter = contactDetailsOf(next);
    if (detailsBefore.join('\n') !== detailsAfter.join('\n')) {
      record.secondFactorHash = this.hasher.replaced(reference, detailsBefore, detailsAfter, record.secondFactorHash);
    }
    const finishedAt = finishedAtOf(next, change.event.at);
    record.finishedAt = finishedAt === null ? null : (record.finishedAt ?? finishedAt);
    record.doc = JSON.stringify(next);
    record.version += 1;
    record.index = indexEntryOf(next);
    record.wakeAt = this.schedule(next);
    record.history.push(JSON.stringify(event));
    record.applied.add(change.idempotencyKey);
    this.written(events);
    return { stored: deepFreeze({ case: next, version: record.version }), applied: true };
  }

  erase(current: StoredCase, erasure: CaseErasure): Promise<UpdateResult> {
    return settle(() => {
      const reference = current.case.reference;
      if (erasure.next.reference !== reference) throw new InvalidCaseData('write', ['reference: an erasure cannot move a case to another reference']);
      const next = validCase(erasure.next);
      const event = newEvent(erasure.event, next.stage);
      const record = this.cases.get(reference);
      if (!record) throw new UnknownReference(reference);
      if (record.applied.has(erasure.idempotencyKey)) return { stored: readCase(record.doc, record.version), applied: false };
      if (record.version !== current.version) throw new CaseConflict(reference, current.version, record.version);
      const events = stampEvents(reference, record.version + 1, erasure.event.at, erasure.events ?? []);
      record.doc = JSON.stringify(next);
      record.version += 1;
      record.secondFactorHash = '';
      record.index = indexEntryOf(next);
      record.wakeAt = null;
      record.finishedAt = null;
      record.history = [...erasure.history, event].map((entry) => JSON.stringify(entry));
      record.applied.add(erasure.idempotencyKey);
      this.written(events);
      return { stored: deepFreeze({ case: next, version: record.version }), applied: true };
    });
  }

  findByContact(detail: string, options: ListOptions = {}): Promise<CaseReference[]> {
    // Memory holds a laptop's worth of cases: reading each is fine here, where Redis keeps an index.
    const wanted = normaliseSecondFactor(detail);
    return settle(() =>
      [...this.cases]
        .filter(([reference]) =>
          contactDetailsOf(this.read(reference)?.case ?? { contact: { email: null, phone: null, preferred: 'chat' } }).some(
            (held) => normaliseSecondFactor(held) === wanted,
          ),
        )
        .map(([reference]) => reference)
        .sort()
        .slice(0, options.limit ?? 1000),
    );
  }

  lodgedBetween(from: Date, to: Date, options: ListOptions = {}): Promise<CaseReference[]> {
    return settle(() =>
      [...this.cases]
        .map(([reference]) => ({ reference, at: Date.parse(this.read(reference)?.case.lodgedAt ?? '') }))
        .filter((entry) => entry.at >= from.getTime() && entry.at < to.getTime())
        .sort((a, b) => a.at - b.at || a.reference.localeCompare(b.reference))
        .slice(0, options.limit ?? 1000)
        .map((entry) => entry.reference),
    );
  }

  finishedBefore(until: Date, options: ListOptions = {}): Promise<CaseReference[]> {
    const found = [...this.cases]
      .filter(([, record]) => record.finishedAt !== null && record.finishedAt < until.getTime())
      .sort(([a, one], [b, other]) => (one.finishedAt ?? 0) - (other.finishedAt ?? 0) || a.localeCompare(b))
      .map(([reference]) => reference);
    return Promise.resolve(found.slice(0, options.limit ?? 1000));
  }

  history(reference: CaseReference): Promise<CaseEvent[]> {
    return settle(() => (this.cases.get(reference)?.history ?? []).map(readEvent));
  }

  private counter(key: string): Counter | undefined {
    const counter = this.guards.get(key);
    if (counter && counter.expiresAt <= this.now()) {
      this.guards.delete(key);
      return undefined;
    }
    return counter;
  }

  /** Reserves an attempt (as reserve-attempt.lua): refused once the limit is reached. */
  private reserve(key: string, limit: number): { reserved: boolean; counter: Counter } {
    const counter = this.counter(key) ?? { count: 0, expiresAt: this.now() + this.guard.lockoutMs };
    if (counter.count >= limit) return { reserved: false, counter };
    counter.count += 1;
    this.guards.set(key, counter);
    return { reserved: true, counter };
  }

  /** Gives an attempt back (as release-attempt.lua). */
  private release(key: string): void {
    const counter = this.counter(key);
    if (!counter) return;
    counter.count -= 1;
    if (counter.count <= 0) this.guards.delete(key);
  }

  verify(request: LookupRequest): Promise<VerifyResult> {
    return settle(() => this.verifyNow(request));
  }

  private verifyNow(request: LookupRequest): VerifyResult {
    const counts = lookupCounts(request, this.guard);
    const keys = counts.map((count) =>
      count.kind === 'reference'
        ? `reference:${request.reference}`
        : count.kind === 'reference-and-requester'
          ? `pair:${request.reference}:${request.requesterKey}`
          : count.kind === 'requester'
            ? `requester:${request.requesterKey}`
            : `address:${request.addressKey ?? ''}`,
    );
    const reservations = keys.map((key, index) => this.reserve(key, counts[index]?.limit ?? 1));
    const record = this.cases.get(request.reference);
    const matches = this.hasher.matches(request.reference, request.secondFactor, record?.secondFactorHash ?? null);
    const refused = reservations.some((reservation) => !reservation.reserved);
    if (!refused && matches && record) {
      keys.forEach((key) => {
        this.release(key);
      });
      record.secondFactorHash = this.hasher.rehashed(request.reference, request.secondFactor, record.secondFactorHash) ?? record.secondFactorHash;
      return { ok: true, stored: readCase(record.doc, record.version) };
    }
    return failedLookup(
      counts,
      reservations.map((reservation) => ({
        reserved: reservation.reserved,
        attempts: reservation.counter.count,
        msLeft: reservation.counter.expiresAt - this.now(),
      })),
    );
  }

  dueBetween(from: Date, to: Date, options: ListOptions = {}): Promise<DueCase[]> {
    const due: DueCase[] = [];
    for (const [reference, record] of this.cases) {
      const dueAt = record.index.dueAt;
      if (dueAt !== null && dueAt >= from.getTime() && dueAt < to.getTime()) due.push({ reference, dueAt });
    }
    due.sort((a, b) => a.dueAt - b.dueAt || a.reference.localeCompare(b.reference));
    return Promise.resolve(due.slice(0, options.limit ?? 1000));
  }

  factsOf(references: readonly CaseReference[]): Promise<CaseFacts[]> {
    return Promise.all(references.map((reference) => this.get(reference))).then((read) => read.flatMap((stored) => (stored ? [caseFactsOf(stored.case)] : [])));
  }

  queue(request: QueueRequest): Promise<QueueSlice> {
    const matching: DueCase[] = [];
    for (const [reference, record] of this.cases) {
      const at = record.index.queueAt;
      if (at === null || at < request.from || at >= request.to) continue;
      if (request.within.every((group) => group.some((index) => inQueueIndex(record.index, index)))) matching.push({ reference, dueAt: at });
    }
    matching.sort((a, b) => a.dueAt - b.dueAt || (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0));
    return Promise.resolve({ total: matching.length, entries: matching.slice(request.offset, request.offset + request.limit) });
  }

  dueToWake(until: Date, options: ListOptions = {}): Promise<CaseReference[]> {
    const due = [...this.cases]
      .filter(([, record]) => record.wakeAt !== null && record.wakeAt <= until.getTime())
      .sort(([a, one], [b, other]) => (one.wakeAt ?? 0) - (other.wakeAt ?? 0) || a.localeCompare(b))
      .map(([reference]) => reference);
    return Promise.resolve(due.slice(0, options.limit ?? 1000));
  }

  reschedule(stored: StoredCase, at?: number): Promise<void> {
    const record = this.cases.get(stored.case.reference);
    if (record && record.version === stored.version) record.wakeAt = at ?? this.schedule(stored.case);
    return Promise.resolve();
  }

  wasApplied(reference: CaseReference, idempotencyKey: string): Promise<boolean> {
    return Promise.resolve(this.cases.get(reference)?.applied.has(idempotencyKey) ?? false);
  }

  unschedule(reference: CaseReference): Promise<void> {
    const record = this.cases.get(reference);
    if (record) record.wakeAt = null;
    return Promise.resolve();
  }

  private list(matches: (index: CaseIndexEntry) => boolean, options: ListOptions): Promise<CaseReference[]> {
    const found = [...this.cases].filter(([, record]) => matches(record.index)).map(([reference]) => reference);
    return Promise.resolve(found.sort().slice(0, options.limit ?? 1000));
  }

  listByStatus(status: CaseStatus, options: ListOptions = {}): Promise<CaseReference[]> {
    return this.list((index) => index.status === status, options);
  }

  listByStage(procedure: string, stage: string, options: ListOptions = {}): Promise<CaseReference[]> {
    return this.list((index) => index.procedure === procedure && index.stage === stage, options);
  }

  listByHandler(handlerId: string | null, options: ListOptions = {}): Promise<CaseReference[]> {
    return this.list((index) => index.handlerId === handlerId, options);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Whether a case's index entries put it in a queue filter's index. */
function inQueueIndex(entry: CaseIndexEntry, index: QueueIndex): boolean {
  if ('status' in index) return entry.status === index.status;
  if ('handlerId' in index) return entry.handlerId === index.handlerId;
  return entry.procedure === index.procedure && entry.stage === index.stage;
}
