/**
 * An outbox event as Redis keeps it, in a shard's outbox stream and then in a delivery job: what
 * the relay routes by in the clear (its id, case, type and, for a held reply, its time), and the
 * event itself (a message's words, a colleague's name) sealed with its case's data key. Workers
 * open it through the case store when they run it. Events written before sealing are plain
 * events and are still carried and run as they are.
 */
import { z } from 'zod';
import { type OutboxEvent, outboxEventSchema } from '../../cases/outbox-event.js';
import { caseAssociatedData, seal } from '../encryption/data-keys.js';

export const sealedEventSchema = z.strictObject({
  id: z.string().min(1).max(100),
  reference: z.string().min(1).max(20),
  type: z.string().min(1).max(40),
  /** A held reply's time, for the job's delay. */
  until: z.string().max(40).optional(),
  sealed: z.string().min(4),
});
export type SealedEvent = z.output<typeof sealedEventSchema>;

/** What the relay needs of an event to queue it. */
export interface EventRoute {
  readonly id: string;
  readonly reference: string;
  readonly type: OutboxEvent['type'];
  readonly until?: string;
}

/** An event sealed with its case's data key. */
export function sealEvent(event: OutboxEvent, dataKey: Buffer): SealedEvent {
  return {
    id: event.id,
    reference: event.reference,
    type: event.type,
    ...(event.type === 'reply-held' ? { until: event.until } : {}),
    sealed: seal(JSON.stringify(event), dataKey, caseAssociatedData(event.reference, 'event')),
  };
}

const eventTypes = new Set<string>(outboxEventSchema.options.map((option) => option.shape.type.value));

/** How to route what a stream entry or job carries (sealed, or a plain event from before sealing); null for anything else. */
export function routeOf(carried: unknown): EventRoute | null {
  const sealed = sealedEventSchema.safeParse(carried);
  if (sealed.success) {
    const { id, reference, type, until } = sealed.data;
    return eventTypes.has(type) ? { id, reference, type: type as OutboxEvent['type'], ...(until ? { until } : {}) } : null;
  }
  const plain = outboxEventSchema.safeParse(carried);
  if (!plain.success) return null;
  return {
    id: plain.data.id,
    reference: plain.data.reference,
    type: plain.data.type,
    ...(plain.data.type === 'reply-held' ? { until: plain.data.until } : {}),
  };
}

/** Opens what a job carries into its event; the case store's `openEvent`. */
export interface EventOpener {
  openEvent(carried: unknown): Promise<OutboxEvent | null>;
}
