/**
 * Whether a parsed JSON value is an object (not an array, not null), so its properties can be
 * read by name; what each holds is still for the caller to check.
 * @example isJsonObject(JSON.parse('{"a":1}')) // true
 * @example isJsonObject(JSON.parse('[1]')) // false
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
