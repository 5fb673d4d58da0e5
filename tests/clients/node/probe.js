// node-postgres (npm pg + pg-cursor) against the gateway: parameterised queries, a cursor reading 10,000+ rows
// 100 at a time (Execute with a row limit + Flush, no Sync), several statements in one query, a clean error.
// Prints one JSON object of facts; the xunit test (Clients/NodePostgresTests) asserts on them.
'use strict';
const { Client } = require('pg');
const Cursor = require('pg-cursor');

async function main() {
  const client = new Client({
    host: process.env.DM_HOST || '127.0.0.1',
    port: Number(process.env.DM_PORT),
    user: process.env.DM_USER || 'bob',
    password: process.env.DM_PASSWORD || process.env.DM_USER || 'bob',
    database: process.env.DM_DATABASE || 'ml_research',
    ssl: false,
  });
  await client.connect();
  const facts = { pg: require('pg/package.json').version, cursor: require('pg-cursor/package.json').version };

  const p = await client.query('SELECT count(*)::int AS n, max(item_id) AS hi FROM mkt_sls_table WHERE item_id <= $1 AND region = $2', [4000, 'Europe']);
  facts.params = p.rows[0];
  const typed = await client.query('SELECT $1::int + 1 AS i, $2::text AS t, $3::date AS d, $4::numeric AS n', [41, 'héllo', '2024-02-29', '12.50']);
  facts.typed = { i: typed.rows[0].i, t: typed.rows[0].t, d: typed.rows[0].d.toISOString().slice(0, 10), n: typed.rows[0].n };

  // pg-cursor: Parse/Bind/Describe, then Execute(100) + Flush per read; the server answers PortalSuspended each time.
  const cursor = client.query(new Cursor('SELECT item_id FROM mkt_sls_table WHERE item_id <= $1 ORDER BY item_id', [48000]));
  let reads = 0, rows = 0, sum = 0, maxBatch = 0;
  for (;;) {
    const batch = await cursor.read(100);
    if (batch.length === 0) break;
    reads++;
    rows += batch.length;
    maxBatch = Math.max(maxBatch, batch.length);
    for (const r of batch) sum += Number(r.item_id);
  }
  await cursor.close();
  facts.cursor = { reads, rows, sum, maxBatch };

  // Every common type as node-postgres sends it (text format; a Date as '2024-02-29T13:45:10.123+00:00').
  const all = await client.query(
    'SELECT $1::int4 AS i, $2::int8 AS b, $3::numeric AS n, $4::float8 AS f, $5::text AS t, $6::bool AS o, $7::date AS d, ' +
    '$8::timestamptz AS tz, $9::bytea AS by, $10::uuid AS u, $11::json AS j, $12::int4[] AS ai, $13::text[] AS at',
    [42, '9007199254740993', '1234567.125', 1.5, 'héllo wörld', true, new Date(Date.UTC(2024, 1, 29)),
      new Date(Date.UTC(2024, 1, 29, 13, 45, 10, 123)), Buffer.from([0, 1, 255]), 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      JSON.stringify({ a: [1, 'x'] }), [1, 2, null], ['a', 'b c']]);
  const a = all.rows[0];
  facts.all = { i: a.i, b: a.b, n: a.n, f: a.f, t: a.t, o: a.o, d: [a.d.getFullYear(), String(a.d.getMonth() + 1).padStart(2, '0'), String(a.d.getDate()).padStart(2, '0')].join('-'), tz: a.tz.toISOString(), by: a.by.toString('hex'),
    u: a.u, j: a.j, ai: a.ai, at: a.at };
  facts.fields = all.fields.map(x => x.dataTypeID);

  // 100,000 rows through pg-cursor, 5,000 per Execute/Flush.
  const big = client.query(new Cursor('SELECT item_id FROM mkt_sls_table ORDER BY item_id LIMIT 100000'));
  let bigRows = 0, bigSum = 0;
  for (let batch = await big.read(5000); batch.length > 0; batch = await big.read(5000)) {
    bigRows += batch.length;
    for (const r of batch) bigSum += Number(r.item_id);
  }
  await big.close();
  facts.rows = { count: bigRows, sum: bigSum };

  // An error through pg-cursor (Parse/Bind/Describe/Execute/Flush, no Sync): it must reject, not wait forever.
  const bad = client.query(new Cursor('SELECT customer_email FROM mkt_sls_table'));
  try {
    await Promise.race([bad.read(10), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 10000).unref())]);
    facts.cursorError = 'none';
  } catch (e) {
    facts.cursorError = e.code || e.message;
  }
  await bad.close().catch(() => {});

  // Several statements in one simple query: one result per statement.
  const multi = await client.query("SELECT 1 AS a; SELECT 'two' AS b; SELECT count(*)::int AS c FROM mkt_sls_table WHERE item_id <= 40");
  facts.multi = multi.map(r => [r.command, r.rows[0]]);

  try {
    await client.query('SELECT no_such_column FROM mkt_sls_table');
    facts.error = 'none';
  } catch (e) {
    facts.error = { code: e.code, severity: e.severity, message: e.message };
  }
  try {
    await client.query('SELECT customer_email FROM mkt_sls_table WHERE item_id = $1', [4]);
    facts.hidden = 'none';
  } catch (e) {
    facts.hidden = e.code;
  }
  facts.after = (await client.query('SELECT 3 AS x')).rows[0].x;
  await client.end();
  process.stdout.write(JSON.stringify(facts) + '\n');
}

main().catch(e => { console.error(e); process.exit(1); });
