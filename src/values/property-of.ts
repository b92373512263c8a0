/**
 * One property of a value whose shape nothing promises (an error thrown by a library, an
 * activity's `value` or `channelData`, a job's data as read back from Redis): undefined when it
 * is not an object or has no such property. Callers then check what they got, instead of
 * asserting a shape the value may not have.
 * @example propertyOf({ code: 'ENOENT' }, 'code') // 'ENOENT'
 * @example propertyOf(propertyOf(undefined, 'action'), 'verb') // undefined
 */
export function propertyOf(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && name in value ? Reflect.get(value, name) : undefined;
}
