// EVP: message digests, HMAC, symmetric ciphers and one-shot sign/verify (M2Crypto's EVP module,
// pyOpenSSL's crypto.sign/verify).
#include <openssl/core_names.h>
#include <openssl/ecerr.h>
#include <openssl/params.h>
#include <openssl/rsaerr.h>

#include <algorithm>
#include <cstring>
#include <cctype>
#include <map>
#include <mutex>
#include <set>
#include <vector>

#include "objects.h"

namespace ossl {

namespace {
using MDCtxPointer = Owned<EVP_MD_CTX, EVP_MD_CTX_free>;
using MACPointer = Owned<EVP_MAC, EVP_MAC_free>;
using MACCtxPointer = Owned<EVP_MAC_CTX, EVP_MAC_CTX_free>;
using CipherCtxPointer = Owned<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;

Napi::Value Finished(Napi::Env env) {
  return ThrowValue(env, "the context is finalized; create a new one");
}

// ---- MessageDigest -------------------------------------------------------------------------

class DigestWrap : public Napi::ObjectWrap<DigestWrap> {
 public:
  OSSL_TAGGED_UNWRAP(DigestWrap)

 public:
  static constexpr napi_type_tag kTypeTag = type_tags::kDigest;

  static void Init(Napi::Env env, Napi::Object exports) {
    Napi::Function ctor = DefineClass(env, "MessageDigest",
        {
            InstanceMethod<&DigestWrap::Update>("update"),
            InstanceMethod<&DigestWrap::Final>("final"),
            InstanceMethod<&DigestWrap::Copy>("copy"),
            InstanceMethod<&DigestWrap::Size>("size"),
            InstanceMethod<&DigestWrap::BlockSize>("blockSize"),
            InstanceMethod<&DigestWrap::Name>("name"),
        });
    Data(env)->digest = Napi::Persistent(ctor);
    exports.Set("MessageDigest", ctor);
  }

  explicit DigestWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<DigestWrap>(info) {
    ErrGuard guard;
    Napi::Env env = info.Env();
    ctx_.reset(EVP_MD_CTX_new());
    if (!ctx_) {
      ThrowOpenSSL(env, "out of memory");
      return;
    }
    if (info.Length() >= 1 && info[0].IsExternal()) {
      // A copy: the External is the context to duplicate.
      if (EVP_MD_CTX_copy_ex(ctx_.get(), info[0].As<Napi::External<EVP_MD_CTX>>().Data()) != 1) {
        ThrowOpenSSL(env, "could not copy the digest");
        return;
      }
    } else {
      bool failed = false;
      const EVP_MD* md = DigestByName(env, info[0], "algo", false, &failed);
      if (failed) return;
      if (EVP_DigestInit_ex(ctx_.get(), md, nullptr) != 1) {
        ThrowOpenSSL(env, "could not start the digest");
        return;
      }
    }
    info.This().As<Napi::Object>().TypeTag(&kTypeTag);
  }

 private:
  Napi::Value Update(const Napi::CallbackInfo& info) {
    ErrGuard guard;
    if (done_) return Finished(info.Env());
    Bytes b = GetBytes(info[0], "data");
    if (!b.ok) return info.Env().Undefined();
    if (EVP_DigestUpdate(ctx_.get(), b.data, b.size) != 1) return ThrowOpenSSL(info.Env(), "digest update failed");
    return info.Env().Undefined();
  }

  Napi::Value Final(const Napi::CallbackInfo& info) {
    ErrGuard guard;
    if (done_) return Finished(info.Env());
    unsigned char buf[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    int ok;
    if (EVP_MD_get_flags(EVP_MD_CTX_get0_md(ctx_.get())) & EVP_MD_FLAG_XOF) {
      len = static_cast<unsigned int>(EVP_MD_get_size(EVP_MD_CTX_get0_md(ctx_.get())));
      ok = EVP_DigestFinalXOF(ctx_.get(), buf, len);
    } else {
      ok = EVP_DigestFinal_ex(ctx_.get(), buf, &len);
    }
    if (ok != 1) return ThrowOpenSSL(info.Env(), "digest final failed");
    done_ = true;
    return Napi::Buffer<unsigned char>::Copy(info.Env(), buf, len);
  }

  Napi::Value Copy(const Napi::CallbackInfo& info) {
    if (done_) return Finished(info.Env());
    return Data(info.Env())->digest.New({Napi::External<EVP_MD_CTX>::New(info.Env(), ctx_.get())});
  }

  Napi::Value Size(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), EVP_MD_get_size(EVP_MD_CTX_get0_md(ctx_.get())));
  }

  Napi::Value BlockSize(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), EVP_MD_get_block_size(EVP_MD_CTX_get0_md(ctx_.get())));
  }

  Napi::Value Name(const Napi::CallbackInfo& info) {
    return Napi::String::New(info.Env(), EVP_MD_get0_name(EVP_MD_CTX_get0_md(ctx_.get())));
  }

  MDCtxPointer ctx_;
  bool done_ = false;
};

// ---- HMAC ----------------------------------------------------------------------------------

class HmacWrap : public Napi::ObjectWrap<HmacWrap> {
 public:
  OSSL_TAGGED_UNWRAP(HmacWrap)

 public:
  static constexpr napi_type_tag kTypeTag = type_tags::kHmac;

  static void Init(Napi::Env env, Napi::Object exports) {
    Napi::Function ctor = DefineClass(env, "HMAC",
        {
            InstanceMethod<&HmacWrap::Update>("update"),
            InstanceMethod<&HmacWrap::Final>("final"),
            InstanceMethod<&HmacWrap::Size>("size"),
        });
    Data(env)->hmac = Napi::Persistent(ctor);
    exports.Set("HMAC", ctor);
  }

  // new HMAC(key, digestName)
  explicit HmacWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<HmacWrap>(info) {
    ErrGuard guard;
    Napi::Env env = info.Env();
    Bytes key = GetBytes(info[0], "key");
    if (!key.ok) return;
    bool failed = false;
    const EVP_MD* md = DigestByName(env, info[1], "algo", false, &failed);
    if (failed) return;
    MACPointer mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    ctx_.reset(mac ? EVP_MAC_CTX_new(mac.get()) : nullptr);
    if (!ctx_) {
      ThrowOpenSSL(env, "HMAC is not available");
      return;
    }
    std::string digest_name = EVP_MD_get0_name(md);
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name.data(), 0), OSSL_PARAM_construct_end()};
    // A zero-length key is valid HMAC; OpenSSL wants a non-null pointer for it.
    static const unsigned char kEmpty[1] = {0};
    if (EVP_MAC_init(ctx_.get(), key.size > 0 ? key.data : kEmpty, key.size, params) != 1) {
      ThrowOpenSSL(env, "could not start the HMAC");
      return;
    }
    info.This().As<Napi::Object>().TypeTag(&kTypeTag);
  }

 private:
  Napi::Value Update(const Napi::CallbackInfo& info) {
    ErrGuard guard;
    if (done_) return Finished(info.Env());
    Bytes b = GetBytes(info[0], "data");
    if (!b.ok) return info.Env().Undefined();
    if (EVP_MAC_update(ctx_.get(), b.data, b.size) != 1) return ThrowOpenSSL(info.Env(), "HMAC update failed");
    return info.Env().Undefined();
  }

  Napi::Value Final(const Napi::CallbackInfo& info) {
    ErrGuard guard;
    if (done_) return Finished(info.Env());
    unsigned char buf[EVP_MAX_MD_SIZE];
    size_t len = 0;
    if (EVP_MAC_final(ctx_.get(), buf, &len, sizeof(buf)) != 1) return ThrowOpenSSL(info.Env(), "HMAC final failed");
    done_ = true;
    return Napi::Buffer<unsigned char>::Copy(info.Env(), buf, len);
  }

  Napi::Value Size(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(EVP_MAC_CTX_get_mac_size(ctx_.get())));
  }

  MACCtxPointer ctx_;
  bool done_ = false;
};

// ---- Cipher --------------------------------------------------------------------------------

class CipherWrap : public Napi::ObjectWrap<CipherWrap> {
 public:
  OSSL_TAGGED_UNWRAP(CipherWrap)

 public:
  static constexpr napi_type_tag kTypeTag = type_tags::kCipher;

  static void Init(Napi::Env env, Napi::Object exports) {
    Napi::Function ctor = DefineClass(env, "Cipher",
        {
            InstanceMethod<&CipherWrap::Update>("update"),
            InstanceMethod<&CipherWrap::Final>("final"),
            InstanceMethod<&CipherWrap::SetPadding>("setPadding"),
            InstanceMethod<&CipherWrap::SetAAD>("setAAD"),
            InstanceMethod<&CipherWrap::GetTag>("getTag"),
            InstanceMethod<&CipherWrap::SetTag>("setTag"),
            InstanceMethod<&CipherWrap::Info>("info"),
        });
    Data(env)->cipher = Napi::Persistent(ctor);
    exports.Set("Cipher", ctor);
  }

  // new Cipher(name, key, iv, encrypt(1)/decrypt(0), padding)
  explicit CipherWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CipherWrap>(info) {
    ErrGuard guard;
    Napi::Env env = info.Env();
    std::string name;
    if (!GetString(info[0], "alg", &name)) return;
    const EVP_CIPHER* cipher = CipherNamed(name);
    if (cipher == nullptr) {
      ThrowValue(env, "unknown cipher: " + name);
      return;
    }
    Bytes key = GetBytes(info[1], "key");
    if (!key.ok) return;
    Bytes iv;
    bool has_iv = !info[2].IsUndefined() && !info[2].IsNull();
    if (has_iv) {
      iv = GetBytes(info[2], "iv");
      if (!iv.ok) return;
    }
    int64_t op = 0;
    if (!GetInt(info[3], "op", &op)) return;
    if (op != 0 && op != 1) {
      ThrowValue(env, "op must be 1 (encrypt) or 0 (decrypt)");
      return;
    }
    bool padding = info.Length() < 5 || info[4].IsUndefined() || info[4].ToBoolean().Value();
    aead_ = (EVP_CIPHER_get_flags(cipher) & EVP_CIPH_FLAG_AEAD_CIPHER) != 0;
    encrypt_ = op == 1;
    if (key.size != static_cast<size_t>(EVP_CIPHER_get_key_length(cipher))) {
      ThrowValue(env, "invalid key length " + std::to_string(key.size) + " for " + name + " (needs " +
                          std::to_string(EVP_CIPHER_get_key_length(cipher)) + ")");
      return;
    }
    int want_iv = EVP_CIPHER_get_iv_length(cipher);
    if (!aead_ && want_iv > 0 && (!has_iv || iv.size != static_cast<size_t>(want_iv))) {
      ThrowValue(env, "invalid IV length " + std::to_string(has_iv ? iv.size : 0) + " for " + name + " (needs " + std::to_string(want_iv) + ")");
      return;
    }
    ctx_.reset(EVP_CIPHER_CTX_new());
    if (!ctx_ || EVP_CipherInit_ex(ctx_.get(), cipher, nullptr, nullptr, nullptr, encrypt_ ? 1 : 0) != 1) {
      ThrowOpenSSL(env, "could not start the cipher");
      return;
    }
    if (aead_ && has_iv && EVP_CIPHER_CTX_ctrl(ctx_.get(), EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(iv.size), nullptr) != 1) {
      ThrowOpenSSL(env, "invalid IV length " + std::to_string(iv.size) + " for " + name);
      return;
    }
    if (EVP_CipherInit_ex(ctx_.get(), nullptr, nullptr, key.data, has_iv ? iv.data : nullptr, encrypt_ ? 1 : 0) != 1) {
      ThrowOpenSSL(env, "could not start the cipher");
      return;
    }
    EVP_CIPHER_CTX_set_padding(ctx_.get(), padding ? 1 : 0);
    info.This().As<Napi::Object>().TypeTag(&kTypeTag);
  }

 private:
  Napi::Value Update(const Napi::CallbackInfo& info) {
    ErrGuard guard;
    Napi::Env env = info.Env();
    if (done_) return Finished(env);
    Bytes in = GetBytes(info[0], "data");
    if (!in.ok) return env.Undefined();
    if (in.size > static_cast<size_t>(INT32_MAX) - 64) return ThrowValue(env, "data is too large; update in parts");
    Napi::Buffer<unsigned char> out = Napi::Buffer<unsigned char>::New(env, in.size + EVP_MAX_BLOCK_LENGTH);
    int len = 0;
    if (EVP_CipherUpdate(ctx_.get(), out.Data(), &len, in.data, static_cast<int>(in.size)) != 1) return ThrowOpenSSL(env, "cipher update failed");
    return Napi::Buffer<unsigned char>::Copy(env, out.Data(), static_cast<size_t>(len));
  }

  Napi::Value Final(const Napi::CallbackInfo& info) {
    ErrGuard guard;
    Napi::Env env = info.Env();
    if (done_) return Finished(env);
    unsigned char buf[EVP_MAX_BLOCK_LENGTH];
    int len = 0;
    if (EVP_CipherFinal_ex(ctx_.get(), buf, &len) != 1) {
      if (ERR_peek_error() == 0) ERR_raise(ERR_LIB_EVP, aead_ ? EVP_R_FINAL_ERROR : EVP_R_BAD_DECRYPT);
      return ThrowOpenSSL(env, aead_ ? "authentication failed" : "cipher final failed");
    }
    done_ = true;
    return Napi::Buffer<unsigned char>::Copy(env, buf, static_cast<size_t>(len));
  }

  Napi::Value SetPadding(const Napi::CallbackInfo& info) {
    EVP_CIPHER_CTX_set_padding(ctx_.get(), info[0].ToBoolean().Value() ? 1 : 0);
    return info.Env().Undefined();
  }

  Napi::Value SetAAD(const Napi::CallbackInfo& info) {
    ErrGuard guard;
    Napi::Env env = info.Env();
    if (!aead_) return ThrowValue(env, "additional authenticated data needs an AEAD cipher");
    Bytes aad = GetBytes(info[0], "aad");
    if (!aad.ok) return env.Undefined();
    int len = 0;
    if (EVP_CipherUpdate(ctx_.get(), nullptr, &len, aad.data, static_cast<int>(aad.size)) != 1) return ThrowOpenSSL(env, "could not add the AAD");
    return env.Undefined();
  }

  Napi::Value GetTag(const Napi::CallbackInfo& info) {
    ErrGuard guard;
    Napi::Env env = info.Env();
    if (!aead_ || !encrypt_ || !done_) return ThrowValue(env, "the tag is available after final() of an AEAD encryption");
    int64_t n = 16;
    if (info.Length() > 0 && !info[0].IsUndefined() && !GetInt(info[0], "length", &n)) return env.Undefined();
    if (n < 1 || n > 16) return ThrowValue(env, "tag length must be 1..16");
    unsigned char tag[16];
    if (EVP_CIPHER_CTX_ctrl(ctx_.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(n), tag) != 1) return ThrowOpenSSL(env, "could not get the tag");
    return Napi::Buffer<unsigned char>::Copy(env, tag, static_cast<size_t>(n));
  }

  Napi::Value SetTag(const Napi::CallbackInfo& info) {
    ErrGuard guard;
    Napi::Env env = info.Env();
    if (!aead_ || encrypt_) return ThrowValue(env, "the tag is set before final() of an AEAD decryption");
    Bytes tag = GetBytes(info[0], "tag");
    if (!tag.ok) return env.Undefined();
    if (tag.size < 1 || tag.size > 16) return ThrowValue(env, "tag length must be 1..16");
    std::string copy(reinterpret_cast<const char*>(tag.data), tag.size);
    if (EVP_CIPHER_CTX_ctrl(ctx_.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(tag.size), copy.data()) != 1) {
      return ThrowOpenSSL(env, "could not set the tag");
    }
    return env.Undefined();
  }

  // info(): {name, keyLength, ivLength, blockSize}
  Napi::Value Info(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const EVP_CIPHER* c = EVP_CIPHER_CTX_get0_cipher(ctx_.get());
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", Napi::String::New(env, EVP_CIPHER_get0_name(c)));
    o.Set("keyLength", Napi::Number::New(env, EVP_CIPHER_CTX_get_key_length(ctx_.get())));
    o.Set("ivLength", Napi::Number::New(env, EVP_CIPHER_CTX_get_iv_length(ctx_.get())));
    o.Set("blockSize", Napi::Number::New(env, EVP_CIPHER_CTX_get_block_size(ctx_.get())));
    return o;
  }

  CipherCtxPointer ctx_;
  bool aead_ = false;
  bool encrypt_ = false;
  bool done_ = false;
};

}  // namespace

// ---- names, sign, verify -------------------------------------------------------------------

namespace {

// Fetched algorithms, one reference per name asked for, kept for the life of the process (there are
// a few hundred names at most). Worker threads share the cache, so it is locked.
template <typename T, T* (*Fetch)(OSSL_LIB_CTX*, const char*, const char*)>
const T* FetchOnce(const std::string& name) {
  static std::mutex lock;
  static std::map<std::string, T*> fetched;
  std::lock_guard<std::mutex> hold(lock);
  auto it = fetched.find(name);
  if (it != fetched.end()) return it->second;
  T* alg = Fetch(nullptr, name.c_str(), nullptr);
  ERR_clear_error();
  if (alg != nullptr) fetched.emplace(name, alg);
  return alg;
}

}  // namespace

const EVP_MD* DigestNamed(const std::string& name) {
  if (name.empty() || name.find('\0') != std::string::npos) return nullptr;
  const EVP_MD* md = EVP_get_digestbyname(name.c_str());
  return md != nullptr ? md : FetchOnce<EVP_MD, EVP_MD_fetch>(name);
}

const EVP_CIPHER* CipherNamed(const std::string& name) {
  if (name.empty() || name.find('\0') != std::string::npos) return nullptr;
  const EVP_CIPHER* cipher = EVP_get_cipherbyname(name.c_str());
  return cipher != nullptr ? cipher : FetchOnce<EVP_CIPHER, EVP_CIPHER_fetch>(name);
}

namespace {

// The names users pass and the providers' names, as one sorted list. The user names are OpenSSL's
// long-standing object names and aliases (`sha256`, `RSA-SHA256`, `aes-128-cbc`, the names
// node:crypto's getHashes/getCiphers list), kept when the default provider has what they name; the
// provider names (`SHA2-256`, `AES-128-CBC`) and their aliases follow, without dotted OIDs.
bool IsDottedOid(const char* name) { return name[0] >= '0' && name[0] <= '9' && std::strchr(name, '.') != nullptr; }

// A provider's names, each also in lower case (as node:crypto lists them since OpenSSL 3.x); the
// constructors take them all (DigestNamed, CipherNamed).
void CollectProviderName(const char* name, void* arg) {
  if (IsDottedOid(name)) return;
  auto* names = static_cast<std::set<std::string>*>(arg);
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  names->insert(name);
  names->insert(lower);
}
// The algorithm's own first name (`AES-256-GCM`) and every name the name map keeps for it (which
// holds one spelling per name, ignoring case: `aes-256-gcm` when OpenSSL registered that first).
void CollectDigest(EVP_MD* md, void* arg) {
  CollectProviderName(EVP_MD_get0_name(md), arg);
  EVP_MD_names_do_all(md, CollectProviderName, arg);
}
void CollectCipher(EVP_CIPHER* c, void* arg) {
  CollectProviderName(EVP_CIPHER_get0_name(c), arg);
  EVP_CIPHER_names_do_all(c, CollectProviderName, arg);
}

void CollectUserDigestName(const EVP_MD* /*md*/, const char* from, const char* /*to*/, void* arg) {
  if (from == nullptr) return;
  const EVP_MD* legacy = EVP_get_digestbyname(from);
  // Providers do not know every alias (openssl/openssl#17174), so it is their name that is fetched.
  EVP_MD* fetched = legacy != nullptr ? EVP_MD_fetch(nullptr, EVP_MD_get0_name(legacy), nullptr) : nullptr;
  if (fetched == nullptr) return;
  EVP_MD_free(fetched);
  static_cast<std::set<std::string>*>(arg)->insert(from);
}
void CollectUserCipherName(const EVP_CIPHER* /*c*/, const char* from, const char* /*to*/, void* arg) {
  if (from == nullptr) return;
  const EVP_CIPHER* legacy = EVP_get_cipherbyname(from);
  EVP_CIPHER* fetched = legacy != nullptr ? EVP_CIPHER_fetch(nullptr, EVP_CIPHER_get0_name(legacy), nullptr) : nullptr;
  if (fetched == nullptr) return;
  EVP_CIPHER_free(fetched);
  static_cast<std::set<std::string>*>(arg)->insert(from);
}

Napi::Value NamesToArray(Napi::Env env, const std::set<std::string>& names) {
  Napi::Array out = Napi::Array::New(env, names.size());
  uint32_t i = 0;
  for (const std::string& n : names) out.Set(i++, Napi::String::New(env, n));
  return out;
}

Napi::Value GetDigestNames(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  std::set<std::string> names;
  EVP_MD_do_all_sorted(CollectUserDigestName, &names);
  EVP_MD_do_all_provided(nullptr, CollectDigest, &names);
  return NamesToArray(info.Env(), names);
}

Napi::Value GetCipherNames(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  std::set<std::string> names;
  EVP_CIPHER_do_all_sorted(CollectUserCipherName, &names);
  EVP_CIPHER_do_all_provided(nullptr, CollectCipher, &names);
  return NamesToArray(info.Env(), names);
}

// ---- PBKDF2 (M2Crypto's EVP.pbkdf2) -----------------------------------------------------------

struct Pbkdf2Args {
  std::vector<unsigned char> password;
  std::vector<unsigned char> salt;
  int iterations = 0;
  int length = 0;
  const EVP_MD* md = nullptr;
};

// pbkdf2(password, salt, iterations, keylen, digest): arguments checked and copied (the async form
// reads them on another thread).
bool Pbkdf2Read(const Napi::CallbackInfo& info, Pbkdf2Args* args) {
  Napi::Env env = info.Env();
  Bytes password = GetBytes(info[0], "password");
  if (!password.ok) return false;
  Bytes salt = GetBytes(info[1], "salt");
  if (!salt.ok) return false;
  int64_t iterations = 0, length = 0;
  if (!GetInt(info[2], "iterations", &iterations) || !GetInt(info[3], "keylen", &length)) return false;
  if (iterations < 1 || iterations > INT32_MAX) {
    ThrowValue(env, "iterations must be from 1 to 2147483647");
    return false;
  }
  if (length < 1 || length > (1 << 30)) {
    ThrowValue(env, "keylen must be from 1 to 1073741824");
    return false;
  }
  if (password.size > INT32_MAX || salt.size > INT32_MAX) {
    ThrowValue(env, "password and salt must be shorter than 2 GiB");
    return false;
  }
  bool failed = false;
  args->md = DigestByName(env, info[4], "digest", false, &failed);
  if (failed) return false;
  args->password.assign(password.data, password.data + password.size);
  args->salt.assign(salt.data, salt.data + salt.size);
  args->iterations = static_cast<int>(iterations);
  args->length = static_cast<int>(length);
  return true;
}

bool Pbkdf2Run(const Pbkdf2Args& args, std::vector<unsigned char>* out) {
  out->resize(static_cast<size_t>(args.length));
  return PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(args.password.data()), static_cast<int>(args.password.size()),
                           args.salt.data(), static_cast<int>(args.salt.size()), args.iterations, args.md, args.length,
                           out->data()) == 1;
}

Napi::Value Pbkdf2(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Pbkdf2Args args;
  if (!Pbkdf2Read(info, &args)) return info.Env().Undefined();
  std::vector<unsigned char> out;
  if (!Pbkdf2Run(args, &out)) return ThrowOpenSSL(info.Env(), "PBKDF2 failed");
  return Napi::Buffer<unsigned char>::Copy(info.Env(), out.data(), out.size());
}

class Pbkdf2Worker : public Napi::AsyncWorker {
 public:
  Pbkdf2Worker(Napi::Env env, Pbkdf2Args args)
      : Napi::AsyncWorker(env, "ossl:pbkdf2"), deferred_(Napi::Promise::Deferred::New(env)), args_(std::move(args)) {}
  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    ERR_clear_error();
    if (!Pbkdf2Run(args_, &out_)) {
      errors_ = CaptureErrors();
      SetError("PBKDF2 failed");
    }
    ERR_clear_error();
    OPENSSL_cleanse(args_.password.data(), args_.password.size());
  }
  void OnOK() override {
    Napi::HandleScope scope(Env());
    deferred_.Resolve(Napi::Buffer<unsigned char>::Copy(Env(), out_.data(), out_.size()));
  }
  void OnError(const Napi::Error&) override {
    Napi::HandleScope scope(Env());
    deferred_.Reject(MakeOpenSSLError(Env(), "PBKDF2 failed", errors_).Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  Pbkdf2Args args_;
  std::vector<unsigned char> out_;
  std::vector<ErrorEntry> errors_;
};

Napi::Value Pbkdf2Async(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Pbkdf2Args args;
  if (!Pbkdf2Read(info, &args)) return info.Env().Undefined();
  auto* worker = new Pbkdf2Worker(info.Env(), std::move(args));  // deletes itself when done
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

// signData(pkey, data, digest|null) -> signature (EVP_DigestSign; digest null for Ed25519/Ed448).
Napi::Value SignData(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  PKeyWrap* key = UnwrapAs<PKeyWrap>(info[0], "pkey");
  if (key == nullptr) return env.Undefined();
  if (key->only_public()) return ThrowValue(env, "a private key is needed to sign");
  Bytes data = GetBytes(info[1], "data");
  if (!data.ok) return env.Undefined();
  bool failed = false;
  const EVP_MD* md = DigestByName(env, info[2], "digest", true, &failed);
  if (failed) return env.Undefined();
  MDCtxPointer ctx(EVP_MD_CTX_new());
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key->get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, data.data, data.size) != 1) {
    return ThrowOpenSSL(env, "could not sign");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, data.data, data.size) != 1) {
    return ThrowOpenSSL(env, "could not sign");
  }
  return Napi::Buffer<char>::Copy(env, sig.data(), len);
}

// verifyData(pkey, signature, data, digest|null) -> true, or throws with OpenSSL's reason.
Napi::Value VerifyData(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  PKeyWrap* key = UnwrapAs<PKeyWrap>(info[0], "pkey");
  if (key == nullptr) return env.Undefined();
  Bytes sig = GetBytes(info[1], "signature");
  if (!sig.ok) return env.Undefined();
  Bytes data = GetBytes(info[2], "data");
  if (!data.ok) return env.Undefined();
  bool failed = false;
  const EVP_MD* md = DigestByName(env, info[3], "digest", true, &failed);
  if (failed) return env.Undefined();
  MDCtxPointer ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key->get()) != 1) return ThrowOpenSSL(env, "could not verify");
  int r = EVP_DigestVerify(ctx.get(), sig.data, sig.size, data.data, data.size);
  if (r != 1) {
    RaiseBadSignatureIfQuiet(key->get());
    return ThrowOpenSSL(env, "bad signature");
  }
  return Napi::Boolean::New(env, true);
}
}  // namespace

void InitEVP(Napi::Env env, Napi::Object exports) {
  DigestWrap::Init(env, exports);
  HmacWrap::Init(env, exports);
  CipherWrap::Init(env, exports);
  exports.Set("getDigestNames", Napi::Function::New<GetDigestNames>(env, "getDigestNames"));
  exports.Set("getCipherNames", Napi::Function::New<GetCipherNames>(env, "getCipherNames"));
  exports.Set("signData", Napi::Function::New<SignData>(env, "signData"));
  exports.Set("pbkdf2", Napi::Function::New<Pbkdf2>(env, "pbkdf2"));
  exports.Set("pbkdf2Async", Napi::Function::New<Pbkdf2Async>(env, "pbkdf2Async"));
  exports.Set("verifyData", Napi::Function::New<VerifyData>(env, "verifyData"));
}

}  // namespace ossl
