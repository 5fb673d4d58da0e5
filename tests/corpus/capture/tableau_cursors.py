"""psqlODBC (Debian odbc-postgresql, "PostgreSQL Unicode") through pyodbc, set up as Tableau's PostgreSQL connector
sets it (UseDeclareFetch=1, rows read through a server-side cursor, Fetch=10000 rows a batch; transactions on): it
runs a Tableau-style aggregate and an extract's row-level read, so psqlODBC sends BEGIN, DECLARE … CURSOR WITH HOLD, FETCH, CLOSE, COMMIT.

Usage: tableau_cursors.py <host> <port> <database> <user> <password>
"""
import sys
import pyodbc

host, port, database, user, password = sys.argv[1:6]
connection = pyodbc.connect(
    f"DRIVER={{PostgreSQL Unicode}};SERVER={host};PORT={port};DATABASE={database};UID={user};PWD={password};"
    "SSLMODE=disable;UseDeclareFetch=1;Fetch=10000;pqopt={application_name=tableau}",
    autocommit=False)
cursor = connection.cursor()
cursor.execute('SELECT "mkt_sls_table"."region" AS "region",\n  SUM("mkt_sls_table"."amount") AS "sum:amount:ok"\n'
               'FROM "marketing"."mkt_sls_table" "mkt_sls_table"\nGROUP BY 1')
cursor.fetchall()
# An extract refresh reads every row: 250,000 rows for the demo consumer, 25 FETCH batches of 10,000.
cursor.execute('SELECT "mkt_sls_table"."item_id" AS "item_id",\n  "mkt_sls_table"."region" AS "region",\n'
               '  "mkt_sls_table"."sale_date" AS "sale_date"\nFROM "marketing"."mkt_sls_table" "mkt_sls_table"')
print(len(cursor.fetchall()))
cursor.close()
connection.commit()
connection.close()
