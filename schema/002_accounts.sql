-- Accounts: membership grades, users (shoppers and admins) and the monthly grade history
-- (SPEC §3 Grade, User). Conventions for every file from here on: see docs/schema.md.
-- Money is whole won in signed BIGINT with CHECK (>= 0 where it must be), never DECIMAL/FLOAT.
-- Times are DATETIME in UTC (every connection runs SET time_zone = '+00:00').
-- Re-runnable: CREATE TABLE IF NOT EXISTS and INSERT IGNORE only (docs/migrations.md).

-- Membership grades. The grade discount applies at checkout, the mileage percent when a line is
-- confirmed; a shopper's grade is the highest one whose min_monthly_spend their spend of the
-- previous calendar month reaches. Percents are 0..100; thresholds are unique so that lookup is
-- never ambiguous.
CREATE TABLE IF NOT EXISTS grades (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	code VARCHAR(32) NOT NULL,
	name_ko VARCHAR(50) NOT NULL,
	name_en VARCHAR(50) NOT NULL,
	discount_percent TINYINT UNSIGNED NOT NULL DEFAULT 0,
	mileage_percent TINYINT UNSIGNED NOT NULL DEFAULT 0,
	min_monthly_spend BIGINT NOT NULL DEFAULT 0,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_grades_code (code),
	UNIQUE KEY uq_grades_name_ko (name_ko),
	UNIQUE KEY uq_grades_min_monthly_spend (min_monthly_spend),
	CONSTRAINT chk_grades_discount_percent CHECK (discount_percent BETWEEN 0 AND 100),
	CONSTRAINT chk_grades_mileage_percent CHECK (mileage_percent BETWEEN 0 AND 100),
	CONSTRAINT chk_grades_min_monthly_spend CHECK (min_monthly_spend >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Fixed ids: users.grade_id defaults to 1 (Bronze, threshold 0, so every shopper has a grade).
INSERT IGNORE INTO grades (id, code, name_ko, name_en, discount_percent, mileage_percent, min_monthly_spend) VALUES
	(1, 'bronze', '브론즈', 'Bronze', 0, 1, 0),
	(2, 'silver', '실버', 'Silver', 1, 1, 100000),
	(3, 'gold', '골드', 'Gold', 3, 2, 300000),
	(4, 'platinum', '플래티넘', 'Platinum', 5, 3, 700000);

-- Shoppers and admins (role). One account per e-mail, per phone and per Kakao id (unique keys;
-- NULLs do not collide, so Kakao-only accounts may lack an e-mail and erased accounts keep their
-- row). A Kakao-only account has no password hash. mileage_balance is a cache of SUM(mileage_entries)
-- written only in the same transaction as a ledger row; the CHECK keeps it from going negative.
-- Erasing a withdrawn member nulls every personal column (chk_users_erased) and keeps the row
-- that orders, reviews and the ledger point to.
CREATE TABLE IF NOT EXISTS users (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	role ENUM('shopper', 'admin') NOT NULL DEFAULT 'shopper',
	status ENUM('pending', 'active', 'withdrawn') NOT NULL DEFAULT 'pending',
	email VARCHAR(254) NULL,
	email_verified_at DATETIME NULL,
	password_hash VARCHAR(255) NULL,
	kakao_id BIGINT UNSIGNED NULL,
	name VARCHAR(50) NULL,
	birth_date DATE NULL,
	gender ENUM('M', 'W') NULL,
	phone VARCHAR(15) NULL,
	postal_code CHAR(5) NULL,
	address VARCHAR(255) NULL,
	address_detail VARCHAR(255) NULL,
	preferred_style_id INT UNSIGNED NULL,
	upper_body_type TINYINT UNSIGNED NULL,
	lower_body_type TINYINT UNSIGNED NULL,
	height_cm SMALLINT UNSIGNED NULL,
	weight_kg SMALLINT UNSIGNED NULL,
	grade_id BIGINT UNSIGNED NOT NULL DEFAULT 1,
	mileage_balance BIGINT NOT NULL DEFAULT 0,
	last_login_at DATETIME NULL,
	withdrawn_at DATETIME NULL,
	erased_at DATETIME NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_users_email (email),
	UNIQUE KEY uq_users_phone (phone),
	UNIQUE KEY uq_users_kakao_id (kakao_id),
	KEY ix_users_role_status_created (role, status, created_at),
	KEY ix_users_name (name),
	KEY ix_users_grade (grade_id),
	KEY ix_users_preferred_style (preferred_style_id),
	CONSTRAINT fk_users_grade FOREIGN KEY (grade_id) REFERENCES grades (id),
	CONSTRAINT fk_users_preferred_style FOREIGN KEY (preferred_style_id) REFERENCES styles (id)
		ON DELETE SET NULL,
	CONSTRAINT chk_users_body_types CHECK ((upper_body_type IS NULL OR upper_body_type BETWEEN 1 AND 3)
		AND (lower_body_type IS NULL OR lower_body_type BETWEEN 1 AND 3)),
	CONSTRAINT chk_users_phone CHECK (phone IS NULL OR phone REGEXP '^0[0-9]{8,10}$'),
	CONSTRAINT chk_users_postal_code CHECK (postal_code IS NULL OR postal_code REGEXP '^[0-9]{5}$'),
	CONSTRAINT chk_users_measurements CHECK ((height_cm IS NULL OR height_cm BETWEEN 50 AND 250)
		AND (weight_kg IS NULL OR weight_kg BETWEEN 10 AND 400)),
	CONSTRAINT chk_users_mileage_balance CHECK (mileage_balance >= 0),
	-- a password account is reached by its e-mail
	CONSTRAINT chk_users_password_needs_email CHECK (password_hash IS NULL OR email IS NOT NULL),
	-- an account that is not withdrawn can log in somehow
	CONSTRAINT chk_users_can_log_in CHECK (status = 'withdrawn' OR password_hash IS NOT NULL
		OR kakao_id IS NOT NULL),
	-- admins are created from the command line with a password, never through Kakao
	CONSTRAINT chk_users_admin_login CHECK (role = 'shopper' OR kakao_id IS NULL),
	CONSTRAINT chk_users_withdrawn CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL)),
	CONSTRAINT chk_users_erased CHECK (erased_at IS NULL OR (status = 'withdrawn' AND email IS NULL
		AND password_hash IS NULL AND kakao_id IS NULL AND name IS NULL AND birth_date IS NULL
		AND phone IS NULL AND postal_code IS NULL AND address IS NULL AND address_detail IS NULL
		AND height_cm IS NULL AND weight_kg IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per shopper per evaluated month, written by `lonua grades recompute`: the spend it
-- counted and the grade it gave. The unique key makes a re-run of the job a no-op.
CREATE TABLE IF NOT EXISTS grade_assignments (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	user_id BIGINT UNSIGNED NOT NULL,
	period_month DATE NOT NULL,
	spend BIGINT NOT NULL,
	grade_id BIGINT UNSIGNED NOT NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY uq_grade_assignments_user_month (user_id, period_month),
	KEY ix_grade_assignments_grade (grade_id),
	CONSTRAINT fk_grade_assignments_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
	CONSTRAINT fk_grade_assignments_grade FOREIGN KEY (grade_id) REFERENCES grades (id),
	CONSTRAINT chk_grade_assignments_month CHECK (DAYOFMONTH(period_month) = 1),
	CONSTRAINT chk_grade_assignments_spend CHECK (spend >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
