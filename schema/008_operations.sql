-- Running the shop: sessions, single-use tokens, login throttling, OAuth states and the outbox
-- (SPEC §3 Session, E-mail verification / password reset tokens, Outbox; §6 Security).
-- Secrets are never stored: a token is 32 random bytes given to the client, and the table keeps
-- SHA-256(token) in a BINARY(32) column with a unique key, so a lookup is one index probe and a
-- leaked table lets nobody log in.

-- A login: a browser cookie or an API bearer token, of exactly one user (shopper or admin) or
-- one seller. csrf_secret signs the CSRF tokens of cookie sessions. reauthenticated_at is when
-- the password was last re-entered (the profile page asks for it). Expired rows are purged by
-- expires_at; logging out deletes the row; a password change deletes all rows of the account.
CREATE TABLE IF NOT EXISTS sessions (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	token_hash BINARY(32) NOT NULL,
	kind ENUM('cookie', 'bearer') NOT NULL,
	user_id BIGINT UNSIGNED NULL,
	seller_id BIGINT UNSIGNED NULL,
	csrf_secret BINARY(32) NOT NULL,
	ip INET6 NULL,
	user_agent VARCHAR(255) NULL,
	reauthenticated_at DATETIME NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	last_seen_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	expires_at DATETIME NOT NULL,
	UNIQUE KEY uq_sessions_token_hash (token_hash),
	KEY ix_sessions_expires (expires_at),
	KEY ix_sessions_user (user_id),
	KEY ix_sessions_seller (seller_id),
	CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
	CONSTRAINT fk_sessions_seller FOREIGN KEY (seller_id) REFERENCES sellers (id) ON DELETE CASCADE,
	CONSTRAINT chk_sessions_one_account CHECK ((user_id IS NULL) <> (seller_id IS NULL)),
	CONSTRAINT chk_sessions_expiry CHECK (expires_at > created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The link mailed at sign-up (and on a change of e-mail): single use (used_at set by a
-- conditional UPDATE ... WHERE used_at IS NULL AND expires_at > now), expiring, stored hashed.
-- email is the address the link proves.
CREATE TABLE IF NOT EXISTS email_verification_tokens (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	token_hash BINARY(32) NOT NULL,
	user_id BIGINT UNSIGNED NOT NULL,
	email VARCHAR(254) NOT NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	expires_at DATETIME NOT NULL,
	used_at DATETIME NULL,
	UNIQUE KEY uq_email_verification_tokens_hash (token_hash),
	KEY ix_email_verification_tokens_user (user_id, created_at),
	KEY ix_email_verification_tokens_expires (expires_at),
	CONSTRAINT fk_email_verification_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
	CONSTRAINT chk_email_verification_tokens_expiry CHECK (expires_at > created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A mailed password-reset link, for a user or a seller (exactly one): single use, expiring,
-- stored hashed, like the verification tokens.
CREATE TABLE IF NOT EXISTS password_reset_tokens (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	token_hash BINARY(32) NOT NULL,
	user_id BIGINT UNSIGNED NULL,
	seller_id BIGINT UNSIGNED NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	expires_at DATETIME NOT NULL,
	used_at DATETIME NULL,
	UNIQUE KEY uq_password_reset_tokens_hash (token_hash),
	KEY ix_password_reset_tokens_user (user_id, created_at),
	KEY ix_password_reset_tokens_seller (seller_id, created_at),
	KEY ix_password_reset_tokens_expires (expires_at),
	CONSTRAINT fk_password_reset_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
	CONSTRAINT fk_password_reset_tokens_seller FOREIGN KEY (seller_id) REFERENCES sellers (id) ON DELETE CASCADE,
	CONSTRAINT chk_password_reset_tokens_one_account CHECK ((user_id IS NULL) <> (seller_id IS NULL)),
	CONSTRAINT chk_password_reset_tokens_expiry CHECK (expires_at > created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Failed-login counters, one row per throttling key: per client IP ('ip'), per account name
-- across all IPs ('account', a high limit that slows a distributed guess without locking out
-- the owner) and per account name from one IP ('account_ip', the tight limit). key_hash is the
-- SHA-256 of the scope's material (the normalised e-mail, the IP, or both), so unknown accounts
-- are throttled exactly like real ones and the table names nobody. A row is updated with
-- INSERT ... ON DUPLICATE KEY UPDATE; old rows are purged by updated_at.
CREATE TABLE IF NOT EXISTS login_throttles (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	scope ENUM('ip', 'account', 'account_ip') NOT NULL,
	key_hash BINARY(32) NOT NULL,
	failures INT UNSIGNED NOT NULL DEFAULT 0,
	window_started_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	blocked_until DATETIME NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_login_throttles_scope_key (scope, key_hash),
	KEY ix_login_throttles_updated (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- An OAuth (Kakao) login in flight: the state sent to the provider (hashed), bound to the
-- browser that started it (browser_hash: SHA-256 of a nonce kept in a short-lived cookie), single
-- use (used_at set by a conditional UPDATE), expiring in minutes. next_path is the local path to
-- return to after login.
CREATE TABLE IF NOT EXISTS oauth_states (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	state_hash BINARY(32) NOT NULL,
	browser_hash BINARY(32) NOT NULL,
	provider ENUM('kakao') NOT NULL DEFAULT 'kakao',
	next_path VARCHAR(500) NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	expires_at DATETIME NOT NULL,
	used_at DATETIME NULL,
	UNIQUE KEY uq_oauth_states_state_hash (state_hash),
	KEY ix_oauth_states_expires (expires_at),
	CONSTRAINT chk_oauth_states_next_path CHECK (next_path IS NULL OR (next_path LIKE '/%' AND next_path NOT LIKE '//%')),
	CONSTRAINT chk_oauth_states_expiry CHECK (expires_at > created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Mails and chat (Slack-compatible) notifications to send, written in the same transaction as the
-- change that causes them and delivered by `lonua jobs` with retries: it claims due rows with
-- SELECT ... WHERE state = 'pending' AND next_attempt_at <= now ORDER BY next_attempt_at
-- FOR UPDATE SKIP LOCKED, so several job processes never send one row twice. After the last
-- attempt a row is 'failed' and can be resent by setting it back to 'pending'. dedupe_key (for
-- example 'order-paid:123') keeps a retried transaction from queueing the same message twice.
CREATE TABLE IF NOT EXISTS outbox (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	kind ENUM('mail', 'slack') NOT NULL,
	dedupe_key VARCHAR(191) NULL,
	payload JSON NOT NULL,
	state ENUM('pending', 'sent', 'failed') NOT NULL DEFAULT 'pending',
	attempts SMALLINT UNSIGNED NOT NULL DEFAULT 0,
	next_attempt_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	sent_at DATETIME NULL,
	last_error VARCHAR(1000) NULL,
	created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
	updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	UNIQUE KEY uq_outbox_dedupe_key (dedupe_key),
	KEY ix_outbox_state_next_attempt (state, next_attempt_at),
	KEY ix_outbox_created (created_at),
	CONSTRAINT chk_outbox_sent CHECK ((state = 'sent') = (sent_at IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
