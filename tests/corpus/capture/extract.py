"""Turns a PostgreSQL server log (log_statement=all, log_line_prefix='%a|') into corpus files, one per client.

Each statement becomes one entry: a line '-- @@ <where it came from>' followed by the SQL as the client sent it.
Extended-protocol parameters ($1, $2, ... with their values in the DETAIL line) are written in as the literals the
server logged, so the corpus replays as plain text; a '-- parameters:' line keeps the original values visible. The reference
server's OIDs of the reference tables become {{oid:schema.table}} placeholders that the replay fills in.
"""
import collections
import re
import sys

FILES = {  # application_name -> (file, header)
    "psql": ("psql-15.sql", "psql 15.18 (Debian postgresql-client-15): \\l, \\dn, \\dt, \\d, \\d+ and friends"),
    "pgjdbc": ("pgjdbc-42.5.5.sql", "pgjdbc 42.5.5 (Debian libpostgresql-jdbc-java): DatabaseMetaData and ResultSetMetaData"),
    "sqlalchemy": ("sqlalchemy-1.4-psycopg2.sql", "SQLAlchemy 1.4.46 + psycopg2 2.9.5 (Debian): dialect initialisation and Inspector reflection"),
    "odbc": ("psqlodbc-13.02.sql", "psqlODBC 13.02 (Debian odbc-postgresql) through pyodbc 4.0.34: SQLTables, SQLColumns, SQLPrimaryKeys, SQLStatistics, SQLGetTypeInfo"),
    "npgsql": ("npgsql-10.sql", "Npgsql 10.0.3 (the test project's): type loading on open, GetSchema"),
}
# Statements the capture harness itself sends, not the client.
HARNESS = re.compile(r"^\s*set search_path = marketing, public\s*$", re.I)

entry = re.compile(r"^(?P<app>[^|]*)\|(?P<level>[A-Z]+):  (?P<text>.*)$")
statement = re.compile(r"^(?:statement|execute [^:]*): (?P<sql>.*)$", re.S)
parameter = re.compile(r"\$(\d+) = ((?:'(?:[^']|'')*')|NULL)")


def records(path):
    current = None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = entry.match(line)
        if m:
            if current:
                yield current
            current = [m["app"], m["level"], m["text"]]
        elif current is not None and line.startswith("\t"):
            current[2] += "\n" + line[1:]
    if current:
        yield current


def main(log, out_dir, oid_file):
    oids = dict(line.split(" ", 1) for line in open(oid_file, encoding="utf-8").read().splitlines() if line)
    found = collections.OrderedDict((app, []) for app in FILES)
    pending = None
    for app, level, text in records(log):
        if level == "DETAIL" and pending and text.startswith("parameters: "):
            values = dict((int(n), v) for n, v in parameter.findall(text))
            sql = pending[1]
            for n in sorted(values, reverse=True):
                sql = re.sub(r"\$%d(?!\d)" % n, values[n].replace("\\", "\\\\"), sql)
            pending[1] = sql
            pending[2] = text[len("parameters: "):]
            continue
        if level != "LOG" or app not in FILES:
            continue
        m = statement.match(text)
        if not m or HARNESS.match(m["sql"]):
            continue
        pending = [app, m["sql"].strip(), None]
        found[app].append(pending)
    for app, items in found.items():
        name, header = FILES[app]
        seen = set()
        with open(f"{out_dir}/{name}", "w", encoding="utf-8") as f:
            f.write(f"-- Captured from {header}\n-- against PostgreSQL 15 with log_statement=all (tests/corpus/capture.sh).\n")
            f.write("-- Every entry must run through the gateway as a consumer, with results scoped to the grants.\n")
            for _, sql, params in items:
                for oid, name in oids.items():
                    sql = re.sub(r"(?<![0-9])%s(?![0-9])" % oid, "{{oid:%s}}" % name.strip(), sql)
                    params = params and re.sub(r"(?<![0-9])%s(?![0-9])" % oid, "{{oid:%s}}" % name.strip(), params)
                if sql in seen or not sql:
                    continue
                seen.add(sql)
                f.write(f"\n-- @@ {app}\n")
                if params:
                    f.write(f"-- parameters: {params}\n")
                f.write(sql.rstrip().rstrip(";") + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
