--[[
  Replaces a case's wrapped data key with the same key wrapped under another key-encryption key,
  if it is still the one read (a rotation running twice, or beside a change, never loses a key).

  KEYS[1] case (hash: dk its data key, wrapped)

  ARGV[1] the wrapped key read
  ARGV[2] the same key, wrapped under the new key-encryption key

  Returns 1: replaced
          0: the case's key changed since it was read (or the case is gone); read it again
]]
-- The codes it answers with, named as in script-codes.ts (a test checks the two agree).
local REPLACED = 1
local CHANGED = 0
if redis.call('HGET', KEYS[1], 'dk') ~= ARGV[1] then
  return CHANGED
end
redis.call('HSET', KEYS[1], 'dk', ARGV[2])
return REPLACED
