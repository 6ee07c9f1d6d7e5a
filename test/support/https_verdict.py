"""CPython's verdict on a server certificate: ssl.create_default_context(cafile=...) and a handshake.

Usage: https_verdict.py JSON
  {"cases": [{"id", "port", "hostname", "cafile", "crlfile"?}]}
Connects a TCP socket to 127.0.0.1:port and runs the handshake with server_hostname=hostname (the
name the certificate is checked against; nothing needs to resolve it). With "crlfile" the CRL is
loaded with load_verify_locations and verify_flags gets VERIFY_CRL_CHECK_LEAF. Prints one JSON line
per case: {"id", "ok": true} or {"id", "ok": false, "type", "reason", "verify_code", "verify_message"}.
"""
import json
import socket
import ssl
import sys

for case in json.loads(sys.argv[1])["cases"]:
    ctx = ssl.create_default_context(cafile=case["cafile"])
    assert ctx.check_hostname and ctx.verify_mode == ssl.CERT_REQUIRED
    if case.get("crlfile"):
        ctx.load_verify_locations(case["crlfile"])
        ctx.verify_flags |= ssl.VERIFY_CRL_CHECK_LEAF
    result = {"id": case["id"]}
    sock = socket.create_connection(("127.0.0.1", case["port"]))
    try:
        tls = ctx.wrap_socket(sock, server_hostname=case["hostname"])
        result["ok"] = True
        tls.close()
    except ssl.SSLCertVerificationError as e:
        result.update(ok=False, type=type(e).__name__, reason=e.reason, verify_code=e.verify_code, verify_message=e.verify_message)
    except (ssl.SSLError, OSError) as e:
        result.update(ok=False, type=type(e).__name__, reason=getattr(e, "reason", None), verify_code=None, verify_message=str(e))
    finally:
        sock.close()
    print(json.dumps(result), flush=True)
