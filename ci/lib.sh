# Shared by ci/run, ci/stop and ci/test: packages, build, and a private MariaDB, lonua and
# nginx under one folder. Nothing here touches a system service. Source it; do not run it.

LONUA_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Packages the shop needs to build and run; the tests add theirs.
LONUA_PACKAGES="build-essential autoconf automake pkg-config libfcgi-dev default-libmysqlclient-dev
	libjson-c-dev libmimalloc-dev libargon2-dev libcurl4-openssl-dev libssl-dev libjpeg62-turbo-dev libpng-dev libwebp-dev libdeflate-dev zlib1g-dev mariadb-server mariadb-client mariadb-plugin-mroonga nginx curl"
LONUA_TEST_PACKAGES="clang-format valgrind wrk chromium fonts-noto-cjk fonts-noto-color-emoji libfcgi-bin"
# Building the images and playing them under podman (ci/images, tests/deploy). podman only
# recommends netavark and aardvark-dns (without them containers of one network cannot find each
# other by name) and catatonit (the init of the pause image `podman play kube` builds for a pod's
# infra container), and ensure_packages installs no recommends.
LONUA_PODMAN_PACKAGES="podman mmdebstrap runc iptables netavark aardvark-dns catatonit"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Installs the Debian packages that are missing (and Node.js when there is no node at all).
ensure_packages() {
	local missing=() p
	for p in $*; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	if ! command -v node >/dev/null 2>&1 && [ "${LONUA_NEED_NODE:-0}" = 1 ]; then
		missing+=(nodejs npm)
	fi
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing ${missing[*]}"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	# policy-rc.d keeps the packages from starting system services of their own.
	as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null || die "apt-get install failed"
}

# Builds into $1 (out of tree) with configure options $2...; prints nothing on success.
build_into() {
	local dir=$1; shift
	( cd "$LONUA_SRC" && { [ -x configure ] && [ configure -nt configure.ac ] && [ Makefile.in -nt Makefile.am ]; } \
		|| autoreconf -fi >/dev/null 2>&1 ) || die "autoreconf failed"
	mkdir -p "$dir"
	( cd "$dir" && { [ -f Makefile ] || "$LONUA_SRC/configure" -q "$@"; } && make -s -j"$(nproc)" >/dev/null ) \
		|| die "build in $dir failed"
}

# Prints a TCP port on 127.0.0.1 that nothing listens on. It is taken below the kernel's range of
# ephemeral ports (32768-60999 here): a port in that range may become the local end of any
# outbound connection between this check and the bind, and nginx then fails with EADDRINUSE.
free_port() {
	local p low
	low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
	[ "${low:-0}" -gt 20000 ] 2>/dev/null || low=32768
	for _ in $(seq 1 200); do
		p=$(( 15000 + RANDOM % (low - 15000) ))
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
	done
	die "no free port"
}

# Starts a private MariaDB in $1 (unix socket only, no TCP; Mroonga loaded for Korean search), creates database lonua and a user
# with a random password kept in $1/db-password. Exports LONUA_DB_*.
# LONUA_MARIADB_ARGS adds server options (the replication test: binary log, server id, a port).
start_mariadb() {
	local dir=$1
	mkdir -p "$dir"
	if [ ! -d "$dir/data/mysql" ]; then
		mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" \
			--auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 \
			|| die "mariadb-install-db failed (see $dir/install.log)"
	fi
	mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/mysql.sock" --skip-networking \
		--pid-file="$dir/mariadb.pid" --log-error="$dir/mariadb.log" --user="$(id -un)" \
		--innodb-buffer-pool-size=128M --character-set-server=utf8mb4 \
		--collation-server=utf8mb4_unicode_ci --plugin-load-add=ha_mroonga ${LONUA_MARIADB_ARGS:-} 2>/dev/null >/dev/null &
	for _ in $(seq 1 100); do
		mariadb-admin --no-defaults --socket="$dir/mysql.sock" -uroot ping >/dev/null 2>&1 && break
		sleep 0.2
	done
	mariadb-admin --no-defaults --socket="$dir/mysql.sock" -uroot ping >/dev/null 2>&1 \
		|| die "MariaDB did not start (see $dir/mariadb.log)"
	[ -f "$dir/db-password" ] || { head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$dir/db-password"; chmod 600 "$dir/db-password"; }
	mariadb --no-defaults --socket="$dir/mysql.sock" -uroot <<-SQL || die "cannot create the database"
		CREATE DATABASE IF NOT EXISTS lonua CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
		CREATE USER IF NOT EXISTS 'lonua'@'localhost' IDENTIFIED BY '$(cat "$dir/db-password")';
		GRANT ALL PRIVILEGES ON lonua.* TO 'lonua'@'localhost';
	SQL
	export LONUA_DB_SOCKET="$dir/mysql.sock" LONUA_DB_USER=lonua LONUA_DB_NAME=lonua
	export LONUA_DB_PASSWORD_FILE="$dir/db-password"
}

# Root access to the private MariaDB of $1 (for tests and operators).
mariadb_root() { local dir=$1; shift; mariadb --no-defaults --socket="$dir/mysql.sock" -uroot "$@"; }

stop_pidfile() {
	local f=$1 pid
	[ -f "$f" ] || return 0
	pid=$(cat "$f" 2>/dev/null)
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null
		for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true # gone already: not a failure under set -e
	fi
	rm -f "$f"
}

# Starts `lonua serve` from build dir $1 with run dir $2 (socket, pid, log).
start_lonua() {
	local build=$1 run=$2
	mkdir -p "$run/media"
	export LONUA_LISTEN="$run/lonua.sock" LONUA_PID_FILE="$run/lonua.pid"
	export LONUA_DATA_DIR="$LONUA_SRC" LONUA_DIST_DIR="$build/dist" LONUA_MEDIA_DIR="$run/media"
	export LONUA_SOCKET_MODE=${LONUA_SOCKET_MODE:-660}
	"$build/lonua" serve >>"$run/lonua.log" 2>&1 &
	for _ in $(seq 1 100); do [ -S "$run/lonua.sock" ] && [ -f "$run/lonua.pid" ] && return 0; sleep 0.1; done
	die "lonua serve did not start (see $run/lonua.log)"
}

# Starts `lonua jobs` (delivers the outbox: mails) from build dir $1 with run dir $2 (jobs.pid,
# jobs.log). Mails go to the transport the environment names (LONUA_MAIL_DIR or LONUA_SMTP_URL).
start_jobs() {
	local build=$1 run=$2
	mkdir -p "$run"
	rm -f "$run/jobs.pid"
	LONUA_PID_FILE="$run/jobs.pid" "$build/lonua" jobs >>"$run/jobs.log" 2>&1 &
	for _ in $(seq 1 100); do [ -f "$run/jobs.pid" ] && return 0; sleep 0.1; done
	die "lonua jobs did not start (see $run/jobs.log)"
}

# A random secret in file $1 (made once, kept): LONUA_SECRET_KEY_FILE points at it.
secret_file() {
	[ -f "$1" ] || { head -c 32 /dev/urandom | base64 | tr -d '\n' >"$1"; chmod 600 "$1"; }
}

# Renders nginx/local.conf.in into $1 and starts nginx on 127.0.0.1:$2 in front of the socket
# in $1, serving $3/dist (the built assets).
start_nginx() {
	local run=$1 port=$2 build=$3 user=""
	mkdir -p "$run/www" "$run/media" "$run/nginx"
	ln -sfn "$build/dist" "$run/www/dist"
	ln -sfn "$run/media" "$run/www/media"
	[ "$(id -u)" = 0 ] && user="user root;"
	sed -e "s|@USER_DIRECTIVE@|$user|" -e "s|@RUN_DIR@|$run/nginx|g" -e "s|@LISTEN@|127.0.0.1:$port|g" \
		-e "s|@WWW_ROOT@|$run/www|g" -e "s|@FCGI_ADDRESS@|unix:$run/lonua.sock|g" \
		-e "s|@NGINX_DIR@|$LONUA_SRC/nginx|g" -e "s|@TRUSTED_PROXY@|127.0.0.1|g" \
		"$LONUA_SRC/nginx/local.conf.in" >"$run/nginx.conf"
	# lonua-common.conf includes it relative to the main config, as from /etc/nginx/ in production
	ln -sfn "$LONUA_SRC/nginx/lonua-headers.conf" "$run/lonua-headers.conf"
	# A new nginx starts with an empty micro-cache: what an earlier run kept is not this run's shop.
	rm -rf "$run/nginx/page-cache"
	nginx -t -q -p "$run/nginx" -c "$run/nginx.conf" 2>"$run/nginx-t.log" || { cat "$run/nginx-t.log" >&2; die "nginx -t failed"; }
	nginx -p "$run/nginx" -c "$run/nginx.conf" 2>>"$run/nginx-t.log" || die "nginx did not start"
	for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && return 0; sleep 0.1; done
	die "nginx does not answer on $port (see $run/nginx)"
}

stop_nginx() {
	local run=$1
	[ -f "$run/nginx.conf" ] && nginx -p "$run/nginx" -c "$run/nginx.conf" -s stop 2>/dev/null
	return 0
}

stop_mariadb() { stop_pidfile "$1/mariadb.pid"; }
