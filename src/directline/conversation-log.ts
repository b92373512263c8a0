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

/** An activity as the log keeps it: with its id. */
export type LoggedActivity = Partial<Activity> & { id: string };

/** How an activity is appended. */
export interface AppendOptions {
  /** The client's own id for its post: a repeat with the same id (a client retrying) is not appended again. */
  readonly clientActivityId?: string;
  /**
   * The activity is the person's and awaits its turn: it stays on the log's list of unhandled
   * activities until `turnDone`, so that a retry, or any instance after this one dies, runs it.
   */
  readonly awaitsTurn?: boolean;
}

/** The result of appending: the activity's watermark and id, and false if it was a repeat. */
export interface Appended {
  readonly watermark: number;
  readonly id: string;
  readonly fresh: boolean;
  /**
   * For a repeat: the earlier activity, while its turn has not been done (storage failed under
   * it, or its instance died), claimed for the caller to run now; otherwise null.
   */
  readonly unhandled: LoggedActivity | null;
}

/** An activity whose turn was never done, claimed for an instance to run. */
export interface UnhandledActivity {
  readonly conversationId: string;
  readonly activity: LoggedActivity;
}

/**
 * How long an instance has to finish an activity's turn before another may run it: longer than
 * any turn takes (a post waits 20 s for its turn; a conversation's turns queue for at most 30 s).
 * Running a turn twice is safe (the turn runner skips an activity whose turn was saved, and case
 * changes carry idempotency keys), only wasteful.
 */
export const TURN_LEASE_MS = 45_000;

/** Where a conversation's activities are kept. */
export interface ConversationLog {
  /** Records a new conversation for its user; false if it exists already. */
  create(conversationId: string, userId: string): Promise<boolean>;
  /** The user the conversation belongs to, or null if there is no such conversation. */
  owner(conversationId: string): Promise<string | null>;
  /**
   * Appends an activity (which must carry its id). With a client activity id, a repeat of the
   * same post (a client retrying) is not appended again; the first one's id comes back, with the
   * activity itself if its turn is still to be done. Throws `ConversationFull` past `MAX_ACTIVITIES`.
   */
  append(conversationId: string, activity: LoggedActivity, options?: AppendOptions): Promise<Appended>;
  /** The turn of an activity appended with `awaitsTurn` is done (or failed for good): nobody need run it again. */
  turnDone(conversationId: string, activityId: string): Promise<void>;
  /**
   * Activities, in up to `conversations` conversations, whose turn was never done and whose last
   * claim (at append, or by an earlier call) is older than `TURN_LEASE_MS`: claimed afresh for
   * the caller, each conversation's in the order they were posted.
   */
  claimUnhandled(conversations: number): Promise<UnhandledActivity[]>;
  /** Activities after a watermark, at most `limit` of them. */
  read(conversationId: string, after: number, limit?: number): Promise<ActivityPage>;
  /** Calls `onAppend` whenever something is appended to the conversation, on any instance. */
  subscribe(conversationId: string, onAppend: () => void): () => void;
  close(): Promise<void>;
}
