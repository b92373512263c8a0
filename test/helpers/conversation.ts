/**
 * A conversation with the public dialogs for tests: the real dialogs on in-memory stores, the
 * real policy and date parser, a clock the test sets, and a notifier that records. Replies come
 * back as text (with any buttons), so transcripts read as the person would see them.
 */
import { type Activity, ConversationState, MemoryStorage } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { SecondFactorHasher } from '../../src/cases/second-factor.js';
import { ChronoDateParser } from '../../src/dates/chrono-date-parser.js';
import { RecordingNotifier } from '../../src/notifications/recording-notifier.js';
import { performConcernEffect } from '../../src/outbox/effects.js';
import type { Clock } from '../../src/ports/clock.js';
import type { ServiceDetails } from '../../src/ports/service-details.js';
import { silentLogger } from '../../src/ports/logger.js';
import { MemoryCaseStore } from '../../src/storage/memory/memory-case-store.js';
import { MainDialog } from '../../dialogs/main-dialog.js';
import type { ComplaintDialogPorts, ConversationMemory } from '../../dialogs/ports.js';
import { runEffects } from './effects.js';
import { policy } from './policy.js';
import { TEST_GUARD, TEST_SECRET } from './redis.js';

/** Service details as a deployment would configure them. */
export const SERVICE: ServiceDetails = {
  organisation: 'the council and its NHS partners',
  serviceDesk: { phone: '0300 123 4567', email: 'complaints@example.gov.uk', hours: 'Monday to Friday, 9am to 5pm' },
  privacyNotice: { version: '2026-11', url: 'https://example.gov.uk/privacy/complaints', keptFor: '6 years after the complaint is closed' },
  safeguarding: { children: '0300 123 0000', adults: '0300 123 1111' },
};

/** A clock a test moves. */
export class TestClock implements Clock {
  constructor(private instant: Date) {}
  now(): Date {
    return new Date(this.instant);
  }
  set(at: string): void {
    this.instant = new Date(at);
  }
}

/** What the person sees of one reply: its text, and any buttons. */
export function shown(activity: Partial<Activity>): string {
  const buttons = activity.suggestedActions?.actions.map((action) => action.title) ?? [];
  return buttons.length > 0 ? `${activity.text ?? ''} [${buttons.join(' | ')}]` : (activity.text ?? '');
}

/** One person's conversation with the bot. */
export class TestConversation {
  readonly cases: MemoryCaseStore;
  readonly notifier = new RecordingNotifier();
  readonly clock: TestClock;
  readonly pauses: number[] = [];
  readonly conversationState: ConversationState;
  readonly dialog: MainDialog;
  readonly ports: ComplaintDialogPorts;
  readonly storage: MemoryStorage;
  private readonly channelId: string;
  private client: DialogTestClient;
  /** The effects of what the dialogs save (only for a store this conversation made). */
  readonly effects: ReturnType<typeof runEffects> | null;

  constructor(options: { at?: string; cases?: MemoryCaseStore; storage?: MemoryStorage; channelId?: string; service?: ServiceDetails } = {}) {
    this.clock = new TestClock(new Date(options.at ?? '2025-06-02T10:00:00+01:00'));
    this.cases = options.cases ?? new MemoryCaseStore(new SecondFactorHasher(TEST_SECRET), TEST_GUARD, () => this.clock.now().getTime());
    this.effects = options.cases ? null : runEffects(this.cases, this.notifier, this.clock);
    this.storage = options.storage ?? new MemoryStorage();
    this.channelId = options.channelId ?? 'webchat';
    this.conversationState = new ConversationState(this.storage);
    this.ports = {
      cases: this.cases,
      policy,
      clock: this.clock,
      dates: new ChronoDateParser(),
      // Without effects of its own (a store shared with another conversation), concerns go to staff at once.
      concerns: this.effects?.runner ?? { raiseConcern: (concern) => performConcernEffect(concern, { cases: this.cases, staff: this.notifier }) },
      service: options.service ?? SERVICE,
      log: silentLogger,
      memory: this.conversationState.createProperty<ConversationMemory>('memory'),
      pause: (ms) => {
        this.pauses.push(ms);
        return Promise.resolve();
      },
    };
    this.dialog = new MainDialog(this.ports);
    this.client = new DialogTestClient(this.channelId, this.dialog, undefined, [], this.conversationState);
  }

  /** The conversation's memory as saved after the last turn (the test adapter's conversation is "Convo1"). */
  async memory(): Promise<ConversationMemory> {
    const key = `${this.channelId}/conversations/Convo1/`;
    const state = (await this.storage.read([key]))[key] as { memory?: ConversationMemory } | undefined;
    return state?.memory ?? {};
  }

  /** Changes the saved memory between turns (to simulate state an older or broken turn left behind). */
  async editMemory(edit: (memory: ConversationMemory) => void): Promise<void> {
    const key = `${this.channelId}/conversations/Convo1/`;
    const state = (await this.storage.read([key]))[key] as { memory?: ConversationMemory } & Record<string, unknown>;
    const memory = state.memory ?? {};
    edit(memory);
    await this.storage.write({ [key]: { ...state, memory, eTag: '*' } });
  }

  /** Sends a message and returns every reply, as shown. */
  async say(text: string): Promise<string[]> {
    const replies: string[] = [];
    let reply = (await this.client.sendActivity(text)) as Partial<Activity> | undefined;
    while (reply) {
      replies.push(shown(reply));
      reply = this.client.getNextReply();
    }
    // What the turn saved has its effects before the test looks (staff told, the complainant acknowledged).
    await this.effects?.runner.settled();
    return replies;
  }
}

/** A transcript row: what the person says, and a pattern for each reply in order. */
export type Exchange = readonly [string, ...(string | RegExp)[]];

/** Plays a transcript, checking the replies to each message (count and content). */
export async function play(conversation: TestConversation, exchanges: readonly Exchange[]): Promise<void> {
  for (const [said, ...expected] of exchanges) {
    const replies = await conversation.say(said);
    const describe = `after "${said.slice(0, 60)}" the bot said:\n${replies.map((reply) => `  - ${reply}`).join('\n')}`;
    if (replies.length !== expected.length) throw new Error(`expected ${expected.length} replies, got ${replies.length}; ${describe}`);
    expected.forEach((pattern, index) => {
      const reply = replies[index] ?? '';
      const ok = typeof pattern === 'string' ? reply.includes(pattern) : pattern.test(reply);
      if (!ok) throw new Error(`reply ${index + 1} did not match ${String(pattern)}; ${describe}`);
    });
  }
}
