#!/usr/bin/env bash
# Router overhead benchmark: the same load direct to a fast fake OpenAI upstream and through the router, side by side.
#
#   bench/run.sh            (about 5 minutes; see bench/README.md)
#
# What it does: installs wrk when missing; starts the fake (fake-upstreams BenchUpstreamMain); starts the gateway
# with ./gateway.sh up (its own state dir and ports, see below) unless that stack already runs; registers a provider
# for the fake and a client key; warms up; then measures with wrk
#   (a) latency at a fixed rate (BENCH_RATE req/s, paced by bench/chat.lua): p50/p90/p99/p99.9 direct and routed,
#       and the router's RSS during that run;
#   (b) maximum throughput (closed loop, BENCH_THREADS threads x BENCH_CONNECTIONS connections) direct and routed,
#       with CPU time per request of every process involved;
#   (c) with BENCH_STREAM=1 (default) the same fixed-rate latency for streamed requests (the whole SSE stream);
# prints a table with pass/fail against the targets, and stops what it started.
#
# Environment (all optional):
#   BENCH_RATE=1000             fixed rate of the latency runs (req/s)
#   BENCH_RATE_CONNECTIONS=20   connections of the latency runs (idle most of the time; headroom for stalls)
#   BENCH_THREADS=2 BENCH_CONNECTIONS=50   wrk threads and connections of the throughput runs
#   BENCH_LATENCY_SECONDS=30 BENCH_THROUGHPUT_SECONDS=15 BENCH_WARMUP_SECONDS=25
#   BENCH_ROUNDS=2              throughput runs alternate direct and routed this many times; figures are the means
#                               (the machine's speed drifts by 10-15 % from minute to minute)
#   BENCH_STREAM=1              also measure streaming (0: skip)
#   BENCH_FAKE_PORT=0           port of the fake (0: a free one); BENCH_FAKE_EVENT_LOOPS=1
#   BENCH_FAKE=fast             fast: BenchUpstreamMain; full: the full-featured FakeUpstreamMain (parses every
#                               request, as a slower upstream; the throughput ratio depends on the upstream's cost)
#   BENCH_MAX_FOREIGN=10        a shared box: before each measured run wait (up to BENCH_QUIET_WAIT=300 s) until
#                               other processes use less than this % of the machine, and repeat a run (up to
#                               BENCH_RETRIES=2 times) when they used more during it; the least disturbed run counts
#   BENCH_BILLING=0             1: run billing-service in the benchmark's stack too. By default it is left out
#                               (GATEWAY_WITHOUT=billing): billing and PostgreSQL storing every request's usage
#                               event take as much CPU as the router on these 2 cores, which measures the box, not
#                               the router. The router still publishes every event to Kafka (in the figures).
#   BENCH_KEY_POLICY            JSON fields added to the client key's creation, e.g. a budgeted and rate-limited key:
#                               '"max_budget_usd":1000000,"budget_period":"total","requests_per_minute":10000000'
#                               (needs BENCH_BILLING=1: billing is the quota store); compare with the same run
#                               without it to measure what key governance adds
#   BENCH_SKIP_BUILD=1          never build (use the jars as they are)
#   BENCH_STATE_DIR             results, logs and the fake's classes (default bench/.state)
#   GATEWAY_STATE_DIR           the stack's state (default bench/.state/gateway: a stack of its own, apart from the
#                               developer's ./.gateway); set it to ./.gateway (and the ports below to the defaults)
#                               to measure a stack that ./gateway.sh up already started
#   ROUTER_PORT=28080 REGISTRY_PORT=28081 HEALTH_MONITOR_PORT=28082 BILLING_PORT=28083
#   ROUTER_MANAGEMENT_PORT=29080 REGISTRY_MANAGEMENT_PORT=29081 HEALTH_MONITOR_MANAGEMENT_PORT=29082
#   BILLING_MANAGEMENT_PORT=29083
#   GATEWAY_KAFKA_PORT=29092 GATEWAY_POSTGRES_PORT=25432
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
STATE=${BENCH_STATE_DIR:-$BENCH/.state}
mkdir -p "$STATE"
STATE=$(cd "$STATE" && pwd)

RATE=${BENCH_RATE:-1000}
RATE_CONNECTIONS=${BENCH_RATE_CONNECTIONS:-20}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
LATENCY_SECONDS=${BENCH_LATENCY_SECONDS:-30}
THROUGHPUT_SECONDS=${BENCH_THROUGHPUT_SECONDS:-15}
ROUNDS=${BENCH_ROUNDS:-2}
WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-25}
STREAM=${BENCH_STREAM:-1}
FAKE_PORT=${BENCH_FAKE_PORT:-0}
FAKE_EVENT_LOOPS=${BENCH_FAKE_EVENT_LOOPS:-1}
FAKE_KIND=${BENCH_FAKE:-fast}
MAX_FOREIGN=${BENCH_MAX_FOREIGN:-10}
QUIET_WAIT=${BENCH_QUIET_WAIT:-300}
RETRIES=${BENCH_RETRIES:-2}
BILLING=${BENCH_BILLING:-0}
KEY_POLICY=${BENCH_KEY_POLICY:-}
MODEL=bench-model
PROVIDER=bench-fake

export GATEWAY_STATE_DIR=${GATEWAY_STATE_DIR:-$STATE/gateway}
export ROUTER_PORT=${ROUTER_PORT:-28080} REGISTRY_PORT=${REGISTRY_PORT:-28081}
export HEALTH_MONITOR_PORT=${HEALTH_MONITOR_PORT:-28082} BILLING_PORT=${BILLING_PORT:-28083}
export ROUTER_MANAGEMENT_PORT=${ROUTER_MANAGEMENT_PORT:-29080} REGISTRY_MANAGEMENT_PORT=${REGISTRY_MANAGEMENT_PORT:-29081}
export HEALTH_MONITOR_MANAGEMENT_PORT=${HEALTH_MONITOR_MANAGEMENT_PORT:-29082}
export BILLING_MANAGEMENT_PORT=${BILLING_MANAGEMENT_PORT:-29083}
export GATEWAY_KAFKA_PORT=${GATEWAY_KAFKA_PORT:-29092} GATEWAY_POSTGRES_PORT=${GATEWAY_POSTGRES_PORT:-25432}
# no sample providers in the benchmark's own stack (they would be health-checked, and need secrets)
if [ -z "${PROVIDERS_DIR:-}" ]; then
  export PROVIDERS_DIR=$STATE/providers
  mkdir -p "$PROVIDERS_DIR"
fi
mkdir -p "$GATEWAY_STATE_DIR"
GW=$(cd "$GATEWAY_STATE_DIR" && pwd)

ROUTER=http://127.0.0.1:$ROUTER_PORT
ROUTER_MANAGEMENT=http://127.0.0.1:$ROUTER_MANAGEMENT_PORT
REGISTRY=http://127.0.0.1:$REGISTRY_PORT
LOG=$STATE/logs
mkdir -p "$LOG"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=$STATE/results-$STAMP.txt
TICK=$(getconf CLK_TCK)

say() { printf '%s\n' "$*"; }
die() { printf 'bench/run.sh: %s\n' "$*" >&2; exit 1; }

# --- cleanup: only what this script started ----------------------------------------------------------------------
FAKE_PID=
STARTED_STACK=0
KEY_ID=
ADMIN=
SAMPLER_PID=
cleanup() {
  set +e
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null
  [ -d "$GW/logs" ] && [ -n "${STAMP:-}" ] && mkdir -p "$LOG/stack-$STAMP" && cp "$GW"/logs/*.log "$LOG/stack-$STAMP/" 2>/dev/null
  if [ "$STARTED_STACK" = 1 ]; then
    say "Stopping the stack this script started..."
    "$ROOT/gateway.sh" down > "$LOG/gateway-down.log" 2>&1
  elif [ -n "$ADMIN" ]; then
    # a stack we only borrowed: take back the key and the provider
    [ -n "$KEY_ID" ] && curl -s -o /dev/null -X DELETE "$REGISTRY/api/keys/$KEY_ID" -H "Authorization: Bearer $ADMIN"
    curl -s -o /dev/null -X DELETE "$REGISTRY/api/providers/$PROVIDER" -H "Authorization: Bearer $ADMIN"
  fi
  if [ -n "$FAKE_PID" ]; then
    kill "$FAKE_PID" 2>/dev/null
    wait "$FAKE_PID" 2>/dev/null
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- wrk -----------------------------------------------------------------------------------------------------------
if ! command -v wrk > /dev/null; then
  say "Installing wrk (Debian package)..."
  SUDO=
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get install -y wrk > "$LOG/apt.log" 2>&1 \
    || { $SUDO apt-get update > "$LOG/apt.log" 2>&1 && $SUDO apt-get install -y wrk >> "$LOG/apt.log" 2>&1; } \
    || die "could not install wrk (log: $LOG/apt.log)"
fi

# --- build ---------------------------------------------------------------------------------------------------------
router_ready() { curl -fs -o /dev/null --max-time 2 "$ROUTER_MANAGEMENT/q/health/ready"; }
stack_running() { "$ROOT/gateway.sh" status 2>/dev/null | grep -q running; }

jars_stale() {
  local jar m
  for m in provider-registry-service router-service health-monitor-service billing-service; do
    jar=$ROOT/$m/target/quarkus-app/quarkus-run.jar
    [ -f "$jar" ] || return 0
    [ -z "$(find "$ROOT" -path "$ROOT/.gateway" -prune -o -path "$BENCH" -prune -o \( -name '*.java' -o -name 'pom.xml' \
      -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit)" ] || return 0
  done
  compgen -G "$ROOT/gateway-infra/target/lib/kafka_2.13-*.jar" > /dev/null || return 0
  return 1
}

if ! router_ready && [ "${BENCH_SKIP_BUILD:-0}" != 1 ] && jars_stale; then
  # built here without the formatter, so that a benchmark never rewrites anybody's sources; gateway.sh then finds
  # the jars fresh (unless a source changes in between)
  say "Building (./mvnw install -DskipTests, formatter off)..."
  (cd "$ROOT" && ./mvnw -q -B -o install -DskipTests -Dformatter.skip -Dimpsort.skip) > "$LOG/build.log" 2>&1 \
    || (cd "$ROOT" && ./mvnw -q -B install -DskipTests -Dformatter.skip -Dimpsort.skip) > "$LOG/build.log" 2>&1 \
    || { tail -n 30 "$LOG/build.log" >&2; die "the build failed (log: $LOG/build.log)"; }
fi

# the fake: Maven's classes when they are current, else compiled here (needs only fake-upstreams/target/lib)
FAKE_SRC=$ROOT/fake-upstreams/src/main/java/io/visca/gateway/fakes/BenchUpstreamMain.java
FAKE_CLASS=$ROOT/fake-upstreams/target/classes/io/visca/gateway/fakes/BenchUpstreamMain.class
FAKE_LIB=$ROOT/fake-upstreams/target/lib
[ -d "$FAKE_LIB" ] || die "$FAKE_LIB is missing: run ./mvnw -q install -DskipTests once"
if [ -f "$FAKE_CLASS" ] && [ ! "$FAKE_SRC" -nt "$FAKE_CLASS" ]; then
  FAKE_CP="$ROOT/fake-upstreams/target/classes:$FAKE_LIB/*"
else
  mkdir -p "$STATE/classes"
  if [ ! -f "$STATE/classes/io/visca/gateway/fakes/BenchUpstreamMain.class" ] \
    || [ "$FAKE_SRC" -nt "$STATE/classes/io/visca/gateway/fakes/BenchUpstreamMain.class" ]; then
    javac -nowarn -d "$STATE/classes" -cp "$FAKE_LIB/*" "$FAKE_SRC" || die "could not compile $FAKE_SRC"
  fi
  FAKE_CP="$STATE/classes:$FAKE_LIB/*"
fi

# --- the fake ------------------------------------------------------------------------------------------------------
if [ "$FAKE_KIND" = full ]; then
  say "Starting the full-featured fake OpenAI upstream (FakeUpstreamMain)..."
  java -XX:+UseSerialGC -Xms64m -Xmx64m -cp "$ROOT/fake-upstreams/target/classes:$FAKE_LIB/*" \
    io.visca.gateway.fakes.FakeUpstreamMain --port "$FAKE_PORT" --models "$MODEL" > "$LOG/fake.log" 2>&1 &
  FAKE_PID=$!
  ready_line='upstream on http'
else
  say "Starting the bench upstream (BenchUpstreamMain, $FAKE_EVENT_LOOPS event loop(s))..."
  java -XX:+UseSerialGC -Xms64m -Xmx64m -cp "$FAKE_CP" \
    io.visca.gateway.fakes.BenchUpstreamMain --port "$FAKE_PORT" --event-loops "$FAKE_EVENT_LOOPS" --models "$MODEL" \
    > "$LOG/fake.log" 2>&1 &
  FAKE_PID=$!
  ready_line='^LISTENING'
fi
for _ in $(seq 1 100); do
  grep -q "$ready_line" "$LOG/fake.log" 2>/dev/null && break
  kill -0 "$FAKE_PID" 2>/dev/null || { cat "$LOG/fake.log" >&2; die "the fake exited"; }
  sleep 0.1
done
FAKE_PORT=$(sed -n -e 's/^LISTENING \([0-9]*\).*/\1/p' -e 's|.*upstream on http://[^:]*:\([0-9]*\).*|\1|p' "$LOG/fake.log" | head -n 1)
[ -n "$FAKE_PORT" ] || die "the fake did not start (log: $LOG/fake.log)"
DIRECT=http://127.0.0.1:$FAKE_PORT
say "  http://127.0.0.1:$FAKE_PORT/v1 (pid $FAKE_PID)"

# --- the stack -----------------------------------------------------------------------------------------------------
[ -z "$KEY_POLICY" ] || [ "$BILLING" = 1 ] || die "BENCH_KEY_POLICY needs BENCH_BILLING=1 (billing is the quota store)"
if router_ready; then
  say "Using the stack that already runs (router $ROUTER, state $GW)."
elif stack_running; then
  die "a stack runs in $GW but its router on $ROUTER is not ready: ./gateway.sh status / down (GATEWAY_STATE_DIR=$GW)"
else
  say "Starting the stack (./gateway.sh up, state $GW, router :$ROUTER_PORT, registry :$REGISTRY_PORT)..."
  STARTED_STACK=1
  [ "$BILLING" = 1 ] || export GATEWAY_WITHOUT="billing ${GATEWAY_WITHOUT:-}"
  "$ROOT/gateway.sh" up > "$LOG/gateway-up.log" 2>&1 \
    || { tail -n 30 "$LOG/gateway-up.log" >&2; die "./gateway.sh up failed (log: $LOG/gateway-up.log)"; }
fi
ROUTER_PID=$(cat "$GW/pids/router.pid")
kill -0 "$ROUTER_PID" 2>/dev/null || die "no router process (pid file $GW/pids/router.pid)"
ADMIN=${GATEWAY_ADMIN_TOKEN:-$(cat "$GW/admin-token")}

# --- provider and key ----------------------------------------------------------------------------------------------
PROVIDER_DOC='{"name":"'$PROVIDER'","type":"openai-compatible","base_url":"'$DIRECT'/v1","auth":{"auth_type":"none"},
"models":[{"id":"'$MODEL'","cost_per_1k_input":0.001,"cost_per_1k_output":0.002}]}'
code=$(curl -s -o "$LOG/provider.json" -w '%{http_code}' "$REGISTRY/api/providers" -H "Authorization: Bearer $ADMIN" \
  -H 'Content-Type: application/json' -d "$PROVIDER_DOC")
if [ "$code" = 409 ]; then
  code=$(curl -s -o "$LOG/provider.json" -w '%{http_code}' -X PUT "$REGISTRY/api/providers/$PROVIDER" \
    -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d "$PROVIDER_DOC")
fi
case $code in 2??) ;; *) cat "$LOG/provider.json" >&2; die "registering the provider failed (HTTP $code)" ;; esac
created=$(curl -fs "$REGISTRY/api/keys" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"name":"bench"'"${KEY_POLICY:+,$KEY_POLICY}"'}') || die "creating a client key failed (BENCH_KEY_POLICY: $KEY_POLICY)"
KEY=$(printf '%s' "$created" | sed -n 's/.*"key" *: *"\([^"]*\)".*/\1/p')
KEY_ID=$(printf '%s' "$created" | sed -n 's/.*"id" *: *"\{0,1\}\([^",}]*\)"\{0,1\}.*/\1/p')
[ -n "$KEY" ] || die "no key in the answer: $created"

say "Waiting until the router serves $MODEL from the fake..."
deadline=$((SECONDS + 60))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$ROUTER/v1/models/$MODEL" -H "Authorization: Bearer $KEY")" = 200 ] \
  && curl -s "$ROUTER/v1/chat/completions" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d '{"model":"'$MODEL'","messages":[{"role":"user","content":"hi"}]}' | grep -q '"chat.completion"'; do
  [ $SECONDS -lt $deadline ] || die "the router does not serve $MODEL from the fake after 60 s"
  sleep 0.5
done
curl -s -D "$LOG/sample-headers.txt" -o "$LOG/sample-body.json" "$ROUTER/v1/chat/completions" \
  -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"model":"'$MODEL'","messages":[{"role":"user","content":"hi"}]}'

# --- measuring helpers ---------------------------------------------------------------------------------------------
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
box_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6}' /proc/stat; }
stack_pids() { cat "$GW"/pids/*.pid 2>/dev/null | tr '\n' ' '; }
rss_kb() { awk '/^VmRSS/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# the router's young and full GC counts and total GC seconds (jstat; zeros without a JDK's jstat)
gc_counts() {
  if command -v jstat > /dev/null; then
    jstat -gc "$ROUTER_PID" 2> /dev/null | awk 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i }
      NR == 2 { print $h["YGC"], $h["FGC"], $h["GCT"] }' | grep . || echo "0 0 0"
  else
    echo "0 0 0"
  fi
}

# sample the router's RSS every 0.5 s into a file until killed
start_rss_sampler() {
  : > "$STATE/rss.samples"
  (while kill -0 "$ROUTER_PID" 2>/dev/null; do rss_kb "$ROUTER_PID" >> "$STATE/rss.samples"; sleep 0.5; done) &
  SAMPLER_PID=$!
}
stop_rss_sampler() { # prints the peak RSS in kB
  kill "$SAMPLER_PID" 2>/dev/null || true
  wait "$SAMPLER_PID" 2>/dev/null || true
  SAMPLER_PID=
  sort -n "$STATE/rss.samples" | tail -n 1
}

# CPU ticks of the processes this benchmark is about (stack, fake)
our_ticks() { local p s=0; for p in $(stack_pids) "$FAKE_PID"; do s=$((s + $(ticks "$p"))); done; echo "$s"; }
# waits until other processes use less than MAX_FOREIGN % of the box over one second (at most QUIET_WAIT s)
quiet_wait() {
  local b0 i0 b1 i1 o0 o1 f waited=0
  while :; do
    o0=$(our_ticks); read -r b0 i0 < <(box_ticks)
    sleep 1
    o1=$(our_ticks); read -r b1 i1 < <(box_ticks)
    f=$(( 100 * (b1 - b0 - (o1 - o0)) / (b1 - b0 + i1 - i0 + 1) ))
    [ "$f" -lt "$MAX_FOREIGN" ] && break
    [ $waited = 0 ] && say "  (other processes use ${f}% of the machine: waiting up to ${QUIET_WAIT}s for quiet)"
    waited=$((waited + 5))
    [ $waited -lt "$QUIET_WAIT" ] || { say "  (still ${f}% busy: measuring anyway)"; break; }
    sleep 4
  done
}

# run NAME TARGET WRK-ARGS... -- LUA-ARGS...: measure_once, repeated when other processes disturbed it; keeps the
# least disturbed result in $STATE/NAME.result
run() {
  local name=$1 attempt best=999 f
  for attempt in $(seq 0 "$RETRIES"); do
    quiet_wait
    measure_once "$@"
    f=$(get "$name" foreign_cpu_pct)
    if [ "$f" -lt "$best" ]; then best=$f; cp "$STATE/$name.result" "$STATE/$name.best"; fi
    [ "$f" -ge "$MAX_FOREIGN" ] || break
    [ "$attempt" = "$RETRIES" ] || say "  ($name: other processes used ${f}% of the machine during the run: again)"
  done
  mv "$STATE/$name.best" "$STATE/$name.result"
  cat "$STATE/$name.result" >> "$RESULTS"
}

# measure_once NAME TARGET WRK-ARGS... -- LUA-ARGS...: one wrk run; its RESULT line plus CPU figures -> $STATE/NAME.result
measure_once() {
  local name=$1 url=$2; shift 2
  local args=() lua=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  lua=("$@")
  local pids p r0 f0 s0 b0 i0 b1 i1 r1 f1 s1 wrk_cpu others0=0 others1=0 gc0 gc1
  gc0=$(gc_counts)
  pids=$(stack_pids)
  for p in $pids; do [ "$p" = "$ROUTER_PID" ] || others0=$((others0 + $(ticks "$p"))); done
  r0=$(ticks "$ROUTER_PID"); f0=$(ticks "$FAKE_PID"); read -r b0 i0 < <(box_ticks)
  local TIMEFORMAT='%U %S'
  { time wrk "${args[@]}" -s "$BENCH/chat.lua" "$url/v1/chat/completions" -- "${lua[@]}" \
    > "$LOG/$name.wrk" 2>&1; } 2> "$STATE/$name.time"
  read -r b1 i1 < <(box_ticks); r1=$(ticks "$ROUTER_PID"); f1=$(ticks "$FAKE_PID")
  for p in $pids; do [ "$p" = "$ROUTER_PID" ] || others1=$((others1 + $(ticks "$p"))); done
  gc1=$(gc_counts)
  wrk_cpu=$(awk '{printf "%d", ($1 + $2) * 1e6}' "$STATE/$name.time")
  local result
  result=$(grep '^RESULT' "$LOG/$name.wrk") || { cat "$LOG/$name.wrk" >&2; die "wrk run $name failed"; }
  # CPU microseconds per request: router, fake, wrk, rest of the stack; box busy %, and busy time of other processes
  awk -v res="$result" -v gc0="$gc0" -v gc1="$gc1" -v tick="$TICK" -v r=$((r1 - r0)) -v f=$((f1 - f0)) -v o=$((others1 - others0)) \
    -v w="$wrk_cpu" -v busy=$((b1 - b0)) -v idle=$((i1 - i0)) 'BEGIN {
      split(res, kv, " "); for (i in kv) { split(kv[i], a, "="); v[a[1]] = a[2] }
      n = v["requests"] > 0 ? v["requests"] : 1; us = 1e6 / tick
      foreign = busy * us - (r + f + o) * us - w; if (foreign < 0) foreign = 0
      split(gc0, a, " "); split(gc1, b, " ")
      printf "%s router_cpu_us=%.1f fake_cpu_us=%.1f wrk_cpu_us=%.1f stack_other_cpu_us=%.1f box_busy_pct=%.0f foreign_cpu_pct=%.0f router_young_gcs=%d router_full_gcs=%d router_gc_ms=%.0f\n",
        res, r * us / n, f * us / n, w / n, o * us / n, 100 * busy / (busy + idle),
        100 * foreign / ((busy + idle) * us), b[1] - a[1], b[2] - a[2], 1000 * (b[3] - a[3]) }' > "$STATE/$name.result"
  sed 's/^/# attempt /' "$STATE/$name.result" >> "$RESULTS"
}
# mean_of NAME: $STATE/NAME.result with every field the mean over NAME-1..NAME-ROUNDS (percentiles: the worst)
mean_of() {
  local i files=()
  for i in $(seq 1 "$ROUNDS"); do files+=("$STATE/$1-$i.result"); done
  awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); k[i] = kv[1]; v = kv[2] + 0
           if (kv[1] ~ /^(p[0-9]+|max)_us$/) { if (v > s[i]) s[i] = v } else s[i] += v } n++; nf = NF }
       END { printf "RESULT"; for (i = 2; i <= nf; i++) printf " %s=%s", k[i],
               (k[i] ~ /^(p[0-9]+|max)_us$/ ? s[i] : (k[i] ~ /^(requests|err_)/ ? s[i] : sprintf("%.1f", s[i] / n)))
             print "" }' "${files[@]}" > "$STATE/$1.result"
  sed "s/^/# mean $1: /" "$STATE/$1.result" >> "$RESULTS"
}
get() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" "$STATE/$1.result"; } # get NAME FIELD (first field: requests)

# --- warm-up -------------------------------------------------------------------------------------------------------
{
  say "# bench/run.sh $STAMP on $(hostname) ($(nproc) cores, $(awk '/model name/{$1=$2=$3="";print;exit}' /proc/cpuinfo | sed 's/^ *//'))"
  say "# fake=$FAKE_KIND rate=$RATE rate_connections=$RATE_CONNECTIONS threads=$THREADS connections=$CONNECTIONS latency_s=$LATENCY_SECONDS throughput_s=$THROUGHPUT_SECONDS warmup_s=$WARMUP_SECONDS"
  say "# loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)"
  say "# stack: $("$ROOT/gateway.sh" status 2>/dev/null | awk '{printf "%s %s; ", $1, $2}')"
  env | grep -E '^(QUARKUS_[A-Z_]*|JAVA_TOOL_OPTIONS)=' | sed 's/^/# env: /' || true
  say "# source: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') + $(git -C "$ROOT" status --porcelain 2>/dev/null \
    | wc -l) changed/new paths; router jar built $(date -u -r "$ROOT/router-service/target/quarkus-app/quarkus-run.jar" '+%F %T UTC')"
} > "$RESULTS"
say "Warming up: ${WARMUP_SECONDS}s through the router, $((WARMUP_SECONDS / 2))s direct$([ "$STREAM" = 1 ] && echo ", then streaming")..."
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP_SECONDS}s" -s "$BENCH/chat.lua" "$ROUTER/v1/chat/completions" -- key="$KEY" \
  > "$LOG/warmup-router.wrk" 2>&1
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$((WARMUP_SECONDS / 2))s" -s "$BENCH/chat.lua" "$DIRECT/v1/chat/completions" \
  > "$LOG/warmup-direct.wrk" 2>&1
if [ "$STREAM" = 1 ]; then
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$((WARMUP_SECONDS / 2))s" -s "$BENCH/chat.lua" "$ROUTER/v1/chat/completions" \
    -- key="$KEY" stream=1 > "$LOG/warmup-router-stream.wrk" 2>&1
fi
# the same paced path once, briefly (wrk's delay() timers), then let the GC and JIT settle
wrk -t1 -c"$RATE_CONNECTIONS" -d5s -s "$BENCH/chat.lua" "$ROUTER/v1/chat/completions" -- key="$KEY" rate="$RATE" \
  > "$LOG/warmup-router-paced.wrk" 2>&1
sleep 2
grep -h '^RESULT' "$LOG"/warmup-*.wrk | sed 's/^/# warm-up /' >> "$RESULTS"

# --- (a) latency at a fixed rate -----------------------------------------------------------------------------------
say "Latency at $RATE req/s, ${LATENCY_SECONDS}s each: direct, then through the router..."
run lat-direct "$DIRECT" -t1 -c"$RATE_CONNECTIONS" -d"${LATENCY_SECONDS}s" -- rate="$RATE" threads=1
start_rss_sampler
run lat-router "$ROUTER" -t1 -c"$RATE_CONNECTIONS" -d"${LATENCY_SECONDS}s" -- key="$KEY" rate="$RATE" threads=1
RSS_AT_RATE=$(stop_rss_sampler)

# --- (b) maximum throughput ----------------------------------------------------------------------------------------
say "Maximum throughput (-t$THREADS -c$CONNECTIONS), ${THROUGHPUT_SECONDS}s each, $ROUNDS rounds of direct then router..."
start_rss_sampler
for i in $(seq 1 "$ROUNDS"); do
  run "thr-direct-$i" "$DIRECT" -t"$THREADS" -c"$CONNECTIONS" -d"${THROUGHPUT_SECONDS}s" --
  run "thr-router-$i" "$ROUTER" -t"$THREADS" -c"$CONNECTIONS" -d"${THROUGHPUT_SECONDS}s" -- key="$KEY"
done
RSS_AT_MAX=$(stop_rss_sampler)
mean_of thr-direct; mean_of thr-router

# --- (c) streaming -------------------------------------------------------------------------------------------------
if [ "$STREAM" = 1 ]; then
  say "Streaming at $RATE req/s, ${LATENCY_SECONDS}s each: direct, then through the router..."
  run stream-direct "$DIRECT" -t1 -c"$RATE_CONNECTIONS" -d"${LATENCY_SECONDS}s" -- stream=1 rate="$RATE" threads=1
  run stream-router "$ROUTER" -t1 -c"$RATE_CONNECTIONS" -d"${LATENCY_SECONDS}s" -- key="$KEY" stream=1 rate="$RATE" \
    threads=1
  say "Streaming, maximum throughput, ${THROUGHPUT_SECONDS}s each, $ROUNDS rounds of direct then router..."
  for i in $(seq 1 "$ROUNDS"); do
    run "sthr-direct-$i" "$DIRECT" -t"$THREADS" -c"$CONNECTIONS" -d"${THROUGHPUT_SECONDS}s" -- stream=1
    run "sthr-router-$i" "$ROUTER" -t"$THREADS" -c"$CONNECTIONS" -d"${THROUGHPUT_SECONDS}s" -- key="$KEY" stream=1
  done
  mean_of sthr-direct; mean_of sthr-router
fi
say "# loadavg after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS"

# --- report --------------------------------------------------------------------------------------------------------
errors=0
for n in lat-direct lat-router thr-direct thr-router $([ "$STREAM" = 1 ] && echo stream-direct stream-router sthr-direct sthr-router); do
  e=$(awk '{for (i = 1; i <= NF; i++) if ($i ~ /^err_(connect|read|write|status|timeout)=/) { split($i, a, "="); s += a[2] }}
    END { print s + 0 }' "$STATE/$n.result")
  [ "$e" = 0 ] || { say "WARNING: $n had $e errors (see $LOG/$n.wrk)"; errors=$((errors + e)); }
done

ms() { awk -v u="$1" 'BEGIN { printf "%.3f", u / 1000 }'; }
sms() { awk -v u="$1" 'BEGIN { printf "%+.3f", u / 1000 }'; }
verdict() { awk -v ok="$1" 'BEGIN { print (ok ? "PASS" : "FAIL") }'; }
{
  say ""
  say "Router benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores; fake ($FAKE_KIND), wrk and router on this machine"
  env | grep -E '^(QUARKUS_[A-Z_]*|JAVA_TOOL_OPTIONS)=' | sed 's/^/  with /' || true
  say ""
  printf '%-34s %12s %12s %12s\n' "" direct router "difference"
  d=$(get thr-direct rps); r=$(get thr-router rps)
  printf '%-34s %12.0f %12.0f %11.1f%%\n' "throughput, req/s (-t$THREADS -c$CONNECTIONS)" "$d" "$r" \
    "$(awk -v d="$d" -v r="$r" 'BEGIN { print 100 * r / d }')"
  RATIO=$(awk -v d="$d" -v r="$r" 'BEGIN { print 100 * r / d }')
  printf '%-34s %12.0f %12.0f\n' "latency runs: achieved req/s" "$(get lat-direct rps)" "$(get lat-router rps)"
  for p in p50 p90 p99 p999; do
    d=$(get lat-direct ${p}_us); r=$(get lat-router ${p}_us)
    printf '%-34s %12s %12s %12s\n' "latency $p at $RATE req/s, ms" "$(ms "$d")" "$(ms "$r")" "$(sms $((r - d)))"
  done
  if [ "$STREAM" = 1 ]; then
    for p in p50 p99; do
      d=$(get stream-direct ${p}_us); r=$(get stream-router ${p}_us)
      printf '%-34s %12s %12s %12s\n' "stream (whole) $p at $RATE/s, ms" "$(ms "$d")" "$(ms "$r")" "$(sms $((r - d)))"
    done
    printf '%-34s %12s %12s\n' "  other processes, % of box" "$(get stream-direct foreign_cpu_pct)" \
      "$(get stream-router foreign_cpu_pct)"
    d=$(get sthr-direct rps); r=$(get sthr-router rps)
    printf '%-34s %12.0f %12.0f %11.1f%%\n' "stream throughput, req/s" "$d" "$r" \
      "$(awk -v d="$d" -v r="$r" 'BEGIN { print 100 * r / d }')"
    printf '%-34s %12s %12s\n' "  router CPU us/request" "-" "$(get sthr-router router_cpu_us)"
  fi
  printf '%-34s %12s %12s\n' "CPU us/request at max: fake" "$(get thr-direct fake_cpu_us)" "$(get thr-router fake_cpu_us)"
  printf '%-34s %12s %12s\n' "  router" "-" "$(get thr-router router_cpu_us)"
  printf '%-34s %12s %12s\n' "  wrk" "$(get thr-direct wrk_cpu_us)" "$(get thr-router wrk_cpu_us)"
  printf '%-34s %12s %12s\n' "  rest of the stack" "$(get thr-direct stack_other_cpu_us)" "$(get thr-router stack_other_cpu_us)"
  printf '%-34s %12s %12s\n' "  other processes, % of box" "$(get thr-direct foreign_cpu_pct)" "$(get thr-router foreign_cpu_pct)"
  printf '%-34s %12s %12s\n' "CPU us/request at $RATE/s: router" "-" "$(get lat-router router_cpu_us)"
  printf '%-34s %12s %12s\n' "  other processes, % of box" "$(get lat-direct foreign_cpu_pct)" "$(get lat-router foreign_cpu_pct)"
  printf '%-34s %12s %12s\n' "router GCs young/full (ms) at $RATE/s" "" \
    "$(get lat-router router_young_gcs)/$(get lat-router router_full_gcs) ($(get lat-router router_gc_ms))"
  printf '%-34s %12s %12s\n' "router GCs young/full (ms) at max" "" \
    "$(get thr-router router_young_gcs)/$(get thr-router router_full_gcs) ($(get thr-router router_gc_ms))"
  printf '%-34s %12s %12s\n' "router RSS peak, MB" "at $RATE/s" "at max"
  printf '%-34s %12.0f %12.0f\n' "" "$((RSS_AT_RATE / 1024))" "$((RSS_AT_MAX / 1024))"
  say ""
  added50=$(( $(get lat-router p50_us) - $(get lat-direct p50_us) ))
  added99=$(( $(get lat-router p99_us) - $(get lat-direct p99_us) ))
  printf '%-48s %-12s %s\n' "target" "measured" "verdict"
  printf '%-48s %-12s %s\n' "added latency p50 <= 0.3 ms at $RATE req/s" "$(ms $added50) ms" "$(verdict $((added50 <= 300)))"
  printf '%-48s %-12s %s\n' "added latency p99 <= 2 ms at $RATE req/s" "$(ms $added99) ms" "$(verdict $((added99 <= 2000)))"
  printf '%-48s %-12s %s\n' "throughput through the router >= 50% of direct" "$(printf '%.1f' "$RATIO") %" \
    "$(verdict "$(awk -v x="$RATIO" 'BEGIN { print (x >= 50) }')")"
  printf '%-48s %-12s %s\n' "router RSS <= 300 MB at $RATE req/s" "$((RSS_AT_RATE / 1024)) MB" \
    "$(verdict $((RSS_AT_RATE <= 300 * 1024)))"
  [ "$errors" = 0 ] || say "ERRORS: $errors failed requests (see $LOG/*.wrk)"
  say ""
  say "raw results: $RESULTS"
} | tee "$STATE/summary-$STAMP.txt"
cat "$STATE/summary-$STAMP.txt" >> "$RESULTS"
[ "$errors" = 0 ]
