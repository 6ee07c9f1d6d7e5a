// The wrapped object families. Each class owns its OpenSSL object through an owning alias and is
// type-tagged, so passing the wrong kind of object from JavaScript is a TypeError.
#pragma once

#include "common/common.h"

namespace ossl {

class PKeyWrap : public Napi::ObjectWrap<PKeyWrap> {
 public:
  OSSL_TAGGED_UNWRAP(PKeyWrap)

 public:
  static constexpr napi_type_tag kTypeTag = type_tags::kPKey;
  static constexpr const char* kExpected = "a PKey";
  static void Init(Napi::Env env, Napi::Object exports);
  explicit PKeyWrap(const Napi::CallbackInfo& info);
  EVP_PKEY* get() const { return pkey_.get(); }
  bool only_public() const { return only_public_; }
  // Takes a new reference on `pkey` (EVP_PKEY_up_ref) and wraps it.
  static Napi::Value NewFromRef(Napi::Env env, EVP_PKEY* pkey, bool only_public);
  static Napi::Value NewOwned(Napi::Env env, EVPKeyPointer pkey, bool only_public);
  // The key to hand to X509_set_pubkey and friends: a legacy copy of the public half, kept with the
  // EVP_PKEY, when one can be made (the fast encoding path in OpenSSL 3.0), else the key itself.
  EVP_PKEY* ForSetPubkey();

 private:
  Napi::Value Type(const Napi::CallbackInfo& info);
  Napi::Value Bits(const Napi::CallbackInfo& info);
  Napi::Value Check(const Napi::CallbackInfo& info);
  Napi::Value OnlyPublic(const Napi::CallbackInfo& info);
  Napi::Value Equals(const Napi::CallbackInfo& info);
  Napi::Value StreamInit(const Napi::CallbackInfo& info);
  Napi::Value StreamUpdate(const Napi::CallbackInfo& info);
  Napi::Value SignFinal(const Napi::CallbackInfo& info);
  Napi::Value VerifyFinal(const Napi::CallbackInfo& info);
  static constexpr int kStreamSign = 1;
  static constexpr int kStreamVerify = 2;
  EVPKeyPointer pkey_;
  // A streaming signature or verification in progress (StreamInit), and which of the two.
  Owned<EVP_MD_CTX, EVP_MD_CTX_free> stream_;
  int stream_mode_ = 0;
  bool legacy_tried_ = false;
  bool only_public_ = false;
};

// A new legacy EVP_PKEY holding only the public half of an RSA or EC key, or null (legacy.cc).
EVP_PKEY* LegacyPublicCopy(const EVP_PKEY* pkey);
// Whether `pkey` is one of those legacy copies (it has no provider).
bool IsLegacyKey(const EVP_PKEY* pkey);
// For printing: OpenSSL's text form of a legacy key differs from a provider key's ("RSA Public-Key"
// vs "Public-Key"). These return a provider-backed copy when the input holds a legacy key, so a
// certificate prints the same whether it was built here or loaded.
EVPKeyPointer ProviderCopyIfLegacy(EVP_PKEY* pkey);
X509Pointer ReparsedIfLegacyKey(X509* x);

// The first entry of `attribute` in `name`, decoded to UTF-8, or null (x509_name.cc).
Napi::Value NameEntry(Napi::Env env, X509_NAME* name, Napi::Value attribute);

class LazyCert;  // x509_lazy.h
struct LazyCertInfo;
void FreeLazyCert(LazyCert* cert);
using LazyCertPointer = Owned<LazyCert, FreeLazyCert>;

// A certificate loaded from PEM or DER starts as a LazyCert: the fields are read from it, and the
// full X509 (with its decoded public key) is made on first need and used from then on. Everything
// that changes the certificate, and every other native object that takes one, works on the full X509.
class X509Wrap : public Napi::ObjectWrap<X509Wrap> {
 public:
  OSSL_TAGGED_UNWRAP(X509Wrap)

 public:
  static constexpr napi_type_tag kTypeTag = type_tags::kX509;
  static constexpr const char* kExpected = "an X509";
  static void Init(Napi::Env env, Napi::Object exports);
  explicit X509Wrap(const Napi::CallbackInfo& info);
  // The full certificate. Only for a wrapper obtained through UnwrapAs<X509Wrap>, which makes it.
  X509* get() const { return x509_.get(); }
  // The full certificate, made now if this one is still lazy; null with an exception pending.
  X509* Full(Napi::Env env);
  // The subject (0) or issuer (1), from whichever form this certificate is in.
  X509_NAME* Name(int which) const;
  static Napi::Value NewOwned(Napi::Env env, X509Pointer x);
  static Napi::Value NewLazy(Napi::Env env, LazyCertPointer cert);

 private:
  Napi::Value SetVersion(const Napi::CallbackInfo& info);
  Napi::Value GetVersion(const Napi::CallbackInfo& info);
  Napi::Value SetSerial(const Napi::CallbackInfo& info);
  Napi::Value GetSerial(const Napi::CallbackInfo& info);
  Napi::Value GmtimeAdj(const Napi::CallbackInfo& info);
  Napi::Value GetTime(const Napi::CallbackInfo& info);
  Napi::Value SetTime(const Napi::CallbackInfo& info);
  Napi::Value HasExpired(const Napi::CallbackInfo& info);
  Napi::Value GetName(const Napi::CallbackInfo& info);
  Napi::Value GetNameEntry(const Napi::CallbackInfo& info);
  Napi::Value SetName(const Napi::CallbackInfo& info);
  Napi::Value GetPubkey(const Napi::CallbackInfo& info);
  Napi::Value SetPubkey(const Napi::CallbackInfo& info);
  Napi::Value AddExtension(const Napi::CallbackInfo& info);
  Napi::Value GetExtensionCount(const Napi::CallbackInfo& info);
  Napi::Value GetExtension(const Napi::CallbackInfo& info);
  Napi::Value Sign(const Napi::CallbackInfo& info);
  Napi::Value Digest(const Napi::CallbackInfo& info);
  Napi::Value SubjectNameHash(const Napi::CallbackInfo& info);
  Napi::Value GetSignatureAlgorithm(const Napi::CallbackInfo& info);
  Napi::Value VerifySignature(const Napi::CallbackInfo& info);
  Napi::Value CheckHost(const Napi::CallbackInfo& info);
  Napi::Value CheckCa(const Napi::CallbackInfo& info);
  Napi::Value CheckPurpose(const Napi::CallbackInfo& info);
  Napi::Value FindExtension(const Napi::CallbackInfo& info);
  Napi::Value Dump(const Napi::CallbackInfo& info);
  // The lazy form's fields, decoded on first use; null with an exception pending.
  const LazyCertInfo* LazyInfo(Napi::Env env);
  // From whichever form; false with an exception pending.
  bool Time(Napi::Env env, int which, const ASN1_TIME** out);
  bool Extensions(Napi::Env env, const STACK_OF(X509_EXTENSION)** out);
  X509Pointer x509_;
  // Kept after the full certificate is made, so a name pointer read from it never dangles; read
  // only while x509_ is null.
  LazyCertPointer lazy_;
};

// Unwrapping a certificate argument makes the full certificate (a TypeError or OpenSSL's error
// otherwise), so `get()` is always usable on the result.
template <>
X509Wrap* UnwrapAs<X509Wrap>(Napi::Value v, const char* param);

// An X509Name is either owned or a live view of a name inside another object (the subject or issuer
// of a certificate). A view keeps its owner alive (a read-only "owner" property) and looks the name up
// again on every use, so replacing the owner's name never leaves the view dangling.
class X509NameWrap : public Napi::ObjectWrap<X509NameWrap> {
 public:
  OSSL_TAGGED_UNWRAP(X509NameWrap)

 public:
  static constexpr napi_type_tag kTypeTag = type_tags::kX509Name;
  static constexpr const char* kExpected = "an X509Name";
  enum Source { kOwned = 0, kCertSubject = 1, kCertIssuer = 2, kReqSubject = 3 };
  static void Init(Napi::Env env, Napi::Object exports);
  explicit X509NameWrap(const Napi::CallbackInfo& info);
  X509_NAME* get() const;
  // The name to change: for a view of a loaded certificate, its full form is made first.
  X509_NAME* GetForWrite(Napi::Env env);
  static Napi::Value NewView(Napi::Env env, Napi::Object owner, Source source);
  static Napi::Value NewOwned(Napi::Env env, X509NamePointer name);

 private:
  Napi::Value GetEntry(const Napi::CallbackInfo& info);
  Napi::Value SetEntry(const Napi::CallbackInfo& info);
  Napi::Value Hash(const Napi::CallbackInfo& info);
  Napi::Value Der(const Napi::CallbackInfo& info);
  Napi::Value GetComponents(const Napi::CallbackInfo& info);
  Napi::Value Compare(const Napi::CallbackInfo& info);
  Napi::Value Oneline(const Napi::CallbackInfo& info);
  Napi::Value Print(const Napi::CallbackInfo& info);
  Napi::Value EntryCount(const Napi::CallbackInfo& info);
  Napi::Value Copy(const Napi::CallbackInfo& info);
  Source source_ = kOwned;
  X509NamePointer owned_;
  Napi::ObjectReference owner_;
};

class X509ExtWrap : public Napi::ObjectWrap<X509ExtWrap> {
 public:
  OSSL_TAGGED_UNWRAP(X509ExtWrap)

 public:
  static constexpr napi_type_tag kTypeTag = type_tags::kX509Extension;
  static constexpr const char* kExpected = "an X509Extension";
  static void Init(Napi::Env env, Napi::Object exports);
  explicit X509ExtWrap(const Napi::CallbackInfo& info);
  X509_EXTENSION* get() const { return ext_.get(); }
  static Napi::Value NewOwned(Napi::Env env, X509ExtPointer ext);

 private:
  Napi::Value GetCritical(const Napi::CallbackInfo& info);
  Napi::Value GetShortName(const Napi::CallbackInfo& info);
  Napi::Value GetOid(const Napi::CallbackInfo& info);
  Napi::Value GetData(const Napi::CallbackInfo& info);
  Napi::Value ToText(const Napi::CallbackInfo& info);
  X509ExtPointer ext_;
};

class X509ReqWrap : public Napi::ObjectWrap<X509ReqWrap> {
 public:
  OSSL_TAGGED_UNWRAP(X509ReqWrap)

 public:
  static constexpr napi_type_tag kTypeTag = type_tags::kX509Req;
  static constexpr const char* kExpected = "an X509Req";
  static void Init(Napi::Env env, Napi::Object exports);
  explicit X509ReqWrap(const Napi::CallbackInfo& info);
  X509_REQ* get() const { return req_.get(); }

 private:
  Napi::Value SetPubkey(const Napi::CallbackInfo& info);
  Napi::Value GetPubkey(const Napi::CallbackInfo& info);
  Napi::Value SetVersion(const Napi::CallbackInfo& info);
  Napi::Value GetVersion(const Napi::CallbackInfo& info);
  Napi::Value GetSubject(const Napi::CallbackInfo& info);
  Napi::Value AddExtensions(const Napi::CallbackInfo& info);
  Napi::Value GetExtensions(const Napi::CallbackInfo& info);
  Napi::Value Sign(const Napi::CallbackInfo& info);
  Napi::Value Verify(const Napi::CallbackInfo& info);
  Napi::Value Dump(const Napi::CallbackInfo& info);
  Owned<X509_REQ, X509_REQ_free> req_;
};

class X509StoreWrap : public Napi::ObjectWrap<X509StoreWrap> {
 public:
  OSSL_TAGGED_UNWRAP(X509StoreWrap)

 public:
  static constexpr napi_type_tag kTypeTag = type_tags::kX509Store;
  static constexpr const char* kExpected = "an X509Store";
  static void Init(Napi::Env env, Napi::Object exports);
  explicit X509StoreWrap(const Napi::CallbackInfo& info);
  X509_STORE* get() const { return store_.get(); }

 private:
  Napi::Value AddCert(const Napi::CallbackInfo& info);
  Napi::Value AddCrl(const Napi::CallbackInfo& info);
  Napi::Value SetFlags(const Napi::CallbackInfo& info);
  Napi::Value SetTime(const Napi::CallbackInfo& info);
  Napi::Value SetDepth(const Napi::CallbackInfo& info);
  Napi::Value SetPurpose(const Napi::CallbackInfo& info);
  Napi::Value LoadLocations(const Napi::CallbackInfo& info);
  Napi::Value SetDefaultPaths(const Napi::CallbackInfo& info);
  Napi::Value Verify(const Napi::CallbackInfo& info);
  Napi::Value VerifyAsync(const Napi::CallbackInfo& info);
  // An X509Store around an existing store (a Context's); takes its own reference.
 public:
  static Napi::Value NewFromRef(Napi::Env env, X509_STORE* store);

 private:
  Owned<X509_STORE, X509_STORE_free> store_;
};

// Whether an asynchronous verification is running against `store` (on this thread's behalf): its
// lookup methods must not change until it ends.
bool StoreVerifying(const X509_STORE* store);
// Throws the error for a store that is busy verifying asynchronously.
Napi::Value ThrowBusy(Napi::Env env);

// A Certificate Transparency log store (CTLOG_STORE), loaded from an OpenSSL CT log list file (ct.cc).
class CTLogStoreWrap : public Napi::ObjectWrap<CTLogStoreWrap> {
 public:
  OSSL_TAGGED_UNWRAP(CTLogStoreWrap)

  static constexpr napi_type_tag kTypeTag = type_tags::kCTLogStore;
  static constexpr const char* kExpected = "a CTLogStore";
  static void Init(Napi::Env env, Napi::Object exports);
  explicit CTLogStoreWrap(const Napi::CallbackInfo& info);
  CTLOG_STORE* get() const { return store_.get(); }

 private:
  Napi::Value GetLog(const Napi::CallbackInfo& info);
  Owned<CTLOG_STORE, CTLOG_STORE_free> store_;
};

// SCTs as JavaScript objects ({version, logId, timestamp, ..., validationStatus, tls}) (ct.cc).
Napi::Value SctToObject(Napi::Env env, const SCT* sct);
Napi::Value SctListToArray(Napi::Env env, const STACK_OF(SCT)* scts);

class CRLWrap : public Napi::ObjectWrap<CRLWrap> {
 public:
  OSSL_TAGGED_UNWRAP(CRLWrap)

 public:
  static constexpr napi_type_tag kTypeTag = type_tags::kCRL;
  static constexpr const char* kExpected = "a CRL";
  static void Init(Napi::Env env, Napi::Object exports);
  explicit CRLWrap(const Napi::CallbackInfo& info);
  X509_CRL* get() const { return crl_.get(); }

 private:
  Napi::Value GetRevoked(const Napi::CallbackInfo& info);
  Napi::Value AddRevoked(const Napi::CallbackInfo& info);
  Napi::Value GetIssuer(const Napi::CallbackInfo& info);
  Napi::Value SetVersion(const Napi::CallbackInfo& info);
  Napi::Value GetVersion(const Napi::CallbackInfo& info);
  Napi::Value SetTime(const Napi::CallbackInfo& info);
  Napi::Value GetTime(const Napi::CallbackInfo& info);
  Napi::Value Sign(const Napi::CallbackInfo& info);
  Napi::Value VerifySignature(const Napi::CallbackInfo& info);
  Napi::Value Dump(const Napi::CallbackInfo& info);
  Owned<X509_CRL, X509_CRL_free> crl_;
};

class RevokedWrap : public Napi::ObjectWrap<RevokedWrap> {
 public:
  OSSL_TAGGED_UNWRAP(RevokedWrap)

 public:
  static constexpr napi_type_tag kTypeTag = type_tags::kRevoked;
  static constexpr const char* kExpected = "a Revoked";
  static void Init(Napi::Env env, Napi::Object exports);
  explicit RevokedWrap(const Napi::CallbackInfo& info);
  X509_REVOKED* get() const { return rev_.get(); }

 private:
  Napi::Value SetSerial(const Napi::CallbackInfo& info);
  Napi::Value GetSerial(const Napi::CallbackInfo& info);
  Napi::Value SetReason(const Napi::CallbackInfo& info);
  Napi::Value GetReason(const Napi::CallbackInfo& info);
  Napi::Value SetRevDate(const Napi::CallbackInfo& info);
  Napi::Value GetRevDate(const Napi::CallbackInfo& info);
  Owned<X509_REVOKED, X509_REVOKED_free> rev_;
};

// Module-level functions of each family.
void InitVersion(Napi::Env env, Napi::Object exports);
void InitPKeyFunctions(Napi::Env env, Napi::Object exports);
void InitOCSP(Napi::Env env, Napi::Object exports);
void InitCT(Napi::Env env, Napi::Object exports);
void InitX509Functions(Napi::Env env, Napi::Object exports);
void InitExtFunctions(Napi::Env env, Napi::Object exports);
void InitReqFunctions(Napi::Env env, Napi::Object exports);
void InitCRLFunctions(Napi::Env env, Napi::Object exports);
void InitPKCS12(Napi::Env env, Napi::Object exports);
void InitPKCS7(Napi::Env env, Napi::Object exports);
void InitSPKI(Napi::Env env, Napi::Object exports);
void InitEVP(Napi::Env env, Napi::Object exports);
void InitRand(Napi::Env env, Napi::Object exports);
void InitPyCert(Napi::Env env, Napi::Object exports);

// Shared helpers for the families.
const EVP_MD* DigestByName(Napi::Env env, Napi::Value v, const char* param, bool allow_null, bool* failed);
// A digest or cipher by any name users pass: OpenSSL's object names and aliases (EVP_get_*byname:
// `sha256`, `aes-128-cbc`), else a provider's names in any case (`SHA2-256`, `AES-256-GCM`), fetched
// once per process and kept (evp.cc). Null when nothing has the name; the error queue is left clean.
const EVP_MD* DigestNamed(const std::string& name);
const EVP_CIPHER* CipherNamed(const std::string& name);
Napi::Value TimeToString(Napi::Env env, const ASN1_TIME* t);
// Parses "YYYYMMDDhhmmssZ" (or UTCTime text) into a new ASN1_TIME; throws RangeError on failure.
ASN1TimePointer ParseTime(Napi::Env env, Napi::Value v, const char* param);
// Wraps every certificate of a stack (new references) in a JS array.
Napi::Value CertStackToArray(Napi::Env env, const STACK_OF(X509)* stack);
// Builds a stack of new references from a JS array of X509 handles; null on a bad element (throws).
inline void FreeCertStack(STACK_OF(X509)* s) { sk_X509_pop_free(s, X509_free); }
using X509StackPointer = std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509)*)>;
X509StackPointer ArrayToCertStack(Napi::Env env, Napi::Value v, const char* param, bool* ok);
// The same, where null or undefined means no stack (a null pointer, *ok true).
X509StackPointer OptionalCertStack(Napi::Env env, Napi::Value v, const char* param, bool* ok);

}  // namespace ossl
