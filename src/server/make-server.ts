/**
 * The HTTP server, built but not listening (the entry point listens; tests use port 0):
 * - `/` and `/widget/*`: the widget page, its frame for other sites, and Web Chat;
 * - `POST /api/directline/token`: a session for the widget (self-hosted or Azure);
 * - `/v3/directline/*` and its WebSocket stream: the self-hosted Direct Line;
 * - `POST /api/messages`: channels through Azure Bot Service, authenticated;
 * - `/healthz` (alive) and `/readyz` (storage answering; its detail counts failed effect jobs);
 * - `/metrics` in Prometheus' format, for a scraper inside the network or one holding METRICS_TOKEN;
 * - `GET /api/rights/exports/:token`: a subject access export, once, from a one-time link on a case card;
 * - `/api/tab/*`: the staff tab's API, behind Teams single sign-on.
 * Every response carries security headers; errors never carry internals.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TurnContext } from 'botbuilder';
import restify, { type Server } from 'restify';
import type { AzureTokenBroker } from '../directline/azure-token-broker.js';
import type { ConversationLog } from '../directline/conversation-log.js';
import { registerDirectLineRoutes } from '../directline/directline-routes.js';
import { guarded, storageDown } from '../http/guarded.js';
import { attachDirectLineStreams, type DirectLineStreams } from '../directline/directline-stream.js';
import type { SelfHostedDirectLine } from '../directline/self-hosted-directline.js';
import type { Metrics } from '../metrics/metrics.js';
import type { EffectCounts } from '../outbox/effect-runner.js';
import type { Logger } from '../ports/logger.js';
import type { WebAsset, WebAssets } from '../web/web-assets.js';
import type { ComplaintsCloudAdapter } from './bot-adapter.js';
import { type ChannelAuthentication, registerBotRoute } from './bot-route.js';
import { HttpRefusal, sendEmpty, sendJson } from '../http/responses.js';
import type { RateLimiter } from '../http/rate-limiter.js';
import { isExportToken } from '../rights/export-tickets.js';
import { registerTabRoutes, type TabDeps } from '../staff-tab/tab-routes.js';

/** How the widget reaches the bot. */
export type WidgetChannel =
  | { readonly mode: 'self-hosted'; readonly directLine: SelfHostedDirectLine; readonly log: ConversationLog }
  | { readonly mode: 'azure'; readonly broker: AzureTokenBroker };

/** Everything the server is built from. */
export interface ServerDeps {
  readonly logger: Logger;
  readonly web: WebAssets;
  readonly widget: WidgetChannel;
  /** /api/messages: the adapter, how requests are authenticated, and the bot to run. */
  readonly channel: { readonly adapter: ComplaintsCloudAdapter; readonly mode: ChannelAuthentication; readonly logic: (context: TurnContext) => Promise<void> };
  /** Whether storage answers now. */
  readonly ready: () => Promise<boolean>;
  /** The effect queues' job counts, for /readyz's detail. */
  readonly effects?: () => Promise<EffectCounts>;
  /** What GET /metrics serves (no /metrics without it). */
  readonly metrics?: Pick<Metrics, 'render'>;
  /** When set, /metrics answers only `Authorization: Bearer <token>` (METRICS_TOKEN). */
  readonly metricsToken?: string | undefined;
  readonly maxBodyBytes: number;
  /** The address browsers use, if fixed; otherwise worked out from each request. */
  readonly publicUrl: string | undefined;
  /** Whether to believe X-Forwarded-* headers (only behind a proxy that sets them). */
  readonly trustProxy: boolean;
  /** Sites allowed to frame the widget ("*" for any): a CSP frame-ancestors list. */
  readonly embedOrigins: string;
  /** New widget sessions per client address. */
  readonly sessions: RateLimiter;
  /** The subject access export a one-time link opens (see `src/rights/export-tickets.ts`): its page, or null when the link is used or expired. */
  readonly rightsExport?: (token: string) => Promise<string | null>;
  /** The staff tab's API (with Teams and single sign-on configured). */
  readonly tab?: TabDeps;
}

/** The server, and what to close when it stops. */
export interface BuiltServer {
  readonly server: Server;
  /** Closes open widget streams (the entry point closes the listener and storage). */
  closeStreams(): void;
}

/** The client's address, for per-client limits. */
function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? request.headers['x-forwarded-for'] : undefined;
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first || request.socket.remoteAddress || 'unknown';
}

/** The public base URL for a request: PUBLIC_URL, or its scheme and host. */
function publicBase(request: IncomingMessage, deps: Pick<ServerDeps, 'publicUrl' | 'trustProxy'>): string {
  if (deps.publicUrl) return deps.publicUrl.replace(/\/+$/, '');
  const proto = deps.trustProxy
    ? String(request.headers['x-forwarded-proto'] ?? '')
        .split(',')[0]
        ?.trim()
    : '';
  const scheme = proto === 'https' || proto === 'http' ? proto : 'encrypted' in request.socket && request.socket.encrypted ? 'https' : 'http';
  const host = (deps.trustProxy ? request.headers['x-forwarded-host'] : undefined) ?? request.headers.host ?? 'localhost';
  // A Host header is the client's to choose: keep only what a host name can contain.
  const safeHost =
    String(host)
      .split(',')[0]
      ?.trim()
      .replace(/[^A-Za-z0-9.:[\]-]/g, '') || 'localhost';
  return `${scheme}://${safeHost}`;
}

/** Whether a request carries `Authorization: Bearer <token>`, compared in constant time (as hashes, so the lengths match). */
function bearerIs(request: IncomingMessage, token: string): boolean {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/** /readyz's detail: effect jobs per queue and state, and failed ones in all; nulls when they cannot be read. */
async function jobsDetail(counts: (() => Promise<EffectCounts>) | null): Promise<{ failedJobs: number | null; queues: EffectCounts | null }> {
  const queues = counts ? await counts().catch(() => null) : null;
  return { failedJobs: queues ? queues.staff.failed + queues.complainant.failed : null, queues };
}

/**
 * The staff tab's Content-Security-Policy: its own scripts and styles, its own API, and framed
 * only by Teams (web, desktop and the Microsoft 365 hosts teams-js runs in) or this server.
 */
const TAB_CSP = [
  `default-src 'none'`,
  `script-src 'self'`,
  `style-src 'self'`,
  `img-src 'self' data:`,
  `connect-src 'self'`,
  `base-uri 'none'`,
  `form-action 'none'`,
  `frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://teams.cloud.microsoft https://*.cloud.microsoft https://*.office.com https://outlook.office.com https://*.microsoft365.com`,
].join('; ');

/** The Content-Security-Policy of the widget's pages. */
function contentSecurityPolicy(widget: WidgetChannel, frameAncestors: string): string {
  const azure = widget.mode === 'azure' ? new URL(widget.broker.domain) : null;
  const connect = azure ? `'self' ${azure.origin} wss://${azure.host}` : `'self'`;
  return [
    `default-src 'none'`,
    `script-src 'self'`,
    // Web Chat writes its styles into the page at run time.
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self' data:`,
    `connect-src ${connect}`,
    `base-uri 'none'`,
    `form-action 'none'`,
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

/** The `?v=` a request names, if any. */
function versionAsked(request: IncomingMessage): string | null {
  return new URL(request.url ?? '/', 'http://localhost').searchParams.get('v');
}

function serveAsset(request: IncomingMessage, response: ServerResponse, asset: WebAsset, pageHeaders: Record<string, string>): void {
  const headers: Record<string, string> = {
    'Content-Type': asset.contentType,
    ETag: asset.etag,
    // Pages are checked every time (their details come from configuration); a file asked for by
    // the version the pages name never changes, so it is kept for a year; otherwise for an hour.
    'Cache-Control': asset.page ? 'no-cache' : versionAsked(request) === asset.version ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
    Vary: 'Accept-Encoding',
    ...(asset.page ? pageHeaders : {}),
  };
  if (request.headers['if-none-match'] === asset.etag) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  const gzip = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
  const body = gzip ? asset.gzipped : asset.body;
  response.writeHead(200, { ...headers, 'Content-Length': String(body.length), ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** Builds the server. It does not listen. */
export function makeServer(deps: ServerDeps): BuiltServer {
  const { logger } = deps;
  const server = restify.createServer({ name: 'complaints-bot', handleUncaughtExceptions: false });

  withPlainAnswers(server, deps.publicUrl?.startsWith('https://') === true);

  const pageCsp = contentSecurityPolicy(deps.widget, "'self'");
  const frameCsp = contentSecurityPolicy(deps.widget, deps.embedOrigins);
  for (const [path, asset] of deps.web) {
    // The staff tab is framed by Teams; the widget's frame by the sites that embed it; the rest by nobody else.
    const headers = path.startsWith('/tab/')
      ? { 'Content-Security-Policy': TAB_CSP }
      : {
          'Content-Security-Policy': path === '/widget/frame.html' ? frameCsp : pageCsp,
          ...(path === '/widget/frame.html' ? {} : { 'X-Frame-Options': 'SAMEORIGIN' }),
        };
    const handler = guarded(logger, `asset ${path}`, (request, response) => {
      serveAsset(request, response, asset, headers);
      return Promise.resolve();
    });
    server.get(path, handler);
    server.head(path, handler);
  }

  // Browsers ask for an icon on every page; there is none, and nothing to log about it.
  server.get(
    '/favicon.ico',
    guarded(logger, 'favicon', (_request, response) => {
      response.writeHead(204, { 'Cache-Control': 'public, max-age=86400' });
      response.end();
      return Promise.resolve();
    }),
  );

  addOperationsRoutes(server, deps);

  // For the widget: whether a message can be saved now, and if not, what to tell the person and
  // when to look again (it asks after a post fails, and keeps asking until this says yes).
  server.get(
    '/api/chat-status',
    guarded(logger, 'chat-status', async (_request, response) => {
      if (!(await deps.ready())) throw storageDown();
      sendJson(response, 200, { status: 'ok' });
    }),
  );

  server.post(
    '/api/directline/token',
    guarded(logger, 'directline/token', async (request, response, log) => {
      const rate = deps.sessions.take(clientAddress(request, deps.trustProxy));
      if (!rate.allowed) throw new HttpRefusal(429, 'TooManyRequests', 'Too many new chats; please wait a moment', rate.retryAfterSeconds);
      const widget = deps.widget;
      const session = widget.mode === 'azure' ? await widget.broker.startSession() : await widget.directLine.startSession();
      const domain = widget.mode === 'azure' ? widget.broker.domain : `${publicBase(request, deps)}/v3/directline`;
      log.info('widget.session-started', { mode: widget.mode });
      sendJson(response, 200, { token: session.token, conversationId: session.conversationId, userId: session.userId, expires_in: session.expiresIn, domain });
    }),
  );

  registerBotRoute(server, { ...deps.channel, maxBodyBytes: deps.maxBodyBytes, logger });

  if (deps.tab) registerTabRoutes(server, deps.tab);

  const rightsExport = deps.rightsExport;
  if (rightsExport) {
    // Personal data: never cached, never framed, nothing but the page's own styles and its one form.
    const exportHeaders = {
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      'Cache-Control': 'no-store',
      'X-Frame-Options': 'DENY',
      'Content-Type': 'text/html; charset=utf-8',
    };
    const answer = (response: ServerResponse, status: number, body: string): void => {
      response.writeHead(status, { ...exportHeaders, 'Content-Length': String(Buffer.byteLength(body)) });
      response.end(body);
    };
    // Opening the link only asks: mail and chat link checkers open links they see, and the link works once.
    server.get(
      '/api/rights/exports/:token',
      guarded(logger, 'rights/export', (_request, response) => {
        answer(response, 200, EXPORT_LINK_CONFIRM);
        return Promise.resolve();
      }),
    );
    server.post(
      '/api/rights/exports/:token',
      guarded(logger, 'rights/export', async (request, response, log) => {
        const token = request.params?.['token'] ?? '';
        const page = isExportToken(token) ? await rightsExport(token) : null;
        log.info('rights.export-opened', { found: page !== null });
        answer(response, page ? 200 : 404, page ?? EXPORT_LINK_USED);
      }),
    );
  }

  let streams: DirectLineStreams | null = null;
  if (deps.widget.mode === 'self-hosted') {
    registerDirectLineRoutes(server, deps.widget.directLine, {
      maxBodyBytes: deps.maxBodyBytes,
      publicBase: (request) => publicBase(request, deps),
      clientAddress: (request) => clientAddress(request, deps.trustProxy),
      logger,
    });
    streams = attachDirectLineStreams(server.server, deps.widget.directLine, deps.widget.log, logger);
  }
  return { server, closeStreams: () => streams?.close() };
}

/** What a subject access export link shows first: a button that opens it (and uses the link up). */
const EXPORT_LINK_CONFIRM =
  '<!doctype html><html lang="en-GB"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
  '<title>Subject access export</title><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem">' +
  '<h1>Subject access export</h1><p>This opens everything the complaints service holds about one person. The link works once.</p>' +
  '<form method="post"><button type="submit">Open the export</button></form></body></html>';

/** The page a used or expired export link opens. */
const EXPORT_LINK_USED =
  '<!doctype html><html lang="en-GB"><meta charset="utf-8"><title>Link used</title>' +
  '<p>This link has been used or has expired. Ask for the export again from the case card.</p></html>';

/** What the operations routes need: a delivery instance has these and nothing else of a server. */
export type OperationsDeps = Pick<ServerDeps, 'logger' | 'ready' | 'effects' | 'metrics' | 'metricsToken'>;

/** Headers every answer carries; HSTS only where the service is on https (a browser would otherwise refuse plain http to a local run for a year). */
function securityHeaders(https: boolean): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
    ...(https ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/** Security headers on every answer, 404 and 405 included, and those two without restify's bodies (they repeat the path). */
function withPlainAnswers(server: restify.Server, https: boolean): void {
  const headers = securityHeaders(https);
  server.use(async (_request, response) => {
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    await Promise.resolve();
  });
  // restify's own 404 and 405 bodies repeat the path; answer with nothing instead (through
  // restify's response, so it knows the answer has gone and sends nothing more).
  for (const [event, status] of [
    ['NotFound', 404],
    ['MethodNotAllowed', 405],
  ] as const) {
    server.on(event, (_request: IncomingMessage, response: restify.Response, _error: unknown, done: () => void) => {
      response.sendRaw(status, '', { ...headers, 'Content-Length': '0', 'Cache-Control': 'no-store' });
      done();
    });
  }
}

/** `/healthz`, `/readyz` and `/metrics`: what a platform and a scraper ask of any instance. */
function addOperationsRoutes(server: restify.Server, deps: OperationsDeps): void {
  const { logger } = deps;
  server.get(
    '/healthz',
    guarded(logger, 'healthz', (_request, response) => {
      sendJson(response, 200, { status: 'ok' });
      return Promise.resolve();
    }),
  );
  server.get(
    '/readyz',
    guarded(logger, 'readyz', async (_request, response) => {
      const ready = await deps.ready();
      // Failed jobs need someone's attention but do not make this instance unready: only storage does.
      const detail = deps.effects ? { detail: await jobsDetail(ready ? deps.effects : null) } : {};
      sendJson(response, ready ? 200 : 503, { status: ready ? 'ready' : 'storage unavailable', ...detail });
    }),
  );
  const metrics = deps.metrics;
  if (metrics) {
    server.get(
      '/metrics',
      guarded(logger, 'metrics', async (request, response) => {
        if (deps.metricsToken !== undefined && !bearerIs(request, deps.metricsToken)) {
          sendEmpty(response, 401, { 'WWW-Authenticate': 'Bearer' });
          return;
        }
        const { contentType, body } = await metrics.render();
        response.writeHead(200, { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(body)), 'Cache-Control': 'no-store' });
        response.end(body);
      }),
    );
  }
}

/**
 * The server of a delivery instance (`--workers`): the operations routes only, so that a platform
 * can check it and a scraper can read its job metrics (failures, retries, delivery times are
 * counted where the workers run), and nothing a member of the public or Bot Framework could use.
 */
export function makeOperationsServer(deps: OperationsDeps): restify.Server {
  const server = restify.createServer({ name: 'complaints-delivery', handleUncaughtExceptions: false });
  // Read by the platform and a scraper over the internal network, never by a browser: no HSTS.
  withPlainAnswers(server, false);
  addOperationsRoutes(server, deps);
  return server;
}
