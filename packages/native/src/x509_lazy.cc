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

ASN1_SEQUENCE(LazyCertFields) = {
    ASN1_SIMPLE(LazyCertFields, info, LazyCertInfo),
    ASN1_SIMPLE(LazyCertFields, sig_alg, X509_ALGOR),
    ASN1_SIMPLE(LazyCertFields, signature, ASN1_BIT_STRING),
} ASN1_SEQUENCE_END(LazyCertFields)

namespace {

const ASN1_ITEM* Item() { return ASN1_ITEM_rptr(LazyCertFields); }


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

void FreeLazyCertFields(LazyCertFields* fields) { ASN1_item_free(reinterpret_cast<ASN1_VALUE*>(fields), Item()); }

void FreeLazyCert(LazyCert* cert) { delete cert; }

LazyCert* LazyCert::FromFields(LazyCertFields* decoded) {
  LazyCertFieldsPointer fields(decoded);
  if (!fields) return nullptr;
  std::unique_ptr<LazyCert> cert(new LazyCert());
  unsigned char* der = nullptr;
  int len = I2d(fields.get(), &der);
  if (len <= 0) return nullptr;
  cert->der_.reset(der);
  cert->der_size_ = static_cast<size_t>(len);
  // The names are what is read most; they are kept. The rest is freed now, while still in the cache.
  cert->names_[0].reset(fields->info->subject);
  cert->names_[1].reset(fields->info->issuer);
  fields->info->subject = nullptr;
  fields->info->issuer = nullptr;
  return cert.release();
}

LazyCert* LazyCert::ReadPem(BIO* bio, LazyCert** out, pem_password_cb* cb, void* u) {
  if (out != nullptr) return nullptr;
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::vector<unsigned char> der;
  if (len > 0 && DecodeCommonPem(reinterpret_cast<const unsigned char*>(data), static_cast<size_t>(len), &der)) {
    const unsigned char* p = der.data();
    void* fields = D2i(nullptr, &p, static_cast<long>(der.size()));
    if (fields != nullptr) return FromFields(static_cast<LazyCertFields*>(fields));
    ERR_clear_error();  // OpenSSL's reader below reports it in its own words
  }
  return FromFields(static_cast<LazyCertFields*>(PEM_ASN1_read_bio(D2i, PEM_STRING_X509, bio, nullptr, cb, u)));
}

LazyCert* LazyCert::ReadDer(BIO* bio, LazyCert** out) {
  if (out != nullptr) return nullptr;
  // d2i_X509_bio reads one object's bytes from the BIO and decodes them. Over memory that starts
  // with a definite-length SEQUENCE, decoding in place reads the same bytes; the BIO path is kept
  // for everything else and for the errors.
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  if (len > 2 && static_cast<unsigned char>(data[0]) == 0x30 && static_cast<unsigned char>(data[1]) != 0x80) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(data);
    void* fields = D2i(nullptr, &p, len);
    if (fields != nullptr) return FromFields(static_cast<LazyCertFields*>(fields));
    ERR_clear_error();
  }
  return FromFields(static_cast<LazyCertFields*>(ASN1_item_d2i_bio(Item(), bio, nullptr)));
}

const LazyCertInfo* LazyCert::Info() {
  if (!fields_) {
    const unsigned char* p = der_.get();
    fields_.reset(static_cast<LazyCertFields*>(D2i(nullptr, &p, static_cast<long>(der_size_))));
    if (!fields_) return nullptr;
  }
  return fields_->info;
}

X509Pointer LazyCert::Materialize() const {
  const unsigned char* p = der_.get();
  return X509Pointer(d2i_X509(nullptr, &p, static_cast<long>(der_size_)));
}

}  // namespace ossl
