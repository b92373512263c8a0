/**
 * The HTTP server for tests, listening on a free loopback port: `makeServer` with a recording
 * logger, the self-hosted widget on an in-memory conversation log, and a bot of the test's
 * choosing behind /api/messages (a spy, to prove what never reaches bot code).
 */
import type { AddressInfo } from 'node:net';
import type { TurnContext } from 'botbuilder';
import type { AzureTokenBroker } from '../../src/directline/azure-token-broker.js';
import { MemoryConversationLog } from '../../src/directline/memory-conversation-log.js';
import { SelfHostedDirectLineAdapter } from '../../src/directline/self-hosted-adapter.js';
import { SelfHostedDirectLine } from '../../src/directline/self-hosted-directline.js';
import { DirectLineTokens } from '../../src/directline/tokens.js';
import type { Logger } from '../../src/ports/logger.js';
import { ComplaintsCloudAdapter } from '../../src/server/bot-adapter.js';
import { botFrameworkAuthentication } from '../../src/server/bot-authentication.js';
import type { ChannelAuthentication } from '../../src/server/bot-route.js';
import { makeServer } from '../../src/server/make-server.js';
import { RateLimiter } from '../../src/http/rate-limiter.js';
import { loadWebAssets } from '../../src/web/web-assets.js';
import { SERVICE } from './conversation.js';

/** The secret the test server signs widget tokens with (so tests can forge expired ones). */
export const TEST_TOKEN_SECRET = 't'.repeat(32);

/** A logger that keeps every line, to check what was (and was not) logged; its children keep theirs in the same list. */
export class RecordingLogger implements Logger {
  constructor(
    readonly lines: { level: string; event: string; fields: Readonly<Record<string, unknown>> }[] = [],
    private readonly common: Readonly<Record<string, unknown>> = {},
  ) {}
  info(event: string, fields: Readonly<Record<string, unknown>> = {}): void {
    this.lines.push({ level: 'info', event, fields: { ...this.common, ...fields } });
  }
  warn(event: string, fields: Readonly<Record<string, unknown>> = {}): void {
    this.lines.push({ level: 'warn', event, fields: { ...this.common, ...fields } });
  }
  error(event: string, fields: Readonly<Record<string, unknown>> = {}): void {
    this.lines.push({ level: 'error', event, fields: { ...this.common, ...fields } });
  }
  child(fields: Readonly<Record<string, unknown>>): Logger {
    return new RecordingLogger(this.lines, { ...this.common, ...fields });
  }
}

/** A running test server. */
export interface TestServer {
  readonly url: string;
  readonly logger: RecordingLogger;
  /** The self-hosted widget's adapter and log, for messages sent outside a turn. */
  readonly widget: { readonly adapter: SelfHostedDirectLineAdapter; readonly log: MemoryConversationLog };
  /** The self-hosted Direct Line (to run its sweep of unfinished turns). */
  readonly directLine: SelfHostedDirectLine;
  close(): Promise<void>;
}

/** Starts the server on a free port. */
export async function startTestServer(options: {
  readonly mode: ChannelAuthentication;
  readonly appId?: string;
  readonly openIdMetadataUrl?: string;
  readonly logic: (context: TurnContext) => Promise<void>;
  readonly maxBodyBytes?: number;
  readonly perTokenBurst?: number;
  readonly ready?: () => Promise<boolean>;
  /** Azure mode: the widget's tokens come from this broker instead of the self-hosted Direct Line. */
  readonly azure?: AzureTokenBroker;
  readonly embedOrigins?: string;
  /** The service's public address (PUBLIC_URL). */
  readonly publicUrl?: string;
  readonly sessionsBurst?: number;
  /** Take the client's address from X-Forwarded-For (TRUST_PROXY), so a test can speak from several. */
  readonly trustProxy?: boolean;
  /** How long a claim on a widget turn lasts before the sweep may run it (`TURN_LEASE_MS` unless given). */
  readonly turnLeaseMs?: number;
}): Promise<TestServer> {
  const logger = new RecordingLogger();
  const authentication = botFrameworkAuthentication({
    appId: options.appId,
    appPassword: options.appId ? 'not-used-in-tests' : undefined,
    openIdMetadataUrl: options.openIdMetadataUrl,
  });
  const log = new MemoryConversationLog(options.turnLeaseMs);
  const adapter = new SelfHostedDirectLineAdapter(log, logger);
  const directLine = new SelfHostedDirectLine({
    tokens: new DirectLineTokens(TEST_TOKEN_SECRET, 60_000),
    log,
    adapter,
    bot: options.logic,
    logger,
    perToken: new RateLimiter(options.perTokenBurst ?? 20, 5),
  });
  const built = makeServer({
    logger,
    web: loadWebAssets(SERVICE),
    widget: options.azure
      ? { mode: 'azure', broker: options.azure }
      : {
          mode: 'self-hosted',
          log,
          directLine,
        },
    channel: { adapter: new ComplaintsCloudAdapter(authentication, logger), mode: options.mode, logic: options.logic },
    ready: options.ready ?? (() => Promise.resolve(true)),
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    publicUrl: options.publicUrl,
    trustProxy: options.trustProxy ?? false,
    embedOrigins: options.embedOrigins ?? '*',
    sessions: new RateLimiter(options.sessionsBurst ?? 50, 1),
  });
  await new Promise<void>((resolve) => {
    built.server.listen(0, '127.0.0.1', resolve);
  });
  const port = (built.server.server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    logger,
    widget: { adapter, log },
    directLine,
    close: async () => {
      built.closeStreams();
      built.server.server.closeAllConnections();
      await new Promise<void>((resolve) => {
        built.server.close(() => {
          resolve();
        });
      });
      await log.close();
    },
  };
}
