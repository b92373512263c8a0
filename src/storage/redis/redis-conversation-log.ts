/**
 * The self-hosted Direct Line's conversation log in Redis: a list of activities per conversation
 * (the watermark is the list length) and a hash with its owner, both expiring when idle. Appends
 * are announced on a pub/sub channel, so the instance holding a widget's WebSocket hears about a
 * reply another instance wrote.
 */
import { EventEmitter } from 'node:events';
import { Cluster } from 'ioredis';
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
} from '../../directline/conversation-log.js';
import type { DataKeyRing } from '../encryption/data-keys.js';
import { storageCall } from './connection.js';
import type { RedisKeys } from './keys.js';
import { APPEND_ACTIVITY, APPEND_ACTIVITY_ANSWER, CLAIM_UNHANDLED_ANSWER } from './script-codes.js';
import { runScript, type RedisClient } from './scripts.js';

/** Direct Line conversations in Redis. */
export class RedisConversationLog implements ConversationLog {
  private readonly events = new EventEmitter();
  private subscriber: RedisClient | undefined;
  private subscribing: Promise<void> | undefined;

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly lifetimeMs: number,
    private readonly dataKeys: DataKeyRing,
    private readonly turnLeaseMs = TURN_LEASE_MS,
  ) {
    this.events.setMaxListeners(0);
  }

  async create(conversationId: string, userId: string): Promise<boolean> {
    const key = this.keys.directLineConversation(conversationId);
    const created = await storageCall('create conversation', () => this.client.hsetnx(key, 'owner', userId));
    await storageCall('create conversation', () => this.client.pexpire(key, this.lifetimeMs));
    return created === 1;
  }

  async owner(conversationId: string): Promise<string | null> {
    return storageCall('read conversation', () => this.client.hget(this.keys.directLineConversation(conversationId), 'owner'));
  }

  async append(conversationId: string, activity: LoggedActivity, options: AppendOptions = {}): Promise<Appended> {
    const answer = await storageCall('append activity', () =>
      runScript(
        this.client,
        'appendActivity',
        [this.keys.directLineActivities(conversationId), this.keys.directLineConversation(conversationId), this.keys.directLineUnhandled(conversationId)],
        [
          this.dataKeys.sealShortLived(JSON.stringify(activity), 'transcript', conversationId),
          activity.id,
          options.clientActivityId ?? '',
          this.lifetimeMs,
          MAX_ACTIVITIES,
          options.awaitsTurn ? '1' : '',
          this.turnLeaseMs,
        ],
      ),
    );
    const [watermark, id, fresh, earlier, claimEnds] = APPEND_ACTIVITY_ANSWER.parse(answer);
    if (watermark === APPEND_ACTIVITY.full) throw new ConversationFull();
    if (watermark === APPEND_ACTIVITY.noSuchConversation) throw new Error('No such conversation');
    // The sweep's index is another slot, so it is written apart from the append: if this write
    // is lost, a retry of the post still finds the activity unhandled; only the sweep misses it.
    if (claimEnds > 0)
      await storageCall('note unhandled activity', () => this.client.zadd(this.keys.directLineUnhandledIndex(), 'LT', claimEnds, conversationId));
    if (fresh === APPEND_ACTIVITY.appended) await storageCall('announce activity', () => this.client.publish(this.keys.directLineEvents(), conversationId));
    return { watermark, id, fresh: fresh === APPEND_ACTIVITY.appended, unhandled: earlier ? this.activityOf(conversationId, earlier) : null };
  }

  async turnDone(conversationId: string, activityId: string): Promise<void> {
    const key = this.keys.directLineUnhandled(conversationId);
    const [, left] = await storageCall('finish turn', () => this.client.multi().hdel(key, activityId).hlen(key).exec()).then((replies) =>
      (replies ?? []).map(([, value]) => Number(value)),
    );
    if (left === 0) await storageCall('finish turn', () => this.client.zrem(this.keys.directLineUnhandledIndex(), conversationId));
  }

  async claimUnhandled(conversations: number): Promise<UnhandledActivity[]> {
    const index = this.keys.directLineUnhandledIndex();
    const due = await storageCall('find unhandled activities', () => this.client.zrangebyscore(index, '-inf', Date.now(), 'LIMIT', 0, conversations));
    const claimed: UnhandledActivity[] = [];
    for (const conversationId of due) {
      const answer = await storageCall('claim unhandled activities', () =>
        runScript(
          this.client,
          'claimUnhandled',
          [this.keys.directLineUnhandled(conversationId), this.keys.directLineActivities(conversationId)],
          [this.turnLeaseMs],
        ),
      );
      const [earliest, ...activities] = CLAIM_UNHANDLED_ANSWER.parse(answer);
      await storageCall('note unhandled activity', () =>
        earliest > 0 ? this.client.zadd(index, earliest, conversationId) : this.client.zrem(index, conversationId),
      );
      claimed.push(...activities.map((stored) => ({ conversationId, activity: this.activityOf(conversationId, stored) })));
    }
    return claimed;
  }

  async read(conversationId: string, after: number, limit = 100): Promise<ActivityPage> {
    const items = await storageCall('read activities', () => this.client.lrange(this.keys.directLineActivities(conversationId), after, after + limit - 1));
    return { activities: items.map((stored) => this.activityOf(conversationId, stored)), watermark: after + items.length };
  }

  /** An activity as stored: sealed for its conversation (the transcript holds contact details and disclosures), or JSON from before sealing. */
  private activityOf(conversationId: string, stored: string): LoggedActivity {
    const json = stored.startsWith('{') ? stored : this.dataKeys.openShortLived(stored, 'transcript', conversationId);
    return JSON.parse(json) as LoggedActivity;
  }

  subscribe(conversationId: string, onAppend: () => void): () => void {
    // A failure here is not fatal: open streams also look for new activities now and then.
    this.listen().catch(() => {
      this.subscribing = undefined;
    });
    this.events.on(conversationId, onAppend);
    return () => {
      this.events.off(conversationId, onAppend);
    };
  }

  /** One subscriber connection per instance, shared by every WebSocket it holds. */
  private listen(): Promise<void> {
    this.subscribing ??= (async () => {
      // A subscribed connection can do nothing else, so it is a copy of the client. Unlike the
      // command connection it queues while (re)connecting, and re-subscribes after a reconnect.
      const options = { enableOfflineQueue: true, autoResubscribe: true };
      const subscriber: RedisClient =
        this.client instanceof Cluster ? this.client.duplicate(undefined, { redisOptions: options }) : this.client.duplicate(options);
      subscriber.on('error', () => undefined);
      subscriber.on('message', (_channel: string, conversationId: string) => {
        this.events.emit(conversationId);
      });
      this.subscriber = subscriber;
      await subscriber.subscribe(this.keys.directLineEvents());
    })();
    return this.subscribing;
  }

  async close(): Promise<void> {
    this.events.removeAllListeners();
    await this.subscriber?.quit().catch(() => undefined);
  }
}
