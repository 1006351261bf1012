-- The sizes each shopper kept (issue 12): a row per confirmed order line with its shopper, its
-- product's category and when it was confirmed, so that size advice reads a shopper's kept sizes in
-- a category, most recently kept first (src/db/fit.c: db_fit_kept), as one range of an index in
-- order, instead of walking every line of every order of the shopper and sorting them.
-- Kept by triggers on order_lines (a line confirmed, no longer confirmed, or removed) and on a
-- product's category, so every writer is seen, the previous release's too during a blue/green
-- switch. The triggers read the order's shopper and the product's category by plain (non-locking)
-- reads, so confirming a line takes no lock on the product: a confirmation also counts the
-- product's sales in the same transaction, and a shared lock there would deadlock two of them.
-- A statement that reads kept_sizes cannot write order_lines or products (MariaDB error 1442):
-- only size advice's SELECT reads it.
CREATE TABLE IF NOT EXISTS kept_sizes (
	order_line_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	user_id BIGINT UNSIGNED NOT NULL,
	category_id INT UNSIGNED NOT NULL,
	product_id BIGINT UNSIGNED NOT NULL,
	confirmed_at DATETIME NOT NULL,
	KEY ix_kept_sizes_user_category_confirmed (user_id, category_id, confirmed_at, order_line_id),
	KEY ix_kept_sizes_product (product_id)
) ENGINE=InnoDB;

-- The kept row of a line, as it is now: present while the line is confirmed.
CREATE PROCEDURE IF NOT EXISTS kept_size_sync(IN line BIGINT UNSIGNED, IN order_of BIGINT UNSIGNED,
	IN product BIGINT UNSIGNED, IN confirmed BOOLEAN, IN confirmed_when DATETIME)
	MODIFIES SQL DATA
BEGIN
	DECLARE shopper BIGINT UNSIGNED;
	DECLARE category INT UNSIGNED;
	IF confirmed THEN
		SELECT user_id INTO shopper FROM orders WHERE id = order_of;
		SELECT category_id INTO category FROM products WHERE id = product;
		INSERT INTO kept_sizes (order_line_id, user_id, category_id, product_id, confirmed_at)
			VALUES (line, shopper, category, product, confirmed_when)
			ON DUPLICATE KEY UPDATE confirmed_at = confirmed_when;
	ELSE
		DELETE FROM kept_sizes WHERE order_line_id = line;
	END IF;
END;

CREATE TRIGGER IF NOT EXISTS tr_order_lines_kept_insert AFTER INSERT ON order_lines FOR EACH ROW
BEGIN
	IF NEW.state = 'confirmed' THEN
		CALL kept_size_sync(NEW.id, NEW.order_id, NEW.product_id, TRUE, NEW.confirmed_at);
	END IF;
END;
CREATE TRIGGER IF NOT EXISTS tr_order_lines_kept_update AFTER UPDATE ON order_lines FOR EACH ROW
BEGIN
	IF NEW.state = 'confirmed' OR OLD.state = 'confirmed' THEN
		CALL kept_size_sync(NEW.id, NEW.order_id, NEW.product_id, NEW.state = 'confirmed', NEW.confirmed_at);
	END IF;
END;
CREATE TRIGGER IF NOT EXISTS tr_order_lines_kept_delete AFTER DELETE ON order_lines FOR EACH ROW
	DELETE FROM kept_sizes WHERE order_line_id = OLD.id;

CREATE TRIGGER IF NOT EXISTS tr_products_kept_category AFTER UPDATE ON products FOR EACH ROW
BEGIN
	IF NEW.category_id <> OLD.category_id THEN
		UPDATE kept_sizes SET category_id = NEW.category_id WHERE product_id = NEW.id;
	END IF;
END;

-- The lines confirmed before this migration.
INSERT IGNORE INTO kept_sizes (order_line_id, user_id, category_id, product_id, confirmed_at)
	SELECT l.id, o.user_id, p.category_id, l.product_id, l.confirmed_at
	FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN products p ON p.id = l.product_id
	WHERE l.state = 'confirmed';
