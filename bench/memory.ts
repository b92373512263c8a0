/**
 * Memory per active conversation: many conversations left mid-dialog (a name and an account of
 * what happened given, the date still to come). Conversation state lives in Redis, so the bot
 * process should keep next to nothing per conversation: its heap and RSS are compared, after a
 * full garbage collection, before and after the conversations open. Redis's share is its
 * used_memory growth per conversation, and the size of one state value.
 */
import type { BotProcess } from './bot-process.js';
import type { ConnectorStub } from './connector.js';
import { type ConversationIds, LODGING } from './conversation.js';
import { driveConversations } from './driver.js';
import type { BenchRedis } from './redis-server.js';
import type { BenchSettings } from './settings.js';

/** Memory per open conversation. */
export interface MemoryFigures {
  readonly conversations: number;
  /** The last turn each conversation took before it was left open. */
  readonly leftAfter: string;
  /** V8 heap in use after a full collection. */
  readonly heapBytesPerConversation: number;
  /** The same without compiled code (which grows as the optimiser works, not with conversations). */
  readonly heapDataBytesPerConversation: number;
  readonly rssBytesPerConversation: number;
  /** Redis used_memory growth per conversation (the state value, its key and its expiry). */
  readonly redisBytesPerConversation: number;
  /** MEMORY USAGE of one state key, averaged over a sample. */
  readonly redisBytesPerStateKey: number;
  /** The state as stored (eTag and body), averaged over the same sample. */
  readonly stateJsonBytes: number;
}

/**
 * Opens `settings.conversations` conversations and measures what they hold. `stateKey` names the
 * Redis key of a conversation's state.
 */
export async function measureMemory(
  bot: BotProcess,
  connector: ConnectorStub,
  redis: BenchRedis,
  settings: BenchSettings['memory'],
  stateKey: (conversationId: string) => string,
): Promise<MemoryFigures> {
  const turns = LODGING.slice(0, settings.turns);
  const drive = (conversations: number): Promise<ConversationIds[]> =>
    driveConversations({ botUrl: bot.url, serviceUrl: connector.url, conversations, turns, concurrency: settings.concurrency });

  // Warm up first, so code compiled and caches filled on first use are not counted per conversation.
  await drive(settings.warmupConversations);
  const before = await bot.collected();
  const redisBefore = await redis.usedMemory();
  const opened = await drive(settings.conversations);
  const after = await bot.collected();
  const redisAfter = await redis.usedMemory();

  const sample = await stateSample(
    redis,
    opened.slice(0, 200).map((ids) => stateKey(ids.conversation)),
  );
  const n = settings.conversations;
  return {
    conversations: n,
    leftAfter: LODGING[settings.turns - 1]?.name ?? 'nothing',
    heapBytesPerConversation: (after.heapUsed - before.heapUsed) / n,
    heapDataBytesPerConversation: (after.heapUsed - after.heapCodeUsed - (before.heapUsed - before.heapCodeUsed)) / n,
    rssBytesPerConversation: (after.rss - before.rss) / n,
    redisBytesPerConversation: (redisAfter - redisBefore) / n,
    redisBytesPerStateKey: sample.keyBytes,
    stateJsonBytes: sample.valueBytes,
  };
}

/** MEMORY USAGE and stored length of some conversation state keys, on average. */
async function stateSample(redis: BenchRedis, keys: readonly string[]): Promise<{ keyBytes: number; valueBytes: number }> {
  const usage = await Promise.all(keys.map((key) => redis.admin.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')));
  const lengths = await Promise.all(keys.map((key) => redis.admin.strlen(key)));
  if (keys.length === 0 || usage.some((bytes) => bytes === null)) throw new Error('The open conversations have no state in Redis');
  const average = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
  return { keyBytes: average(usage.map(Number)), valueBytes: average(lengths) };
}
