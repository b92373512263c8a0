/**
 * The self-hosted Direct Line's record of each conversation: who owns it, and every activity in
 * order, numbered by watermark as Direct Line clients expect. The Redis version lets any bot
 * instance serve any widget; the in-memory one serves local development.
 */
import type { Activity } from 'botbuilder';

/**
 * The most activities one conversation keeps. A real complaint takes a few dozen; this stops a
 * hostile client filling storage through one conversation (the rate limit slows it; this ends it).
 */
export const MAX_ACTIVITIES = 2000;

/** A conversation has reached `MAX_ACTIVITIES`: the person must start a new one. */
export class ConversationFull extends Error {
  override readonly name = 'ConversationFull';
  constructor() {
    super('The conversation has reached its length limit');
  }
}

/** Activities after a watermark, and the new watermark. */
export interface ActivityPage {
  readonly activities: Partial<Activity>[];
  readonly watermark: number;
}

/** The result of appending: the activity's watermark and id, and false if it was a repeat. */
export interface Appended {
  readonly watermark: number;
  readonly id: string;
  readonly fresh: boolean;
}

/** Where a conversation's activities are kept. */
export interface ConversationLog {
  /** Records a new conversation for its user; false if it exists already. */
  create(conversationId: string, userId: string): Promise<boolean>;
  /** The user the conversation belongs to, or null if there is no such conversation. */
  owner(conversationId: string): Promise<string | null>;
  /**
   * Appends an activity (which must carry its id). With a client activity id, a repeat of the
   * same post (a client retrying) is not appended again; the first one's id comes back.
   * Throws `ConversationFull` past `MAX_ACTIVITIES`.
   */
  append(conversationId: string, activity: Partial<Activity> & { id: string }, clientActivityId?: string): Promise<Appended>;
  /** Activities after a watermark, at most `limit` of them. */
  read(conversationId: string, after: number, limit?: number): Promise<ActivityPage>;
  /** Calls `onAppend` whenever something is appended to the conversation, on any instance. */
  subscribe(conversationId: string, onAppend: () => void): () => void;
  close(): Promise<void>;
}
