import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { ChronoDateParser } from '../../src/dates/chrono-date-parser.js';
import type { Approximation, DateReading, Season } from '../../src/ports/date-parser.js';

const parser = new ChronoDateParser();
/** Sunday 22 November 2026, midday in London. */
const NOW = new Date('2026-11-22T12:00:00Z');

const date = (value: string): DateReading => ({ kind: 'date', date: value }) as DateReading;
/** A range of days, as given: `[earliest, latest]` and how it was said. */
const range = (earliest: string, latest: string, approximation: Approximation): DateReading =>
  ({ kind: 'range', earliest, latest, approximation }) as DateReading;
/** Three days either side of a day given roughly. */
const around = (earliest: string, centre: string, latest: string): DateReading =>
  range(earliest, latest, { kind: 'around-day', date: centre } as Approximation);
const season = (earliest: string, latest: string, name: Season, year: number): DateReading => range(earliest, latest, { kind: 'season', season: name, year });
const days = (earliest: string, latest: string): DateReading =>
  range(earliest, latest, { kind: 'between', from: { date: earliest }, to: { date: latest } } as Approximation);

const TABLE: readonly [string, DateReading][] = [
  ['3/4/2025', date('2025-04-03')],
  ['03-04-2025', date('2025-04-03')],
  ['3/4/25', date('2025-04-03')],
  ['2025-04-03', date('2025-04-03')],
  ['Thursday 3 April 2025', date('2025-04-03')],
  ['14 Feb 2026', date('2026-02-14')],
  ['on the 14th of february', date('2026-02-14')],
  ['3 April', date('2026-04-03')],
  ['20th May', date('2026-05-20')],
  ['last Tuesday', date('2026-11-17')],
  ['yesterday', date('2026-11-21')],
  ['5 days ago', date('2026-11-17')],
  ['two weeks ago', around('2026-11-05', '2026-11-08', '2026-11-11')],
  ['a fortnight ago', around('2026-11-05', '2026-11-08', '2026-11-11')],
  ['about 3 weeks ago', around('2026-10-29', '2026-11-01', '2026-11-04')],
  ['last week', days('2026-11-09', '2026-11-15')],
  ['Easter Monday', date('2026-04-06')],
  ['Good Friday 2025', date('2025-04-18')],
  ['around Christmas', around('2025-12-22', '2025-12-25', '2025-12-28')],
  ['christmas day 2024', date('2024-12-25')],
  ['Boxing Day', date('2025-12-26')],
  ['in March', { kind: 'month', year: 2026, month: 3 }],
  ['last month', { kind: 'month', year: 2026, month: 10 }],
  ['early June', range('2026-06-01', '2026-06-10', { kind: 'part-of-month', part: 'early', year: 2026, month: 6, around: false })],
  ['1990', { kind: 'year', year: 1990 }],
  ['in 2023', { kind: 'year', year: 2023 }],
  ['tomorrow', { kind: 'future', date: '2026-11-23' } as DateReading],
  ['next Monday', { kind: 'future', date: '2026-11-23' } as DateReading],
  ['12/12/2026', { kind: 'future', date: '2026-12-12' } as DateReading],
  ['2030', { kind: 'future', date: '2030-01-01' } as DateReading],
  ['31/02/2025', { kind: 'impossible', problem: 'February 2025 has no day 31' }],
  ['13/13/2025', { kind: 'impossible', problem: 'there is no month 13 (the month comes second, as in 3/4/2025 for 3 April)' }],
  ['idk', { kind: 'unknown' }],
  ["I'm not sure", { kind: 'unknown' }],
  ['not sure really', { kind: 'unknown' }],
  ["can't remember", { kind: 'unknown' }],
  ['', { kind: 'unreadable' }],
  ['   ', { kind: 'unreadable' }],
  ['🙂🙂', { kind: 'unreadable' }],
  ['the 3rd', date('2026-11-03')],
  ["'; DROP TABLE cases; --", { kind: 'unreadable' }],
  ['\u200b3/4/2025\u200f', date('2025-04-03')],
  ['last year', { kind: 'year', year: 2025 }],
  ['a year ago', { kind: 'year', year: 2025 }],
  ['2 years ago', { kind: 'year', year: 2024 }],
  ['earlier this year', { kind: 'year', year: 2026 }],
  ['next year', { kind: 'future', date: '2027-01-01' } as DateReading],
  ['6 months ago', { kind: 'month', year: 2026, month: 5 }],
  ['this morning', date('2026-11-22')],
  ['at 3pm', date('2026-11-22')],
  ['this week', days('2026-11-16', '2026-11-22')],
  ['a few days ago', around('2026-11-16', '2026-11-19', '2026-11-22')],
  ['Easter Monday last year', date('2025-04-21')],
  ['christmas last year', date('2025-12-25')],
  ['not sure maybe March 2023', { kind: 'month', year: 2023, month: 3 }],
  ['idk last year', { kind: 'year', year: 2025 }],
  ["I'm not sure, I think 3/4/2025", around('2025-03-31', '2025-04-03', '2025-04-06')],
  ['not sure really', { kind: 'unknown' }],
  ['last summer', season('2026-06-01', '2026-08-31', 'summer', 2026)],
  ['summer 2024', season('2024-06-01', '2024-08-31', 'summer', 2024)],
  ['in the spring', season('2026-03-01', '2026-05-31', 'spring', 2026)],
  ['last winter', season('2025-12-01', '2026-02-28', 'winter', 2026)],
  ['this autumn', season('2026-09-01', '2026-11-22', 'autumn', 2026)],
  ['about 10 days ago', around('2026-11-09', '2026-11-12', '2026-11-15')],
  ['in May last year', { kind: 'month', year: 2025, month: 5 }],
  ['last May', { kind: 'month', year: 2026, month: 5 }],
  ['since 2019', { kind: 'year', year: 2019 }],
  ['1/1/0001', { kind: 'impossible', problem: 'the year 1 looks mistyped' }],
  ['the other day', { kind: 'recently' }],
  ['a while back', { kind: 'recently' }],
  // A day of the month on its own: the most recent one not in the future (issue 17 item 7).
  ['the 5th', date('2026-11-05')],
  ['on the 21st', date('2026-11-21')],
  ['5th', date('2026-11-05')],
  ['the 22nd', date('2026-11-22')],
  ['the 23rd', date('2026-10-23')],
  ['the 31st', date('2026-10-31')],
  ['around the 5th', around('2026-11-02', '2026-11-05', '2026-11-08')],
  ['the 32nd', { kind: 'impossible', problem: 'no month has a day 32' }],
  // Approximate answers keep the precision given, as a range of days (issue 17 item 6).
  ['summer 2025', season('2025-06-01', '2025-08-31', 'summer', 2025)],
  ['winter 2025', season('2024-12-01', '2025-02-28', 'winter', 2025)],
  ['about 3 months ago', range('2026-08-11', '2026-09-10', { kind: 'part-of-month', part: 'late', year: 2026, month: 8, around: true })],
  ['roughly 2 months ago', range('2026-09-11', '2026-10-10', { kind: 'part-of-month', part: 'late', year: 2026, month: 9, around: true })],
  ['about 2 years ago', range('2024-05-22', '2025-05-22', { kind: 'around-month', year: 2024, month: 11 })],
  ['2 months ago', { kind: 'month', year: 2026, month: 9 }],
  ['end of October', range('2026-10-21', '2026-10-31', { kind: 'part-of-month', part: 'late', year: 2026, month: 10, around: false })],
  ['mid-March 2024', range('2024-03-11', '2024-03-20', { kind: 'part-of-month', part: 'mid', year: 2024, month: 3, around: false })],
  ['around early September', range('2026-08-22', '2026-09-20', { kind: 'part-of-month', part: 'early', year: 2026, month: 9, around: true })],
  ['early December', range('2025-12-01', '2025-12-10', { kind: 'part-of-month', part: 'early', year: 2025, month: 12, around: false })],
  ['late 2025', range('2025-09-01', '2025-12-31', { kind: 'between', from: { year: 2025, month: 9 }, to: { year: 2025, month: 12 } })],
  ['between March and May 2025', range('2025-03-01', '2025-05-31', { kind: 'between', from: { year: 2025, month: 3 }, to: { year: 2025, month: 5 } })],
  ['March to May', range('2026-03-01', '2026-05-31', { kind: 'between', from: { year: 2026, month: 3 }, to: { year: 2026, month: 5 } })],
  ['3/4/2025 to 10/4/2025', days('2025-04-03', '2025-04-10')],
  ['10/4/2025 - 3/4/2025', days('2025-04-03', '2025-04-10')],
  ['between 3 and 10 April 2025', days('2025-04-03', '2025-04-10')],
  ['the week before last', days('2026-11-02', '2026-11-08')],
  ['summer 2027', { kind: 'future', date: '2027-06-01' } as DateReading],
  ['3/4/2025 to 31/02/2025', { kind: 'impossible', problem: 'February 2025 has no day 31' }],
];

describe('reading dates in people’s own words', () => {
  for (const [said, expected] of TABLE) {
    it(`reads ${JSON.stringify(said)}`, () => {
      assert.deepEqual(parser.read(said, NOW), expected);
    });
  }

  it('reads "last summer" in July as the summer before, and "this summer" in June as up to today', () => {
    assert.deepEqual(parser.read('last summer', new Date('2026-07-20T12:00:00Z')), season('2025-06-01', '2025-08-31', 'summer', 2025));
    assert.deepEqual(parser.read('this summer', new Date('2026-06-20T12:00:00Z')), season('2026-06-01', '2026-06-20', 'summer', 2026));
    assert.deepEqual(parser.read('in the summer', new Date('2026-06-20T12:00:00Z')), season('2025-06-01', '2025-08-31', 'summer', 2025));
  });

  it('takes "the 5th" as this month’s 5th once it has come, and last month’s before then', () => {
    assert.deepEqual(parser.read('the 5th', new Date('2026-12-03T12:00:00Z')), date('2026-11-05'));
    assert.deepEqual(parser.read('the 5th', new Date('2026-12-05T12:00:00Z')), date('2026-12-05'));
    // Over a new year, and past a month without the day.
    assert.deepEqual(parser.read('the 10th', new Date('2026-01-03T12:00:00Z')), date('2025-12-10'));
    assert.deepEqual(parser.read('the 30th', new Date('2026-03-02T12:00:00Z')), date('2026-01-30'));
  });

  it('never runs a range past today, and calls one that has not begun the future', () => {
    const midSummer = new Date('2026-07-20T12:00:00Z');
    assert.deepEqual(parser.read('this week', new Date('2026-11-16T12:00:00Z')), days('2026-11-16', '2026-11-16'), 'on a Monday, this week is today');
    assert.deepEqual(parser.read('summer 2026', midSummer), season('2026-06-01', '2026-07-20', 'summer', 2026));
    assert.deepEqual(parser.read('autumn 2026', midSummer), { kind: 'future', date: '2026-09-01' });
    assert.deepEqual(parser.read('a few days ago', new Date('2026-11-04T12:00:00Z')), around('2026-10-29', '2026-11-01', '2026-11-04'));
  });

  it('counts "yesterday" from the London date, whatever the server’s zone', () => {
    const justAfterMidnightBst = new Date('2025-06-01T23:30:00Z'); // 00:30 on 2 June in London
    const script = `const { ChronoDateParser } = require(${JSON.stringify(require.resolve('../../src/dates/chrono-date-parser.js'))});
      process.stdout.write(JSON.stringify(new ChronoDateParser().read('yesterday', new Date(${justAfterMidnightBst.getTime()}))));`;
    for (const timeZone of ['UTC', 'Pacific/Auckland', 'America/Los_Angeles']) {
      const output = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, TZ: timeZone }, encoding: 'utf8' });
      assert.deepEqual(JSON.parse(output), date('2025-06-01'), timeZone);
    }
  });
});
