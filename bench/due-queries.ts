/**
 * Deadline queries at scale: the cases due in the next 24 hours, listed by the product's case
 * store (`dueBetween`), when the same few hundred cases are due among ten thousand, a hundred
 * thousand and a million stored. The cost should follow the number due, not the number stored.
 *
 * The cases are copies of one the lodging conversations stored, seeded through the product's own
 * lodging script (case, history, indexes and submission marker, exactly as a lodged complaint
 * leaves them) sent in pipelines, each copy with a fresh reference and its own deadline: the
 * due ones within the next 24 hours, the rest overdue or due later. It runs on a Redis server of
 * its own, stopped afterwards, so seeding a million cases stalls nobody else.
 *
 * Timing is taken by the caller, around the whole query; Redis's SLOWLOG, set to record every
 * command while the queries run, gives how long each of its commands held the server. (That is
 * wall time inside Redis: on a busy machine a command can be held up by the operating system
 * handing Redis's core to another process, which shows as a rare outlier, not as the norm.)
 */
import { caseAssociatedData, DataKeyRing, seal } from '../src/storage/encryption/data-keys.js';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { readCase, submissionHash } from '../src/cases/case-records.js';
import { indexEntryOf } from '../src/cases/indexing.js';
import { generateReference } from '../src/cases/reference.js';
import { openStores } from '../src/storage/open-stores.js';
import { RedisKeys } from '../src/storage/redis/keys.js';
import { scriptFiles } from '../src/storage/redis/scripts.js';
import { quantile } from './load.js';
import type { StoredCaseSample } from './redis-cost.js';
import { BenchRedis, benchStoreConfig } from './redis-server.js';
import type { BenchSettings } from './settings.js';
import { median } from './throughput.js';

/** One size of store. */
export interface DueQuerySize {
  readonly stored: number;
  readonly medianMs: number;
  readonly p90Ms: number;
  /** Cases the query listed (should be the number due). */
  readonly found: number;
  /** Redis commands per query. */
  readonly commandsPerQuery: number;
  /** The longest a single command of the queries ran in Redis, microseconds. */
  readonly longestCommandMicros: number;
  /** That command, as Redis logged it (name and first arguments, key prefix and all). */
  readonly longestCommand: string;
  /** The 99.9th percentile of the commands' times in Redis, microseconds. */
  readonly p999CommandMicros: number;
  /** Commands that ran over 1 ms in Redis, of all the queries' commands. */
  readonly commandsOver1Ms: number;
  readonly commands: number;
}

/** Deadline query figures. */
export interface DueQueryFigures {
  readonly due: number;
  readonly sizes: readonly DueQuerySize[];
  /** Median query time at the largest size over the smallest. */
  readonly ratio: number;
  /** Redis used_memory growth per case seeded (case, history, index entries, marker). */
  readonly redisBytesPerCase: number;
  readonly seedSeconds: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Commands the benchmark sends itself, not part of a query. */
const OWN_COMMANDS = new Set(['slowlog', 'config', 'info', 'ping', 'evalsha', 'script', 'hsetnx', 'hget', 'time']);

/** Seeds the sizes in turn and times the due-in-24-hours query at each. */
export async function measureDueQueries(
  sample: StoredCaseSample,
  settings: BenchSettings['dueQueries'],
  progress: (line: string) => void,
): Promise<DueQueryFigures> {
  const redis = await BenchRedis.start();
  const prefix = `bench:due:${randomBytes(4).toString('hex')}`;
  const config = benchStoreConfig(redis, prefix);
  const stores = await openStores(config, () => undefined);
  const seeder = new Redis({ port: redis.port, host: '127.0.0.1' });
  try {
    const seed = await seedingFor(
      seeder,
      sample,
      new RedisKeys(prefix, config.CASE_SHARDS, config.CASE_SECRET ?? ''),
      DataKeyRing.parse(config.DATA_KEYS ?? ''),
    );
    const now = Date.now();
    const sizes: DueQuerySize[] = [];
    let seeded = 0;
    let seedMs = 0;
    const memory: number[] = [];
    for (const size of settings.sizes) {
      const started = performance.now();
      if (seeded === 0) {
        await seed(settings.due, () => now + HOUR + Math.random() * 22 * HOUR);
        seeded = settings.due;
      }
      await seed(size - seeded, () => (Math.random() < 0.1 ? now - 60_000 - Math.random() * 30 * DAY : now + DAY + 60_000 + Math.random() * 120 * DAY));
      seeded = size;
      seedMs += performance.now() - started;
      memory.push(await redis.usedMemory());
      // Let Redis finish what seeding left it (growing its tables) before anything is timed.
      await new Promise((resolve) => setTimeout(resolve, 1000));

      const query = (): Promise<number> => stores.cases.dueBetween(new Date(now), new Date(now + DAY)).then((due) => due.length);
      for (let warm = 0; warm < 5; warm += 1) await query();
      await redis.admin.config('SET', 'slowlog-max-len', '100000');
      await redis.admin.config('SET', 'slowlog-log-slower-than', '0');
      await redis.admin.call('SLOWLOG', 'RESET');
      const times: number[] = [];
      let found = 0;
      for (let repeat = 0; repeat < settings.repeats; repeat += 1) {
        const begun = performance.now();
        found = await query();
        times.push(performance.now() - begun);
      }
      await redis.admin.config('SET', 'slowlog-log-slower-than', '10000');
      const log = (await redis.admin.call('SLOWLOG', 'GET', '-1')) as [number, number, number, string[]][];
      const entries = log.filter((entry) => !OWN_COMMANDS.has(String(entry[3][0]).toLowerCase())).sort((a, b) => a[2] - b[2]);
      const micros = entries.map((entry) => entry[2]);
      const longest = entries[entries.length - 1];
      times.sort((a, b) => a - b);
      sizes.push({
        stored: size,
        medianMs: median(times),
        p90Ms: quantile(times, 0.9),
        found,
        commandsPerQuery: micros.length / settings.repeats,
        longestCommandMicros: micros[micros.length - 1] ?? 0,
        longestCommand: longest ? longest[3].slice(0, 4).map(String).join(' ').slice(0, 120) : '',
        p999CommandMicros: quantile(micros, 0.999),
        commandsOver1Ms: micros.filter((time) => time > 1000).length,
        commands: micros.length,
      });
      progress(`  ${size.toLocaleString('en-GB')} cases stored: due-in-24h query ${median(times).toFixed(2)} ms (median), ${String(found)} found`);
    }
    const first = sizes[0]!;
    const last = sizes[sizes.length - 1]!;
    const [smallest, next] = [settings.sizes[0]!, settings.sizes[1] ?? settings.sizes[0]!];
    return {
      due: settings.due,
      sizes,
      ratio: last.medianMs / first.medianMs,
      redisBytesPerCase: next > smallest ? (memory[1]! - memory[0]!) / (next - smallest) : Number.NaN,
      seedSeconds: seedMs / 1000,
    };
  } finally {
    seeder.disconnect();
    await stores.close();
    await redis.stop();
  }
}

/**
 * A function that lodges `count` copies of the sample case with deadlines from `dueAt`, in
 * pipelines of the product's lodging script.
 */
async function seedingFor(
  client: Redis,
  sample: StoredCaseSample,
  keys: RedisKeys,
  dataKeys: DataKeyRing,
): Promise<(count: number, dueAt: () => number) => Promise<void>> {
  const lua = scriptFiles().find((script) => script.name === 'lodgeCase');
  if (!lua) throw new Error('The lodging script is missing');
  const sha = String(await client.script('LOAD', lua.lua));
  const entry = indexEntryOf(readCase(sample.doc, Number(sample.version)).case);
  const [docParts, eventParts] = [sample.doc.split(sample.reference), sample.event.split(sample.reference)];
  const batch = 2000;
  const counter = { n: 0 };
  /** Sends one pipeline of `size` lodgings; resolves with how many made a case. */
  const send = async (size: number, dueAt: () => number): Promise<number> => {
    const pipeline = client.pipeline();
    for (let index = 0; index < size; index += 1) {
      const reference = generateReference();
      const shard = keys.shardOfReference(reference);
      const marker = keys.lodgedSubmission(shard, submissionHash(`bench-seed-${String(counter.n++)}`));
      // Each copy sealed with a data key of its own, as lodging does.
      const dataKey = dataKeys.newDataKey();
      // Seeded cases cause no events: the outbox keys are given but nothing is written to them.
      pipeline.evalsha(
        sha,
        lua.numberOfKeys,
        marker,
        keys.case(reference),
        keys.history(reference),
        keys.dueIndex(shard),
        keys.statusIndex(shard, entry.status),
        keys.stageIndex(shard, entry.procedure, entry.stage),
        keys.handlerIndex(shard, entry.handlerId),
        keys.lodgedIndex(shard),
        keys.outbox(shard),
        keys.staffEffects(reference),
        keys.wakeIndex(shard),
        keys.contactIndex(shard),
        reference,
        seal(docParts.join(reference), dataKey, caseAssociatedData(reference, 'doc')),
        sample.secondFactorHash,
        Math.round(dueAt()),
        Date.now() - Math.round(Math.random() * 90 * DAY),
        seal(eventParts.join(reference), dataKey, caseAssociatedData(reference, 'history')),
        30 * 86_400,
        Date.now() + DAY,
        '',
        '',
        // Each in the wake index as a lodged case is, some days on (the due-sweep measure times the sweep itself).
        Math.round(dueAt() - 3 * DAY),
        dataKeys.wrap(dataKey, reference),
        // Listed under a contact detail of its own, as lodging lists each person's (a digest, never the detail).
        `${randomBytes(16).toString('hex')}:${reference}`,
      );
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
    // A reference already taken (rare) is not counted, and simply drawn again in a later batch.
    return results.filter(([, value]) => Array.isArray(value) && value[0] === 1).length;
  };
  return async (count, dueAt) => {
    let created = 0;
    while (created < count) {
      // Two pipelines at a time: one is built while Redis runs the other.
      const remaining = count - created;
      const sizes = [Math.min(batch, remaining), Math.min(batch, Math.max(0, remaining - batch))].filter((size) => size > 0);
      const made = await Promise.all(sizes.map((size) => send(size, dueAt)));
      created += made.reduce((sum, n) => sum + n, 0);
    }
  };
}
