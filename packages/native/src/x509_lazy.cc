// LazyCert: the ASN.1 templates and the functions over them (see x509_lazy.h).
#include "x509_lazy.h"

#include <openssl/asn1t.h>
#include <openssl/pem.h>

#include <cstring>
#include <vector>

#include "objects.h"

namespace ossl {

// SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING },
// the shape OpenSSL's X509_PUBKEY reads before it decodes the key.
ASN1_SEQUENCE(LazyPubkey) = {
    ASN1_SIMPLE(LazyPubkey, algor, X509_ALGOR),
    ASN1_SIMPLE(LazyPubkey, public_key, ASN1_BIT_STRING),
} ASN1_SEQUENCE_END(LazyPubkey)

// TBSCertificate (RFC 5280 4.1), field for field as OpenSSL's X509_CINF, with its encoding cached.
ASN1_SEQUENCE_enc(LazyCertInfo, enc, 0) = {
    ASN1_EXP_OPT(LazyCertInfo, version, ASN1_INTEGER, 0),
    ASN1_SIMPLE(LazyCertInfo, serialNumber, ASN1_INTEGER),
    ASN1_SIMPLE(LazyCertInfo, signature, X509_ALGOR),
    ASN1_SIMPLE(LazyCertInfo, issuer, X509_NAME),
    ASN1_SIMPLE(LazyCertInfo, validity, X509_VAL),
    ASN1_SIMPLE(LazyCertInfo, subject, X509_NAME),
    ASN1_SIMPLE(LazyCertInfo, key, LazyPubkey),
    ASN1_IMP_OPT(LazyCertInfo, issuerUID, ASN1_BIT_STRING, 1),
    ASN1_IMP_OPT(LazyCertInfo, subjectUID, ASN1_BIT_STRING, 2),
    ASN1_EXP_SEQUENCE_OF_OPT(LazyCertInfo, extensions, X509_EXTENSION, 3),
} ASN1_SEQUENCE_END_enc(LazyCertInfo, LazyCertInfo)

ASN1_SEQUENCE(LazyCert) = {
    ASN1_SIMPLE(LazyCert, info, LazyCertInfo),
    ASN1_SIMPLE(LazyCert, sig_alg, X509_ALGOR),
    ASN1_SIMPLE(LazyCert, signature, ASN1_BIT_STRING),
} ASN1_SEQUENCE_END(LazyCert)

namespace {

const ASN1_ITEM* Item() { return ASN1_ITEM_rptr(LazyCert); }

void* D2i(void** out, const unsigned char** in, long len) {
  return ASN1_item_d2i(reinterpret_cast<ASN1_VALUE**>(out), in, len, Item());
}

int I2d(const void* cert, unsigned char** out) {
  return ASN1_item_i2d(static_cast<const ASN1_VALUE*>(cert), out, Item());
}

// The base64 alphabet's values; 64 marks every other byte.
struct Base64Table {
  unsigned char value[256];
  constexpr Base64Table() : value() {
    for (int i = 0; i < 256; ++i) value[i] = 64;
    for (int i = 0; i < 26; ++i) {
      value['A' + i] = static_cast<unsigned char>(i);
      value['a' + i] = static_cast<unsigned char>(26 + i);
    }
    for (int i = 0; i < 10; ++i) value['0' + i] = static_cast<unsigned char>(52 + i);
    value[static_cast<unsigned char>('+')] = 62;
    value[static_cast<unsigned char>('/')] = 63;
  }
};
constexpr Base64Table kBase64;

// The common PEM form, decoded without a BIO: "-----BEGIN CERTIFICATE-----", lines of exactly 64
// base64 characters and a last line of at most 64 (all multiples of 4, '=' padding only at the very
// end), "-----END CERTIFICATE-----", each line ending in LF or CRLF (the END line may also end the
// input). Anything else (headers, other labels, text before the block, other line lengths) returns
// false and is left to OpenSSL's PEM reader, as is any input that does not decode to a certificate,
// so every error comes from OpenSSL. For the inputs accepted here OpenSSL's reader gives the same bytes.
bool DecodeCommonPem(const unsigned char* in, size_t len, std::vector<unsigned char>* der) {
  static constexpr char kBegin[] = "-----BEGIN CERTIFICATE-----";
  static constexpr char kEnd[] = "-----END CERTIFICATE-----";
  static constexpr size_t kBeginLen = sizeof(kBegin) - 1, kEndLen = sizeof(kEnd) - 1;
  auto line_end = [&](size_t at) -> size_t {  // the length of the line break at `at`, 0 if none
    if (at < len && in[at] == '\n') return 1;
    if (at + 1 < len && in[at] == '\r' && in[at + 1] == '\n') return 2;
    return 0;
  };
  if (len < kBeginLen || std::memcmp(in, kBegin, kBeginLen) != 0) return false;
  size_t pos = kBeginLen;
  size_t eol = line_end(pos);
  if (eol == 0) return false;
  pos += eol;
  der->resize(len / 4 * 3);
  unsigned char* out = der->data();
  bool last = false;  // a line shorter than 64, or one with padding, must be the last
  while (true) {
    if (len - pos >= kEndLen && std::memcmp(in + pos, kEnd, kEndLen) == 0) {
      der->resize(static_cast<size_t>(out - der->data()));
      return !der->empty() && (pos + kEndLen == len || line_end(pos + kEndLen) != 0);
    }
    if (last) return false;
    size_t start = pos;
    while (pos < len && in[pos] != '\r' && in[pos] != '\n') ++pos;
    size_t n = pos - start;
    eol = line_end(pos);
    if (n == 0 || n > 64 || n % 4 != 0 || eol == 0) return false;
    pos += eol;
    last = n < 64;
    for (size_t i = start; i < start + n; i += 4) {
      unsigned a = kBase64.value[in[i]], b = kBase64.value[in[i + 1]];
      unsigned c = kBase64.value[in[i + 2]], d = kBase64.value[in[i + 3]];
      if ((a | b | c | d) < 64) {
        *out++ = static_cast<unsigned char>(a << 2 | b >> 4);
        *out++ = static_cast<unsigned char>((b & 15) << 4 | c >> 2);
        *out++ = static_cast<unsigned char>((c & 3) << 6 | d);
        continue;
      }
      // "xx==" or "xxx=" may only close the whole body.
      if (a == 64 || b == 64 || i + 4 != start + n || in[i + 3] != '=' || (c == 64 && in[i + 2] != '=')) return false;
      last = true;
      *out++ = static_cast<unsigned char>(a << 2 | b >> 4);
      if (c != 64) *out++ = static_cast<unsigned char>((b & 15) << 4 | c >> 2);
    }
  }
}

}  // namespace

void FreeLazyCert(LazyCert* cert) { ASN1_item_free(reinterpret_cast<ASN1_VALUE*>(cert), Item()); }

LazyCert* PemReadLazyCert(BIO* bio, LazyCert** out, pem_password_cb* cb, void* u) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::vector<unsigned char> der;
  if (out == nullptr && len > 0 && DecodeCommonPem(reinterpret_cast<const unsigned char*>(data), static_cast<size_t>(len), &der)) {
    const unsigned char* p = der.data();
    void* cert = D2i(nullptr, &p, static_cast<long>(der.size()));
    if (cert != nullptr) return static_cast<LazyCert*>(cert);
    ERR_clear_error();  // OpenSSL's reader below reports it in its own words
  }
  return static_cast<LazyCert*>(PEM_ASN1_read_bio(D2i, PEM_STRING_X509, bio, reinterpret_cast<void**>(out), cb, u));
}

LazyCert* DerReadLazyCert(BIO* bio, LazyCert** out) {
  // d2i_X509_bio reads one object's bytes from the BIO and decodes them. Over memory that starts
  // with a definite-length SEQUENCE, decoding in place reads the same bytes; the BIO path is kept
  // for everything else and for the errors.
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  if (out == nullptr && len > 2 && static_cast<unsigned char>(data[0]) == 0x30 && static_cast<unsigned char>(data[1]) != 0x80) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(data);
    void* cert = D2i(nullptr, &p, len);
    if (cert != nullptr) return static_cast<LazyCert*>(cert);
    ERR_clear_error();
  }
  return static_cast<LazyCert*>(ASN1_item_d2i_bio(Item(), bio, out));
}

int PemWriteLazyCert(BIO* bio, const LazyCert* cert) {
  return PEM_ASN1_write_bio(I2d, PEM_STRING_X509, bio, cert, nullptr, nullptr, 0, nullptr, nullptr);
}

int DerWriteLazyCert(BIO* bio, const LazyCert* cert) { return ASN1_item_i2d_bio(Item(), bio, cert); }

int LazyCertDigest(const LazyCert* cert, const EVP_MD* md, unsigned char* out, unsigned int* len) {
  return ASN1_item_digest(Item(), md, const_cast<LazyCert*>(cert), out, len);
}

X509Pointer MaterializeLazyCert(const LazyCert* cert) {
  unsigned char* der = nullptr;
  int len = I2d(cert, &der);
  if (len <= 0) return X509Pointer(nullptr);
  OpensslBytes owned(der);
  const unsigned char* p = der;
  return X509Pointer(d2i_X509(nullptr, &p, len));
}

}  // namespace ossl
