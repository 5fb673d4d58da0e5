-- Captured with psql-16-17.sql (psql 17.12 against the gateway, tests/corpus/capture-psql17.sh): \dconfig. Not
-- replayed yet: current_setting(s.name) with a non-constant setting name is refused (the current_setting work is
-- under way elsewhere); move this entry into psql-16-17.sql when it runs.

-- @@ psql 17 \dconfig
SELECT s.name AS "Parameter", pg_catalog.current_setting(s.name) AS "Value"
FROM pg_catalog.pg_settings s
WHERE s.source <> 'default' AND
      s.setting IS DISTINCT FROM s.boot_val
ORDER BY 1
