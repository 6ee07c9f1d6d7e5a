// PKey: asymmetric keys (EVP_PKEY) — generation, loading and dumping in PEM, DER and text.
#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/dsa.h>
#include <openssl/ec.h>
#include <openssl/pem.h>

#include <vector>

#include "common/passphrase.h"
#include "objects.h"

namespace ossl {

namespace {
}  // namespace

void PKeyWrap::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "PKey",
      {
          InstanceMethod<&PKeyWrap::Type>("type"),
          InstanceMethod<&PKeyWrap::Bits>("bits"),
          InstanceMethod<&PKeyWrap::Check>("check"),
          InstanceMethod<&PKeyWrap::OnlyPublic>("onlyPublic"),
          InstanceMethod<&PKeyWrap::Equals>("equals"),
          InstanceMethod<&PKeyWrap::StreamInit>("streamInit"),
          InstanceMethod<&PKeyWrap::StreamUpdate>("streamUpdate"),
          InstanceMethod<&PKeyWrap::SignFinal>("signFinal"),
          InstanceMethod<&PKeyWrap::VerifyFinal>("verifyFinal"),
      });
  Data(env)->pkey = Napi::Persistent(ctor);
  exports.Set("PKey", ctor);
}

PKeyWrap::PKeyWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<PKeyWrap>(info) {
  // Only native code constructs keys: it passes the EVP_PKEY to adopt as an External.
  if (info.Length() < 1 || !info[0].IsExternal()) {
    Napi::TypeError::New(info.Env(), "PKey handles are created by @ossl/native functions").ThrowAsJavaScriptException();
    return;
  }
  pkey_.reset(info[0].As<Napi::External<EVP_PKEY>>().Data());
  only_public_ = info.Length() > 1 && info[1].ToBoolean().Value();
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
}

Napi::Value PKeyWrap::NewOwned(Napi::Env env, EVPKeyPointer pkey, bool only_public) {
  if (!pkey) return ThrowOpenSSL(env, "no key");
  Napi::Value ext = Napi::External<EVP_PKEY>::New(env, pkey.release());  // adopted by the constructor
  return Data(env)->pkey.New({ext, Napi::Boolean::New(env, only_public)});
}

Napi::Value PKeyWrap::NewFromRef(Napi::Env env, EVP_PKEY* pkey, bool only_public) {
  if (pkey == nullptr || EVP_PKEY_up_ref(pkey) != 1) return ThrowOpenSSL(env, "no key");
  return NewOwned(env, EVPKeyPointer(pkey), only_public);
}

EVPKeyPointer ProviderCopyIfLegacy(EVP_PKEY* pkey) {
  if (!IsLegacyKey(pkey)) return EVPKeyPointer(nullptr);
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(pkey, &der);
  if (len <= 0) return EVPKeyPointer(nullptr);
  OpensslBytes owned(der);
  const unsigned char* p = der;
  return EVPKeyPointer(d2i_PUBKEY(nullptr, &p, len));
}

namespace {

void FreeLegacyCopy(void* /*parent*/, void* copy, CRYPTO_EX_DATA* /*ad*/, int /*idx*/, long /*argl*/, void* /*argp*/) {
  EVP_PKEY_free(static_cast<EVP_PKEY*>(copy));
}

// EVP_PKEY_dup copies ex_data pointers as they are unless told otherwise: the duplicate starts
// without a legacy copy (it makes its own on need), so that freeing one key never frees the other's.
int DupLegacyCopy(CRYPTO_EX_DATA* /*to*/, const CRYPTO_EX_DATA* /*from*/, void** copy, int /*idx*/, long /*argl*/, void* /*argp*/) {
  *copy = nullptr;
  return 1;
}

// The ex_data slot where an EVP_PKEY keeps its legacy public copy, so that every wrapper of the same
// key (each X509Req.getPubkey() makes a new one) shares one copy; it is freed with the key.
int LegacyCopyIndex() {
  static const int index = EVP_PKEY_get_ex_new_index(0, nullptr, nullptr, DupLegacyCopy, FreeLegacyCopy);
  return index;
}

}  // namespace

EVP_PKEY* PKeyWrap::ForSetPubkey() {
  int index = LegacyCopyIndex();
  if (index < 0) return pkey_.get();
  auto* cached = static_cast<EVP_PKEY*>(EVP_PKEY_get_ex_data(pkey_.get(), index));
  if (cached != nullptr) return cached;
  if (legacy_tried_) return pkey_.get();  // not an RSA or EC key, or the copy failed
  legacy_tried_ = true;
  EVPKeyPointer copy(LegacyPublicCopy(pkey_.get()));
  if (!copy || EVP_PKEY_set_ex_data(pkey_.get(), index, copy.get()) != 1) {
    ERR_clear_error();
    return pkey_.get();
  }
  return copy.release();  // owned by the key's ex_data from here
}

Napi::Value PKeyWrap::Type(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), EVP_PKEY_get_base_id(pkey_.get()));
}

Napi::Value PKeyWrap::Bits(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), EVP_PKEY_get_bits(pkey_.get()));
}

Napi::Value PKeyWrap::OnlyPublic(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), only_public_);
}

// Streaming signatures (M2Crypto's sign_init/sign_update/sign_final and the verify_ ones), one at a
// time per key object: streamInit(kSign | kVerify, digest|null), streamUpdate(data) any number of
// times, then signFinal() or verifyFinal(signature), which end the stream.
Napi::Value PKeyWrap::StreamInit(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t mode = 0;
  if (!GetInt(info[0], "mode", &mode)) return env.Undefined();
  if (mode != kStreamSign && mode != kStreamVerify) return ThrowValue(env, "mode must be sign (1) or verify (2)");
  if (mode == kStreamSign && only_public_) return ThrowValue(env, "a private key is needed to sign");
  bool failed = false;
  const EVP_MD* md = DigestByName(env, info[1], "digest", true, &failed);
  if (failed) return env.Undefined();
  stream_.reset();
  stream_mode_ = 0;
  Owned<EVP_MD_CTX, EVP_MD_CTX_free> ctx(EVP_MD_CTX_new());
  int ok = ctx && (mode == kStreamSign ? EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, pkey_.get())
                                       : EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, pkey_.get()));
  if (ok != 1) return ThrowOpenSSL(env, mode == kStreamSign ? "could not start signing" : "could not start verifying");
  stream_ = std::move(ctx);
  stream_mode_ = static_cast<int>(mode);
  return env.Undefined();
}

Napi::Value PKeyWrap::StreamUpdate(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  Bytes data = GetBytes(info[0], "data");
  if (!data.ok) return env.Undefined();
  if (!stream_) return ThrowValue(env, "nothing to update: call signInit() or verifyInit() first");
  int ok = stream_mode_ == kStreamSign ? EVP_DigestSignUpdate(stream_.get(), data.data, data.size)
                                       : EVP_DigestVerifyUpdate(stream_.get(), data.data, data.size);
  if (ok != 1) {
    stream_.reset();  // a failed stream cannot go on
    stream_mode_ = 0;
    return ThrowOpenSSL(env, "could not update the signature");
  }
  return env.Undefined();
}

Napi::Value PKeyWrap::SignFinal(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  if (!stream_ || stream_mode_ != kStreamSign) return ThrowValue(env, "no signature in progress: call signInit() first");
  Owned<EVP_MD_CTX, EVP_MD_CTX_free> ctx = std::move(stream_);
  stream_mode_ = 0;
  size_t len = 0;
  if (EVP_DigestSignFinal(ctx.get(), nullptr, &len) != 1) return ThrowOpenSSL(env, "could not sign");
  std::vector<unsigned char> sig(len);
  if (EVP_DigestSignFinal(ctx.get(), sig.data(), &len) != 1) return ThrowOpenSSL(env, "could not sign");
  return Napi::Buffer<unsigned char>::Copy(env, sig.data(), len);
}

Napi::Value PKeyWrap::VerifyFinal(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  Bytes sig = GetBytes(info[0], "signature");
  if (!sig.ok) return env.Undefined();
  if (!stream_ || stream_mode_ != kStreamVerify) return ThrowValue(env, "no verification in progress: call verifyInit() first");
  Owned<EVP_MD_CTX, EVP_MD_CTX_free> ctx = std::move(stream_);
  stream_mode_ = 0;
  // 1 is a match; 0 a mismatch; below 0 a signature OpenSSL cannot even parse, which matches nothing.
  return Napi::Boolean::New(env, EVP_DigestVerifyFinal(ctx.get(), sig.data, sig.size) == 1);
}

Napi::Value PKeyWrap::Equals(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  PKeyWrap* other = UnwrapAs<PKeyWrap>(info[0], "other");
  if (other == nullptr) return info.Env().Undefined();
  return Napi::Boolean::New(info.Env(), EVP_PKEY_eq(pkey_.get(), other->get()) == 1);
}

// check(): the key's mathematical consistency (EVP_PKEY_check for private keys, the public part
// for public-only keys). Throws with OpenSSL's reason when the key is inconsistent.
Napi::Value PKeyWrap::Check(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  EVPKeyCtxPointer ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey_.get(), nullptr));
  if (!ctx) return ThrowOpenSSL(env, "key check failed");
  int r = only_public_ ? EVP_PKEY_public_check(ctx.get()) : EVP_PKEY_check(ctx.get());
  if (r == 1) return Napi::Boolean::New(env, true);
  if (r == -2) return ThrowValue(env, "key check is not supported for this key type");
  return ThrowOpenSSL(env, "key is not consistent");
}

namespace {

// The key generation itself, safe to run on any thread: touches no JavaScript.
EVP_PKEY* GenerateRaw(int64_t type, int64_t bits, const std::string& curve) {
  EVP_PKEY* raw = nullptr;
  if (type == EVP_PKEY_RSA) {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits));
  } else if (type == EVP_PKEY_DSA) {
    // DSA needs domain parameters first; OpenSSL picks the matching q size for the bit count.
    EVPKeyCtxPointer pctx(EVP_PKEY_CTX_new_from_name(nullptr, "DSA", nullptr));
    EVP_PKEY* params = nullptr;
    if (pctx && EVP_PKEY_paramgen_init(pctx.get()) == 1 &&
        EVP_PKEY_CTX_set_dsa_paramgen_bits(pctx.get(), static_cast<int>(bits)) == 1 &&
        EVP_PKEY_paramgen(pctx.get(), &params) == 1) {
      EVPKeyPointer owned_params(params);
      EVPKeyCtxPointer kctx(EVP_PKEY_CTX_new_from_pkey(nullptr, params, nullptr));
      if (kctx && EVP_PKEY_keygen_init(kctx.get()) == 1) EVP_PKEY_keygen(kctx.get(), &raw);
    }
  } else if (type == EVP_PKEY_EC) {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve.c_str());
  } else if (type == EVP_PKEY_ED25519) {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  } else if (type == EVP_PKEY_ED448) {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED448");
  }
  return raw;
}

// Checks generateKey's arguments on the JavaScript thread; fills `bits` or `curve` (a short name).
bool KeygenArgs(const Napi::CallbackInfo& info, int64_t* type, int64_t* bits, std::string* curve) {
  Napi::Env env = info.Env();
  if (!GetInt(info[0], "type", type)) return false;
  if (*type == EVP_PKEY_RSA || *type == EVP_PKEY_DSA) {
    if (!GetInt(info[1], "bits", bits)) return false;
    if (*bits <= 0 || *bits > 16384) {
      ThrowValue(env, "invalid number of bits: " + std::to_string(*bits));
      return false;
    }
  } else if (*type == EVP_PKEY_EC) {
    std::string name;
    if (!GetString(info[1], "curve", &name)) return false;
    int nid = OBJ_sn2nid(name.c_str());
    if (nid == NID_undef) nid = OBJ_ln2nid(name.c_str());
    if (nid == NID_undef) nid = EC_curve_nist2nid(name.c_str());
    if (nid == NID_undef || name.find('\0') != std::string::npos) {
      ThrowValue(env, "unknown elliptic curve: " + name);
      return false;
    }
    *curve = OBJ_nid2sn(nid);
  } else if (*type != EVP_PKEY_ED25519 && *type != EVP_PKEY_ED448) {
    ThrowValue(env, "no such key type: " + std::to_string(*type));
    return false;
  }
  return true;
}

// generateKey(type, bitsOrCurve): RSA/DSA take a bit count, EC a curve name, Ed25519/Ed448 nothing.
Napi::Value GenerateKey(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t type = 0, bits = 0;
  std::string curve;
  if (!KeygenArgs(info, &type, &bits, &curve)) return env.Undefined();
  EVP_PKEY* raw = GenerateRaw(type, bits, curve);
  if (raw == nullptr) return ThrowOpenSSL(env, "key generation failed");
  return PKeyWrap::NewOwned(env, EVPKeyPointer(raw), false);
}

// generateKeyAsync(type, bitsOrCurve) -> Promise<PKey>: the same work on the libuv thread pool.
class KeygenWorker : public Napi::AsyncWorker {
 public:
  KeygenWorker(Napi::Env env, int64_t type, int64_t bits, std::string curve)
      : Napi::AsyncWorker(env, "ossl:generateKey"), deferred_(Napi::Promise::Deferred::New(env)), type_(type), bits_(bits),
        curve_(std::move(curve)) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    // The error queue is per thread: start clean here and take what this thread queued.
    ERR_clear_error();
    key_.reset(GenerateRaw(type_, bits_, curve_));
    if (!key_) {
      errors_ = CaptureErrors();
      SetError("key generation failed");
    }
    ERR_clear_error();
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    Napi::Value key = PKeyWrap::NewOwned(env, std::move(key_), false);
    if (env.IsExceptionPending()) {
      deferred_.Reject(env.GetAndClearPendingException().Value());
      return;
    }
    deferred_.Resolve(key);
  }

  void OnError(const Napi::Error&) override {
    Napi::HandleScope scope(Env());
    deferred_.Reject(MakeOpenSSLError(Env(), "key generation failed", errors_).Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  int64_t type_;
  int64_t bits_;
  std::string curve_;
  EVPKeyPointer key_;
  std::vector<ErrorEntry> errors_;
};

Napi::Value GenerateKeyAsync(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t type = 0, bits = 0;
  std::string curve;
  if (!KeygenArgs(info, &type, &bits, &curve)) return env.Undefined();
  auto* worker = new KeygenWorker(env, type, bits, curve);  // deletes itself when done
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

// New finite-field DH parameters as PKCS#3 PEM ("DH PARAMETERS", as `openssl dhparam` writes):
// a safe prime of `bits` bits with `generator`. Safe to run on any thread.
bool GenerateDhParameters(int64_t bits, int64_t generator, std::string* pem) {
  EVPKeyCtxPointer pctx(EVP_PKEY_CTX_new_from_name(nullptr, "DH", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!pctx || EVP_PKEY_paramgen_init(pctx.get()) != 1 ||
      EVP_PKEY_CTX_set_dh_paramgen_prime_len(pctx.get(), static_cast<int>(bits)) != 1 ||
      EVP_PKEY_CTX_set_dh_paramgen_generator(pctx.get(), static_cast<int>(generator)) != 1 ||
      EVP_PKEY_paramgen(pctx.get(), &raw) != 1) {
    return false;
  }
  EVPKeyPointer params(raw);
  BIOPointer bio = NewMemBio();
  if (!bio || PEM_write_bio_Parameters(bio.get(), params.get()) != 1) return false;
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  if (len <= 0) return false;
  pem->assign(data, static_cast<size_t>(len));
  return true;
}

// Checks (bits, generator) on the JavaScript thread. OpenSSL makes no parameters below 512 bits;
// above 10000 they take hours. The generator is 2 or 5, the ones OpenSSL's safe-prime search
// supports without a warning, as `openssl dhparam -2/-5`.
bool DhArgs(const Napi::CallbackInfo& info, int64_t* bits, int64_t* generator) {
  Napi::Env env = info.Env();
  if (!GetInt(info[0], "bits", bits) || !GetInt(info[1], "generator", generator)) return false;
  if (*bits < 512 || *bits > 10000) {
    ThrowValue(env, "\"bits\" must be 512 to 10000, got " + std::to_string(*bits));
    return false;
  }
  if (*generator != 2 && *generator != 5) {
    ThrowValue(env, "\"generator\" must be 2 or 5, got " + std::to_string(*generator));
    return false;
  }
  return true;
}

Napi::Value GenerateDhParams(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  int64_t bits = 0, generator = 0;
  if (!DhArgs(info, &bits, &generator)) return info.Env().Undefined();
  std::string pem;
  if (!GenerateDhParameters(bits, generator, &pem)) return ThrowOpenSSL(info.Env(), "DH parameter generation failed");
  return Napi::Buffer<char>::Copy(info.Env(), pem.data(), pem.size());
}

class DhParamsWorker : public Napi::AsyncWorker {
 public:
  DhParamsWorker(Napi::Env env, int64_t bits, int64_t generator)
      : Napi::AsyncWorker(env, "ossl:generateDhParameters"), deferred_(Napi::Promise::Deferred::New(env)), bits_(bits),
        generator_(generator) {}
  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    ERR_clear_error();
    if (!GenerateDhParameters(bits_, generator_, &pem_)) {
      errors_ = CaptureErrors();
      SetError("DH parameter generation failed");
    }
    ERR_clear_error();
  }
  void OnOK() override {
    Napi::HandleScope scope(Env());
    deferred_.Resolve(Napi::Buffer<char>::Copy(Env(), pem_.data(), pem_.size()));
  }
  void OnError(const Napi::Error&) override {
    Napi::HandleScope scope(Env());
    deferred_.Reject(MakeOpenSSLError(Env(), "DH parameter generation failed", errors_).Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  int64_t bits_;
  int64_t generator_;
  std::string pem_;
  std::vector<ErrorEntry> errors_;
};

Napi::Value GenerateDhParamsAsync(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  int64_t bits = 0, generator = 0;
  if (!DhArgs(info, &bits, &generator)) return info.Env().Undefined();
  auto* worker = new DhParamsWorker(info.Env(), bits, generator);  // deletes itself when done
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

// loadPrivateKey(filetype, data, passphrase?)
Napi::Value LoadPrivateKey(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t filetype = 0;
  if (!GetInt(info[0], "type", &filetype)) return env.Undefined();
  Bytes in = GetBytes(info[1], "buffer");
  if (!in.ok) return env.Undefined();
  PassphraseSource pass(env);
  if (!pass.Init(info[2], "passphrase")) return env.Undefined();
  BIOPointer bio = MemBioFrom(in);
  if (!bio) return ThrowOpenSSL(env, "could not read the key");
  EVP_PKEY* raw = nullptr;
  if (filetype == kFiletypePem) {
    raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, PassphraseSource::Callback, &pass);
  } else if (filetype == kFiletypeAsn1) {
    if (pass.has_passphrase()) return ThrowValue(env, "a passphrase is only supported for PEM files");
    if (in.size == 0) ERR_raise(ERR_LIB_ASN1, ASN1_R_NOT_ENOUGH_DATA);
    else raw = d2i_PrivateKey_bio(bio.get(), nullptr);
  } else {
    return ThrowValue(env, "type argument must be FILETYPE_PEM or FILETYPE_ASN1");
  }
  EVPKeyPointer key(raw);
  if (pass.RethrowIfFailed()) return env.Undefined();
  if (!key) return ThrowOpenSSL(env, "could not load the private key");
  return PKeyWrap::NewOwned(env, std::move(key), false);
}

// loadPublicKey(filetype, data)
Napi::Value LoadPublicKey(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  EVP_PKEY* raw = LoadPemOrDer<EVP_PKEY>(info, PEM_read_bio_PUBKEY, d2i_PUBKEY_bio, "public key");
  if (raw == nullptr) return info.Env().Undefined();
  return PKeyWrap::NewOwned(info.Env(), EVPKeyPointer(raw), true);
}

// dumpPrivateKey(filetype, pkey, cipher?, passphrase?)
Napi::Value DumpPrivateKey(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t filetype = 0;
  if (!GetInt(info[0], "type", &filetype)) return env.Undefined();
  PKeyWrap* key = UnwrapAs<PKeyWrap>(info[1], "pkey");
  if (key == nullptr) return env.Undefined();
  if (key->only_public()) return ThrowValue(env, "the key holds only a public part; use dumpPublickey");
  const EVP_CIPHER* cipher = nullptr;
  if (!info[2].IsUndefined() && !info[2].IsNull()) {
    std::string name;
    if (!GetString(info[2], "cipher", &name)) return env.Undefined();
    cipher = CipherNamed(name);
    if (cipher == nullptr) return ThrowValue(env, "invalid cipher name: " + name);
  }
  PassphraseSource pass(env);
  if (!pass.Init(info[3], "passphrase")) return env.Undefined();
  if (cipher != nullptr && !pass.has_passphrase()) return ThrowValue(env, "a cipher needs a passphrase");
  if (cipher == nullptr && pass.has_passphrase()) return ThrowValue(env, "a passphrase needs a cipher");
  BIOPointer out = NewMemBio();
  if (!out) return ThrowOpenSSL(env, "could not dump the key");
  int ok = 0;
  if (filetype == kFiletypePem) {
    ok = PEM_write_bio_PrivateKey(out.get(), key->get(), cipher, nullptr, 0,
                                  cipher != nullptr ? PassphraseSource::Callback : nullptr, &pass);
  } else if (filetype == kFiletypeAsn1) {
    if (cipher != nullptr) return ThrowValue(env, "encryption is only supported for PEM files");
    ok = i2d_PrivateKey_bio(out.get(), key->get());
  } else if (filetype == kFiletypeText) {
    if (cipher != nullptr) return ThrowValue(env, "encryption is only supported for PEM files");
    ok = EVP_PKEY_print_private(out.get(), key->get(), 0, nullptr);
  } else {
    return ThrowValue(env, "type argument must be FILETYPE_PEM, FILETYPE_ASN1 or FILETYPE_TEXT");
  }
  if (pass.RethrowIfFailed()) return env.Undefined();
  if (ok != 1) return ThrowOpenSSL(env, "could not dump the private key");
  return BioToBuffer(env, out.get());
}

// dumpPublicKey(filetype, pkey)
Napi::Value DumpPublicKey(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t filetype = 0;
  if (!GetInt(info[0], "type", &filetype)) return env.Undefined();
  PKeyWrap* key = UnwrapAs<PKeyWrap>(info[1], "pkey");
  if (key == nullptr) return env.Undefined();
  BIOPointer out = NewMemBio();
  if (!out) return ThrowOpenSSL(env, "could not dump the key");
  int ok = 0;
  if (filetype == kFiletypePem) {
    ok = PEM_write_bio_PUBKEY(out.get(), key->get());
  } else if (filetype == kFiletypeAsn1) {
    ok = i2d_PUBKEY_bio(out.get(), key->get());
  } else if (filetype == kFiletypeText) {
    EVPKeyPointer fresh = ProviderCopyIfLegacy(key->get());
    ok = EVP_PKEY_print_public(out.get(), fresh ? fresh.get() : key->get(), 0, nullptr);
  } else {
    return ThrowValue(env, "type argument must be FILETYPE_PEM, FILETYPE_ASN1 or FILETYPE_TEXT");
  }
  if (ok != 1) return ThrowOpenSSL(env, "could not dump the public key");
  return BioToBuffer(env, out.get());
}

}  // namespace

namespace {

// getBuiltinCurves(): the short names of the elliptic curves OpenSSL has built in, in its order
// (pyOpenSSL's get_elliptic_curves).
Napi::Value GetBuiltinCurves(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  size_t count = EC_get_builtin_curves(nullptr, 0);
  std::vector<EC_builtin_curve> curves(count);
  count = EC_get_builtin_curves(curves.data(), count);
  Napi::Array out = Napi::Array::New(env);
  uint32_t i = 0;
  for (size_t k = 0; k < count; ++k) {
    const char* name = OBJ_nid2sn(curves[k].nid);
    if (name != nullptr) out.Set(i++, Napi::String::New(env, name));
  }
  return out;
}

}  // namespace

void InitPKeyFunctions(Napi::Env env, Napi::Object exports) {
  exports.Set("getBuiltinCurves", Napi::Function::New<GetBuiltinCurves>(env, "getBuiltinCurves"));
  exports.Set("generateKey", Napi::Function::New<GenerateKey>(env, "generateKey"));
  exports.Set("generateKeyAsync", Napi::Function::New<GenerateKeyAsync>(env, "generateKeyAsync"));
  exports.Set("generateDhParameters", Napi::Function::New<GenerateDhParams>(env, "generateDhParameters"));
  exports.Set("generateDhParametersAsync", Napi::Function::New<GenerateDhParamsAsync>(env, "generateDhParametersAsync"));
  exports.Set("loadPrivateKey", Napi::Function::New<LoadPrivateKey>(env, "loadPrivateKey"));
  exports.Set("loadPublicKey", Napi::Function::New<LoadPublicKey>(env, "loadPublicKey"));
  exports.Set("dumpPrivateKey", Napi::Function::New<DumpPrivateKey>(env, "dumpPrivateKey"));
  exports.Set("dumpPublicKey", Napi::Function::New<DumpPublicKey>(env, "dumpPublicKey"));
}

}  // namespace ossl
