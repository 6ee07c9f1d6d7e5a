// A certificate as loaded from PEM or DER, before its public key is decoded.
//
// OpenSSL 3's d2i_X509 hands every SubjectPublicKeyInfo to the provider decoders, and that is nine
// tenths of the cost of a parse, although most certificates loaded are only read (subject, issuer,
// dates, fingerprint) or handed on. LazyCert has exactly the ASN.1 shape of an X.509 certificate and
// the same item types for every field (so the same structure is accepted and refused, and
// re-encoding gives the same bytes), except that the key is kept as its two undecoded parts. The
// full X509 is decoded from these bytes only when something needs it (see X509Wrap::Full).
#pragma once

#include "common/common.h"

namespace ossl {

struct LazyPubkey {
  X509_ALGOR* algor;
  ASN1_BIT_STRING* public_key;
};

struct LazyCertInfo {
  ASN1_INTEGER* version;
  ASN1_INTEGER* serialNumber;
  X509_ALGOR* signature;
  X509_NAME* issuer;
  X509_VAL* validity;
  X509_NAME* subject;
  LazyPubkey* key;
  ASN1_BIT_STRING* issuerUID;
  ASN1_BIT_STRING* subjectUID;
  STACK_OF(X509_EXTENSION)* extensions;
  ASN1_ENCODING enc;  // the to-be-signed bytes as read, re-emitted unchanged
};

struct LazyCert {
  LazyCertInfo* info;
  X509_ALGOR* sig_alg;
  ASN1_BIT_STRING* signature;
};

// The readers have the signatures, rules and error reasons of PEM_read_bio_X509 and d2i_X509_bio.
LazyCert* PemReadLazyCert(BIO* bio, LazyCert** out, pem_password_cb* cb, void* u);
LazyCert* DerReadLazyCert(BIO* bio, LazyCert** out);
// PEM_write_bio_X509 and i2d_X509_bio for a LazyCert: the same bytes.
int PemWriteLazyCert(BIO* bio, const LazyCert* cert);
int DerWriteLazyCert(BIO* bio, const LazyCert* cert);
// X509_digest: the digest of the DER encoding.
int LazyCertDigest(const LazyCert* cert, const EVP_MD* md, unsigned char* out, unsigned int* len);
// The full certificate, decoded from this one's encoding; null with OpenSSL's error queued.
X509Pointer MaterializeLazyCert(const LazyCert* cert);

}  // namespace ossl
