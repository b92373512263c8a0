/**
 * The record of what was done under data protection rights: each subject access export, each
 * correction, each erasure (on request or at the end of retention), and each refusal, with who
 * did it, how and why. It holds no personal data (a reference, staff names, the reason), so it
 * outlives the erasures it records and can be shown to the Information Commissioner.
 */
import { z } from 'zod';

const instant = z.iso.datetime({ offset: true });

export const rightsAuditEntrySchema = z.strictObject({
  at: instant,
  action: z.enum(['subject-access', 'rectification', 'erasure', 'retention']),
  /** The case acted on, or null for a subject access search by contact detail that found none. */
  reference: z.string().max(20).nullable(),
  /** How the person was found (for subject access): never the email or phone itself. */
  foundBy: z.enum(['reference', 'email', 'phone']).nullable(),
  /** How many cases a subject access export held. */
  cases: z.number().int().min(0).nullable(),
  by: z.strictObject({ kind: z.enum(['staff', 'system']), id: z.string().max(500).nullable(), name: z.string().max(200).nullable() }),
  via: z.enum(['card', 'tab', 'cli', 'schedule']),
  outcome: z.enum(['done', 'refused', 'already-done']),
  /** Which fields a correction changed. */
  fields: z.array(z.string().max(20)).max(10).nullable(),
  reason: z.string().max(1000).nullable(),
});
export type RightsAuditEntry = z.output<typeof rightsAuditEntrySchema>;

/** Where the rights audit is kept. */
export interface RightsAudit {
  record(entry: RightsAuditEntry): Promise<void>;
  /** The latest entries, oldest first. */
  latest(count: number): Promise<RightsAuditEntry[]>;
}
