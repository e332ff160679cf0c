#!/usr/bin/env bash
# Builds the benchmarks module (and what it needs) and runs the in-process load benchmark.
#
#   scripts/bench.sh                      every scenario, full length (about 10 minutes)
#   scripts/bench.sh --smoke              every scenario for about a second (exit 1 only on errors)
#   scripts/bench.sh durable-1000 --inflight=64,256 --repeats=5
#   scripts/bench.sh --help               scenarios and options
#   scripts/bench.sh net                  network benchmark (io.rivet4j.benchmarks.NetworkBench):
#                                         raw Netty echo vs RivetServer, relaxed and durable,
#                                         JDK HttpClient/WebSocket load generator, the throughput
#                                         rows again with the Netty one (-netty rows) (~3.5 min)
#   scripts/bench.sh net --smoke          the same, each row about 0.7 s (exit 1 only on errors)
#   scripts/bench.sh net --warmup=2 --measure=5 --actors=1000 --connections=64 --per-connection=4
#   scripts/bench.sh net --only='ws-1000-actors|ws-echo-1000c'   rows whose "scenario mode" match
#   scripts/bench.sh net --generators=netty --gen-threads=2       throughput rows' generators
# `net` is its own JVM run and not part of the default (in-process) scenario list.
#   scripts/bench.sh js                   the official RivetKit JavaScript client as load generator
#                                         (benchmarks/js/): raw Netty echo, then scripts/serve.sh
#                                         counter relaxed and durable, plus the Java generator
#                                         (NetworkBench --endpoint) against the same servers (~6 min)
#   scripts/bench.sh reference            the same client against the real RivetKit 2.3.19
#                                         (../shared/reference), scaled down (~2.5 min + lock wait)
#   scripts/bench.sh js reference         both; results in benchmarks/results/<date>.{md,jsonl}
#   scripts/bench.sh js --smoke           each scenario about 1 s, ~1 min (exit 1 only on errors)
# See benchmarks/js/run.sh for their options.
#
# Environment:
#   BENCH_JAVA_OPTS   JVM flags (default: -Xms2g -Xmx2g -XX:+UseParallelGC -XX:+AlwaysPreTouch)
#   BENCH_SKIP_BUILD  1 to reuse the last build in benchmarks/target
#   BENCH_JFR         a file name: record a JFR profile of the run there; summarise it with
#                     java -cp 'benchmarks/target/lib/*:benchmarks/target/classes' \
#                       io.rivet4j.benchmarks.JfrTop FILE
# The markdown report goes to standard output, progress to standard error, the runtime's own log
# to benchmarks/target/bench-runtime.log (its first 20 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh

case "${1:-}" in
  js|reference)
    # the Java side of `js` is the echo server (this module) and the counter example (built with
    # it, as a dependency); `reference` alone needs no build
    if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] && [[ " $* " == *" js "* ]]; then
      ./mvnw -B -q -ntp -pl benchmarks -am install -DskipTests >&2
    fi
    exec benchmarks/js/run.sh "$@" ;;
esac

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -B -q -ntp -pl benchmarks -am install -DskipTests >&2
fi

jar=$(ls benchmarks/target/benchmarks-*.jar 2>/dev/null | head -n 1 || true)
if [ -z "$jar" ] || [ ! -d benchmarks/target/lib ]; then
  echo "error: benchmarks/target has no build; run without BENCH_SKIP_BUILD=1" >&2
  exit 1
fi

opts=(${BENCH_JAVA_OPTS:--Xms2g -Xmx2g -XX:+UseParallelGC -XX:+AlwaysPreTouch})
if [ -n "${BENCH_JFR:-}" ]; then
  opts+=("-XX:StartFlightRecording=filename=${BENCH_JFR},settings=profile")
fi
# The runtime's log goes through a pipe that keeps its first 20 MB: an overloaded relaxed mode
# logs a stack trace per refused commit (gigabytes), and writing that to disk would disturb the
# fsync latency of the scenarios that follow. Failed commits are counted in the report anyway.
log=benchmarks/target/bench-runtime.log
rm -f "$log"
exec 3> >(head -c 20000000 > "$log")
main=io.rivet4j.benchmarks.InProcessBench
if [ "${1:-}" = net ]; then
  main=io.rivet4j.benchmarks.NetworkBench
  shift
fi
# `scripts/bench.sh lifecycle [--smoke] [scenario…]`: creates, wakes, fan-out, chat, startup
# and per-WebSocket memory (io.rivet4j.benchmarks.LifecycleBench, ~1.5 min; --help lists options)
if [ "${1:-}" = lifecycle ]; then
  main=io.rivet4j.benchmarks.LifecycleBench
  shift
fi
status=0
"$JAVA_HOME/bin/java" "${opts[@]}" --enable-native-access=ALL-UNNAMED \
  -Dorg.slf4j.simpleLogger.logFile=/dev/fd/3 \
  -cp "$jar:benchmarks/target/lib/*" "$main" "$@" || status=$?
exec 3>&-
sleep 0.2
if [ -s "$log" ]; then
  echo "# runtime log (first 20 MB): $log" >&2
fi
exit "$status"
