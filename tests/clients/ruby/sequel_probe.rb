# Sequel 5 (Debian ruby-sequel) over ruby-pg: connect (its SETs and server version), schema parsing from the catalog,
# bound parameters of every common type through a prepared statement, 100,000 rows through paged_each (a cursor in
# a transaction), and an error raised as Sequel::DatabaseError.
require 'bigdecimal'
require 'date'
require 'sequel'
require_relative 'gateway'

db = Sequel.connect(adapter: 'postgres', host: Gateway::HOST, port: Gateway::PORT, user: Gateway::USER,
                    password: Gateway::PASSWORD, database: Gateway::DATABASE, sslmode: 'disable')
facts = { 'sequel' => Sequel::VERSION, 'server_version' => db.server_version }
facts['columns'] = db.schema(Sequel[:marketing][:mkt_sls_table]).map { |name, info| [name.to_s, info[:db_type], info[:type].to_s] }
facts['tables'] = db.tables(schema: :marketing).map(&:to_s).sort
sales = db[Sequel[:marketing][:mkt_sls_table]]
facts['count'] = sales.where { item_id <= 4000 }.count

# Bound variables of a Sequel prepared statement: Parse with $1..$n, then Bind with the values as text (dates as
# strings: Sequel's adapter sends a Date or Time bound variable quoted, which PostgreSQL refuses as well).
ps = db.select(Sequel.cast(:$i, :int4).as(:i), Sequel.cast(:$b, :int8).as(:b), Sequel.cast(:$n, :numeric).as(:n),
               Sequel.cast(:$f, :float8).as(:f), Sequel.cast(:$t, :text).as(:t), Sequel.cast(:$o, :bool).as(:o),
               Sequel.cast(:$d, :date).as(:d), Sequel.cast(:$ts, :timestamp).as(:ts), Sequel.cast(:$by, :bytea).as(:by))
        .prepare(:first, :probe)
r = ps.call(i: 42, b: 9007199254740993, n: BigDecimal('1234567.125'), f: 1.5, t: 'héllo wörld', o: true,
            d: '2024-02-29', ts: '2024-02-29 13:45:10.123456', by: Sequel.blob("\x00\x01\xff".b))
facts['params'] = { 'i' => r[:i], 'b' => r[:b].to_s, 'n' => r[:n].to_s('F'), 'f' => r[:f], 't' => r[:t], 'o' => r[:o],
                    'd' => r[:d].iso8601, 'ts' => r[:ts].strftime('%Y-%m-%d %H:%M:%S.%6N'), 'by' => r[:by].unpack1('H*') }
row = db['SELECT ?::int4 AS i, ?::numeric AS n, ?::date AS d, ?::timestamp AS ts, ?::bytea AS by',
         42, BigDecimal('1234567.125'), Date.new(2024, 2, 29), Time.utc(2024, 2, 29, 13, 45, 10, 123456),
         Sequel.blob("\x00\x01\xff".b)].first
facts['literal'] = { 'i' => row[:i], 'n' => row[:n].to_s('F'), 'd' => row[:d].iso8601,
                     'ts' => row[:ts].strftime('%Y-%m-%d %H:%M:%S.%6N'), 'by' => row[:by].unpack1('H*') }

count = sum = 0
sales.select(:item_id).order(:item_id).limit(100_000).paged_each(rows_per_fetch: 5000) { |r| count += 1; sum += r[:item_id] }
facts['rows'] = { 'count' => count, 'sum' => sum }
begin
  db['SELECT customer_email FROM mkt_sls_table'].all
  facts['error'] = 'no error'
rescue Sequel::DatabaseError => e
  facts['error'] = e.wrapped_exception.result.error_field(PG::Result::PG_DIAG_SQLSTATE)
end
facts['after'] = db['SELECT 1 AS one'].get(:one)
Gateway.emit(facts)
