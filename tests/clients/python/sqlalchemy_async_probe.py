"""SQLAlchemy's asyncio extension with its asyncpg dialect (Debian python3-sqlalchemy, python3-asyncpg): the engine's
connect (json/jsonb codecs, server version, isolation level), reflection through run_sync, bound parameters, 100,000
rows streamed, and an error that comes back as a DBAPIError instead of hanging."""
import asyncio
import datetime
import decimal

import sqlalchemy
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

import gateway


async def main():
    facts = {"sqlalchemy": sqlalchemy.__version__}
    engine = create_async_engine(gateway.url("asyncpg").replace("?sslmode=disable", "?ssl=disable"))
    try:
        async with engine.connect() as conn:
            facts["columns"] = await conn.run_sync(
                lambda sync: [[c["name"], str(c["type"])] for c in inspect(sync).get_columns("mkt_sls_table", schema="marketing")])
            facts["tables"] = await conn.run_sync(lambda sync: sorted(inspect(sync).get_table_names(schema="marketing")))
            row = (await conn.execute(text(
                "SELECT CAST(:i AS int4) AS i, CAST(:b AS int8) AS b, CAST(:n AS numeric) AS n, CAST(:f AS float8) AS f, "
                "CAST(:t AS text) AS t, CAST(:o AS bool) AS o, CAST(:d AS date) AS d, CAST(:ts AS timestamp) AS ts, "
                "CAST(:by AS bytea) AS by"), {
                "i": 42, "b": 9007199254740993, "n": decimal.Decimal("1234567.125"), "f": 1.5, "t": "héllo wörld", "o": True,
                "d": datetime.date(2024, 2, 29), "ts": datetime.datetime(2024, 2, 29, 13, 45, 10, 123456), "by": b"\x00\x01\xff"})).one()
            facts["params"] = {"i": row.i, "b": str(row.b), "n": str(row.n), "f": repr(row.f), "t": row.t, "o": row.o,
                               "d": row.d.isoformat(), "ts": row.ts.isoformat(sep=" "), "by": row.by.hex()}
            facts["json"] = (await conn.execute(text("SELECT CAST('{\"a\": [1, \"x\"]}' AS json) AS j"))).scalar()

            result = await conn.stream(text("SELECT item_id FROM mkt_sls_table ORDER BY item_id LIMIT 100000"))
            count = total = 0
            async for partition in result.partitions(5000):
                count += len(partition)
                total += sum(r.item_id for r in partition)
            facts["rows"] = {"count": count, "sum": total}
            try:
                await conn.execute(text("SELECT customer_email FROM mkt_sls_table"))
                facts["error"] = "no error"
            except DBAPIError as e:
                facts["error"] = e.orig.sqlstate if hasattr(e.orig, "sqlstate") else type(e.orig).__name__
                await conn.rollback()
            facts["after"] = (await conn.execute(text("SELECT 1"))).scalar()
    finally:
        await engine.dispose()
    gateway.emit(facts)


asyncio.run(main())
