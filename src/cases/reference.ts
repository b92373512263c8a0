/**
 * Case references: short enough to read over the phone ("K7M-4QX-P2C"), case-insensitive, drawn
 * from an alphabet with no look-alike pairs, and ending in a check character so a mistyped
 * reference is caught before anything is looked up. Each is random (not a counter), so one
 * reference tells nothing about another.
 */
import { randomInt } from 'node:crypto';

/**
 * 26 characters: the digits 2-9 and 18 letters. Left out, because each looks like something
 * else in the set: 0 O, 1 I L, Z (2), S (5), B (8), G (6) and U (V).
 */
export const REFERENCE_ALPHABET = '23456789ACDEFHJKMNPQRTVWXY';

/** Random characters in a reference (before the check character). */
const REFERENCE_RANDOM_LENGTH = 8;

/** Characters people type for ones the alphabet leaves out, read as the character they resemble. */
const LOOK_ALIKES: Readonly<Record<string, string>> = { S: '5', Z: '2', B: '8', G: '6', U: 'V' };

declare const referenceBrand: unique symbol;

/** A well-formed case reference, normalised: nine characters from the alphabet, check character last. */
export type CaseReference = string & { readonly [referenceBrand]: true };

/** Why typed text is not a reference, for a reply that helps the person correct it. */
export type ReferenceProblem = 'empty' | 'length' | 'characters' | 'check';

/** The result of reading a reference someone typed. */
export type ParsedReference = { readonly ok: true; readonly reference: CaseReference } | { readonly ok: false; readonly problem: ReferenceProblem };

function valueOf(character: string): number {
  return REFERENCE_ALPHABET.indexOf(character);
}

/** Luhn mod N check character: catches every single wrong character and most swapped neighbours. */
export function checkCharacter(body: string): string {
  const n = REFERENCE_ALPHABET.length;
  let factor = 2;
  let sum = 0;
  for (let index = body.length - 1; index >= 0; index -= 1) {
    let addend = factor * valueOf(body.charAt(index));
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / n) + (addend % n);
    sum += addend;
  }
  return REFERENCE_ALPHABET.charAt((n - (sum % n)) % n);
}

/** A new random reference, from a cryptographically secure source. */
export function generateReference(): CaseReference {
  let body = '';
  for (let index = 0; index < REFERENCE_RANDOM_LENGTH; index += 1) {
    body += REFERENCE_ALPHABET.charAt(randomInt(REFERENCE_ALPHABET.length));
  }
  return (body + checkCharacter(body)) as CaseReference;
}

/**
 * Reads a reference as typed: ignores case, spaces, dashes and dots, and reads S, Z, B, G and U
 * as the characters they look like. A typo is reported as a bad check character.
 * @example parseReference('k7m 4qx-p2c')
 */
export function parseReference(text: string): ParsedReference {
  const compact = text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-._/]/g, '');
  if (compact === '') return { ok: false, problem: 'empty' };
  const mapped = Array.from(compact, (character) => LOOK_ALIKES[character] ?? character).join('');
  if (mapped.length !== REFERENCE_RANDOM_LENGTH + 1) return { ok: false, problem: 'length' };
  if (Array.from(mapped).some((character) => valueOf(character) < 0)) return { ok: false, problem: 'characters' };
  const body = mapped.slice(0, REFERENCE_RANDOM_LENGTH);
  if (checkCharacter(body) !== mapped.slice(REFERENCE_RANDOM_LENGTH)) return { ok: false, problem: 'check' };
  return { ok: true, reference: mapped as CaseReference };
}

/**
 * A reference found in what someone wrote: the text itself, or a reference inside a sentence
 * or quotes ("my ref is 'K7M-4QX-P2C' thanks"). A valid reference anywhere in the text wins;
 * failing that, the problem with the text as a whole, or with the one thing in it that looks
 * like a reference.
 */
export function findReference(text: string): ParsedReference {
  const whole = parseReference(text);
  if (whole.ok || whole.problem === 'empty') return whole;
  const candidates = referenceCandidates(text);
  const found = candidates.map(parseReference).find((candidate) => candidate.ok);
  if (found) return found;
  // A reference has digits in it (all but one in a million do); a nine-letter word is not a try at one.
  const tries = candidates.filter((candidate) => /\d/.test(candidate));
  const onlyTry = tries.length === 1 && tries[0] !== undefined ? parseReference(tries[0]) : null;
  return onlyTry ?? whole;
}

/** Words around a reference that are never part of it. */
const NOT_PART = /^(ref|reference|refs|number|no|is|its|it's|my|the|was|it|and|thanks|thank|you|please|ok|hi|hello|here)$/i;

/**
 * Stretches of text that could be a reference, best first: a single word of nine letters and
 * digits (dashes or dots inside allowed: "K7M-4QX-P2C"), then three words of three ("K7M 4QX
 * P2C") that are not common words ("ref", "its").
 */
function referenceCandidates(text: string): string[] {
  const words = text
    .normalize('NFKC')
    .split(/[\s,;:!?"'`()[\]{}<>]+/)
    .map((word) => word.replace(/^[.\-_/]+|[.\-_/]+$/g, ''))
    .filter(Boolean);
  const compact = (word: string): string => word.replace(/[._/-]/g, '');
  const single = words.filter((word) => /^[0-9A-Za-z._/-]+$/.test(word) && compact(word).length === REFERENCE_RANDOM_LENGTH + 1);
  const triples: string[] = [];
  for (let index = 0; index + 2 < words.length; index += 1) {
    const three = words.slice(index, index + 3);
    if (three.every((word) => /^[0-9A-Za-z]{3}$/.test(word) && !NOT_PART.test(word))) triples.push(three.join(''));
  }
  return [...single, ...triples];
}

/** Whether text is already a normalised, valid reference. */
export function isCaseReference(text: string): text is CaseReference {
  const parsed = parseReference(text);
  return parsed.ok && parsed.reference === text;
}

/** A reference grouped in threes for reading aloud or on a page: "K7M-4QX-P2C". */
export function formatReference(reference: CaseReference): string {
  return `${reference.slice(0, 3)}-${reference.slice(3, 6)}-${reference.slice(6)}`;
}
