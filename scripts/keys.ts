/**
 * `npm run keys -- rotate`: moves every case's data key to the first key in DATA_KEYS (see
 * src/storage/redis/data-key-rotation.ts). To rotate: make a key (`openssl rand -base64 32`),
 * put it first in DATA_KEYS with a new id and keep the old key after it, restart every instance,
 * then run this with the same settings; afterwards the old key may be removed from DATA_KEYS.
 * Safe while the bot runs, and safe to run again. `npm run keys -- new <id>` prints a new entry.
 */
import { InvalidConfiguration, loadStorageConfig } from '../src/config/config.js';
import { DataKeyRing } from '../src/storage/encryption/data-keys.js';
import { rotateDataKeys } from '../src/storage/redis/data-key-rotation.js';
import { StorageMisconfigured } from '../src/storage/redis/connection.js';
import { openMaintenanceStore } from './maintenance-store.js';
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
  const { client, keys, ring, store, close } = await openMaintenanceStore({
    ...config,
    REDIS_URL: config.REDIS_URL,
    CASE_SECRET: config.CASE_SECRET,
    DATA_KEYS: config.DATA_KEYS,
  });
  try {
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
    close();
  }
}

if (require.main === module) runCommand('keys', () => main(process.argv.slice(2)), [InvalidConfiguration, StorageMisconfigured, RangeError]);
