/**
 * The second factor: something only the complainant knows, given at lodging (their email address
 * or phone number), asked for again before anything about the case is shown. It is stored only
 * as a keyed hash: a copy of the database alone cannot be used to test guesses, because the key
 * lives in configuration, not in Redis.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CaseReference } from './reference.js';

/**
 * The form in which a factor is compared: an email in lower case; a UK phone number as digits in
 * international form (07700 900123, +44 7700 900123 and 0044 7700 900123 are the same number).
 */
export function normaliseSecondFactor(text: string): string {
  const trimmed = text.normalize('NFKC').trim();
  if (trimmed.includes('@')) return trimmed.toLowerCase();
  let digits = trimmed.replace(/[^\d+]/g, '');
  if (digits.startsWith('+')) digits = digits.slice(1);
  else if (digits.startsWith('00')) digits = digits.slice(2);
  else if (digits.startsWith('0')) digits = `44${digits.slice(1)}`;
  // "+44 (0) 7700..." is common on letterheads; the (0) is not dialled from abroad.
  if (digits.startsWith('440')) digits = `44${digits.slice(3)}`;
  return digits;
}

/**
 * Whether a factor can protect a case: an email address, or a phone number of at least ten
 * digits. Anything else ("n/a", "none") would normalise to almost nothing and match too much.
 */
export function isUsableSecondFactor(text: string): boolean {
  const normalised = normaliseSecondFactor(text);
  if (normalised.includes('@')) return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(normalised);
  return /^\d{10,15}$/.test(normalised);
}

/**
 * A value that identifies a secret without revealing it, recorded in storage so that a restart
 * with a different `CASE_SECRET` is refused instead of silently locking every owner out.
 */
export function secretVerifier(secret: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update('complaints case-secret verifier v1').digest('hex');
}

/** A short id for a secret, stored beside each hash so that hashes made with an earlier secret can still be checked. */
export function secretKeyId(secret: string): string {
  return secretVerifier(secret).slice(0, 12);
}

const ENTRY = /^(?:([0-9a-f]{12})\.)?([0-9a-f]{64})$/;

/** One stored hash: the id of the secret that made it (null in records made before ids were kept), and the hash. */
interface StoredEntry {
  readonly keyId: string | null;
  readonly hash: string;
}

function entriesOf(stored: string | null): StoredEntry[] {
  if (stored === null) return [];
  return stored.split(',').flatMap((text) => {
    const match = ENTRY.exec(text);
    return match?.[2] ? [{ keyId: match[1] ?? null, hash: match[2] }] : [];
  });
}

/**
 * Hashes and checks second factors. A case may be unlocked by each contact detail given (email
 * and phone), so its stored form lists one hash per detail, each as `keyId.hash`. Hashes made with
 * an earlier secret (`previous`, while a rotation is under way or for access codes, which only
 * their owner knows and so cannot be re-hashed) are still checked, and `rehashed` replaces them
 * the first time their owner unlocks the case.
 */
export class SecondFactorHasher {
  private readonly keys: ReadonlyMap<string, Buffer>;
  /** The id of the current secret, which every new hash is made with. */
  readonly keyId: string;

  constructor(secret: string, previous: readonly string[] = []) {
    for (const candidate of [secret, ...previous]) {
      if (candidate.length < 32) throw new RangeError('The second-factor secret must be at least 32 characters');
    }
    this.keyId = secretKeyId(secret);
    this.keys = new Map([secret, ...previous].reverse().map((candidate) => [secretKeyId(candidate), Buffer.from(candidate, 'utf8')] as const));
  }

  private digest(key: Buffer, reference: CaseReference, factor: string): string {
    return createHmac('sha256', key)
      .update(`${reference}\n${normaliseSecondFactor(factor)}`)
      .digest('hex');
  }

  /** The stored form of one factor: the current secret's id and HMAC-SHA256 of the reference and the normalised factor. */
  hash(reference: CaseReference, factor: string): string {
    return `${this.keyId}.${this.digest(this.currentKey(), reference, factor)}`;
  }

  /** The stored form of every factor that unlocks a case (the same detail written two ways counts once). */
  hashAll(reference: CaseReference, factors: readonly string[]): string {
    return [...new Set(factors.map((factor) => this.hash(reference, factor)))].join(',');
  }

  private currentKey(): Buffer {
    const key = this.keys.get(this.keyId);
    // The constructor puts the current secret in the map, so a miss is a programming error.
    if (!key) throw new Error('The current second-factor key is missing');
    return key;
  }

  /** The entry a typed factor matches, comparing with every entry in time that does not depend on which. */
  private matching(reference: CaseReference, factor: string, stored: string | null): StoredEntry | null {
    const entries = entriesOf(stored);
    let found: StoredEntry | null = null;
    // With no usable entry, still do the work of one comparison, so a wrong reference and a wrong factor take as long to refuse.
    for (const entry of entries.length > 0 ? entries : [{ keyId: null, hash: '0'.repeat(64) }]) {
      const key = entry.keyId === null ? this.currentKey() : this.keys.get(entry.keyId);
      const candidate = Buffer.from(this.digest(key ?? this.currentKey(), reference, factor), 'hex');
      const same = timingSafeEqual(candidate, Buffer.from(entry.hash, 'hex'));
      if (same && key && entries.length > 0) found = entry;
    }
    return found !== null && isUsableSecondFactor(factor) ? found : null;
  }

  /**
   * Whether a typed factor matches one of the stored hashes. Hashes from before key ids were
   * kept are read as made with the current secret (the start-up check makes sure it is the one
   * the records were made with).
   */
  matches(reference: CaseReference, factor: string, stored: string | null): boolean {
    return this.matching(reference, factor, stored) !== null;
  }

  /**
   * The stored form to write back after `factor` unlocked the case through a hash made with an
   * earlier secret (or before key ids were kept): that hash replaced by the current secret's.
   * Null when nothing needs changing.
   */
  rehashed(reference: CaseReference, factor: string, stored: string | null): string | null {
    const entry = this.matching(reference, factor, stored);
    if (!entry || entry.keyId === this.keyId) return null;
    const others = entriesOf(stored)
      .filter((other) => other !== entry && other.hash !== entry.hash)
      .map((other) => (other.keyId === null ? other.hash : `${other.keyId}.${other.hash}`));
    return [...others, this.hash(reference, factor)].join(',');
  }

  /**
   * The stored form after a rotation to this hasher's secret: every contact detail the case holds
   * hashed with the current secret, and the hashes it cannot remake (an access code, known only
   * to its owner) kept, labelled with the secret they were made with (`legacyKeyId` for hashes
   * from before key ids were kept).
   */
  rotated(reference: CaseReference, details: readonly string[], stored: string | null, legacyKeyId: string): string {
    const remade = details.filter(isUsableSecondFactor).map((detail) => this.hash(reference, detail));
    const isOneOfTheDetails = (entry: StoredEntry): boolean => {
      const key = this.keys.get(entry.keyId ?? legacyKeyId);
      return key !== undefined && details.some((detail) => this.digest(key, reference, detail) === entry.hash);
    };
    // What is not one of the details (an access code) stays, under whichever secret made it.
    const kept = entriesOf(stored)
      .filter((entry) => !isOneOfTheDetails(entry))
      .map((entry) => `${entry.keyId ?? legacyKeyId}.${entry.hash}`);
    return [...new Set([...remade, ...kept])].join(',');
  }

  /**
   * Removes the hashes of `before` (details corrected or taken away, under whichever secret made
   * them) and adds `after`'s under the current one; anything else (an access code) stays.
   */
  replaced(reference: CaseReference, before: readonly string[], after: readonly string[], stored: string | null, legacyKeyId = this.keyId): string {
    const wasOneOfThem = (entry: StoredEntry): boolean => {
      const key = this.keys.get(entry.keyId ?? legacyKeyId);
      return key !== undefined && before.some((detail) => this.digest(key, reference, detail) === entry.hash);
    };
    const kept = entriesOf(stored)
      .filter((entry) => !wasOneOfThem(entry))
      .map((entry) => (entry.keyId === null ? entry.hash : `${entry.keyId}.${entry.hash}`));
    return [...new Set([...kept, ...after.filter(isUsableSecondFactor).map((detail) => this.hash(reference, detail))])].join(',');
  }

  /**
   * The digests a contact detail is indexed under, so that everything held about a person can be
   * found from their email or phone (a subject access request) without keeping the detail in the
   * clear: the current secret's first (what new entries are written with), then any earlier
   * secret's, so entries written before a rotation are still found.
   */
  contactDigests(detail: string): string[] {
    const ids = [this.keyId, ...[...this.keys.keys()].filter((id) => id !== this.keyId)];
    return ids.map((id) =>
      createHmac('sha256', this.keys.get(id) ?? this.currentKey())
        .update(`contact-index\n${normaliseSecondFactor(detail)}`)
        .digest('hex')
        .slice(0, 32),
    );
  }
}
