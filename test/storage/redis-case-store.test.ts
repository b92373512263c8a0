import { strict as assert } from 'node:assert';
import type { Redis } from 'ioredis';
import { InvalidCaseData } from '../../src/cases/errors.js';
import { RedisKeys } from '../../src/storage/redis/keys.js';
import type { RedisCaseStore } from '../../src/storage/redis/redis-case-store.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { change, lodgeRequest } from '../helpers/cases.js';
import {
  countKeys,
  keysUnder,
  productClient,
  redisCaseStore,
  redisConversationStorage,
  RedisServerProcess,
  removeKeys,
  TEST_SECRET,
  testKeys,
} from '../helpers/redis.js';

describe('the Redis case store', function () {
  this.timeout(60_000);
  let client: RedisClient;
  let keys: RedisKeys;
  let store: RedisCaseStore;

  before(async () => {
    client = await productClient();
  });

  beforeEach(async () => {
    keys = testKeys('redis-cases', 1);
    store = await redisCaseStore(client, keys);
  });

  afterEach(async () => {
    await removeKeys(client, keys.prefix);
    assert.equal(await countKeys(client, keys.prefix), 0);
  });

  after(async () => {
    await client.quit();
  });

  it('refuses to hand out a damaged record', async () => {
    const { stored } = await store.lodge(lodgeRequest());
    const reference = stored.case.reference;
    await client.hset(keys.case(reference), 'doc', JSON.stringify({ ...stored.case, status: 'lost' }));
    await assert.rejects(store.get(reference), (error: unknown) => error instanceof InvalidCaseData && error.when === 'read' && /status/.test(error.message));
    await client.hset(keys.case(reference), 'doc', '{not json');
    await assert.rejects(store.get(reference), InvalidCaseData);
  });

  it('reads a due index larger than one page, in order, without one huge command', async () => {
    const lodged = await Promise.all(Array.from({ length: 450 }, () => store.lodge(lodgeRequest())));
    const dueAt = Date.parse(lodged[0]!.stored.case.deadlines[0]!.endsAt);
    const due = await store.dueBetween(new Date(dueAt - 1000), new Date(dueAt + 1000), { limit: 10_000 });
    assert.equal(due.length, 450);
    assert.deepEqual(new Set(due.map((entry) => entry.reference)), new Set(lodged.map((entry) => entry.stored.case.reference)));
    assert.equal((await store.listByStatus('open', { limit: 10_000 })).length, 450);
    assert.equal((await store.dueBetween(new Date(dueAt - 1000), new Date(dueAt + 1000), { limit: 100 })).length, 100);
  });

  it('keeps the second factor out of every key name and index, and stores it only as a hash', async () => {
    const { stored } = await store.lodge(lodgeRequest({ secondFactor: 'private.person@example.org' }));
    const reference = stored.case.reference;
    await store.verify({ reference, secondFactor: 'wrong@example.org', requesterKey: 'webchat/conversations/abc' });
    const names = await keysUnder(client, keys.prefix);
    assert.ok(names.length >= 8);
    for (const name of names) assert.ok(!/private|person|example/i.test(name), name);
    assert.match((await client.hget(keys.case(reference), 'sf')) ?? '', /^[0-9a-f]{12}\.[0-9a-f]{64}(,[0-9a-f]{12}\.[0-9a-f]{64})*$/);
    const indexMembers = await client.smembers(keys.statusIndex(0, 'open'));
    assert.deepEqual(indexMembers, [reference]);
  });

  it('writes nothing outside its own prefix (checked on a Redis of its own)', async () => {
    const server = await RedisServerProcess.start();
    const own = await productClient({ url: server.url });
    try {
      const ownKeys = new RedisKeys('isolated:prefix', 4, TEST_SECRET);
      const ownStore = await redisCaseStore(own, ownKeys);
      const { stored } = await ownStore.lodge(lodgeRequest());
      await ownStore.update(
        stored,
        change(
          stored,
          (value) => {
            value.status = 'awaiting-response';
            value.handler = { id: 'h', name: 'H' };
          },
          { idempotencyKey: 'k1' },
        ),
      );
      await ownStore.verify({ reference: stored.case.reference, secondFactor: 'no@example.org', requesterKey: 'c' });
      await (await redisConversationStorage(own, ownKeys)).write({ 'webchat/conversations/z': { a: 1 } });
      const all = await (own as Redis).keys('*');
      assert.ok(all.length >= 10, all.join(' '));
      for (const key of all) assert.ok(key.startsWith('isolated:prefix:'), key);
    } finally {
      await own.quit();
      await server.stop();
    }
  });
});
