import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { ChronoDateParser, easterSunday } from '../../src/dates/chrono-date-parser.js';
import type { DateReading } from '../../src/ports/date-parser.js';

const parser = new ChronoDateParser();
/** Sunday 22 November 2026, midday in London. */
const NOW = new Date('2026-11-22T12:00:00Z');

const date = (value: string, certainty: 'exact' | 'approximate' = 'exact'): DateReading => ({ kind: 'date', date: value, certainty } as DateReading);

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
  ['two weeks ago', date('2026-11-08', 'approximate')],
  ['a fortnight ago', date('2026-11-08', 'approximate')],
  ['about 3 weeks ago', date('2026-11-01', 'approximate')],
  ['last week', date('2026-11-15', 'approximate')],
  ['Easter Monday', date('2026-04-06')],
  ['Good Friday 2025', date('2025-04-18')],
  ['around Christmas', date('2025-12-25', 'approximate')],
  ['christmas day 2024', date('2024-12-25')],
  ['Boxing Day', date('2025-12-26')],
  ['in March', { kind: 'month', year: 2026, month: 3 }],
  ['last month', { kind: 'month', year: 2026, month: 10 }],
  ['early June', { kind: 'month', year: 2026, month: 6 }],
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
  ['the 3rd', { kind: 'unreadable' }],
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
  ['this week', date('2026-11-22', 'approximate')],
  ['a few days ago', date('2026-11-19', 'approximate')],
  ['Easter Monday last year', date('2025-04-21')],
  ['christmas last year', date('2025-12-25')],
  ['not sure maybe March 2023', { kind: 'month', year: 2023, month: 3 }],
  ['idk last year', { kind: 'year', year: 2025 }],
  ["I'm not sure, I think 3/4/2025", date('2025-04-03', 'approximate')],
  ['not sure really', { kind: 'unknown' }],
  ['last summer', date('2026-07-15', 'approximate')],
  ['summer 2024', date('2024-07-15', 'approximate')],
  ['in the spring', date('2026-04-15', 'approximate')],
  ['last winter', date('2026-01-15', 'approximate')],
  ['this autumn', date('2026-10-15', 'approximate')],
  ['about 10 days ago', date('2026-11-12', 'approximate')],
  ['in May last year', { kind: 'month', year: 2025, month: 5 }],
  ['last May', { kind: 'month', year: 2026, month: 5 }],
  ['since 2019', { kind: 'year', year: 2019 }],
  ['1/1/0001', { kind: 'impossible', problem: 'the year 1 looks mistyped' }],
  ['the other day', { kind: 'unreadable' }],
];

describe('reading dates in people’s own words', () => {
  for (const [said, expected] of TABLE) {
    it(`reads ${JSON.stringify(said)}`, () => {
      assert.deepEqual(parser.read(said, NOW), expected);
    });
  }

  it('reads "last summer" in July as the summer before, and "this summer" in June as up to today', () => {
    assert.deepEqual(parser.read('last summer', new Date('2026-07-20T12:00:00Z')), date('2025-07-15', 'approximate'));
    assert.deepEqual(parser.read('this summer', new Date('2026-06-20T12:00:00Z')), date('2026-06-20', 'approximate'));
    assert.deepEqual(parser.read('in the summer', new Date('2026-06-20T12:00:00Z')), date('2025-07-15', 'approximate'));
  });

  it('knows when Easter falls', () => {
    assert.deepEqual([2024, 2025, 2026, 2027, 2028].map(easterSunday), ['2024-03-31', '2025-04-20', '2026-04-05', '2027-03-28', '2028-04-16']);
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
