/**
 * Reading what a person typed. Characters that take no space on screen (zero-width spaces and
 * joiners, direction marks and overrides, the byte-order mark) are pasted in without anyone
 * knowing, and hostile text uses them to hide or reverse words; control characters and broken
 * surrogate halves have no place in a complaint and can make a record unsaveable. Everything
 * that keeps or compares someone's words goes through here first.
 */
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Control characters other than tab and newline. */
const CONTROL = /(?![\t\n])\p{Cc}/gu;

/** A surrogate half without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text with invisible characters removed. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** Whether text has anything visible in it (not only spaces and invisible characters). */
export function hasVisibleText(text: string): boolean {
  return stripInvisible(text).trim().length > 0;
}

/**
 * An answer as kept: no invisible or control characters (tabs and line breaks stay), broken
 * characters replaced with "�", at most two blank lines in a row, trimmed, and at most `max`
 * characters (never cutting a character in half).
 */
export function cleanAnswer(text: string, max: number): string {
  const clean = stripInvisible(text.normalize('NFC'))
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, '')
    .replace(/\n{4,}/g, '\n\n\n')
    .trim();
  return clean.length <= max ? clean : clean.slice(0, max).replace(LONE_SURROGATE, '').trimEnd();
}
