/**
 * Personal data encrypted at rest on real Redis: no canary (name, email, phone, the complaint's
 * words, a message, a concern) in any value under the prefix, BullMQ's jobs included, nor in
 * Redis's append-only file, a start with a wrong or missing key refused
 * with a clear message, records stored before sealing still read (and sealed at their next
 * change), and a key rotation while lodgings run losing nothing and leaving no case under the old
 * key.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LodgeRequest } from '../../src/cases/case-store.js';
import { loadConfig } from '../../src/config/config.js';
import { DataKeyRing } from '../../src/storage/encryption/data-keys.js';
import { openStores } from '../../src/storage/open-stores.js';
import { checkDataKeys, StorageMisconfigured } from '../../src/storage/redis/connection.js';
import { rotateDataKeys } from '../../src/storage/redis/data-key-rotation.js';
import { RedisCaseStore } from '../../src/storage/redis/redis-case-store.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { SecondFactorHasher } from '../../src/cases/second-factor.js';
import { change, lodgeRequest } from '../helpers/cases.js';
import { testEffectQueues } from '../helpers/effects.js';
import { until } from '../helpers/until.js';
import type { CaseNotice, CaseNotifier } from '../../src/ports/case-notifier.js';
import { keysUnder, productClient, RedisServerProcess, removeKeys, serverClock, TEST_GUARD, TEST_SECRET, testKeys, testRedisUrl } from '../helpers/redis.js';

const CANARIES = ['Canary Quillfeather', 'canary.quill@example.org', '+447700900777', 'the canary visit that never happened'];

/** A complaint whose name, email, phone and words are the canaries. */
function canaryLodging(): LodgeRequest {
  const request = lodgeRequest({ secondFactor: CANARIES[1] });
  return {
    ...request,
    case: {
      ...request.case,
      complainant: { ...request.case.complainant, name: CANARIES[0] ?? '' },
      contact: { ...request.case.contact, email: CANARIES[1] ?? null, phone: CANARIES[2] ?? null },
      whatHappened: CANARIES[3] ?? '',
    },
  };
}

/** Every value under a prefix, as text (hash fields, stream entries, lists, sets, strings). */
async function everyValue(client: RedisClient, prefix: string): Promise<string> {
  const parts: string[] = [];
  for (const key of await keysUnder(client, prefix)) {
    const type = await client.type(key);
    if (type === 'hash') parts.push(JSON.stringify(await client.hgetall(key)));
    else if (type === 'stream') parts.push(JSON.stringify(await client.xrange(key, '-', '+')));
    else if (type === 'string') parts.push((await client.get(key)) ?? '');
    else if (type === 'list') parts.push(JSON.stringify(await client.lrange(key, 0, -1)));
    else if (type === 'set') parts.push(JSON.stringify(await client.smembers(key)));
    else if (type === 'zset') parts.push(JSON.stringify(await client.zrange(key, '0', '-1')));
  }
  return parts.join('\n');
}

/** Staff as the effects tell them: what each notice says, as text. */
class RecordingStaff implements CaseNotifier {
  readonly seen: string[] = [];
  notify(notice: CaseNotice): Promise<void> {
    this.seen.push(JSON.stringify(notice));
    return Promise.resolve();
  }
  deliveryStatus(): Promise<string | null> {
    return Promise.resolve(null);
  }
}

describe('case records encrypted at rest', function () {
  this.timeout(60_000);
  let client: RedisClient;
  const keys = testKeys('at-rest', 4);
  const ring = (text: string) => DataKeyRing.parse(text);
  const OLD = DataKeyRing.generate('old');
  const NEW = DataKeyRing.generate('new');
  const storeWith = async (dataKeys: DataKeyRing) =>
    new RedisCaseStore({ client, keys, guard: TEST_GUARD, hasher: new SecondFactorHasher(TEST_SECRET), clock: await serverClock(client), dataKeys });

  before(async () => {
    client = await productClient();
  });
  afterEach(async () => {
    await removeKeys(client, keys.prefix);
  });
  after(async () => {
    await client.quit();
  });

  it('keeps no name, email, phone or words of the complaint in the case or its history, and reads them back', async () => {
    const store = await storeWith(ring(OLD));
    const { stored } = await store.lodge(canaryLodging());
    const updated = await store.update(
      stored,
      change(stored, (value) => {
        value.whatHappened = `${CANARIES[3] ?? ''}, again`;
      }),
    );
    const written = (await everyValue(client, keys.prefix)).toLowerCase();
    for (const canary of [...CANARIES, '7700900777', 'quillfeather']) assert.ok(!written.includes(canary.toLowerCase()), `"${canary}" is stored in plain text`);
    assert.ok(written.length > 1000, 'the case was written');
    // Read back through a store that has never seen the case (no key remembered).
    const fresh = await storeWith(ring(OLD));
    const read = await fresh.get(stored.case.reference);
    assert.ok(read);
    assert.equal(read.case.complainant.name, CANARIES[0]);
    assert.equal(read.case.whatHappened, `${CANARIES[3] ?? ''}, again`);
    assert.equal(read.version, updated.stored.version);
    assert.equal((await fresh.history(stored.case.reference)).length, 2);
    assert.equal((await fresh.verify({ reference: stored.case.reference, secondFactor: CANARIES[2] ?? '', requesterKey: 'owner' })).ok, true);
  });

  it('keeps no words of a message or a concern in the outbox or the delivery jobs, and delivers them as said', async () => {
    const store = await storeWith(ring(OLD));
    const staff = new RecordingStaff();
    const queues = testEffectQueues({ client, keys, cases: store, staff });
    try {
      await queues.start();
      const { stored } = await store.lodge({ ...lodgeRequest(), events: [{ type: 'staff-alerted', alert: 'lodged' }] });
      await store.update(stored, {
        ...change(stored, () => undefined),
        events: [{ type: 'complainant-wrote', text: CANARIES[3] ?? '' }],
      });
      const note = `${CANARIES[0] ?? ''} said the canary is not safe at home`;
      await queues.raiseConcern({
        id: `concern.${'a'.repeat(32)}`,
        note,
        raisedAt: stored.case.lodgedAt,
        reference: stored.case.reference,
        conversation: null,
      });
      await until(async () => Promise.resolve(staff.seen.length >= 3), 'the alert, the message and the concern delivered', 20_000);
      assert.ok(
        staff.seen.some((seen) => seen.includes(CANARIES[3] ?? '')),
        'the message delivered in its own words',
      );
      assert.ok(
        staff.seen.some((seen) => seen.includes(note)),
        'the concern delivered in its own words',
      );
      const written = (await everyValue(client, keys.prefix)).toLowerCase();
      assert.ok(written.includes('complainant-wrote'), 'the jobs are there to look in');
      for (const canary of [...CANARIES, 'quillfeather', 'not safe at home'])
        assert.ok(!written.includes(canary.toLowerCase()), `"${canary}" is stored in plain text`);
    } finally {
      await queues.close();
    }
  });

  it('leaves none of them in Redis’s append-only file either: lodging, a message, a concern, delivered', async () => {
    const server = await RedisServerProcess.start({ extraArgs: ['--appendonly', 'yes', '--appendfsync', 'always'] });
    const own = await productClient({ url: server.url });
    try {
      const store = new RedisCaseStore({
        client: own,
        keys,
        guard: TEST_GUARD,
        hasher: new SecondFactorHasher(TEST_SECRET),
        clock: await serverClock(own),
        dataKeys: ring(OLD),
      });
      const staff = new RecordingStaff();
      const connection = {
        REDIS_URL: server.url,
        REDIS_MODE: 'standalone' as const,
        REDIS_NODES: [],
        REDIS_SENTINEL_MASTER: undefined,
        REDIS_COMMAND_TIMEOUT_MS: 2000,
      };
      const queues = testEffectQueues({ client: own, keys, cases: store, staff, connection });
      try {
        await queues.start();
        const { stored } = await store.lodge({ ...canaryLodging(), events: [{ type: 'staff-alerted', alert: 'lodged' }] });
        await store.update(stored, { ...change(stored, () => undefined), events: [{ type: 'complainant-wrote', text: `${CANARIES[3] ?? ''} again` }] });
        await queues.raiseConcern({
          id: `concern.${'b'.repeat(32)}`,
          note: `${CANARIES[0] ?? ''} is not safe`,
          raisedAt: stored.case.lodgedAt,
          reference: null,
          conversation: null,
        });
        await until(async () => Promise.resolve(staff.seen.length >= 3), 'the alert, the message and the concern delivered', 20_000);
      } finally {
        await queues.close();
      }
      const folder = join(server.dir, 'appendonlydir');
      const aof = readdirSync(folder)
        .map((file) => readFileSync(join(folder, file)).toString('latin1'))
        .join('\n')
        .toLowerCase();
      assert.ok(aof.includes('complainant-wrote'), 'the file holds what was done');
      for (const canary of [...CANARIES, '7700900777', 'quillfeather'])
        assert.ok(!aof.includes(canary.toLowerCase()), `"${canary}" is in the AOF in plain text`);
    } finally {
      own.disconnect();
      await server.stop();
    }
  });

  it('still reads a case stored before records were sealed, and seals it at its next change', async () => {
    const store = await storeWith(ring(OLD));
    const { stored } = await store.lodge(lodgeRequest());
    const reference = stored.case.reference;
    // As an earlier version wrote it: plain JSON, no data key, a plain history entry.
    const [lodged] = await store.history(reference);
    await client.hset(keys.case(reference), 'doc', JSON.stringify(stored.case));
    await client.hdel(keys.case(reference), 'dk');
    await client.del(keys.history(reference));
    await client.xadd(keys.history(reference), '*', 'e', JSON.stringify(lodged));
    const legacy = await storeWith(ring(OLD));
    const read = await legacy.get(reference);
    assert.ok(read);
    assert.deepEqual(read.case, stored.case);
    const next = await legacy.update(
      read,
      change(read, (value) => {
        value.whatHappened = 'changed after sealing began';
      }),
    );
    assert.match((await client.hget(keys.case(reference), 'doc')) ?? '', /^e1\./);
    assert.ok(await client.hget(keys.case(reference), 'dk'));
    const again = await (await storeWith(ring(OLD))).get(reference);
    assert.ok(again);
    assert.equal(again.case.whatHappened, 'changed after sealing began');
    assert.equal(again.version, next.stored.version);
    assert.equal((await legacy.history(reference)).length, 2, 'the plain entry and the sealed one');
  });

  it('refuses to start with a key missing from DATA_KEYS, or a different key under the same id, saying which', async () => {
    const config = (dataKeys: string) =>
      loadConfig({
        LOCAL_DEVELOPMENT: 'true',
        REDIS_URL: testRedisUrl(),
        REDIS_KEY_PREFIX: keys.prefix,
        CASE_SECRET: TEST_SECRET,
        DATA_KEYS: dataKeys,
        CASE_SHARDS: '4',
      });
    const first = await openStores(config(OLD), () => undefined);
    await first.close();
    await assert.rejects(
      openStores(config(NEW), () => undefined),
      (error: unknown) => error instanceof StorageMisconfigured && /DATA_KEYS has no key "old"/.test(error.message),
    );
    const impostor = DataKeyRing.generate('old');
    await assert.rejects(
      openStores(config(impostor), () => undefined),
      (error: unknown) =>
        error instanceof StorageMisconfigured && /key "old" is not the key data under this key prefix were encrypted with/.test(error.message),
    );
    const both = await openStores(config(`${NEW},${OLD}`), () => undefined);
    await both.close();
  });

  it('moves every case to the new key while lodgings run, losing none and leaving none under the old key', async () => {
    await checkDataKeys(client, keys.meta(), ring(OLD));
    const before = await storeWith(ring(OLD));
    const early = await Promise.all(Array.from({ length: 60 }, () => before.lodge(lodgeRequest())));
    // Every instance restarted with the new key first, the old after it; lodging carries on while the rotation runs.
    const during = await storeWith(ring(`${NEW},${OLD}`));
    await checkDataKeys(client, keys.meta(), ring(`${NEW},${OLD}`));
    const [late, report] = await Promise.all([
      Promise.all(Array.from({ length: 60 }, () => during.lodge(lodgeRequest()))),
      rotateDataKeys(client, keys, during, ring(`${NEW},${OLD}`)),
    ]);
    assert.ok(report.rewrapped >= 60 && report.rewrapped <= 120, `rewrapped ${report.rewrapped}`);
    // Every case opens with the new key alone, none is under the old key; the old key is still
    // required at start (short-lived data sealed under it are not sealed again).
    await assert.rejects(checkDataKeys(client, keys.meta(), ring(NEW)), StorageMisconfigured);
    const after = await storeWith(ring(NEW));
    const references = [...early, ...late].map((lodged) => lodged.stored.case.reference);
    for (const reference of references) {
      assert.ok(await after.get(reference), `${reference} opens under the new key`);
      assert.match((await client.hget(keys.case(reference), 'dk')) ?? '', /^new\./);
    }
    assert.equal(new Set(references).size, 120);
    const again = await rotateDataKeys(client, keys, after, ring(NEW));
    assert.equal(again.rewrapped, 0, 'run again, it has nothing left to do');
  });
});
