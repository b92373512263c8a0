--[[
  Gives up a hold (a string holding its holder's token), if the caller still has it: a hold that
  lapsed and was taken by another worker is theirs, and is left alone.

  KEYS[1] the hold (string)

  ARGV[1] the holder's token

  Returns 1: released (the caller held it)
          0: not held (it had lapsed, or another worker holds it now)
]]
-- The codes it answers with, named as in script-codes.ts (a test checks the two agree).
local RELEASED = 1
local NOT_HELD = 0
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return RELEASED
end
return NOT_HELD
