import { strict as assert } from 'node:assert';
import { type Case, deadlineRecord, type StoredCase } from '../../src/cases/case.js';
import { DEFAULT_TIMELINE_SETTINGS } from '../../src/cases/timeline.js';
import { isRefusal } from '../../src/cases/transitions/transition.js';
import { respond } from '../../src/cases/transitions/respond.js';
import { RecordingNotifier } from '../../src/notifications/recording-notifier.js';
import { silentLogger } from '../../src/ports/logger.js';
import type { EffectQueues } from '../../src/storage/redis/effect-queues.js';
import type { RedisKeys } from '../../src/storage/redis/keys.js';
import type { RedisCaseStore } from '../../src/storage/redis/redis-case-store.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { Timekeeper } from '../../src/timekeeping/timekeeper.js';
import { recountOpenCases } from '../../src/timekeeping/calendar-change.js';
import { createEscalationPolicy, createWorkingDayCalendar } from '../../src/policy/index.js';
import shippedSnapshot from '../../src/policy/calendar/data/england-and-wales.json';
import { change, lodgeRequest } from '../helpers/cases.js';
import { RecordingMailer, testEffectQueues } from '../helpers/effects.js';
import { at, d, policy } from '../helpers/policy.js';
import { productClient, redisCaseStore, removeKeys, testKeys } from '../helpers/redis.js';

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('deadlines that act, over Redis with a walking clock', function () {
  this.timeout(60_000);
  let client: RedisClient;
  let keys: RedisKeys;
  let store: RedisCaseStore;
  let queues: EffectQueues | null = null;
  const clock = { time: new Date(0), now: (): Date => clock.time };

  before(async () => {
    client = await productClient();
  });

  beforeEach(async () => {
    keys = testKeys('timekeeper', 4);
    store = await redisCaseStore(client, keys);
  });

  afterEach(async () => {
    await queues?.close();
    queues = null;
    await removeKeys(client, keys.prefix);
  });

  after(() => {
    client.disconnect();
  });

  function timekeeper(digests: EffectQueues | null = null): Timekeeper {
    return new Timekeeper({
      cases: store,
      policy,
      settings: DEFAULT_TIMELINE_SETTINGS,
      clock,
      log: silentLogger,
      digest: digests ? { at: 9 * 3600, digests } : null,
    });
  }

  /** Moves the clock and sweeps; answers what the sweep did. */
  async function sweepAt(iso: string) {
    clock.time = at(iso);
    return timekeeper().sweep();
  }

  it('walks a children’s services case from lodging to "resolved at Stage 1": reminders, overdue alert, apology, window reminder, closing', async () => {
    const staff = new RecordingNotifier();
    const mailer = new RecordingMailer();
    queues = testEffectQueues({ client, keys, cases: store, staff, mailer });
    await queues.start();
    // Lodged on Monday 2 June 2025; Stage 1's response is due on Monday 16 June (10 working days).
    const { stored } = await store.lodge(lodgeRequest());
    const reference = stored.case.reference;
    const reminders = () => staff.notices.flatMap((notice) => (notice.kind === 'time-passed' ? [notice] : []));

    assert.equal((await sweepAt('2025-06-10T12:00:00+01:00')).changed, 0, 'nothing is due a week before');
    // Three working days before the 16th is Wednesday 11 June, at the start of working hours (08:30 London).
    assert.equal((await sweepAt('2025-06-11T08:29:00+01:00')).changed, 0, 'not before working hours begin');
    assert.equal((await sweepAt('2025-06-11T08:30:00+01:00')).changed, 1);
    assert.equal((await sweepAt('2025-06-11T08:31:00+01:00')).changed, 0, 'once');
    await until(() => reminders().length === 1);
    const first = reminders()[0];
    assert.ok(first);
    assert.equal(first.moment, 'reminder');
    assert.match(first.text, /the response \(Stage 1[^)]*\) is due Monday 16 June 2025 \(in 3 working days\)\. Nobody is assigned/);
    assert.equal(first.assignee, null);

    // Someone takes the case: the next reminder (Friday 13 June, one working day before) goes to them too.
    const current = (await store.get(reference)) as StoredCase;
    await store.update(
      current,
      change(current, (value) => {
        value.status = 'awaiting-response';
        value.handler = { id: '29:staff-one', name: 'Jo Bloggs' };
      }),
    );
    assert.equal((await sweepAt('2025-06-12T16:00:00+01:00')).changed, 0);
    assert.equal((await sweepAt('2025-06-13T08:30:00+01:00')).changed, 1);
    await until(() => reminders().length === 2);
    const second = reminders()[1];
    assert.ok(second);
    assert.deepEqual(second.assignee, { id: '29:staff-one', name: 'Jo Bloggs' });
    assert.match(second.text, /in 1 working day\)\. Assigned to Jo Bloggs\./);

    // The weekend and Monday pass; on Tuesday 17 June at 08:30 the response is late.
    assert.equal((await sweepAt('2025-06-16T17:00:00+01:00')).changed, 0);
    assert.equal((await sweepAt('2025-06-17T08:30:00+01:00')).changed, 1);
    await until(() => reminders().length === 3 && mailer.sent.some((message) => message.notice === 'late'));
    const overdue = reminders()[2];
    assert.ok(overdue);
    assert.equal(overdue.moment, 'overdue');
    assert.match(overdue.text, /^OVERDUE: the response \(Stage 1[^)]*\) was due Monday 16 June 2025\./);
    await until(() => staff.notices.some((notice) => notice.kind === 'changed'));
    // The complainant is told by their preference (email), without the complaint's words; their chat keeps the apology.
    const late = mailer.sent.find((message) => message.notice === 'late');
    assert.equal(late?.to, 'sam.taylor@example.org');
    assert.equal(late.content, null);
    const kept = (await store.get(reference))?.case.undelivered ?? [];
    assert.match(kept.at(-1)?.text ?? '', /we are late\.\*\*\n\nYou don’t have to wait: you can ask for your complaint to go to Stage 2/);

    // The response goes on Wednesday 18 June; the 20 working days to ask for Stage 2 end on Wednesday 16 July.
    const before = (await store.get(reference)) as StoredCase;
    const responded = respond(
      before.case,
      { text: 'We are sorry for the missed visits.', outcome: 'partly-upheld' },
      { policy, now: at('2025-06-18T10:00:00+01:00'), staff: { id: '29:staff-one', name: 'Jo Bloggs' }, organisation: 'the council' },
    );
    assert.ok(!isRefusal(responded));
    await store.update(before, { next: responded.next, event: responded.event, events: [], idempotencyKey: 'respond' });
    // Five working days before 16 July is Wednesday 9 July.
    assert.equal((await sweepAt('2025-07-09T08:29:00+01:00')).changed, 0);
    assert.equal((await sweepAt('2025-07-09T08:30:00+01:00')).changed, 1);
    await until(() => mailer.sent.some((message) => message.notice === 'window-closing'));
    assert.match(
      (await store.get(reference))?.case.undelivered.at(-1)?.text ?? '',
      /ask for it to go to Stage 2[^.]* until Wednesday 16 July 2025\. Type "take my complaint further"/,
    );

    // Nobody asked: on Thursday 17 July at 08:30 the case closes as resolved at Stage 1.
    assert.equal((await sweepAt('2025-07-16T23:00:00+01:00')).changed, 0);
    assert.equal((await sweepAt('2025-07-17T08:30:00+01:00')).changed, 1);
    const closed = (await store.get(reference)) as StoredCase;
    assert.equal(closed.case.status, 'closed');
    const history = await store.history(reference);
    assert.match(history.at(-1)?.summary ?? '', /^Resolved at Stage 1: [^:]+: no request for Stage 2: .+ by 2025-07-16$/);
    assert.equal(history.at(-1)?.type, 'closed');
    await until(() => reminders().some((notice) => notice.moment === 'resolved'));
    await until(() => mailer.sent.some((message) => message.notice === 'closed'));
    // Nothing is left to happen: the case has left the wake index.
    assert.deepEqual(await store.dueToWake(at('2030-01-01T00:00:00Z')), []);
    // Each moment once: three reminders or alerts, one closing.
    assert.deepEqual(
      reminders().map((notice) => notice.moment),
      ['reminder', 'reminder', 'overdue', 'resolved'],
    );
  });

  it('reminds of an NHS acknowledgement (3 working days) and of the 6-month duty to explain a delay; the complainant hears only of the second', async () => {
    const staff = new RecordingNotifier();
    const mailer = new RecordingMailer();
    queues = testEffectQueues({ client, keys, cases: store, staff, mailer });
    await queues.start();
    const received = at('2025-06-02T10:00:00+01:00');
    const duty = policy.deadline({ procedure: 'nhs-health', stage: 'local-resolution', received });
    const acknowledgement = policy.acknowledgementDeadline({ procedure: 'nhs-health', received });
    assert.ok(acknowledgement);
    const { stored } = await store.lodge(
      lodgeRequest({
        case: {
          procedure: 'nhs-health',
          route: 'provider',
          stage: 'local-resolution',
          deadlines: [deadlineRecord(duty)],
          acknowledgement: { due: deadlineRecord(acknowledgement), acknowledgedAt: null },
        },
      }),
    );
    const reference = stored.case.reference;
    const reminders = () => staff.notices.flatMap((notice) => (notice.kind === 'time-passed' ? [notice] : []));
    // Acknowledged by Thursday 5 June: the three-days-before reminder would fall on the day it came in, so only the one-day one is sent.
    assert.equal((await sweepAt('2025-06-03T12:00:00+01:00')).changed, 0);
    assert.equal((await sweepAt('2025-06-04T08:30:00+01:00')).changed, 1);
    assert.equal((await sweepAt('2025-06-06T08:30:00+01:00')).changed, 1);
    await until(() => reminders().length === 2);
    assert.match(reminders()[0]?.text ?? '', /^Reminder: the acknowledgement is due Thursday 5 June 2025 \(in 1 working day\)/);
    assert.match(reminders()[1]?.text ?? '', /^OVERDUE: the acknowledgement was due Thursday 5 June 2025\./);
    assert.ok(!mailer.sent.some((message) => message.notice === 'late'), 'a late acknowledgement is ours to put right, not news for the complainant');

    // Six months beginning with 2 June end on Monday 1 December 2025: reminders on 26 and 28 November, the alert on Tuesday 2 December.
    assert.equal((await sweepAt('2025-11-26T08:30:00Z')).changed, 1);
    assert.equal((await sweepAt('2025-11-28T08:30:00Z')).changed, 1);
    assert.equal((await sweepAt('2025-12-01T17:00:00Z')).changed, 0);
    assert.equal((await sweepAt('2025-12-02T08:30:00Z')).changed, 1);
    await until(() => reminders().length === 5 && mailer.sent.some((message) => message.notice === 'late'));
    assert.match(
      reminders()[4]?.text ?? '',
      /^OVERDUE: the response, or a letter explaining the delay .* was due Monday 1 December 2025\. The complainant must be told in writing why/,
    );
    const apology = (await store.get(reference))?.case.undelivered.at(-1)?.text ?? '';
    assert.match(apology, /six months have passed \(on Monday 1 December 2025\) without our response/);
    // NHS local resolution is the only stage: what they can do now is the ombudsman.
    assert.match(apology, /Parliamentary and Health Service Ombudsman/);
  });

  it('posts one digest on the Monday after a bank holiday weekend, however many instances sweep, and none on the holiday', async () => {
    const staff = new RecordingNotifier();
    queues = testEffectQueues({ client, keys, cases: store, staff, clock });
    await queues.start();
    const lodgedOn = async (iso: string, edit: Partial<Omit<Case, 'reference'>> = {}) => {
      const received = at(iso);
      const deadline = policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received });
      return (await store.lodge(lodgeRequest({ case: { deadlines: [deadlineRecord(deadline)], lodgedAt: iso, updatedAt: iso, ...edit } }))).stored;
    };
    // Due Wednesday 30 December 2026 (overdue by the Monday), assigned.
    const overdue = await lodgedOn('2026-12-14T10:00:00Z', {
      status: 'awaiting-response',
      handler: { id: 'aaaaaaaa-0000-0000-0000-000000000001', name: 'Jo' },
    });
    // Due Friday 8 January 2027: this week; nobody has it.
    const thisWeek = await lodgedOn('2026-12-22T10:00:00Z');
    // Due Thursday 14 January; nobody has it, and it came in late: a decision waits.
    const waiting = await lodgedOn('2026-12-30T10:00:00Z', {
      flags: { safeguarding: null, late: { limitEndedOn: d('2026-11-30'), reason: null, decision: 'pending' }, standing: null, lateEscalation: null },
    });

    // New Year's Day is a Friday bank holiday: no digest then, nor at the weekend.
    for (const iso of ['2027-01-01T09:30:00Z', '2027-01-02T09:30:00Z', '2027-01-03T09:30:00Z', '2027-01-04T08:59:00Z']) {
      assert.equal((await sweepAt(iso)).digest, false, iso);
    }
    clock.time = at('2027-01-04T09:00:00Z');
    const sweeps = await Promise.all([timekeeper(queues).sweep(), timekeeper(queues).sweep(), timekeeper(queues).sweep()]);
    assert.ok(
      sweeps.every((result) => result.digest),
      'every instance asks',
    );
    const digests = () => staff.notices.flatMap((notice) => (notice.kind === 'digest' ? [notice.digest] : []));
    await until(() => digests().length > 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(digests().length, 1, 'one is posted');
    const digest = digests()[0];
    assert.ok(digest);
    assert.equal(digest.date, '2027-01-04');
    assert.deepEqual(digest.counts, { dueThisWeek: 1, overdue: 1, unassigned: 2, decisionsWaiting: 1 });
    assert.deepEqual(
      digest.urgent.map((entry) => [entry.reference.replace(/-/g, ''), entry.due, entry.overdue]),
      [
        [overdue.case.reference, '2026-12-30', true],
        [thisWeek.case.reference, '2027-01-08', false],
        [waiting.case.reference, '2027-01-14', false],
      ],
    );
    assert.deepEqual(digest.urgent[2]?.decisions, ['late complaint: consider it or not']);
  });

  it('counts open cases again under a new bank holiday calendar: the deadline moves, its history says both versions, staff hear which moved', async () => {
    const staff = new RecordingNotifier();
    const mailer = new RecordingMailer();
    queues = testEffectQueues({ client, keys, cases: store, staff, mailer });
    await queues.start();
    // Lodged 2 June 2025 under the shipped calendar: Stage 1's response is due Monday 16 June.
    const { stored } = await store.lodge(lodgeRequest());
    const closed = (await store.lodge(lodgeRequest({ case: { status: 'closed' } }))).stored;
    // One the policy cannot read: named to staff, and the rest still counted.
    const broken = (await store.lodge(lodgeRequest({ case: { procedure: 'no-such-procedure' } }))).stored;
    // A new list adds a one-off bank holiday on Friday 13 June 2025.
    const snapshot = structuredClone(shippedSnapshot) as {
      version: string;
      division: { events: { title: string; date: string; notes: string; bunting: boolean }[] };
    };
    snapshot.version = '2026-12-03.test';
    snapshot.division.events.push({ title: 'A one-off bank holiday', date: '2025-06-13', notes: '', bunting: true });
    const changed = createEscalationPolicy({ calendar: createWorkingDayCalendar(snapshot) });
    const progress: (readonly string[])[] = [];
    const deps = { cases: store, policy: changed, clock: { now: () => at('2025-06-05T12:00:00+01:00') }, log: silentLogger, notices: queues };
    const result = await recountOpenCases(deps, [], async (moved) => {
      progress.push(moved);
      await Promise.resolve();
    });
    assert.deepEqual(result.moved, [stored.case.reference]);
    assert.deepEqual(result.failed, [broken.case.reference]);
    assert.equal(result.checked, 2, 'a closed case owes nothing and waits for nothing');
    const after = (await store.get(stored.case.reference)) as StoredCase;
    assert.equal(after.case.deadlines.at(-1)?.due, '2025-06-17');
    assert.equal(after.case.deadlines.at(-1)?.calendarVersion, '2026-12-03.test+computed-2029');
    assert.equal((await store.get(closed.case.reference))?.version, 1, 'the closed case is untouched');
    const history = await store.history(stored.case.reference);
    assert.equal(history.at(-1)?.summary, 'Bank holiday calendar changed: response 2025-06-16 → 2025-06-17');
    assert.deepEqual(history.at(-1)?.details['calendar'], { from: '2026-11-22.50b519d8+computed-2029', to: '2026-12-03.test+computed-2029' });
    assert.deepEqual(progress, [[stored.case.reference]]);
    // Run again (another instance, or a retry after a crash): nothing is changed twice, and the post names the same cases.
    const again = await recountOpenCases(deps, progress.at(-1) ?? [], () => Promise.resolve());
    assert.deepEqual(again.moved, [stored.case.reference]);
    assert.equal((await store.history(stored.case.reference)).length, history.length);
    await until(() => staff.notices.some((notice) => notice.kind === 'calendar-changed'));
    await until(() => mailer.sent.some((message) => message.notice === 'deadline-changed'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const posts = staff.notices.flatMap((notice) => (notice.kind === 'calendar-changed' ? [notice] : []));
    assert.equal(posts.length, 1, 'one post per calendar version');
    assert.deepEqual(
      posts[0]?.moved.map((entry) => entry.reference),
      [stored.case.reference],
    );
    assert.deepEqual(posts[0].failed, [broken.case.reference]);
    assert.equal(mailer.sent.find((message) => message.notice === 'deadline-changed')?.respondBy, 'Tuesday 17 June 2025');
    // The timeline follows the new date: no alert on the 17th, and the alert on Wednesday 18 June.
    const keeper = new Timekeeper({ cases: store, policy: changed, settings: DEFAULT_TIMELINE_SETTINGS, clock, log: silentLogger, digest: null });
    clock.time = at('2025-06-17T08:30:00+01:00');
    await keeper.sweep();
    assert.ok(!(await store.history(stored.case.reference)).some((event) => event.type === 'overdue'));
    clock.time = at('2025-06-18T08:30:00+01:00');
    await keeper.sweep();
    assert.match((await store.history(stored.case.reference)).at(-1)?.summary ?? '', /^Overdue: .* due 2025-06-17$/);
  });

  it('sets a case it cannot read aside for an hour without holding up the others, and drops one that is gone', async () => {
    const broken = (await store.lodge(lodgeRequest({ case: { procedure: 'no-such-procedure' } }))).stored;
    await store.lodge(lodgeRequest());
    const gone = (await store.lodge(lodgeRequest())).stored;
    await client.del(keys.case(gone.case.reference));
    const first = await sweepAt('2025-06-11T08:30:00+01:00');
    assert.deepEqual([first.changed, first.failed, first.rescheduled], [1, 1, 1]);
    assert.equal((await sweepAt('2025-06-11T08:35:00+01:00')).failed, 0, 'set aside');
    assert.equal((await sweepAt('2025-06-11T09:31:00+01:00')).failed, 1, 'tried again after the hour');
    assert.equal(await client.zscore(keys.wakeIndex(keys.shardOfReference(gone.case.reference)), gone.case.reference), null);
    assert.equal((await store.get(broken.case.reference))?.version, 1, 'nothing was written to it');
  });

  it('moves the moments with the deadline: after an extension the old date’s alert never fires, and the new date’s does', async () => {
    const { stored } = await store.lodge(lodgeRequest());
    const reference = stored.case.reference;
    // The deadline moves to Monday 30 June before the first reminder.
    const moved = structuredClone(stored.case.deadlines[0]);
    assert.ok(moved);
    await store.update(
      stored,
      change(stored, (value) => {
        value.deadlines.push({ ...moved, due: d('2025-06-30'), endsAt: '2025-06-30T22:59:59.999Z', extended: true });
      }),
    );
    assert.equal((await sweepAt('2025-06-11T08:30:00+01:00')).changed, 0, 'the reminder for the 16th is gone');
    assert.equal((await sweepAt('2025-06-17T08:30:00+01:00')).changed, 0, 'no alert for the old date');
    // Three working days before 30 June is Wednesday 25 June.
    assert.equal((await sweepAt('2025-06-25T08:30:00+01:00')).changed, 1);
    const history = await store.history(reference);
    assert.match(history.at(-1)?.summary ?? '', /due 2025-06-30$/);
  });

  it('after an outage, does only the latest moment of a deadline: the alert, not the reminders it overtook', async () => {
    const { stored } = await store.lodge(lodgeRequest());
    assert.equal((await sweepAt('2025-06-20T09:00:00+01:00')).changed, 1);
    const history = await store.history(stored.case.reference);
    const last = history.at(-1);
    assert.equal(last?.type, 'overdue');
    assert.deepEqual(last.details['moments'], ['overdue:stage-1:response:2025-06-16']);
    assert.deepEqual(last.details['passedOver'], ['remind-3:stage-1:response:2025-06-16', 'remind-1:stage-1:response:2025-06-16']);
    assert.equal((await sweepAt('2025-06-20T09:01:00+01:00')).changed, 0);
  });

  it('does each moment once when several sweeps run at the same time', async () => {
    const lodged = await Promise.all(Array.from({ length: 30 }, () => store.lodge(lodgeRequest())));
    clock.time = at('2025-06-11T08:30:00+01:00');
    const results = await Promise.all(Array.from({ length: 3 }, () => timekeeper().sweep()));
    assert.equal(
      results.reduce((sum, result) => sum + result.changed, 0),
      30,
    );
    for (const { stored } of lodged) {
      const history = await store.history(stored.case.reference);
      assert.equal(history.filter((event) => event.type === 'reminded').length, 1);
    }
  });
});
