-- How many of each product's lines were kept (issue 12): the rows of kept_sizes (022) per product,
-- kept by triggers on kept_sizes, so every writer is seen. The product page's statement reads it with
-- the product's versions (src/db/catalog.c), and size advice asks for the sizes that buyers like the
-- shopper kept (src/db/fit.c: db_fit_peers, a statement of three tables) only when the product has
-- kept lines at all: most products of a large catalogue have none.
-- A statement that reads product_kept_counts cannot write kept_sizes (MariaDB error 1442): only the
-- product page's SELECTs read it.
CREATE TABLE IF NOT EXISTS product_kept_counts (
	product_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	kept INT UNSIGNED NOT NULL
) ENGINE=InnoDB;

CREATE PROCEDURE IF NOT EXISTS product_kept_count_add(IN pid BIGINT UNSIGNED, IN delta INT)
	MODIFIES SQL DATA
	INSERT INTO product_kept_counts (product_id, kept) VALUES (pid, GREATEST(delta, 0))
		ON DUPLICATE KEY UPDATE kept = GREATEST(CAST(kept AS SIGNED) + delta, 0);

CREATE TRIGGER IF NOT EXISTS tr_kept_sizes_count_insert AFTER INSERT ON kept_sizes FOR EACH ROW
	CALL product_kept_count_add(NEW.product_id, 1);
CREATE TRIGGER IF NOT EXISTS tr_kept_sizes_count_update AFTER UPDATE ON kept_sizes FOR EACH ROW
BEGIN
	IF NEW.product_id <> OLD.product_id THEN
		CALL product_kept_count_add(OLD.product_id, -1);
		CALL product_kept_count_add(NEW.product_id, 1);
	END IF;
END;
CREATE TRIGGER IF NOT EXISTS tr_kept_sizes_count_delete AFTER DELETE ON kept_sizes FOR EACH ROW
	CALL product_kept_count_add(OLD.product_id, -1);

-- The counts of the rows already there, once the triggers count the new ones.
INSERT INTO product_kept_counts (product_id, kept)
	SELECT product_id, COUNT(*) FROM kept_sizes GROUP BY product_id
	ON DUPLICATE KEY UPDATE kept = VALUES(kept);
