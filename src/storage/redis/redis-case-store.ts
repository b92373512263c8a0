/**
 * The case store on Redis. Each case is a hash (version, JSON document, second-factor hash) with
 * a history stream beside it; indexes are per shard. Lodging and every change are single Lua
 * scripts over keys of one shard, so they are atomic on one server and on a Cluster alike.
 */
import type { CaseEvent, CaseStatus, StoredCase } from '../../cases/case.js';
import { newEvent, readCase, readEvent, submissionHash, validCase } from '../../cases/case-records.js';
import type {
  CaseChange, CaseStore, LookupGuard, DueCase, ListOptions, LodgeRequest, LodgeResult, UpdateResult, VerifyResult,
} from '../../cases/case-store.js';
import { CaseConflict, InvalidCaseData, UnknownReference } from '../../cases/errors.js';
import { indexEntryOf } from '../../cases/indexing.js';
import { type CaseReference, generateReference, isCaseReference } from '../../cases/reference.js';
import type { SecondFactorHasher } from '../../cases/second-factor.js';
import { storageCall } from './connection.js';
import type { RedisKeys } from './keys.js';
import { runScript, type RedisClient } from './scripts.js';

/** What the Redis case store is built from. */
export interface RedisCaseStoreOptions {
  readonly client: RedisClient;
  readonly keys: RedisKeys;
  readonly hasher: SecondFactorHasher;
  readonly guard: LookupGuard;
  /** How long a submission is remembered for repeat deliveries (default 30 days). */
  readonly submissionMemorySeconds?: number;
}

/** Entries read from an index per command, so no single command holds Redis for long. */
const PAGE = 200;

/** Cases in Redis. */
export class RedisCaseStore implements CaseStore {
  readonly durable = true;
  private readonly client: RedisClient;
  private readonly keys: RedisKeys;
  private readonly hasher: SecondFactorHasher;
  private readonly guard: LookupGuard;
  private readonly submissionMemorySeconds: number;

  constructor(options: RedisCaseStoreOptions) {
    this.client = options.client;
    this.keys = options.keys;
    this.hasher = options.hasher;
    this.guard = options.guard;
    this.submissionMemorySeconds = options.submissionMemorySeconds ?? 30 * 86_400;
  }

  /** A fresh reference that lives in the given shard. */
  private referenceInShard(shard: number): CaseReference {
    for (;;) {
      const reference = generateReference();
      if (this.keys.shardOfReference(reference) === shard) return reference;
    }
  }

  async lodge(request: LodgeRequest): Promise<LodgeResult> {
    const hash = submissionHash(request.submissionKey);
    const shard = this.keys.shardOfSubmission(hash);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const reference = this.referenceInShard(shard);
      const value = validCase({ ...request.case, reference });
      const event = newEvent({ ...request.event, type: 'lodged' }, value.stage);
      const index = indexEntryOf(value);
      const result = await storageCall('lodge', () => runScript(this.client, 'lodgeCase', [
        this.keys.lodgedSubmission(shard, hash),
        this.keys.case(reference),
        this.keys.history(reference),
        this.keys.dueIndex(shard),
        this.keys.statusIndex(shard, index.status),
        this.keys.stageIndex(shard, index.procedure, index.stage),
        this.keys.handlerIndex(shard, index.handlerId),
        this.keys.lodgedIndex(shard),
      ], [
        reference, JSON.stringify(value), this.hasher.hash(reference, request.secondFactor), index.dueAt ?? '',
        Date.parse(value.lodgedAt), JSON.stringify(event), this.submissionMemorySeconds,
      ])) as [number, string];
      if (result[0] === 1) return { stored: { case: value, version: 1 }, created: true };
      if (result[0] === 2 && isCaseReference(result[1])) {
        const existing = await this.get(result[1]);
        if (existing) return { stored: existing, created: false };
      }
      // 3: the reference was taken (or a remembered case has gone); draw another.
    }
    throw new Error('Could not find a free case reference after 10 tries');
  }

  async get(reference: CaseReference): Promise<StoredCase | null> {
    const [version, doc] = await storageCall('read case', () => this.client.hmget(this.keys.case(reference), 'v', 'doc'));
    if (version === null || version === undefined || doc === null || doc === undefined) return null;
    return readCase(doc, Number(version));
  }

  async update(current: StoredCase, change: CaseChange): Promise<UpdateResult> {
    const reference = current.case.reference;
    if (change.next.reference !== reference) throw new InvalidCaseData('write', ['reference: a change cannot move a case to another reference']);
    const next = validCase(change.next);
    const event = newEvent(change.event, next.stage);
    const shard = this.keys.shardOfReference(reference);
    const before = indexEntryOf(current.case);
    const after = indexEntryOf(next);
    const [code, version] = await storageCall('update case', () => runScript(this.client, 'updateCase', [
      this.keys.case(reference),
      this.keys.history(reference),
      this.keys.appliedChanges(reference),
      this.keys.dueIndex(shard),
      this.keys.statusIndex(shard, before.status), this.keys.statusIndex(shard, after.status),
      this.keys.stageIndex(shard, before.procedure, before.stage), this.keys.stageIndex(shard, after.procedure, after.stage),
      this.keys.handlerIndex(shard, before.handlerId), this.keys.handlerIndex(shard, after.handlerId),
    ], [reference, current.version, JSON.stringify(next), after.dueAt ?? '', JSON.stringify(event), change.idempotencyKey ?? ''])) as [number, number];
    switch (code) {
      case 1: return { stored: { case: next, version }, applied: true };
      case 2: {
        const latest = await this.get(reference);
        if (!latest) throw new UnknownReference(reference);
        return { stored: latest, applied: false };
      }
      case 0: throw new CaseConflict(reference, current.version, version);
      default: throw new UnknownReference(reference);
    }
  }

  async history(reference: CaseReference): Promise<CaseEvent[]> {
    const entries = await storageCall('read history', () => this.client.xrange(this.keys.history(reference), '-', '+'));
    return entries.map(([, fields]) => readEvent(fields[fields.indexOf('e') + 1] ?? 'null'));
  }

  async verify(request: { readonly reference: CaseReference; readonly secondFactor: string; readonly conversationKey: string }): Promise<VerifyResult> {
    const referenceGuard = this.keys.referenceGuard(request.reference);
    const conversationGuard = this.keys.conversationGuard(request.conversationKey);
    const [byReference, byConversation, [version, doc, stored]] = await storageCall('verify', () => Promise.all([
      this.client.get(referenceGuard),
      this.client.get(conversationGuard),
      this.client.hmget(this.keys.case(request.reference), 'v', 'doc', 'sf'),
    ]));
    const referenceFailures = Number(byReference ?? 0);
    const conversationFailures = Number(byConversation ?? 0);
    if (referenceFailures >= this.guard.maxFailuresPerReference || conversationFailures >= this.guard.maxFailuresPerConversation) {
      const [referenceMs, conversationMs] = await storageCall('verify', () => Promise.all([this.client.pttl(referenceGuard), this.client.pttl(conversationGuard)]));
      const waits = [referenceFailures >= this.guard.maxFailuresPerReference ? referenceMs : 0, conversationFailures >= this.guard.maxFailuresPerConversation ? conversationMs : 0];
      return { ok: false, refused: true, failures: Math.max(referenceFailures, conversationFailures), retryAfterSeconds: Math.ceil(Math.max(...waits, 1000) / 1000) };
    }
    // Compare even when there is no case, so the time taken does not say whether it exists.
    const matches = this.hasher.matches(request.reference, request.secondFactor, stored ?? null);
    if (matches && version && doc) {
      await storageCall('verify', () => this.client.del(conversationGuard));
      return { ok: true, stored: readCase(doc, Number(version)) };
    }
    const [[referenceCount, referenceMs], [conversationCount, conversationMs]] = await storageCall('verify', () => Promise.all([
      runScript(this.client, 'countFailure', [referenceGuard], [this.guard.lockoutMs]) as Promise<[number, number]>,
      runScript(this.client, 'countFailure', [conversationGuard], [this.guard.lockoutMs]) as Promise<[number, number]>,
    ]));
    const refused = referenceCount >= this.guard.maxFailuresPerReference || conversationCount >= this.guard.maxFailuresPerConversation;
    return {
      ok: false,
      refused,
      failures: Math.max(referenceCount, conversationCount),
      retryAfterSeconds: refused ? Math.ceil(Math.max(referenceMs, conversationMs, 1000) / 1000) : null,
    };
  }

  async dueBetween(from: Date, to: Date, options: ListOptions = {}): Promise<DueCase[]> {
    const limit = options.limit ?? 1000;
    const perShard = await Promise.all(this.shardNumbers().map((shard) => this.dueInShard(shard, from.getTime(), to.getTime(), limit)));
    return perShard.flat().sort((a, b) => a.dueAt - b.dueAt || a.reference.localeCompare(b.reference)).slice(0, limit);
  }

  private async dueInShard(shard: number, from: number, to: number, limit: number): Promise<DueCase[]> {
    const found: DueCase[] = [];
    for (let offset = 0; found.length < limit; offset += PAGE) {
      const page = await storageCall('list due cases', () => this.client.zrangebyscore(this.keys.dueIndex(shard), from, `(${to}`, 'WITHSCORES', 'LIMIT', offset, PAGE));
      for (let index = 0; index + 1 < page.length; index += 2) {
        found.push({ reference: page[index] as CaseReference, dueAt: Number(page[index + 1]) });
      }
      if (page.length < PAGE * 2) break;
    }
    return found;
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
    const perShard = await Promise.all(this.shardNumbers().map(async (shard) => {
      const found: string[] = [];
      let cursor = '0';
      do {
        const [next, members] = await storageCall('list cases', () => this.client.sscan(keyOf(shard), cursor, 'COUNT', PAGE));
        found.push(...members);
        cursor = next;
      } while (cursor !== '0' && found.length < limit);
      return found;
    }));
    return [...new Set(perShard.flat())].sort().slice(0, limit) as CaseReference[];
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => undefined);
  }
}
