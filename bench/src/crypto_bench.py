"""The same certificate operations in python's `cryptography` (OpenSSL-backed): the fastest anchor.

Prints JSON {operation: seconds_per_op}. Run by bench/src/crypto.mjs with the system python3.
"""
import datetime
import json
import sys
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

BUDGET = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5


def timeit(fn, min_iters=3):
    fn()
    n = 0
    start = time.perf_counter()
    while True:
        fn()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= BUDGET and n >= min_iters:
            return elapsed / n


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_key(kind):
    return rsa.generate_private_key(65537, 2048) if kind == "rsa" else ec.generate_private_key(ec.SECP256R1())


def self_signed(key, cn="Bench CA"):
    now = datetime.datetime.now(datetime.timezone.utc)
    return (
        x509.CertificateBuilder()
        .subject_name(name(cn))
        .issuer_name(name(cn))
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )


def leaf_from_csr(csr, ca_cert, ca_key):
    now = datetime.datetime.now(datetime.timezone.utc)
    return (
        x509.CertificateBuilder()
        .subject_name(csr.subject)
        .issuer_name(ca_cert.subject)
        .public_key(csr.public_key())
        .serial_number(2)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("leaf.bench"), x509.DNSName("www.leaf.bench")]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )


def main():
    out = {}
    out["RSA-2048 key generation"] = timeit(lambda: rsa.generate_private_key(65537, 2048))
    out["P-256 key generation"] = timeit(lambda: ec.generate_private_key(ec.SECP256R1()))
    for kind, label in (("ec", "P-256"), ("rsa", "RSA-2048")):
        key = make_key(kind)
        out[f"self-signed certificate ({label})"] = timeit(lambda: self_signed(key))
        ca = self_signed(key)
        leaf_key = make_key(kind)
        csr = x509.CertificateSigningRequestBuilder().subject_name(name("leaf.bench")).sign(leaf_key, hashes.SHA256())
        out[f"leaf from CSR with SANs ({label})"] = timeit(lambda: leaf_from_csr(csr, ca, key))
        inter_key = make_key(kind)
        now = datetime.datetime.now(datetime.timezone.utc)
        inter = (
            x509.CertificateBuilder().subject_name(name("Bench Inter")).issuer_name(ca.subject).public_key(inter_key.public_key())
            .serial_number(3).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(key, hashes.SHA256())
        )
        leaf = leaf_from_csr(csr, inter, inter_key)
        try:
            from cryptography.x509.verification import PolicyBuilder, Store

            verifier = PolicyBuilder().store(Store([ca])).build_server_verifier(x509.DNSName("leaf.bench"))
            out[f"chain verification ({label})"] = timeit(lambda: verifier.verify(leaf, [inter]))
        except ImportError:
            # cryptography < 42 has no path validation: check both signatures of the chain directly.
            from cryptography.hazmat.primitives.asymmetric import padding

            def check(cert, issuer):
                if kind == "rsa":
                    issuer.public_key().verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(), cert.signature_hash_algorithm)
                else:
                    issuer.public_key().verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))

            out[f"chain verification ({label})"] = timeit(lambda: (check(leaf, inter), check(inter, ca)))
        pem = leaf.public_bytes(serialization.Encoding.PEM)
        out[f"PEM parse ({label})"] = timeit(lambda: x509.load_pem_x509_certificate(pem).subject)
        enc = serialization.BestAvailableEncryption(b"secret")
        out[f"PKCS#12 export ({label})"] = timeit(lambda: pkcs12.serialize_key_and_certificates(b"bench", leaf_key, leaf, [ca], enc))
        blob = pkcs12.serialize_key_and_certificates(b"bench", leaf_key, leaf, [ca], enc)
        out[f"PKCS#12 parse ({label})"] = timeit(lambda: pkcs12.load_key_and_certificates(blob, b"secret"))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
