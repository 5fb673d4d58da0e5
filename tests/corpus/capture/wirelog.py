"""Logging proxy: forwards PostgreSQL wire traffic from LISTEN to TARGET and writes each frontend Query ('Q') and
Parse ('P') text, with Bind parameters, to LOG as '-- @@ <app>' entries."""
import socket, struct, sys, threading
listen, target, log, app = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
lock = threading.Lock()
def write(kind, text):
    with lock, open(log, "a", encoding="utf-8") as f:
        f.write(f"\n-- @@ {app} ({kind})\n{text}\n")
def pump_back(src, dst):
    try:
        while (b := src.recv(65536)): dst.sendall(b)
    except OSError: pass
    finally:
        try: dst.shutdown(socket.SHUT_WR)
        except OSError: pass
def recvn(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c: raise EOFError
        b += c
    return b
def handle(c):
    s = socket.create_connection(("127.0.0.1", target))
    threading.Thread(target=pump_back, args=(s, c), daemon=True).start()
    try:
        n = struct.unpack("!i", recvn(c, 4))[0]; body = recvn(c, n - 4); s.sendall(struct.pack("!i", n) + body)
        while True:
            t = recvn(c, 1); n = struct.unpack("!i", recvn(c, 4))[0]; body = recvn(c, n - 4)
            if t == b"Q": write("simple", body[:-1].decode())
            elif t == b"P":
                name_end = body.index(b"\0"); q_end = body.index(b"\0", name_end + 1)
                write("parse", body[name_end + 1:q_end].decode())
            s.sendall(t + struct.pack("!i", n) + body)
    except (EOFError, OSError): pass
    finally: s.close(); c.close()
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(("127.0.0.1", listen)); l.listen()
while True:
    c, _ = l.accept(); threading.Thread(target=handle, args=(c,), daemon=True).start()
