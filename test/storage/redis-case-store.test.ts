import { strict as assert } from 'node:assert';
import type { Redis } from 'ioredis';
import type { QueueRequest } from '../../src/cases/case-store.js';
import { InvalidCaseData } from '../../src/cases/errors.js';
import { indexEntryOf } from '../../src/cases/indexing.js';
import { caseFactsOf } from '../../src/cases/case-facts.js';
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

  it('gives the same queue slice whether it walks the range or a filter’s sets, across chunks and pages', async () => {
    const day = 86_400_000;
    const base = lodgeRequest().case.deadlines[0]!;
    const lodged = await Promise.all(
      // The last hundred are closed: out of the queue, but still in the unassigned set.
      Array.from({ length: 740 }, (_, index) =>
        store.lodge(
          lodgeRequest({
            case: {
              // Many share a deadline, so ties are broken by reference as the queue promises.
              deadlines: [{ ...base, endsAt: new Date(Date.parse(base.endsAt) + (index % 40) * day).toISOString() }],
              ...(index % 7 === 0 ? { status: 'awaiting-response' as const, handler: { id: `aad:${String(index % 3)}`, name: 'Someone' } } : {}),
              ...(index % 11 === 0 ? { status: 'responded' as const } : {}),
              ...(index >= 640 ? { status: 'closed' as const, handler: null } : {}),
            },
          }),
        ),
      ),
    );
    const entries = lodged.map(({ stored }) => ({ reference: stored.case.reference, ...indexEntryOf(stored.case) }));
    const start = Date.parse(base.endsAt);
    const slices: [string, QueueRequest][] = [
      ['everything', { from: 0, to: Infinity, within: [], offset: 0, limit: 25 }],
      ['a later page', { from: 0, to: Infinity, within: [], offset: 600, limit: 25 }],
      ['one handler’s (a set smaller than the range: walking the set)', { from: 0, to: Infinity, within: [[{ handlerId: 'aad:2' }]], offset: 5, limit: 25 }],
      [
        'the unassigned (a set as large as the queue: counted by Redis, walked to the page)',
        { from: 0, to: Infinity, within: [[{ handlerId: null }]], offset: 25, limit: 25 },
      ],
      [
        'the unassigned within a short range (walking the range)',
        { from: start + 3 * day, to: start + 6 * day, within: [[{ handlerId: null }]], offset: 5, limit: 25 },
      ],
      [
        'in any open status (as many as the range: walking it in chunks)',
        {
          from: 0,
          to: Infinity,
          within: [[{ status: 'open' }, { status: 'awaiting-response' }, { status: 'responded' }]],
          offset: 560,
          limit: 25,
        },
      ],
      [
        'one handler’s, from a second group',
        { from: 0, to: Infinity, within: [[{ status: 'awaiting-response' }], [{ handlerId: 'aad:1' }]], offset: 0, limit: 10 },
      ],
    ];
    for (const [what, request] of slices) {
      const expected = entries
        .filter((entry) => entry.queueAt !== null && entry.queueAt >= request.from && entry.queueAt < request.to)
        .filter((entry) =>
          request.within.every((group) =>
            group.some((index) =>
              'status' in index ? entry.status === index.status : 'handlerId' in index ? entry.handlerId === index.handlerId : entry.stage === index.stage,
            ),
          ),
        )
        .sort((a, b) => (a.queueAt ?? 0) - (b.queueAt ?? 0) || (a.reference < b.reference ? -1 : 1));
      const slice = await store.queue(request);
      assert.equal(slice.total, expected.length, what);
      assert.ok(expected.length > request.offset, `${what}: the slice is not empty`);
      assert.deepEqual(
        slice.entries.map((entry) => [entry.reference, entry.dueAt]),
        expected.slice(request.offset, request.offset + request.limit).map((entry) => [entry.reference, entry.queueAt]),
        what,
      );
    }
  });

  it('gives the facts of a case stored before facts were kept, from the case itself', async () => {
    const lodged = await Promise.all([0, 1, 2].map(() => store.lodge(lodgeRequest())));
    const [old] = lodged;
    await client.hdel(keys.case(old!.stored.case.reference), 'fx');
    const references = lodged.map((each) => each.stored.case.reference);
    assert.deepEqual(
      await store.factsOf(references),
      lodged.map((each) => caseFactsOf(each.stored.case)),
    );
    await client.hset(keys.case(references[1]!), 'fx', '{"reference":"damaged"}');
    await assert.rejects(store.factsOf(references), InvalidCaseData);
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
