#!/usr/bin/env bash
# redis-benchmark on the gateway's own AdminDisableUser script as it runs on standalone and sentinel
# (user/resolved.lua + user/by_name.lua + user/disable.lua: the name's indexes read, the change, the
# audit event, in one EVALSHA), on a pool of seeded users. Prints redis-benchmark's CSV.
#   src/bench/script-bench.sh <port> <poolId> <users> <clients> [requests]
# Seeds <users> users x 3 tokens into <poolId> first (redis-bench-seed.lua: a benchmark Redis of
# its own only). Each __rand_int__ is drawn on its own, as in run.sh: the user, its token index,
# the name's indexes (sub, email alias: misses, as for a name that is a username) are random users
# of the pool. The pool is the one run.sh seeds for its gateway (email aliases), so KEYS hold the
# sub index and the email index.
set -euo pipefail
if [[ $# -lt 4 ]]; then
  echo "usage: $0 <port> <poolId> <users> <clients> [requests]" >&2
  exit 2
fi
PORT=$1 POOL=$2 USERS=$3 CLIENTS=$4 REQUESTS=${5:-300000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LUA="$ROOT/src/main/resources/lua"
# The audit stream's trimming as conf/gateway.yaml's default (audit.maxLength).
AUDIT_MAX_LENGTH=100000

redis-cli -p "$PORT" --eval "$ROOT/src/bench/redis-bench-seed.lua" , "$POOL" "$USERS" 3 >/dev/null
# Composed as LuaScript.composed joins the parts: each followed by a newline.
SHA=$(redis-cli -p "$PORT" script load "$(for part in user/resolved user/by_name user/disable; do cat "$LUA/$part.lua"; echo; done)")
TAG="{$POOL:__rand_int__}"
redis-benchmark -p "$PORT" -c "$CLIENTS" -n "$REQUESTS" -r "$USERS" --csv \
  EVALSHA "$SHA" 5 "idp:user:$TAG" "idp:tokens:$TAG" "idp:events:{$POOL}" "idp:sub:$TAG" "idp:alias:{$POOL:email:__rand_int__}" \
  "idp:token:$TAG:" __rand_int__ AdminDisableUser "$POOL" 00000000-0000-4000-8000-000000000000 bench "$AUDIT_MAX_LENGTH"
