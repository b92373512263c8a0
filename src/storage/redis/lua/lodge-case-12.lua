--[[
  Lodges a new case atomically: the case, its first history entry, its index entries and the
  marker that makes a repeated submission find the same case. All keys share one hash tag.

  KEYS[1] lodged-submission marker (string: reference)
  KEYS[2] case (hash: v version, doc sealed JSON, sf second-factor hash, ix index keys it is
          listed in, dk its data key, wrapped)
  KEYS[3] history (stream)
  KEYS[4] due index (zset: reference -> deadline end, ms)
  KEYS[5] status index (set)
  KEYS[6] stage index (set)
  KEYS[7] handler index (set; the unassigned list at lodging)
  KEYS[8] lodged index (zset: reference -> lodged at, ms)
  KEYS[9] the shard's outbox (stream: e event JSON), which the relay moves into queues
  KEYS[10] the case's staff effects not yet done (zset: event id by order), so Teams sees them in order
  KEYS[11] wake index (zset: reference -> when its timeline next needs looking at, ms)
  KEYS[12] contact index (zset at score 0: "<contact digest>:<reference>", read by lexical range)

  ARGV[1] reference
  ARGV[2] case document (JSON)
  ARGV[3] second-factor hash
  ARGV[4] deadline end in ms, or '' when nothing is due
  ARGV[5] lodged at, ms
  ARGV[6] history event (JSON)
  ARGV[7] marker lifetime, seconds
  ARGV[8] act-by time, server ms: after it the caller has been told the call failed
  ARGV[9] the events lodging causes, one JSON document per line ('' for none)
  ARGV[10] of those, the ones for staff: "order id" pairs separated by spaces ('' for none)
  ARGV[11] when the case's timeline next needs looking at, ms, or '' for never
  ARGV[12] the case's data key, wrapped (the document and history entries are sealed with it)
  ARGV[13] the case's contact index members, separated by spaces ('' for none)
  ARGV[14] the case's facts for the figures (JSON; nothing personal, see case-facts.ts)

  Returns {1, reference}: created
          {2, reference}: this submission was lodged before; that case's reference
          {3, ''}:        the reference is taken; draw another
          {-9, ''}:       too late; nothing done
]]
-- The codes it answers with, named as in script-codes.ts (a test checks the two agree).
local CREATED = 1
local ALREADY_LODGED = 2
local REFERENCE_TAKEN = 3
local TOO_LATE = -9
local now = redis.call('TIME')
if tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[8]) then
  return {TOO_LATE, ''}
end
local existing = redis.call('GET', KEYS[1])
if existing then
  return {ALREADY_LODGED, existing}
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  return {REFERENCE_TAKEN, ''}
end
redis.call('HSET', KEYS[2], 'v', 1, 'doc', ARGV[2], 'sf', ARGV[3], 'ix', KEYS[5] .. '\n' .. KEYS[6] .. '\n' .. KEYS[7], 'dk', ARGV[12], 'fx', ARGV[14])
redis.call('XADD', KEYS[3], '*', 'e', ARGV[6])
if ARGV[4] ~= '' then
  redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
end
redis.call('SADD', KEYS[5], ARGV[1])
redis.call('SADD', KEYS[6], ARGV[1])
redis.call('SADD', KEYS[7], ARGV[1])
redis.call('ZADD', KEYS[8], ARGV[5], ARGV[1])
if ARGV[11] ~= '' then
  redis.call('ZADD', KEYS[11], ARGV[11], ARGV[1])
end
for member in string.gmatch(ARGV[13], '%S+') do
  redis.call('ZADD', KEYS[12], 0, member)
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[7])
for event in string.gmatch(ARGV[9], '[^\n]+') do
  redis.call('XADD', KEYS[9], '*', 'e', event)
end
for order, id in string.gmatch(ARGV[10], '(%S+) (%S+)') do
  redis.call('ZADD', KEYS[10], order, id)
end
return {CREATED, ARGV[1]}
