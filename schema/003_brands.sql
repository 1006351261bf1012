-- Brands, their sellers and their physical branches (SPEC §3 Brand, Seller, Branch).

-- A brand on the marketplace. Name unique. The brand key a seller needs to sign up is a
-- server-generated random secret: only its SHA-256 is stored (key_hash), it is shown once at
-- creation and at rotation. Shipping: shipping_fee per order unless the brand's discounted lines
-- reach free_shipping_threshold (NULL: never free). Money in whole won, never negative.
CREATE TABLE IF NOT EXISTS brands (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name VARCHAR(100) NOT NULL,
	key_hash BINARY(32) NOT NULL,
	key_rotated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	status ENUM('active', 'inactive') NOT NULL DEFAULT 'active',
	introduction TEXT NULL,
	logo_image VARCHAR(255) NULL,
	style_label VARCHAR(50) NULL,
	business_postal_code CHAR(5) NULL,
	business_address VARCHAR(255) NOT NULL,
	phone VARCHAR(15) NOT NULL,
	business_registration_number CHAR(10) NOT NULL,
	bank_name VARCHAR(50) NOT NULL,
	bank_account_number VARCHAR(50) NOT NULL,
	bank_account_holder VARCHAR(50) NOT NULL,
	shipping_fee BIGINT NOT NULL DEFAULT 3000,
	free_shipping_threshold BIGINT NULL,
	return_postal_code CHAR(5) NULL,
	return_address VARCHAR(255) NOT NULL,
	return_shipping_cost BIGINT NOT NULL DEFAULT 0,
	return_courier VARCHAR(50) NOT NULL,
	notify_webhook_url VARCHAR(500) NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_brands_name (name),
	KEY ix_brands_status_name (status, name),
	CONSTRAINT chk_brands_brn CHECK (business_registration_number REGEXP '^[1-9][0-9]{9}$'),
	CONSTRAINT chk_brands_phone CHECK (phone REGEXP '^0[0-9]{8,10}$' OR phone REGEXP '^1[0-9]{7}$'),
	CONSTRAINT chk_brands_postal_codes CHECK ((business_postal_code IS NULL OR business_postal_code REGEXP '^[0-9]{5}$')
		AND (return_postal_code IS NULL OR return_postal_code REGEXP '^[0-9]{5}$')),
	CONSTRAINT chk_brands_shipping_fee CHECK (shipping_fee >= 0),
	CONSTRAINT chk_brands_free_shipping CHECK (free_shipping_threshold IS NULL OR free_shipping_threshold >= 0),
	CONSTRAINT chk_brands_return_cost CHECK (return_shipping_cost >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Staff of one brand. One account per e-mail. A brand with sellers cannot be deleted (RESTRICT):
-- brands are deactivated, not deleted. A suspended seller cannot act.
CREATE TABLE IF NOT EXISTS sellers (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	brand_id BIGINT UNSIGNED NOT NULL,
	email VARCHAR(254) NOT NULL,
	password_hash VARCHAR(255) NOT NULL,
	name VARCHAR(50) NOT NULL,
	phone VARCHAR(15) NULL,
	status ENUM('active', 'suspended') NOT NULL DEFAULT 'active',
	last_login_at DATETIME NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_sellers_email (email),
	KEY ix_sellers_brand_status (brand_id, status),
	CONSTRAINT fk_sellers_brand FOREIGN KEY (brand_id) REFERENCES brands (id),
	CONSTRAINT chk_sellers_phone CHECK (phone IS NULL OR phone REGEXP '^0[0-9]{8,10}$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A brand's physical store. Address and name are unique per brand (not globally, which was a
-- defect of the reference). Branches go with their brand.
CREATE TABLE IF NOT EXISTS branches (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	brand_id BIGINT UNSIGNED NOT NULL,
	name VARCHAR(100) NOT NULL,
	postal_code CHAR(5) NULL,
	address VARCHAR(255) NOT NULL,
	phone VARCHAR(15) NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_branches_brand_address (brand_id, address),
	UNIQUE KEY uq_branches_brand_name (brand_id, name),
	CONSTRAINT fk_branches_brand FOREIGN KEY (brand_id) REFERENCES brands (id) ON DELETE CASCADE,
	CONSTRAINT chk_branches_postal_code CHECK (postal_code IS NULL OR postal_code REGEXP '^[0-9]{5}$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
