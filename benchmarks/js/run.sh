#!/usr/bin/env bash
# Side-by-side benchmark with the official RivetKit JavaScript client (bench.mjs) as the load
# generator. Called by scripts/bench.sh (which builds the Java side first):
#
#   scripts/bench.sh js                  raw Netty echo, Rivet4j relaxed, Rivet4j durable, each with
#                                        the official client and then the Java generator (~6 min)
#   scripts/bench.sh reference           the real RivetKit 2.3.19 + Rivet Engine, scaled down
#                                        (~2.5 min, most of it npm ci; plus any wait for the lock)
#   scripts/bench.sh js reference        both, into one results file
#   scripts/bench.sh js --smoke          each scenario ~1 s, 50 actors (~1 min; exit 1 only on errors)
#   options: --warmup=S --measure=S --actors=N --connections=N
#            --append (add to BENCH_RESULTS.jsonl instead of starting it afresh, e.g. to add
#            the reference after it was busy; the .md then shows every row of the file)
#            --no-report (no .md; `scripts/bench.sh all` writes one report for all its suites)
#            --no-java (skip the Java load generator, NetworkBench --endpoint, run after the
#            official client against the same echo and Rivet4j servers; its throughput shapes
#            run with the JDK WebSocket client and again with NettyWsDriver, "Java (Netty)")
#            --ref-warmup=S --ref-measure=S --ref-actors=N --ref-connections=N
#
# Rivet4j is `scripts/serve.sh counter` on a free RIVET_PORT with a temporary RIVET_DATA_DIR
# (RIVET_DURABILITY relaxed, then durable); the raw ceiling is io.rivet4j.benchmarks.EchoServerMain
# (NetworkBench's bare Netty echo); the reference is a copy of ../shared/reference (npm ci,
# start.sh with STATE_DIR in the copy, stop.sh), taken under `flock /tmp/rivet4j-reference.lock`
# because it always binds 6420/6421/6430. Servers run on CPU 0 and the generator on CPU 1
# (taskset) when the machine has two cores or more.
#
# Results: benchmarks/results/<date>.jsonl (one line per scenario and contender) and <date>.md
# (tables; `node benchmarks/js/report.mjs FILE.jsonl` rebuilds it); progress on standard error.
#
# The machine may be shared: after each warm-up the generators wait, load running, for a 1 s window
# in which other processes used less than BENCH_QUIET (default 0.25) of all cores, at most 60 s
# (0: never; --smoke never waits); the wait is recorded as quiet_wait_s.
#
# Exit code 1 on errors, 75 when the reference lock stayed taken (BENCH_REFERENCE_LOCK_WAIT).
#
# Environment: BENCH_RESULTS (results path without extension), BENCH_RUN and BENCH_COMMIT (the
# rows' run id and commit; default: now and the work tree's commit), BENCH_SERVER_CPUS and
# BENCH_GENERATOR_CPUS (taskset lists, default 0 and 1), BENCH_SERVE_JAVA_OPTS (server JVM flags,
# default -Xms1g -Xmx1g -XX:+UseParallelGC -XX:+AlwaysPreTouch), BENCH_REFERENCE_DIR (default
# ../shared/reference), BENCH_REFERENCE_LOCK_WAIT (seconds, default 3600).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$(pwd)"
JS="$ROOT/benchmarks/js"
source scripts/java-env.sh

groups=()
smoke=0
java_gen=1
append=0
report=1
quiet="${BENCH_QUIET:-0.25}"
warmup=3 measure=10 actors=1000 connections=64
ref_warmup=3 ref_measure=10 ref_actors=10 ref_connections=64
for a in "$@"; do
  case "$a" in
    js|reference) groups+=("$a") ;;
    --smoke) smoke=1 ;;
    --no-java) java_gen=0 ;;
    --append) append=1 ;;
    --no-report) report=0 ;;
    --warmup=*) warmup="${a#*=}" ;;
    --measure=*) measure="${a#*=}" ;;
    --actors=*) actors="${a#*=}" ;;
    --connections=*) connections="${a#*=}" ;;
    --ref-warmup=*) ref_warmup="${a#*=}" ;;
    --ref-measure=*) ref_measure="${a#*=}" ;;
    --ref-actors=*) ref_actors="${a#*=}" ;;
    --ref-connections=*) ref_connections="${a#*=}" ;;
    *) echo "unknown argument: $a (see the head of $0)" >&2; exit 2 ;;
  esac
done
if [ "${#groups[@]}" = 0 ]; then groups=(js); fi
if [ "$smoke" = 1 ]; then
  warmup=0.3 measure=1 actors=50
  ref_warmup=0.5 ref_measure=2 ref_actors=3
  quiet=0
fi

log() { echo "[bench js] $*" >&2; }

# ------------------------------------------------------------------------- npm, cores, files

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "error: the JavaScript benchmark needs Node.js 20+ and npm on the PATH" >&2
  exit 1
fi
if [ ! -f "$JS/node_modules/rivetkit/package.json" ] || [ ! -f "$JS/node_modules/ws/package.json" ] \
    || [ "$JS/package-lock.json" -nt "$JS/node_modules/.package-lock.json" ]; then
  log "installing the load generator's npm packages..."
  flags=(--no-audit --no-fund --ignore-scripts --omit=optional)
  (cd "$JS" && { npm ci "${flags[@]}" >&2 || npm install --no-save "${flags[@]}" >&2; })
fi

server_cpus="${BENCH_SERVER_CPUS:-0}"
gen_cpus="${BENCH_GENERATOR_CPUS:-1}"
pin_server=() pin_gen=() pinning="none"
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  pin_server=(taskset -c "$server_cpus")
  pin_gen=(taskset -c "$gen_cpus")
  pinning="server cpu $server_cpus, generator cpu $gen_cpus"
fi

mkdir -p benchmarks/results
results="${BENCH_RESULTS:-}"
if [ -z "$results" ]; then
  results="benchmarks/results/$(date -u +%Y-%m-%d)"
  if [ "$smoke" = 1 ]; then results="benchmarks/target/js-smoke"; fi
  n=2
  base="$results"
  while [ "$smoke" = 0 ] && [ "$append" = 0 ] && [ -e "$results.jsonl" ]; do
    results="$base-$n"
    n=$((n + 1))
  done
fi
mkdir -p "$(dirname "$results")"
if [ "$append" = 0 ]; then rm -f "$results.jsonl"; fi
lines_before=0
if [ -f "$results.jsonl" ]; then lines_before=$(wc -l < "$results.jsonl"); fi
commit="${BENCH_COMMIT:-}"
if [ -z "$commit" ]; then
  commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [ -n "$(git status --porcelain -- rivet4j-* examples 2>/dev/null)" ]; then
    commit="$commit+dirty"
  fi
fi
run="${BENCH_RUN:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/rivet4j-bench-js.XXXXXX")"
server_pid=""
ref_dir=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$ref_dir" ] && [ -d "$ref_dir" ]; then
    STATE_DIR="$ref_dir/.state" "$ref_dir/stop.sh" >&2 || true
    rm -rf "$ref_dir"
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

status=0
generate() { # contender durability endpoint scenarios pids extra-args...
  local contender="$1" durability="$2" endpoint="$3" scenarios="$4" pids="$5"
  shift 5
  local t0=$SECONDS
  "${pin_gen[@]}" node "$JS/bench.mjs" --contender="$contender" --durability="$durability" \
    --endpoint="$endpoint" --scenarios="$scenarios" --server-pids="$pids" --out="$results.jsonl" \
    --run="$run" --commit="$commit" --pinning="$pinning" --quiet="$quiet" "$@" || status=1
  log "$contender: $((SECONDS - t0)) s"
}

# The Java load generator (NetworkBench --endpoint) in the same shapes, 64 calls in flight.
java_generate() { # contender durability endpoint target pids
  local contender="$1" durability="$2" endpoint="$3" target="$4" pids="$5" jar t0=$SECONDS
  jar=$(ls benchmarks/target/benchmarks-*.jar | head -n 1)
  "${pin_gen[@]}" "$JAVA_HOME/bin/java" -Xms512m -Xmx512m -XX:+UseParallelGC \
    --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$jar:benchmarks/target/lib/*" io.rivet4j.benchmarks.NetworkBench \
    --endpoint="$endpoint" --target="$target" --contender="$contender" --durability="$durability" \
    --jsonl="$results.jsonl" --run="$run" --commit="$commit" --pinning="$pinning" \
    --server-pids="$pids" --warmup="$warmup" --measure="$measure" --actors="$actors" \
    --connections="$connections" --per-connection=1 --quiet="$quiet" >&2 || status=1
  log "$contender (Java generator): $((SECONDS - t0)) s"
}

free_port() {
  node -e 'const s = require("net").createServer();
    s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# Starts "$@" in the background on the server CPUs; waits for a line matching $ready on stdout.
start_server() { # name ready-regex command...
  local name="$1" ready="$2"
  shift 2
  "${pin_server[@]}" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  server_pid=$!
  for _ in $(seq 1 600); do
    if grep -qE "$ready" "$tmp/$name.out" 2>/dev/null; then return 0; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
    sleep 0.5
  done
  echo "error: $name did not start; its output:" >&2
  tail -30 "$tmp/$name.out" "$tmp/$name.err" >&2 || true
  return 1
}

stop_server() {
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 1 120); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

common=(--warmup="$warmup" --measure="$measure" --actors="$actors" --connections="$connections")

# ----------------------------------------------------------------------------------- js

run_js() {
  local jar
  jar=$(ls benchmarks/target/benchmarks-*.jar 2>/dev/null | head -n 1 || true)
  if [ -z "$jar" ] || [ ! -d benchmarks/target/lib ]; then
    echo "error: benchmarks/target has no build; run scripts/bench.sh without BENCH_SKIP_BUILD=1" >&2
    exit 1
  fi
  local t0=$SECONDS
  log "raw echo (bare Netty, EchoServerMain) ..."
  start_server echo "raw echo ready at" "$JAVA_HOME/bin/java" -Xms256m -Xmx256m -XX:+UseParallelGC \
    -cp "$jar:benchmarks/target/lib/*" io.rivet4j.benchmarks.EchoServerMain --port="$(free_port)"
  local endpoint
  endpoint=$(grep -oE "http://[0-9.:]+" "$tmp/echo.out" | head -n 1)
  generate raw-echo "" "$endpoint" raw-ws-seq,raw-http-seq,raw-ws-64x1000,raw-ws-hot "$server_pid" \
    "${common[@]}"
  if [ "$java_gen" = 1 ]; then java_generate raw-echo "" "$endpoint" raw "$server_pid"; fi
  stop_server
  log "raw echo: $((SECONDS - t0)) s"

  for durability in relaxed durable; do
    t0=$SECONDS
    log "Rivet4j ($durability, scripts/serve.sh counter) ..."
    local port data
    port=$(free_port)
    data="$tmp/data-$durability"
    RIVET_PORT="$port" RIVET_HOST=127.0.0.1 RIVET_DATA_DIR="$data" RIVET_DURABILITY="$durability" \
      RIVET_LOG_LEVEL=warn \
      SERVE_JAVA_OPTS="${BENCH_SERVE_JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC -XX:+AlwaysPreTouch}" \
      start_server "rivet4j-$durability" "Rivet4j counter ready at" scripts/serve.sh counter
    generate "rivet4j-$durability" "$durability" "http://127.0.0.1:$port" \
      create,ws-seq,http-seq,ws-64x1000,hot "$server_pid" "${common[@]}"
    if [ "$java_gen" = 1 ]; then
      java_generate "rivet4j-$durability" "$durability" "http://127.0.0.1:$port" rivet "$server_pid"
    fi
    stop_server
    rm -rf "$data"
    log "Rivet4j $durability: $((SECONDS - t0)) s"
  done
}

# ---------------------------------------------------------------------------- reference

run_reference() {
  local src="${BENCH_REFERENCE_DIR:-$ROOT/../shared/reference}"
  if [ -z "${BENCH_REFERENCE_DIR:-}" ] && [ ! -d "$src" ]; then
    src=/work/shared/reference # a clone outside the project's folder: the machine's copy
  fi
  if [ ! -f "$src/start.sh" ]; then
    echo "error: no reference server at $src (set BENCH_REFERENCE_DIR)" >&2
    exit 1
  fi
  local t0=$SECONDS
  exec 9>/tmp/rivet4j-reference.lock
  log "waiting for /tmp/rivet4j-reference.lock (the reference always binds 6420/6421/6430) ..."
  if ! flock -w "${BENCH_REFERENCE_LOCK_WAIT:-3600}" 9; then
    echo "error: the reference lock stayed taken for ${BENCH_REFERENCE_LOCK_WAIT:-3600} s" >&2
    exit 75
  fi
  log "lock taken after $((SECONDS - t0)) s; installing a copy of $src ..."
  t0=$SECONDS
  ref_dir="$(mktemp -d "${TMPDIR:-/tmp}/rivet4j-bench-reference.XXXXXX")"
  tar -C "$src" --exclude=./.state --exclude=./node_modules -cf - . | tar -C "$ref_dir" -xf -
  chmod -R u+w "$ref_dir"
  # npm ci of the reference takes ~70 s here (339 MB, most of it the engine binary): the installed
  # packages are kept per package-lock in benchmarks/target and hard-linked into the copy (the
  # reference writes only under .state, never into node_modules)
  local cache
  cache="$ROOT/benchmarks/target/reference-node_modules/$(sha256sum "$src/package-lock.json" | cut -c1-16)"
  if [ -d "$cache/node_modules" ]; then
    cp -al "$cache/node_modules" "$ref_dir/" 2>/dev/null || cp -a "$cache/node_modules" "$ref_dir/"
  else
    (cd "$ref_dir" && { npm ci --no-audit --no-fund >&2 || npm install --no-audit --no-fund >&2; })
    rm -rf "$cache.tmp"
    mkdir -p "$cache.tmp"
    if cp -al "$ref_dir/node_modules" "$cache.tmp/" 2>/dev/null \
        || cp -a "$ref_dir/node_modules" "$cache.tmp/"; then
      mv "$cache.tmp" "$cache"
    fi
  fi
  log "reference installed in $((SECONDS - t0)) s; starting it ..."
  t0=$SECONDS
  STATE_DIR="$ref_dir/.state" "${pin_server[@]}" "$ref_dir/start.sh" >&2
  log "reference started in $((SECONDS - t0)) s"
  local pids
  pids="$(cat "$ref_dir/.state/engine.pid"),$(cat "$ref_dir/.state/server.pid")"
  t0=$SECONDS
  # Few actors, created one at a time before the fan-out: the engine manages a few creations
  # per second and stalls ~15 s when getOrCreate races on new keys.
  generate rivetkit-2.3.19 "" "http://127.0.0.1:6420" create,ws-seq,http-seq,ws-64x1000,hot "$pids" \
    --warmup="$ref_warmup" --measure="$ref_measure" --actors="$ref_actors" \
    --connections="$ref_connections" --create-concurrency=1
  STATE_DIR="$ref_dir/.state" "$ref_dir/stop.sh" >&2 || true
  rm -rf "$ref_dir"
  ref_dir=""
  flock -u 9
  exec 9>&-
  log "reference: $((SECONDS - t0)) s"
}

for g in "${groups[@]}"; do
  case "$g" in
    js) run_js ;;
    reference) run_reference ;;
  esac
done

if [ "$report" = 1 ]; then
  selection=()
  if [ "$append" = 1 ]; then selection=(--all); fi
  node "$JS/report.mjs" "$results.jsonl" "${selection[@]}" >"$results.md" || status=1
  cat "$results.md"
  log "results: $results.jsonl, $results.md"
else
  log "results: $results.jsonl"
fi
# errors of this invocation's rows only (an appended file holds earlier runs too)
if [ -s "$results.jsonl" ] && tail -n +"$((lines_before + 1))" "$results.jsonl" \
    | grep -q '"errors":[1-9]'; then
  log "some scenarios had errors"
  status=1
fi
exit "$status"
