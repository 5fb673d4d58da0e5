"""SQLAlchemy 1.4 (postgresql+psycopg2) reflection and pandas.read_sql dtypes."""
import pandas
import sqlalchemy
from sqlalchemy import inspect, text

import gateway

facts = {"sqlalchemy": sqlalchemy.__version__, "pandas": pandas.__version__}
engine = sqlalchemy.create_engine(gateway.url("psycopg2"))
with engine.connect() as conn:
    facts["scalar"] = conn.execute(text("SELECT count(*) FROM mkt_sls_table WHERE item_id <= :n"), {"n": 400}).scalar()

frame = pandas.read_sql(
    "SELECT item_id, sales_qty_sld, region, sale_date::TIMESTAMP AS sold_at, amount::DOUBLE PRECISION AS amount "
    "FROM mkt_sls_table WHERE item_id <= 400 ORDER BY item_id", engine)
facts["rows"] = len(frame)
facts["dtypes"] = {c: str(t) for c, t in frame.dtypes.items()}
facts["first"] = [str(v) for v in frame.iloc[0].tolist()]
facts["amount_sum"] = round(float(frame["amount"].sum()), 2)

frame = pandas.read_sql(text("SELECT region, count(*) AS n FROM mkt_sls_table GROUP BY region"), engine)
facts["grouped"] = frame.to_dict(orient="records")

insp = inspect(engine)
facts["schemas"] = sorted(insp.get_schema_names())
facts["tables"] = sorted(insp.get_table_names(schema="marketing"))
facts["columns"] = [[c["name"], str(c["type"])] for c in insp.get_columns("mkt_sls_table", schema="marketing")]
gateway.emit(facts)
