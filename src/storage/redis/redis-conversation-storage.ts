/**
 * Conversation state in Redis. Each key holds "<eTag>\n<body>" and expires after the idle time,
 * refreshed on every write. Keys of any shape (Teams and Direct Line ids contain ":", ";", "|",
 * "@") are escaped by the key builder, so two never collide.
 *
 * The body is the state's JSON, compressed once it is big enough to gain: a dialog's state
 * repeats its structure at every level and runs to about 2 KB mid-conversation, for every open
 * conversation. Compression is deflate with a preset dictionary of Bot Framework's dialog-state
 * vocabulary (a small record has too little of its own text to learn from), about 40 µs a save.
 * A compressed body starts with a byte JSON never starts with, naming the format; a body
 * without it is plain JSON, as written before compression, and is still read.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { StoreItem, StoreItems } from 'botbuilder';
import { conditionOf, type ConversationStorage, newETag, StateConflict, withoutETag } from '../../state/conversation-storage.js';
import { StorageUnavailable } from '../../cases/errors.js';
import { type ServerClock, storageCall, TOO_LATE } from './connection.js';
import type { RedisKeys } from './keys.js';
import { runScript, type RedisClient } from './scripts.js';

/**
 * Marks a body deflated with DICTIONARY. Stored state depends on the dictionary: never change it;
 * to use another, give it a new marker and keep reading this one.
 */
const DEFLATED_V1 = 0x01;

/** Text that dialog state is made of: deflate draws on it as if it came just before each state. */
const DICTIONARY = Buffer.from([
  '"retryPrompt":{"type":"message","inputHint":"expectingInput","suggestedActions":{"actions":[{"type":"imBack","title":"","value":""}]},"text":""},',
  '"validations":{"help":""},"state":{}}}]}},"version":""}]},"design":""},"version":""}]},"memory":{},"$processedActivities":[""]}',
  '{"dialogState":{"dialogStack":[{"id":"","state":{"dialogs":{"dialogStack":[{"id":"","state":{"options":{},"values":{"instanceId":""},"stepIndex":1}},',
  '{"id":"","state":{"dialogs":{"dialogStack":[{"id":"","state":{"options":{"prompt":"',
].join(''), 'utf8');

/** Bodies shorter than this are kept as JSON: compressing them gains little. */
const COMPRESS_FROM = 512;

const NEWLINE = 0x0a;

function encode(eTag: string, item: StoreItem): Buffer {
  const json = Buffer.from(JSON.stringify(withoutETag(item)), 'utf8');
  const head = Buffer.from(`${eTag}\n`, 'utf8');
  if (json.length < COMPRESS_FROM) return Buffer.concat([head, json]);
  return Buffer.concat([head, Buffer.of(DEFLATED_V1), deflateRawSync(json, { dictionary: DICTIONARY })]);
}

function decode(stored: Buffer): StoreItem {
  const newline = stored.indexOf(NEWLINE);
  const body = stored.subarray(newline + 1);
  const json = body[0] === DEFLATED_V1 ? inflateRawSync(body.subarray(1), { dictionary: DICTIONARY }) : body;
  return { ...(JSON.parse(json.toString('utf8')) as Record<string, unknown>), eTag: stored.subarray(0, newline).toString('utf8') };
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
    const values = await storageCall('read state', () => Promise.all(keys.map((key) => this.client.getBuffer(this.keys.botState(key)))));
    const items: StoreItems = {};
    keys.forEach((key, index) => {
      const value = values[index];
      if (value) items[key] = decode(value);
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
