-- presigned.lua with a fixed wait before each request on each connection:
--   wrk ... -s paced.lua http://127.0.0.1:PORT/ -- <file> <T> <MS>
-- wrk has no open-loop rate; C connections waiting MS ms each send at most C * 1000 / MS requests
-- per second, less by the latency. (A separate script: wrk times every request of a script that
-- defines delay(), even a zero one.)
dofile(string.match(debug.getinfo(1, "S").source, "^@(.*/)") .. "presigned.lua")

local load_requests = init
local pause

function init(args)
  load_requests(args)
  pause = tonumber(args[3])
end

function delay()
  return pause
end
