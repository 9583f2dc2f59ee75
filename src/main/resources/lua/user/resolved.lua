-- The shared first part of every script that acts on one user found by resolution (storage
-- contract v1). The store runs it in front of the operation's own part, as one script
-- (LuaScript.withPrelude), so every operation checks the user the same way, revokes tokens the
-- same way, and its own part says only what it changes.
--
-- KEYS[1]  the user hash                     idp:user:{<pool>:<ukey>}
-- KEYS[2]  the user's token index (a set)    idp:tokens:{<pool>:<ukey>}
-- ARGV[1]  what precedes a token id in the user's token keys: idp:token:{<pool>:<ukey>}:
--          (same hash tag as KEYS, so the token keys live in the same cluster slot)
-- ARGV[2]  a user hash field that must still hold ARGV[3], or '' for none. Set when the user was
--          found through an alias or sub index: a concurrent change of that attribute must not
--          let the operation act on the account that no longer carries it.
-- ARGV[3]  the expected value of that field
-- ARGV[4]  '1' when the field ignores case (an alias of a case-insensitive pool): a stored value that is
--          all ASCII is compared lower-cased, which is what the gateway's case folding does to ASCII
--          (CaseFolding.java). Any other value is compared exactly; on a mismatch the gateway folds the
--          value the script returns and, when it is the indexed one after all, runs again expecting it exactly.
--
-- Replies {0} when the user does not exist, or {-1, current value of the field} when the field no
-- longer holds the expected value; the operation's part then does not run. Otherwise the
-- operation's part replies {1, ...}.

local USER = KEYS[1]
if redis.call('EXISTS', USER) == 0 then
  return {0}
end

local field = ARGV[2]
if field ~= '' then
  local current = redis.call('HGET', USER, field)
  if not current then
    return {-1, ''}
  end
  local compared = current
  if ARGV[4] == '1' and not string.find(current, '[\128-\255]') then
    compared = string.lower(current)
  end
  if compared ~= ARGV[3] then
    return {-1, current}
  end
end

-- Epoch milliseconds of the Redis clock, so that every gateway replica stamps from one clock.
local function now_ms()
  local time = redis.call('TIME')
  return string.format('%d', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000))
end

-- Deletes every token key listed in the user's index and the index itself, and sets
-- tokens_revoked_at to now, so that validators of stateless tokens reject older ones.
-- Returns how many tokens were revoked.
local function revoke_tokens(now)
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
  redis.call('HSET', USER, 'tokens_revoked_at', now)
  return #ids
end

-- The reply of a change: {1, tokens revoked, sub, time of the change in epoch ms}.
local function changed(revoked, now)
  return {1, revoked, redis.call('HGET', USER, 'sub') or '', now}
end
