/**
 * Opens the email and text provider the configuration asks for:
 *
 * - GOV.UK Notify (NOTIFY_API_KEY): email and text, by the templates configured;
 * - SMTP (SMTP_URL, MAIL_FROM): email only;
 * - both: texts by Notify and email by SMTP (the configuration refuses a Notify email template
 *   beside SMTP_URL, so which one sends email is never in doubt);
 * - neither: a local outbox file, with a warning that cannot be missed, because nothing is sent.
 */
import { resolve } from 'node:path';
import type { Config } from '../config/config.js';
import type { ComplainantMailer, ComplainantMessage, ContactChannel } from '../ports/complainant-mailer.js';
import type { ServiceDetails } from '../ports/service-details.js';
import { LocalOutboxMailer } from './local-outbox-mailer.js';
import { NoticeWriter } from './notice-wording.js';
import { NotifyMailer } from './notify-mailer.js';
import { SmtpMailer } from './smtp-mailer.js';

/** Where the local outbox is kept unless LOCAL_OUTBOX_PATH says otherwise (git-ignored). */
const DEFAULT_LOCAL_OUTBOX_PATH = '.local-outbox/messages.jsonl';

/** What the mailer's words need beyond the configuration. */
export interface ComplainantMailerSettings {
  /** The organisation's name and service desk number, as the conversation gives them. */
  readonly service: ServiceDetails;
  /** Where complainants open the chat to look their complaint up. */
  readonly chatUrl: string;
  /** A relative LOCAL_OUTBOX_PATH is resolved from here (the process's working directory by default). */
  readonly workingDirectory?: string;
}

/** The mailer, and the warning to print at start when nothing is really sent. */
export interface OpenedComplainantMailer {
  readonly mailer: ComplainantMailer;
  readonly warning: string | null;
}

/** The warning printed when email and text go to the local outbox. */
function nothingIsSentWarning(path: string): string {
  return [
    '!!! EMAILS AND TEXTS ARE NOT SENT !!!',
    'Neither NOTIFY_API_KEY (GOV.UK Notify) nor SMTP_URL is set, so what complainants would get by email or text',
    `is written to ${path} instead. Read it with: tail -f ${path}`,
    'Set NOTIFY_API_KEY and its template ids, or SMTP_URL and MAIL_FROM, before anyone relies on this bot.',
  ].join('\n');
}

/** The configured email and text mailer. */
export function openComplainantMailer(config: Config, settings: ComplainantMailerSettings): OpenedComplainantMailer {
  const writer = new NoticeWriter(
    { organisation: settings.service.organisation, chatUrl: settings.chatUrl, serviceDeskPhone: settings.service.serviceDesk.phone },
    config.CONTACT_CONTENT_ALLOWED,
  );
  const notify = config.NOTIFY_API_KEY
    ? new NotifyMailer({
        apiKey: config.NOTIFY_API_KEY,
        baseUrl: config.NOTIFY_BASE_URL,
        emailTemplateId: config.NOTIFY_EMAIL_TEMPLATE_ID ?? null,
        smsTemplateId: config.NOTIFY_SMS_TEMPLATE_ID ?? null,
        writer,
      })
    : null;
  const smtp = config.SMTP_URL && config.MAIL_FROM ? new SmtpMailer({ url: config.SMTP_URL, from: config.MAIL_FROM, writer }) : null;
  if (notify && smtp) return { mailer: new TextsByNotifyEmailBySmtp(notify, smtp), warning: null };
  if (notify) return { mailer: notify, warning: null };
  if (smtp) return { mailer: smtp, warning: null };
  const path = resolve(settings.workingDirectory ?? process.cwd(), config.LOCAL_OUTBOX_PATH ?? DEFAULT_LOCAL_OUTBOX_PATH);
  return { mailer: new LocalOutboxMailer(path, writer), warning: nothingIsSentWarning(path) };
}

/** Texts through Notify, email through the organisation's SMTP server. */
class TextsByNotifyEmailBySmtp implements ComplainantMailer {
  readonly kind = 'notify+smtp';
  readonly channels: readonly ContactChannel[] = ['email', 'sms'];

  constructor(
    private readonly notify: NotifyMailer,
    private readonly smtp: SmtpMailer,
  ) {}

  send(message: ComplainantMessage): Promise<void> {
    return message.channel === 'email' ? this.smtp.send(message) : this.notify.send(message);
  }
}
