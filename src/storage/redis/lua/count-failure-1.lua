--[[
  Counts one failed lookup in a window that starts with the first failure.

  KEYS[1] failure counter (string)
  ARGV[1] window, ms

  Returns {failures so far, ms until the window ends}
]]
local failures = redis.call('INCR', KEYS[1])
if failures == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return {failures, redis.call('PTTL', KEYS[1])}
