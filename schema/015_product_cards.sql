-- Product cards (issue 12): what a listing shows of a product, one flat row per listable product
-- (active, of an active brand), so a page of cards is one index range and 24 primary-key reads
-- instead of four correlated subqueries per card over four tables.
--
-- The cards are derived data, kept exact by triggers in the same transaction as the write that
-- changes a product, a variant, an image or a brand: every writer (the consoles, checkout, the jobs,
-- the seed, and the previous release during a blue/green switch) keeps them right without knowing
-- they exist. product_card_rows is the one definition of a card; product_card_refresh rebuilds one
-- card from it, product_cards_rebuild all of them.
--
-- catalog_version counts the changes that can move a product into or out of a filtered listing
-- (its category, style, brand, price, sale flag, stock of a size, search text, or whether it is
-- listed at all). A listing reads it with its page, and each worker keeps its totals only as long as
-- the version stays the same, so a total is exact (SPEC §5) without a count per request. Likes,
-- reviews and sales figures change cards but not the version.
--
-- A bulk load (ci/bigdata) may set @lonua_cards_deferred = 1 in its session: the triggers then
-- leave the cards alone, and the load ends with CALL product_cards_rebuild().
-- Expand only: new tables, a view, routines and triggers; the previous release never reads them.
CREATE TABLE IF NOT EXISTS product_cards (
	id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	brand_id BIGINT UNSIGNED NOT NULL,
	brand_name VARCHAR(100) NOT NULL,
	category_id INT UNSIGNED NOT NULL,
	style_id INT UNSIGNED NOT NULL,
	name VARCHAR(150) NOT NULL,
	list_price BIGINT NOT NULL,
	sale_price BIGINT NOT NULL,
	discount_percent TINYINT UNSIGNED NOT NULL,
	is_on_sale TINYINT(1) NOT NULL,
	sold_out TINYINT(1) NOT NULL,
	like_count INT UNSIGNED NOT NULL,
	units_sold_30d INT UNSIGNED NOT NULL,
	review_count INT UNSIGNED NOT NULL,
	rating_avg DECIMAL(3,2) NULL,
	created_at DATETIME NOT NULL,
	image_key VARCHAR(100) NULL,
	KEY ix_product_cards_created (created_at),
	KEY ix_product_cards_popular (units_sold_30d),
	KEY ix_product_cards_price (sale_price),
	KEY ix_product_cards_discount (discount_percent),
	KEY ix_product_cards_rating (rating_avg),
	KEY ix_product_cards_reviews (review_count),
	KEY ix_product_cards_on_sale (is_on_sale, created_at),
	KEY ix_product_cards_category_created (category_id, created_at),
	KEY ix_product_cards_category_popular (category_id, units_sold_30d),
	KEY ix_product_cards_category_price (category_id, sale_price),
	KEY ix_product_cards_style_created (style_id, created_at),
	KEY ix_product_cards_style_popular (style_id, units_sold_30d),
	KEY ix_product_cards_brand_created (brand_id, created_at),
	KEY ix_product_cards_brand_popular (brand_id, units_sold_30d)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS catalog_version (
	id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	version BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;
INSERT IGNORE INTO catalog_version (id, version) VALUES (1, 1);

-- The card of every listable product, in product_cards' column order.
CREATE VIEW IF NOT EXISTS product_card_rows AS
	SELECT p.id, p.brand_id, b.name AS brand_name, p.category_id, p.style_id, p.name, p.list_price,
		p.sale_price, p.discount_percent, p.is_on_sale,
		NOT EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.status = 'active'
			AND v.stock > 0) AS sold_out,
		p.like_count, p.units_sold_30d, p.review_count, p.rating_avg, p.created_at,
		(SELECT i.image_key FROM product_images i WHERE i.product_id = p.id ORDER BY i.position LIMIT 1)
			AS image_key
	FROM products p JOIN brands b ON b.id = p.brand_id
	WHERE p.status = 'active' AND b.status = 'active';

-- What a filtered listing's membership depends on, for one card (NULL when it is not listed).
CREATE FUNCTION IF NOT EXISTS product_card_key(pid BIGINT UNSIGNED) RETURNS VARCHAR(200)
	READS SQL DATA
	RETURN (SELECT CONCAT_WS(',', category_id, style_id, brand_id, sale_price, is_on_sale, sold_out)
		FROM product_cards WHERE id = pid);

CREATE PROCEDURE IF NOT EXISTS catalog_version_bump()
	MODIFIES SQL DATA
BEGIN
	IF @lonua_cards_deferred IS NULL THEN
		UPDATE catalog_version SET version = version + 1 WHERE id = 1;
	END IF;
END;

-- Rebuilds the card of product pid from its rows; bumps the version when its listing membership moved.
CREATE PROCEDURE IF NOT EXISTS product_card_refresh(IN pid BIGINT UNSIGNED)
	MODIFIES SQL DATA
BEGIN
	DECLARE before_key VARCHAR(200) DEFAULT product_card_key(pid);
	IF @lonua_cards_deferred IS NULL THEN
		DELETE FROM product_cards WHERE id = pid;
		INSERT INTO product_cards SELECT * FROM product_card_rows WHERE id = pid;
		IF NOT (before_key <=> product_card_key(pid)) THEN
			CALL catalog_version_bump();
		END IF;
	END IF;
END;

-- A variant came, went, or changed size, visibility or whether it has stock: the size filter's
-- matches may have moved even when the card itself did not.
CREATE PROCEDURE IF NOT EXISTS product_card_variant_changed(IN pid BIGINT UNSIGNED)
	MODIFIES SQL DATA
BEGIN
	IF @lonua_cards_deferred IS NULL THEN
		CALL product_card_refresh(pid);
		CALL catalog_version_bump();
	END IF;
END;

-- A brand's name or status changed: all of its cards.
CREATE PROCEDURE IF NOT EXISTS product_cards_refresh_brand(IN bid BIGINT UNSIGNED)
	MODIFIES SQL DATA
BEGIN
	IF @lonua_cards_deferred IS NULL THEN
		DELETE FROM product_cards WHERE brand_id = bid;
		INSERT INTO product_cards SELECT * FROM product_card_rows WHERE brand_id = bid;
		CALL catalog_version_bump();
	END IF;
END;

-- Every card from scratch (after a bulk load, or to repair).
CREATE PROCEDURE IF NOT EXISTS product_cards_rebuild()
	MODIFIES SQL DATA
BEGIN
	DELETE FROM product_cards;
	INSERT INTO product_cards SELECT * FROM product_card_rows;
	UPDATE catalog_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER IF NOT EXISTS tr_products_card_insert AFTER INSERT ON products FOR EACH ROW
	CALL product_card_refresh(NEW.id);
CREATE TRIGGER IF NOT EXISTS tr_products_card_update AFTER UPDATE ON products FOR EACH ROW
	CALL product_card_refresh(NEW.id);
CREATE TRIGGER IF NOT EXISTS tr_products_card_delete AFTER DELETE ON products FOR EACH ROW
	CALL product_card_refresh(OLD.id);

CREATE TRIGGER IF NOT EXISTS tr_product_variants_card_insert AFTER INSERT ON product_variants FOR EACH ROW
	CALL product_card_variant_changed(NEW.product_id);
CREATE TRIGGER IF NOT EXISTS tr_product_variants_card_update AFTER UPDATE ON product_variants FOR EACH ROW
BEGIN
	IF (OLD.stock > 0) <> (NEW.stock > 0) OR OLD.status <> NEW.status OR OLD.size_label <> NEW.size_label THEN
		CALL product_card_variant_changed(NEW.product_id);
	END IF;
END;
CREATE TRIGGER IF NOT EXISTS tr_product_variants_card_delete AFTER DELETE ON product_variants FOR EACH ROW
	CALL product_card_variant_changed(OLD.product_id);

CREATE TRIGGER IF NOT EXISTS tr_product_images_card_insert AFTER INSERT ON product_images FOR EACH ROW
	CALL product_card_refresh(NEW.product_id);
CREATE TRIGGER IF NOT EXISTS tr_product_images_card_update AFTER UPDATE ON product_images FOR EACH ROW
	CALL product_card_refresh(NEW.product_id);
CREATE TRIGGER IF NOT EXISTS tr_product_images_card_delete AFTER DELETE ON product_images FOR EACH ROW
	CALL product_card_refresh(OLD.product_id);

CREATE TRIGGER IF NOT EXISTS tr_brands_card_update AFTER UPDATE ON brands FOR EACH ROW
BEGIN
	IF OLD.name <> NEW.name OR OLD.status <> NEW.status THEN
		CALL product_cards_refresh_brand(NEW.id);
	END IF;
END;

-- The search text decides a search's matches.
CREATE TRIGGER IF NOT EXISTS tr_product_search_version_insert AFTER INSERT ON product_search FOR EACH ROW
	CALL catalog_version_bump();
CREATE TRIGGER IF NOT EXISTS tr_product_search_version_update AFTER UPDATE ON product_search FOR EACH ROW
	CALL catalog_version_bump();
CREATE TRIGGER IF NOT EXISTS tr_product_search_version_delete AFTER DELETE ON product_search FOR EACH ROW
	CALL catalog_version_bump();

CALL product_cards_rebuild();
