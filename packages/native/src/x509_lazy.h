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

struct LazyCertFields {
  LazyCertInfo* info;
  X509_ALGOR* sig_alg;
  ASN1_BIT_STRING* signature;
};
void FreeLazyCertFields(LazyCertFields* fields);
using LazyCertFieldsPointer = Owned<LazyCertFields, FreeLazyCertFields>;

// What a loaded certificate keeps: its DER (exactly what i2d_X509 would write for it), its subject
// and issuer, and the other fields once asked for. Loading decodes the whole structure, as d2i_X509
// would, so malformed input is refused then with OpenSSL's reasons; all but the names is freed at
// once, while still in the cache, and decoded again from the DER when a field is first asked for.
class LazyCert {
 public:
  // The readers have the signatures, rules and error reasons of PEM_read_bio_X509 and d2i_X509_bio
  // (`out` must be null).
  static LazyCert* ReadPem(BIO* bio, LazyCert** out, pem_password_cb* cb, void* u);
  static LazyCert* ReadDer(BIO* bio, LazyCert** out);
  const unsigned char* der() const { return der_.get(); }
  size_t der_size() const { return der_size_; }
  // The subject (0) or issuer (1), kept from loading.
  X509_NAME* Name(int which) const { return names_[which == 0 ? 0 : 1].get(); }
  // Every field, decoded on first use; null with OpenSSL's error queued.
  const LazyCertInfo* Info();
  // The full certificate, decoded from the DER; null with OpenSSL's error queued.
  X509Pointer Materialize() const;

 private:
  static LazyCert* FromFields(LazyCertFields* fields);
  OpensslBytes der_{nullptr};
  size_t der_size_ = 0;
  LazyCertFieldsPointer fields_;
  X509NamePointer names_[2];
};

}  // namespace ossl
