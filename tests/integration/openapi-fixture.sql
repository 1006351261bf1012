-- What tests/integration/openapi.test.mjs needs in the database: it calls every documented GET
-- with id 1 and expects a documented success, so /api/v1/brands/1 and /api/v1/products/1 must be
-- an active brand and an active product (with a size and an image, so that every part of the
-- documented answer is exercised). Each statement only fills in what is missing: on a database
-- that already has rows 1 (after `lonua seed`) it changes nothing. Run it as root on the private
-- MariaDB after `lonua migrate`:
--   mariadb --no-defaults --socket=$DIR/mysql.sock -uroot lonua < tests/integration/openapi-fixture.sql
INSERT INTO brands (id, name, key_hash, introduction, logo_image, style_label, business_address, phone,
	business_registration_number, bank_name, bank_account_number, bank_account_holder, shipping_fee,
	free_shipping_threshold, return_postal_code, return_address, return_shipping_cost, return_courier)
SELECT 1, 'OpenAPI 예시 브랜드', UNHEX(SHA2('openapi-fixture-brand', 256)), '문서 검사용 브랜드',
	SHA2('openapi-fixture-logo', 256), '캐주얼', '서울특별시 중구 세종대로 110', '0212345678', '1234567890',
	'테스트은행', '123-456-789', '예금주', 3000, 50000, '04524', '서울특별시 중구 세종대로 110', 6000, 'CJ대한통운'
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM brands WHERE id = 1);

INSERT INTO products (id, brand_id, category_id, style_id, name, description, list_price, sale_price, status,
	review_count, rating_sum)
SELECT 1, 1, (SELECT id FROM categories WHERE code = 'bottoms'), (SELECT id FROM styles WHERE code = 'casual'),
	'OpenAPI 예시 청바지', '문서 검사용 상품', 49000, 39200, 'active', 2, 9
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM products WHERE id = 1);

INSERT INTO product_variants (product_id, brand_id, size_label, color, sku, stock, sort_order, waist_mm, hip_mm,
	total_length_mm)
SELECT p.id, p.brand_id, '30', '인디고', 'OPENAPI-30', 5, 1, 385, 500, 1005
FROM products p WHERE p.id = 1 AND NOT EXISTS (SELECT 1 FROM product_variants WHERE product_id = 1);

-- The picture: one the seed stored (so that pages showing this product show a real image), or a
-- made-up key when the seed has not run.
INSERT INTO product_images (product_id, position, image_key)
SELECT 1, 0, COALESCE((SELECT MIN(image_key) FROM product_images), SHA2('openapi-fixture-image', 256))
FROM DUAL WHERE EXISTS (SELECT 1 FROM products WHERE id = 1)
	AND NOT EXISTS (SELECT 1 FROM product_images WHERE product_id = 1);

INSERT INTO product_search (product_id, body)
SELECT p.id, CONCAT_WS(' ', p.name, b.name) FROM products p JOIN brands b ON b.id = p.brand_id
WHERE p.id = 1 AND NOT EXISTS (SELECT 1 FROM product_search WHERE product_id = 1);

-- Question 1 (GET /api/v1/questions/1): a public question about product 1 by the first shopper,
-- answered by a seller of its brand when it has one (so that the answer's part is exercised).
INSERT INTO questions (id, product_id, brand_id, user_id, type, title, body, is_secret)
SELECT 1, p.id, p.brand_id, (SELECT MIN(id) FROM users WHERE role = 'shopper'), 'size', 'OpenAPI 예시 문의',
	'허리 28인치면 30을 사면 될까요?', 0
FROM products p WHERE p.id = 1 AND EXISTS (SELECT 1 FROM users WHERE role = 'shopper')
	AND NOT EXISTS (SELECT 1 FROM questions WHERE id = 1);
INSERT INTO answers (question_id, seller_id, body)
SELECT q.id, s.id, '네, 30을 추천드려요.' FROM questions q JOIN sellers s ON s.brand_id = q.brand_id
WHERE q.id = 1 AND NOT EXISTS (SELECT 1 FROM answers WHERE question_id = 1) ORDER BY s.id LIMIT 1;
UPDATE questions q SET q.answered_at = UTC_TIMESTAMP()
WHERE q.id = 1 AND q.answered_at IS NULL AND EXISTS (SELECT 1 FROM answers a WHERE a.question_id = 1);

-- A branch of the seed seller's brand (the suite asks GET /api/v1/seller/branches/{id} as
-- seller1@example.com for the first branch it lists), or of brand 1 before the seed ran.
INSERT INTO branches (brand_id, name, postal_code, address, phone)
SELECT COALESCE((SELECT brand_id FROM sellers WHERE email = 'seller1@example.com'), 1), 'OpenAPI 예시 매장', '04524',
	'서울특별시 중구 세종대로 110', '0212345678'
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM branches
	WHERE brand_id = COALESCE((SELECT brand_id FROM sellers WHERE email = 'seller1@example.com'), 1));
