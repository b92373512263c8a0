--[[
  Lists a case in the indexes added since it was stored (the rights indexes; the queue's place for
  an open case owing nothing), if it is still at the version its entries were worked out from; a
  change since then listed it itself.

  KEYS[1] case (hash: v, ...)
  KEYS[2] contact index (zset at score 0: "<contact digest>:<reference>")
  KEYS[3] finished index (zset: reference -> when the case finished, ms)
  KEYS[4] due index (zset: reference -> queue position, ms)

  ARGV[1] reference
  ARGV[2] expected version
  ARGV[3] contact index members, separated by spaces ('' for none)
  ARGV[4] when the case finished, ms, or '' when it is not finished
  ARGV[5] the case's queue position, ms, or '' when it is finished (not in the queue)
  ARGV[6] the case's facts for the figures (JSON)

  Returns 1: listed; 0: the case moved on (or is gone)
]]
-- The codes it answers with, named as in script-codes.ts (a test checks the two agree).
local LISTED = 1
local MOVED_ON = 0
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[2] then
  return MOVED_ON
end
for member in string.gmatch(ARGV[3], '%S+') do
  redis.call('ZADD', KEYS[2], 0, member)
end
if ARGV[4] ~= '' then
  redis.call('ZADD', KEYS[3], 'NX', ARGV[4], ARGV[1])
end
redis.call('HSET', KEYS[1], 'fx', ARGV[6])
if ARGV[5] == '' then
  redis.call('ZREM', KEYS[4], ARGV[1])
else
  redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1])
end
return LISTED
