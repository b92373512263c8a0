--[[
  The facts for the figures of several cases in one shard (see case-facts.ts), in the order asked:
  one command for a batch rather than one per case (a year's figures read a hundred thousand).

  KEYS[1..n] the cases (hashes), all in this shard (its hash tag: one Cluster slot)

  Returns {facts or '' (a case without kept facts, or no such case), ...}
]]
local out = {}
for index, key in ipairs(KEYS) do
  out[index] = redis.call('HGET', key, 'fx') or ''
end
return out
