-- The number of lines in each cart (issue 12), kept by triggers on cart_lines, so that knowing who
-- is calling (src/db/sessions.c: one statement on every signed-in request) reads the header's cart
-- count with the cart's row instead of counting its lines in a subquery that MariaDB plans again on
-- every execution (40-50 µs of the statement's 230).
-- Triggers rather than the C code, so the previous release's writes keep it too during a
-- blue/green switch. ON DUPLICATE KEY UPDATE (adding a size already in the cart) is an update, not
-- an insert: the count stays. Lines a cascade removes fire no trigger; the code removes a
-- product's and a size's lines itself first (src/db/products.c), and a cart removed with its
-- lines takes its count along. Signed: a count that ever drifted must not make removing a line
-- fail (an unsigned 0 - 1 is an error in strict mode).
ALTER TABLE carts
	ADD COLUMN IF NOT EXISTS line_count INT NOT NULL DEFAULT 0 AFTER guest_token_hash;

CREATE TRIGGER IF NOT EXISTS tr_cart_lines_count_insert AFTER INSERT ON cart_lines FOR EACH ROW
	UPDATE carts SET line_count = line_count + 1 WHERE id = NEW.cart_id;
CREATE TRIGGER IF NOT EXISTS tr_cart_lines_count_delete AFTER DELETE ON cart_lines FOR EACH ROW
	UPDATE carts SET line_count = line_count - 1 WHERE id = OLD.cart_id;
CREATE TRIGGER IF NOT EXISTS tr_cart_lines_count_move AFTER UPDATE ON cart_lines FOR EACH ROW
BEGIN
	IF NEW.cart_id <> OLD.cart_id THEN
		UPDATE carts SET line_count = line_count - 1 WHERE id = OLD.cart_id;
		UPDATE carts SET line_count = line_count + 1 WHERE id = NEW.cart_id;
	END IF;
END;

-- The carts that exist.
UPDATE carts c SET c.line_count = (SELECT COUNT(*) FROM cart_lines l WHERE l.cart_id = c.id);
