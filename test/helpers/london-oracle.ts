/**
 * An independent model of London time for property tests: the UK rule since 1996 (summer time
 * from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October), in
 * plain UTC arithmetic. It shares no code with the Intl-based implementation under test.
 */
const HOUR = 3_600_000;

function lastSundayUtc(year: number, monthIndex: number): number {
  const lastDay = new Date(Date.UTC(year, monthIndex + 1, 0));
  return Date.UTC(year, monthIndex, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

/** Whether British Summer Time is in force at a UTC instant. */
export function isBritishSummerTime(utcMs: number): boolean {
  const year = new Date(utcMs).getUTCFullYear();
  return utcMs >= lastSundayUtc(year, 2) && utcMs < lastSundayUtc(year, 9);
}

/** The London wall-clock date (YYYY-MM-DD) of a UTC instant. */
export function londonDateOf(utcMs: number): string {
  const shifted = utcMs + (isBritishSummerTime(utcMs) ? HOUR : 0);
  return new Date(shifted).toISOString().slice(0, 10);
}

/**
 * The UTC instant of a London wall-clock time, for times that exist exactly once (callers keep
 * clear of 01:00-02:00 on the two change-over Sundays).
 */
export function londonWallTimeToUtc(date: string, secondOfDay: number): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + secondOfDay * 1000;
  return isBritishSummerTime(wall - HOUR) ? wall - HOUR : wall;
}
