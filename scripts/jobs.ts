/**
 * `npm run jobs -- failed | retry | counts`: the outbox's delivery jobs, for an administrator.
 * `failed` lists the jobs that failed every attempt (queue, job id, what it does, case
 * reference, attempts, why), never a message or anyone's contact details; `retry` tries them
 * all again; `counts` shows each queue's jobs by state. Run it with the bot's REDIS_* settings,
 * REDIS_KEY_PREFIX and CASE_SECRET; it may run beside the bots.
 */
import { StorageUnavailable } from '../src/cases/errors.js';
import { InvalidConfiguration, loadStorageConfig } from '../src/config/config.js';
import { createRedisClient, waitUntilReady } from '../src/storage/redis/connection.js';
import { EffectJobs, type FailedJob, type QueueCounts } from '../src/storage/redis/effect-jobs.js';
import { RedisKeys } from '../src/storage/redis/keys.js';
import { runCommand } from './command.js';

const USAGE = 'usage: REDIS_URL=... CASE_SECRET=... npm run jobs -- failed | retry | counts';

const COMMANDS = ['failed', 'retry', 'counts'] as const;
type Command = (typeof COMMANDS)[number];

function isCommand(word: string | undefined): word is Command {
  return COMMANDS.some((command) => command === word);
}

/** One failed job a line, in columns. */
function table(jobs: readonly FailedJob[]): string {
  const rows = [
    ['QUEUE', 'JOB ID', 'TYPE', 'REFERENCE', 'ATTEMPTS', 'REASON'],
    ...jobs.map((job) => [job.queue, job.id, job.type, job.reference, String(job.attempts), job.reason.replace(/\s+/g, ' ')]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ')).join('\n');
}

/** A queue's counts: "waiting 0, active 1, ...". */
function inWords(counts: QueueCounts): string {
  return Object.entries(counts)
    .map(([state, n]) => `${state} ${String(n)}`)
    .join(', ');
}

async function run(command: Command, jobs: EffectJobs): Promise<string> {
  switch (command) {
    case 'failed': {
      const failed = await jobs.failed();
      if (failed.length === 0) return 'No failed jobs.';
      return `${table(failed)}\n${String(failed.length)} failed job(s). \`npm run jobs -- retry\` tries them all again.`;
    }
    case 'retry':
      return `Retried ${String(await jobs.retryFailed())} failed job(s).`;
    case 'counts':
      return Object.entries(await jobs.counts())
        .map(([queue, count]) => `${queue}: ${inWords(count)}`)
        .join('\n');
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const command = argv[0];
  if (!isCommand(command) || argv.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadStorageConfig();
  if (!config.REDIS_URL) {
    process.stderr.write(
      'jobs: REDIS_URL is not set, so there are no jobs to list or retry: without Redis, effects are not kept (each bot tries them in its own ' +
        'memory and loses them when it stops). Set the bot’s REDIS_URL, REDIS_KEY_PREFIX and CASE_SECRET to see its jobs.\n',
    );
    return 2;
  }
  // The schema requires it with REDIS_URL; this only narrows the type.
  if (!config.CASE_SECRET) return 2;
  // A quick check first: the queues' own connections wait for Redis rather than fail.
  const client = createRedisClient(config);
  try {
    await waitUntilReady(client, Math.max(3000, config.REDIS_COMMAND_TIMEOUT_MS * 2));
  } finally {
    client.disconnect();
  }
  const jobs = EffectJobs.open(config, new RedisKeys(config.REDIS_KEY_PREFIX, config.CASE_SHARDS, config.CASE_SECRET));
  try {
    process.stdout.write(`${await run(command, jobs)}\n`);
    return 0;
  } finally {
    await jobs.close();
  }
}

if (require.main === module) runCommand('jobs', () => main(process.argv.slice(2)), [InvalidConfiguration, StorageUnavailable]);
