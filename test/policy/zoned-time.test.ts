import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { dateInZone, endOfDayInZone, fromDayNumber, InvalidInstant, instantOfWallTime, parseInstant, readInZone, toDayNumber } from '../../src/policy/index.js';
import { londonDateOf } from '../helpers/london-oracle.js';
import { at, d } from '../helpers/policy.js';

const LONDON = 'Europe/London';

describe('London time', () => {
  it('puts an instant just after midnight BST on the London date, not the UTC one', () => {
    // 23:30 UTC on Friday 1 August 2025 is 00:30 BST on Saturday 2 August.
    assert.equal(dateInZone(at('2025-08-01T23:30:00Z'), LONDON), '2025-08-02');
    assert.equal(dateInZone(at('2025-12-01T23:30:00Z'), LONDON), '2025-12-01');
  });

  it('matches an independent model of UK summer time for any instant from 2020 to 2028', () => {
    const start = Date.parse('2020-01-01T00:00:00Z');
    const end = Date.parse('2028-12-31T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: start, max: end }), (ms) => dateInZone(new Date(ms), LONDON) === londonDateOf(ms)),
      { numRuns: 2000 },
    );
  });

  it('reads ISO-8601 with an offset as that instant, and without one as London time', () => {
    assert.equal(parseInstant('2025-04-03T13:30:00Z', LONDON).toISOString(), '2025-04-03T13:30:00.000Z');
    assert.equal(parseInstant('2025-04-03T14:30:00+01:00', LONDON).toISOString(), '2025-04-03T13:30:00.000Z');
    assert.equal(parseInstant('2025-04-03T14:30', LONDON).toISOString(), '2025-04-03T13:30:00.000Z');
    assert.equal(parseInstant('2025-01-03T14:30', LONDON).toISOString(), '2025-01-03T14:30:00.000Z');
    assert.equal(parseInstant('2025-04-03', LONDON).toISOString(), '2025-04-02T23:00:00.000Z');
    assert.equal(parseInstant('2025-04-03T14:30:00.250Z', LONDON).toISOString(), '2025-04-03T14:30:00.250Z');
  });

  it('refuses text that is not an ISO-8601 date or time', () => {
    for (const text of ['', 'yesterday', '3/4/2025', '2025-02-31', '2025-04-03T25:00', '2025-04-03T10:00+25:00', '2025-04-03T10:00:00Q']) {
      assert.throws(() => parseInstant(text, LONDON), InvalidInstant, text);
    }
  });

  it('handles the hour skipped and the hour repeated when the clocks change', () => {
    // 30 March 2025: 01:00-02:00 does not exist in London; 01:30 is read as 02:30 BST.
    assert.equal(instantOfWallTime(d('2025-03-30'), 5400, LONDON).toISOString(), '2025-03-30T01:30:00.000Z');
    // 26 October 2025: 01:30 happens twice; the first (BST) is chosen.
    assert.equal(instantOfWallTime(d('2025-10-26'), 5400, LONDON).toISOString(), '2025-10-26T00:30:00.000Z');
  });

  it('round-trips wall-clock times that exist exactly once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: toDayNumber(d('2020-01-01')), max: toDayNumber(d('2028-12-31')) }),
        fc.integer({ min: 0, max: 86_399 }),
        (dayNumber, second) => {
          const date = fromDayNumber(dayNumber);
          const reading = readInZone(instantOfWallTime(date, second, LONDON), LONDON);
          const skipped = reading.date === date && reading.secondOfDay === second + 3600;
          return (reading.date === date && reading.secondOfDay === second) || skipped;
        },
      ),
    );
  });

  it('ends a day at its last London millisecond, in summer and winter', () => {
    assert.equal(endOfDayInZone(d('2025-07-01'), LONDON).toISOString(), '2025-07-01T22:59:59.999Z');
    assert.equal(endOfDayInZone(d('2025-01-15'), LONDON).toISOString(), '2025-01-15T23:59:59.999Z');
  });
});
