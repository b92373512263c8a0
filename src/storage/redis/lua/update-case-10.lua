--[[
  Applies one change to a case if it is still at the version the change was made from: the new
  document, a history entry, and the index moves, all or nothing. A change whose idempotency key
  was applied before does nothing.

  KEYS[1]  case (hash: v, doc, sf)
  KEYS[2]  history (stream)
  KEYS[3]  applied idempotency keys (set)
  KEYS[4]  due index (zset)
  KEYS[5]  status index the case leaves      KEYS[6]  status index it joins
  KEYS[7]  stage index the case leaves       KEYS[8]  stage index it joins
  KEYS[9]  handler index the case leaves     KEYS[10] handler index it joins
  (a "leaves" key equal to its "joins" key means no move)

  ARGV[1] reference
  ARGV[2] expected version
  ARGV[3] new case document (JSON)
  ARGV[4] new deadline end in ms, or '' when nothing is due
  ARGV[5] history event (JSON)
  ARGV[6] idempotency key, or ''

  Returns {1, version}:  applied; the new version
          {0, version}:  stale; the case is at this version
          {2, version}:  already applied under this idempotency key; the current version
          {-1, 0}:       no such case
]]
local current = redis.call('HGET', KEYS[1], 'v')
if not current then
  return {-1, 0}
end
current = tonumber(current)
if ARGV[6] ~= '' and redis.call('SISMEMBER', KEYS[3], ARGV[6]) == 1 then
  return {2, current}
end
if current ~= tonumber(ARGV[2]) then
  return {0, current}
end
local version = current + 1
redis.call('HSET', KEYS[1], 'v', version, 'doc', ARGV[3])
redis.call('XADD', KEYS[2], '*', 'e', ARGV[5])
if ARGV[6] ~= '' then
  redis.call('SADD', KEYS[3], ARGV[6])
end
if ARGV[4] == '' then
  redis.call('ZREM', KEYS[4], ARGV[1])
else
  redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
end
for i = 5, 9, 2 do
  if KEYS[i] ~= KEYS[i + 1] then
    redis.call('SREM', KEYS[i], ARGV[1])
    redis.call('SADD', KEYS[i + 1], ARGV[1])
  end
end
return {1, version}
