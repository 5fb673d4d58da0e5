"""pandas.read_sql over a psycopg2 connection: the dtypes a notebook user gets (int64, float64, datetime64, object)."""
import warnings

import pandas
import psycopg2

import gateway

facts = {"pandas": pandas.__version__}
with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # pandas prefers SQLAlchemy connectables; a DBAPI connection works
    conn = psycopg2.connect(gateway.dsn())
    frame = pandas.read_sql(
        "SELECT item_id, sales_qty_sld, region, sale_date::TIMESTAMP AS sold_at, amount::DOUBLE PRECISION AS amount "
        "FROM mkt_sls_table WHERE item_id <= %(n)s ORDER BY item_id", conn, params={"n": 400})
    conn.close()
facts["rows"] = len(frame)
facts["dtypes"] = {c: str(t) for c, t in frame.dtypes.items()}
facts["first"] = [str(v) for v in frame.iloc[0].tolist()]
facts["amount_sum"] = round(float(frame["amount"].sum()), 2)
facts["regions"] = sorted(frame["region"].unique().tolist())
gateway.emit(facts)
