/**
 * Email through the organisation's own mail server (SMTP, with nodemailer), for organisations
 * that send from their own domain rather than through GOV.UK Notify. Email only: SMTP cannot send
 * a text. Each email is plain text, and its Message-ID is made from the outbox event's id, so a
 * retried send carries the same Message-ID, which mail systems and people can recognise as the
 * same message (SMTP itself cannot refuse a repeat).
 *
 * Answers: a permanent (5xx) refusal of the recipient is `ContactRefused`; refused credentials
 * are `ProviderCredentialsRefused`; anything else (no connection, a timeout, 4xx, a refusal of
 * the message itself) is `ContactDeferred`.
 */
import { createTransport } from 'nodemailer';
import { z } from 'zod';
import { type ComplainantMailer, type ComplainantMessage, type ContactChannel, ContactRefused } from '../ports/complainant-mailer.js';
import { ContactDeferred, ProviderCredentialsRefused, withoutContactDetails } from './errors.js';
import type { NoticeWriter } from './notice-wording.js';

/** What the SMTP mailer needs. */
export interface SmtpMailerOptions {
  /** smtp:// (STARTTLS when offered; `?requireTLS=true` to insist) or smtps://, with user and password if the server wants them. */
  readonly url: string;
  /** The From address: `complaints@council.gov.uk` or `"The council" <complaints@council.gov.uk>`. */
  readonly from: string;
  readonly writer: NoticeWriter;
  /** How long to wait for the server to connect, greet and answer (tests shorten it). */
  readonly answerWithinMs?: number;
}

/** How long the server has to connect, greet us and answer each command. */
const ANSWER_WITHIN_MS = 20_000;

/** What nodemailer's errors say about the server's answer. */
const smtpFailure = z.object({
  code: z.string().optional(),
  command: z.string().optional(),
  responseCode: z.number().optional(),
  response: z.string().optional(),
  message: z.string(),
});

/** Sends email through an SMTP server. */
export class SmtpMailer implements ComplainantMailer {
  readonly kind = 'smtp';
  readonly channels: readonly ContactChannel[] = ['email'];
  private readonly transport: ReturnType<typeof createTransport>;
  private readonly domain: string;

  constructor(private readonly options: SmtpMailerOptions) {
    const limit = options.answerWithinMs ?? ANSWER_WITHIN_MS;
    // One connection per message: a few messages a minute do not need a pool to close at shutdown.
    this.transport = createTransport({ url: options.url, connectionTimeout: limit, greetingTimeout: limit, socketTimeout: limit * 3 });
    this.domain = fromDomain(options.from);
  }

  async send(message: ComplainantMessage): Promise<void> {
    if (message.channel !== 'email') throw new ContactRefused(message.channel, 'SMTP sends email only; text messages need GOV.UK Notify');
    const { subject, body } = this.options.writer.email(message);
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: message.to,
        subject,
        text: body,
        messageId: messageIdFor(message.id, this.domain),
        // Automatic messages say so (RFC 3834), so auto-replies do not answer them.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    } catch (error) {
      throw asContactError(error);
    }
  }
}

/**
 * The Message-ID for an event: its id when that is already a valid left-hand side, as event ids
 * are ("K7M4QXP2C.3.0"), otherwise the id in base64url.
 * @example messageIdFor('K7M4QXP2C.3.0', 'council.gov.uk') // '<complaint-notice.K7M4QXP2C.3.0@council.gov.uk>'
 */
function messageIdFor(eventId: string, domain: string): string {
  const local = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(eventId) ? eventId : Buffer.from(eventId).toString('base64url');
  return `<complaint-notice.${local}@${domain}>`;
}

/** The domain of a From address, with or without a display name. */
function fromDomain(from: string): string {
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
  return address.slice(address.lastIndexOf('@') + 1).trim() || 'localhost';
}

/** nodemailer's error as the port's errors, without the address the server may have echoed. */
function asContactError(error: unknown): Error {
  const failure = smtpFailure.safeParse(error);
  if (!failure.success) return error instanceof Error ? error : new Error(String(error));
  const { code, command, responseCode, message } = failure.data;
  const reason = withoutContactDetails(message);
  if (command === 'RCPT TO' && responseCode !== undefined && responseCode >= 500 && responseCode !== 503) return new ContactRefused('email', reason);
  if (code === 'EAUTH' || code === 'ENOAUTH') return new ProviderCredentialsRefused('smtp', 'SMTP_URL', reason);
  return new ContactDeferred('smtp', 'email', code ? `${code}: ${reason}` : reason);
}
