/**
 * What a turn costs Redis: conversations played one turn at a time, with two counts around every
 * turn. Redis's own INFO commandstats (every command executed, those inside Lua scripts included)
 * and the bot's client-side count of commands sent and of sequential round trips (how many times
 * the turn waited for Redis). The benchmark's Redis is private, so nothing else is counted.
 */
import { caseAssociatedData, type DataKeyRing, open } from '../src/storage/encryption/data-keys.js';
import type { BotProcess, Usage } from './bot-process.js';
import type { ConnectorStub } from './connector.js';
import { LODGING, LODGING_TURN } from './conversation.js';
import { driveConversations } from './driver.js';
import { type BenchRedis, commandsBetween, total } from './redis-server.js';

/** Mean Redis figures for one kind of turn. */
export interface TurnCost {
  readonly turns: number;
  /** Sequential round trips the bot waited for. */
  readonly roundTrips: number;
  /** Commands the bot sent (a script call is one). */
  readonly clientCommands: number;
  /** Commands Redis executed (each command inside a script counts). */
  readonly serverCommands: number;
  /** Redis's commands per turn, by name. */
  readonly serverCommandsByName: Readonly<Record<string, number>>;
  /** The turn's time from request to response, one turn at a time (with counting on), ms. */
  readonly ms: number;
  /** The conversation's state after the turn: bytes stored, and Redis's MEMORY USAGE of its key. */
  readonly stateBytes: number;
  readonly stateKeyBytes: number;
}

/** The Redis cost of each kind of turn. */
export interface RedisCost {
  /** The turns between the greeting and "Send complaint": one question answered each. */
  readonly ordinaryTurn: TurnCost;
  /** The first turn: no state yet, so it is created. */
  readonly conversationStart: TurnCost;
  /** "Send complaint": the case is lodged as well. */
  readonly lodgingTurn: TurnCost;
  readonly perStep: readonly (TurnCost & { readonly step: string })[];
}

/** A case as the product stored it, to seed copies of (see due-queries.ts). */
export interface StoredCaseSample {
  readonly reference: string;
  readonly version: string;
  /** The case record's JSON, opened (the seeding seals each copy with a data key of its own, as lodging does). */
  readonly doc: string;
  readonly secondFactorHash: string;
  readonly event: string;
}

interface Sample {
  readonly step: number;
  readonly roundTrips: number;
  readonly clientCommands: number;
  readonly server: Map<string, number>;
  readonly ms: number;
  readonly stateBytes: number;
  readonly stateKeyBytes: number;
}

function mean(samples: readonly Sample[]): TurnCost {
  const n = samples.length;
  const byName: Record<string, number> = {};
  for (const sample of samples) {
    for (const [name, calls] of sample.server) byName[name] = (byName[name] ?? 0) + calls / n;
  }
  const sum = (pick: (sample: Sample) => number): number => samples.reduce((acc, sample) => acc + pick(sample), 0) / n;
  return {
    turns: n,
    roundTrips: sum((sample) => sample.roundTrips),
    clientCommands: sum((sample) => sample.clientCommands),
    serverCommands: sum((sample) => total(sample.server)),
    serverCommandsByName: byName,
    ms: sum((sample) => sample.ms),
    stateBytes: sum((sample) => sample.stateBytes),
    stateKeyBytes: sum((sample) => sample.stateKeyBytes),
  };
}

/**
 * Plays `conversations` lodging conversations one turn at a time and counts each turn's Redis
 * work. `stateKey` names the Redis key of a conversation's state.
 */
export async function measureRedisCost(
  bot: BotProcess,
  connector: ConnectorStub,
  redis: BenchRedis,
  conversations: number,
  keys: { readonly prefix: string; readonly stateKey: (conversationId: string) => string },
  dataKeys: DataKeyRing,
): Promise<{ cost: RedisCost; sample: StoredCaseSample; problems: string[] }> {
  // A few conversations first, not counted: scripts get loaded, connections warm, and the date
  // parser's first readings (tens of milliseconds while its code is compiled) are out of the way.
  await driveConversations({ botUrl: bot.url, serviceUrl: connector.url, conversations: Math.min(5, conversations), turns: LODGING, concurrency: 1 });

  const samples: Sample[] = [];
  const problems: string[] = [];
  connector.recording = true;
  try {
    await driveConversations({
      botUrl: bot.url,
      serviceUrl: connector.url,
      conversations,
      turns: LODGING,
      concurrency: 1,
      around: async (step, ids, post) => {
        const repliesBefore = connector.transcripts.get(ids.conversation)?.length ?? 0;
        const [client, server]: [Usage, Map<string, number>] = [await bot.usage(), await redis.commandCounts()];
        const started = performance.now();
        await post();
        const ms = performance.now() - started;
        const [clientAfter, serverAfter]: [Usage, Map<string, number>] = [await bot.usage(), await redis.commandCounts()];
        const stateKey = keys.stateKey(ids.conversation);
        samples.push({
          step,
          roundTrips: clientAfter.redis.roundTrips - client.redis.roundTrips,
          clientCommands: clientAfter.redis.commands - client.redis.commands,
          server: commandsBetween(server, serverAfter),
          ms,
          stateBytes: await redis.admin.strlen(stateKey),
          stateKeyBytes: Number(await redis.admin.call('MEMORY', 'USAGE', stateKey, 'SAMPLES', '0')),
        });
        const replies = (connector.transcripts.get(ids.conversation) ?? []).slice(repliesBefore);
        const turn = LODGING[step]!;
        if (!replies.some((reply) => turn.expect.test(reply))) {
          problems.push(`Turn "${turn.name}" went off script: the bot said ${JSON.stringify(replies.join(' / ').slice(0, 300))}`);
        }
      },
    });
  } finally {
    connector.recording = false;
    connector.transcripts.clear();
  }

  const ordinary = samples.filter((sample) => sample.step > 0 && sample.step < LODGING_TURN);
  const cost: RedisCost = {
    ordinaryTurn: mean(ordinary),
    conversationStart: mean(samples.filter((sample) => sample.step === 0)),
    lodgingTurn: mean(samples.filter((sample) => sample.step === LODGING_TURN)),
    perStep: LODGING.map((turn, step) => ({ step: turn.name, ...mean(samples.filter((sample) => sample.step === step)) })),
  };
  return { cost, sample: await storedCase(redis, keys.prefix, dataKeys), problems };
}

/** One case the conversations lodged, as Redis holds it, its record and first history entry opened. */
async function storedCase(redis: BenchRedis, prefix: string, dataKeys: DataKeyRing): Promise<StoredCaseSample> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.admin.scan(cursor, 'MATCH', `${prefix}:*:case:*`, 'COUNT', 1000);
    cursor = next;
    const caseKey = keys.find((key) => /:case:[0-9A-Z-]+$/.test(key));
    if (caseKey) {
      const fields = await redis.admin.hgetall(caseKey);
      const history = await redis.admin.xrange(`${caseKey}:history`, '-', '+');
      const entry = history[0]?.[1] ?? [];
      const reference = caseKey.slice(caseKey.lastIndexOf(':') + 1);
      const dataKey = dataKeys.unwrap(fields['dk'] ?? '', reference);
      return {
        reference,
        version: fields['v'] ?? '1',
        doc: open(fields['doc'] ?? '', dataKey, caseAssociatedData(reference, 'doc')),
        secondFactorHash: fields['sf'] ?? '',
        event: open(entry[entry.indexOf('e') + 1] ?? '', dataKey, caseAssociatedData(reference, 'history')),
      };
    }
  } while (cursor !== '0');
  throw new Error('The lodging conversations left no case in Redis');
}
