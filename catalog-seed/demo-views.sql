CREATE SCHEMA marketing;
CREATE VIEW marketing.mkt_sls_table AS SELECT * FROM read_parquet('{marketing_root}/sales/*.parquet');
CREATE VIEW marketing.campaigns AS SELECT * FROM read_parquet('{marketing_root}/campaigns/*.parquet');
