# Shared by src/bench/run.sh and src/bench/stages.sh (sourced): building, Redis, starting the gateway and the floor
# server, signing requests, load, and reading a server's CPU. The scripts set the globals these read: ROOT, BENCH,
# OUT, JAR, CACHE, REQUESTS, REDIS_PORT, API_PORT, MGMT_PORT, FLOOR_PORT, API, CONNECTIONS, TOKENS, and GATEWAY (the
# pid of the server measured).

# The gateways' and the floor server's JVM flags: the container image's (pom.xml, Jib), with its 192 MB heap (the
# issue's limit); the initial heap left to the JVM, so that RSS shows what the gateway needs under load.
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx192m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m -XX:MetaspaceSize=64m -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=5000}
# As the image's environment sets it: fewer malloc arenas, less native memory beside the heap.
export MALLOC_ARENA_MAX=2
# wrk's threads, one per core
THREADS=2
# The benchmark's access key (write_credentials)
KEY_ID=AKIDBENCHMARK0000001
SECRET=bench-secret-not-for-production

say() { printf '%s\n' "$*" >&2; }
die() { say "$(basename "$0"): $*"; exit 1; }

# Checks that the tools named are installed, makes the output and cache folders, and has every process put in PIDS
# stopped when the script exits.
prepare() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is missing (Debian: apt-get install -y wrk redis-tools curl python3)"
  done
  mkdir -p "$OUT" "$CACHE" "$REQUESTS"
  PIDS=()
  trap stop_all EXIT
}
stop_all() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }

# The gateway jar, and the test classes for the request signer and the floor server; sets SIGNER_CP.
build_gateway() {
  if [[ ! -f $JAR || ! -f $ROOT/target/test-classes/dev/idpgateway/bench/PreSign.class \
        || -n $(find "$ROOT/src/main" "$ROOT/src/test/java/dev/idpgateway/bench" "$ROOT/pom.xml" -newer "$JAR" -type f | head -1) ]]; then
    say "building..."
    (cd "$ROOT" && mvn -B -ntp -q -DskipTests package)
  fi
  if [[ ! -f $CACHE/test.classpath || $ROOT/pom.xml -nt $CACHE/test.classpath ]]; then
    (cd "$ROOT" && mvn -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CACHE/test.classpath")
  fi
  SIGNER_CP=$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$CACHE/test.classpath")
}

# A Redis of its own on REDIS_PORT, empty: the redis-server on PATH, else the Linux binary inside the gateway jar.
start_redis() {
  local redis_server
  redis_server=$(command -v redis-server || true)
  if [[ -z $redis_server ]]; then
    redis_server=$OUT/redis-server
    unzip -p "$JAR" redis-server-6.2.6-v5-linux-amd64 >"$redis_server" && chmod +x "$redis_server"
  fi
  "$redis_server" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    --logfile "$OUT/redis.log" &
  PIDS+=($!)
  for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
  redis-cli -p "$REDIS_PORT" flushall >/dev/null
}

# The benchmark's principal: allowed every operation on every pool.
write_credentials() {
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
}

# Starts the gateway with extra JVM flags, sets GATEWAY and STARTUP_MS (process start to ready). API_PORT,
# MGMT_PORT, GATEWAY_LOG and GATEWAY_CLASSPATH (jars after the gateway's) may be set for the call, and IDP_TLS_*
# passed, to start another one; GATEWAY_AUTH (sigv4) is its auth.mode.
start_gateway() {
  local started
  started=$(date +%s%N)
  IDP_CONFIG=$OUT/gateway.yaml IDP_AUTH=${GATEWAY_AUTH:-sigv4} IDP_CREDENTIALS=$OUT/credentials.yaml \
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

# The floor server (dev.idpgateway.bench.FloorServer) on FLOOR_PORT, with the gateway's JVM flags and configuration;
# sets FLOOR to its pid.
start_floor() {
  IDP_CONFIG=$OUT/gateway.yaml java $JAVA_OPTS -cp "$SIGNER_CP" dev.idpgateway.bench.FloorServer "$FLOOR_PORT" \
    "redis://127.0.0.1:$REDIS_PORT" >"$OUT/floor.log" 2>&1 &
  FLOOR=$!
  PIDS+=("$FLOOR")
  until curl -sf "http://127.0.0.1:$FLOOR_PORT/outcomes" >/dev/null 2>&1; do
    kill -0 "$FLOOR" 2>/dev/null || die "the floor server did not start: see $OUT/floor.log"
    sleep 0.05
  done
}

seed() { java -jar "$JAR" seed --redis-url "redis://127.0.0.1:$REDIS_PORT" --pool "$1" --users "$2" --tokens-per-user "$TOKENS" >&2; }
presign() { # file pool usernameFormat first count [corrupt]; the endpoint signed for: $SIGN_FOR, else $API
  java -cp "$SIGNER_CP" dev.idpgateway.bench.PreSign "${SIGN_FOR:-$API}" "$KEY_ID" "$SECRET" "$2" "$3" "$4" "$5" "$REQUESTS/$1" ${6:-}
}

# CPU time of the measured process (all its threads: event loops, JIT compilers, GC, log writer), in clock ticks.
gateway_cpu() { awk '{print $14 + $15}' "/proc/$GATEWAY/stat"; }
TICKS_PER_SECOND=$(getconf CLK_TCK)
# CPU time of the measured process's JIT compiler threads (C1, C2), in clock ticks.
compiler_cpu() {
  local task comm stat fields total=0
  for task in /proc/"$GATEWAY"/task/*; do
    read -r comm <"$task/comm" 2>/dev/null || continue
    [[ $comm == C[12]\ CompilerThre* ]] || continue
    stat=$(<"$task/stat")
    read -r -a fields <<<"${stat##*) }"
    total=$((total + fields[11] + fields[12]))
  done
  echo "$total"
}
# A comparison holds only between servers that are done compiling: a server whose compilers still run loses
# the CPU they take (on 2 cores, a third of it) and runs partly interpreted. After its fixed warm-up, a server gets
# 10 s rounds of the same load until its JIT compilers took under 2% of its CPU in one (at most WARM_ROUNDS);
# the rounds it needed go into the results. Arguments: name file [url].
WARM_ROUNDS=12
until_compiled() {
  local round cpu jit
  for round in $(seq "$WARM_ROUNDS"); do
    cpu=$(gateway_cpu)
    jit=$(compiler_cpu)
    closed_loop "$2" 10s "${3:-$API}" >/dev/null
    cpu=$(($(gateway_cpu) - cpu))
    jit=$(($(compiler_cpu) - jit))
    if ((jit * 50 < cpu)); then
      WARM_NOTES+=("$1: $round extra 10 s round(s), compilers then at $((jit * 100 / cpu))% of its CPU")
      return
    fi
  done
  WARM_NOTES+=("$1: still compiling after $WARM_ROUNDS extra rounds ($((jit * 100 / cpu))% of its CPU)")
}
WARM_NOTES=()

# wrk with the pre-signed requests of a file, $CONNECTIONS connections: file duration [url, else $API]
closed_loop() {
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "$2" --timeout 5s -s "$BENCH/presigned.lua" "${3:-$API}" -- "$REQUESTS/$1" "$THREADS"
}
