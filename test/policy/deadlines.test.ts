import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  ExtensionNotAllowed,
  fromDayNumber,
  InvalidInstant,
  isWorkingDay,
  type LocalDate,
  toDayNumber,
  UnknownProcedure,
  UnknownStage,
  UnknownTimeLimit,
  workingDaysBetween,
} from '../../src/policy/index.js';
import { londonDateOf, londonWallTimeToUtc } from '../helpers/london-oracle.js';
import { at, d, policy } from '../helpers/policy.js';

const cal = policy.calendar;

function workingDayOnOrBefore(date: LocalDate): LocalDate {
  let day = toDayNumber(date);
  while (!isWorkingDay(cal, fromDayNumber(day))) day -= 1;
  return fromDayNumber(day);
}

function due(procedure: string, stage: string, received: string, extra: { extended?: boolean; cutOff?: string; timeLimit?: string } = {}): LocalDate {
  return policy.deadline({ procedure, stage, received: at(received), ...extra }).due;
}

/** Every (procedure, stage, time limit) counted in working days from the stage's start. */
const workingDayRules = policy
  .procedures()
  .flatMap((procedure) =>
    procedure.stages.flatMap((stage) =>
      stage.timeLimits
        .filter((limit) => limit.unit === 'working-days' && limit.counts === 'from-stage-start')
        .map((limit) => ({ procedure: procedure.id, stage: stage.id, timeLimit: limit.id, amount: limit.amount })),
    ),
  );

describe('response deadlines', () => {
  describe('worked examples', () => {
    it('gives 30 working days for an NHS Choices response', () => {
      assert.equal(due('nhs-choices', 'service-desk', '2025-06-02T10:00:00+01:00'), '2025-07-14');
    });

    it('skips Christmas, Boxing Day and New Year’s Day', () => {
      assert.equal(due('la-childrens-services', 'stage-1', '2025-12-22T11:00:00Z'), '2026-01-08');
    });

    it('skips the Boxing Day substitute day on Monday 28 December 2026', () => {
      assert.equal(due('la-childrens-services', 'stage-1', '2026-12-24T11:00:00Z'), '2027-01-12');
    });

    it('counts from the 2026 Boxing Day substitute itself when received on it: the next day is working day 1', () => {
      const deadline = policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: at('2026-12-28T10:00:00Z') });
      assert.equal(deadline.start.countsFrom, '2026-12-28');
      assert.equal(deadline.start.moved, null);
      assert.equal(deadline.due, '2027-01-12');
    });

    it('skips both 2027 Christmas substitutes and the 2028 New Year substitute', () => {
      assert.equal(due('la-childrens-services', 'stage-1', '2027-12-24T10:00:00Z'), '2028-01-12');
    });

    it('skips Good Friday and Easter Monday; received on Good Friday, Easter Tuesday is working day 1', () => {
      const before = policy.acknowledgementDeadline({ procedure: 'nhs-health', received: at('2026-04-02T15:00:00+01:00') });
      assert.equal(before?.due, '2026-04-09');
      const onGoodFriday = policy.acknowledgementDeadline({ procedure: 'nhs-health', received: at('2026-04-03T09:00:00+01:00') });
      assert.equal(onGoodFriday?.start.countsFrom, '2026-04-03');
      assert.equal(onGoodFriday.due, '2026-04-09');
    });

    it('counts a Saturday receipt from the Saturday: Monday is working day 1, not day 0', () => {
      const deadline = policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: at('2025-06-07T10:00:00+01:00') });
      assert.equal(deadline.start.receivedOn, '2025-06-07');
      assert.equal(deadline.start.countsFrom, '2025-06-07');
      assert.equal(deadline.start.moved, null);
      assert.equal(deadline.due, '2025-06-20');
      assert.equal(deadline.counting.convention, 'after');
      assert.match(
        deadline.explanation,
        /^It was received on Saturday 7 June 2025\. The day it was received is not counted; the deadline is the end of the 10th working day after it, Friday 20 June 2025\./,
      );
    });

    it('reads an instant just after midnight BST as the London day', () => {
      // Friday 23:30 BST is still Friday; Saturday 00:30 BST is the weekend, though UTC still says Friday.
      assert.equal(
        policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: at('2025-06-06T22:30:00Z') }).start.receivedOn,
        '2025-06-06',
      );
      assert.equal(
        policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: at('2025-06-06T23:30:00Z') }).start.receivedOn,
        '2025-06-07',
      );
    });

    it('counts from the next day when received after the organisation’s cut-off, and names it a local choice', () => {
      assert.equal(
        policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: at('2025-04-03T17:00:00+01:00'), cutOff: '17:00' }).start.countsFrom,
        '2025-04-03',
      );
      const late = policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: at('2025-04-03T17:30:00+01:00'), cutOff: '17:00' });
      assert.equal(late.start.countsFrom, '2025-04-04');
      assert.equal(late.start.moved?.reason, 'after-cut-off');
      assert.match(
        late.explanation,
        /but it came in at 17:30, after the organisation’s 17:00 cut-off \(a local choice, not the law\), so it counts as received the next day, Friday 4 April 2025/,
      );
      // Friday evening counts as Saturday, whose next working day is the same Monday a Friday receipt has as day 1.
      const friday = policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: at('2025-04-04T18:00:00+01:00'), cutOff: '17:00' });
      assert.equal(friday.start.countsFrom, '2025-04-05');
      assert.equal(friday.due, policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: at('2025-04-04T12:00:00+01:00') }).due);
    });

    it('applies the longest extension the procedure allows, and refuses one where it allows none', () => {
      const extended = policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: at('2025-06-02T10:00:00+01:00'), extended: true });
      assert.equal(extended.rule.amount, 20);
      assert.equal(extended.rule.standardAmount, 10);
      assert.equal(extended.rule.extended, true);
      assert.equal(workingDaysBetween(cal, d('2025-06-02'), extended.due), 20);
      assert.equal(
        policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-2', received: at('2025-06-02T10:00:00+01:00'), extended: true }).rule.amount,
        65,
      );
      assert.throws(
        () => policy.deadline({ procedure: 'nhs-choices', stage: 'stage-one', received: at('2025-06-02T10:00:00+01:00'), extended: true }),
        ExtensionNotAllowed,
      );
    });

    it('dates the Review Panel meeting in working days (the law), then its report and the council’s response', () => {
      const panel = policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-3', received: at('2025-06-02T10:00:00+01:00') });
      assert.equal(panel.timeLimit, 'panel-meeting');
      assert.equal(panel.due, '2025-07-14');
      assert.equal(panel.citation.source, 'law');
      assert.deepEqual(
        panel.then.map((event) => [event.timeLimit, event.due]),
        [
          ['panel-report', '2025-07-21'],
          ['council-response', '2025-08-11'],
        ],
      );
      assert.equal(due('la-childrens-services', 'stage-3', '2025-07-14T15:00:00+01:00', { timeLimit: 'panel-report' }), '2025-07-21');
    });

    it('dates a stage’s response through the steps before it, each taking its full time', () => {
      const panel = policy.responseDeadline({ procedure: 'la-childrens-services', stage: 'stage-3', stageStartedAt: at('2025-06-02T10:00:00+01:00') });
      assert.equal(panel.timeLimit, 'council-response');
      assert.equal(panel.due, '2025-08-11');
      assert.match(panel.explanation, /^It counts from the day the Review Panel sends its report, Monday 21 July 2025\./);
      const extended = policy.responseDeadline({
        procedure: 'la-childrens-services',
        stage: 'stage-1',
        stageStartedAt: at('2025-06-02T10:00:00+01:00'),
        extended: true,
      });
      assert.equal(extended.due, '2025-06-30');
    });

    it('ends the NHS six months “commencing on the day of receipt” the day before the six-month date', () => {
      const deadline = policy.deadline({ procedure: 'nhs-health', stage: 'local-resolution', received: at('2025-09-30T10:00:00+01:00') });
      assert.equal(deadline.due, '2026-03-29');
      assert.equal(deadline.counting.convention, 'beginning-with');
      assert.match(deadline.explanation, /begin with the day it was received, so they end the day before the same date in the later month/);
      assert.equal(due('nhs-health', 'local-resolution', '2025-08-29T10:00:00+01:00'), '2026-02-28');
    });

    it('counts month limits from the day received even at a weekend, and ends them on a shorter month’s last day', () => {
      const sunday = policy.deadline({ procedure: 'nhs-health', stage: 'local-resolution', received: at('2025-08-31T10:00:00+01:00') });
      assert.equal(sunday.start.countsFrom, '2025-08-31');
      assert.equal(sunday.start.moved, null);
      assert.equal(sunday.due, '2026-02-28');
    });

    it('gives an acknowledgement deadline only where the procedure sets one', () => {
      assert.equal(policy.acknowledgementDeadline({ procedure: 'nhs-health', received: at('2025-06-02T10:00:00+01:00') })?.due, '2025-06-05');
      assert.equal(policy.acknowledgementDeadline({ procedure: 'nhs-choices', received: at('2025-06-02T10:00:00+01:00') }), null);
      assert.equal(policy.acknowledgementDeadline({ procedure: 'la-childrens-services', received: at('2025-06-02T10:00:00+01:00') }), null);
    });

    it('flags a deadline that runs past the last year of the calendar, and says so', () => {
      const late = policy.deadline({ procedure: 'nhs-choices', stage: 'stage-one', received: at('2029-12-20T10:00:00Z') });
      assert.equal(late.beyondCalendarCoverage, true);
      assert.ok(late.due > cal.coversThrough);
      assert.match(late.explanation, /last day our bank holiday list covers/);
      assert.equal(policy.deadline({ procedure: 'nhs-choices', stage: 'stage-one', received: at('2030-03-01T10:00:00Z') }).beyondCalendarCoverage, true);
      assert.equal(policy.deadline({ procedure: 'nhs-choices', stage: 'stage-one', received: at('2029-10-01T10:00:00+01:00') }).beyondCalendarCoverage, false);
      // The panel meets in 2029, but the council's response falls in 2030: the whole result is flagged.
      const panel = policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-3', received: at('2029-11-01T10:00:00Z') });
      assert.ok(panel.due <= cal.coversThrough);
      assert.equal(panel.then.at(-1)?.beyondCalendarCoverage, true);
      assert.equal(panel.beyondCalendarCoverage, true);
    });

    it('counts 2029 with its computed bank holidays, flagged as computed, so no deadline falls on one', () => {
      // Received Thursday 29 March 2029: Good Friday 30 March and Easter Monday 2 April (computed) are skipped.
      const easter = policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: at('2029-03-29T10:00:00+01:00') });
      assert.equal(easter.due, '2029-04-16');
      assert.equal(easter.computedHolidays, true);
      assert.equal(easter.beyondCalendarCoverage, false);
      assert.match(easter.calendarVersion, /\+computed-2029$/);
      assert.match(easter.explanation, /GOV\.UK has not yet published the bank holidays/);
      const published = policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: at('2028-06-01T10:00:00+01:00') });
      assert.equal(published.computedHolidays, false);
      assert.doesNotMatch(published.explanation, /not yet published/);
      // Across the new year: counted through the computed New Year's Day, Monday 1 January 2029.
      assert.equal(policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: at('2028-12-20T10:00:00Z') }).computedHolidays, true);
    });
  });

  describe('provenance', () => {
    it('carries the rule, citation, start, amount, unit and calendar version', () => {
      const deadline = policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-2', received: at('2025-06-02T10:00:00+01:00') });
      assert.equal(deadline.calendarVersion, cal.version);
      assert.equal(deadline.calendar, 'england-and-wales');
      assert.equal(deadline.rule.amount, 25);
      assert.equal(deadline.rule.unit, 'working-days');
      assert.match(deadline.citation.reference, /reg 17/);
      assert.equal(deadline.start.received, '2025-06-02T09:00:00.000Z');
      assert.equal(deadline.start.countsFrom, '2025-06-02');
      assert.equal(deadline.dueText, 'Monday 7 July 2025');
      assert.equal(deadline.endsAt, '2025-07-07T22:59:59.999Z');
      assert.equal(deadline.counting.convention, 'after');
      assert.match(deadline.counting.text, /not counted/);
      assert.match(deadline.explanation, /not counted; the deadline is the end of the 25th working day after it/);
    });
  });

  describe('mistakes', () => {
    it('names an unknown procedure, stage or time limit', () => {
      assert.throws(() => due('nhs-dentistry', 'stage-1', '2025-06-02T10:00:00Z'), UnknownProcedure);
      assert.throws(
        () => due('nhs-choices', 'stage-1', '2025-06-02T10:00:00Z'),
        (error: Error) => error instanceof UnknownStage && /stage-one/.test(error.message),
      );
      assert.throws(() => due('nhs-choices', 'stage-one', '2025-06-02T10:00:00Z', { timeLimit: 'panel' }), UnknownTimeLimit);
    });

    it('refuses an invalid received time rather than computing nonsense', () => {
      assert.throws(() => policy.deadline({ procedure: 'nhs-choices', stage: 'stage-one', received: new Date('not a date') }), InvalidInstant);
    });
  });

  describe('properties', () => {
    const dayInRange = fc.integer({ min: toDayNumber(d('2020-01-01')), max: toDayNumber(d('2028-09-30')) }).map(fromDayNumber);
    // Times of day away from 01:00-02:00, where the clocks change.
    const secondOfDay = fc.oneof(fc.integer({ min: 0, max: 3599 }), fc.integer({ min: 7200, max: 86_399 }));
    const rule = fc.constantFrom(...workingDayRules);

    it('always gives a working day for a working-day rule', () => {
      fc.assert(
        fc.property(dayInRange, secondOfDay, rule, (date, second, limit) => {
          const received = new Date(londonWallTimeToUtc(date, second));
          return isWorkingDay(cal, policy.deadline({ ...limit, received }).due);
        }),
      );
    });

    it('counts exactly the rule’s number of working days after day 0', () => {
      fc.assert(
        fc.property(dayInRange, secondOfDay, rule, (date, second, limit) => {
          const deadline = policy.deadline({ ...limit, received: new Date(londonWallTimeToUtc(date, second)) });
          return workingDaysBetween(cal, deadline.start.countsFrom, deadline.due) === limit.amount;
        }),
      );
    });

    it('counts from the London date of receipt, whatever day it is, so a weekend receipt is due with the Friday’s', () => {
      const nonWorkingDay = dayInRange.filter((date) => !isWorkingDay(cal, date));
      fc.assert(
        fc.property(nonWorkingDay, secondOfDay, rule, (date, second, limit) => {
          const received = new Date(londonWallTimeToUtc(date, second));
          const deadline = policy.deadline({ ...limit, received });
          const lastWorkingDay = workingDayOnOrBefore(date);
          const fromThatDay = policy.deadline({ ...limit, received: new Date(londonWallTimeToUtc(lastWorkingDay, 12 * 3600)) });
          return (
            deadline.start.receivedOn === londonDateOf(received.getTime()) &&
            deadline.start.countsFrom === date &&
            deadline.start.moved === null &&
            deadline.due === fromThatDay.due
          );
        }),
      );
    });

    it('never changes its inputs', () => {
      const rulebookBefore = JSON.stringify(policy.rulebook.procedures);
      fc.assert(
        fc.property(dayInRange, secondOfDay, rule, fc.boolean(), (date, second, limit, extended) => {
          const received = new Date(londonWallTimeToUtc(date, second));
          const time = received.getTime();
          const request = Object.freeze({
            ...limit,
            received,
            cutOff: '17:00',
            extended: extended && limit.procedure === 'la-childrens-services' && limit.stage !== 'stage-3',
          });
          const copy = JSON.stringify(request);
          policy.deadline(request);
          return received.getTime() === time && JSON.stringify(request) === copy;
        }),
      );
      assert.equal(JSON.stringify(policy.rulebook.procedures), rulebookBefore);
    });
  });
});
