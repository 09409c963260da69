#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft, combined broker + controller) without Docker.
# The jars come from Maven Central through infra/kafka/pom.xml and stay in the local Maven repository,
# so only the first start downloads anything. Data and logs live in .data/kafka (git-ignored).
#
#   scripts/kafka.sh start|stop|status|logs
#
# Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_HEAP (512m), KAFKA_DATA_DIR.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
pom_dir="$root/infra/kafka"
lib_dir="$pom_dir/target/lib"
data_dir=${KAFKA_DATA_DIR:-$root/.data/kafka}
port=${KAFKA_PORT:-9092}
controller_port=${KAFKA_CONTROLLER_PORT:-9093}
heap=${KAFKA_HEAP:-512m}
pid_file="$data_dir/kafka.pid"
log_file="$data_dir/kafka.log"
config_file="$data_dir/server.properties"

die() { echo "kafka: $*" >&2; exit 1; }

require_tools() {
  command -v java >/dev/null 2>&1 || die "Java 17 or newer is required (java not found on PATH)."
  local major
  major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  [[ ${major%%.*} -ge 17 ]] 2>/dev/null || die "Java 17 or newer is required (found Java ${major:-unknown})."
  if [[ ! -f "$lib_dir/.resolved" || "$pom_dir/pom.xml" -nt "$lib_dir/.resolved" ]]; then
    command -v mvn >/dev/null 2>&1 || die "Maven is required to fetch the Kafka jars (mvn not found on PATH)."
  fi
}

resolve_jars() {
  [[ -f "$lib_dir/.resolved" && ! "$pom_dir/pom.xml" -nt "$lib_dir/.resolved" ]] && return 0
  echo "kafka: resolving the Kafka jars with Maven (first start only)..."
  rm -rf "$lib_dir"
  mvn -q -B -f "$pom_dir/pom.xml" dependency:copy-dependencies >"$data_dir/maven.log" 2>&1 ||
    die "Maven could not resolve the Kafka jars; see $data_dir/maven.log"
  touch "$lib_dir/.resolved"
}

running_pid() {
  [[ -f "$pid_file" ]] || return 1
  local pid
  pid=$(cat "$pid_file")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

write_config() {
  cat >"$config_file" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$data_dir/data
# One node on a small machine: no replication, few partitions for internal topics, few threads.
num.partitions=1
auto.create.topics.enable=false
offsets.topic.num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
log.cleaner.dedupe.buffer.size=2097152
PROPS
}

probe() {
  # The listener being open is not enough: ask for metadata the way the apps will.
  node -e "
    const { Kafka, logLevel } = require('kafkajs');
    const admin = new Kafka({ brokers: ['127.0.0.1:$port'], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    admin.connect().then(() => admin.describeCluster()).then(() => admin.disconnect()).then(() => process.exit(0), () => process.exit(1));
  " 2>/dev/null
}

start_once() {
  local cp="$lib_dir/*"
  if [[ ! -f "$data_dir/data/meta.properties" ]]; then
    local cluster_id
    cluster_id=$(java -cp "$cp" kafka.tools.StorageTool random-uuid)
    java -cp "$cp" kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$config_file" >>"$log_file" 2>&1 ||
      die "formatting the storage failed; see $log_file"
  fi
  KAFKA_LOG4J_OPTS="" nohup java -Xms128m -Xmx"$heap" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$pom_dir/log4j2.xml" -Dkafka.logs.dir="$data_dir" \
    -cp "$cp" kafka.Kafka "$config_file" >>"$log_file" 2>&1 &
  echo $! >"$pid_file"
  local deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-90}))
  while ((SECONDS < deadline)); do
    running_pid >/dev/null || return 1
    if port_open "$port" && probe; then return 0; fi
    sleep 0.5
  done
  return 1
}

start() {
  mkdir -p "$data_dir"
  if running_pid >/dev/null || (port_open "$port" && probe); then
    echo "kafka: already running on 127.0.0.1:$port"
    return 0
  fi
  require_tools
  resolve_jars
  write_config
  # A KRaft start can time out on a loaded machine; one retry is enough in practice.
  for attempt in 1 2; do
    if start_once; then
      echo "kafka: ready on 127.0.0.1:$port (logs: $log_file)"
      return 0
    fi
    echo "kafka: start attempt $attempt did not become ready; see $log_file" >&2
    stop >/dev/null
  done
  die "the broker did not start; last lines of $log_file:
$(tail -n 20 "$log_file")"
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    echo "kafka: not running"
    rm -f "$pid_file"
    return 0
  fi
  kill "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$pid_file"
  echo "kafka: stopped"
}

status() {
  local pid
  if pid=$(running_pid); then
    echo "kafka: running (pid $pid) on 127.0.0.1:$port"
  elif port_open "$port"; then
    echo "kafka: a broker not started by this script listens on 127.0.0.1:$port"
  else
    echo "kafka: not running"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  logs) echo "$log_file"; [[ -f "$log_file" ]] && tail -n "${2:-100}" "$log_file" ;;
  *) echo "usage: $0 start|stop|status|logs [lines]" >&2; exit 2 ;;
esac
