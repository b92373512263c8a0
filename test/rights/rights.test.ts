/**
 * The rights people have, on real Redis, as staff use them: subject access by reference, email
 * or phone (the export holds that person's data and nobody else's), rectification, erasure on
 * request, and the retention sweep, run by hand and by the job engine's schedule. Each leaves an
 * audit entry with no personal data in it.
 */
import { strict as assert } from 'node:assert';
import type { StoredCase } from '../../src/cases/case.js';
import type { LodgeRequest } from '../../src/cases/case-store.js';
import { ErasedCaseEvent } from '../../src/cases/errors.js';
import { formatReference } from '../../src/cases/reference.js';
import { isRefusal } from '../../src/cases/transitions/transition.js';
import { Rights, type RightsActor } from '../../src/rights/rights.js';
import { parseRetention } from '../../src/rights/retention.js';
import { RedisCaseStore } from '../../src/storage/redis/redis-case-store.js';
import { RedisRightsAudit } from '../../src/storage/redis/redis-rights-audit.js';
import type { RedisKeys } from '../../src/storage/redis/keys.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { startTimelineQueue } from '../../src/storage/redis/timeline-queue.js';
import { change, changeWithoutKey, lodgeRequest } from '../helpers/cases.js';
import { updateCase } from '../../src/cases/case-store.js';
import { SecondFactorHasher } from '../../src/cases/second-factor.js';
import { testDataKeys, serverClock, TEST_GUARD, TEST_SECRET } from '../helpers/redis.js';
import { policy } from '../helpers/policy.js';
import { productClient, redisCaseStore, removeKeys, testKeys, testRedisUrl } from '../helpers/redis.js';
import { until } from '../helpers/until.js';
import { silentLogger } from '../../src/ports/logger.js';

const DPO: RightsActor = { staff: { id: 'entra-dpo', name: 'Dee Peo' }, via: 'cli' };

/** A person's complaint: their name, email, phone and words. */
function complaintOf(person: { name: string; email: string | null; phone: string | null; words: string }): LodgeRequest {
  const request = lodgeRequest({ secondFactor: person.email ?? person.phone ?? '' });
  return {
    ...request,
    case: {
      ...request.case,
      complainant: { ...request.case.complainant, name: person.name },
      personAffected: { name: `${person.name.split(' ')[0] ?? ''}’s child`, description: null, child: true },
      contact: { email: person.email, phone: person.phone, preferred: person.email ? 'email' : 'phone' },
      whatHappened: person.words,
    },
  };
}

const ALICE = { name: 'Alice Quennell', email: 'alice.quennell@example.org', phone: '+447700900101', words: 'Alice’s <b>visit</b> was missed twice' };
const BOB = { name: 'Bob Vantongeren', email: 'bob.v@example.net', phone: '+447700900202', words: 'Bob’s assessment never came' };

describe('the rights people have, on Redis', function () {
  this.timeout(30_000);
  let client: RedisClient;
  let keys: RedisKeys;
  let store: RedisCaseStore;
  let audit: RedisRightsAudit;
  let now: Date;
  let rights: Rights;

  beforeEach(async () => {
    client = await productClient({ url: testRedisUrl() });
    keys = testKeys('rights', 4);
    store = await redisCaseStore(client, keys);
    audit = new RedisRightsAudit(client, keys);
    now = new Date('2026-12-04T10:00:00Z');
    rights = new Rights({ cases: store, audit, policy, organisation: 'Anytown Council', retention: parseRetention('6 years'), now: () => now });
  });

  afterEach(async () => {
    await removeKeys(client, keys.prefix);
    client.disconnect();
  });

  async function closed(stored: StoredCase, at: string): Promise<StoredCase> {
    return (
      await store.update(stored, {
        ...change(stored, (value) => {
          value.status = 'closed';
        }),
        event: { type: 'closed', at, actor: { kind: 'staff', id: 'entra-jo', name: 'Jo Bloggs' }, summary: 'Closed' },
        events: [{ type: 'complainant-told', notice: 'closed', text: 'Your complaint is closed.' }],
      })
    ).stored;
  }

  describe('subject access', () => {
    it('exports everything held about the person found by email, and nothing about anyone else', async () => {
      const first = await store.lodge(complaintOf(ALICE));
      // Alice's second complaint gave only her phone, written another way.
      const second = await store.lodge(complaintOf({ ...ALICE, email: null, words: 'Alice’s second complaint about the transport' }));
      await store.lodge(complaintOf(BOB));
      await store.update(first.stored, {
        ...change(first.stored, () => undefined),
        event: {
          type: 'discussion',
          at: '2025-06-03T10:00:00.000Z',
          actor: { kind: 'staff', id: 'entra-jo', name: 'Jo Bloggs' },
          summary: 'Discussion',
          details: { text: 'Called the school back' },
        },
      });

      const byEmail = await rights.subjectAccess({ contact: 'Alice.Quennell@EXAMPLE.org' }, DPO);
      assert.ok(!isRefusal(byEmail));
      assert.equal(byEmail.found, 1);
      assert.deepEqual(
        byEmail.json.cases.map((item) => item.reference),
        [formatReference(first.stored.case.reference)],
      );
      const byPhone = await rights.subjectAccess({ contact: '07700 900101' }, DPO);
      assert.ok(!isRefusal(byPhone));
      assert.deepEqual(
        byPhone.json.cases.map((item) => item.reference).sort(),
        [first, second].map((each) => formatReference(each.stored.case.reference)).sort(),
      );

      for (const document of [JSON.stringify(byPhone.json), byPhone.html]) {
        for (const hers of [ALICE.name, ALICE.email, ALICE.phone, 'missed twice', 'second complaint about the transport', 'Called the school back']) {
          assert.ok(document.includes(hers), `the export holds "${hers}"`);
        }
        for (const his of [BOB.name, BOB.email, BOB.phone, BOB.words, 'Bob’s child'])
          assert.ok(!document.includes(his), `the export holds nothing of Bob's ("${his}")`);
      }
      // What she wrote is shown as she wrote it, never as markup.
      assert.ok(byPhone.html.includes('Alice’s &lt;b&gt;visit&lt;/b&gt; was missed twice'));
      assert.ok(!byPhone.html.includes('<b>visit'));
      // A complaint made for someone else (these are a parent's) is marked as a whole for a check before release.
      assert.ok(byPhone.json.cases.every((item) => item.checkBeforeRelease));
      assert.match(byPhone.html, /made for someone else: check all of it/);
      // Staff discussion is marked for a check before release.
      assert.ok(byPhone.json.cases.some((item) => item.history.some((entry) => entry.words === 'Called the school back' && entry.checkBeforeRelease)));

      const entries = await audit.latest(10);
      assert.deepEqual(
        entries.map((entry) => [entry.action, entry.foundBy, entry.cases, entry.by.name, entry.via, entry.outcome]),
        [
          ['subject-access', 'email', 1, 'Dee Peo', 'cli', 'done'],
          ['subject-access', 'phone', 2, 'Dee Peo', 'cli', 'done'],
        ],
      );
      const kept = JSON.stringify(entries);
      for (const personal of [ALICE.email, '7700900101', ALICE.name]) assert.ok(!kept.includes(personal), 'the audit holds no personal data');
    });

    it('exports one case by its reference, refuses a search by two details at once, and finds nothing for a stranger', async () => {
      const { stored } = await store.lodge(complaintOf(ALICE));
      const byReference = await rights.subjectAccess({ reference: stored.case.reference }, DPO);
      assert.ok(!isRefusal(byReference));
      assert.equal(byReference.found, 1);
      assert.equal(byReference.json.foundBy, 'reference');
      const both = await rights.subjectAccess({ contact: `${ALICE.email} ${ALICE.phone}` }, DPO);
      assert.ok(isRefusal(both));
      const nobody = await rights.subjectAccess({ contact: 'stranger@example.com' }, DPO);
      assert.ok(!isRefusal(nobody));
      assert.equal(nobody.found, 0);
      assert.match(nobody.html, /holds 0 complaints/);
    });
  });

  describe('rectification', () => {
    it('corrects an email: the person looks the case up with the right one, the wrong one no longer works, and the audit says which field', async () => {
      const { stored } = await store.lodge(complaintOf(ALICE));
      const reference = stored.case.reference;
      const outcome = await rights.rectify(reference, { email: 'alice.q@example.org', reason: 'Mistyped at lodging, confirmed on the phone' }, DPO, 'fix-1');
      assert.ok(!isRefusal(outcome), JSON.stringify(outcome));
      assert.equal((await store.get(reference))?.case.contact.email, 'alice.q@example.org');
      assert.equal((await store.verify({ reference, secondFactor: 'alice.q@example.org', requesterKey: 'chat-a' })).ok, true);
      assert.equal((await store.verify({ reference, secondFactor: ALICE.email, requesterKey: 'chat-b' })).ok, false);
      const refused = await rights.rectify(reference, { name: 'Alice Q', reason: `She wrote from ${BOB.email}` }, DPO, 'fix-2');
      assert.ok(isRefusal(refused));
      assert.equal(refused.refused, 'personal-data-in-reason');
      const entries = await audit.latest(10);
      assert.deepEqual(
        entries.map((entry) => [entry.action, entry.outcome, entry.fields, entry.reason]),
        [
          ['rectification', 'done', ['email'], 'Mistyped at lodging, confirmed on the phone'],
          ['rectification', 'refused', null, null],
        ],
      );
    });
  });

  describe('erasure on request', () => {
    it('waits until the complaint is finished, then leaves only an anonymous record, and nothing sealed before can be opened', async () => {
      const { stored } = await store.lodge(complaintOf(ALICE));
      const reference = stored.case.reference;
      const early = await rights.eraseOnRequest(reference, 'Asked by letter', DPO, `erase:${reference}`);
      assert.ok(isRefusal(early));
      assert.equal(early.refused, 'not-finished');
      const done = await closed(stored, '2026-11-01T10:00:00.000Z');
      // An event still waiting in the outbox, sealed under the case's old data key.
      const [, waiting] = (await client.xrange(keys.outbox(keys.shardOfReference(reference)), '-', '+')).at(-1) ?? [];
      const carried: unknown = JSON.parse(waiting?.[1] ?? 'null');
      assert.notEqual(await store.openEvent(carried), null);

      // Another process has read the case (and keeps its data key) before the erasure.
      const another = await redisCaseStore(client, keys);
      await another.get(reference);
      await another.history(reference);
      const outcome = await rights.eraseOnRequest(reference, 'Asked by letter', DPO, `erase:${reference}`);
      assert.ok(!isRefusal(outcome), JSON.stringify(outcome));
      const after = await store.get(reference);
      assert.ok(after);
      assert.equal(after.case.erased?.basis, 'request');
      assert.equal(after.case.status, 'closed');
      assert.equal(after.case.procedure, done.case.procedure);
      const kept = JSON.stringify([after, await store.history(reference)]);
      for (const personal of [ALICE.name, ALICE.email, '7700900101', 'missed twice', 'Alice’s child'])
        assert.ok(!kept.includes(personal), `"${personal}" is gone`);
      // The other process reads the new record and history, not through the old key it kept.
      assert.deepEqual(await another.get(reference), after);
      assert.deepEqual(await another.history(reference), await store.history(reference));
      // Nothing changes an erased case any more (a chat still linked to it, a late note).
      assert.equal(await updateCase(store, reference, 'late-note', (current) => changeWithoutKey(current, () => undefined)), null);
      await assert.rejects(store.openEvent(carried), ErasedCaseEvent, 'the old data key is gone with the data');
      assert.deepEqual(await rights.subjectAccess({ contact: ALICE.email }, DPO).then((made) => (isRefusal(made) ? -1 : made.found)), 0);

      const again = await rights.eraseOnRequest(reference, 'Asked by letter', DPO, `erase:${reference}`);
      assert.ok(!isRefusal(again));
      assert.deepEqual(
        (await audit.latest(10)).filter((entry) => entry.action === 'erasure').map((entry) => entry.outcome),
        ['refused', 'done', 'already-done'],
      );
    });
  });

  describe('after a rotation of CASE_SECRET, and for cases kept before the indexes', () => {
    it('finds a person by entries written under the earlier secret, and an erasure takes those out too', async () => {
      const { stored } = await store.lodge(complaintOf(ALICE));
      const reference = stored.case.reference;
      await closed(stored, '2026-11-01T10:00:00.000Z');
      const rotated = new RedisCaseStore({
        client,
        keys,
        guard: TEST_GUARD,
        hasher: new SecondFactorHasher('a-new-secret-that-is-at-least-32-characters', [TEST_SECRET]),
        clock: await serverClock(client),
        dataKeys: testDataKeys(),
      });
      const afterRotation = new Rights({
        cases: rotated,
        audit,
        policy,
        organisation: 'Anytown Council',
        retention: parseRetention('6 years'),
        now: () => now,
      });
      const found = await afterRotation.subjectAccess({ contact: ALICE.email }, DPO);
      assert.ok(!isRefusal(found));
      assert.equal(found.found, 1);
      assert.ok(!isRefusal(await afterRotation.eraseOnRequest(reference, 'Asked by letter', DPO, `erase:${reference}`)));
      const left = await Promise.all(Array.from({ length: keys.shards }, (_, shard) => client.zcard(keys.contactIndex(shard))));
      assert.deepEqual(left, [0, 0, 0, 0], 'no entry for the erased case is left under either secret');
    });

    it('lists a case kept before the indexes existed, finished when its history says it closed', async () => {
      const { stored } = await store.lodge(complaintOf(BOB));
      const reference = stored.case.reference;
      await closed(stored, '2019-03-01T10:00:00.000Z');
      const shard = keys.shardOfReference(reference);
      await client.del(keys.contactIndex(shard), keys.finishedIndex(shard));
      assert.deepEqual(await store.findByContact(BOB.email), []);
      assert.equal(await store.reindexForRights(reference), true);
      assert.deepEqual(await store.findByContact(BOB.email), [reference]);
      assert.equal(await client.zscore(keys.finishedIndex(shard), reference), String(Date.parse('2019-03-01T10:00:00.000Z')));
    });
  });

  describe('retention', () => {
    it('anonymises finished cases kept longer than RECORDS_KEPT_FOR, and only those', async () => {
      const old = await closed((await store.lodge(complaintOf(ALICE))).stored, '2020-11-30T10:00:00.000Z');
      const recent = await closed((await store.lodge(complaintOf(BOB))).stored, '2020-12-05T10:00:00.000Z');
      const open = await store.lodge(complaintOf({ ...BOB, name: 'Carol Open' }));
      const swept = await rights.sweepRetention();
      assert.deepEqual(swept, { erased: 1, refused: 0, failed: 0 });
      assert.equal((await store.get(old.case.reference))?.case.erased?.basis, 'retention');
      assert.equal((await store.get(recent.case.reference))?.case.erased, null);
      assert.equal((await store.get(open.stored.case.reference))?.case.erased, null);
      assert.deepEqual(await rights.sweepRetention(), { erased: 0, refused: 0, failed: 0 });
      now = new Date('2026-12-06T10:00:00Z');
      assert.deepEqual(await rights.sweepRetention(), { erased: 1, refused: 0, failed: 0 });
      const entries = (await audit.latest(10)).filter((entry) => entry.action === 'retention');
      assert.deepEqual(
        entries.map((entry) => [entry.reference, entry.via, entry.by.kind, entry.outcome]),
        [
          [formatReference(old.case.reference), 'schedule', 'system', 'done'],
          [formatReference(recent.case.reference), 'schedule', 'system', 'done'],
        ],
      );
    });

    it('runs as a scheduled job on the job engine', async () => {
      const old = await closed((await store.lodge(complaintOf(ALICE))).stored, '2019-01-01T10:00:00.000Z');
      const queue = await startTimelineQueue({
        connection: {
          REDIS_URL: testRedisUrl(),
          REDIS_MODE: 'standalone',
          REDIS_NODES: [],
          REDIS_SENTINEL_MASTER: undefined,
          REDIS_COMMAND_TIMEOUT_MS: 2000,
        },
        keys,
        log: silentLogger,
        everyMs: 3_600_000,
        sweep: () => Promise.resolve(),
        recalendar: { version: 'test', run: () => Promise.resolve() },
        periodic: { name: 'retention', everyMs: 300, run: () => rights.sweepRetention() },
      });
      try {
        await until(async () => (await store.get(old.case.reference))?.case.erased !== null, 'the scheduled retention sweep', 10_000);
      } finally {
        await queue.close();
      }
    });
  });
});
