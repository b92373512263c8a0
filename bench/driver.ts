/**
 * A plain driver for conversations, for the measurements that are not about speed: the Redis
 * cost of each turn (one turn at a time, looking at counters between turns) and memory at many
 * conversations (many conversations open, each turn of one waiting for the last). Timed load
 * uses autocannon instead (load.ts).
 */
import { Agent, request } from 'node:http';
import { activityBody, type ConversationIds, newConversationIds, type ScriptedTurn } from './conversation.js';

/** Posts one activity to the bot and resolves with the HTTP status once the turn is over. */
function postActivity(agent: Agent, botUrl: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${botUrl}/api/messages`,
      {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          resolve(response.statusCode ?? 0);
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** What the driver needs to hold conversations. */
export interface DriveOptions {
  readonly botUrl: string;
  /** The connector stand-in's address, where replies go. */
  readonly serviceUrl: string;
  readonly conversations: number;
  /** The turns each conversation takes, in order. */
  readonly turns: readonly ScriptedTurn[];
  /** Conversations in progress at once. */
  readonly concurrency: number;
  /** Called around each turn, when given (turns then run one at a time). */
  readonly around?: (turn: number, ids: ConversationIds, post: () => Promise<number>) => Promise<void>;
}

/** Holds `conversations` conversations and returns their ids; throws if any turn is not answered with 200. */
export async function driveConversations(options: DriveOptions): Promise<ConversationIds[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const next = { conversation: 0 };
  const failures: string[] = [];
  const held: ConversationIds[] = [];
  const worker = async (): Promise<void> => {
    while (next.conversation < options.conversations && failures.length === 0) {
      const n = next.conversation++;
      const ids = newConversationIds();
      held.push(ids);
      for (const [step, turn] of options.turns.entries()) {
        const post = async (): Promise<number> => {
          const status = await postActivity(agent, options.botUrl, activityBody(turn, ids, options.serviceUrl));
          if (status !== 200) failures.push(`turn ${String(step)} (${turn.name}) of conversation ${String(n)} answered ${String(status)}`);
          return status;
        };
        if (options.around) await options.around(step, ids, post);
        else await post();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  if (failures.length > 0) throw new Error(`The bot failed turns: ${failures.slice(0, 3).join('; ')}`);
  return held;
}
