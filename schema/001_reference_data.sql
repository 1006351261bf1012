-- Reference data every page reads: categories and styles (SPEC §3), with names in Korean
-- and English. Later migrations add the rest of the domain; none of them may break the
-- binary of the release before it (see docs/migrations.md).

CREATE TABLE IF NOT EXISTS categories (
	id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	code VARCHAR(32) NOT NULL,
	name_ko VARCHAR(50) NOT NULL,
	name_en VARCHAR(50) NOT NULL,
	sort_order SMALLINT UNSIGNED NOT NULL DEFAULT 0,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_categories_code (code),
	UNIQUE KEY uq_categories_name_ko (name_ko),
	KEY ix_categories_order (sort_order, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS styles (
	id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	code VARCHAR(32) NOT NULL,
	name_ko VARCHAR(50) NOT NULL,
	name_en VARCHAR(50) NOT NULL,
	sort_order SMALLINT UNSIGNED NOT NULL DEFAULT 0,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_styles_code (code),
	UNIQUE KEY uq_styles_name_ko (name_ko),
	KEY ix_styles_order (sort_order, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT IGNORE INTO categories (id, code, name_ko, name_en, sort_order) VALUES
	(1, 'tops', '상의', 'Tops', 1),
	(2, 'bottoms', '하의', 'Bottoms', 2),
	(3, 'outerwear', '아우터', 'Outerwear', 3),
	(4, 'dresses', '원피스', 'Dresses', 4),
	(5, 'skirts', '스커트', 'Skirts', 5),
	(6, 'shoes', '신발', 'Shoes', 6),
	(7, 'hats', '모자', 'Hats', 7),
	(8, 'bags', '가방', 'Bags', 8),
	(9, 'accessories', '액세서리', 'Accessories', 9),
	(10, 'sports', '스포츠/용품', 'Sports', 10);

INSERT IGNORE INTO styles (id, code, name_ko, name_en, sort_order) VALUES
	(1, 'casual', '캐주얼', 'Casual', 1),
	(2, 'chic', '시크', 'Chic', 2),
	(3, 'dandy', '댄디', 'Dandy', 3),
	(4, 'street', '스트릿', 'Street', 4),
	(5, 'business_casual', '비지니스 캐주얼', 'Business casual', 5),
	(6, 'hiphop', '힙합', 'Hip-hop', 6),
	(7, 'feminine', '페미닌', 'Feminine', 7),
	(8, 'office', '오피스', 'Office', 8),
	(9, 'sports', '스포츠', 'Sports', 9);
