-- Where a bank-transfer order's money goes back (SPEC §6: its refunds wait until an admin sends
-- them). The buyer gives the account when cancelling the paid order or asking to return a line;
-- it is kept on the order (the latest one given) and copied into each refund made for the order
-- (refunds.refund_bank_name, refund_account_number, refund_account_holder), which the admin reads.
-- Expand only: nullable columns the previous release's binary neither reads nor writes. MariaDB
-- validates the CHECKs it adds by copying the table: a short lock at this shop's size.
ALTER TABLE orders
	ADD COLUMN IF NOT EXISTS refund_bank_name VARCHAR(50) NULL AFTER depositor_name,
	ADD COLUMN IF NOT EXISTS refund_account_number VARCHAR(50) NULL AFTER refund_bank_name,
	ADD COLUMN IF NOT EXISTS refund_account_holder VARCHAR(50) NULL AFTER refund_account_number,
	ALGORITHM = INPLACE, LOCK = NONE;

-- All three or none, and only on a bank-transfer order (a card's money goes back the way it came).
ALTER TABLE orders DROP CONSTRAINT IF EXISTS chk_orders_refund_account;
ALTER TABLE orders ADD CONSTRAINT chk_orders_refund_account CHECK (
	(refund_bank_name IS NULL) = (refund_account_number IS NULL)
	AND (refund_bank_name IS NULL) = (refund_account_holder IS NULL)
	AND (refund_bank_name IS NULL OR payment_method = 'bank_transfer'));

ALTER TABLE refunds DROP CONSTRAINT IF EXISTS chk_refunds_account;
ALTER TABLE refunds ADD CONSTRAINT chk_refunds_account CHECK (
	(refund_bank_name IS NULL) = (refund_account_number IS NULL)
	AND (refund_bank_name IS NULL) = (refund_account_holder IS NULL)
	AND (refund_bank_name IS NULL OR method = 'bank_transfer'));
