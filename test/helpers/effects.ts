/**
 * The outbox's effects for tests on the in-memory store: events saved by the dialogs reach a
 * recording notifier (and a recording chat and mailer) in this process, as the workers would
 * deliver them, so a test can see what staff and the complainant were told once a turn is over.
 */
import type { EventOpener } from '../../src/storage/redis/sealed-event.js';
import type { CaseStore } from '../../src/cases/case-store.js';
import type { OutboxEvent } from '../../src/cases/outbox-event.js';
import type { RecordingNotifier } from '../../src/notifications/recording-notifier.js';
import { InProcessEffectRunner } from '../../src/outbox/effect-runner.js';
import type { Clock } from '../../src/ports/clock.js';
import type { ComplainantMailer, ComplainantMessage } from '../../src/ports/complainant-mailer.js';
import type { CaseNotifier } from '../../src/ports/case-notifier.js';
import { type ConversationMessenger, NotDeliverable } from '../../src/ports/conversation-messenger.js';
import type { EffectMetrics } from '../../src/ports/effect-metrics.js';
import { silentLogger } from '../../src/ports/logger.js';
import { MemoryCaseStore } from '../../src/storage/memory/memory-case-store.js';
import { MemoryEffectLedger } from '../../src/storage/memory/memory-effect-ledger.js';
import type { RedisConnectionConfig } from '../../src/storage/redis/connection.js';
import { EffectQueues, type RetryPolicy } from '../../src/storage/redis/effect-queues.js';
import type { RedisKeys } from '../../src/storage/redis/keys.js';
import { RedisEffectLedger } from '../../src/storage/redis/redis-effect-ledger.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { policy } from './policy.js';
import { testRedisUrl, testDataKeys } from './redis.js';

/** A mailer that keeps what it was asked to send. */
export class RecordingMailer implements ComplainantMailer {
  readonly kind = 'local' as const;
  readonly channels = ['email', 'sms'] as const;
  readonly sent: ComplainantMessage[] = [];
  send(message: ComplainantMessage): Promise<void> {
    this.sent.push(message);
    return Promise.resolve();
  }
}

/** A chat that keeps what was sent into it. */
export class RecordingChat implements ConversationMessenger {
  readonly sent: { conversationId: string; text: string }[] = [];
  send(reference: { conversation: { id: string } }, text: string): Promise<void> {
    this.sent.push({ conversationId: reference.conversation.id, text });
    return Promise.resolve();
  }
}

/** Runs the effects of every event `cases` saves, into the given notifier. */
export function runEffects(cases: MemoryCaseStore, notifier: RecordingNotifier, clock: Clock) {
  const ledger = new MemoryEffectLedger();
  const chat = new RecordingChat();
  const mailer = new RecordingMailer();
  const runner = new InProcessEffectRunner(
    { cases, staff: notifier, chat, mailer, ledger, contentAllowed: false, unseenAfterMs: 3_600_000, policy, clock, log: silentLogger },
    ledger,
    () => Promise.resolve(),
  );
  cases.onEvents((events: readonly OutboxEvent[]) => {
    runner.written(events);
  });
  return { runner, chat, mailer };
}

/** What a test's BullMQ effect queues are built from; everything but the store and staff has a default. */
export interface TestEffectQueuesOptions {
  readonly client: RedisClient;
  readonly keys: RedisKeys;
  /** The store, which also opens the events jobs carry (sealed with each case's data key). */
  readonly cases: CaseStore & EventOpener;
  readonly staff: CaseNotifier;
  /** The Redis the queues' own connections go to (default: the test Redis, standalone). */
  readonly connection?: RedisConnectionConfig;
  /** The complainant's chat (default: one that can never be reached). */
  readonly chat?: ConversationMessenger;
  readonly mailer?: ComplainantMailer | null;
  readonly retry?: RetryPolicy;
  readonly throttled?: (error: unknown) => number | null;
  readonly metrics?: EffectMetrics;
  /** How often the relay sweeps (default 200 ms). */
  readonly sweepEveryMs?: number;
  /** The effects' clock (default the real one). */
  readonly clock?: Clock;
}

/** The outbox's relay and workers on Redis for a test: quick sweeps, no Teams rate limit to speak of. */
export function testEffectQueues(options: TestEffectQueuesOptions): EffectQueues {
  const { client, keys } = options;
  return new EffectQueues({
    connection: options.connection ?? {
      REDIS_URL: testRedisUrl(),
      REDIS_MODE: 'standalone',
      REDIS_NODES: [],
      REDIS_SENTINEL_MASTER: undefined,
      REDIS_COMMAND_TIMEOUT_MS: 2000,
    },
    client,
    keys,
    deps: {
      cases: options.cases,
      staff: options.staff,
      chat: options.chat ?? { send: (reference) => Promise.reject(new NotDeliverable(reference.channelId)) },
      ledger: new RedisEffectLedger(client, keys),
      mailer: options.mailer ?? null,
      contentAllowed: false,
      unseenAfterMs: 60_000,
      policy,
      clock: options.clock ?? { now: () => new Date() },
      log: silentLogger,
      ...(options.metrics ? { metrics: options.metrics } : {}),
    },
    throttled: options.throttled ?? (() => null),
    log: silentLogger,
    events: options.cases,
    dataKeys: testDataKeys(),
    ...(options.retry ? { retry: options.retry } : {}),
    sweepEveryMs: options.sweepEveryMs ?? 200,
    staffPerSecond: 1000,
  });
}
