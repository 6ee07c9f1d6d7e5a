# Runs a fixed sequence of CPython ssl.MemoryBIO / SSLObject calls and prints what each answered, as
# JSON, for sslobject.test.ts to hold ossl's MemoryBIO / SSLObject to. Arguments: ca.pem,
# server.pem, server.key, and "1.2" or "1.3".
import json
import ssl
import sys

ca, cert, key, version = sys.argv[1:5]
trace = []


def client_context(ignore_eof=False):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    # CPython 3.11 sets OP_IGNORE_UNEXPECTED_EOF by default; ossl does not (a truncation is an
    # error): each sequence says which it runs with.
    if ignore_eof:
        ctx.options |= ssl.OP_IGNORE_UNEXPECTED_EOF
    else:
        ctx.options &= ~ssl.OP_IGNORE_UNEXPECTED_EOF
    ctx.load_verify_locations(ca)
    if version == "1.2":
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def server_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx


def describe(value):
    if isinstance(value, (bytes, bytearray)):
        return {"bytes": len(value)}
    if isinstance(value, tuple):
        return [describe(v) for v in value]
    if isinstance(value, list):
        return [describe(v) for v in value]
    if isinstance(value, dict):
        return {"dict": sorted(value.keys())}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return {"object": type(value).__name__}


def step(label, fn, bios):
    try:
        result = ["ok", describe(fn())]
    except Exception as e:  # noqa: BLE001 - every outcome is recorded
        result = ["raise", type(e).__name__]
    trace.append([label, result, [b.pending for b in bios]])


def new_pair(hostname="localhost", ignore_eof=False):
    c_in, c_out, s_in, s_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    client = client_context(ignore_eof).wrap_bio(c_in, c_out, server_hostname=hostname)
    server = server_context().wrap_bio(s_in, s_out, server_side=True)
    return client, server, (c_in, c_out, s_in, s_out)


client, server, bios = new_pair()
c_in, c_out, s_in, s_out = bios
step("client.do_handshake", client.do_handshake, bios)
step("client.read before", lambda: client.read(), bios)
step("client.getpeercert before", client.getpeercert, bios)
step("client.version before", client.version, bios)
step("client.cipher before", lambda: client.cipher() is None, bios)
step("client.get_channel_binding before", client.get_channel_binding, bios)
step("to server", lambda: s_in.write(c_out.read()) > 0, bios)
step("server.do_handshake", server.do_handshake, bios)
step("to client", lambda: c_in.write(s_out.read()) > 0, bios)
step("client.do_handshake 2", client.do_handshake, bios)
step("client.version", client.version, bios)
step("client.cipher", lambda: client.cipher()[1:], bios)
step("client.getpeercert", lambda: client.getpeercert(), bios)
step("client.getpeercert binary", lambda: client.getpeercert(True), bios)
step("client.selected_alpn_protocol", client.selected_alpn_protocol, bios)
step("client.compression", client.compression, bios)
step("client.get_channel_binding", client.get_channel_binding, bios)
step("client.get_channel_binding bad", lambda: client.get_channel_binding("tls-server-end-point"), bios)
step("to server 2", lambda: s_in.write(c_out.read()) > 0, bios)
step("server.do_handshake 2", server.do_handshake, bios)
step("server.getpeercert", server.getpeercert, bios)
step("server.shared_ciphers nonempty", lambda: len(server.shared_ciphers()) > 0, bios)
step("server.get_channel_binding equal", lambda: server.get_channel_binding() == client.get_channel_binding(), bios)
step("client.write", lambda: client.write(b"hello"), bios)
step("to server 3", lambda: s_in.write(c_out.read()) > 0, bios)
step("server.read", lambda: server.read(1024), bios)
step("server.read again", lambda: server.read(1024), bios)
step("to client 2", lambda: c_in.write(s_out.read()) > 0, bios)
step("client.read tickets", lambda: client.read(), bios)
step("client.session", lambda: client.session is not None, bios)
step("client.session_reused", lambda: client.session_reused, bios)
step("server.write big", lambda: server.write(b"x" * 20000), bios)
step("to client 3", lambda: c_in.write(s_out.read()) > 0, bios)
step("client.read 16384", lambda: client.read(16384), bios)
step("client.pending", client.pending, bios)
step("client.read rest", lambda: client.read(100000), bios)
buf = bytearray(10)
step("client.read empty into", lambda: client.read(5, buf), bios)
step("client.read negative", lambda: client.read(-1), bios)
step("client.read zero", lambda: client.read(0), bios)
step("server.write 3", lambda: server.write(b"abc"), bios)
step("to client 4", lambda: c_in.write(s_out.read()) > 0, bios)
step("client.read into", lambda: client.read(5, buf), bios)
step("client.unwrap", client.unwrap, bios)
step("to server 4", lambda: s_in.write(c_out.read()) > 0, bios)
step("server.read close", lambda: server.read(), bios)
step("server.read close again", lambda: server.read(), bios)
step("server.unwrap", server.unwrap, bios)
step("to client 5", lambda: c_in.write(s_out.read()) > 0, bios)
step("client.unwrap 2", client.unwrap, bios)
step("client.read after unwrap", lambda: client.read(), bios)

# An end of the stream without a close_notify: an error, or (OP_IGNORE_UNEXPECTED_EOF) the end.
for ignore_eof in (False, True):
    client, server, bios = new_pair(ignore_eof=ignore_eof)
    c_in, c_out, s_in, s_out = bios
    for _ in range(3):
        for side in (client, server):
            try:
                side.do_handshake()
            except ssl.SSLWantReadError:
                pass
        s_in.write(c_out.read())
        c_in.write(s_out.read())
    tag = "eof ignored" if ignore_eof else "eof"
    step(tag + ": client.read", lambda: client.read(), bios)
    step(tag + ": write_eof", c_in.write_eof, bios)
    step(tag + ": c_in.eof", lambda: c_in.eof, bios)
    step(tag + ": client.read after", lambda: client.read(), bios)

# A certificate for another name.
client, server, bios = new_pair("wrong.example")
c_in, c_out, s_in, s_out = bios
step("mismatch: client.do_handshake", client.do_handshake, bios)
step("mismatch: to server", lambda: s_in.write(c_out.read()) > 0, bios)
step("mismatch: server.do_handshake", server.do_handshake, bios)
step("mismatch: to client", lambda: c_in.write(s_out.read()) > 0, bios)
step("mismatch: client.do_handshake 2", client.do_handshake, bios)

# MemoryBIO on its own.
b = ssl.MemoryBIO()
bio = [b]
step("bio.write", lambda: b.write(b"abcdef"), bio)
step("bio.read 2", lambda: b.read(2), bio)
step("bio.eof", lambda: b.eof, bio)
step("bio.write_eof", b.write_eof, bio)
step("bio.eof after write_eof", lambda: b.eof, bio)
step("bio.write after eof", lambda: b.write(b"x"), bio)
step("bio.read all", lambda: b.read(), bio)
step("bio.eof drained", lambda: b.eof, bio)
step("bio.read empty", lambda: b.read(), bio)

# wrap_bio's argument checks.
step("wrap_bio server with hostname", lambda: server_context().wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_side=True, server_hostname="x"), [])
step("wrap_bio check_hostname without hostname", lambda: client_context().wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO()), [])

print(json.dumps(trace))
