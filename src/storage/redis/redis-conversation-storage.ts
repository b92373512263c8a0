/**
 * Conversation state in Redis. Each key holds "<eTag>\n<body>" and expires after the idle time,
 * refreshed on every write. Keys of any shape (Teams and Direct Line ids contain ":", ";", "|",
 * "@") are escaped by the key builder, so two never collide.
 *
 * The body is the state's JSON, kept as it is while it is small (as a conversation's state is
 * for most of its life, a few hundred bytes) and compressed once it is big enough for that to
 * pay: a state holding a long complaint, or an older design's state, which repeated whole prompt
 * activities at every level. Compression is deflate with a preset dictionary of Bot Framework's
 * dialog-state vocabulary (a record has too little of its own text to learn from); it costs
 * about 25 µs a save, so it is not spent on the states it would save least on. A compressed
 * body starts with a byte JSON never starts with, naming the format; both kinds are read.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { StoreItem, StoreItems } from 'botbuilder';
import { conditionOf, type ConversationStorage, itemFrom, jsonWithoutETag, newETag, StateConflict, type StoredJson } from '../../state/conversation-storage.js';
import { StorageUnavailable } from '../../cases/errors.js';
import { type ServerClock, storageCall } from './connection.js';
import { WRITE_STATE_BEFORE, WRITE_STATE_IF_UNCHANGED } from './script-codes.js';
import type { RedisKeys } from './keys.js';
import { runScript, type RedisClient } from './scripts.js';
import { type DataKeyRing, openBytes, sealBytes } from '../encryption/data-keys.js';

/**
 * Marks a body deflated with DICTIONARY. Stored state depends on the dictionary: never change it;
 * to use another, give it a new marker and keep reading this one.
 */
const DEFLATED_V1 = 0x01;

/** Text that dialog state is made of: deflate draws on it as if it came just before each state. */
const DICTIONARY = Buffer.from(
  [
    '"retryPrompt":{"type":"message","inputHint":"expectingInput","suggestedActions":{"actions":[{"type":"imBack","title":"","value":""}]},"text":""},',
    '"validations":{"help":""},"state":{}}}]}},"version":""}]},"design":""},"version":""}]},"memory":{},"$processedActivities":[""]}',
    '{"dialogState":{"dialogStack":[{"id":"","state":{"dialogs":{"dialogStack":[{"id":"","state":{"options":{},"values":{"instanceId":""},"stepIndex":1}},',
    '{"id":"","state":{"dialogs":{"dialogStack":[{"id":"","state":{"options":{"prompt":"',
  ].join(''),
  'utf8',
);

/** Bodies of fewer characters than this are kept as JSON. */
const COMPRESS_FROM = 1024;

const NEWLINE = 0x0a;

/** The marker of a body kept as JSON inside a sealed value. */
const PLAIN_V1 = 0x00;

/**
 * The marker of a sealed body: the key id and a dot, then (AES-256-GCM, with a key derived for
 * the conversation) a marker byte and the body, JSON while small, else deflated. A state is a
 * half-written complaint: names, contact details, what happened.
 */
const SEALED_V1 = 0x02;

const DOT = 0x2e;

/** The body inside a sealed value: JSON while small, else deflated, after a marker byte. */
function innerBody(json: string): Buffer {
  if (json.length < COMPRESS_FROM) return Buffer.concat([Buffer.of(PLAIN_V1), Buffer.from(json, 'utf8')]);
  return Buffer.concat([Buffer.of(DEFLATED_V1), deflateRawSync(json, { dictionary: DICTIONARY })]);
}

/** A body's JSON from its marker byte on (a sealed value's inside, or one stored before sealing). */
function bodyJson(body: Buffer): string {
  if (body[0] === DEFLATED_V1) return inflateRawSync(body.subarray(1), { dictionary: DICTIONARY }).toString('utf8');
  if (body[0] === PLAIN_V1) return body.toString('utf8', 1);
  return body.toString('utf8');
}

/** How many conversations' key names, and compressed states, are remembered (a turn reads what the last one wrote). */
const REMEMBERED = 256;

/** Bot Framework storage on Redis, with compare-and-set for the turn runner. */
export class RedisConversationStorage implements ConversationStorage {
  readonly durable = true;
  /** Recent key names: each is an HMAC of the conversation's key, worth working out once a turn, not twice. */
  private readonly keyNames = new Map<string, string>();
  /**
   * The JSON of states this instance wrote, by eTag, so that the next turn, which usually finds
   * that very state, need not open and inflate it. An eTag is never given twice by any
   * instance, so a stored value with one of these eTags is the state remembered.
   */
  private readonly written = new Map<string, string>();

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly idleMs: number,
    private readonly clock: ServerClock,
    private readonly dataKeys: DataKeyRing,
  ) {}

  /** The stored value for `json` under `eTag`: the eTag in the clear (the scripts compare it), the body sealed for the conversation. */
  private encode(key: string, eTag: string, json: string): Buffer {
    const { id } = this.dataKeys.current;
    const sealed = sealBytes(innerBody(json), this.dataKeys.shortLivedKey('state', key, id), `state:${key}`);
    return Buffer.concat([Buffer.from(`${eTag}\n`, 'utf8'), Buffer.of(SEALED_V1), Buffer.from(`${id}.`, 'utf8'), sealed]);
  }

  private keyName(key: string): string {
    let name = this.keyNames.get(key);
    if (name === undefined) {
      name = this.keys.botState(key);
      if (this.keyNames.size >= REMEMBERED) this.keyNames.clear();
      this.keyNames.set(key, name);
    }
    return name;
  }

  async read(keys: string[]): Promise<StoreItems> {
    const values = await storageCall('read state', () => Promise.all(keys.map((key) => this.client.getBuffer(this.keyName(key)))));
    const items: StoreItems = {};
    keys.forEach((key, index) => {
      const value = values[index];
      if (value) items[key] = itemFrom(this.decode(key, value));
    });
    return items;
  }

  async readJson(key: string): Promise<StoredJson | null> {
    const value = await storageCall('read state', () => this.client.getBuffer(this.keyName(key)));
    return value ? this.decode(key, value) : null;
  }

  /** A stored value's JSON and eTag, taken from memory if this instance wrote it, else opened (or read as stored before sealing). */
  private decode(key: string, stored: Buffer): StoredJson {
    const newline = stored.indexOf(NEWLINE);
    const eTag = stored.toString('utf8', 0, newline);
    const remembered = this.written.get(eTag);
    if (remembered !== undefined) return { eTag, json: remembered };
    if (stored[newline + 1] !== SEALED_V1) return { eTag, json: bodyJson(stored.subarray(newline + 1)) };
    const rest = stored.subarray(newline + 2);
    const dot = rest.indexOf(DOT);
    const id = rest.toString('utf8', 0, Math.max(0, dot));
    const body = openBytes(rest.subarray(dot + 1), this.dataKeys.shortLivedKey('state', key, id), `state:${key}`, 'conversation state');
    return { eTag, json: bodyJson(body) };
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(
      Object.entries<StoreItem>(changes).map(async ([key, item]) => {
        const expected = conditionOf(item);
        if (expected !== null) {
          if ((await this.writeIfUnchanged(key, jsonWithoutETag(item), expected)) === null) throw new StateConflict();
          return;
        }
        // Last writer wins, as "*" asks; but never a write already given up on (see the script).
        const written = await storageCall('write state', () =>
          runScript(
            this.client,
            'writeStateBefore',
            [this.keyName(key)],
            [this.encode(key, newETag(), jsonWithoutETag(item)), this.idleMs, this.clock.deadline()],
          ),
        );
        if (written === WRITE_STATE_BEFORE.tooLate) throw new StorageUnavailable('write state: Redis answered too late, so nothing was saved');
      }),
    );
  }

  async writeIfUnchanged(key: string, json: string, expectedETag: string | null): Promise<string | null> {
    const eTag = newETag();
    const redisKey = this.keyName(key);
    const body = this.encode(key, eTag, json);
    const saved =
      expectedETag === null
        ? (await storageCall('write state', () => this.client.set(redisKey, body, 'PX', this.idleMs, 'NX'))) !== null
        : (await storageCall('write state', () => runScript(this.client, 'writeStateIfUnchanged', [redisKey], [expectedETag, body, this.idleMs]))) ===
          WRITE_STATE_IF_UNCHANGED.written;
    if (!saved) return null;
    if (this.written.size >= REMEMBERED) this.written.clear();
    this.written.set(eTag, json);
    return eTag;
  }

  async delete(keys: string[]): Promise<void> {
    await storageCall('delete state', () => Promise.all(keys.map((key) => this.client.del(this.keys.botState(key)))));
  }
}
