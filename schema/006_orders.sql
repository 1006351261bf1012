-- Orders and everything that moves money, stock or mileage (SPEC §3 Order, Order line, Mileage
-- entry, stock history, Payment events; §6 money rules). Orders, lines and ledgers are never
-- deleted: their foreign keys RESTRICT, and state changes are updates plus ledger rows.
-- CHECKs below hold the money rules that fit in one row; docs/schema.md lists them.

-- One checkout. The buyer (user_id), a snapshot of where to ship, the amounts (all whole won),
-- the grade's percents at checkout, the payment method and state, the gateway references.
-- Rules held here: merchant_uid and imp_uid unique; the Idempotency-Key unique per buyer, with the
-- SHA-256 of the canonical request (same key + different body is a 422); total_amount = items -
-- coupon - grade discounts - mileage used + shipping; discounts and mileage never exceed the
-- items; a bank transfer is recorded only for exactly the total, with when and which admin.
CREATE TABLE IF NOT EXISTS orders (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	user_id BIGINT UNSIGNED NOT NULL,
	merchant_uid VARCHAR(40) COLLATE utf8mb4_bin NOT NULL,
	idempotency_key VARCHAR(100) COLLATE utf8mb4_bin NOT NULL,
	request_hash BINARY(32) NOT NULL,
	payment_method ENUM('bank_transfer', 'card', 'kakaopay') NOT NULL,
	payment_state ENUM('awaiting_payment', 'paid', 'expired', 'cancelled', 'refund_pending', 'refunded',
		'partially_refunded') NOT NULL DEFAULT 'awaiting_payment',
	imp_uid VARCHAR(64) COLLATE utf8mb4_bin NULL,
	payment_due_at DATETIME NOT NULL,
	paid_at DATETIME NULL,
	cancelled_at DATETIME NULL,
	recipient_name VARCHAR(50) NOT NULL,
	recipient_phone VARCHAR(15) NOT NULL,
	postal_code CHAR(5) NOT NULL,
	address VARCHAR(255) NOT NULL,
	address_detail VARCHAR(255) NULL,
	delivery_memo VARCHAR(200) NULL,
	grade_id BIGINT UNSIGNED NOT NULL,
	grade_discount_percent TINYINT UNSIGNED NOT NULL,
	mileage_percent TINYINT UNSIGNED NOT NULL,
	items_amount BIGINT NOT NULL,
	coupon_discount_amount BIGINT NOT NULL DEFAULT 0,
	grade_discount_amount BIGINT NOT NULL DEFAULT 0,
	mileage_used BIGINT NOT NULL DEFAULT 0,
	shipping_amount BIGINT NOT NULL DEFAULT 0,
	total_amount BIGINT NOT NULL,
	refunded_amount BIGINT NOT NULL DEFAULT 0,
	depositor_name VARCHAR(50) NULL,
	received_amount BIGINT NULL,
	received_at DATETIME NULL,
	received_confirmed_by BIGINT UNSIGNED NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_orders_merchant_uid (merchant_uid),
	UNIQUE KEY uq_orders_imp_uid (imp_uid),
	UNIQUE KEY uq_orders_idempotency (user_id, idempotency_key),
	KEY ix_orders_user_created (user_id, created_at),
	KEY ix_orders_state_due (payment_state, payment_due_at),
	KEY ix_orders_method_state_created (payment_method, payment_state, created_at),
	KEY ix_orders_paid_at (paid_at),
	KEY ix_orders_created (created_at),
	KEY ix_orders_grade (grade_id),
	KEY ix_orders_received_confirmed_by (received_confirmed_by),
	CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id),
	CONSTRAINT fk_orders_grade FOREIGN KEY (grade_id) REFERENCES grades (id),
	CONSTRAINT fk_orders_received_confirmed_by FOREIGN KEY (received_confirmed_by) REFERENCES users (id),
	CONSTRAINT chk_orders_percents CHECK (grade_discount_percent <= 100 AND mileage_percent <= 100),
	CONSTRAINT chk_orders_amounts_nonnegative CHECK (items_amount >= 0 AND coupon_discount_amount >= 0
		AND grade_discount_amount >= 0 AND mileage_used >= 0 AND shipping_amount >= 0),
	CONSTRAINT chk_orders_discounts_within_items CHECK (
		coupon_discount_amount + grade_discount_amount + mileage_used <= items_amount),
	CONSTRAINT chk_orders_total CHECK (total_amount = items_amount - coupon_discount_amount
		- grade_discount_amount - mileage_used + shipping_amount),
	CONSTRAINT chk_orders_refunded CHECK (refunded_amount BETWEEN 0 AND total_amount),
	CONSTRAINT chk_orders_paid_at CHECK (payment_state NOT IN ('paid', 'refund_pending', 'refunded',
		'partially_refunded') OR paid_at IS NOT NULL),
	CONSTRAINT chk_orders_cancelled_at CHECK (payment_state <> 'cancelled' OR cancelled_at IS NOT NULL),
	CONSTRAINT chk_orders_gateway_paid CHECK (payment_method = 'bank_transfer' OR paid_at IS NULL
		OR imp_uid IS NOT NULL),
	CONSTRAINT chk_orders_transfer_recorded CHECK ((received_amount IS NULL) = (received_at IS NULL)
		AND (received_amount IS NULL) = (received_confirmed_by IS NULL)),
	CONSTRAINT chk_orders_transfer_only CHECK (payment_method = 'bank_transfer' OR received_amount IS NULL),
	CONSTRAINT chk_orders_transfer_amount CHECK (received_amount IS NULL OR received_amount = total_amount),
	CONSTRAINT chk_orders_transfer_paid CHECK (payment_method <> 'bank_transfer' OR paid_at IS NULL
		OR received_amount IS NOT NULL),
	CONSTRAINT chk_orders_phone CHECK (recipient_phone REGEXP '^0[0-9]{8,10}$'),
	CONSTRAINT chk_orders_postal_code CHECK (postal_code REGEXP '^[0-9]{5}$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Shipping per brand per order (money rule 4): the brand's fee and threshold at checkout, the
-- brand's discounted line amount the threshold is compared with, and the fee charged, which the
-- CHECK ties to the rule. One row per (order, brand); every order line points at the row of its
-- brand (fk_order_lines_shipping), so a line can never be shipped "for free" by omission.
-- orders.shipping_amount is the sum of shipping_fee.
CREATE TABLE IF NOT EXISTS order_shipping_charges (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	order_id BIGINT UNSIGNED NOT NULL,
	brand_id BIGINT UNSIGNED NOT NULL,
	lines_amount BIGINT NOT NULL,
	brand_shipping_fee BIGINT NOT NULL,
	free_shipping_threshold BIGINT NULL,
	shipping_fee BIGINT NOT NULL,
	refunded_amount BIGINT NOT NULL DEFAULT 0,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_order_shipping_charges_order_brand (order_id, brand_id),
	KEY ix_order_shipping_charges_brand_created (brand_id, created_at),
	CONSTRAINT fk_order_shipping_charges_order FOREIGN KEY (order_id) REFERENCES orders (id),
	CONSTRAINT fk_order_shipping_charges_brand FOREIGN KEY (brand_id) REFERENCES brands (id),
	CONSTRAINT chk_order_shipping_charges_amounts CHECK (lines_amount >= 0 AND brand_shipping_fee >= 0
		AND (free_shipping_threshold IS NULL OR free_shipping_threshold >= 0)),
	CONSTRAINT chk_order_shipping_charges_rule CHECK (shipping_fee = IF(free_shipping_threshold IS NOT NULL
		AND lines_amount >= free_shipping_threshold, 0, brand_shipping_fee)),
	CONSTRAINT chk_order_shipping_charges_refunded CHECK (refunded_amount BETWEEN 0 AND shipping_fee)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One variant bought in one order, with a snapshot of what was shown (product and brand name,
-- size, colour, prices) and its exact share of every discount and of the mileage (money rules
-- 1-6), so a refund of the line is exact (rule 7). line_total is what the line paid. Fulfilment:
-- ordered -> preparing -> shipped (courier + tracking) -> delivered -> confirmed, or cancelled,
-- or from delivered: return_requested -> returned / return_rejected. The CHECKs hold the sums and
-- the fields each state needs. brand_id and product_id are copies that the composite foreign keys
-- prove (variant -> product -> brand, and the brand's shipping row of this order); they let a
-- seller's console read only its brand's lines by index. A product or variant with lines cannot
-- be deleted (RESTRICT).
CREATE TABLE IF NOT EXISTS order_lines (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	order_id BIGINT UNSIGNED NOT NULL,
	brand_id BIGINT UNSIGNED NOT NULL,
	product_id BIGINT UNSIGNED NOT NULL,
	variant_id BIGINT UNSIGNED NOT NULL,
	product_name VARCHAR(150) NOT NULL,
	brand_name VARCHAR(100) NOT NULL,
	size_label VARCHAR(20) NOT NULL,
	color VARCHAR(50) NOT NULL DEFAULT '',
	list_price BIGINT NOT NULL,
	unit_price BIGINT NOT NULL,
	quantity INT UNSIGNED NOT NULL,
	subtotal BIGINT NOT NULL,
	coupon_id BIGINT UNSIGNED NULL,
	coupon_discount BIGINT NOT NULL DEFAULT 0,
	grade_discount BIGINT NOT NULL DEFAULT 0,
	mileage_share BIGINT NOT NULL DEFAULT 0,
	line_total BIGINT NOT NULL,
	mileage_earned BIGINT NOT NULL DEFAULT 0,
	refunded_amount BIGINT NOT NULL DEFAULT 0,
	return_shipping_cost BIGINT NOT NULL DEFAULT 0,
	state ENUM('ordered', 'preparing', 'shipped', 'delivered', 'confirmed', 'cancelled', 'return_requested',
		'returned', 'return_rejected') NOT NULL DEFAULT 'ordered',
	courier VARCHAR(50) NULL,
	tracking_number VARCHAR(50) NULL,
	shipped_at DATETIME NULL,
	delivered_at DATETIME NULL,
	confirmed_at DATETIME NULL,
	confirmed_automatically TINYINT(1) NOT NULL DEFAULT 0,
	cancelled_at DATETIME NULL,
	return_requested_at DATETIME NULL,
	return_reason ENUM('change_of_mind', 'size', 'defective', 'wrong_item', 'other') NULL,
	return_reason_text VARCHAR(500) NULL,
	return_decided_at DATETIME NULL,
	return_rejection_reason VARCHAR(500) NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_order_lines_id_order (id, order_id),
	UNIQUE KEY uq_order_lines_id_product (id, product_id),
	KEY ix_order_lines_order_brand (order_id, brand_id),
	KEY ix_order_lines_brand_state_created (brand_id, state, created_at),
	KEY ix_order_lines_variant_product_brand (variant_id, product_id, brand_id),
	KEY ix_order_lines_product_created (product_id, created_at),
	KEY ix_order_lines_state_delivered (state, delivered_at),
	KEY ix_order_lines_coupon (coupon_id),
	CONSTRAINT fk_order_lines_order FOREIGN KEY (order_id) REFERENCES orders (id),
	CONSTRAINT fk_order_lines_shipping FOREIGN KEY (order_id, brand_id)
		REFERENCES order_shipping_charges (order_id, brand_id),
	CONSTRAINT fk_order_lines_brand FOREIGN KEY (brand_id) REFERENCES brands (id),
	CONSTRAINT fk_order_lines_product FOREIGN KEY (product_id) REFERENCES products (id),
	CONSTRAINT fk_order_lines_variant FOREIGN KEY (variant_id, product_id, brand_id)
		REFERENCES product_variants (id, product_id, brand_id),
	CONSTRAINT fk_order_lines_coupon FOREIGN KEY (coupon_id) REFERENCES coupons (id),
	CONSTRAINT chk_order_lines_quantity CHECK (quantity > 0),
	CONSTRAINT chk_order_lines_prices CHECK (unit_price > 0 AND unit_price <= list_price),
	CONSTRAINT chk_order_lines_subtotal CHECK (subtotal = unit_price * quantity),
	CONSTRAINT chk_order_lines_coupon CHECK (coupon_discount BETWEEN 0 AND subtotal
		AND (coupon_id IS NOT NULL OR coupon_discount = 0)),
	CONSTRAINT chk_order_lines_shares CHECK (grade_discount >= 0 AND mileage_share >= 0),
	CONSTRAINT chk_order_lines_total CHECK (line_total = subtotal - coupon_discount - grade_discount - mileage_share
		AND line_total >= 0),
	CONSTRAINT chk_order_lines_refund CHECK (mileage_earned >= 0 AND return_shipping_cost >= 0
		AND refunded_amount BETWEEN 0 AND line_total),
	CONSTRAINT chk_order_lines_tracking CHECK (state IN ('ordered', 'preparing', 'cancelled')
		OR (courier IS NOT NULL AND tracking_number IS NOT NULL AND shipped_at IS NOT NULL)),
	CONSTRAINT chk_order_lines_delivered CHECK (state NOT IN ('delivered', 'confirmed', 'return_requested',
		'returned', 'return_rejected') OR delivered_at IS NOT NULL),
	CONSTRAINT chk_order_lines_confirmed CHECK ((state = 'confirmed') = (confirmed_at IS NOT NULL)),
	CONSTRAINT chk_order_lines_cancelled CHECK ((state = 'cancelled') = (cancelled_at IS NOT NULL)),
	CONSTRAINT chk_order_lines_return CHECK (state NOT IN ('return_requested', 'returned', 'return_rejected')
		OR (return_requested_at IS NOT NULL AND return_reason IS NOT NULL)),
	CONSTRAINT chk_order_lines_return_decided CHECK (state NOT IN ('returned', 'return_rejected')
		OR return_decided_at IS NOT NULL),
	CONSTRAINT chk_order_lines_return_rejected CHECK (state <> 'return_rejected' OR return_rejection_reason IS NOT NULL)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The mileage ledger: earned (credited when a line is confirmed: the grade's mileage percent of
-- what the line paid), spent (at checkout, one entry per order), reversed (cancel or return).
-- amount is signed (earned > 0, spent < 0). The balance is the sum of the entries;
-- users.mileage_balance caches it and is updated in the same transaction as each insert, and
-- balance_after records it, never below zero. Unique keys make every job re-runnable: one entry
-- of each kind per order line, and one order-level entry of each kind per order.
CREATE TABLE IF NOT EXISTS mileage_entries (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	user_id BIGINT UNSIGNED NOT NULL,
	kind ENUM('earned', 'spent', 'reversed') NOT NULL,
	amount BIGINT NOT NULL,
	balance_after BIGINT NOT NULL,
	order_id BIGINT UNSIGNED NULL,
	order_line_id BIGINT UNSIGNED NULL,
	order_level_order_id BIGINT UNSIGNED AS (IF(order_line_id IS NULL, order_id, NULL)) STORED,
	note VARCHAR(200) NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY uq_mileage_entries_line_kind (order_line_id, kind),
	UNIQUE KEY uq_mileage_entries_order_kind (order_level_order_id, kind),
	KEY ix_mileage_entries_user_created (user_id, created_at),
	KEY ix_mileage_entries_order (order_id),
	KEY ix_mileage_entries_line_order (order_line_id, order_id),
	CONSTRAINT fk_mileage_entries_user FOREIGN KEY (user_id) REFERENCES users (id),
	CONSTRAINT fk_mileage_entries_order FOREIGN KEY (order_id) REFERENCES orders (id),
	CONSTRAINT fk_mileage_entries_line FOREIGN KEY (order_line_id, order_id) REFERENCES order_lines (id, order_id),
	CONSTRAINT chk_mileage_entries_amount CHECK (amount <> 0),
	CONSTRAINT chk_mileage_entries_balance CHECK (balance_after >= 0),
	CONSTRAINT chk_mileage_entries_line_has_order CHECK (order_line_id IS NULL OR order_id IS NOT NULL),
	CONSTRAINT chk_mileage_entries_kind CHECK (
		(kind = 'earned' AND amount > 0 AND order_line_id IS NOT NULL)
		OR (kind = 'spent' AND amount < 0 AND order_id IS NOT NULL)
		OR (kind = 'reversed' AND order_id IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every change of a variant's stock, as a delta with its reason, so a seller's adjustment never
-- overwrites sales made meanwhile (stock = stock + delta, never a plain SET). order takes stock
-- (delta < 0), cancel and return give it back (delta > 0), each tied to its order line and at
-- most once per line and reason; a seller adjustment names the seller. stock_after is the
-- variant's stock after the change.
CREATE TABLE IF NOT EXISTS stock_movements (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	variant_id BIGINT UNSIGNED NOT NULL,
	delta INT NOT NULL,
	stock_after INT NOT NULL,
	reason ENUM('order', 'cancel', 'return', 'seller_adjustment') NOT NULL,
	order_line_id BIGINT UNSIGNED NULL,
	seller_id BIGINT UNSIGNED NULL,
	note VARCHAR(200) NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	UNIQUE KEY uq_stock_movements_line_reason (order_line_id, reason),
	KEY ix_stock_movements_variant_created (variant_id, created_at),
	KEY ix_stock_movements_seller (seller_id),
	CONSTRAINT fk_stock_movements_variant FOREIGN KEY (variant_id) REFERENCES product_variants (id)
		ON DELETE CASCADE,
	CONSTRAINT fk_stock_movements_line FOREIGN KEY (order_line_id) REFERENCES order_lines (id),
	CONSTRAINT fk_stock_movements_seller FOREIGN KEY (seller_id) REFERENCES sellers (id),
	CONSTRAINT chk_stock_movements_delta CHECK (delta <> 0),
	CONSTRAINT chk_stock_movements_after CHECK (stock_after >= 0),
	CONSTRAINT chk_stock_movements_reason CHECK (
		(reason = 'order' AND delta < 0 AND order_line_id IS NOT NULL AND seller_id IS NULL)
		OR (reason IN ('cancel', 'return') AND delta > 0 AND order_line_id IS NOT NULL AND seller_id IS NULL)
		OR (reason = 'seller_adjustment' AND seller_id IS NOT NULL AND order_line_id IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Money going back (money rule 7): a whole-order cancel (order_line_id NULL; includes shipping)
-- or one returned line (minus the return cost for a change of mind). Through the gateway
-- (POST /payments/cancel) or, for bank transfers, pending until an admin records the transfer
-- back (recorded_by). At most one refund per line and one order-level refund per order.
CREATE TABLE IF NOT EXISTS refunds (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	order_id BIGINT UNSIGNED NOT NULL,
	order_line_id BIGINT UNSIGNED NULL,
	order_level_order_id BIGINT UNSIGNED AS (IF(order_line_id IS NULL, order_id, NULL)) STORED,
	reason ENUM('cancel', 'return') NOT NULL,
	method ENUM('gateway', 'bank_transfer') NOT NULL,
	state ENUM('pending', 'done', 'failed') NOT NULL DEFAULT 'pending',
	amount BIGINT NOT NULL,
	shipping_amount BIGINT NOT NULL DEFAULT 0,
	return_cost_deducted BIGINT NOT NULL DEFAULT 0,
	gateway_reference VARCHAR(64) COLLATE utf8mb4_bin NULL,
	refund_bank_name VARCHAR(50) NULL,
	refund_account_number VARCHAR(50) NULL,
	refund_account_holder VARCHAR(50) NULL,
	recorded_by BIGINT UNSIGNED NULL,
	last_error VARCHAR(1000) NULL,
	completed_at DATETIME NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_refunds_line (order_line_id),
	UNIQUE KEY uq_refunds_order_level (order_level_order_id),
	KEY ix_refunds_order (order_id),
	KEY ix_refunds_line_order (order_line_id, order_id),
	KEY ix_refunds_state_created (state, created_at),
	KEY ix_refunds_recorded_by (recorded_by),
	CONSTRAINT fk_refunds_order FOREIGN KEY (order_id) REFERENCES orders (id),
	CONSTRAINT fk_refunds_line FOREIGN KEY (order_line_id, order_id) REFERENCES order_lines (id, order_id),
	CONSTRAINT fk_refunds_recorded_by FOREIGN KEY (recorded_by) REFERENCES users (id),
	CONSTRAINT chk_refunds_amounts CHECK (amount > 0 AND shipping_amount BETWEEN 0 AND amount
		AND return_cost_deducted >= 0),
	CONSTRAINT chk_refunds_completed CHECK ((state = 'done') = (completed_at IS NOT NULL)),
	CONSTRAINT chk_refunds_transfer_recorded CHECK (method <> 'bank_transfer' OR state <> 'done'
		OR recorded_by IS NOT NULL),
	CONSTRAINT chk_refunds_reason CHECK (reason = 'cancel' OR order_line_id IS NOT NULL)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Audit of every call to and from the payment gateway (token, payment lookup, cancel, webhook,
-- browser return): what was sent and received as JSON (access tokens and keys redacted before
-- writing), the HTTP status and our verdict. order_id is NULL when the call names no known order.
CREATE TABLE IF NOT EXISTS payment_events (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	order_id BIGINT UNSIGNED NULL,
	direction ENUM('outbound', 'inbound') NOT NULL,
	kind ENUM('get_token', 'get_payment', 'cancel_payment', 'webhook', 'browser_return') NOT NULL,
	status ENUM('ok', 'rejected', 'error') NOT NULL,
	http_status SMALLINT UNSIGNED NULL,
	imp_uid VARCHAR(64) COLLATE utf8mb4_bin NULL,
	merchant_uid VARCHAR(40) COLLATE utf8mb4_bin NULL,
	amount BIGINT NULL,
	request_json JSON NULL,
	response_json JSON NULL,
	error VARCHAR(1000) NULL,
	duration_ms INT UNSIGNED NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	KEY ix_payment_events_order_created (order_id, created_at),
	KEY ix_payment_events_imp_uid (imp_uid),
	KEY ix_payment_events_merchant_uid (merchant_uid),
	KEY ix_payment_events_created (created_at),
	CONSTRAINT fk_payment_events_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
