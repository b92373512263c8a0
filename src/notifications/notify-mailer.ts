/**
 * Email and text through GOV.UK Notify, the service UK public bodies use. Notify sends from
 * templates made in its web interface; this uses one generic template per channel and writes the
 * words itself, so a notice's wording lives in this repository, is tested, and changes without
 * anyone editing templates:
 *
 * - the email template: subject `((subject))`, body `((body))`;
 * - the text template: `((body))`.
 *
 * Both also receive `((reference))` (the case reference, "ABC-DEF-GHJ") for an organisation that
 * wants it in a template's own lines. Each message's `reference` at Notify is the outbox event's
 * id. Notify does not refuse a second message with the same reference, so before sending, the
 * mailer asks Notify for a notification with it and sends only if there is none: a retry after an
 * answer lost on the way back does not send twice.
 *
 * Answers: 400 (an invalid address or number, a template Notify does not know, a missing
 * personalisation field) is `ContactRefused`; 403 (a wrong or revoked key, a clock more than 30 s
 * out) is `ProviderCredentialsRefused`, retried so messages wait for the fix; 429, 5xx, no answer
 * or none in time is `ContactDeferred`.
 */
import { NotifyClient } from 'notifications-node-client';
import { z } from 'zod';
import { type ComplainantMailer, type ComplainantMessage, type ContactChannel, ContactRefused } from '../ports/complainant-mailer.js';
import { ContactDeferred, ProviderCredentialsRefused, withoutContactDetails } from './errors.js';
import type { NoticeWriter } from './notice-wording.js';

/** Notify's production API. */
const NOTIFY_BASE_URL = 'https://api.notifications.service.gov.uk';

/** How long Notify has to answer one request before the message is tried again later. */
const ANSWER_WITHIN_MS = 30_000;

/** What the Notify mailer needs. */
export interface NotifyMailerOptions {
  /** `{key name}-{service id}-{secret key}`, as Notify shows it once. */
  readonly apiKey: string;
  readonly baseUrl?: string;
  /** The generic templates; a channel without one is not offered. */
  readonly emailTemplateId: string | null;
  readonly smsTemplateId: string | null;
  readonly writer: NoticeWriter;
  /** How long one request may take (tests shorten it). */
  readonly answerWithinMs?: number;
}

/** Notify's error answer: `{"status_code":400,"errors":[{"error":"BadRequestError","message":"..."}]}`. */
const notifyErrorBody = z.object({
  errors: z.array(z.object({ error: z.string(), message: z.string() })).min(1),
});

/** The part of an HTTP client's (axios's) error that says what the server answered, if anything. */
const httpFailure = z.object({
  response: z.object({ status: z.number(), data: z.unknown() }).optional(),
  code: z.string().optional(),
});

/** Sends email and text messages through GOV.UK Notify. */
export class NotifyMailer implements ComplainantMailer {
  readonly kind = 'notify';
  readonly channels: readonly ContactChannel[];
  private readonly client: NotifyClient;
  private readonly templates: Readonly<Record<ContactChannel, string | null>>;

  constructor(private readonly options: NotifyMailerOptions) {
    this.client = new NotifyClient(options.baseUrl ?? NOTIFY_BASE_URL, options.apiKey);
    this.templates = { email: options.emailTemplateId, sms: options.smsTemplateId };
    this.channels = (['email', 'sms'] as const).filter((channel) => this.templates[channel] !== null);
  }

  async send(message: ComplainantMessage): Promise<void> {
    const templateId = this.templates[message.channel];
    if (templateId === null) throw new ContactRefused(message.channel, 'GOV.UK Notify has no template for this channel in this configuration');
    try {
      if (await this.withinTime(message.channel, this.alreadySent(message))) return;
      await this.withinTime(message.channel, this.post(templateId, message));
    } catch (error) {
      throw asContactError(error, message.channel);
    }
  }

  /** Whether Notify already has a message with this event id as its reference. */
  private async alreadySent(message: ComplainantMessage): Promise<boolean> {
    const answer = await this.client.getNotifications(message.channel, undefined, message.id);
    return answer.data.notifications.some((notification) => notification.reference === message.id);
  }

  private async post(templateId: string, message: ComplainantMessage): Promise<void> {
    if (message.channel === 'email') {
      const { subject, body } = this.options.writer.email(message);
      await this.client.sendEmail(templateId, message.to, { personalisation: { subject, body, reference: message.reference }, reference: message.id });
    } else {
      const body = this.options.writer.text(message);
      await this.client.sendSms(templateId, message.to, { personalisation: { body, reference: message.reference }, reference: message.id });
    }
  }

  /**
   * The client sets no timeout of its own, and a request that never ends would hold a worker
   * forever. A request given up on may still arrive; the reference check on the retry finds it.
   */
  private async withinTime<T>(channel: ContactChannel, request: Promise<T>): Promise<T> {
    const limit = this.options.answerWithinMs ?? ANSWER_WITHIN_MS;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(new ContactDeferred('notify', channel, `no answer within ${limit} ms`));
      }, limit);
    });
    try {
      return await Promise.race([request, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Notify's answer as the port's errors. The client's own error is not kept: it holds the request,
 * and so the address or number, which must not reach a log.
 */
function asContactError(error: unknown, channel: ContactChannel): Error {
  if (error instanceof ContactDeferred) return error;
  const failure = httpFailure.safeParse(error);
  if (!failure.success || (!failure.data.response && !failure.data.code)) return error instanceof Error ? error : new Error(String(error));
  const { response, code } = failure.data;
  if (!response) return new ContactDeferred('notify', channel, `no answer: ${code ?? 'network error'}`);
  const body = notifyErrorBody.safeParse(response.data);
  const said = body.success ? body.data.errors.map((entry) => `${entry.error}: ${entry.message}`).join('; ') : 'no error in the answer';
  const reason = withoutContactDetails(`${String(response.status)} ${said}`);
  if (response.status === 400) return new ContactRefused(channel, reason);
  if (response.status === 403) return new ProviderCredentialsRefused('notify', 'NOTIFY_API_KEY', reason);
  return new ContactDeferred('notify', channel, reason);
}
