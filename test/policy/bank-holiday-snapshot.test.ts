import { strict as assert } from 'node:assert';
import Holidays from 'date-holidays';
import snapshot from '../../src/policy/calendar/data/england-and-wales.json';
import { englandAndWalesCalendar as cal, isoWeekday, parseLocalDate } from '../../src/policy/index.js';
import { buildSnapshot, snapshotVersion } from '../../scripts/update-bank-holidays.js';

describe('the shipped England and Wales bank-holiday snapshot', () => {
  it('covers at least 2020 to 2028 and says so', () => {
    assert.ok(cal.coversFrom <= '2020-01-01');
    assert.ok(cal.coversThrough >= '2028-12-31');
    for (let year = 2020; year <= 2028; year += 1) {
      const count = [...cal.holidays.keys()].filter((date) => date.startsWith(`${year}-`)).length;
      assert.ok(count >= 8, `${year} has only ${count} bank holidays`);
    }
  });

  it('has a version that identifies exactly these events', () => {
    assert.equal(cal.version, snapshot.version);
    assert.equal(snapshot.version, snapshotVersion(snapshot.retrieved, snapshot.division.events));
  });

  it('lists only weekdays, as GOV.UK lists the substitute days rather than weekend originals', () => {
    for (const date of cal.holidays.keys()) {
      assert.ok(isoWeekday(date) <= 5, `${date} is a weekend day`);
    }
  });

  it('agrees with the date-holidays package on every weekday bank holiday, 2020 to 2028', () => {
    const reference = new Holidays('GB', 'ENG');
    for (let year = 2020; year <= 2028; year += 1) {
      const theirs = reference.getHolidays(year)
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

  it('refuses to build from data without the England and Wales division', () => {
    assert.throws(() => buildSnapshot({ scotland: { division: 'scotland', events: [] } }, { retrieved: '2026-01-01', source: 'test', notes: '' }), /england-and-wales/);
  });
});
