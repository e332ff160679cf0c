#!/usr/bin/env bash
# Runs the whole Rivet4j test suite: every module's unit, integration and crash tests (Maven),
# then the interop tests (interop-tests/run.sh: the official RivetKit JavaScript client against
# the Java conformance server, started with scripts/serve.sh conformance).
#
# Maven runs `install` rather than `verify` so that scripts/serve.sh finds the modules it was
# just given to test in the local repository on a clean clone. SKIP_INTEROP=1 skips the interop
# tests; arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh
./mvnw -B -ntp install "$@"
if [ "${SKIP_INTEROP:-0}" = 1 ]; then
  echo "interop tests skipped (SKIP_INTEROP=1)"
  exit 0
fi
exec bash interop-tests/run.sh
