--[[
  Erases the personal data in a case, all or nothing, if it is still at the version the erasure
  was decided on: the anonymised document and history, sealed under a new data key (the old one
  is dropped, so anything still sealed under it, such as an event waiting in a queue, can no
  longer be opened), the second-factor hashes and contact index entries removed, and the case
  taken out of the indexes that would bring it back to anyone's attention.

  KEYS[1] case (hash: v, doc, sf, ix, dk)
  KEYS[2] history (stream), replaced whole
  KEYS[3] wake index (zset)
  KEYS[4] finished index (zset)
  KEYS[5] due index (zset)
  KEYS[6] contact index (zset)
  KEYS[7] the shard's outbox (stream: e event JSON)
  KEYS[8] the case's staff effects not yet done (zset: event id by order), replaced by the erasure's
  KEYS[9] applied idempotency keys (set)

  ARGV[1] reference
  ARGV[2] expected version
  ARGV[3] anonymised case document, sealed with the new data key
  ARGV[4] the new data key, wrapped
  ARGV[5] the anonymised history, one sealed entry per line, oldest first
  ARGV[6] contact index members to remove, separated by spaces ('' for none)
  ARGV[7] act-by time, server ms
  ARGV[8] the events the erasure causes, one JSON document per line ('' for none)
  ARGV[9] of those, the ones for staff: "order id" pairs separated by spaces ('' for none)
  ARGV[10] the erasure's idempotency key

  Returns {1, version}: erased; the new version
          {0, version}: stale; the case is at this version
          {2, version}: already erased under this idempotency key
          {-1, 0}:      no such case
          {-9, 0}:      too late; nothing done
  (update-case's codes: an erasure is answered as a change is)
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
local stored = redis.call('HGET', KEYS[1], 'v')
if not stored then
  return {NO_SUCH_CASE, 0}
end
local current = tonumber(stored)
if redis.call('SISMEMBER', KEYS[9], ARGV[10]) == 1 then
  return {ALREADY_APPLIED, current}
end
if current ~= tonumber(ARGV[2]) then
  return {STALE, current}
end
local version = current + 1
redis.call('HSET', KEYS[1], 'v', version, 'doc', ARGV[3], 'dk', ARGV[4])
redis.call('HDEL', KEYS[1], 'sf')
redis.call('DEL', KEYS[2])
for entry in string.gmatch(ARGV[5], '[^\n]+') do
  redis.call('XADD', KEYS[2], '*', 'e', entry)
end
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
for member in string.gmatch(ARGV[6], '%S+') do
  redis.call('ZREM', KEYS[6], member)
end
for event in string.gmatch(ARGV[8], '[^\n]+') do
  redis.call('XADD', KEYS[7], '*', 'e', event)
end
-- Staff effects still waiting were about the person: theirs can no longer be opened, and the
-- erasure's own (the card brought up to date) must not wait behind them.
redis.call('DEL', KEYS[8])
for order, id in string.gmatch(ARGV[9], '(%S+) (%S+)') do
  redis.call('ZADD', KEYS[8], order, id)
end
redis.call('SADD', KEYS[9], ARGV[10])
return {APPLIED, version}
