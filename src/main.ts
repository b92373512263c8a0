/**
 * The entry point: reads the configuration (`--local`, as `npm start` passes, for local
 * development), builds the bot, listens, and on SIGTERM or SIGINT stops taking requests, lets
 * the turns in flight finish, and closes storage. With `--workers` it is a delivery instance
 * instead: the outbox's relay and workers, and no server.
 */
import { type Config, InvalidConfiguration, loadStartConfig } from './config/config.js';
import { type LocalSecrets, UnusableLocalSecrets } from './config/local-secrets.js';
import { JsonLogger } from './logging/json-logger.js';
import { giveWayToTurns } from './outbox/delivery-priority.js';
import { composeApp } from './server/compose.js';
import { makeOperationsServer } from './server/make-server.js';
import type { Server } from 'restify';

/** How long a shutdown waits for requests and turns before closing anyway. */
const SHUTDOWN_GRACE_MS = 25_000;

function banner(lines: readonly string[]): string {
  const width = Math.max(...lines.map((line) => line.length));
  const rule = '!'.repeat(width + 4);
  return `\n${rule}\n${lines.map((line) => `! ${line.padEnd(width)} !`).join('\n')}\n${rule}\n\n`;
}

/**
 * Libraries write to the console on their own (Bot Framework prints every refused token, with
 * the signing key). Logs here are one JSON object a line, so those become a log event that says
 * which library error it was, and nothing of the text, which is not ours to vouch for.
 */
function structureConsole(logger: JsonLogger): void {
  const relay =
    (level: 'warn' | 'error') =>
    (...args: unknown[]): void => {
      const errors = args.filter((arg): arg is Error => arg instanceof Error).map((error) => error.name);
      logger[level]('library.console', { errors });
    };
  console.error = relay('error');
  console.warn = relay('warn');
  console.log = relay('warn');
  // Node prints its own warnings through console.error, which made a deprecated call inside a
  // library (restify's use of process.binding) look like an error at every start. They are
  // warnings: one line each, with Node's code for looking it up.
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    logger.warn('node.warning', { name: warning.name, ...(warning.code === undefined ? {} : { code: warning.code }) });
  });
}

async function main(): Promise<void> {
  const logger = new JsonLogger();
  structureConsole(logger);
  let config;
  let localSecrets: LocalSecrets | null;
  try {
    ({ config, localSecrets } = loadStartConfig(process.argv));
  } catch (error) {
    if (error instanceof UnusableLocalSecrets) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    if (error instanceof InvalidConfiguration) {
      process.stderr.write(`${error.message}\n\nTo try the bot on this machine, run: npm start\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  const warn = (message: string): void => {
    process.stderr.write(banner(message.split('\n')));
  };
  if (localSecrets && localSecrets.supplied.length > 0) {
    process.stderr.write(
      `\nLocal development: ${listed(localSecrets.supplied)} ${localSecrets.supplied.length === 1 ? 'comes' : 'come'} from ${localSecrets.file} ` +
        `(${localSecrets.created ? 'made now' : 'kept from an earlier start'}; git-ignored), so cases and open chats survive a restart. Keep the file; ` +
        `never use it for real.\n`,
    );
  }
  const deliveryOnly = process.argv.includes('--workers');
  if (deliveryOnly && (!config.REDIS_URL || !config.EFFECT_WORKERS)) {
    process.stderr.write(
      '--workers runs a delivery instance: it relays and delivers what the web instances saved in Redis. It needs REDIS_URL, the same ' +
        'REDIS_KEY_PREFIX, CASE_SECRET and DATA_KEYS as they have, and EFFECT_WORKERS left true.\n',
    );
    process.exitCode = 2;
    return;
  }
  const app = await composeApp(config, { logger, warn });
  if (deliveryOnly) {
    await deliverOnly(app, logger, config);
    return;
  }
  if (app.channelAuthentication === 'local-unauthenticated') {
    warn(
      'LOCAL DEVELOPMENT: /api/messages accepts requests WITHOUT authentication.\nThis is for the Bot Framework Emulator or Agents Playground on this ' +
        'machine only;\nthe server listens on loopback. Never run like this where others can reach it.',
    );
  }
  if (config.LOCAL_DEVELOPMENT && !config.SERVICE_DESK_PHONE) {
    warn(
      'LOCAL DEVELOPMENT: the service desk, privacy notice and safeguarding numbers\nshown to people are EXAMPLES. Set SERVICE_* and the others before ' +
        'real use.',
    );
  }
  if (app.channelAuthentication === 'closed') {
    logger.warn('channel.closed', { reason: 'MicrosoftAppId is not set, so /api/messages (Teams, Azure Direct Line) refuses every request' });
  }

  const { server } = app.built;
  // Ready to stop before listening: a signal that comes the moment the server is up (a platform
  // that starts and stops an instance at once, a test) must find the handlers already there.
  const shutdown = { started: false };
  const stop = async (signal: string): Promise<void> => {
    if (shutdown.started) return;
    shutdown.started = true;
    logger.info('server.stopping', { signal });
    const grace = setTimeout(() => {
      server.server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    grace.unref();
    const closed = new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
    server.server.closeIdleConnections();
    app.built.closeStreams();
    await closed;
    await Promise.race([
      app.drain(),
      new Promise((resolve) => {
        setTimeout(resolve, SHUTDOWN_GRACE_MS).unref();
      }),
    ]);
    await app.close();
    clearTimeout(grace);
    logger.info('server.stopped', { signal });
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stop(signal).catch((error: unknown) => {
        logger.error('server.stop-failed', { error: error instanceof Error ? error.name : 'unknown' });
        process.exitCode = 1;
      });
    });
  }

  const { url, port } = await listen(server, config.PORT, config);
  logger.info('server.listening', {
    url,
    port,
    storage: app.stores.durable ? 'redis' : 'memory',
    widget: config.DIRECT_LINE_MODE,
    channel: app.channelAuthentication,
  });
  if (config.LOCAL_DEVELOPMENT) process.stderr.write(`\nThe complaints chat is running. Open ${url} in a browser.\n\n`);
  // Stopped while it was starting to listen: close what was just opened.
  if (shutdown.started) server.close();
}

/** Listens on `port` (loopback in local development unless HOST says otherwise); answers with the address. */
async function listen(server: Server, port: number, config: Pick<Config, 'HOST' | 'LOCAL_DEVELOPMENT'>): Promise<{ url: string; port: number }> {
  const host = config.HOST ?? (config.LOCAL_DEVELOPMENT ? '127.0.0.1' : '0.0.0.0');
  await new Promise<void>((resolve) => {
    server.listen(port, host, resolve);
  });
  const address = server.server.address();
  // A server listening on a port (not a pipe) always has one; anything else is a fault in the start-up.
  if (address === null || typeof address === 'string') throw new Error(`The server is not listening on a port (its address is ${String(address)})`);
  return { url: `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/`, port: address.port };
}

/**
 * A delivery instance (`--workers`): the outbox's relay and workers, so that delivery has a
 * process (and a core) of its own and web instances (EFFECT_WORKERS=false) spend theirs on turns.
 * It serves only /healthz, /readyz and /metrics (its job metrics are counted here), on
 * DELIVERY_PORT. Runs until SIGTERM or SIGINT, then lets the jobs in hand finish.
 */
async function deliverOnly(app: Awaited<ReturnType<typeof composeApp>>, logger: JsonLogger, config: Config): Promise<void> {
  const priority = giveWayToTurns(config.DELIVERY_NICE);
  if ('failed' in priority) logger.warn('delivery.priority-unchanged', { nice: config.DELIVERY_NICE, reason: priority.failed });
  const operations = makeOperationsServer(app.operations);
  const shutdown = { started: false };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (shutdown.started) return;
      shutdown.started = true;
      logger.info('delivery.stopping', { signal });
      operations.close();
      app
        .close()
        .then(() => {
          logger.info('delivery.stopped', { signal });
        })
        .catch((error: unknown) => {
          logger.error('delivery.stop-failed', { error: error instanceof Error ? error.name : 'unknown' });
          process.exitCode = 1;
        });
    });
  }
  const { url } = await listen(operations, config.DELIVERY_PORT, config);
  logger.info('delivery.started', { storage: 'redis', nice: 'nice' in priority ? priority.nice : 0, url });
  process.stderr.write(`\nDelivering: this instance relays the outbox and performs its effects. It serves only ${url}healthz, readyz and metrics.\n\n`);
  if (shutdown.started) operations.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`The bot could not start: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error'}\n`);
  process.exitCode = 1;
});

/** Names in a sentence: "A", "A and B", "A, B and C". */
function listed(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}
