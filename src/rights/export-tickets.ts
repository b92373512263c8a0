/**
 * One-time links to a subject access export, for staff acting from a case card: Teams cannot take
 * a file from the bot in a channel, so the card offers a link instead. A ticket names the case
 * and who asked, and works once, for a few minutes; the export is made (and audited) when it is
 * opened, so it holds the case as it is then. The token is random and long; what is stored under
 * it holds no personal data.
 */
import { randomBytes } from 'node:crypto';

/** How long a link works. */
export const EXPORT_TICKET_MS = 10 * 60_000;

/** What a link stands for. */
export interface ExportTicket {
  readonly reference: string;
  readonly staff: { readonly id: string; readonly name: string };
}

/** Where tickets are kept until they are used or expire. */
export interface ExportTickets {
  /** Keeps a ticket under `token` for `EXPORT_TICKET_MS`. */
  keep(token: string, ticket: ExportTicket): Promise<void>;
  /** The ticket under `token`, taken (a second call finds nothing); null when used, expired or never issued. */
  take(token: string): Promise<ExportTicket | null>;
}

/** A fresh token: 32 random bytes, URL-safe. */
export function newExportToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether text could be a token (so anything else is refused before storage is asked). */
export function isExportToken(text: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(text);
}
