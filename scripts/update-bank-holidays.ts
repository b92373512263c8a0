/**
 * Refreshes the shipped England and Wales bank-holiday snapshot from a copy of GOV.UK's
 * https://www.gov.uk/bank-holidays.json (download it first: this tool never reaches the network,
 * so the data that computes legal deadlines is always a reviewed file in the repository).
 *
 *   npm run calendar:update -- path/to/bank-holidays.json [--retrieved YYYY-MM-DD] [--out FILE]
 *
 * The version is the retrieval date plus a hash of the events, so two different lists can never
 * share a version, and every deadline records which list computed it.
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

/** Where a snapshot came from: when, from where, and anything a reviewer should know. */
export interface SnapshotProvenance {
  readonly retrieved: string;
  readonly source: string;
  readonly notes: string;
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
  const snapshot = {
    calendar: DIVISION,
    version: snapshotVersion(retrieved, events),
    source,
    retrieved,
    timeZone: 'Europe/London',
    coversFrom: `${first.date.slice(0, 4)}-01-01`,
    coversThrough: `${last.date.slice(0, 4)}-12-31`,
    notes,
    division: { division: DIVISION, events },
  };
  createWorkingDayCalendar(snapshot); // refuse to write anything the rulebook would reject
  return snapshot;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { retrieved: { type: 'string' }, out: { type: 'string' }, notes: { type: 'string' }, source: { type: 'string' } },
  });
  const input = positionals[0];
  if (!input) {
    process.stderr.write('usage: npm run calendar:update -- path/to/bank-holidays.json [--retrieved YYYY-MM-DD] [--source TEXT] [--notes TEXT] [--out FILE]\n');
    process.exit(2);
  }
  const retrieved = values.retrieved ?? dateInZone(new Date(), 'Europe/London');
  const notes = values.notes ?? `Downloaded from GOV.UK on ${retrieved}.`;
  const source = values.source ?? 'https://www.gov.uk/bank-holidays.json';
  const snapshot = buildSnapshot(JSON.parse(readFileSync(input, 'utf8')), { retrieved, source, notes });
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
