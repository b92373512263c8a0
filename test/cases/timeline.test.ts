/**
 * A case's timeline as a pure function: when each moment falls (working days, the start of
 * working hours, London time), which are left out, what passing time does, and what it never
 * does twice.
 */
import { strict as assert } from 'node:assert';
import { type Case, deadlineRecord } from '../../src/cases/case.js';
import { AGREED_RESPONSE } from '../../src/cases/case-policy.js';
import { generateReference } from '../../src/cases/reference.js';
import { DEFAULT_TIMELINE_SETTINGS, momentsOf, nextWakeAt, owedDeadlines } from '../../src/cases/timeline.js';
import { passTime } from '../../src/cases/transitions/pass-time.js';
import { reopen } from '../../src/cases/transitions/reopen.js';
import { isRefusal } from '../../src/cases/transitions/transition.js';
import { newCase } from '../helpers/cases.js';
import { at, d, policy } from '../helpers/policy.js';

const settings = DEFAULT_TIMELINE_SETTINGS;

function aCase(overrides: Partial<Omit<Case, 'reference'>> = {}): Case {
  return { ...newCase(overrides), reference: generateReference() };
}

/** Stage 1 answered on Friday 16 May 2025: the 20 working days to ask for Stage 2 end on Monday 16 June (26 May a bank holiday). */
function answered(overrides: Partial<Omit<Case, 'reference'>> = {}): Case {
  const at16May = '2025-05-16T10:00:00+01:00';
  return aCase({
    status: 'responded',
    updatedAt: at16May,
    handler: { id: 'aaaaaaaa-0000-0000-0000-000000000001', name: 'Jo Bloggs' },
    responses: [{ stage: 'stage-1', at: at16May, text: 'Our response.', by: { kind: 'staff', id: 'staff-1', name: 'Jo Bloggs' }, outcome: 'not-upheld' }],
    ...overrides,
  });
}

describe('a case’s timeline', () => {
  it('puts each moment at 08:30 London on a working day, in summer time and in winter', () => {
    const moments = momentsOf(aCase(), policy, settings).map((moment) => [moment.key, moment.at.toISOString()]);
    assert.deepEqual(moments, [
      ['remind-3:stage-1:response:2025-06-16', '2025-06-11T07:30:00.000Z'],
      ['remind-1:stage-1:response:2025-06-16', '2025-06-13T07:30:00.000Z'],
      ['overdue:stage-1:response:2025-06-16', '2025-06-17T07:30:00.000Z'],
    ]);
    // Received Monday 1 December 2025: due Monday 15 December; the alert on Tuesday 16th at 08:30 GMT.
    const winter = aCase({
      deadlines: [deadlineRecord(policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: at('2025-12-01T10:00:00Z') }))],
    });
    assert.equal(momentsOf(winter, policy, settings).at(-1)?.at.toISOString(), '2025-12-16T08:30:00.000Z');
  });

  it('moves a moment that would fall on a weekend or bank holiday to the next working morning', () => {
    // Received Wednesday 24 December 2025: 25 and 26 December, the weekends and 1 January are skipped, so it is due
    // Monday 12 January 2026 and alerted the next working morning. Three working days before is Wednesday 7th.
    const christmas = aCase({
      deadlines: [deadlineRecord(policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: at('2025-12-24T10:00:00Z') }))],
    });
    const [due] = owedDeadlines(christmas, policy);
    assert.equal(due?.due, '2026-01-12');
    assert.equal(
      momentsOf(christmas, policy, settings)
        .find((moment) => moment.kind === 'overdue')
        ?.at.toISOString(),
      '2026-01-13T08:30:00.000Z',
    );
    assert.equal(momentsOf(christmas, policy, settings)[0]?.at.toISOString(), '2026-01-07T08:30:00.000Z');
  });

  it('leaves out a reminder that would fall on or before the day the deadline started counting', () => {
    // The NHS acknowledgement is due 3 working days after receipt: three days before is the day it came in.
    const received = at('2025-06-02T10:00:00+01:00');
    const acknowledgement = policy.acknowledgementDeadline({ procedure: 'nhs-health', received });
    assert.ok(acknowledgement);
    const nhs = aCase({
      procedure: 'nhs-health',
      route: 'provider',
      stage: 'local-resolution',
      deadlines: [deadlineRecord(policy.deadline({ procedure: 'nhs-health', stage: 'local-resolution', received }))],
      acknowledgement: { due: deadlineRecord(acknowledgement), acknowledgedAt: null },
    });
    const keys = momentsOf(nhs, policy, settings).map((moment) => moment.key);
    assert.ok(keys.includes('remind-1:ack:acknowledgement:2025-06-05'));
    assert.ok(!keys.some((key) => key.startsWith('remind-3:ack:')));
  });

  it('keeps the six-month duty to explain a delay when an earlier response date was agreed, and alerts both', () => {
    const received = at('2025-06-02T10:00:00+01:00');
    const duty = deadlineRecord(policy.deadline({ procedure: 'nhs-health', stage: 'local-resolution', received }));
    const agreed = { ...duty, timeLimit: AGREED_RESPONSE, kind: 'response' as const, due: d('2025-08-01'), endsAt: '2025-08-01T22:59:59.999Z' };
    const nhs = aCase({ procedure: 'nhs-health', route: 'provider', stage: 'local-resolution', deadlines: [duty, agreed] });
    assert.deepEqual(
      owedDeadlines(nhs, policy).map((owed) => [owed.record.timeLimit, owed.due]),
      [
        [AGREED_RESPONSE, '2025-08-01'],
        ['response', '2025-12-01'],
      ],
    );
    const overdue = momentsOf(nhs, policy, settings).filter((moment) => moment.kind === 'overdue');
    assert.equal(overdue.length, 2);
  });

  it('has nothing to come for a closed case, and the wake index drops it', () => {
    assert.equal(nextWakeAt(aCase({ status: 'closed' }), policy, settings), null);
  });

  it('does only the latest moment of a deadline after an outage, and nothing outside its time', () => {
    const value = aCase();
    assert.equal(passTime(value, { policy, settings, now: at('2025-06-11T08:29:00+01:00') }), null);
    const late = passTime(value, { policy, settings, now: at('2025-06-19T10:00:00+01:00') });
    assert.ok(late);
    assert.equal(late.event.type, 'overdue');
    assert.deepEqual(late.next.timeline.done.sort(), [
      'overdue:stage-1:response:2025-06-16',
      'remind-1:stage-1:response:2025-06-16',
      'remind-3:stage-1:response:2025-06-16',
    ]);
    assert.equal(passTime(late.next, { policy, settings, now: at('2025-06-19T10:05:00+01:00') }), null, 'once');
  });

  it('closes as resolved when the window to ask for the next stage has passed, and never again after staff reopen it', () => {
    const closing = passTime(answered(), { policy, settings, now: at('2025-06-17T08:30:00+01:00') });
    assert.ok(closing);
    assert.equal(closing.next.status, 'closed');
    assert.equal(closing.next.closure, 'window-passed', 'the figures count it as closed once the time to go further passed');
    assert.equal(closing.event.type, 'closed');
    assert.ok(closing.events.some((event) => event.type === 'complainant-told' && event.notice === 'closed'));
    const reopened = reopen(
      closing.next,
      { reason: 'They phoned to say they want Stage 2', message: null },
      {
        policy,
        now: at('2025-06-18T10:00:00+01:00'),
        staff: { id: 'aaaaaaaa-0000-0000-0000-000000000002', name: 'Ali Khan' },
        organisation: 'the council',
      },
    );
    assert.ok(!isRefusal(reopened));
    assert.equal(reopened.next.status, 'responded');
    assert.equal(passTime(reopened.next, { policy, settings, now: at('2025-06-19T08:30:00+01:00') }), null, 'not closed again, nor told again');
  });

  it('leaves a case with a safeguarding flag open when its window passes, and asks staff to decide', () => {
    const flagged = answered({
      flags: { safeguarding: { raisedAt: '2025-05-01T10:00:00+01:00', notes: ['he hits me'] }, late: null, standing: null, lateEscalation: null },
    });
    const change = passTime(flagged, { policy, settings, now: at('2025-06-17T08:30:00+01:00') });
    assert.ok(change);
    assert.equal(change.next.status, 'responded');
    assert.ok(!change.events.some((event) => event.type === 'complainant-told'));
    const told = change.events.find((event) => event.type === 'staff-reminded');
    assert.match(told?.type === 'staff-reminded' ? told.text : '', /was not closed automatically because words suggesting someone may be at risk/);
    assert.equal(passTime(change.next, { policy, settings, now: at('2025-06-18T08:30:00+01:00') }), null, 'asked once');
  });

  it('leaves a case open when its window passes if the complainant wrote after the response, and asks staff to read it', () => {
    const wrote = answered({ complainantLastWroteAt: '2025-05-20T18:00:00+01:00' });
    const change = passTime(wrote, { policy, settings, now: at('2025-06-17T08:30:00+01:00') });
    assert.ok(change);
    assert.equal(change.next.status, 'responded');
    const told = change.events.find((event) => event.type === 'staff-reminded');
    assert.match(told?.type === 'staff-reminded' ? told.text : '', /the complainant wrote after the response: read what they said/);
    // Written before the response: nothing to hold it for.
    const before = answered({ complainantLastWroteAt: '2025-05-10T18:00:00+01:00' });
    assert.equal(passTime(before, { policy, settings, now: at('2025-06-17T08:30:00+01:00') })?.next.status, 'closed');
  });

  it('uses the organisation’s settings: other working hours and reminder days', () => {
    const keys = momentsOf(aCase(), policy, {
      workingHours: { startsAt: 9 * 3600, endsAt: 17 * 3600 },
      staffReminderDays: [5],
      complainantReminderDays: 0,
    }).map((moment) => [moment.key, moment.at.toISOString()]);
    assert.deepEqual(keys, [
      ['remind-5:stage-1:response:2025-06-16', '2025-06-09T08:00:00.000Z'],
      ['overdue:stage-1:response:2025-06-16', '2025-06-17T08:00:00.000Z'],
    ]);
  });
});
