--[[
  Lets one worker do a case's next staff effect, in the order the changes caused them. An
  event is done when it has left the pending set; one behind another waits its turn; and a
  lease keeps two workers (a job BullMQ thought stalled and its rerun) off the same case.

  KEYS[1] the case's staff effects not yet done (zset: event id by order)
  KEYS[2] the case's lease (string: the holder's token)

  ARGV[1] event id
  ARGV[2] the claimant's token
  ARGV[3] lease length, ms

  Returns 1: go (the lease is held for ARGV[3] ms)
          2: done already; nothing to do
          0: wait: an earlier effect is not done yet, or another worker holds the lease
]]
-- The codes it answers with, named as in script-codes.ts (a test checks the two agree).
local GO = 1
local DONE = 2
local WAIT = 0
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return DONE
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
if first ~= ARGV[1] then
  return WAIT
end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then
  return GO
end
if redis.call('GET', KEYS[2]) == ARGV[2] then
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  return GO
end
return WAIT
