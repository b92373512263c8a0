import { strict as assert } from 'node:assert';
import Holidays from 'date-holidays';
import snapshot from '../../src/policy/calendar/data/england-and-wales.json';
import { computedBankHolidays } from '../../src/policy/calendar/computed-bank-holidays.js';
import { createWorkingDayCalendar, englandAndWalesCalendar as cal, isoWeekday, parseLocalDate } from '../../src/policy/index.js';
import { buildSnapshot, snapshotVersion } from '../../scripts/update-bank-holidays.js';

describe('the shipped England and Wales bank-holiday snapshot', () => {
  it('publishes at least 2020 to 2028, computes the year after, and says so', () => {
    assert.ok(cal.coversFrom <= '2020-01-01');
    assert.ok(cal.publishedThrough >= '2028-12-31');
    assert.equal(cal.coversThrough, `${snapshot.computedExtension.throughYear}-12-31`);
    assert.equal(snapshot.computedExtension.throughYear, Number(cal.publishedThrough.slice(0, 4)) + 1);
    for (let year = 2020; year <= 2029; year += 1) {
      const count = [...cal.holidays.keys()].filter((date) => date.startsWith(`${year}-`)).length;
      assert.ok(count >= 8, `${year} has only ${count} bank holidays`);
    }
  });

  it('has a version that identifies exactly these events, and the computed years', () => {
    assert.equal(cal.version, `${snapshot.version}+computed-${snapshot.computedExtension.throughYear}`);
    assert.equal(snapshot.version, snapshotVersion(snapshot.retrieved, snapshot.division.events));
  });

  it('lists only weekdays, as GOV.UK lists the substitute days rather than weekend originals', () => {
    for (const date of cal.holidays.keys()) {
      assert.ok(isoWeekday(date) <= 5, `${date} is a weekend day`);
    }
  });

  it('agrees with the date-holidays package on every weekday bank holiday, 2020 to 2029 (2029 computed)', () => {
    const reference = new Holidays('GB', 'ENG');
    for (let year = 2020; year <= 2029; year += 1) {
      const theirs = reference
        .getHolidays(year)
        .filter((holiday) => holiday.type === 'public' || holiday.type === 'bank')
        .map((holiday) => parseLocalDate(holiday.date.slice(0, 10)))
        .filter((date) => isoWeekday(date) <= 5);
      const ours = [...cal.holidays.keys()].filter((date) => date.startsWith(`${year}-`));
      assert.deepEqual([...new Set(theirs)].sort(), ours.sort(), String(year));
    }
  });

  it('is rebuilt identically by the refresh script from GOV.UK-shaped data', () => {
    const govUk = { 'england-and-wales': snapshot.division, scotland: { division: 'scotland', events: [] } };
    const rebuilt = buildSnapshot(govUk, { retrieved: snapshot.retrieved, source: snapshot.source, notes: snapshot.notes });
    assert.deepEqual(rebuilt, snapshot);
  });

  it('moves the computed year on when a refresh brings GOV.UK’s list for the next year', () => {
    const next = [...snapshot.division.events, ...computedBankHolidays(2029)];
    const govUk = { 'england-and-wales': { division: 'england-and-wales', events: next } };
    const rebuilt = createWorkingDayCalendar(buildSnapshot(govUk, { retrieved: '2027-06-01', source: 's', notes: '' }));
    assert.equal(rebuilt.publishedThrough, '2029-12-31');
    assert.equal(rebuilt.coversThrough, '2030-12-31');
    assert.match(rebuilt.version, /^2027-06-01\.\w{8}\+computed-2030$/);
    assert.equal(rebuilt.holidays.get(parseLocalDate('2029-12-25')), 'Christmas Day');
    assert.equal(rebuilt.holidays.get(parseLocalDate('2030-12-25')), 'Christmas Day (computed)');
  });

  it('builds a snapshot of GOV.UK’s list alone, or through a later year, when asked', () => {
    const govUk = { 'england-and-wales': snapshot.division };
    const provenance = { retrieved: snapshot.retrieved, source: 's', notes: '' };
    assert.equal(createWorkingDayCalendar(buildSnapshot(govUk, { ...provenance, computeThrough: null })).coversThrough, '2028-12-31');
    assert.equal(createWorkingDayCalendar(buildSnapshot(govUk, { ...provenance, computeThrough: 2031 })).coversThrough, '2031-12-31');
    assert.throws(() => buildSnapshot(govUk, { ...provenance, computeThrough: 2028 }), /already reaches 2028/);
  });

  it('refuses to build from data without the England and Wales division', () => {
    assert.throws(
      () => buildSnapshot({ scotland: { division: 'scotland', events: [] } }, { retrieved: '2026-01-01', source: 'test', notes: '' }),
      /england-and-wales/,
    );
  });
});
