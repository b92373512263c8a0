/** The rights audit in this process's memory (the embedded default; gone at a restart, like the cases). */
import { type RightsAudit, type RightsAuditEntry, rightsAuditEntrySchema } from '../../rights/rights-audit.js';

export class MemoryRightsAudit implements RightsAudit {
  private readonly entries: RightsAuditEntry[] = [];

  record(entry: RightsAuditEntry): Promise<void> {
    this.entries.push(rightsAuditEntrySchema.parse(entry));
    return Promise.resolve();
  }

  latest(count: number): Promise<RightsAuditEntry[]> {
    return Promise.resolve(this.entries.slice(-count).map((entry) => structuredClone(entry)));
  }
}
