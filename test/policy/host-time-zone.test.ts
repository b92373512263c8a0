import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { deadlineGrid } from '../fixtures/deadline-grid.js';

const GRID_SCRIPT = join(__dirname, '..', 'fixtures', 'deadline-grid.js');

function gridUnder(timeZone: string): string[] {
  const output = execFileSync(process.execPath, [GRID_SCRIPT], { env: { ...process.env, TZ: timeZone }, encoding: 'utf8' });
  return JSON.parse(output) as string[];
}

describe('independence from the host’s time zone', () => {
  const expected = deadlineGrid();

  it('computes a substantial grid around the clock changes and Christmas', () => {
    assert.ok(expected.length > 2000, `only ${expected.length} rows`);
  });

  for (const timeZone of ['UTC', 'Pacific/Auckland', 'America/Los_Angeles', 'Asia/Kolkata']) {
    it(`gives the same deadlines with TZ=${timeZone}`, () => {
      const actual = gridUnder(timeZone);
      assert.equal(actual.length, expected.length);
      const differences = actual.filter((row, index) => row !== expected[index]);
      assert.deepEqual(differences.slice(0, 5), []);
    });
  }

  it('really runs the child under the zone it was given', () => {
    const offset = execFileSync(process.execPath, ['-e', 'process.stdout.write(String(new Date("2025-01-15T12:00:00Z").getTimezoneOffset()))'], {
      env: { ...process.env, TZ: 'Pacific/Auckland' },
      encoding: 'utf8',
    });
    assert.equal(offset, '-780');
  });
});
