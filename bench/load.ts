/**
 * Timed load on /api/messages with autocannon. Each autocannon connection holds one conversation
 * at a time and plays its turns in order, one request in flight (autocannon's per-connection
 * request sequence: a turn is sent when the previous turn's response has come back, as a channel
 * does); when the sequence ends the connection starts a new conversation with fresh ids. So
 * `connections` is the number of people talking to the bot at once.
 *
 * Latency is taken from autocannon's per-response event (microsecond resolution; its own
 * histogram keeps whole milliseconds), and CPU from the bot process before and after.
 */
import autocannon from 'autocannon';
import type { BotProcess } from './bot-process.js';
import type { ConnectorStub } from './connector.js';
import { activityBody, type ConversationIds, newConversationIds, type ScriptedTurn } from './conversation.js';

/** One timed run against one bot. */
export interface LoadResult {
  /** Turns answered with 200. */
  readonly turns: number;
  readonly seconds: number;
  readonly turnsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Bot CPU (user + system) per turn, milliseconds. */
  readonly cpuMsPerTurn: number;
  /** CPU of this process (the load generator and the connector stand-in) per turn, milliseconds. */
  readonly generatorCpuMsPerTurn: number;
  /** Requests that failed, timed out or were not answered with 200. */
  readonly failed: number;
  /** Conversations that reached their last turn. */
  readonly conversationsCompleted: number;
  /** Replies the connector received, and replies giving a case reference, during the run. */
  readonly replies: number;
  readonly references: number;
  readonly apologies: number;
}

/** The value at quantile `q` of ascending `sorted` (nearest rank). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** What a timed run needs. */
export interface LoadOptions {
  readonly bot: BotProcess;
  readonly connector: ConnectorStub;
  readonly connections: number;
  readonly seconds: number;
  readonly turns: readonly ScriptedTurn[];
}

interface SequenceContext {
  ids?: ConversationIds;
}

/** Drives the bot for `seconds` with `connections` conversations at once. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { bot, connector } = options;
  const counter = { completed: 0 };
  const last = options.turns.length - 1;
  const requests: autocannon.Request[] = options.turns.map((turn, step) => ({
    method: 'POST',
    path: '/api/messages',
    headers: { 'content-type': 'application/json' },
    setupRequest: (request: autocannon.Request, context: object): autocannon.Request => {
      const sequence = context as SequenceContext;
      if (step === 0 || !sequence.ids) sequence.ids = newConversationIds();
      return { ...request, body: activityBody(turn, sequence.ids, connector.url) };
    },
    ...(step === last
      ? {
          onResponse: (status: number) => {
            if (status === 200) counter.completed += 1;
          },
        }
      : {}),
  }));

  const latencies: number[] = [];
  const repliesBefore = connector.snapshot();
  const before = await bot.usage();
  const generatorBefore = process.cpuUsage();
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: bot.url,
        connections: options.connections,
        pipelining: 1,
        duration: options.seconds,
        timeout: 30,
        // autocannon ends a run at its next sample after the duration: sample often, end on time.
        sampleInt: 100,
        requests,
      },
      (error: unknown, done: autocannon.Result) => {
        if (error) reject(error instanceof Error ? error : new Error('autocannon failed'));
        else resolve(done);
      },
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode === 200) latencies.push(responseTime);
    });
  });
  const seconds = (performance.now() - started) / 1000;
  const generator = process.cpuUsage(generatorBefore);
  const after = await bot.usage();
  // Turns still in flight at the end are finished before the replies are counted (and before
  // the next run starts), so that they are not counted in the next run.
  await connector.quiet();
  const replies = connector.snapshot();
  latencies.sort((a, b) => a - b);
  const turns = latencies.length;
  return {
    turns,
    seconds,
    turnsPerSec: turns / seconds,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    cpuMsPerTurn: (after.cpuMicros - before.cpuMicros) / 1000 / turns,
    generatorCpuMsPerTurn: (generator.user + generator.system) / 1000 / turns,
    failed: result.errors + result.timeouts + result.non2xx,
    conversationsCompleted: counter.completed,
    replies: replies.replies - repliesBefore.replies,
    references: replies.references - repliesBefore.references,
    apologies: replies.apologies - repliesBefore.apologies,
  };
}
