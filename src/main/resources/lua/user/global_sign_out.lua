-- AdminUserGlobalSignOut: every token of the user is revoked; enabled and modified_at stay as
-- they are. Runs after user/resolved.lua and a resolution part.
local now = now_ms()
local revoked = revoke_tokens()
redis.call('HSET', USER, 'tokens_revoked_at', now)
return changed(revoked, now)
