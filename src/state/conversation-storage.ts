/**
 * The storage port for conversation state: Bot Framework's `Storage` (read, write with real
 * eTags, delete) plus one compare-and-set write. BotState always writes with eTag "*", which is
 * last-writer-wins; the turn runner uses `writeIfUnchanged` instead, so two turns of one
 * conversation on two instances cannot silently overwrite each other.
 */
import type { Storage, StoreItem } from 'botbuilder';
import { randomBytes } from 'node:crypto';

/** Conversation state storage with compare-and-set. */
export interface ConversationStorage extends Storage {
  /** False for in-memory storage: nothing survives a restart. */
  readonly durable: boolean;
  /**
   * Writes `item` under `key` only if the stored item still has `expectedETag` (or, with `null`,
   * only if there is none). Returns the new eTag, or `null` when someone else wrote first.
   */
  writeIfUnchanged(key: string, item: StoreItem, expectedETag: string | null): Promise<string | null>;
}

/**
 * A write was made against an eTag that is no longer current. It does not name the key, which
 * contains channel ids (on some channels a phone number) that must not reach the logs.
 */
export class StateConflict extends Error {
  override readonly name = 'StateConflict';
  constructor() {
    super('Conversation state was changed by someone else (eTag conflict)');
  }
}

/** A fresh eTag: random, so a deleted-and-recreated item never reuses an old one. */
export function newETag(): string {
  return randomBytes(9).toString('base64url');
}

/** The item without its eTag, as stored. */
export function withoutETag(item: StoreItem): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...item };
  delete copy['eTag'];
  return copy;
}

/** The eTag a write is conditional on: null means "any" ("*", empty or absent). */
export function conditionOf(item: StoreItem): string | null {
  const eTag = item.eTag;
  return typeof eTag === 'string' && eTag !== '' && eTag !== '*' ? eTag : null;
}
