#!/usr/bin/env bash
# Runs the whole Rivet4j test suite: every module's unit, integration and crash tests (Maven),
# then the interop tests (interop-tests/run.sh: the official RivetKit JavaScript client against
# the Java conformance server, started with scripts/serve.sh conformance), then the chat-room
# browser test (Playwright + Debian Chromium), then the reference tests (scripts/reference-test.sh:
# the Java client's behaviour matrix against the real RivetKit 2.3.19 of ../shared/reference).
# The last line totals those three suites.
#
# Maven runs `install` rather than `verify` so that scripts/serve.sh and the reference tests find
# the modules they were just given to test in the local repository on a clean clone.
# SKIP_INTEROP=1 skips the three suites after Maven, SKIP_REFERENCE=1 the reference tests only;
# then the benchmarks' smoke runs (SKIP_BENCH_SMOKE=1 skips them) and the tests of their report
# (node --test benchmarks/js/test/); arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh
./mvnw -B -ntp install "$@"
if [ "${SKIP_INTEROP:-0}" = 1 ]; then
  echo "interop tests skipped (SKIP_INTEROP=1)"
  exit 0
fi
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
status=0
bash interop-tests/run.sh 2>&1 | tee "$log/interop" || status=1
bash examples/chat-room/browser-test/run.sh 2>&1 | tee "$log/browser" || status=1
suites=("$log/interop" "$log/browser")
if [ "${SKIP_REFERENCE:-0}" = 1 ]; then
  echo "reference tests skipped (SKIP_REFERENCE=1)"
else
  bash scripts/reference-test.sh 2>&1 | tee "$log/reference" || status=1
  suites+=("$log/reference")
fi
# The benchmarks' smoke modes: every scenario for about a second (jmh: every microbenchmark
# once, ~25 s); they fail only on errors (never on timings). SKIP_BENCH_SMOKE=1 skips them. Then
# the results report's tests.
if [ "${SKIP_BENCH_SMOKE:-0}" = 1 ]; then
  echo "benchmark smoke runs skipped (SKIP_BENCH_SMOKE=1)"
else
  for kind in inprocess net lifecycle jmh; do
    echo "== scripts/bench.sh $kind --smoke"
    if ! BENCH_SKIP_BUILD=1 bash scripts/bench.sh $kind --smoke > "$log/bench-smoke" 2>&1; then
      tail -n 30 "$log/bench-smoke"
      echo "error: scripts/bench.sh $kind --smoke failed" >&2
      status=1
    fi
  done
fi
echo "== node --test benchmarks/js/test/"
if ! node --test benchmarks/js/test/ > "$log/bench-report" 2>&1; then
  tail -n 40 "$log/bench-report"
  echo "error: the benchmark report's tests failed" >&2
  status=1
fi
passed=0
failed=0
for f in "${suites[@]}"; do
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$f" | tail -n 1 || true)
  if [ -z "$line" ]; then
    echo "error: $(basename "$f") tests printed no result line" >&2
    status=1
    continue
  fi
  passed=$((passed + $(echo "$line" | cut -d' ' -f1)))
  failed=$((failed + $(echo "$line" | cut -d' ' -f3)))
done
[ "$failed" = 0 ] || status=1
echo "$passed passed, $failed failed"
exit "$status"
