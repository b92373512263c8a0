/** The Direct Line conversation log in memory (local development; one instance only). */
import { EventEmitter } from 'node:events';
import type { Activity } from 'botbuilder';
import {
  type ActivityPage,
  type Appended,
  type AppendOptions,
  type ConversationLog,
  ConversationFull,
  type LoggedActivity,
  MAX_ACTIVITIES,
  TURN_LEASE_MS,
  type UnhandledActivity,
} from './conversation-log.js';

interface Conversation {
  readonly owner: string;
  readonly activities: string[];
  readonly clientIds: Map<string, string>;
  /** Activities awaiting their turn: id to their index and when their claim lapses. */
  readonly unhandled: Map<string, { readonly index: number; leaseUntil: number }>;
}

/** Conversations and their activities, held in this process. */
export class MemoryConversationLog implements ConversationLog {
  private readonly conversations = new Map<string, Conversation>();
  private readonly events = new EventEmitter();

  constructor(private readonly turnLeaseMs = TURN_LEASE_MS) {
    this.events.setMaxListeners(0);
  }

  create(conversationId: string, userId: string): Promise<boolean> {
    if (this.conversations.has(conversationId)) return Promise.resolve(false);
    this.conversations.set(conversationId, { owner: userId, activities: [], clientIds: new Map(), unhandled: new Map() });
    return Promise.resolve(true);
  }

  owner(conversationId: string): Promise<string | null> {
    return Promise.resolve(this.conversations.get(conversationId)?.owner ?? null);
  }

  append(conversationId: string, activity: LoggedActivity, options: AppendOptions = {}): Promise<Appended> {
    const conversation = this.conversations.get(conversationId);
    if (!conversation) return Promise.reject(new Error('No such conversation'));
    const { clientActivityId } = options;
    const seen = clientActivityId ? conversation.clientIds.get(clientActivityId) : undefined;
    if (seen) {
      const waiting = conversation.unhandled.get(seen);
      if (waiting) waiting.leaseUntil = Date.now() + this.turnLeaseMs;
      const json = waiting ? conversation.activities[waiting.index] : undefined;
      return Promise.resolve({
        watermark: conversation.activities.length,
        id: seen,
        fresh: false,
        unhandled: json ? (JSON.parse(json) as LoggedActivity) : null,
      });
    }
    if (conversation.activities.length >= MAX_ACTIVITIES) return Promise.reject(new ConversationFull());
    conversation.activities.push(JSON.stringify(activity));
    if (clientActivityId) conversation.clientIds.set(clientActivityId, activity.id);
    if (options.awaitsTurn) conversation.unhandled.set(activity.id, { index: conversation.activities.length - 1, leaseUntil: Date.now() + this.turnLeaseMs });
    this.events.emit(conversationId);
    return Promise.resolve({ watermark: conversation.activities.length, id: activity.id, fresh: true, unhandled: null });
  }

  turnDone(conversationId: string, activityId: string): Promise<void> {
    this.conversations.get(conversationId)?.unhandled.delete(activityId);
    return Promise.resolve();
  }

  claimUnhandled(conversations: number): Promise<UnhandledActivity[]> {
    const now = Date.now();
    const claimed: UnhandledActivity[] = [];
    let claimedFrom = 0;
    for (const [conversationId, conversation] of this.conversations) {
      if (claimedFrom >= conversations) break;
      const lapsed = [...conversation.unhandled.values()].filter((entry) => entry.leaseUntil <= now).sort((a, b) => a.index - b.index);
      if (lapsed.length > 0) claimedFrom += 1;
      for (const entry of lapsed) {
        entry.leaseUntil = now + this.turnLeaseMs;
        const json = conversation.activities[entry.index];
        if (json) claimed.push({ conversationId, activity: JSON.parse(json) as LoggedActivity });
      }
    }
    return Promise.resolve(claimed);
  }

  read(conversationId: string, after: number, limit = 100): Promise<ActivityPage> {
    const activities = this.conversations.get(conversationId)?.activities ?? [];
    const page = activities.slice(after, after + limit).map((json) => JSON.parse(json) as Partial<Activity>);
    return Promise.resolve({ activities: page, watermark: Math.min(activities.length, after + page.length) });
  }

  subscribe(conversationId: string, onAppend: () => void): () => void {
    this.events.on(conversationId, onAppend);
    return () => {
      this.events.off(conversationId, onAppend);
    };
  }

  close(): Promise<void> {
    this.events.removeAllListeners();
    return Promise.resolve();
  }
}
