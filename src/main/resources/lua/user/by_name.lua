-- Resolution part that resolves the Username inside the script, in the same round trip as the
-- operation: only where one node holds every key (standalone, sentinel), since the indexes live in
-- other cluster slots than the user. Runs after user/resolved.lua; KEYS[1], KEYS[2] and ARGV[2]
-- are those of the user the name names as a username.
--
-- KEYS[4..] the sub index and the alias indexes the pool allows, each keyed by the name as the
--           index spells it (idp:sub:{<pool>:<name>}, idp:alias:{<pool>:<attr>:<value>})
--
-- Replies {0} when nothing matches (no such user), {-2} when an index names another account (found
-- through it only, or two accounts): the operation's part does not run, and the gateway takes its
-- general path, which confirms each index hit and refuses an ambiguous name. Otherwise the name is
-- the username of the one account it names, and the operation's part runs.

for i = 4, #KEYS do
  local named = redis.call('GET', KEYS[i])
  if named and named ~= ARGV[2] then
    return {-2}
  end
end

if not exists then
  return {0}
end
