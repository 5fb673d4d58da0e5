"""psycopg2: autocommit off (it sends BEGIN), copy_expert to STDOUT, server-side named cursors (DECLARE/FETCH)."""
import io

import psycopg2
import psycopg2.errors

import gateway

facts = {"version": psycopg2.__version__}
conn = psycopg2.connect(gateway.dsn())
facts["autocommit"] = conn.autocommit
cur = conn.cursor()
cur.execute("SELECT count(*), min(region), max(region) FROM mkt_sls_table")
facts["count"], facts["min_region"], facts["max_region"] = cur.fetchone()
facts["in_transaction"] = conn.get_transaction_status() == psycopg2.extensions.TRANSACTION_STATUS_INTRANS
cur.execute("SELECT item_id, amount, sale_date FROM mkt_sls_table WHERE item_id = %s AND region = %s", (8, "Europe"))
facts["param_row"] = [str(v) for v in cur.fetchone()]
conn.commit()

buf = io.StringIO()
cur.copy_expert("COPY (SELECT item_id, region, amount FROM mkt_sls_table WHERE item_id <= 20 ORDER BY item_id) TO STDOUT WITH CSV HEADER", buf)
facts["copy_csv"] = buf.getvalue()
conn.commit()

# A named cursor: DECLARE "big" CURSOR WITHOUT HOLD FOR …, then FETCH FORWARD itersize FROM "big" until empty.
named = conn.cursor(name="big")
named.itersize = 1000
named.execute("SELECT item_id FROM mkt_sls_table WHERE item_id <= %s ORDER BY item_id", (80000,))
ids = [row[0] for row in named]
facts["named_rows"] = len(ids)
facts["named_sum"] = sum(ids)
facts["named_first_last"] = [ids[0], ids[-1]]
named.close()
conn.commit()

# Interleaving: a plain query between two fetches of an open named cursor.
named = conn.cursor(name="interleaved")
named.execute("SELECT item_id FROM mkt_sls_table ORDER BY item_id")
first = named.fetchmany(3)
cur.execute("SELECT 42")
middle = cur.fetchone()[0]
second = named.fetchmany(3)
facts["interleaved"] = [r[0] for r in first] + [middle] + [r[0] for r in second]
named.close()
conn.commit()

# A named cursor over a hidden column fails at DECLARE with the same error as the plain SELECT.
try:
    bad = conn.cursor(name="hidden")
    bad.execute("SELECT customer_email FROM mkt_sls_table")
    bad.fetchone()
    facts["hidden_cursor"] = "no error"
except psycopg2.Error as e:
    facts["hidden_cursor"] = e.pgcode
conn.rollback()

# A held cursor survives COMMIT.
conn.autocommit = True
held = conn.cursor(name="held", withhold=True)
held.execute("SELECT item_id FROM mkt_sls_table ORDER BY item_id LIMIT 5")
facts["held"] = [r[0] for r in held.fetchall()]
held.close()
cur.execute("SELECT 1")
facts["after"] = cur.fetchone()[0]
conn.close()
gateway.emit(facts)
