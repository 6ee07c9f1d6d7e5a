"""Python's own http.server over TLS (HTTP/1.0 by default): serves the files of a directory.
Usage: python_https.py CERT KEY DIR  -> prints "PORT <n>" and serves until killed."""
import functools
import http.server
import ssl
import sys

cert, key, root = sys.argv[1:4]
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=root)
server = http.server.HTTPServer(("127.0.0.1", 0), handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
server.socket = ctx.wrap_socket(server.socket, server_side=True)
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
