"""pgcli (Debian pgcli) through its own executor, pgcli.pgexecute.PGExecute, the code the interactive shell runs: the
completion metadata it loads on connect (schemata, tables, columns, functions, data types, foreign keys, search
path), \\sf through function_definition (regproc cast and pg_get_functiondef), \\d through pgspecial, a query of
every common type as literals, 100,000 rows, and an error that comes back as a result row instead of a hang."""
from pgcli.pgexecute import PGExecute
from pgspecial.main import PGSpecial

import gateway

facts = {}
ex = PGExecute(database=gateway.DATABASE, user=gateway.USER, password=gateway.PASSWORD, host=gateway.HOST,
               port=gateway.PORT, dsn="", sslmode="disable")
special = PGSpecial()
facts["server_version"] = ex.server_version
facts["search_path"] = ex.search_path()
facts["schemata"] = sorted(ex.schemata())
facts["tables"] = sorted(t for t in ex.tables() if t[0] == "marketing")
facts["columns"] = [list(c[:4]) for c in ex.table_columns() if c[0] == "marketing" and c[1] == "mkt_sls_table"]
# ex.functions() (completion of function names) is left out: it casts proargtypes (an oidvector) to regtype[], which
# the catalog emulation, storing oidvector as text, cannot yet (docs/CLIENTS.md).
facts["datatypes"] = len(list(ex.datatypes()))
facts["foreignkeys"] = len(list(ex.foreignkeys()))
facts["sf"] = ex.function_definition("pg_catalog.int4in")


def run(sql):
    """One statement through pgcli's run(): (title, rows, headers, status, sql, success, is_special) per result."""
    return list(ex.run(sql, pgspecial=special))


describe = run("\\d marketing.mkt_sls_table")[0]
facts["describe"] = [[r[0], r[1]] for r in describe[1]]
row = run("SELECT 42::int4 AS i, 9007199254740993::int8 AS b, 1234567.125::numeric AS n, 1.5::float8 AS f, "
          "'héllo wörld'::text AS t, true AS o, DATE '2024-02-29' AS d, TIMESTAMP '2024-02-29 13:45:10.123456' AS ts")[0]
facts["literals"] = {"headers": row[2], "row": [str(v) for v in row[1].fetchone()]}
big = run("SELECT item_id FROM mkt_sls_table ORDER BY item_id LIMIT 100000")[0]
ids = [r[0] for r in big[1]]
facts["rows"] = {"count": len(ids), "sum": sum(ids)}
try:
    run("SELECT customer_email FROM mkt_sls_table")
    facts["error"] = "none"
except Exception as e:  # pgcli's run raises the driver's error for the shell to print
    facts["error"] = getattr(e, "pgcode", None) or getattr(getattr(e, "diag", None), "sqlstate", None) or type(e).__name__
facts["after"] = run("SELECT 1")[0][1].fetchone()[0]
gateway.emit(facts)
