-- Demo producer data for the marketing domain, written into project marketing's storage prefix
-- (<account location>/marketing/). Deterministic: the same rows on every machine.
COPY (
  SELECT
    i::BIGINT                                                                AS item_id,
    (1 + (i * 7919) % 50)::INTEGER                                           AS sales_qty_sld,
    (['Europe', 'North America', 'Asia', 'South America'])[1 + (i % 4)::INTEGER] AS region,
    (DATE '2023-01-01' + ((i * 31) % 730)::INTEGER)                          AS sale_date,
    (((i * 104729) % 100000) / 100.0)::DECIMAL(12, 2)                        AS amount,
    'customer' || (i % 50000)::VARCHAR || '@example.com'                      AS customer_email
  FROM range(1, 1000001) AS t(i)
) TO '{marketing_storage}/sales/mkt_sls_table.parquet' (FORMAT parquet, ROW_GROUP_SIZE 122880);

COPY (
  SELECT
    c::INTEGER                                                   AS campaign_id,
    'Campaign ' || c::VARCHAR                                    AS name,
    (['email', 'social', 'search', 'display'])[1 + (c % 4)::INTEGER] AS channel,
    (DATE '2023-01-01' + (c * 14)::INTEGER)                      AS starts_on,
    ((c * 1500) % 20000 + 500)::DECIMAL(12, 2)                   AS budget
  FROM range(1, 51) AS t(c)
) TO '{marketing_storage}/campaigns/campaigns.parquet' (FORMAT parquet);

COPY (
  SELECT
    (DATE '2025-01-01' + (m * 30)::INTEGER)                      AS month,
    (['Europe', 'North America', 'Asia', 'South America'])[1 + (m % 4)::INTEGER] AS region,
    (100000 + m * 2500)::DECIMAL(14, 2)                          AS forecast_amount
  FROM range(0, 24) AS t(m)
) TO '{marketing_storage}/drafts/draft_forecast.parquet' (FORMAT parquet);
