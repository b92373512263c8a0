/**
 * Makes sure the tests have a Redis. If one answers at TEST_REDIS_URL (default 127.0.0.1:6379)
 * it is used, each test under its own key prefix; otherwise a private redis-server is started on
 * a free port for this run and stopped afterwards. Loaded by mocha before any test runs.
 */
import { Redis } from 'ioredis';
import { RedisServerProcess } from '../helpers/redis.js';

let started: RedisServerProcess | undefined;

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** Mocha global setup: find or start a Redis. */
export async function mochaGlobalSetup(): Promise<void> {
  const url = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  if (await answers(url)) {
    process.env['TEST_REDIS_URL'] = url;
    return;
  }
  try {
    started = await RedisServerProcess.start();
  } catch (error) {
    throw new Error(
      `The tests need Redis. Nothing answers at ${url}, and redis-server could not be started (${String(error)}). Install it (Debian: sudo apt-get ` +
        `install redis-server) or set TEST_REDIS_URL.`,
      { cause: error },
    );
  }
  process.env['TEST_REDIS_URL'] = started.url;
  process.stdout.write(`(no Redis at ${url}: started a private redis-server at ${started.url} for this run)\n`);
}

/** Mocha global teardown: stop the private Redis, if one was started. */
export async function mochaGlobalTeardown(): Promise<void> {
  await started?.stop();
}
