// CRL and Revoked: certificate revocation lists.
#include <openssl/pem.h>

#include <cctype>

#include "common/passphrase.h"
#include "objects.h"

namespace ossl {

namespace {

// CRLReason codes in order (RFC 5280 5.3.1) as pyOpenSSL names them; 7 is unused.
const char* const kReasons[] = {"unspecified", "keyCompromise", "CACompromise", "affiliationChanged",
                                "superseded", "cessationOfOperation", "certificateHold"};
constexpr int kReasonCount = 7;

std::string Squash(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

using ASN1EnumPointer = Owned<ASN1_ENUMERATED, ASN1_ENUMERATED_free>;
}  // namespace

// ---- Revoked -------------------------------------------------------------------------------

void RevokedWrap::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "Revoked",
      {
          InstanceMethod<&RevokedWrap::SetSerial>("setSerial"),
          InstanceMethod<&RevokedWrap::GetSerial>("getSerial"),
          InstanceMethod<&RevokedWrap::SetReason>("setReason"),
          InstanceMethod<&RevokedWrap::GetReason>("getReason"),
          InstanceMethod<&RevokedWrap::SetRevDate>("setRevDate"),
          InstanceMethod<&RevokedWrap::GetRevDate>("getRevDate"),
      });
  Data(env)->revoked = Napi::Persistent(ctor);
  exports.Set("Revoked", ctor);
  Napi::Array reasons = Napi::Array::New(env, kReasonCount);
  for (int i = 0; i < kReasonCount; ++i) reasons.Set(static_cast<uint32_t>(i), Napi::String::New(env, kReasons[i]));
  exports.Set("CRL_REASONS", reasons);
}

RevokedWrap::RevokedWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<RevokedWrap>(info) {
  AdoptOrCreate<RevokedWrap>(info, rev_, X509_REVOKED_new, "could not create a revocation entry");
}

// setSerial(hex): the revoked certificate's serial number as hexadecimal text.
Napi::Value RevokedWrap::SetSerial(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::string hex;
  if (!GetString(info[0], "hexStr", &hex)) return env.Undefined();
  BIGNUM* raw = nullptr;
  if (hex.empty() || hex.find('\0') != std::string::npos || BN_hex2bn(&raw, hex.c_str()) != static_cast<int>(hex.size())) {
    BN_free(raw);
    return ThrowValue(env, "invalid hexadecimal serial number: \"" + hex + "\"");
  }
  BNPointer bn(raw);
  ASN1IntPointer serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  if (!serial || X509_REVOKED_set_serialNumber(rev_.get(), serial.get()) != 1) {
    return ThrowOpenSSL(env, "could not set the serial number");
  }
  return env.Undefined();
}

Napi::Value RevokedWrap::GetSerial(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  BIOPointer out = NewMemBio();
  if (!out || i2a_ASN1_INTEGER(out.get(), X509_REVOKED_get0_serialNumber(rev_.get())) < 0) {
    return ThrowOpenSSL(env, "could not read the serial number");
  }
  return BioToString(env, out.get());
}

// setReason(name | null): sets or (null) removes the CRLReason extension. Names are compared without
// case or spaces, so "keyCompromise" and "Key Compromise" are the same.
Napi::Value RevokedWrap::SetReason(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int code = -1;
  if (!info[0].IsNull() && !info[0].IsUndefined()) {
    std::string reason;
    if (!GetString(info[0], "reason", &reason)) return env.Undefined();
    std::string want = Squash(reason);
    for (int i = 0; i < kReasonCount; ++i) {
      if (Squash(kReasons[i]) == want) code = i;
    }
    if (code < 0) return ThrowValue(env, "unknown revocation reason: \"" + reason + "\"");
  }
  int idx;
  while ((idx = X509_REVOKED_get_ext_by_NID(rev_.get(), NID_crl_reason, -1)) >= 0) {
    X509_EXTENSION_free(X509_REVOKED_delete_ext(rev_.get(), idx));
  }
  if (code >= 0) {
    ASN1EnumPointer value(ASN1_ENUMERATED_new());
    if (!value || ASN1_ENUMERATED_set(value.get(), code) != 1 ||
        X509_REVOKED_add1_ext_i2d(rev_.get(), NID_crl_reason, value.get(), 0, 0) != 1) {
      return ThrowOpenSSL(env, "could not set the reason");
    }
  }
  return env.Undefined();
}

// getReason(): the reason as OpenSSL prints it ("Key Compromise"), or null.
Napi::Value RevokedWrap::GetReason(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int idx = X509_REVOKED_get_ext_by_NID(rev_.get(), NID_crl_reason, -1);
  if (idx < 0) return env.Null();
  X509_EXTENSION* ext = X509_REVOKED_get_ext(rev_.get(), idx);  // borrowed
  BIOPointer out = NewMemBio();
  if (!out) return ThrowOpenSSL(env, "out of memory");
  if (X509V3_EXT_print(out.get(), ext, 0, 0) != 1) {
    ERR_clear_error();
    (void)BIO_reset(out.get());
    ASN1_STRING_print(out.get(), X509_EXTENSION_get_data(ext));
  }
  return BioToString(env, out.get());
}

Napi::Value RevokedWrap::SetRevDate(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  ASN1TimePointer t = ParseTime(info.Env(), info[0], "when");
  if (!t) return info.Env().Undefined();
  if (X509_REVOKED_set_revocationDate(rev_.get(), t.get()) != 1) return ThrowOpenSSL(info.Env(), "could not set the date");
  return info.Env().Undefined();
}

Napi::Value RevokedWrap::GetRevDate(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  return TimeToString(info.Env(), X509_REVOKED_get0_revocationDate(rev_.get()));
}

// ---- CRL -----------------------------------------------------------------------------------

void CRLWrap::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "CRL",
      {
          InstanceMethod<&CRLWrap::GetRevoked>("getRevoked"),
          InstanceMethod<&CRLWrap::AddRevoked>("addRevoked"),
          InstanceMethod<&CRLWrap::GetIssuer>("getIssuer"),
          InstanceMethod<&CRLWrap::SetVersion>("setVersion"),
          InstanceMethod<&CRLWrap::GetVersion>("getVersion"),
          InstanceMethod<&CRLWrap::SetTime>("setTime"),
          InstanceMethod<&CRLWrap::GetTime>("getTime"),
          InstanceMethod<&CRLWrap::Sign>("sign"),
          InstanceMethod<&CRLWrap::VerifySignature>("verifySignature"),
          InstanceMethod<&CRLWrap::Dump>("dump"),
      });
  Data(env)->crl = Napi::Persistent(ctor);
  exports.Set("CRL", ctor);
}

CRLWrap::CRLWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CRLWrap>(info) {
  AdoptOrCreate<CRLWrap>(info, crl_, X509_CRL_new, "could not create a CRL");
}

// getRevoked(): copies of the entries, or null when there are none (as pyOpenSSL).
Napi::Value CRLWrap::GetRevoked(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl_.get());  // borrowed
  int n = revoked == nullptr ? 0 : sk_X509_REVOKED_num(revoked);
  if (n == 0) return env.Null();
  Napi::Array out = Napi::Array::New(env, static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    X509_REVOKED* copy = X509_REVOKED_dup(sk_X509_REVOKED_value(revoked, i));
    if (copy == nullptr) return ThrowOpenSSL(env, "out of memory");
    Napi::Value v = Data(env)->revoked.New({Napi::External<X509_REVOKED>::New(env, copy)});  // adopted
    if (env.IsExceptionPending()) return env.Undefined();
    out.Set(static_cast<uint32_t>(i), v);
  }
  return out;
}

Napi::Value CRLWrap::AddRevoked(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  RevokedWrap* rev = UnwrapAs<RevokedWrap>(info[0], "revoked");
  if (rev == nullptr) return info.Env().Undefined();
  X509_REVOKED* copy = X509_REVOKED_dup(rev->get());
  // X509_CRL_add0_revoked takes ownership of the copy.
  if (copy == nullptr || X509_CRL_add0_revoked(crl_.get(), copy) != 1) {
    X509_REVOKED_free(copy);
    return ThrowOpenSSL(info.Env(), "could not add the entry");
  }
  return info.Env().Undefined();
}

// getIssuer(): a copy of the issuer name.
Napi::Value CRLWrap::GetIssuer(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  return X509NameWrap::NewOwned(info.Env(), X509NamePointer(X509_NAME_dup(X509_CRL_get_issuer(crl_.get()))));
}

Napi::Value CRLWrap::SetVersion(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  int64_t v = 0;
  if (!GetInt(info[0], "version", &v)) return info.Env().Undefined();
  if (v < 0 || v > 1) return ThrowValue(info.Env(), "version must be 0 (v1) or 1 (v2), got " + std::to_string(v));
  if (X509_CRL_set_version(crl_.get(), v) != 1) return ThrowOpenSSL(info.Env(), "could not set the version");
  return info.Env().Undefined();
}

Napi::Value CRLWrap::GetVersion(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(X509_CRL_get_version(crl_.get())));
}

// setTime(which, when): which 0 = lastUpdate, 1 = nextUpdate.
Napi::Value CRLWrap::SetTime(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t which = 0;
  if (!GetInt(info[0], "which", &which)) return env.Undefined();
  ASN1TimePointer t = ParseTime(env, info[1], "when");
  if (!t) return env.Undefined();
  int ok = which == 0 ? X509_CRL_set1_lastUpdate(crl_.get(), t.get()) : X509_CRL_set1_nextUpdate(crl_.get(), t.get());
  if (ok != 1) return ThrowOpenSSL(env, "could not set the time");
  return env.Undefined();
}

Napi::Value CRLWrap::GetTime(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  int64_t which = 0;
  if (!GetInt(info[0], "which", &which)) return info.Env().Undefined();
  return TimeToString(info.Env(), which == 0 ? X509_CRL_get0_lastUpdate(crl_.get()) : X509_CRL_get0_nextUpdate(crl_.get()));
}

// sign(issuerCert, issuerKey, digest): sets the issuer name from the certificate, sorts, signs.
Napi::Value CRLWrap::Sign(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  X509Wrap* issuer = UnwrapAs<X509Wrap>(info[0], "issuerCert");
  if (issuer == nullptr) return env.Undefined();
  PKeyWrap* key = UnwrapAs<PKeyWrap>(info[1], "issuerKey");
  if (key == nullptr) return env.Undefined();
  if (key->only_public()) return ThrowValue(env, "a private key is needed to sign");
  bool failed = false;
  const EVP_MD* md = DigestByName(env, info[2], "digest", true, &failed);
  if (failed) return env.Undefined();
  if (X509_CRL_set_issuer_name(crl_.get(), X509_get_subject_name(issuer->get())) != 1 || X509_CRL_sort(crl_.get()) != 1 ||
      X509_CRL_sign(crl_.get(), key->get(), md) <= 0) {
    return ThrowOpenSSL(env, "could not sign the CRL");
  }
  return env.Undefined();
}

Napi::Value CRLWrap::VerifySignature(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  PKeyWrap* key = UnwrapAs<PKeyWrap>(info[0], "pkey");
  if (key == nullptr) return info.Env().Undefined();
  int r = X509_CRL_verify(crl_.get(), key->get());
  if (r < 0) return ThrowOpenSSL(info.Env(), "could not verify the signature");
  return Napi::Boolean::New(info.Env(), r == 1);
}

Napi::Value CRLWrap::Dump(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t filetype = 0;
  if (!GetInt(info[0], "type", &filetype)) return env.Undefined();
  BIOPointer out = NewMemBio();
  if (!out) return ThrowOpenSSL(env, "could not dump the CRL");
  int ok = 0;
  if (filetype == kFiletypePem) {
    ok = PEM_write_bio_X509_CRL(out.get(), crl_.get());
  } else if (filetype == kFiletypeAsn1) {
    ok = i2d_X509_CRL_bio(out.get(), crl_.get());
  } else if (filetype == kFiletypeText) {
    ok = X509_CRL_print(out.get(), crl_.get());
  } else {
    return ThrowValue(env, "type argument must be FILETYPE_PEM, FILETYPE_ASN1 or FILETYPE_TEXT");
  }
  if (ok != 1) return ThrowOpenSSL(env, "could not dump the CRL");
  return BioToBuffer(env, out.get());
}

namespace {
Napi::Value LoadCrl(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  X509_CRL* raw = LoadPemOrDer<X509_CRL>(info, PEM_read_bio_X509_CRL, d2i_X509_CRL_bio, "CRL");
  if (raw == nullptr) return info.Env().Undefined();
  return Data(info.Env())->crl.New({Napi::External<X509_CRL>::New(info.Env(), raw)});  // adopted
}
}  // namespace

void InitCRLFunctions(Napi::Env env, Napi::Object exports) {
  RevokedWrap::Init(env, exports);
  CRLWrap::Init(env, exports);
  exports.Set("loadCrl", Napi::Function::New<LoadCrl>(env, "loadCrl"));
}

}  // namespace ossl
