-- Reconstructed (not captured): the schema queries of Grafana's PostgreSQL data source: the table and column
-- pickers of the query editor (the search_path-aware table list, the information_schema column list) and the
-- version probe, written from grafana/grafana's PostgreSQL data source (public/app/plugins/datasource/
-- grafana-postgresql-datasource: meta queries and the SQL builder's schema/table/column lookups).
-- Every entry must run through the gateway as a consumer, with results scoped to the grants.

-- @@ grafana: version probe
SELECT current_setting('server_version_num')::int/100 as version

-- @@ grafana: table picker (tables on the search path)
select quote_ident(table_name) as table_name from information_schema.tables where quote_ident(table_schema) not in ('information_schema', 'pg_catalog', '_timescaledb_cache', '_timescaledb_catalog', '_timescaledb_internal', '_timescaledb_config', 'timescaledb_information', 'timescaledb_experimental') and table_type = 'BASE TABLE' and quote_ident(table_schema) IN (SELECT CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END FROM generate_series(array_lower(string_to_array(current_setting('search_path'),','),1), array_upper(string_to_array(current_setting('search_path'),','),1)) as i, string_to_array(current_setting('search_path'),',') s)

-- @@ grafana: column picker
SELECT quote_ident(column_name) AS "column", data_type AS "type" FROM information_schema.columns WHERE quote_ident(table_name) = 'mkt_sls_table' AND quote_ident(table_schema) = 'marketing'

-- @@ grafana: SQL builder schemas
SELECT schema_name FROM information_schema.schemata WHERE schema_name NOT IN ('information_schema', 'pg_catalog', 'pg_toast') AND schema_name NOT LIKE 'pg_temp%' AND schema_name NOT LIKE 'pg_toast_temp%' ORDER BY schema_name

-- @@ grafana: SQL builder tables of a schema
SELECT table_name FROM information_schema.tables WHERE table_schema = 'marketing' ORDER BY table_name

-- @@ grafana: SQL builder columns of a table
SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'marketing' AND table_name = 'mkt_sls_table' ORDER BY column_name
