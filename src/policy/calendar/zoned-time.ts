/**
 * Instants read as wall-clock dates and times in a named zone (for us, Europe/London).
 *
 * `Intl` carries the zone rules, so the answer never depends on the host's own TZ; slicing
 * `toISOString()` would give the UTC date, which is the wrong London date for the first hour of
 * every day in summer time.
 */
import { InvalidInstant, InvalidLocalTime } from '../errors.js';
import { type LocalDate, addDays, fromDayNumber, isLocalDate, localDate, toDayNumber } from './local-date.js';

const DAY_MS = 86_400_000;

/** A wall-clock reading: the date, and seconds since that date's midnight. */
export interface ZonedReading {
  readonly date: LocalDate;
  readonly secondOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function assertValid(instant: Date, what: string): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new InvalidInstant(what);
}

/**
 * Readings already made, per zone and instant. Asking Intl costs about 4 µs a time, and one
 * complaint's deadlines ask about a dozen times, mostly for instants other complaints asked
 * about too (the ends of the same working days). A reading never changes, so any may be kept;
 * the store is emptied when it gets big.
 */
const readings = new Map<string, Map<number, ZonedReading>>();
const READINGS_KEPT = 4096;

/**
 * The wall-clock date and time of an instant in a zone.
 * @example readInZone(new Date('2025-06-01T23:30:00Z'), 'Europe/London').date // '2025-06-02'
 */
export function readInZone(instant: Date, timeZone: string): ZonedReading {
  assertValid(instant, 'The time given');
  let zone = readings.get(timeZone);
  const known = zone?.get(instant.getTime());
  if (known) return known;
  const ms = instant.getTime();
  const offset = steadyOffset(timeZone, Math.floor(ms / HOUR_MS));
  let reading: ZonedReading;
  if (offset === null) {
    reading = freshReading(instant, timeZone);
  } else {
    const wall = Math.floor(ms / 1000) * 1000 + offset;
    const day = Math.floor(wall / DAY_MS);
    reading = Object.freeze({ date: fromDayNumber(day), secondOfDay: (wall - day * DAY_MS) / 1000 });
  }
  if (!zone || zone.size >= READINGS_KEPT) {
    zone = new Map();
    readings.set(timeZone, zone);
  }
  zone.set(instant.getTime(), reading);
  return reading;
}

const HOUR_MS = 3_600_000;

/**
 * A zone's offset through each UTC hour, when it holds for the whole hour (null when the clocks
 * change within it). Reading an instant through its hour's offset is arithmetic, where asking
 * Intl is about 15 µs: a year's figures read a hundred thousand lodging times, in a few thousand
 * hours. Checked at both ends of the hour, so no zone's odd transition time is read wrong.
 */
const steadyOffsets = new Map<string, Map<number, number | null>>();

function offsetOfReading(reading: ZonedReading, ms: number): number {
  return toDayNumber(reading.date) * DAY_MS + reading.secondOfDay * 1000 - Math.floor(ms / 1000) * 1000;
}

function steadyOffset(timeZone: string, hour: number): number | null {
  let zone = steadyOffsets.get(timeZone);
  if (zone?.has(hour)) return zone.get(hour) ?? null;
  const start = hour * HOUR_MS;
  const end = start + HOUR_MS - 1000;
  const atStart = offsetOfReading(freshReading(new Date(start), timeZone), start);
  const steady = atStart === offsetOfReading(freshReading(new Date(end), timeZone), end) ? atStart : null;
  if (!zone || zone.size >= READINGS_KEPT) {
    zone = new Map();
    steadyOffsets.set(timeZone, zone);
  }
  zone.set(hour, steady);
  return steady;
}

function freshReading(instant: Date, timeZone: string): ZonedReading {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const date = localDate(parts['year'] ?? NaN, parts['month'] ?? NaN, parts['day'] ?? NaN);
  return Object.freeze({ date, secondOfDay: (parts['hour'] ?? 0) * 3600 + (parts['minute'] ?? 0) * 60 + (parts['second'] ?? 0) });
}

/** The London (or other zone) date of an instant. */
export function dateInZone(instant: Date, timeZone: string): LocalDate {
  return readInZone(instant, timeZone).date;
}

/** The zone's offset from UTC at an instant, in milliseconds (3 600 000 during BST). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const { date, secondOfDay } = readInZone(instant, timeZone);
  const wallAsUtc = toDayNumber(date) * DAY_MS + secondOfDay * 1000;
  return wallAsUtc - (instant.getTime() - instant.getUTCMilliseconds());
}

/** Parses `HH:MM` or `HH:MM:SS` (24-hour) into seconds since midnight. */
export function parseLocalTime(text: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec(text);
  if (!match) throw new InvalidLocalTime(text);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0);
}

/**
 * The instant a wall-clock time happens in a zone. A time skipped when the clocks go forward is
 * read as if the clocks had not changed yet (01:30 on the spring-forward day becomes 02:30 BST);
 * a time that happens twice in autumn is the first of the two.
 */
export function instantOfWallTime(date: LocalDate, secondOfDay: number, timeZone: string): Date {
  const wallAsUtc = toDayNumber(date) * DAY_MS + secondOfDay * 1000;
  // Try the offsets in force a day either side; the larger offset first gives the earlier
  // instant for a repeated hour.
  const candidates = [zoneOffsetMs(new Date(wallAsUtc - DAY_MS), timeZone), zoneOffsetMs(new Date(wallAsUtc + DAY_MS), timeZone)].sort((a, b) => b - a);
  for (const offset of candidates) {
    const instant = new Date(wallAsUtc - offset);
    const reading = readInZone(instant, timeZone);
    if (reading.date === date && reading.secondOfDay === secondOfDay) return instant;
  }
  // In a gap: keep the offset from before the change, which lands after the gap.
  return new Date(wallAsUtc - Math.min(...candidates));
}

/** The instant a date begins in a zone (its first moment). */
export function startOfDayInZone(date: LocalDate, timeZone: string): Date {
  return instantOfWallTime(date, 0, timeZone);
}

/** The last millisecond of a date in a zone: the moment a deadline "by the end of" that day ends. */
export function endOfDayInZone(date: LocalDate, timeZone: string): Date {
  return new Date(startOfDayInZone(addDays(date, 1), timeZone).getTime() - 1);
}

/**
 * Reads ISO-8601 text as an instant: a date with a time and `Z` or an offset is that instant; a
 * date and time without an offset is wall-clock time in the zone; a bare date is the start of
 * that day in the zone. Anything else throws `InvalidInstant`.
 * @example parseInstant('2025-04-03T10:00', 'Europe/London').toISOString() // '2025-04-03T09:00:00.000Z'
 */
export function parseInstant(text: string, timeZone: string): Date {
  const trimmed = text.trim();
  if (isLocalDate(trimmed)) return startOfDayInZone(trimmed, timeZone);
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/i.exec(trimmed);
  const datePart = match?.[1];
  const timePart = match?.[2];
  if (!match || datePart === undefined || timePart === undefined || !isLocalDate(datePart)) {
    throw new InvalidInstant(`"${text}"`);
  }
  let secondOfDay: number;
  try {
    secondOfDay = parseLocalTime(timePart);
  } catch {
    throw new InvalidInstant(`"${text}"`);
  }
  const fraction = match[3] ? Math.floor(Number(`0${match[3]}`) * 1000) : 0;
  const zone = match[4];
  if (zone === undefined) {
    return new Date(instantOfWallTime(datePart, secondOfDay, timeZone).getTime() + fraction);
  }
  let offsetMs = 0;
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const hours = Number(digits.slice(0, 2));
    const minutes = Number(digits.slice(2, 4));
    if (hours > 23 || minutes > 59) throw new InvalidInstant(`"${text}"`);
    offsetMs = sign * (hours * 60 + minutes) * 60_000;
  }
  return new Date(toDayNumber(datePart) * DAY_MS + secondOfDay * 1000 + fraction - offsetMs);
}
