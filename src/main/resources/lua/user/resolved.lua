-- The shared first part of every script that acts on one user (storage contract v1). The store
-- runs it in front of a resolution part (user/by_index.lua or user/by_name.lua) and the
-- operation's own part, as one script (LuaScript.composed), so every operation reads the user,
-- revokes tokens and records its change the same way, and its own part says only what it changes.
--
-- KEYS[1]  the user hash                     idp:user:{<pool>:<ukey>}
-- KEYS[2]  the user's token index (a set)    idp:tokens:{<pool>:<ukey>}
-- KEYS[3]  the pool's audit stream           idp:events:{<pool>}; declared only where one node holds
--          every key (standalone, sentinel): on Redis Cluster it lives in another slot, and the
--          gateway appends the event itself after the script.
-- KEYS[4..] the resolution part's own
-- ARGV[1]  what precedes a token id in the user's token keys: idp:token:{<pool>:<ukey>}:
--          (same hash tag as KEYS[1], so the token keys live in the same cluster slot)
-- ARGV[2]  <ukey>, the user's key within the pool (the audit event's user_key)
-- ARGV[3]  the operation named in the audit event, or '' when the script writes none (a read, or
--          Redis Cluster); then ARGV[4..7] are ignored
-- ARGV[4]  the pool id, ARGV[5] the request id, ARGV[6] the caller (audit event fields)
-- ARGV[7]  the audit stream's approximate maximum length (XADD MAXLEN ~)
-- ARGV[8..] the resolution part's own
--
-- Defines for the parts after it: USER, exists, now_ms, revoke_tokens, changed.

local USER = KEYS[1]
-- Every change replies the sub; reading it first also answers, for any user that has one, whether
-- the user exists, so EXISTS runs only for a user hash without a sub.
local sub = redis.call('HGET', USER, 'sub')
local exists = sub or redis.call('EXISTS', USER) == 1

-- Epoch milliseconds of the Redis clock, so that every gateway replica stamps from one clock.
local function now_ms()
  local time = redis.call('TIME')
  return string.format('%d', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000))
end

-- Deletes every token key listed in the user's index and the index itself, and returns how many
-- tokens were revoked. The caller sets tokens_revoked_at in its own HSET of the user (one HSET per
-- change), so that validators of stateless tokens reject older ones.
local function revoke_tokens()
  local ids = redis.call('SMEMBERS', KEYS[2])
  local prefix = ARGV[1]
  local batch = {}
  for _, id in ipairs(ids) do
    batch[#batch + 1] = prefix .. id
    -- unpack() has a stack limit: delete in slices.
    if #batch == 500 then
      redis.call('UNLINK', unpack(batch))
      batch = {}
    end
  end
  if #batch > 0 then
    redis.call('UNLINK', unpack(batch))
  end
  redis.call('UNLINK', KEYS[2])
  return #ids
end

-- The reply of a change: {1, tokens revoked, sub, time of the change in epoch ms}. Appends the
-- audit event when asked to (ARGV[3]), in the same script, so it is atomic with the change: the
-- same fields and trimming as the gateway's own append (AuditTrail.java). XADD with '*' is not
-- deterministic: Redis replicates the script's effects (the default since Redis 5).
local function changed(revoked, now)
  if ARGV[3] ~= '' then
    redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[7], '*',
      'operation', ARGV[3], 'pool', ARGV[4], 'user_key', ARGV[2], 'sub', sub or '',
      'tokens_revoked', revoked, 'request_id', ARGV[5], 'caller', ARGV[6], 'time', now)
  end
  return {1, revoked, sub or '', now}
end
