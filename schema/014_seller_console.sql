-- The seller console (issue 10): the dashboard's and the stock page's reads, and stock adjustments
-- with their history (schema/006 stock_movements).
--
-- * ix_order_lines_brand_created: the dashboard's "today's orders" and the 30 days of sales read a
--   brand's lines by time, whatever their state (ix_order_lines_brand_state_created leads with the
--   state).
-- * A seller's adjustment keeps its history when the seller's account goes (SPEC: a seller may delete
--   the account): the foreign key sets seller_id NULL instead of refusing the deletion, seller_name
--   keeps who it was, and the reason CHECK no longer names the seller.
-- * A seller's adjustment states why: note is required for it (the console's "reason").
-- Expand only: the previous binary writes seller adjustments with a seller and never without a note.
ALTER TABLE order_lines ADD INDEX IF NOT EXISTS ix_order_lines_brand_created (brand_id, created_at);

ALTER TABLE stock_movements ADD COLUMN IF NOT EXISTS seller_name VARCHAR(50) NULL AFTER seller_id;

-- MariaDB refuses a CHECK on a column its foreign key sets NULL, so the reason CHECK no longer names
-- seller_id (the code writes it only for an adjustment).
ALTER TABLE stock_movements DROP CONSTRAINT IF EXISTS chk_stock_movements_reason;
ALTER TABLE stock_movements DROP FOREIGN KEY IF EXISTS fk_stock_movements_seller;
ALTER TABLE stock_movements ADD CONSTRAINT fk_stock_movements_seller FOREIGN KEY IF NOT EXISTS (seller_id)
	REFERENCES sellers (id) ON DELETE SET NULL;
ALTER TABLE stock_movements ADD CONSTRAINT IF NOT EXISTS chk_stock_movements_reason CHECK (
	(reason = 'order' AND delta < 0 AND order_line_id IS NOT NULL)
	OR (reason IN ('cancel', 'return') AND delta > 0 AND order_line_id IS NOT NULL)
	OR (reason = 'seller_adjustment' AND order_line_id IS NULL AND note IS NOT NULL AND note <> ''));
