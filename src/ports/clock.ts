/** The time, as a port: dialogs and stores ask it rather than reading the system clock, so tests can fix it. */
export interface Clock {
  now(): Date;
}

/** The system clock. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that starts at `start` and runs on at the system clock's pace: for trying deadlines,
 * reminders and the digest in local development ("it is 08:29 on the day a reminder falls").
 */
export function clockStartingAt(start: Date, system: Clock = systemClock): Clock {
  const offset = start.getTime() - system.now().getTime();
  return { now: () => new Date(system.now().getTime() + offset) };
}
