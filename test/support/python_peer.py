"""A TLS peer written with Python's own `ssl` module, for interop tests.

  python_peer.py server CERT KEY [--ca CA] [--require-cert] [--max tls1_2|tls1_3]
      listens on 127.0.0.1 (port printed as "PORT <n>"), serves one connection: reads a line,
      answers "echo:<line>", prints a JSON summary line and exits.
  python_peer.py client PORT CA HOSTNAME MESSAGE [--cert C --key K] [--max ...]
      connects with verification and host-name checking, sends MESSAGE + "\\n", reads the answer,
      prints a JSON summary line.
"""
import argparse
import json
import socket
import ssl
import sys


def versions(ctx, maximum):
    if maximum == "tls1_2":
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    elif maximum == "tls1_3":
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3


def serve(args):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    if args.ca:
        ctx.load_verify_locations(args.ca)
    if args.require_cert:
        ctx.verify_mode = ssl.CERT_REQUIRED
    versions(ctx, args.max)
    with socket.create_server(("127.0.0.1", 0)) as listener:
        print("PORT", listener.getsockname()[1], flush=True)
        conn, _ = listener.accept()
        with ctx.wrap_socket(conn, server_side=True) as tls:
            f = tls.makefile("rb")
            line = f.readline()
            tls.sendall(b"echo:" + line)
            peer = tls.getpeercert()
            summary = {
                "version": tls.version(),
                "cipher": tls.cipher()[0],
                "got": line.decode().strip(),
                "peer_cn": dict(x[0] for x in peer["subject"]).get("commonName") if peer else None,
            }
            try:
                tls.unwrap()
            except (ssl.SSLError, OSError):
                pass
    print(json.dumps(summary), flush=True)


def client(args):
    ctx = ssl.create_default_context(cafile=args.ca)
    if args.cert:
        ctx.load_cert_chain(args.cert, args.key)
    versions(ctx, args.max)
    with socket.create_connection(("127.0.0.1", args.port)) as sock:
        with ctx.wrap_socket(sock, server_hostname=args.hostname) as tls:
            tls.sendall(args.message.encode() + b"\n")
            data = b""
            while not data.endswith(b"\n"):
                chunk = tls.recv(1024)
                if not chunk:
                    break
                data += chunk
            summary = {"version": tls.version(), "cipher": tls.cipher()[0], "reply": data.decode().strip()}
    print(json.dumps(summary), flush=True)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("server")
    s.add_argument("cert")
    s.add_argument("key")
    s.add_argument("--ca")
    s.add_argument("--require-cert", action="store_true")
    s.add_argument("--max")
    c = sub.add_parser("client")
    c.add_argument("port", type=int)
    c.add_argument("ca")
    c.add_argument("hostname")
    c.add_argument("message")
    c.add_argument("--cert")
    c.add_argument("--key")
    c.add_argument("--max")
    args = p.parse_args()
    try:
        serve(args) if args.mode == "server" else client(args)
    except ssl.SSLError as e:
        print(json.dumps({"error": e.reason or str(e), "verify_code": getattr(e, "verify_code", None)}), flush=True)
        sys.exit(3)


if __name__ == "__main__":
    main()
