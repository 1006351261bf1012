#!/usr/bin/env bash
# The read replica (LONUA_DB_REPLICA_SOCKET / _HOST): a primary MariaDB with a binary log and a
# replica fed by real replication, `lonua serve` and nginx in front. With the replica's SQL
# thread stopped and a product renamed on the primary, the catalogue (product page, its API, the
# listing) still shows the replica's name while the shopper's cart, read from the primary, shows
# the new one; once replication runs again the catalogue catches up; with the replica down the
# catalogue is served from the primary, without an error.
#
#   tests/integration/replica.sh BUILD_DIR       (prints TAP)
set -uo pipefail
# shellcheck source=ci/lib.sh
. "$(dirname "$0")/../../ci/lib.sh"
BUILD=$(cd "${1:?usage: replica.sh BUILD_DIR}" && pwd)

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; [ $# -gt 1 ] && printf '%s\n' "$2" | tail -20 | sed 's/^/# /'; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
finish() { echo "1..$n"; exit $((failed > 0)); }
# shellcheck disable=SC2317 # called through check
lacks() { ! grep -qE "$1" <<<"$2"; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lonua-replica.XXXXXX")
chmod 755 "$WORK"
P=$WORK/primary
R=$WORK/replica
RUN=$WORK/run
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	stop_nginx "$RUN"
	stop_pidfile "$RUN/lonua.pid"
	stop_mariadb "$R"
	stop_mariadb "$P"
	[ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT

# ---- a primary with a binary log (and TCP for the replica), then the replica -----------------
PPORT=$(free_port)
LONUA_MARIADB_ARGS="--skip-networking=0 --bind-address=127.0.0.1 --port=$PPORT --log-bin=$P/binlog --server-id=1 --log-bin-trust-function-creators=1" \
	start_mariadb "$P" >/dev/null
REPL_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
mariadb_root "$P" -e "CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY '$REPL_PASSWORD';
	GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';"
# The replica's own start creates the same database and user (with the primary's password, so
# that one LONUA_DB_PASSWORD serves both); the primary's copies of those statements change nothing.
mkdir -p "$R"
cp "$P/db-password" "$R/db-password"
LONUA_MARIADB_ARGS="--server-id=2 --read-only=1" start_mariadb "$R" >/dev/null
mariadb_root "$R" -e "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$PPORT, MASTER_USER='repl',
	MASTER_PASSWORD='$REPL_PASSWORD', MASTER_LOG_FILE='binlog.000001', MASTER_LOG_POS=4; START SLAVE;"

# The schema and the demo shop, written to the primary only.
export LONUA_DB_SOCKET="$P/mysql.sock" LONUA_DB_PASSWORD_FILE="$P/db-password" LONUA_DATA_DIR="$LONUA_SRC"
export LONUA_MEDIA_DIR="$RUN/media"
mkdir -p "$RUN/media"
"$BUILD/lonua" migrate >"$WORK/migrate.log" 2>&1 || { not_ok "lonua migrate on the primary" "$(cat "$WORK/migrate.log")"; finish; }
"$BUILD/lonua" seed >"$WORK/seed.log" 2>&1 || { not_ok "lonua seed on the primary" "$(cat "$WORK/seed.log")"; finish; }

# caught_up: the replica has applied everything the primary has logged so far.
caught_up() {
	local file pos
	read -r file pos < <(mariadb_root "$P" -N -e "SHOW MASTER STATUS" | awk '{print $1, $2}')
	[ "$(mariadb_root "$R" -N -e "SELECT MASTER_POS_WAIT('$file', $pos, 30)")" -ge 0 ] 2>/dev/null
}
if caught_up; then ok "the replica follows the primary (the schema and the demo shop replicated)"; else
	not_ok "the replica follows the primary" "$(mariadb_root "$R" -e 'SHOW SLAVE STATUS\G')"
	finish
fi

export LONUA_DB_REPLICA_SOCKET="$R/mysql.sock" LONUA_STRICT=1
# The same catalogue URL is read before and after each change: no micro-cache in between.
export LONUA_PAGE_CACHE_SECONDS=0
PORT=$(free_port)
start_lonua "$BUILD" "$RUN"
start_nginx "$RUN" "$PORT" "$BUILD"
BASE="http://127.0.0.1:$PORT"

ID=$(mariadb_root "$P" -N lonua -e "SELECT p.id FROM products p JOIN product_variants v ON v.product_id = p.id
	WHERE p.status = 'active' AND v.stock > 0 ORDER BY p.id LIMIT 1")
VARIANT=$(mariadb_root "$P" -N lonua -e "SELECT id FROM product_variants WHERE product_id = $ID AND stock > 0 ORDER BY id LIMIT 1")
OLD=$(mariadb_root "$P" -N lonua -e "SELECT name FROM products WHERE id = $ID")
NEW="복제 시험 $RANDOM"

# ---- replication stopped: the catalogue reads the replica, the cart the primary --------------
mariadb_root "$R" -e "STOP SLAVE SQL_THREAD"
mariadb_root "$P" lonua -e "UPDATE products SET name = '$NEW' WHERE id = $ID"

api_name=$(curl -s "$BASE/api/v1/products/$ID" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).name))')
check "GET /api/v1/products/$ID reads the replica: the name before the change ('$api_name')" [ "$api_name" = "$OLD" ]
page=$(curl -s "$BASE/products/$ID")
check "the product page reads the replica too" grep -qF "$OLD" <<<"$page"
check "… and not the primary's new name" lacks "$NEW" "$page"

token=$(curl -s "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
	-d '{"email": "shopper1@example.com", "password": "demo-Shopper-1234"}' \
	| node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token||""))')
if [ -n "$token" ]; then ok "a shopper signs in (sessions live on the primary)"; else not_ok "a shopper signs in"; fi
code=$(curl -s -o "$WORK/add.json" -w '%{http_code}' "$BASE/api/v1/cart/items" -H "Authorization: Bearer $token" \
	-H 'Content-Type: application/json' -d "{\"variant_id\": $VARIANT, \"quantity\": 1}")
check "the shopper adds the product to the cart ($code)" [ "${code:0:1}" = 2 ]
cart=$(curl -s "$BASE/api/v1/cart" -H "Authorization: Bearer $token")
check "the cart reads the primary: the new name" grep -qF "$NEW" <<<"$cart"

# ---- replication again: the catalogue catches up ------------------------------------------------
mariadb_root "$R" -e "START SLAVE SQL_THREAD"
caught_up
api_name=$(curl -s "$BASE/api/v1/products/$ID" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).name))')
check "with replication running again the catalogue shows the new name" [ "$api_name" = "$NEW" ]

# ---- the replica down: the primary serves the catalogue ---------------------------------------
stop_mariadb "$R"
mariadb_root "$P" lonua -e "UPDATE products SET name = '$NEW 2' WHERE id = $ID"
codes=""
for path in "/api/v1/products/$ID" "/products/$ID" "/products" "/"; do
	codes+=" $(curl -s -o /dev/null -w '%{http_code}' "$BASE$path")"
done
check "with the replica down every catalogue page answers 200 (got$codes)" [ "$codes" = " 200 200 200 200" ]
api_name=$(curl -s "$BASE/api/v1/products/$ID" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).name))')
check "… read from the primary ('$api_name')" [ "$api_name" = "$NEW 2" ]
check "the log says the replica was lost or unreachable" grep -qE 'read replica (lost|unreachable)' "$RUN/lonua.log"
check "no worker crashed" lacks "killed by signal|exited with status|Sanitizer" "$(cat "$RUN/lonua.log")"

finish
