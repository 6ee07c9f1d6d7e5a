"""pyOpenSSL doing the in-memory TLS sequence that bench/src/tls.mjs times for ossl. Prints JSON."""
import json
import sys
import time

from OpenSSL import SSL, crypto

BUDGET = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
pems = json.load(sys.stdin)


def ctx_for(kind):
    c = SSL.Context(SSL.TLS_METHOD)
    c.use_certificate(crypto.load_certificate(crypto.FILETYPE_PEM, pems[kind]["cert"].encode()))
    c.use_privatekey(crypto.load_privatekey(crypto.FILETYPE_PEM, pems[kind]["key"].encode()))
    return c


def pump(a, b):
    for x, y in ((a, b), (b, a)):
        while True:
            try:
                data = x.bio_read(65536)
            except SSL.WantReadError:
                break
            y.bio_write(data)


def handshake(cctx, sctx, session=None):
    client = SSL.Connection(cctx, None)
    client.set_connect_state()
    if session is not None:
        client.set_session(session)
    server = SSL.Connection(sctx, None)
    server.set_accept_state()
    done = 0
    while done < 2:
        done = 0
        for side in (client, server):
            try:
                side.do_handshake()
                done += 1
            except SSL.WantReadError:
                pass
        pump(client, server)
    return client, server


def rate(fn, min_iters=5):
    fn()
    n = 0
    start = time.perf_counter()
    while True:
        fn()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= BUDGET and n >= min_iters:
            return n / elapsed


out = {}
cctx = SSL.Context(SSL.TLS_METHOD)
for kind, label in (("ec", "P-256"), ("rsa", "RSA-2048")):
    sctx = ctx_for(kind)
    out[f"full TLS 1.3 handshake ({label})"] = rate(lambda: handshake(cctx, sctx))
    client, server = handshake(cctx, sctx)
    try:
        client.recv(1)
    except SSL.WantReadError:
        pass
    session = client.get_session()
    out[f"resumed TLS 1.3 handshake ({label})"] = rate(lambda: handshake(cctx, sctx, session))

client, server = handshake(cctx, ctx_for("ec"))
chunk = b"x" * 16384


def bulk():
    total = 0
    for _ in range(64):
        client.send(chunk)
        pump(client, server)
        got = 0
        while got < len(chunk):
            got += len(server.recv(16384))
        total += got
    return total


bulk()
start = time.perf_counter()
moved = 0
while time.perf_counter() - start < BUDGET:
    moved += bulk()
out["bulk 16 KiB sends (MB/s)"] = moved / (time.perf_counter() - start) / 1e6
out["cipher"] = client.get_cipher_name()
json.dump(out, sys.stdout)
