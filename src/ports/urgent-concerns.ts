/**
 * Where words suggesting someone may be at risk go: to staff, urgently and durably where the
 * stores are (the effect runner queues them ahead of other work).
 */
import type { UrgentConcern } from '../outbox/urgent-concern.js';

/** Takes urgent concerns for staff. */
export interface UrgentConcerns {
  /** Resolves once the concern is kept to be told; throws when it could not be kept. */
  raiseConcern(concern: UrgentConcern): Promise<void>;
}
