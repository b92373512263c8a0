/**
 * Conversation state in this process's memory: the embedded default without Redis. Same rules
 * as the Redis storage (real eTags, compare-and-set, idle expiry), passing the same contract
 * tests; nothing survives a restart. Items are kept as JSON text so callers cannot alias them.
 */
import type { StoreItem, StoreItems } from 'botbuilder';
import { conditionOf, type ConversationStorage, itemFrom, jsonWithoutETag, newETag, StateConflict, type StoredJson } from '../../state/conversation-storage.js';
import { settle } from './settle.js';

interface Entry {
  readonly eTag: string;
  readonly json: string;
  readonly expiresAt: number;
}

/** Bot Framework storage in memory, with compare-and-set for the turn runner. */
export class MemoryConversationStorage implements ConversationStorage {
  readonly durable = false;
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly idleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  read(keys: string[]): Promise<StoreItems> {
    return settle(() => {
      if (!Array.isArray(keys)) throw new TypeError('Keys are required when reading');
      const items: StoreItems = {};
      for (const key of keys) {
        const entry = this.live(key);
        if (entry) items[key] = itemFrom(entry);
      }
      return items;
    });
  }

  write(changes: StoreItems): Promise<void> {
    return settle(() => {
      // Typed as an object, but JavaScript callers can pass anything.
      const given: unknown = changes;
      if (given === null || typeof given !== 'object') throw new TypeError('Changes are required when writing');
      // As in Redis, each item stands alone: current ones are written, a stale one is refused.
      let conflict: StateConflict | null = null;
      for (const [key, item] of Object.entries<StoreItem>(changes)) {
        const expected = conditionOf(item);
        if (expected !== null && this.live(key)?.eTag !== expected) conflict ??= new StateConflict();
        else this.put(key, jsonWithoutETag(item));
      }
      if (conflict) throw conflict;
    });
  }

  private put(key: string, json: string): string {
    const eTag = newETag();
    this.entries.set(key, { eTag, json, expiresAt: this.now() + this.idleMs });
    return eTag;
  }

  readJson(key: string): Promise<StoredJson | null> {
    return settle(() => {
      const entry = this.live(key);
      return entry ? { json: entry.json, eTag: entry.eTag } : null;
    });
  }

  writeIfUnchanged(key: string, json: string, expectedETag: string | null): Promise<string | null> {
    return settle(() => ((this.live(key)?.eTag ?? null) === expectedETag ? this.put(key, json) : null));
  }

  delete(keys: string[]): Promise<void> {
    return settle(() => {
      for (const key of keys) this.entries.delete(key);
    });
  }
}
