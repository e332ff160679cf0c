#!/usr/bin/env bash
# Runs the Java client's behaviour matrix (rivet4j-client's ReferenceServerTest: the same tests
# JavaServerMatrixTest runs against the Java server, in json, cbor and bare) against the real
# RivetKit 2.3.19: a fresh copy of ../shared/reference (npm rivetkit + its Rivet Engine serving
# the conformance actors) on 127.0.0.1:6420 (6421 and 6430 for the engine's other services).
# The last line printed is "N passed, N failed".
#
# Needs Node 20+ and npm, and the Rivet4j modules in the local Maven repository (scripts/test.sh
# installs them first; otherwise run ./mvnw install -DskipTests once). Arguments go to Maven.
#
# - The reference is copied to a temporary folder (without .state and node_modules) and its
#   pinned npm packages installed there (npm ci, or npm install when npm ci refuses the lock).
# - Runs of the reference are serialized with flock on /tmp/rivet4j-reference.lock (other tools,
#   e.g. benchmarks, start it too); ports already in use by anything else are an error.
# - The engine's storage lives on tmpfs (/dev/shm) when there is one: on a disk with slow
#   fsyncs, its actor creations and wakes time out after 30 s once actors start to sleep.
# - The reference is stopped on exit, whatever happens; its logs are kept in
#   rivet4j-client/target/reference-logs/.
#
#   scripts/reference-test.sh
#   RIVET_REFERENCE_DIR=/path/to/reference scripts/reference-test.sh -o
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source scripts/java-env.sh

# The reference sits next to the project's checkout (../shared/reference); a clone elsewhere (CI's
# clean clone in a temp dir) finds the machine's copy in /work/shared/reference.
if [ -n "${RIVET_REFERENCE_DIR:-}" ]; then
  source_dir="$RIVET_REFERENCE_DIR"
elif [ -d "$root/../shared/reference" ]; then
  source_dir="$root/../shared/reference"
else
  source_dir=/work/shared/reference
fi
lock=/tmp/rivet4j-reference.lock
ports=(6420 6421 6430)
endpoint=http://127.0.0.1:6420
report=rivet4j-client/target/surefire-reports/TEST-io.rivet4j.client.ReferenceServerTest.xml
logs=rivet4j-client/target/reference-logs

fail() {
  echo "error: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}

command -v node >/dev/null && command -v npm >/dev/null \
  || fail "the reference tests need Node.js 20+ and npm on the PATH"
[ -f "$source_dir/start.sh" ] && [ -f "$source_dir/package-lock.json" ] \
  || fail "no RivetKit reference at $source_dir (set RIVET_REFERENCE_DIR)"

started=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/rivet4j-reference.XXXXXX")
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  state=$(mktemp -d /dev/shm/rivet4j-reference-state.XXXXXX)
else
  state="$work/state"
  mkdir -p "$state"
fi
cleanup() {
  if [ -f "$state/engine.pid" ] || [ -f "$state/server.pid" ]; then
    STATE_DIR="$state" bash "$work/reference/stop.sh" >&2 || true
  fi
  mkdir -p "$logs"
  cp "$state"/*.log "$logs"/ 2>/dev/null || true
  rm -rf "$work" "$state"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "copying the reference from $source_dir and installing its npm packages..." >&2
mkdir "$work/reference"
(cd "$source_dir" && tar cf - --exclude=./.state --exclude=./node_modules .) \
  | (cd "$work/reference" && tar xf -)
chmod -R u+w "$work/reference"
(
  cd "$work/reference"
  npm ci --no-audit --no-fund >"$work/npm.log" 2>&1 \
    || npm install --no-audit --no-fund >>"$work/npm.log" 2>&1
) || { tail -n 20 "$work/npm.log" >&2; fail "npm could not install the reference's packages"; }

# Compile before taking the lock: the reference is held only while the tests run.
./mvnw -B -q -ntp test-compile -pl rivet4j-client "$@" >&2 \
  || fail "rivet4j-client does not compile"

installed=$(date +%s)
exec 9>>"$lock"
if ! flock -n 9; then
  echo "waiting for $lock (another run of the reference)..." >&2
  flock -w 600 9 || fail "$lock is still held after 10 minutes"
fi
for port in "${ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "port $port is already in use; the reference needs ports ${ports[*]} (is another" \
      "reference or server running? stop it first)"
  fi
done

locked=$(date +%s)
STATE_DIR="$state" bash "$work/reference/start.sh" >&2 9>&- \
  || fail "the reference did not start (logs in $logs)"

rm -f "$report"
maven=0
RIVET_REFERENCE_ENDPOINT="$endpoint" ./mvnw -B -q -ntp test -pl rivet4j-client \
  -Dtest=ReferenceServerTest -Dsurefire.failIfNoSpecifiedTests=false "$@" >&2 || maven=$?

[ -f "$report" ] || fail "Maven wrote no report for ReferenceServerTest (exit status $maven)"
attr() {
  grep -o "<testsuite [^>]*" "$report" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'
}
tests=$(attr tests)
failures=$(attr failures)
errors=$(attr errors)
skipped=$(attr skipped)
if [ "$skipped" != 0 ]; then
  echo "error: $skipped reference tests were skipped (did RIVET_REFERENCE_ENDPOINT reach them?)" >&2
fi
passed=$((tests - failures - errors - skipped))
failed=$((failures + errors + skipped))
echo "reference tests: $tests run; $((installed - started)) s to install and compile," \
  "$((locked - installed)) s waiting for the lock, $(($(date +%s) - locked)) s to start the" \
  "reference and test" >&2
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$maven" = 0 ]
