/**
 * Words suggesting someone may be at risk, to be told to staff urgently. Unlike a change to a
 * case there may be no case yet (the person is still writing it, or never writes one), so a
 * concern is not an outbox event of a case: it is queued for staff on its own, durably where the
 * stores are, under an id made from the conversation, the time and the words, so that telling
 * it again (a turn run twice, a retry after a failure) queues it once.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { conversationReferenceSchema } from '../cases/case.js';
import { type CaseReference, isCaseReference } from '../cases/reference.js';

export const urgentConcernSchema = z.strictObject({
  id: z.string().regex(/^concern\.[0-9a-f]{32}$/),
  note: z.string().min(1).max(1000),
  raisedAt: z.iso.datetime({ offset: true }),
  /** The case it was said about, when the person had found or made one; null otherwise. */
  reference: z.custom<CaseReference>((value) => typeof value === 'string' && isCaseReference(value), 'is not a case reference').nullable(),
  /** Where to reach the person who said it. */
  conversation: conversationReferenceSchema.nullable(),
});
export type UrgentConcern = z.output<typeof urgentConcernSchema>;

/** The concern's id: the same words said at the same time in the same conversation are one concern. */
export function concernId(conversationId: string, raisedAt: string, note: string): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([conversationId, raisedAt, note]))
    .digest('hex');
  return `concern.${digest.slice(0, 32)}`;
}
