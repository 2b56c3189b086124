#!/usr/bin/env bash
# Runs the whole Visca AI Gateway on this machine: Kafka and PostgreSQL (embedded, unless their URLs are given)
# and the four services. Needs only a JDK 17+; the Maven wrapper fetches everything else.
#
#   ./gateway.sh up       build if needed, start everything, wait until every service is ready, print the URLs
#   ./gateway.sh down     stop everything this script started
#   ./gateway.sh status   what runs, and whether it is ready
#   ./gateway.sh logs S   follow the log of S (router, registry, health-monitor, billing, infra)
#   ./gateway.sh fake-model-server [--port 8000] [--models a,b] [--type openai|anthropic|ollama|tgi|replicate|custom]
#                         a fake model server in the foreground (the tests' fakes), to try the product page's examples
#                         without a GPU: e.g. --port 8000 --models meta-llama/Llama-2-70b-hf is its vLLM example
#
# Environment (all optional):
#   KAFKA_BOOTSTRAP_SERVERS          use this broker instead of the embedded one
#   REGISTRY_DB_URL, BILLING_DB_URL  use these databases (postgresql://host:port/db) instead of the embedded server;
#   DB_USER, DB_PASSWORD             their credentials
#   GATEWAY_ADMIN_TOKEN              admin API token (default: generated once into .gateway/admin-token)
#   GATEWAY_SERVICE_TOKEN            service-to-service token (default: generated once into .gateway/service-token)
#   GATEWAY_SECRETS_KEY(_FILE)       the key (base64 of 32 bytes) that encrypts literal provider secrets at rest, given
#                                    to the registry, router and health monitor only (default: generated once into
#                                    .gateway/secrets-key, mode 600: keep it, without it stored secrets are lost)
#   GATEWAY_SECRETS_PREVIOUS_KEYS(_FILE)  earlier keys during a rotation (see the README)
#   PROVIDERS_DIR                    provider configs (*.json) loaded into the registry at start (default ./providers)
#   GATEWAY_MANAGED_PROVIDERS        false: the registry does not create the managed providers openai and anthropic
#   GATEWAY_MANAGED_PROVIDERS_FILE   a catalogue of managed providers replacing the built-in one (see the README)
#   GATEWAY_SECRET_NAMES, GATEWAY_SECRETS_DIR, GATEWAY_SECRETS_FROM_ENV   which ${NAME} references of provider configs
#                                    resolve, and from where (see the README's Secrets); the services get them, and
#                                    the provider keys themselves, from this environment
#   GATEWAY_KAFKA_PORT, GATEWAY_POSTGRES_PORT   ports of the embedded broker and server (9092, 5432)
#   ROUTER_PORT, REGISTRY_PORT, HEALTH_MONITOR_PORT, BILLING_PORT   (8080, 8081, 8082, 8083)
#   ROUTER_MANAGEMENT_PORT, REGISTRY_MANAGEMENT_PORT, HEALTH_MONITOR_MANAGEMENT_PORT, BILLING_MANAGEMENT_PORT
#                                    management ports: health, metrics, OpenAPI, Swagger UI (9080, 9081, 9082, 9083)
#   MANAGEMENT_HOST                  the interface the management ports listen on (default 127.0.0.1: this machine)
#   GATEWAY_STATE_DIR                pids, logs, data, tokens (default ./.gateway); the services run from there,
#                                    so the router's usage spool is data/usage-spool in it
#   HEALTH_ALERT_WEBHOOK_URL         the health monitor POSTs each endpoint's UP/DOWN transition there (optional)
#   BILLING_API_TOKEN                a second token that opens only billing's finance API (optional)
#   BILLING_RETENTION_RAW_RECORDS    how long billing keeps raw usage records (default 90d; rollups are kept)
#   GATEWAY_WITHOUT                  services not to start, space-separated: billing and/or health-monitor (the
#                                    router's benchmark runs without billing; usage events then wait in Kafka)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE=${GATEWAY_STATE_DIR:-$ROOT/.gateway}
mkdir -p "$STATE"
STATE=$(cd "$STATE" && pwd)
PIDS=$STATE/pids
LOGS=$STATE/logs
KAFKA_PORT=${GATEWAY_KAFKA_PORT:-9092}
PG_PORT=${GATEWAY_POSTGRES_PORT:-5432}
SERVICES=(registry router health-monitor billing)

module_of() {
  case $1 in
    registry) echo provider-registry-service ;;
    router) echo router-service ;;
    health-monitor) echo health-monitor-service ;;
    billing) echo billing-service ;;
  esac
}
port_of() {
  case $1 in
    router) echo "${ROUTER_PORT:-8080}" ;;
    registry) echo "${REGISTRY_PORT:-8081}" ;;
    health-monitor) echo "${HEALTH_MONITOR_PORT:-8082}" ;;
    billing) echo "${BILLING_PORT:-8083}" ;;
  esac
}
management_port_of() { # health, metrics, OpenAPI and Swagger UI: never on the API's port
  case $1 in
    router) echo "${ROUTER_MANAGEMENT_PORT:-9080}" ;;
    registry) echo "${REGISTRY_MANAGEMENT_PORT:-9081}" ;;
    health-monitor) echo "${HEALTH_MONITOR_MANAGEMENT_PORT:-9082}" ;;
    billing) echo "${BILLING_MANAGEMENT_PORT:-9083}" ;;
  esac
}

say() { printf '%s\n' "$*"; }
die() { printf 'gateway.sh: %s\n' "$*" >&2; exit 1; }

pid_alive() { [ -f "$PIDS/$1.pid" ] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ready() { curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$(management_port_of "$1")/q/health/ready"; }

abs() { case $1 in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }

token() { # token NAME FILE: the variable's value, or one generated once and kept in FILE (mode 600)
  local value=${!1:-}
  if [ -z "$value" ]; then
    if [ ! -s "$2" ]; then
      (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '=+/\n' > "$2")
    fi
    value=$(cat "$2")
  fi
  printf '%s' "$value"
}

build() {
  local stale=0 m jar
  for s in "${SERVICES[@]}"; do
    jar=$ROOT/$(module_of "$s")/target/quarkus-app/quarkus-run.jar
    if [ ! -f "$jar" ] || [ -n "$(find "$ROOT" -path "$ROOT/.gateway" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit)" ]; then
      stale=1
    fi
  done
  [ -f "$ROOT/gateway-infra/target/lib/kafka_2.13-"*.jar ] 2>/dev/null || stale=1
  if [ $stale = 1 ]; then
    say "Building (./mvnw package -DskipTests): the first build downloads dependencies and takes a few minutes..."
    (cd "$ROOT" && ./mvnw -q -B package -DskipTests -Dformatter.skip -Dimpsort.skip) > "$LOGS/build.log" 2>&1 \
      || { tail -n 40 "$LOGS/build.log" >&2; die "the build failed (full log: $LOGS/build.log)"; }
  fi
}

wait_for() { # wait_for NAME SECONDS CHECK...
  local name=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if ! pid_alive "$name"; then
      tail -n 40 "$LOGS/$name.log" >&2 || true
      die "$name exited during start (log: $LOGS/$name.log)"
    fi
    [ $SECONDS -lt $deadline ] || { tail -n 40 "$LOGS/$name.log" >&2; die "$name not ready after ${seconds}s (log: $LOGS/$name.log)"; }
    sleep 0.5
  done
}

start_infra() {
  local args=(--state-dir "$STATE/data") need=0
  if [ -n "${KAFKA_BOOTSTRAP_SERVERS:-}" ]; then args+=(--no-kafka); else
    port_busy "$KAFKA_PORT" && die "port $KAFKA_PORT is taken: set GATEWAY_KAFKA_PORT, or KAFKA_BOOTSTRAP_SERVERS to use that broker"
    args+=(--kafka-port "$KAFKA_PORT"); need=1
  fi
  if [ -n "${REGISTRY_DB_URL:-}" ] && [ -n "${BILLING_DB_URL:-}" ]; then args+=(--no-postgres); else
    port_busy "$PG_PORT" && die "port $PG_PORT is taken: set GATEWAY_POSTGRES_PORT, or REGISTRY_DB_URL and BILLING_DB_URL to use that server"
    args+=(--postgres-port "$PG_PORT"); need=1
  fi
  [ $need = 1 ] || return 0
  say "Starting embedded infrastructure (Kafka KRaft broker, PostgreSQL)..."
  nohup java -Xmx512m -XX:+UseParallelGC \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$ROOT/gateway-infra/target/classes:$ROOT/gateway-infra/target/lib/*" \
    io.visca.gateway.infra.LocalInfraMain "${args[@]}" > "$LOGS/infra.log" 2>&1 &
  echo $! > "$PIDS/infra.pid"
  wait_for infra 120 grep -q '^READY' "$LOGS/infra.log"
  say "  $(grep '^READY' "$LOGS/infra.log")"
}

start_service() {
  local s=$1 port management module
  port=$(port_of "$s"); management=$(management_port_of "$s"); module=$(module_of "$s")
  port_busy "$port" && die "port $port for $s is taken (set $(echo "$s" | tr 'a-z-' 'A-Z_')_PORT)"
  port_busy "$management" && die "port $management for $s is taken (set $(echo "$s" | tr 'a-z-' 'A-Z_')_MANAGEMENT_PORT)"
  local kafka=${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:$KAFKA_PORT}
  local db=
  case $s in
    registry) db=${REGISTRY_DB_URL:-postgresql://127.0.0.1:$PG_PORT/registry} ;;
    billing) db=${BILLING_DB_URL:-postgresql://127.0.0.1:$PG_PORT/billing} ;;
  esac
  (
    case $s in # the key of provider secrets: only for the services that call upstreams
      registry|router|health-monitor) [ -z "$SECRETS_KEY_FILE" ] || export GATEWAY_SECRETS_KEY_FILE=$SECRETS_KEY_FILE ;;
      *) unset GATEWAY_SECRETS_KEY GATEWAY_SECRETS_KEY_FILE GATEWAY_SECRETS_PREVIOUS_KEYS GATEWAY_SECRETS_PREVIOUS_KEYS_FILE ;;
    esac
    export KAFKA_BOOTSTRAP_SERVERS=$kafka DB_URL=$db DB_USER=${DB_USER:-postgres} DB_PASSWORD=${DB_PASSWORD:-postgres}
    export GATEWAY_ADMIN_TOKEN=$ADMIN_TOKEN GATEWAY_SERVICE_TOKEN=$SERVICE_TOKEN PROVIDERS_DIR=$PROVIDERS
    export REGISTRY_URL=http://127.0.0.1:$(port_of registry) HEALTH_MONITOR_URL=http://127.0.0.1:$(port_of health-monitor)
    export BILLING_URL=http://127.0.0.1:$(port_of billing) ROUTER_URL=http://127.0.0.1:$(port_of router)
    export MANAGEMENT_HOST=${MANAGEMENT_HOST:-127.0.0.1}
    cd "$STATE"
    # the router's live data is small (the snapshot, requests in flight: ~20 MB after a full GC under load); with a
    # 256 MB heap ParallelGC lets promoted garbage fill it and the router reached 299 MB RSS in bench/run.sh
    exec nohup java -XX:+UseParallelGC "-Xmx$([ "$s" = router ] && echo 160m || echo 256m)" -Dquarkus.http.port="$port" \
      -Dquarkus.management.port="$management" -jar "$ROOT/$module/target/quarkus-app/quarkus-run.jar"
  ) > "$LOGS/$s.log" 2>&1 &
  echo $! > "$PIDS/$s.pid"
}

cmd_up() {
  command -v java >/dev/null || die "java (JDK 17 or newer) is not on the PATH"
  command -v curl >/dev/null || die "curl is needed to check readiness"
  mkdir -p "$PIDS" "$LOGS"
  for s in infra "${SERVICES[@]}"; do
    pid_alive "$s" && die "already running ($s, pid $(cat "$PIDS/$s.pid")): ./gateway.sh status, or ./gateway.sh down first"
  done
  ADMIN_TOKEN=$(token GATEWAY_ADMIN_TOKEN "$STATE/admin-token")
  SERVICE_TOKEN=$(token GATEWAY_SERVICE_TOKEN "$STATE/service-token")
  SECRETS_KEY_FILE=
  if [ -n "${GATEWAY_SECRETS_KEY_FILE:-}" ]; then
    export GATEWAY_SECRETS_KEY_FILE; GATEWAY_SECRETS_KEY_FILE=$(abs "$GATEWAY_SECRETS_KEY_FILE")
  elif [ -z "${GATEWAY_SECRETS_KEY:-}" ]; then
    if [ ! -s "$STATE/secrets-key" ]; then
      (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n' > "$STATE/secrets-key")
      say "Generated the key of provider secrets: $STATE/secrets-key (keep it: stored secrets cannot be read without it)"
    fi
    SECRETS_KEY_FILE=$STATE/secrets-key
  fi
  if [ -n "${GATEWAY_SECRETS_PREVIOUS_KEYS_FILE:-}" ]; then
    export GATEWAY_SECRETS_PREVIOUS_KEYS_FILE; GATEWAY_SECRETS_PREVIOUS_KEYS_FILE=$(abs "$GATEWAY_SECRETS_PREVIOUS_KEYS_FILE")
  fi
  PROVIDERS=${PROVIDERS_DIR:-$ROOT/providers}
  [ -d "$PROVIDERS" ] || die "PROVIDERS_DIR $PROVIDERS is not a folder"
  PROVIDERS=$(cd "$PROVIDERS" && pwd)
  if [ -n "${GATEWAY_MANAGED_PROVIDERS_FILE:-}" ]; then
    # the services run from the state folder: a relative path is made absolute here
    [ -f "$GATEWAY_MANAGED_PROVIDERS_FILE" ] || die "GATEWAY_MANAGED_PROVIDERS_FILE $GATEWAY_MANAGED_PROVIDERS_FILE is not a file"
    export GATEWAY_MANAGED_PROVIDERS_FILE; GATEWAY_MANAGED_PROVIDERS_FILE=$(abs "$GATEWAY_MANAGED_PROVIDERS_FILE")
  fi
  if [ -n "${GATEWAY_SECRETS_DIR:-}" ]; then
    # the services run from the state folder: a relative folder is made absolute here
    [ -d "$GATEWAY_SECRETS_DIR" ] || die "GATEWAY_SECRETS_DIR $GATEWAY_SECRETS_DIR is not a folder"
    GATEWAY_SECRETS_DIR=$(cd "$GATEWAY_SECRETS_DIR" && pwd)
    export GATEWAY_SECRETS_DIR
  fi
  build
  start_infra
  say "Starting the services..."
  start_service registry
  wait_for registry 120 ready registry
  local later=()
  for s in router health-monitor billing; do
    case " ${GATEWAY_WITHOUT:-} " in
      *" $s "*) [ "$s" != router ] || die "GATEWAY_WITHOUT: the router is needed"; say "  not starting $s (GATEWAY_WITHOUT)" ;;
      *) later+=("$s") ;;
    esac
  done
  for s in "${later[@]}"; do start_service "$s"; done
  for s in "${later[@]}"; do wait_for "$s" 120 ready "$s"; done
  say ""
  say "Visca AI Gateway is up."
  say "  router (OpenAI-compatible /v1)  http://127.0.0.1:$(port_of router)/v1"
  say "  dashboard (log in: admin token) http://127.0.0.1:$(port_of registry)/"
  say "  provider registry (admin API)   http://127.0.0.1:$(port_of registry)/api"
  say "  health monitor                  http://127.0.0.1:$(port_of health-monitor)"
  say "  billing (finance API)           http://127.0.0.1:$(port_of billing)"
  say "  Swagger UI (registry, billing)  http://127.0.0.1:$(management_port_of registry)/q/swagger-ui" \
    "http://127.0.0.1:$(management_port_of billing)/q/swagger-ui"
  say "  management (/q/health, /q/metrics, never on the API ports)  router :$(management_port_of router)," \
    "registry :$(management_port_of registry), health monitor :$(management_port_of health-monitor)," \
    "billing :$(management_port_of billing)"
  say "  provider configs loaded from    $PROVIDERS"
  say "  admin token                     export GATEWAY_ADMIN_TOKEN=\$(cat $STATE/admin-token)"
  [ -z "${GATEWAY_ADMIN_TOKEN:-}" ] || say "                                  (the GATEWAY_ADMIN_TOKEN you set)"
  say "  logs                            $LOGS   (./gateway.sh logs router)"
  say "Stop it with ./gateway.sh down"
}

stop_one() {
  local s=$1 pid
  pid_alive "$s" || { rm -f "$PIDS/$s.pid"; return 0; }
  pid=$(cat "$PIDS/$s.pid")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$PIDS/$s.pid"
  say "stopped $s"
}

cmd_down() {
  # services before the broker: a broker that goes first leaves stale consumer-group members behind
  for s in router health-monitor billing registry; do stop_one "$s"; done
  stop_one infra
}

cmd_status() {
  local state
  for s in infra "${SERVICES[@]}"; do
    if pid_alive "$s"; then
      state="running (pid $(cat "$PIDS/$s.pid"))"
      if [ "$s" != infra ]; then
        if ready "$s"; then
          state="$state, ready on http://127.0.0.1:$(port_of "$s") (management :$(management_port_of "$s"))"
        else
          state="$state, NOT ready"
        fi
      fi
    else
      state="stopped"
    fi
    printf '%-15s %s\n' "$s" "$state"
  done
}

cmd_fake_model_server() {
  build
  local lib=$ROOT/fake-upstreams/target
  say "A fake model server (fake-upstreams' FakeUpstreamMain): $*; Ctrl-C stops it."
  exec java -cp "$lib/classes:$lib/lib/*" io.visca.gateway.fakes.FakeUpstreamMain "$@"
}

case ${1:-} in
  up) cmd_up ;;
  fake-model-server) shift; mkdir -p "$LOGS"; cmd_fake_model_server "$@" ;;
  down) cmd_down ;;
  status) cmd_status ;;
  logs) [ -n "${2:-}" ] || die "usage: ./gateway.sh logs router|registry|health-monitor|billing|infra"; tail -n 200 -f "$LOGS/$2.log" ;;
  *) say "usage: ./gateway.sh up|down|status|logs SERVICE|fake-model-server [--port P] [--models a,b] [--type T]"; exit 2 ;;
esac
