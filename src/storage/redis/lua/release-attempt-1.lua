--[[
  Gives back an attempt reserved by reserve-attempt when the lookup succeeded, so the right
  details never count against anyone.

  KEYS[1] attempt counter (string)

  Returns the attempts still counted.
]]
local attempts = tonumber(redis.call('GET', KEYS[1]) or '0')
if attempts <= 1 then
  redis.call('DEL', KEYS[1])
  return 0
end
return redis.call('DECR', KEYS[1])
