--[[
  Forgets outbox entries the relay has put into their queues: acknowledged for the relay's
  consumer group and deleted, so the stream holds only what is still to be relayed.

  KEYS[1] the shard's outbox (stream)

  ARGV[1] the consumer group
  ARGV[2..] entry ids

  Returns the number of entries deleted.
]]
local ids = {}
for i = 2, #ARGV do
  ids[#ids + 1] = ARGV[i]
end
if #ids == 0 then
  return 0
end
redis.call('XACK', KEYS[1], ARGV[1], unpack(ids))
return redis.call('XDEL', KEYS[1], unpack(ids))
