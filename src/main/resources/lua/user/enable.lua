-- AdminEnableUser: the user may sign in again. Revoked tokens stay revoked (tokens_revoked_at is
-- kept). Runs after user/resolved.lua and a resolution part; enabling an enabled user succeeds again.
local now = now_ms()
redis.call('HSET', USER, 'enabled', 'true', 'modified_at', now)
return changed(0, now)
