/**
 * Opening Redis from configuration: one server, a Cluster or Sentinel, with TLS (rediss://) and
 * ACL user and password from the URL.
 *
 * The options make failure fast and honest. There is no offline queue and no resending of a
 * command once sent, so while Redis is away every call fails at once (or after the command
 * timeout) instead of waiting in a queue to run minutes later, after the person has been told it
 * failed. A command already on the wire when Redis froze would still run when it thaws, so the
 * scripts that change cases also carry a deadline in server time and refuse to act after it
 * (see ServerClock). The client keeps reconnecting in the background.
 */
import type { DataKeyRing } from '../encryption/data-keys.js';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Config } from '../../config/config.js';
import { StorageUnavailable } from '../../cases/errors.js';
import { propertyOf } from '../../values/property-of.js';
import { defineScripts, type RedisClient } from './scripts.js';

/** What a connection needs from configuration. */
export type RedisConnectionConfig = Pick<Config, 'REDIS_URL' | 'REDIS_MODE' | 'REDIS_NODES' | 'REDIS_SENTINEL_MASTER' | 'REDIS_COMMAND_TIMEOUT_MS'>;

function hostPort(entry: string): { host: string; port: number } {
  const at = entry.lastIndexOf(':');
  return { host: entry.slice(0, at), port: Number(entry.slice(at + 1)) };
}

/** Options shared by every kind of connection. */
function commonOptions(url: URL, commandTimeout: number): RedisOptions {
  const database = url.pathname.replace(/^\//, '');
  return {
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: { servername: url.hostname } } : {}),
    ...(database ? { db: Number(database) } : {}),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout,
    connectTimeout: Math.max(commandTimeout, 1000),
    enableAutoPipelining: true,
    retryStrategy: (attempt: number) => Math.min(100 * attempt, 2000),
  };
}

/**
 * A client for the configured Redis, with this project's scripts defined. It connects in the
 * background; `waitUntilReady` tells when it can be used.
 */
export function createRedisClient(config: RedisConnectionConfig): RedisClient {
  if (!config.REDIS_URL) throw new Error('createRedisClient needs REDIS_URL');
  const url = new URL(config.REDIS_URL);
  const options = commonOptions(url, config.REDIS_COMMAND_TIMEOUT_MS);
  let client: RedisClient;
  if (config.REDIS_MODE === 'cluster') {
    const seeds = [{ host: url.hostname, port: Number(url.port || 6379) }, ...config.REDIS_NODES.map(hostPort)];
    const clusterOptions: ClusterOptions = {
      redisOptions: options,
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      // Never resend after a failover or a "cluster down": the command may already have run.
      retryDelayOnFailover: 0,
      retryDelayOnClusterDown: 0,
      retryDelayOnTryAgain: 0,
      clusterRetryStrategy: (attempt: number) => Math.min(100 * attempt, 2000),
      slotsRefreshTimeout: Math.max(config.REDIS_COMMAND_TIMEOUT_MS, 1000),
    };
    client = new Cluster(seeds, clusterOptions);
  } else if (config.REDIS_MODE === 'sentinel') {
    client = new Redis({
      ...options,
      sentinels: config.REDIS_NODES.map(hostPort),
      name: config.REDIS_SENTINEL_MASTER ?? 'mymaster',
      ...(options.username ? { sentinelUsername: options.username } : {}),
      ...(options.password ? { sentinelPassword: options.password } : {}),
      // Without these, ioredis talks to the master found through Sentinel in clear text.
      ...(options.tls ? { enableTLSForSentinelMode: true, sentinelTLS: options.tls } : {}),
    });
  } else {
    client = new Redis({ ...options, host: url.hostname, port: Number(url.port || 6379) });
  }
  // Connection errors surface as failed commands (StorageUnavailable); without a listener
  // ioredis would also print each reconnection attempt's error.
  client.on('error', () => undefined);
  defineScripts(client);
  return client;
}

/**
 * A connection for BullMQ's queues and workers. Unlike the stores' connections it waits rather
 * than fails fast: BullMQ's workers block on Redis and resume after an outage by themselves
 * (they need `maxRetriesPerRequest: null`), and a job's effects are idempotent, so a command
 * resent after a reconnection does no harm. Each queue and worker gets its own.
 */
export function createQueueConnection(config: RedisConnectionConfig): RedisClient {
  if (!config.REDIS_URL) throw new Error('createQueueConnection needs REDIS_URL');
  const url = new URL(config.REDIS_URL);
  const waiting: RedisOptions = {
    ...commonOptions(url, config.REDIS_COMMAND_TIMEOUT_MS),
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    autoResendUnfulfilledCommands: true,
    enableAutoPipelining: false,
    // Blocking reads wait longer than any command timeout.
    commandTimeout: undefined,
  };
  let queueClient: RedisClient;
  if (config.REDIS_MODE === 'cluster') {
    const seeds = [{ host: url.hostname, port: Number(url.port || 6379) }, ...config.REDIS_NODES.map(hostPort)];
    queueClient = new Cluster(seeds, { redisOptions: waiting, clusterRetryStrategy: (attempt: number) => Math.min(100 * attempt, 2000) });
  } else if (config.REDIS_MODE === 'sentinel') {
    queueClient = new Redis({
      ...waiting,
      sentinels: config.REDIS_NODES.map(hostPort),
      name: config.REDIS_SENTINEL_MASTER ?? 'mymaster',
      ...(waiting.username ? { sentinelUsername: waiting.username } : {}),
      ...(waiting.password ? { sentinelPassword: waiting.password } : {}),
      ...(waiting.tls ? { enableTLSForSentinelMode: true, sentinelTLS: waiting.tls } : {}),
    });
  } else {
    queueClient = new Redis({ ...waiting, host: url.hostname, port: Number(url.port || 6379) });
  }
  queueClient.on('error', () => undefined);
  defineScripts(queueClient);
  return queueClient;
}

/** Errors that will not go away by retrying: wrong credentials or permissions. */
const REFUSED = /WRONGPASS|NOAUTH|NOPERM|invalid password|ERR AUTH/i;

/**
 * Resolves once the client can take commands, or fails with `StorageUnavailable` after
 * `timeoutMs`, or at once if Redis refuses the credentials (so that is what the message says).
 */
export async function waitUntilReady(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onReady = (): void => {
      finish();
    };
    const onError = (error: Error): void => {
      if (REFUSED.test(error.message)) finish(new StorageUnavailable('connect: Redis refused the credentials or permissions', { cause: error }));
    };
    const timer = setTimeout(() => {
      finish(new StorageUnavailable('connect: Redis did not become ready in time'));
    }, timeoutMs);
    client.once('ready', onReady);
    client.on('error', onError);
  });
}

/**
 * Deadlines in Redis's own clock. A script given `deadline()` as an argument compares it with
 * the server's TIME and does nothing if it runs too late (after a freeze, say), so a write the
 * caller was told had failed cannot happen afterwards. The offset between this host's clock and
 * the server's is measured when the connection becomes ready.
 */
export class ServerClock {
  private offsetMs = 0;

  constructor(
    private readonly client: RedisClient,
    private readonly budgetMs: number,
  ) {
    client.on('ready', () => {
      void this.measure().catch(() => undefined);
    });
  }

  /** Measures the offset now (also done on every reconnection). */
  async measure(): Promise<void> {
    const before = Date.now();
    const [seconds, micros] = await this.client.time();
    const after = Date.now();
    this.offsetMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - (before + after) / 2;
  }

  /** The latest server time (ms) at which a write sent now may still take effect. */
  deadline(): number {
    return Math.round(Date.now() + this.offsetMs + this.budgetMs);
  }
}

/** The configuration does not match the data already in Redis. */
export class StorageMisconfigured extends Error {
  override readonly name = 'StorageMisconfigured';
}

/**
 * Records the shard count the first time, and refuses to start with a different one later:
 * every case's location depends on it, so changing it would make existing cases unreachable.
 */
export async function checkShardCount(client: RedisClient, metaKey: string, shards: number): Promise<void> {
  await storageCall('check shards', () => client.hsetnx(metaKey, 'shards', shards));
  const recorded = await storageCall('check shards', () => client.hget(metaKey, 'shards'));
  if (recorded !== String(shards)) {
    throw new StorageMisconfigured(
      `CASE_SHARDS is ${shards}, but the cases under this key prefix were stored with ${recorded ?? '(unknown)'} shards. Set ` +
        `CASE_SHARDS=${recorded ?? '?'}; changing it needs a migration.`,
    );
  }
}

/** How to change CASE_SECRET, for the messages that refuse a start. */
const CASE_SECRET_ROTATION =
  'To change it: stop every instance, run "npm run case-secret -- rotate" with CASE_SECRET set to the new secret and CASE_SECRET_PREVIOUS to the old ' +
  'one, then start the bot with both set';

/**
 * Records which CASE_SECRET the cases under this prefix are keyed by (a verifier, not the secret)
 * the first time, and refuses a later start with a different one: every stored second factor
 * and every conversation's key depends on it, so a new secret would lock every owner out of
 * their case without a word.
 */
export async function checkCaseSecret(
  client: RedisClient,
  metaKey: string,
  verifiers: { readonly current: string; readonly previous: string | null },
): Promise<void> {
  await storageCall('check case secret', () => client.hsetnx(metaKey, 'caseSecret', verifiers.current));
  const recorded = await storageCall('check case secret', () => client.hget(metaKey, 'caseSecret'));
  if (recorded === verifiers.current) return;
  if (recorded !== null && recorded === verifiers.previous) {
    throw new StorageMisconfigured(
      'The cases under this key prefix are still keyed by CASE_SECRET_PREVIOUS: run "npm run case-secret -- rotate" with the same CASE_SECRET and ' +
        'CASE_SECRET_PREVIOUS to move them to CASE_SECRET, then start the bot.',
    );
  }
  throw new StorageMisconfigured(
    `CASE_SECRET is not the secret the cases under this key prefix were stored with, so nobody could look their case up. Start with the original ` +
      `CASE_SECRET. ${CASE_SECRET_ROTATION}.`,
  );
}

/**
 * Checks DATA_KEYS against the keys data under this prefix were stored with, before anything is
 * read: each key-encryption key ever used leaves a check value (its id sealed with it) in the
 * meta hash, and a start without that key, or with another key under its id, is refused with a
 * message that says which and what to do, rather than failing at the first lookup. The first key
 * listed leaves its check value the first time it is used.
 */
export async function checkDataKeys(client: RedisClient, metaKey: string, ring: DataKeyRing): Promise<void> {
  const current = ring.current.id;
  const value = ring.checkValue(current);
  if (value) await storageCall('check data keys', () => client.hsetnx(metaKey, `dataKey:${current}`, value));
  const recorded = await storageCall('check data keys', () => client.hgetall(metaKey));
  for (const [field, check] of Object.entries(recorded)) {
    if (!field.startsWith('dataKey:')) continue;
    const id = field.slice('dataKey:'.length);
    const outcome = ring.check(id, check);
    if (outcome === 'missing') {
      throw new StorageMisconfigured(
        `DATA_KEYS has no key "${id}", which data under this key prefix are encrypted under, so they could not be read. Add it back to DATA_KEYS ` +
          `(after the key new data should use) and start again; "npm run keys -- rotate" then moves everything to the first key.`,
      );
    }
    if (outcome === 'wrong') {
      throw new StorageMisconfigured(
        `DATA_KEYS' key "${id}" is not the key data under this key prefix were encrypted with under that id, so they could not be read. Start ` +
          `with the original key; a new key needs a new id.`,
      );
    }
  }
}

/** Reply errors that mean "Redis cannot serve this now", not "this command is wrong". */
const UNAVAILABLE_REPLIES = /^(LOADING|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|READONLY|BUSY|NOREPLICAS|OOM)\b/;

/** Whether an error from ioredis means the store is unreachable or not answering. */
function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = propertyOf(error, 'code');
  if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)$/.test(code)) return true;
  if (error.name === 'MaxRetriesPerRequestError' || error.name === 'ClusterAllFailedError') return true;
  return (
    UNAVAILABLE_REPLIES.test(error.message) ||
    /Connection is closed|Stream isn't writeable|Command timed out|None of startup nodes is available|Failed to refresh slots cache|Connection timeout|Too many Cluster redirections|Cluster isn't ready|enableOfflineQueue options is false/i.test(
      error.message,
    )
  );
}

/** Runs Redis work, turning "unreachable" failures into `StorageUnavailable`; other errors pass unchanged. */
export async function storageCall<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUnavailable(error)) throw new StorageUnavailable(operation, { cause: error });
    throw error;
  }
}
