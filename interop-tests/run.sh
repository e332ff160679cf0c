#!/usr/bin/env bash
# Runs the interop tests: the official RivetKit 2.3.19 client (npm rivetkit, pinned in
# package-lock.json) against the Java conformance server, in the json, cbor and bare encodings.
# Installs the npm packages first when they are missing or older than the lock (npm ci, or
# npm install when npm ci refuses the lock). The last line printed is "N passed, N failed".
#
#   interop-tests/run.sh                          # all test files
#   interop-tests/run.sh test/reconnect.test.mjs  # some of them
#   INTEROP_ENDPOINT=http://127.0.0.1:6420 interop-tests/run.sh test/conformance.test.mjs
#                                                 # against a running server (e.g. the reference)
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "error: the interop tests need Node.js 20+ and npm on the PATH" >&2
  exit 1
fi
if [ ! -f node_modules/rivetkit/package.json ] || [ ! -f node_modules/ws/package.json ] \
    || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing the interop tests' npm packages..." >&2
  flags=(--no-audit --no-fund --ignore-scripts --omit=optional)
  npm ci "${flags[@]}" >&2 || npm install --no-save "${flags[@]}" >&2
fi
exec node run.mjs "$@"
