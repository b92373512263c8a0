--[[
  Reserves one lookup attempt before the second factor is compared, so parallel guesses cannot
  all slip in under the limit. The count's window starts with the first attempt.

  KEYS[1] attempt counter (string)
  ARGV[1] most attempts allowed in the window
  ARGV[2] window, ms

  Returns {1, attempts, ms left}: reserved
          {0, attempts, ms left}: refused; the limit is reached
]]
-- The codes it answers with, named as in script-codes.ts (a test checks the two agree).
local RESERVED = 1
local REFUSED = 0
local attempts = tonumber(redis.call('GET', KEYS[1]) or '0')
if attempts >= tonumber(ARGV[1]) then
  return {REFUSED, attempts, redis.call('PTTL', KEYS[1])}
end
attempts = redis.call('INCR', KEYS[1])
if attempts == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return {RESERVED, attempts, redis.call('PTTL', KEYS[1])}
