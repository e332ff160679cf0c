#!/usr/bin/env bash
# Runs the whole Rivet4j test suite: every module's unit, integration and crash tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh
exec ./mvnw -B -ntp verify "$@"
