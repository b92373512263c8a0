/**
 * What the outbox's workers report for /metrics: jobs that failed (to be tried again, or for
 * good) and how long a saved change took to reach the person it was for, by channel.
 */

/** How an effect reached someone: staff in Teams, the complainant in their chat, by email or by text. */
export type DeliveryChannel = 'teams' | 'chat' | 'email' | 'sms';

/** Where the workers' counts go (the Prometheus registry in production). */
export interface EffectMetrics {
  /** A job failed: `final` when it will not be tried again, otherwise it is retried later. */
  jobFailed(queue: string, final: boolean): void;
  /** An effect was done by `channel` at `now`, for a change saved at `savedAt` (ISO 8601). */
  delivered(channel: DeliveryChannel, savedAt: string, now: Date): void;
}
