// Shared pieces of the native layer: owning pointer aliases, the error-queue guard, argument helpers,
// and per-environment state. Every OpenSSL pointer that we own lives in one of the aliases below;
// raw pointers are short-lived borrowed get0 values.
#pragma once

#include <napi.h>

#include "common/type_tags.h"

#include <openssl/asn1.h>
#include <openssl/asn1err.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <vector>

namespace ossl {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const noexcept { Free(p); }
};
template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;

inline void FreeBio(BIO* b) { BIO_free_all(b); }
inline void FreeOpensslString(char* s) { OPENSSL_free(s); }
inline void FreeOpensslBytes(unsigned char* s) { OPENSSL_free(s); }

using BIOPointer = Owned<BIO, FreeBio>;
using BNPointer = Owned<BIGNUM, BN_free>;
using X509Pointer = Owned<X509, X509_free>;
using X509NamePointer = Owned<X509_NAME, X509_NAME_free>;
using X509ExtPointer = Owned<X509_EXTENSION, X509_EXTENSION_free>;
using EVPKeyPointer = Owned<EVP_PKEY, EVP_PKEY_free>;
using EVPKeyCtxPointer = Owned<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using SSLCtxPointer = Owned<SSL_CTX, SSL_CTX_free>;
using SSLPointer = Owned<SSL, SSL_free>;
using ASN1IntPointer = Owned<ASN1_INTEGER, ASN1_INTEGER_free>;
using ASN1TimePointer = Owned<ASN1_TIME, ASN1_TIME_free>;
using ASN1GenTimePointer = Owned<ASN1_GENERALIZEDTIME, ASN1_GENERALIZEDTIME_free>;
using OpensslString = Owned<char, FreeOpensslString>;
using OpensslBytes = Owned<unsigned char, FreeOpensslBytes>;

// pyOpenSSL's file types.
inline constexpr int kFiletypePem = 1;
inline constexpr int kFiletypeAsn1 = 2;
inline constexpr int kFiletypeText = 65535;

// Every entry point opens one of these: OpenSSL's error queue is empty when our code starts and
// empty again when control returns to JavaScript, whatever path we leave by.
// (The queue is only cleared when it holds something: ERR_peek_error is the cheaper test, and the
// hot I/O calls pass through here several times per record.)
class ErrGuard {
 public:
  ErrGuard() { Clear(); }
  ~ErrGuard() { Clear(); }
  static void Clear() {
    if (ERR_peek_error() != 0) ERR_clear_error();
  }
  ErrGuard(const ErrGuard&) = delete;
  ErrGuard& operator=(const ErrGuard&) = delete;
};

// One entry of the error queue, captured as plain data (so a worker thread can take it).
struct ErrorEntry {
  std::string library;
  std::string function;
  std::string reason;
  std::string data;
  unsigned long code = 0;
};
// Drains the calling thread's error queue, oldest first.
std::vector<ErrorEntry> CaptureErrors();
Napi::Error MakeOpenSSLError(Napi::Env env, const std::string& what, const std::vector<ErrorEntry>& entries);

// Some providers report a signature mismatch without a reason; this queues OpenSSL's own
// "bad signature" (from the key's library) when the queue is empty.
void RaiseBadSignatureIfQuiet(const EVP_PKEY* key);

// Builds a JS Error from the OpenSSL error queue (drained, oldest first) with `errors`
// ([{library, function, reason, code}]), `code` (ERR_OSSL_<LIB>_<REASON>) and `opensslError: true`.
// `what` says which operation failed; it leads the message.
Napi::Error MakeOpenSSLError(Napi::Env env, const std::string& what);
// Throws MakeOpenSSLError(...) as a pending JS exception. Returns an undefined Value for `return`.
Napi::Value ThrowOpenSSL(Napi::Env env, const std::string& what);
// What a value is, for messages: `number`, `null`, `Buffer`, `Uint16Array`, `object`, ...
std::string DescribeValue(Napi::Value v);
// A TypeError naming the parameter: `"<param>" must be <expected>, got <type>`.
Napi::Value ThrowType(Napi::Env env, const char* param, const char* expected, Napi::Value got);
Napi::Value ThrowValue(Napi::Env env, const std::string& message);  // RangeError-like input errors.

// Input bytes from a Buffer/Uint8Array or a string (UTF-8). The view is valid while the Value is.
struct Bytes {
  const unsigned char* data = nullptr;
  size_t size = 0;
  std::string storage;  // holds a string argument's UTF-8 bytes; `data` then points into it
  bool ok = false;

  Bytes() = default;
  Bytes(const Bytes& other) { *this = other; }
  Bytes& operator=(const Bytes& other) {
    if (this == &other) return *this;
    storage = other.storage;
    size = other.size;
    ok = other.ok;
    // A copy of a string argument must point into its own storage, not the original's.
    bool owned = other.data != nullptr && other.data == reinterpret_cast<const unsigned char*>(other.storage.data());
    data = owned ? reinterpret_cast<const unsigned char*>(storage.data()) : other.data;
    return *this;
  }
};
Bytes GetBytes(Napi::Value v, const char* param);  // throws TypeError and returns ok=false on bad type
bool GetString(Napi::Value v, const char* param, std::string* out);
bool GetInt(Napi::Value v, const char* param, int64_t* out);

// Whether `text` is an IPv4 or IPv6 address literal (no brackets, no NUL byte).
bool IsIpLiteral(const std::string& text);

// Copies what a memory BIO holds into a new Buffer.
Napi::Value BioToBuffer(Napi::Env env, BIO* bio);
Napi::Value BioToString(Napi::Env env, BIO* bio);
BIOPointer MemBioFrom(const Bytes& b);  // read-only view over `b`
BIOPointer NewMemBio();

// Per-environment state (worker threads each get their own): constructors used to wrap the
// objects that native code hands back to JavaScript.
struct AddonData {
  Napi::FunctionReference pkey;
  Napi::FunctionReference x509;
  Napi::FunctionReference x509_name;
  Napi::FunctionReference x509_ext;
  Napi::FunctionReference ssl_ctx;
  Napi::FunctionReference ssl;
  Napi::FunctionReference x509_req;
  Napi::FunctionReference x509_store;
  Napi::FunctionReference crl;
  Napi::FunctionReference revoked;
  Napi::FunctionReference pkcs7;
  Napi::FunctionReference spki;
  Napi::FunctionReference digest;
  Napi::FunctionReference hmac;
  Napi::FunctionReference cipher;
  Napi::FunctionReference session;
};
inline AddonData* Data(Napi::Env env) { return env.GetInstanceData<AddonData>(); }

// Every wrapped class declares OSSL_TAGGED_UNWRAP(Class). node-addon-api finds `this` for instance
// methods through T::Unwrap, so this check also covers `Method.call(otherObject)`: an object of
// another class (or a plain object) is a TypeError, never reinterpreted memory.
template <typename T>
T* CheckedUnwrap(Napi::Object o) {
  Napi::Env env = o.Env();
  if (!o.CheckTypeTag(&T::kTypeTag)) {
    if (!env.IsExceptionPending()) {
      Napi::TypeError::New(env, "Illegal invocation: the receiver is not the native object this method belongs to")
          .ThrowAsJavaScriptException();
    }
    return nullptr;
  }
  return Napi::ObjectWrap<T>::Unwrap(o);
}
#define OSSL_TAGGED_UNWRAP(Class) \
  static Class* Unwrap(Napi::Object o) { return CheckedUnwrap<Class>(o); }

// Type-tagged unwrapping: an object of the wrong class is a TypeError, never a reinterpretation.
template <typename T>
T* UnwrapAs(Napi::Value v, const char* param) {
  if (v.IsObject()) {
    Napi::Object o = v.As<Napi::Object>();
    if (o.CheckTypeTag(&T::kTypeTag)) return T::Unwrap(o);
  }
  ThrowType(v.Env(), param, T::kExpected, v);
  return nullptr;
}

// The body of a constructor for class T that owns one OpenSSL object in `slot`: adopt the External
// that native code passes (see WrapNew), or make an empty object with `make`. Tags `this` only when
// it holds an object, so a failed construction is never mistaken for a T.
template <typename T, typename Ptr, typename Raw>
void AdoptOrCreate(const Napi::CallbackInfo& info, Ptr& slot, Raw* (*make)(), const char* failure) {
  if (info.Length() >= 1 && info[0].IsExternal()) {
    slot.reset(info[0].As<Napi::External<Raw>>().Data());
  } else {
    slot.reset(make());
  }
  if (!slot) {
    ThrowOpenSSL(info.Env(), failure);
    return;
  }
  info.This().As<Napi::Object>().TypeTag(&T::kTypeTag);
}

// Wraps a freshly owned pointer in a new JS object of class T (constructed from an External).
template <typename T, typename P>
Napi::Value WrapNew(Napi::Env env, Napi::FunctionReference& ctor, P* owned) {
  if (owned == nullptr) return ThrowOpenSSL(env, "allocation failed");
  Napi::Value ext = Napi::External<P>::New(env, owned);
  Napi::Object obj = ctor.New({ext});
  if (env.IsExceptionPending()) return env.Undefined();
  return obj;
}

}  // namespace ossl
