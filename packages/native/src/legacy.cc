// The one file that uses OpenSSL's legacy (pre-provider) key types, for speed.
//
// In OpenSSL 3.0, X509_set_pubkey / X509_REQ_set_pubkey / NETSCAPE_SPKI_set_pubkey encode a
// provider key through an OSSL_ENCODER and decode the result again through an OSSL_DECODER, which
// costs ~160 us per call (most of a certificate's creation time). A legacy key with an ASN.1 method
// takes the direct pub_encode path instead (~3 us). So each PKey keeps, on first use, a legacy copy
// of its *public* half (never its private material) for setting public keys.
#undef OPENSSL_NO_DEPRECATED
#define OPENSSL_SUPPRESS_DEPRECATED

#include <openssl/dsa.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

namespace ossl {

EVP_PKEY* LegacyPublicCopy(const EVP_PKEY* pkey) {
  EVP_PKEY* out = EVP_PKEY_new();
  if (out == nullptr) return nullptr;
  bool ok = false;
  switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_RSA: {
      const RSA* full = EVP_PKEY_get0_RSA(pkey);  // borrowed (a cached legacy export)
      const BIGNUM *n = nullptr, *e = nullptr;
      if (full != nullptr) RSA_get0_key(full, &n, &e, nullptr);
      RSA* pub = (n != nullptr && e != nullptr) ? RSA_new() : nullptr;
      if (pub != nullptr) {
        BIGNUM* n2 = BN_dup(n);
        BIGNUM* e2 = BN_dup(e);
        if (n2 != nullptr && e2 != nullptr && RSA_set0_key(pub, n2, e2, nullptr) == 1) {
          ok = EVP_PKEY_assign_RSA(out, pub) == 1;  // `out` owns `pub` from here
        } else {
          BN_free(n2);
          BN_free(e2);
        }
        if (!ok) RSA_free(pub);
      }
      break;
    }
    case EVP_PKEY_EC: {
      const EC_KEY* full = EVP_PKEY_get0_EC_KEY(pkey);  // borrowed
      const EC_GROUP* group = full != nullptr ? EC_KEY_get0_group(full) : nullptr;
      const EC_POINT* point = full != nullptr ? EC_KEY_get0_public_key(full) : nullptr;
      EC_KEY* pub = (group != nullptr && point != nullptr) ? EC_KEY_new() : nullptr;
      if (pub != nullptr) {
        if (EC_KEY_set_group(pub, group) == 1 && EC_KEY_set_public_key(pub, point) == 1) {
          EC_KEY_set_asn1_flag(pub, OPENSSL_EC_NAMED_CURVE);  // encode the curve by name, as X.509 wants
          ok = EVP_PKEY_assign_EC_KEY(out, pub) == 1;
        }
        if (!ok) EC_KEY_free(pub);
      }
      break;
    }
    default:
      break;
  }
  if (!ok) {
    EVP_PKEY_free(out);
    ERR_clear_error();
    return nullptr;
  }
  return out;
}

bool IsLegacyKey(const EVP_PKEY* pkey) { return pkey != nullptr && EVP_PKEY_get0_provider(pkey) == nullptr; }

}  // namespace ossl
