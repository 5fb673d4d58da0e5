-- Captured from psqlODBC 13.02 (Debian odbc-postgresql) through pyodbc 4.0.34, set up the way Tableau's PostgreSQL
-- connector sets it (UseDeclareFetch=1, Fetch=10000, transactions on): tests/corpus/capture/tableau_cursors.py
-- against the DataMesh demo gateway as the consumer bob in ml_research, through tests/corpus/capture/wirelog.py.
-- Tableau (closed source) reads results through psqlODBC's declare/fetch mode, so this is the cursor traffic it
-- sends: BEGIN;declare "SQL_CUR…" cursor with hold for …;fetch 10000 in … as one simple Query, further fetch
-- batches, close, COMMIT, with psqlODBC's statement-level SAVEPOINT/RELEASE from the second statement on (published
-- Tableau/Redshift logs show the same "fetch 10000 in SQL_CUR…" batches). The queries are Tableau-style SQL (an
-- aggregate, then an extract's row-level read); of the extract's 25 fetch-only batches the first two are kept.
-- Every entry must run through the gateway as a consumer, with results scoped to the grants. Entries run in order on
-- one connection: the cursor and the transaction span entries.

-- @@ tableau (psqlODBC declare/fetch)
SET DateStyle = 'ISO';SET extra_float_digits = 2;show transaction_isolation

-- @@ tableau (psqlODBC declare/fetch)
select oid, typbasetype from pg_type where typname = 'lo'

-- @@ tableau (psqlODBC declare/fetch)
BEGIN;declare "SQL_CUR0x598aff0" cursor with hold for SELECT "mkt_sls_table"."region" AS "region",
  SUM("mkt_sls_table"."amount") AS "sum:amount:ok"
FROM "marketing"."mkt_sls_table" "mkt_sls_table"
GROUP BY 1;fetch 10000 in "SQL_CUR0x598aff0"

-- @@ tableau (psqlODBC declare/fetch)
close "SQL_CUR0x598aff0"

-- @@ tableau (psqlODBC declare/fetch)
SAVEPOINT _EXEC_SVP_0x595c320;declare "SQL_CUR0x598aff0" cursor with hold for SELECT "mkt_sls_table"."item_id" AS "item_id",
  "mkt_sls_table"."region" AS "region",
  "mkt_sls_table"."sale_date" AS "sale_date"
FROM "marketing"."mkt_sls_table" "mkt_sls_table";fetch 10000 in "SQL_CUR0x598aff0"

-- @@ tableau (psqlODBC declare/fetch)
RELEASE _EXEC_SVP_0x595c320;SAVEPOINT _EXEC_SVP_0x595c320;fetch 10000 in "SQL_CUR0x598aff0"

-- @@ tableau (psqlODBC declare/fetch)
fetch 10000 in "SQL_CUR0x598aff0"

-- @@ tableau (psqlODBC declare/fetch)
fetch 10000 in "SQL_CUR0x598aff0"

-- @@ tableau (psqlODBC declare/fetch)
close "SQL_CUR0x598aff0"

-- @@ tableau (psqlODBC declare/fetch)
COMMIT
