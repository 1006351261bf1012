#!/usr/bin/env bash
# The process model of `lonua serve` through nginx, under load. Prints TAP.
#   (a) five SIGHUPs to the master during 20 s of wrk -c64: no failed request, no socket error,
#       new workers replace the old ones, none counted as a crash
#   (b) SIGKILL of a worker: the master replaces it within 1 s and requests keep succeeding
#   (c) SIGTERM with slow requests in flight: each completes with 200, the master exits within
#       10 s and leaves no worker behind. LAST: it stops the server (the test script restarts it).
# Needs LONUA_BASE_URL, LONUA_PIDFILE, LONUA_WORKERS (and LONUA_RUN_DIR, LONUA_LOG if set),
# exported by the script that started the stack; needs wrk and curl.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
BASE=${LONUA_BASE_URL:?LONUA_BASE_URL is not set}
BASE=${BASE%/}
PIDFILE=${LONUA_PIDFILE:?LONUA_PIDFILE is not set}
WORKERS=${LONUA_WORKERS:?LONUA_WORKERS is not set}
SCRATCH=${LONUA_RUN_DIR:-${TMPDIR:-/tmp}}/lifecycle.$$
LOG=${LONUA_LOG:-}
WRK_SECONDS=${LIFECYCLE_WRK_SECONDS:-20}
mkdir -p "$SCRATCH"
trap 'rm -rf "$SCRATCH"' EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
# check NAME COMMAND...: ok when the command succeeds; returns 1 otherwise (for `|| diag …`).
check() {
	local name=$1; shift
	if "$@"; then ok "$name"; else not_ok "$name"; return 1; fi
}
# result NAME STATUS: ok when STATUS (a previous $?) is 0.
result() { if [ "$2" = 0 ]; then ok "$1"; else not_ok "$1"; return 1; fi; }
log_tail() { [ -n "$LOG" ] && [ -f "$LOG" ] && diag "last lines of $LOG:" && tail -n 15 "$LOG" | sed 's/^/#   /'; return 0; }

# True while pid $1 runs. A zombie does not count: the master's parent (the test script that
# started it in the background) may reap it only much later, and kill -0 succeeds on a zombie.
running() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$st" ] && [ "${st#Z}" = "$st" ]; }

if ! command -v wrk >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1
	fi
	command -v wrk >/dev/null 2>&1 || { echo "Bail out! wrk is not installed (apt-get install wrk)"; exit 1; }
fi
command -v curl >/dev/null 2>&1 || { echo "Bail out! curl is not installed"; exit 1; }

MASTER=$(cat "$PIDFILE" 2>/dev/null)
if [ -z "$MASTER" ] || ! running "$MASTER"; then
	echo "Bail out! no running master in $PIDFILE"
	exit 1
fi

children() { pgrep -P "$MASTER" | sort -n; }
nchildren() { children | grep -c .; }
restarts() { curl -fsS "$BASE/metrics" | awk '$1 == "lonua_worker_restarts_total" { print $2 }'; }
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$1"; }

# Polls every 50 ms until the master has $WORKERS children again; prints the milliseconds it
# took, or fails after $1 ms.
wait_for_workers() {
	local limit=$1 start now
	start=$(date +%s%N)
	while :; do
		now=$(date +%s%N)
		if [ "$(nchildren)" = "$WORKERS" ]; then
			echo $(( (now - start) / 1000000 ))
			return 0
		fi
		[ $(( (now - start) / 1000000 )) -ge "$limit" ] && return 1
		sleep 0.05
	done
}

# ---- before anything: the stack is whole ------------------------------------------------------
check "the master (pid $MASTER) has $WORKERS workers before the tests" [ "$(nchildren)" = "$WORKERS" ] \
	|| diag "children: $(children | tr '\n' ' ')"
check "GET /api/v1/categories answers 200 before the tests" [ "$(status_of "$BASE/api/v1/categories")" = 200 ]

# ---- (a) reloads under load ---------------------------------------------------------------------
before_pids=$(children | tr '\n' ' ')
before_restarts=$(restarts)
wrk -c64 -t2 -d"${WRK_SECONDS}s" --timeout 5s -s "$HERE/lifecycle.lua" "$BASE/api/v1/categories" \
	>"$SCRATCH/wrk.out" 2>&1 &
wrk_pid=$!
hups=0
for i in 1 2 3 4 5; do
	sleep 3
	kill -HUP "$MASTER" 2>/dev/null && hups=$((hups + 1))
done
wait "$wrk_pid"
wrk_rc=$?

requests=$(awk '$1 == "lonua-requests" { print $2 }' "$SCRATCH/wrk.out")
bad=$(awk '$1 == "lonua-bad-responses" { print $2 }' "$SCRATCH/wrk.out")
read -r c_err r_err w_err t_err < <(sed -n 's/^lonua-socket-errors connect=\([0-9]*\) read=\([0-9]*\) write=\([0-9]*\) timeout=\([0-9]*\)$/\1 \2 \3 \4/p' "$SCRATCH/wrk.out")
diag "wrk -c64 -t2 -d${WRK_SECONDS}s with $hups SIGHUPs: exit $wrk_rc, ${requests:-?} requests, ${bad:-?} answers >= 300," \
	"socket errors connect=${c_err:-?} read=${r_err:-?} write=${w_err:-?} timeout=${t_err:-?}" \
	"$(grep '^lonua-status' "$SCRATCH/wrk.out" | tr '\n' ' ')" \
	"$(grep '^lonua-latency' "$SCRATCH/wrk.out")"
[ "$wrk_rc" = 0 ] && [ "${requests:-0}" -gt 0 ]
result "wrk ran and reported its counts" $? || sed 's/^/#   /' "$SCRATCH/wrk.out"
check "all $hups SIGHUPs were delivered" [ "$hups" = 5 ]
check "no answer >= 300 during the reloads" [ "${bad:-x}" = 0 ] || log_tail
check "no socket error (connect, read, write, timeout) during the reloads" \
	[ "${c_err:-x}${r_err:-x}${w_err:-x}${t_err:-x}" = 0000 ]
max_ms=$(sed -n 's/^lonua-latency-ms .*max=\([0-9]*\).*/\1/p' "$SCRATCH/wrk.out")
# Reloads must not stall requests: a worker pinned to an idle nginx connection, or new workers
# slow to come up, would show up here as multi-second waits.
[ -n "$max_ms" ] && [ "$max_ms" -lt 2000 ]
result "no request took 2 s or more during the reloads (slowest: ${max_ms:-?} ms)" $?
if [ -n "$(grep -m1 'Non-2xx or 3xx responses' "$SCRATCH/wrk.out")" ]; then
	not_ok "wrk's own summary shows no non-2xx/3xx answer"
	grep 'Non-2xx' "$SCRATCH/wrk.out" | sed 's/^/#   /'
else
	ok "wrk's own summary shows no non-2xx/3xx answer"
fi
if took=$(wait_for_workers 5000); then
	ok "after the reloads the master has $WORKERS workers again (${took} ms)"
else
	not_ok "after the reloads the master has $WORKERS workers again"
	diag "children: $(children | tr '\n' ' ')"
fi
after_pids=$(children | tr '\n' ' ')
still=$(comm -12 <(tr ' ' '\n' <<<"$before_pids" | grep . | sort) <(tr ' ' '\n' <<<"$after_pids" | grep . | sort) | tr '\n' ' ')
check "the reloads replaced every worker" [ -z "$still" ] \
	|| diag "before: $before_pids" "after: $after_pids" "kept: $still"
after_restarts=$(restarts)
[ -n "$before_restarts" ] && [ "$before_restarts" = "$after_restarts" ]
result "reloads are not counted as worker crashes (lonua_worker_restarts_total ${before_restarts:-?} → ${after_restarts:-?})" $?

# ---- (b) a killed worker is replaced ------------------------------------------------------------
sleep 2.5 # let the workers of the last reload age, so the master sees no crash loop
before_restarts=$(restarts)
victim=$(children | head -n 1)
if [ -z "$victim" ]; then
	not_ok "a worker to kill exists"
else
	kill -KILL "$victim"
	if took=$(wait_for_workers 1000) && ! children | grep -qx "$victim"; then
		ok "after SIGKILL of worker $victim the master has $WORKERS workers again within 1 s (${took} ms)"
	else
		not_ok "after SIGKILL of worker $victim the master has $WORKERS workers again within 1 s"
		diag "children: $(children | tr '\n' ' ')"
		log_tail
	fi
	codes=""
	for i in $(seq 1 20); do codes="$codes $(status_of "$BASE/api/v1/categories")"; done
	check "20 requests after the kill all answer 200" [ -z "$(tr ' ' '\n' <<<"$codes" | grep . | grep -v '^200$')" ] \
		|| diag "statuses:$codes"
	after_restarts=$(restarts)
	[ -n "$before_restarts" ] && [ -n "$after_restarts" ] && [ "$after_restarts" = $((before_restarts + 1)) ]
	result "the kill is counted in lonua_worker_restarts_total (${before_restarts:-?} → ${after_restarts:-?})" $?
fi

# ---- (c) SIGTERM lets requests in flight finish (last: stops the server) ----------------------------
slow=$(( WORKERS > 1 ? WORKERS - 1 : 1 ))
[ "$slow" -gt 4 ] && slow=4
old_workers=$(children | tr '\n' ' ')
sleep 1 # nothing else in flight
curl_pids=()
for i in $(seq 1 "$slow"); do
	curl -s -o "$SCRATCH/slow.$i.body" -w '%{http_code}' --max-time 20 "$BASE/api/v1/test/sleep?ms=1500" \
		>"$SCRATCH/slow.$i.code" 2>/dev/null &
	curl_pids+=($!)
done
sleep 0.3
term_at=$(date +%s%N)
kill -TERM "$MASTER"
for p in "${curl_pids[@]}"; do wait "$p"; done
all_ok=1
for i in $(seq 1 "$slow"); do
	code=$(cat "$SCRATCH/slow.$i.code" 2>/dev/null)
	body=$(cat "$SCRATCH/slow.$i.body" 2>/dev/null)
	if [ "$code" != 200 ] || ! grep -q '"slept_ms": *1500' <<<"$body"; then
		all_ok=0
		diag "slow request $i: status ${code:-none}, body: ${body:0:300}"
	fi
done
check "all $slow requests in flight at SIGTERM completed with 200 {\"slept_ms\":1500}" [ "$all_ok" = 1 ] || log_tail
exited=0
while [ $(( ($(date +%s%N) - term_at) / 1000000 )) -lt 10000 ]; do
	if ! running "$MASTER"; then exited=1; break; fi
	sleep 0.05
done
took=$(( ($(date +%s%N) - term_at) / 1000000 ))
check "the master exits within 10 s of SIGTERM (${took} ms)" [ "$exited" = 1 ] || log_tail
left=""
for p in $old_workers; do running "$p" && left="$left $p"; done
check "no worker is left running after the master exits" [ -z "$left" ] || diag "still running:$left"

echo "1..$n"
exit $failed
