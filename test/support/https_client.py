"""CPython's http.client as the oracle of the https-client interop tests.

Usage: https_client.py JSON
  {"host", "port", "cafile", "certfile"?, "keyfile"?, "tunnel"? {"host", "port", "headers"?},
   "requests": [{"method", "path", "body"? (base64), "headers"? {name: value}}]}
Sends every request on ONE http.client.HTTPSConnection made with
ssl.create_default_context(cafile=...) (and load_cert_chain when a client certificate is given),
reading each response to its end. Prints one JSON line: {"responses": [{"status", "reason",
"version", "headers": getheaders(), "body": base64}]}, or, when a request fails,
{"responses": [...the ones before...], "error": {"type", "reason", "library", "verify_code",
"verify_message", "text"}}.
"""
import base64
import http.client
import json
import ssl
import sys

a = json.loads(sys.argv[1])
ctx = ssl.create_default_context(cafile=a["cafile"])
assert ctx.check_hostname and ctx.verify_mode == ssl.CERT_REQUIRED
if a.get("certfile"):
    ctx.load_cert_chain(a["certfile"], a.get("keyfile"))
conn = http.client.HTTPSConnection(a["host"], a["port"], context=ctx)
if a.get("tunnel"):
    t = a["tunnel"]
    conn.set_tunnel(t["host"], t["port"], t.get("headers") or {})
out = {"responses": []}
try:
    for r in a["requests"]:
        body = base64.b64decode(r["body"]) if r.get("body") is not None else None
        conn.request(r["method"], r["path"], body, r.get("headers") or {})
        res = conn.getresponse()
        data = res.read()
        out["responses"].append({
            "status": res.status,
            "reason": res.reason,
            "version": res.version,
            "headers": [[k, v] for k, v in res.getheaders()],
            "body": base64.b64encode(data).decode(),
        })
except Exception as e:  # reported, not raised: the test compares failures too
    out["error"] = {
        "type": type(e).__name__,
        "reason": getattr(e, "reason", None),
        "library": getattr(e, "library", None),
        "verify_code": getattr(e, "verify_code", None),
        "verify_message": getattr(e, "verify_message", None),
        "text": str(e),
    }
finally:
    conn.close()
print(json.dumps(out), flush=True)
