#!/usr/bin/env bash
# Where the gateway's CPU goes beyond the floor's, measured by switching off what can be switched off. The floor
# server (dev.idpgateway.bench.FloorServer) and four gateways serve the same UserNotFound requests (one lookup in
# Redis each, no write): the default gateway, one with the access log off (IDP_ACCESS_LOG_LEVEL=OFF), one without
# SigV4 and IAM policies (auth.mode none) and one with both off. Each is warmed until its JIT compilers are quiet;
# then rounds of BENCH_DURATION each, in turn (floor, default, log off, auth off, both off, floor, ...), so that every
# server sees the machine in the same states. The table: each one's req/s as a ratio to the floor's in the same
# round (median and range over the rounds) and its CPU per request. What is left between "both off" and the floor is
# the cost of what cannot be switched off: metrics, validation, throttle, connection limits, the request lifecycle.
#
#   src/bench/stages.sh        # ~8 minutes; the table goes to stdout and target/bench/stages/stages.md
# Environment: BENCH_STAGE_ROUNDS (3), BENCH_DURATION (10s), BENCH_CONNECTIONS (64), BENCH_PORT_BASE (18000: Redis
# +379, the gateways' API +60..+63 and management +70..+73, the floor server +82), BENCH_JAVA_OPTS (as run.sh).
# Needs what run.sh needs, but redis-benchmark and openssl.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH=$ROOT/src/bench
source "$BENCH/lib.sh"
OUT=${BENCH_OUT:-$ROOT/target/bench/stages}
JAR=$ROOT/target/idp-gateway.jar
CACHE=$ROOT/target/bench
REQUESTS=$CACHE/requests
ROUNDS=${BENCH_STAGE_ROUNDS:-3}
DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
PORT_BASE=${BENCH_PORT_BASE:-18000}
REDIS_PORT=$((PORT_BASE + 379))
FLOOR_PORT=$((PORT_BASE + 82))
TOKENS=3
POOL=us-east-1_Stages
# name, then the environment it is started with (GATEWAY_AUTH: see start_gateway in lib.sh)
VARIANTS=("default" "access log off" "SigV4 off" "both off")
VARIANT_ENV=("" "IDP_ACCESS_LOG_LEVEL=OFF" "GATEWAY_AUTH=none" "IDP_ACCESS_LOG_LEVEL=OFF GATEWAY_AUTH=none")

prepare wrk redis-cli curl python3 java mvn

build_gateway
start_redis
write_credentials
# The limiter on, not binding, as in run.sh.
printf 'rateLimits:\n  default: 100000000/1s\n' >"$OUT/gateway.yaml"
seed "$POOL" 1000

SERVERS=(floor)
PIDS_OF=()
URLS=()
start_floor
PIDS_OF+=("$FLOOR")
URLS+=("http://127.0.0.1:$FLOOR_PORT/")
for i in "${!VARIANTS[@]}"; do
  API_PORT=$((PORT_BASE + 60 + i))
  MGMT_PORT=$((PORT_BASE + 70 + i))
  GATEWAY_LOG=$OUT/gateway-$i.log
  eval "${VARIANT_ENV[$i]} start_gateway"
  PIDS+=("$GATEWAY")
  SERVERS+=("${VARIANTS[$i]}")
  PIDS_OF+=("$GATEWAY")
  URLS+=("http://127.0.0.1:$((PORT_BASE + 60 + i))/")
done

# Each server's requests, signed for its own Host (the floor ignores the signature): file per server index.
sign_all() {
  local i
  for i in "${!SERVERS[@]}"; do
    SIGN_FOR=${URLS[$i]} presign "stages-$i.txt" "$POOL" 'ghost-%07d' 1 20000
  done
}
say "signing, then warming each server until its JIT compilers are quiet..."
sign_all
WARM_NOTES=()
for i in "${!SERVERS[@]}"; do
  # A server's warm-up lasts at most 2 minutes and a quarter; signatures, 5.
  (( i % 2 == 0 )) && [[ $i -gt 0 ]] && sign_all
  GATEWAY=${PIDS_OF[$i]}
  closed_loop "stages-$i.txt" 15s "${URLS[$i]}" >/dev/null
  until_compiled "${SERVERS[$i]}" "stages-$i.txt" "${URLS[$i]}"
done
sign_all

: >"$OUT/rounds"
for round in $(seq "$ROUNDS"); do
  say "round $round of $ROUNDS..."
  for i in "${!SERVERS[@]}"; do
    GATEWAY=${PIDS_OF[$i]}
    cpu=$(gateway_cpu)
    result=$(closed_loop "stages-$i.txt" "$DURATION" "${URLS[$i]}" | grep '^RESULT ')
    printf '%s\t%s\t%s\t%s\n' "$round" "${SERVERS[$i]}" "$(($(gateway_cpu) - cpu))" "$result" >>"$OUT/rounds"
  done
done
# Every gateway must have answered UserNotFoundException only (a signature gone stale would show here).
outcomes=()
for i in "${!VARIANTS[@]}"; do
  outcomes+=("${VARIANTS[$i]}=$(curl -sf "http://127.0.0.1:$((PORT_BASE + 70 + i))/metrics" | python3 "$BENCH/report.py" scrape)")
done
python3 "$BENCH/report.py" stages "$OUT/rounds" "$(getconf CLK_TCK)" "${outcomes[@]}" >"$OUT/stages.md"
{
  echo
  printf -- '- warm-up until the JIT compilers are quiet: %s\n' "$(IFS=';'; echo "${WARM_NOTES[*]}" | sed 's/;/; /g')"
  echo "- $ROUNDS rounds of $DURATION per server, wrk $THREADS threads, $CONNECTIONS connections; JVM flags: $JAVA_OPTS"
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} >>"$OUT/stages.md"
cat "$OUT/stages.md"
