// X509: certificates — building, signing, reading fields, loading and dumping.
#include <openssl/pem.h>


#include <cstring>

#include "common/passphrase.h"
#include "objects.h"
#include "x509_lazy.h"

namespace ossl {

const EVP_MD* DigestByName(Napi::Env env, Napi::Value v, const char* param, bool allow_null, bool* failed) {
  *failed = false;
  if (allow_null && (v.IsUndefined() || v.IsNull())) return nullptr;
  std::string name;
  if (!GetString(v, param, &name)) {
    *failed = true;
    return nullptr;
  }
  const EVP_MD* md = DigestNamed(name);
  if (md == nullptr) {
    ThrowValue(env, "no such digest method: " + name);
    *failed = true;
  }
  return md;
}

// ASN.1 time as pyOpenSSL returns it: GeneralizedTime text, "YYYYMMDDhhmmssZ".
Napi::Value TimeToString(Napi::Env env, const ASN1_TIME* t) {
  if (t == nullptr || ASN1_STRING_length(t) == 0) return env.Null();
  ASN1GenTimePointer gt(ASN1_TIME_to_generalizedtime(const_cast<ASN1_TIME*>(t), nullptr));
  if (!gt) return ThrowOpenSSL(env, "invalid time in certificate");
  return Napi::String::New(env, reinterpret_cast<const char*>(ASN1_STRING_get0_data(gt.get())),
                           static_cast<size_t>(ASN1_STRING_length(gt.get())));
}

X509Pointer ReparsedIfLegacyKey(X509* x) {
  if (!IsLegacyKey(X509_get0_pubkey(x))) return X509Pointer(nullptr);
  unsigned char* der = nullptr;
  int len = i2d_X509(x, &der);
  if (len <= 0) return X509Pointer(nullptr);
  OpensslBytes owned(der);
  const unsigned char* p = der;
  return X509Pointer(d2i_X509(nullptr, &p, len));
}

ASN1TimePointer ParseTime(Napi::Env env, Napi::Value v, const char* param) {
  std::string when;
  if (!GetString(v, param, &when)) return ASN1TimePointer(nullptr);
  ASN1TimePointer t(ASN1_TIME_new());
  if (!t || when.find('\0') != std::string::npos || ASN1_TIME_set_string_X509(t.get(), when.c_str()) != 1) {
    ERR_clear_error();
    ThrowValue(env, "invalid time \"" + when + "\": expected YYYYMMDDhhmmssZ");
    return ASN1TimePointer(nullptr);
  }
  return t;
}

Napi::Value CertStackToArray(Napi::Env env, const STACK_OF(X509)* stack) {
  int n = stack == nullptr ? 0 : sk_X509_num(stack);
  Napi::Array out = Napi::Array::New(env, static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    X509* c = sk_X509_value(stack, i);
    X509_up_ref(c);  // the wrapper owns its own reference
    Napi::Value v = X509Wrap::NewOwned(env, X509Pointer(c));
    if (env.IsExceptionPending()) return env.Undefined();
    out.Set(static_cast<uint32_t>(i), v);
  }
  return out;
}


X509StackPointer ArrayToCertStack(Napi::Env env, Napi::Value v, const char* param, bool* ok) {
  *ok = false;
  X509StackPointer stack(sk_X509_new_null(), FreeCertStack);
  if (!v.IsArray()) {
    ThrowType(env, param, "an array of X509", v);
    return stack;
  }
  Napi::Array arr = v.As<Napi::Array>();
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    X509Wrap* w = UnwrapAs<X509Wrap>(arr.Get(i), param);
    if (w == nullptr) return stack;
    X509_up_ref(w->get());  // the stack owns a reference to each element
    if (sk_X509_push(stack.get(), w->get()) <= 0) {
      X509_free(w->get());
      ThrowOpenSSL(env, "out of memory");
      return stack;
    }
  }
  *ok = true;
  return stack;
}

X509StackPointer OptionalCertStack(Napi::Env env, Napi::Value v, const char* param, bool* ok) {
  if (v.IsUndefined() || v.IsNull()) {
    *ok = true;
    return X509StackPointer(nullptr, FreeCertStack);
  }
  return ArrayToCertStack(env, v, param, ok);
}

void X509Wrap::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "X509",
      {
          InstanceMethod<&X509Wrap::SetVersion>("setVersion"),
          InstanceMethod<&X509Wrap::GetVersion>("getVersion"),
          InstanceMethod<&X509Wrap::SetSerial>("setSerialHex"),
          InstanceMethod<&X509Wrap::GetSerial>("getSerialHex"),
          InstanceMethod<&X509Wrap::GmtimeAdj>("gmtimeAdj"),
          InstanceMethod<&X509Wrap::GetTime>("getTime"),
          InstanceMethod<&X509Wrap::SetTime>("setTime"),
          InstanceMethod<&X509Wrap::HasExpired>("hasExpired"),
          InstanceMethod<&X509Wrap::GetName>("getName"),
          InstanceMethod<&X509Wrap::GetNameEntry>("getNameEntry"),
          InstanceMethod<&X509Wrap::SetName>("setName"),
          InstanceMethod<&X509Wrap::GetPubkey>("getPubkey"),
          InstanceMethod<&X509Wrap::SetPubkey>("setPubkey"),
          InstanceMethod<&X509Wrap::AddExtension>("addExtension"),
          InstanceMethod<&X509Wrap::GetExtensionCount>("getExtensionCount"),
          InstanceMethod<&X509Wrap::GetExtension>("getExtension"),
          InstanceMethod<&X509Wrap::Sign>("sign"),
          InstanceMethod<&X509Wrap::Digest>("digest"),
          InstanceMethod<&X509Wrap::SubjectNameHash>("subjectNameHash"),
          InstanceMethod<&X509Wrap::GetSignatureAlgorithm>("getSignatureAlgorithm"),
          InstanceMethod<&X509Wrap::VerifySignature>("verifySignature"),
          InstanceMethod<&X509Wrap::CheckHost>("checkHost"),
          InstanceMethod<&X509Wrap::CheckCa>("checkCa"),
          InstanceMethod<&X509Wrap::CheckPurpose>("checkPurpose"),
          InstanceMethod<&X509Wrap::FindExtension>("findExtension"),
          InstanceMethod<&X509Wrap::Dump>("dump"),
      });
  Data(env)->x509 = Napi::Persistent(ctor);
  exports.Set("X509", ctor);
}

// new X509(): an empty certificate; native code passes an External to adopt an existing one.
// NewLazy passes (External<LazyCert>, true).
X509Wrap::X509Wrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<X509Wrap>(info) {
  if (info.Length() >= 2 && info[0].IsExternal() && info[1].IsBoolean() && info[1].As<Napi::Boolean>().Value()) {
    lazy_.reset(info[0].As<Napi::External<LazyCert>>().Data());
    info.This().As<Napi::Object>().TypeTag(&kTypeTag);
    return;
  }
  AdoptOrCreate<X509Wrap>(info, x509_, X509_new, "could not create a certificate");
}

Napi::Value X509Wrap::NewOwned(Napi::Env env, X509Pointer x) {
  if (!x) return ThrowOpenSSL(env, "no certificate");
  Napi::Value ext = Napi::External<X509>::New(env, x.release());  // adopted by the constructor
  return Data(env)->x509.New({ext});
}

Napi::Value X509Wrap::NewLazy(Napi::Env env, LazyCertPointer cert) {
  if (!cert) return ThrowOpenSSL(env, "no certificate");
  Napi::Value ext = Napi::External<LazyCert>::New(env, cert.release());  // adopted by the constructor
  return Data(env)->x509.New({ext, Napi::Boolean::New(env, true)});
}

X509* X509Wrap::Full(Napi::Env env) {
  if (!x509_) {
    x509_ = lazy_->Materialize();
    if (!x509_) ThrowOpenSSL(env, "could not decode the certificate");
  }
  return x509_.get();
}

X509_NAME* X509Wrap::Name(int which) const {
  if (x509_) return which == 0 ? X509_get_subject_name(x509_.get()) : X509_get_issuer_name(x509_.get());
  return lazy_->Name(which);
}

const LazyCertInfo* X509Wrap::LazyInfo(Napi::Env env) {
  const LazyCertInfo* info = lazy_->Info();
  if (info == nullptr) ThrowOpenSSL(env, "could not decode the certificate");
  return info;
}

bool X509Wrap::Time(Napi::Env env, int which, const ASN1_TIME** out) {
  if (x509_) {
    *out = which == 0 ? X509_get0_notBefore(x509_.get()) : X509_get0_notAfter(x509_.get());
    return true;
  }
  const LazyCertInfo* info = LazyInfo(env);
  if (info == nullptr) return false;
  *out = which == 0 ? info->validity->notBefore : info->validity->notAfter;
  return true;
}

bool X509Wrap::Extensions(Napi::Env env, const STACK_OF(X509_EXTENSION)** out) {
  if (x509_) {
    *out = X509_get0_extensions(x509_.get());
    return true;
  }
  const LazyCertInfo* info = LazyInfo(env);
  if (info == nullptr) return false;
  *out = info->extensions;
  return true;
}

template <>
X509Wrap* UnwrapAs<X509Wrap>(Napi::Value v, const char* param) {
  if (v.IsObject()) {
    Napi::Object o = v.As<Napi::Object>();
    if (o.CheckTypeTag(&X509Wrap::kTypeTag)) {
      X509Wrap* w = X509Wrap::Unwrap(o);
      return w->Full(v.Env()) == nullptr ? nullptr : w;
    }
  }
  ThrowType(v.Env(), param, X509Wrap::kExpected, v);
  return nullptr;
}

Napi::Value X509Wrap::SetVersion(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  int64_t v = 0;
  if (!GetInt(info[0], "version", &v)) return info.Env().Undefined();
  if (v < 0 || v > 2) return ThrowValue(info.Env(), "version must be 0, 1 or 2 (X.509 v1, v2 or v3), got " + std::to_string(v));
  X509* x = Full(info.Env());
  if (x == nullptr) return info.Env().Undefined();
  if (X509_set_version(x, v) != 1) return ThrowOpenSSL(info.Env(), "could not set the version");
  return info.Env().Undefined();
}

Napi::Value X509Wrap::GetVersion(const Napi::CallbackInfo& info) {
  if (x509_) return Napi::Number::New(info.Env(), static_cast<double>(X509_get_version(x509_.get())));
  const LazyCertInfo* fields = LazyInfo(info.Env());
  if (fields == nullptr) return info.Env().Undefined();
  // X509_get_version reads the same field: absent means 0 (v1).
  return Napi::Number::New(info.Env(), static_cast<double>(ASN1_INTEGER_get(fields->version)));
}

// setSerialHex(hex): the serial number as (optionally negative) hexadecimal text.
Napi::Value X509Wrap::SetSerial(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::string hex;
  if (!GetString(info[0], "serial", &hex)) return env.Undefined();
  BIGNUM* raw = nullptr;
  size_t digits = hex.size() - (hex.size() > 0 && hex[0] == '-' ? 1 : 0);
  if (digits == 0 || BN_hex2bn(&raw, hex.c_str()) != static_cast<int>(hex.size())) {
    BN_free(raw);
    return ThrowValue(env, "invalid serial number");
  }
  BNPointer bn(raw);
  X509* x = Full(env);
  if (x == nullptr) return env.Undefined();
  ASN1IntPointer serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  if (!serial || X509_set_serialNumber(x, serial.get()) != 1) {
    return ThrowOpenSSL(env, "could not set the serial number");
  }
  return env.Undefined();
}

Napi::Value X509Wrap::GetSerial(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  const ASN1_INTEGER* serial = nullptr;
  if (x509_) {
    serial = X509_get0_serialNumber(x509_.get());
  } else {
    const LazyCertInfo* fields = LazyInfo(env);
    if (fields == nullptr) return env.Undefined();
    serial = fields->serialNumber;
  }
  BNPointer bn(ASN1_INTEGER_to_BN(serial, nullptr));
  if (!bn) return ThrowOpenSSL(env, "invalid serial number");
  OpensslString hex(BN_bn2hex(bn.get()));
  if (!hex) return ThrowOpenSSL(env, "invalid serial number");
  return Napi::String::New(env, hex.get());
}

// gmtimeAdj(which, seconds): which 0 = notBefore, 1 = notAfter; the time becomes now + seconds.
Napi::Value X509Wrap::GmtimeAdj(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t which = 0, secs = 0;
  if (!GetInt(info[0], "which", &which) || !GetInt(info[1], "amount", &secs)) return env.Undefined();
  X509* x = Full(env);
  if (x == nullptr) return env.Undefined();
  ASN1_TIME* t = which == 0 ? X509_getm_notBefore(x) : X509_getm_notAfter(x);
  if (X509_gmtime_adj(t, static_cast<long>(secs)) == nullptr) return ThrowOpenSSL(env, "could not set the time");
  return env.Undefined();
}

Napi::Value X509Wrap::GetTime(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  int64_t which = 0;
  if (!GetInt(info[0], "which", &which)) return info.Env().Undefined();
  const ASN1_TIME* t = nullptr;
  if (!Time(info.Env(), which == 0 ? 0 : 1, &t)) return info.Env().Undefined();
  return TimeToString(info.Env(), t);
}

// setTime(which, "YYYYMMDDhhmmssZ"): stored as RFC 5280 wants (UTCTime before 2050).
Napi::Value X509Wrap::SetTime(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t which = 0;
  if (!GetInt(info[0], "which", &which)) return env.Undefined();
  ASN1TimePointer t = ParseTime(env, info[1], "when");
  if (!t) return env.Undefined();
  X509* x = Full(env);
  if (x == nullptr) return env.Undefined();
  int ok = which == 0 ? X509_set1_notBefore(x, t.get()) : X509_set1_notAfter(x, t.get());
  if (ok != 1) return ThrowOpenSSL(env, "could not set the time");
  return env.Undefined();
}

Napi::Value X509Wrap::HasExpired(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  const ASN1_TIME* t = nullptr;
  if (!Time(info.Env(), 1, &t)) return info.Env().Undefined();
  int r = X509_cmp_current_time(t);
  if (r == 0) return ThrowValue(info.Env(), "the certificate has no valid notAfter time");
  return Napi::Boolean::New(info.Env(), r < 0);
}

// getName(which): 0 = subject, 1 = issuer; a live view that keeps this certificate alive.
Napi::Value X509Wrap::GetName(const Napi::CallbackInfo& info) {
  int64_t which = 0;
  if (!GetInt(info[0], "which", &which)) return info.Env().Undefined();
  return X509NameWrap::NewView(info.Env(), info.This().As<Napi::Object>(),
                               which == 0 ? X509NameWrap::kCertSubject : X509NameWrap::kCertIssuer);
}

// getNameEntry(which, attribute): what getName(which).getEntry(attribute) gives, without the view.
Napi::Value X509Wrap::GetNameEntry(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  int64_t which = 0;
  if (!GetInt(info[0], "which", &which)) return info.Env().Undefined();
  return NameEntry(info.Env(), Name(which == 0 ? 0 : 1), info[1]);
}

Napi::Value X509Wrap::SetName(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t which = 0;
  if (!GetInt(info[0], "which", &which)) return env.Undefined();
  X509NameWrap* name = UnwrapAs<X509NameWrap>(info[1], "name");
  if (name == nullptr) return env.Undefined();
  X509* x = Full(env);  // before name->get(): the name may be a view of this certificate
  if (x == nullptr) return env.Undefined();
  // Both setters copy the name, so setting a certificate's own subject as its issuer is safe.
  int ok = which == 0 ? X509_set_subject_name(x, name->get()) : X509_set_issuer_name(x, name->get());
  if (ok != 1) return ThrowOpenSSL(env, "could not set the name");
  return env.Undefined();
}

Napi::Value X509Wrap::GetPubkey(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  X509* x = Full(info.Env());
  if (x == nullptr) return info.Env().Undefined();
  EVPKeyPointer key(X509_get_pubkey(x));  // X509_get_pubkey returns a new reference
  if (!key) return ThrowOpenSSL(info.Env(), "the certificate has no usable public key");
  return PKeyWrap::NewOwned(info.Env(), std::move(key), true);
}

Napi::Value X509Wrap::SetPubkey(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  PKeyWrap* key = UnwrapAs<PKeyWrap>(info[0], "pkey");
  if (key == nullptr) return info.Env().Undefined();
  X509* x = Full(info.Env());
  if (x == nullptr) return info.Env().Undefined();
  if (X509_set_pubkey(x, key->ForSetPubkey()) != 1) return ThrowOpenSSL(info.Env(), "could not set the public key");
  return info.Env().Undefined();
}

Napi::Value X509Wrap::AddExtension(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  X509ExtWrap* ext = UnwrapAs<X509ExtWrap>(info[0], "extension");
  if (ext == nullptr) return info.Env().Undefined();
  X509* x = Full(info.Env());
  if (x == nullptr) return info.Env().Undefined();
  if (X509_add_ext(x, ext->get(), -1) != 1) return ThrowOpenSSL(info.Env(), "could not add the extension");
  return info.Env().Undefined();
}

Napi::Value X509Wrap::GetExtensionCount(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  const STACK_OF(X509_EXTENSION)* exts = nullptr;
  if (!Extensions(info.Env(), &exts)) return info.Env().Undefined();
  return Napi::Number::New(info.Env(), X509v3_get_ext_count(exts));
}

Napi::Value X509Wrap::GetExtension(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t index = 0;
  if (!GetInt(info[0], "index", &index)) return env.Undefined();
  const STACK_OF(X509_EXTENSION)* exts = nullptr;
  if (!Extensions(env, &exts)) return env.Undefined();
  if (index < 0 || index >= X509v3_get_ext_count(exts)) return ThrowValue(env, "extension index out of bounds");
  X509_EXTENSION* borrowed = X509v3_get_ext(exts, static_cast<int>(index));
  return X509ExtWrap::NewOwned(env, X509ExtPointer(X509_EXTENSION_dup(borrowed)));  // our own copy
}

// sign(pkey, digest): digest may be null for keys that sign without one (Ed25519, Ed448).
Napi::Value X509Wrap::Sign(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  PKeyWrap* key = UnwrapAs<PKeyWrap>(info[0], "pkey");
  if (key == nullptr) return env.Undefined();
  if (key->only_public()) return ThrowValue(env, "a private key is needed to sign");
  bool failed = false;
  const EVP_MD* md = DigestByName(env, info[1], "digest", true, &failed);
  if (failed) return env.Undefined();
  X509* x = Full(env);
  if (x == nullptr) return env.Undefined();
  if (X509_sign(x, key->get(), md) <= 0) return ThrowOpenSSL(env, "could not sign the certificate");
  return env.Undefined();
}

// digest(name): the fingerprint as upper-case hex bytes joined by colons.
Napi::Value X509Wrap::Digest(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  bool failed = false;
  const EVP_MD* md = DigestByName(env, info[0], "digestName", false, &failed);
  if (failed) return env.Undefined();
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // The lazy form keeps the bytes i2d_X509 writes, which X509_digest hashes.
  int ok = x509_ ? X509_digest(x509_.get(), md, buf, &len)
                 : EVP_Digest(lazy_->der(), lazy_->der_size(), buf, &len, md, nullptr);
  if (ok != 1) return ThrowOpenSSL(env, "could not digest the certificate");
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(len * 3);
  for (unsigned int i = 0; i < len; ++i) {
    if (i > 0) out.push_back(':');
    out.push_back(kHex[buf[i] >> 4]);
    out.push_back(kHex[buf[i] & 15]);
  }
  return Napi::String::New(env, out);
}

Napi::Value X509Wrap::SubjectNameHash(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  // What X509_subject_name_hash computes, from either form.
  int ok = 0;
  unsigned long h = X509_NAME_hash_ex(Name(0), nullptr, nullptr, &ok);
  if (ok != 1) return ThrowOpenSSL(info.Env(), "could not hash the subject name");
  return Napi::Number::New(info.Env(), static_cast<double>(h));
}

Napi::Value X509Wrap::GetSignatureAlgorithm(const Napi::CallbackInfo& info) {
  const X509_ALGOR* alg = nullptr;
  if (x509_) {
    alg = X509_get0_tbs_sigalg(x509_.get());
  } else {
    const LazyCertInfo* fields = LazyInfo(info.Env());
    if (fields == nullptr) return info.Env().Undefined();
    alg = fields->signature;
  }
  const ASN1_OBJECT* obj = nullptr;
  X509_ALGOR_get0(&obj, nullptr, nullptr, alg);
  int nid = OBJ_obj2nid(obj);
  if (nid == NID_undef) return ThrowValue(info.Env(), "undefined signature algorithm");
  return Napi::String::New(info.Env(), OBJ_nid2ln(nid));
}

// verifySignature(pkey): whether `pkey` made this certificate's signature.
Napi::Value X509Wrap::VerifySignature(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  PKeyWrap* key = UnwrapAs<PKeyWrap>(info[0], "pkey");
  if (key == nullptr) return info.Env().Undefined();
  X509* x = Full(info.Env());
  if (x == nullptr) return info.Env().Undefined();
  int r = X509_verify(x, key->get());
  if (r < 0) return ThrowOpenSSL(info.Env(), "could not verify the signature");
  return Napi::Boolean::New(info.Env(), r == 1);
}

// checkHost(name, flags): OpenSSL's own host-name match (X509_check_host), length-explicit.
Napi::Value X509Wrap::CheckHost(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  Bytes host = GetBytes(info[0], "hostname");
  if (!host.ok) return env.Undefined();
  int64_t flags = 0;
  if (info.Length() > 1 && !GetInt(info[1], "flags", &flags)) return env.Undefined();
  // Partial wildcards (`f*.example.com`) never match, here as in the TLS handshake's host check.
  flags |= X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS;
  std::string name(reinterpret_cast<const char*>(host.data), host.size);
  X509* x = Full(env);
  if (x == nullptr) return env.Undefined();
  int r;
  // An IP address literal is checked against iPAddress SANs, a name against dNSName SANs (and CN).
  if (IsIpLiteral(name)) {
    r = X509_check_ip_asc(x, name.c_str(), static_cast<unsigned int>(flags));
  } else {
    r = X509_check_host(x, name.data(), name.size(), static_cast<unsigned int>(flags), nullptr);
  }
  // -2 means the name itself is malformed (an embedded NUL, say): it matches nothing.
  if (r == -2) {
    ERR_clear_error();
    return Napi::Boolean::New(env, false);
  }
  if (r < 0) return ThrowOpenSSL(env, "host name check failed");
  return Napi::Boolean::New(env, r == 1);
}

// checkCa(): X509_check_ca's answer: 0 not a CA; 1 a CA by basicConstraints (and keyUsage); 3 a
// self-signed X.509 v1 certificate; 4 by Netscape certificate type; 5 a CA by other means.
Napi::Value X509Wrap::CheckCa(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  X509* x = Full(info.Env());
  if (x == nullptr) return info.Env().Undefined();
  return Napi::Number::New(info.Env(), X509_check_ca(x));
}

// checkPurpose(id, ca): whether the certificate may serve X509_PURPOSE `id`, as a CA (ca 1) or as an
// end entity (ca 0), by OpenSSL's X509_check_purpose.
Napi::Value X509Wrap::CheckPurpose(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t id = 0, ca = 0;
  if (!GetInt(info[0], "id", &id) || !GetInt(info[1], "ca", &ca)) return env.Undefined();
  if (X509_PURPOSE_get_by_id(static_cast<int>(id)) < 0) return ThrowValue(env, "no such purpose: " + std::to_string(id));
  X509* x = Full(env);
  if (x == nullptr) return env.Undefined();
  int r = X509_check_purpose(x, static_cast<int>(id), ca != 0 ? 1 : 0);
  // -1: OpenSSL could not read the certificate's extensions (a malformed one, or one repeated).
  if (r < 0) return ThrowOpenSSL(env, "the certificate's extensions are invalid");
  return Napi::Boolean::New(env, r == 1);
}

// findExtension(name): the index of the first extension of that type (a short or long name, or a
// dotted OID), or -1.
Napi::Value X509Wrap::FindExtension(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::string name;
  if (!GetString(info[0], "name", &name)) return env.Undefined();
  Owned<ASN1_OBJECT, ASN1_OBJECT_free> obj(name.find('\0') == std::string::npos ? OBJ_txt2obj(name.c_str(), 0) : nullptr);
  if (!obj) return ThrowValue(env, "no such extension type: " + name);
  const STACK_OF(X509_EXTENSION)* exts = nullptr;
  if (!Extensions(env, &exts)) return env.Undefined();
  return Napi::Number::New(env, X509v3_get_ext_by_OBJ(exts, obj.get(), -1));
}

Napi::Value X509Wrap::Dump(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t filetype = 0;
  if (!GetInt(info[0], "type", &filetype)) return env.Undefined();
  BIOPointer out = NewMemBio();
  if (!out) return ThrowOpenSSL(env, "could not dump the certificate");
  int ok = 0;
  if (filetype == kFiletypePem) {
    // PEM_write_bio_X509 writes i2d_X509's bytes, which the lazy form keeps.
    ok = x509_ ? PEM_write_bio_X509(out.get(), x509_.get())
               : PEM_write_bio(out.get(), PEM_STRING_X509, "", lazy_->der(), static_cast<long>(lazy_->der_size())) > 0;
  } else if (filetype == kFiletypeAsn1) {
    ok = x509_ ? i2d_X509_bio(out.get(), x509_.get())
               : BIO_write(out.get(), lazy_->der(), static_cast<int>(lazy_->der_size())) == static_cast<int>(lazy_->der_size());
  } else if (filetype == kFiletypeText) {
    // pyOpenSSL prints names with XN_FLAG_COMPAT ("CN=x"); `openssl x509 -text` uses
    // XN_FLAG_ONELINE ("CN = x"). The caller picks; the default is pyOpenSSL's.
    int64_t name_flags = XN_FLAG_COMPAT;
    if (info.Length() > 1 && !info[1].IsUndefined() && !GetInt(info[1], "nameFlags", &name_flags)) return env.Undefined();
    X509* x = Full(env);
    if (x == nullptr) return env.Undefined();
    X509Pointer fresh = ReparsedIfLegacyKey(x);
    ok = X509_print_ex(out.get(), fresh ? fresh.get() : x, static_cast<unsigned long>(name_flags), X509_FLAG_COMPAT);
  } else {
    return ThrowValue(env, "type argument must be FILETYPE_PEM, FILETYPE_ASN1 or FILETYPE_TEXT");
  }
  if (ok != 1) return ThrowOpenSSL(env, "could not dump the certificate");
  return BioToBuffer(env, out.get());
}

namespace {

// loadCertificate(filetype, data)
Napi::Value LoadCertificate(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  // Lazy: the public key is decoded when something first needs it (x509_lazy.h).
  LazyCert* raw = LoadPemOrDer<LazyCert>(info, LazyCert::ReadPem, LazyCert::ReadDer, "certificate");
  if (raw == nullptr) return info.Env().Undefined();
  return X509Wrap::NewLazy(info.Env(), LazyCertPointer(raw));
}

}  // namespace

void InitX509Functions(Napi::Env env, Napi::Object exports) {
  exports.Set("loadCertificate", Napi::Function::New<LoadCertificate>(env, "loadCertificate"));
}

}  // namespace ossl
