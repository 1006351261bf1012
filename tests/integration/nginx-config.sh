#!/usr/bin/env bash
# Checks the nginx configuration: renders nginx/local.conf.in the way ci/lib.sh does and runs
# `nginx -t` on it, then runs `nginx -t` on nginx/production.conf with its container paths moved
# into a temporary folder; reads the shared lonua-common.conf block by block (headers on every
# answer, error pages, rate limits); and starts the production config for a moment on a free port
# (no workers behind it) to see the headers it really sends. Prints TAP.
# The single-quoted patterns hold nginx variables ('\$lonua_hsts'), not shell ones:
# shellcheck disable=SC2016
set -u

SRC=$(cd "$(dirname "$0")/../.." && pwd)
NGINX_DIR="$SRC/nginx"
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
T=$(mktemp -d "${TMPDIR:-/tmp}/lonua-nginx-test.XXXXXX")
PROD_RUNNING=0
stop_prod() {
	[ "$PROD_RUNNING" = 1 ] && "$NGINX" -p "$T/prod" -c "$T/prod/nginx-live.conf" -s stop 2>/dev/null
	PROD_RUNNING=0
}
trap 'stop_prod; rm -rf "$T"' EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=1; echo "not ok $n - $1"
	[ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/# /' "$2" | head -20
	return 0
}
check() { # check "name" command...
	local name=$1; shift
	if "$@" >"$T/out" 2>&1; then ok "$name"; else not_ok "$name" "$T/out"; fi
}

if [ ! -x "$NGINX" ]; then
	echo "1..0 # SKIP nginx is not installed (apt-get install nginx)"
	exit 0
fi

# ---- local.conf.in, rendered like ci/lib.sh start_nginx -----------------------------------
mkdir -p "$T/local/run" "$T/local/www/dist" "$T/local/www/media"
user=""
[ "$(id -u)" = 0 ] && user="user root;"
sed -e "s|@USER_DIRECTIVE@|$user|" -e "s|@RUN_DIR@|$T/local/run|g" -e "s|@LISTEN@|127.0.0.1:18080|g" \
	-e "s|@WWW_ROOT@|$T/local/www|g" -e "s|@FCGI_ADDRESS@|unix:$T/local/lonua.sock|g" \
	-e "s|@NGINX_DIR@|$NGINX_DIR|g" -e "s|@TRUSTED_PROXY@|127.0.0.1|g" \
	"$NGINX_DIR/local.conf.in" >"$T/local/nginx.conf"
ln -s "$NGINX_DIR/lonua-headers.conf" "$T/local/lonua-headers.conf"   # as ci/lib.sh does

if grep -n '@[A-Z_]*@' "$T/local/nginx.conf" >"$T/out"; then
	not_ok "local.conf.in: every placeholder is one ci/lib.sh replaces" "$T/out"
else
	ok "local.conf.in: every placeholder is one ci/lib.sh replaces"
fi
check "local.conf.in: nginx -t passes once rendered" "$NGINX" -t -q -p "$T/local/run" -c "$T/local/nginx.conf"
check "local.conf.in: TCP upstream address renders too" bash -c "
	sed -e 's|unix:$T/local/lonua.sock|127.0.0.1:9000|' '$T/local/nginx.conf' >'$T/local/nginx-tcp.conf' &&
	'$NGINX' -t -q -p '$T/local/run' -c '$T/local/nginx-tcp.conf'"
check "local.conf.in: an empty @USER_DIRECTIVE@ renders too" bash -c "
	sed -e 's|^user root;\$||' '$T/local/nginx.conf' >'$T/local/nginx-nouser.conf' &&
	'$NGINX' -t -q -p '$T/local/run' -c '$T/local/nginx-nouser.conf'"

# ---- production.conf, container paths moved under $T/prod ---------------------------------
mkdir -p "$T/prod/tmp" "$T/prod/srv/www/dist" "$T/prod/srv/www/media"
# The placeholders as the web image's entrypoint renders them; port 9 (discard) has no listener,
# so the dynamic paths answer 502.
sed -e "s|/tmp/|$T/prod/tmp/|g" -e "s|@LONUA_APP_ADDR@|127.0.0.1:9|" -e "s|@LONUA_REAL_IP_FROM@|10.0.0.0/8|" \
	-e "s|/srv/lonua/www|$T/prod/srv/www|g" \
	-e "s|/etc/nginx/lonua-common.conf|$NGINX_DIR/lonua-common.conf|g" \
	-e "s|listen 8080 |listen 127.0.0.1:18081 |" \
	"$NGINX_DIR/production.conf" >"$T/prod/nginx.conf"
[ "$(id -u)" = 0 ] && sed -i '1i user root;' "$T/prod/nginx.conf"
cp "$NGINX_DIR/lonua-headers.conf" "$T/prod/lonua-headers.conf"       # next to it, as in /etc/nginx/
check "production.conf: nginx -t passes with its paths in a temporary folder" \
	"$NGINX" -t -q -p "$T/prod" -c "$T/prod/nginx.conf"

# ---- shape: one shared include, the same in both ---------------------------------------------
for f in local.conf.in production.conf; do
	c=$(grep -c 'include .*lonua-common\.conf;' "$NGINX_DIR/$f")
	if [ "$c" = 1 ]; then ok "$f includes lonua-common.conf once"
	else echo "# found $c includes" >"$T/out"; not_ok "$f includes lonua-common.conf once" "$T/out"; fi
done
for d in 'upstream lonua_fcgi' 'zone=lonua_login' '\$lonua_login_key' '\$lonua_https' 'set_real_ip_from' 'keys_zone=lonua_pages' '\$lonua_cache_skip' '\$lonua_gzip'; do
	if grep -q "$d" "$NGINX_DIR/local.conf.in" && grep -q "$d" "$NGINX_DIR/production.conf"; then
		ok "both configs declare what lonua-common.conf needs: ${d//\\/}"
	else
		not_ok "both configs declare what lonua-common.conf needs: ${d//\\/}"
	fi
done
# A single-threaded worker must never be pinned by an idle upstream connection: no keep-alive
# to the workers, in either config.
if grep -q '^fastcgi_keep_conn off;' "$NGINX_DIR/lonua-common.conf" &&
	! grep -qE '^[[:space:]]+keepalive [0-9]+;' "$NGINX_DIR/local.conf.in" "$NGINX_DIR/production.conf"; then
	ok "no kept-alive upstream connections pin the workers"
else
	not_ok "no kept-alive upstream connections pin the workers"
fi

# ---- lonua-common.conf, block by block ----------------------------------------------------------
# lonua-common.conf with lonua-headers.conf pasted where it is included, then one line per block
# (depth 0 is the server level), fields apart by \037:  line  depth  header  add_header names  fastcgi_pass  default_type  return
sed -e '/^[[:space:]]*include lonua-headers\.conf;/{r '"$NGINX_DIR/lonua-headers.conf" -e 'd}' \
	"$NGINX_DIR/lonua-common.conf" >"$T/common-inlined.conf"
awk '
function open_block(h) { d++; head[d] = h; adds[d] = ""; fcgi[d] = 0; dtype[d] = ""; ret[d] = ""; at[d] = NR }
function emit(i) { printf "%d\037%d\037%s\037%s\037%d\037%s\037%s\n", at[i], i, head[i], adds[i], fcgi[i], dtype[i], ret[i] }
BEGIN { d = 0; open_block("server"); d = 0 }
{
	s = $0; sub(/^[ \t]+/, "", s)
	if (s == "" || substr(s, 1, 1) == "#") next
	if (s ~ /^add_header[ \t]/) { n = s; sub(/^add_header[ \t]+/, "", n); sub(/[ \t].*$/, "", n); adds[d] = adds[d] (adds[d] == "" ? "" : ",") n }
	if (s ~ /^fastcgi_pass[ \t]/) fcgi[d] = 1
	if (s ~ /^default_type[ \t]/) { v = s; sub(/^default_type[ \t]+/, "", v); sub(/;[^;]*$/, "", v); gsub(/"/, "", v); dtype[d] = v }
	if (s ~ /^return[ \t]/) ret[d] = s
	q = ""; buf = ""
	for (k = 1; k <= length(s); k++) {
		c = substr(s, k, 1)
		if (q != "") { if (c == "\\") k++; else if (c == q) q = ""; continue }
		if (c == "\"" || c == "\047") { q = c; continue }
		if (c == "#") break
		if (c == "{") { h = buf; sub(/^[ \t]+/, "", h); sub(/[ \t]+$/, "", h); open_block(h); buf = ""; continue }
		if (c == "}") { emit(d); d--; continue }
		buf = buf c
	}
}
END { emit(0) }
' "$T/common-inlined.conf" >"$T/blocks.txt"

# Every block that sets headers of its own (the server level included) sends those of
# lonua-headers.conf: nginx gives a location with an add_header none of the server's.
awk -F'\037' '$4 != "" && ($4 !~ /(^|,)Strict-Transport-Security(,|$)/ || $4 !~ /(^|,)Permissions-Policy(,|$)/) {
	print "# line " $1 ": " $3 " adds " $4 " but not both of lonua-headers.conf" }' "$T/blocks.txt" >"$T/out"
if [ -s "$T/out" ] || [ "$(awk -F'\037' '$4 != ""' "$T/blocks.txt" | wc -l)" -lt 5 ]; then
	not_ok "every block with add_header includes lonua-headers.conf (HSTS, Permissions-Policy)" "$T/out"
else
	ok "every block with add_header includes lonua-headers.conf (HSTS, Permissions-Policy)"
fi

awk -F'\037' '$4 != "" { n = split($4, h, ","); delete seen
	for (i = 1; i <= n; i++) { if (tolower(h[i]) in seen) print "# line " $1 ": " $3 " adds " h[i] " twice"; seen[tolower(h[i])] = 1 } }' \
	"$T/blocks.txt" >"$T/out"
if [ -s "$T/out" ]; then not_ok "no block adds the same header twice" "$T/out"
else ok "no block adds the same header twice"; fi

# The server level's headers reach the workers' answers: only those the workers never send, and
# X-Request-Id, whose worker copy nginx drops (a page from the micro-cache was made for another
# request).
server_adds=$(awk -F'\037' '$2 == 0 { print $4 }' "$T/blocks.txt")
if [ "$server_adds" = "Strict-Transport-Security,Permissions-Policy,X-Request-Id" ] &&
	grep -q '^fastcgi_hide_header X-Request-Id;' "$SRC/nginx/lonua-common.conf"; then
	ok "the server level adds only HSTS, Permissions-Policy and X-Request-Id (the workers' own is hidden)"
else
	echo "# server level adds: $server_adds" >"$T/out"
	not_ok "the server level adds only HSTS, Permissions-Policy and X-Request-Id (the workers' own is hidden)" "$T/out"
fi

# The locations that pass to the workers must not add headers: the workers send their own, and
# an add_header there would drop the server level's HSTS and Permissions-Policy as well.
awk -F'\037' '$5 == 1 && $4 != "" { print "# line " $1 ": " $3 " adds " $4 }' "$T/blocks.txt" >"$T/out"
if [ -s "$T/out" ] || [ "$(awk -F'\037' '$5 == 1' "$T/blocks.txt" | wc -l)" -lt 4 ]; then
	not_ok "the FastCGI locations add no headers of their own (the workers send them)" "$T/out"
else
	ok "the FastCGI locations add no headers of their own (the workers send them)"
fi

if ! grep -rh 'Strict-Transport-Security' "$NGINX_DIR" | grep -v '^[[:space:]]*#' |
	grep -qv '^add_header Strict-Transport-Security \$lonua_hsts always;$'; then
	ok "HSTS is only ever sent as \$lonua_hsts (set per config)"
else
	grep -rn 'Strict-Transport-Security' "$NGINX_DIR" | sed 's/^/# /' >"$T/out"
	not_ok "HSTS is only ever sent as \$lonua_hsts (set per config)" "$T/out"
fi

# $lonua_hsts of a config: the default of its `map … $lonua_hsts { default "…"; }`.
hsts_of() { awk '/map .*\$lonua_hsts *\{/ { m = 1 } m && /default/ { sub(/^[^"]*"/, ""); sub(/".*$/, ""); print; exit }' "$1"; }
if [ "$(hsts_of "$NGINX_DIR/production.conf")" = "max-age=63072000; includeSubDomains" ]; then
	ok "production.conf: HSTS max-age=63072000; includeSubDomains"
else
	not_ok "production.conf: HSTS max-age=63072000; includeSubDomains"
fi
if grep -q 'map .*\$lonua_hsts' "$T/local/nginx.conf" && [ -z "$(hsts_of "$T/local/nginx.conf")" ]; then
	ok "local.conf.in: no HSTS over plain HTTP (\$lonua_hsts is empty)"
else
	not_ok "local.conf.in: no HSTS over plain HTTP (\$lonua_hsts is empty)"
fi

pp=$(sed -n 's/^add_header Permissions-Policy "\(.*\)" always;$/\1/p' "$NGINX_DIR/lonua-headers.conf")
missing=""
for want in 'camera=()' 'microphone=()' 'geolocation=()' 'payment=(self)'; do
	case ", $pp," in *", $want,"*) ;; *) missing="$missing $want" ;; esac
done
if [ -n "$pp" ] && [ -z "$missing" ]; then
	ok "Permissions-Policy denies camera, microphone, geolocation and keeps payment for our origin"
else
	echo "# Permissions-Policy: $pp; missing:$missing" >"$T/out"
	not_ok "Permissions-Policy denies camera, microphone, geolocation and keeps payment for our origin" "$T/out"
fi

# ---- error pages: every routed status has its problem+json and its HTML page ----------------------
grep -E '^error_page ' "$NGINX_DIR/lonua-common.conf" >"$T/error_pages"
: >"$T/out"
routed=""
while read -r _ rest; do
	target=${rest##* }; target=${target%;}
	page=${target#/__lonua_error/}
	for code in ${rest% *}; do
		routed="$routed $code"
		[ "$code" = "$page" ] || [ "$code" = 494 ] || echo "# error_page $code goes to $target" >>"$T/out"
	done
	for kind in json html; do
		if [ "$kind" = json ]; then want_type='application/problem+json'; want_body="\"status\":$page,"
		else want_type='text/html; charset=utf-8'; want_body="<title>$page "; fi
		row=$(awk -F'\037' -v h="location = $target.$kind" '$3 == h' "$T/blocks.txt")
		if [ -z "$row" ]; then echo "# no location = $target.$kind" >>"$T/out"; continue; fi
		IFS=$'\037' read -r line depth _ adds _ dtype ret <<<"$row"
		[ "$dtype" = "$want_type" ] || echo "# line $line: $target.$kind has default_type '$dtype'" >>"$T/out"
		case "$ret" in "return $page '"*"$want_body"*) ;; *) echo "# line $line: $target.$kind does not return $page with $want_body" >>"$T/out" ;; esac
		[ -z "$adds" ] || echo "# line $line: $target.$kind adds headers of its own ($adds): it would lose the shared ones" >>"$T/out"
		[ "$depth" = 2 ] || echo "# line $line: $target.$kind is not nested in location ^~ /__lonua_error/" >>"$T/out"
	done
done <"$T/error_pages"
if [ -s "$T/out" ]; then not_ok "every routed status has a .json and a .html page answering it" "$T/out"
else ok "every routed status has a .json and a .html page answering it"; fi

# The statuses nginx answers itself (see the comment in lonua-common.conf); 408 and 416 are not
# among them (no answer / ranges off), 403, 411 and 503 cannot happen.
want_routed=" 400 494 404 405 412 413 414 429 500 501 502 504 505"
if [ "$routed" = "$want_routed" ]; then ok "error_page routes exactly:$want_routed"
else echo "# routed:$routed" >"$T/out"; not_ok "error_page routes exactly:$want_routed" "$T/out"; fi

awk -F'\037' '$3 ~ /^location = \/__lonua_error\// { split($3, p, " "); print p[3] }' "$T/blocks.txt" | while read -r loc; do
	grep -qE "^error_page .* ${loc%.*};" "$NGINX_DIR/lonua-common.conf" || echo "# $loc: no error_page leads here"
done >"$T/out"
if [ -s "$T/out" ]; then not_ok "no error page that nothing routes to" "$T/out"
else ok "no error page that nothing routes to"; fi

# Every error location is internal (a client asking for /__lonua_error/… gets a 404).
awk '/^location (= |\^~ )\/__lonua_error\// { name = $0; getline; if ($1 != "internal;") print "# " name }
	/^    location = \/__lonua_error\// { name = $0; getline; if ($1 != "internal;") print "# " name }' \
	"$NGINX_DIR/lonua-common.conf" >"$T/out"
if [ -s "$T/out" ]; then not_ok "every error location is internal" "$T/out"
else ok "every error location is internal"; fi

# ---- rate limits ----------------------------------------------------------------------------------
token_re=$(sed -n 's/^location ~ \(.*\) {$/\1/p' "$NGINX_DIR/lonua-common.conf" | while read -r re; do
	awk -v re="$re" '$0 == "location ~ " re " {" { f = 1 } f && /limit_req zone=lonua_login/ { print re; exit } f && /^\}/ { exit }' \
		"$NGINX_DIR/lonua-common.conf"
done)
: >"$T/out"
for p in /login /seller/login /api/v1/auth/login /api/v1/seller/auth/login /password/forgot /password/reset \
	/verify /verify/resend /seller/signup /signup /api/v1/users /api/v1/sellers /api/v1/auth/password/forgot \
	/api/v1/auth/password/reset /api/v1/auth/verify /api/v1/auth/verify/resend; do
	printf '%s\n' "$p" | grep -qE -- "$token_re" || echo "# $p is not limited" >>"$T/out"
done
for p in / /login/ /loginx /api/v1/users/1 /api/v1/auth/logout /verify/x /auth/kakao/callback /api/v1/auth/me; do
	printf '%s\n' "$p" | grep -qE -- "$token_re" && echo "# $p is limited too" >>"$T/out"
done
if [ -n "$token_re" ] && [ ! -s "$T/out" ]; then ok "the POST limit (lonua_login) covers every login, sign-up, password and verification path"
else echo "# regex: $token_re" >>"$T/out"; not_ok "the POST limit (lonua_login) covers every login, sign-up, password and verification path" "$T/out"; fi

if awk '/^location ~ \^\/auth\/kakao\(\/callback\)\?\$ \{/,/^\}/' "$NGINX_DIR/lonua-common.conf" | grep -q 'limit_req zone=lonua_oauth '; then
	ok "the Kakao login (GET /auth/kakao and its callback) has its own limit (lonua_oauth)"
else
	not_ok "the Kakao login (GET /auth/kakao and its callback) has its own limit (lonua_oauth)"
fi
if grep -q 'limit_req_zone \$binary_remote_addr zone=lonua_oauth:' "$NGINX_DIR/local.conf.in" &&
	grep -q 'limit_req_zone \$binary_remote_addr zone=lonua_oauth:' "$NGINX_DIR/production.conf"; then
	ok "both configs key lonua_oauth on the address whatever the method"
else
	not_ok "both configs key lonua_oauth on the address whatever the method"
fi
if [ "$(grep -c 'limit_req_zone .* rate=10r/m;' "$NGINX_DIR/production.conf")" = 2 ] &&
	[ "$(grep -c 'limit_req_zone .* rate=20r/s;' "$NGINX_DIR/local.conf.in")" = 2 ]; then
	ok "rates: 10r/m in production, a generous 20r/s locally, for both zones"
else
	not_ok "rates: 10r/m in production, a generous 20r/s locally, for both zones"
fi
if grep -q '^limit_req_status 429;' "$NGINX_DIR/lonua-common.conf" && ! grep -q '^ .*limit_req_status' "$NGINX_DIR/lonua-common.conf"; then
	ok "every limit_req answers 429 (limit_req_status at server level)"
else
	not_ok "every limit_req answers 429 (limit_req_status at server level)"
fi

# ---- production.conf, running: the headers it really sends ----------------------------------------
# Started on a free port with no workers behind it (so the dynamic paths answer 502). Each
# answer must carry HSTS and Permissions-Policy exactly once, and no other header twice.
. "$SRC/ci/lib.sh"
port=$(free_port)
mkdir -p "$T/prod/srv/www/dist/css" "$T/prod/srv/www/media/ab"
echo 'body{}' >"$T/prod/srv/www/dist/css/a.0123456789.css"
sed -e "s|listen 127.0.0.1:18081 |listen 127.0.0.1:$port |" -e "s|/dev/stdout|$T/prod/access.log|" \
	-e "s|/dev/stderr|$T/prod/error.log|" "$T/prod/nginx.conf" >"$T/prod/nginx-live.conf"
if "$NGINX" -p "$T/prod" -c "$T/prod/nginx-live.conf" 2>"$T/out"; then
	PROD_RUNNING=1
	for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$port/nginx-healthz" && break; sleep 0.1; done
	# raw "request line" → the answer's headers (a request node or curl would not send as is)
	raw_headers() {
		exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
		printf '%s\r\nHost: lonua.test\r\nConnection: close\r\n%b\r\n' "$1" "${2:-}" >&3
		timeout 10 cat <&3 | tr -d '\r' | sed '/^$/q'
		exec 3<&-
	}
	: >"$T/out"
	# request line|extra header lines
	while IFS='|' read -r r extra; do
		raw_headers "$r" "$extra" >"$T/answer"
		status=$(head -1 "$T/answer")
		echo "# $r ${extra:+($extra) }→ $status" >>"$T/seen"
		[ -n "$status" ] || { echo "# $r: no answer" >>"$T/out"; continue; }
		[ "$(grep -c '^Strict-Transport-Security: max-age=63072000; includeSubDomains$' "$T/answer")" = 1 ] ||
			echo "# $r ($status): HSTS $(grep -c '^Strict-Transport-Security:' "$T/answer") times" >>"$T/out"
		[ "$(grep -c '^Permissions-Policy: .*payment=(self)' "$T/answer")" = 1 ] ||
			echo "# $r ($status): Permissions-Policy $(grep -c '^Permissions-Policy:' "$T/answer") times" >>"$T/out"
		dup=$(sed -n '2,$s/:.*//p' "$T/answer" | tr '[:upper:]' '[:lower:]' | grep -v '^vary$' | sort | uniq -d | tr '\n' ' ')
		[ -z "$dup" ] || echo "# $r ($status): twice: $dup" >>"$T/out"
	done <<-'EOF'
		GET /nginx-healthz HTTP/1.1
		GET /favicon.ico HTTP/1.1
		GET /dist/css/a.0123456789.css HTTP/1.1
		GET /dist/css/a.0123456789.css HTTP/1.1|If-Match: "x"\r\n
		GET /dist/missing.css HTTP/1.1
		GET /media/ab/.tmp HTTP/1.1
		POST /dist/css/a.0123456789.css HTTP/1.1
		GET /api/v1/categories HTTP/1.1
		GET / HTTP/1.1
		GET /metrics HTTP/1.1
		TRACE /api/v1/categories HTTP/1.1
		POST /api/v1/x HTTP/1.1|Transfer-Encoding: gzip\r\n
		GET /api/v1/categories HTTP/2.0
		GET / HTTP/3.0
	EOF
	stop_prod
	if [ -s "$T/out" ]; then cat "$T/seen" >>"$T/out"; not_ok "production.conf, running: HSTS and Permissions-Policy once on every answer" "$T/out"
	else ok "production.conf, running: HSTS and Permissions-Policy once on every answer"; fi
else
	not_ok "production.conf, running: HSTS and Permissions-Policy once on every answer" "$T/out"
fi

echo "1..$n"
exit $failed
