/**
 * The case store as the maintenance commands open it (`keys`, `rights`): the bot's Redis, with
 * the same start-up checks the bot makes (shard count, data keys), so a command run with the
 * wrong settings stops before it reads or writes a case.
 */
import type { StorageConfig } from '../src/config/config.js';
import { SecondFactorHasher } from '../src/cases/second-factor.js';
import { DataKeyRing } from '../src/storage/encryption/data-keys.js';
import { checkDataKeys, checkShardCount, createRedisClient, ServerClock, waitUntilReady } from '../src/storage/redis/connection.js';
import { RedisKeys } from '../src/storage/redis/keys.js';
import { RedisCaseStore } from '../src/storage/redis/redis-case-store.js';
import type { RedisClient } from '../src/storage/redis/scripts.js';

/** What a maintenance command works with; `close` disconnects. */
export interface MaintenanceStore {
  readonly client: RedisClient;
  readonly keys: RedisKeys;
  readonly ring: DataKeyRing;
  readonly store: RedisCaseStore;
  readonly close: () => void;
}

/** Opens the bot's store (REDIS_URL, CASE_SECRET and DATA_KEYS must be set: callers check and say so). */
export async function openMaintenanceStore(
  config: StorageConfig & { readonly REDIS_URL: string; readonly CASE_SECRET: string; readonly DATA_KEYS: string },
): Promise<MaintenanceStore> {
  const ring = DataKeyRing.parse(config.DATA_KEYS);
  const client = createRedisClient(config);
  try {
    await waitUntilReady(client, Math.max(3000, config.REDIS_COMMAND_TIMEOUT_MS * 2));
    const keys = new RedisKeys(config.REDIS_KEY_PREFIX, config.CASE_SHARDS, config.CASE_SECRET);
    await checkShardCount(client, keys.meta(), config.CASE_SHARDS);
    await checkDataKeys(client, keys.meta(), ring);
    const clock = new ServerClock(client, config.REDIS_COMMAND_TIMEOUT_MS);
    await clock.measure();
    const store = new RedisCaseStore({
      client,
      keys,
      clock,
      hasher: new SecondFactorHasher(config.CASE_SECRET, config.CASE_SECRET_PREVIOUS ? [config.CASE_SECRET_PREVIOUS] : []),
      // Maintenance never looks a case up by second factor.
      guard: { maxFailuresPerReference: 1, maxFailuresPerRequester: 1, maxFailuresPerAddress: 1, lockoutMs: 1000 },
      dataKeys: ring,
    });
    return {
      client,
      keys,
      ring,
      store,
      close: () => {
        client.disconnect();
      },
    };
  } catch (error) {
    client.disconnect();
    throw error;
  }
}
