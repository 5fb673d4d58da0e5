"""psqlODBC (Debian odbc-postgresql, "PostgreSQL Unicode") through pyodbc: connect, the catalog calls ODBC tools
make (SQLTables, SQLColumns, SQLPrimaryKeys, SQLStatistics, SQLGetTypeInfo) and a parameterised query.

Usage: odbc_catalog.py <host> <port> <database>
"""
import sys
import pyodbc

host, port, database = sys.argv[1:4]
connection = pyodbc.connect(
    f"DRIVER={{PostgreSQL Unicode}};SERVER={host};PORT={port};DATABASE={database};UID=postgres;pqopt={{application_name=odbc}}",
    autocommit=True)
cursor = connection.cursor()
cursor.tables().fetchall()
cursor.tables(schema="marketing").fetchall()
cursor.tables(table="mkt_sls_table", schema="marketing", tableType="TABLE").fetchall()
cursor.columns(table="mkt_sls_table", schema="marketing").fetchall()
cursor.columns(schema="marketing").fetchall()
cursor.primaryKeys("mkt_sls_table", schema="marketing").fetchall()
cursor.statistics("mkt_sls_table", schema="marketing").fetchall()
cursor.getTypeInfo().fetchall()
cursor.execute("SELECT item_id, region FROM marketing.mkt_sls_table WHERE item_id > ?", 1).fetchall()
connection.close()
