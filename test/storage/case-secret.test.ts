import { strict as assert } from 'node:assert';
import { SecondFactorHasher, secretKeyId, secretVerifier } from '../../src/cases/second-factor.js';
import { rotateCaseSecret } from '../../src/storage/redis/case-secret-rotation.js';
import { checkCaseSecret, StorageMisconfigured } from '../../src/storage/redis/connection.js';
import { RedisKeys } from '../../src/storage/redis/keys.js';
import { RedisCaseStore } from '../../src/storage/redis/redis-case-store.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { lodgeRequest } from '../helpers/cases.js';
import { productClient, removeKeys, serverClock, TEST_GUARD, uniquePrefix, testDataKeys } from '../helpers/redis.js';

const OLD = 'the-secret-the-cases-were-first-kept-with-0001';
const NEW = 'the-secret-they-are-moved-to-by-the-rotation-02';

describe('CASE_SECRET in Redis', () => {
  let client: RedisClient;
  let prefix: string;
  let keys: RedisKeys;

  async function store(secret: string, previous: readonly string[] = []): Promise<RedisCaseStore> {
    return new RedisCaseStore({
      client,
      keys,
      guard: TEST_GUARD,
      hasher: new SecondFactorHasher(secret, previous),
      clock: await serverClock(client),
      dataKeys: testDataKeys(),
    });
  }

  async function unlocks(cases: RedisCaseStore, reference: string, factor: string): Promise<boolean> {
    const result = await cases.verify({ reference: reference as never, secondFactor: factor, requesterKey: `test:${Math.random()}` });
    return result.ok;
  }

  before(async () => {
    client = await productClient();
  });
  after(() => {
    client.disconnect();
  });
  beforeEach(() => {
    prefix = uniquePrefix('case-secret');
    keys = new RedisKeys(prefix, 4, OLD);
  });
  afterEach(async () => {
    await removeKeys(client, prefix);
  });

  it('records which secret the cases are kept with, and refuses a start with another, naming CASE_SECRET and how to rotate it', async () => {
    await checkCaseSecret(client, keys.meta(), { current: secretVerifier(OLD), previous: null });
    await checkCaseSecret(client, keys.meta(), { current: secretVerifier(OLD), previous: null });
    assert.equal(await client.hget(keys.meta(), 'caseSecret'), secretVerifier(OLD));
    assert.ok(!(await client.hget(keys.meta(), 'caseSecret'))?.includes(OLD));
    await assert.rejects(
      checkCaseSecret(client, keys.meta(), { current: secretVerifier(NEW), previous: null }),
      (error: unknown) =>
        error instanceof StorageMisconfigured && /CASE_SECRET is not the secret/.test(error.message) && /npm run case-secret -- rotate/.test(error.message),
    );
    // A start with the new secret before the rotation has run says to run it.
    await assert.rejects(
      checkCaseSecret(client, keys.meta(), { current: secretVerifier(NEW), previous: secretVerifier(OLD) }),
      /still keyed by CASE_SECRET_PREVIOUS/,
    );
  });

  it('unlocks a case with either contact detail given at lodging, written any common UK way', async () => {
    const cases = await store(OLD);
    const { stored } = await cases.lodge(
      lodgeRequest({
        secondFactor: 'sam.taylor@example.org',
        case: { contact: { email: 'sam.taylor@example.org', phone: '+447700900123', preferred: 'phone' } },
      }),
    );
    for (const factor of ['Sam.Taylor@Example.org', '07700 900123', '+44 7700 900123', '0044 (0)7700-900-123']) {
      assert.equal(await unlocks(cases, stored.case.reference, factor), true, factor);
    }
    assert.equal(await unlocks(cases, stored.case.reference, '07700 900124'), false);
    const kept = await client.hget(keys.case(stored.case.reference), 'sf');
    assert.match(kept ?? '', new RegExp(`^${secretKeyId(OLD)}\\.[0-9a-f]{64},${secretKeyId(OLD)}\\.[0-9a-f]{64}$`));
    assert.ok(!kept?.includes('7700') && !kept?.includes('sam'));
  });

  it('rotates every case to a new secret: contact details hashed again, access codes kept until their owner next unlocks the case', async () => {
    const before = await store(OLD);
    await checkCaseSecret(client, keys.meta(), { current: secretVerifier(OLD), previous: null });
    const withContact = (
      await before.lodge(
        lodgeRequest({ secondFactor: 'sam@example.org', case: { contact: { email: 'sam@example.org', phone: '+447700900123', preferred: 'email' } } }),
      )
    ).stored.case.reference;
    const withCode = (await before.lodge(lodgeRequest({ secondFactor: '4821 0937 5562', case: { contact: { email: null, phone: null, preferred: 'chat' } } })))
      .stored.case.reference;
    // A case kept before hashes carried their secret's id is read as kept with the recorded secret.
    const legacy = (
      await before.lodge(lodgeRequest({ secondFactor: 'lee@example.org', case: { contact: { email: 'lee@example.org', phone: null, preferred: 'email' } } }))
    ).stored.case.reference;
    await client.hset(keys.case(legacy), 'sf', ((await client.hget(keys.case(legacy), 'sf')) ?? '').replace(/^[0-9a-f]{12}\./, ''));

    const report = await rotateCaseSecret(client, keys, await serverClock(client), { previous: OLD, next: NEW }, testDataKeys());
    assert.deepEqual(report, { cases: 3, keptUnderPrevious: 1 });
    assert.equal(await client.hget(keys.meta(), 'caseSecret'), secretVerifier(NEW));
    await checkCaseSecret(client, keys.meta(), { current: secretVerifier(NEW), previous: secretVerifier(OLD) });

    const newOnly = await store(NEW);
    assert.equal(await unlocks(newOnly, withContact, '07700 900123'), true);
    assert.equal(await unlocks(newOnly, withContact, 'sam@example.org'), true);
    assert.equal(await unlocks(newOnly, legacy, 'lee@example.org'), true);
    assert.equal(await unlocks(newOnly, withCode, '4821 0937 5562'), false, 'the code is still under the old secret');
    assert.equal(await unlocks(await store(OLD), withContact, 'sam@example.org'), false, 'the old secret no longer unlocks it');

    const afterRotation = await store(NEW, [OLD]);
    assert.equal(await unlocks(afterRotation, withCode, '4821 0937 5562'), true);
    assert.match(
      (await client.hget(keys.case(withCode), 'sf')) ?? '',
      new RegExp(`^${secretKeyId(NEW)}\\.[0-9a-f]{64}$`),
      're-hashed when its owner unlocked it',
    );
    assert.equal(await unlocks(newOnly, withCode, '4821 0937 5562'), true);

    // Run again (after an interruption, say): nothing left to do, nothing changed twice.
    assert.deepEqual(await rotateCaseSecret(client, keys, await serverClock(client), { previous: OLD, next: NEW }, testDataKeys()), {
      cases: 3,
      keptUnderPrevious: 0,
    });
    for (const [reference, factor] of [
      [withCode, '4821 0937 5562'],
      [withContact, 'sam@example.org'],
      [legacy, 'lee@example.org'],
    ] as const) {
      assert.equal(await unlocks(newOnly, reference, factor), true, factor);
    }
  });

  it('refuses to rotate from a secret the cases were not kept with, and changes nothing', async () => {
    const cases = await store(OLD);
    await checkCaseSecret(client, keys.meta(), { current: secretVerifier(OLD), previous: null });
    const { stored } = await cases.lodge(lodgeRequest());
    const sf = await client.hget(keys.case(stored.case.reference), 'sf');
    await assert.rejects(
      rotateCaseSecret(client, keys, await serverClock(client), { previous: 'not-the-secret-these-cases-were-kept-with', next: NEW }, testDataKeys()),
      /CASE_SECRET_PREVIOUS is not the secret/,
    );
    assert.equal(await client.hget(keys.case(stored.case.reference), 'sf'), sf);
    assert.equal(await client.hget(keys.meta(), 'caseSecret'), secretVerifier(OLD));
  });
});
