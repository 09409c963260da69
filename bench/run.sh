#!/usr/bin/env bash
# npm run bench: builds the apps and the bench, makes sure Kafka runs, and runs every scenario of
# bench/main.ts against a fresh database and fresh topics; writes bench/RESULTS.md. App logs go to
# .data/bench/. Stops the broker again if this script started it.
#
# Environment: BENCH_SECONDS (10) per measured load;
# BENCH_ONLY=ingest,projector,freshness,decisions,decision-freshness,memory
# runs a subset and writes .data/bench/RESULTS.partial.md instead.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# Only the apps the scenarios boot: the bench should not depend on the tier app compiling.
for app in ingest projector decision; do npx nest build "$app"; done
npx tsc -p bench/tsconfig.json
# The bench apps import the libs by their @metergate/* names, as the apps do; tsc leaves those names in
# the output, so they are linked where Node looks for packages, beside the compiled libs.
for lib in contracts platform policy; do
  mkdir -p dist/bench/node_modules/@metergate
  ln -sfn "../../libs/$lib/src" "dist/bench/node_modules/@metergate/$lib"
done

started_kafka=false
if ! scripts/kafka.sh status >/dev/null 2>&1; then
  scripts/kafka.sh start
  started_kafka=true
fi
stop_kafka() {
  if [[ $started_kafka == true ]]; then scripts/kafka.sh stop; fi
}
trap stop_kafka EXIT

node dist/bench/bench/main.js
# The tables are written plainly; prettier aligns them as `npm run lint` expects.
if [[ -z ${BENCH_ONLY:-} ]]; then npx prettier --log-level warn --write bench/RESULTS.md; fi
