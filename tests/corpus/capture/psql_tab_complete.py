"""Drives psql 15 interactively through a pseudo-terminal and presses Tab where its completion queries the catalog
(table, column, schema, database, role and setting names), so the server log records those queries.

Usage: psql_tab_complete.py <libpq connection string>
"""
import os
import pty
import select
import sys
import time

# Partial inputs; each is followed by one Tab (which sends the query; a second would list matches and could stop at
# readline's "Display all N possibilities?" prompt), then the line is cleared (Ctrl-U) and the next one typed.
INPUTS = [
    "SELECT * FROM mk",
    "SELECT * FROM marketing.",
    "SELECT re",
    "SELECT region FROM mkt_sls_table WHERE re",
    "\\d mk",
    "\\dt mar",
    "\\c ",
    "SET sea",
    "SHOW ",
    "ALTER TABLE mk",
    "SELECT * FROM mkt_sls_table JOIN ",
    "SELECT pg_catalog.ver",
]


def drain(fd, seconds):
    end = time.time() + seconds
    while time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                if not os.read(fd, 65536):
                    return
            except OSError:
                return


def main(conninfo):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["PGAPPNAME"] = "psql"
        os.execvp("psql", ["psql", "-X", conninfo])
    drain(fd, 2)
    os.write(fd, b"set search_path = marketing, public;\n")
    drain(fd, 1)
    for text in INPUTS:
        os.write(fd, text.encode() + b"\t")
        drain(fd, 1.5)
        os.write(fd, b"\x15")  # Ctrl-U: clear the line
        drain(fd, 0.3)
    os.write(fd, b"\\q\n")
    drain(fd, 1)
    os.waitpid(pid, 0)


if __name__ == "__main__":
    main(sys.argv[1])
