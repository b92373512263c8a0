/**
 * Turn throughput, latency and CPU over HTTP: the product and the echo baseline, side by side in
 * the same run, under the same generator, at each concurrency. Rounds alternate which bot goes
 * first, so drift in the machine's load (other work on a shared machine) falls on both; each
 * ratio is taken within a round, between runs seconds apart, and the median round is reported.
 * The product is deployed as recommended: a web instance that only saves, and a delivery
 * instance beside it that relays and delivers. Every run starts once all earlier deliveries are
 * done; the delivery instance's CPU for the product's run is counted until its deliveries are.
 */
import type { BotProcess } from './bot-process.js';
import type { ConnectorStub } from './connector.js';
import { LODGING } from './conversation.js';
import { type LoadResult, runLoad } from './load.js';
import type { BenchSettings } from './settings.js';

/** One bot's figures at one concurrency. */
export interface BotFigures {
  readonly turnsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuMsPerTurn: number;
  /** CPU of the load generator and connector stand-in (the parent process) per turn. */
  readonly generatorCpuMsPerTurn: number;
}

/** Product and echo at one concurrency, with their ratios (medians over rounds). */
export interface ConcurrencyFigures {
  readonly connections: number;
  readonly echo: BotFigures;
  readonly product: BotFigures;
  /** product / echo. */
  readonly turnsRatio: number;
  readonly p50Ratio: number;
  readonly p99Ratio: number;
  readonly cpuRatio: number;
  /**
   * The delivery instance's work for the product's runs (null without one): its CPU per product
   * turn, counted from the run's start until everything the run caused was delivered, and how
   * long after the run's end that took (the most of any round).
   */
  readonly delivery: { readonly cpuMsPerTurn: number; readonly drainSecondsMax: number } | null;
  /** Every round's raw figures, for a closer look. */
  readonly rounds: readonly {
    readonly echo: LoadResult;
    readonly product: LoadResult;
    readonly delivery: { readonly cpuMsPerTurn: number; readonly drainSeconds: number } | null;
  }[];
}

/** The longest a run's deliveries may take to finish after it before the figures are doubted. */
const DRAIN_LIMIT_MS = 180_000;

/** Waits until the delivery instance has nothing left to deliver; returns how long that took. */
async function drained(delivery: BotProcess): Promise<number> {
  const started = performance.now();
  while (!(await delivery.idle())) {
    if (performance.now() - started > DRAIN_LIMIT_MS) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return performance.now() - started;
}

/** The median of some numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function figures(runs: readonly LoadResult[]): BotFigures {
  return {
    turnsPerSec: median(runs.map((run) => run.turnsPerSec)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    cpuMsPerTurn: median(runs.map((run) => run.cpuMsPerTurn)),
    generatorCpuMsPerTurn: median(runs.map((run) => run.generatorCpuMsPerTurn)),
  };
}

/** What went wrong in a run, if anything: failed requests, apologies, conversations off script. */
function problemsOf(bot: string, connections: number, run: LoadResult, product: boolean): string[] {
  const problems: string[] = [];
  const where = `${bot} at ${String(connections)} connections`;
  if (run.failed > 0) problems.push(`${where}: ${String(run.failed)} requests failed or were not answered with 200`);
  if (run.apologies > 0) problems.push(`${where}: the bot apologised for ${String(run.apologies)} failed turns`);
  // A conversation that reached "Send complaint" on script got one reference. (Conversations cut
  // off by the end of the run at their last turn may have been given one too.)
  if (product && (run.references < run.conversationsCompleted || run.references > run.conversationsCompleted + connections)) {
    problems.push(`${where}: ${String(run.conversationsCompleted)} conversations finished but ${String(run.references)} references were given`);
  }
  return problems;
}

/** Runs the side-by-side load and returns the figures per concurrency, and any problems seen. */
export async function measureThroughput(
  bots: { readonly echo: BotProcess; readonly product: BotProcess; readonly delivery?: BotProcess },
  connector: ConnectorStub,
  settings: BenchSettings['throughput'],
  progress: (line: string) => void,
): Promise<{ figures: ConcurrencyFigures[]; problems: string[] }> {
  const problems: string[] = [];
  const top = Math.max(...settings.concurrencies);
  const { delivery } = bots;
  for (const bot of settings.warmupSeconds > 0 ? [bots.echo, bots.product] : []) {
    await runLoad({ bot, connector, connections: top, seconds: settings.warmupSeconds, turns: LODGING });
  }
  const results = new Map<number, ConcurrencyFigures['rounds'][number][]>();
  for (let round = 0; round < settings.rounds; round += 1) {
    for (const connections of settings.concurrencies) {
      const order: ('echo' | 'product')[] = round % 2 === 0 ? ['echo', 'product'] : ['product', 'echo'];
      const pair: Partial<Record<'echo' | 'product', LoadResult>> = {};
      let delivered: ConcurrencyFigures['rounds'][number]['delivery'] = null;
      for (const name of order) {
        // Neither bot's run shares the machine with deliveries the one before it caused.
        if (delivery) await drained(delivery);
        const before = name === 'product' && delivery ? await delivery.usage() : null;
        const result = await runLoad({ bot: bots[name], connector, connections, seconds: settings.seconds, turns: LODGING });
        problems.push(...problemsOf(name, connections, result, name === 'product'));
        pair[name] = result;
        if (before && delivery) {
          const drainMs = await drained(delivery);
          if (drainMs >= DRAIN_LIMIT_MS)
            problems.push(`deliveries after the product's run at ${String(connections)} at once were not finished in ${String(DRAIN_LIMIT_MS / 1000)} s`);
          const after = await delivery.usage();
          delivered = { cpuMsPerTurn: (after.cpuMicros - before.cpuMicros) / 1000 / Math.max(1, result.turns), drainSeconds: drainMs / 1000 };
        }
        progress(
          `  round ${String(round + 1)}/${String(settings.rounds)}, ${String(connections)} at once, ${name}: ${result.turnsPerSec.toFixed(0)} turns/s, ` +
            `p99 ${result.p99Ms.toFixed(1)} ms`,
        );
      }
      const list = results.get(connections) ?? [];
      list.push({ echo: pair.echo!, product: pair.product!, delivery: delivered });
      results.set(connections, list);
    }
  }
  const out: ConcurrencyFigures[] = settings.concurrencies.map((connections) => {
    const rounds = results.get(connections) ?? [];
    const ratio = (pick: (run: LoadResult) => number): number => median(rounds.map((round) => pick(round.product) / pick(round.echo)));
    return {
      connections,
      echo: figures(rounds.map((round) => round.echo)),
      product: figures(rounds.map((round) => round.product)),
      turnsRatio: ratio((run) => run.turnsPerSec),
      p50Ratio: ratio((run) => run.p50Ms),
      p99Ratio: ratio((run) => run.p99Ms),
      cpuRatio: ratio((run) => run.cpuMsPerTurn),
      delivery: rounds.every((round) => round.delivery !== null)
        ? {
            cpuMsPerTurn: median(rounds.map((round) => round.delivery?.cpuMsPerTurn ?? 0)),
            drainSecondsMax: Math.max(...rounds.map((round) => round.delivery?.drainSeconds ?? 0)),
          }
        : null,
      rounds,
    };
  });
  return { figures: out, problems };
}
