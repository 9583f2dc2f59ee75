-- Disables one user and revokes every token of that user, atomically (storage contract v1).
--
-- KEYS[1]  the user hash                     idp:user:{<pool>:<ukey>}
-- KEYS[2]  the user's token index (a set)    idp:tokens:{<pool>:<ukey>}
-- ARGV[1]  what precedes a token id in the user's token keys: idp:token:{<pool>:<ukey>}:
--          (same hash tag as KEYS, so the token keys live in the same cluster slot)
-- ARGV[2]  a user hash field that must still hold ARGV[3], or '' for none. Set when the user was
--          found through an alias or sub index: a concurrent change of that attribute must not
--          let this disable the account that no longer carries it.
-- ARGV[3]  the expected value of that field
-- ARGV[4]  '1' when the comparison ignores (ASCII) case, as the alias index of a case-insensitive pool does
--
-- Returns {1, tokens revoked, sub, tokens_revoked_at in epoch ms}, {0} when the user does not
-- exist, or {-1, current value of the field} when the field no longer holds the expected value.

local user = KEYS[1]
if redis.call('EXISTS', user) == 0 then
  return {0}
end

local field = ARGV[2]
if field ~= '' then
  local current = redis.call('HGET', user, field)
  if not current then
    return {-1, ''}
  end
  local compared = current
  if ARGV[4] == '1' then
    compared = string.lower(current)
  end
  if compared ~= ARGV[3] then
    return {-1, current}
  end
end

-- The Redis clock, so that every gateway replica stamps revocations from one clock.
local time = redis.call('TIME')
local now = string.format('%d', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000))

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

redis.call('HSET', user, 'enabled', 'false', 'modified_at', now, 'tokens_revoked_at', now)
return {1, #ids, redis.call('HGET', user, 'sub') or '', now}
