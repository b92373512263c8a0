/**
 * The rights audit on Redis: a stream under the prefix, never trimmed (a few entries a week at
 * most, and it is the organisation's proof of what it did). It holds no personal data, so it is
 * not sealed.
 */
import { type RightsAudit, type RightsAuditEntry, rightsAuditEntrySchema } from '../../rights/rights-audit.js';
import { storageCall } from './connection.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './scripts.js';

export class RedisRightsAudit implements RightsAudit {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async record(entry: RightsAuditEntry): Promise<void> {
    const checked = rightsAuditEntrySchema.parse(entry);
    await storageCall('record rights audit', () => this.client.xadd(this.keys.rightsAudit(), '*', 'e', JSON.stringify(checked)));
  }

  async latest(count: number): Promise<RightsAuditEntry[]> {
    const entries = await storageCall('read rights audit', () => this.client.xrevrange(this.keys.rightsAudit(), '+', '-', 'COUNT', count));
    return entries.reverse().flatMap(([, fields]) => {
      const parsed = rightsAuditEntrySchema.safeParse(JSON.parse(fields[fields.indexOf('e') + 1] ?? 'null'));
      return parsed.success ? [parsed.data] : [];
    });
  }
}
