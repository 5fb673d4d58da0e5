# ruby-pg (Debian ruby-pg): PG::BasicTypeMapForQueries and ForResults (they read pg_type at set-up), exec_params with
# every common type, describe_prepared of an untyped $1 in the select list, 100,000 rows in single-row mode, and errors.
require 'bigdecimal'
require 'date'
require 'pg'
require_relative 'gateway'

facts = { 'pg' => PG::VERSION }
conn = PG.connect(Gateway.settings)
conn.type_map_for_queries = PG::BasicTypeMapForQueries.new(conn)
conn.type_map_for_results = PG::BasicTypeMapForResults.new(conn)
facts['server_version'] = conn.server_version

r = conn.exec_params('SELECT $1::int4 AS i, $2::int8 AS b, $3::numeric AS n, $4::float8 AS f, $5::text AS t, $6::bool AS o, ' \
                     '$7::date AS d, $8::timestamp AS ts, $9::bytea AS by, $10::int4[] AS ai, $11::text[] AS at',
                     [42, 9007199254740993, BigDecimal('1234567.125'), 1.5, 'héllo wörld', true, Date.new(2024, 2, 29),
                      Time.utc(2024, 2, 29, 13, 45, 10, 123456), '\\x0001ff', [1, 2, nil], ['a', 'b c']])
row = r[0]
facts['params'] = { 'i' => row['i'], 'b' => row['b'].to_s, 'n' => row['n'].to_s('F'), 'f' => row['f'], 't' => row['t'],
                    'o' => row['o'], 'd' => row['d'].iso8601, 'ts' => row['ts'].strftime('%Y-%m-%d %H:%M:%S.%6N'),
                    'by' => row['by'].unpack1('H*'), 'ai' => row['ai'], 'at' => row['at'] }
facts['types'] = r.fields.each_index.map { |i| conn.exec_params('SELECT format_type($1::oid, NULL) AS t', [r.ftype(i)])[0]['t'] }

# PQdescribePrepared of an untyped $1 in the select list: both columns, as execution returns them.
conn.prepare('untyped', 'SELECT $1 AS x, 2 AS y')
d = conn.describe_prepared('untyped')
facts['describe'] = { 'nparams' => d.nparams, 'param' => d.paramtype(0), 'fields' => d.fields, 'types' => d.nfields.times.map { |i| d.ftype(i) } }

conn.send_query('SELECT item_id FROM mkt_sls_table ORDER BY item_id LIMIT 100000')
conn.set_single_row_mode
count = sum = 0
while (res = conn.get_result)
  res.check
  res.each_row { |(id)| count += 1; sum += id }
end
facts['rows'] = { 'count' => count, 'sum' => sum }

begin
  conn.exec('SELECT customer_email FROM mkt_sls_table')
  facts['error'] = 'no error'
rescue PG::Error => e
  facts['error'] = e.result.error_field(PG::Result::PG_DIAG_SQLSTATE)
end
facts['after'] = conn.exec('SELECT 1 AS one')[0]['one']
conn.close
Gateway.emit(facts)
