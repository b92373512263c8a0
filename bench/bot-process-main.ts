/**
 * The bot under test, in a process of its own so that its CPU and memory figures are the bot's
 * alone (the load generator and the connector stand-in run in the parent). Started by
 * `BotProcess.start` with its settings as the one argument (JSON); it listens on a free loopback
 * port, says so over IPC, and answers the parent's questions: CPU and memory used so far, the
 * same after a full garbage collection, and Redis commands and round trips counted on the client.
 *
 * Two bots, built from the same configuration and served by the same stack (restify, the
 * server's routes and ComplaintsCloudAdapter on /api/messages):
 * - `product`: the complaints bot as `composeApp` builds it, on Redis (as a web instance that only
 *   saves, EFFECT_WORKERS=false, or as the delivery instance that relays and delivers for it);
 * - `echo`: the baseline, Bot Framework's echo sample (an ActivityHandler that repeats each
 *   message and greets whoever arrives), in place of the bot.
 */
import { tracingChannel } from 'node:diagnostics_channel';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { getHeapSpaceStatistics } from 'node:v8';
import { ActivityHandler, type TurnContext } from 'botbuilder';
import { loadConfig, serviceDetailsFrom, type Config } from '../src/config/config.js';
import { MemoryConversationLog } from '../src/directline/memory-conversation-log.js';
import { SelfHostedDirectLineAdapter } from '../src/directline/self-hosted-adapter.js';
import { SelfHostedDirectLine } from '../src/directline/self-hosted-directline.js';
import { DirectLineTokens } from '../src/directline/tokens.js';
import { giveWayToTurns } from '../src/outbox/delivery-priority.js';
import { silentLogger } from '../src/ports/logger.js';
import { ComplaintsCloudAdapter } from '../src/server/bot-adapter.js';
import { botFrameworkAuthentication } from '../src/server/bot-authentication.js';
import { channelAuthenticationFor, composeApp } from '../src/server/compose.js';
import { type BuiltServer, makeServer } from '../src/server/make-server.js';
import { RateLimiter } from '../src/http/rate-limiter.js';
import { loadWebAssets } from '../src/web/web-assets.js';
import { ECHO_GREETING } from './conversation.js';
import { benchDataKeys, type BotProcessSettings, type ChildMessage, type ParentMessage, type RedisClientCounts, type Usage } from './bot-process.js';

/** Redis commands and sequential round trips made by this process's ioredis clients. */
const redis: RedisClientCounts = { commands: 0, roundTrips: 0, byName: {} };

const counting = { on: false };

/**
 * Counts commands from ioredis's own trace events. A command sent while none is awaiting its
 * answer starts a new round trip; commands sent while others are in flight (a pipeline, or
 * `Promise.all`) share it. Only turned on for the Redis-cost measurement, where turns run one at
 * a time, so the count per turn is the number of times the turn waited for Redis.
 */
function countRedisCommands(): void {
  if (counting.on) return;
  counting.on = true;
  const inFlight = { count: 0 };
  tracingChannel<object, { command?: string }>('ioredis:command').subscribe({
    start: (message) => {
      if (inFlight.count === 0) redis.roundTrips += 1;
      inFlight.count += 1;
      redis.commands += 1;
      const name = (message.command ?? '?').toLowerCase();
      redis.byName[name] = (redis.byName[name] ?? 0) + 1;
    },
    asyncEnd: () => {
      inFlight.count -= 1;
    },
    end: () => undefined,
    asyncStart: () => undefined,
    error: () => undefined,
  });
}

/** The echo baseline on the same server stack as the product. */
function echoServer(config: Config): { built: BuiltServer; close(): Promise<void>; idle(): Promise<boolean> } {
  const logger = silentLogger;
  const echo = new ActivityHandler();
  echo.onMessage(async (context, next) => {
    await context.sendActivity(`Echo: ${context.activity.text}`);
    await next();
  });
  echo.onMembersAdded(async (context, next) => {
    for (const member of context.activity.membersAdded ?? []) {
      if (member.id !== context.activity.recipient.id) await context.sendActivity(ECHO_GREETING);
    }
    await next();
  });
  const authentication = botFrameworkAuthentication({
    appId: config.MicrosoftAppId,
    appPassword: config.MicrosoftAppPassword,
    appType: config.MicrosoftAppType,
    tenantId: config.MicrosoftAppTenantId,
    openIdMetadataUrl: config.BOT_OPENID_METADATA_URL,
  });
  const log = new MemoryConversationLog();
  const logic = (context: TurnContext): Promise<void> => echo.run(context);
  const built = makeServer({
    logger,
    web: loadWebAssets(serviceDetailsFrom(config)),
    widget: {
      mode: 'self-hosted',
      log,
      directLine: new SelfHostedDirectLine({
        tokens: new DirectLineTokens('e'.repeat(32), config.DIRECT_LINE_TOKEN_MINUTES * 60_000),
        log,
        adapter: new SelfHostedDirectLineAdapter(log, logger),
        bot: logic,
        logger,
        perToken: new RateLimiter(config.WIDGET_REQUESTS_PER_SECOND * 4, config.WIDGET_REQUESTS_PER_SECOND),
      }),
    },
    channel: { adapter: new ComplaintsCloudAdapter(authentication, logger), mode: channelAuthenticationFor(config), logic },
    ready: () => Promise.resolve(true),
    maxBodyBytes: config.MAX_REQUEST_KB * 1024,
    publicUrl: config.PUBLIC_URL,
    trustProxy: config.TRUST_PROXY,
    embedOrigins: config.WIDGET_EMBED_ORIGINS,
    sessions: new RateLimiter(config.WIDGET_SESSIONS_PER_MINUTE, config.WIDGET_SESSIONS_PER_MINUTE / 60),
  });
  return { built, close: () => log.close(), idle: () => Promise.resolve(true) };
}

/** Heap in use by code (compiled functions), which grows as the optimiser works, not with conversations. */
function codeHeapUsed(): number {
  return getHeapSpaceStatistics()
    .filter((space) => space.space_name.startsWith('code_'))
    .reduce((sum, space) => sum + space.space_used_size, 0);
}

function usage(): Usage {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    cpuMicros: cpu.user + cpu.system,
    heapUsed: memory.heapUsed,
    heapCodeUsed: codeHeapUsed(),
    rss: memory.rss,
    external: memory.external,
    redis: { commands: redis.commands, roundTrips: redis.roundTrips, byName: { ...redis.byName } },
  };
}

/** Collects garbage until the heap stops shrinking (weak references and finalisers need a few rounds). */
async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('The bot process was started without --expose-gc');
  let previous = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 10; round += 1) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    const heap = process.memoryUsage().heapUsed;
    if (heap >= previous - 1024) break;
    previous = heap;
  }
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2] ?? '{}') as BotProcessSettings;
  const config = loadConfig({
    LOCAL_DEVELOPMENT: 'true',
    REDIS_URL: settings.redisUrl,
    REDIS_KEY_PREFIX: settings.prefix,
    CASE_SECRET: settings.caseSecret,
    DATA_KEYS: benchDataKeys(settings.caseSecret),
    EFFECT_WORKERS: settings.effectWorkers === false ? 'false' : 'true',
    // The acknowledgements thousands of lodgings cause go to a file of the run's own, not the developer's.
    LOCAL_OUTBOX_PATH: join(tmpdir(), `bench-outbox-${String(process.pid)}.jsonl`),
  });
  let server: { built: BuiltServer; close(): Promise<void>; idle(): Promise<boolean> };
  if (settings.mode === 'product') {
    if (settings.delivery) giveWayToTurns(config.DELIVERY_NICE);
    const app = await composeApp(config, { logger: silentLogger, warn: () => undefined });
    server = { built: app.built, close: () => app.close(), idle: () => app.effects.idle() };
  } else {
    server = echoServer(config);
  }
  const { built } = server;
  await new Promise<void>((resolve) => {
    built.server.listen(0, '127.0.0.1', resolve);
  });

  process.on('message', (message: ParentMessage) => {
    void (async () => {
      try {
        if (message.kind === 'gc') await collectGarbage();
        if (message.kind === 'count-redis') countRedisCommands();
        if (message.kind === 'stop') {
          built.closeStreams();
          built.server.server.closeAllConnections();
          await new Promise<void>((resolve) => {
            built.server.close(() => {
              resolve();
            });
          });
          await server.close();
        }
        const idle = message.kind === 'idle' ? await server.idle() : undefined;
        send({ kind: 'answer', id: message.id, usage: usage(), ...(idle === undefined ? {} : { idle }) });
        if (message.kind === 'stop') process.disconnect();
      } catch (error) {
        send({ kind: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  send({ kind: 'ready', port: (built.server.server.address() as AddressInfo).port });
}

main().catch((error: unknown) => {
  send({ kind: 'failed', id: null, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  process.exitCode = 1;
  process.disconnect();
});
