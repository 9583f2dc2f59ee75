-- AdminUserGlobalSignOut: every token of the user is revoked; enabled and modified_at stay as
-- they are. Runs after user/resolved.lua.
local now = now_ms()
return changed(revoke_tokens(now), now)
