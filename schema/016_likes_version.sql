-- A shopper's likes version (issue 12): each worker keeps a shopper's liked products in memory
-- and marks the hearts of every card from them (src/db/likes.c db_likes_kept), reading them again
-- only when this counter has moved; the session's statement reads it with the account. Before,
-- every signed-in listing joined likes once per card.
-- The triggers move it for every writer (the previous release during a blue/green switch too).
-- updated_at = updated_at keeps a like from counting as a change of the member's account. A bulk
-- load that sets @lonua_cards_deferred (ci/bigdata) leaves it: its likes are read when first
-- needed. A like removed by a cascade (its product deleted) leaves it too: the kept set then names
-- a product no page shows any more.
ALTER TABLE users
	ADD COLUMN IF NOT EXISTS likes_version BIGINT UNSIGNED NOT NULL DEFAULT 0 AFTER mileage_balance;

CREATE TRIGGER IF NOT EXISTS tr_likes_version_insert AFTER INSERT ON likes FOR EACH ROW
BEGIN
	IF @lonua_cards_deferred IS NULL THEN
		UPDATE users SET likes_version = likes_version + 1, updated_at = updated_at WHERE id = NEW.user_id;
	END IF;
END;
CREATE TRIGGER IF NOT EXISTS tr_likes_version_delete AFTER DELETE ON likes FOR EACH ROW
BEGIN
	IF @lonua_cards_deferred IS NULL THEN
		UPDATE users SET likes_version = likes_version + 1, updated_at = updated_at WHERE id = OLD.user_id;
	END IF;
END;
