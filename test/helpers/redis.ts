/**
 * Real Redis for tests. The shared server is the machine's (127.0.0.1:6379, or TEST_REDIS_URL);
 * each test uses its own key prefix and removes only its own keys. Tests that must stop or
 * reshape Redis (faults, Cluster) start their own servers from the redis-server binary on free
 * ports, and stop them afterwards.
 */
import { DataKeyRing } from '../../src/storage/encryption/data-keys.js';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { loadConfig } from '../../src/config/config.js';
import type { LookupGuard } from '../../src/cases/case-store.js';
import { SecondFactorHasher } from '../../src/cases/second-factor.js';
import { createRedisClient, ServerClock, waitUntilReady } from '../../src/storage/redis/connection.js';
import { RedisKeys } from '../../src/storage/redis/keys.js';
import { RedisCaseStore } from '../../src/storage/redis/redis-case-store.js';
import { RedisConversationStorage } from '../../src/storage/redis/redis-conversation-storage.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { freePort } from '../../bench/redis-server.js';

/** The shared test server: the machine's, or the one test/setup/redis.ts started for this run. */
export function testRedisUrl(): string {
  return process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
}

/** The secret test stores use for key HMACs and second factors. */
export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters';

/** The key-encryption key test stores and processes encrypt personal data under (DATA_KEYS). */
export const TEST_DATA_KEYS = 'test:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=';

/** `TEST_DATA_KEYS` as the stores take it. */
export function testDataKeys(): DataKeyRing {
  return DataKeyRing.parse(TEST_DATA_KEYS);
}

/** The lookup limits test stores use unless a test says otherwise. */
export const TEST_GUARD: LookupGuard = { maxFailuresPerReference: 3, maxFailuresPerRequester: 5, maxFailuresPerAddress: 8, lockoutMs: 60_000 };

/** Keys under a prefix of the test's own. */
export function testKeys(name: string, shards = 16): RedisKeys {
  return new RedisKeys(uniquePrefix(name), shards, TEST_SECRET);
}

/** A server clock for a client that is already connected. */
export async function serverClock(client: RedisClient, budgetMs = 2000): Promise<ServerClock> {
  const clock = new ServerClock(client, budgetMs);
  await clock.measure();
  return clock;
}

/** A case store as the product builds one. */
export async function redisCaseStore(client: RedisClient, keys: RedisKeys, guard: LookupGuard = TEST_GUARD): Promise<RedisCaseStore> {
  return new RedisCaseStore({ client, keys, guard, hasher: new SecondFactorHasher(TEST_SECRET), clock: await serverClock(client), dataKeys: testDataKeys() });
}

/** Conversation storage as the product builds it. */
export async function redisConversationStorage(client: RedisClient, keys: RedisKeys, idleMs = 60_000): Promise<RedisConversationStorage> {
  return new RedisConversationStorage(client, keys, idleMs, await serverClock(client), testDataKeys());
}

/** A key prefix no other test uses. */
export function uniquePrefix(name: string): string {
  return `test:${name.replace(/[^A-Za-z0-9_.-]/g, '-')}:${randomBytes(5).toString('hex')}`;
}

/** A client as the product makes one, against the given URL and mode. */
export async function productClient(options: { url?: string; mode?: 'standalone' | 'cluster'; nodes?: string; timeoutMs?: number } = {}): Promise<RedisClient> {
  const config = loadConfig({
    LOCAL_DEVELOPMENT: 'true',
    REDIS_URL: options.url ?? testRedisUrl(),
    REDIS_MODE: options.mode ?? 'standalone',
    ...(options.nodes ? { REDIS_NODES: options.nodes } : {}),
    REDIS_COMMAND_TIMEOUT_MS: String(options.timeoutMs ?? 2000),
    CASE_SECRET: 'test-secret-that-is-at-least-32-characters',
    DATA_KEYS: TEST_DATA_KEYS,
  });
  const client = createRedisClient(config);
  await waitUntilReady(client, 10_000);
  return client;
}

/** Calls `each` with every batch of keys under a prefix, on every master of a Cluster. */
async function forEachKeyBatch(client: RedisClient, prefix: string, each: (keys: string[]) => Promise<void>): Promise<void> {
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      await each(keys);
    } while (cursor !== '0');
  }
}

/** Deletes every key under a prefix (one UNLINK per key: on a Cluster a batch spans slots). Never FLUSHALL. */
export async function removeKeys(client: RedisClient, prefix: string): Promise<number> {
  let removed = 0;
  await forEachKeyBatch(client, prefix, async (keys) => {
    await Promise.all(keys.map((key) => client.unlink(key)));
    removed += keys.length;
  });
  return removed;
}

/** Every key under a prefix (a full SCAN: one SCAN call sees only part of a busy keyspace). */
export async function keysUnder(client: RedisClient, prefix: string): Promise<string[]> {
  const found: string[] = [];
  await forEachKeyBatch(client, prefix, (keys) => {
    found.push(...keys);
    return Promise.resolve();
  });
  return found;
}

/** How many keys exist under a prefix. */
export async function countKeys(client: RedisClient, prefix: string): Promise<number> {
  return (await keysUnder(client, prefix)).length;
}

/** A port nothing is listening on right now (the benchmark's helper, shared). */
export { freePort };

async function waitForPing(port: number, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      return;
    } catch {
      // not up yet
    } finally {
      probe.disconnect();
    }
    if (Date.now() - started > timeoutMs) throw new Error(`redis-server on port ${port} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A redis-server process of the test's own. */
export class RedisServerProcess {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly extraArgs: readonly string[],
  ) {}

  /** Starts a server on a free port, keeping its data in a fresh temporary folder. */
  static async start(options: { extraArgs?: readonly string[] } = {}): Promise<RedisServerProcess> {
    const server = new RedisServerProcess(await freePort(), mkdtempSync(join(tmpdir(), 'redis-test-')), options.extraArgs ?? []);
    await server.launch();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts (or restarts) the process on the same port and folder. */
  async launch(): Promise<void> {
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--daemonize', 'no', ...this.extraArgs],
      { stdio: 'ignore' },
    );
    await waitForPing(this.port);
  }

  /** Kills the process without warning (SIGKILL), as a crash would. */
  async kill(): Promise<void> {
    const child = this.process;
    // A process ended by a signal has signalCode set and exitCode null.
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => {
        resolve();
      });
      child.kill('SIGKILL');
    });
  }

  /** Freezes the process (SIGSTOP): it keeps its socket but answers nothing. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  /** Unfreezes it (SIGCONT). */
  resume(): void {
    this.process?.kill('SIGCONT');
  }

  /** Stops the process and deletes its folder. */
  async stop(): Promise<void> {
    this.resume();
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A local Redis Cluster of three masters, built from redis-server processes. */
export class LocalRedisCluster {
  private constructor(readonly servers: readonly RedisServerProcess[]) {}

  /** Starts three cluster-enabled servers, shares the 16384 slots between them and waits until the cluster is ok. */
  static async start(): Promise<LocalRedisCluster> {
    const servers = await Promise.all(
      [0, 1, 2].map(() =>
        RedisServerProcess.start({
          extraArgs: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000', '--appendonly', 'no'],
        }),
      ),
    );
    const admins = servers.map((server) => new Redis({ port: server.port, host: '127.0.0.1' }));
    try {
      const ranges = [
        [0, 5460],
        [5461, 10922],
        [10923, 16383],
      ] as const;
      await Promise.all(admins.map((admin, index) => admin.call('CLUSTER', 'ADDSLOTSRANGE', String(ranges[index]![0]), String(ranges[index]![1]))));
      for (const server of servers.slice(1)) await admins[0]!.call('CLUSTER', 'MEET', '127.0.0.1', String(server.port));
      const started = Date.now();
      for (;;) {
        const states = await Promise.all(admins.map(async (admin) => String(await admin.call('CLUSTER', 'INFO'))));
        if (states.every((info) => info.includes('cluster_state:ok') && info.includes('cluster_known_nodes:3'))) break;
        if (Date.now() - started > 20_000) throw new Error('The local Redis Cluster did not reach state ok');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      admins.forEach((admin) => {
        admin.disconnect();
      });
    }
    return new LocalRedisCluster(servers);
  }

  /** The seed URL and extra nodes, as REDIS_URL and REDIS_NODES would give them. */
  get url(): string {
    return this.servers[0]!.url;
  }

  get nodes(): string {
    return this.servers
      .slice(1)
      .map((server) => `127.0.0.1:${server.port}`)
      .join(',');
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.stop()));
  }
}
