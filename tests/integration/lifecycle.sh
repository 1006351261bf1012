#!/usr/bin/env bash
# The process model of `lonua serve` through nginx, under load. Prints TAP.
#   (a) five SIGHUPs to the master during 20 s of wrk -c64: no failed request, no socket error,
#       new workers replace the old ones, none counted as a crash; and across each SIGHUP a few
#       slow requests (1.5 s), started just before it, are still in flight in the old workers when
#       those get SIGTERM: each must complete with 200 (wrk's ~1 ms requests rarely straddle one)
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
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# sleep_until MS: sleeps until the clock of now_ms reaches MS (at once when it has).
sleep_until() {
	local left=$(( $1 - $(now_ms) ))
	[ "$left" -gt 0 ] && sleep "$((left / 1000)).$(printf '%03d' $((left % 1000)))"
	return 0
}

# Slow requests (the test-only GET /api/v1/test/sleep): $SLOW of them at a time, one worker each,
# leaving at least one worker free for other requests.
SLOW_MS=1500
SLOW=$(( WORKERS > 1 ? WORKERS - 1 : 1 ))
[ "$SLOW" -gt 4 ] && SLOW=4
# start_slow TAG MAX_SECONDS: starts $SLOW slow requests in the background; their answers go to
# $SCRATCH/TAG.N.{code,body}.
start_slow() {
	local i
	for i in $(seq 1 "$SLOW"); do
		curl -s -o "$SCRATCH/$1.$i.body" -w '%{http_code} %{time_total}' --max-time "$2" \
			"$BASE/api/v1/test/sleep?ms=$SLOW_MS" >"$SCRATCH/$1.$i.code" 2>/dev/null &
	done
}
# slow_all_ok TAG: true when each slow request of TAG (finished by now) answered 200 with
# {"slept_ms":$SLOW_MS}; prints a diagnostic for each one that did not.
# shellcheck disable=SC2317 # called in the checks below
slow_all_ok() {
	local i code secs body all=0
	for i in $(seq 1 "$SLOW"); do
		read -r code secs 2>/dev/null <"$SCRATCH/$1.$i.code"
		body=$(cat "$SCRATCH/$1.$i.body" 2>/dev/null)
		if [ "${code:-}" != 200 ] || ! grep -q "\"slept_ms\": *$SLOW_MS *[,}]" <<<"$body"; then
			all=1
			diag "slow request $1.$i: status ${code:-none} after ${secs:-?} s, body: ${body:0:300}"
		fi
		code="" secs=""
	done
	return "$all"
}

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
wrk_start=$(now_ms)
hups=0
term_after=() # per reload: ms from the start of its slow requests to the old workers' SIGTERM
for i in 1 2 3 4 5; do
	# A SIGHUP every 3 s; at least 300 ms before it, $SLOW slow requests that old workers take up.
	sleep_until $(( wrk_start + 3000 * i - 300 ))
	slow_start=$(now_ms)
	start_slow "reload$i" 10
	sleep_until $(( slow_start + 300 ))
	log_size=""
	[ -n "$LOG" ] && log_size=$(stat -c %s "$LOG" 2>/dev/null)
	kill -HUP "$MASTER" 2>/dev/null && hups=$((hups + 1))
	# The master logs this right after it sent SIGTERM to the old generation.
	term_after[i]=none
	while [ -n "$log_size" ] && [ $(( $(now_ms) - slow_start )) -lt $(( SLOW_MS + 1000 )) ]; do
		if tail -c +$((log_size + 1)) "$LOG" | grep -q 'reload: new workers ready, old ones leaving'; then
			term_after[i]=$(( $(now_ms) - slow_start ))
			break
		fi
		sleep 0.02
	done
done
wait "$wrk_pid"
wrk_rc=$?
wait # the slow requests (long finished)

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
if grep -q 'Non-2xx or 3xx responses' "$SCRATCH/wrk.out"; then
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
# The slow requests prove something only if SIGTERM reached their (old) workers mid-request.
if [ -z "$LOG" ]; then
	ok "each SIGHUP sent SIGTERM to the old workers while the slow requests ran # SKIP LONUA_LOG is not set"
else
	late=""
	for i in 1 2 3 4 5; do
		[ "${term_after[i]}" != none ] && [ "${term_after[i]}" -lt "$SLOW_MS" ] || late="$late $i"
	done
	check "each SIGHUP sent SIGTERM to the old workers while the slow requests ran (ms after they started: ${term_after[*]}; they take $SLOW_MS)" \
		[ -z "$late" ] || { diag "too late or never, reloads:$late"; log_tail; }
fi
slow_failed=0
for i in 1 2 3 4 5; do
	check "reload $i: all $SLOW requests in flight in the old workers completed with 200 {\"slept_ms\":$SLOW_MS}" \
		slow_all_ok "reload$i" || slow_failed=1
done
[ "$slow_failed" = 0 ] || log_tail

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
old_workers=$(children | tr '\n' ' ')
sleep 1 # nothing else in flight
start_slow stop 20
sleep 0.3
term_at=$(date +%s%N)
kill -TERM "$MASTER"
wait # the slow requests
check "all $SLOW requests in flight at SIGTERM completed with 200 {\"slept_ms\":$SLOW_MS}" slow_all_ok stop || log_tail
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
