#!/usr/bin/env bash
# `lonua seed` fills the demo shop: about ten brands with shipping rules and keys, at least 200
# active products with 2-5 variants, measurements, sales, sold-out sizes, pictures stored by the
# media pipeline, the search index, hostile names stored verbatim, demo orders in every state that
# make the popularity counters and mileage balances true, and the demo shoppers' reviews (with photos,
# fit feedback and shared builds), likes and questions (some secret, half answered) that make the
# like, rating and fit counters true; a second run changes nothing.
# Usage: seed.sh LONUA_BINARY MARIADB_DIR MEDIA_DIR. The binary reaches the database through the
# LONUA_DB_* variables (ci/lib.sh start_mariadb exports them); the checks connect as root over
# MARIADB_DIR/mysql.sock to database lonua. Prints TAP.
set -u
bin=${1:?usage: seed.sh LONUA_BINARY MARIADB_DIR MEDIA_DIR} dbdir=${2:?} media=${3:?}
# The seed renders the demo orders' mails: it reads the templates and locales of this checkout.
LONUA_DATA_DIR="$(cd "$(dirname "$0")/../.." && pwd)"
export LONUA_DATA_DIR
n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
sql() { mariadb --no-defaults --default-character-set=utf8mb4 --socket="$dbdir/mysql.sock" -uroot -N -B lonua -e "$1"; }
# is N LOW HIGH: LOW <= N <= HIGH
is() { [ -n "$1" ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
state() {
	sql "SELECT (SELECT COUNT(*) FROM brands), (SELECT COUNT(*) FROM sellers), (SELECT COUNT(*) FROM users),
		(SELECT COUNT(*) FROM products), (SELECT COUNT(*) FROM product_variants),
		(SELECT COUNT(*) FROM product_images), (SELECT COUNT(*) FROM product_search)"
	sql "CHECKSUM TABLE brands, sellers, users, products, product_variants, product_images,
		product_body_type_counts, product_search, reviews, review_photos, likes, questions, answers" |
		awk '{print $2}' | tr '\n' ' '
	find "$media" -type f | wc -l
}

mkdir -p "$media"
t0=$(date +%s%N)
out=$(LONUA_MEDIA_DIR="$media" "$bin" seed 2>&1); rc=$?
t1=$(date +%s%N)
ok $rc "lonua seed succeeds"
diag "$out" "took $(( (t1 - t0) / 1000000 )) ms"

# The demo brands, as the seed lists them ("  ID  KEY  SELLER  NAME"). Every check below looks at
# their rows only, so other test fixtures in the same database do not disturb it.
ids=$(echo "$out" | awk '$2 ~ /^[A-Za-z0-9_-]{43}$/ && $1 ~ /^[0-9]+$/ {print $1}' | paste -sd, -)
B="id IN (${ids:-0})" P="brand_id IN (${ids:-0})"

# ---- brands ----------------------------------------------------------------------------------
brands=$(sql "SELECT COUNT(*) FROM brands WHERE $B")
is "$brands" 8 12; ok $? "about ten demo brands ($brands: ids $ids)"
read -r fees thresholds never always <<<"$(sql "SELECT COUNT(DISTINCT shipping_fee), COUNT(DISTINCT free_shipping_threshold),
	SUM(free_shipping_threshold IS NULL AND shipping_fee > 0) > 0, SUM(shipping_fee = 0) > 0 FROM brands WHERE $B")"
[ "${fees:-0}" -ge 3 ] && [ "${thresholds:-0}" -ge 3 ] && [ "$never" = 1 ] && [ "$always" = 1 ]
ok $? "brands have different shipping fees and free-shipping thresholds (one never free, one always free)"
[ "$(sql "SELECT COUNT(*) FROM brands WHERE $B AND LENGTH(key_hash) = 32 AND return_courier <> ''
	AND return_address <> '' AND status = 'active'")" = "$brands" ]
ok $? "every brand is active, with a 32-byte key hash and return terms"
line=$(echo "$out" | grep -E '^ +[0-9]+  [A-Za-z0-9_-]{43}  ' | head -1)
id=$(echo "$line" | awk '{print $1}') key=$(echo "$line" | awk '{print $2}')
want=$(printf '%s=' "$key" | tr '_-' '/+' | base64 -d 2>/dev/null | sha256sum | cut -c1-64)
got=$(sql "SELECT LOWER(HEX(key_hash)) FROM brands WHERE id = ${id:-0}")
[ -n "$key" ] && [ "$want" = "$got" ]; ok $? "a printed brand key hashes (SHA-256 of its 32 bytes) to the stored key_hash"
[ "$(sql "SELECT COUNT(*) FROM brands WHERE CAST(name AS BINARY) = X'$(hex "O'Rourke & Kim")'")" = 1 ]
ok $? "the brand name with an apostrophe and an ampersand is stored verbatim"
[ "$(sql "SELECT COUNT(DISTINCT s.brand_id) FROM sellers s WHERE s.$P AND s.password_hash LIKE '\$argon2id\$v=19\$m=19456,t=2,p=1\$%'")" = "$brands" ]
ok $? "every brand has a demo seller with an argon2id password hash"
[ "$(sql "SELECT COUNT(*) FROM users WHERE role = 'admin' AND status = 'active' AND email = 'admin@example.com'
	AND password_hash LIKE '\$argon2id\$%'")" = 1 ]
ok $? "a demo admin exists"

# ---- products ---------------------------------------------------------------------------------
products=$(sql "SELECT COUNT(*) FROM products WHERE $P")
active=$(sql "SELECT COUNT(*) FROM products WHERE $P AND status = 'active'")
[ "$active" -ge 200 ]; ok $? "at least 200 active products ($active of $products)"
[ "$(sql "SELECT SUM(status = 'draft') > 0 AND SUM(status = 'hidden') > 0 FROM products WHERE $P")" = 1 ]
ok $? "a few products are draft or hidden"
[ "$(sql "SELECT COUNT(DISTINCT category_id) FROM products WHERE $P AND status = 'active'")" = 10 ]
ok $? "every category has active products"
[ "$(sql "SELECT COUNT(*) FROM (SELECT brand_id FROM products WHERE $P GROUP BY brand_id HAVING COUNT(*) >= 10) b")" = "$brands" ]
ok $? "every brand has at least ten products"
[ "$(sql "SELECT COUNT(*) FROM products WHERE $P AND (list_price % 1000 <> 0 OR sale_price % 100 <> 0
	OR list_price NOT BETWEEN 19000 AND 389000)")" = 0 ]
ok $? "prices are whole thousands of won from 19,000 to 389,000; sale prices round to 100 won"
sale=$(sql "SELECT COUNT(*) FROM products WHERE $P AND is_on_sale = 1")
is "$sale" $((products / 5)) $((products * 3 / 5)); ok $? "some products are on sale ($sale)"
[ "$(sql "SELECT COUNT(*) FROM products WHERE $P AND is_on_sale = 1 AND discount_percent NOT BETWEEN 9 AND 50")" = 0 ]
ok $? "sales are 10-50 % off"
[ "$(sql "SELECT COUNT(*) FROM products WHERE $P AND (created_at > UTC_TIMESTAMP()
	OR created_at < UTC_TIMESTAMP() - INTERVAL 121 DAY)")" = 0 ] &&
	[ "$(sql "SELECT DATEDIFF(MAX(created_at), MIN(created_at)) > 90 FROM products WHERE $P")" = 1 ]
ok $? "created_at is spread over the last 120 days"

# ---- the community: likes, reviews and questions are what the demo shoppers wrote ----------------
[ "$(sql "SELECT COUNT(*) FROM products p WHERE p.$P AND (p.like_count <> (SELECT COUNT(*) FROM likes k WHERE k.product_id = p.id)
	OR (p.review_count, p.rating_sum, p.fit_small_count, p.fit_true_count, p.fit_large_count) <> (SELECT COUNT(*),
	COALESCE(SUM(rating), 0), COALESCE(SUM(fit = 'small'), 0), COALESCE(SUM(fit = 'true'), 0), COALESCE(SUM(fit = 'large'), 0)
	FROM reviews r WHERE r.product_id = p.id AND r.status = 'published'))")" = 0 ]
ok $? "every product's like count, review count, rating sum and fit counts are its likes' and reviews'"
read -r reviews reviewed shared fits photos <<<"$(sql "SELECT COUNT(*), COUNT(DISTINCT r.product_id), SUM(r.shared_height_cm IS NOT NULL),
	COUNT(DISTINCT r.fit), (SELECT COUNT(*) FROM review_photos) FROM reviews r JOIN users u ON u.id = r.user_id
	WHERE u.email LIKE 'shopper%@example.com'")"
[ "${reviews:-0}" -ge 60 ] && [ "${reviewed:-0}" -ge 30 ] && [ "${shared:-0}" -ge 20 ] && [ "$fits" = 3 ] && [ "${photos:-0}" -ge 10 ]
ok $? "the demo shoppers reviewed their delivered lines ($reviews reviews of $reviewed products, $shared with a build, $photos photos, $fits fits)"
[ "$(sql "SELECT COUNT(*) FROM reviews r JOIN order_lines l ON l.id = r.order_line_id JOIN orders o ON o.id = l.order_id
	WHERE o.user_id <> r.user_id OR l.state NOT IN ('delivered', 'confirmed', 'return_rejected')")" = 0 ]
ok $? "each review is its buyer's, of a line delivered to them"
missing=0
for key in $(sql "SELECT image_key FROM review_photos LIMIT 5"); do
	[ -s "$media/${key:0:2}/${key:2:2}/$key-detail.jpg" ] || missing=1
done
ok $missing "review photos are stored by the media pipeline"
read -r asked secret answered <<<"$(sql "SELECT COUNT(*), SUM(is_secret), SUM(answered_at IS NOT NULL AND EXISTS (SELECT 1 FROM answers a
	WHERE a.question_id = q.id)) FROM questions q JOIN users u ON u.id = q.user_id WHERE u.email LIKE 'shopper%@example.com'")"
[ "${asked:-0}" -ge 20 ] && [ "${secret:-0}" -ge 1 ] && [ "${answered:-0}" -ge 10 ]
ok $? "the demo shoppers asked questions ($asked, $secret secret) and the brands answered $answered"
[ "$(sql "SELECT COUNT(DISTINCT like_count) >= 4 AND SUM(review_count > 0) >= 30 AND MIN(rating_avg) >= 1
	AND MAX(rating_avg) <= 5 FROM products WHERE $P")" = 1 ]
ok $? "likes and ratings vary"

# ---- demo orders: popularity is what was sold ---------------------------------------------------
read -r orders states <<<"$(sql "SELECT COUNT(*), COUNT(DISTINCT payment_state) FROM orders WHERE idempotency_key LIKE 'seed-%'")"
lines=$(sql "SELECT GROUP_CONCAT(DISTINCT l.state ORDER BY l.state) FROM order_lines l JOIN orders o ON o.id = l.order_id
	WHERE o.idempotency_key LIKE 'seed-%'")
[ "${orders:-0}" -ge 100 ] && [ "${states:-0}" -ge 4 ] &&
	[ "$lines" = "ordered,preparing,shipped,delivered,confirmed,cancelled,returned,return_rejected" ]
ok $? "demo orders in every state ($orders orders; lines: $lines)"
[ "$(sql "SELECT COUNT(*) FROM products p WHERE p.$P AND p.units_sold_30d <> (SELECT COALESCE(SUM(l.quantity), 0)
	FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.product_id = p.id AND o.paid_at IS NOT NULL
	AND o.paid_at >= UTC_TIMESTAMP() - INTERVAL 30 DAY AND l.state NOT IN ('cancelled', 'returned'))")" = 0 ]
ok $? "every product's units sold in 30 days are its paid, kept order lines"
sold=$(sql "SELECT COUNT(*) FROM products WHERE $P AND units_sold_30d > 0")
[ "$(sql "SELECT COUNT(DISTINCT units_sold_30d) >= 5 FROM products WHERE $P")" = 1 ] && [ "${sold:-0}" -ge 50 ]
ok $? "popularity varies ($sold products sold)"
[ "$(sql "SELECT COUNT(*) FROM users u WHERE u.mileage_balance <> (SELECT COALESCE(SUM(amount), 0) FROM mileage_entries m
	WHERE m.user_id = u.id)")" = 0 ]
ok $? "every balance is its mileage ledger's sum"
top() { sql "SELECT GROUP_CONCAT(id ORDER BY k DESC, id) FROM (SELECT id, $1 AS k FROM products
	WHERE $P AND status = 'active' ORDER BY $1 DESC, id LIMIT 8) t"; }
a=$(top units_sold_30d) b=$(top created_at) c=$(top like_count) d=$(top rating_avg) e=$(top sale_price)
[ "$(printf '%s\n' "$a" "$b" "$c" "$d" "$e" | sort -u | wc -l)" = 5 ]
ok $? "the sorts (popular, newest, likes, rating, price) give different first pages"

# ---- variants ---------------------------------------------------------------------------------
[ "$(sql "SELECT COUNT(*) FROM products p WHERE p.$P
	AND (SELECT COUNT(*) FROM product_variants v WHERE v.product_id = p.id) NOT BETWEEN 2 AND 5")" = 0 ]
ok $? "every product has 2-5 variants"
[ "$(sql "SELECT COUNT(*) FROM product_variants v JOIN products p ON p.id = v.product_id WHERE p.$P AND p.category_id = 1
	AND (shoulder_mm IS NULL OR chest_mm IS NULL OR sleeve_mm IS NULL OR total_length_mm IS NULL)")" = 0 ]
ok $? "every top has shoulder, chest, sleeve and total length"
[ "$(sql "SELECT COUNT(*) FROM product_variants v JOIN products p ON p.id = v.product_id WHERE p.$P AND p.category_id = 2
	AND (waist_mm IS NULL OR hip_mm IS NULL OR thigh_mm IS NULL OR rise_mm IS NULL OR hem_mm IS NULL
	OR total_length_mm IS NULL)")" = 0 ]
ok $? "every bottom has waist, hip, thigh, rise, hem and total length"
[ "$(sql "SELECT COUNT(*) FROM product_variants a JOIN product_variants b ON b.product_id = a.product_id
	AND b.sort_order = a.sort_order + 1 WHERE a.$P AND (b.chest_mm <= a.chest_mm OR b.waist_mm <= a.waist_mm)")" = 0 ]
ok $? "measurements grow with the size"
[ "$(sql "SELECT SUM(size_label = 'M') > 0, SUM(size_label = '30') > 0, SUM(size_label = '260') > 0,
	SUM(size_label = 'FREE') > 0 FROM product_variants WHERE $P" | tr '\t' ' ')" = "1 1 1 1" ]
ok $? "sizes: S-XL, waist 26-34, shoes 230-290 and FREE"
[ "$(sql "SELECT COUNT(*) FROM product_variants WHERE $P AND stock NOT BETWEEN 0 AND 40")" = 0 ]
ok $? "stock is 0-40"
soldout=$(sql "SELECT COUNT(*) FROM products p WHERE p.$P AND NOT EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.stock > 0)")
is "$soldout" 2 $((products / 10)); ok $? "a few products are sold out ($soldout)"
[ "$(sql "SELECT COUNT(DISTINCT v.product_id) FROM product_variants v WHERE v.$P AND v.stock = 0 AND EXISTS
	(SELECT 1 FROM product_variants w WHERE w.product_id = v.product_id AND w.stock > 0)")" -ge 20 ]
ok $? "many products have some sizes sold out"

# ---- pictures ---------------------------------------------------------------------------------
[ "$(sql "SELECT COUNT(*) FROM products p WHERE p.$P
	AND NOT EXISTS (SELECT 1 FROM product_images i WHERE i.product_id = p.id AND i.position = 0)")" = 0 ]
ok $? "every product has a first image"
[ "$(sql "SELECT COUNT(*) FROM (SELECT i.product_id FROM product_images i JOIN products p ON p.id = i.product_id
	WHERE p.$P GROUP BY i.product_id HAVING COUNT(*) > 1) t")" -ge 10 ]
ok $? "some products have a second image"
missing=0 checked=0
for key in $(sql "SELECT i.image_key FROM product_images i JOIN products p ON p.id = i.product_id WHERE p.$P"); do
	for size in thumb card detail; do
		f="$media/${key:0:2}/${key:2:2}/$key-$size.jpg"
		checked=$((checked + 1))
		[ -s "$f" ] || { missing=$((missing + 1)); [ $missing -le 3 ] && diag "missing $f"; }
	done
done
[ "$missing" = 0 ] && [ "$checked" -gt 0 ]; ok $? "every image row has its thumb, card and detail files ($checked files)"
key=$(sql "SELECT i.image_key FROM product_images i JOIN products p ON p.id = i.product_id WHERE p.$P ORDER BY i.id LIMIT 1")
[ "$(head -c 3 "$media/${key:0:2}/${key:2:2}/$key-card.jpg" | od -An -tx1 | tr -d ' ')" = ffd8ff ]
ok $? "the stored files are JPEGs"
[ "$(sql "SELECT COUNT(DISTINCT i.image_key) = COUNT(*) FROM product_images i JOIN products p ON p.id = i.product_id
	WHERE p.$P")" = 1 ]
ok $? "every picture is different (content-addressed keys do not repeat)"

# ---- hostile names ----------------------------------------------------------------------------
for name in '<script>alert("x")</script> 셔츠' "O'Neil \"Quote\" 후드" '이모지 👕✨ 티셔츠' '&amp; 앰퍼샌드 팬츠' \
	'{{title}} 중괄호 스커트'; do
	[ "$(sql "SELECT COUNT(*) FROM products WHERE $P AND status = 'active' AND CAST(name AS BINARY) = X'$(hex "$name")'")" = 1 ]
	ok $? "hostile name stored verbatim on an active product: $name"
done

# The hostile brand's seller-entered text (tests/integration/pages.test.mjs checks its escaping).
[ "$(sql "SELECT COUNT(*) FROM brands WHERE $B AND CAST(name AS BINARY) = X'$(hex "O'Rourke & Kim")'
	AND CAST(introduction AS BINARY) = X'$(hex 'Tailored in Dublin, finished in Seoul: 출근길의 단정함. <script>alert(1)</script>')'
	AND CAST(return_address AS BINARY) = X'$(hex '서울특별시 영등포구 여의대로 108, 지하 2층 "><img src=x onerror=alert(1)> & <script>alert(1)</script>')'
	AND CAST(return_courier AS BINARY) = X'$(hex "우체국택배 ' onfocus='x' &amp; <i>")'")" = 1 ]
ok $? "the hostile brand's introduction, return address and courier are stored verbatim"

# ---- search -----------------------------------------------------------------------------------
[ "$(sql "SELECT COUNT(*) FROM product_search s JOIN products p ON p.id = s.product_id WHERE p.$P")" = "$products" ] &&
	[ "$(sql "SELECT COUNT(*) FROM products p WHERE p.$P
	AND NOT EXISTS (SELECT 1 FROM product_search s WHERE s.product_id = p.id)")" = 0 ]
ok $? "product_search has one row per product"
jeans=$(sql "SELECT COUNT(*) FROM products WHERE $P AND name LIKE '%청바지%'")
[ "$jeans" -ge 3 ] && [ "$(sql "SELECT COUNT(*) FROM products p WHERE p.$P AND p.name LIKE '%청바지%' AND p.id NOT IN
	(SELECT product_id FROM product_search WHERE MATCH (body) AGAINST ('\"바지\"' IN BOOLEAN MODE))")" = 0 ]
ok $? "MATCH '바지' finds all $jeans 청바지 products"
[ "$(sql "SELECT COUNT(*) FROM product_search s JOIN products p ON p.id = s.product_id
	WHERE p.$P AND MATCH (s.body) AGAINST ('\"Outerwear\"' IN BOOLEAN MODE) AND p.category_id <> 3")" = 0 ] &&
	[ "$(sql "SELECT COUNT(*) FROM product_search s JOIN products p ON p.id = s.product_id
	WHERE p.$P AND MATCH (s.body) AGAINST ('\"아우터\"' IN BOOLEAN MODE)")" = \
	"$(sql "SELECT COUNT(*) FROM products WHERE $P AND category_id = 3")" ]
ok $? "the search body holds the category names in Korean and English"

# ---- lonua search reindex: mends a search table that drifted from the products ------------------
victim=$(sql "SELECT MIN(id) FROM products WHERE $P AND name LIKE '%청바지%'")
sql "DELETE FROM product_search WHERE product_id = $victim;
	UPDATE product_search SET body = 'stale' WHERE product_id = (SELECT MIN(id) FROM products WHERE $P AND id > $victim);
	INSERT INTO product_search (product_id, body) VALUES (18446744073709551615, '고아 바지')"
out=$("$bin" search reindex 2>&1); rc=$?
ok $rc "lonua search reindex succeeds: $out"
echo "$out" | grep -q ' 1 rows of deleted products removed'; ok $? "it reports the one row of a missing product it removed"
[ "$(sql "SELECT COUNT(*) FROM product_search")" = "$(sql "SELECT COUNT(*) FROM products")" ] &&
	[ "$(sql "SELECT COUNT(*) FROM product_search WHERE product_id NOT IN (SELECT id FROM products)")" = 0 ]
ok $? "afterwards product_search has exactly one row per product"
[ "$(sql "SELECT COUNT(*) FROM product_search WHERE product_id = $victim AND MATCH (body) AGAINST ('\"바지\"' IN BOOLEAN MODE)")" = 1 ] &&
	[ "$(sql "SELECT COUNT(*) FROM product_search WHERE body = 'stale'")" = 0 ]
ok $? "the deleted row is back (바지 finds product $victim again) and the stale body is rewritten"

# ---- idempotent -------------------------------------------------------------------------------
before=$(state)
out2=$(LONUA_MEDIA_DIR="$media" "$bin" seed 2>&1); rc=$?
ok $rc "a second lonua seed succeeds"
echo "$out2" | grep -q '^already seeded'; ok $? "and says it was already seeded"
after=$(state)
[ "$before" = "$after" ]; ok $? "and changes nothing: counts, CHECKSUM TABLE and media files are equal"
[ "$before" = "$after" ] || diag "before: $before" "after:  $after"

echo "1..$n"
exit $failed
