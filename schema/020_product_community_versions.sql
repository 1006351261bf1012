-- Each product's community version (issue 12): it counts the writes to what the product page shows
-- of its reviews and questions, so a worker may keep the page's newest reviews and questions
-- (src/db/community_cache.c) for as long as the version it read them at is still the product's.
-- The product page's statement reads the version with the product, so the two lists cost no
-- statement while nothing in them changed, and are exact across workers and pods.
-- What the lists show, and so what moves the version: a review (its rating, text, state) and its
-- photos; a question and its answer; the name or e-mail of a reviewer or asker; the product's name
-- (the questions show it) and its pictures (a review shows the first). An order line's size,
-- colour and names are written once, with the order, and never change.
-- Triggers rather than the C code, so every writer is seen, the previous release's too during a
-- blue/green switch. A bulk load with @lonua_cards_deferred = 1 (ci/bigdata) leaves the versions
-- alone: workers started after it read the lists afresh. A product without a row has version 0
-- (the statement's COALESCE); its first write makes the row, at 1.
-- A statement that reads product_community_versions cannot write the tables below (MariaDB error
-- 1442): only the product page's SELECT reads it.
CREATE TABLE IF NOT EXISTS product_community_versions (
	product_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	version BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

CREATE PROCEDURE IF NOT EXISTS product_community_bump(IN pid BIGINT UNSIGNED)
	MODIFIES SQL DATA
BEGIN
	IF @lonua_cards_deferred IS NULL AND pid IS NOT NULL THEN
		INSERT INTO product_community_versions (product_id, version) VALUES (pid, 1)
			ON DUPLICATE KEY UPDATE version = version + 1;
	END IF;
END;

CREATE TRIGGER IF NOT EXISTS tr_reviews_community_insert AFTER INSERT ON reviews FOR EACH ROW
	CALL product_community_bump(NEW.product_id);
CREATE TRIGGER IF NOT EXISTS tr_reviews_community_update AFTER UPDATE ON reviews FOR EACH ROW
	CALL product_community_bump(NEW.product_id);
CREATE TRIGGER IF NOT EXISTS tr_reviews_community_delete AFTER DELETE ON reviews FOR EACH ROW
	CALL product_community_bump(OLD.product_id);

-- A review's photos: its product. A photo removed with its review (ON DELETE CASCADE) fires no
-- trigger; the review's own does.
CREATE TRIGGER IF NOT EXISTS tr_review_photos_community_insert AFTER INSERT ON review_photos FOR EACH ROW
	CALL product_community_bump((SELECT product_id FROM reviews WHERE id = NEW.review_id));
CREATE TRIGGER IF NOT EXISTS tr_review_photos_community_update AFTER UPDATE ON review_photos FOR EACH ROW
	CALL product_community_bump((SELECT product_id FROM reviews WHERE id = NEW.review_id));
CREATE TRIGGER IF NOT EXISTS tr_review_photos_community_delete AFTER DELETE ON review_photos FOR EACH ROW
	CALL product_community_bump((SELECT product_id FROM reviews WHERE id = OLD.review_id));

CREATE TRIGGER IF NOT EXISTS tr_questions_community_insert AFTER INSERT ON questions FOR EACH ROW
	CALL product_community_bump(NEW.product_id);
CREATE TRIGGER IF NOT EXISTS tr_questions_community_update AFTER UPDATE ON questions FOR EACH ROW
	CALL product_community_bump(NEW.product_id);
CREATE TRIGGER IF NOT EXISTS tr_questions_community_delete AFTER DELETE ON questions FOR EACH ROW
	CALL product_community_bump(OLD.product_id);

CREATE TRIGGER IF NOT EXISTS tr_answers_community_insert AFTER INSERT ON answers FOR EACH ROW
	CALL product_community_bump((SELECT product_id FROM questions WHERE id = NEW.question_id));
CREATE TRIGGER IF NOT EXISTS tr_answers_community_update AFTER UPDATE ON answers FOR EACH ROW
	CALL product_community_bump((SELECT product_id FROM questions WHERE id = NEW.question_id));
CREATE TRIGGER IF NOT EXISTS tr_answers_community_delete AFTER DELETE ON answers FOR EACH ROW
	CALL product_community_bump((SELECT product_id FROM questions WHERE id = OLD.question_id));

-- A reviewer's or asker's name or e-mail: every product they reviewed or asked about.
CREATE TRIGGER IF NOT EXISTS tr_users_community_update AFTER UPDATE ON users FOR EACH ROW
BEGIN
	IF @lonua_cards_deferred IS NULL AND NOT (NEW.name <=> OLD.name AND NEW.email <=> OLD.email) THEN
		INSERT INTO product_community_versions (product_id, version)
			SELECT w.product_id, 1 FROM (SELECT product_id FROM reviews WHERE user_id = NEW.id
				UNION SELECT product_id FROM questions WHERE user_id = NEW.id) w
			ON DUPLICATE KEY UPDATE version = product_community_versions.version + 1;
	END IF;
END;

CREATE TRIGGER IF NOT EXISTS tr_products_community_update AFTER UPDATE ON products FOR EACH ROW
BEGIN
	IF NOT (NEW.name <=> OLD.name) THEN
		CALL product_community_bump(NEW.id);
	END IF;
END;

CREATE TRIGGER IF NOT EXISTS tr_product_images_community_insert AFTER INSERT ON product_images FOR EACH ROW
	CALL product_community_bump(NEW.product_id);
CREATE TRIGGER IF NOT EXISTS tr_product_images_community_update AFTER UPDATE ON product_images FOR EACH ROW
	CALL product_community_bump(NEW.product_id);
CREATE TRIGGER IF NOT EXISTS tr_product_images_community_delete AFTER DELETE ON product_images FOR EACH ROW
	CALL product_community_bump(OLD.product_id);
