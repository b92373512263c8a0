/**
 * `npm run case-secret -- rotate`: moves every case to a new CASE_SECRET (see
 * src/storage/redis/case-secret-rotation.ts). Stop every instance of the bot first; set
 * CASE_SECRET to the new secret and CASE_SECRET_PREVIOUS to the old one (and the REDIS_*
 * settings the bot uses); afterwards start the bot with both set. Safe to run again.
 */
import { InvalidConfiguration, loadCaseSecretRotationConfig } from '../src/config/config.js';
import { rotateCaseSecret } from '../src/storage/redis/case-secret-rotation.js';
import { DataKeyRing } from '../src/storage/encryption/data-keys.js';
import { checkDataKeys, checkShardCount, createRedisClient, ServerClock, StorageMisconfigured, waitUntilReady } from '../src/storage/redis/connection.js';
import { RedisKeys } from '../src/storage/redis/keys.js';
import { runCommand } from './command.js';

const USAGE = 'usage: CASE_SECRET=<new> CASE_SECRET_PREVIOUS=<old> DATA_KEYS=... REDIS_URL=... npm run case-secret -- rotate';

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] !== 'rotate' || argv.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadCaseSecretRotationConfig();
  const [next, previous] = [config.CASE_SECRET, config.CASE_SECRET_PREVIOUS];
  // The schema requires both; this only narrows the types.
  if (!next || !previous) return 2;
  const client = createRedisClient(config);
  try {
    await waitUntilReady(client, Math.max(3000, config.REDIS_COMMAND_TIMEOUT_MS * 2));
    const keys = new RedisKeys(config.REDIS_KEY_PREFIX, config.CASE_SHARDS, next);
    await checkShardCount(client, keys.meta(), config.CASE_SHARDS);
    const clock = new ServerClock(client, config.REDIS_COMMAND_TIMEOUT_MS);
    await clock.measure();
    const dataKeys = DataKeyRing.parse(config.DATA_KEYS ?? '');
    await checkDataKeys(client, keys.meta(), dataKeys);
    const report = await rotateCaseSecret(client, keys, clock, { previous, next }, dataKeys);
    process.stdout.write(`Rotated ${report.cases} case(s) to the new CASE_SECRET under "${config.REDIS_KEY_PREFIX}".\n`);
    if (report.keptUnderPrevious > 0) {
      process.stdout.write(
        `${report.keptUnderPrevious} case(s) are unlocked by an access code, which cannot be hashed again without its owner: keep CASE_SECRET_PREVIOUS ` +
          `set, and each moves to the new secret when its owner next looks it up.\n`,
      );
    }
    process.stdout.write(
      'Open chats start again from the menu: their keys are derived from CASE_SECRET. Start the bot with the new CASE_SECRET (and CASE_SECRET_PREVIOUS).\n',
    );
    return 0;
  } finally {
    client.disconnect();
  }
}

if (require.main === module) runCommand('case-secret', () => main(process.argv.slice(2)), [InvalidConfiguration, StorageMisconfigured]);
