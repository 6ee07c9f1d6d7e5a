// PKCS#12: loading and building key-and-certificate bundles.
#include <openssl/pkcs12.h>

#include "objects.h"

namespace ossl {

namespace {
using PKCS12Pointer = Owned<PKCS12, PKCS12_free>;
void FreeCertStack(STACK_OF(X509)* s) { sk_X509_pop_free(s, X509_free); }

// loadPkcs12(buffer, passphrase?) -> {key, cert, ca, friendlyName}
Napi::Value LoadPkcs12(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  Bytes in = GetBytes(info[0], "buffer");
  if (!in.ok) return env.Undefined();
  std::string pass;
  bool has_pass = false;
  if (!info[1].IsUndefined() && !info[1].IsNull()) {
    Bytes p = GetBytes(info[1], "passphrase");
    if (!p.ok) return env.Undefined();
    pass.assign(reinterpret_cast<const char*>(p.data), p.size);
    if (pass.find('\0') != std::string::npos) return ThrowValue(env, "passphrase contains a NUL byte");
    has_pass = true;
  }
  BIOPointer bio = MemBioFrom(in);
  if (!bio) return ThrowOpenSSL(env, "could not read the PKCS#12 data");
  if (in.size == 0) {
    ERR_raise(ERR_LIB_ASN1, ASN1_R_NOT_ENOUGH_DATA);
    return ThrowOpenSSL(env, "could not load the PKCS#12 data");
  }
  PKCS12Pointer p12(d2i_PKCS12_bio(bio.get(), nullptr));
  if (!p12) return ThrowOpenSSL(env, "could not load the PKCS#12 data");
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* ca = nullptr;
  if (PKCS12_parse(p12.get(), has_pass ? pass.c_str() : nullptr, &key, &cert, &ca) != 1) {
    return ThrowOpenSSL(env, "could not parse the PKCS#12 data");
  }
  EVPKeyPointer owned_key(key);
  X509Pointer owned_cert(cert);
  std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509)*)> owned_ca(ca, FreeCertStack);
  Napi::Object out = Napi::Object::New(env);
  out.Set("key", owned_key ? PKeyWrap::NewOwned(env, std::move(owned_key), false) : env.Null());
  Napi::Value friendly = env.Null();
  if (owned_cert) {
    int len = 0;
    const unsigned char* alias = X509_alias_get0(owned_cert.get(), &len);  // borrowed from the cert
    if (alias != nullptr) friendly = Napi::Buffer<unsigned char>::Copy(env, alias, static_cast<size_t>(len));
  }
  out.Set("friendlyName", friendly);
  out.Set("cert", owned_cert ? X509Wrap::NewOwned(env, std::move(owned_cert)) : env.Null());
  out.Set("ca", owned_ca && sk_X509_num(owned_ca.get()) > 0 ? CertStackToArray(env, owned_ca.get()) : env.Null());
  if (env.IsExceptionPending()) return env.Undefined();
  return out;
}

// exportPkcs12(key?, cert?, ca?, friendlyName?, passphrase?, iter, maciter) -> DER bytes.
// With a passphrase, OpenSSL 3's defaults protect the bundle (AES-256-CBC with PBKDF2, SHA-256 MAC);
// without one, nothing is encrypted and there is no MAC.
Napi::Value ExportPkcs12(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  if (!info[0].IsNull() && !info[0].IsUndefined()) {
    PKeyWrap* k = UnwrapAs<PKeyWrap>(info[0], "privatekey");
    if (k == nullptr) return env.Undefined();
    if (k->only_public()) return ThrowValue(env, "a PKCS#12 bundle needs the private key, not only the public part");
    key = k->get();
  }
  if (!info[1].IsNull() && !info[1].IsUndefined()) {
    X509Wrap* c = UnwrapAs<X509Wrap>(info[1], "certificate");
    if (c == nullptr) return env.Undefined();
    cert = c->get();
  }
  bool ca_ok = false;
  X509StackPointer ca = OptionalCertStack(env, info[2], "cacerts", &ca_ok);
  if (!ca_ok) return env.Undefined();
  std::string name, pass;
  bool has_name = false, has_pass = false;
  if (!info[3].IsNull() && !info[3].IsUndefined()) {
    Bytes b = GetBytes(info[3], "friendlyname");
    if (!b.ok) return env.Undefined();
    name.assign(reinterpret_cast<const char*>(b.data), b.size);
    if (name.find('\0') != std::string::npos) return ThrowValue(env, "friendly name contains a NUL byte");
    has_name = true;
  }
  if (!info[4].IsNull() && !info[4].IsUndefined()) {
    Bytes b = GetBytes(info[4], "passphrase");
    if (!b.ok) return env.Undefined();
    pass.assign(reinterpret_cast<const char*>(b.data), b.size);
    if (pass.find('\0') != std::string::npos) return ThrowValue(env, "passphrase contains a NUL byte");
    has_pass = true;
  }
  int64_t iter = 0, maciter = 0;
  if (!GetInt(info[5], "iter", &iter) || !GetInt(info[6], "maciter", &maciter)) return env.Undefined();
  if (iter < 1 || iter > INT32_MAX || maciter < 1 || maciter > INT32_MAX) return ThrowValue(env, "iter and maciter must be positive");
  if (key == nullptr && cert == nullptr && (!ca || sk_X509_num(ca.get()) == 0)) {
    return ThrowValue(env, "a PKCS#12 bundle needs a key, a certificate or CA certificates");
  }
  int nid = has_pass ? 0 : -1;  // 0: OpenSSL's default algorithm; -1: no encryption
  PKCS12Pointer p12(PKCS12_create(has_pass ? pass.c_str() : nullptr, has_name ? name.c_str() : nullptr, key, cert, ca.get(),
                                  nid, nid, static_cast<int>(iter), has_pass ? static_cast<int>(maciter) : -1, 0));
  if (!p12) return ThrowOpenSSL(env, "could not build the PKCS#12 bundle");
  BIOPointer out = NewMemBio();
  if (!out || i2d_PKCS12_bio(out.get(), p12.get()) != 1) return ThrowOpenSSL(env, "could not encode the PKCS#12 bundle");
  return BioToBuffer(env, out.get());
}
}  // namespace

void InitPKCS12(Napi::Env env, Napi::Object exports) {
  exports.Set("loadPkcs12", Napi::Function::New<LoadPkcs12>(env, "loadPkcs12"));
  exports.Set("exportPkcs12", Napi::Function::New<ExportPkcs12>(env, "exportPkcs12"));
}

}  // namespace ossl
