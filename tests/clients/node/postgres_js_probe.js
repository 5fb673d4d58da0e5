// postgres.js (npm postgres): connect (it reads pg_type's array types at start), every common type as tagged-template
// parameters (it sends dates as ISO timestamps and types parameters by Describe), 100,000 rows through a cursor,
// and an error that rejects instead of hanging. Prints one JSON object of facts for Clients/NodeClientTests.
'use strict';
const postgres = require('postgres');

async function main() {
  const sql = postgres({
    host: process.env.DM_HOST || '127.0.0.1',
    port: Number(process.env.DM_PORT),
    user: process.env.DM_USER || 'bob',
    password: process.env.DM_PASSWORD || process.env.DM_USER || 'bob',
    database: process.env.DM_DATABASE || 'ml_research',
    ssl: false,
    max: 1,
    connect_timeout: 10,
  });
  const facts = {};
  try {
    const cols = await sql`SELECT item_id, region, sale_date, amount FROM mkt_sls_table WHERE item_id <= ${8} ORDER BY item_id`;
    facts.columns = cols.columns.map(c => [c.name, c.type]);
    facts.first = [cols[0].item_id, cols[0].region, cols[0].sale_date.toISOString().slice(0, 10), cols[0].amount];
    facts.since = (await sql`SELECT count(*)::int AS n FROM mkt_sls_table WHERE item_id <= 4000 AND sale_date >= ${new Date(Date.UTC(2024, 0, 1))}`)[0].n;

    const [a] = await sql`SELECT ${42}::int4 AS i, ${'9007199254740993'}::int8 AS b, ${'1234567.125'}::numeric AS n,
      ${1.5}::float8 AS f, ${'héllo wörld'}::text AS t, ${true}::bool AS o, ${new Date(Date.UTC(2024, 1, 29))}::date AS d,
      ${new Date(Date.UTC(2024, 1, 29, 13, 45, 10, 123))}::timestamptz AS tz, ${Buffer.from([0, 1, 255])}::bytea AS by,
      ${'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'}::uuid AS u, ${sql.json({ a: [1, 'x'] })}::json AS j,
      ${sql.array([1, 2, 3])}::int4[] AS ai, ${sql.array(['a', 'b c'])}::text[] AS at`;
    facts.params = { i: a.i, b: String(a.b), n: a.n, f: a.f, t: a.t, o: a.o, d: a.d.toISOString().slice(0, 10), tz: a.tz.toISOString(),
      by: a.by.toString('hex'), u: a.u, j: a.j, ai: a.ai, at: a.at };

    let count = 0, sum = 0;
    await sql`SELECT item_id FROM mkt_sls_table ORDER BY item_id LIMIT 100000`.cursor(5000, rows => {
      count += rows.length;
      for (const r of rows) sum += Number(r.item_id);
    });
    facts.rows = { count, sum };
    try {
      await Promise.race([sql`SELECT customer_email FROM mkt_sls_table`,
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 10000).unref())]);
      facts.error = 'none';
    } catch (e) {
      facts.error = e.code || e.message;
    }
    facts.after = (await sql`SELECT 1 AS one`)[0].one;
  } finally {
    await sql.end({ timeout: 5 });
  }
  process.stdout.write(JSON.stringify(facts) + '\n');
}

main().catch(e => { console.error(e); process.exit(1); });
