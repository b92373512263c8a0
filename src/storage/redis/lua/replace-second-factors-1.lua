--[[
  Replaces a case's stored second-factor hashes, only if they are still the ones the caller read
  (a lookup re-hashing under the current CASE_SECRET and a rotation may race; neither overwrites
  the other's newer write).

  KEYS[1] the case (hash: v, doc, sf, ...)
  ARGV[1] the hashes as read ("" when the field was missing)
  ARGV[2] the hashes to write

  Returns 1 when replaced, 0 when the stored hashes had changed (or the case is gone).
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local current = redis.call('HGET', KEYS[1], 'sf') or ''
if current ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'sf', ARGV[2])
return 1
