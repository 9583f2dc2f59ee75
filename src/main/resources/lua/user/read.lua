-- AdminGetUser: reads the user, writes nothing. Runs after user/resolved.lua and a resolution
-- part, so a user found through an index is read only while the index still names it.
-- Replies {1, {field, value, field, value, ...}}.
return {1, redis.call('HGETALL', USER)}
