// Sequelize 6 (npm sequelize over pg): authenticate (its session SETs), describeTable (pg_statio_all_tables,
// pg_attribute, information_schema), a model over the governed table, bound parameters of every common type
// (bind: $1..), 100,000 rows, and an error raised as a DatabaseError. One JSON object of facts for NodeClientTests.
'use strict';
const { Sequelize, DataTypes, QueryTypes } = require('sequelize');

async function main() {
  const sequelize = new Sequelize(process.env.DM_DATABASE || 'ml_research', process.env.DM_USER || 'bob',
    process.env.DM_PASSWORD || process.env.DM_USER || 'bob', {
      host: process.env.DM_HOST || '127.0.0.1', port: Number(process.env.DM_PORT), dialect: 'postgres', logging: false,
      timezone: '+00:00', pool: { max: 1 },
    });
  const facts = { sequelize: require('sequelize/package.json').version };
  try {
    await sequelize.authenticate();
    const described = await sequelize.getQueryInterface().describeTable({ tableName: 'mkt_sls_table', schema: 'marketing' });
    facts.describe = Object.entries(described).map(([name, c]) => [name, c.type, c.allowNull]);

    const Sale = sequelize.define('Sale', {
      item_id: { type: DataTypes.BIGINT, primaryKey: true }, region: DataTypes.TEXT, sale_date: DataTypes.DATEONLY,
      amount: DataTypes.DECIMAL(12, 2),
    }, { tableName: 'mkt_sls_table', schema: 'marketing', timestamps: false });
    facts.count = await Sale.count({ where: { item_id: { [Sequelize.Op.lte]: 4000 } } });
    const first = await Sale.findOne({ order: [['item_id', 'ASC']] });
    facts.first = [first.item_id, first.region, first.sale_date, first.amount];

    const [a] = await sequelize.query(
      'SELECT $1::int4 AS i, $2::int8 AS b, $3::numeric AS n, $4::float8 AS f, $5::text AS t, $6::bool AS o, $7::date AS d, ' +
      '$8::timestamptz AS tz, $9::bytea AS by, $10::uuid AS u', {
        type: QueryTypes.SELECT,
        bind: [42, '9007199254740993', '1234567.125', 1.5, 'héllo wörld', true, '2024-02-29',
          new Date(Date.UTC(2024, 1, 29, 13, 45, 10, 123)), Buffer.from([0, 1, 255]), 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
      });
    facts.params = { i: a.i, b: a.b, n: a.n, f: a.f, t: a.t, o: a.o, d: a.d, tz: a.tz.toISOString(), by: a.by.toString('hex'), u: a.u };

    const rows = await Sale.findAll({ attributes: ['item_id'], order: [['item_id', 'ASC']], limit: 100000, raw: true });
    facts.rows = { count: rows.length, sum: rows.reduce((s, r) => s + Number(r.item_id), 0) };
    try {
      await sequelize.query('SELECT customer_email FROM mkt_sls_table', { type: QueryTypes.SELECT });
      facts.error = 'none';
    } catch (e) {
      facts.error = e.parent ? e.parent.code : e.message;
    }
    facts.after = (await sequelize.query('SELECT 1 AS one', { type: QueryTypes.SELECT }))[0].one;
  } finally {
    await sequelize.close();
  }
  process.stdout.write(JSON.stringify(facts) + '\n');
}

main().catch(e => { console.error(e); process.exit(1); });
