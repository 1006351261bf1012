-- Before the order: coupons, carts and cart lines (SPEC §3 Coupon, Cart line).

-- A coupon owned by one shopper: a percent (1..100) OR a fixed amount, never both
-- (chk_coupons_one_discount); usable on one order line whose subtotal reaches min_line_amount
-- and, when category_id is set, whose product is in that category; between valid_from and
-- valid_until. State available -> used (at checkout, with used_at) -> available again if that
-- order is cancelled; expired by the job after valid_until; revoked by an admin. The two welcome
-- coupons carry welcome_kind: uq_coupons_welcome makes "once per account" true even if
-- activation runs twice. issued_by_user_id is the admin who issued it (NULL: automatic).
CREATE TABLE IF NOT EXISTS coupons (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	user_id BIGINT UNSIGNED NOT NULL,
	name VARCHAR(100) NOT NULL,
	discount_percent TINYINT UNSIGNED NULL,
	discount_amount BIGINT NULL,
	min_line_amount BIGINT NOT NULL DEFAULT 0,
	category_id INT UNSIGNED NULL,
	valid_from DATETIME NOT NULL,
	valid_until DATETIME NOT NULL,
	state ENUM('available', 'used', 'expired', 'revoked') NOT NULL DEFAULT 'available',
	used_at DATETIME NULL,
	welcome_kind ENUM('signup', 'first_month') NULL,
	issued_by_user_id BIGINT UNSIGNED NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_coupons_welcome (user_id, welcome_kind),
	KEY ix_coupons_user_state (user_id, state, valid_until),
	KEY ix_coupons_state_valid_until (state, valid_until),
	KEY ix_coupons_category (category_id),
	KEY ix_coupons_issued_by (issued_by_user_id),
	CONSTRAINT fk_coupons_user FOREIGN KEY (user_id) REFERENCES users (id),
	CONSTRAINT fk_coupons_category FOREIGN KEY (category_id) REFERENCES categories (id),
	CONSTRAINT fk_coupons_issued_by FOREIGN KEY (issued_by_user_id) REFERENCES users (id),
	CONSTRAINT chk_coupons_one_discount CHECK ((discount_percent IS NULL) <> (discount_amount IS NULL)),
	CONSTRAINT chk_coupons_percent CHECK (discount_percent IS NULL OR discount_percent BETWEEN 1 AND 100),
	CONSTRAINT chk_coupons_amount CHECK (discount_amount IS NULL OR discount_amount > 0),
	CONSTRAINT chk_coupons_min_line_amount CHECK (min_line_amount >= 0),
	CONSTRAINT chk_coupons_validity CHECK (valid_until > valid_from),
	CONSTRAINT chk_coupons_used_at CHECK ((state = 'used') = (used_at IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A cart belongs to exactly one shopper (one cart each) or to one guest cookie, of which only the
-- SHA-256 is stored. At login the guest cart's lines merge into the shopper's cart and the guest
-- cart is deleted; abandoned guest carts are purged by updated_at.
CREATE TABLE IF NOT EXISTS carts (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	user_id BIGINT UNSIGNED NULL,
	guest_token_hash BINARY(32) NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_carts_user (user_id),
	UNIQUE KEY uq_carts_guest_token (guest_token_hash),
	KEY ix_carts_updated (updated_at),
	CONSTRAINT fk_carts_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
	CONSTRAINT chk_carts_owner CHECK ((user_id IS NULL) <> (guest_token_hash IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A variant in a cart: one line per (cart, variant) (adding again raises the quantity), quantity
-- 1..999. coupon_id is the shopper's per-line coupon choice; a coupon sits on one line at most.
-- Prices are not stored: checkout re-reads them.
CREATE TABLE IF NOT EXISTS cart_lines (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	cart_id BIGINT UNSIGNED NOT NULL,
	variant_id BIGINT UNSIGNED NOT NULL,
	quantity INT UNSIGNED NOT NULL DEFAULT 1,
	coupon_id BIGINT UNSIGNED NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_cart_lines_cart_variant (cart_id, variant_id),
	UNIQUE KEY uq_cart_lines_coupon (coupon_id),
	KEY ix_cart_lines_variant (variant_id),
	CONSTRAINT fk_cart_lines_cart FOREIGN KEY (cart_id) REFERENCES carts (id) ON DELETE CASCADE,
	CONSTRAINT fk_cart_lines_variant FOREIGN KEY (variant_id) REFERENCES product_variants (id) ON DELETE CASCADE,
	CONSTRAINT fk_cart_lines_coupon FOREIGN KEY (coupon_id) REFERENCES coupons (id) ON DELETE SET NULL,
	CONSTRAINT chk_cart_lines_quantity CHECK (quantity > 0 AND quantity <= 999)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
