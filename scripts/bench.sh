#!/usr/bin/env bash
# Builds the benchmarks module (and what it needs) and runs the benchmarks.
#
#   scripts/bench.sh                      the same as `scripts/bench.sh all`
#   scripts/bench.sh all                  every suite below, shortened (~11 min with warm build
#                                         caches, plus any wait for the reference lock): one build,
#                                         then inprocess, net, lifecycle, js, reference and jmh (at
#                                         full length, ~3 min), all appending to
#                                         benchmarks/results/<date>.jsonl; then <date>.md: the Goals
#                                         table, the conditions and every row of this run (earlier
#                                         runs of the day stay in the .jsonl, each row has its run)
#   scripts/bench.sh all --smoke          the same, each row about a second (~2.5 min; exit 1 only
#                                         on errors), into benchmarks/target/bench-smoke.{jsonl,md}
#
#   scripts/bench.sh inprocess            in-process load benchmark (io.rivet4j.benchmarks.
#                                         InProcessBench), every scenario, full length (~7 min)
#   scripts/bench.sh inprocess --smoke    every scenario for about a second (exit 1 only on errors)
#   scripts/bench.sh durable-1000 --inflight=64,256 --repeats=5
#                                         (an in-process scenario first: `inprocess` is implied)
#   scripts/bench.sh inprocess --help     scenarios and options
#   scripts/bench.sh net                  network benchmark (io.rivet4j.benchmarks.NetworkBench):
#                                         raw Netty echo vs RivetServer, relaxed and durable,
#                                         JDK HttpClient/WebSocket load generator, one JVM; the
#                                         throughput rows again with the Netty one (-netty rows)
#                                         (~3.5 min)
#   scripts/bench.sh net --smoke          the same, each row about 0.7 s (exit 1 only on errors)
#   scripts/bench.sh net --warmup=2 --measure=5 --actors=1000 --connections=64 --per-connection=4
#   scripts/bench.sh net --only='ws-1000-actors|ws-echo-1000c'   rows whose "scenario mode" match
#   scripts/bench.sh net --generators=netty --gen-threads=2       throughput rows' generators
#   scripts/bench.sh lifecycle [--smoke] [scenario…]   creates, wakes, fan-out, chat, startup and
#                                         per-WebSocket memory (io.rivet4j.benchmarks.
#                                         LifecycleBench, ~1.5 min; `lifecycle --help` lists options)
#   scripts/bench.sh js                   the official RivetKit JavaScript client as load generator
#                                         (benchmarks/js/): raw Netty echo, then scripts/serve.sh
#                                         counter relaxed and durable, plus the Java generator
#                                         (NetworkBench --endpoint) against the same servers (~6 min)
#   scripts/bench.sh reference            the same client against the real RivetKit 2.3.19
#                                         (../shared/reference), scaled down (~2.5 min + lock wait)
#   scripts/bench.sh js reference         both; results in benchmarks/results/<date>.{md,jsonl}
#   scripts/bench.sh js --smoke           each scenario about 1 s, ~1 min (exit 1 only on errors)
#   scripts/bench.sh jmh                  JMH microbenchmarks (io.rivet4j.benchmarks.JmhBench, the
#                                         classes of io.rivet4j.benchmarks.jmh): codecs, dispatch
#                                         of one action to an in-process actor, store commit
#                                         groups; fork 1, ~3 min
#   scripts/bench.sh jmh --smoke          every benchmark once, 0.1 s warm-up + 0.2 s (~25 s; exit
#                                         1 only on errors)
#   scripts/bench.sh jmh CodecBench -p encoding=bare -prof gc   JMH's own options and regexps
#                                         (`jmh -h` lists them; `-jvmArgs` replaces the forks'
#                                         flags, see JmhBench.FORK_JVM_ARGS)
# See benchmarks/js/run.sh for the options of js and reference.
#
# inprocess, net, lifecycle and jmh print markdown to standard output; with --jsonl=FILE (or
# BENCH_RESULTS_JSONL) they also append one JSON line per row there, in the schema of
# benchmarks/js/bench.mjs (io.rivet4j.benchmarks.JsonlResults). `node benchmarks/js/report.mjs
# FILE.jsonl` turns such a file into the markdown report.
#
# Adding a suite to `all`: a function suite_<name> below (its arguments are the mode's), called
# by `scripts/bench.sh <name>`, that appends its rows to $BENCH_RESULTS_JSONL when set (with
# run = $BENCH_RUN and commit = $BENCH_COMMIT) and exits non-zero only on errors; then one line
# in ALL_SUITES. A listed suite without its function is skipped with a note.
#
# Environment:
#   BENCH_JAVA_OPTS   JVM flags of inprocess, net and lifecycle (default: -Xms2g -Xmx2g
#                     -XX:+UseParallelGC -XX:+AlwaysPreTouch); not jmh's, whose measured JVMs
#                     are JMH's forks
#   BENCH_SKIP_BUILD  1 to reuse the last build in benchmarks/target
#   BENCH_JFR         a file name: record a JFR profile of the run there; summarise it with
#                     java -cp 'benchmarks/target/lib/*:benchmarks/target/classes' \
#                       io.rivet4j.benchmarks.JfrTop FILE
#   BENCH_RESULTS     (all, js, reference) results path without extension
#   BENCH_QUIET       (all: default 0, js: 0.25) wait, load running, for others' CPU below this
#                     share before each js window (at most 60 s per row)
#   BENCH_REFERENCE_LOCK_WAIT   seconds to wait for the reference's lock (all: default 180, then
#                     the reference is skipped with a note; reference: 3600)
# Markdown goes to standard output (all: to the .md file), progress to standard error, the
# runtime's own log to benchmarks/target/bench-runtime[-MODE].log (its first 20 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh

# The suites of `all`, in order: name | arguments of the full run | arguments with --smoke.
# fsync first (a quiet disk); the relaxed in-process rows last among them (when overloaded they
# make the runtime log heavily); js and reference pin server and generator to separate cores.
ALL_SUITES=(
  "inprocess|fsync durable-1000 durable-hot memory relaxed-1000 relaxed-hot --repeats=1 --warmup=1 --measure=4 --memory-actors=20000|--smoke fsync durable-1000 durable-hot memory relaxed-1000 relaxed-hot"
  "inprocess|durable-1000 --rate=15000 --inflight=4096 --repeats=1 --warmup=2 --measure=8|--smoke durable-1000 --rate=15000 --inflight=4096"
  "net|--warmup=1 --measure=4|--smoke"
  "lifecycle|--warmup=1 --measure=3|--smoke"
  "js|js --append --no-report --warmup=2 --measure=5|js --smoke --append --no-report"
  "reference|reference --append --no-report --ref-warmup=2 --ref-measure=5|reference --smoke --append --no-report"
  "jmh||--smoke"
)
INPROCESS_SCENARIOS=" relaxed-1000 read-1000 durable-1000 durable-hot relaxed-hot memory fsync "

log() { echo "[bench] $*" >&2; }

build() {
  if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    ./mvnw -B -q -ntp -pl benchmarks -am install -DskipTests >&2
  fi
}

# Runs a main of the benchmarks module with the benchmark JVM flags.
run_java() { # log-name main args...
  local log="benchmarks/target/$1.log" main="$2" jar status=0
  shift 2
  jar=$(ls benchmarks/target/benchmarks-*.jar 2>/dev/null | head -n 1 || true)
  if [ -z "$jar" ] || [ ! -d benchmarks/target/lib ]; then
    echo "error: benchmarks/target has no build; run without BENCH_SKIP_BUILD=1" >&2
    return 1
  fi
  local opts=(${BENCH_JAVA_OPTS:--Xms2g -Xmx2g -XX:+UseParallelGC -XX:+AlwaysPreTouch})
  if [ -n "${BENCH_JFR:-}" ]; then
    opts+=("-XX:StartFlightRecording=filename=${BENCH_JFR},settings=profile")
  fi
  # The runtime's log goes through a pipe that keeps its first 20 MB: an overloaded relaxed mode
  # logs a stack trace per refused commit (gigabytes), and writing that to disk would disturb the
  # fsync latency of the scenarios that follow. Failed commits are counted in the report anyway.
  rm -f "$log"
  exec 3> >(head -c 20000000 > "$log")
  "$JAVA_HOME/bin/java" "${opts[@]}" --enable-native-access=ALL-UNNAMED \
    -Dorg.slf4j.simpleLogger.logFile=/dev/fd/3 \
    -cp "$jar:benchmarks/target/lib/*" "$main" "$@" || status=$?
  exec 3>&-
  sleep 0.2
  if [ -s "$log" ]; then
    echo "# runtime log (first 20 MB): $log" >&2
  fi
  return "$status"
}

# The code measured: the short hash, +dirty when the runtime, examples or benchmarks differ from it.
commit_id() {
  local commit
  commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [ -n "$(git status --porcelain -- rivet4j-* examples benchmarks/src 2>/dev/null)" ]; then
    commit="$commit+dirty"
  fi
  echo "$commit"
}

suite_inprocess() { build; run_java bench-runtime io.rivet4j.benchmarks.InProcessBench "$@"; }
suite_net() { build; run_java bench-runtime-net io.rivet4j.benchmarks.NetworkBench "$@"; }
suite_lifecycle() { build; run_java bench-runtime-lifecycle io.rivet4j.benchmarks.LifecycleBench "$@"; }
# jmh: the harness JVM only starts JMH's forks (one per benchmark and parameter set), which run
# with JmhBench.FORK_JVM_ARGS; rows get commit = $BENCH_COMMIT, else this checkout's.
suite_jmh() {
  build
  local harness="-Xmx256m -XX:+UseSerialGC --sun-misc-unsafe-memory-access=allow"
  BENCH_COMMIT="${BENCH_COMMIT:-$(commit_id)}" BENCH_JAVA_OPTS="$harness" \
    run_java bench-runtime-jmh io.rivet4j.benchmarks.JmhBench "$@"
}

# js and reference: benchmarks/js/run.sh. The Java side of `js` is the echo server (this module)
# and the counter example (built with it, as a dependency); `reference` alone needs no build.
suite_js() {
  if [[ " $* " == *" js "* ]]; then build; fi
  benchmarks/js/run.sh "$@"
}
suite_reference() { suite_js "$@"; }

suite_all() {
  local smoke=0 a
  for a in "$@"; do
    case "$a" in
      --smoke) smoke=1 ;;
      *) echo "error: \`all\` takes only --smoke (got $a); give a suite's options to that suite," \
           "e.g. scripts/bench.sh inprocess $a" >&2
         return 2 ;;
    esac
  done
  local results="${BENCH_RESULTS:-benchmarks/results/$(date -u +%Y-%m-%d)}"
  if [ "$smoke" = 1 ]; then
    results="benchmarks/target/bench-smoke"
    rm -f "$results.jsonl"
  fi
  mkdir -p "$(dirname "$results")" benchmarks/target/bench-all
  local commit
  commit="$(commit_id)"
  export BENCH_RESULTS="$results" BENCH_RESULTS_JSONL="$results.jsonl"
  export BENCH_RUN="${BENCH_RUN:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}" BENCH_COMMIT="$commit"
  export BENCH_QUIET="${BENCH_QUIET:-0}"
  export BENCH_REFERENCE_LOCK_WAIT="${BENCH_REFERENCE_LOCK_WAIT:-180}"
  local since=0
  if [ -f "$results.jsonl" ]; then since=$(wc -l < "$results.jsonl"); fi
  log "run $BENCH_RUN (commit $commit) into $results.jsonl (after its $since earlier lines); load: $(cut -d' ' -f1-3 /proc/loadavg)"

  local t_all=$SECONDS t0 status=0 times=() notes=()
  t0=$SECONDS
  build
  times+=("build $((SECONDS - t0)) s")
  export BENCH_SKIP_BUILD=1
  local entry name full smoke_args args rc i=0
  for entry in "${ALL_SUITES[@]}"; do
    IFS='|' read -r name full smoke_args <<<"$entry"
    i=$((i + 1))
    if ! declare -F "suite_$name" >/dev/null; then
      log "skipping $name: this scripts/bench.sh has no \`$name\` mode"
      notes+=("$name: skipped (no such mode in this scripts/bench.sh)")
      continue
    fi
    args="$full"
    if [ "$smoke" = 1 ]; then args="$smoke_args"; fi
    log "== $name $args"
    t0=$SECONDS
    rc=0
    # shellcheck disable=SC2086 # the arguments are words
    ( "suite_$name" $args ) > "benchmarks/target/bench-all/$i-$name.md" || rc=$?
    times+=("$name $((SECONDS - t0)) s")
    if [ "$rc" = 75 ] && [ "$name" = reference ]; then
      notes+=("reference: skipped, /tmp/rivet4j-reference.lock stayed taken for ${BENCH_REFERENCE_LOCK_WAIT} s")
    elif [ "$rc" != 0 ]; then
      log "$name failed (exit $rc)"
      notes+=("$name: **failed** (exit $rc; its markdown: benchmarks/target/bench-all/$i-$name.md)")
      status=1
    fi
  done

  node benchmarks/js/report.mjs "$results.jsonl" --since="$since" > "$results.md" || status=1
  {
    echo "## Wall time"
    echo
    echo "\`scripts/bench.sh all$([ "$smoke" = 1 ] && echo " --smoke")\`: $((SECONDS - t_all)) s in all" \
      "($(IFS=,; echo "${times[*]}" | sed 's/,/, /g'))."
    echo "Each suite's own markdown (with more detail, e.g. class histograms):" \
      "benchmarks/target/bench-all/*.md."
    for n in "${notes[@]}"; do echo "- $n"; done
  } >> "$results.md"
  log "results: $results.jsonl, $results.md ($((SECONDS - t_all)) s)"
  return "$status"
}

mode=all
case "${1:-}" in
  ""|--smoke) ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
  *)
    if declare -F "suite_$1" >/dev/null; then
      mode="$1"
      if [ "$mode" != js ] && [ "$mode" != reference ]; then shift; fi
    elif [[ "$INPROCESS_SCENARIOS" == *" $1 "* ]]; then
      mode=inprocess
    else
      echo "error: unknown mode or scenario '$1' (see scripts/bench.sh --help)" >&2
      exit 2
    fi ;;
esac
"suite_$mode" "$@"
