--[[
  An unconditional state write ("*" or no eTag, as Bot Framework's BotState makes) that does
  nothing if it runs after its deadline: a write the caller already gave up on must not
  overwrite a newer one when a frozen Redis thaws.

  KEYS[1] state key
  ARGV[1] value ("<eTag>\n<body>")
  ARGV[2] lifetime, ms
  ARGV[3] act-by time, server ms

  Returns 1: written
          -9: too late; nothing done
]]
-- The codes it answers with, named as in script-codes.ts (a test checks the two agree).
local WRITTEN = 1
local TOO_LATE = -9
local now = redis.call('TIME')
if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[3]) then
  return TOO_LATE
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return WRITTEN
