/** One-time export links in this process's memory (the embedded default). */
import { EXPORT_TICKET_MS, type ExportTicket, type ExportTickets } from '../../rights/export-tickets.js';

export class MemoryExportTickets implements ExportTickets {
  private readonly tickets = new Map<string, { readonly ticket: ExportTicket; readonly until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  keep(token: string, ticket: ExportTicket): Promise<void> {
    for (const [other, kept] of this.tickets) if (kept.until <= this.now()) this.tickets.delete(other);
    this.tickets.set(token, { ticket: structuredClone(ticket), until: this.now() + EXPORT_TICKET_MS });
    return Promise.resolve();
  }

  take(token: string): Promise<ExportTicket | null> {
    const kept = this.tickets.get(token);
    this.tickets.delete(token);
    return Promise.resolve(kept && kept.until > this.now() ? kept.ticket : null);
  }
}
