#!/usr/bin/env bash
# Expand/contract: the previous release's smoke test against the new schema. During a blue/green
# rollout the old colour keeps serving while the migration Job has already applied the new
# release's migrations, so every migration must leave the previous release working.
# 1. Static: every schema/*.sql added since the previous release (the commit named in
#    ci/previous-release) only expands the schema (tests/deploy/migration-lint.mjs), unless the file
#    carries a `-- contract: …` comment saying why it is safe; the lint itself is checked against
#    statements it must refuse and accept.
# 2. Live: the previous release's `lonua` is built from git (git archive, out-of-tree build), a
#    fresh database is migrated by the CURRENT `lonua migrate` (all of HEAD's migrations) and seeded
#    by the current `lonua seed`, then the OLD `lonua serve` (with its own templates, locales and
#    dist) runs behind the old release's nginx configuration against it, and the smoke test passes
#    (ci/smoke, the pipeline's smoke test).
# Usage: schema-compat.sh LONUA_BINARY MARIADB_DIR (root over MARIADB_DIR/mysql.sock; it makes and
# drops database lonua_compat and user lonua_compat). Prints TAP; skips when the previous release
# is not in the repository's history.
set -uo pipefail
bin=${1:?usage: schema-compat.sh LONUA_BINARY MARIADB_DIR} dbdir=${2:?usage: schema-compat.sh LONUA_BINARY MARIADB_DIR}
src=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=ci/lib.sh
. "$src/ci/lib.sh"
sock=$dbdir/mysql.sock
db=lonua_compat
n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
root() { mariadb --no-defaults --default-character-set=utf8mb4 --socket="$sock" -uroot -N -B "$@"; }
lint() { node "$src/tests/deploy/migration-lint.mjs" "$@"; }

rev=$(tr -d ' \n' <"$src/ci/previous-release" 2>/dev/null)
if ! git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	echo "ok 1 - previous release compatibility # SKIP $src is not a git checkout (a release tarball?), or git refuses it (safe.directory)"
	echo "1..1"
	exit 0
fi
if [ -z "$rev" ] || ! git -C "$src" rev-parse -q --verify "$rev^{commit}" >/dev/null 2>&1; then
	echo "ok 1 - previous release compatibility # SKIP the previous release '${rev:-?}' (ci/previous-release) is not in this repository's history (a shallow clone or a tarball?)"
	echo "1..1"
	exit 0
fi
short=$(git -C "$src" rev-parse --short=12 "$rev")

# ---- 1. static: migrations since the previous release only expand --------------------------------
scratch=$(mktemp -d "${TMPDIR:-/tmp}/lonua-schema-compat.XXXXXX")
run=$scratch/run
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	wait 2>/dev/null
	stop_nginx "$run" 2>/dev/null
	stop_pidfile "$run/lonua.pid" 2>/dev/null
	root -e "DROP DATABASE IF EXISTS $db; DROP USER IF EXISTS '$db'@'localhost'" 2>/dev/null
	rm -rf "$scratch"
}
trap cleanup EXIT

fixture() { printf '%s\n' "$2" >"$scratch/$1.sql"; echo "$scratch/$1.sql"; }
bad=0 caught=0
for sql in 'ALTER TABLE products DROP COLUMN name;' 'DROP TABLE likes;' 'ALTER TABLE users RENAME COLUMN name TO full_name;' \
	'RENAME TABLE likes TO hearts;' 'ALTER TABLE products MODIFY name VARCHAR(20) NOT NULL;' \
	'ALTER TABLE products CHANGE name title VARCHAR(200);' 'ALTER TABLE users ADD COLUMN nickname VARCHAR(30) NOT NULL;' \
	'ALTER TABLE orders ADD CONSTRAINT chk_x CHECK (total > 0);' 'CREATE UNIQUE INDEX uq_x ON users (name);' \
	'ALTER TABLE orders ADD INDEX ix_ok (created_at), DROP INDEX ix_old;' 'DELETE FROM styles;'; do
	bad=$((bad + 1))
	lint "$(fixture "bad$bad" "-- a comment; with a semicolon
$sql")" >/dev/null || caught=$((caught + 1))
done
good=$(fixture good "CREATE TABLE IF NOT EXISTS t (id INT PRIMARY KEY, note VARCHAR(10) NOT NULL);
ALTER TABLE users ADD COLUMN IF NOT EXISTS nickname VARCHAR(30) NULL, ADD COLUMN flags INT NOT NULL DEFAULT 0,
	ADD INDEX ix_users_nickname (nickname), ALGORITHM = INPLACE;
CREATE INDEX ix_a ON users (flags);
ALTER TABLE stock_movements DROP CONSTRAINT IF EXISTS chk_old;
INSERT INTO styles (code, name_ko, name_en) VALUES ('drop table x;', 'DROP', 'RENAME');
UPDATE styles SET name_en = 'x' WHERE code = 'y';")
contract=$(fixture contract "-- contract: the previous release never reads legacy_note (removed from its code in 0.9).
ALTER TABLE users DROP COLUMN legacy_note;")
lint "$good" >"$scratch/lint.out" && lint "$contract" >>"$scratch/lint.out" && [ "$caught" = "$bad" ]
ok $? "the migration lint refuses $caught of $bad contracting statements, and accepts expanding ones and a -- contract: comment"
[ "$caught" = "$bad" ] || diag "it let $((bad - caught)) through"

added=()
for f in "$src"/schema/[0-9]*.sql; do
	git -C "$src" cat-file -e "$rev:schema/${f##*/}" 2>/dev/null || added+=("$f")
done
if [ ${#added[@]} = 0 ]; then
	ok 0 "no migration added since the previous release $short"
else
	for f in "${added[@]}"; do
		out=$(lint "$f")
		ok $? "schema/${f##*/} (added since $short) only expands the schema, or says why not (-- contract:)"
		[ -n "$out" ] && diag "$out"
	done
fi

# ---- 2. live: the previous release against the new schema ------------------------------------------
# The old release builds in the background while the current one migrates and seeds (the seed
# waits on MariaDB more than on the CPU).
t0=$SECONDS
old=$scratch/old
mkdir -p "$old/src" "$old/build" "$run"
(
	git -C "$src" archive "$rev" | tar -x -C "$old/src" &&
		( cd "$old/src" && autoreconf -fi >"$scratch/autoreconf.log" 2>&1 ) &&
		( cd "$old/build" && "$old/src/configure" -q >"$scratch/configure.log" 2>&1 && make -s -j"$(nproc)" >"$scratch/make.log" 2>&1 )
	echo "$? $((SECONDS - t0))" >"$scratch/build.rc"
) &
build=$!

head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$scratch/db-password"
chmod 600 "$scratch/db-password"
root <<-SQL
	DROP DATABASE IF EXISTS $db;
	CREATE DATABASE $db CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
	DROP USER IF EXISTS '$db'@'localhost';
	CREATE USER '$db'@'localhost' IDENTIFIED BY '$(cat "$scratch/db-password")';
	GRANT ALL ON $db.* TO '$db'@'localhost';
SQL
export LONUA_DB_SOCKET=$sock LONUA_DB_USER=$db LONUA_DB_NAME=$db LONUA_DB_PASSWORD_FILE=$scratch/db-password
unset LONUA_DB_PASSWORD LONUA_DB_HOST LONUA_DB_PORT
mkdir -p "$run/media"
LONUA_DATA_DIR=$src "$bin" migrate >"$scratch/migrate.log" 2>&1
ok $? "the current lonua migrate applies HEAD's migrations to a fresh database"
files=$(find "$src/schema" -name '[0-9]*.sql' | wc -l)
[ "$(root "$db" -e "SELECT COUNT(*) FROM schema_migrations")" = "$files" ]
ok $? "all $files migrations of HEAD are recorded"
LONUA_DATA_DIR=$src LONUA_MEDIA_DIR=$run/media "$bin" seed >"$scratch/seed.log" 2>&1
ok $? "the current lonua seed fills it ($((SECONDS - t0)) s for migrate and seed)"
wait "$build"
read -r rc took <"$scratch/build.rc"
ok "$rc" "the previous release $short builds (git archive, out of tree) in $took s"
[ -x "$old/build/lonua" ] || { tail -20 "$scratch"/*.log | sed 's/^/# /'; echo "1..$n"; exit 1; }

# The old colour: its own binary, data (templates, locales), dist and nginx configuration, started
# by its own ci/lib.sh.
port=$(free_port)
secret_file "$scratch/secret-key"
(
	# shellcheck source=/dev/null
	. "$old/src/ci/lib.sh"
	export LONUA_WORKERS=2 LONUA_SECRET_KEY_FILE=$scratch/secret-key LONUA_PUBLIC_URL=http://127.0.0.1:$port
	unset LONUA_TEST_ROUTES LONUA_STRICT LONUA_PORTONE_IMP_KEY LONUA_PORTONE_IMP_SECRET LONUA_PORTONE_API_URL
	start_lonua "$old/build" "$run" && start_nginx "$run" "$port" "$old/build"
) >"$scratch/start.log" 2>&1
ok $? "the previous release's lonua serve starts behind its nginx on port $port"
[ -s "$scratch/start.log" ] && diag "$(tail -5 "$scratch/start.log")"
"$old/build/lonua" version 2>/dev/null | sed 's/^/# old binary: /'

t2=$SECONDS
smoke=("$src/ci/smoke" "http://127.0.0.1:$port")
"${smoke[@]}" >"$scratch/smoke.out" 2>&1
rc=$?
while IFS= read -r line; do
	case $line in
	"ok "*) ok 0 "previous release: ${line#ok [0-9]* - }" ;;
	"not ok "*) ok 1 "previous release: ${line#not ok [0-9]* - }" ;;
	"#"*) echo "$line" ;;
	esac
done <"$scratch/smoke.out"
ok $rc "the smoke test (${smoke[*]##*/}) passes against the previous release on the new schema ($((SECONDS - t2)) s)"
[ $rc = 0 ] || tail -5 "$run/lonua.log" | sed "s/^/# log: /"
! grep -E ' (error|fatal) ' "$run/lonua.log" | grep -v 'log-level' >"$scratch/errors"
ok $? "the previous release logged no error"
[ -s "$scratch/errors" ] && diag "$(head -5 "$scratch/errors")"
diag "schema-compat took $SECONDS s"
echo "1..$n"
exit $failed
