--[[
  Replaces a case's stored second-factor hashes, only if they are still the ones the caller read
  (a lookup re-hashing under the current CASE_SECRET and a rotation may race; neither overwrites
  the other's newer write).

  KEYS[1] the case (hash: v, doc, sf, ...)
  ARGV[1] the hashes as read ("" when the field was missing)
  ARGV[2] the hashes to write

  Returns 1 when replaced, 0 when the stored hashes had changed (or the case is gone).
]]
-- The codes it answers with, named as in script-codes.ts (a test checks the two agree).
local REPLACED = 1
local CHANGED = 0
if redis.call('EXISTS', KEYS[1]) == 0 then
  return CHANGED
end
local current = redis.call('HGET', KEYS[1], 'sf') or ''
if current ~= ARGV[1] then
  return CHANGED
end
redis.call('HSET', KEYS[1], 'sf', ARGV[2])
return REPLACED
