-- Each session's account stamp (issue 12): each worker keeps what the session's statement read of
-- a session's account (src/db/sessions.c db_session_find: the user with its grade and cart count, or
-- the seller with its brand), and on the next request with the same token reads only the session's
-- own row, with this stamp. While the stamp is the one it kept the account with, nothing the worker
-- kept has changed; otherwise it reads the whole statement again. The session's own columns (its
-- CSRF secret, when it was last used and re-authenticated, when it ends) are read on every request,
-- and a session deleted (logout, a password change) is gone at once.
-- The triggers move it for every writer of what the statement reads, the previous release's during a
-- blue/green switch too: the member's columns it shows (name, email, role, status, password or Kakao
-- set, grade, mileage, body profile, likes and kept sizes versions: the triggers of 016 and 023 write
-- those), the grade's percentages, the cart's line count (with its lines), the seller's columns and
-- its brand's status and name. A statement that writes any of these tables cannot read sessions
-- (MariaDB error 1442); none does: only src/db/sessions.c reads sessions.
ALTER TABLE sessions
	ADD COLUMN IF NOT EXISTS account_stamp BIGINT UNSIGNED NOT NULL DEFAULT 0 AFTER seller_id;

CREATE TRIGGER IF NOT EXISTS tr_users_session_stamp AFTER UPDATE ON users FOR EACH ROW
BEGIN
	IF NOT (NEW.name <=> OLD.name AND NEW.email <=> OLD.email AND NEW.role <=> OLD.role
	        AND NEW.status <=> OLD.status AND NEW.password_hash <=> OLD.password_hash
	        AND NEW.kakao_id <=> OLD.kakao_id AND NEW.grade_id <=> OLD.grade_id
	        AND NEW.mileage_balance <=> OLD.mileage_balance AND NEW.height_cm <=> OLD.height_cm
	        AND NEW.weight_kg <=> OLD.weight_kg AND NEW.upper_body_type <=> OLD.upper_body_type
	        AND NEW.lower_body_type <=> OLD.lower_body_type AND NEW.likes_version <=> OLD.likes_version
	        AND NEW.kept_sizes_version <=> OLD.kept_sizes_version) THEN
		UPDATE sessions SET account_stamp = account_stamp + 1 WHERE user_id = NEW.id;
	END IF;
END;

CREATE TRIGGER IF NOT EXISTS tr_grades_session_stamp AFTER UPDATE ON grades FOR EACH ROW
BEGIN
	IF NOT (NEW.discount_percent <=> OLD.discount_percent AND NEW.mileage_percent <=> OLD.mileage_percent) THEN
		UPDATE sessions SET account_stamp = account_stamp + 1
			WHERE user_id IN (SELECT id FROM users WHERE grade_id = NEW.id);
	END IF;
END;

-- A cart's line count moves with its lines (018's triggers), so the lines' triggers move the stamp
-- of the cart owner's sessions. Not triggers on carts: an update trigger there makes MariaDB
-- answer 0 for the insert id of src/db/carts.c's INSERT ... ON DUPLICATE KEY UPDATE
-- id = LAST_INSERT_ID(id). A cart is made empty (as no cart counts) and a member's cart goes only
-- with their sessions (src/db/users.c), so no write to carts itself needs to move it.
-- Subqueries, not multi-table updates: MariaDB 10.11 runs a trigger's multi-table update from a
-- prepared statement (every statement of the workers) as error 1146, "Table 's' doesn't exist".
CREATE TRIGGER IF NOT EXISTS tr_cart_lines_session_stamp_insert AFTER INSERT ON cart_lines FOR EACH ROW
	UPDATE sessions SET account_stamp = account_stamp + 1
		WHERE user_id = (SELECT user_id FROM carts WHERE id = NEW.cart_id);
CREATE TRIGGER IF NOT EXISTS tr_cart_lines_session_stamp_delete AFTER DELETE ON cart_lines FOR EACH ROW
	UPDATE sessions SET account_stamp = account_stamp + 1
		WHERE user_id = (SELECT user_id FROM carts WHERE id = OLD.cart_id);
CREATE TRIGGER IF NOT EXISTS tr_cart_lines_session_stamp_move AFTER UPDATE ON cart_lines FOR EACH ROW
BEGIN
	IF NEW.cart_id <> OLD.cart_id THEN
		UPDATE sessions SET account_stamp = account_stamp + 1
			WHERE user_id IN (SELECT user_id FROM carts WHERE id IN (NEW.cart_id, OLD.cart_id));
	END IF;
END;

CREATE TRIGGER IF NOT EXISTS tr_sellers_session_stamp AFTER UPDATE ON sellers FOR EACH ROW
BEGIN
	IF NOT (NEW.name <=> OLD.name AND NEW.email <=> OLD.email AND NEW.status <=> OLD.status
	        AND NEW.brand_id <=> OLD.brand_id) THEN
		UPDATE sessions SET account_stamp = account_stamp + 1 WHERE seller_id = NEW.id;
	END IF;
END;

CREATE TRIGGER IF NOT EXISTS tr_brands_session_stamp AFTER UPDATE ON brands FOR EACH ROW
BEGIN
	IF NOT (NEW.status <=> OLD.status AND NEW.name <=> OLD.name) THEN
		UPDATE sessions SET account_stamp = account_stamp + 1
			WHERE seller_id IN (SELECT id FROM sellers WHERE brand_id = NEW.id);
	END IF;
END;
