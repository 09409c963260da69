#!/usr/bin/env bash
# Envoy's rate limit client for test/integration/envoy-wire.test.ts: infra/envoy-client (RateLimitProbe on
# the Java classes Envoy's project generates from its own .proto files), compiled with Maven into
# .data/envoy-client (git-ignored) and compiled again only when its pom or sources change. The jars stay
# in the local Maven repository, so only the first build downloads anything.
#
#   scripts/envoy-client.sh build           compile when stale (npm test does it before jest)
#   scripts/envoy-client.sh run HOST:PORT   compile when stale, then run the client (see RateLimitProbe)
#
# Environment: ENVOY_CLIENT_DIR (.data/envoy-client), ENVOY_CLIENT_HEAP (128m, the client's and Maven's).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
project_dir="$root/infra/envoy-client"
build_dir=${ENVOY_CLIENT_DIR:-$root/.data/envoy-client}
heap=${ENVOY_CLIENT_HEAP:-128m}
stamp="$build_dir/.built"
log_file="$build_dir/maven.log"

# Everything but the client's answers goes to stderr: `run` speaks its protocol on stdout.
die() { echo "envoy-client: $*" >&2; exit 1; }

require_tools() {
  command -v java >/dev/null 2>&1 || die "Java 17 or newer is required (java not found on PATH)."
  local major
  major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  [[ ${major%%.*} -ge 17 ]] 2>/dev/null || die "Java 17 or newer is required (found Java ${major:-unknown})."
  command -v mvn >/dev/null 2>&1 || die "Maven is required to build the client (mvn not found on PATH)."
}

stale() {
  [[ ! -f $stamp ]] || [[ -n $(find "$project_dir/pom.xml" "$project_dir/src" -newer "$stamp" -print -quit) ]]
}

build() {
  stale || return 0
  require_tools
  echo "envoy-client: compiling infra/envoy-client with Maven (first run, or its pom or sources changed)..." >&2
  rm -rf "$build_dir"
  mkdir -p "$build_dir"
  # Stamped before compiling: a source edited while Maven runs leaves the build stale, not current.
  local started="$build_dir/.started"
  touch "$started"
  MAVEN_OPTS="${MAVEN_OPTS:-} -Xmx$heap" mvn -q -B -f "$project_dir/pom.xml" \
    -Denvoy-client.build-dir="$build_dir" compile >"$log_file" 2>&1 ||
    die "Maven could not build the client; see $log_file
$(tail -n 20 "$log_file")"
  mv "$started" "$stamp"
}

run() {
  [[ $# -eq 1 ]] || die "usage: $0 run HOST:PORT"
  build
  exec java -Xmx"$heap" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -cp "$build_dir/classes:$(cat "$build_dir/classpath")" dev.metergate.envoyclient.RateLimitProbe "$1"
}

case "${1:-}" in
  build) build ;;
  run) shift; run "$@" ;;
  *) echo "usage: $0 build | run HOST:PORT" >&2; exit 2 ;;
esac
