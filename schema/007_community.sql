-- What shoppers and sellers write: reviews with photos, product questions and their answers
-- (SPEC §3 Review, Question, Answer).

-- A buyer's review of one order line: one per line (uq_reviews_order_line), rating 1..5. The
-- application lets only the line's buyer review it, and only once it is delivered or confirmed.
-- product_id is copied from the line and proved by fk_reviews_line_product, so a product's
-- reviews are read by index. Publishing or hiding a review moves products.review_count and
-- rating_sum in the same transaction. An admin may hide one (hidden_by, hidden_reason).
CREATE TABLE IF NOT EXISTS reviews (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	order_line_id BIGINT UNSIGNED NOT NULL,
	product_id BIGINT UNSIGNED NOT NULL,
	user_id BIGINT UNSIGNED NOT NULL,
	rating TINYINT UNSIGNED NOT NULL,
	body TEXT NOT NULL,
	status ENUM('published', 'hidden') NOT NULL DEFAULT 'published',
	hidden_by BIGINT UNSIGNED NULL,
	hidden_reason VARCHAR(500) NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_reviews_order_line (order_line_id),
	KEY ix_reviews_line_product (order_line_id, product_id),
	KEY ix_reviews_product_status_created (product_id, status, created_at),
	KEY ix_reviews_product_status_rating (product_id, status, rating),
	KEY ix_reviews_user_created (user_id, created_at),
	KEY ix_reviews_status_created (status, created_at),
	KEY ix_reviews_hidden_by (hidden_by),
	CONSTRAINT fk_reviews_line_product FOREIGN KEY (order_line_id, product_id)
		REFERENCES order_lines (id, product_id),
	CONSTRAINT fk_reviews_product FOREIGN KEY (product_id) REFERENCES products (id),
	CONSTRAINT fk_reviews_user FOREIGN KEY (user_id) REFERENCES users (id),
	CONSTRAINT fk_reviews_hidden_by FOREIGN KEY (hidden_by) REFERENCES users (id),
	CONSTRAINT chk_reviews_rating CHECK (rating BETWEEN 1 AND 5),
	CONSTRAINT chk_reviews_hidden CHECK (status = 'hidden' OR hidden_by IS NULL)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A review's photos (re-encoded, metadata stripped), ordered by position; they go with the review.
CREATE TABLE IF NOT EXISTS review_photos (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	review_id BIGINT UNSIGNED NOT NULL,
	position SMALLINT UNSIGNED NOT NULL,
	image_key VARCHAR(100) NOT NULL,
	width SMALLINT UNSIGNED NULL,
	height SMALLINT UNSIGNED NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY uq_review_photos_position (review_id, position),
	CONSTRAINT fk_review_photos_review FOREIGN KEY (review_id) REFERENCES reviews (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A shopper's question about a product, of one of the four types. A secret question is shown
-- only to its asker, the brand's sellers and admins. answered_at is set in the transaction that
-- writes the answer: the seller console's "open questions" are the brand's rows where it is
-- NULL (brand_id is copied from the product and proved by the composite foreign key). The asker
-- may edit or delete it until answered; an answered question cannot be deleted (answers RESTRICT).
CREATE TABLE IF NOT EXISTS questions (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	product_id BIGINT UNSIGNED NOT NULL,
	brand_id BIGINT UNSIGNED NOT NULL,
	user_id BIGINT UNSIGNED NOT NULL,
	type ENUM('size', 'delivery', 'restock', 'details') NOT NULL,
	title VARCHAR(100) NOT NULL,
	body TEXT NOT NULL,
	is_secret TINYINT(1) NOT NULL DEFAULT 0,
	answered_at DATETIME NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	KEY ix_questions_product_created (product_id, brand_id, created_at),
	KEY ix_questions_brand_answered_created (brand_id, answered_at, created_at),
	KEY ix_questions_user_created (user_id, created_at),
	CONSTRAINT fk_questions_product_brand FOREIGN KEY (product_id, brand_id) REFERENCES products (id, brand_id),
	CONSTRAINT fk_questions_brand FOREIGN KEY (brand_id) REFERENCES brands (id),
	CONSTRAINT fk_questions_user FOREIGN KEY (user_id) REFERENCES users (id),
	CONSTRAINT chk_questions_is_secret CHECK (is_secret IN (0, 1))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The answer to a question: one per question, written (and editable) by a seller of the
-- product's brand (checked by the application).
CREATE TABLE IF NOT EXISTS answers (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	question_id BIGINT UNSIGNED NOT NULL,
	seller_id BIGINT UNSIGNED NOT NULL,
	body TEXT NOT NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_answers_question (question_id),
	KEY ix_answers_seller_created (seller_id, created_at),
	CONSTRAINT fk_answers_question FOREIGN KEY (question_id) REFERENCES questions (id),
	CONSTRAINT fk_answers_seller FOREIGN KEY (seller_id) REFERENCES sellers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
