"""pyOpenSSL 23 as the behaviour oracle for Connection: runs a fixed memory-BIO sequence and prints,
for each step, the outcome as JSON: ["ok", value] or ["raise", ExceptionClassName]."""
import json
import sys

from OpenSSL import SSL, crypto

cert_pem, key_pem = json.load(sys.stdin)
cert = crypto.load_certificate(crypto.FILETYPE_PEM, cert_pem.encode())
key = crypto.load_privatekey(crypto.FILETYPE_PEM, key_pem.encode())


def pair():
    sctx = SSL.Context(SSL.TLS_METHOD)
    sctx.use_certificate(cert)
    sctx.use_privatekey(key)
    server = SSL.Connection(sctx, None)
    server.set_accept_state()
    client = SSL.Connection(SSL.Context(SSL.TLS_METHOD), None)
    client.set_connect_state()
    return client, server


out = []


def step(fn):
    try:
        v = fn()
        if isinstance(v, bytes):
            v = v.decode("latin-1") if len(v) < 20 else "<%d bytes>" % len(v)
        out.append(["ok", v])
    except SSL.Error as e:
        out.append(["raise", type(e).__name__])


def pump(a, b):
    for x, y in ((a, b), (b, a)):
        while True:
            try:
                data = x.bio_read(65536)
            except SSL.WantReadError:
                break
            y.bio_write(data)


client, server = pair()
step(lambda: client.bio_read(100))
step(lambda: server.recv(10))
step(lambda: client.do_handshake())
pump(client, server)
step(lambda: server.do_handshake())
pump(client, server)
step(lambda: client.do_handshake())
pump(client, server)
step(lambda: server.do_handshake())
step(lambda: client.send(b"x"))
step(lambda: server.recv(10))
pump(client, server)
step(lambda: server.recv(10))
step(lambda: client.shutdown())
pump(client, server)
step(lambda: server.recv(10))
step(lambda: server.shutdown())
pump(client, server)
step(lambda: client.shutdown())

client, server = pair()
for _ in range(4):
    for side in (client, server):
        try:
            side.do_handshake()
        except SSL.WantReadError:
            pass
    pump(client, server)
server.bio_shutdown()
step(lambda: server.recv(10))

_, server = pair()
server.bio_write(b"GET / HTTP/1.0\r\n\r\n")
step(lambda: server.do_handshake())
step(lambda: server.do_handshake())

print(json.dumps(out))
