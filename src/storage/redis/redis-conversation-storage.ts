/**
 * Conversation state in Redis. Each key holds "<eTag>\n<JSON>" and expires after the idle time,
 * refreshed on every write. Keys of any shape (Teams and Direct Line ids contain ":", ";", "|",
 * "@") are escaped by the key builder, so two never collide.
 */
import type { StoreItem, StoreItems } from 'botbuilder';
import { conditionOf, type ConversationStorage, newETag, StateConflict, withoutETag } from '../../state/conversation-storage.js';
import { StorageUnavailable } from '../../cases/errors.js';
import { type ServerClock, storageCall, TOO_LATE } from './connection.js';
import type { RedisKeys } from './keys.js';
import { runScript, type RedisClient } from './scripts.js';

function encode(eTag: string, item: StoreItem): string {
  return `${eTag}\n${JSON.stringify(withoutETag(item))}`;
}

function decode(stored: string): StoreItem {
  const newline = stored.indexOf('\n');
  return { ...(JSON.parse(stored.slice(newline + 1)) as Record<string, unknown>), eTag: stored.slice(0, newline) };
}

/** Bot Framework storage on Redis, with compare-and-set for the turn runner. */
export class RedisConversationStorage implements ConversationStorage {
  readonly durable = true;

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly idleMs: number,
    private readonly clock: ServerClock,
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    const values = await storageCall('read state', () => Promise.all(keys.map((key) => this.client.get(this.keys.botState(key)))));
    const items: StoreItems = {};
    keys.forEach((key, index) => {
      const value = values[index];
      if (typeof value === 'string') items[key] = decode(value);
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(Object.entries(changes).map(async ([key, item]) => {
      const expected = conditionOf(item as StoreItem);
      if (expected !== null) {
        if ((await this.writeIfUnchanged(key, item as StoreItem, expected)) === null) throw new StateConflict();
        return;
      }
      // Last writer wins, as "*" asks; but never a write already given up on (see the script).
      const written = await storageCall('write state', () => runScript(this.client, 'writeStateBefore', [this.keys.botState(key)], [encode(newETag(), item as StoreItem), this.idleMs, this.clock.deadline()]));
      if (written === TOO_LATE) throw new StorageUnavailable('write state: Redis answered too late, so nothing was saved');
    }));
  }

  async writeIfUnchanged(key: string, item: StoreItem, expectedETag: string | null): Promise<string | null> {
    const eTag = newETag();
    const redisKey = this.keys.botState(key);
    if (expectedETag === null) {
      const created = await storageCall('write state', () => this.client.set(redisKey, encode(eTag, item), 'PX', this.idleMs, 'NX'));
      return created === null ? null : eTag;
    }
    const written = await storageCall('write state', () => runScript(this.client, 'writeStateIfUnchanged', [redisKey], [expectedETag, encode(eTag, item), this.idleMs]));
    return written === 1 ? eTag : null;
  }

  async delete(keys: string[]): Promise<void> {
    await storageCall('delete state', () => Promise.all(keys.map((key) => this.client.del(this.keys.botState(key)))));
  }
}
