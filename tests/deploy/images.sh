#!/usr/bin/env bash
# The container images (ci/images), for real: builds them (or, with LONUA_IMAGES_BUILT=1, takes
# the ones already built for this revision) and exports them as OCI archives, then checks each
# image's labels and non-root user, runs `lonua version`, `nginx -t` and nginx serving dist/ and
# its own pages read-only, starts MariaDB read-only on a tmpfs datadir with its secrets as files
# (users and their privileges, Mroonga, refusing to start without a password file), and runs
# `lonua migrate`, `lonua serve` with its probes and nginx in front of it in one podman network.
# Prints TAP; skips (# SKIP) only when podman cannot run here.
set -uo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=ci/lib.sh
. "$SRC/ci/lib.sh"
export CONTAINERS_CONF="$SRC/ci/containers.conf"
REV=$(git -C "$SRC" rev-parse --short=12 HEAD)
SHA=$(git -C "$SRC" rev-parse HEAD)
APP=localhost/lonua-app:$REV WEB=localhost/lonua-web:$REV DB=localhost/lonua-db:$REV
P=lonua-imgtest-$REV-$$ # every container, network and volume of this run
T=$(mktemp -d "${TMPDIR:-/tmp}/lonua-images-test.XXXXXX")

cleanup() {
	local c
	for c in $(podman ps -a --format '{{.Names}}' --filter "name=^$P-" 2>/dev/null); do
		podman rm -f -t 2 "$c" >/dev/null 2>&1
	done
	podman network rm -f "$P-net" >/dev/null 2>&1
	podman volume rm -f "$P-data" >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT

n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); echo "not ok $n - $1"
	[ -n "${2:-}" ] && [ -f "$2" ] && tail -25 "$2" | sed 's/^/# /'
	return 0
}
check() { # check "name" command...: the command's status is the test
	local name=$1; shift
	if "$@" >"$T/out" 2>&1; then ok "$name"; else not_ok "$name" "$T/out"; fi
}
diag() { sed 's/^/# /'; }
wait_for() { # wait_for SECONDS command...: until the command succeeds
	local end=$((SECONDS + $1)); shift
	until "$@" >/dev/null 2>&1; do [ $SECONDS -lt "$end" ] || return 1; sleep 0.3; done
}

START=$SECONDS
if ! command -v podman >/dev/null 2>&1 && [ "${LONUA_IMAGES_BUILT:-0}" != 1 ]; then
	# shellcheck disable=SC2086 # a list of package names, split on purpose
	ensure_packages $LONUA_PODMAN_PACKAGES >/dev/null 2>&1
fi
if ! podman info >"$T/out" 2>&1; then
	echo "1..0 # SKIP podman cannot run here: $(tail -1 "$T/out")"
	exit 0
fi

# ---- build ----------------------------------------------------------------------------------------
if [ "${LONUA_IMAGES_BUILT:-0}" = 1 ]; then
	echo "# LONUA_IMAGES_BUILT=1: using the images already built for $REV"
	mkdir -p "$T/oci"
	for name in app web db; do podman save --quiet --format oci-archive -o "$T/oci/lonua-$name-$REV.oci.tar" "localhost/lonua-$name:$REV"; done
	ok "images of $REV present (not rebuilt)"
elif "$SRC/ci/images" --out "$T/oci" >"$T/build.log" 2>&1; then
	ok "ci/images builds app, web and db for $REV ($((SECONDS - START)) s)"
else
	# A failed build is a skip only when podman cannot run a container at all: no namespaces
	# (an unprivileged container: mmdebstrap fails first), or a base that does not run.
	why=""
	if ! podman image exists "localhost/lonua-base:$REV"; then
		unshare --mount --pid --net --fork true 2>"$T/out" || why="no namespaces here ($(tail -1 "$T/out"))"
	elif ! podman run --rm "localhost/lonua-base:$REV" true >"$T/out" 2>&1; then
		why="a container does not start ($(tail -1 "$T/out"))"
	fi
	if [ -n "$why" ]; then
		tail -5 "$T/build.log" | diag
		echo "1..0 # SKIP podman cannot run here: $why"
		exit 0
	fi
	not_ok "ci/images builds app, web and db for $REV" "$T/build.log"
	echo "1..$n"
	exit 1
fi
[ ! -f "$T/build.log" ] || grep -E '^==> (base made|lonua-.* built|images of)|^IMAGE |^localhost/' "$T/build.log" | diag

for name in app web db; do
	a="$T/oci/lonua-$name-$REV.oci.tar"
	tar -tf "$a" >"$T/list" 2>&1
	if [ -s "$a" ] && grep -qx 'index.json' "$T/list" && grep -qx 'oci-layout' "$T/list"; then
		ok "lonua-$name: OCI archive ($(($(stat -c %s "$a") / 1048576)) MB)"
	else
		not_ok "lonua-$name: OCI archive"
	fi
done
rm -rf "$T/oci"

# ---- every image: labels and a non-root user ----------------------------------------------------
declare -A UID_OF=([app]=10001 [web]=10002 [db]=10003)
for name in app web db; do
	img=localhost/lonua-$name:$REV
	if ! podman image exists "$img"; then
		not_ok "lonua-$name: image exists"; continue
	fi
	size=$(podman image inspect --format '{{.Size}}' "$img")
	echo "# $img: $((size / 1048576)) MB"
	rev=$(podman image inspect --format '{{index .Labels "org.opencontainers.image.revision"}}' "$img")
	title=$(podman image inspect --format '{{index .Labels "org.opencontainers.image.title"}}' "$img")
	if [ "$rev" = "$SHA" ] && [ "$title" = "lonua-$name" ]; then
		ok "lonua-$name: exists, labelled with revision $REV and its title"
	else
		echo "revision label '$rev', title '$title'" >"$T/out"
		not_ok "lonua-$name: exists, labelled with revision $REV and its title" "$T/out"
	fi
	user=$(podman image inspect --format '{{.User}}' "$img")
	run_uid=$(podman run --rm --read-only --entrypoint id "$img" -u 2>&1)
	if [[ $user =~ ^[0-9]+(:[0-9]+)?$ ]] && [ "${user%%:*}" = "${UID_OF[$name]}" ] &&
		[ "$run_uid" = "${UID_OF[$name]}" ]; then
		ok "lonua-$name: runs as uid ${UID_OF[$name]} (USER $user)"
	else
		echo "USER '$user', id -u in a container: '$run_uid'" >"$T/out"
		not_ok "lonua-$name: runs as uid ${UID_OF[$name]}" "$T/out"
	fi
done

# ---- app ------------------------------------------------------------------------------------------
check "lonua-app: lonua version runs" bash -c "podman run --rm --read-only '$APP' lonua version | grep -qx 'lonua [0-9.]*'"
check "lonua-app: lonua-probe and lonua-jobs-alive are in /usr/local/bin" \
	podman run --rm --read-only "$APP" sh -c 'test -x /usr/local/bin/lonua-probe && test -x /usr/local/bin/lonua-jobs-alive'
check "lonua-app: templates, locales, schema and dist/manifest.json under /usr/share/lonua" \
	podman run --rm --read-only "$APP" sh -c 'cd /usr/share/lonua && test -f templates/layout.mustache &&
		test -f locales/ko.json && test -f schema/001_reference_data.sql && test -f dist/manifest.json'
check "lonua-app: lonua-jobs-alive fails without a heartbeat, passes on a fresh one, fails on a stale one" \
	podman run --rm --read-only "$APP" sh -c '! lonua-jobs-alive 2>/dev/null && touch /tmp/jobs.alive && lonua-jobs-alive &&
		touch -d "-200 seconds" /tmp/jobs.alive && ! lonua-jobs-alive 2>/dev/null'

# The backup scripts of ci/backup (their own suite tests them) in both images that run them.
backups=$(git -C "$SRC" ls-files 'ci/backup/lonua-*' | sed 's|.*/||' | paste -sd ' ')
if [ -z "$backups" ]; then
	echo "# no ci/backup/lonua-* scripts yet"
else
	for name in app db; do
		check "lonua-$name: the backup scripts ($backups) in /usr/local/bin" podman run --rm --read-only \
			--entrypoint sh "localhost/lonua-$name:$REV" -c "for f in $backups; do test -x /usr/local/bin/\$f || { echo missing \$f; exit 1; }; done"
	done
fi

# ---- web ------------------------------------------------------------------------------------------
check "lonua-web: nginx -t passes on the rendered production config" \
	podman run --rm --read-only --tmpfs /tmp -e LONUA_APP_ADDR=127.0.0.1:9000 \
	-e 'LONUA_REAL_IP_FROM=10.0.0.0/8, 192.168.0.0/16' "$WEB" nginx -t
podman run --rm --read-only --tmpfs /tmp -e 'LONUA_APP_ADDR=x; include /etc/passwd' "$WEB" nginx -t >"$T/out" 2>&1
rc=$?
if [ $rc != 0 ] && grep -q 'LONUA_APP_ADDR must be host:port' "$T/out"; then
	ok "lonua-web: the entrypoint refuses an address that is not host:port"
else
	not_ok "lonua-web: the entrypoint refuses an address that is not host:port (exit status $rc)" "$T/out"
fi
# Served read-only with only /tmp writable, no app behind it (port 9 has no listener: 502).
WEB_PORT=$(free_port)
podman run -d --name "$P-web" --read-only --tmpfs /tmp -p "127.0.0.1:$WEB_PORT:8080" \
	-e LONUA_APP_ADDR=127.0.0.1:9 "$WEB" >"$T/out" 2>&1
W=http://127.0.0.1:$WEB_PORT
if wait_for 20 curl -fsS -o /dev/null "$W/nginx-healthz" && [ "$(curl -s "$W/nginx-healthz")" = ok ]; then
	ok "lonua-web: answers /nginx-healthz, read-only"
else
	podman logs "$P-web" >>"$T/out" 2>&1; not_ok "lonua-web: answers /nginx-healthz, read-only" "$T/out"
fi
# The app prints the URLs of the manifest it has; nginx must have the very same files.
app_manifest=$(podman run --rm --entrypoint sha256sum "$APP" /usr/share/lonua/dist/manifest.json | cut -d' ' -f1)
web_manifest=$(podman run --rm --entrypoint sha256sum "$WEB" /srv/lonua/www/dist/manifest.json | cut -d' ' -f1)
if [ -n "$app_manifest" ] && [ "$app_manifest" = "$web_manifest" ]; then
	ok "lonua-web and lonua-app: the same dist/manifest.json"
else
	not_ok "lonua-web and lonua-app: the same dist/manifest.json ('$app_manifest' / '$web_manifest')"
fi
css=$(podman run --rm --entrypoint sh "$WEB" -c "grep -o '\"[^\"]*\\.css\"' /srv/lonua/www/dist/manifest.json | tail -1" | tr -d '"')
if [ -n "$css" ] && curl -fsS -D "$T/h" -o "$T/body" "$W/dist/$css" >"$T/out" 2>&1 &&
	grep -qi '^cache-control: public, max-age=31536000, immutable' "$T/h" &&
	grep -qi '^content-type: text/css' "$T/h" && [ -s "$T/body" ] &&
	cmp -s "$T/body" "$SRC/static/${css%.*.css}.css"; then
	ok "lonua-web: serves dist/$css (the static file, cached for a year)"
else
	cat "$T/h" >>"$T/out" 2>/dev/null; not_ok "lonua-web: serves dist/${css:-<no css in manifest.json>}" "$T/out"
fi
code=$(curl -s -D "$T/h" -o "$T/body" -w '%{http_code}' "$W/dist/missing.css")
if [ "$code" = 404 ] && grep -q '404 찾을 수 없습니다' "$T/body" && grep -qi '^x-request-id: ' "$T/h"; then
	ok "lonua-web: a missing dist/ file gets nginx's 404 page"
else
	not_ok "lonua-web: a missing dist/ file gets nginx's 404 page (got $code)" "$T/body"
fi
code=$(curl -s -D "$T/h" -o "$T/body" -w '%{http_code}' "$W/api/v1/products")
if [ "$code" = 502 ] && grep -qi '^content-type: application/problem+json' "$T/h" &&
	grep -q '"code":"BAD_GATEWAY"' "$T/body" && grep -qi '^strict-transport-security: max-age=63072000' "$T/h"; then
	ok "lonua-web: no app behind it: the API gets nginx's 502 problem+json with HSTS"
else
	not_ok "lonua-web: no app behind it: the API gets nginx's 502 problem+json (got $code)" "$T/body"
fi
podman rm -f -t 2 "$P-web" >/dev/null 2>&1

# ---- db -------------------------------------------------------------------------------------------
mkdir -m 755 "$T/secrets"
for f in root app migrate backup; do head -c 18 /dev/urandom | base64 | tr -d '/+=\n' >"$T/secrets/$f"; done
printf "q'uo\\\\te-%s" "$(head -c 9 /dev/urandom | base64 | tr -d '/+=\n')" >"$T/secrets/app" # quotes survive
chmod 644 "$T/secrets"/*
SECRET_ENV=(-e MARIADB_ROOT_PASSWORD_FILE=/run/secrets/lonua/root -e LONUA_DB_PASSWORD_FILE=/run/secrets/lonua/app
	-e LONUA_MIGRATE_PASSWORD_FILE=/run/secrets/lonua/migrate -e LONUA_BACKUP_PASSWORD_FILE=/run/secrets/lonua/backup)
DB_OPTS=(--read-only --tmpfs /run/mysqld:U --tmpfs /var/lib/mysql:U -v "$T/secrets:/run/secrets/lonua:ro")

podman run --rm "${DB_OPTS[@]}" "${SECRET_ENV[@]}" -e LONUA_BACKUP_PASSWORD_FILE=/run/secrets/lonua/none "$DB" >"$T/out" 2>&1
rc=$?
if [ $rc != 0 ] && grep -q 'LONUA_BACKUP_PASSWORD_FILE names /run/secrets/lonua/none, which does not exist' "$T/out"; then
	ok "lonua-db: refuses to start when a password file is missing, and says which"
else
	echo "exit status $rc" >>"$T/out"; not_ok "lonua-db: refuses to start when a password file is missing" "$T/out"
fi

podman network create "$P-net" >/dev/null 2>&1 || true
DB_PORT=$(free_port)
t=$SECONDS
podman run -d --name "$P-db" --network "$P-net" "${DB_OPTS[@]}" "${SECRET_ENV[@]}" \
	-p "127.0.0.1:$DB_PORT:3306" "$DB" >"$T/out" 2>&1
# Up on the published port: an unknown user is refused (not a connection error).
db_refuses_nobody() { [[ $(mariadb --no-defaults -h 127.0.0.1 -P "$DB_PORT" -u nobody -e 'SELECT 1' 2>&1) == *"Access denied"* ]]; }
if wait_for 60 podman exec "$P-db" mariadb-admin ping && wait_for 20 db_refuses_nobody; then
	ok "lonua-db: starts read-only on a tmpfs datadir, initialised in $((SECONDS - t)) s (mariadb-admin ping)"
else
	podman logs "$P-db" >>"$T/out" 2>&1; not_ok "lonua-db: starts read-only on a tmpfs datadir" "$T/out"
fi
# mysql USER SECRET SQL: runs SQL as USER over the published port (the password from a file)
mysql_as() {
	printf '[client]\npassword="%s"\n' "$(sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' "$T/secrets/$2")" >"$T/$1.cnf"
	mariadb --defaults-extra-file="$T/$1.cnf" -h 127.0.0.1 -P "$DB_PORT" -u "$1" -N -B lonua -e "$3"
}
check "lonua-db: the app user lonua connects (a password with a quote and a backslash)" \
	bash -c "$(declare -f mysql_as); T='$T' DB_PORT=$DB_PORT; mysql_as lonua app 'SELECT CURRENT_USER()' | grep -qx 'lonua@%'"
if ! mysql_as lonua app 'CREATE TABLE not_allowed (i INT)' >"$T/out" 2>&1 && grep -q 'CREATE command denied' "$T/out"; then
	ok "lonua-db: lonua cannot CREATE TABLE"
else
	not_ok "lonua-db: lonua cannot CREATE TABLE" "$T/out"
fi
check "lonua-db: lonua_migrate can CREATE TABLE (Mroonga) and DROP it" \
	mysql_as lonua_migrate migrate 'CREATE TABLE probe (t TEXT, FULLTEXT (t)) ENGINE=Mroonga; DROP TABLE probe'
if mysql_as lonua_backup backup 'SELECT 1' >/dev/null 2>&1 && ! mysql_as lonua_backup backup 'CREATE TABLE b (i INT)' >/dev/null 2>&1; then
	ok "lonua-db: lonua_backup connects and cannot CREATE TABLE"
else
	not_ok "lonua-db: lonua_backup connects and cannot CREATE TABLE"
fi
if mysql_as root root 'SELECT 1' >"$T/out" 2>&1; then
	not_ok "lonua-db: root cannot log in over the network" "$T/out"
else
	ok "lonua-db: root cannot log in over the network"
fi
check "lonua-db: Mroonga is loaded (SHOW ENGINES) and lonua is utf8mb4_unicode_ci" bash -c "
	$(declare -f mysql_as); T='$T' DB_PORT=$DB_PORT
	mysql_as lonua app 'SHOW ENGINES' | grep -q '^Mroonga[[:space:]]YES' &&
	mysql_as lonua app 'SELECT @@collation_database' | grep -qx utf8mb4_unicode_ci"

# ---- app + db + web in one network -------------------------------------------------------------
APP_ENV=(-e LONUA_DB_HOST="$P-db" -e LONUA_DB_PASSWORD_FILE=/run/secrets/lonua/app -e LONUA_WORKERS=2)
check "lonua-app: lonua migrate as lonua_migrate, by the db container's name" \
	podman run --rm --read-only --network "$P-net" -v "$T/secrets:/run/secrets/lonua:ro" \
	-e LONUA_DB_HOST="$P-db" -e LONUA_DB_USER=lonua_migrate -e LONUA_DB_PASSWORD_FILE=/run/secrets/lonua/migrate \
	"$APP" lonua migrate
podman run -d --name "$P-app" --read-only --network "$P-net" -v "$T/secrets:/run/secrets/lonua:ro" \
	--tmpfs /var/lib/lonua/media:U "${APP_ENV[@]}" "$APP" >"$T/out" 2>&1
if wait_for 20 podman exec "$P-app" lonua-probe /healthz && podman exec "$P-app" lonua-probe /readyz >>"$T/out" 2>&1; then
	ok "lonua-app: lonua serve read-only; lonua-probe /healthz and /readyz pass"
else
	podman logs "$P-app" >>"$T/out" 2>&1; not_ok "lonua-app: lonua serve; lonua-probe /healthz and /readyz pass" "$T/out"
fi
WEB_PORT=$(free_port)
podman run -d --name "$P-web2" --read-only --tmpfs /tmp --network "$P-net" -p "127.0.0.1:$WEB_PORT:8080" \
	-e LONUA_APP_ADDR="$P-app:9000" "$WEB" >"$T/out" 2>&1
W=http://127.0.0.1:$WEB_PORT
# Retried, as a kubelet and a load balancer would: starting a container makes podman's aardvark-dns
# 1.4 reload, and it drops the queries that arrive meanwhile (containers/aardvark-dns#389). A worker
# whose first lookup of the database's name falls in that window answers 503 after the resolver's
# retries (25 s here), or nginx gives up first (504); its next lookup succeeds. Each of the two
# workers looks the name up once.
app_through_web() {
	curl -fsS -o "$T/body" "$W/readyz" && curl -fsS -o "$T/body" "$W/" && grep -q 'LONUA' "$T/body"
}
if wait_for 20 curl -fsS -o /dev/null "$W/nginx-healthz" && wait_for 120 app_through_web; then
	ok "lonua-web: /readyz and the home page through nginx → lonua serve → MariaDB"
else
	podman logs "$P-web2" >>"$T/out" 2>&1; not_ok "lonua-web: /readyz and the home page through nginx → lonua serve → MariaDB" "$T/out"
fi
# Without the database the app stays alive but is no longer ready.
podman stop -t 5 "$P-db" >/dev/null 2>&1
if podman exec "$P-app" lonua-probe /healthz >"$T/out" 2>&1 && ! podman exec "$P-app" lonua-probe /readyz >>"$T/out" 2>&1; then
	ok "lonua-app: with the database stopped, /healthz still passes and /readyz fails"
else
	not_ok "lonua-app: with the database stopped, /healthz still passes and /readyz fails" "$T/out"
fi

# ---- db on a volume: a restart keeps the data and needs no password files ------------------------
podman volume create "$P-data" >/dev/null 2>&1
DB_PORT=$(free_port)
podman run -d --name "$P-db1" --read-only --tmpfs /run/mysqld:U -v "$P-data:/var/lib/mysql:U" \
	-v "$T/secrets:/run/secrets/lonua:ro" "${SECRET_ENV[@]}" -p "127.0.0.1:$DB_PORT:3306" "$DB" >"$T/out" 2>&1
wait_for 60 db_refuses_nobody && mysql_as lonua_migrate migrate 'CREATE TABLE kept (i INT); INSERT INTO kept VALUES (42)' >>"$T/out" 2>&1
podman stop -t 10 "$P-db1" >/dev/null 2>&1
DB_PORT=$(free_port)
podman run -d --name "$P-db2" --read-only --tmpfs /run/mysqld:U -v "$P-data:/var/lib/mysql:U" \
	-p "127.0.0.1:$DB_PORT:3306" "$DB" >>"$T/out" 2>&1
if wait_for 60 db_refuses_nobody && [ "$(mysql_as lonua app 'SELECT i FROM kept' 2>>"$T/out")" = 42 ] &&
	! podman logs "$P-db2" 2>&1 | grep -q 'initialising'; then
	ok "lonua-db: restarted on its volume without password files, it keeps the data and the users"
else
	podman logs "$P-db2" >>"$T/out" 2>&1; not_ok "lonua-db: restarted on its volume, it keeps the data and the users" "$T/out"
fi

echo "# tests/deploy/images.sh took $((SECONDS - START)) s"
echo "1..$n"
