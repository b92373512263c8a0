/**
 * Refreshes the shipped England and Wales bank-holiday snapshot from a copy of GOV.UK's
 * https://www.gov.uk/bank-holidays.json (download it first: this tool never reaches the network,
 * so the data that computes legal deadlines is always a reviewed file in the repository).
 *
 *   npm run calendar:update -- path/to/bank-holidays.json [--retrieved YYYY-MM-DD] [--compute-through YEAR|none] [--out FILE]
 *
 * The version is the retrieval date plus a hash of the events, so two different lists can never
 * share a version, and every deadline records which list computed it.
 *
 * The snapshot also names the years after GOV.UK's list whose holidays the rulebook computes from
 * the fixed rules (`computedExtension`): by default the one year after the last published, so a
 * refresh moves the computed year on rather than dropping it. `--compute-through none` ships
 * GOV.UK's list alone.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { govUkBankHolidaysSchema } from '../src/policy/calendar/snapshot.js';
import { createWorkingDayCalendar } from '../src/policy/calendar/working-days.js';
import { dateInZone } from '../src/policy/calendar/zoned-time.js';

const DIVISION = 'england-and-wales';
const DEFAULT_OUT = resolve(__dirname, '../../src/policy/calendar/data/england-and-wales.json');

/** The version string for a list of events retrieved on a date. */
export function snapshotVersion(retrieved: string, events: readonly { date: string; title: string }[]): string {
  const canonical = JSON.stringify(events.map((event) => [event.date, event.title]));
  return `${retrieved}.${createHash('sha256').update(canonical).digest('hex').slice(0, 8)}`;
}

/** What the snapshot tells a reviewer about its computed years. */
const COMPUTED_EXTENSION_RULE =
  "The bank holidays of the years after GOV.UK's list, through throughYear, are computed from the fixed England and Wales rules (New Year's Day, Good " +
  'Friday, Easter Monday, the first and last Mondays of May, the last Monday of August, Christmas Day and Boxing Day, with substitute days for those ' +
  'at a weekend), not published by GOV.UK, so any one-off or moved holiday is missing; npm run calendar:update replaces a computed year with ' +
  "GOV.UK's list once it is published.";

/** Where a snapshot came from: when, from where, and anything a reviewer should know. */
export interface SnapshotProvenance {
  readonly retrieved: string;
  readonly source: string;
  readonly notes: string;
  /**
   * The last year whose holidays are computed from the fixed rules: by default the year after
   * GOV.UK's last; `null` for none.
   */
  readonly computeThrough?: number | null;
}

/** Builds snapshot data from GOV.UK's document: whole years only, sorted, with coverage dates. */
export function buildSnapshot(govUk: unknown, provenance: SnapshotProvenance): unknown {
  const { retrieved, source, notes } = provenance;
  const parsed = govUkBankHolidaysSchema.parse(govUk);
  const division = parsed[DIVISION];
  if (!division) throw new Error(`The file has no "${DIVISION}" division`);
  const events = [...division.events].sort((a, b) => a.date.localeCompare(b.date));
  const first = events[0];
  const last = events[events.length - 1];
  if (!first || !last) throw new Error('The file lists no bank holidays');
  const lastYear = Number(last.date.slice(0, 4));
  const computeThrough = provenance.computeThrough === undefined ? lastYear + 1 : provenance.computeThrough;
  if (computeThrough !== null && computeThrough <= lastYear) {
    throw new Error(`Computing bank holidays through ${computeThrough} would add nothing: GOV.UK's list already reaches ${lastYear}`);
  }
  const snapshot = {
    calendar: DIVISION,
    version: snapshotVersion(retrieved, events),
    source,
    retrieved,
    timeZone: 'Europe/London',
    coversFrom: `${first.date.slice(0, 4)}-01-01`,
    coversThrough: `${lastYear}-12-31`,
    ...(computeThrough === null ? {} : { computedExtension: { throughYear: computeThrough, rule: COMPUTED_EXTENSION_RULE } }),
    notes,
    division: { division: DIVISION, events },
  };
  createWorkingDayCalendar(snapshot); // refuse to write anything the rulebook would reject
  return snapshot;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      retrieved: { type: 'string' },
      out: { type: 'string' },
      notes: { type: 'string' },
      source: { type: 'string' },
      'compute-through': { type: 'string' },
    },
  });
  const input = positionals[0];
  const computeThroughText = values['compute-through'];
  if (!input || (computeThroughText !== undefined && computeThroughText !== 'none' && !/^\d{4}$/.test(computeThroughText))) {
    process.stderr.write(
      'usage: npm run calendar:update -- path/to/bank-holidays.json [--retrieved YYYY-MM-DD] [--source TEXT] [--notes TEXT] [--compute-through ' +
        'YEAR|none] [--out FILE]\n',
    );
    process.exit(2);
  }
  const computeThrough = computeThroughText === undefined ? undefined : computeThroughText === 'none' ? null : Number(computeThroughText);
  const retrieved = values.retrieved ?? dateInZone(new Date(), 'Europe/London');
  const notes = values.notes ?? `Downloaded from GOV.UK on ${retrieved}.`;
  const source = values.source ?? 'https://www.gov.uk/bank-holidays.json';
  const snapshot = buildSnapshot(JSON.parse(readFileSync(input, 'utf8')), { retrieved, source, notes, computeThrough });
  const out = values.out ?? DEFAULT_OUT;
  writeFileSync(out, `${JSON.stringify(snapshot, null, 2)}\n`);
  process.stdout.write(`Wrote ${out}\n`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`calendar:update: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
