-- Issues one token as the services that write storage contract v1 should: the index entry and the
-- token key together (a token key written without its index entry would survive a disable), the
-- token's value its issue time on the Redis clock, the clock that stamps tokens_revoked_at.
-- Used by the seeding and test tools; the gateway itself never issues tokens.
--
-- KEYS[1] the user's token index, KEYS[2] the token key
-- ARGV[1] the token id, ARGV[2] the token's TTL in seconds
-- Returns the issue time in epoch ms.
local time = redis.call('TIME')
local now = string.format('%d', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000))
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], now, 'EX', ARGV[2])
return now
