"""psycopg2 and LISTEN: autocommit on (as psycopg2's documentation asks for LISTEN), then select() on the connection and
poll() until the expected number of notifications arrived or 30 s passed. Prints "listening" once LISTEN is done, so
the test knows when to cause the events, and the notifications as JSON at the end."""
import json
import select
import sys
import time

import psycopg2

import gateway

channel, expected = sys.argv[1], int(sys.argv[2])
conn = psycopg2.connect(gateway.dsn())
conn.autocommit = True
conn.cursor().execute(f"LISTEN {channel}")
print("listening", flush=True)

received = []
deadline = time.monotonic() + 30
while len(received) < expected and time.monotonic() < deadline:
    if select.select([conn], [], [], 0.5) == ([], [], []):
        continue
    conn.poll()
    while conn.notifies:
        n = conn.notifies.pop(0)
        received.append({"channel": n.channel, "pid": n.pid, "payload": json.loads(n.payload)})
gateway.emit({"backend_pid": conn.get_backend_pid(), "notifications": received})
