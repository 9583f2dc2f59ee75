-- Renews one gateway replica in the set of live replicas and counts them. Time is Redis's own
-- (TIME), so the replicas' clocks need not agree. Each member's score is when it expires.
-- KEYS[1] the replicas sorted set; ARGV[1] this replica's id; ARGV[2] the expiry in milliseconds.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local expiry = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + expiry, ARGV[1])
-- When every replica is gone, so is the set.
redis.call('PEXPIRE', KEYS[1], expiry)
return redis.call('ZCARD', KEYS[1])
