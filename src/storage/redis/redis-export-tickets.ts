/** One-time export links on Redis: a string per token that expires by itself, taken with GETDEL so it works once. */
import { z } from 'zod';
import { EXPORT_TICKET_MS, type ExportTicket, type ExportTickets } from '../../rights/export-tickets.js';
import { storageCall } from './connection.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './scripts.js';

const ticketSchema = z.strictObject({
  reference: z.string().max(20),
  staff: z.strictObject({ id: z.string().max(500), name: z.string().max(200) }),
});

export class RedisExportTickets implements ExportTickets {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async keep(token: string, ticket: ExportTicket): Promise<void> {
    await storageCall('keep export ticket', () => this.client.set(this.keys.rightsExportTicket(token), JSON.stringify(ticket), 'PX', EXPORT_TICKET_MS));
  }

  async take(token: string): Promise<ExportTicket | null> {
    const kept = await storageCall('take export ticket', () => this.client.getdel(this.keys.rightsExportTicket(token)));
    if (kept === null) return null;
    const parsed = ticketSchema.safeParse(JSON.parse(kept));
    return parsed.success ? parsed.data : null;
  }
}
