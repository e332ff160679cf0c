#!/usr/bin/env bash
# Serves an example's actors to the official RivetKit client, in the foreground, until Ctrl-C
# or SIGTERM (actors sleep and storage is closed before exit).
#
#   scripts/serve.sh counter
#   scripts/serve.sh conformance
#
# EXAMPLE is any Maven module examples/EXAMPLE whose artifactId is EXAMPLE. Its main class is, by
# convention, io.rivet4j.examples.<pkg>.<Name>Server, where <pkg> is EXAMPLE in lower case without
# '-' and '_' and <Name> is EXAMPLE in CamelCase (counter -> io.rivet4j.examples.counter.CounterServer,
# chat-room -> io.rivet4j.examples.chatroom.ChatRoomServer); SERVE_MAIN_CLASS overrides it.
#
# Prints one line when clients can connect, e.g. "Rivet4j counter ready at http://127.0.0.1:6420".
# Builds what is missing first (only when sources are newer than the last build).
#
# Environment:
#   RIVET_PORT        port (default 6420); RIVET_HOST (default 127.0.0.1)
#   RIVET_DATA_DIR    storage directory (default data/<example> under the project)
#   RIVET_DURABILITY  durable (default) or relaxed
#   RIVET_TOKEN       require this token on every API and gateway request (default: none)
#   RIVET_WS_PING_INTERVAL_MS, RIVET_WS_IDLE_TIMEOUT_MS, RIVET_HTTP_IDLE_TIMEOUT_MS,
#   RIVET_SLOW_CONSUMER_TIMEOUT_MS, RIVET_MAX_INCOMING_MESSAGE_SIZE,
#   RIVET_MAX_OUTGOING_MESSAGE_SIZE, RIVET_MAX_INPUT_SIZE   server timeouts and limits
#   RIVET_SLEEP_TIMEOUT_MS, RIVET_ACTION_TIMEOUT_MS, RIVET_SLEEP_GRACE_MS
#                     actor timeouts, for the examples that read them (conformance)
#   RIVET_LOG_LEVEL   trace|debug|info|warn|error (default warn; logs go to standard error)
#   RIVET_SUPERVISE   1: run the server under io.rivet4j.server.Supervisor, which holds the port
#                     and restarts the server when it dies (clients reconnect by themselves:
#                     connections wait in the backlog instead of being refused)
#   SERVE_JAVA_OPTS   JVM flags (default -XX:+UseG1GC: first action ~0.7 s after launch, ~130 MB
#                     idle RSS; for large heaps with tight pause goals, e.g. -Xms4g -XX:+UseZGC)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

example="${1:-}"
examples=$(for p in examples/*/pom.xml; do [ -f "$p" ] && basename "$(dirname "$p")"; done | tr '\n' ' ')
case "$example" in
  ""|-h|--help)
    echo "usage: scripts/serve.sh EXAMPLE   (examples: ${examples% })" >&2
    exit 2 ;;
esac
module="examples/$example"
if [[ "$example" == */* || ! -f "$module/pom.xml" ]]; then
  echo "error: unknown example '$example' (examples: ${examples% })" >&2
  exit 2
fi
pkg=$(echo "$example" | tr -d '_-' | tr '[:upper:]' '[:lower:]')
name=$(echo "$example" | awk -F'[-_]' '{ for (i = 1; i <= NF; i++) printf "%s", toupper(substr($i, 1, 1)) substr($i, 2) }')
main="${SERVE_MAIN_CLASS:-io.rivet4j.examples.$pkg.${name}Server}"

source scripts/java-env.sh

# Build when the example's jar is missing or older than any source it is made of.
jar=$(ls "$module"/target/"$example"-*.jar 2>/dev/null | grep -v -e sources -e tests \
  | head -n 1 || true)
stale=0
if [ -z "$jar" ]; then
  stale=1
else
  for dir in rivet4j-api rivet4j-protocol rivet4j-runtime rivet4j-server "$module"; do
    if [ -n "$(find "$dir/src/main" "$dir/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]; then
      stale=1
      break
    fi
  done
  if [ pom.xml -nt "$jar" ]; then stale=1; fi
fi
cpfile="$module/target/serve.classpath"
if [ "$stale" = 1 ]; then
  echo "building $example (first run or sources changed)..." >&2
  ./mvnw -B -q -ntp install -DskipTests -pl "$module" -am >&2
  jar=$(ls "$module"/target/"$example"-*.jar | grep -v -e sources -e tests | head -n 1)
  touch "$jar" # Maven keeps an unchanged jar's old time; without this every run would rebuild
  rm -f "$cpfile"
fi
if [ ! -s "$cpfile" ] || [ "$module/pom.xml" -nt "$cpfile" ] || [ pom.xml -nt "$cpfile" ]; then
  ./mvnw -B -q -ntp dependency:build-classpath -pl "$module" \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$ROOT/$cpfile" >&2
fi

export RIVET_PORT="${RIVET_PORT:-6420}"
export RIVET_DATA_DIR="${RIVET_DATA_DIR:-$ROOT/data/$example}"
export RIVET_DURABILITY="${RIVET_DURABILITY:-durable}"
level="${RIVET_LOG_LEVEL:-warn}"
opts=(${SERVE_JAVA_OPTS:--XX:+UseG1GC} --enable-native-access=ALL-UNNAMED)
server=("$JAVA_HOME/bin/java" "${opts[@]}"
  -Dorg.slf4j.simpleLogger.defaultLogLevel="$level"
  -Dorg.slf4j.simpleLogger.showDateTime=true
  -cp "$jar:$(cat "$cpfile")" "$main")
if [ "${RIVET_SUPERVISE:-0}" = 1 ]; then
  exec "$JAVA_HOME/bin/java" -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=info \
    -Dorg.slf4j.simpleLogger.showDateTime=true \
    -cp "$jar:$(cat "$cpfile")" io.rivet4j.server.Supervisor "${server[@]}"
fi
exec "${server[@]}"
