# shellcheck shell=bash
# Process helpers for run.sh (sourced, not executed).
#
# Every process run.sh starts goes through track()/run_wait() so that the EXIT trap
# can stop all of them, and only them, however the script ends.

STARTED=()       # pids still to be stopped at exit
# shellcheck disable=SC2034  # used by run.sh
CLK_TCK=$(getconf CLK_TCK)

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

track() { STARTED+=("$1"); }

forget() {
  local p keep=()
  for p in "${STARTED[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
  STARTED=("${keep[@]}")
}

# True while PID exists and is not a zombie (an unreaped child still answers kill -0).
alive() {
  local line
  { read -r line <"/proc/$1/stat"; } 2>/dev/null || return 1
  line=${line##*) }
  [[ ${line:0:1} != Z ]]
}

# stop_pids PID...: TERM all, give them up to 10 s together, then KILL, then reap.
stop_pids() {
  local pid waited=0 left
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  while ((waited < 100)); do
    left=0
    for pid in "$@"; do alive "$pid" && left=1; done
    ((left)) || break
    sleep 0.1
    waited=$((waited + 1))
  done
  for pid in "$@"; do
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

# Stop every tracked process, newest first (clients before servers).
stop_all() {
  local i rev=()
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do rev+=("${STARTED[i]}"); done
  ((${#rev[@]} == 0)) || stop_pids "${rev[@]}"
  STARTED=()
}

# run_wait OUTFILE CMD...: run a client in the background and wait for it. A
# foreground child would delay the INT/TERM trap until it finished; `wait` returns
# at once when a trapped signal arrives.
run_wait() {
  local out=$1 pid rc=0
  shift
  "$@" >"$out" 2>&1 &
  pid=$!
  track "$pid"
  wait "$pid" || rc=$?
  forget "$pid"
  return "$rc"
}

# True if something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_http URL PID TIMEOUT_S: wait for a 200 on URL while PID stays alive.
wait_http() {
  local url=$1 pid=$2 timeout=$3 start=$SECONDS
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    alive "$pid" || return 1
    ((SECONDS - start < timeout)) || return 1
    sleep 0.05
  done
}

# utime+stime in clock ticks, summed over PIDs (all threads of each process).
# Fields are read after the last ')' because the command name may contain spaces;
# there, index 0 is field 3 (state), so utime (14) is index 11 and stime (15) index 12.
cpu_ticks() {
  local pid line rest total=0 f
  for pid in "$@"; do
    { read -r line <"/proc/$pid/stat"; } 2>/dev/null || continue
    rest=${line##*) }
    read -r -a f <<<"$rest"
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}

# status_kb FIELD PID...: sum of a /proc/<pid>/status field (VmHWM, VmRSS) in kB.
status_kb() {
  local field=$1 pid total=0 v
  shift
  for pid in "$@"; do
    v=$(awk -v f="$field:" '$1 == f { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

# Worker processes of an nginx master (the ones that do the work).
nginx_workers() {
  local w
  w=$(pgrep -P "$1" | tr '\n' ' ')
  [[ -n $w ]] || die "nginx master $1 has no workers"
  echo "$w"
}
