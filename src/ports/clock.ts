/** The time, as a port: dialogs and stores ask it rather than reading the system clock, so tests can fix it. */
export interface Clock {
  now(): Date;
}

/** The system clock. */
export const systemClock: Clock = { now: () => new Date() };
