-- A shopper's kept sizes version (issue 12): each worker keeps the sizes a shopper kept in a
-- category (size advice on the product page: src/db/fit.c db_fit_kept_at) and reads them again only
-- when this counter has moved; the session's statement reads it with the account, as it reads the
-- likes version (schema/016). Before, every signed-in product page read them in a statement of
-- their own.
-- What the kept sizes show moves it: a kept row made, changed (its category, when it was kept) or
-- removed (schema/022's triggers write them for every writer of order lines and products), and the
-- measurements of a size someone kept (the advice compares the size as it is measured now). A
-- variant with order lines cannot be deleted (fk_order_lines_variant), so no delete moves it.
-- updated_at = updated_at keeps it from counting as a change of the member's account. A bulk load
-- that sets @lonua_cards_deferred (ci/bigdata) leaves it, as it leaves the likes version.
-- A statement that writes order lines, kept sizes or a size's measurements cannot read users
-- (MariaDB error 1442); none does.
ALTER TABLE users
	ADD COLUMN IF NOT EXISTS kept_sizes_version BIGINT UNSIGNED NOT NULL DEFAULT 0 AFTER likes_version;

CREATE PROCEDURE IF NOT EXISTS kept_sizes_version_bump(IN shopper BIGINT UNSIGNED)
	MODIFIES SQL DATA
BEGIN
	IF @lonua_cards_deferred IS NULL THEN
		UPDATE users SET kept_sizes_version = kept_sizes_version + 1, updated_at = updated_at WHERE id = shopper;
	END IF;
END;

CREATE TRIGGER IF NOT EXISTS tr_kept_sizes_version_insert AFTER INSERT ON kept_sizes FOR EACH ROW
	CALL kept_sizes_version_bump(NEW.user_id);
CREATE TRIGGER IF NOT EXISTS tr_kept_sizes_version_update AFTER UPDATE ON kept_sizes FOR EACH ROW
BEGIN
	CALL kept_sizes_version_bump(NEW.user_id);
	IF OLD.user_id <> NEW.user_id THEN
		CALL kept_sizes_version_bump(OLD.user_id);
	END IF;
END;
CREATE TRIGGER IF NOT EXISTS tr_kept_sizes_version_delete AFTER DELETE ON kept_sizes FOR EACH ROW
	CALL kept_sizes_version_bump(OLD.user_id);

-- Everyone who kept this size, through ix_order_lines_variant_product_brand and kept_sizes' key.
CREATE TRIGGER IF NOT EXISTS tr_product_variants_kept_measures AFTER UPDATE ON product_variants FOR EACH ROW
BEGIN
	IF @lonua_cards_deferred IS NULL AND NOT (OLD.total_length_mm <=> NEW.total_length_mm
			AND OLD.shoulder_mm <=> NEW.shoulder_mm AND OLD.chest_mm <=> NEW.chest_mm
			AND OLD.sleeve_mm <=> NEW.sleeve_mm AND OLD.waist_mm <=> NEW.waist_mm AND OLD.hip_mm <=> NEW.hip_mm
			AND OLD.thigh_mm <=> NEW.thigh_mm AND OLD.rise_mm <=> NEW.rise_mm AND OLD.hem_mm <=> NEW.hem_mm) THEN
		UPDATE users u JOIN (SELECT DISTINCT k.user_id FROM order_lines l
				JOIN kept_sizes k ON k.order_line_id = l.id WHERE l.variant_id = NEW.id) kept ON kept.user_id = u.id
			SET u.kept_sizes_version = u.kept_sizes_version + 1, u.updated_at = u.updated_at;
	END IF;
END;
