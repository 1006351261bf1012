-- Each brand's line version (issue 12): it counts the writes to the brand's order lines, so a worker
-- may keep the count of a seller's list of lines (src/db/orders.c: db_console_lines and
-- db_brand_lines; up to 10,001 of the brand's lines, ≈ 2 ms for a large brand) for as long as the
-- version it counted at is still the brand's. A page reads the version with its lines and counts
-- only when the version moved, so the total stays exact (SPEC §5) across workers and pods.
-- The triggers move it for a line written, changed in any way or removed: a list's filters read the
-- line's brand, state and tracking number, and the order's recipient and number, which no write
-- changes once the order is placed.
-- Checkout moves the versions of its brands itself, in brand id order, before it writes a line
-- (src/shop/checkout.c): two checkouts then take these rows in the same order and cannot deadlock on
-- them, whatever the order of their lines. The lines' own triggers find the rows already theirs.
-- A bulk load with @lonua_cards_deferred = 1 (ci/bigdata) leaves the versions alone and moves every
-- brand's at its end. A brand without a row has version 0, which no worker keeps a count at; the
-- existing brands get a row here, later ones with their first line.
-- A statement that reads brand_line_versions cannot write order_lines (MariaDB error 1442): only the
-- lists' SELECTs read it.
CREATE TABLE IF NOT EXISTS brand_line_versions (
	brand_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	version BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

INSERT IGNORE INTO brand_line_versions (brand_id, version) SELECT id, 1 FROM brands;

CREATE PROCEDURE IF NOT EXISTS brand_line_version_bump(IN bid BIGINT UNSIGNED)
	MODIFIES SQL DATA
BEGIN
	IF @lonua_cards_deferred IS NULL THEN
		INSERT INTO brand_line_versions (brand_id, version) VALUES (bid, 1)
			ON DUPLICATE KEY UPDATE version = version + 1;
	END IF;
END;

CREATE TRIGGER IF NOT EXISTS tr_order_lines_brand_version_insert AFTER INSERT ON order_lines FOR EACH ROW
	CALL brand_line_version_bump(NEW.brand_id);
CREATE TRIGGER IF NOT EXISTS tr_order_lines_brand_version_update AFTER UPDATE ON order_lines FOR EACH ROW
BEGIN
	CALL brand_line_version_bump(NEW.brand_id);
	IF NEW.brand_id <> OLD.brand_id THEN
		CALL brand_line_version_bump(OLD.brand_id);
	END IF;
END;
CREATE TRIGGER IF NOT EXISTS tr_order_lines_brand_version_delete AFTER DELETE ON order_lines FOR EACH ROW
	CALL brand_line_version_bump(OLD.brand_id);
