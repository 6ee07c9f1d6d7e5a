"""CPython's http.server over ssl, answering HTTP/1.0 with bodies that run to the end of the connection.

Usage: https_http10_server.py CERT KEY BODYFILE  -> prints "PORT <n>", serves until killed.
  GET /close   200, Content-Type only (no Content-Length): BODYFILE's bytes, then close_notify and close
  GET /ragged  the same, but the TCP connection is closed without close_notify (a truncation)
  GET /length  200 with a Content-Length: BODYFILE's bytes
Every request prints "SERVED <path> <bytes>" once its answer was written.
"""
import http.server
import ssl
import sys

cert, key, bodyfile = sys.argv[1:4]
BODY = open(bodyfile, "rb").read()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path not in ("/close", "/ragged", "/length"):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if self.path == "/length":
            self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)
        self.wfile.flush()
        self.close_connection = True
        if self.path == "/ragged":
            self.server.ragged.add(self.request)
        print("SERVED", self.path, len(BODY), flush=True)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *args):
        super().__init__(*args)
        self.ragged = set()

    def shutdown_request(self, request):
        # The end of a close-delimited body: close_notify first (unwrap), unless a truncation is wanted
        # (CPython never sends close_notify by itself: close() alone is a bare TCP close).
        if request in self.ragged:
            self.ragged.discard(request)
            request.close()
            return
        try:
            request.unwrap().close()
        except (ssl.SSLError, OSError):
            request.close()


server = Server(("127.0.0.1", 0), Handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
server.socket = ctx.wrap_socket(server.socket, server_side=True)
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
