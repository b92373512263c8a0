--[[
  Claims a conversation's unhandled activities whose claim has ended (their instance died, or
  storage failed under their turn), for the caller to run, in the order they were posted.

  KEYS[1] unhandled activities (hash: activity id -> "<list index>:<claim ends, ms>")
  KEYS[2] activity list

  ARGV[1] lease, ms

  Returns {earliest claim end left (0 if none is left), activity JSON...}
]]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local leaseEnds = now + tonumber(ARGV[1])
local entries = redis.call('HGETALL', KEYS[1])
local lapsed = {}
local earliest = 0
for i = 1, #entries, 2 do
  local index, ends = string.match(entries[i + 1], '^(%d+):(%d+)$')
  index, ends = tonumber(index), tonumber(ends)
  if ends <= now then
    redis.call('HSET', KEYS[1], entries[i], index .. ':' .. leaseEnds)
    table.insert(lapsed, index)
    ends = leaseEnds
  end
  if earliest == 0 or ends < earliest then
    earliest = ends
  end
end
table.sort(lapsed)
local answer = {earliest}
for _, index in ipairs(lapsed) do
  local activity = redis.call('LINDEX', KEYS[2], index)
  if activity then
    table.insert(answer, activity)
  end
end
return answer
