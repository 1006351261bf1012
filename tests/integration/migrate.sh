#!/usr/bin/env bash
# lonua migrate applies schema/ once; running it again changes nothing. Also checks the route
# table printer. Usage: migrate.sh LONUA_BINARY MARIADB_DIR. Prints TAP.
set -u
bin=$1 dbdir=$2 n=0 failed=0
src=$(cd "$(dirname "$0")/../.." && pwd)
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }
sql() { mariadb --no-defaults --socket="$dbdir/mysql.sock" -uroot -N -B lonua -e "$1"; }
files=$(find "$src/schema" -maxdepth 1 -name '[0-9][0-9][0-9]_*.sql' | wc -l)

out=$(LONUA_DATA_DIR=$src "$bin" migrate 2>&1); rc=$?
ok $rc "first migrate succeeds"
# shellcheck disable=SC2001 # prefixes every line
echo "$out" | sed 's/^/# /'
[ "$(echo "$out" | grep -c '^applied ')" = "$files" ]; ok $? "first migrate applies all $files files"
[ "$(sql 'SELECT COUNT(*) FROM schema_migrations')" = "$files" ]; ok $? "each migration is recorded once"
before=$(sql 'CHECKSUM TABLE categories, styles' | awk '{print $2}' | tr '\n' ' ')

out=$(LONUA_DATA_DIR=$src "$bin" migrate 2>&1); rc=$?
ok $rc "second migrate succeeds"
[ "$out" = "nothing to apply" ]; ok $? "second migrate applies nothing (said: $out)"
[ "$(sql 'SELECT COUNT(*) FROM schema_migrations')" = "$files" ]; ok $? "no migration recorded twice"
after=$(sql 'CHECKSUM TABLE categories, styles' | awk '{print $2}' | tr '\n' ' ')
[ "$before" = "$after" ]; ok $? "reference data unchanged by the second run"
[ "$(sql 'SELECT COUNT(*) FROM categories')" = 10 ]; ok $? "ten categories loaded"
[ "$(sql 'SELECT COUNT(*) FROM styles')" = 9 ]; ok $? "nine styles loaded"
[ "$(sql "SELECT name_en FROM categories WHERE name_ko = '스포츠/용품'")" = Sports ]; ok $? "Korean names stored as utf8mb4"

! LONUA_DB_SOCKET=/nonexistent/socket LONUA_DATA_DIR=$src "$bin" migrate >/dev/null 2>&1; ok $? "migrate fails with a non-zero status when the database is unreachable"

routes=$(LONUA_TEST_ROUTES=0 "$bin" routes --json)
echo "$routes" | node -e 'const r=JSON.parse(require("fs").readFileSync(0));process.exit(r.some(x=>x.method==="GET"&&x.path==="/api/v1/categories"&&x.role==="guest")?0:1)'
ok $? "routes --json lists GET /api/v1/categories for guests"
! grep -q '/api/v1/test/' <<<"$routes"; ok $? "test-only routes are absent without LONUA_TEST_ROUTES"
LONUA_TEST_ROUTES=1 "$bin" routes --json | grep -q '"/api/v1/test/echo/{id}"'; ok $? "test-only routes listed with LONUA_TEST_ROUTES=1"
echo "1..$n"
exit $failed
