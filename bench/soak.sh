#!/usr/bin/env bash
# Switchboard soak test (not in CI): minutes of mixed traffic against the packaged
# gateway while the mock backend is stopped and started again, clients leave
# mid-stream, and the gateway's memory is sampled.
#
#   ./mvnw package -DskipTests && bench/soak.sh            # 30 minutes
#   SOAK_MINUTES=2 bench/soak.sh                            # a short proof run
#
# Prints a Markdown report (also bench/results/soak.md). Exit status 1 when an event
# was lost or reordered, a request failed while the backend was up, the gateway
# died, or it kept connections open to the backend after the traffic stopped.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/proc.sh
source "$BENCH_DIR/lib/proc.sh"

SOAK_MINUTES=${SOAK_MINUTES:-30}
FAULT_EVERY=${FAULT_EVERY:-45}      # s between two stops of the mock backend
FAULT_DOWN=${FAULT_DOWN:-5}         # s the mock stays down
SOAK_STREAMS=${SOAK_STREAMS:-8}     # concurrent streaming clients
SOAK_JSON=${SOAK_JSON:-2}           # concurrent non-streaming clients
SOAK_LEAVERS=${SOAK_LEAVERS:-2}     # concurrent clients that leave mid-stream
SOAK_EVENTS=${SOAK_EVENTS:-20}      # events per stream
SOAK_DELAY_MS=${SOAK_DELAY_MS:-10}  # between two events
MOCK_PORT=${MOCK_PORT:-18190}
SWITCHBOARD_PORT=${SWITCHBOARD_PORT:-18192}
MOCK_WORKERS=${MOCK_WORKERS:-1}
SWITCHBOARD_JAVA_OPTS=${SWITCHBOARD_JAVA_OPTS:--XX:+UseParallelGC -Xmx128m}
RESULTS_DIR=${RESULTS_DIR:-$BENCH_DIR/results}
KEEP_WORK=${KEEP_WORK:-0}

[[ $SOAK_MINUTES =~ ^[0-9]+([.][0-9]+)?$ ]] || die "SOAK_MINUTES must be a number"
SOAK_SECONDS=$(python3 -c "print(int(float('$SOAK_MINUTES') * 60))")

for tool in nginx python3 curl ss; do command -v "$tool" >/dev/null || die "missing: $tool (see bench/README.md)"; done
MODULES_DIR=$(nginx -V 2>&1 | tr ' ' '\n' | sed -n 's/^--modules-path=//p')
MODULES_DIR=${MODULES_DIR:-/usr/lib/nginx/modules}
[[ -e $MODULES_DIR/ngx_http_lua_module.so ]] || die "missing: libnginx-mod-http-lua"
JAR=$REPO_DIR/target/quarkus-app/quarkus-run.jar
[[ -f $JAR ]] || die "no target/quarkus-app: run ./mvnw package -DskipTests first"

WORK=$(mktemp -d -t switchboard-soak.XXXXXX)
cleanup() {
  local rc=$?
  trap - EXIT
  trap '' INT TERM
  stop_all
  if [[ $KEEP_WORK == 1 ]]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# the build is copied: rebuilding target/ during the run cannot change what runs
cp -r "$REPO_DIR/target/quarkus-app" "$WORK/quarkus-app"

MOCK_PID=""
start_mock() {
  mkdir -p "$WORK/mock-tmp"
  sed -e "s#@MODULES_DIR@#$MODULES_DIR#g; s#@WORK@#$WORK#g; s#@BENCH@#$BENCH_DIR#g" \
    -e "s#@PORT@#$MOCK_PORT#g; s#@WORKERS@#$MOCK_WORKERS#g" "$BENCH_DIR/mock/nginx.conf.in" >"$WORK/mock.conf"
  nginx -p "$WORK" -e "$WORK/mock-error.log" -c "$WORK/mock.conf" -g 'daemon off;' \
    >>"$WORK/mock.out" 2>&1 </dev/null &
  MOCK_PID=$!
  track "$MOCK_PID"
  wait_http "http://127.0.0.1:$MOCK_PORT/health" "$MOCK_PID" 10 || die "mock did not start"
}
stop_mock() {
  # TERM is nginx's fast shutdown: open streams are cut, new connections refused
  stop_pids "$MOCK_PID"
  forget "$MOCK_PID"
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# established connections from the gateway to the mock (the gateway's side of them)
upstream_conns() { ss -Htn state established "( dport = :$MOCK_PORT )" 2>/dev/null | wc -l; }

log "mock backend on :$MOCK_PORT"
start_mock

log "switchboard on :$SWITCHBOARD_PORT ($SWITCHBOARD_JAVA_OPTS)"
# shellcheck disable=SC2086  # the options are words
env BACKEND_URL="http://127.0.0.1:$MOCK_PORT/v1" QUARKUS_HTTP_PORT="$SWITCHBOARD_PORT" \
  QUARKUS_LOG_CATEGORY__SWITCHBOARD_ACCESS__LEVEL=OFF \
  bash -c "exec java $SWITCHBOARD_JAVA_OPTS -jar '$WORK/quarkus-app/quarkus-run.jar'" \
  >"$WORK/switchboard.log" 2>&1 </dev/null &
GW_PID=$!
track "$GW_PID"
wait_http "http://127.0.0.1:$SWITCHBOARD_PORT/v1/models" "$GW_PID" 60 ||
  { tail -20 "$WORK/switchboard.log" >&2; die "switchboard did not answer GET /v1/models"; }

# warm up (JIT, pools) before the first RSS reading
run_wait "$WORK/warmup.json" python3 "$BENCH_DIR/tools/soak_client.py" --port "$SWITCHBOARD_PORT" \
  --seconds 10 --streams "$SOAK_STREAMS" --json "$SOAK_JSON" --leavers "$SOAK_LEAVERS" \
  --events "$SOAK_EVENTS" --delay-ms "$SOAK_DELAY_MS" || die "warm-up client failed: $(cat "$WORK/warmup.json")"
RSS_START=$(rss_kb "$GW_PID")
RSS_MAX=$RSS_START
log "RSS after warm-up: $((RSS_START / 1024)) MiB; soaking for $SOAK_SECONDS s, mock down ${FAULT_DOWN}s every ${FAULT_EVERY}s"

FAULTS=$WORK/faults.txt
: >"$FAULTS"
python3 "$BENCH_DIR/tools/soak_client.py" --port "$SWITCHBOARD_PORT" --seconds "$SOAK_SECONDS" \
  --streams "$SOAK_STREAMS" --json "$SOAK_JSON" --leavers "$SOAK_LEAVERS" --events "$SOAK_EVENTS" \
  --delay-ms "$SOAK_DELAY_MS" --faults "$FAULTS" >"$WORK/soak.json" 2>"$WORK/soak.err" &
CLIENT_PID=$!
track "$CLIENT_PID"

START=$SECONDS
NEXT_FAULT=$((START + FAULT_EVERY))
FAULTS_DONE=0
while alive "$CLIENT_PID"; do
  sleep 1
  alive "$GW_PID" || break
  rss=$(rss_kb "$GW_PID")
  ((rss > RSS_MAX)) && RSS_MAX=$rss
  # no fault in the last FAULT_EVERY seconds: the end of the run is measured with the backend up
  if ((SECONDS >= NEXT_FAULT && SECONDS + FAULT_EVERY < START + SOAK_SECONDS)); then
    log "fault: stopping the mock for ${FAULT_DOWN}s"
    echo "down $(date +%s.%N)" >>"$FAULTS"
    stop_mock
    sleep "$FAULT_DOWN"
    start_mock
    echo "up $(date +%s.%N)" >>"$FAULTS"
    FAULTS_DONE=$((FAULTS_DONE + 1))
    NEXT_FAULT=$((SECONDS + FAULT_EVERY))
  fi
done
CLIENT_RC=0
wait "$CLIENT_PID" || CLIENT_RC=$?
forget "$CLIENT_PID"

FAIL=()
GW_ALIVE=1
alive "$GW_PID" || { GW_ALIVE=0; FAIL+=("the gateway died"); }
RSS_END=$(rss_kb "$GW_PID")
SUMMARY=$(cat "$WORK/soak.json")
[[ $CLIENT_RC == 0 && $SUMMARY == "{"* ]] || { FAIL+=("soak client failed: $(tail -3 "$WORK/soak.err")"); SUMMARY='{}'; }

# after the traffic: the pool's keep-alive (4 s) is over, so only what leaked is still open
sleep 6
CONNS_AFTER=$(upstream_conns)
((CONNS_AFTER <= 4)) || FAIL+=("$CONNS_AFTER connections to the backend still open 6 s after the traffic stopped")
FINAL="no answer"
if ((GW_ALIVE)); then
  FINAL=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$SWITCHBOARD_PORT/v1/chat/completions" \
    -H 'Content-Type: application/json' -d '{"model":"m","messages":[{"role":"user","content":"hi"}]}' || true)
  [[ $FINAL == 200 ]] || FAIL+=("the gateway answered $FINAL after the soak")
fi
ERRORS_LOGGED=$(grep -c ' ERROR ' "$WORK/switchboard.log" || true)

read -r LOST OUTSIDE DURING COUNTS FIRST_LOST FIRST_UNEXPECTED < <(python3 -c '
import json, sys
s = json.loads(sys.argv[1] or "{}")
print(s.get("lost_or_reordered", -1), s.get("failures_outside_faults", -1), s.get("failures_during_faults", -1),
      json.dumps(s.get("counts", {}), separators=(",", ":")), json.dumps(s.get("first_lost", []))[:300].replace(" ", "_"),
      json.dumps(s.get("first_unexpected", []))[:300].replace(" ", "_"))' "$SUMMARY")
((LOST == 0)) || FAIL+=("$LOST streams lost or reordered events")
((OUTSIDE == 0)) || FAIL+=("$OUTSIDE requests failed while the backend was up")

mkdir -p "$RESULTS_DIR"
{
  echo "# Switchboard soak"
  echo
  echo "Commit $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u +%Y-%m-%dT%H:%MZ)," \
    "$SOAK_SECONDS s, $SOAK_STREAMS streaming + $SOAK_JSON JSON + $SOAK_LEAVERS leaving clients," \
    "$SOAK_EVENTS events of ${SOAK_DELAY_MS} ms per stream, mock stopped $FAULTS_DONE times for ${FAULT_DOWN} s."
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| RSS after warm-up / max / end | $((RSS_START / 1024)) / $((RSS_MAX / 1024)) / $((RSS_END / 1024)) MiB |"
  echo "| requests by kind:outcome | \`$COUNTS\` |"
  echo "| failures while the backend was down (expected) | $DURING |"
  echo "| failures while it was up | $OUTSIDE |"
  echo "| streams with a lost or reordered event | $LOST |"
  echo "| connections to the backend 6 s after the traffic | $CONNS_AFTER |"
  echo "| next request after the soak | HTTP $FINAL |"
  echo "| ERROR lines in the gateway's log | $ERRORS_LOGGED |"
  echo
  if ((${#FAIL[@]} == 0)); then
    echo "**PASS**"
  else
    echo "**FAIL**"
    for f in "${FAIL[@]}"; do echo "- $f"; done
    [[ $FIRST_LOST == "[]" ]] || echo "- first lost: \`$FIRST_LOST\`"
    [[ $FIRST_UNEXPECTED == "[]" ]] || echo "- first unexpected: \`$FIRST_UNEXPECTED\`"
  fi
} | tee "$RESULTS_DIR/soak.md"
((${#FAIL[@]} == 0))
