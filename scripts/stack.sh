#!/usr/bin/env bash
# The whole stack on this machine, without Docker: Kafka (scripts/kafka.sh), PostgreSQL (the server on
# DATABASE_URL, or an embedded one when nothing answers there), migrations, and the four apps in the
# background with logs in .data/logs.
#
#   scripts/stack.sh start|stop|status
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
run_dir="$root/.data/run"
log_dir="$root/.data/logs"
apps=(ingest projector decision tier)
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/metergate}
declare -A ports=(
  [ingest]=${INGEST_HTTP_PORT:-3001}
  [decision]=${DECISION_HTTP_PORT:-3002}
  [tier]=${TIER_HTTP_PORT:-3003}
  [projector]=${PROJECTOR_HTTP_PORT:-3004}
)

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Never the URL itself on a terminal: it may hold a password (URL's own error would print it whole).
database_host_port() {
  node -e 'try { const u = new URL(process.env.DATABASE_URL); console.log(`${u.hostname} ${u.port || 5432}`) }
    catch { console.error("postgres: DATABASE_URL is not a URL (not shown: it may hold a password)"); process.exit(1) }'
}

database_url_shown() {
  sed -E 's#^([^:/]*://[^:/@]*):.*@#\1:***@#' <<<"$DATABASE_URL"
}

start_postgres() {
  local host port
  read -r host port < <(database_host_port)
  if port_open "$host" "$port"; then
    echo "postgres: using the server on $host:$port"
    return
  fi
  [[ $host == 127.0.0.1 || $host == localhost ]] ||
    { echo "postgres: nothing answers on $host:$port (DATABASE_URL)" >&2; exit 1; }
  echo "postgres: nothing answers on $host:$port; starting an embedded PostgreSQL (data in .data/postgres)"
  nohup node scripts/embedded-postgres.js "$port" >>"$log_dir/postgres.log" 2>&1 &
  echo $! >"$run_dir/postgres.pid"
  for _ in $(seq 1 120); do
    port_open "$host" "$port" && return
    pid_alive "$run_dir/postgres.pid" || break
    sleep 0.5
  done
  echo "postgres: the embedded server did not start; see $log_dir/postgres.log" >&2
  exit 1
}

wait_ready() {
  local app=$1 url="http://127.0.0.1:${ports[$1]}/health/ready"
  for _ in $(seq 1 180); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    pid_alive "$run_dir/$app.pid" || { echo "$app: exited; see $log_dir/$app.log" >&2; return 1; }
    sleep 0.5
  done
  echo "$app: not ready after 90 s; see $log_dir/$app.log" >&2
  return 1
}

start() {
  mkdir -p "$run_dir" "$log_dir"
  bash scripts/kafka.sh start
  start_postgres
  echo "build: compiling the four apps"
  npm run --silent build >"$log_dir/build.log" 2>&1 || { cat "$log_dir/build.log" >&2; exit 1; }
  node dist/apps/projector/libs/database/src/migrate.main.js
  for app in "${apps[@]}"; do
    if pid_alive "$run_dir/$app.pid"; then
      echo "$app: already running (pid $(cat "$run_dir/$app.pid"))"
      continue
    fi
    nohup node "dist/apps/$app/apps/$app/src/main.js" >>"$log_dir/$app.log" 2>&1 &
    echo $! >"$run_dir/$app.pid"
  done
  for app in "${apps[@]}"; do wait_ready "$app"; done
  # Never the configured tokens themselves: this goes to terminals and CI logs.
  local tokens='Authorization: Bearer dev-service | dev-analyst | dev-admin (set AUTH_TOKENS to change)'
  if [[ -n "${AUTH_TOKENS:-}" ]]; then tokens='the ones in AUTH_TOKENS'; fi
  cat <<INFO

Metergate is up (logs in .data/logs, stop with: npm stop)
  ingest     http://127.0.0.1:${ports[ingest]}     POST /v1/usage
  decision   http://127.0.0.1:${ports[decision]}     POST /v1/decisions, /v1/decisions/batch
             grpc 127.0.0.1:${DECISION_GRPC_PORT:-50051}   metergate.decision.v1.DecisionService, envoy.service.ratelimit.v3.RateLimitService
  tier       http://127.0.0.1:${ports[tier]}     /v1/orgs/{orgId}, /v1/applications, /v1/orgs/{orgId}/usage|quota, /v1/usage/top
  console    http://127.0.0.1:${ports[tier]}/console   the web console (sign in with a tier token)
  projector  http://127.0.0.1:${ports[projector]}     /health, /metrics
  every app: /health, /health/ready, /metrics, /docs
  tokens     $tokens
  kafka      127.0.0.1:${KAFKA_PORT:-9092}
  postgres   $(database_url_shown)
INFO
}

stop() {
  for app in "${apps[@]}" postgres; do
    local pid_file="$run_dir/$app.pid"
    if pid_alive "$pid_file"; then
      kill "$(cat "$pid_file")"
      for _ in $(seq 1 40); do pid_alive "$pid_file" || break; sleep 0.25; done
      pid_alive "$pid_file" && kill -9 "$(cat "$pid_file")"
      echo "$app: stopped"
    fi
    rm -f "$pid_file"
  done
  bash scripts/kafka.sh stop
}

status() {
  for app in "${apps[@]}" postgres; do
    if pid_alive "$run_dir/$app.pid"; then echo "$app: running (pid $(cat "$run_dir/$app.pid"))"; else echo "$app: not running"; fi
  done
  bash scripts/kafka.sh status || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
