/**
 * A redis-server of the benchmark's own, on a free loopback port, keeping nothing on disk. Its
 * figures (commands executed, memory used, slow commands) then belong to the benchmark alone,
 * not to whatever else shares the machine's Redis, and seeding a million cases stalls no one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { type Config, loadConfig } from '../src/config/config.js';
import { benchDataKeys } from './bot-process.js';
import { onExit } from './processes.js';

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });
}

/** Parses an INFO section into its fields. */
function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** Calls per command name, from INFO commandstats. */
export type CommandCounts = ReadonlyMap<string, number>;

/** The calls in `after` not yet made in `before`, leaving out the benchmark's own questions. */
export function commandsBetween(
  before: CommandCounts,
  after: CommandCounts,
  ignore: readonly string[] = ['info', 'slowlog', 'config', 'memory', 'scan', 'ping', 'dbsize'],
): Map<string, number> {
  const delta = new Map<string, number>();
  for (const [name, calls] of after) {
    const made = calls - (before.get(name) ?? 0);
    if (made > 0 && !ignore.includes(name)) delta.set(name, made);
  }
  return delta;
}

/** The sum of a map's counts. */
export function total(counts: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const count of counts.values()) sum += count;
  return sum;
}

/** A private redis-server process and an admin connection to it. */
/** The bot's settings for a measure that opens the product's stores on its own Redis under `prefix`, with a secret and data key of the run's own. */
export function benchStoreConfig(redis: BenchRedis, prefix: string): Config {
  const secret = randomBytes(24).toString('hex');
  return loadConfig({ LOCAL_DEVELOPMENT: 'true', REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, CASE_SECRET: secret, DATA_KEYS: benchDataKeys(secret) });
}

export class BenchRedis {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly child: ChildProcess,
    /** The benchmark's own connection, for INFO, SLOWLOG and seeding. */
    readonly admin: Redis,
    private readonly forget: () => void,
  ) {}

  /** Starts redis-server on a free port, with no snapshots and no append-only file. */
  static async start(): Promise<BenchRedis> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'bench-redis-'));
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--protected-mode',
        'yes',
        '--loglevel',
        'warning',
      ],
      { stdio: 'ignore' },
    );
    const failed = new Promise<never>((_resolve, reject) => {
      child.once('error', (error) => {
        reject(new Error(`Could not start redis-server (is it on the PATH?): ${error.message}`));
      });
    });
    const forget = onExit(() => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });
    const admin = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    admin.on('error', () => undefined);
    try {
      await Promise.race([failed, waitForPing(admin)]);
    } catch (error) {
      forget();
      child.kill('SIGKILL');
      admin.disconnect();
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return new BenchRedis(port, dir, child, admin, forget);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async info(section: string): Promise<Map<string, string>> {
    return parseInfo(await this.admin.info(section));
  }

  /** Calls made so far, per command (commands a script runs count too). */
  async commandCounts(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const [field, value] of await this.info('commandstats')) {
      const calls = /(?:^|,)calls=(\d+)/.exec(value)?.[1];
      if (field.startsWith('cmdstat_') && calls) counts.set(field.slice('cmdstat_'.length).replace(/\|/g, ' '), Number(calls));
    }
    return counts;
  }

  /** Bytes Redis holds for data and its own structures (INFO memory used_memory). */
  async usedMemory(): Promise<number> {
    return Number((await this.info('memory')).get('used_memory'));
  }

  /** Stops the server and deletes its folder: nothing is kept. */
  async stop(): Promise<void> {
    this.admin.disconnect();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await new Promise<void>((resolve) => {
        this.child.once('exit', () => {
          resolve();
        });
        this.child.kill('SIGKILL');
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
    this.forget();
  }
}

async function waitForPing(client: Redis, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      if (client.status === 'wait') await client.connect();
      await client.ping();
      return;
    } catch {
      if (Date.now() - started > timeoutMs) throw new Error('redis-server did not start in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
