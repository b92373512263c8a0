/**
 * Cases in this process's memory: the embedded default when no Redis is configured, for trying
 * the bot on a laptop. It keeps the same rules as the Redis store (versions, idempotency,
 * lookup limits, indexes) and passes the same contract tests, but nothing survives a restart.
 * Records are kept as JSON text, so a caller changing an object it passed in or got back cannot
 * change what is stored.
 */
import type { CaseEvent, CaseStatus, StoredCase } from '../../cases/case.js';
import { newEvent, readCase, readEvent, submissionHash, validCase } from '../../cases/case-records.js';
import type {
  CaseChange, CaseStore, LookupGuard, DueCase, ListOptions, LodgeRequest, LodgeResult, UpdateResult, VerifyResult,
} from '../../cases/case-store.js';
import { CaseConflict, InvalidCaseData, UnknownReference } from '../../cases/errors.js';
import { type CaseIndexEntry, indexEntryOf } from '../../cases/indexing.js';
import { type CaseReference, generateReference } from '../../cases/reference.js';
import type { SecondFactorHasher } from '../../cases/second-factor.js';
import { settle } from './settle.js';

interface Record {
  doc: string;
  version: number;
  secondFactorHash: string;
  index: CaseIndexEntry;
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

  constructor(
    private readonly hasher: SecondFactorHasher,
    private readonly guard: LookupGuard,
    private readonly now: () => number = Date.now,
    private readonly submissionMemoryMs = 30 * 86_400_000,
  ) {}

  lodge(request: LodgeRequest): Promise<LodgeResult> {
    return settle(() => this.lodgeNow(request));
  }

  private lodgeNow(request: LodgeRequest): LodgeResult {
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
    this.cases.set(reference, {
      doc: JSON.stringify(value),
      version: 1,
      secondFactorHash: this.hasher.hash(reference, request.secondFactor),
      index: indexEntryOf(value),
      history: [JSON.stringify(event)],
      applied: new Set(),
    });
    this.submissions.set(hash, { reference, expiresAt: this.now() + this.submissionMemoryMs });
    return { stored: { case: value, version: 1 }, created: true };
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
    if (change.idempotencyKey && record.applied.has(change.idempotencyKey)) {
      return { stored: readCase(record.doc, record.version), applied: false };
    }
    if (record.version !== current.version) throw new CaseConflict(reference, current.version, record.version);
    record.doc = JSON.stringify(next);
    record.version += 1;
    record.index = indexEntryOf(next);
    record.history.push(JSON.stringify(event));
    if (change.idempotencyKey) record.applied.add(change.idempotencyKey);
    return { stored: { case: next, version: record.version }, applied: true };
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

  private countFailure(key: string): Counter {
    const counter = this.counter(key) ?? { count: 0, expiresAt: this.now() + this.guard.lockoutMs };
    counter.count += 1;
    this.guards.set(key, counter);
    return counter;
  }

  verify(request: { readonly reference: CaseReference; readonly secondFactor: string; readonly conversationKey: string }): Promise<VerifyResult> {
    return settle(() => this.verifyNow(request));
  }

  private verifyNow(request: { readonly reference: CaseReference; readonly secondFactor: string; readonly conversationKey: string }): VerifyResult {
    const referenceKey = `reference:${request.reference}`;
    const conversationKey = `conversation:${request.conversationKey}`;
    const byReference = this.counter(referenceKey);
    const byConversation = this.counter(conversationKey);
    const referenceBlocked = (byReference?.count ?? 0) >= this.guard.maxFailuresPerReference;
    const conversationBlocked = (byConversation?.count ?? 0) >= this.guard.maxFailuresPerConversation;
    if (referenceBlocked || conversationBlocked) {
      const until = Math.max(referenceBlocked ? byReference?.expiresAt ?? 0 : 0, conversationBlocked ? byConversation?.expiresAt ?? 0 : 0);
      return {
        ok: false, refused: true, failures: Math.max(byReference?.count ?? 0, byConversation?.count ?? 0),
        retryAfterSeconds: Math.ceil(Math.max(until - this.now(), 1000) / 1000),
      };
    }
    const record = this.cases.get(request.reference);
    if (this.hasher.matches(request.reference, request.secondFactor, record?.secondFactorHash ?? null) && record) {
      this.guards.delete(conversationKey);
      return { ok: true, stored: readCase(record.doc, record.version) };
    }
    const referenceCounter = this.countFailure(referenceKey);
    const conversationCounter = this.countFailure(conversationKey);
    const refused = referenceCounter.count >= this.guard.maxFailuresPerReference || conversationCounter.count >= this.guard.maxFailuresPerConversation;
    return {
      ok: false,
      refused,
      failures: Math.max(referenceCounter.count, conversationCounter.count),
      retryAfterSeconds: refused ? Math.ceil(Math.max(referenceCounter.expiresAt - this.now(), conversationCounter.expiresAt - this.now(), 1000) / 1000) : null,
    };
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
