--[[
  Ends a worker's turn on a case's staff effect: when it was done, the event leaves the pending
  set; either way the lease is given up, if the caller still holds it.

  KEYS[1] the case's staff effects not yet done (zset)
  KEYS[2] the case's lease (string)

  ARGV[1] event id
  ARGV[2] the holder's token
  ARGV[3] '1' when the effect was done, '0' when it failed (it stays pending, first in line)

  Returns 1 if the caller held the lease, 0 if it had lost it (another worker may have the case).
]]
local held = redis.call('GET', KEYS[2]) == ARGV[2]
if ARGV[3] == '1' then
  redis.call('ZREM', KEYS[1], ARGV[1])
end
if held then
  redis.call('DEL', KEYS[2])
  return 1
end
return 0
