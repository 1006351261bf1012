#!/usr/bin/env bash
# Backup and restore round trip (ci/backup/lonua-{db,media}-{backup,restore}) on the running local
# stack (nginx → lonua → MariaDB, seeded): a demo shopper places a bank-transfer order through the
# API; the products (names, prices, sizes, stock, pictures and their bytes) and the shopper's orders
# are noted through nginx; the backup scripts run as the contract's least-privileged
# lonua_backup user; the database is dropped and made again empty and the media folder emptied (the
# shop visibly breaks); both are restored (the database as lonua_migrate); then the shop serves
# the same products with the same pictures and the same orders to the same shopper signing in
# afresh, and the tables hold the same rows. Also: retention keeps the newest N, a dump that fails
# (wrong password) leaves no file, and the restores refuse truncated, unfinished and unsafe files.
# Usage: backup.sh MARIADB_DIR MEDIA_DIR, with LONUA_BASE_URL (nginx) set; root reaches MariaDB
# over MARIADB_DIR/mysql.sock; the shop's database is lonua. Prints TAP.
set -uo pipefail
dbdir=${1:?usage: backup.sh MARIADB_DIR MEDIA_DIR} media=${2:?usage: backup.sh MARIADB_DIR MEDIA_DIR}
base=${LONUA_BASE_URL:?LONUA_BASE_URL is not set (nginx in front of lonua)}
src=$(cd "$(dirname "$0")/../.." && pwd)
bin=$src/ci/backup
sock=$dbdir/mysql.sock
scratch=$(mktemp -d "${TMPDIR:-/tmp}/lonua-deploy-backup.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
shopper=shopper7@example.com pass=demo-Shopper-1234

n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
root() { mariadb --no-defaults --default-character-set=utf8mb4 --socket="$sock" -uroot -N -B "$@"; }
sql() { root lonua -e "$1"; }
status() { curl -s -o /dev/null -w '%{http_code}' "$base$1"; }
# The rows a restore must bring back: every table but those that change by themselves while the
# shop runs (sessions, throttles, the outbox `lonua jobs` works through, carts, users' last login).
volatile="'sessions','login_throttles','outbox','carts','cart_lines','users','oauth_states','password_reset_tokens','email_verification_tokens'"
# CHECKSUM TABLE is no use here: MariaDB 10.11 gives the same rows loaded twice different sums (refunds,
# with its stored generated column), so each table's rows are hashed as text, sorted.
checksums() {
	local t
	sql "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'lonua'"
	for t in $(sql "SELECT table_name FROM information_schema.tables WHERE table_schema = 'lonua'
		AND table_name NOT IN ($volatile) ORDER BY table_name"); do
		echo "$t $(sql "SELECT COUNT(*) FROM \`$t\`") $(sql "SELECT * FROM \`$t\`" | LC_ALL=C sort | sha256sum | cut -c1-16)"
	done
	# The product cards' routines and triggers (schema/015), which keep derived rows exact.
	sql "SELECT CONCAT('routine ', routine_name) FROM information_schema.routines WHERE routine_schema = 'lonua'
		UNION ALL SELECT CONCAT('trigger ', trigger_name) FROM information_schema.triggers
		WHERE trigger_schema = 'lonua' ORDER BY 1"
}

# ---- the users of the contract (ci/../db image entrypoint makes them in production) -------------
# Passwords with the characters an option file treats specially (quotes, backslash, #, ;, =,
# spaces), as a Secret may hold; the server gets them by their hash, so no SQL quoting is involved.
for who in backup migrate; do
	printf '%s' " p\"q\\r #s't\$u;v=w $(head -c 12 /dev/urandom | base64 | tr -d '/+=') " >"$scratch/$who-password"
	chmod 600 "$scratch/$who-password"
done
hash() { root -e "SELECT PASSWORD(X'$(od -An -tx1 "$1" | tr -d ' \n')')"; }
root <<-SQL
	DROP USER IF EXISTS 'lonua_backup'@'localhost';
	DROP USER IF EXISTS 'lonua_migrate'@'localhost';
	CREATE USER 'lonua_backup'@'localhost' IDENTIFIED BY PASSWORD '$(hash "$scratch/backup-password")';
	GRANT SELECT, SHOW VIEW, TRIGGER, LOCK TABLES, EVENT ON lonua.* TO 'lonua_backup'@'localhost';
	GRANT SELECT ON mysql.proc TO 'lonua_backup'@'localhost';
	CREATE USER 'lonua_migrate'@'localhost' IDENTIFIED BY PASSWORD '$(hash "$scratch/migrate-password")';
	GRANT ALL ON lonua.* TO 'lonua_migrate'@'localhost';
SQL
ok $? "the lonua_backup (SELECT, SHOW VIEW, TRIGGER, LOCK TABLES, EVENT; SELECT on mysql.proc for the routines) and lonua_migrate users exist, with passwords full of quotes, backslashes and #"

export LONUA_DB_SOCKET=$sock LONUA_DB_NAME=lonua LONUA_MEDIA_DIR=$media
export LONUA_BACKUP_DIR=$scratch/backups LONUA_BACKUP_USER=lonua_backup
export LONUA_BACKUP_PASSWORD_FILE=$scratch/backup-password
export LONUA_RESTORE_USER=lonua_migrate LONUA_RESTORE_PASSWORD_FILE=$scratch/migrate-password
mkdir -p "$scratch/tmp"
export TMPDIR=$scratch/tmp

# ---- the shop before ------------------------------------------------------------------------------
variant=$(sql "SELECT v.id FROM product_variants v JOIN products p ON p.id = v.product_id JOIN brands b ON b.id = p.brand_id
	WHERE v.stock > 1 AND p.status = 'active' AND b.status = 'active' ORDER BY v.id LIMIT 1")
node "$src/tests/deploy/shop-snapshot.mjs" "$base" "$shopper" "$pass" --order "${variant:-0}" >"$scratch/before.json" 2>"$scratch/before.err"
ok $? "a demo shopper places a bank-transfer order through the API; products, pictures and orders noted"
[ -s "$scratch/before.err" ] && diag "$(cat "$scratch/before.err")"
# shellcheck disable=SC2016 # JavaScript template strings, not shell
summary() { node -e 'const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
	const o = s.orders.find((x) => x.id === s.placed) || s.orders[0] || {};
	const pics = s.products.flatMap((p) => p.pictures);
	console.log(`${s.products.length} products, ${pics.filter((p) => p.status === 200).length} of ${pics.length} pictures served, ${s.orders.length} orders; order ${o.id}: ${o.amounts && o.amounts.total} won, ${(o.lines || []).length} lines`)' "$1" 2>/dev/null; }
placed=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).placed)' "$scratch/before.json" 2>/dev/null)
diag "before: $(summary "$scratch/before.json")"
[ -n "$placed" ] && [ "$placed" != null ] && [ "$(sql "SELECT payment_method, payment_state FROM orders WHERE id = $placed" | tr '\t' ' ')" = "bank_transfer awaiting_payment" ]
ok $? "the new order $placed waits for its bank transfer"
files_before=$(cd "$media" && find . -type f ! -name '.upload-*' | sort | xargs -d '\n' sha256sum | sha256sum)
nfiles=$(find "$media" -type f | wc -l)

# ---- backups ----------------------------------------------------------------------------------
# The rows are noted before and after the dump: `lonua jobs` may change a table meanwhile (a refund
# retried), and then the dump is made again, so the rows noted are the dump's.
for attempt in 1 2 3; do
	checksums >"$scratch/sums-before"
	"$bin/lonua-db-backup" >"$scratch/db-backup.out" 2>&1
	rc=$?
	checksums >"$scratch/sums-check"
	cmp -s "$scratch/sums-before" "$scratch/sums-check" && break
	diag "the shop changed during dump $attempt: dumping again"
	rm -f "$LONUA_BACKUP_DIR"/db/lonua-db-*
	sleep 1
done
[ "$rc" = 0 ]; ok $? "lonua-db-backup succeeds as lonua_backup: $(tail -1 "$scratch/db-backup.out")"
dump=$(find "$LONUA_BACKUP_DIR/db" -name 'lonua-db-*.sql.gz' | head -1)
[[ "${dump##*/}" =~ ^lonua-db-[0-9]{8}T[0-9]{6}Z\.sql\.gz$ ]] && [ "$(stat -c %a "$dump")" = 600 ] &&
	[ "$(find "$LONUA_BACKUP_DIR/db" -type f | wc -l)" = 1 ] && [ "$(gzip -dc "$dump" | tail -n 1 | cut -c1-17)" = "-- Dump completed" ]
ok $? "one whole dump, named by its UTC time, readable by its owner only (${dump##*/})"
[ -z "$(ls -A "$TMPDIR")" ] && ! grep -rqF "$(cat "$LONUA_BACKUP_PASSWORD_FILE")" "$scratch/db-backup.out"
ok $? "its option file with the password is gone from TMPDIR, and no output shows the password"
"$bin/lonua-media-backup" >"$scratch/media-backup.out" 2>&1
ok $? "lonua-media-backup succeeds: $(tail -1 "$scratch/media-backup.out")"
archive=$(find "$LONUA_BACKUP_DIR/media" -name 'lonua-media-*.tar.gz' | head -1)
[ "$(tar -tzf "$archive" | grep -cv '/$')" = "$nfiles" ]
ok $? "the media archive holds all $nfiles files of the media folder"

# ---- disaster: an empty database and an empty media folder --------------------------------------
# Only with both backups whole: a failing backup must not take the stack (and the suites after
# this one) down with it.
if [ "$failed" != 0 ] || [ ! -s "${dump:-/nonexistent}" ] || [ ! -s "${archive:-/nonexistent}" ]; then
	echo "Bail out! the backups failed: the database and the media folder are left as they are"
	echo "1..$n"
	exit 1
fi
root -e "DROP DATABASE lonua; CREATE DATABASE lonua CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
find "$media" -mindepth 1 -delete
p1=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).products[0].pictures[0].url)' "$scratch/before.json")
[ "$(sql "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'lonua'")" = 0 ] && [ -z "$(ls -A "$media")" ] &&
	[ "$(status /api/v1/products)" -ge 500 ] && [ "$(status "$p1")" = 404 ]
ok $? "the database is dropped and made again empty, the media folder emptied: the API fails, pictures are 404"

# ---- restore ------------------------------------------------------------------------------------
"$bin/lonua-db-restore" "$dump" >"$scratch/db-restore.out" 2>&1
ok $? "lonua-db-restore brings the database back as lonua_migrate: $(tail -1 "$scratch/db-restore.out")"
"$bin/lonua-media-restore" "$archive" >"$scratch/media-restore.out" 2>&1
ok $? "lonua-media-restore brings the pictures back: $(tail -1 "$scratch/media-restore.out")"
checksums >"$scratch/sums-after"
diff "$scratch/sums-before" "$scratch/sums-after" >"$scratch/sums.diff"
ok $? "every table has the same rows (row count and hash of $(($(wc -l <"$scratch/sums-after") - 1)) tables, the volatile ones left out)"
[ -s "$scratch/sums.diff" ] && diag "$(head -20 "$scratch/sums.diff")"
files_after=$(cd "$media" && find . -type f ! -name '.upload-*' | sort | xargs -d '\n' sha256sum | sha256sum)
[ "$files_before" = "$files_after" ]
ok $? "the media folder has the same files with the same bytes"
for _ in $(seq 1 50); do [ "$(status /readyz)" = 200 ] && break; sleep 0.2; done
[ "$(status /readyz)" = 200 ]; ok $? "/readyz answers 200 again"
node "$src/tests/deploy/shop-snapshot.mjs" "$base" "$shopper" "$pass" >"$scratch/after.json" 2>"$scratch/after.err"
ok $? "the same shopper signs in afresh and sees the shop through nginx"
[ -s "$scratch/after.err" ] && diag "$(cat "$scratch/after.err")"
diag "after:  $(summary "$scratch/after.json")"
# shellcheck disable=SC2016 # JavaScript template strings, not shell
node -e 'const fs = require("fs"), a = JSON.parse(fs.readFileSync(process.argv[1])), b = JSON.parse(fs.readFileSync(process.argv[2]));
	const served = a.products.flatMap((p) => p.pictures).filter((p) => p.status === 200).length;
	const ok = JSON.stringify(a.products) === JSON.stringify(b.products) && a.total_products === b.total_products && served > 100;
	if (!ok) for (const p of a.products) { const q = b.products.find((x) => x.id === p.id);
		if (JSON.stringify(p) !== JSON.stringify(q)) { console.log(`# product ${p.id} before: ${JSON.stringify(p).slice(0, 400)}`);
			console.log(`# product ${p.id} after:  ${JSON.stringify(q).slice(0, 400)}`); break; } }
	process.exit(ok ? 0 : 1)' "$scratch/before.json" "$scratch/after.json"
ok $? "the same products: names, prices, sizes, stock, picture URLs, and the pictures' bytes as nginx serves them"
node -e 'const fs = require("fs"), a = JSON.parse(fs.readFileSync(process.argv[1])), b = JSON.parse(fs.readFileSync(process.argv[2]));
	const ok = JSON.stringify(a.orders) === JSON.stringify(b.orders) && b.orders.some((o) => o.id === a.placed);
	process.exit(ok ? 0 : 1)' "$scratch/before.json" "$scratch/after.json"
ok $? "the same orders with the same totals and lines, the new bank-transfer order among them"

# ---- refusals -----------------------------------------------------------------------------------
sums=$(checksums)
gzip -dc "$dump" | head -c $(($(gzip -dc "$dump" | wc -c) / 2)) | gzip >"$scratch/half.sql.gz"
head -c $(($(wc -c <"$dump") / 2)) "$dump" >"$scratch/truncated.sql.gz"
gzip -dc "$dump" | sed '$d' | gzip >"$scratch/unfinished.sql.gz"
for f in truncated half unfinished; do
	LONUA_RESTORE_REPLACE=1 "$bin/lonua-db-restore" "$scratch/$f.sql.gz" >"$scratch/refused.out" 2>&1
	rc=$?
	[ "$rc" != 0 ] && grep -q 'nothing restored' "$scratch/refused.out" && [ "$(checksums)" = "$sums" ]
	ok $? "lonua-db-restore refuses a $f dump and changes nothing: $(tail -1 "$scratch/refused.out")"
done
! "$bin/lonua-db-restore" "$dump" >"$scratch/refused.out" 2>&1 && grep -q 'LONUA_RESTORE_REPLACE=1' "$scratch/refused.out" && [ "$(checksums)" = "$sums" ]
ok $? "lonua-db-restore refuses a database that has tables unless LONUA_RESTORE_REPLACE=1"
LONUA_RESTORE_REPLACE=1 "$bin/lonua-db-restore" "$dump" >"$scratch/replace.out" 2>&1 && [ "$(checksums)" = "$sums" ]
ok $? "with LONUA_RESTORE_REPLACE=1 it replaces the tables with the dump's"
as_backup() { MYSQL_PWD=$(cat "$LONUA_BACKUP_PASSWORD_FILE") mariadb --no-defaults --socket="$sock" -ulonua_backup lonua -e "$1"; }
! as_backup "CREATE TABLE backup_probe (id INT PRIMARY KEY)" >/dev/null 2>&1 && as_backup "SELECT 1 FROM products LIMIT 1" >/dev/null
ok $? "the backup user may read the tables but not create one (least privilege)"

head -c $(($(wc -c <"$archive") / 2)) "$archive" >"$scratch/truncated.tar.gz"
mkdir -p "$scratch/evil/inner" && echo x >"$scratch/evil/outside.txt"
tar -C "$scratch/evil/inner" -czf "$scratch/dotdot.tar.gz" --absolute-names ../outside.txt
ln -s /etc "$scratch/evil/inner/link"
tar -C "$scratch/evil/inner" -czf "$scratch/symlink.tar.gz" link
for f in truncated dotdot symlink; do
	before=$(find "$media" | wc -l)
	"$bin/lonua-media-restore" "$scratch/$f.tar.gz" >"$scratch/refused.out" 2>&1
	rc=$?
	[ "$rc" != 0 ] && grep -q 'nothing restored' "$scratch/refused.out" && [ "$(find "$media" | wc -l)" = "$before" ] &&
		[ ! -e "$media/../outside.txt" ] && [ ! -e "$media/link" ]
	ok $? "lonua-media-restore refuses a $f archive and changes nothing: $(tail -1 "$scratch/refused.out")"
done

# ---- a failed dump leaves no file; retention keeps the newest N -----------------------------------
count() { find "$LONUA_BACKUP_DIR/$1" -type f | wc -l; }
echo wrong-password >"$scratch/wrong-password"
LONUA_BACKUP_PASSWORD_FILE=$scratch/wrong-password "$bin/lonua-db-backup" >"$scratch/failed.out" 2>&1
rc=$?
[ "$rc" != 0 ] && [ "$(count db)" = 1 ] && [ -z "$(ls -A "$TMPDIR")" ]
ok $? "a dump that fails (a wrong password) exits $rc and leaves no file, whole or partial: $(tail -1 "$scratch/failed.out")"
! LONUA_MEDIA_DIR=$scratch/no-such-folder "$bin/lonua-media-backup" >"$scratch/failed.out" 2>&1 && [ "$(count media)" = 1 ]
ok $? "a media backup that fails (no media folder) leaves no file: $(tail -1 "$scratch/failed.out")"
for day in 01 02 03 04 05; do
	cp "$dump" "$LONUA_BACKUP_DIR/db/lonua-db-202001${day}T030000Z.sql.gz"
	cp "$archive" "$LONUA_BACKUP_DIR/media/lonua-media-202001${day}T030000Z.tar.gz"
done
touch -d '2 days ago' "$LONUA_BACKUP_DIR/db/.lonua-db-20200101T030000Z.sql.gz.partial" \
	"$LONUA_BACKUP_DIR/media/.lonua-media-20200101T030000Z.tar.gz.partial"
sleep 1 # a new second: a new name
LONUA_BACKUP_KEEP=3 "$bin/lonua-db-backup" >"$scratch/keep.out" 2>&1 &&
	LONUA_BACKUP_KEEP=3 "$bin/lonua-media-backup" >>"$scratch/keep.out" 2>&1
ok $? "with LONUA_BACKUP_KEEP=3 both backups succeed"
keep() { find "$LONUA_BACKUP_DIR/$1" -type f -printf '%f ' | tr ' ' '\n' | sort | tr '\n' ' '; }
newest=$(find "$LONUA_BACKUP_DIR/db" -newer "$dump" -name 'lonua-db-*' | head -1)
[ "$(count db)" = 3 ] && [ -n "$newest" ] && [ -e "$dump" ] && [ -e "$LONUA_BACKUP_DIR/db/lonua-db-20200105T030000Z.sql.gz" ]
ok $? "retention keeps the 3 newest dumps: $(keep db)"
[ "$(count media)" = 3 ] && [ -e "$archive" ] && [ -e "$LONUA_BACKUP_DIR/media/lonua-media-20200105T030000Z.tar.gz" ]
ok $? "retention keeps the 3 newest media archives: $(keep media)"
[ -z "$(find "$LONUA_BACKUP_DIR" -name '*.partial')" ]
ok $? "a partial file left by a run killed two days ago is removed"
! LONUA_BACKUP_KEEP=0 "$bin/lonua-db-backup" >/dev/null 2>&1 && [ "$(count db)" = 3 ]; ok $? "LONUA_BACKUP_KEEP=0 is refused (it would delete every backup)"

for f in "$bin"/lonua-*; do
	if [ ! -x "$f" ] || [ "$(head -1 "$f")" != '#!/bin/sh' ]; then ok 1 "${f##*/} is an executable POSIX sh script"; continue; fi
	if command -v shellcheck >/dev/null; then shellcheck -s sh "$f"; else sh -n "$f"; fi
	ok $? "${f##*/} is an executable POSIX sh script, shellcheck-clean"
done

echo "1..$n"
exit $failed
