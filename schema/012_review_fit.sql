-- Reviews with fit feedback (SPEC §3 Review): how the size bought fit (small, true to size, large)
-- and, when the reviewer chose to share them, their height, weight and body types as they were
-- when they wrote it (a copy: a later change of profile does not rewrite what a review said).
-- products.fit_*_count are the product's fit summary, moved with review_count and rating_sum in
-- the transaction that publishes, edits or removes a review (src/db/reviews.c).
ALTER TABLE reviews
	ADD COLUMN IF NOT EXISTS fit ENUM('small', 'true', 'large') NOT NULL DEFAULT 'true' AFTER body,
	ADD COLUMN IF NOT EXISTS shared_height_cm SMALLINT UNSIGNED NULL AFTER fit,
	ADD COLUMN IF NOT EXISTS shared_weight_kg SMALLINT UNSIGNED NULL AFTER shared_height_cm,
	ADD COLUMN IF NOT EXISTS shared_upper_body_type TINYINT UNSIGNED NULL AFTER shared_weight_kg,
	ADD COLUMN IF NOT EXISTS shared_lower_body_type TINYINT UNSIGNED NULL AFTER shared_upper_body_type,
	-- "reviews from people like me": the same body types, a similar height
	ADD KEY IF NOT EXISTS ix_reviews_product_status_build (product_id, status, shared_upper_body_type,
		shared_lower_body_type, shared_height_cm);

ALTER TABLE products
	ADD COLUMN IF NOT EXISTS fit_small_count INT UNSIGNED NOT NULL DEFAULT 0 AFTER rating_sum,
	ADD COLUMN IF NOT EXISTS fit_true_count INT UNSIGNED NOT NULL DEFAULT 0 AFTER fit_small_count,
	ADD COLUMN IF NOT EXISTS fit_large_count INT UNSIGNED NOT NULL DEFAULT 0 AFTER fit_true_count;

-- The counters start from the reviews that exist (before this, demo data held invented counts).
UPDATE products p
LEFT JOIN (SELECT product_id, COUNT(*) AS n, SUM(rating) AS total, SUM(fit = 'small') AS small,
		SUM(fit = 'true') AS fits, SUM(fit = 'large') AS large
	FROM reviews WHERE status = 'published' GROUP BY product_id) r ON r.product_id = p.id
SET p.review_count = COALESCE(r.n, 0), p.rating_sum = COALESCE(r.total, 0), p.fit_small_count = COALESCE(r.small, 0),
	p.fit_true_count = COALESCE(r.fits, 0), p.fit_large_count = COALESCE(r.large, 0);
