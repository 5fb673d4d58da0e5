-- Real source (not captured): the catalog queries of Grafana's PostgreSQL data source, written out from grafana/grafana
-- with their template values filled in: public/app/plugins/datasource/grafana-postgresql-datasource/postgresMetaQuery.ts
-- at commit 12f912ab8d010f4d95a4043a0efaa20fc4ca0100 (getVersion, getTimescaleDBVersion, showSchemas, showTables,
-- getSchema; evaluated as the functions build them), called from datasource.ts (commit
-- 04282cd93150390a7d83089cc520d96546d576a8: fetchTables, fetchFields) and configuration/useAutoDetectFeatures.ts
-- (version probe); the backend's pkg/tsdb/grafana-postgresql-datasource/schema.go at commit
-- 043dd88a47944c35205994c4da317e100dc9b12e (querySchemas, queryTables, queryColumns, ColumnValues; pgx parameters
-- written in as literals); and the health check, pgx v5's PgConn.Ping, which sends the simple Query "-- ping".
-- Grafana cannot be run here to capture it.
-- Every entry must run through the gateway as a consumer, with results scoped to the grants.


-- @@ grafana postgresMetaQuery.getVersion (data source settings: version auto-detection)
SELECT current_setting('server_version_num')::int/100 as version

-- @@ grafana postgresMetaQuery.getTimescaleDBVersion (version >= 906)
SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'

-- @@ grafana postgresMetaQuery.showSchemas
SELECT schema_name AS "name"
    FROM information_schema.schemata
    WHERE schema_name NOT IN ('information_schema',
                              'pg_catalog',
                              'pg_toast',
                              '_timescaledb_cache',
                              '_timescaledb_catalog',
                              '_timescaledb_internal',
                              '_timescaledb_config',
                              'timescaledb_information',
                              'timescaledb_experimental')
    ORDER BY schema_name

-- @@ grafana postgresMetaQuery.showTables() (SQL builder table picker, completion lookup)
SELECT
    CASE WHEN 
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )
      THEN quote_ident(table_name)
      ELSE quote_ident(table_schema) || '.' || quote_ident(table_name)
    END AS "table"
    FROM information_schema.tables
    WHERE quote_ident(table_schema) NOT IN ('information_schema',
                             'pg_catalog',
                             '_timescaledb_cache',
                             '_timescaledb_catalog',
                             '_timescaledb_internal',
                             '_timescaledb_config',
                             'timescaledb_information',
                             'timescaledb_experimental')
    ORDER BY CASE WHEN 
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          ) THEN 0 ELSE 1 END, 1

-- @@ grafana postgresMetaQuery.showTables('marketing')
SELECT quote_ident(table_name) AS "table"
      FROM information_schema.tables
      WHERE quote_ident(table_schema) = 'marketing'
      ORDER BY 1

-- @@ grafana postgresMetaQuery.getSchema('mkt_sls_table') (fetchFields: column picker)
SELECT quote_ident(column_name) AS "column", data_type AS "type"
    FROM information_schema.columns
    WHERE
      CASE WHEN array_length(parse_ident('mkt_sls_table'),1) = 2
        THEN quote_ident(table_schema) = (parse_ident('mkt_sls_table'))[1]
          AND quote_ident(table_name) = (parse_ident('mkt_sls_table'))[2]
        ELSE quote_ident(table_name) = 'mkt_sls_table'
          AND 
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )
      END

-- @@ grafana postgresMetaQuery.getSchema('marketing.mkt_sls_table')
SELECT quote_ident(column_name) AS "column", data_type AS "type"
    FROM information_schema.columns
    WHERE
      CASE WHEN array_length(parse_ident('marketing.mkt_sls_table'),1) = 2
        THEN quote_ident(table_schema) = (parse_ident('marketing.mkt_sls_table'))[1]
          AND quote_ident(table_name) = (parse_ident('marketing.mkt_sls_table'))[2]
        ELSE quote_ident(table_name) = 'marketing.mkt_sls_table'
          AND 
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )
      END

-- @@ grafana pkg/tsdb schema.go querySchemas (schemads Schema/Tables handlers)
SELECT schema_name FROM information_schema.schemata
		 WHERE schema_name NOT LIKE 'pg_%' AND schema_name != 'information_schema'
		 ORDER BY schema_name

-- @@ grafana pkg/tsdb schema.go queryTables('marketing')
-- parameters: $1 = 'marketing'
SELECT table_name FROM information_schema.tables
		 WHERE table_schema = 'marketing' AND table_type IN ('BASE TABLE', 'VIEW')
		 ORDER BY table_name

-- @@ grafana pkg/tsdb schema.go queryColumns('marketing', 'mkt_sls_table')
-- parameters: $1 = 'marketing', $2 = 'mkt_sls_table'
SELECT column_name, data_type, udt_name, numeric_precision, numeric_scale
		 FROM information_schema.columns
		 WHERE table_schema = 'marketing' AND table_name = 'mkt_sls_table'
		 ORDER BY ordinal_position

-- @@ grafana pkg/tsdb schema.go ColumnValues(marketing.mkt_sls_table: region, sale_date)
SELECT 'region' AS col_name, "region"::text AS val FROM (SELECT DISTINCT "region" FROM "marketing"."mkt_sls_table" WHERE "region" IS NOT NULL ORDER BY "region" LIMIT 100) sub_0 UNION ALL SELECT 'sale_date' AS col_name, "sale_date"::text AS val FROM (SELECT DISTINCT "sale_date" FROM "marketing"."mkt_sls_table" WHERE "sale_date" IS NOT NULL ORDER BY "sale_date" LIMIT 100) sub_1

-- @@ grafana pgx CheckHealth: pgconn.Ping (jackc/pgx v5 pgconn.go) on the Save & test button
-- ping
