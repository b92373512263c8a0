/**
 * Encryption at rest, by envelope: each case has a data key of its own (32 random bytes) that
 * seals its record and history with AES-256-GCM; the data key is kept beside them only wrapped
 * (sealed) by a key-encryption key from configuration (`DATA_KEYS`). The wrapped key names the
 * key-encryption key it is under, so keys can be rotated: new data keys are wrapped with the
 * first key listed, any key listed can unwrap, and `npm run keys -- rotate` re-wraps every case's
 * data key under the first. Associated data binds each sealed value to its case and its use, so
 * a value copied to another case or field does not open. node:crypto only.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** A key-encryption key: its id (kept with what it wraps) and its 32 bytes. */
export interface KeyEncryptionKey {
  readonly id: string;
  readonly key: Buffer;
}

/** What DATA_KEYS must look like: `<id>:<32 bytes, base64>` pairs, comma-separated, the newest first. */
export const DATA_KEYS_FORMAT = /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=$/;

/** A sealed value could not be opened: the key is wrong, or the value was changed or moved. */
export class SealBroken extends Error {
  override readonly name = 'SealBroken';
  constructor(readonly what: string) {
    super(`A sealed value (${what}) could not be opened: the key is not the one it was sealed with, or it was changed`);
  }
}

/** A wrapped data key names a key-encryption key that DATA_KEYS does not hold. */
export class MissingDataKey extends Error {
  override readonly name = 'MissingDataKey';
  constructor(readonly keyId: string) {
    super(`DATA_KEYS has no key "${keyId}", which stored data is encrypted under`);
  }
}

/** What a case's sealed parts are bound to: the case and the part, so a value moved elsewhere does not open. */
export function caseAssociatedData(reference: string, part: 'doc' | 'history' | 'event'): string {
  return `${reference}:${part}`;
}

/** The prefix of a sealed value, and its version. */
const SEALED = 'e1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Whether a stored value is sealed (values written before encryption are plain JSON). */
export function isSealed(value: string): boolean {
  return value.startsWith(SEALED);
}

/** Seals text with a 32-byte key: "e1." and base64url of IV, ciphertext and tag. */
export function seal(plaintext: string, key: Buffer, associated: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return SEALED + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** Seals bytes with a 32-byte key: IV, ciphertext and tag, as bytes. */
export function sealBytes(plaintext: Buffer, key: Buffer, associated: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

/** Opens what `sealBytes` made; throws `SealBroken` otherwise. */
export function openBytes(sealed: Buffer, key: Buffer, associated: string, what = 'value'): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new SealBroken(what);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(associated, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SealBroken(what);
  }
}

/**
 * What short-lived data is sealed for: data with no data key of its own, kept a day or so at most
 * (conversation state, the widget's transcript, a concern's words before any case exists).
 */
export type ShortLivedUse = 'state' | 'transcript' | 'concern';

/** Opens what `seal` made with the same key and associated data; throws `SealBroken` otherwise. */
export function open(sealed: string, key: Buffer, associated: string, what = 'value'): string {
  if (!isSealed(sealed)) throw new SealBroken(what);
  const bytes = Buffer.from(sealed.slice(SEALED.length), 'base64url');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new SealBroken(what);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(associated, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SealBroken(what);
  }
}

/** The key-encryption keys, newest first. */
export class DataKeyRing {
  private readonly byId: ReadonlyMap<string, Buffer>;

  constructor(readonly keys: readonly KeyEncryptionKey[]) {
    if (keys.length === 0) throw new RangeError('DATA_KEYS must hold at least one key');
    for (const { id, key } of keys) {
      if (key.length !== 32) throw new RangeError(`DATA_KEYS' key "${id}" must be 32 bytes`);
      if (id.includes('.')) throw new RangeError(`DATA_KEYS' key id "${id}" must not contain a dot`);
    }
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
    if (this.byId.size !== keys.length) throw new RangeError('DATA_KEYS names a key id twice');
  }

  /** Reads DATA_KEYS ("v2:<base64>,v1:<base64>"); throws RangeError naming what is wrong. */
  static parse(text: string): DataKeyRing {
    return new DataKeyRing(
      text
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '')
        .map((entry) => {
          if (!DATA_KEYS_FORMAT.test(entry)) throw new RangeError('each DATA_KEYS entry must be <id>:<32 bytes in base64>');
          const [id = '', encoded = ''] = entry.split(':');
          return { id, key: Buffer.from(encoded, 'base64') };
        }),
    );
  }

  /** A new DATA_KEYS value with one fresh key (for local development, and the rotation how-to). */
  static generate(id: string): string {
    return `${id}:${randomBytes(32).toString('base64')}`;
  }

  /** The key new data keys are wrapped with. */
  get current(): KeyEncryptionKey {
    const [first] = this.keys;
    if (!first) throw new RangeError('DATA_KEYS must hold at least one key');
    return first;
  }

  /** A fresh data key. */
  newDataKey(): Buffer {
    return randomBytes(32);
  }

  /** A data key wrapped under the current key: "<key id>.<sealed>", bound to `owner` (a case reference). */
  wrap(dataKey: Buffer, owner: string): string {
    const { id, key } = this.current;
    return `${id}.${seal(dataKey.toString('base64'), key, `data-key:${owner}`)}`;
  }

  /** The id of the key a wrapped data key is under. */
  static keyIdOf(wrapped: string): string {
    return wrapped.slice(0, Math.max(0, wrapped.indexOf('.')));
  }

  /** Unwraps a data key; throws `MissingDataKey` or `SealBroken`. */
  unwrap(wrapped: string, owner: string): Buffer {
    const id = DataKeyRing.keyIdOf(wrapped);
    const key = this.byId.get(id);
    if (!key) throw new MissingDataKey(id);
    return Buffer.from(open(wrapped.slice(id.length + 1), key, `data-key:${owner}`, 'data key'), 'base64');
  }

  /**
   * The key short-lived data of one owner (a conversation, a concern) and use is sealed with:
   * derived (HKDF-SHA256) from key-encryption key `id`, the current one unless given, so none is
   * stored. Its values name `id`, so they open while that key is listed: after a rotation, keep
   * the old key in DATA_KEYS until such data have expired (CONVERSATION_IDLE_HOURS).
   */
  shortLivedKey(use: ShortLivedUse, owner: string, id = this.current.id): Buffer {
    const key = this.byId.get(id);
    if (!key) throw new MissingDataKey(id);
    // HKDF's info is at most 1,024 bytes; owners (conversation keys) may be longer, so a digest of them.
    return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `${use}:${createHash('sha256').update(owner).digest('base64url')}`, 32));
  }

  /** Seals short-lived text for an owner and use: "<key id>.<sealed>". */
  sealShortLived(plaintext: string, use: ShortLivedUse, owner: string): string {
    const { id } = this.current;
    return `${id}.${seal(plaintext, this.shortLivedKey(use, owner, id), `${use}:${owner}`)}`;
  }

  /** Opens what `sealShortLived` made; throws `MissingDataKey` or `SealBroken`. */
  openShortLived(sealed: string, use: ShortLivedUse, owner: string): string {
    const id = DataKeyRing.keyIdOf(sealed);
    return open(sealed.slice(id.length + 1), this.shortLivedKey(use, owner, id), `${use}:${owner}`, use);
  }

  /**
   * A value that proves a key is the one data was stored under: the key's id sealed with it.
   * Stored once per key id, it lets a start with a wrong key refuse before any lookup fails.
   */
  checkValue(id: string): string | null {
    const key = this.byId.get(id);
    return key ? seal(`check:${id}`, key, 'data-key-check') : null;
  }

  /** Whether `check` (from `checkValue`) opens with this ring's key of that id: 'ok', 'missing' or 'wrong'. */
  check(id: string, check: string): 'ok' | 'missing' | 'wrong' {
    const key = this.byId.get(id);
    if (!key) return 'missing';
    try {
      return open(check, key, 'data-key-check') === `check:${id}` ? 'ok' : 'wrong';
    } catch {
      return 'wrong';
    }
  }
}
