--[[
  Ends a worker's turn on a case's staff effect: when it was done, the event leaves the pending
  set; either way the lease is given up, if the caller still holds it.

  KEYS[1] the case's staff effects not yet done (zset)
  KEYS[2] the case's lease (string)

  ARGV[1] event id
  ARGV[2] the holder's token
  ARGV[3] '1' when the effect was done, '0' when it failed (it stays pending, first in line)

  Returns 1: held (the caller still held the lease, and has given it up)
          0: lost (the lease had expired or passed on: another worker may have the case)
]]
-- The codes it answers with, named as in script-codes.ts (a test checks the two agree).
local HELD = 1
local LOST = 0
local held = redis.call('GET', KEYS[2]) == ARGV[2]
if ARGV[3] == '1' then
  redis.call('ZREM', KEYS[1], ARGV[1])
end
if held then
  redis.call('DEL', KEYS[2])
  return HELD
end
return LOST
