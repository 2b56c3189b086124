#!/usr/bin/env bash
# Runs the whole Visca AI Gateway on this machine: Kafka and PostgreSQL (embedded, unless their URLs are given)
# and the four services. Needs only a JDK 17+; the Maven wrapper fetches everything else.
#
#   ./gateway.sh up       build if needed, start everything, wait until every service is ready, print the URLs
#   ./gateway.sh down     stop everything this script started
#   ./gateway.sh status   what runs, and whether it is ready (every instance on a line of its own)
#   ./gateway.sh logs S   follow the log of S (router, registry, health-monitor, billing, infra; a service: every
#                         instance of it, router-2, billing-2, ...: one of several)
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
#   ROUTER_REPLICAS, REGISTRY_REPLICAS, HEALTH_MONITOR_REPLICAS, BILLING_REPLICAS
#                                    how many instances of each service (default 1, at most 20): the first is "router"
#                                    on ROUTER_PORT and ROUTER_MANAGEMENT_PORT, the others "router-2", "router-3", ...
#                                    on both ports +100, +200, ... (8180/9180, 8280/9280, ...), each with its own log
#                                    and pid file; each router has its own usage spool (data/usage-spool-2, ...;
#                                    ROUTER_USAGE_SPOOL_DIR-2, ... when that is set). Instances of a service share its
#                                    database and Kafka consumer group; the other services call the first instance.
#                                    With the default ports at most 10 (router-11 would be on 9080): up refuses ports
#                                    in use or planned twice
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

MAX_REPLICAS=20
STEP=100 # instance n of a service listens on its ports + 100 × (n − 1): router-2 on ROUTER_PORT+100, ...
base_of() { if [[ $1 =~ ^(.+)-([0-9]+)$ ]]; then echo "${BASH_REMATCH[1]}"; else echo "$1"; fi; }
replica_of() { if [[ $1 =~ -([0-9]+)$ ]]; then echo $((10#${BASH_REMATCH[1]})); else echo 1; fi; }
upper() { echo "$1" | tr 'a-z-' 'A-Z_'; }
module_of() {
  case $(base_of "$1") in
    registry) echo provider-registry-service ;;
    router) echo router-service ;;
    health-monitor) echo health-monitor-service ;;
    billing) echo billing-service ;;
  esac
}
offset() { # offset PORT INSTANCE: the port of that instance (a port that is not a number is left to check_ports)
  local n
  n=$(replica_of "$2")
  if [ "$n" = 1 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then echo "$1"; else echo $((10#$1 + STEP * (n - 1))); fi
}
port_of() {
  case $(base_of "$1") in
    router) offset "${ROUTER_PORT:-8080}" "$1" ;;
    registry) offset "${REGISTRY_PORT:-8081}" "$1" ;;
    health-monitor) offset "${HEALTH_MONITOR_PORT:-8082}" "$1" ;;
    billing) offset "${BILLING_PORT:-8083}" "$1" ;;
  esac
}
management_port_of() { # health, metrics, OpenAPI and Swagger UI: never on the API's port
  case $(base_of "$1") in
    router) offset "${ROUTER_MANAGEMENT_PORT:-9080}" "$1" ;;
    registry) offset "${REGISTRY_MANAGEMENT_PORT:-9081}" "$1" ;;
    health-monitor) offset "${HEALTH_MONITOR_MANAGEMENT_PORT:-9082}" "$1" ;;
    billing) offset "${BILLING_MANAGEMENT_PORT:-9083}" "$1" ;;
  esac
}

say() { printf '%s\n' "$*"; }
die() { printf 'gateway.sh: %s\n' "$*" >&2; exit 1; }

pid_alive() { [ -f "$PIDS/$1.pid" ] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ready() { curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$(management_port_of "$1")/q/health/ready"; }

instance_names() { # instance_names S N: S S-2 ... S-N
  local i
  echo "$1"
  for ((i = 2; i <= $2; i++)); do echo "$1-$i"; done
}
requested() { # requested S: S's <S>_REPLICAS, checked (up refuses anything but 1..MAX_REPLICAS, saying why)
  local variable n
  variable=$(upper "$1")_REPLICAS
  n=${!variable:-1}
  if ! [[ $n =~ ^[0-9]{1,3}$ ]] || [ $((10#$n)) -lt 1 ] || [ $((10#$n)) -gt $MAX_REPLICAS ]; then
    die "$variable must be a whole number from 1 to $MAX_REPLICAS (instances on $(upper "$1")_PORT, +$STEP," \
      "+$((2 * STEP)), ...), not '$n'"
  fi
  echo $((10#$n))
}
known() { # known S: the instances <S>_REPLICAS asks for and every one with a pid file (down needs no variable)
  local n=1 f i variable
  variable=$(upper "$1")_REPLICAS
  [[ ${!variable:-1} =~ ^[0-9]{1,3}$ ]] && [ $((10#${!variable:-1})) -le $MAX_REPLICAS ] && n=$((10#${!variable:-1}))
  for f in "$PIDS/$1"-*.pid; do
    [ -f "$f" ] || continue
    i=${f##*/"$1"-}; i=${i%.pid}
    [[ $i =~ ^[0-9]{1,3}$ ]] && [ $((10#$i)) -gt "$n" ] && n=$((10#$i))
  done
  instance_names "$1" "$n"
}
all_known() { local s; for s in registry router health-monitor billing; do known "$s"; done; }
port_variable() { # the variable that sets a port of S: router-3 is ROUTER_PORT+200
  local base suffix=
  base=$(base_of "$1")
  [ "$base" = "$1" ] || suffix="+$(($(replica_of "$1") * STEP - STEP))"
  printf '%s_%s%s' "$(upper "$base")" "$2" "$suffix"
}
taken() { # taken S KIND PORT: the message when a port of S is in use
  local variable
  variable=$(port_variable "$1" "$2")
  printf 'port %s for %s is taken (set %s)' "$3" "$1" "${variable%+*}$([ "${variable%+*}" = "$variable" ] \
    || printf ': %s is on %s' "$1" "$variable")"
}
check_ports() { # check_ports INSTANCE...: every port free and none planned twice, before anything starts
  local s port seen=" " kind
  for s in "$@"; do
    for kind in PORT MANAGEMENT_PORT; do
      if [ $kind = PORT ]; then port=$(port_of "$s"); else port=$(management_port_of "$s"); fi
      [[ $port =~ ^[0-9]+$ ]] && [ $((10#$port)) -ge 1 ] && [ $((10#$port)) -le 65535 ] \
        || die "$(port_variable "$s" $kind) is not a port: '$port'"
      case $seen in
        *" $((10#$port))="*) die "port $port is planned twice: $(port_variable "$s" $kind) and" \
          "$(echo "$seen" | tr ' ' '\n' | sed -n "s/^$((10#$port))=//p") (set the ports further apart)" ;;
      esac
      seen="$seen$((10#$port))=$(port_variable "$s" $kind) "
      port_busy "$port" && die "$(taken "$s" $kind "$port")"
    done
  done
  return 0
}

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
  port_busy "$port" && die "$(taken "$s" PORT "$port")"
  port_busy "$management" && die "$(taken "$s" MANAGEMENT_PORT "$management")"
  local kafka=${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:$KAFKA_PORT}
  local db=
  case $(base_of "$s") in # every instance of a service on its one database
    registry) db=${REGISTRY_DB_URL:-postgresql://127.0.0.1:$PG_PORT/registry} ;;
    billing) db=${BILLING_DB_URL:-postgresql://127.0.0.1:$PG_PORT/billing} ;;
  esac
  (
    case $(base_of "$s") in # the key of provider secrets: only for the services that call upstreams
      registry | router | health-monitor) [ -z "$SECRETS_KEY_FILE" ] || export GATEWAY_SECRETS_KEY_FILE=$SECRETS_KEY_FILE ;;
      *) unset GATEWAY_SECRETS_KEY GATEWAY_SECRETS_KEY_FILE GATEWAY_SECRETS_PREVIOUS_KEYS GATEWAY_SECRETS_PREVIOUS_KEYS_FILE ;;
    esac
    export KAFKA_BOOTSTRAP_SERVERS=$kafka DB_URL=$db DB_USER=${DB_USER:-postgres} DB_PASSWORD=${DB_PASSWORD:-postgres}
    export GATEWAY_ADMIN_TOKEN=$ADMIN_TOKEN GATEWAY_SERVICE_TOKEN=$SERVICE_TOKEN PROVIDERS_DIR=$PROVIDERS
    export REGISTRY_URL=http://127.0.0.1:$(port_of registry) HEALTH_MONITOR_URL=http://127.0.0.1:$(port_of health-monitor)
    export BILLING_URL=http://127.0.0.1:$(port_of billing) ROUTER_URL=http://127.0.0.1:$(port_of router)
    export MANAGEMENT_HOST=${MANAGEMENT_HOST:-127.0.0.1}
    # one spool per router (the spool locks its folder); the first keeps the single router's, with what it left
    case $s in router-*) export ROUTER_USAGE_SPOOL_DIR=${ROUTER_USAGE_SPOOL_DIR:-data/usage-spool}-$(replica_of "$s") ;; esac
    cd "$STATE"
    # the router's live data is small (the snapshot, requests in flight: ~20 MB after a full GC under load); with a
    # 256 MB heap ParallelGC lets promoted garbage fill it and the router reached 299 MB RSS in bench/run.sh
    exec nohup java -XX:+UseParallelGC "-Xmx$([ "$(module_of "$s")" = router-service ] && echo 160m || echo 256m)" \
      -Dquarkus.http.port="$port" -Dquarkus.management.port="$management" -jar "$ROOT/$module/target/quarkus-app/quarkus-run.jar"
  ) > "$LOGS/$s.log" 2>&1 &
  echo $! > "$PIDS/$s.pid"
}

cmd_up() {
  command -v java >/dev/null || die "java (JDK 17 or newer) is not on the PATH"
  command -v curl >/dev/null || die "curl is needed to check readiness"
  mkdir -p "$PIDS" "$LOGS"
  local s n
  declare -A replicas
  for s in "${SERVICES[@]}"; do n=$(requested "$s") || exit 1; replicas[$s]=$n; done
  for s in infra $(all_known); do
    pid_alive "$s" && die "already running ($s, pid $(cat "$PIDS/$s.pid")): ./gateway.sh status, or ./gateway.sh down first"
  done
  # the first registry migrates the database before anything else starts; every other instance after it
  local later=($(instance_names registry "${replicas[registry]}" | tail -n +2))
  for s in router health-monitor billing; do
    case " ${GATEWAY_WITHOUT:-} " in
      *" $s "*) [ "$s" != router ] || die "GATEWAY_WITHOUT: the router is needed"; say "  not starting $s (GATEWAY_WITHOUT)" ;;
      *) later+=($(instance_names "$s" "${replicas[$s]}")) ;;
    esac
  done
  check_ports registry "${later[@]}"
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
  for s in "${later[@]}"; do start_service "$s"; done
  for s in "${later[@]}"; do wait_for "$s" 120 ready "$s"; done
  say ""
  say "Visca AI Gateway is up."
  if [ "${replicas[router]}" = 1 ]; then
    say "  router (OpenAI-compatible /v1)  http://127.0.0.1:$(port_of router)/v1"
  else
    say "  ${replicas[router]} routers (OpenAI-compatible /v1, the same keys and providers; balance them as you like)"
    for s in $(instance_names router "${replicas[router]}"); do
      printf '    %-29s http://127.0.0.1:%s/v1\n' "$s" "$(port_of "$s")"
    done
  fi
  say "  dashboard (log in: admin token) http://127.0.0.1:$(port_of registry)/"
  say "  provider registry (admin API)   http://127.0.0.1:$(port_of registry)/api"
  say "  health monitor                  http://127.0.0.1:$(port_of health-monitor)"
  say "  billing (finance API)           http://127.0.0.1:$(port_of billing)"
  say "  Swagger UI (registry, billing)  http://127.0.0.1:$(management_port_of registry)/q/swagger-ui" \
    "http://127.0.0.1:$(management_port_of billing)/q/swagger-ui"
  for s in registry health-monitor billing; do
    [ "${replicas[$s]}" = 1 ] || say "  $s: ${replicas[$s]} instances, on$(for i in $(instance_names "$s" "${replicas[$s]}"); do
      printf ' :%s' "$(port_of "$i")"; done) (the other services call the first)"
  done
  say "  management (/q/health, /q/metrics, never on the API ports)$(for s in registry "${later[@]}"; do
    printf ' %s :%s' "$s" "$(management_port_of "$s")"; done)"
  say "  provider configs loaded from    $PROVIDERS"
  say "  admin token                     export GATEWAY_ADMIN_TOKEN=\$(cat $STATE/admin-token)"
  [ -z "${GATEWAY_ADMIN_TOKEN:-}" ] || say "                                  (the GATEWAY_ADMIN_TOKEN you set)"
  say "  logs                            $LOGS   (./gateway.sh logs router)"
  say "Stop it with ./gateway.sh down"
}

stop_all() { # stop_all S...: SIGTERM to each at once, up to 30 s for them to exit, then SIGKILL to what is left
  local s pids=() names=() pid
  for s in "$@"; do
    if pid_alive "$s"; then
      pid=$(cat "$PIDS/$s.pid"); pids+=("$pid"); names+=("$s")
      kill -TERM "$pid" 2>/dev/null || true
    else
      rm -f "$PIDS/$s.pid"
    fi
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  for _ in $(seq 1 60); do
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && break; done || break # none left
    sleep 0.5
  done
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  for s in "${names[@]}"; do rm -f "$PIDS/$s.pid"; say "stopped $s"; done
}

cmd_down() {
  # services before the broker: a broker that goes first leaves stale consumer-group members behind
  stop_all $(known router)
  for s in health-monitor billing registry; do stop_all $(known "$s"); done
  stop_all infra
}

cmd_status() {
  local state s
  for s in infra $(all_known); do
    if pid_alive "$s"; then
      state="running (pid $(cat "$PIDS/$s.pid"))"
      if [ "$s" != infra ]; then
        if ready "$s"; then
          state="$state, ready on http://127.0.0.1:$(port_of "$s") (management :$(management_port_of "$s"))"
        else
          state="$state, NOT ready on http://127.0.0.1:$(port_of "$s") (management :$(management_port_of "$s"))"
        fi
      fi
    else
      state="stopped"
    fi
    printf '%-15s %s\n' "$s" "$state"
  done
}

cmd_logs() { # logs router follows every router that runs (tail names each file), logs router-2 one of them
  [ -n "$1" ] || die "usage: ./gateway.sh logs router|registry|health-monitor|billing|infra (router-2, billing-2, ...: one instance of several)"
  local files=() s
  case $1 in
    router | registry | health-monitor | billing)
      for s in $(known "$1"); do
        [ "$s" = "$1" ] || pid_alive "$s" && files+=("$LOGS/$s.log")
      done ;;
    *) files=("$LOGS/$1.log") ;;
  esac
  for s in "${files[@]}"; do [ -f "$s" ] || die "no log $s (./gateway.sh status: what runs)"; done
  tail -n 200 -f "${files[@]}"
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
  logs) cmd_logs "${2:-}" ;;
  *) say "usage: ./gateway.sh up|down|status|logs SERVICE|fake-model-server [--port P] [--models a,b] [--type T]"; exit 2 ;;
esac
