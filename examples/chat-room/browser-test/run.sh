#!/usr/bin/env bash
# Browser test of the chat page: Debian's Chromium driven by playwright-core (pinned in
# package-lock.json; no browser is ever downloaded) against a chat-room server that test.mjs
# starts with scripts/serve.sh on free ports and a temporary data directory, and stops at the end.
# Installs what is missing first: the chromium Debian package, the npm packages, and the
# example's build (server jar + bundled page) when it is missing or older than its sources.
# Exits non-zero on failure; the last line printed is "N passed, N failed".
#
#   examples/chat-room/browser-test/run.sh
#   CHROMIUM_PATH=/path/to/chromium examples/chat-room/browser-test/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
module="$root/examples/chat-room"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "error: the browser test needs Node.js 20+ and npm on the PATH" >&2
  exit 1
fi

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "installing Debian's chromium package..." >&2
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2
fi

cd "$here"
if [ ! -f node_modules/playwright-core/package.json ] \
    || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing the browser test's npm packages..." >&2
  flags=(--no-audit --no-fund --ignore-scripts)
  npm ci "${flags[@]}" >&2 || npm install --no-save "${flags[@]}" >&2
fi

# scripts/serve.sh rebuilds when Java sources change; the page's sources are checked here.
jar=$(ls "$module"/target/chat-room-*.jar 2>/dev/null | grep -v -e sources -e tests | head -n 1 || true)
if [ -z "$jar" ] || [ ! -f "$module/target/classes/web/app.js" ] \
    || [ -n "$(find "$module/web/src" "$module/web/index.html" "$module/web/style.css" \
        "$module/web/package.json" "$module/web/package-lock.json" -newer "$jar" -print -quit)" ]; then
  echo "building the chat-room example (first run or page sources changed)..." >&2
  (cd "$root" && source scripts/java-env.sh \
    && ./mvnw -B -q -ntp install -DskipTests -pl examples/chat-room -am) >&2
  jar=$(ls "$module"/target/chat-room-*.jar | grep -v -e sources -e tests | head -n 1)
  touch "$jar"
fi

export CHROMIUM_PATH="$chromium"
exec node test.mjs
