"""The same certificate operations in python's `cryptography`: the fastest anchor.

Prints JSON {"version", "openssl", "results": {operation: seconds_per_op}}. Run by bench/src/crypto.mjs
with Debian's python3 (cryptography 38) and with a venv holding the newest cryptography from pip.
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

            # Newer cryptography's verifier wants the RFC 5280 profile: key identifiers and a CA key
            # usage, which ossl's and OpenSSL's checks do not require; the chain gets them here.
            def profiled(builder, subject_key, issuer_key, ca):
                builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(subject_key), critical=False)
                builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key), critical=False)
                if ca:
                    usage = dict.fromkeys(("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
                                           "key_agreement", "encipher_only", "decipher_only", "crl_sign"), False)
                    builder = builder.add_extension(x509.KeyUsage(key_cert_sign=True, **usage), critical=True)
                    builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                return builder

            def cert(subject, issuer, subject_key, issuer_key, signer, serial, ca, sans=None):
                b = (x509.CertificateBuilder().subject_name(name(subject)).issuer_name(name(issuer)).public_key(subject_key)
                     .serial_number(serial).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1)))
                if sans:
                    b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in sans]), critical=False)
                return profiled(b, subject_key, issuer_key, ca).sign(signer, hashes.SHA256())

            ca = cert("Bench CA", "Bench CA", key.public_key(), key.public_key(), key, 1, True)
            inter = cert("Bench Inter", "Bench CA", inter_key.public_key(), key.public_key(), key, 3, True)
            leaf = cert("leaf.bench", "Bench Inter", leaf_key.public_key(), inter_key.public_key(), inter_key, 2, False, ["leaf.bench"])
            verifier = PolicyBuilder().store(Store([ca])).build_server_verifier(x509.DNSName("leaf.bench"))
            verifier.verify(leaf, [inter])
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
        # The same work as ossl's row: parse, then read the subject's CN.
        pem = leaf.public_bytes(serialization.Encoding.PEM)
        der = leaf.public_bytes(serialization.Encoding.DER)
        cn = NameOID.COMMON_NAME
        out[f"PEM parse + subject CN ({label})"] = timeit(lambda: x509.load_pem_x509_certificate(pem).subject.get_attributes_for_oid(cn)[0].value)
        out[f"DER parse + subject CN ({label})"] = timeit(lambda: x509.load_der_x509_certificate(der).subject.get_attributes_for_oid(cn)[0].value)
        enc = serialization.BestAvailableEncryption(b"secret")
        out[f"PKCS#12 export ({label})"] = timeit(lambda: pkcs12.serialize_key_and_certificates(b"bench", leaf_key, leaf, [ca], enc))
        blob = pkcs12.serialize_key_and_certificates(b"bench", leaf_key, leaf, [ca], enc)
        out[f"PKCS#12 parse ({label})"] = timeit(lambda: pkcs12.load_key_and_certificates(blob, b"secret"))
    from cryptography.hazmat.backends.openssl.backend import backend
    import cryptography

    json.dump({"version": cryptography.__version__, "openssl": backend.openssl_version_text(), "results": out}, sys.stdout)


if __name__ == "__main__":
    main()
