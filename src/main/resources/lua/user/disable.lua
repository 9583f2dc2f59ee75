-- AdminDisableUser: the user can no longer sign in, and every token of the user is revoked.
-- Runs after user/resolved.lua and a resolution part; disabling a disabled user succeeds again.
local now = now_ms()
local revoked = revoke_tokens()
redis.call('HSET', USER, 'enabled', 'false', 'modified_at', now, 'tokens_revoked_at', now)
return changed(revoked, now)
