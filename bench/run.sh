#!/usr/bin/env bash
# Switchboard benchmark: Switchboard vs nginx proxy_pass vs the direct call, against
# a mock OpenAI backend (nginx + Lua), all on this machine, in one run.
#
#   ./mvnw package -DskipTests && bench/run.sh
#
# Writes bench/results/latest.md (and prints it); raw tool output goes to
# bench/results/latest.log. Knobs are environment variables, see README.md.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/proc.sh
source "$BENCH_DIR/lib/proc.sh"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-25s}               # Switchboard: the JIT needs >20 s of load on 2 cores
WARMUP_OTHERS=${WARMUP_OTHERS:-5s}  # nginx-based targets have nothing to warm up much
STREAM_DURATION=${STREAM_DURATION:-$DURATION}
STREAM_REQUESTS=${STREAM_REQUESTS:-20}
STREAM_EVENTS=${STREAM_EVENTS:-10}
STREAM_DELAY_MS=${STREAM_DELAY_MS:-20}
STREAM_TPUT_EVENTS=${STREAM_TPUT_EVENTS:-200}
STREAM_TPUT_CONNS=${STREAM_TPUT_CONNS:-16}
STARTUP_RUNS=${STARTUP_RUNS:-5}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-30}  # s; per start, and for the long-running instance
WRK_THREADS=${WRK_THREADS:-2}
MOCK_PORT=${MOCK_PORT:-18090}
NGINX_PORT=${NGINX_PORT:-18091}
SWITCHBOARD_PORT=${SWITCHBOARD_PORT:-18092}
NATIVE_PORT=${NATIVE_PORT:-18093}
PLAIN_PORT=${PLAIN_PORT:-18094}
ACCOUNTING_AB=${ACCOUNTING_AB:-1}   # also run the build with usage accounting off ("plain")
MOCK_WORKERS=${MOCK_WORKERS:-auto}
PROXY_WORKERS=${PROXY_WORKERS:-auto}
SWITCHBOARD_JAVA_OPTS=${SWITCHBOARD_JAVA_OPTS:--XX:+UseParallelGC -Xmx128m}  # the README's recommended flags
BENCH_BUILD=${BENCH_BUILD:-0}
KEEP_WORK=${KEEP_WORK:-0}
RESULTS_DIR=${RESULTS_DIR:-$BENCH_DIR/results}
CONNS=(16 64)

secs() {
  local v=${1%s}
  [[ $v =~ ^[0-9]+$ ]] || die "not a duration in seconds: $1"
  echo "$v"
}
DURATION_S=$(secs "$DURATION")
WARMUP_S=$(secs "$WARMUP")
WARMUP_OTHERS_S=$(secs "$WARMUP_OTHERS")
STREAM_DURATION_S=$(secs "$STREAM_DURATION")
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer"

# --- dependencies ------------------------------------------------------------------

nginx_modules_dir() {
  local d
  d=$(nginx -V 2>&1 | tr ' ' '\n' | sed -n 's/^--modules-path=//p')
  echo "${d:-/usr/lib/nginx/modules}"
}

ensure_deps() {
  local missing=()
  command -v nginx >/dev/null || missing+=(nginx-core)
  if ! command -v nginx >/dev/null || [[ ! -e $(nginx_modules_dir)/ngx_http_lua_module.so ]]; then
    missing+=(libnginx-mod-http-lua)
  fi
  command -v wrk >/dev/null || missing+=(wrk)
  command -v curl >/dev/null || missing+=(curl)
  command -v python3 >/dev/null || missing+=(python3)
  command -v pgrep >/dev/null || missing+=(procps)
  ((${#missing[@]} == 0)) && return 0
  ((EUID == 0)) || die "missing packages: ${missing[*]} (install them as root)"
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}
ensure_deps
MODULES_DIR=$(nginx_modules_dir)

# --- work dir, cleanup ---------------------------------------------------------------

WORK=$(mktemp -d -t switchboard-bench.XXXXXX)
cleanup() {
  local rc=$?
  # Finish stopping everything even if Ctrl-C is pressed again.
  trap - EXIT
  trap '' INT TERM
  stop_all
  if [[ $KEEP_WORK == 1 ]]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

RESULTS=$WORK/results.jsonl
RAW=$WORK/raw.log
mkdir -p "$RESULTS_DIR"
: >"$RESULTS"
: >"$RAW"

# Reports and logs land in bench/: keep this machine's paths out of them.
redact() {
  local s=${1//$WORK/<workdir>}
  s=${s//$REPO_DIR/<repo>}
  # Any other absolute path (say in a custom SWITCHBOARD_CMD): keep its last part only.
  printf '%s' "$s" | sed -E "s#(^|[[:space:]=:'\"])/[^[:space:]'\"]*/([^/[:space:]'\"]+)#\1…/\2#g"
}

record() { printf '%s\n' "$1" >>"$RESULTS"; }

# JSON object from key=value arguments (values are strings), for free-form text.
json_obj() {
  python3 -c 'import json,sys; print(json.dumps(dict(a.split("=", 1) for a in sys.argv[1:])))' "$@"
}

# --- the gateway under test ----------------------------------------------------------

# The build is copied into the work dir so that rebuilding target/ during the run
# cannot change the code under test.
SWITCHBOARD_CMD_CUSTOM=0
[[ -z ${SWITCHBOARD_CMD:-} ]] || SWITCHBOARD_CMD_CUSTOM=1
if [[ -z ${SWITCHBOARD_CMD:-} ]]; then
  jar=$REPO_DIR/target/quarkus-app/quarkus-run.jar
  if [[ ! -f $jar ]]; then
    if [[ $BENCH_BUILD == 1 ]]; then
      log "building: ./mvnw package -DskipTests"
      (cd "$REPO_DIR" && ./mvnw -q package -DskipTests)
    else
      die "no $jar: run ./mvnw package -DskipTests first (or set BENCH_BUILD=1)"
    fi
  fi
  cp -r "$REPO_DIR/target/quarkus-app" "$WORK/quarkus-app"
  SWITCHBOARD_CMD="java${SWITCHBOARD_JAVA_OPTS:+ $SWITCHBOARD_JAVA_OPTS} -jar $WORK/quarkus-app/quarkus-run.jar"
fi
NATIVE_NOTE=""
if [[ -z ${NATIVE_CMD:-} ]]; then
  shopt -s nullglob
  runners=("$REPO_DIR"/target/*-runner)
  shopt -u nullglob
  if ((${#runners[@]} > 0)) && [[ -x ${runners[0]} ]]; then
    cp "${runners[0]}" "$WORK/native-runner"
    NATIVE_CMD="$WORK/native-runner"
  else
    NATIVE_NOTE="native: skipped (no target/*-runner executable; build one with ./mvnw package -Dnative)"
    log "$NATIVE_NOTE"
  fi
fi

TARGETS=(direct nginx switchboard)
GATEWAYS=(switchboard)
declare -A PORT=([direct]=$MOCK_PORT [nginx]=$NGINX_PORT [switchboard]=$SWITCHBOARD_PORT)
declare -A CMD=([switchboard]=$SWITCHBOARD_CMD)
if [[ -n ${NATIVE_CMD:-} ]]; then
  TARGETS+=(native)
  GATEWAYS+=(native)
  PORT[native]=$NATIVE_PORT
  CMD[native]=$NATIVE_CMD
fi

# The same build with usage accounting off (switchboard.accounting=false): the plain byte pipe, measured in the same
# run so the cost of reading every answer for usage is a ratio, not a comparison across runs.
if [[ $ACCOUNTING_AB == 1 ]]; then
  TARGETS+=(plain)
  GATEWAYS+=(plain)
  PORT[plain]=$PLAIN_PORT
  CMD[plain]="env SWITCHBOARD_ACCOUNTING=false $SWITCHBOARD_CMD"
fi

for t in "${TARGETS[@]}"; do
  ! port_open "${PORT[$t]}" || die "port ${PORT[$t]} ($t) is already in use"
done

# --- machine state before anything starts ------------------------------------------

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
record "$(json_obj test=meta \
  load_before="$LOAD_BEFORE" \
  cpus="$(nproc)" \
  cpu_model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" \
  kernel="$(uname -r)" \
  nginx="$(nginx -v 2>&1 | sed 's/^nginx version: //')" \
  wrk="$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)" \
  java="$(java -version 2>&1 | head -1)" \
  commit="$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  dirty="$(git -C "$REPO_DIR" status --porcelain -- src pom.xml 2>/dev/null | wc -l)" \
  date="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  rounds="$ROUNDS" duration_s="$DURATION_S" warmup_s="$WARMUP_S" \
  warmup_others_s="$WARMUP_OTHERS_S" stream_duration_s="$STREAM_DURATION_S" \
  stream_requests="$STREAM_REQUESTS" stream_events="$STREAM_EVENTS" \
  stream_delay_ms="$STREAM_DELAY_MS" stream_tput_events="$STREAM_TPUT_EVENTS" \
  stream_tput_conns="$STREAM_TPUT_CONNS" startup_runs="$STARTUP_RUNS" \
  wrk_threads="$WRK_THREADS" mock_workers="$MOCK_WORKERS" proxy_workers="$PROXY_WORKERS" \
  java_opts="$SWITCHBOARD_JAVA_OPTS" custom_cmd="$SWITCHBOARD_CMD_CUSTOM" \
  switchboard_cmd="$(redact "$SWITCHBOARD_CMD")" native_cmd="$(redact "${NATIVE_CMD:-}")" \
  gateways="${GATEWAYS[*]}" native_note="$NATIVE_NOTE")"

# --- servers -----------------------------------------------------------------------

# start_nginx NAME TEMPLATE PORT WORKERS: fill the template, check it, run nginx in the
# foreground (daemon off) so $! is the master; sets NGINX_PID.
start_nginx() {
  local name=$1 template=$2 port=$3 workers=$4 conf=$WORK/$1.conf
  mkdir -p "$WORK/$name-tmp"
  sed -e "s#@MODULES_DIR@#$MODULES_DIR#g; s#@WORK@#$WORK#g; s#@BENCH@#$BENCH_DIR#g" \
    -e "s#@NAME@#$name#g; s#@PORT@#$port#g; s#@WORKERS@#$workers#g" \
    -e "s#@UPSTREAM_PORT@#$MOCK_PORT#g" "$template" >"$conf"
  nginx -q -t -p "$WORK" -e "$WORK/$name-error.log" -c "$conf" ||
    die "nginx config $name is invalid (see $WORK/$name-error.log)"
  nginx -p "$WORK" -e "$WORK/$name-error.log" -c "$conf" -g 'daemon off;' \
    >>"$WORK/$name.out" 2>&1 </dev/null &
  NGINX_PID=$!
  track "$NGINX_PID"
}

declare -A SERVER_PID CPU_PIDS
log "starting mock backend on :$MOCK_PORT (workers $MOCK_WORKERS)"
start_nginx mock "$BENCH_DIR/mock/nginx.conf.in" "$MOCK_PORT" "$MOCK_WORKERS"
SERVER_PID[direct]=$NGINX_PID
wait_http "http://127.0.0.1:$MOCK_PORT/health" "$NGINX_PID" 10 || die "mock did not start"
CPU_PIDS[direct]=$(nginx_workers "$NGINX_PID")

log "starting nginx proxy on :$NGINX_PORT (workers $PROXY_WORKERS)"
start_nginx proxy "$BENCH_DIR/proxy/nginx.conf.in" "$NGINX_PORT" "$PROXY_WORKERS"
SERVER_PID[nginx]=$NGINX_PID
wait_http "http://127.0.0.1:$NGINX_PORT/health" "$NGINX_PID" 10 || die "nginx proxy did not start"
CPU_PIDS[nginx]=$(nginx_workers "$NGINX_PID")

# Time to first answered request, on fresh processes, before the long-running
# instance exists (same port, quiet machine).
for g in "${GATEWAYS[@]}"; do
  [[ $g != plain ]] || continue # same start-up as switchboard
  log "$g: start -> first answered request, $STARTUP_RUNS fresh starts"
  run_wait "$WORK/startup.out" env BACKEND_URL="http://127.0.0.1:$MOCK_PORT/v1" \
    QUARKUS_HTTP_PORT="${PORT[$g]}" python3 "$BENCH_DIR/tools/startup_probe.py" \
    --cmd "${CMD[$g]}" --port "${PORT[$g]}" --runs "$STARTUP_RUNS" --timeout "$STARTUP_TIMEOUT" \
    --log "$WORK/$g-startup.log" || true
  { echo "### $g startup"; cat "$WORK/startup.out"; } >>"$RAW"
  json=$(tail -1 "$WORK/startup.out")
  [[ $json == "{"* ]] || json='{"errors":1,"first_error":"startup probe failed (see log)"}'
  record "{\"test\":\"startup\",\"target\":\"$g\",\"probe\":$json}"
done

for g in "${GATEWAYS[@]}"; do
  log "starting $g on :${PORT[$g]}: ${CMD[$g]}"
  # exec: the pid we hold is the server process itself (java), not a shell.
  env BACKEND_URL="http://127.0.0.1:$MOCK_PORT/v1" QUARKUS_HTTP_PORT="${PORT[$g]}" \
    bash -c "exec ${CMD[$g]}" >>"$WORK/$g.log" 2>&1 </dev/null &
  SERVER_PID[$g]=$!
  track "${SERVER_PID[$g]}"
  wait_http "http://127.0.0.1:${PORT[$g]}/v1/models" "${SERVER_PID[$g]}" "$STARTUP_TIMEOUT" ||
    { tail -20 "$WORK/$g.log" >&2; die "$g did not answer GET /v1/models"; }
  CPU_PIDS[$g]=${SERVER_PID[$g]}
  record "$(json_obj test=process target="$g" comm="$(cat "/proc/${SERVER_PID[$g]}/comm")")"
done

ALL_SERVER_PIDS="${SERVER_PID[*]} ${CPU_PIDS[direct]} ${CPU_PIDS[nginx]}"

# --- measurement steps -----------------------------------------------------------------

REQ_BODY=$WORK/request.json
printf '%s' '{"model":"llama-3.1-8b-instruct","messages":[{"role":"user","content":"Say hi."}],"max_tokens":16}' >"$REQ_BODY"

# One non-streaming and one models request per target: a target that answers
# nonsense must be spotted before its numbers are read.
sanity() {
  local t=$1 url="http://127.0.0.1:${PORT[$1]}/v1" code ok=true models
  code=$(curl -s -o "$WORK/sanity.out" -w '%{http_code}' --max-time 5 \
    -H 'Content-Type: application/json' --data-binary "@$REQ_BODY" "$url/chat/completions" || true)
  grep -q '"chat.completion"' "$WORK/sanity.out" 2>/dev/null || ok=false
  [[ $code == 200 ]] || ok=false
  models=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url/models" || true)
  [[ $models == 200 ]] || ok=false
  $ok || log "WARNING: $t sanity check failed (chat HTTP $code, models HTTP $models)"
  record "$(json_obj test=sanity target="$t" chat_status="$code" models_status="$models" ok="$ok")"
}

# wrk_run TARGET CONNS SECONDS STREAM: leaves wrk's BENCH_JSON object in WRK_JSON.
wrk_run() {
  local t=$1 conns=$2 secs=$3 stream=$4 out=$WORK/wrk.out
  run_wait "$out" env BENCH_STREAM="$stream" BENCH_MAX_TOKENS="$([[ $stream == 1 ]] && echo "$STREAM_TPUT_EVENTS" || echo 128)" \
    BENCH_DELAY_MS=0 wrk -t"$WRK_THREADS" -c"$conns" -d"${secs}s" --timeout 5s --latency \
    -s "$BENCH_DIR/wrk/chat.lua" "http://127.0.0.1:${PORT[$t]}/v1/chat/completions" || true
  { echo "### $t c$conns stream=$stream ${secs}s"; cat "$out"; } >>"$RAW"
  WRK_JSON=$(sed -n 's/^BENCH_JSON //p' "$out")
  if [[ -z $WRK_JSON ]]; then
    log "WARNING: wrk gave no result for $t c$conns (see raw log)"
    WRK_JSON='{"requests":0,"duration_us":0,"rps":0,"wrk_failed":1}'
  fi
}

# measure_wrk ROUND TARGET TEST CONNS STREAM SECONDS: one wrk run with the target's
# CPU time (utime+stime of its processes) taken around it.
measure_wrk() {
  local r=$1 t=$2 test=$3 conns=$4 stream=$5 secs=$6 before after hwm
  # shellcheck disable=SC2086  # pid lists are space-separated on purpose
  before=$(cpu_ticks ${CPU_PIDS[$t]})
  wrk_run "$t" "$conns" "$secs" "$stream"
  # shellcheck disable=SC2086
  after=$(cpu_ticks ${CPU_PIDS[$t]})
  # shellcheck disable=SC2086
  hwm=$(status_kb VmHWM ${CPU_PIDS[$t]})
  record "{\"round\":$r,\"target\":\"$t\",\"test\":\"$test\",\"conns\":$conns,\"cpu_ticks\":$((after - before)),\"clk_tck\":$CLK_TCK,\"hwm_kb\":$hwm,\"wrk\":$WRK_JSON}"
  sleep 0.5
}

measure_stream_latency() {
  local r=$1 t=$2 json
  run_wait "$WORK/stream.out" python3 "$BENCH_DIR/tools/stream_client.py" \
    --port "${PORT[$t]}" --requests "$STREAM_REQUESTS" --events "$STREAM_EVENTS" \
    --delay-ms "$STREAM_DELAY_MS" || true
  { echo "### $t stream latency"; cat "$WORK/stream.out"; } >>"$RAW"
  json=$(tail -1 "$WORK/stream.out")
  [[ $json == "{"* ]] || json="{\"requests\":$STREAM_REQUESTS,\"ok\":0,\"errors\":$STREAM_REQUESTS,\"first_error\":\"stream client crashed (see raw log)\"}"
  record "{\"round\":$r,\"target\":\"$t\",\"test\":\"stream_lat\",\"client\":$json}"
}

# CPU accounting snapshot: whole machine (/proc/stat), our servers, and our finished
# clients (this shell's cutime+cstime, fields 16-17). The difference is CPU that
# something else on the machine used while we measured: the noise figure.
snapshot() {
  local line rest f
  read -r line </proc/$$/stat
  rest=${line##*) }
  read -r -a f <<<"$rest"
  # shellcheck disable=SC2086
  record "{\"test\":\"snap\",\"label\":\"$1\",\"stat\":[$(head -1 /proc/stat | cut -d' ' -f2- | sed 's/^ *//; s/ \+/,/g')],\"servers\":$(cpu_ticks $ALL_SERVER_PIDS),\"children\":$((f[13] + f[14])),\"self\":$((f[11] + f[12])),\"clk_tck\":$CLK_TCK}"
}

# A server that died would otherwise only show up as a wall of socket errors.
check_servers() {
  local t
  for t in "${!SERVER_PID[@]}"; do
    alive "${SERVER_PID[$t]}" || die "the $t server (pid ${SERVER_PID[$t]}) has exited; see its log in the work dir (KEEP_WORK=1)"
  done
}

# --- run -----------------------------------------------------------------------------

for t in "${TARGETS[@]}"; do sanity "$t"; done

per_target=$((2 * DURATION_S + STREAM_DURATION_S + STREAM_REQUESTS * STREAM_EVENTS * STREAM_DELAY_MS / 1000 + 4))
eta=$((ROUNDS * ${#TARGETS[@]} * per_target + WARMUP_S * ${#GATEWAYS[@]} + 2 * WARMUP_OTHERS_S))
log "measuring: ${TARGETS[*]}; $ROUNDS rounds; about $((eta / 60)) min $((eta % 60)) s left"

# Warm-up: mostly non-streaming load, the last fifth streaming so those code paths
# are compiled too. Recorded so that failures during warm-up show in the report.
for t in "${TARGETS[@]}"; do
  wsecs=$WARMUP_OTHERS_S
  [[ " ${GATEWAYS[*]} " == *" $t "* ]] && wsecs=$WARMUP_S
  ((wsecs > 0)) || continue
  log "warm-up $t: ${wsecs}s"
  check_servers
  s_stream=$((wsecs / 5))
  wrk_run "$t" 64 $((wsecs - s_stream)) 0
  record "{\"target\":\"$t\",\"test\":\"warmup\",\"wrk\":$WRK_JSON}"
  if ((s_stream > 0)); then
    wrk_run "$t" "$STREAM_TPUT_CONNS" "$s_stream" 1
    record "{\"target\":\"$t\",\"test\":\"warmup_stream\",\"wrk\":$WRK_JSON}"
  fi
done

n=${#TARGETS[@]}
for ((r = 1; r <= ROUNDS; r++)); do
  # Rotate the order each round so that no target always runs first or last.
  order=()
  for ((i = 0; i < n; i++)); do order+=("${TARGETS[(i + r - 1) % n]}"); done
  log "round $r/$ROUNDS: ${order[*]}"
  snapshot "round$r-start"
  for t in "${order[@]}"; do
    check_servers
    for c in "${CONNS[@]}"; do
      measure_wrk "$r" "$t" "c$c" "$c" 0 "$DURATION_S"
    done
    measure_wrk "$r" "$t" stream_tput "$STREAM_TPUT_CONNS" 1 "$STREAM_DURATION_S"
    measure_stream_latency "$r" "$t"
  done
  snapshot "round$r-end"
done

# A gateway that died mid-run would otherwise only show up as socket errors.
for g in "${GATEWAYS[@]}"; do
  state=yes
  alive "${SERVER_PID[$g]}" || { state=no; log "WARNING: $g exited during the run"; }
  record "$(json_obj test=alive target="$g" alive="$state")"
done
record "$(json_obj test=meta_end load_after="$(cut -d' ' -f1-3 /proc/loadavg)")"

stop_all

# Errors a server logged (e.g. exceptions on client disconnects) are not visible to
# the clients; count them so the report shows them.
for g in "${GATEWAYS[@]}"; do
  logf=$WORK/$g.log
  n_err=$(grep -cE '^[0-9-]+ [0-9:,.]+ +(ERROR|SEVERE|FATAL) ' "$logf" || true)
  n_warn=$(grep -cE '^[0-9-]+ [0-9:,.]+ +WARN(ING)? ' "$logf" || true)
  first=$(grep -m1 -E '^[0-9-]+ [0-9:,.]+ +(ERROR|SEVERE|FATAL) ' "$logf" | cut -c1-300 || true)
  record "$(json_obj test=serverlog target="$g" errors="${n_err:-0}" warnings="${n_warn:-0}" first="$(redact "$first")")"
done
for n in mock proxy; do
  t=$([[ $n == mock ]] && echo direct || echo nginx)
  first=$(head -1 "$WORK/$n-error.log" | cut -c1-300)
  record "$(json_obj test=serverlog target="$t" errors="$(wc -l <"$WORK/$n-error.log")" warnings=0 first="$(redact "$first")")"
done

sed -e "s#$WORK#<workdir>#g; s#$REPO_DIR#<repo>#g" "$RAW" >"$RESULTS_DIR/latest.log"
python3 "$BENCH_DIR/tools/report.py" "$RESULTS" >"$RESULTS_DIR/latest.md"
cat "$RESULTS_DIR/latest.md"
log "report: $RESULTS_DIR/latest.md, raw output: $RESULTS_DIR/latest.log"
