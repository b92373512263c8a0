--[[
  A slice of one shard's staff queue: the open cases in queue order (score, then reference) that
  every filter group holds, and how many there are. Reads only indexes, never a case.

  KEYS[1]   the due index (zset: reference -> queue position, ms; open cases owing nothing sit at
            the largest position)
  KEYS[2..] the filters' set indexes (status, stage, handler), grouped by ARGV[4]; every key is in
            this shard (its hash tag), so the script touches one Cluster slot

  ARGV[1] lowest position, inclusive
  ARGV[2] highest position, exclusive ('+inf' for no end)
  ARGV[3] how many entries to return from the start (the page's offset plus its length)
  ARGV[4] the groups' sizes, separated by spaces ("1 3": KEYS[2] is one group, KEYS[3..5] another);
          '' for no filter. A case must be in at least one set of every group.

  Returns {total, reference, position, reference, position, ...}: the first ARGV[3] in order.

  Cost: with no filter, two index reads. With filters, whichever is smaller of walking the range
  or walking the smallest group's sets (each member then looked up), so a short list (a handler's
  cases) among a long queue, or a long one (the unassigned) among few, both stay cheap; over the
  whole queue, a long list among a long queue is counted by Redis and walked only to the page.
]]
local low = tonumber(ARGV[1])
local high = ARGV[2] == '+inf' and math.huge or tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local range_high = ARGV[2] == '+inf' and '+inf' or '(' .. ARGV[2]

local groups = {}
local next_key = 2
for size in string.gmatch(ARGV[4], '%d+') do
  local group = {}
  for _ = 1, tonumber(size) do
    group[#group + 1] = KEYS[next_key]
    next_key = next_key + 1
  end
  groups[#groups + 1] = group
end

local in_range = redis.call('ZCOUNT', KEYS[1], low, range_high)
local out = {0}

if #groups == 0 then
  out[1] = in_range
  local page = redis.call('ZRANGEBYSCORE', KEYS[1], low, range_high, 'WITHSCORES', 'LIMIT', 0, want)
  for index = 1, #page do
    out[#out + 1] = page[index]
  end
  return out
end

-- Whether a group holds a reference (skipping the group it was drawn from).
local function held(reference, skip)
  for number, group in ipairs(groups) do
    if number ~= skip then
      local found = false
      for _, key in ipairs(group) do
        if redis.call('SISMEMBER', key, reference) == 1 then
          found = true
          break
        end
      end
      if not found then
        return false
      end
    end
  end
  return true
end

-- The smallest group, by the members its sets hold.
local smallest, smallest_size = 1, math.huge
for number, group in ipairs(groups) do
  local size = 0
  for _, key in ipairs(group) do
    size = size + redis.call('SCARD', key)
  end
  if size < smallest_size then
    smallest, smallest_size = number, size
  end
end

local total = 0
if smallest_size < in_range then
  -- Walk the smallest group's members and place each in the queue.
  local found = {}
  for _, key in ipairs(groups[smallest]) do
    for _, reference in ipairs(redis.call('SMEMBERS', key)) do
      local position = redis.call('ZSCORE', KEYS[1], reference)
      if position then
        local number = tonumber(position)
        if number >= low and number < high and held(reference, smallest) then
          found[#found + 1] = {reference, number, position}
        end
      end
    end
  end
  table.sort(found, function(a, b)
    if a[2] ~= b[2] then
      return a[2] < b[2]
    end
    return a[1] < b[1]
  end)
  total = #found
  for index = 1, math.min(want, #found) do
    out[#out + 1] = found[index][1]
    out[#out + 1] = found[index][3]
  end
else
  -- Walk the range in order, a chunk at a time, keeping the first matches. Over the whole queue
  -- with one set per group, Redis counts the matches itself (ZINTERCARD), so the walk stops as
  -- soon as the page is full; otherwise it counts as it walks.
  local counted = false
  if low <= 0 and high == math.huge then
    local single = {KEYS[1]}
    for _, group in ipairs(groups) do
      if #group == 1 then
        single[#single + 1] = group[1]
      end
    end
    if #single == #groups + 1 then
      total = redis.call('ZINTERCARD', #single, unpack(single))
      counted = true
    end
  end
  local kept = 0
  local chunk = 500
  local offset = 0
  while not (counted and kept >= want) do
    local page = redis.call('ZRANGEBYSCORE', KEYS[1], low, range_high, 'WITHSCORES', 'LIMIT', offset, chunk)
    for index = 1, #page, 2 do
      if held(page[index], 0) then
        kept = kept + 1
        if kept <= want then
          out[#out + 1] = page[index]
          out[#out + 1] = page[index + 1]
        end
      end
    end
    if #page < chunk * 2 then
      break
    end
    offset = offset + chunk
  end
  if not counted then
    total = kept
  end
end
out[1] = total
return out
