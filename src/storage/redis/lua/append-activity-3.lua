--[[
  Appends an activity to a self-hosted Direct Line conversation, unless it repeats a post the
  client already made (same client activity id), and keeps the conversation alive. A person's
  activity is also put on the conversation's list of unhandled activities, with a claim on it
  until the lease ends, so a retry or another instance can run a turn that never finished.

  KEYS[1] activity list
  KEYS[2] conversation hash (owner, and "c:<client activity id>" -> activity id)
  KEYS[3] unhandled activities (hash: activity id -> "<list index>:<claim ends, ms>")

  ARGV[1] activity (JSON)
  ARGV[2] activity id
  ARGV[3] client activity id, or ''
  ARGV[4] lifetime, ms
  ARGV[5] the most activities the conversation may hold
  ARGV[6] '1' if the activity awaits its turn, '' otherwise
  ARGV[7] lease, ms

  Returns {watermark, id, 1, '', claim ends}: appended (claim ends 0 unless it awaits its turn)
          {watermark, id of the earlier one, 0, earlier activity or '', claim ends}: a repeat;
            nothing appended; the earlier activity (claimed afresh) while its turn is undone
          {-1, '', 0, '', 0}: no such conversation
          {-2, '', 0, '', 0}: the conversation is full
]]
-- The codes it answers with, named as in script-codes.ts (a test checks the two agree).
local APPENDED = 1
local REPEAT = 0
local NO_SUCH_CONVERSATION = -1
local FULL = -2
if redis.call('EXISTS', KEYS[2]) == 0 then
  return {NO_SUCH_CONVERSATION, '', REPEAT, '', 0}
end
local time = redis.call('TIME')
local leaseEnds = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + tonumber(ARGV[7])
if ARGV[3] ~= '' then
  local seen = redis.call('HGET', KEYS[2], 'c:' .. ARGV[3])
  if seen then
    local waiting = redis.call('HGET', KEYS[3], seen)
    if waiting then
      local index = string.match(waiting, '^(%d+):')
      redis.call('HSET', KEYS[3], seen, index .. ':' .. leaseEnds)
      return {redis.call('LLEN', KEYS[1]), seen, REPEAT, redis.call('LINDEX', KEYS[1], tonumber(index)) or '', leaseEnds}
    end
    return {redis.call('LLEN', KEYS[1]), seen, REPEAT, '', 0}
  end
end
if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[5]) then
  return {FULL, '', REPEAT, '', 0}
end
local watermark = redis.call('RPUSH', KEYS[1], ARGV[1])
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[2], 'c:' .. ARGV[3], ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
if ARGV[6] == '1' then
  redis.call('HSET', KEYS[3], ARGV[2], (watermark - 1) .. ':' .. leaseEnds)
  redis.call('PEXPIRE', KEYS[3], ARGV[4])
  return {watermark, ARGV[2], APPENDED, '', leaseEnds}
end
return {watermark, ARGV[2], APPENDED, '', 0}
