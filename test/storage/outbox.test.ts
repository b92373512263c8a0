import { strict as assert } from 'node:assert';
import type { OutboxEventInput } from '../../src/cases/outbox-event.js';
import type { CaseNotice, CaseNotifier } from '../../src/ports/case-notifier.js';
import type { ComplainantMailer } from '../../src/ports/complainant-mailer.js';
import { NotDeliverable } from '../../src/ports/conversation-messenger.js';
import { concernId } from '../../src/outbox/urgent-concern.js';
import { DAY_OF_RETRIES, type EffectQueues, type RetryPolicy } from '../../src/storage/redis/effect-queues.js';
import type { RedisKeys } from '../../src/storage/redis/keys.js';
import type { RedisCaseStore } from '../../src/storage/redis/redis-case-store.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { change, closeCase, lodgeRequest } from '../helpers/cases.js';
import { erase } from '../../src/cases/transitions/erase.js';
import { isRefusal, SYSTEM } from '../../src/cases/transitions/transition.js';
import { testEffectQueues } from '../helpers/effects.js';
import { productClient, redisCaseStore, removeKeys, testKeys } from '../helpers/redis.js';

/** Quick retries, so ten failures take seconds rather than a day. */
const QUICK: RetryPolicy = { firstDelayMs: 50, maxDelayMs: 400, attempts: 40 };

/** A Teams stand-in at the notifier's edge: fails as told, and records what got through. */
class FlakyStaff implements CaseNotifier {
  readonly delivered: { kind: string; reference: string; message?: string }[] = [];
  /** Each call takes the next planned failure, if any. */
  constructor(private readonly failures: (Error | null)[] = []) {}

  notify(notice: CaseNotice): Promise<void> {
    const failure = this.failures.shift();
    if (failure) return Promise.reject(failure);
    this.delivered.push({
      kind: notice.kind,
      reference: notice.case?.reference ?? '',
      ...(notice.kind === 'message-from-complainant' ? { message: notice.message } : {}),
    });
    return Promise.resolve();
  }

  deliveryStatus(): Promise<string | null> {
    return Promise.resolve(null);
  }
}

/** An error shaped as botbuilder's for Teams' 429, with the wait Teams asked for. */
function throttled(seconds: number): Error {
  return Object.assign(new Error('Too Many Requests'), { statusCode: 429, retryAfterMs: seconds * 1000 });
}

function throttledFor(error: unknown): number | null {
  const value = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof value === 'number' ? value : null;
}

/** A mail provider that is down. */
const failingMailer: ComplainantMailer = {
  kind: 'local' as const,
  channels: ['email', 'sms'] as const,
  send: () => Promise.reject(new Error('the provider is down')),
};

const neverDelivered = {
  send: (reference: { channelId: string }) => Promise.reject(new NotDeliverable(reference.channelId)),
};

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the outbox on Redis', function () {
  this.timeout(60_000);
  let client: RedisClient;
  let keys: RedisKeys;
  let store: RedisCaseStore;
  const running: EffectQueues[] = [];

  before(async () => {
    client = await productClient();
  });

  beforeEach(async () => {
    keys = testKeys('outbox', 4);
    store = await redisCaseStore(client, keys);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((queues) => queues.close()));
    await removeKeys(client, keys.prefix);
  });

  after(() => {
    client.disconnect();
  });

  function queues(staff: CaseNotifier, retry: RetryPolicy = QUICK, mailer: ComplainantMailer | null = null): EffectQueues {
    const made = testEffectQueues({ client, keys, cases: store, staff, chat: neverDelivered, mailer, retry, throttled: throttledFor });
    running.push(made);
    return made;
  }

  const lodgedEvents: OutboxEventInput[] = [
    { type: 'staff-alerted', alert: 'lodged' },
    { type: 'complainant-told', notice: 'acknowledgement', text: null },
  ];

  it('writes a change’s events with it, and keeps them until relayed, even if no process was running to relay them', async () => {
    const { stored } = await store.lodge({ ...lodgeRequest(), events: lodgedEvents });
    const shard = keys.shardOfReference(stored.case.reference);
    // Nothing relays yet (as if the process died right after saving): the events wait in the outbox.
    const waiting = await client.xrange(keys.outbox(shard), '-', '+');
    assert.deepEqual(
      waiting.map(([, fields]) => (JSON.parse(fields[1] ?? '{}') as { id: string }).id),
      [`${stored.case.reference}.1.0`, `${stored.case.reference}.1.1`],
    );
    assert.deepEqual(await client.zrange(keys.staffEffects(stored.case.reference), '0', '-1'), [`${stored.case.reference}.1.0`]);

    const staff = new FlakyStaff();
    await queues(staff).start();
    await until(() => staff.delivered.length === 1);
    await until(async () => (await client.xlen(keys.outbox(shard))) === 0);
    assert.deepEqual(staff.delivered, [{ kind: 'lodged', reference: stored.case.reference }]);
    assert.deepEqual(await client.zrange(keys.staffEffects(stored.case.reference), '0', '-1'), []);
  });

  it('ends the jobs of a case erased before they ran with nothing done, and brings its card up to date', async () => {
    const { stored } = await store.lodge({ ...lodgeRequest(), events: lodgedEvents });
    const reference = stored.case.reference;
    const closed = await closeCase(store, stored);
    const decided = erase(closed.case, await store.history(reference), { basis: 'request', reason: 'Asked in writing' }, { now: new Date(), actor: SYSTEM });
    assert.ok(!isRefusal(decided));
    await store.erase(closed, { ...decided, idempotencyKey: 'erase' });
    const staff = new FlakyStaff();
    const started = queues(staff);
    await started.start();
    await until(() => staff.delivered.length === 1);
    await until(async () => (await client.xlen(keys.outbox(keys.shardOfReference(reference)))) === 0);
    await until(() => started.idle());
    assert.deepEqual(staff.delivered, [{ kind: 'changed', reference }], 'only the erasure’s own card update went to Teams');
    const counts = await started.counts();
    assert.equal(counts.staff.failed + counts.complainant.failed, 0, 'no job failed for it');
  });

  it('delivers each event once when two relays and two sets of workers share the outbox', async () => {
    const staff = new FlakyStaff();
    const [first, second] = [queues(staff), queues(staff)];
    await Promise.all([first.start(), second.start()]);
    const lodged = await Promise.all(Array.from({ length: 20 }, () => store.lodge({ ...lodgeRequest(), events: lodgedEvents })));
    // Both wake on every write, as two processes would on their own writes and sweeps.
    for (const { stored } of lodged) {
      const events = [{ ...lodgedEvents[0], id: `${stored.case.reference}.1.0`, reference: stored.case.reference, at: stored.case.lodgedAt }] as never;
      first.wake(events);
      second.wake(events);
    }
    await until(() => staff.delivered.length >= 20);
    await new Promise((resolve) => setTimeout(resolve, 600)); // two more sweeps: nothing else arrives
    assert.equal(staff.delivered.length, 20);
    assert.equal(new Set(staff.delivered.map((notice) => notice.reference)).size, 20);
  });

  it('relays at once what an instance that only saves announces, without waiting for a sweep', async () => {
    const staff = new FlakyStaff();
    // A delivering instance that sweeps only once a minute: anything delivered sooner came by the wake.
    const delivering = testEffectQueues({ client, keys, cases: store, staff, sweepEveryMs: 60_000 });
    running.push(delivering);
    await delivering.start();
    const savingOnly = queues(staff);
    const { stored } = await store.lodge({ ...lodgeRequest(), events: lodgedEvents });
    savingOnly.announce([
      { id: `${stored.case.reference}.1.0`, reference: stored.case.reference, at: stored.case.lodgedAt, type: 'staff-alerted', alert: 'lodged' },
    ]);
    await until(() => staff.delivered.length === 1, 20_000);
    assert.deepEqual(staff.delivered, [{ kind: 'lodged', reference: stored.case.reference }]);
  });

  it('tells staff about a case in the order things happened, through failures and Teams throttling, once each', async () => {
    const failures = [new Error('500 from Teams'), new Error('500 from Teams'), throttled(1), new Error('500 from Teams'), throttled(1)];
    const staff = new FlakyStaff(failures);
    await queues(staff).start();
    let { stored } = await store.lodge({ ...lodgeRequest(), events: lodgedEvents });
    for (const text of ['first message', 'second message', 'third message']) {
      ({ stored } = await store.update(stored, {
        ...change(stored, () => undefined, { idempotencyKey: text }),
        events: [{ type: 'complainant-wrote', text }],
      }));
    }
    await until(() => staff.delivered.length === 4);
    assert.equal(failures.length, 0, 'every planned failure happened');
    assert.deepEqual(
      staff.delivered.map((notice) => notice.message ?? notice.kind),
      ['lodged', 'first message', 'second message', 'third message'],
    );
    const counts = await running[0]?.counts();
    assert.equal(counts?.staff.failed, 0);
  });

  it('rides out ten minutes of Teams failing (at a hundredth of the time), then delivers every card and message once, in order per case', async () => {
    // The retry policy a bot runs with, and the outage, both at 1:100: six seconds stand for ten minutes.
    const scaled: RetryPolicy = {
      firstDelayMs: DAY_OF_RETRIES.firstDelayMs / 100,
      maxDelayMs: DAY_OF_RETRIES.maxDelayMs / 100,
      attempts: DAY_OF_RETRIES.attempts,
    };
    const started = Date.now();
    const staff = new FlakyStaff();
    const outage: CaseNotifier = {
      // Six minutes of 500s, then four of 429 with Retry-After, as Teams answers while it recovers.
      notify: (notice) => {
        const elapsed = Date.now() - started;
        if (elapsed < 3600) return Promise.reject(new Error('500 from Teams'));
        if (elapsed < 6000) return Promise.reject(Object.assign(new Error('Too Many Requests'), { statusCode: 429, retryAfterMs: 200 }));
        return staff.notify(notice);
      },
      deliveryStatus: () => Promise.resolve(null),
    };
    await queues(outage, scaled).start();
    const references: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      let { stored } = await store.lodge({ ...lodgeRequest(), events: lodgedEvents });
      references.push(stored.case.reference);
      for (const text of ['first message', 'second message']) {
        ({ stored } = await store.update(stored, {
          ...change(stored, () => undefined, { idempotencyKey: text }),
          events: [{ type: 'complainant-wrote', text }],
        }));
      }
    }
    await until(() => staff.delivered.length >= 9, 40_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(Date.now() - started >= 6000, 'nothing got through during the outage');
    assert.equal(staff.delivered.length, 9, 'each once');
    for (const reference of references) {
      assert.deepEqual(
        staff.delivered.filter((notice) => notice.reference === reference).map((notice) => notice.message ?? notice.kind),
        ['lodged', 'first message', 'second message'],
        'in order for each case',
      );
    }
    assert.equal((await running[0]?.counts())?.staff.failed, 0);
  });

  it('tells staff of an urgent concern once, through Teams failures, however often it is raised, even with no case and no worker running yet', async () => {
    const staff = new FlakyStaff([new Error('500 from Teams'), throttled(1)]);
    const early = queues(staff);
    const concern = {
      id: concernId('conversation-1', '2025-06-02T10:00:00.000Z', 'My son is being hurt at home'),
      note: 'My son is being hurt at home',
      raisedAt: '2025-06-02T10:00:00.000Z',
      reference: null,
      conversation: null,
    };
    // Kept before any worker runs (an instance that only saves), and raised again by a turn run twice.
    await early.raiseConcern(concern);
    await early.raiseConcern(concern);
    await early.start();
    await until(() => staff.delivered.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.deepEqual(staff.delivered, [{ kind: 'safeguarding-concern', reference: '' }]);

    const { stored } = await store.lodge(lodgeRequest());
    await early.raiseConcern({ ...concern, id: concernId('conversation-1', '2025-06-02T10:05:00.000Z', 'He said it again'), reference: stored.case.reference });
    await until(() => staff.delivered.length === 2);
    assert.deepEqual(staff.delivered[1], { kind: 'safeguarding-concern', reference: stored.case.reference }, 'with the case it was said about');
  });

  it('says a concern was not kept when Redis does not answer in time, rather than keeping the person waiting', async () => {
    const stalled = testEffectQueues({
      client,
      keys,
      cases: store,
      staff: new FlakyStaff(),
      // Nothing listens here: the queue's connection waits for a Redis that never comes.
      connection: {
        REDIS_URL: 'redis://127.0.0.1:1',
        REDIS_MODE: 'standalone',
        REDIS_NODES: [],
        REDIS_SENTINEL_MASTER: undefined,
        REDIS_COMMAND_TIMEOUT_MS: 300,
      },
    });
    running.push(stalled);
    const started = Date.now();
    await assert.rejects(
      stalled.raiseConcern({
        id: concernId('c', '2025-06-02T10:00:00.000Z', 'x'),
        note: 'x',
        raisedAt: '2025-06-02T10:00:00.000Z',
        reference: null,
        conversation: null,
      }),
      (error: Error) => error.name === 'StorageUnavailable',
    );
    assert.ok(Date.now() - started < 5000);
  });

  it('lists a job that fails every attempt, tells staff what did not get through, and tries it again when asked', async () => {
    const fewer: RetryPolicy = { ...QUICK, attempts: 4 };
    const staff = new FlakyStaff(Array.from({ length: fewer.attempts }, () => new Error('500 from Teams')));
    const effects = queues(staff, fewer);
    await effects.start();
    const { stored } = await store.lodge({ ...lodgeRequest(), events: [{ type: 'staff-alerted', alert: 'lodged' }] });
    await until(async () => (await effects.failed()).length === 1, 40_000);
    assert.equal((await effects.counts()).staff.failed, 1);
    // Teams is back by the time the failure is reported: staff hear of it in the case's thread.
    await until(() => staff.delivered.some((notice) => notice.kind === 'delivery-failed'));
    assert.deepEqual(staff.delivered, [{ kind: 'delivery-failed', reference: stored.case.reference }]);
    await effects.retryFailed();
    await until(() => staff.delivered.some((notice) => notice.kind === 'lodged'));
    assert.equal((await effects.counts()).staff.failed, 0);
  });

  it('tells staff when a message for the complainant could not be delivered after every attempt', async () => {
    const staff = new FlakyStaff();
    const effects = queues(staff, { ...QUICK, attempts: 2 }, failingMailer);
    await effects.start();
    // No chat to reach, and a mailer that never answers: the complainant part fails every time.
    const { stored } = await store.lodge({ ...lodgeRequest(), events: [{ type: 'complainant-told', notice: 'acknowledgement', text: null }] });
    await until(() => staff.delivered.some((notice) => notice.kind === 'delivery-failed'), 20_000);
    assert.equal(staff.delivered[0]?.reference, stored.case.reference);
  });
});
