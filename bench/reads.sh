#!/usr/bin/env bash
# Billing read benchmark: every finance and monitoring read the dashboard makes, over 30 days of usage at 100 req/s.
#
#   bench/reads.sh        (see bench/README.md, "Billing reads over 30 days")
#
# What it does: builds the billing jar and gateway-infra when stale; starts a real Kafka broker and PostgreSQL of its
# own (gateway-infra's LocalInfraMain, fresh in bench/.state/reads, on ports apart from the other benchmarks), starts
# billing from its packaged jar (Flyway makes the schema), loads the data straight into PostgreSQL with
# bench/reads-load.sql (raw records of the last BENCH_RAW_HOURS hours and their rollups by the migration's SQL; the
# rollups of the days before as minute rows of the same shape; see the head of that file), then times each read
# through billing's HTTP API (BENCH_CALLS calls each, p50/p99/max) and each Monitoring page's reads fired together,
# prints a table with PASS/FAIL against the target (p99 <= 300 ms) and stops what it started.
#
# Environment (all optional):
#   BENCH_DAYS=30 BENCH_RATE=100 BENCH_KEYS=40 BENCH_RAW_HOURS=24   the data (6 models, so 6 x BENCH_KEYS combinations)
#   BENCH_CALLS=100 BENCH_WARMUP=5                                 calls per read
#   BENCH_KEEP=1        leave the stack running (and the data) at the end; BENCH_REUSE=1 measures a kept stack again
#   BENCH_SKIP_BUILD=1  BENCH_STATE_DIR (default bench/.state)
#   BENCH_KAFKA_PORT=29292 BENCH_POSTGRES_PORT=25632 BENCH_BILLING_PORT=28283 BENCH_BILLING_MANAGEMENT_PORT=29283
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
STATE=${BENCH_STATE_DIR:-$BENCH/.state}
mkdir -p "$STATE"
STATE=$(cd "$STATE" && pwd)
RUN=$STATE/reads
LOG=$STATE/logs
mkdir -p "$RUN" "$LOG"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=$STATE/reads-results-$STAMP.txt

DAYS=${BENCH_DAYS:-30}
RATE=${BENCH_RATE:-100}
KEYS=${BENCH_KEYS:-40}
RAW_HOURS=${BENCH_RAW_HOURS:-24}
CALLS=${BENCH_CALLS:-100}
WARMUP=${BENCH_WARMUP:-5}
KAFKA_PORT=${BENCH_KAFKA_PORT:-29292}
PG_PORT=${BENCH_POSTGRES_PORT:-25632}
BILLING_PORT=${BENCH_BILLING_PORT:-28283}
BILLING_MANAGEMENT_PORT=${BENCH_BILLING_MANAGEMENT_PORT:-29283}
JAR=${BENCH_BILLING_JAR:-$ROOT/billing-service/target/quarkus-app/quarkus-run.jar}
LIB=$ROOT/gateway-infra/target/lib
JDBC="jdbc:postgresql://127.0.0.1:$PG_PORT/billing"
TOKEN=bench-billing-token

say() { printf '%s\n' "$*"; }
die() { printf 'bench/reads.sh: %s\n' "$*" >&2; exit 1; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

INFRA_PID=
BILLING_PID=
cleanup() {
  set +e
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    say "left running (BENCH_KEEP=1): billing pid $BILLING_PID, infra pid $INFRA_PID (pids in $RUN/pids)"
    echo "$BILLING_PID $INFRA_PID" > "$RUN/pids"
    return
  fi
  for pid in "$BILLING_PID" "$INFRA_PID"; do
    [ -n "$pid" ] || continue
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build ---------------------------------------------------------------------------------------------------------
command -v java > /dev/null || die "java (JDK 17 or newer) is not on the PATH"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  if [ ! -f "$JAR" ] || ! ls "$LIB"/postgresql-*.jar > /dev/null 2>&1 || [ -n "$(find "$ROOT/billing-service" \
      "$ROOT/gateway-contracts" "$ROOT/gateway-infra/src" \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
      -newer "$JAR" -print -quit)" ]; then
    say "Building billing-service and gateway-infra (./mvnw package -DskipTests)..."
    (cd "$ROOT" && ./mvnw -q -B package -DskipTests -Dformatter.skip -Dimpsort.skip -pl gateway-infra,billing-service -am) \
      > "$LOG/reads-build.log" 2>&1 || { tail -n 40 "$LOG/reads-build.log" >&2; die "the build failed"; }
  fi
fi
CLASSES=$RUN/classes
mkdir -p "$CLASSES"
javac -nowarn -cp "$LIB/*" -d "$CLASSES" "$BENCH/BillingReads.java" 2> "$LOG/reads-javac.log" \
  || { cat "$LOG/reads-javac.log" >&2; die "compiling BillingReads.java failed"; }
reads() { java -Xmx256m -cp "$CLASSES:$LIB/*" BillingReads "$@"; }

start_billing() {
  (
    export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT DB_URL=postgresql://127.0.0.1:$PG_PORT/billing
    export DB_USER=postgres DB_PASSWORD=postgres GATEWAY_ADMIN_TOKEN=$TOKEN QUARKUS_HTTP_PORT=$BILLING_PORT
    export BILLING_MANAGEMENT_PORT MANAGEMENT_HOST=127.0.0.1
    cd "$RUN"
    exec java -XX:+UseParallelGC -Xmx256m -jar "$JAR"
  ) > "$LOG/reads-billing-$STAMP.log" 2>&1 &
  BILLING_PID=$!
  for _ in $(seq 1 480); do
    curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$BILLING_MANAGEMENT_PORT/q/health/ready" && return 0
    kill -0 "$BILLING_PID" 2>/dev/null || { tail -n 30 "$LOG/reads-billing-$STAMP.log" >&2; die "billing exited"; }
    sleep 0.25
  done
  die "billing was not ready within 120 s (log: $LOG/reads-billing-$STAMP.log)"
}

if [ "${BENCH_REUSE:-0}" = 1 ]; then
  read -r BILLING_PID INFRA_PID < "$RUN/pids" || die "no kept stack in $RUN/pids"
  LOADED=$(cat "$RUN/loaded")
else
  for p in "$KAFKA_PORT" "$PG_PORT" "$BILLING_PORT" "$BILLING_MANAGEMENT_PORT"; do
    port_busy "$p" && die "port $p is taken (BENCH_KAFKA_PORT, BENCH_POSTGRES_PORT, BENCH_BILLING_PORT, BENCH_BILLING_MANAGEMENT_PORT)"
  done
  rm -rf "$RUN/data"
  say "Starting Kafka and PostgreSQL (embedded, ports $KAFKA_PORT and $PG_PORT)..."
  java -Xmx512m -XX:+UseParallelGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$ROOT/gateway-infra/target/classes:$LIB/*" io.visca.gateway.infra.LocalInfraMain \
    --state-dir "$RUN/data" --kafka-port "$KAFKA_PORT" --postgres-port "$PG_PORT" --databases billing \
    > "$LOG/reads-infra.log" 2>&1 &
  INFRA_PID=$!
  for _ in $(seq 1 240); do grep -qs '^READY' "$LOG/reads-infra.log" && break; kill -0 "$INFRA_PID" || die "infra exited"; sleep 0.5; done
  grep -q '^READY' "$LOG/reads-infra.log" || die "the infrastructure did not start (log: $LOG/reads-infra.log)"
  say "Starting billing (packaged jar; Flyway makes the schema)..."
  start_billing
  say "Loading $DAYS days at $RATE requests/s ($KEYS keys x 6 models; raw records for the last $RAW_HOURS h)..."
  LOAD_START=$SECONDS
  reads load --jdbc "$JDBC" --user postgres --password postgres --file "$BENCH/reads-load.sql" --days "$DAYS" \
    --rate "$RATE" --keys "$KEYS" --raw-hours "$RAW_HOURS" | tee "$LOG/reads-load-$STAMP.log"
  LOADED="$(grep '^RESULT' "$LOG/reads-load-$STAMP.log") load_s=$((SECONDS - LOAD_START))"
  echo "$LOADED" > "$RUN/loaded"
fi

{
  say "# bench/reads.sh $STAMP on $(hostname) ($(nproc) cores), source $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') + $(git -C "$ROOT" status --porcelain 2>/dev/null | wc -l) changed paths"
  say "# days=$DAYS rate=$RATE keys=$KEYS raw_hours=$RAW_HOURS calls=$CALLS warmup=$WARMUP"
  say "# loaded: $LOADED"
  say "# loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$RESULTS"
say "Timing every read ($CALLS calls each, after $WARMUP warm-up calls)..."
reads measure --url "http://127.0.0.1:$BILLING_PORT" --token "$TOKEN" --calls "$CALLS" --warmup "$WARMUP" \
  | tee -a "$RESULTS" | grep '^RESULT' > "$RUN/measured-$STAMP.txt"
say "# loadavg after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS"

get() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<< "$1"; }
{
  say ""
  say "Billing reads, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores; PostgreSQL, Kafka, billing and the client on this machine"
  say "data: $LOADED"
  say ""
  printf '%-8s %9s %9s %9s %6s  %s\n' kind p50_ms p99_ms max_ms status read
  FAILS=0
  while read -r line; do
    p99=$(get " $line" p99_ms)
    printf '%-8s %9s %9s %9s %6s  %s\n' "$(get " $line" kind)" "$(get " $line" p50_ms)" "$p99" \
      "$(get " $line" max_ms)" "$(get " $line" status)" "$(sed 's/.* what=//' <<< "$line")"
    awk -v p="$p99" 'BEGIN { exit !(p > 300) }' && FAILS=$((FAILS + 1))
  done < "$RUN/measured-$STAMP.txt"
  say ""
  say "target: every finance and monitoring read p99 <= 300 ms (each page's reads together too): $( [ "$FAILS" = 0 ] && echo PASS || echo "FAIL ($FAILS over)")"
  say "raw results: $RESULTS"
} | tee "$STATE/reads-summary-$STAMP.txt"
cat "$STATE/reads-summary-$STAMP.txt" >> "$RESULTS"
