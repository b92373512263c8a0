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

/** Hashes and checks second factors with one secret key. */
export class SecondFactorHasher {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 32) throw new RangeError('The second-factor secret must be at least 32 characters');
    this.key = Buffer.from(secret, 'utf8');
  }

  /** The stored form: HMAC-SHA256 of the reference and the normalised factor, hex. */
  hash(reference: CaseReference, factor: string): string {
    return createHmac('sha256', this.key).update(`${reference}\n${normaliseSecondFactor(factor)}`).digest('hex');
  }

  /**
   * Whether a typed factor matches the stored hash, in time that does not depend on where they
   * differ. With no stored hash (no such case) it still does the same work, so a wrong reference
   * and a wrong factor take as long to refuse.
   */
  matches(reference: CaseReference, factor: string, storedHash: string | null): boolean {
    const candidate = Buffer.from(this.hash(reference, factor), 'hex');
    const stored = storedHash !== null && /^[0-9a-f]{64}$/.test(storedHash) ? Buffer.from(storedHash, 'hex') : Buffer.alloc(candidate.length);
    const same = timingSafeEqual(candidate, stored);
    return storedHash !== null && same && isUsableSecondFactor(factor);
  }
}
