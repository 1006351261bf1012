-- Korean substring search (SPEC §6 Search): 바지 must find 청바지, through an index.
-- InnoDB FULLTEXT splits on spaces only, so the search text lives in a Mroonga table whose
-- FULLTEXT index uses the TokenBigram tokenizer: Hangul (and other non-Latin) text is indexed
-- as overlapping pairs of characters, Latin words whole (with prefix matching), case-folded.
--
-- The Mroonga engine is loaded by the server, not by this migration: start mariadbd with
-- --plugin-load-add=ha_mroonga (Debian package mariadb-plugin-mroonga). INSTALL SONAME would
-- need INSERT on mysql.plugin, which the application's account does not have and must not get.
-- The first statements stop here with that explanation when the engine is missing, rather than
-- failing on "Unknown storage engine" or (with engine substitution allowed) silently creating an
-- InnoDB table whose index cannot find substrings.
SET @lonua_mroonga_check = IF(
	(SELECT COUNT(*) FROM information_schema.ENGINES WHERE ENGINE = 'Mroonga' AND SUPPORT IN ('YES', 'DEFAULT')) > 0,
	'DO 0',
	'SIGNAL SQLSTATE ''45000'' SET MESSAGE_TEXT = ''the Mroonga storage engine is not loaded: install mariadb-plugin-mroonga and start mariadbd with --plugin-load-add=ha_mroonga (see docs/schema.md)''');
PREPARE lonua_mroonga_check FROM @lonua_mroonga_check;
EXECUTE lonua_mroonga_check;
DEALLOCATE PREPARE lonua_mroonga_check;

-- One row per product: body holds the words a shopper may type (product name, brand name,
-- category and style names in Korean and English). Mroonga tables are not transactional and have
-- no foreign keys: the application rewrites a product's row after the transaction that changed
-- the product (or its brand's name) commits, deletes it with the product, and `lonua search
-- reindex` rebuilds the table from products (rows whose updated_at is older than the product's are
-- stale). Queries join back to products for status and every other filter:
--   SELECT p.id FROM product_search s JOIN products p ON p.id = s.product_id
--   WHERE MATCH (s.body) AGAINST (? IN BOOLEAN MODE) AND p.status = 'active' ...
-- with the shopper's words passed as quoted phrases ("바지"), so boolean operators in the input
-- are never interpreted.
CREATE TABLE IF NOT EXISTS product_search (
	product_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	body TEXT NOT NULL,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	FULLTEXT KEY ft_product_search_body (body) COMMENT 'tokenizer "TokenBigram"'
) ENGINE=Mroonga DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
