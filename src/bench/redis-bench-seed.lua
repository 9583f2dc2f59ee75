-- Seeds the pool that redis-benchmark runs the disable script on (storage contract v1 key names):
--   redis-cli --eval redis-bench-seed.lua , <poolId> <users> <tokensPerUser>
-- User keys are redis-benchmark's __rand_int__ values (12 digits), which the seed command's
-- usernames are not. Touches undeclared keys: for a benchmark Redis of its own only.
local pool, users, tokens = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
for i = 0, users - 1 do
  local ukey = string.format('%012d', i)
  local tag = '{' .. pool .. ':' .. ukey .. '}'
  redis.call('HSET', 'idp:user:' .. tag, 'username', ukey, 'sub', 'sub-' .. ukey, 'enabled', 'true',
    'status', 'CONFIRMED')
  for t = 1, tokens do
    redis.call('SADD', 'idp:tokens:' .. tag, 't' .. t)
    redis.call('SET', 'idp:token:' .. tag .. ':t' .. t, 'x', 'EX', 3600)
  end
end
return users
