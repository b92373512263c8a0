/** The Direct Line conversation log in memory (local development; one instance only). */
import { EventEmitter } from 'node:events';
import type { Activity } from 'botbuilder';
import { type ActivityPage, type Appended, type ConversationLog, ConversationFull, MAX_ACTIVITIES } from './conversation-log.js';

interface Conversation {
  readonly owner: string;
  readonly activities: string[];
  readonly clientIds: Map<string, string>;
}

/** Conversations and their activities, held in this process. */
export class MemoryConversationLog implements ConversationLog {
  private readonly conversations = new Map<string, Conversation>();
  private readonly events = new EventEmitter();

  constructor() {
    this.events.setMaxListeners(0);
  }

  create(conversationId: string, userId: string): Promise<boolean> {
    if (this.conversations.has(conversationId)) return Promise.resolve(false);
    this.conversations.set(conversationId, { owner: userId, activities: [], clientIds: new Map() });
    return Promise.resolve(true);
  }

  owner(conversationId: string): Promise<string | null> {
    return Promise.resolve(this.conversations.get(conversationId)?.owner ?? null);
  }

  append(conversationId: string, activity: Partial<Activity> & { id: string }, clientActivityId?: string): Promise<Appended> {
    const conversation = this.conversations.get(conversationId);
    if (!conversation) return Promise.reject(new Error('No such conversation'));
    const seen = clientActivityId ? conversation.clientIds.get(clientActivityId) : undefined;
    if (seen) return Promise.resolve({ watermark: conversation.activities.length, id: seen, fresh: false });
    if (conversation.activities.length >= MAX_ACTIVITIES) return Promise.reject(new ConversationFull());
    conversation.activities.push(JSON.stringify(activity));
    if (clientActivityId) conversation.clientIds.set(clientActivityId, activity.id);
    this.events.emit(conversationId);
    return Promise.resolve({ watermark: conversation.activities.length, id: activity.id, fresh: true });
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
