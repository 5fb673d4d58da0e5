"""psqlODBC (Debian odbc-postgresql) through pyodbc: connect, query, parameters, SQLTables, SQLColumns."""
import glob
import os
import sys
import tempfile

# The driver is named by path, so no odbcinst.ini is needed; an empty one keeps Debian's (CommLog=1) from writing
# a log file per connection into /tmp.
os.environ["ODBCSYSINI"] = tempfile.mkdtemp(prefix="datamesh-odbc-")
open(os.path.join(os.environ["ODBCSYSINI"], "odbcinst.ini"), "w").close()

import pyodbc  # noqa: E402 (reads ODBCSYSINI when it connects)

import gateway

section = sys.argv[1] if len(sys.argv) > 1 else "query"
# declarefetch: psqlODBC's cursor mode, as BI tools configure it. It sends
#   BEGIN;declare "SQL_CUR…" cursor with hold for …;fetch 100 in "SQL_CUR…"
# then "SAVEPOINT _EXEC_SVP_…;fetch 100 in …" per block (its statement-level rollback uses savepoints).
options = ";UseDeclareFetch=1;Fetch=100" if section == "declarefetch" else ""
# The driver by path, so the probe does not depend on how odbcinst.ini names it.
driver = sorted(glob.glob("/usr/lib/*/odbc/psqlodbcw.so") + glob.glob("/usr/lib/odbc/psqlodbcw.so"))[0]
conn = pyodbc.connect(
    f"DRIVER={driver};SERVER={gateway.HOST};PORT={gateway.PORT};DATABASE={gateway.DATABASE};"
    f"UID={gateway.USER};PWD={gateway.PASSWORD};SSLMODE=disable;CommLog=0;Debug=0{options}", autocommit=section != "declarefetch")
facts = {"pyodbc": pyodbc.version, "driver_version": conn.getinfo(pyodbc.SQL_DRIVER_VER),
         "dbms": conn.getinfo(pyodbc.SQL_DBMS_NAME)}
cur = conn.cursor()
if section == "query":
    cur.execute("SELECT count(*), max(region) FROM mkt_sls_table")
    facts["count"], facts["max_region"] = cur.fetchone()
    # Parameters: psqlODBC sends them bound (UseServerSidePrepare=1 by default): the values must round-trip.
    cur.execute("SELECT item_id, sales_qty_sld, region, sale_date, amount FROM mkt_sls_table WHERE item_id = ? AND region = ?", 12, "Europe")
    row = cur.fetchone()
    facts["param_row"] = [str(v) for v in row]
    facts["param_types"] = [type(v).__name__ for v in row]
    facts["description"] = [[d[0], d[1].__name__] for d in cur.description]
    cur.execute("SELECT CAST(? AS INTEGER) + 1, CAST(? AS TEXT) || 'x'", 41, "ab")
    facts["param_expr"] = [str(v) for v in cur.fetchone()]
    try:
        cur.execute("SELECT customer_email FROM mkt_sls_table")
        facts["hidden"] = "no error"
    except pyodbc.Error as e:
        facts["hidden"] = e.args[0]
    cur.execute("SELECT 1")
    facts["after_error"] = cur.fetchone()[0]
elif section == "declarefetch":
    cur.execute("SELECT item_id, amount FROM mkt_sls_table WHERE item_id <= ? ORDER BY item_id", 40000)
    rows = cur.fetchall()
    facts["rows"] = len(rows)
    facts["sum"] = sum(r[0] for r in rows)
    facts["last"] = [str(v) for v in rows[-1]]
    try:
        cur.execute("SELECT no_such_column FROM mkt_sls_table")
        facts["error"] = "no error"
    except pyodbc.Error as e:
        facts["error"] = e.args[0]
    # The failed statement was rolled back to psqlODBC's savepoint: the transaction goes on.
    cur.execute("SELECT count(*) FROM mkt_sls_table WHERE item_id <= ?", 400)
    facts["after_error"] = cur.fetchone()[0]
    conn.commit()
else:
    facts["tables"] = sorted(f"{t.table_schem}.{t.table_name}:{t.table_type}" for t in cur.tables())
    facts["columns"] = [[c.column_name, c.type_name, c.column_size, c.decimal_digits, c.remarks]
                        for c in cur.columns(table="mkt_sls_table", schema="marketing")]
conn.close()
os.remove(os.path.join(os.environ["ODBCSYSINI"], "odbcinst.ini"))
os.rmdir(os.environ["ODBCSYSINI"])
gateway.emit(facts)
