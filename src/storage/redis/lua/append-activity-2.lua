--[[
  Appends an activity to a self-hosted Direct Line conversation, unless it repeats a post the
  client already made (same client activity id), and keeps the conversation alive.

  KEYS[1] activity list
  KEYS[2] conversation hash (owner, and "c:<client activity id>" -> activity id)

  ARGV[1] activity (JSON)
  ARGV[2] activity id
  ARGV[3] client activity id, or ''
  ARGV[4] lifetime, ms
  ARGV[5] the most activities the conversation may hold

  Returns {watermark, id, 1}: appended
          {watermark, id of the earlier one, 0}: a repeat; nothing appended
          {-1, '', 0}: no such conversation
          {-2, '', 0}: the conversation is full
]]
-- The codes it answers with, named as in script-codes.ts (a test checks the two agree).
local APPENDED = 1
local REPEAT = 0
local NO_SUCH_CONVERSATION = -1
local FULL = -2
if redis.call('EXISTS', KEYS[2]) == 0 then
  return {NO_SUCH_CONVERSATION, '', REPEAT}
end
if ARGV[3] ~= '' then
  local seen = redis.call('HGET', KEYS[2], 'c:' .. ARGV[3])
  if seen then
    return {redis.call('LLEN', KEYS[1]), seen, REPEAT}
  end
end
if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[5]) then
  return {FULL, '', REPEAT}
end
local watermark = redis.call('RPUSH', KEYS[1], ARGV[1])
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[2], 'c:' .. ARGV[3], ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return {watermark, ARGV[2], APPENDED}
