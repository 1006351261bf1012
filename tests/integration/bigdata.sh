#!/usr/bin/env bash
# ci/bigdata at a small size (issue 12, a million products): a database of its own under DIR, 300
# generated products on top of the demo shop, then the rules the shop checks: totals that add up
# (lines, shipping per brand, orders), counters that match their rows (likes, reviews, fit, units,
# body types), stock movements that chain to each size's stock, search rows that find a generated
# product, and a demo shopper with generated orders. Then the generated rows are removed and made
# again in two runs, the first stopped after a few chunks (LONUA_BIGDATA_STOP_AFTER): the same
# rows must come back.
# Usage: bigdata.sh BUILD_DIR DIR. Prints TAP.
set -u
build=${1:?usage: bigdata.sh BUILD_DIR DIR} dir=${2:?}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
sql() { mariadb --no-defaults --default-character-set=utf8mb4 --socket="$dir/db/mysql.sock" -uroot -N -B lonua -e "$1"; }
gen() { LONUA_MARIADB_ARGS="" "$SRC/ci/bigdata" --products 300 --db "$dir" --build "$build" --chunk 70; }
# The generated rows (ids above the bases the first run recorded), time-of-run columns left out.
fingerprint() {
	local q=""
	q="SELECT CONCAT_WS(' ',
	(SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('|', id, email, name, phone, address, created_at)))) FROM users WHERE id > @u),
	(SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('|', id, brand_id, name, sale_price, status, like_count, review_count,
		rating_sum, units_sold_30d, created_at)))) FROM products WHERE id > @p),
	(SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('|', id, product_id, image_key)))) FROM product_images WHERE id > @i),
	(SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('|', id, product_id, size_label, stock)))) FROM product_variants WHERE id > @v),
	(SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('|', product_id, body)))) FROM product_search WHERE product_id > @p),
	(SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('|', id, user_id, payment_state, total_amount, created_at)))) FROM orders WHERE id > @o),
	(SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('|', id, order_id, variant_id, quantity, state)))) FROM order_lines WHERE id > @l),
	(SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('|', id, order_id, brand_id, shipping_fee)))) FROM order_shipping_charges WHERE id > @c),
	(SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('|', id, variant_id, delta, stock_after, reason)))) FROM stock_movements WHERE id > @m),
	(SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('|', id, order_line_id, rating, fit)))) FROM reviews WHERE id > @r),
	(SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('|', id, user_id, product_id)))) FROM likes WHERE id > @k),
	(SELECT CONCAT(COUNT(*), ':', SUM(CRC32(CONCAT_WS('|', product_id, upper1_units, lower3_units)))) FROM product_body_type_counts
		WHERE product_id > @p))"
	sql "$BASES $q"
}

mkdir -p "$dir"
t0=$(date +%s)
out=$(gen 2>&1)
ok $? "ci/bigdata --products 300 generates (demo seed included), in $(($(date +%s) - t0)) s"
[ "$failed" = 0 ] || diag "$(tail -20 <<<"$out")"
grep -q 'products *300/300' <<<"$out"
ok $? "it shows its progress (rows done / total, rate, ETA)"
BASES=$(sql "SELECT GROUP_CONCAT(CONCAT('SET @', LEFT(k, 1), ' = ', v) SEPARATOR '; ') FROM bigdata_meta WHERE k LIKE '_base'")
BASES="$BASES;"
read -r products users orders reviews likes <<<"$(sql "$BASES SELECT (SELECT COUNT(*) FROM products WHERE id > @p),
	(SELECT COUNT(*) FROM users WHERE id > @u), (SELECT COUNT(*) FROM orders WHERE id > @o),
	(SELECT COUNT(*) FROM reviews WHERE id > @r), (SELECT COUNT(*) FROM likes WHERE id > @k)")"
[ "$products" = 300 ] && [ "$users" = 30 ] && [ "$orders" = 300 ] && [ "$reviews" -ge 60 ] && [ "$reviews" -le 120 ] \
	&& [ "$likes" -ge 250 ] && [ "$likes" -le 300 ]
ok $? "300 products, 30 shoppers, 300 orders, ~90 reviews, ~300 likes ($products, $users, $orders, $reviews, $likes)"

bad=$(sql "$BASES SELECT COUNT(*) FROM orders o
	JOIN (SELECT order_id, SUM(subtotal) AS s, SUM(line_total) AS t FROM order_lines GROUP BY order_id) l ON l.order_id = o.id
	JOIN (SELECT order_id, SUM(shipping_fee) AS f FROM order_shipping_charges GROUP BY order_id) c ON c.order_id = o.id
	WHERE o.id > @o AND (o.items_amount <> l.s OR o.shipping_amount <> c.f OR o.total_amount <> l.t + c.f)")
lonely=$(sql "$BASES SELECT COUNT(*) FROM orders o WHERE o.id > @o AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)")
charges=$(sql "$BASES SELECT COUNT(*) FROM order_shipping_charges c WHERE c.id > @c AND c.lines_amount <> (SELECT SUM(subtotal)
	FROM order_lines l WHERE l.order_id = c.order_id AND l.brand_id = c.brand_id)")
[ "$bad" = 0 ] && [ "$lonely" = 0 ] && [ "$charges" = 0 ]
ok $? "every order's items, shipping and total add up from its lines and its brands' charges ($bad, $lonely, $charges wrong)"

bad=$(sql "SELECT COUNT(*) FROM products p WHERE p.like_count <> (SELECT COUNT(*) FROM likes k WHERE k.product_id = p.id)
	OR p.review_count <> (SELECT COUNT(*) FROM reviews r WHERE r.product_id = p.id AND r.status = 'published')
	OR p.rating_sum <> (SELECT COALESCE(SUM(rating), 0) FROM reviews r WHERE r.product_id = p.id AND r.status = 'published')
	OR p.fit_small_count <> (SELECT COUNT(*) FROM reviews r WHERE r.product_id = p.id AND r.status = 'published' AND r.fit = 'small')")
ok "$bad" "likes, reviews, ratings and fit counters match their rows on every product ($bad wrong)"
# units_sold_30d and the body-type units as `lonua products recount` counts them
before=$(sql "SELECT SUM(CRC32(CONCAT_WS('|', p.id, p.units_sold_30d, b.upper1_units, b.upper2_units, b.lower3_units)))
	FROM products p LEFT JOIN product_body_type_counts b ON b.product_id = p.id")
LONUA_DATA_DIR="$SRC" LONUA_DB_SOCKET="$dir/db/mysql.sock" LONUA_DB_USER=lonua LONUA_DB_NAME=lonua \
	LONUA_DB_PASSWORD_FILE="$dir/db/db-password" "$build/lonua" products recount >/dev/null 2>&1
after=$(sql "SELECT SUM(CRC32(CONCAT_WS('|', p.id, p.units_sold_30d, b.upper1_units, b.upper2_units, b.lower3_units)))
	FROM products p LEFT JOIN product_body_type_counts b ON b.product_id = p.id")
[ -n "$before" ] && [ "$before" = "$after" ]
ok $? "units sold in 30 days and the body-type units are what 'lonua products recount' makes of the orders"

bad=$(sql "$BASES SELECT COUNT(*) FROM product_variants v JOIN stock_movements m ON m.variant_id = v.id
	AND m.id = (SELECT MAX(id) FROM stock_movements WHERE variant_id = v.id) WHERE v.id > @v AND m.stock_after <> v.stock")
missing=$(sql "$BASES SELECT COUNT(*) FROM order_lines l WHERE l.id > @l AND NOT EXISTS (SELECT 1 FROM stock_movements m
	WHERE m.order_line_id = l.id AND m.reason = 'order' AND m.delta = -CAST(l.quantity AS SIGNED))
	OR (l.state = 'cancelled') <> EXISTS (SELECT 1 FROM stock_movements m WHERE m.order_line_id = l.id AND m.reason = 'cancel')")
neg=$(sql "SELECT COUNT(*) FROM product_variants WHERE stock < 0")
[ "$bad" = 0 ] && [ "$missing" = 0 ] && [ "$neg" = 0 ]
ok $? "every line took its stock (and a cancelled one gave it back); each size's last movement ends at its stock ($bad, $missing, $neg)"

word=$(sql "$BASES SELECT SUBSTRING_INDEX(name, ' ', 1) FROM products WHERE id = @p + 7")
found=$(sql "$BASES SELECT COUNT(*) FROM product_search s JOIN products p ON p.id = s.product_id
	WHERE MATCH (s.body) AGAINST ('\"$word\"' IN BOOLEAN MODE) AND p.id = @p + 7")
ok $((found != 1)) "the Mroonga search finds a generated product by a word of its name ($word)"
demo=$(sql "SELECT COUNT(*) FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email = 'shopper1@example.com'
	AND o.idempotency_key LIKE 'bigdata-%'")
# every 1000th order is a demo shopper's: none at 300, so look at the brand side instead
brand1=$(sql "$BASES SELECT COUNT(*) FROM order_lines WHERE id > @l AND brand_id = 1")
[ "$brand1" -gt 0 ]
ok $? "the demo brand 1 sells generated products ($brand1 lines; shopper1 has $demo generated orders at this size)"
# The cards (schema/015), which the generator's inserts leave to its last step: every listable
# product has its card, each the same as its rows say.
off=$(sql "SELECT (SELECT COUNT(*) FROM (SELECT * FROM product_cards EXCEPT SELECT * FROM product_card_rows) a)
	+ (SELECT COUNT(*) FROM (SELECT * FROM product_card_rows EXCEPT SELECT * FROM product_cards) b)")
cards=$(sql "$BASES SELECT COUNT(*) FROM product_cards WHERE id > @p")
[ "$off" = 0 ] && [ "$cards" -gt 0 ]
ok $? "the product cards match their rows ($off differ; $cards generated products listed)"
# The search rows' keys (schema/017), copied from the cards by the same last step.
off=$(sql "SELECT COUNT(*) FROM product_search s LEFT JOIN product_search_key_rows k ON k.id = s.product_id
	WHERE NOT (s.listed = (k.id IS NOT NULL) AND (k.id IS NULL OR (s.category_id, s.style_id, s.brand_id, s.sale_price,
	s.is_on_sale, s.discount_percent, s.units_sold_30d, s.review_count, s.rating_key, s.created_at) = (k.category_id,
	k.style_id, k.brand_id, k.sale_price, k.is_on_sale, k.discount_percent, k.units_sold_30d, k.review_count, k.rating_key,
	k.created_at)))")
[ "$off" = 0 ]
ok $? "every search row carries its card's keys ($off differ)"

# Resumable: remove the generated rows (keeping the recorded clock and bases), make them again in a
# run stopped after 5 chunks and a second run, and compare.
want=$(fingerprint)
sql "$BASES DELETE FROM stock_movements WHERE id > @m; DELETE FROM reviews WHERE id > @r; DELETE FROM likes WHERE id > @k;
	DELETE FROM order_lines WHERE id > @l; DELETE FROM order_shipping_charges WHERE id > @c; DELETE FROM orders WHERE id > @o;
	DELETE FROM product_body_type_counts WHERE product_id > @p; DELETE FROM product_search WHERE product_id > @p;
	DELETE FROM product_images WHERE id > @i; DELETE FROM product_variants WHERE id > @v; DELETE FROM products WHERE id > @p;
	DELETE FROM users WHERE id > @u; DELETE FROM sellers WHERE id > @s; DELETE FROM brands WHERE id > @b;
	DELETE FROM bigdata_progress; DELETE FROM bigdata_meta WHERE k = 'review_per_10k'"
LONUA_BIGDATA_STOP_AFTER=5 gen >/dev/null 2>&1
rc=$?
partial=$(sql "SELECT COUNT(*) FROM bigdata_progress")
[ "$rc" != 0 ] && [ "$partial" = 5 ]
ok $? "a run stopped after 5 chunks fails and has recorded 5 chunks (rc $rc, $partial)"
out=$(gen 2>&1)
rc=$?
got=$(fingerprint)
[ "$rc" = 0 ] && [ -n "$want" ] && [ "$got" = "$want" ]
ok $? "started again it finishes with the same rows as the uninterrupted run"
[ "$got" = "$want" ] || diag "uninterrupted: $want" "resumed:       $got"
grep -q 'done before' <<<"$out"
ok $? "the second run skipped what the first had done"

"$SRC/ci/bigdata" --db "$dir" --stop
echo "1..$n"
exit $failed
