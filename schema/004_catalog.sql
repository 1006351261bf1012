-- The catalogue: products, their images, their sizes (variants), the body-type counters that
-- drive "popular with your body type", and likes (SPEC §3 Product, Variant, Body-type counters,
-- Like). The listing indexes below follow the filters and sorts of SPEC §4/§5; docs/schema.md
-- names the query each one serves.

-- A product of one brand, in one category and one style. sale_price <= list_price; the discount
-- percent and "on sale" are derived (stored generated columns, so they can be indexed). Counters
-- are kept current by atomic updates in the transactions that change them (like_count,
-- review_count + rating_sum), or recomputed by a job (units_sold_30d: units paid in the last 30
-- days). rating_sum stays between 1x and 5x review_count, so the average is always 1..5.
-- "Sold out" is derived from variant stock. uq_products_id_brand lets child rows that copy
-- brand_id (variants, questions) prove with a foreign key that they copied it right.
CREATE TABLE IF NOT EXISTS products (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	brand_id BIGINT UNSIGNED NOT NULL,
	category_id INT UNSIGNED NOT NULL,
	style_id INT UNSIGNED NOT NULL,
	name VARCHAR(150) NOT NULL,
	description TEXT NULL,
	list_price BIGINT NOT NULL,
	sale_price BIGINT NOT NULL,
	discount_percent TINYINT UNSIGNED AS (IF(list_price > 0 AND sale_price BETWEEN 0 AND list_price,
		FLOOR((list_price - sale_price) * 100 / list_price), 0)) STORED,
	is_on_sale TINYINT(1) AS (sale_price < list_price) STORED,
	status ENUM('draft', 'active', 'hidden') NOT NULL DEFAULT 'draft',
	like_count INT UNSIGNED NOT NULL DEFAULT 0,
	units_sold_30d INT UNSIGNED NOT NULL DEFAULT 0,
	review_count INT UNSIGNED NOT NULL DEFAULT 0,
	rating_sum INT UNSIGNED NOT NULL DEFAULT 0,
	rating_avg DECIMAL(3,2) AS (IF(review_count = 0 OR rating_sum > 5 * review_count, NULL,
		ROUND(rating_sum / review_count, 2))) STORED,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_products_id_brand (id, brand_id),
	KEY ix_products_status_created (status, created_at),
	KEY ix_products_status_popular (status, units_sold_30d),
	KEY ix_products_status_price (status, sale_price),
	KEY ix_products_status_discount (status, discount_percent),
	KEY ix_products_status_rating (status, rating_avg),
	KEY ix_products_status_reviews (status, review_count),
	KEY ix_products_status_on_sale (status, is_on_sale, created_at),
	KEY ix_products_category_created (category_id, status, created_at),
	KEY ix_products_category_popular (category_id, status, units_sold_30d),
	KEY ix_products_category_price (category_id, status, sale_price),
	KEY ix_products_style_created (style_id, status, created_at),
	KEY ix_products_style_popular (style_id, status, units_sold_30d),
	KEY ix_products_brand_created (brand_id, status, created_at),
	CONSTRAINT fk_products_brand FOREIGN KEY (brand_id) REFERENCES brands (id),
	CONSTRAINT fk_products_category FOREIGN KEY (category_id) REFERENCES categories (id),
	CONSTRAINT fk_products_style FOREIGN KEY (style_id) REFERENCES styles (id),
	CONSTRAINT chk_products_list_price CHECK (list_price > 0),
	CONSTRAINT chk_products_sale_price CHECK (sale_price > 0 AND sale_price <= list_price),
	CONSTRAINT chk_products_rating_sum CHECK (rating_sum BETWEEN review_count AND 5 * review_count)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A product's gallery, ordered by position (0 is the thumbnail of every list). image_key is the
-- content-derived file name under the media folder; the sizes are derived from it. One image per
-- position; images go with their product.
CREATE TABLE IF NOT EXISTS product_images (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	product_id BIGINT UNSIGNED NOT NULL,
	position SMALLINT UNSIGNED NOT NULL,
	image_key VARCHAR(100) NOT NULL,
	width SMALLINT UNSIGNED NULL,
	height SMALLINT UNSIGNED NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY uq_product_images_position (product_id, position),
	CONSTRAINT fk_product_images_product FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The long images under a product's description, ordered by position. Same rules as the gallery.
CREATE TABLE IF NOT EXISTS product_description_images (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	product_id BIGINT UNSIGNED NOT NULL,
	position SMALLINT UNSIGNED NOT NULL,
	image_key VARCHAR(100) NOT NULL,
	width SMALLINT UNSIGNED NULL,
	height SMALLINT UNSIGNED NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY uq_product_description_images_position (product_id, position),
	CONSTRAINT fk_product_description_images_product FOREIGN KEY (product_id) REFERENCES products (id)
		ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A size (and optional colour) of a product: what is stocked, carted and ordered. Stock can never
-- go below zero (CHECK; checkout takes stock with UPDATE ... SET stock = stock - ? WHERE stock >= ?).
-- One row per (product, size, colour); SKU unique per brand (brand_id is copied from the product,
-- and fk_product_variants_product_brand proves the copy). Garment measurements are integers in
-- millimetres (cm x 10: 52.5 cm is 525), flat widths as Korean size charts give them: tops use
-- shoulder, chest, sleeve and total length; bottoms waist, hip, thigh, rise, hem and total length.
-- A variant that was ordered cannot be deleted (order_lines RESTRICT); it is hidden instead.
CREATE TABLE IF NOT EXISTS product_variants (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	product_id BIGINT UNSIGNED NOT NULL,
	brand_id BIGINT UNSIGNED NOT NULL,
	size_label VARCHAR(20) NOT NULL,
	color VARCHAR(50) NOT NULL DEFAULT '',
	sku VARCHAR(64) NULL,
	stock INT NOT NULL DEFAULT 0,
	status ENUM('active', 'hidden') NOT NULL DEFAULT 'active',
	sort_order SMALLINT UNSIGNED NOT NULL DEFAULT 0,
	shoulder_mm SMALLINT UNSIGNED NULL,
	chest_mm SMALLINT UNSIGNED NULL,
	sleeve_mm SMALLINT UNSIGNED NULL,
	waist_mm SMALLINT UNSIGNED NULL,
	hip_mm SMALLINT UNSIGNED NULL,
	thigh_mm SMALLINT UNSIGNED NULL,
	rise_mm SMALLINT UNSIGNED NULL,
	hem_mm SMALLINT UNSIGNED NULL,
	total_length_mm SMALLINT UNSIGNED NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_product_variants_size (product_id, size_label, color),
	UNIQUE KEY uq_product_variants_sku (brand_id, sku),
	UNIQUE KEY uq_product_variants_id_product_brand (id, product_id, brand_id),
	KEY ix_product_variants_product_brand (product_id, brand_id),
	KEY ix_product_variants_size_lookup (size_label, product_id, stock),
	KEY ix_product_variants_brand_stock (brand_id, stock),
	CONSTRAINT fk_product_variants_product_brand FOREIGN KEY (product_id, brand_id)
		REFERENCES products (id, brand_id) ON DELETE CASCADE,
	CONSTRAINT fk_product_variants_brand FOREIGN KEY (brand_id) REFERENCES brands (id),
	CONSTRAINT chk_product_variants_stock CHECK (stock >= 0),
	CONSTRAINT chk_product_variants_size_label CHECK (size_label <> ''),
	CONSTRAINT chk_product_variants_measurements CHECK (
		(shoulder_mm IS NULL OR shoulder_mm BETWEEN 1 AND 5000) AND (chest_mm IS NULL OR chest_mm BETWEEN 1 AND 5000)
		AND (sleeve_mm IS NULL OR sleeve_mm BETWEEN 1 AND 5000) AND (waist_mm IS NULL OR waist_mm BETWEEN 1 AND 5000)
		AND (hip_mm IS NULL OR hip_mm BETWEEN 1 AND 5000) AND (thigh_mm IS NULL OR thigh_mm BETWEEN 1 AND 5000)
		AND (rise_mm IS NULL OR rise_mm BETWEEN 1 AND 5000) AND (hem_mm IS NULL OR hem_mm BETWEEN 1 AND 5000)
		AND (total_length_mm IS NULL OR total_length_mm BETWEEN 1 AND 5000))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Units of a product bought by shoppers of each upper-body type (1 slim, 2 average, 3 heavy) and
-- each lower-body type: one row per product, updated atomically (col = col + n) with the order
-- lines. "Popular with your body type" orders by the caller's upper column, then lower column:
-- one index per (upper, lower) pair serves each of the nine shapes without a sort.
CREATE TABLE IF NOT EXISTS product_body_type_counts (
	product_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	upper1_units INT UNSIGNED NOT NULL DEFAULT 0,
	upper2_units INT UNSIGNED NOT NULL DEFAULT 0,
	upper3_units INT UNSIGNED NOT NULL DEFAULT 0,
	lower1_units INT UNSIGNED NOT NULL DEFAULT 0,
	lower2_units INT UNSIGNED NOT NULL DEFAULT 0,
	lower3_units INT UNSIGNED NOT NULL DEFAULT 0,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	KEY ix_pbtc_u1_l1 (upper1_units, lower1_units),
	KEY ix_pbtc_u1_l2 (upper1_units, lower2_units),
	KEY ix_pbtc_u1_l3 (upper1_units, lower3_units),
	KEY ix_pbtc_u2_l1 (upper2_units, lower1_units),
	KEY ix_pbtc_u2_l2 (upper2_units, lower2_units),
	KEY ix_pbtc_u2_l3 (upper2_units, lower3_units),
	KEY ix_pbtc_u3_l1 (upper3_units, lower1_units),
	KEY ix_pbtc_u3_l2 (upper3_units, lower2_units),
	KEY ix_pbtc_u3_l3 (upper3_units, lower3_units),
	CONSTRAINT fk_product_body_type_counts_product FOREIGN KEY (product_id) REFERENCES products (id)
		ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A shopper's like of a product: one per (user, product). products.like_count moves with the
-- insert or delete of a row, in the same transaction, only when a row was inserted or deleted.
CREATE TABLE IF NOT EXISTS likes (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	user_id BIGINT UNSIGNED NOT NULL,
	product_id BIGINT UNSIGNED NOT NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY uq_likes_user_product (user_id, product_id),
	KEY ix_likes_user_created (user_id, created_at),
	KEY ix_likes_product (product_id),
	CONSTRAINT fk_likes_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
	CONSTRAINT fk_likes_product FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
