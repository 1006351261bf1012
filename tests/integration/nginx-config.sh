#!/usr/bin/env bash
# Checks the nginx configuration without starting anything: renders nginx/local.conf.in the way
# ci/lib.sh does and runs `nginx -t` on it, then runs `nginx -t` on nginx/production.conf with its
# container paths moved into a temporary folder. Prints TAP.
set -u

SRC=$(cd "$(dirname "$0")/../.." && pwd)
NGINX_DIR="$SRC/nginx"
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
T=$(mktemp -d "${TMPDIR:-/tmp}/lonua-nginx-test.XXXXXX")
trap 'rm -rf "$T"' EXIT

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
mkdir -p "$T/prod/tmp" "$T/prod/run/lonua" "$T/prod/srv/www/dist" "$T/prod/srv/www/media"
sed -e "s|/tmp/|$T/prod/tmp/|g" -e "s|/run/lonua/|$T/prod/run/lonua/|g" \
	-e "s|/srv/lonua/www|$T/prod/srv/www|g" \
	-e "s|/etc/nginx/lonua-common.conf|$NGINX_DIR/lonua-common.conf|g" \
	-e "s|listen 8080 |listen 127.0.0.1:18081 |" \
	"$NGINX_DIR/production.conf" >"$T/prod/nginx.conf"
[ "$(id -u)" = 0 ] && sed -i '1i user root;' "$T/prod/nginx.conf"
check "production.conf: nginx -t passes with its paths in a temporary folder" \
	"$NGINX" -t -q -p "$T/prod" -c "$T/prod/nginx.conf"

# ---- shape: one shared include, the same in both ---------------------------------------------
for f in local.conf.in production.conf; do
	c=$(grep -c 'include .*lonua-common\.conf;' "$NGINX_DIR/$f")
	if [ "$c" = 1 ]; then ok "$f includes lonua-common.conf once"
	else echo "# found $c includes" >"$T/out"; not_ok "$f includes lonua-common.conf once" "$T/out"; fi
done
for d in 'upstream lonua_fcgi' 'zone=lonua_login' '\$lonua_login_key' '\$lonua_https' 'set_real_ip_from'; do
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

# The dynamic location must not add security headers: the workers send their own.
if awk '/^location \/ \{/,/^\}/' "$NGINX_DIR/lonua-common.conf" | grep -q add_header; then
	not_ok "the FastCGI location adds no headers of its own (the workers send them)"
else
	ok "the FastCGI location adds no headers of its own (the workers send them)"
fi

echo "1..$n"
exit $failed
