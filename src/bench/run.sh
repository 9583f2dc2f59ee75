#!/usr/bin/env bash
# The benchmark we trust: Redis, the gateway (SigV4 on, limiter on but not binding) and the load
# generator on this one machine, measured together, beside redis-benchmark running the same disable
# script at the same concurrency in the same invocation.
#
#   src/bench/run.sh            # ~5 minutes on a machine at rest (3 times that at load 20); the table goes to
#                               # stdout and target/bench/results.md
#   src/bench/repeat.sh N       # N runs back to back, each kept, and a summary of them
#
# The floor rows (issue 17): dev.idpgateway.bench.FloorServer (test sources), a bare Vert.x server that runs the
# disable through the gateway's own store and Redis client and nothing else, on a pool of its own, measured right
# after the gateway's case 1 and case 3: the gateway is held to a share of it ("vs" column). The cold-start row: a
# fresh gateway driven by wrk from the moment /health/ready answers 200, for 5 s (vs the warm case 1).
#
# Rows 6 and 7: first disables over plain HTTP and over HTTPS (TLS keep-alive connections, a second gateway
# with IDP_TLS_CERT/IDP_TLS_KEY on its own ports, a certificate made by openssl), back to back: compare them.
#
# Each row: the client's view (wrk, or dev.idpgateway.bench.ConstantRate for the open-model constant-rate run),
# the server's p99 from the gateway's access log, and the gateway process's CPU time per request.
#
# Needs: JDK 17, Maven, wrk, redis-benchmark (Debian: apt-get install -y wrk redis-tools), curl,
# python3, openssl. redis-server: the one on PATH, else the Linux binary inside the gateway jar.
# Environment: BENCH_DURATION (10s per case, after a 30 s warm-up), BENCH_CASE1_DURATION (3s: 100,000 users last about
# that long at 30,000 req/s), BENCH_CONNECTIONS (64), BENCH_RATE (5000, the constant-rate run: 10 s not counted, then
# BENCH_RATE_SECONDS, 20), BENCH_PORT_BASE (17000: Redis +379, API +80, management +90; HTTPS +81/+91, the floor
# server +82, the cold-started gateway +83/+93), BENCH_JAVA_OPTS (the JVM flags of the gateways and the floor
# server), BENCH_OUT (target/bench: where the results go), BENCH_TLS_ENGINE (openssl: BoringSSL, as in the image; jdk: the JDK's engine, as java -jar).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH=$ROOT/src/bench
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
# The issue's heap limit; the initial heap left to the JVM, so that RSS shows what the gateway needs under load.
# The container image's flags (pom.xml, Jib), with its 192 MB heap.
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx192m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m -XX:MetaspaceSize=64m -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=5000}
# As the image's environment sets it: fewer malloc arenas, less native memory beside the heap.
export MALLOC_ARENA_MAX=2
THREADS=2
USERS=100000
TOKENS=3
POOL=us-east-1_Bench            # case 1 (first disables), then case 2 (repeat disables)
WARM_POOL=us-east-1_BenchWarm   # JIT warm-up, so that case 1 measures a warm JVM
RATE_POOL=us-east-1_BenchRate   # the constant-rate run: first disables too
THROTTLED_POOL=us-east-1_BenchThrottled
PLAIN_POOL=us-east-1_BenchPlain # case 6, the reference for case 7
TLS_POOL=us-east-1_BenchTls     # case 7, over HTTPS
TLS_WARM_POOL=us-east-1_BenchTlsWarm # the HTTPS gateway's warm-up: first disables too, as the plain one's
REDIS_BENCH_POOL=us-east-1_RedisBench
# The floor server's pools: names as long as the gateway's, so that its requests are the same bytes.
FLOOR_POOL=us-east-1_Floor      # as POOL, for the floor's first disables
FLOOR_WARM_POOL=us-east-1_FloorWarm
FLOOR_WARM_USERS=20000
COLD_POOL=us-east-1_BenchCold   # the cold-started gateway's first 5 s
COLD_USERS=60000
KEY_ID=AKIDBENCHMARK0000001
SECRET=bench-secret-not-for-production
API=http://127.0.0.1:$API_PORT/
TLS_API=https://127.0.0.1:$TLS_API_PORT/
FLOOR_API=http://127.0.0.1:$FLOOR_PORT/
COLD_API=http://127.0.0.1:$COLD_API_PORT/

say() { printf '%s\n' "$*" >&2; }
die() { say "run.sh: $*"; exit 1; }

for tool in wrk redis-benchmark redis-cli curl python3 java mvn openssl; do
  command -v "$tool" >/dev/null || die "$tool is missing (Debian: apt-get install -y wrk redis-tools curl python3)"
done

mkdir -p "$OUT"
# The classpath, the class-data archive and the request lists (hundreds of MB, signed afresh each run): one copy,
# whatever BENCH_OUT is.
CACHE=$ROOT/target/bench
REQUESTS=$CACHE/requests
mkdir -p "$CACHE" "$REQUESTS"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# --- build (the gateway jar, and the test classes for the request signer) --------------------------
if [[ ! -f $JAR || ! -f $ROOT/target/test-classes/dev/idpgateway/bench/PreSign.class \
      || -n $(find "$ROOT/src/main" "$ROOT/src/test/java/dev/idpgateway/bench" "$ROOT/pom.xml" -newer "$JAR" -type f | head -1) ]]; then
  say "building..."
  (cd "$ROOT" && mvn -B -ntp -q -DskipTests package)
fi
if [[ ! -f $CACHE/test.classpath || $ROOT/pom.xml -nt $CACHE/test.classpath ]]; then
  (cd "$ROOT" && mvn -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CACHE/test.classpath")
fi
SIGNER_CP=$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$CACHE/test.classpath")

# --- Redis ----------------------------------------------------------------------------------------
REDIS_SERVER=$(command -v redis-server || true)
if [[ -z $REDIS_SERVER ]]; then
  REDIS_SERVER=$OUT/redis-server
  unzip -p "$JAR" redis-server-6.2.6-v5-linux-amd64 >"$REDIS_SERVER" && chmod +x "$REDIS_SERVER"
fi
"$REDIS_SERVER" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
  --logfile "$OUT/redis.log" &
PIDS+=($!)
for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
redis-cli -p "$REDIS_PORT" flushall >/dev/null

# --- the gateway ----------------------------------------------------------------------------------
cat >"$OUT/credentials.yaml" <<EOF
principals:
  - name: bench
    accessKeys:
      - id: $KEY_ID
        secret: "$SECRET"
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: "cognito-idp:*"
          Resource: "*"
EOF
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
# Starts the gateway with extra JVM flags, sets GATEWAY and STARTUP_MS (process start to ready). API_PORT,
# MGMT_PORT, GATEWAY_LOG and GATEWAY_CLASSPATH (jars after the gateway's) may be set for the call, and IDP_TLS_*
# passed, to start another one.
start_gateway() {
  local started
  started=$(date +%s%N)
  IDP_CONFIG=$OUT/gateway.yaml IDP_AUTH=sigv4 IDP_CREDENTIALS=$OUT/credentials.yaml \
    IDP_HTTP_PORT=$API_PORT IDP_MANAGEMENT_PORT=$MGMT_PORT IDP_REDIS_URL=redis://127.0.0.1:$REDIS_PORT \
    java $JAVA_OPTS "$@" -cp "$JAR${GATEWAY_CLASSPATH:+:$GATEWAY_CLASSPATH}" dev.idpgateway.Main serve \
    >"${GATEWAY_LOG:-$OUT/gateway.log}" 2>&1 &
  GATEWAY=$!
  until curl -sf "http://127.0.0.1:$MGMT_PORT/health/ready" >/dev/null 2>&1; do
    kill -0 "$GATEWAY" 2>/dev/null || die "the gateway did not start: see ${GATEWAY_LOG:-$OUT/gateway.log}"
    sleep 0.01
  done
  STARTUP_MS=$(( ($(date +%s%N) - started) / 1000000 ))
}
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
seed() { java -jar "$JAR" seed --redis-url "redis://127.0.0.1:$REDIS_PORT" --pool "$1" --users "$2" --tokens-per-user "$TOKENS" >&2; }
# Two at a time, as the signing below.
seed "$POOL" "$USERS" & seeder=$!
# The warm-up disables as many users as case 1 does, so that the JIT has seen first disables, not only repeats.
seed "$WARM_POOL" "$USERS"; wait $seeder
seed "$RATE_POOL" "$RATE_USERS" & seeder=$!
seed "$THROTTLED_POOL" 1000
seed "$PLAIN_POOL" "$USERS"; wait $seeder
seed "$TLS_POOL" "$USERS" & seeder=$!
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
# The floor server, on the gateway's JVM flags and configuration.
IDP_CONFIG=$OUT/gateway.yaml java $JAVA_OPTS -cp "$SIGNER_CP" dev.idpgateway.bench.FloorServer "$FLOOR_PORT" \
  "redis://127.0.0.1:$REDIS_PORT" >"$OUT/floor.log" 2>&1 &
FLOOR=$!
PIDS+=("$FLOOR")
until curl -sf "${FLOOR_API}outcomes" >/dev/null 2>&1; do
  kill -0 "$FLOOR" 2>/dev/null || die "the floor server did not start: see $OUT/floor.log"
  sleep 0.05
done

# --- requests, signed just before the runs (X-Amz-Date must be within 5 minutes) -------------------
presign() { # file pool usernameFormat first count [corrupt]; the endpoint signed for: $SIGN_FOR, else $API
  java -cp "$SIGNER_CP" dev.idpgateway.bench.PreSign "${SIGN_FOR:-$API}" "$KEY_ID" "$SECRET" "$2" "$3" "$4" "$5" "$REQUESTS/$1" ${6:-}
}
say "signing requests..."
# Two at a time, one per core.
presign warm.txt "$WARM_POOL" 'user-%07d' 1 "$USERS" & signer=$!
presign disable.txt "$POOL" 'user-%07d' 1 "$USERS"; wait $signer
presign repeat.txt "$POOL" 'user-%07d' 1 20000 & signer=$!
presign unknown.txt "$POOL" 'ghost-%07d' 1 20000; wait $signer
presign throttled.txt "$THROTTLED_POOL" 'user-%07d' 1 1000 & signer=$!
presign badsig.txt "$POOL" 'user-%07d' 1 20000 corrupt; wait $signer
# The floor server checks no signature: the gateway's requests with the pool renamed (same length) are the same bytes.
sed "s/$POOL\"/$FLOOR_POOL\"/" "$REQUESTS/disable.txt" >"$REQUESTS/floor.txt"
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
# CPU time of the measured process (all its threads: event loops, JIT compilers, GC, log writer), in clock ticks.
gateway_cpu() { awk '{print $14 + $15}' "/proc/$GATEWAY/stat"; }
TICKS_PER_SECOND=$(getconf CLK_TCK)

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
# wrk with the pre-signed requests of a file, $CONNECTIONS connections: file duration [url, else $API]
closed_loop() {
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "$2" --timeout 5s -s "$BENCH/presigned.lua" "${3:-$API}" -- "$REQUESTS/$1" "$THREADS"
}
in_tls_gateway() { GATEWAY_LOG=$OUT/gateway-tls.log MGMT_PORT=$TLS_MGMT_PORT GATEWAY=$TLS_GATEWAY "$@"; }
in_floor() { GATEWAY_LOG=$OUT/floor.log SCRAPE=scrape_floor GATEWAY=$FLOOR "$@"; }

: >"$OUT/rows"
rm -f "$OUT"/rss-*.txt
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "warm-up..."
# C2 needs a while on 2 busy cores: 10 s left the JVM at half speed.
measure warm-up Success "$USERS" closed_loop warm.txt 30s
# The floor server's own, shorter: it has far less code to compile (first disables, then repeats of them).
in_floor measure "floor warm-up" Success "" closed_loop floor-warm.txt 15s "$FLOOR_API"
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
say "signing the requests of cases 6 and 7..."
presign plain.txt "$PLAIN_POOL" 'user-%07d' 1 "$USERS" & signer=$!
# The HTTPS gateway's warm-up disables users for the first time, as the plain gateway's did: warmed on repeats
# only, its JIT was still compiling the first-disable path (token deletion) through case 7.
SIGN_FOR=$TLS_API presign tls-warm.txt "$TLS_WARM_POOL" 'user-%07d' 1 "$USERS"
SIGN_FOR=$TLS_API presign tls.txt "$TLS_POOL" 'user-%07d' 1 "$USERS"; wait $signer
say "case 6, 7: first disables over plain HTTP, then over HTTPS (the second gateway: warm-up first)..."
# 60 s: by case 6 the plain gateway has served its warm-up and cases 1-5 (over 70 s of load); with less, the JIT
# compilers were still busy in case 7 (C2 alone over 100 us per request on a loaded machine) and case 7 measured them.
in_tls_gateway measure "HTTPS warm-up" Success "" closed_loop tls-warm.txt 60s "$TLS_API"
measure "6 disable, plain HTTP (reference for 7)" Success "$USERS" closed_loop plain.txt "$CASE1_DURATION"
VS="6 disable, plain HTTP (reference for 7)" in_tls_gateway measure "7 disable over HTTPS" Success "$USERS" \
  closed_loop tls.txt "$CASE1_DURATION" "$TLS_API"
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
  echo "- case 7: TLS engine ${BENCH_TLS_ENGINE:-openssl}; $TLS_CIPHER"
  echo "- wrk $THREADS threads, $CONNECTIONS connections, $DURATION per case, case 1 $CASE1_DURATION over $USERS seeded users x $TOKENS tokens"
  echo "- constant rate: dev.idpgateway.bench.ConstantRate, $RATE req/s for ${RATE_WARM_UP_SECONDS} s (not counted) + $RATE_SECONDS s, $CONNECTIONS connections"
  python3 "$BENCH/report.py" live "$OUT/load-live.txt"
  cat "$OUT/stalls.txt"
} >>"$OUT/results.md"
cat "$OUT/results.md"
