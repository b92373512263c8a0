/**
 * The timeline's sweep at scale: the product's Timekeeper finding the cases whose moment has
 * come (a reminder, here) and doing them, when the same few hundred are due among ten thousand,
 * a hundred thousand and a million cases in the wake index. Its cost should follow the number
 * due, not the number stored.
 *
 * The due cases are lodged through the product's own store (a copy of a case the lodging
 * conversations stored, so its schedule is the product's), afresh before each timed sweep, and
 * the sweep does each for real: reads it, decides, and saves the change with its events. The
 * cases not due are entries in the wake index only, with times days ahead: the sweep never
 * reads anything else of theirs, and seeding index entries rather than whole cases keeps a
 * million within the quick run. The sweep's clock stands at the due cases' first reminder.
 *
 * Redis's SLOWLOG, set to record every command during the timed sweeps, gives the commands per
 * sweep and how long each held the server. It runs on a Redis server of its own.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { readCase } from '../src/cases/case-records.js';
import { generateReference } from '../src/cases/reference.js';
import { DEFAULT_TIMELINE_SETTINGS, momentsOf } from '../src/cases/timeline.js';
import { createEscalationPolicy } from '../src/policy/index.js';
import { silentLogger } from '../src/ports/logger.js';
import { openStores } from '../src/storage/open-stores.js';
import { RedisKeys } from '../src/storage/redis/keys.js';
import { Timekeeper } from '../src/timekeeping/timekeeper.js';
import { quantile } from './load.js';
import type { StoredCaseSample } from './redis-cost.js';
import { BenchRedis, benchStoreConfig } from './redis-server.js';
import type { BenchSettings } from './settings.js';
import { median } from './throughput.js';

/** One size of wake index. */
export interface DueSweepSize {
  readonly stored: number;
  readonly medianMs: number;
  /** Cases the sweep changed (should be the number due, every time). */
  readonly changed: number;
  readonly commandsPerSweep: number;
  /** The longest a single command of the sweeps ran in Redis, microseconds. */
  readonly longestCommandMicros: number;
  readonly longestCommand: string;
  /** Commands that ran over 1 ms in Redis, of all the sweeps' commands. */
  readonly commandsOver1Ms: number;
  /** The 99.9th percentile of the commands' times in Redis, microseconds. */
  readonly p999CommandMicros: number;
  /** The longest of the commands that read the wake index (finding what is due), microseconds. */
  readonly longestFindMicros: number;
}

export interface DueSweepFigures {
  readonly due: number;
  readonly sizes: readonly DueSweepSize[];
  /** Median sweep time at the largest size over the smallest. */
  readonly ratio: number;
}

const DAY = 86_400_000;
/** Commands the benchmark sends itself, not part of a sweep. */
const OWN_COMMANDS = new Set(['slowlog', 'config', 'info', 'ping', 'script', 'time']);

/** Seeds the wake index to each size in turn and times sweeps that find and do `due` cases. */
export async function measureDueSweep(
  sample: StoredCaseSample,
  settings: BenchSettings['dueSweep'],
  progress: (line: string) => void,
): Promise<DueSweepFigures> {
  const redis = await BenchRedis.start();
  const prefix = `bench:sweep:${randomBytes(4).toString('hex')}`;
  const config = benchStoreConfig(redis, prefix);
  const stores = await openStores(config, () => undefined);
  const seeder = new Redis({ port: redis.port, host: '127.0.0.1' });
  const keys = new RedisKeys(prefix, config.CASE_SHARDS, config.CASE_SECRET ?? '');
  const policy = createEscalationPolicy();
  try {
    const { reference: _reference, ...template } = readCase(sample.doc, Number(sample.version)).case;
    const first = momentsOf({ ...template, reference: _reference }, policy, DEFAULT_TIMELINE_SETTINGS)[0];
    if (!first) throw new Error('The sample case has no moment to sweep for');
    const clock = { now: () => first.at };
    const timekeeper = new Timekeeper({ cases: stores.cases, policy, settings: DEFAULT_TIMELINE_SETTINGS, clock, log: silentLogger, digest: null });
    let submission = 0;
    const lodgeDue = async (): Promise<void> => {
      for (let start = 0; start < settings.due; start += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, settings.due - start) }, () =>
            stores.cases.lodge({
              case: template,
              secondFactor: template.contact.email ?? template.contact.phone ?? 'someone@example.org',
              submissionKey: `bench-sweep-${String((submission += 1))}`,
              event: { at: template.lodgedAt, actor: { kind: 'complainant', id: null, name: null }, summary: 'Seeded for the sweep benchmark' },
            }),
          ),
        );
      }
    };
    // One sweep untimed first, as the due queries warm up: Redis's first run of a script and the
    // bot's first run of the code are not what a sweep costs.
    await lodgeDue();
    await timekeeper.sweep();
    const sizes: DueSweepSize[] = [];
    let seeded = 0;
    for (const size of settings.sizes) {
      await seedWakeIndex(seeder, keys, size - seeded, first.at.getTime());
      seeded = size;
      const times: number[] = [];
      let changed = 0;
      const micros: number[] = [];
      let longest: [number, number, number, string[]] | undefined;
      let longestFind = 0;
      for (let repeat = 0; repeat < settings.repeats; repeat += 1) {
        await lodgeDue();
        await redis.admin.config('SET', 'slowlog-max-len', '100000');
        await redis.admin.config('SET', 'slowlog-log-slower-than', '0');
        await redis.admin.call('SLOWLOG', 'RESET');
        const begun = performance.now();
        const result = await timekeeper.sweep();
        times.push(performance.now() - begun);
        await redis.admin.config('SET', 'slowlog-log-slower-than', '10000');
        changed = result.changed;
        const log = (await redis.admin.call('SLOWLOG', 'GET', '-1')) as [number, number, number, string[]][];
        for (const entry of log.filter((each) => !OWN_COMMANDS.has(String(each[3][0]).toLowerCase()))) {
          micros.push(entry[2]);
          if (!longest || entry[2] > longest[2]) longest = entry;
          if (String(entry[3][0]).toLowerCase() === 'zrangebyscore') longestFind = Math.max(longestFind, entry[2]);
        }
      }
      micros.sort((a, b) => a - b);
      sizes.push({
        stored: size,
        medianMs: median(times),
        changed,
        commandsPerSweep: micros.length / settings.repeats,
        longestCommandMicros: micros[micros.length - 1] ?? 0,
        longestCommand: longest ? longest[3].slice(0, 3).map(String).join(' ').slice(0, 120) : '',
        commandsOver1Ms: micros.filter((time) => time > 1000).length,
        p999CommandMicros: quantile(micros, 0.999),
        longestFindMicros: longestFind,
      });
      progress(
        `  ${size.toLocaleString('en-GB')} in the wake index: a sweep doing ${String(changed)} cases ${median(times).toFixed(1)} ms (median), ` +
          `longest command ${(quantile(micros, 1) / 1000).toFixed(2)} ms`,
      );
    }
    const smallest = sizes[0];
    const largest = sizes[sizes.length - 1];
    return { due: settings.due, sizes, ratio: smallest && largest ? largest.medianMs / smallest.medianMs : Number.NaN };
  } finally {
    seeder.disconnect();
    await stores.close();
    await redis.stop();
  }
}

/** Adds `count` cases not yet due to the wake index (a few days to four months after `now`), pipelined. */
async function seedWakeIndex(client: Redis, keys: RedisKeys, count: number, now: number): Promise<void> {
  const batch = 10_000;
  for (let done = 0; done < count; done += batch) {
    const pipeline = client.pipeline();
    for (let index = 0; index < Math.min(batch, count - done); index += 1) {
      const reference = generateReference();
      pipeline.zadd(keys.wakeIndex(keys.shardOfReference(reference)), Math.round(now + 2 * DAY + Math.random() * 120 * DAY), reference);
    }
    await pipeline.exec();
  }
}
