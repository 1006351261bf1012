-- Each brand's card version (issue 12): it counts the writes to the brand's product cards, so a
-- worker may keep the product page's strip of the brand's most popular cards ("more from this
-- brand", src/db/catalog.c: catalog_brand_strip) for as long as the version it read them at is
-- still the brand's. The product page's statement reads the version with the product, so the strip
-- costs no statement while nothing in it changed, and is exact (a like, a sale, a price, stock or a
-- name changes a card, and so the version) across workers and pods.
-- Triggers on product_cards rather than the card routines: every writer of a card is seen, the
-- previous release's writes during a blue/green switch too. A bulk load with
-- @lonua_cards_deferred = 1 (ci/bigdata) leaves the versions alone, as it leaves the cards until
-- its closing rebuild: workers started after it read their strips afresh. A brand without a row has version 0 (the statement's COALESCE); its
-- first card write makes the row, at 1.
-- A statement that reads brand_card_versions cannot write product_cards (MariaDB error 1442): only
-- the product page's SELECT reads it.
CREATE TABLE IF NOT EXISTS brand_card_versions (
	brand_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	version BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

CREATE PROCEDURE IF NOT EXISTS brand_card_version_bump(IN bid BIGINT UNSIGNED)
	MODIFIES SQL DATA
BEGIN
	IF @lonua_cards_deferred IS NULL THEN
		INSERT INTO brand_card_versions (brand_id, version) VALUES (bid, 1)
			ON DUPLICATE KEY UPDATE version = version + 1;
	END IF;
END;

CREATE TRIGGER IF NOT EXISTS tr_product_cards_brand_version_insert AFTER INSERT ON product_cards FOR EACH ROW
	CALL brand_card_version_bump(NEW.brand_id);
CREATE TRIGGER IF NOT EXISTS tr_product_cards_brand_version_update AFTER UPDATE ON product_cards FOR EACH ROW
BEGIN
	CALL brand_card_version_bump(NEW.brand_id);
	IF NEW.brand_id <> OLD.brand_id THEN
		CALL brand_card_version_bump(OLD.brand_id);
	END IF;
END;
CREATE TRIGGER IF NOT EXISTS tr_product_cards_brand_version_delete AFTER DELETE ON product_cards FOR EACH ROW
	CALL brand_card_version_bump(OLD.brand_id);
