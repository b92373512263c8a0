--[[
  Applies one change to a case if it is still at the version the change was made from: the new
  document, a history entry, and the index moves, all or nothing. A change whose idempotency key
  was applied before does nothing.

  KEYS[1]  case (hash: v, doc, sf, ix)
  KEYS[2]  history (stream)
  KEYS[3]  applied idempotency keys (set)
  KEYS[4]  due index (zset)
  KEYS[5]  status index the case leaves      KEYS[6]  status index it joins
  KEYS[7]  stage index the case leaves       KEYS[8]  stage index it joins
  KEYS[9]  handler index the case leaves     KEYS[10] handler index it joins
  KEYS[11] the shard's outbox (stream: e event JSON), which the relay moves into queues
  KEYS[12] the case's staff effects not yet done (zset: event id by order)
  KEYS[13] wake index (zset: reference -> when its timeline next needs looking at, ms)
  KEYS[14] contact index (zset at score 0: "<contact digest>:<reference>")
  KEYS[15] finished index (zset: reference -> when the case finished, ms)
  (a "leaves" key equal to its "joins" key means no move; the "leaves" keys must be the ones
  recorded in ix, or the caller's idea of the case is stale)

  ARGV[1] reference
  ARGV[2] expected version
  ARGV[3] new case document (JSON)
  ARGV[4] new deadline end in ms, or '' when nothing is due
  ARGV[5] history event (JSON)
  ARGV[6] idempotency key
  ARGV[7] act-by time, server ms
  ARGV[8] the events the change causes, one JSON document per line ('' for none)
  ARGV[9] of those, the ones for staff: "order id" pairs separated by spaces ('' for none)
  ARGV[10] when the case's timeline next needs looking at, ms, or '' for never
  ARGV[11] a data key, wrapped, for a case stored before records were sealed ('' for one that has its own)
  ARGV[12] contact index members the case leaves, separated by spaces ('' for none)
  ARGV[13] contact index members it is listed under after the change ('' for none; listing again is harmless)
  ARGV[14] when the case finished, ms, or '' when it is not finished (an earlier time already listed is kept)
  ARGV[15] the second-factor hashes the change was decided on (compared only when ARGV[16] is given)
  ARGV[16] the second-factor hashes after the change, or '' to leave them (a contact detail corrected)
  ARGV[17] the case's facts for the figures after the change (JSON; nothing personal, see case-facts.ts)

  Returns {1, version}:  applied; the new version
          {0, version}:  stale; the case is at this version (or listed differently)
          {2, version}:  already applied under this idempotency key; the current version
          {-1, 0}:       no such case
          {-9, 0}:       too late; nothing done
]]
-- The codes it answers with, named as in script-codes.ts (a test checks the two agree).
local APPLIED = 1
local STALE = 0
local ALREADY_APPLIED = 2
local NO_SUCH_CASE = -1
local TOO_LATE = -9
local now = redis.call('TIME')
if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[7]) then
  return {TOO_LATE, 0}
end
local stored = redis.call('HMGET', KEYS[1], 'v', 'ix')
if not stored[1] then
  return {NO_SUCH_CASE, 0}
end
local current = tonumber(stored[1])
if ARGV[16] ~= '' and (redis.call('HGET', KEYS[1], 'sf') or '') ~= ARGV[15] then
  return {STALE, current}
end
if redis.call('SISMEMBER', KEYS[3], ARGV[6]) == 1 then
  return {ALREADY_APPLIED, current}
end
if current ~= tonumber(ARGV[2]) or stored[2] ~= KEYS[5] .. '\n' .. KEYS[7] .. '\n' .. KEYS[9] then
  return {STALE, current}
end
local version = current + 1
redis.call('HSET', KEYS[1], 'v', version, 'doc', ARGV[3], 'ix', KEYS[6] .. '\n' .. KEYS[8] .. '\n' .. KEYS[10], 'fx', ARGV[17])
if ARGV[11] ~= '' then
  redis.call('HSET', KEYS[1], 'dk', ARGV[11])
end
if ARGV[16] ~= '' then
  redis.call('HSET', KEYS[1], 'sf', ARGV[16])
end
for member in string.gmatch(ARGV[12], '%S+') do
  redis.call('ZREM', KEYS[14], member)
end
for member in string.gmatch(ARGV[13], '%S+') do
  redis.call('ZADD', KEYS[14], 0, member)
end
if ARGV[14] == '' then
  redis.call('ZREM', KEYS[15], ARGV[1])
else
  redis.call('ZADD', KEYS[15], 'NX', ARGV[14], ARGV[1])
end
redis.call('XADD', KEYS[2], '*', 'e', ARGV[5])
redis.call('SADD', KEYS[3], ARGV[6])
if ARGV[4] == '' then
  redis.call('ZREM', KEYS[4], ARGV[1])
else
  redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
end
if ARGV[10] == '' then
  redis.call('ZREM', KEYS[13], ARGV[1])
else
  redis.call('ZADD', KEYS[13], ARGV[10], ARGV[1])
end
for event in string.gmatch(ARGV[8], '[^\n]+') do
  redis.call('XADD', KEYS[11], '*', 'e', event)
end
for order, id in string.gmatch(ARGV[9], '(%S+) (%S+)') do
  redis.call('ZADD', KEYS[12], order, id)
end
for i = 5, 9, 2 do
  if KEYS[i] ~= KEYS[i + 1] then
    redis.call('SREM', KEYS[i], ARGV[1])
    redis.call('SADD', KEYS[i + 1], ARGV[1])
  end
end
return {APPLIED, version}
