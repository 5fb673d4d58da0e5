-- Reconstructed (not captured): Tableau's PostgreSQL connector reads results through a held cursor
-- (DECLARE … CURSOR WITH HOLD, FETCH in batches, CLOSE) inside a transaction. Kept apart from the replayed corpus
-- (ClientCorpusTests reads ClientCorpus/*.sql only) until the gateway supports SQL-level cursors; each block is one
-- simple Query as Tableau sends it.

-- @@ tableau
BEGIN;declare "SQL_CUR0x1" cursor with hold for SELECT "mkt_sls_table"."region" AS "region", SUM("mkt_sls_table"."amount") AS "sum:amount:ok" FROM "marketing"."mkt_sls_table" "mkt_sls_table" GROUP BY 1;fetch 10000 in "SQL_CUR0x1"

-- @@ tableau
fetch 10000 in "SQL_CUR0x1"

-- @@ tableau
close "SQL_CUR0x1";COMMIT
