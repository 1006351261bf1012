#!/usr/bin/env bash
# The master without nginx, spoken to directly over FastCGI with cgi-fcgi (libfcgi-bin):
# recycling after LONUA_MAX_REQUESTS, the crash-loop backoff, TCP listening, and SIGTERM.
# Usage: master.sh LONUA_BINARY DIST_DIR. Needs LONUA_DB_* in the environment. Prints TAP.
set -u
bin=$1 dist=$2 n=0 failed=0
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null; rm -rf "$work"' EXIT
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }

# fcgi_get ADDRESS PATH: one GET over FastCGI; prints the raw answer (headers and body).
fcgi_get() {
	env -i REQUEST_METHOD=GET DOCUMENT_URI="$2" QUERY_STRING= SERVER_PROTOCOL=HTTP/1.1 \
		cgi-fcgi -bind -connect "$1" 2>/dev/null
}
serve() { # name, extra env...: starts a master, waits for its socket or port
	local name=$1; shift
	env LONUA_DATA_DIR="$src" LONUA_DIST_DIR="$dist" LONUA_PID_FILE="$work/$name.pid" "$@" \
		"$bin" serve >"$work/$name.log" 2>&1 &
	for _ in $(seq 1 50); do [ -f "$work/$name.pid" ] && break; sleep 0.1; done
	sleep 0.3
}
children() { pgrep -P "$(cat "$work/$1.pid")" | sort | tr '\n' ' '; }

# Recycling: one worker, replaced after every 3 requests; no request fails meanwhile.
serve recycle LONUA_LISTEN="$work/recycle.sock" LONUA_WORKERS=1 LONUA_MAX_REQUESTS=3
first=$(children recycle)
good=0
for _ in $(seq 1 10); do fcgi_get "$work/recycle.sock" /healthz | grep -q '^Status: 200' && good=$((good + 1)); done
ok "$([ $good = 10 ]; echo $?)" "10 requests through a worker recycled every 3 requests all answer 200 ($good)"
sleep 0.3
later=$(children recycle)
ok "$([ -n "$later" ] && [ "$first" != "$later" ]; echo $?)" "the worker was replaced ($first -> $later)"
ok "$(! grep -q 'replacing it' "$work/recycle.log"; echo $?)" "a recycled worker is not logged as a crash"

# TCP listening and the request id in log lines.
port=$(( 15000 + RANDOM % 17000 )) # below the ephemeral ports (see free_port in ci/lib.sh)
serve tcp LONUA_LISTEN="127.0.0.1:$port" LONUA_WORKERS=2
answer=$(env -i REQUEST_METHOD=GET DOCUMENT_URI=/api/v1/categories/999 QUERY_STRING= REQUEST_ID=abc123def \
	cgi-fcgi -bind -connect "127.0.0.1:$port" 2>/dev/null)
echo "$answer" | head -2 | sed "s/^/# /"
echo "$answer" | grep -q '^Status: 404' ; ok $? "listening on 127.0.0.1:$port answers FastCGI (404 for an absent category)"
echo "$answer" | grep -q '^X-Request-Id: abc123def' ; ok $? "the request id nginx passes comes back in X-Request-Id"
echo "$answer" | grep -q '"request_id":"abc123def"' ; ok $? "and in the problem body"

# Crash loop: workers that cannot start (no templates) are restarted with a growing delay,
# and the master itself stays up.
mkdir -p "$work/empty"
env LONUA_DATA_DIR="$work/empty" LONUA_DIST_DIR="$dist" LONUA_PID_FILE="$work/crash.pid" \
	LONUA_LISTEN="$work/crash.sock" LONUA_WORKERS=2 "$bin" serve >"$work/crash.log" 2>&1 &
sleep 4
starts=$(grep -c 'cannot start' "$work/crash.log")
ok "$([ "$starts" -ge 2 ] && [ "$starts" -le 30 ]; echo $?)" "failing workers are retried, but not in a tight loop ($starts starts in 4 s)"
grep -q 'dying young; next start in' "$work/crash.log"; ok $? "the master backs off and says so"
kill -0 "$(cat "$work/crash.pid")" 2>/dev/null; ok $? "the master survives a crash loop"

# SIGTERM stops every master, removes the socket and the pid file.
for m in recycle tcp crash; do
	pid=$(cat "$work/$m.pid")
	kill -TERM "$pid"
	for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	! kill -0 "$pid" 2>/dev/null; ok $? "SIGTERM stops the $m master within 5 s"
done
ok "$([ ! -e "$work/recycle.sock" ] && [ ! -e "$work/recycle.pid" ]; echo $?)" "the socket and pid file are removed"
echo "1..$n"
exit $failed
