-- An order with nothing to pay (coupons, the grade discount and mileage cover the items, and every
-- brand ships free) is paid at checkout (src/shop/checkout.c): neither a bank transfer of 0 won
-- nor a gateway payment of 0 won can come. Its paid_at then has no transfer recorded and no
-- imp_uid, which these CHECKs now allow for a total of 0 only.
-- MariaDB validates a CHECK it adds by copying the table: a short lock at this shop's size.
ALTER TABLE orders DROP CONSTRAINT IF EXISTS chk_orders_gateway_paid;
ALTER TABLE orders ADD CONSTRAINT chk_orders_gateway_paid CHECK (payment_method = 'bank_transfer' OR paid_at IS NULL
	OR imp_uid IS NOT NULL OR total_amount = 0);
ALTER TABLE orders DROP CONSTRAINT IF EXISTS chk_orders_transfer_paid;
ALTER TABLE orders ADD CONSTRAINT chk_orders_transfer_paid CHECK (payment_method <> 'bank_transfer' OR paid_at IS NULL
	OR received_amount IS NOT NULL OR total_amount = 0);
