#!/usr/bin/env bash
# Connection flood: a dev-mode gateway (embedded Redis, demo data, no authentication) at -Xmx192m,
# BENCH_FLOOD connections (4200) from 127.0.0.1 that never send a byte, re-opened as the gateway closes
# them, for BENCH_SECONDS (20), while a caller on 127.0.0.2 sends one request every 20 ms on a new
# connection. Prints the caller's figures alone and under the flood, and the gateway's counters.
#
#   src/bench/conn-flood.sh                    # the shipped settings
#   BENCH_HTTP='{maxConnectionsPerClient: 0}' src/bench/conn-flood.sh   # no per-client cap: eviction only
#
# Needs: JDK 17, Maven, curl; ulimit -n above BENCH_FLOOD plus a few hundred (the script raises it if it may).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/target/bench
JAR=${BENCH_JAR:-$ROOT/target/idp-gateway.jar}   # e.g. a build of an older commit, for a reference
FLOOD=${BENCH_FLOOD:-4200}
SECONDS_UNDER_FLOOD=${BENCH_SECONDS:-20}
API_PORT=${BENCH_API_PORT:-17180}
MGMT_PORT=${BENCH_MGMT_PORT:-17190}
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx192m}

say() { printf '%s\n' "$*" >&2; }
die() { say "conn-flood.sh: $*"; exit 1; }

(( $(ulimit -n) > FLOOD + 1000 )) || ulimit -n "$((FLOOD + 1000))" 2>/dev/null || true
(( $(ulimit -n) > FLOOD + 200 )) || die "ulimit -n is $(ulimit -n): too low for $FLOOD connections"
mkdir -p "$OUT"
if [[ ! -f $JAR || ! -f $ROOT/target/test-classes/dev/idpgateway/bench/ConnectionFlood.class ]]; then
  (cd "$ROOT" && mvn -B -ntp -q -DskipTests package)
fi

HTTP_SETTINGS=${BENCH_HTTP:-"{}"}
# The caller's catch-up after a stall must not meet AdminGetUser's rate limit (120/1s): this measures connections.
printf 'http: %s\nrateLimits: {categories: {userRead: {default: 100000/1s}}}\n' "$HTTP_SETTINGS" >"$OUT/conn-flood.yaml"
IDP_CONFIG=$OUT/conn-flood.yaml IDP_AUTH=none IDP_HTTP_PORT=$API_PORT IDP_MANAGEMENT_PORT=$MGMT_PORT \
  IDP_ACCESS_LOG_LEVEL=OFF java $JAVA_OPTS -jar "$JAR" dev >"$OUT/conn-flood-gateway.log" 2>&1 &
GATEWAY=$!
trap 'kill $GATEWAY 2>/dev/null || true; wait $GATEWAY 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$MGMT_PORT/health/ready" >/dev/null 2>&1; do
  kill -0 "$GATEWAY" 2>/dev/null || die "the gateway did not start: see $OUT/conn-flood-gateway.log"
  sleep 0.05
done

java -cp "$ROOT/target/test-classes" dev.idpgateway.bench.ConnectionFlood "$API_PORT" "$MGMT_PORT" "$FLOOD" \
  "$SECONDS_UNDER_FLOOD"
kill -0 "$GATEWAY" 2>/dev/null || die "the gateway died: see $OUT/conn-flood-gateway.log"
say "gateway log: $OUT/conn-flood-gateway.log"
