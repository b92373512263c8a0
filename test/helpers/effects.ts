/**
 * The outbox's effects for tests on the in-memory store: events saved by the dialogs reach a
 * recording notifier (and a recording chat and mailer) in this process, as the workers would
 * deliver them, so a test can see what staff and the complainant were told once a turn is over.
 */
import type { OutboxEvent } from '../../src/cases/outbox-event.js';
import type { RecordingNotifier } from '../../src/notifications/recording-notifier.js';
import { InProcessEffectRunner } from '../../src/outbox/effect-runner.js';
import type { Clock } from '../../src/ports/clock.js';
import type { ComplainantMailer, ComplainantMessage } from '../../src/ports/complainant-mailer.js';
import type { ConversationMessenger } from '../../src/ports/conversation-messenger.js';
import { silentLogger } from '../../src/ports/logger.js';
import { MemoryCaseStore } from '../../src/storage/memory/memory-case-store.js';
import { MemoryEffectLedger } from '../../src/storage/memory/memory-effect-ledger.js';
import { policy } from './policy.js';

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
