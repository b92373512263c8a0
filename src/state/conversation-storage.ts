/**
 * The storage port for conversation state: Bot Framework's `Storage` (read, write with real
 * eTags, delete) plus a read and a compare-and-set write of one item as JSON text. BotState
 * always writes with eTag "*", which is last-writer-wins; the turn runner uses
 * `writeIfUnchanged` instead, so two turns of one conversation on two instances cannot silently
 * overwrite each other. Both take and give JSON text because the turn needs the text anyway (to
 * tell whether the state changed): the state is serialised once a turn, not three times.
 */
import type { Storage, StoreItem } from 'botbuilder';
import { randomBytes } from 'node:crypto';

/** One stored item as JSON text (without its eTag), and its eTag. */
export interface StoredJson {
  readonly json: string;
  readonly eTag: string;
}

/** Conversation state storage with compare-and-set. */
export interface ConversationStorage extends Storage {
  /** False for in-memory storage: nothing survives a restart. */
  readonly durable: boolean;
  /** The item under `key` as JSON text, or `null` if there is none. */
  readJson(key: string): Promise<StoredJson | null>;
  /**
   * Writes `json` (an object's JSON, without an eTag) under `key` only if the stored item still
   * has `expectedETag` (or, with `null`, only if there is none). Returns the new eTag, or `null`
   * when someone else wrote first.
   */
  writeIfUnchanged(key: string, json: string, expectedETag: string | null): Promise<string | null>;
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

/** Random for each process, so no two processes (or runs of one) make the same eTags. */
const ETAG_SOURCE = randomBytes(9).toString('base64url');
const issued = { count: 0 };

/**
 * A fresh eTag, never given before by any process, so a deleted-and-recreated item never reuses
 * an old one: this process's random source and a count. (A new random value for each save cost
 * more than the rest of the save's own work.)
 */
export function newETag(): string {
  issued.count += 1;
  return `${ETAG_SOURCE}${issued.count.toString(36)}`;
}

/** The item's JSON without its eTag, as stored. */
export function jsonWithoutETag(item: StoreItem): string {
  const copy: Record<string, unknown> = { ...item };
  delete copy['eTag'];
  return JSON.stringify(copy);
}

/** A stored item as Bot Framework reads it: the object, with its eTag. */
export function itemFrom(stored: StoredJson): StoreItem {
  return { ...(JSON.parse(stored.json) as Record<string, unknown>), eTag: stored.eTag };
}

/** The eTag a write is conditional on: null means "any" ("*", empty or absent). */
export function conditionOf(item: StoreItem): string | null {
  const eTag = item.eTag;
  return typeof eTag === 'string' && eTag !== '' && eTag !== '*' ? eTag : null;
}
