-- The reference PostgreSQL schema the capture runs against: the shape of the demo's marketing assets (names, types,
-- comments), so every client sends the catalog queries it would send to the gateway. No data is needed.
CREATE SCHEMA marketing;
CREATE TABLE marketing.mkt_sls_table (item_id bigint, sales_qty_sld integer, region varchar, sale_date date,
  amount numeric(12,2), customer_email varchar);
COMMENT ON TABLE marketing.mkt_sls_table IS 'Sales by item';
COMMENT ON COLUMN marketing.mkt_sls_table.item_id IS 'Item identifier';
CREATE TABLE marketing.campaigns (campaign_id integer, name varchar, started_at timestamp with time zone);
