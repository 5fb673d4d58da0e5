"""asyncpg (Debian python3-asyncpg): connect (it sends client_encoding='utf-8' with the quotes), its type
introspection, prepared-statement metadata (parameter and column types from Describe), parameters of every common
type in asyncpg's binary codecs, 100,000 rows, and errors that come back instead of hanging (asyncpg sends
Parse/Describe/Flush and waits)."""
import asyncio
import datetime
import decimal
import json
import uuid

import asyncpg

import gateway

PARAMS_SQL = ("SELECT $1::int4 AS i, $2::int8 AS b, $3::numeric AS n, $4::float8 AS f, $5::text AS t, $6::bool AS o, "
              "$7::date AS d, $8::timestamp AS ts, $9::timestamptz AS tz, $10::bytea AS by, $11::uuid AS u, $12::json AS j, "
              "$13::int4[] AS ai, $14::text[] AS at")


async def main():
    facts = {"version": asyncpg.__version__}
    conn = await asyncpg.connect(host=gateway.HOST, port=gateway.PORT, user=gateway.USER, password=gateway.PASSWORD,
                                 database=gateway.DATABASE, ssl=False)
    try:
        facts["server_version"] = ".".join(str(x) for x in conn.get_server_version()[:2])
        # Metadata: Describe of a prepared statement (asyncpg reads both from ParameterDescription and RowDescription).
        ps = await conn.prepare("SELECT item_id, region, sale_date, amount FROM mkt_sls_table WHERE item_id <= $1 AND region = $2")
        facts["parameters"] = [t.name for t in ps.get_parameters()]
        facts["columns"] = [[a.name, a.type.name] for a in ps.get_attributes()]
        untyped = await conn.prepare("SELECT $1 AS x, 2 AS y")
        facts["untyped"] = {"parameters": [t.name for t in untyped.get_parameters()],
                            "columns": [[a.name, a.type.name] for a in untyped.get_attributes()],
                            "row": list(await untyped.fetchrow("a"))}
        facts["by_date"] = await conn.fetchval(
            "SELECT count(*) FROM mkt_sls_table WHERE item_id <= $1 AND sale_date >= $2", 4000, datetime.date(2024, 1, 1))

        row = await conn.fetchrow(PARAMS_SQL, 42, 9007199254740993, decimal.Decimal("1234567.125"), 1.5,
                                  "héllo wörld", True, datetime.date(2024, 2, 29), datetime.datetime(2024, 2, 29, 13, 45, 10, 123456),
                                  datetime.datetime(2024, 2, 29, 13, 45, 10, 123000, tzinfo=datetime.timezone.utc),
                                  b"\x00\x01\x02\x03\xff", uuid.UUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
                                  json.dumps({"a": [1, "x"]}), [1, 2, None], ["a", "b c"])
        facts["params"] = {
            "i": str(row["i"]), "b": str(row["b"]), "n": str(row["n"]), "f": repr(row["f"]), "t": row["t"], "o": row["o"],
            "d": row["d"].isoformat(), "ts": row["ts"].isoformat(sep=" "), "tz": row["tz"].isoformat(sep=" "),
            "by": row["by"].hex(), "u": str(row["u"]), "j": json.loads(row["j"]), "ai": row["ai"], "at": row["at"],
        }

        rows = await conn.fetch("SELECT item_id, sale_date, amount FROM mkt_sls_table ORDER BY item_id LIMIT 100000")
        facts["rows"] = {"count": len(rows), "first": rows[0]["item_id"], "last": rows[-1]["item_id"],
                         "sum": sum(r["item_id"] for r in rows), "amount": str(sum(r["amount"] for r in rows))}
        # A cursor in a transaction: Execute with a row limit.
        async with conn.transaction():
            cursor = await conn.cursor("SELECT item_id FROM mkt_sls_table ORDER BY item_id")
            facts["cursor"] = [r["item_id"] for r in await cursor.fetch(3)]

        for key, sql in (("refused", "SELECT * FROM marketing.campaigns"), ("syntax", "SELEC 1")):
            try:
                await conn.fetch(sql)
                facts[key] = "no error"
            except asyncpg.PostgresError as e:
                facts[key] = e.sqlstate
        # The same errors through prepare(), which asyncpg runs as Parse/Describe/Flush before any Sync.
        try:
            await conn.prepare("SELECT * FROM marketing.campaigns")
            facts["refused_prepare"] = "no error"
        except asyncpg.PostgresError as e:
            facts["refused_prepare"] = e.sqlstate
        facts["after"] = await conn.fetchval("SELECT 1")
    finally:
        await conn.close()
    gateway.emit(facts)


asyncio.run(main())
