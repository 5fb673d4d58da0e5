"""psycopg 3: server-side prepare after 5 executions, binary results, str parameters sent untyped, nested
transaction() blocks (savepoints), and a server-side cursor."""
import datetime
import decimal

import psycopg

import gateway

facts = {"version": psycopg.__version__}
with psycopg.connect(gateway.dsn(), prepare_threshold=5, autocommit=True) as conn:
    facts["server_version"] = conn.info.server_version

    # Executed 7 times: psycopg prepares it server-side from the 6th execution on (prepare_threshold=5).
    sql = "SELECT count(*) AS n, min(item_id) AS lo FROM mkt_sls_table WHERE item_id <= %s"
    results = []
    for k in range(7):
        cur = conn.execute(sql, (1000 + k * 4,))
        results.append(cur.fetchone())
    facts["prepared_results"] = [list(r) for r in results]
    # psycopg's own record of the statements it prepared on the server (name per query): proof the switch happened.
    facts["prepared_count"] = len(conn._prepared._names)

    # Binary results: the same rows read in binary and in text must be equal, and typed.
    q = "SELECT item_id, sales_qty_sld, region, sale_date, amount, TIMESTAMPTZ '2024-03-01 12:34:56.789+00' AS ts, true AS b FROM mkt_sls_table WHERE item_id <= 40 ORDER BY item_id"
    binary = conn.cursor(binary=True).execute(q).fetchall()
    text = conn.cursor(binary=False).execute(q).fetchall()
    facts["binary_equals_text"] = binary == text
    facts["binary_first"] = [repr(v) for v in binary[0]]
    facts["binary_types"] = [type(v).__name__ for v in binary[0]]

    # str parameters go untyped (OID 0): the server infers the type from the context.
    cur = conn.execute("SELECT count(*) FROM mkt_sls_table WHERE region = %s AND sale_date >= %s", ("Europe", "2024-01-01"))
    facts["untyped_str"] = cur.fetchone()[0]
    cur = conn.execute("SELECT %s || '!' AS s, %s::int + 1 AS i", ("hi", "41"))
    facts["untyped_expr"] = list(cur.fetchone())

    # Nested transaction() blocks: savepoints. The inner failure is rolled back to its savepoint only.
    facts["outer_rows"] = None
    with conn.transaction():
        conn.execute("SELECT 1")
        try:
            with conn.transaction():
                conn.execute("SELECT no_such_column FROM mkt_sls_table")
        except psycopg.Error as e:
            facts["inner_error"] = e.sqlstate
        facts["outer_rows"] = conn.execute("SELECT count(*) FROM mkt_sls_table WHERE item_id <= 100").fetchone()[0]
        with conn.transaction():
            facts["nested_ok"] = conn.execute("SELECT 5").fetchone()[0]
    facts["status_after"] = conn.info.transaction_status.name

    # COPY TO STDOUT through psycopg 3's copy(): text format rows.
    with conn.cursor() as cur:
        with cur.copy("COPY (SELECT item_id, region FROM mkt_sls_table WHERE item_id <= 12 ORDER BY item_id) TO STDOUT") as copy:
            facts["copy_rows"] = [list(r) for r in copy.rows()]

    # Server-side cursor (DECLARE … CURSOR, FETCH FORWARD n) in psycopg 3, binary.
    with conn.transaction():
        with conn.cursor(name="c3", binary=True) as sc:
            sc.itersize = 500
            sc.execute("SELECT item_id, amount FROM mkt_sls_table WHERE item_id <= %s ORDER BY item_id", (20000,))
            rows = list(sc)
            facts["server_cursor_rows"] = len(rows)
            facts["server_cursor_last"] = [rows[-1][0], str(rows[-1][1])]
gateway.emit(facts)
