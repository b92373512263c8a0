/**
 * Characters that take no space on screen: zero-width spaces and joiners, direction marks and
 * overrides, and the byte-order mark. People paste them in without knowing; hostile text uses
 * them to hide or reverse words. Everything that reads what a person typed removes them first.
 */
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Text with invisible characters removed. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** Whether text has anything visible in it (not only spaces and invisible characters). */
export function hasVisibleText(text: string): boolean {
  return stripInvisible(text).trim().length > 0;
}
