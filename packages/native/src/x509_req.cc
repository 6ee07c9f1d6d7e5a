// X509Req: certificate signing requests (PKCS#10).
#include <openssl/pem.h>

#include "common/passphrase.h"
#include "objects.h"

namespace ossl {

namespace {

void FreeExtStack(STACK_OF(X509_EXTENSION)* s) { sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free); }
}  // namespace

void X509ReqWrap::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "X509Req",
      {
          InstanceMethod<&X509ReqWrap::SetPubkey>("setPubkey"),
          InstanceMethod<&X509ReqWrap::GetPubkey>("getPubkey"),
          InstanceMethod<&X509ReqWrap::SetVersion>("setVersion"),
          InstanceMethod<&X509ReqWrap::GetVersion>("getVersion"),
          InstanceMethod<&X509ReqWrap::GetSubject>("getSubject"),
          InstanceMethod<&X509ReqWrap::AddExtensions>("addExtensions"),
          InstanceMethod<&X509ReqWrap::GetExtensions>("getExtensions"),
          InstanceMethod<&X509ReqWrap::Sign>("sign"),
          InstanceMethod<&X509ReqWrap::Verify>("verify"),
          InstanceMethod<&X509ReqWrap::Dump>("dump"),
      });
  Data(env)->x509_req = Napi::Persistent(ctor);
  exports.Set("X509Req", ctor);
}

// new X509Req(): an empty request; native code passes an External to adopt a loaded one.
X509ReqWrap::X509ReqWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<X509ReqWrap>(info) {
  AdoptOrCreate<X509ReqWrap>(info, req_, X509_REQ_new, "could not create a request");
}

Napi::Value X509ReqWrap::SetPubkey(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  PKeyWrap* key = UnwrapAs<PKeyWrap>(info[0], "pkey");
  if (key == nullptr) return info.Env().Undefined();
  if (X509_REQ_set_pubkey(req_.get(), key->ForSetPubkey()) != 1) return ThrowOpenSSL(info.Env(), "could not set the public key");
  return info.Env().Undefined();
}

Napi::Value X509ReqWrap::GetPubkey(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  EVPKeyPointer key(X509_REQ_get_pubkey(req_.get()));  // a new reference
  if (!key) return ThrowOpenSSL(info.Env(), "the request has no usable public key");
  return PKeyWrap::NewOwned(info.Env(), std::move(key), true);
}

Napi::Value X509ReqWrap::SetVersion(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  int64_t v = 0;
  if (!GetInt(info[0], "version", &v)) return info.Env().Undefined();
  // PKCS#10 defines only version 1, encoded as 0.
  if (v != 0) return ThrowValue(info.Env(), "invalid version: only 0 (PKCS#10 v1) is defined, got " + std::to_string(v));
  if (X509_REQ_set_version(req_.get(), v) != 1) return ThrowOpenSSL(info.Env(), "could not set the version");
  return info.Env().Undefined();
}

Napi::Value X509ReqWrap::GetVersion(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(X509_REQ_get_version(req_.get())));
}

Napi::Value X509ReqWrap::GetSubject(const Napi::CallbackInfo& info) {
  return X509NameWrap::NewView(info.Env(), info.This().As<Napi::Object>(), X509NameWrap::kReqSubject);
}

// addExtensions([ext, ...]): adds one extensionRequest attribute holding them (X509_REQ_add_extensions).
Napi::Value X509ReqWrap::AddExtensions(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  if (!info[0].IsArray()) return ThrowType(env, "extensions", "an array of X509Extension", info[0]);
  Napi::Array arr = info[0].As<Napi::Array>();
  std::unique_ptr<STACK_OF(X509_EXTENSION), void (*)(STACK_OF(X509_EXTENSION)*)> stack(sk_X509_EXTENSION_new_null(), FreeExtStack);
  if (!stack) return ThrowOpenSSL(env, "out of memory");
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    X509ExtWrap* ext = UnwrapAs<X509ExtWrap>(arr.Get(i), "extensions");
    if (ext == nullptr) return env.Undefined();
    X509_EXTENSION* copy = X509_EXTENSION_dup(ext->get());  // the stack owns its copies
    if (copy == nullptr || sk_X509_EXTENSION_push(stack.get(), copy) <= 0) {
      X509_EXTENSION_free(copy);
      return ThrowOpenSSL(env, "out of memory");
    }
  }
  if (X509_REQ_add_extensions(req_.get(), stack.get()) != 1) return ThrowOpenSSL(env, "could not add the extensions");
  return env.Undefined();
}

Napi::Value X509ReqWrap::GetExtensions(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::unique_ptr<STACK_OF(X509_EXTENSION), void (*)(STACK_OF(X509_EXTENSION)*)> stack(X509_REQ_get_extensions(req_.get()), FreeExtStack);
  int n = stack ? sk_X509_EXTENSION_num(stack.get()) : 0;
  Napi::Array out = Napi::Array::New(env, static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    X509ExtPointer copy(X509_EXTENSION_dup(sk_X509_EXTENSION_value(stack.get(), i)));
    Napi::Value v = X509ExtWrap::NewOwned(env, std::move(copy));
    if (env.IsExceptionPending()) return env.Undefined();
    out.Set(static_cast<uint32_t>(i), v);
  }
  return out;
}

Napi::Value X509ReqWrap::Sign(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  PKeyWrap* key = UnwrapAs<PKeyWrap>(info[0], "pkey");
  if (key == nullptr) return env.Undefined();
  if (key->only_public()) return ThrowValue(env, "a private key is needed to sign");
  bool failed = false;
  const EVP_MD* md = DigestByName(env, info[1], "digest", true, &failed);
  if (failed) return env.Undefined();
  if (X509_REQ_sign(req_.get(), key->get(), md) <= 0) return ThrowOpenSSL(env, "could not sign the request");
  return env.Undefined();
}

// verify(pkey): true when `pkey` made the signature; throws with OpenSSL's reason otherwise (pyOpenSSL).
Napi::Value X509ReqWrap::Verify(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  PKeyWrap* key = UnwrapAs<PKeyWrap>(info[0], "pkey");
  if (key == nullptr) return env.Undefined();
  int r = X509_REQ_verify(req_.get(), key->get());
  if (r != 1) {
    RaiseBadSignatureIfQuiet(key->get());
    return ThrowOpenSSL(env, "the request's signature does not verify");
  }
  return Napi::Boolean::New(env, true);
}

Napi::Value X509ReqWrap::Dump(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t filetype = 0;
  if (!GetInt(info[0], "type", &filetype)) return env.Undefined();
  BIOPointer out = NewMemBio();
  if (!out) return ThrowOpenSSL(env, "could not dump the request");
  int ok = 0;
  if (filetype == kFiletypePem) {
    ok = PEM_write_bio_X509_REQ(out.get(), req_.get());
  } else if (filetype == kFiletypeAsn1) {
    ok = i2d_X509_REQ_bio(out.get(), req_.get());
  } else if (filetype == kFiletypeText) {
    int64_t name_flags = XN_FLAG_COMPAT;
    if (info.Length() > 1 && !info[1].IsUndefined() && !GetInt(info[1], "nameFlags", &name_flags)) return env.Undefined();
    // Print a re-parsed copy when the key is a legacy copy, so the text matches a loaded request.
    Owned<X509_REQ, X509_REQ_free> fresh(nullptr);
    if (IsLegacyKey(X509_REQ_get0_pubkey(req_.get()))) {
      unsigned char* der = nullptr;
      int len = i2d_X509_REQ(req_.get(), &der);
      OpensslBytes owned(der);
      const unsigned char* p = der;
      if (len > 0) fresh.reset(d2i_X509_REQ(nullptr, &p, len));
    }
    ok = X509_REQ_print_ex(out.get(), fresh ? fresh.get() : req_.get(), static_cast<unsigned long>(name_flags), X509_FLAG_COMPAT);
  } else {
    return ThrowValue(env, "type argument must be FILETYPE_PEM, FILETYPE_ASN1 or FILETYPE_TEXT");
  }
  if (ok != 1) return ThrowOpenSSL(env, "could not dump the request");
  return BioToBuffer(env, out.get());
}

namespace {
Napi::Value LoadCertificateRequest(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  X509_REQ* raw = LoadPemOrDer<X509_REQ>(info, PEM_read_bio_X509_REQ, d2i_X509_REQ_bio, "certificate request");
  if (raw == nullptr) return info.Env().Undefined();
  return Data(info.Env())->x509_req.New({Napi::External<X509_REQ>::New(info.Env(), raw)});  // adopted
}
}  // namespace

void InitReqFunctions(Napi::Env env, Napi::Object exports) {
  X509ReqWrap::Init(env, exports);
  exports.Set("loadCertificateRequest", Napi::Function::New<LoadCertificateRequest>(env, "loadCertificateRequest"));
}

}  // namespace ossl
