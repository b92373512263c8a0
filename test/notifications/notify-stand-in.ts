/**
 * A local stand-in for the GOV.UK Notify API (v2), checking requests as Notify does: the bearer
 * token is a JWT signed HS256 with the key's secret, issued by the key's service id within 30
 * seconds of now; the template exists and suits the channel; every ((field)) the template uses is
 * in the personalisation; the email address or UK mobile number is valid. It answers with Notify's
 * shapes: 201 and the notification, or `{"status_code":…,"errors":[{"error":…,"message":…}]}`.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A template as made in Notify's web interface. */
export interface StandInTemplate {
  readonly id: string;
  readonly type: 'email' | 'sms';
  readonly subject?: string;
  readonly body: string;
}

/** A notification the stand-in accepted. */
export interface AcceptedNotification {
  readonly id: string;
  readonly type: 'email' | 'sms';
  readonly templateId: string;
  readonly to: string;
  readonly personalisation: Readonly<Record<string, unknown>>;
  readonly reference: string | null;
  /** The template with the personalisation put in, as Notify would send it. */
  readonly subject: string | null;
  readonly body: string;
}

/** A made-up Notify API key and its parts. */
export function notifyKey(): { key: string; serviceId: string; secret: string } {
  const serviceId = randomUUID();
  const secret = randomUUID();
  return { key: `test_key-${serviceId}-${secret}`, serviceId, secret };
}

/** An HTTP answer. */
interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/** The error Notify would answer with. */
interface NotifyError {
  readonly status: number;
  readonly error: string;
  readonly message: string;
}

const PLACEHOLDER = /\(\(([^()]+)\)\)/g;

/** A running stand-in on an ephemeral loopback port. */
export class NotifyStandIn {
  readonly accepted: AcceptedNotification[] = [];
  /** Every request's method and path, including refused ones. */
  readonly requests: string[] = [];
  private readonly failures: NotifyError[] = [];
  private hangNext = false;
  private server: Server | null = null;

  constructor(
    private readonly serviceId: string,
    private readonly secret: string,
    private readonly templates: readonly StandInTemplate[],
  ) {}

  /** Starts listening; resolves to the base URL to give the client. */
  async start(): Promise<string> {
    const server = createServer((request, response) => {
      void this.handle(request, response);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  }

  /** The next sends (after the token check; not lookups) are answered with this error, once each. */
  failNext(status: number, error: string, message: string): void {
    this.failures.push({ status, error, message });
  }

  /** The next request is never answered. */
  neverAnswerNext(): void {
    this.hangNext = true;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => {
      server.close((error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    this.requests.push(`${request.method ?? ''} ${request.url ?? ''}`);
    if (this.hangNext) {
      this.hangNext = false;
      return;
    }
    const { status, body } = this.reply(request, Buffer.concat(chunks).toString('utf8'));
    // Two calls, not a chain: restify, loaded by other tests in this process, makes writeHead return nothing.
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  }

  /** What Notify would answer. */
  private reply(request: IncomingMessage, raw: string): Reply {
    const refused = this.checkToken(request.headers.authorization);
    if (refused) return errorReply(refused);
    const failure = request.method === 'POST' ? this.failures.shift() : undefined;
    if (failure) return errorReply(failure);
    const url = new URL(request.url ?? '/', 'http://stand-in');
    if (request.method === 'GET' && url.pathname === '/v2/notifications') return this.list(url);
    const type = request.method === 'POST' ? /^\/v2\/notifications\/(email|sms)$/.exec(url.pathname)?.[1] : undefined;
    if (type !== 'email' && type !== 'sms') return errorReply({ status: 404, error: 'Not Found', message: 'Not Found' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return errorReply({ status: 400, error: 'BadRequestError', message: 'Invalid JSON supplied in POST data' });
    }
    const outcome = this.accept(type, body);
    if ('status' in outcome) return errorReply(outcome);
    this.accepted.push(outcome);
    return {
      status: 201,
      body: {
        id: outcome.id,
        reference: outcome.reference,
        content:
          type === 'email' ? { subject: outcome.subject, body: outcome.body, from_email: 'complaints@notifications.service.gov.uk' } : { body: outcome.body },
        uri: `https://api.notifications.service.gov.uk/v2/notifications/${outcome.id}`,
        template: { id: outcome.templateId, version: 1, uri: `https://api.notifications.service.gov.uk/v2/template/${outcome.templateId}` },
      },
    };
  }

  /** Notify's token check: HS256 with the secret, `iss` the service id, `iat` within 30 seconds. */
  private checkToken(authorization: string | undefined): NotifyError | null {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (!token) return { status: 401, error: 'AuthError', message: 'Unauthorized: authentication token must be provided' };
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) return { status: 403, error: 'AuthError', message: 'Invalid token: signature, api token not found' };
    const expected = createHmac('sha256', this.secret).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    const claims = decode(payload);
    if (decode(header)['alg'] !== 'HS256' || given.length !== expected.length || !timingSafeEqual(given, expected) || claims['iss'] !== this.serviceId)
      return { status: 403, error: 'AuthError', message: 'Invalid token: signature, api token not found' };
    const issuedAt = claims['iat'];
    if (typeof issuedAt !== 'number' || Math.abs(Date.now() / 1000 - issuedAt) > 30)
      return { status: 403, error: 'AuthError', message: 'Error: Your system clock must be accurate to within 30 seconds' };
    return null;
  }

  private accept(type: 'email' | 'sms', body: Record<string, unknown>): AcceptedNotification | NotifyError {
    const template = this.templates.find((candidate) => candidate.id === body['template_id']);
    if (!template) return { status: 400, error: 'BadRequestError', message: 'Template not found' };
    if (template.type !== type) return { status: 400, error: 'BadRequestError', message: `${template.type} template is not suitable for ${type} notification` };
    const personalisation = (body['personalisation'] ?? {}) as Record<string, unknown>;
    const used = [...`${template.subject ?? ''} ${template.body}`.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
    const missing = [...new Set(used)].filter((field) => !(field in personalisation));
    if (missing.length > 0) return { status: 400, error: 'BadRequestError', message: `Missing personalisation: ${missing.join(', ')}` };
    const to = body[type === 'email' ? 'email_address' : 'phone_number'];
    if (type === 'email' && (typeof to !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(to)))
      return { status: 400, error: 'ValidationError', message: 'email_address Not a valid email address' };
    if (type === 'sms' && (typeof to !== 'string' || !isUkMobile(to)))
      return { status: 400, error: 'ValidationError', message: 'phone_number Not a UK mobile number' };
    const fill = (text: string): string => text.replace(PLACEHOLDER, (_whole, field: string) => String(personalisation[field]));
    return {
      id: randomUUID(),
      type,
      templateId: template.id,
      to: to as string,
      personalisation,
      reference: typeof body['reference'] === 'string' ? body['reference'] : null,
      subject: template.subject === undefined ? null : fill(template.subject),
      body: fill(template.body),
    };
  }

  private list(url: URL): Reply {
    const type = url.searchParams.get('template_type');
    const reference = url.searchParams.get('reference');
    const notifications = this.accepted
      .filter((notification) => (type === null || notification.type === type) && (reference === null || notification.reference === reference))
      .map((notification) => ({ id: notification.id, reference: notification.reference, type: notification.type, status: 'created', body: notification.body }));
    return { status: 200, body: { notifications, links: { current: `https://api.notifications.service.gov.uk${url.pathname}${url.search}` } } };
  }
}

function decode(part: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function isUkMobile(number: string): boolean {
  const digits = number.replace(/[\s().-]/g, '').replace(/^(\+44|0044|44)/, '0');
  return /^07\d{9}$/.test(digits);
}

function errorReply({ status, error, message }: NotifyError): Reply {
  return { status, body: { status_code: status, errors: [{ error, message }] } };
}

/** A token signed as Notify's clients sign them, for checking the stand-in's own check. */
export function notifyToken(serviceId: string, secret: string, issuedAt: number): string {
  const header = Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'HS256' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ iss: serviceId, iat: issuedAt })).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
