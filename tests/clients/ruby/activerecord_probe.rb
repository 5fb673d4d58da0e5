# ActiveRecord 6.1 (Debian ruby-activerecord) with its PostgreSQL adapter: connect (its session SETs and the pg_type
# type map), a model over the governed table with its columns read from the catalog, bound parameters of every common
# type through prepared statements, 100,000 rows, and an error raised as ActiveRecord::StatementInvalid.
require 'bigdecimal'
require 'date'
require 'active_record'
require_relative 'gateway'

ActiveRecord::Base.establish_connection(adapter: 'postgresql', host: Gateway::HOST, port: Gateway::PORT,
                                        username: Gateway::USER, password: Gateway::PASSWORD, database: Gateway::DATABASE,
                                        sslmode: 'disable', prepared_statements: true)

class Sale < ActiveRecord::Base
  self.table_name = 'marketing.mkt_sls_table'
  self.primary_key = 'item_id'
end

facts = { 'activerecord' => ActiveRecord::VERSION::STRING }
conn = ActiveRecord::Base.connection
facts['server_version'] = conn.database_version
facts['columns'] = Sale.columns.map { |c| [c.name, c.sql_type] }
facts['count'] = Sale.where('item_id <= ?', 4000).count
first = Sale.where(region: 'Europe').order(:item_id).first
facts['first'] = [first.item_id, first.region, first.sale_date.iso8601, first.amount.to_s('F')]

binds = [[42, ActiveRecord::Type::Integer.new], [9007199254740993, ActiveRecord::Type::BigInteger.new],
         [BigDecimal('1234567.125'), ActiveRecord::Type::Decimal.new], [1.5, ActiveRecord::Type::Float.new],
         ['héllo wörld', ActiveRecord::Type::String.new], [true, ActiveRecord::Type::Boolean.new],
         [Date.new(2024, 2, 29), ActiveRecord::Type::Date.new], [Time.utc(2024, 2, 29, 13, 45, 10, 123456), ActiveRecord::Type::DateTime.new(precision: 6)]]
attrs = binds.map { |v, t| ActiveRecord::Relation::QueryAttribute.new('p', v, t) }
row = conn.exec_query('SELECT $1::int4 AS i, $2::int8 AS b, $3::numeric AS n, $4::float8 AS f, $5::text AS t, $6::bool AS o, ' \
                      '$7::date AS d, $8::timestamp AS ts', 'probe', attrs).to_a.first
facts['params'] = row.transform_values { |v| v.is_a?(Time) ? v.utc.strftime('%Y-%m-%d %H:%M:%S.%6N') : v.to_s }

count = sum = 0
Sale.select(:item_id).order(:item_id).limit(100_000).pluck(:item_id).each { |id| count += 1; sum += id }
facts['rows'] = { 'count' => count, 'sum' => sum }
begin
  conn.select_value('SELECT customer_email FROM mkt_sls_table')
  facts['error'] = 'no error'
rescue ActiveRecord::StatementInvalid => e
  facts['error'] = e.cause.result.error_field(PG::Result::PG_DIAG_SQLSTATE)
end
facts['after'] = conn.select_value('SELECT 1')
Gateway.emit(facts)
