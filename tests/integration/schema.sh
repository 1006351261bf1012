#!/usr/bin/env bash
# The schema after `lonua migrate` (docs/schema.md): engines and character sets, keys, the indexes
# behind foreign keys, unique keys and CHECK constraints that refuse bad rows, foreign keys that
# refuse deletes, the grade seed, and the Korean bigram search index.
# Usage: schema.sh MARIADB_DIR (root over MARIADB_DIR/mysql.sock, database lonua). Prints TAP.
#
# Every write runs inside a transaction on top of a fixture (a shopper, a brand with a seller, a
# product with a size, a cart, a coupon, an order with one line, a question) and is rolled back,
# so the database is left as it was. The one exception is product_search (Mroonga is not
# transactional): its test rows use ids no product can have and are deleted at exit.
set -u
dbdir=${1:?usage: schema.sh MARIADB_DIR}
n=0
failed=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
# The session settings of the application (src/db/db.c), so CHECKs and strictness are the same.
SESSION="SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,ONLY_FULL_GROUP_BY';"
sql() { mariadb --no-defaults --socket="$dbdir/mysql.sock" -uroot -N -B lonua -e "$SESSION $1" 2>&1; }

if ! sql 'SELECT 1' >/dev/null; then
	echo "not ok 1 - connect to the database over $dbdir/mysql.sock"
	echo "1..1"
	exit 1
fi

# Values unique to this run, so the fixture never collides with rows already in the database.
S="$$$RANDOM"
digits=$(( (RANDOM * 32768 + RANDOM) % 90000000 + 10000000 ))
PHONE1="010$digits" PHONE2="011$digits" PHONE3="016$digits"
SEARCH_ID1=18446744073709551001 SEARCH_ID2=18446744073709551002 SEARCH_ID3=18446744073709551003
# shellcheck disable=SC2317 # run by the trap
cleanup() { sql "DELETE FROM product_search WHERE product_id IN ($SEARCH_ID1, $SEARCH_ID2, $SEARCH_ID3)" >/dev/null; }
trap cleanup EXIT

FIXTURE="
INSERT INTO users (email, password_hash, name, phone, status, upper_body_type, lower_body_type)
	VALUES ('schema-$S-a@example.invalid', 'x', 'Tester A', '$PHONE1', 'active', 2, 2);
SET @u1 = LAST_INSERT_ID();
INSERT INTO users (email, password_hash, name, phone, status)
	VALUES ('schema-$S-b@example.invalid', 'x', 'Tester B', '$PHONE2', 'active');
SET @u2 = LAST_INSERT_ID();
INSERT INTO brands (name, key_hash, business_address, phone, business_registration_number, bank_name,
	bank_account_number, bank_account_holder, shipping_fee, free_shipping_threshold, return_address,
	return_shipping_cost, return_courier)
	VALUES ('Schema Brand $S', UNHEX(SHA2('key-$S', 256)), '서울 중구 1', '0212345678', '1234567890', '국민은행',
	'123-456-789', '스키마', 3000, 50000, '서울 중구 2', 3000, 'CJ대한통운');
SET @b1 = LAST_INSERT_ID();
INSERT INTO brands (name, key_hash, business_address, phone, business_registration_number, bank_name,
	bank_account_number, bank_account_holder, return_address, return_courier)
	VALUES ('Schema Brand $S two', UNHEX(SHA2('key2-$S', 256)), '부산 1', '0512345678', '2234567890', '신한은행',
	'987-654', '스키마2', '부산 2', '우체국택배');
SET @b2 = LAST_INSERT_ID();
INSERT INTO sellers (brand_id, email, password_hash, name) VALUES (@b1, 'seller-$S@example.invalid', 'x', 'Seller');
SET @s1 = LAST_INSERT_ID();
INSERT INTO products (brand_id, category_id, style_id, name, list_price, sale_price, status)
	VALUES (@b1, 2, 1, '와이드 청바지 $S', 50000, 40000, 'active');
SET @p1 = LAST_INSERT_ID();
INSERT INTO products (brand_id, category_id, style_id, name, list_price, sale_price, status)
	VALUES (@b1, 1, 1, '오버핏 티셔츠 $S', 20000, 20000, 'draft');
SET @p2 = LAST_INSERT_ID();
INSERT INTO product_variants (product_id, brand_id, size_label, sku, stock, waist_mm, total_length_mm)
	VALUES (@p1, @b1, 'M', 'SKU-$S-1', 10, 400, 1020);
SET @v1 = LAST_INSERT_ID();
INSERT INTO product_variants (product_id, brand_id, size_label, sku, stock) VALUES (@p2, @b1, 'L', 'SKU-$S-2', 5);
SET @v2 = LAST_INSERT_ID();
INSERT INTO product_images (product_id, position, image_key) VALUES (@p2, 0, 'img-$S');
INSERT INTO carts (user_id) VALUES (@u1);
SET @c1 = LAST_INSERT_ID();
INSERT INTO coupons (user_id, name, discount_percent, valid_from, valid_until, welcome_kind)
	VALUES (@u1, '회원가입 감사 10%', 10, UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL 60 DAY, 'signup');
SET @cp1 = LAST_INSERT_ID();
INSERT INTO orders (user_id, merchant_uid, idempotency_key, request_hash, payment_method, payment_due_at,
	recipient_name, recipient_phone, postal_code, address, grade_id, grade_discount_percent, mileage_percent,
	items_amount, shipping_amount, total_amount)
	VALUES (@u1, 'M$S', 'idem-$S', UNHEX(SHA2('body', 256)), 'bank_transfer', UTC_TIMESTAMP() + INTERVAL 1 DAY,
	'Tester A', '$PHONE1', '04524', '서울 중구 3', 1, 0, 1, 40000, 3000, 43000);
SET @o1 = LAST_INSERT_ID();
INSERT INTO order_shipping_charges (order_id, brand_id, lines_amount, brand_shipping_fee, free_shipping_threshold, shipping_fee)
	VALUES (@o1, @b1, 40000, 3000, 50000, 3000);
INSERT INTO order_lines (order_id, brand_id, product_id, variant_id, product_name, brand_name, size_label,
	list_price, unit_price, quantity, subtotal, line_total)
	VALUES (@o1, @b1, @p1, @v1, '와이드 청바지', 'Schema Brand', 'M', 50000, 40000, 1, 40000, 40000);
SET @l1 = LAST_INSERT_ID();
INSERT INTO questions (product_id, brand_id, user_id, type, title, body)
	VALUES (@p1, @b1, @u1, 'size', '사이즈 문의', '허리 몇 cm인가요?');
SET @q1 = LAST_INSERT_ID();
"

# tx STATEMENTS: the fixture and STATEMENTS in one transaction that is never committed (the
# client stops at the first error and its connection ends, which rolls back too).
tx() {
	printf '%s\n' "$SESSION" "START TRANSACTION;" "$FIXTURE" "SELECT 'fixture-ok';" "$1" "SELECT 'statements-ok';" "ROLLBACK;" |
		mariadb --no-defaults --socket="$dbdir/mysql.sock" -uroot -N -B lonua 2>&1
}

# refused NAME ERRNO PATTERN STATEMENTS: the fixture loads, every "SELECT 'first-ok'" marker in
# STATEMENTS is reached, and then STATEMENTS fail with MariaDB error ERRNO naming PATTERN (the key
# or constraint that must do the refusing).
refused() {
	local name=$1 errno=$2 pattern=$3 out good=1
	out=$(tx "$4")
	if grep -qx 'fixture-ok' <<<"$out" && grep -q "^ERROR $errno " <<<"$out" && grep -q -- "$pattern" <<<"$out" \
		&& ! grep -qx 'statements-ok' <<<"$out"; then
		good=0
		case $4 in *"'first-ok'"*) grep -qx 'first-ok' <<<"$out" || good=1 ;; esac
	fi
	ok $good "$name"
	[ $good = 0 ] || diag "expected error $errno naming $pattern; got:" "$out"
}

# accepted NAME STATEMENTS [LINE]: the fixture and STATEMENTS all succeed (the control for a
# refusal) and, when LINE is given, STATEMENTS print that line.
accepted() {
	local out good=1
	out=$(tx "$2")
	if grep -qx 'statements-ok' <<<"$out" && ! grep -q '^ERROR' <<<"$out"; then
		good=0
		[ $# -lt 3 ] || grep -qx -- "$3" <<<"$out" || good=1
	fi
	ok $good "$1"
	[ $good = 0 ] || diag "$out"
}

# dup NAME KEY FIRST SECOND: FIRST succeeds, SECOND is refused as a duplicate of KEY.
dup() { refused "$1" 1062 "for key '$2'" "$3; SELECT 'first-ok'; $4;"; }
# check NAME CONSTRAINT STATEMENT: STATEMENT is refused by the CHECK constraint CONSTRAINT.
check() { refused "$1" 4025 "CONSTRAINT \`$2\` failed" "$3;"; }

## Structure

accepted "the fixture itself loads (an order, its line and everything they point to)" "DO 0;"

out=$(sql "SELECT TABLE_NAME, ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'lonua'
	AND TABLE_TYPE = 'BASE TABLE' AND NOT (ENGINE = 'InnoDB' OR (TABLE_NAME = 'product_search' AND ENGINE = 'Mroonga'))")
[ -z "$out" ]; ok $? "every table is InnoDB (product_search: Mroonga)"
[ -z "$out" ] || diag "$out"

tables=$(sql "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'lonua' AND TABLE_TYPE = 'BASE TABLE'")
[ "$tables" -ge 36 ] 2>/dev/null; ok $? "the whole domain is there ($tables tables, at least 36)"

out=$(sql "SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'lonua'
	AND TABLE_TYPE = 'BASE TABLE' AND TABLE_COLLATION <> 'utf8mb4_unicode_ci'")
[ -z "$out" ]; ok $? "every table defaults to utf8mb4_unicode_ci"
[ -z "$out" ] || diag "$out"

out=$(sql "SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME, ' ', CHARACTER_SET_NAME) FROM information_schema.COLUMNS
	WHERE TABLE_SCHEMA = 'lonua' AND CHARACTER_SET_NAME IS NOT NULL AND CHARACTER_SET_NAME <> 'utf8mb4'")
[ -z "$out" ]; ok $? "every text column is utf8mb4"
[ -z "$out" ] || diag "$out"

# InnoDB silently creates an index for a foreign key that has none, named after the constraint:
# only an index declared on purpose (another name) whose first columns are the key's columns counts.
fks=$(sql "SELECT COUNT(DISTINCT TABLE_NAME, CONSTRAINT_NAME) FROM information_schema.KEY_COLUMN_USAGE
	WHERE TABLE_SCHEMA = 'lonua' AND REFERENCED_TABLE_NAME IS NOT NULL")
out=$(sql "SELECT CONCAT(f.TABLE_NAME, ' ', f.CONSTRAINT_NAME, ' (', f.cols, ')')
	FROM (SELECT TABLE_NAME, CONSTRAINT_NAME, GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION) AS cols
		FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = 'lonua' AND REFERENCED_TABLE_NAME IS NOT NULL
		GROUP BY TABLE_NAME, CONSTRAINT_NAME) f
	WHERE NOT EXISTS (SELECT 1 FROM (SELECT TABLE_NAME, INDEX_NAME, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols
		FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'lonua' GROUP BY TABLE_NAME, INDEX_NAME) i
		WHERE i.TABLE_NAME = f.TABLE_NAME AND i.INDEX_NAME <> f.CONSTRAINT_NAME
		AND (i.cols = f.cols OR LEFT(i.cols, LENGTH(f.cols) + 1) = CONCAT(f.cols, ',')))")
[ -z "$out" ] && [ "$fks" -ge 50 ] 2>/dev/null
ok $? "every foreign key ($fks of them) has a declared index starting with its columns"
[ -z "$out" ] || diag "foreign keys without a declared index:" "$out"

# Keys: id BIGINT UNSIGNED AUTO_INCREMENT, except the reference tables of 001 (INT UNSIGNED), the
# 1:1 counter, search and card rows keyed by their product, the one-row catalogue version, the
# brands' card, brand and line versions keyed by their brand, the products' community and product
# versions and kept-line counts keyed by their product, the kept sizes keyed by their order line, and
# the migrations ledger.
out=$(sql "SELECT t.TABLE_NAME FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA = 'lonua' AND t.TABLE_TYPE = 'BASE TABLE'
	AND t.TABLE_NAME NOT IN ('categories', 'styles', 'product_body_type_counts', 'product_search', 'product_cards',
		'catalog_version', 'brand_card_versions', 'product_community_versions',
		'product_versions', 'brand_versions', 'kept_sizes', 'brand_line_versions', 'product_kept_counts',
		'schema_migrations')
	AND NOT EXISTS (SELECT 1 FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = 'lonua' AND c.TABLE_NAME = t.TABLE_NAME
		AND c.COLUMN_NAME = 'id' AND c.COLUMN_KEY = 'PRI' AND c.COLUMN_TYPE = 'bigint(20) unsigned'
		AND c.EXTRA LIKE '%auto_increment%')")
[ -z "$out" ]; ok $? "every table is keyed by id BIGINT UNSIGNED AUTO_INCREMENT"
[ -z "$out" ] || diag "$out"

out=$(sql "SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME, ' ', COLUMN_TYPE) FROM information_schema.COLUMNS
	WHERE TABLE_SCHEMA = 'lonua' AND ((COLUMN_NAME LIKE '%\\_at' AND DATA_TYPE <> 'datetime') OR DATA_TYPE = 'timestamp')")
[ -z "$out" ]; ok $? "every *_at column is a DATETIME (UTC), none a TIMESTAMP or a string"
[ -z "$out" ] || diag "$out"

out=$(sql "SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME, ' ', COLUMN_TYPE) FROM information_schema.COLUMNS
	WHERE TABLE_SCHEMA = 'lonua' AND DATA_TYPE IN ('float', 'double', 'decimal')
	AND NOT (TABLE_NAME IN ('products', 'product_cards', 'product_card_rows') AND COLUMN_NAME = 'rating_avg')")
[ -z "$out" ]; ok $? "no FLOAT, DOUBLE or DECIMAL column (money is whole won)"
[ -z "$out" ] || diag "$out"

money="orders.items_amount orders.coupon_discount_amount orders.grade_discount_amount orders.mileage_used
	orders.shipping_amount orders.total_amount orders.refunded_amount orders.received_amount
	order_lines.unit_price order_lines.subtotal order_lines.coupon_discount order_lines.grade_discount
	order_lines.mileage_share order_lines.line_total order_lines.mileage_earned order_lines.refunded_amount
	order_lines.return_shipping_cost order_shipping_charges.shipping_fee order_shipping_charges.lines_amount
	brands.shipping_fee brands.free_shipping_threshold brands.return_shipping_cost products.list_price
	products.sale_price coupons.discount_amount coupons.min_line_amount mileage_entries.amount
	mileage_entries.balance_after users.mileage_balance refunds.amount grades.min_monthly_spend"
missing=""
for col in $money; do
	t=$(sql "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'lonua'
		AND TABLE_NAME = '${col%.*}' AND COLUMN_NAME = '${col#*.}'")
	[ "$t" = "bigint(20)" ] || missing="$missing $col($t)"
done
[ -z "$missing" ]; ok $? "every money field of SPEC §3/§6 exists as a signed BIGINT of whole won"
[ -z "$missing" ] || diag "not BIGINT:$missing"

percents="grades.discount_percent grades.mileage_percent coupons.discount_percent orders.grade_discount_percent
	orders.mileage_percent products.discount_percent"
missing=""
for col in $percents; do
	t=$(sql "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'lonua'
		AND TABLE_NAME = '${col%.*}' AND COLUMN_NAME = '${col#*.}'")
	[ "$t" = "tinyint(3) unsigned" ] || missing="$missing $col($t)"
done
[ -z "$missing" ]; ok $? "percent fields are TINYINT UNSIGNED"
[ -z "$missing" ] || diag "wrong type:$missing"

## Reference data

out=$(sql "SELECT CONCAT_WS(' ', id, name_ko, name_en, discount_percent, mileage_percent, min_monthly_spend)
	FROM grades ORDER BY id")
expected="1 브론즈 Bronze 0 1 0
2 실버 Silver 1 1 100000
3 골드 Gold 3 2 300000
4 플래티넘 Platinum 5 3 700000"
[ "$out" = "$expected" ]; ok $? "the grade seed has its 4 rows (Bronze 0/1, Silver 1/1, Gold 3/2, Platinum 5/3 %)"
[ "$out" = "$expected" ] || diag "$out"

## Unique keys: the second of two equal rows is refused

dup "users: one account per e-mail, case-insensitively" uq_users_email \
	"DO 0" "INSERT INTO users (email, password_hash, phone) VALUES (UPPER('schema-$S-a@example.invalid'), 'x', '$PHONE3')"
dup "users: one account per phone" uq_users_phone \
	"DO 0" "INSERT INTO users (email, password_hash, phone) VALUES ('schema-$S-c@example.invalid', 'x', '$PHONE1')"
dup "users: one account per Kakao id" uq_users_kakao_id \
	"INSERT INTO users (kakao_id, name) VALUES (9$digits, 'K1')" "INSERT INTO users (kakao_id, name) VALUES (9$digits, 'K2')"
dup "brands: one brand per name" uq_brands_name \
	"DO 0" "INSERT INTO brands (name, key_hash, business_address, phone, business_registration_number, bank_name,
		bank_account_number, bank_account_holder, return_address, return_courier)
		SELECT name, key_hash, business_address, phone, business_registration_number, bank_name, bank_account_number,
		bank_account_holder, return_address, return_courier FROM brands WHERE id = @b1"
dup "sellers: one account per e-mail" uq_sellers_email \
	"DO 0" "INSERT INTO sellers (brand_id, email, password_hash, name) VALUES (@b2, 'seller-$S@example.invalid', 'x', 'S2')"
dup "branches: an address once per brand" uq_branches_brand_address \
	"INSERT INTO branches (brand_id, name, address) VALUES (@b1, '명동점', '서울 중구 명동길 1')" \
	"INSERT INTO branches (brand_id, name, address) VALUES (@b1, '명동2호점', '서울 중구 명동길 1')"
accepted "branches: the same address under another brand is accepted" \
	"INSERT INTO branches (brand_id, name, address) VALUES (@b1, '명동점', '서울 중구 명동길 1');
	INSERT INTO branches (brand_id, name, address) VALUES (@b2, '명동점', '서울 중구 명동길 1');"
dup "product_variants: a SKU once per brand" uq_product_variants_sku \
	"DO 0" "INSERT INTO product_variants (product_id, brand_id, size_label, sku) VALUES (@p1, @b1, 'XL', 'SKU-$S-1')"
dup "product_variants: one row per (product, size, colour)" uq_product_variants_size \
	"DO 0" "INSERT INTO product_variants (product_id, brand_id, size_label) VALUES (@p1, @b1, 'M')"
dup "likes: one like per (shopper, product)" uq_likes_user_product \
	"INSERT INTO likes (user_id, product_id) VALUES (@u1, @p1)" "INSERT INTO likes (user_id, product_id) VALUES (@u1, @p1)"
dup "carts: one cart per shopper" uq_carts_user \
	"DO 0" "INSERT INTO carts (user_id) VALUES (@u1)"
dup "cart_lines: one line per (cart, variant)" uq_cart_lines_cart_variant \
	"INSERT INTO cart_lines (cart_id, variant_id, quantity) VALUES (@c1, @v1, 1)" \
	"INSERT INTO cart_lines (cart_id, variant_id, quantity) VALUES (@c1, @v1, 2)"
dup "coupons: each welcome coupon once per shopper" uq_coupons_welcome \
	"DO 0" "INSERT INTO coupons (user_id, name, discount_percent, valid_from, valid_until, welcome_kind)
		VALUES (@u1, 'again', 10, UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL 1 DAY, 'signup')"
ORDER2="INSERT INTO orders (user_id, merchant_uid, idempotency_key, request_hash, payment_method, payment_due_at,
	recipient_name, recipient_phone, postal_code, address, grade_id, grade_discount_percent, mileage_percent,
	items_amount, total_amount)"
dup "orders: an Idempotency-Key once per buyer" uq_orders_idempotency \
	"DO 0" "$ORDER2 VALUES (@u1, 'M$S-2', 'idem-$S', UNHEX(SHA2('body', 256)), 'card', UTC_TIMESTAMP(),
		'A', '$PHONE1', '04524', 'x', 1, 0, 1, 1000, 1000)"
accepted "orders: the same Idempotency-Key from another buyer is accepted" \
	"$ORDER2 VALUES (@u2, 'M$S-2', 'idem-$S', UNHEX(SHA2('body', 256)), 'card', UTC_TIMESTAMP(),
		'B', '$PHONE2', '04524', 'x', 1, 0, 1, 1000, 1000);"
dup "orders: merchant_uid is unique" uq_orders_merchant_uid \
	"DO 0" "$ORDER2 VALUES (@u2, 'M$S', 'idem-$S-other', UNHEX(SHA2('body', 256)), 'card', UTC_TIMESTAMP(),
		'B', '$PHONE2', '04524', 'x', 1, 0, 1, 1000, 1000)"
dup "reviews: one review per order line" uq_reviews_order_line \
	"INSERT INTO reviews (order_line_id, product_id, user_id, rating, body) VALUES (@l1, @p1, @u1, 5, '좋아요')" \
	"INSERT INTO reviews (order_line_id, product_id, user_id, rating, body) VALUES (@l1, @p1, @u1, 4, '다시')"
dup "answers: one answer per question" uq_answers_question \
	"INSERT INTO answers (question_id, seller_id, body) VALUES (@q1, @s1, '32인치입니다')" \
	"INSERT INTO answers (question_id, seller_id, body) VALUES (@q1, @s1, '다시 답변')"
dup "mileage_entries: mileage earned once per order line" uq_mileage_entries_line_kind \
	"INSERT INTO mileage_entries (user_id, kind, amount, balance_after, order_id, order_line_id) VALUES (@u1, 'earned', 400, 400, @o1, @l1)" \
	"INSERT INTO mileage_entries (user_id, kind, amount, balance_after, order_id, order_line_id) VALUES (@u1, 'earned', 400, 800, @o1, @l1)"
dup "mileage_entries: mileage spent once per order" uq_mileage_entries_order_kind \
	"INSERT INTO mileage_entries (user_id, kind, amount, balance_after, order_id) VALUES (@u1, 'spent', -100, 0, @o1)" \
	"INSERT INTO mileage_entries (user_id, kind, amount, balance_after, order_id) VALUES (@u1, 'spent', -100, 0, @o1)"
dup "stock_movements: stock taken once per order line" uq_stock_movements_line_reason \
	"INSERT INTO stock_movements (variant_id, delta, stock_after, reason, order_line_id) VALUES (@v1, -1, 9, 'order', @l1)" \
	"INSERT INTO stock_movements (variant_id, delta, stock_after, reason, order_line_id) VALUES (@v1, -1, 8, 'order', @l1)"
dup "sessions: a token hash is unique" uq_sessions_token_hash \
	"INSERT INTO sessions (token_hash, kind, user_id, csrf_secret, expires_at) VALUES (UNHEX(SHA2('t-$S', 256)), 'cookie', @u1, UNHEX(SHA2('c', 256)), UTC_TIMESTAMP() + INTERVAL 1 DAY)" \
	"INSERT INTO sessions (token_hash, kind, seller_id, csrf_secret, expires_at) VALUES (UNHEX(SHA2('t-$S', 256)), 'bearer', @s1, UNHEX(SHA2('c', 256)), UTC_TIMESTAMP() + INTERVAL 1 DAY)"

## CHECK constraints

check "product_variants: stock cannot go below zero" chk_product_variants_stock \
	"UPDATE product_variants SET stock = stock - 11 WHERE id = @v1"
accepted "product_variants: taking the last units to exactly zero is accepted" \
	"UPDATE product_variants SET stock = stock - 10 WHERE id = @v1;"
check "products: sale_price cannot exceed list_price" chk_products_sale_price \
	"UPDATE products SET sale_price = 50001 WHERE id = @p1"
check "reviews: rating 6 is refused" chk_reviews_rating \
	"INSERT INTO reviews (order_line_id, product_id, user_id, rating, body) VALUES (@l1, @p1, @u1, 6, 'x')"
check "reviews: rating 0 is refused" chk_reviews_rating \
	"INSERT INTO reviews (order_line_id, product_id, user_id, rating, body) VALUES (@l1, @p1, @u1, 0, 'x')"
check "coupons: a percent and an amount together are refused" chk_coupons_one_discount \
	"INSERT INTO coupons (user_id, name, discount_percent, discount_amount, valid_from, valid_until)
		VALUES (@u1, 'both', 10, 1000, UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL 1 DAY)"
check "coupons: neither a percent nor an amount is refused" chk_coupons_one_discount \
	"INSERT INTO coupons (user_id, name, valid_from, valid_until) VALUES (@u1, 'none', UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL 1 DAY)"
check "coupons: a percent above 100 is refused" chk_coupons_percent \
	"INSERT INTO coupons (user_id, name, discount_percent, valid_from, valid_until)
		VALUES (@u1, 'big', 101, UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL 1 DAY)"
check "cart_lines: quantity 0 is refused" chk_cart_lines_quantity \
	"INSERT INTO cart_lines (cart_id, variant_id, quantity) VALUES (@c1, @v1, 0)"
check "order_lines: quantity 0 is refused" chk_order_lines_quantity \
	"UPDATE order_lines SET quantity = 0, subtotal = 0, line_total = 0 WHERE id = @l1"
check "users: body type 4 is refused" chk_users_body_types \
	"UPDATE users SET upper_body_type = 4 WHERE id = @u1"
refused "users: gender other than M/W is refused" 1265 "column .gender." \
	"UPDATE users SET gender = 'X' WHERE id = @u1;"
check "users: the mileage balance cannot go below zero" chk_users_mileage_balance \
	"UPDATE users SET mileage_balance = mileage_balance - 1 WHERE id = @u1"
check "grades: a discount percent above 100 is refused" chk_grades_discount_percent \
	"UPDATE grades SET discount_percent = 101 WHERE id = 4"
check "orders: total_amount must equal items - discounts - mileage + shipping" chk_orders_total \
	"UPDATE orders SET total_amount = total_amount + 1 WHERE id = @o1"
check "orders: a bank transfer is recorded only for exactly the total" chk_orders_transfer_amount \
	"UPDATE orders SET received_amount = 42999, received_at = UTC_TIMESTAMP(), received_confirmed_by = @u2 WHERE id = @o1"
check "orders: a refund account is all three fields or none" chk_orders_refund_account \
	"UPDATE orders SET refund_bank_name = '국민은행', refund_account_number = '123456-01' WHERE id = @o1"
check "orders: only a bank-transfer order has a refund account" chk_orders_refund_account \
	"UPDATE orders SET payment_method = 'card', refund_bank_name = '국민은행', refund_account_number = '123456-01',
		refund_account_holder = '홍길동' WHERE id = @o1"
accepted "orders: a bank-transfer order keeps the refund account given" \
	"UPDATE orders SET refund_bank_name = '국민은행', refund_account_number = '123456-01', refund_account_holder = '홍길동' WHERE id = @o1;"
check "order_lines: line_total must equal subtotal minus its discounts and mileage" chk_order_lines_total \
	"UPDATE order_lines SET mileage_share = 100 WHERE id = @l1"
check "order_lines: shipped needs a courier and a tracking number" chk_order_lines_tracking \
	"UPDATE order_lines SET state = 'shipped', shipped_at = UTC_TIMESTAMP() WHERE id = @l1"
check "order_shipping_charges: below the threshold the brand's fee is charged" chk_order_shipping_charges_rule \
	"UPDATE order_shipping_charges SET shipping_fee = 0 WHERE order_id = @o1"
check "carts: a cart belongs to a shopper or a guest token, not neither" chk_carts_owner \
	"INSERT INTO carts (user_id, guest_token_hash) VALUES (NULL, NULL)"
check "sessions: a session belongs to a user or a seller, not both" chk_sessions_one_account \
	"INSERT INTO sessions (token_hash, kind, user_id, seller_id, csrf_secret, expires_at)
		VALUES (UNHEX(SHA2('t2-$S', 256)), 'cookie', @u1, @s1, UNHEX(SHA2('c', 256)), UTC_TIMESTAMP() + INTERVAL 1 DAY)"
check "mileage_entries: an earned entry must be positive" chk_mileage_entries_kind \
	"INSERT INTO mileage_entries (user_id, kind, amount, balance_after, order_id, order_line_id) VALUES (@u1, 'earned', -5, 0, @o1, @l1)"
check "stock_movements: a seller adjustment states its reason (schema/014)" chk_stock_movements_reason \
	"INSERT INTO stock_movements (variant_id, delta, stock_after, reason, seller_id) VALUES (@v1, 5, 15, 'seller_adjustment', @s1)"
check "stock_movements: a seller adjustment is never tied to an order line" chk_stock_movements_reason \
	"INSERT INTO stock_movements (variant_id, delta, stock_after, reason, order_line_id, note) VALUES (@v1, 5, 15, 'seller_adjustment', @l1, 'x')"

## Foreign keys

refused "products: deleting a product that has an order line is refused" 1451 'order_lines`, CONSTRAINT' \
	"DELETE FROM products WHERE id = @p1;"
accepted "products: deleting a never-ordered product is accepted (its sizes and images go with it)" \
	"DELETE FROM products WHERE id = @p2;
	SELECT IF(COUNT(*) = 0, 'variants-gone', 'variants-left') FROM product_variants WHERE id = @v2;" variants-gone
refused "product_variants: a size with another brand than its product's is refused" 1452 fk_product_variants_product_brand \
	"INSERT INTO product_variants (product_id, brand_id, size_label) VALUES (@p1, @b2, 'S');"
refused "order_lines: a line of a brand without a shipping row in its order is refused" 1452 fk_order_lines_shipping \
	"UPDATE order_lines SET brand_id = @b2 WHERE id = @l1;"
refused "reviews: a review naming another product than its line's is refused" 1452 fk_reviews_line_product \
	"INSERT INTO reviews (order_line_id, product_id, user_id, rating, body) VALUES (@l1, @p2, @u1, 5, 'x');"
refused "questions: deleting an answered question is refused" 1451 fk_answers_question \
	"INSERT INTO answers (question_id, seller_id, body) VALUES (@q1, @s1, '답변'); DELETE FROM questions WHERE id = @q1;"
refused "orders: an order of a user that does not exist is refused" 1452 fk_orders_user \
	"$ORDER2 VALUES (18446744073709551000, 'M$S-3', 'k', UNHEX(SHA2('b', 256)), 'card', UTC_TIMESTAMP(), 'A', '$PHONE1', '04524', 'x', 1, 0, 1, 1, 1);"

## Korean search (Mroonga, TokenBigram)

engine=$(sql "SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'lonua' AND TABLE_NAME = 'product_search'")
[ "$engine" = Mroonga ]; ok $? "product_search is a Mroonga table (the engine is loaded)"
out=$(sql "SELECT INDEX_TYPE, INDEX_COMMENT FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'lonua'
	AND TABLE_NAME = 'product_search' AND INDEX_NAME = 'ft_product_search_body'")
grep -q 'FULLTEXT.*TokenBigram' <<<"$out"; ok $? "product_search.body has a FULLTEXT index with the TokenBigram tokenizer"

sql "INSERT INTO product_search (product_id, body) VALUES
	($SEARCH_ID1, '와이드 청바지 SCHEMATEST 하의 Bottoms'),
	($SEARCH_ID2, '오버핏 티셔츠 SCHEMATEST 상의 Tops'),
	($SEARCH_ID3, '린넨 셔츠 SCHEMATEST 상의 Tops')" >/dev/null
q="SELECT product_id FROM product_search WHERE MATCH (body) AGAINST ('바지' IN BOOLEAN MODE)"
found=$(sql "$q" | tr '\n' ' ')
grep -qw "$SEARCH_ID1" <<<"$found" && ! grep -qw "$SEARCH_ID2" <<<"$found" && ! grep -qw "$SEARCH_ID3" <<<"$found"
r=$?; ok $r "searching 바지 finds 청바지 (a substring inside a word) and not the shirts"
[ $r = 0 ] || diag "found: $found"
found=$(sql "SELECT product_id FROM product_search WHERE MATCH (body) AGAINST ('셔츠' IN BOOLEAN MODE)" | sort | tr '\n' ' ')
grep -qw "$SEARCH_ID2" <<<"$found" && grep -qw "$SEARCH_ID3" <<<"$found" && ! grep -qw "$SEARCH_ID1" <<<"$found"
ok $? "searching 셔츠 finds 티셔츠 and 셔츠, not 청바지"
found=$(sql "SELECT product_id FROM product_search WHERE MATCH (body) AGAINST ('+\"청바지\" +\"schematest\"' IN BOOLEAN MODE)" | tr '\n' ' ')
grep -qw "$SEARCH_ID1" <<<"$found" && ! grep -qw "$SEARCH_ID2" <<<"$found"
ok $? "quoted words combine with + and Latin text matches case-insensitively"
plan=$(sql "EXPLAIN $q")
awk -F'\t' '$3 == "product_search" && $4 == "fulltext" && $6 == "ft_product_search_body" { f = 1 } END { exit !f }' <<<"$plan"
r=$?; ok $r "EXPLAIN: the search reads the fulltext index ft_product_search_body, not a scan"
[ $r = 0 ] || diag "$plan"
plan=$(sql "EXPLAIN SELECT p.id FROM product_search s JOIN products p ON p.id = s.product_id
	WHERE MATCH (s.body) AGAINST ('바지' IN BOOLEAN MODE) AND p.status = 'active'")
awk -F'\t' 'NR == 1 && $3 == "s" && $4 == "fulltext" && $6 == "ft_product_search_body" { s = 1 }
	$3 == "p" && $4 != "ALL" && $6 != "NULL" { p = 1 } END { exit !(s && p) }' <<<"$plan"
r=$?; ok $r "EXPLAIN: the listing join starts from the fulltext index and reads products by a key"
[ $r = 0 ] || diag "$plan"

echo "1..$n"
exit $failed
