-- Each product's version and each brand's version (issue 12): together with the product's
-- community version (schema/020) they count every write to what the product page's statement reads
-- (src/db/catalog.c: sql_product_page): the product's row, its sizes and their stock, its pictures,
-- its brand's name and terms. A worker keeps the product it read (src/db/product_cache.c) and, on
-- the next page, reads only these versions, by primary key, instead of the product: while they
-- are the ones it read the product at, the kept product is exactly what the statement would read.
-- The card's sold-out state comes from the sizes, so their triggers cover it. The review summary
-- comes from the reviews (the community version) and the product's counters (its row).
-- Triggers rather than the C code, so every writer is seen, the previous release's too during a
-- blue/green switch. A bulk load with @lonua_cards_deferred = 1 (ci/bigdata) leaves the versions
-- alone: workers started after it read the products afresh. A product or brand without a row has
-- version 0 (the statement's COALESCE); its first write makes the row, at 1.
-- A statement that reads these tables cannot write the tables below (MariaDB error 1442): only the
-- product page's SELECTs read them.
CREATE TABLE IF NOT EXISTS product_versions (
	product_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	version BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS brand_versions (
	brand_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	version BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

CREATE PROCEDURE IF NOT EXISTS product_version_bump(IN pid BIGINT UNSIGNED)
	MODIFIES SQL DATA
BEGIN
	IF @lonua_cards_deferred IS NULL THEN
		INSERT INTO product_versions (product_id, version) VALUES (pid, 1)
			ON DUPLICATE KEY UPDATE version = version + 1;
	END IF;
END;

CREATE TRIGGER IF NOT EXISTS tr_products_version_update AFTER UPDATE ON products FOR EACH ROW
	CALL product_version_bump(NEW.id);

CREATE TRIGGER IF NOT EXISTS tr_product_variants_version_insert AFTER INSERT ON product_variants FOR EACH ROW
	CALL product_version_bump(NEW.product_id);
CREATE TRIGGER IF NOT EXISTS tr_product_variants_version_update AFTER UPDATE ON product_variants FOR EACH ROW
	CALL product_version_bump(NEW.product_id);
CREATE TRIGGER IF NOT EXISTS tr_product_variants_version_delete AFTER DELETE ON product_variants FOR EACH ROW
	CALL product_version_bump(OLD.product_id);

CREATE TRIGGER IF NOT EXISTS tr_product_images_version_insert AFTER INSERT ON product_images FOR EACH ROW
	CALL product_version_bump(NEW.product_id);
CREATE TRIGGER IF NOT EXISTS tr_product_images_version_update AFTER UPDATE ON product_images FOR EACH ROW
	CALL product_version_bump(NEW.product_id);
CREATE TRIGGER IF NOT EXISTS tr_product_images_version_delete AFTER DELETE ON product_images FOR EACH ROW
	CALL product_version_bump(OLD.product_id);

CREATE TRIGGER IF NOT EXISTS tr_brands_version_update AFTER UPDATE ON brands FOR EACH ROW
BEGIN
	IF @lonua_cards_deferred IS NULL THEN
		INSERT INTO brand_versions (brand_id, version) VALUES (NEW.id, 1)
			ON DUPLICATE KEY UPDATE version = version + 1;
	END IF;
END;
