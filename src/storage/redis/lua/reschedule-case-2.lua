--[[
  Sets when a case's timeline next needs looking at, if the case is still at the version that
  time was worked out from. A sweep that found nothing due (an early wake, or the settings
  changed) puts the case back in its place; a change saved meanwhile has already put it in the
  right one, and wins.

  KEYS[1] case (hash: v, doc, ...)
  KEYS[2] wake index (zset: reference -> ms)

  ARGV[1] reference
  ARGV[2] the version the time was worked out from
  ARGV[3] when, ms, or '' for never

  Returns 1: set; 0: the case moved on (or is gone), nothing done
]]
-- The codes it answers with, named as in script-codes.ts (a test checks the two agree).
local SET = 1
local MOVED_ON = 0
local version = redis.call('HGET', KEYS[1], 'v')
if not version or tonumber(version) ~= tonumber(ARGV[2]) then
  return MOVED_ON
end
if ARGV[3] == '' then
  redis.call('ZREM', KEYS[2], ARGV[1])
else
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
end
return SET
