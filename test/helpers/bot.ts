/** The whole public bot (dialogs in the turn runner, on in-memory stores) behind Bot Framework's test adapter. */
import { type Activity, TestAdapter } from 'botbuilder';
import { createComplaintBot } from '../../src/bot/create-complaint-bot.js';
import { SecondFactorHasher } from '../../src/cases/second-factor.js';
import { ChronoDateParser } from '../../src/dates/chrono-date-parser.js';
import { RecordingNotifier } from '../../src/notifications/recording-notifier.js';
import { silentLogger } from '../../src/ports/logger.js';
import { MemoryCaseStore } from '../../src/storage/memory/memory-case-store.js';
import { MemoryConversationStorage } from '../../src/storage/memory/memory-conversation-storage.js';
import { SERVICE, shown, TestClock } from './conversation.js';
import { runEffects } from './effects.js';
import { policy } from './policy.js';
import { TEST_GUARD, TEST_SECRET } from './redis.js';

/** The test adapter's conversation, as stored. */
export const TEST_CONVERSATION_KEY = 'test/conversations/Convo1';

/** A bot for tests, and a way to talk to it with chosen activity ids. */
export function testBot(options: { at?: string; storage?: MemoryConversationStorage } = {}) {
  const clock = new TestClock(new Date(options.at ?? '2025-06-02T10:00:00+01:00'));
  const storage = options.storage ?? new MemoryConversationStorage(24 * 3_600_000);
  const cases = new MemoryCaseStore(new SecondFactorHasher(TEST_SECRET), TEST_GUARD, () => clock.now().getTime());
  const notifier = new RecordingNotifier();
  const effects = runEffects(cases, notifier, clock);
  const { bot, dialog } = createComplaintBot(storage, {
    cases,
    policy,
    clock,
    dates: new ChronoDateParser(),
    concerns: effects.runner,
    service: SERVICE,
    log: silentLogger,
    pause: () => Promise.resolve(),
  });
  const adapter = new TestAdapter((context) => bot.run(context));
  let next = 1;
  /** Delivers an activity and returns what the bot replied, as shown. */
  async function deliver(activity: Partial<Activity>): Promise<string[]> {
    adapter.activeQueue.splice(0);
    await adapter.processActivity(activity);
    await effects.runner.settled();
    return adapter.activeQueue.splice(0).map(shown);
  }
  return {
    bot,
    storage,
    cases,
    notifier,
    effects,
    clock,
    dialog,
    adapter,
    deliver,
    /** Sends a message, with a fresh id unless one is given. */
    say: (text: string, id = `activity-${next++}`) => deliver({ type: 'message', text, id }),
  };
}
