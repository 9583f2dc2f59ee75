-- Resolution part for a user the gateway found itself (UserResolver's general path: on Redis
-- Cluster, and wherever the name also matched an index). Runs after user/resolved.lua.
--
-- ARGV[8]  a user hash field that must still hold ARGV[9], or '' for none. Set when the user was
--          found through an alias or sub index: a concurrent change of that attribute must not
--          let the operation act on the account that no longer carries it.
-- ARGV[9]  the expected value of that field
-- ARGV[10] '1' when the field ignores case (an alias of a case-insensitive pool): a stored value that is
--          all ASCII is compared lower-cased, which is what the gateway's case folding does to ASCII
--          (CaseFolding.java). Any other value is compared exactly; on a mismatch the gateway folds the
--          value the script returns and, when it is the indexed one after all, runs again expecting it exactly.
--
-- Replies {0} when the user does not exist, or {-1, current value of the field} when the field no
-- longer holds the expected value; the operation's part then does not run.

if not exists then
  return {0}
end

local field = ARGV[8]
if field ~= '' then
  local current = field == 'sub' and sub or redis.call('HGET', USER, field)
  if not current then
    return {-1, ''}
  end
  local compared = current
  if ARGV[10] == '1' and not string.find(current, '[\128-\255]') then
    compared = string.lower(current)
  end
  if compared ~= ARGV[9] then
    return {-1, current}
  end
end
