/**
 * Opening Redis from configuration: one server, a Cluster or Sentinel, with TLS (rediss://) and
 * ACL user and password from the URL.
 *
 * The options make failure fast and honest. There is no offline queue and no retry of a command
 * once sent, so while Redis is away every call fails at once (or after the command timeout)
 * instead of waiting in a queue to run minutes later, after the person has been told it failed.
 * The client keeps reconnecting in the background, and calls succeed again when Redis is back.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Config } from '../../config/config.js';
import { StorageUnavailable } from '../../cases/errors.js';
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

/** Resolves once the client can take commands, or fails with `StorageUnavailable` after `timeoutMs`. */
export async function waitUntilReady(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new StorageUnavailable('connect: Redis did not become ready in time'));
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}

/** Reply errors that mean "Redis cannot serve this now", not "this command is wrong". */
const UNAVAILABLE_REPLIES = /^(LOADING|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|READONLY|BUSY|NOREPLICAS)\b/;

/** Whether an error from ioredis means the store is unreachable or not answering. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)$/.test(code)) return true;
  if (error.name === 'MaxRetriesPerRequestError' || error.name === 'ClusterAllFailedError') return true;
  return UNAVAILABLE_REPLIES.test(error.message)
    || /Connection is closed|Stream isn't writeable|Command timed out|None of startup nodes is available|Failed to refresh slots cache|Connection timeout|Too many Cluster redirections/i.test(error.message);
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
