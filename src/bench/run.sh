#!/usr/bin/env bash
# The benchmark we trust: Redis, the gateway (SigV4 on, limiter on but not binding) and the load
# generator on this one machine, measured together, beside redis-benchmark running the same disable
# script at the same concurrency in the same invocation.
#
#   src/bench/run.sh            # ~12 minutes on a machine at rest (twice that at load 20); the table goes to
#                               # stdout and target/bench/results.md
#   src/bench/repeat.sh N       # N runs back to back, each kept, and a summary of them
#
# The floor rows (issue 17): dev.idpgateway.bench.FloorServer (test sources), a bare Vert.x server that runs the
# disable through the gateway's own store and Redis client and nothing else, on a pool of its own, measured right
# after the gateway's case 1 and case 3: the gateway is held to a share of it ("vs" column). The cold-start row: a
# fresh gateway driven by wrk from the moment /health/ready answers 200, for 5 s (vs the warm case 1).
#
# Rows 6 and 7: first disables over plain HTTP and over HTTPS (TLS keep-alive connections, a second gateway
# with IDP_TLS_CERT/IDP_TLS_KEY on its own ports, a certificate made by openssl), in alternating rounds (ABBA):
# the HTTPS target is the median of the pairs' ratios.
#
# Each row: the client's view (wrk, or dev.idpgateway.bench.ConstantRate for the open-model constant-rate run),
# the server's p99 from the gateway's access log, and the gateway process's CPU time per request.
#
# Needs: JDK 17, Maven, wrk, redis-benchmark (Debian: apt-get install -y wrk redis-tools), curl,
# python3, openssl. redis-server: the one on PATH, else the Linux binary inside the gateway jar.
# Environment: BENCH_DURATION (10s per case, after a 30 s warm-up and more until the JIT is quiet), BENCH_CASE1_DURATION (3s: 100,000 users last about
# that long at 30,000 req/s), BENCH_CONNECTIONS (64), BENCH_RATE (5000, the constant-rate run: 10 s not counted, then
# BENCH_RATE_SECONDS, 20), BENCH_PORT_BASE (17000: Redis +379, API +80, management +90; HTTPS +81/+91, the floor
# server +82, the cold-started gateway +83/+93), BENCH_JAVA_OPTS (the JVM flags of the gateways and the floor
# server), BENCH_OUT (target/bench: where the results go), BENCH_TLS_ENGINE (openssl: BoringSSL, as in the image; jdk: the JDK's engine, as java -jar), BENCH_TLS_PAIRS (4: rounds of case 6 and of case 7).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH=$ROOT/src/bench
source "$BENCH/lib.sh"
OUT=${BENCH_OUT:-$ROOT/target/bench}
JAR=$ROOT/target/idp-gateway.jar
DURATION=${BENCH_DURATION:-10s}
CASE1_DURATION=${BENCH_CASE1_DURATION:-3s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
RATE=${BENCH_RATE:-5000}
RATE_WARM_UP_SECONDS=10
RATE_SECONDS=${BENCH_RATE_SECONDS:-20}
RATE_USERS=$((RATE * (RATE_WARM_UP_SECONDS + RATE_SECONDS)))
PORT_BASE=${BENCH_PORT_BASE:-17000}
REDIS_PORT=$((PORT_BASE + 379))
API_PORT=$((PORT_BASE + 80))
MGMT_PORT=$((PORT_BASE + 90))
TLS_API_PORT=$((PORT_BASE + 81))
TLS_MGMT_PORT=$((PORT_BASE + 91))
FLOOR_PORT=$((PORT_BASE + 82))
COLD_API_PORT=$((PORT_BASE + 83))
COLD_MGMT_PORT=$((PORT_BASE + 93))
USERS=100000
TOKENS=3
POOL=us-east-1_Bench            # case 1 (first disables), then case 2 (repeat disables)
WARM_POOL=us-east-1_BenchWarm   # JIT warm-up, so that case 1 measures a warm JVM
RATE_POOL=us-east-1_BenchRate   # the constant-rate run: first disables too
THROTTLED_POOL=us-east-1_BenchThrottled
PLAIN_POOL=us-east-1_BenchPlain # case 6, the reference for case 7
TLS_POOL=us-east-1_BenchTls     # case 7, over HTTPS
TLS_PAIRS=${BENCH_TLS_PAIRS:-4} # rounds of case 6 and case 7, alternating
TLS_LEAD_IN=2                   # rounds of first disables each gateway serves, not counted, before them
PLAIN_CASE="6 disable, plain HTTP"
TLS_CASE="7 disable over HTTPS"
TLS_WARM_POOL=us-east-1_BenchTlsWarm # the HTTPS gateway's warm-up: first disables too, as the plain one's
REDIS_BENCH_POOL=us-east-1_RedisBench
# The floor server's pools: names as long as the gateway's, so that its requests are the same bytes.
FLOOR_POOL=us-east-1_Floor      # as POOL, for the floor's first disables
FLOOR_WARM_POOL=us-east-1_FloorWarm
FLOOR_WARM_USERS=20000
COLD_POOL=us-east-1_BenchCold   # the cold-started gateway's first 5 s
COLD_USERS=60000
API=http://127.0.0.1:$API_PORT/
TLS_API=https://127.0.0.1:$TLS_API_PORT/
FLOOR_API=http://127.0.0.1:$FLOOR_PORT/
COLD_API=http://127.0.0.1:$COLD_API_PORT/

# The classpath, the class-data archive and the request lists (hundreds of MB, signed afresh each run): one copy,
# whatever BENCH_OUT is.
CACHE=$ROOT/target/bench
REQUESTS=$CACHE/requests
prepare wrk redis-benchmark redis-cli curl python3 java mvn openssl

build_gateway
start_redis

# --- the gateway ----------------------------------------------------------------------------------
write_credentials
# On but not binding, except for the throttled case's pool.
cat >"$OUT/gateway.yaml" <<EOF
rateLimits:
  default: 100000000/1s
  operations:
    AdminDisableUser:
      default: 100000000/1s
      pools:
        $THROTTLED_POOL: 1/1s
EOF
# The HTTPS gateway's certificate (EC P-256, for 127.0.0.1), made fresh for each run.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$OUT/tls.key" -out "$OUT/tls.crt" 2>/dev/null
# Class loading is most of the start-up: an application class-data archive (AppCDS), written by one
# start and stop, roughly halves it. Start-up is measured before seeding, on a machine at rest: three
# starts without the archive and three with it (the runs use a start with it); the median of each.
CDS=$CACHE/gateway.jsa
if [[ ! -f $CDS || $JAR -nt $CDS ]]; then
  start_gateway -XX:ArchiveClassesAtExit="$CDS"
  kill "$GATEWAY"; wait "$GATEWAY" || true
fi
# Prints the three start-up times, sorted, for the JVM flags given.
startups() {
  local times=()
  for _ in 1 2 3; do
    start_gateway "$@"
    times+=("$STARTUP_MS")
    kill "$GATEWAY"; wait "$GATEWAY" || true
  done
  printf '%s\n' "${times[@]}" | sort -n | paste -sd' '
}
STARTUPS_NO_CDS=$(startups)
STARTUPS_CDS=$(startups -XX:SharedArchiveFile="$CDS")
say "gateway ready after $STARTUPS_NO_CDS ms without a class-data archive, $STARTUPS_CDS ms with it"

say "seeding $USERS users x $TOKENS tokens (and the warm-up, constant-rate and throttled pools)..."
# Two at a time, as the signing below.
seed "$POOL" "$USERS" & seeder=$!
# The warm-up disables as many users as case 1 does, so that the JIT has seen first disables, not only repeats.
seed "$WARM_POOL" "$USERS"; wait $seeder
seed "$RATE_POOL" "$RATE_USERS" & seeder=$!
seed "$THROTTLED_POOL" 1000
seed "$PLAIN_POOL" $((USERS * (TLS_LEAD_IN + TLS_PAIRS))); wait $seeder
seed "$TLS_POOL" $((USERS * (TLS_LEAD_IN + TLS_PAIRS))) & seeder=$!
seed "$FLOOR_POOL" "$USERS"; wait $seeder
seed "$FLOOR_WARM_POOL" "$FLOOR_WARM_USERS" & seeder=$!
seed "$COLD_POOL" "$COLD_USERS"; wait $seeder
seed "$TLS_WARM_POOL" "$USERS"

# The HTTPS gateway as the container image runs it: with BoringSSL (netty-tcnative) on the classpath, which the
# fat jar leaves out; BENCH_TLS_ENGINE=jdk runs it on the JDK's engine, as java -jar does.
TLS_ENGINE_CLASSPATH=
if [[ ${BENCH_TLS_ENGINE:-openssl} == openssl ]]; then
  TLS_ENGINE_CLASSPATH=$(tr ':' '\n' <"$CACHE/test.classpath" | grep -E '/netty-tcnative-(classes-|boringssl-static-.*-linux-)' | paste -sd:)
fi
GATEWAY_CLASSPATH=$TLS_ENGINE_CLASSPATH GATEWAY_LOG=$OUT/gateway-tls.log API_PORT=$TLS_API_PORT MGMT_PORT=$TLS_MGMT_PORT IDP_TLS_CERT=$OUT/tls.crt \
  IDP_TLS_KEY=$OUT/tls.key start_gateway -XX:SharedArchiveFile="$CDS"
TLS_GATEWAY=$GATEWAY
PIDS+=("$TLS_GATEWAY")
start_gateway -XX:SharedArchiveFile="$CDS"
PIDS+=("$GATEWAY")
PLAIN_GATEWAY=$GATEWAY
start_floor

# --- requests, signed just before the runs (X-Amz-Date must be within 5 minutes) -------------------
say "signing requests..."
# The warm-up's now, the cases' after it (it may last minutes): X-Amz-Date must be within 5 minutes.
presign warm.txt "$WARM_POOL" 'user-%07d' 1 "$USERS"
head -n "$FLOOR_WARM_USERS" "$REQUESTS/warm.txt" | sed "s/$WARM_POOL\"/$FLOOR_WARM_POOL\"/" >"$REQUESTS/floor-warm.txt"

# --- measurements -----------------------------------------------------------------------------------
# The server measured ($GATEWAY: its pid) is the plain gateway unless a row says otherwise: in_tls_gateway,
# in_floor, in_cold_gateway. Its RSS samples go to a file of its own, rss-<pid>.txt.
sample_rss() { # while the pid in $1 runs, the measured server's RSS every 0.5 s
  while kill -0 "$1" 2>/dev/null; do
    ps -o rss= -p "$GATEWAY" | tr -d ' '
    sleep 0.5
  done
}
# {"outcomes": {outcome: count}, "allocated_bytes": n}: the gateway's AdminDisableUser outcomes and the JVM's
# allocation so far, from its metrics.
scrape() { curl -sf "http://127.0.0.1:$MGMT_PORT/metrics" | python3 "$BENCH/report.py" scrape; }
# The floor server keeps no metrics but its outcome counts; its allocation is not measured.
scrape_floor() { printf '{"outcomes": %s, "allocated_bytes": null}\n' "$(curl -sf "${FLOOR_API}outcomes")"; }

# One row in $OUT/rows: name expected-outcomes distinct-requests load-command...; the load command prints
# the RESULT line of src/bench/presigned.lua (wrk) or dev.idpgateway.bench.ConstantRate. UNCOUNTED_REQUESTS:
# how many of the run's first requests the server-side latency leaves out, as the load command does. VS: the
# row whose req/s this one's is divided by in the table. SCRAPE: how the server's counts are read (scrape);
# FIRST_SCRAPE: the counts before the run, when they are known without asking (a server just started).
measure() {
  local name=$1 expected=$2 distinct=$3
  shift 3
  local slug before after cpu_before log_before
  slug=$(printf '%s' "$name" | tr -c 'a-zA-Z0-9' '-')
  before=${FIRST_SCRAPE:-$(${SCRAPE:-scrape})}
  cpu_before=$(gateway_cpu)
  log_before=$(wc -l <"${GATEWAY_LOG:-$OUT/gateway.log}")
  "$@" >"$OUT/load-$slug.txt" &
  local load=$!
  sample_rss "$load" >>"$OUT/rss-$GATEWAY.txt"
  wait "$load"
  after=$(${SCRAPE:-scrape})
  tail -n +$((log_before + 1 + ${UNCOUNTED_REQUESTS:-0})) "${GATEWAY_LOG:-$OUT/gateway.log}" >"$OUT/access-$slug.log"
  python3 "$BENCH/report.py" row "$name" "$expected" "$OUT/load-$slug.txt" "$before" "$after" "$distinct" \
    "$(( ($(gateway_cpu) - cpu_before) * 1000000 / TICKS_PER_SECOND ))" "$OUT/access-$slug.log" "${VS:-}" >>"$OUT/rows"
}
in_tls_gateway() { GATEWAY_LOG=$OUT/gateway-tls.log MGMT_PORT=$TLS_MGMT_PORT GATEWAY=$TLS_GATEWAY "$@"; }
in_floor() { GATEWAY_LOG=$OUT/floor.log SCRAPE=scrape_floor GATEWAY=$FLOOR "$@"; }

: >"$OUT/rows"
rm -f "$OUT"/rss-*.txt
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "warm-up..."
# C2 needs a while on 2 busy cores: 10 s left the JVM at half speed.
measure warm-up Success "$USERS" closed_loop warm.txt 30s
until_compiled gateway warm.txt
# The floor server's own, shorter: it has far less code to compile (first disables, then repeats of them).
in_floor measure "floor warm-up" Success "" closed_loop floor-warm.txt 15s "$FLOOR_API"
in_floor until_compiled "floor server" floor-warm.txt "$FLOOR_API"
say "signing the requests of cases 1-5..."
# Two at a time, one per core.
presign disable.txt "$POOL" 'user-%07d' 1 "$USERS" & signer=$!
presign repeat.txt "$POOL" 'user-%07d' 1 20000
presign unknown.txt "$POOL" 'ghost-%07d' 1 20000; wait $signer
presign throttled.txt "$THROTTLED_POOL" 'user-%07d' 1 1000 & signer=$!
presign badsig.txt "$POOL" 'user-%07d' 1 20000 corrupt; wait $signer
# The floor server checks no signature: the gateway's requests with the pool renamed (same length) are the same bytes.
sed "s/$POOL\"/$FLOOR_POOL\"/" "$REQUESTS/disable.txt" >"$REQUESTS/floor.txt"
# Short, so that each request disables a user not disabled before (the row says if any repeated). Each floor row
# follows the gateway's row it is the limit of, so that both see the machine in the same state.
say "case 1: first disables of distinct users ($CASE1_DURATION), the gateway, then the floor server..."
FLOOR_1="floor: 1 disable (tokens deleted)"
FLOOR_3="floor: 3 UserNotFound"
VS=$FLOOR_1 measure "1 disable (tokens deleted)" Success "$USERS" closed_loop disable.txt "$CASE1_DURATION"
in_floor measure "$FLOOR_1" Success "$USERS" closed_loop floor.txt "$CASE1_DURATION" "$FLOOR_API"
say "case 2..5..."
measure "2 repeat disable" Success "" closed_loop repeat.txt "$DURATION"
VS=$FLOOR_3 measure "3 UserNotFound" UserNotFoundException "" closed_loop unknown.txt "$DURATION"
# The same requests: the gateway's UserNotFound does the floor's lookup.
in_floor measure "$FLOOR_3" UserNotFoundException "" closed_loop unknown.txt "$DURATION" "$FLOOR_API"
# The one request per second the pool's limit lets through succeeds.
measure "4 throttled" TooManyRequestsException,Success "" closed_loop throttled.txt "$DURATION"
measure "5 bad signature" InvalidSignatureException "" closed_loop badsig.txt "$DURATION"

# Signed only now, as the last runs' below: on a loaded machine, signing everything at the start, with the floor
# rows in between, let case 6's signatures pass the 5 minutes the gateway allows (every request then failed).
# The HTTPS gateway's warm-up disables users for the first time, as the plain gateway's did: warmed on repeats
# only, its JIT was still compiling the first-disable path (token deletion) through case 7.
say "case 6, 7: first disables over plain HTTP and over HTTPS, $TLS_PAIRS pairs (the second gateway: warm-up first)..."
SIGN_FOR=$TLS_API presign tls-warm.txt "$TLS_WARM_POOL" 'user-%07d' 1 "$USERS"
# By case 6 the plain gateway has served its warm-up and cases 1-5; the HTTPS gateway is warmed as it was, until its
# compilers are quiet (with a fixed 60 s, C2 alone still took over 10 us per request in case 7 on a loaded machine).
in_tls_gateway measure "HTTPS warm-up" Success "" closed_loop tls-warm.txt 30s "$TLS_API"
in_tls_gateway until_compiled "HTTPS gateway" tls-warm.txt "$TLS_API"
# Every round below gets users of its own (USERS apiece, the pools hold as many as there are rounds).
for round in $(seq $((TLS_LEAD_IN + TLS_PAIRS))); do
  presign "plain-$round.txt" "$PLAIN_POOL" 'user-%07d' $(((round - 1) * USERS + 1)) "$USERS" & signer=$!
  SIGN_FOR=$TLS_API presign "tls-$round.txt" "$TLS_POOL" 'user-%07d' $(((round - 1) * USERS + 1)) "$USERS"; wait $signer
done
# Neither gateway's last load was first disables: the HTTPS gateway's warm-up turns into repeats once its users
# are disabled, and the plain gateway's last cases were 2-5. On its first round of first disables a gateway
# recompiles what its profile had not seen taken: the HTTPS gateway's compilers took 10.6 us per request in that
# round, 2.1 in the next, 0.5 in the third, and in three runs without these rounds its first pair round cost it
# 74-86 us per request against 58-68 us in the last two. So each serves TLS_LEAD_IN rounds of them, not counted,
# before the pairs.
for round in $(seq "$TLS_LEAD_IN"); do
  measure "6 warm-up, first disables $round" Success "$USERS" closed_loop "plain-$round.txt" "$CASE1_DURATION"
  in_tls_gateway measure "7 warm-up, first disables $round" Success "$USERS" closed_loop "tls-$round.txt" \
    "$CASE1_DURATION" "$TLS_API"
done
# A single 3 s round of each, back to back, moved 0.81-0.92 between runs on an idle machine: the machine's drift
# within seconds is as large as what is measured. So the two alternate (ABBA: plain, HTTPS, HTTPS, plain, ...) and
# the target takes the median of the pairs' ratios.
plain_round() {
  measure "$PLAIN_CASE, round $1" Success "$USERS" closed_loop "plain-$((TLS_LEAD_IN + $1)).txt" "$CASE1_DURATION"
}
tls_round() {
  VS="$PLAIN_CASE, round $1" in_tls_gateway measure "$TLS_CASE, round $1" Success "$USERS" \
    closed_loop "tls-$((TLS_LEAD_IN + $1)).txt" "$CASE1_DURATION" "$TLS_API"
}
for pair in $(seq "$TLS_PAIRS"); do
  if ((pair % 2)); then
    plain_round "$pair"; tls_round "$pair"
  else
    tls_round "$pair"; plain_round "$pair"
  fi
done
# What wrk negotiates (OpenSSL, as here): the protocol and cipher of case 7.
TLS_CIPHER=$(openssl s_client -connect "127.0.0.1:$TLS_API_PORT" </dev/null 2>/dev/null | grep -m1 -o 'TLSv[.0-9]*, Cipher is [A-Z0-9_]*' || true)

# The last two runs' requests, signed just before them.
SIGN_FOR=$COLD_API presign cold.txt "$COLD_POOL" 'user-%07d' 1 "$COLD_USERS" & signer=$!
presign rate.txt "$RATE_POOL" 'user-%07d' 1 "$RATE_USERS"; wait $signer
say "cold start: a fresh gateway, first disables for 5 s from the moment it is ready..."
# As a pod the HPA adds: same flags and class-data archive, traffic as soon as /health/ready answers 200. Its
# counts before the run are known (none), so that nothing but wrk's start stands between ready and load.
API_PORT=$COLD_API_PORT MGMT_PORT=$COLD_MGMT_PORT GATEWAY_LOG=$OUT/gateway-cold.log start_gateway -XX:SharedArchiveFile="$CDS"
COLD_GATEWAY=$GATEWAY
GATEWAY=$PLAIN_GATEWAY
PIDS+=("$COLD_GATEWAY")
VS="1 disable (tokens deleted)" FIRST_SCRAPE='{"outcomes": {}, "allocated_bytes": null}' GATEWAY_LOG=$OUT/gateway-cold.log \
  MGMT_PORT=$COLD_MGMT_PORT GATEWAY=$COLD_GATEWAY measure "cold start: first 5 s after ready" Success "$COLD_USERS" \
  closed_loop cold.txt 5s "$COLD_API"
kill "$COLD_GATEWAY"; wait "$COLD_GATEWAY" || true

say "constant rate: $RATE req/s of first disables, open model..."
# Requests arrive on schedule whatever the latency, over $CONNECTIONS keep-alive connections; each one's
# latency counts from when it was due. The first RATE_WARM_UP_SECONDS are not counted. Beside it, over the
# counted part, what the machine adds to any process: stalls.py.
(sleep "$RATE_WARM_UP_SECONDS"; python3 "$BENCH/stalls.py" "$RATE_SECONDS" >"$OUT/stalls.txt") &
STALLS=$!
UNCOUNTED_REQUESTS=$((RATE * RATE_WARM_UP_SECONDS)) measure "constant $RATE/s, open model (first disables)" Success "$RATE_USERS" \
  java -cp "$SIGNER_CP" dev.idpgateway.bench.ConstantRate "$API" "$REQUESTS/rate.txt" "$RATE" "$RATE_WARM_UP_SECONDS" \
  "$RATE_SECONDS" "$CONNECTIONS"
wait "$STALLS"
# The same generator against the management server's liveness check (no pipeline, no Redis): the latency this
# machine and generator add by themselves. The constant-rate p99 is held to a multiple of its p99.
say "constant rate against /health/live, for scale..."
java -cp "$SIGNER_CP" dev.idpgateway.bench.ConstantRate "http://127.0.0.1:$MGMT_PORT/health/live" "$REQUESTS/rate.txt" \
  "$RATE" "$RATE_WARM_UP_SECONDS" "$RATE_SECONDS" "$CONNECTIONS" >"$OUT/load-live.txt"

say "redis-benchmark: the gateway's own disable script with EVALSHA, $CONNECTIONS clients..."
"$BENCH/script-bench.sh" "$REDIS_PORT" "$REDIS_BENCH_POOL" "$USERS" "$CONNECTIONS" >"$OUT/redis-benchmark.csv"
REDIS_RPS=$(python3 "$BENCH/report.py" redis-rps "$OUT/redis-benchmark.csv")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
# The plain gateway's samples alone (the HTTPS, cold and floor servers' are in files of their own).
largest_rss_mb() { echo $(( $(sort -n "$OUT/rss-$1.txt" | tail -1) / 1024 )); }
RSS_MB=$(largest_rss_mb "$PLAIN_GATEWAY")
FLOOR_RSS_MB=$(largest_rss_mb "$FLOOR")

python3 "$BENCH/report.py" table "$OUT/rows" "$REDIS_RPS" "$CONNECTIONS" >"$OUT/results.md"
python3 "$BENCH/report.py" targets "$OUT/rows" "$OUT/load-live.txt" "$RSS_MB" "$STARTUPS_CDS" "$STARTUPS_NO_CDS" \
  >"$OUT/targets.json"
{
  echo
  python3 "$BENCH/report.py" targets-md "$OUT/targets.json"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GB"
  echo "- load average (1/5/15 min) before: $LOAD_BEFORE; after: $LOAD_AFTER"
  echo "- redis-benchmark, EVALSHA of the disable script, $CONNECTIONS clients: $REDIS_RPS req/s"
  echo "- gateway start-up to ready (process start to /health/ready 200, three starts each, sorted; the median in the middle): $STARTUPS_CDS ms with the class-data archive (-XX:SharedArchiveFile), $STARTUPS_NO_CDS ms without"
  echo "- RSS, largest sample under load (JVM flags: $JAVA_OPTS): gateway $RSS_MB MB, floor server $FLOOR_RSS_MB MB"
  printf -- '- warm-up until the JIT compilers are quiet: %s\n' "$(IFS=';'; echo "${WARM_NOTES[*]}" | sed 's/;/; /g')"
  echo "- case 7: TLS engine ${BENCH_TLS_ENGINE:-openssl}; $TLS_CIPHER; $TLS_PAIRS rounds of each case, alternating"
  python3 "$BENCH/report.py" https "$OUT/rows"
  echo "- wrk $THREADS threads, $CONNECTIONS connections, $DURATION per case, case 1 $CASE1_DURATION over $USERS seeded users x $TOKENS tokens"
  echo "- constant rate: dev.idpgateway.bench.ConstantRate, $RATE req/s for ${RATE_WARM_UP_SECONDS} s (not counted) + $RATE_SECONDS s, $CONNECTIONS connections"
  python3 "$BENCH/report.py" live "$OUT/load-live.txt"
  cat "$OUT/stalls.txt"
} >>"$OUT/results.md"
cat "$OUT/results.md"
