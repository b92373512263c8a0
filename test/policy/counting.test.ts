import { strict as assert } from 'node:assert';
import Holidays from 'date-holidays';
import fc from 'fast-check';
import { fromDayNumber, type LocalDate, toDayNumber, windowClosesOn } from '../../src/policy/index.js';
import { londonDateOf, londonWallTimeToUtc } from '../helpers/london-oracle.js';
import { at, d, policy } from '../helpers/policy.js';

const cal = policy.calendar;

/**
 * An independent reading of the provisions' words, sharing no code with the rulebook: bank
 * holidays from the date-holidays package, dates by plain UTC arithmetic.
 */
const BANK_HOLIDAYS = new Set(
  Array.from({ length: 7 }, (_, index) => 2024 + index).flatMap((year) =>
    new Holidays('GB', 'ENG')
      .getHolidays(year)
      .filter((holiday) => holiday.type === 'public' || holiday.type === 'bank')
      .map((holiday) => holiday.date.slice(0, 10)),
  ),
);

function utc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function plusDays(date: string, days: number): string {
  return new Date(utc(date).getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

function isWorkingDayLiterally(date: string): boolean {
  const weekday = utc(date).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !BANK_HOLIDAYS.has(date);
}

/** "Within N working days of" / "N working days after the day on which": the day itself is not counted, whatever day it is. */
function literalWorkingDaysAfter(date: string, amount: number): string {
  let day = date;
  for (let counted = 0; counted < amount;) {
    day = plusDays(day, 1);
    if (isWorkingDayLiterally(day)) counted += 1;
  }
  return day;
}

function lastDayOfMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/** The date `months` later, or null where that month has no such day. */
function correspondingDate(date: string, months: number): string | null {
  const start = utc(date);
  const target = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, 1));
  if (start.getUTCDate() > lastDayOfMonth(target.getUTCFullYear(), target.getUTCMonth())) return null;
  return new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), start.getUTCDate())).toISOString().slice(0, 10);
}

function endOfTargetMonth(date: string, months: number): string {
  const start = utc(date);
  const target = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, 1));
  return new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), lastDayOfMonth(target.getUTCFullYear(), target.getUTCMonth())))
    .toISOString()
    .slice(0, 10);
}

/** "N months from" / "after the day": the corresponding date, or the month's last day. */
function literalMonthsFrom(date: string, months: number): string {
  return correspondingDate(date, months) ?? endOfTargetMonth(date, months);
}

/** "N months beginning with" / "commencing on": the day before the corresponding date, or the month's last day. */
function literalMonthsBeginningWith(date: string, months: number): string {
  const corresponding = correspondingDate(date, months);
  return corresponding === null ? endOfTargetMonth(date, months) : plusDays(corresponding, -1);
}

const FIRST = toDayNumber(d('2025-01-01'));
const LAST = toDayNumber(d('2029-12-31'));
const dayIn = (first: number, last: number) => fc.integer({ min: first, max: last }).map(fromDayNumber);
// Times of day away from 01:00-02:00, where the clocks change.
const secondOfDay = fc.oneof(fc.integer({ min: 0, max: 3599 }), fc.integer({ min: 7200, max: 86_399 }));

/** Every time limit we owe that is counted from the stage's start, with how its provision words it. */
const owed = policy
  .procedures()
  .flatMap((procedure) => [
    ...procedure.stages.flatMap((stage) =>
      stage.timeLimits
        .filter((limit) => limit.counts === 'from-stage-start')
        .map((limit) => ({ procedure: procedure.id, stage: stage.id, timeLimit: limit.id, amount: limit.amount, unit: limit.unit, counting: limit.counting })),
    ),
  ]);

describe('counting as the provisions word it', () => {
  describe('worked dates', () => {
    const table: [string, string, string, string][] = [
      // [what, received (London), due, why]
      ['a Wednesday receipt', '2025-06-04T11:00:00+01:00', '2025-06-18', 'Thursday is day 1'],
      ['a Saturday receipt', '2025-06-07T11:00:00+01:00', '2025-06-20', 'Monday is day 1, not day 0'],
      ['a Sunday receipt', '2025-06-08T11:00:00+01:00', '2025-06-20', 'Monday is day 1'],
      ['a receipt on the Spring bank holiday', '2025-05-26T11:00:00+01:00', '2025-06-09', 'Tuesday 27 May is day 1'],
      ['a receipt on Christmas Day', '2025-12-25T11:00:00Z', '2026-01-12', 'Monday 29 December is day 1, New Year’s Day skipped'],
      ['a receipt at 00:30 BST on a Saturday (still Friday in UTC)', '2025-06-06T23:30:00Z', '2025-06-20', 'a Saturday in London'],
    ];
    for (const [what, received, due, why] of table) {
      it(`dates a Stage 1 response for ${what} as ${due}: ${why}`, () => {
        assert.equal(policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: at(received) }).due, due);
      });
    }

    it('acknowledges an NHS complaint received on a Saturday by the Wednesday: 3 working days after the day it was received', () => {
      assert.equal(policy.acknowledgementDeadline({ procedure: 'nhs-health', received: at('2025-06-07T11:00:00+01:00') })?.due, '2025-06-11');
    });

    const months: [string, string, string, string][] = [
      // [procedure's period, from, ends, why]
      ['LGSCO 12 months beginning with 3 April 2025', '2025-04-03', '2026-04-02', 'the day before the anniversary'],
      ['LGSCO 12 months beginning with 29 February 2024', '2024-02-29', '2025-02-28', 'no 29 February 2025: the month’s last day'],
      ['LGSCO 12 months beginning with 1 March 2027', '2027-03-01', '2028-02-29', 'the day before 1 March 2028, a leap day'],
      ['LGSCO 12 months beginning with 1 January 2025', '2025-01-01', '2025-12-31', 'a calendar year'],
    ];
    for (const [what, from, ends, why] of months) {
      it(`ends the ${what} on ${ends}: ${why}`, () => {
        assert.equal(policy.ombudsmanAdvice({ procedure: 'la-childrens-services', firstNoticeOn: d(from) }).window.closesOn, ends);
      });
    }

    it('ends the PHSO’s year after the day of notice on the anniversary (29 February: 28 February)', () => {
      assert.equal(policy.ombudsmanAdvice({ procedure: 'nhs-health', firstNoticeOn: d('2025-04-03') }).window.closesOn, '2026-04-03');
      assert.equal(policy.ombudsmanAdvice({ procedure: 'nhs-health', firstNoticeOn: d('2024-02-29') }).window.closesOn, '2025-02-28');
    });

    it('ends the NHS six months commencing on the day of receipt the day before the six-month date, or on a short month’s last day', () => {
      const sixMonths = (received: string) => policy.deadline({ procedure: 'nhs-health', stage: 'local-resolution', received: at(received) }).due;
      assert.equal(sixMonths('2025-04-03T12:00:00+01:00'), '2025-10-02');
      assert.equal(sixMonths('2025-08-31T12:00:00+01:00'), '2026-02-28');
      assert.equal(sixMonths('2027-09-01T12:00:00+01:00'), '2028-02-29');
      assert.equal(sixMonths('2027-08-29T12:00:00+01:00'), '2028-02-28');
    });

    it('names the convention in every deadline, and what the cut-off changes as a local choice', () => {
      const plain = policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-2', received: at('2025-06-04T18:00:00+01:00') });
      const cutOff = policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-2', received: at('2025-06-04T18:00:00+01:00'), cutOff: '17:00' });
      assert.equal(plain.counting.convention, 'after');
      assert.equal(plain.start.moved, null);
      assert.equal(cutOff.start.moved?.reason, 'after-cut-off');
      assert.match(cutOff.start.moved.detail, /a local choice, not the law/);
      assert.equal(cutOff.due, literalWorkingDaysAfter('2025-06-05', 25));
      assert.equal(plain.due, literalWorkingDaysAfter('2025-06-04', 25));
    });
  });

  describe('properties over random instants, 2025 to 2029', () => {
    const rule = fc.constantFrom(...owed);

    it('never owes a date later than the literal count (and, without a cut-off, exactly it)', () => {
      fc.assert(
        fc.property(dayIn(FIRST, LAST - 200), secondOfDay, rule, (date, second, limit) => {
          const received = new Date(londonWallTimeToUtc(date, second));
          const receivedOn = londonDateOf(received.getTime());
          const due = policy.deadline({ procedure: limit.procedure, stage: limit.stage, timeLimit: limit.timeLimit, received }).due;
          const literal =
            limit.unit === 'working-days'
              ? literalWorkingDaysAfter(receivedOn, limit.amount)
              : limit.counting === 'beginning-with'
                ? literalMonthsBeginningWith(receivedOn, limit.amount)
                : literalMonthsFrom(receivedOn, limit.amount);
          return due === literal;
        }),
        { numRuns: 500 },
      );
    });

    it('never owes a response later than the literal count, even through the Review Panel’s chained steps', () => {
      fc.assert(
        fc.property(dayIn(FIRST, LAST - 200), secondOfDay, (date, second) => {
          const received = new Date(londonWallTimeToUtc(date, second));
          const deadline = policy.responseDeadline({ procedure: 'la-childrens-services', stage: 'stage-3', stageStartedAt: received });
          const meeting = literalWorkingDaysAfter(londonDateOf(received.getTime()), 30);
          return deadline.due === literalWorkingDaysAfter(literalWorkingDaysAfter(meeting, 5), 15);
        }),
        { numRuns: 200 },
      );
    });

    it('never tells a complainant a window to ask for the next stage later than the earliest reading (from the day the response was sent)', () => {
      fc.assert(
        fc.property(dayIn(FIRST, LAST - 60), secondOfDay, fc.constantFrom('stage-1', 'stage-2'), (date, second, stage) => {
          const respondedAt = new Date(londonWallTimeToUtc(date, second));
          const decision = policy.decideEscalation({ procedure: 'la-childrens-services', stage, respondedAt, now: respondedAt, cutOff: '09:00' });
          if (!decision.allowed || !decision.requestWindow) return false;
          return decision.requestWindow.closesOn === literalWorkingDaysAfter(londonDateOf(respondedAt.getTime()), 20);
        }),
        { numRuns: 300 },
      );
    });

    it('never tells a complainant an ombudsman’s window later than the Act’s words allow', () => {
      fc.assert(
        fc.property(dayIn(toDayNumber(d('2024-01-01')), LAST), (firstNoticeOn) => {
          const lgsco = policy.ombudsmanAdvice({ procedure: 'la-childrens-services', firstNoticeOn }).window.closesOn;
          const phso = policy.ombudsmanAdvice({ procedure: 'nhs-health', firstNoticeOn }).window.closesOn;
          // "Beginning with" the day of notice never ends later than "after" it (on 29 February both end on 28 February).
          return lgsco === literalMonthsBeginningWith(firstNoticeOn, 12) && phso === literalMonthsFrom(firstNoticeOn, 12) && lgsco <= phso;
        }),
        { numRuns: 500 },
      );
    });

    it('counts working days “beginning with” a day from that day as day 1 when it is a working day, and “after” it from the next', () => {
      fc.assert(
        fc.property(dayIn(FIRST, LAST - 60), (date: LocalDate) => {
          const after = windowClosesOn(cal, date, 20, 'working-days', 'after').due;
          const beginningWith = windowClosesOn(cal, date, 20, 'working-days', 'beginning-with').due;
          const literalBeginningWith = literalWorkingDaysAfter(date, isWorkingDayLiterally(date) ? 19 : 20);
          return after === literalWorkingDaysAfter(date, 20) && beginningWith === literalBeginningWith;
        }),
        { numRuns: 300 },
      );
    });
  });
});
