// PKCS#12: loading and building key-and-certificate bundles.
#include <openssl/pkcs12.h>

#include <string>
#include <vector>

#include "objects.h"

namespace ossl {

namespace {
using PKCS12Pointer = Owned<PKCS12, PKCS12_free>;

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

// exportPkcs12(key?, cert?, ca?, friendlyName?, passphrase?, iter, maciter) -> DER bytes, and
// exportPkcs12Async(...) -> Promise of them, built on the thread pool from copies of the key and
// certificates (the objects themselves may change while it runs).
// With a passphrase, OpenSSL 3's defaults protect the bundle (AES-256-CBC with PBKDF2, SHA-256 MAC);
// without one, nothing is encrypted and there is no MAC.
struct Pkcs12Args {
  EVPKeyPointer key{nullptr};
  X509Pointer cert{nullptr};
  X509StackPointer ca{nullptr, FreeCertStack};
  std::string name, pass;
  bool has_name = false, has_pass = false;
  int iter = 0, maciter = 0;
};

// Reads and checks the arguments; each object is copied when `copy` (for another thread), else
// referenced.
bool ReadPkcs12Args(const Napi::CallbackInfo& info, bool copy, Pkcs12Args* args) {
  Napi::Env env = info.Env();
  if (!info[0].IsNull() && !info[0].IsUndefined()) {
    PKeyWrap* k = UnwrapAs<PKeyWrap>(info[0], "privatekey");
    if (k == nullptr) return false;
    if (k->only_public()) {
      ThrowValue(env, "a PKCS#12 bundle needs the private key, not only the public part");
      return false;
    }
    args->key.reset(copy ? EVP_PKEY_dup(k->get()) : (EVP_PKEY_up_ref(k->get()) == 1 ? k->get() : nullptr));
    if (!args->key) {
      ThrowOpenSSL(env, "could not copy the private key");
      return false;
    }
  }
  if (!info[1].IsNull() && !info[1].IsUndefined()) {
    X509Wrap* c = UnwrapAs<X509Wrap>(info[1], "certificate");
    if (c == nullptr) return false;
    args->cert.reset(copy ? X509_dup(c->get()) : (X509_up_ref(c->get()) == 1 ? c->get() : nullptr));
    if (!args->cert) {
      ThrowOpenSSL(env, "could not copy the certificate");
      return false;
    }
  }
  bool ca_ok = false;
  X509StackPointer ca = OptionalCertStack(env, info[2], "cacerts", &ca_ok);
  if (!ca_ok) return false;
  if (ca && copy) {
    X509StackPointer copies(sk_X509_new_null(), FreeCertStack);
    for (int i = 0; copies && i < sk_X509_num(ca.get()); ++i) {
      X509* dup = X509_dup(sk_X509_value(ca.get(), i));
      if (dup == nullptr || sk_X509_push(copies.get(), dup) <= 0) {
        X509_free(dup);
        ThrowOpenSSL(env, "could not copy the CA certificates");
        return false;
      }
    }
    ca = std::move(copies);
  }
  args->ca = std::move(ca);
  if (!info[3].IsNull() && !info[3].IsUndefined()) {
    Bytes b = GetBytes(info[3], "friendlyname");
    if (!b.ok) return false;
    args->name.assign(reinterpret_cast<const char*>(b.data), b.size);
    if (args->name.find('\0') != std::string::npos) {
      ThrowValue(env, "friendly name contains a NUL byte");
      return false;
    }
    args->has_name = true;
  }
  if (!info[4].IsNull() && !info[4].IsUndefined()) {
    Bytes b = GetBytes(info[4], "passphrase");
    if (!b.ok) return false;
    args->pass.assign(reinterpret_cast<const char*>(b.data), b.size);
    if (args->pass.find('\0') != std::string::npos) {
      ThrowValue(env, "passphrase contains a NUL byte");
      return false;
    }
    args->has_pass = true;
  }
  int64_t iter = 0, maciter = 0;
  if (!GetInt(info[5], "iter", &iter) || !GetInt(info[6], "maciter", &maciter)) return false;
  if (iter < 1 || iter > INT32_MAX || maciter < 1 || maciter > INT32_MAX) {
    ThrowValue(env, "iter and maciter must be positive");
    return false;
  }
  if (!args->key && !args->cert && (!args->ca || sk_X509_num(args->ca.get()) == 0)) {
    ThrowValue(env, "a PKCS#12 bundle needs a key, a certificate or CA certificates");
    return false;
  }
  args->iter = static_cast<int>(iter);
  args->maciter = static_cast<int>(maciter);
  return true;
}

// The DER bundle; false with OpenSSL's error queued.
bool BuildPkcs12(const Pkcs12Args& a, std::vector<unsigned char>* der) {
  int nid = a.has_pass ? 0 : -1;  // 0: OpenSSL's default algorithm; -1: no encryption
  PKCS12Pointer p12(PKCS12_create(a.has_pass ? a.pass.c_str() : nullptr, a.has_name ? a.name.c_str() : nullptr, a.key.get(),
                                  a.cert.get(), a.ca.get(), nid, nid, a.iter, a.has_pass ? a.maciter : -1, 0));
  if (!p12) return false;
  unsigned char* out = nullptr;
  int len = i2d_PKCS12(p12.get(), &out);
  if (len <= 0) return false;
  OpensslBytes owned(out);
  der->assign(out, out + len);
  return true;
}

Napi::Value ExportPkcs12(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Pkcs12Args args;
  if (!ReadPkcs12Args(info, false, &args)) return info.Env().Undefined();
  std::vector<unsigned char> der;
  if (!BuildPkcs12(args, &der)) return ThrowOpenSSL(info.Env(), "could not build the PKCS#12 bundle");
  return Napi::Buffer<unsigned char>::Copy(info.Env(), der.data(), der.size());
}

class Pkcs12Worker : public Napi::AsyncWorker {
 public:
  Pkcs12Worker(Napi::Env env, Pkcs12Args args)
      : Napi::AsyncWorker(env, "ossl:exportPkcs12"), deferred_(Napi::Promise::Deferred::New(env)), args_(std::move(args)) {}
  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    ERR_clear_error();
    if (!BuildPkcs12(args_, &der_)) {
      errors_ = CaptureErrors();
      SetError("could not build the PKCS#12 bundle");
    }
    ERR_clear_error();
    OPENSSL_cleanse(args_.pass.data(), args_.pass.size());
  }
  void OnOK() override {
    Napi::HandleScope scope(Env());
    deferred_.Resolve(Napi::Buffer<unsigned char>::Copy(Env(), der_.data(), der_.size()));
  }
  void OnError(const Napi::Error&) override {
    Napi::HandleScope scope(Env());
    deferred_.Reject(MakeOpenSSLError(Env(), "could not build the PKCS#12 bundle", errors_).Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  Pkcs12Args args_;
  std::vector<unsigned char> der_;
  std::vector<ErrorEntry> errors_;
};

Napi::Value ExportPkcs12Async(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Pkcs12Args args;
  if (!ReadPkcs12Args(info, true, &args)) return info.Env().Undefined();
  auto* worker = new Pkcs12Worker(info.Env(), std::move(args));  // deletes itself when done
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}
}  // namespace

void InitPKCS12(Napi::Env env, Napi::Object exports) {
  exports.Set("loadPkcs12", Napi::Function::New<LoadPkcs12>(env, "loadPkcs12"));
  exports.Set("exportPkcs12", Napi::Function::New<ExportPkcs12>(env, "exportPkcs12"));
  exports.Set("exportPkcs12Async", Napi::Function::New<ExportPkcs12Async>(env, "exportPkcs12Async"));
}

}  // namespace ossl
