"""pyOpenSSL 23 as a parity oracle: reads a JSON request on stdin, answers in JSON on stdout.

Requests:
  {"op": "cert", "pem": "..."}  -> names, hashes, components, digests, extensions, text dump
  {"op": "verify", "roots": [...], "untrusted": [...], "leaf": "...", "flags": 0} -> error triple or null
  {"op": "pkcs12", "der_hex": "...", "passphrase": "..."} -> contents
  {"op": "load", "type": "pem" | "der", "hex": "..."} -> the certificate's DER in hex, or null if refused
"""
import json
import sys

from OpenSSL import crypto


def name_info(name):
    return {
        "hash": name.hash(),
        "components": [[k.hex(), v.hex()] for k, v in name.get_components()],
        "der": name.der().hex(),
        "CN": name.CN,
    }


def cert_info(pem):
    cert = crypto.load_certificate(crypto.FILETYPE_PEM, pem.encode())
    exts = []
    for i in range(cert.get_extension_count()):
        ext = cert.get_extension(i)
        try:
            text = str(ext)
        except Exception as e:  # pyOpenSSL raises for extensions OpenSSL cannot print
            text = "!" + type(e).__name__
        exts.append({"name": ext.get_short_name().decode(), "critical": bool(ext.get_critical()), "text": text, "data": ext.get_data().hex()})
    return {
        "subject": name_info(cert.get_subject()),
        "issuer": name_info(cert.get_issuer()),
        "subject_name_hash": cert.subject_name_hash(),
        "sha256": cert.digest("sha256").decode(),
        "sha1": cert.digest("sha1").decode(),
        "md5": cert.digest("md5").decode(),
        "serial": str(cert.get_serial_number()),
        "version": cert.get_version(),
        "not_before": cert.get_notBefore().decode(),
        "not_after": cert.get_notAfter().decode(),
        "signature_algorithm": cert.get_signature_algorithm().decode(),
        "extensions": exts,
        "text": crypto.dump_certificate(crypto.FILETYPE_TEXT, cert).decode("latin-1"),
        "pubkey_bits": cert.get_pubkey().bits(),
        "pubkey_type": cert.get_pubkey().type(),
    }


def verify(req):
    store = crypto.X509Store()
    for pem in req["roots"]:
        store.add_cert(crypto.load_certificate(crypto.FILETYPE_PEM, pem.encode()))
    if req.get("flags"):
        store.set_flags(req["flags"])
    chain = [crypto.load_certificate(crypto.FILETYPE_PEM, p.encode()) for p in req.get("untrusted", [])]
    leaf = crypto.load_certificate(crypto.FILETYPE_PEM, req["leaf"].encode())
    try:
        crypto.X509StoreContext(store, leaf, chain or None).verify_certificate()
        return None
    except crypto.X509StoreContextError as e:
        return {"errors": list(e.errors), "cert_sha256": e.certificate.digest("sha256").decode()}


def pkcs12(req):
    p12 = crypto.load_pkcs12(bytes.fromhex(req["der_hex"]), req.get("passphrase", "").encode() or None)
    cas = p12.get_ca_certificates()
    return {
        "cert_sha256": p12.get_certificate().digest("sha256").decode() if p12.get_certificate() else None,
        "key_bits": p12.get_privatekey().bits() if p12.get_privatekey() else None,
        "key_type": p12.get_privatekey().type() if p12.get_privatekey() else None,
        "ca_sha256": [c.digest("sha256").decode() for c in cas] if cas else None,
        "friendlyname": p12.get_friendlyname().decode() if p12.get_friendlyname() else None,
    }


def load(req):
    filetype = crypto.FILETYPE_PEM if req["type"] == "pem" else crypto.FILETYPE_ASN1
    try:
        cert = crypto.load_certificate(filetype, bytes.fromhex(req["hex"]))
    except crypto.Error:
        return None
    return crypto.dump_certificate(crypto.FILETYPE_ASN1, cert).hex()


def main():
    import warnings

    warnings.simplefilter("ignore")
    reqs = json.load(sys.stdin)
    out = []
    for req in reqs:
        op = req["op"]
        if op == "cert":
            out.append(cert_info(req["pem"]))
        elif op == "verify":
            out.append(verify(req))
        elif op == "pkcs12":
            out.append(pkcs12(req))
        elif op == "load":
            out.append(load(req))
        else:
            raise ValueError(op)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
