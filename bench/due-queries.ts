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
import { caseFactsOf } from '../src/cases/case-facts.js';
import { readCase, submissionHash } from '../src/cases/case-records.js';
import { indexEntryOf } from '../src/cases/indexing.js';
import { generateReference } from '../src/cases/reference.js';
import type { CaseStore } from '../src/cases/case-store.js';
import { addDays, createEscalationPolicy, dateInZone } from '../src/policy/index.js';
import { readFigures } from '../src/staff-tab/figures-reader.js';
import { type QueueQuery, queueQuerySchema } from '../src/staff-tab/queue.js';
import { readQueuePage } from '../src/staff-tab/queue-reader.js';
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
  /** The staff tab among this many stored cases (up to 100k; its yearly figures read every case of the year). */
  readonly staffTab: StaffTabFigures | null;
}

/** The staff tab's reads among the stored cases, as its API does them. */
export interface StaffTabFigures {
  /** Median ms for page 1 of each view (its slice from the indexes, then the page's 25 cases read). */
  readonly queuePageMs: Readonly<Record<'open' | 'unassigned' | 'overdue' | 'mine', number>>;
  /** The slowest view's median. */
  readonly slowestQueuePageMs: number;
  /** Median ms for a year's figures for the procedure (every case lodged in the year read). */
  readonly yearFiguresMs: number;
  /** Cases the year's figures counted. */
  readonly yearFiguresReceived: number;
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
  const procedure = readCase(sample.doc, Number(sample.version)).case.procedure;
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
      // After the due query's commands were read from the log, so the tab's are not counted with them.
      const staffTab = size <= STAFF_TAB_UP_TO ? await measureStaffTab(stores.cases, procedure, settings.repeats) : null;
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
        staffTab,
      });
      progress(`  ${size.toLocaleString('en-GB')} cases stored: due-in-24h query ${median(times).toFixed(2)} ms (median), ${String(found)} found`);
      if (staffTab) {
        progress(
          `    staff tab: a queue page ${staffTab.queuePageMs.open.toFixed(2)} ms (all open; the slowest view ${staffTab.slowestQueuePageMs.toFixed(2)} ms), ` +
            `a year's figures ${staffTab.yearFiguresMs.toFixed(0)} ms (${String(staffTab.yearFiguresReceived)} received)`,
        );
      }
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

/** The largest store the staff tab is measured in (the yearly figures read every case of the year). */
const STAFF_TAB_UP_TO = 100_000;

const policy = createEscalationPolicy();

/** Median ms of `repeats` runs of `task`, after one run to warm up. */
async function timed(repeats: number, task: () => Promise<unknown>): Promise<number> {
  await task();
  const times: number[] = [];
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    const begun = performance.now();
    await task();
    times.push(performance.now() - begun);
  }
  return median(times);
}

/**
 * The staff tab's queue pages and yearly figures, read as its API reads them. The seeded cases
 * are all open and unassigned, lodged over the last 90 days, a tenth of them overdue: the
 * queue's worst case, every stored case in it.
 */
async function measureStaffTab(cases: CaseStore, procedure: string, repeats: number): Promise<StaffTabFigures> {
  const now = new Date();
  const reading = { cases, policy, now };
  const page = (view: QueueQuery['view']) => timed(repeats, () => readQueuePage(queueQuerySchema.parse({ view }), 'bench-staff-member', reading));
  const queuePageMs = { open: await page('open'), unassigned: await page('unassigned'), overdue: await page('overdue'), mine: await page('mine') };
  const today = dateInZone(now, policy.calendar.timeZone);
  const year = { from: addDays(today, -364), to: today, procedure };
  let received = 0;
  const yearFiguresMs = await timed(Math.min(repeats, 3), async () => {
    received = (await readFigures(cases, policy, now, year)).received;
  });
  return { queuePageMs, slowestQueuePageMs: Math.max(...Object.values(queuePageMs)), yearFiguresMs, yearFiguresReceived: received };
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
  if (!lua?.numberOfKeys) throw new Error('The lodging script is missing');
  const numberOfKeys = lua.numberOfKeys;
  const sha = String(await client.script('LOAD', lua.lua));
  const sampleCase = readCase(sample.doc, Number(sample.version)).case;
  const entry = indexEntryOf(sampleCase);
  const [docParts, eventParts, factParts] = [
    sample.doc.split(sample.reference),
    sample.event.split(sample.reference),
    JSON.stringify(caseFactsOf(sampleCase)).split(sample.reference),
  ];
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
        numberOfKeys,
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
        factParts.join(reference),
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
