import { strict as assert } from 'node:assert';
import type { Redis } from 'ioredis';
import { caseSchema } from '../../src/cases/case.js';
import { StorageUnavailable } from '../../src/cases/errors.js';
import { indexEntryOf } from '../../src/cases/indexing.js';
import type { CaseReference } from '../../src/cases/reference.js';
import { caseAssociatedData, open } from '../../src/storage/encryption/data-keys.js';
import type { RedisKeys } from '../../src/storage/redis/keys.js';
import type { RedisCaseStore } from '../../src/storage/redis/redis-case-store.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { change, lodgeRequest } from '../helpers/cases.js';
import { productClient, redisCaseStore, redisConversationStorage, RedisServerProcess, testKeys, testDataKeys } from '../helpers/redis.js';

const SHARDS = 4;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitForReady(client: RedisClient, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (client.status !== 'ready') {
    if (Date.now() - started > timeoutMs) throw new Error(`client did not reconnect (status ${client.status})`);
    await delay(50);
  }
}

/** Every case has its history and index entries, and every index entry has its case: nothing half-written. */
async function assertNothingHalfWritten(client: Redis, keys: RedisKeys): Promise<number> {
  let cases = 0;
  let cursor = '0';
  do {
    const [next, found] = await client.scan(cursor, 'MATCH', `${keys.prefix}:*:case:*`, 'COUNT', 1000);
    cursor = next;
    for (const key of found) {
      const match = /:case:([0-9A-Z]+)$/.exec(key);
      if (!match?.[1]) continue;
      const reference = match[1] as CaseReference;
      const shard = keys.shardOfReference(reference);
      cases += 1;
      const [doc, wrapped] = await client.hmget(key, 'doc', 'dk');
      const dataKey = testDataKeys().unwrap(wrapped ?? '', reference);
      const value = caseSchema.parse(JSON.parse(open(doc ?? '', dataKey, caseAssociatedData(reference, 'doc'))));
      const index = indexEntryOf(value);
      assert.ok((await client.xlen(keys.history(reference))) >= 1, `${reference} has no history`);
      assert.ok(await client.sismember(keys.statusIndex(shard, index.status), reference), `${reference} missing from its status index`);
      assert.ok(await client.sismember(keys.stageIndex(shard, index.procedure, index.stage), reference), `${reference} missing from its stage index`);
      assert.notEqual(await client.zscore(keys.lodgedIndex(shard), reference), null, `${reference} missing from the lodged index`);
    }
  } while (cursor !== '0');
  for (let shard = 0; shard < SHARDS; shard += 1) {
    for (const reference of await client.zrange(keys.lodgedIndex(shard), '0', '-1')) {
      assert.equal(await client.exists(keys.case(reference as CaseReference)), 1, `index entry ${reference} has no case`);
    }
  }
  return cases;
}

describe('when Redis fails', function () {
  this.timeout(90_000);
  let server: RedisServerProcess;
  let client: RedisClient;
  let store: RedisCaseStore;
  let keys: RedisKeys;

  before(async () => {
    // AOF with fsync on every write: what the README recommends when no acknowledged case may be lost.
    server = await RedisServerProcess.start({ extraArgs: ['--appendonly', 'yes', '--appendfsync', 'always'] });
    client = await productClient({ url: server.url, timeoutMs: 1000 });
    keys = testKeys('faults', SHARDS);
    store = await redisCaseStore(client, keys);
  });

  after(async () => {
    client.disconnect();
    await server.stop();
  });

  it('fails fast with StorageUnavailable while Redis is down, and loses nothing acknowledged once it is back', async () => {
    const acknowledged: string[] = [];
    for (let index = 0; index < 10; index += 1) acknowledged.push((await store.lodge(lodgeRequest())).stored.case.reference);

    const failures: { ms: number; error: unknown }[] = [];
    let running = true;
    const worker = async (): Promise<void> => {
      while (running) {
        const started = Date.now();
        try {
          acknowledged.push((await store.lodge(lodgeRequest())).stored.case.reference);
        } catch (error) {
          failures.push({ ms: Date.now() - started, error });
          await delay(20);
        }
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    await delay(300);
    await server.kill();
    await delay(1500);
    running = false;
    await Promise.all(workers);

    assert.ok(failures.length > 0, 'some lodgings were attempted while Redis was down');
    assert.ok(
      failures.every((failure) => failure.error instanceof StorageUnavailable),
      String(failures.find((failure) => !(failure.error instanceof StorageUnavailable))?.error),
    );
    assert.ok(Math.max(...failures.map((failure) => failure.ms)) < 3000, `slowest failure took ${Math.max(...failures.map((failure) => failure.ms))} ms`);
    const started = Date.now();
    await assert.rejects(store.get(acknowledged[0] as CaseReference), StorageUnavailable);
    assert.ok(Date.now() - started < 3000);

    await server.launch();
    await waitForReady(client);
    for (const reference of acknowledged) {
      const stored = await store.get(reference as CaseReference);
      assert.ok(stored, `acknowledged case ${reference} is missing after the restart`);
      assert.equal((await store.history(reference as CaseReference)).length, 1);
    }
    const total = await assertNothingHalfWritten(client as Redis, keys);
    assert.ok(total >= acknowledged.length);
  });

  it('fails within the command timeout while Redis hangs, and lets nothing it gave up on happen after it resumes', async () => {
    const storage = await redisConversationStorage(client, keys);
    const { stored } = await store.lodge(lodgeRequest());
    const reference = stored.case.reference;
    await storage.write({ 'webchat/conversations/frozen': { answer: 'first' } });
    const openBefore = (await store.listByStatus('open', { limit: 10_000 })).length;

    server.pause();
    try {
      const started = Date.now();
      await assert.rejects(store.get(reference), StorageUnavailable);
      await assert.rejects(store.lodge(lodgeRequest({ submissionKey: 'webchat/frozen/activity-1' })), StorageUnavailable);
      await assert.rejects(
        store.update(
          stored,
          change(stored, (value) => {
            value.status = 'closed';
          }),
        ),
        StorageUnavailable,
      );
      await assert.rejects(storage.write({ 'webchat/conversations/frozen': { answer: 'given up on' } }), StorageUnavailable);
      await assert.rejects(storage.read(['webchat/conversations/frozen']), StorageUnavailable);
      assert.ok(Date.now() - started < 8000, `took ${Date.now() - started} ms`);
      // Let the deadlines of the calls above pass while Redis is still frozen.
      await delay(2500);
    } finally {
      server.resume();
    }
    await waitForReady(client);
    let read = null;
    for (let attempt = 0; attempt < 50 && !read; attempt += 1) {
      try {
        read = await store.get(reference);
      } catch {
        await delay(100);
      }
    }
    // The writes sent before the freeze reached Redis when it thawed, and refused to act.
    assert.equal(read?.case.status, 'open', 'the abandoned update did not happen');
    assert.equal((await store.listByStatus('open', { limit: 10_000 })).length, openBefore, 'the abandoned lodging made no case');
    assert.equal((await store.lodge(lodgeRequest({ submissionKey: 'webchat/frozen/activity-1' }))).created, true);
    assert.equal((await storage.read(['webchat/conversations/frozen']))['webchat/conversations/frozen']?.['answer'], 'first');
    await assertNothingHalfWritten(client as Redis, keys);
  });
});
