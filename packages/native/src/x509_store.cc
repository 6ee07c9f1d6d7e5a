// X509Store and chain verification (X509_STORE, X509_STORE_CTX).
#include <unordered_map>

#include "objects.h"

namespace ossl {

namespace {
using StoreCtxPointer = Owned<X509_STORE_CTX, X509_STORE_CTX_free>;
using X509StorePointer = Owned<X509_STORE, X509_STORE_free>;
}  // namespace

void X509StoreWrap::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "X509Store",
      {
          InstanceMethod<&X509StoreWrap::AddCert>("addCert"),
          InstanceMethod<&X509StoreWrap::AddCrl>("addCrl"),
          InstanceMethod<&X509StoreWrap::SetFlags>("setFlags"),
          InstanceMethod<&X509StoreWrap::SetTime>("setTime"),
          InstanceMethod<&X509StoreWrap::SetDepth>("setDepth"),
          InstanceMethod<&X509StoreWrap::SetPurpose>("setPurpose"),
          InstanceMethod<&X509StoreWrap::LoadLocations>("loadLocations"),
          InstanceMethod<&X509StoreWrap::SetDefaultPaths>("setDefaultPaths"),
          InstanceMethod<&X509StoreWrap::Verify>("verify"),
          InstanceMethod<&X509StoreWrap::VerifyAsync>("verifyAsync"),
      });
  Data(env)->x509_store = Napi::Persistent(ctor);
  exports.Set("X509Store", ctor);
  Napi::Object flags = Napi::Object::New(env);
  flags.Set("CRL_CHECK", Napi::Number::New(env, X509_V_FLAG_CRL_CHECK));
  flags.Set("CRL_CHECK_ALL", Napi::Number::New(env, X509_V_FLAG_CRL_CHECK_ALL));
  flags.Set("IGNORE_CRITICAL", Napi::Number::New(env, X509_V_FLAG_IGNORE_CRITICAL));
  flags.Set("X509_STRICT", Napi::Number::New(env, X509_V_FLAG_X509_STRICT));
  flags.Set("ALLOW_PROXY_CERTS", Napi::Number::New(env, X509_V_FLAG_ALLOW_PROXY_CERTS));
  flags.Set("POLICY_CHECK", Napi::Number::New(env, X509_V_FLAG_POLICY_CHECK));
  flags.Set("EXPLICIT_POLICY", Napi::Number::New(env, X509_V_FLAG_EXPLICIT_POLICY));
  flags.Set("INHIBIT_ANY", Napi::Number::New(env, X509_V_FLAG_INHIBIT_ANY));
  flags.Set("INHIBIT_MAP", Napi::Number::New(env, X509_V_FLAG_INHIBIT_MAP));
  flags.Set("NOTIFY_POLICY", Napi::Number::New(env, X509_V_FLAG_NOTIFY_POLICY));
  flags.Set("CHECK_SS_SIGNATURE", Napi::Number::New(env, X509_V_FLAG_CHECK_SS_SIGNATURE));
  flags.Set("PARTIAL_CHAIN", Napi::Number::New(env, X509_V_FLAG_PARTIAL_CHAIN));
  flags.Set("TRUSTED_FIRST", Napi::Number::New(env, X509_V_FLAG_TRUSTED_FIRST));
  flags.Set("NO_CHECK_TIME", Napi::Number::New(env, X509_V_FLAG_NO_CHECK_TIME));
  exports.Set("X509StoreFlags", flags);
  Napi::Object purposes = Napi::Object::New(env);
  purposes.Set("SSL_CLIENT", Napi::Number::New(env, X509_PURPOSE_SSL_CLIENT));
  purposes.Set("SSL_SERVER", Napi::Number::New(env, X509_PURPOSE_SSL_SERVER));
  purposes.Set("SMIME_SIGN", Napi::Number::New(env, X509_PURPOSE_SMIME_SIGN));
  purposes.Set("SMIME_ENCRYPT", Napi::Number::New(env, X509_PURPOSE_SMIME_ENCRYPT));
  purposes.Set("CRL_SIGN", Napi::Number::New(env, X509_PURPOSE_CRL_SIGN));
  purposes.Set("ANY", Napi::Number::New(env, X509_PURPOSE_ANY));
  exports.Set("X509Purpose", purposes);
}

Napi::Value X509StoreWrap::NewFromRef(Napi::Env env, X509_STORE* store) {
  if (store == nullptr || X509_STORE_up_ref(store) != 1) return ThrowOpenSSL(env, "no store");
  return Data(env)->x509_store.New({Napi::External<X509_STORE>::New(env, store)});  // adopts the reference
}

X509StoreWrap::X509StoreWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<X509StoreWrap>(info) {
  AdoptOrCreate<X509StoreWrap>(info, store_, X509_STORE_new, "could not create a store");
}

Napi::Value X509StoreWrap::AddCert(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  X509Wrap* cert = UnwrapAs<X509Wrap>(info[0], "cert");
  if (cert == nullptr) return info.Env().Undefined();
  // X509_STORE_add_cert takes its own reference.
  if (X509_STORE_add_cert(store_.get(), cert->get()) != 1) return ThrowOpenSSL(info.Env(), "could not add the certificate");
  return info.Env().Undefined();
}

Napi::Value X509StoreWrap::AddCrl(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  CRLWrap* crl = UnwrapAs<CRLWrap>(info[0], "crl");
  if (crl == nullptr) return info.Env().Undefined();
  if (X509_STORE_add_crl(store_.get(), crl->get()) != 1) return ThrowOpenSSL(info.Env(), "could not add the CRL");
  return info.Env().Undefined();
}

Napi::Value X509StoreWrap::SetFlags(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  int64_t flags = 0;
  if (!GetInt(info[0], "flags", &flags)) return info.Env().Undefined();
  if (X509_STORE_set_flags(store_.get(), static_cast<unsigned long>(flags)) != 1) return ThrowOpenSSL(info.Env(), "could not set the flags");
  return info.Env().Undefined();
}

// setTime(secondsSinceEpoch): verify as if it were that time (X509_VERIFY_PARAM_set_time).
Napi::Value X509StoreWrap::SetTime(const Napi::CallbackInfo& info) {
  int64_t t = 0;
  if (!GetInt(info[0], "time", &t)) return info.Env().Undefined();
  X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store_.get()), static_cast<time_t>(t));
  return info.Env().Undefined();
}

Napi::Value X509StoreWrap::SetDepth(const Napi::CallbackInfo& info) {
  int64_t depth = 0;
  if (!GetInt(info[0], "depth", &depth)) return info.Env().Undefined();
  if (depth < 0 || depth > INT32_MAX) return ThrowValue(info.Env(), "depth must be a non-negative integer");
  X509_STORE_set_depth(store_.get(), static_cast<int>(depth));
  return info.Env().Undefined();
}

Napi::Value X509StoreWrap::SetPurpose(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  int64_t purpose = 0;
  if (!GetInt(info[0], "purpose", &purpose)) return info.Env().Undefined();
  if (X509_STORE_set_purpose(store_.get(), static_cast<int>(purpose)) != 1) return ThrowOpenSSL(info.Env(), "unknown purpose");
  return info.Env().Undefined();
}

Napi::Value X509StoreWrap::LoadLocations(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::string file, path;
  bool has_file = false, has_path = false;
  if (!info[0].IsUndefined() && !info[0].IsNull()) {
    if (!GetString(info[0], "cafile", &file)) return env.Undefined();
    has_file = true;
  }
  if (!info[1].IsUndefined() && !info[1].IsNull()) {
    if (!GetString(info[1], "capath", &path)) return env.Undefined();
    has_path = true;
  }
  if (!has_file && !has_path) return ThrowValue(env, "cafile and capath cannot both be null");
  if (StoreVerifying(store_.get())) return ThrowBusy(env);
  if ((has_file && file.find('\0') != std::string::npos) || (has_path && path.find('\0') != std::string::npos)) {
    return ThrowValue(env, "path contains a NUL byte");
  }
  if (X509_STORE_load_locations(store_.get(), has_file ? file.c_str() : nullptr, has_path ? path.c_str() : nullptr) != 1) {
    return ThrowOpenSSL(env, "could not load the locations");
  }
  return env.Undefined();
}

Napi::Value X509StoreWrap::SetDefaultPaths(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  if (StoreVerifying(store_.get())) return ThrowBusy(info.Env());
  if (X509_STORE_set_default_paths(store_.get()) != 1) return ThrowOpenSSL(info.Env(), "could not set the default paths");
  return info.Env().Undefined();
}

namespace {

// Asynchronous verifications in flight, per store. Counted on the JavaScript thread only (the count
// goes up when a verification is queued and down when its worker is deleted, both on this thread);
// a store is never shared between threads that run JavaScript.
thread_local std::unordered_map<const X509_STORE*, int> verifying;

// OpenSSL does not lock a store's list of lookup methods: the verifier walks it while
// X509_STORE_add_lookup may grow it. Loading locations is refused while a worker verifies.
class StoreInUse {
 public:
  explicit StoreInUse(const X509_STORE* store) : store_(store) { ++verifying[store_]; }
  ~StoreInUse() {
    if (--verifying[store_] == 0) verifying.erase(store_);
  }
  StoreInUse(const StoreInUse&) = delete;
  StoreInUse& operator=(const StoreInUse&) = delete;

 private:
  const X509_STORE* store_;
};

// The set-up of one verification, made on the JavaScript thread: its own copies of the certificate
// and the untrusted chain (the caller may change theirs while a worker verifies), and the store's
// settings copied into the context by X509_STORE_CTX_init.
struct Verification {
  X509StorePointer store;  // a reference of its own, freed after ctx
  X509Pointer leaf;
  X509StackPointer untrusted{nullptr, FreeCertStack};
  StoreCtxPointer ctx;
  int result = 0;
};

X509StackPointer DupStack(const STACK_OF(X509)* stack) {
  X509StackPointer copy(sk_X509_new_null(), FreeCertStack);
  if (!copy) return copy;
  for (int i = 0; i < sk_X509_num(stack); i++) {
    X509Pointer c(X509_dup(sk_X509_value(stack, i)));
    if (!c || sk_X509_push(copy.get(), c.get()) == 0) return X509StackPointer(nullptr, FreeCertStack);
    c.release();
  }
  return copy;
}

// Reads (certificate, chain?) and sets up a verification; false with a pending exception.
bool PrepareVerification(const Napi::CallbackInfo& info, X509_STORE* store, bool copy, Verification* v) {
  Napi::Env env = info.Env();
  X509Wrap* cert = UnwrapAs<X509Wrap>(info[0], "certificate");
  if (cert == nullptr) return false;
  bool untrusted_ok = false;
  X509StackPointer untrusted = OptionalCertStack(env, info[1], "chain", &untrusted_ok);
  if (!untrusted_ok) return false;
  if (X509_STORE_up_ref(store) != 1) {
    ThrowOpenSSL(env, "could not set up verification");
    return false;
  }
  v->store.reset(store);
  if (copy) {
    v->leaf.reset(X509_dup(cert->get()));
    if (untrusted) untrusted = DupStack(untrusted.get());
    if (!v->leaf || (!untrusted && !info[1].IsUndefined() && !info[1].IsNull())) {
      ThrowOpenSSL(env, "could not copy the certificates");
      return false;
    }
  } else {
    if (X509_up_ref(cert->get()) != 1) {
      ThrowOpenSSL(env, "could not set up verification");
      return false;
    }
    v->leaf.reset(cert->get());
  }
  v->untrusted = std::move(untrusted);
  v->ctx.reset(X509_STORE_CTX_new());
  if (!v->ctx || X509_STORE_CTX_init(v->ctx.get(), store, v->leaf.get(), v->untrusted.get()) != 1) {
    ThrowOpenSSL(env, "could not set up verification");
    return false;
  }
  return true;
}

// On success the verified chain (leaf first) as an array; on failure {code, depth, message, cert}:
// OpenSSL's X509_V_ERR_* code, the depth and certificate it failed at. Throws when it could not run.
Napi::Value VerificationResult(Napi::Env env, const Verification& v, const std::vector<ErrorEntry>& errors) {
  X509_STORE_CTX* ctx = v.ctx.get();
  if (v.result == 1) {
    STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx);  // borrowed from ctx
    return CertStackToArray(env, chain);
  }
  int code = X509_STORE_CTX_get_error(ctx);
  if (v.result < 0 || code == X509_V_OK) {
    MakeOpenSSLError(env, "verification could not run", errors).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object failure = Napi::Object::New(env);
  failure.Set("code", Napi::Number::New(env, code));
  failure.Set("depth", Napi::Number::New(env, X509_STORE_CTX_get_error_depth(ctx)));
  failure.Set("message", Napi::String::New(env, X509_verify_cert_error_string(code)));
  X509* failed = X509_STORE_CTX_get_current_cert(ctx);  // borrowed
  if (failed != nullptr) {
    X509_up_ref(failed);
    failure.Set("cert", X509Wrap::NewOwned(env, X509Pointer(failed)));
  } else {
    failure.Set("cert", env.Null());
  }
  return failure;
}

// verifyAsync's worker: X509_verify_cert on the libuv thread pool.
class VerifyWorker : public Napi::AsyncWorker {
 public:
  VerifyWorker(Napi::Env env, Verification v)
      : Napi::AsyncWorker(env, "ossl:verifyCertificate"), deferred_(Napi::Promise::Deferred::New(env)), v_(std::move(v)),
        in_use_(v_.store.get()) {}
  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    // The error queue is per thread: start clean and keep what this verification queued.
    ERR_clear_error();
    v_.result = X509_verify_cert(v_.ctx.get());
    if (v_.result < 0) errors_ = CaptureErrors();
    ERR_clear_error();
  }
  void OnOK() override {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    Napi::Value result = VerificationResult(env, v_, errors_);
    if (env.IsExceptionPending()) {
      deferred_.Reject(env.GetAndClearPendingException().Value());
      return;
    }
    deferred_.Resolve(result);
  }

 private:
  Napi::Promise::Deferred deferred_;
  Verification v_;
  StoreInUse in_use_;
  std::vector<ErrorEntry> errors_;
};

}  // namespace

bool StoreVerifying(const X509_STORE* store) {
  auto it = verifying.find(store);
  return it != verifying.end() && it->second > 0;
}

Napi::Value ThrowBusy(Napi::Env env) {
  Napi::Error err = MakeOpenSSLError(env, "the store is verifying asynchronously: load locations before or after, not during", {});
  err.Value().Set("code", Napi::String::New(env, "ERR_OSSL_STORE_BUSY"));
  err.ThrowAsJavaScriptException();
  return env.Undefined();
}

// verify(cert, untrusted?): see VerificationResult.
Napi::Value X509StoreWrap::Verify(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  Verification v;
  if (!PrepareVerification(info, store_.get(), false, &v)) return env.Undefined();
  v.result = X509_verify_cert(v.ctx.get());
  std::vector<ErrorEntry> errors;
  if (v.result < 0) errors = CaptureErrors();
  ERR_clear_error();
  return VerificationResult(env, v, errors);
}

// verifyAsync(cert, untrusted?) -> Promise of verify's result, verified on the libuv thread pool from
// copies of the certificates.
Napi::Value X509StoreWrap::VerifyAsync(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Verification v;
  if (!PrepareVerification(info, store_.get(), true, &v)) return info.Env().Undefined();
  auto* worker = new VerifyWorker(info.Env(), std::move(v));  // deletes itself when done
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace ossl
