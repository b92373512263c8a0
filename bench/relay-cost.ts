/**
 * What relaying the outbox costs Redis: the events the lodging turns of the Redis-cost phase
 * saved (that bot ran with EFFECT_WORKERS=false, so they are all still in the outbox) are moved
 * into their BullMQ queues by one sweep, as any instance's relay would, and Redis's own
 * INFO commandstats is read around it. No worker runs, so only the relay is counted.
 */
import { DataKeyRing } from '../src/storage/encryption/data-keys.js';
import type { EffectDeps } from '../src/outbox/effects.js';
import { createRedisClient } from '../src/storage/redis/connection.js';
import { EffectQueues } from '../src/storage/redis/effect-queues.js';
import type { RedisKeys } from '../src/storage/redis/keys.js';
import { silentLogger } from '../src/ports/logger.js';
import { type BenchRedis, commandsBetween, total } from './redis-server.js';

/** The relay's cost. */
export interface RelayCost {
  /** Events relayed in the measured sweep. */
  readonly events: number;
  /** Commands Redis executed per event relayed (those inside scripts, BullMQ's included, count). */
  readonly serverCommandsPerEvent: number;
  readonly serverCommandsByName: Readonly<Record<string, number>>;
}

/** Relays what is in the outbox under `keys` and counts Redis's work per event. */
export async function measureRelayCost(redis: BenchRedis, keys: RedisKeys): Promise<RelayCost> {
  const connection = {
    REDIS_URL: redis.url,
    REDIS_MODE: 'standalone' as const,
    REDIS_NODES: [],
    REDIS_SENTINEL_MASTER: undefined,
    REDIS_COMMAND_TIMEOUT_MS: 2000,
  };
  const client = createRedisClient(connection);
  // Only the relay runs here: its effects' ports are never called.
  const queues = new EffectQueues({
    connection,
    client,
    keys,
    deps: {} as EffectDeps,
    throttled: () => null,
    log: silentLogger,
    // The relay routes events without opening them: nothing here opens or seals anything.
    events: { openEvent: () => Promise.resolve(null) },
    dataKeys: DataKeyRing.parse(`bench:${Buffer.alloc(32).toString('base64')}`),
  });
  try {
    // Connections and the consumer groups first, so the count is the relay's steady work.
    await queues.counts();
    const before = await redis.commandCounts();
    const events = await queues.sweep();
    const after = await redis.commandCounts();
    const used = commandsBetween(before, after);
    const perEvent = (calls: number): number => (events > 0 ? calls / events : 0);
    return {
      events,
      serverCommandsPerEvent: perEvent(total(used)),
      serverCommandsByName: Object.fromEntries([...used].map(([name, calls]) => [name, perEvent(calls)])),
    };
  } finally {
    await queues.close();
    client.disconnect();
  }
}
