/**
 * Telling the complainant something by email or text: one notice at a time, from a worker that
 * took it from the outbox. A retried send of the same notice (the same `id`) must not reach them
 * twice wherever the provider lets us tell (GOV.UK Notify's `reference`, an email's Message-ID).
 *
 * What a send throws says whether to try again: `ContactRefused` means never (the provider refused
 * this address, number or template); any other error means later (network, rate limit, an outage,
 * a refused key that someone has to fix). Neither error carries the address or number.
 */
import type { ComplainantNotice } from '../cases/outbox-event.js';

/** How the complainant is reached outside the chat. */
export type ContactChannel = 'email' | 'sms';

/** One notice to one complainant, with everything the words need and nothing more. */
export interface ComplainantMessage {
  /** The outbox event's id: Notify's `reference` and the email's Message-ID; a send is idempotent by it. */
  readonly id: string;
  readonly channel: ContactChannel;
  /** An email address, or a UK phone number in +44 form. */
  readonly to: string;
  readonly notice: ComplainantNotice;
  /** The case reference as people read it: "ABC-DEF-GHJ". */
  readonly reference: string;
  readonly name: string | null;
  /** When they will hear back, already in words: "Friday 4 December 2026". */
  readonly respondBy: string | null;
  /** The complaint's or staff's words; null unless the organisation allows content in email and text. */
  readonly content: string | null;
}

/** Which service carries the messages: `notify+smtp` sends texts by GOV.UK Notify and email by SMTP. */
export type ComplainantMailerKind = 'notify' | 'smtp' | 'local' | 'notify+smtp';

/** Sends email and text to complainants through one configured provider (or a local outbox). */
export interface ComplainantMailer {
  readonly kind: ComplainantMailerKind;
  /** The channels it can carry; a message on another channel is refused with `ContactRefused`. */
  readonly channels: readonly ContactChannel[];
  /** Sends one message, or does nothing if this `id` was already sent. */
  send(message: ComplainantMessage): Promise<void>;
}

/**
 * The provider refused this message for good (an invalid address or number, a template it does
 * not know, a channel this mailer cannot carry): trying again cannot help. `reason` is the
 * provider's own words, with the address or number taken out.
 */
export class ContactRefused extends Error {
  override readonly name = 'ContactRefused';
  constructor(
    readonly channel: ContactChannel,
    readonly reason: string,
  ) {
    super(`The ${channel === 'sms' ? 'text message' : 'email'} was refused: ${reason}`);
  }
}
