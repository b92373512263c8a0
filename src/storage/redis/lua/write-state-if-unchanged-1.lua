--[[
  Writes conversation state only if it still carries the eTag the writer read: compare and set in
  one step. Values are stored as "<eTag>\n<body>" (the body is JSON, or deflated JSON: see
  redis-conversation-storage.ts); only the eTag before the first newline is compared.

  The common case costs one command inside the script: SET ... GET swaps the value in and hands
  back the old one. If the old one was not the expected version, the swap is undone before the
  script ends, so no other client ever sees it (a script runs atomically). The restored value
  takes this writer's lifetime, which only ever extends idle state that was just active.

  Unlike case writes, this carries no deadline: run late, it can still only replace the exact
  version its turn read, never a newer one, and a turn's state is safe to save again.

  KEYS[1] state key
  ARGV[1] expected eTag
  ARGV[2] new value ("<new eTag>\n<body>")
  ARGV[3] lifetime, ms

  Returns 1: written
          0: the stored state is a different version (or gone); nothing changed
]]
-- The codes it answers with, named as in script-codes.ts (a test checks the two agree).
local WRITTEN = 1
local CHANGED = 0
local old = redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3], 'GET')
if old and string.sub(old, 1, #ARGV[1] + 1) == ARGV[1] .. '\n' then
  return WRITTEN
end
if old then
  redis.call('SET', KEYS[1], old, 'PX', ARGV[3])
else
  redis.call('DEL', KEYS[1])
end
return CHANGED
