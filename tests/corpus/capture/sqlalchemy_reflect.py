"""SQLAlchemy 1.4 on psycopg2: connect (dialect initialisation) and reflect every schema, table and column."""
import sys
import sqlalchemy

engine = sqlalchemy.create_engine(sys.argv[1])
inspector = sqlalchemy.inspect(engine)
for schema in inspector.get_schema_names():
    for table in inspector.get_table_names(schema=schema):
        inspector.get_columns(table, schema=schema)
        inspector.get_pk_constraint(table, schema=schema)
        inspector.get_foreign_keys(table, schema=schema)
        inspector.get_indexes(table, schema=schema)
        inspector.get_unique_constraints(table, schema=schema)
        inspector.get_check_constraints(table, schema=schema)
        inspector.get_table_comment(table, schema=schema)
    inspector.get_view_names(schema=schema)
inspector.get_table_names()
engine.dialect.has_table(engine.connect(), "mkt_sls_table", schema="marketing")
with engine.connect() as c:
    c.execute(sqlalchemy.text("select 1")).fetchall()
