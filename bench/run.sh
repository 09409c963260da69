#!/usr/bin/env bash
# npm run bench: builds the apps and the bench, makes sure Kafka runs, and runs every scenario of
# bench/main.ts against a fresh database and fresh topics; writes bench/RESULTS.md. App logs go to
# .data/bench/. Stops the broker again if this script started it.
#
# Environment:
#   BENCH_SECONDS (10)  length of each measured load
#   BENCH_REPEAT (3)    rounds of the decision scenarios (decision-throughput, decision-latency, replicas);
#                       figures are medians over the rounds, ratios the median of each round's ratio
#   BENCH_ONLY          a comma-separated subset of ingest, projector, freshness, decision-throughput,
#                       decision-latency, decision-freshness, replicas, memory; writes
#                       .data/bench/RESULTS.partial.md instead of bench/RESULTS.md
#   BENCH_NODE_ARGS     Node flags for every app the bench starts, to see where the time goes
#                       (`--cpu-prof --cpu-prof-dir=/tmp/profiles`)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# Only the apps the scenarios boot: the bench should not depend on the tier app compiling.
for app in ingest projector decision; do npx nest build "$app"; done
npx tsc -p bench/tsconfig.json
# The bench imports the libs by their @metergate/* names, as the apps do; tsc leaves those names in the
# output, so each compiled lib is linked where Node looks for packages.
mkdir -p dist/bench/node_modules/@metergate
for lib in dist/bench/libs/*/; do
  name=$(basename "$lib")
  ln -sfn "../../libs/$name/src" "dist/bench/node_modules/@metergate/$name"
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
