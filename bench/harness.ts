/**
 * The benchmark, phase by phase, on a Redis server of its own (started on a free port and
 * stopped at the end, so nothing is left in any Redis):
 * 1. turn throughput, latency and CPU over HTTP, the product beside the echo baseline;
 * 2. Redis commands and round trips per turn;
 * 3. memory per open conversation, in the bot and in Redis;
 * 4. the due-in-24-hours query among ever more stored cases (on another private Redis).
 * Phase 1 runs the product as deployed, a web instance and a delivery instance; phases 2 and 3
 * one product process that only saves. The echo bot has a process of its own. The load
 * generator and the connector stand-in run in this process.
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { DataKeyRing } from '../src/storage/encryption/data-keys.js';
import { RedisKeys } from '../src/storage/redis/keys.js';
import { benchDataKeys, BotProcess, type BotProcessSettings } from './bot-process.js';
import { ConnectorStub } from './connector.js';
import { type DueQueryFigures, measureDueQueries } from './due-queries.js';
import { type DueSweepFigures, measureDueSweep } from './due-sweep.js';
import { measureHostStalls } from './host-stalls.js';
import { measureMemory, type MemoryFigures } from './memory.js';
import { measureRedisCost, type RedisCost } from './redis-cost.js';
import { measureRelayCost, type RelayCost } from './relay-cost.js';
import { BenchRedis } from './redis-server.js';
import type { BenchSettings } from './settings.js';
import { type ConcurrencyFigures, measureThroughput } from './throughput.js';

/** Everything one run measured. The top-level numbers are the headline figures (see README). */
export interface BenchResults {
  readonly date: string;
  readonly mode: BenchSettings['mode'];
  readonly quick: boolean;
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly node: string; readonly redis: string };
  /** At the highest concurrency (32 in a full or quick run). */
  readonly connections: number;
  readonly echoTurnsPerSec: number;
  readonly productTurnsPerSec: number;
  readonly turnsRatio: number;
  readonly echoP50Ms: number;
  readonly productP50Ms: number;
  readonly echoP99Ms: number;
  readonly productP99Ms: number;
  readonly p99Ratio: number;
  readonly echoCpuMsPerTurn: number;
  readonly productCpuMsPerTurn: number;
  /** The delivery instance's CPU per product turn at the top concurrency (the relay and every effect the turns caused). */
  readonly deliveryCpuMsPerTurn: number;
  /** The longest any product run's deliveries took to finish after the run ended, seconds. */
  readonly deliveryDrainSecondsMax: number;
  /** Sequential round trips and commands (as Redis counts them) per ordinary dialog turn. */
  readonly redisRoundTripsPerTurn: number;
  readonly redisCommandsPerTurn: number;
  readonly lodgingTurnRedisRoundTrips: number;
  readonly lodgingTurnRedisCommands: number;
  /** Commands Redis executes to relay one outbox event into its queue (BullMQ's scripts' commands included). */
  readonly relayRedisCommandsPerEvent: number;
  readonly relay: RelayCost;
  readonly heapBytesPerConversation: number;
  readonly rssBytesPerConversation: number;
  readonly redisBytesPerConversation: number;
  readonly redisBytesPerCase: number;
  /** Median due-query time with the most cases stored over the fewest (1M / 10k in a full run). */
  readonly dueQueryRatio1Mto10k: number;
  readonly dueQueryLongestCommandMs: number;
  /** Commands of the due queries that ran over 1 ms in Redis (of thousands). */
  readonly dueQueryCommandsOver1Ms: number;
  /** The staff tab's queue, page 1 of its default view (every open case), median ms, among 10k and 100k stored cases (null where not measured). */
  readonly queuePageMs10k: number | null;
  readonly queuePageMs100k: number | null;
  /** The slowest of the queue's views (page 1), median ms, likewise. */
  readonly queuePageSlowestMs10k: number | null;
  readonly queuePageSlowestMs100k: number | null;
  /** The staff tab's figures for a year, median ms, among 10k and 100k stored cases (every case of the year read). */
  readonly yearFiguresMs10k: number | null;
  readonly yearFiguresMs100k: number | null;
  /** The timeline's sweep doing the due cases, median ms, with 10k, 100k and 1M cases in the wake index (null where not measured). */
  readonly dueSweepMs10k: number | null;
  readonly dueSweepMs100k: number | null;
  readonly dueSweepMs1M: number | null;
  readonly dueSweepRatio1Mto10k: number | null;
  readonly dueSweepLongestCommandMs: number;
  readonly dueSweepCommandsOver1Ms: number;
  readonly dueSweep: DueSweepFigures;
  /** This machine's own pauses, measured just before the sweep: to tell a host stall from a slow command. */
  readonly hostStallsOver1Ms: number;
  readonly hostLongestStallMs: number;
  readonly hostStallSeconds: number;
  readonly throughput: readonly ConcurrencyFigures[];
  readonly redisCost: RedisCost;
  readonly memory: MemoryFigures;
  readonly dueQueries: DueQueryFigures;
  /** Anything that makes a figure doubtful (failed turns, conversations off script). */
  readonly problems: readonly string[];
  readonly seconds: number;
}

/** Runs every phase with the given sizes. */
export async function runBenchmark(settings: BenchSettings, progress: (line: string) => void = () => undefined): Promise<BenchResults> {
  const started = performance.now();
  const caseSecret = randomBytes(24).toString('hex');
  const redis = await BenchRedis.start();
  const connector = await ConnectorStub.start();
  const bots: BotProcess[] = [];
  const startBot = async (settingsOf: Omit<BotProcessSettings, 'redisUrl' | 'caseSecret'>): Promise<BotProcess> => {
    const bot = await BotProcess.start({ ...settingsOf, redisUrl: redis.url, caseSecret });
    bots.push(bot);
    return bot;
  };
  const stop = async (bot: BotProcess): Promise<void> => {
    bots.splice(bots.indexOf(bot), 1);
    await bot.stop();
  };
  try {
    const redisVersion = (await redis.info('server')).get('redis_version') ?? '?';

    progress('1. Turns over HTTP: the product and the echo baseline, side by side');
    // The product keeps its own default key prefix, so that keys are as long as they are for real.
    const prefix = 'complaints';
    const stateKeys = new RedisKeys(prefix, 1, caseSecret);
    // As the bot names it: Bot Framework's conversation-state key, for the emulator channel.
    const stateKey = (conversationId: string): string => stateKeys.botState(`emulator/conversations/${conversationId}`);
    // Deployed as the README recommends: a web instance that only saves, and a delivery instance.
    const [echo, product, delivery] = await Promise.all([
      startBot({ mode: 'echo', prefix: 'bench-echo' }),
      startBot({ mode: 'product', prefix, effectWorkers: false }),
      startBot({ mode: 'product', prefix, effectWorkers: true, delivery: true }),
    ]);
    const throughput = await measureThroughput({ echo, product, delivery }, connector, settings.throughput, progress);
    await stop(echo);
    await stop(product);
    await stop(delivery);

    progress('2. Redis per turn, one turn at a time, and the relay per event');
    // A product that only takes turns and saves: its delivery workers' blocking reads would
    // otherwise be counted with the turns (and Redis's counts are server-wide).
    const turnsOnly = await startBot({ mode: 'product', prefix, effectWorkers: false });
    await turnsOnly.countRedis();
    const cost = await measureRedisCost(
      turnsOnly,
      connector,
      redis,
      settings.redisCostConversations,
      { prefix, stateKey },
      DataKeyRing.parse(benchDataKeys(caseSecret)),
    );
    const relay = await measureRelayCost(redis, new RedisKeys(prefix, 16, caseSecret));

    progress(`3. Memory at ${settings.memory.conversations.toLocaleString('en-GB')} open conversations`);
    const memory = await measureMemory(turnsOnly, connector, redis, settings.memory, stateKey);
    await stop(turnsOnly);

    progress(`4. Cases due in the next 24 hours among ${settings.dueQueries.sizes.map((size) => size.toLocaleString('en-GB')).join(', ')} stored`);
    const due = await measureDueQueries(cost.sample, settings.dueQueries, progress);

    progress(`5. The timeline's sweep among ${settings.dueSweep.sizes.map((size) => size.toLocaleString('en-GB')).join(', ')} cases`);
    const stalls = await measureHostStalls(settings.hostStallSeconds);
    const sweep = await measureDueSweep(cost.sample, settings.dueSweep, progress);
    const sweepMs = (stored: number): number | null => sweep.sizes.find((size) => size.stored === stored)?.medianMs ?? null;
    const staffTabAt = (stored: number) => due.sizes.find((size) => size.stored === stored)?.staffTab ?? null;
    const [sweep10k, sweep1M] = [sweepMs(10_000), sweepMs(1_000_000)];

    const top = throughput.figures[throughput.figures.length - 1]!;
    return {
      date: new Date().toISOString(),
      mode: settings.mode,
      quick: settings.mode !== 'full',
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? '?', node: process.version, redis: redisVersion },
      connections: top.connections,
      echoTurnsPerSec: top.echo.turnsPerSec,
      productTurnsPerSec: top.product.turnsPerSec,
      turnsRatio: top.turnsRatio,
      echoP50Ms: top.echo.p50Ms,
      productP50Ms: top.product.p50Ms,
      echoP99Ms: top.echo.p99Ms,
      productP99Ms: top.product.p99Ms,
      p99Ratio: top.p99Ratio,
      echoCpuMsPerTurn: top.echo.cpuMsPerTurn,
      productCpuMsPerTurn: top.product.cpuMsPerTurn,
      deliveryCpuMsPerTurn: top.delivery?.cpuMsPerTurn ?? Number.NaN,
      deliveryDrainSecondsMax: top.delivery?.drainSecondsMax ?? Number.NaN,
      redisRoundTripsPerTurn: cost.cost.ordinaryTurn.roundTrips,
      redisCommandsPerTurn: cost.cost.ordinaryTurn.serverCommands,
      lodgingTurnRedisRoundTrips: cost.cost.lodgingTurn.roundTrips,
      lodgingTurnRedisCommands: cost.cost.lodgingTurn.serverCommands,
      relayRedisCommandsPerEvent: relay.serverCommandsPerEvent,
      relay,
      heapBytesPerConversation: memory.heapBytesPerConversation,
      rssBytesPerConversation: memory.rssBytesPerConversation,
      redisBytesPerConversation: memory.redisBytesPerConversation,
      redisBytesPerCase: due.redisBytesPerCase,
      dueQueryRatio1Mto10k: due.ratio,
      dueQueryLongestCommandMs: Math.max(...due.sizes.map((size) => size.longestCommandMicros)) / 1000,
      dueQueryCommandsOver1Ms: due.sizes.reduce((sum, size) => sum + size.commandsOver1Ms, 0),
      queuePageMs10k: staffTabAt(10_000)?.queuePageMs.open ?? null,
      queuePageMs100k: staffTabAt(100_000)?.queuePageMs.open ?? null,
      queuePageSlowestMs10k: staffTabAt(10_000)?.slowestQueuePageMs ?? null,
      queuePageSlowestMs100k: staffTabAt(100_000)?.slowestQueuePageMs ?? null,
      yearFiguresMs10k: staffTabAt(10_000)?.yearFiguresMs ?? null,
      yearFiguresMs100k: staffTabAt(100_000)?.yearFiguresMs ?? null,
      dueSweepMs10k: sweep10k,
      dueSweepMs100k: sweepMs(100_000),
      dueSweepMs1M: sweep1M,
      dueSweepRatio1Mto10k: sweep10k !== null && sweep1M !== null ? sweep1M / sweep10k : null,
      dueSweepLongestCommandMs: Math.max(...sweep.sizes.map((size) => size.longestCommandMicros)) / 1000,
      dueSweepCommandsOver1Ms: sweep.sizes.reduce((sum, size) => sum + size.commandsOver1Ms, 0),
      dueSweep: sweep,
      hostStallsOver1Ms: stalls.over1Ms,
      hostLongestStallMs: stalls.longestMs,
      hostStallSeconds: stalls.seconds,
      throughput: throughput.figures,
      redisCost: cost.cost,
      memory,
      dueQueries: due,
      problems: [...throughput.problems, ...cost.problems, ...(relay.events === 0 ? ['The lodging turns left no events in the outbox to relay'] : [])],
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    for (const bot of bots) await bot.stop();
    await connector.close();
    await redis.stop();
  }
}
