/**
 * `npm run keys -- rotate`: moves every case's data key to the first key in DATA_KEYS (see
 * src/storage/redis/data-key-rotation.ts). To rotate: make a key (`openssl rand -base64 32`),
 * put it first in DATA_KEYS with a new id and keep the old key after it, restart every instance,
 * then run this with the same settings; afterwards the old key may be removed from DATA_KEYS.
 * Safe while the bot runs, and safe to run again. `npm run keys -- new <id>` prints a new entry.
 */
import { InvalidConfiguration, loadStorageConfig } from '../src/config/config.js';
import { SecondFactorHasher } from '../src/cases/second-factor.js';
import { DataKeyRing } from '../src/storage/encryption/data-keys.js';
import { rotateDataKeys } from '../src/storage/redis/data-key-rotation.js';
import { checkDataKeys, checkShardCount, createRedisClient, ServerClock, StorageMisconfigured, waitUntilReady } from '../src/storage/redis/connection.js';
import { RedisKeys } from '../src/storage/redis/keys.js';
import { RedisCaseStore } from '../src/storage/redis/redis-case-store.js';
import { runCommand } from './command.js';

const USAGE = 'usage: DATA_KEYS=<new first>,<old> CASE_SECRET=... REDIS_URL=... npm run keys -- rotate\n       npm run keys -- new <id>';

export async function main(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  if (argv[0] === 'new' && argv.length === 2 && /^[A-Za-z0-9_-]{1,32}$/.test(argv[1] ?? '')) {
    process.stdout.write(`${DataKeyRing.generate(argv[1] ?? '')}\n`);
    return 0;
  }
  if (argv[0] !== 'rotate' || argv.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadStorageConfig(env);
  if (!config.REDIS_URL || !config.CASE_SECRET || !config.DATA_KEYS) {
    process.stderr.write(`keys: REDIS_URL, CASE_SECRET and DATA_KEYS (the bot's) are needed to rotate data keys\n${USAGE}\n`);
    return 2;
  }
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
      hasher: new SecondFactorHasher(config.CASE_SECRET),
      guard: { maxFailuresPerReference: 1, maxFailuresPerRequester: 1, maxFailuresPerAddress: 1, lockoutMs: 1000 },
      dataKeys: ring,
    });
    const report = await rotateDataKeys(client, keys, store, ring);
    process.stdout.write(
      `Looked at ${report.cases} case(s) under "${config.REDIS_KEY_PREFIX}": ${report.rewrapped} moved to key "${ring.current.id}"` +
        (report.notYetSealed > 0 ? `; ${report.notYetSealed} stored before records were sealed, sealed at their next change` : '') +
        '.\n',
    );
    process.stdout.write(
      "Keep the older keys in DATA_KEYS: conversations, transcripts and concerns' words sealed under them are not sealed again, and the bot " +
        'still needs them to start.\n',
    );
    return 0;
  } finally {
    client.disconnect();
  }
}

if (require.main === module) runCommand('keys', () => main(process.argv.slice(2)), [InvalidConfiguration, StorageMisconfigured, RangeError]);
