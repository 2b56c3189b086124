#!/usr/bin/env bash
# Billing ingest benchmark: how fast usage-recorded events land in PostgreSQL through billing-service.
#
#   bench/billing.sh        (about 3 minutes; see bench/README.md, "Billing ingest")
#
# What it does: builds the billing jar and gateway-infra when stale; starts a real Kafka broker and PostgreSQL of its
# own (gateway-infra's LocalInfraMain, as ./gateway.sh up does, in bench/.state/billing, fresh every run, on ports
# apart from the developer's stack and from bench/run.sh's); then
#   (1) backlog: publishes BENCH_EVENTS usage events (realistic shapes, BENCH_DUPLICATES of them exact copies) before
#       billing runs, starts billing from its packaged jar (java -XX:+UseParallelGC -Xmx256m, as gateway.sh runs it)
#       and measures the rate at which the backlog lands in usage_record (from the stored_at of every batch: the
#       steady rate between 10 % and 90 % of the rows) and the CPU billing, Kafka and PostgreSQL spent per event;
#   (2) live: publishes at BENCH_LIVE_RATE events/s for BENCH_LIVE_SECONDS while billing runs, and measures the
#       delay from occurred_at to stored_at (does billing keep up with a producer on the same 2 cores?);
#   (3) checks the totals: rows, tokens and cost in the ledger and in the hourly rollup against what was sent, and
#       billing's duplicate counter against the copies sent; times a few finance queries over everything stored;
# prints a table with PASS/FAIL against the target (>= 10,000 events/s), and stops what it started.
#
# Environment (all optional):
#   BENCH_EVENTS=200000 BENCH_DUPLICATES=0.03     backlog size and share of duplicates
#   BENCH_LIVE_RATE=10000 BENCH_LIVE_SECONDS=30   the live phase (BENCH_LIVE_SECONDS=0 skips it)
#   BENCH_KAFKA_PORT=29192 BENCH_POSTGRES_PORT=25532 BENCH_BILLING_PORT=28183 BENCH_BILLING_MANAGEMENT_PORT=29183
#   BENCH_QUIET_PCT=15 BENCH_QUIET_WAIT=300   a shared box: before each phase wait (up to BENCH_QUIET_WAIT s) until the
#                           machine is less than BENCH_QUIET_PCT % busy (our stack idle); the share other processes
#                           used during the backlog is reported either way
#   BENCH_SKIP_BUILD=1      never build (use the jars as they are)
#   BENCH_BILLING_JAVA_OPTS more JVM options for billing, e.g. -XX:StartFlightRecording=filename=/tmp/billing.jfr
#   BENCH_STATE_DIR         results and logs (default bench/.state)
#   Billing settings are passed on, e.g. BILLING_BATCH_SIZE=4000 bench/billing.sh (max.poll.records, default 2000),
#   or any Quarkus property as an environment variable (QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE=4).
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
STATE=${BENCH_STATE_DIR:-$BENCH/.state}
mkdir -p "$STATE"
STATE=$(cd "$STATE" && pwd)
RUN=$STATE/billing
LOG=$STATE/logs
mkdir -p "$RUN" "$LOG"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=$STATE/billing-results-$STAMP.txt

EVENTS=${BENCH_EVENTS:-200000}
DUPLICATES=${BENCH_DUPLICATES:-0.03}
LIVE_RATE=${BENCH_LIVE_RATE:-10000}
LIVE_SECONDS=${BENCH_LIVE_SECONDS:-30}
KAFKA_PORT=${BENCH_KAFKA_PORT:-29192}
PG_PORT=${BENCH_POSTGRES_PORT:-25532}
BILLING_PORT=${BENCH_BILLING_PORT:-28183}
BILLING_MANAGEMENT_PORT=${BENCH_BILLING_MANAGEMENT_PORT:-29183}
JAR=$ROOT/billing-service/target/quarkus-app/quarkus-run.jar
LIB=$ROOT/gateway-infra/target/lib
TICK=$(getconf CLK_TCK)
JDBC="jdbc:postgresql://127.0.0.1:$PG_PORT/billing"
TOKEN=bench-billing-token

say() { printf '%s\n' "$*"; }
die() { printf 'bench/billing.sh: %s\n' "$*" >&2; exit 1; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

INFRA_PID=
BILLING_PID=
cleanup() {
  set +e
  for pid in "$BILLING_PID" "$INFRA_PID"; do # billing first: a broker that goes first leaves a stale group member
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
command -v curl > /dev/null || die "curl is needed"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  if [ ! -f "$JAR" ] || ! ls "$LIB"/kafka-clients-*.jar > /dev/null 2>&1 || [ -n "$(find "$ROOT/billing-service" \
      "$ROOT/gateway-contracts" "$ROOT/gateway-infra/src" \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
      -newer "$JAR" -print -quit)" ]; then
    say "Building billing-service and gateway-infra (./mvnw package -DskipTests)..."
    (cd "$ROOT" && ./mvnw -q -B package -DskipTests -Dformatter.skip -Dimpsort.skip -pl gateway-infra,billing-service -am) \
      > "$LOG/billing-build.log" 2>&1 || { tail -n 40 "$LOG/billing-build.log" >&2; die "the build failed"; }
  fi
fi
for p in "$KAFKA_PORT" "$PG_PORT" "$BILLING_PORT" "$BILLING_MANAGEMENT_PORT"; do
  port_busy "$p" && die "port $p is taken (BENCH_KAFKA_PORT, BENCH_POSTGRES_PORT, BENCH_BILLING_PORT, BENCH_BILLING_MANAGEMENT_PORT)"
done
CLASSES=$RUN/classes
mkdir -p "$CLASSES"
javac -nowarn -cp "$LIB/*" -d "$CLASSES" "$BENCH/BillingLoad.java" 2> "$LOG/billing-javac.log" \
  || { cat "$LOG/billing-javac.log" >&2; die "compiling BillingLoad.java failed"; }
load() { java -Xmx512m -XX:+UseParallelGC -cp "$CLASSES:$LIB/*" -Dorg.slf4j.simpleLogger.defaultLogLevel=error BillingLoad "$@"; }

# --- CPU accounting --------------------------------------------------------------------------------------------------
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
descendants() { # the pid and every process below it (Kafka runs in the infra JVM, PostgreSQL in its children)
  local all
  all=$(ps -e -o pid=,ppid=)
  awk -v root="$1" '{ parent[$1] = $2 } END {
      for (p in parent) { q = p; while (q != "" && q != root && q != 1 && q != 0) q = parent[q]; if (q == root) print p }
      print root }' <<< "$all"
}
# Kafka (in the infra JVM) and PostgreSQL (the postmaster, which zonky starts detached, and its backends)
infra_ticks() {
  local pg t=0 p
  pg=$(head -n 1 "$RUN/data/postgres/postmaster.pid" 2>/dev/null || true)
  for p in $( { descendants "$INFRA_PID"; [ -z "$pg" ] || descendants "$pg"; } | sort -u); do t=$((t + $(ticks "$p"))); done
  echo "$t"
}
box_ticks() { awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6 }' /proc/stat; }
rss_mb() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }
quiet_wait() { # until the box is less than BENCH_QUIET_PCT % busy over 3 s, at most BENCH_QUIET_WAIT s
  local deadline=$((SECONDS + ${BENCH_QUIET_WAIT:-300})) b0 i0 b1 i1 pct
  while :; do
    read -r b0 i0 < <(box_ticks); sleep 3; read -r b1 i1 < <(box_ticks)
    pct=$(( 100 * (b1 - b0) / (i1 - i0 > 0 ? i1 - i0 : 1) ))
    [ "$pct" -lt "${BENCH_QUIET_PCT:-15}" ] && return 0
    [ $SECONDS -lt $deadline ] || { say "  (the machine is still ${pct} % busy: measuring anyway)"; return 0; }
    say "  (the machine is ${pct} % busy: waiting for it to calm down)"
  done
}
get() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<< "$1"; } # get LINE FIELD

# --- infrastructure and billing ---------------------------------------------------------------------------------------
rm -rf "$RUN/data"
say "Starting Kafka and PostgreSQL (embedded, ports $KAFKA_PORT and $PG_PORT)..."
java -Xmx512m -XX:+UseParallelGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$ROOT/gateway-infra/target/classes:$LIB/*" io.visca.gateway.infra.LocalInfraMain \
  --state-dir "$RUN/data" --kafka-port "$KAFKA_PORT" --postgres-port "$PG_PORT" --databases billing \
  > "$LOG/billing-infra.log" 2>&1 &
INFRA_PID=$!
for _ in $(seq 1 240); do grep -qs '^READY' "$LOG/billing-infra.log" && break; kill -0 "$INFRA_PID" || die "infra exited"; sleep 0.5; done
grep -q '^READY' "$LOG/billing-infra.log" || die "the infrastructure did not start (log: $LOG/billing-infra.log)"

start_billing() {
  (
    export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT DB_URL=postgresql://127.0.0.1:$PG_PORT/billing
    export DB_USER=postgres DB_PASSWORD=postgres GATEWAY_ADMIN_TOKEN=$TOKEN QUARKUS_HTTP_PORT=$BILLING_PORT
    export BILLING_MANAGEMENT_PORT MANAGEMENT_HOST=127.0.0.1
    cd "$RUN"
    # shellcheck disable=SC2086
    exec java -XX:+UseParallelGC -Xmx256m ${BENCH_BILLING_JAVA_OPTS:-} -jar "$JAR"
  ) > "$LOG/billing-service-$STAMP.log" 2>&1 &
  BILLING_PID=$!
  for _ in $(seq 1 240); do
    curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$BILLING_MANAGEMENT_PORT/q/health/ready" && return 0
    kill -0 "$BILLING_PID" 2>/dev/null || { tail -n 30 "$LOG/billing-service-$STAMP.log" >&2; die "billing exited"; }
    sleep 0.25
  done
  die "billing was not ready within 60 s (log: $LOG/billing-service-$STAMP.log)"
}
metric() { curl -fs "http://127.0.0.1:$BILLING_MANAGEMENT_PORT/q/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }

{
  say "# bench/billing.sh $STAMP on $(hostname) ($(nproc) cores, $(awk '/model name/{$1=$2=$3="";print;exit}' /proc/cpuinfo | sed 's/^ *//'))"
  say "# events=$EVENTS duplicates=$DUPLICATES live_rate=$LIVE_RATE live_seconds=$LIVE_SECONDS"
  say "# source: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') + $(git -C "$ROOT" status --porcelain 2>/dev/null | wc -l) changed/new paths"
  env | grep -E '^(BILLING_[A-Z_]*|QUARKUS_[A-Z_]*|MP_[A-Z_]*)=' | sed 's/^/# env: /' || true
  say "# loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$RESULTS"

# --- (1) backlog -----------------------------------------------------------------------------------------------------
quiet_wait
say "Publishing $EVENTS usage events (${DUPLICATES} duplicates) before billing runs..."
SENT=$(load produce --bootstrap "127.0.0.1:$KAFKA_PORT" --events "$EVENTS" --duplicates "$DUPLICATES" \
  --key-prefix "backlog$STAMP" | grep '^RESULT')
say "  $SENT"
say "# produce backlog: $SENT" >> "$RESULTS"
UNIQUE=$(get "$SENT" unique)

quiet_wait
say "Starting billing (packaged jar) and timing the backlog into PostgreSQL..."
START_NS=$(date +%s%N)
start_billing
READY_NS=$(date +%s%N)
read -r B0 I0 < <(box_ticks); C0=$(ticks "$BILLING_PID"); K0=$(infra_ticks)
DRAIN=$(load await --jdbc "$JDBC" --user postgres --password postgres --rows "$UNIQUE" --timeout 900 \
  --key-prefix "backlog$STAMP" | grep '^RESULT') || die "the backlog did not land: $DRAIN"
read -r B1 I1 < <(box_ticks); C1=$(ticks "$BILLING_PID"); K1=$(infra_ticks)
END_NS=$(date +%s%N)
RSS_BACKLOG=$(rss_mb "$BILLING_PID")
say "  $DRAIN"
say "# backlog: $DRAIN" >> "$RESULTS"
CPU=$(awk -v c=$((C1 - C0)) -v k=$((K1 - K0)) -v b=$((B1 - B0)) -v i=$((I1 - I0)) -v n="$UNIQUE" -v t="$TICK" \
  -v s="$(( (END_NS - READY_NS) / 1000000 ))" 'BEGIN {
    printf "billing_cpu_us=%.1f infra_cpu_us=%.1f box_busy_pct=%.0f other_pct=%.0f", c * 1e6 / t / n, k * 1e6 / t / n,
      100 * b / i, 100 * (b - c - k) / i }')
say "# backlog cpu: $CPU start_to_ready_s=$(( (READY_NS - START_NS) / 1000000 ))e-3 ready_to_stored_s=$(( (END_NS - READY_NS) / 1000000 ))e-3" >> "$RESULTS"

# --- (2) live --------------------------------------------------------------------------------------------------------
LIVE=
if [ "$LIVE_SECONDS" -gt 0 ]; then
  LIVE_EVENTS=$((LIVE_RATE * LIVE_SECONDS))
  quiet_wait
  say "Publishing $LIVE_EVENTS events at $LIVE_RATE/s while billing runs..."
  LIVE_SENT=$(load produce --bootstrap "127.0.0.1:$KAFKA_PORT" --events "$LIVE_EVENTS" --duplicates "$DUPLICATES" \
    --rate "$LIVE_RATE" --seed 11 --key-prefix "live$STAMP" | grep '^RESULT')
  say "  $LIVE_SENT"
  say "# produce live: $LIVE_SENT" >> "$RESULTS"
  LIVE=$(load await --jdbc "$JDBC" --user postgres --password postgres --rows "$(get "$LIVE_SENT" unique)" \
    --timeout 300 --key-prefix "live$STAMP" | grep '^RESULT') || die "the live events did not land: $LIVE"
  say "  $LIVE"
  say "# live: $LIVE" >> "$RESULTS"
fi
RSS_END=$(rss_mb "$BILLING_PID")

# --- (4) queries over what was stored ------------------------------------------------------------------------------------
# median of 5 calls each (after one warm-up call): what a finance user waits for, with every stored row in range
query_ms() {
  local i t=()
  curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$BILLING_PORT$1" || { echo failed; return; }
  for i in 1 2 3 4 5; do
    t+=("$(curl -fs -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$BILLING_PORT$1")")
  done
  printf '%s\n' "${t[@]}" | sort -n | sed -n 3p | awk '{ printf "%.1f", $1 * 1000 }'
}
Q_TOTAL=$(query_ms "/api/usage/summary")
Q_GROUPED=$(query_ms "/api/usage/summary?group_by=provider,model,api_key,day")
Q_HOURLY=$(query_ms "/api/usage/summary?group_by=hour,provider")
Q_RECON=$(query_ms "/api/usage/reconciliation")
Q_PAGE=$(query_ms "/api/usage/records?limit=100&provider=openai")
say "# queries_ms: summary=$Q_TOTAL grouped=$Q_GROUPED hourly=$Q_HOURLY reconciliation=$Q_RECON records_page=$Q_PAGE" >> "$RESULTS"

# --- (3) totals --------------------------------------------------------------------------------------------------------
DUPS_METRIC=$(metric billing_events_duplicate_total)
MALFORMED=$(metric billing_events_malformed_total)
DUPS_SENT=$(( $(get "$SENT" duplicates) + $( [ -n "$LIVE" ] && get "$LIVE_SENT" duplicates || echo 0) ))
check() { [ "$1" = "$2" ] && echo ok || echo "MISMATCH ($1 != $2)"; }
TOTALS_BACKLOG="rows $(check "$(get "$DRAIN" stored)" "$UNIQUE"), prompt tokens $(check "$(get "$DRAIN" ledger_prompt_tokens)" \
  "$(get "$SENT" prompt_tokens)"), total cost $(check "$(get "$DRAIN" ledger_total_cost)" "$(get "$SENT" total_cost)")"
LAST=${LIVE:-$DRAIN}
ROLLUP="rollup requests $(check "$(get "$LAST" rollup_requests)" "$(( UNIQUE + $( [ -n "$LIVE" ] && get "$LIVE_SENT" unique || echo 0) ))")"
say "# loadavg after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS"

STEADY=$(get "$DRAIN" steady_rate)
{
  say ""
  say "Billing ingest benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores; Kafka, PostgreSQL, billing and the producer on this machine"
  env | grep -E '^(BILLING_[A-Z_]*|QUARKUS_[A-Z_]*)=' | sed 's/^/  with /' || true
  say ""
  say "backlog: $UNIQUE unique events + $(get "$SENT" duplicates) duplicates ($(get "$SENT" bytes_avg) bytes each) published first"
  printf '  %-44s %s\n' "steady rate into PostgreSQL (10-90 %)" "$STEADY events/s"
  printf '  %-44s %s\n' "slowest / fastest whole second" "$(get "$DRAIN" steady_second_min) / $(get "$DRAIN" steady_second_max) events"
  printf '  %-44s %s\n' "first to last batch" "$(get "$DRAIN" first_to_last_s) s, $(get "$DRAIN" overall_rate) events/s"
  printf '  %-44s %s\n' "batches, events per batch" "$(get "$DRAIN" batches), $(get "$DRAIN" avg_batch)"
  printf '  %-44s %s\n' "billing start to ready" "$(awk -v n=$((READY_NS - START_NS)) 'BEGIN { printf "%.1f", n / 1e9 }') s"
  printf '  %-44s %s\n' "CPU per event: billing / Kafka+PostgreSQL" "$(get " $CPU" billing_cpu_us) / $(get " $CPU" infra_cpu_us) us"
  printf '  %-44s %s\n' "machine busy / other processes" "$(get " $CPU" box_busy_pct) % / $(get " $CPU" other_pct) %"
  printf '  %-44s %s\n' "billing RSS after the backlog / at the end" "$RSS_BACKLOG / $RSS_END MB"
  if [ -n "$LIVE" ]; then
    say "live: $(get "$LIVE_SENT" sent) events at $(get "$LIVE_SENT" rate)/s achieved (asked $LIVE_RATE/s) while billing ran"
    printf '  %-44s %s\n' "occurred_at -> stored, p50 / p99 / max" "$(get "$LIVE" delay_p50_s) / $(get "$LIVE" delay_p99_s) / $(get "$LIVE" delay_max_s) s"
    printf '  %-44s %s\n' "events per batch" "$(get "$LIVE" avg_batch)"
  fi
  say "queries, median ms: summary $Q_TOTAL; group_by=provider,model,api_key,day $Q_GROUPED; group_by=hour,provider $Q_HOURLY;"
  say "  reconciliation $Q_RECON; a records page (100, provider filter) $Q_PAGE"
  say "totals: backlog $TOTALS_BACKLOG; $ROLLUP; duplicates counted $DUPS_METRIC (sent $DUPS_SENT); malformed $MALFORMED"
  say ""
  printf '%-44s %-16s %s\n' "target" "measured" "verdict"
  printf '%-44s %-16s %s\n' "events into PostgreSQL >= 10,000/s" "$STEADY/s" \
    "$(awk -v r="$STEADY" 'BEGIN { print (r >= 10000 ? "PASS" : "FAIL") }')"
  say ""
  say "raw results: $RESULTS"
} | tee "$STATE/billing-summary-$STAMP.txt"
cat "$STATE/billing-summary-$STAMP.txt" >> "$RESULTS"
