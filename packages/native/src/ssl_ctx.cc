// Context (SSL_CTX): certificates, keys, trust, verification policy, protocol bounds, ciphers, client
// CA lists, session settings and the JavaScript callbacks (stored here, run by ssl_callbacks.cc).
#include "ssl_ctx.h"

#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/srtp.h>

#include <cstring>

#include "common/passphrase.h"
#include "ssl.h"

namespace ossl {

namespace {
int CtxIndex() {
  // One ex_data slot for the whole process, holding the SSLCtxWrap that owns each SSL_CTX.
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// pyOpenSSL's method numbers.
enum Method {
  kSSLv2 = 1, kSSLv3 = 2, kSSLv23 = 3, kTLSv1 = 4, kTLSv1_1 = 5, kTLSv1_2 = 6,
  kTLS = 7, kTLSServer = 8, kTLSClient = 9, kDTLS = 10, kDTLSServer = 11, kDTLSClient = 12,
};

void FreeNameStack(STACK_OF(X509_NAME)* s) { sk_X509_NAME_pop_free(s, X509_NAME_free); }

bool OptionalPath(Napi::Value v, const char* param, std::string* out, bool* present) {
  *present = false;
  if (v.IsUndefined() || v.IsNull()) return true;
  if (!GetString(v, param, out)) return false;
  if (out->find('\0') != std::string::npos) {
    ThrowValue(v.Env(), std::string("\"") + param + "\" contains a NUL byte");
    return false;
  }
  *present = true;
  return true;
}
}  // namespace

// Methods that change the Context are registered as mutators: they refuse to run while a
// Connection that uses the Context is inside an OpenSSL call (from one of its callbacks).
void SSLCtxWrap::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "Context",
      {
          Mutator<&SSLCtxWrap::UseCertificate>("useCertificate"),
          Mutator<&SSLCtxWrap::UsePrivateKey>("usePrivateKey"),
          Mutator<&SSLCtxWrap::UseCertificateFile>("useCertificateFile"),
          Mutator<&SSLCtxWrap::UseCertificateChainFile>("useCertificateChainFile"),
          Mutator<&SSLCtxWrap::UsePrivateKeyFile>("usePrivateKeyFile"),
          Mutator<&SSLCtxWrap::AddExtraChainCert>("addExtraChainCert"),
          InstanceMethod<&SSLCtxWrap::CheckPrivateKey>("checkPrivateKey"),
          Mutator<&SSLCtxWrap::LoadVerifyLocations>("loadVerifyLocations"),
          Mutator<&SSLCtxWrap::SetDefaultVerifyPaths>("setDefaultVerifyPaths"),
          Mutator<&SSLCtxWrap::SetVerify>("setVerify"),
          Mutator<&SSLCtxWrap::SetVerifyDeferred>("setVerifyDeferred"),
          InstanceMethod<&SSLCtxWrap::GetVerifyMode>("getVerifyMode"),
          Mutator<&SSLCtxWrap::SetVerifyDepth>("setVerifyDepth"),
          InstanceMethod<&SSLCtxWrap::GetVerifyDepth>("getVerifyDepth"),
          Mutator<&SSLCtxWrap::SetCipherList>("setCipherList"),
          Mutator<&SSLCtxWrap::SetCiphersuites>("setCiphersuites"),
          Mutator<&SSLCtxWrap::SetProtoVersion>("setProtoVersion"),
          InstanceMethod<&SSLCtxWrap::GetProtoVersion>("getProtoVersion"),
          Mutator<&SSLCtxWrap::SetOptions>("setOptions"),
          Mutator<&SSLCtxWrap::ClearOptions>("clearOptions"),
          InstanceMethod<&SSLCtxWrap::GetOptions>("getOptions"),
          Mutator<&SSLCtxWrap::SetMode>("setMode"),
          Mutator<&SSLCtxWrap::ClearMode>("clearMode"),
          InstanceMethod<&SSLCtxWrap::GetMode>("getMode"),
          Mutator<&SSLCtxWrap::SetSessionIdContext>("setSessionIdContext"),
          Mutator<&SSLCtxWrap::LoadClientCa>("loadClientCa"),
          Mutator<&SSLCtxWrap::SetClientCaList>("setClientCaList"),
          Mutator<&SSLCtxWrap::AddClientCa>("addClientCa"),
          Mutator<&SSLCtxWrap::SetSessionCacheMode>("setSessionCacheMode"),
          InstanceMethod<&SSLCtxWrap::GetSessionCacheMode>("getSessionCacheMode"),
          Mutator<&SSLCtxWrap::SetTimeout>("setTimeout"),
          InstanceMethod<&SSLCtxWrap::GetTimeout>("getTimeout"),
          Mutator<&SSLCtxWrap::LoadTmpDh>("loadTmpDh"),
          Mutator<&SSLCtxWrap::SetGroups>("setGroups"),
          Mutator<&SSLCtxWrap::SetSigalgs>("setSigalgs"),
          Mutator<&SSLCtxWrap::SetCallback>("setCallback"),
          Mutator<&SSLCtxWrap::SetAlpnProtos>("setAlpnProtos"),
          InstanceMethod<&SSLCtxWrap::GetCertStore>("getCertStore"),
          Mutator<&SSLCtxWrap::UsePskIdentityHint>("usePskIdentityHint"),
          Mutator<&SSLCtxWrap::SetPostHandshakeAuth>("setPostHandshakeAuth"),
          Mutator<&SSLCtxWrap::SetTlsextUseSrtp>("setTlsextUseSrtp"),
          Mutator<&SSLCtxWrap::SetNumTickets>("setNumTickets"),
          InstanceMethod<&SSLCtxWrap::GetTicketKeys>("getTicketKeys"),
          Mutator<&SSLCtxWrap::SetDhAuto>("setDhAuto"),
          Mutator<&SSLCtxWrap::RequestOcsp>("requestOcsp"),
          Mutator<&SSLCtxWrap::EnableCt>("enableCt"),
          Mutator<&SSLCtxWrap::LoadCtLogList>("loadCtLogList"),
          Mutator<&SSLCtxWrap::UseServerinfo>("useServerinfo"),
          InstanceMethod<&SSLCtxWrap::CertStoreStats>("certStoreStats"),
          InstanceMethod<&SSLCtxWrap::GetCaCerts>("getCaCerts"),
          InstanceMethod<&SSLCtxWrap::SessionStats>("sessionStats"),
          InstanceMethod<&SSLCtxWrap::GetVerifyFlags>("getVerifyFlags"),
          Mutator<&SSLCtxWrap::SetVerifyFlags>("setVerifyFlags"),
          Mutator<&SSLCtxWrap::SetTicketKeys>("setTicketKeys"),
      });
  Data(env)->ssl_ctx = Napi::Persistent(ctor);
  exports.Set("Context", ctor);
}

template <Napi::Value (SSLCtxWrap::*Method)(const Napi::CallbackInfo&)>
Napi::Value SSLCtxWrap::Mutating(const Napi::CallbackInfo& info) {
  if (in_use_ > 0) {
    return ThrowReentry(info.Env(), std::string("Context.") + static_cast<const char*>(info.Data()) +
                                        "() cannot be called while OpenSSL runs a callback of a Connection that uses this Context");
  }
  return (this->*Method)(info);
}

template <Napi::Value (SSLCtxWrap::*Method)(const Napi::CallbackInfo&)>
Napi::ObjectWrap<SSLCtxWrap>::PropertyDescriptor SSLCtxWrap::Mutator(const char* name) {
  // The name travels as the method's data, for the refusal's message.
  return InstanceMethod<&SSLCtxWrap::Mutating<Method>>(name, napi_default, const_cast<char*>(name));
}

SSLCtxWrap::SSLCtxWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SSLCtxWrap>(info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t method = 0;
  if (!GetInt(info[0], "method", &method)) return;
  const SSL_METHOD* m = nullptr;
  int fixed_version = 0;
  switch (method) {
    case kSSLv2:
    case kSSLv3:
      ThrowValue(env, "SSLv2 and SSLv3 are insecure and OpenSSL 3 no longer implements them; use TLS_METHOD");
      return;
    case kSSLv23: case kTLS: m = TLS_method(); break;
    case kTLSServer: m = TLS_server_method(); break;
    case kTLSClient: m = TLS_client_method(); break;
    case kTLSv1: m = TLS_method(); fixed_version = TLS1_VERSION; break;
    case kTLSv1_1: m = TLS_method(); fixed_version = TLS1_1_VERSION; break;
    case kTLSv1_2: m = TLS_method(); fixed_version = TLS1_2_VERSION; break;
    case kDTLS: m = DTLS_method(); break;
    case kDTLSServer: m = DTLS_server_method(); break;
    case kDTLSClient: m = DTLS_client_method(); break;
    default:
      ThrowValue(env, "no such TLS method: " + std::to_string(method));
      return;
  }
  ctx_.reset(SSL_CTX_new(m));
  if (!ctx_) {
    ThrowOpenSSL(env, "could not create the context");
    return;
  }
  // The version-specific methods are gone from OpenSSL 3's API; pin both bounds instead.
  if (fixed_version != 0) {
    SSL_CTX_set_min_proto_version(ctx_.get(), fixed_version);
    SSL_CTX_set_max_proto_version(ctx_.get(), fixed_version);
  }
  // As pyOpenSSL: writes may complete partially; the buffer may move between retries because
  // JavaScript hands us the same bytes again from a different Buffer.
  SSL_CTX_set_mode(ctx_.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_ex_data(ctx_.get(), CtxIndex(), this);
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
}

SSLCtxWrap::~SSLCtxWrap() {
  // Connections may keep the SSL_CTX alive after its wrapper is gone: let them find no wrapper.
  if (ctx_) SSL_CTX_set_ex_data(ctx_.get(), CtxIndex(), nullptr);
}

SSLCtxWrap* SSLCtxWrap::FromCtx(const SSL_CTX* ctx) {
  return static_cast<SSLCtxWrap*>(SSL_CTX_get_ex_data(ctx, CtxIndex()));
}

Napi::Value SSLCtxWrap::UseCertificate(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  X509Wrap* cert = UnwrapAs<X509Wrap>(info[0], "cert");
  if (cert == nullptr) return info.Env().Undefined();
  if (SSL_CTX_use_certificate(ctx_.get(), cert->get()) != 1) return ThrowOpenSSL(info.Env(), "could not use the certificate");
  return info.Env().Undefined();
}

Napi::Value SSLCtxWrap::UsePrivateKey(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  PKeyWrap* key = UnwrapAs<PKeyWrap>(info[0], "pkey");
  if (key == nullptr) return info.Env().Undefined();
  if (SSL_CTX_use_PrivateKey(ctx_.get(), key->get()) != 1) return ThrowOpenSSL(info.Env(), "could not use the private key");
  return info.Env().Undefined();
}

Napi::Value SSLCtxWrap::UseCertificateFile(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::string path;
  bool present = false;
  int64_t type = SSL_FILETYPE_PEM;
  if (!OptionalPath(info[0], "certfile", &path, &present)) return env.Undefined();
  if (!present) return ThrowType(env, "certfile", "a string", info[0]);
  if (!info[1].IsUndefined() && !GetInt(info[1], "filetype", &type)) return env.Undefined();
  if (SSL_CTX_use_certificate_file(ctx_.get(), path.c_str(), static_cast<int>(type)) != 1) {
    return ThrowOpenSSL(env, "could not use the certificate file " + path);
  }
  return env.Undefined();
}

Napi::Value SSLCtxWrap::UseCertificateChainFile(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::string path;
  bool present = false;
  if (!OptionalPath(info[0], "certfile", &path, &present)) return env.Undefined();
  if (!present) return ThrowType(env, "certfile", "a string", info[0]);
  if (SSL_CTX_use_certificate_chain_file(ctx_.get(), path.c_str()) != 1) {
    return ThrowOpenSSL(env, "could not use the certificate chain file " + path);
  }
  return env.Undefined();
}

Napi::Value SSLCtxWrap::UsePrivateKeyFile(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::string path;
  bool present = false;
  int64_t type = SSL_FILETYPE_PEM;
  if (!OptionalPath(info[0], "keyfile", &path, &present)) return env.Undefined();
  if (!present) return ThrowType(env, "keyfile", "a string", info[0]);
  if (!info[1].IsUndefined() && !GetInt(info[1], "filetype", &type)) return env.Undefined();
  // Without a passphrase callback OpenSSL would prompt on the terminal for an encrypted key.
  PassphraseSource pass(env);
  if (!pass.Init(info[2], "passphrase")) return env.Undefined();
  InUse in_use(this);  // the passphrase callback must not change this Context under OpenSSL
  SSL_CTX_set_default_passwd_cb(ctx_.get(), PassphraseSource::Callback);
  SSL_CTX_set_default_passwd_cb_userdata(ctx_.get(), &pass);
  int ok = SSL_CTX_use_PrivateKey_file(ctx_.get(), path.c_str(), static_cast<int>(type));
  SSL_CTX_set_default_passwd_cb(ctx_.get(), NoPassphrase);  // `pass` dies with this call
  SSL_CTX_set_default_passwd_cb_userdata(ctx_.get(), nullptr);
  if (pass.RethrowIfFailed()) return env.Undefined();
  if (ok != 1) return ThrowOpenSSL(env, "could not use the private key file " + path);
  return env.Undefined();
}

Napi::Value SSLCtxWrap::AddExtraChainCert(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  X509Wrap* cert = UnwrapAs<X509Wrap>(info[0], "certobj");
  if (cert == nullptr) return info.Env().Undefined();
  // SSL_CTX_add_extra_chain_cert takes ownership of its argument, so hand it a new reference.
  X509_up_ref(cert->get());
  if (SSL_CTX_add_extra_chain_cert(ctx_.get(), cert->get()) != 1) {
    X509_free(cert->get());
    return ThrowOpenSSL(info.Env(), "could not add the chain certificate");
  }
  return info.Env().Undefined();
}

Napi::Value SSLCtxWrap::CheckPrivateKey(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  if (SSL_CTX_check_private_key(ctx_.get()) != 1) return ThrowOpenSSL(info.Env(), "the private key does not match the certificate");
  return info.Env().Undefined();
}

Napi::Value SSLCtxWrap::LoadVerifyLocations(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::string cafile, capath;
  bool has_file = false, has_path = false;
  if (!OptionalPath(info[0], "cafile", &cafile, &has_file)) return env.Undefined();
  if (!OptionalPath(info[1], "capath", &capath, &has_path)) return env.Undefined();
  if (!has_file && !has_path) return ThrowValue(env, "cafile and capath cannot both be null");
  if (StoreVerifying(SSL_CTX_get_cert_store(ctx_.get()))) return ThrowBusy(env);
  if (SSL_CTX_load_verify_locations(ctx_.get(), has_file ? cafile.c_str() : nullptr,
                                    has_path ? capath.c_str() : nullptr) != 1) {
    return ThrowOpenSSL(env, "could not load the verify locations");
  }
  return env.Undefined();
}

Napi::Value SSLCtxWrap::SetDefaultVerifyPaths(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  if (StoreVerifying(SSL_CTX_get_cert_store(ctx_.get()))) return ThrowBusy(info.Env());
  if (SSL_CTX_set_default_verify_paths(ctx_.get()) != 1) return ThrowOpenSSL(info.Env(), "could not set the default verify paths");
  return info.Env().Undefined();
}

// setVerify(mode, callback?): the callback (conn, cert, errnum, depth, ok) => boolean is called
// once per chain element; Connections created afterwards take it.
Napi::Value SSLCtxWrap::SetVerify(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t mode = 0;
  if (!GetInt(info[0], "mode", &mode)) return env.Undefined();
  if (info[1].IsFunction()) {
    verify_cb_ = Napi::Persistent(info[1].As<Napi::Function>());
  } else if (info[1].IsUndefined() || info[1].IsNull()) {
    verify_cb_.Reset();
  } else {
    return ThrowType(env, "callback", "a function", info[1]);
  }
  SSL_CTX_set_verify(ctx_.get(), static_cast<int>(mode), verify_cb_.IsEmpty() ? nullptr : SSLWrap::VerifyTrampoline);
  return env.Undefined();
}

// setVerifyDeferred(mode): verify as `mode` says, but let the handshake finish whatever the verdict;
// OpenSSL's verdict stays in SSL_get_verify_result and in the session (so a resumed connection
// gets the same verdict), for the caller to act on. node:tls's model.
Napi::Value SSLCtxWrap::SetVerifyDeferred(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t mode = 0;
  if (!GetInt(info[0], "mode", &mode)) return env.Undefined();
  verify_cb_.Reset();
  SSL_CTX_set_verify(ctx_.get(), static_cast<int>(mode), SSLWrap::DeferVerdict);
  return env.Undefined();
}

Napi::Value SSLCtxWrap::GetVerifyMode(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), SSL_CTX_get_verify_mode(ctx_.get()));
}

Napi::Value SSLCtxWrap::SetVerifyDepth(const Napi::CallbackInfo& info) {
  int64_t depth = 0;
  if (!GetInt(info[0], "depth", &depth)) return info.Env().Undefined();
  if (depth < 0 || depth > INT32_MAX) return ThrowValue(info.Env(), "depth must be a non-negative integer");
  SSL_CTX_set_verify_depth(ctx_.get(), static_cast<int>(depth));
  return info.Env().Undefined();
}

Napi::Value SSLCtxWrap::GetVerifyDepth(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), SSL_CTX_get_verify_depth(ctx_.get()));
}

Napi::Value SSLCtxWrap::SetCipherList(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  Bytes list = GetBytes(info[0], "cipherList");
  if (!list.ok) return env.Undefined();
  std::string s(reinterpret_cast<const char*>(list.data), list.size);
  if (s.find('\0') != std::string::npos) return ThrowValue(env, "cipher list contains a NUL byte");
  if (SSL_CTX_set_cipher_list(ctx_.get(), s.c_str()) != 1) return ThrowOpenSSL(env, "no cipher matches \"" + s + "\"");
  return env.Undefined();
}

Napi::Value SSLCtxWrap::SetCiphersuites(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  Bytes list = GetBytes(info[0], "ciphersuites");
  if (!list.ok) return env.Undefined();
  std::string s(reinterpret_cast<const char*>(list.data), list.size);
  if (s.find('\0') != std::string::npos) return ThrowValue(env, "ciphersuites contain a NUL byte");
  if (SSL_CTX_set_ciphersuites(ctx_.get(), s.c_str()) != 1) return ThrowOpenSSL(env, "invalid TLS 1.3 ciphersuites \"" + s + "\"");
  return env.Undefined();
}

// setProtoVersion(which, version): which 0 = minimum, 1 = maximum; version 0 = no bound.
Napi::Value SSLCtxWrap::SetProtoVersion(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t which = 0, version = 0;
  if (!GetInt(info[0], "which", &which) || !GetInt(info[1], "version", &version)) return env.Undefined();
  int ok = which == 0 ? SSL_CTX_set_min_proto_version(ctx_.get(), static_cast<int>(version))
                      : SSL_CTX_set_max_proto_version(ctx_.get(), static_cast<int>(version));
  if (ok != 1) return ThrowValue(env, "unsupported protocol version: " + std::to_string(version));
  return env.Undefined();
}

Napi::Value SSLCtxWrap::GetProtoVersion(const Napi::CallbackInfo& info) {
  int64_t which = 0;
  if (!GetInt(info[0], "which", &which)) return info.Env().Undefined();
  long v = which == 0 ? SSL_CTX_get_min_proto_version(ctx_.get()) : SSL_CTX_get_max_proto_version(ctx_.get());
  return Napi::Number::New(info.Env(), static_cast<double>(v));
}

// Options are 64-bit in OpenSSL 3; they cross as BigInt (the JavaScript layer checks the range).
bool GetOptionBits(Napi::Value v, uint64_t* out) {
  if (!v.IsBigInt()) {
    ThrowType(v.Env(), "options", "a bigint", v);
    return false;
  }
  bool lossless = true;
  *out = v.As<Napi::BigInt>().Uint64Value(&lossless);
  return true;
}

Napi::Value SSLCtxWrap::SetOptions(const Napi::CallbackInfo& info) {
  uint64_t opts = 0;
  if (!GetOptionBits(info[0], &opts)) return info.Env().Undefined();
  return Napi::BigInt::New(info.Env(), static_cast<uint64_t>(SSL_CTX_set_options(ctx_.get(), opts)));
}

Napi::Value SSLCtxWrap::ClearOptions(const Napi::CallbackInfo& info) {
  uint64_t opts = 0;
  if (!GetOptionBits(info[0], &opts)) return info.Env().Undefined();
  return Napi::BigInt::New(info.Env(), static_cast<uint64_t>(SSL_CTX_clear_options(ctx_.get(), opts)));
}

Napi::Value SSLCtxWrap::GetOptions(const Napi::CallbackInfo& info) {
  return Napi::BigInt::New(info.Env(), static_cast<uint64_t>(SSL_CTX_get_options(ctx_.get())));
}

Napi::Value SSLCtxWrap::SetMode(const Napi::CallbackInfo& info) {
  int64_t mode = 0;
  if (!GetInt(info[0], "mode", &mode)) return info.Env().Undefined();
  return Napi::Number::New(info.Env(), static_cast<double>(SSL_CTX_set_mode(ctx_.get(), static_cast<long>(mode))));
}

Napi::Value SSLCtxWrap::ClearMode(const Napi::CallbackInfo& info) {
  int64_t mode = 0;
  if (!GetInt(info[0], "mode", &mode)) return info.Env().Undefined();
  return Napi::Number::New(info.Env(), static_cast<double>(SSL_CTX_clear_mode(ctx_.get(), static_cast<long>(mode))));
}

Napi::Value SSLCtxWrap::GetMode(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(SSL_CTX_get_mode(ctx_.get())));
}

Napi::Value SSLCtxWrap::SetSessionIdContext(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Bytes id = GetBytes(info[0], "buf");
  if (!id.ok) return info.Env().Undefined();
  if (id.size > SSL_MAX_SID_CTX_LENGTH) return ThrowValue(info.Env(), "session id context is too long (at most 32 bytes)");
  if (SSL_CTX_set_session_id_context(ctx_.get(), id.data, static_cast<unsigned int>(id.size)) != 1) {
    return ThrowOpenSSL(info.Env(), "could not set the session id context");
  }
  return info.Env().Undefined();
}

Napi::Value SSLCtxWrap::LoadClientCa(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::string path;
  if (!GetString(info[0], "cafile", &path)) return env.Undefined();
  if (path.find('\0') != std::string::npos) return ThrowValue(env, "cafile contains a NUL byte");
  STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(path.c_str());
  if (names == nullptr) return ThrowOpenSSL(env, "could not load client CA names from " + path);
  SSL_CTX_set_client_CA_list(ctx_.get(), names);  // the context owns the list now
  return env.Undefined();
}

Napi::Value SSLCtxWrap::SetClientCaList(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  if (!info[0].IsArray()) return ThrowType(env, "certificateAuthorities", "an array of X509Name", info[0]);
  Napi::Array arr = info[0].As<Napi::Array>();
  std::unique_ptr<STACK_OF(X509_NAME), void (*)(STACK_OF(X509_NAME)*)> names(sk_X509_NAME_new_null(), FreeNameStack);
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    X509NameWrap* name = UnwrapAs<X509NameWrap>(arr.Get(i), "certificateAuthorities");
    if (name == nullptr) return env.Undefined();
    X509_NAME* copy = X509_NAME_dup(name->get());
    if (copy == nullptr || sk_X509_NAME_push(names.get(), copy) <= 0) {
      X509_NAME_free(copy);
      return ThrowOpenSSL(env, "out of memory");
    }
  }
  SSL_CTX_set_client_CA_list(ctx_.get(), names.release());  // the context owns the list now
  return env.Undefined();
}

Napi::Value SSLCtxWrap::AddClientCa(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  X509Wrap* cert = UnwrapAs<X509Wrap>(info[0], "certificateAuthority");
  if (cert == nullptr) return info.Env().Undefined();
  if (SSL_CTX_add_client_CA(ctx_.get(), cert->get()) != 1) return ThrowOpenSSL(info.Env(), "could not add the client CA");
  return info.Env().Undefined();
}

Napi::Value SSLCtxWrap::SetSessionCacheMode(const Napi::CallbackInfo& info) {
  int64_t mode = 0;
  if (!GetInt(info[0], "mode", &mode)) return info.Env().Undefined();
  return Napi::Number::New(info.Env(), static_cast<double>(SSL_CTX_set_session_cache_mode(ctx_.get(), static_cast<long>(mode))));
}

Napi::Value SSLCtxWrap::GetSessionCacheMode(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(SSL_CTX_get_session_cache_mode(ctx_.get())));
}

Napi::Value SSLCtxWrap::SetTimeout(const Napi::CallbackInfo& info) {
  int64_t t = 0;
  if (!GetInt(info[0], "timeout", &t)) return info.Env().Undefined();
  if (t < 0) return ThrowValue(info.Env(), "timeout must not be negative");
  return Napi::Number::New(info.Env(), static_cast<double>(SSL_CTX_set_timeout(ctx_.get(), static_cast<long>(t))));
}

Napi::Value SSLCtxWrap::GetTimeout(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(SSL_CTX_get_timeout(ctx_.get())));
}

// loadTmpDh(path): DH parameters (PEM) for finite-field DHE cipher suites.
// loadTmpDh(dhfile): DH parameters for DHE from a PEM file; given a Buffer, from the PEM in it.
// Returns the size of the parameters in bits.
Napi::Value SSLCtxWrap::LoadTmpDh(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  BIOPointer bio;
  std::string where;
  if (info[0].IsBuffer()) {
    Bytes pem = GetBytes(info[0], "dhparam");
    if (!pem.ok) return env.Undefined();
    bio.reset(BIO_new_mem_buf(pem.data, static_cast<int>(pem.size)));
    where = "the dhparam PEM";
    if (!bio) return ThrowOpenSSL(env, "could not read " + where);
  } else {
    std::string path;
    if (!GetString(info[0], "dhfile", &path)) return env.Undefined();
    if (path.find('\0') != std::string::npos) return ThrowValue(env, "dhfile contains a NUL byte");
    bio.reset(BIO_new_file(path.c_str(), "r"));
    where = path;
    if (!bio) return ThrowOpenSSL(env, "could not open " + path);
  }
  EVPKeyPointer params(PEM_read_bio_Parameters(bio.get(), nullptr));
  if (!params || EVP_PKEY_get_base_id(params.get()) != EVP_PKEY_DH) {
    if (ERR_peek_error() == 0) ERR_raise(ERR_LIB_PEM, PEM_R_NO_START_LINE);
    return ThrowOpenSSL(env, "no DH parameters in " + where);
  }
  int bits = EVP_PKEY_get_bits(params.get());
  if (SSL_CTX_set0_tmp_dh_pkey(ctx_.get(), params.get()) != 1) return ThrowOpenSSL(env, "could not use the DH parameters");
  params.release();  // SSL_CTX_set0_tmp_dh_pkey took ownership
  return Napi::Number::New(env, bits);
}

namespace {
// The certificates and CRLs loaded into a store so far (a capath directory adds its files as they
// are looked up), read under the store's lock. `certs` gets new references.
void StoreContents(X509_STORE* store, std::vector<X509Pointer>* certs, int* crls) {
  *crls = 0;
  if (X509_STORE_lock(store) != 1) return;
  STACK_OF(X509_OBJECT)* objects = X509_STORE_get0_objects(store);
  for (int i = 0; i < sk_X509_OBJECT_num(objects); i++) {
    X509_OBJECT* o = sk_X509_OBJECT_value(objects, i);
    if (X509_OBJECT_get_type(o) == X509_LU_X509) {
      X509* c = X509_OBJECT_get0_X509(o);
      if (X509_up_ref(c) == 1) certs->emplace_back(c);
    } else if (X509_OBJECT_get_type(o) == X509_LU_CRL) {
      ++*crls;
    }
  }
  X509_STORE_unlock(store);
}
}  // namespace

// certStoreStats() -> {x509, crl, x509_ca}, as Python's cert_store_stats.
Napi::Value SSLCtxWrap::CertStoreStats(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::vector<X509Pointer> certs;
  int crls = 0;
  StoreContents(SSL_CTX_get_cert_store(ctx_.get()), &certs, &crls);
  int ca = 0;
  for (const X509Pointer& c : certs) {
    if (X509_check_ca(c.get()) != 0) ++ca;
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("x509", Napi::Number::New(env, static_cast<double>(certs.size())));
  out.Set("crl", Napi::Number::New(env, crls));
  out.Set("x509_ca", Napi::Number::New(env, ca));
  return out;
}

// getCaCerts() -> the CA certificates in the store (X509_check_ca), as Python's get_ca_certs.
Napi::Value SSLCtxWrap::GetCaCerts(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::vector<X509Pointer> certs;
  int crls = 0;
  StoreContents(SSL_CTX_get_cert_store(ctx_.get()), &certs, &crls);
  Napi::Array out = Napi::Array::New(env);
  uint32_t n = 0;
  for (X509Pointer& c : certs) {
    if (X509_check_ca(c.get()) == 0) continue;
    Napi::Value v = X509Wrap::NewOwned(env, std::move(c));
    if (env.IsExceptionPending()) return env.Undefined();
    out.Set(n++, v);
  }
  return out;
}

// sessionStats() -> OpenSSL's session counters, as Python's session_stats.
Napi::Value SSLCtxWrap::SessionStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SSL_CTX* ctx = ctx_.get();
  Napi::Object out = Napi::Object::New(env);
  out.Set("number", Napi::Number::New(env, SSL_CTX_sess_number(ctx)));
  out.Set("connect", Napi::Number::New(env, SSL_CTX_sess_connect(ctx)));
  out.Set("connect_good", Napi::Number::New(env, SSL_CTX_sess_connect_good(ctx)));
  out.Set("connect_renegotiate", Napi::Number::New(env, SSL_CTX_sess_connect_renegotiate(ctx)));
  out.Set("accept", Napi::Number::New(env, SSL_CTX_sess_accept(ctx)));
  out.Set("accept_good", Napi::Number::New(env, SSL_CTX_sess_accept_good(ctx)));
  out.Set("accept_renegotiate", Napi::Number::New(env, SSL_CTX_sess_accept_renegotiate(ctx)));
  out.Set("hits", Napi::Number::New(env, SSL_CTX_sess_hits(ctx)));
  out.Set("misses", Napi::Number::New(env, SSL_CTX_sess_misses(ctx)));
  out.Set("timeouts", Napi::Number::New(env, SSL_CTX_sess_timeouts(ctx)));
  out.Set("cache_full", Napi::Number::New(env, SSL_CTX_sess_cache_full(ctx)));
  return out;
}

// getVerifyFlags() / setVerifyFlags(flags): the X509_V_FLAG_* bits of the Context's verification.
Napi::Value SSLCtxWrap::GetVerifyFlags(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(X509_VERIFY_PARAM_get_flags(SSL_CTX_get0_param(ctx_.get()))));
}

Napi::Value SSLCtxWrap::SetVerifyFlags(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t flags = 0;
  if (!GetInt(info[0], "flags", &flags)) return env.Undefined();
  if (flags < 0 || flags > 0xffffffffLL) return ThrowValue(env, "\"flags\" must be 0 to 2^32-1");
  X509_VERIFY_PARAM* param = SSL_CTX_get0_param(ctx_.get());
  // Python's setter replaces the flags: clear what is set, then set the new bits.
  if (X509_VERIFY_PARAM_clear_flags(param, X509_VERIFY_PARAM_get_flags(param)) != 1 ||
      X509_VERIFY_PARAM_set_flags(param, static_cast<unsigned long>(flags)) != 1) {
    return ThrowOpenSSL(env, "could not set the verify flags");
  }
  return env.Undefined();
}

// requestOcsp(): every client Connection made from now on asks for a stapled OCSP response.
Napi::Value SSLCtxWrap::RequestOcsp(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  if (SSL_CTX_set_tlsext_status_type(ctx_.get(), TLSEXT_STATUSTYPE_ocsp) != 1) return ThrowOpenSSL(info.Env(), "could not request OCSP stapling");
  return info.Env().Undefined();
}

namespace {
int kStrictCt = 1;  // its address marks the strict policy

// SSL_CT_VALIDATION_PERMISSIVE and _STRICT as OpenSSL defines them (strict: at least one valid SCT).
int CtPolicyCallback(const CT_POLICY_EVAL_CTX*, const STACK_OF(SCT)* scts, void* arg) {
  ERR_clear_error();
  if (arg == nullptr) return 1;
  for (int i = 0; i < sk_SCT_num(scts); i++) {
    if (SCT_get_validation_status(sk_SCT_value(scts, i)) == SCT_VALIDATION_STATUS_VALID) return 1;
  }
  ERR_raise(ERR_LIB_SSL, SSL_R_NO_VALID_SCTS);
  return 0;
}
}  // namespace

// enableCt(mode): OpenSSL's own SCT check on clients (SSL_CTX_enable_ct), 0 permissive, 1 strict;
// it replaces a JavaScript CT callback.
Napi::Value SSLCtxWrap::EnableCt(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  int64_t mode = 0;
  if (!GetInt(info[0], "mode", &mode)) return info.Env().Undefined();
  if (mode != SSL_CT_VALIDATION_PERMISSIVE && mode != SSL_CT_VALIDATION_STRICT) return ThrowValue(info.Env(), "unknown CT validation mode");
  // OpenSSL's own policies, but clearing the errors SCT validation queues (a future timestamp, a bad
  // signature): left on the queue, they turn the next want-read of a non-blocking handshake into a
  // failure, which is why SSL_CTX_enable_ct's callbacks are not used as they are.
  void* arg = mode == SSL_CT_VALIDATION_STRICT ? &kStrictCt : nullptr;
  if (SSL_CTX_set_ct_validation_callback(ctx_.get(), CtPolicyCallback, arg) != 1) return ThrowOpenSSL(info.Env(), "could not enable CT");
  callbacks_[kCt].Reset();
  return info.Env().Undefined();
}

// loadCtLogList(path): adds the logs of an OpenSSL CT log list file (SSL_CTX_set_ctlog_list_file).
Napi::Value SSLCtxWrap::LoadCtLogList(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::string path;
  if (!GetString(info[0], "path", &path)) return env.Undefined();
  if (path.find('\0') != std::string::npos) return ThrowValue(env, "path contains a NUL byte");
  if (SSL_CTX_set_ctlog_list_file(ctx_.get(), path.c_str()) != 1) return ThrowOpenSSL(env, "could not load the CT log list");
  return env.Undefined();
}

// useServerinfo(data, version): TLS extensions a server sends with its certificate
// (SSL_CTX_use_serverinfo_ex; version 1: type, length, data; version 2: a 4-byte context first).
Napi::Value SSLCtxWrap::UseServerinfo(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  Bytes data = GetBytes(info[0], "serverinfo");
  if (!data.ok) return env.Undefined();
  int64_t version = 0;
  if (!GetInt(info[1], "version", &version)) return env.Undefined();
  if (version != SSL_SERVERINFOV1 && version != SSL_SERVERINFOV2) return ThrowValue(env, "\"version\" must be 1 or 2");
  if (SSL_CTX_use_serverinfo_ex(ctx_.get(), static_cast<unsigned int>(version), data.data, data.size) != 1) {
    return ThrowOpenSSL(env, "could not use the serverinfo");
  }
  return env.Undefined();
}

// setDhAuto(): DH parameters for DHE chosen by OpenSSL to match the certificate's strength.
Napi::Value SSLCtxWrap::SetDhAuto(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  if (SSL_CTX_set_dh_auto(ctx_.get(), 1) != 1) return ThrowOpenSSL(info.Env(), "could not turn on automatic DH parameters");
  return info.Env().Undefined();
}

Napi::Value SSLCtxWrap::SetGroups(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::string groups;
  if (!GetString(info[0], "groups", &groups)) return env.Undefined();
  if (groups.find('\0') != std::string::npos) return ThrowValue(env, "groups contain a NUL byte");
  if (SSL_CTX_set1_groups_list(ctx_.get(), groups.c_str()) != 1) return ThrowOpenSSL(env, "invalid groups \"" + groups + "\"");
  return env.Undefined();
}

Napi::Value SSLCtxWrap::SetSigalgs(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::string sigalgs;
  if (!GetString(info[0], "sigalgs", &sigalgs)) return env.Undefined();
  if (sigalgs.find('\0') != std::string::npos) return ThrowValue(env, "sigalgs contain a NUL byte");
  if (SSL_CTX_set1_sigalgs_list(ctx_.get(), sigalgs.c_str()) != 1) return ThrowOpenSSL(env, "invalid signature algorithms \"" + sigalgs + "\"");
  return env.Undefined();
}

// setCallback(kind, fn | null): installs or removes one of the JavaScript callbacks.
Napi::Value SSLCtxWrap::SetCallback(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name;
  if (!GetString(info[0], "kind", &name)) return env.Undefined();
  bool on = info[1].IsFunction();
  if (!on && !info[1].IsNull() && !info[1].IsUndefined()) return ThrowType(env, "callback", "a function", info[1]);
  static const char* const kNames[kKindCount] = {"info",      "keylog",         "servername",   "alpnSelect", "ocsp",
                                                 "pskServer", "pskClient",      "cookieGenerate", "cookieVerify", "newSession",
                                                 "cert",      "clientHello",    "ct"};
  int kind = 0;
  while (kind < kKindCount && name != kNames[kind]) ++kind;
  if (kind == kKindCount) return ThrowValue(env, "unknown callback kind: " + name);
  Napi::FunctionReference& slot = callbacks_[kind];
  if (on) slot = Napi::Persistent(info[1].As<Napi::Function>());
  else slot.Reset();
  SSL_CTX* ctx = ctx_.get();
  switch (static_cast<Kind>(kind)) {
    case kInfo: SSL_CTX_set_info_callback(ctx, on ? SSLWrap::InfoTrampoline : nullptr); break;
    case kKeylog: SSL_CTX_set_keylog_callback(ctx, on ? SSLWrap::KeylogTrampoline : nullptr); break;
    case kServername: SSL_CTX_set_tlsext_servername_callback(ctx, (on ? SSLWrap::ServernameTrampoline : nullptr)); break;
    case kAlpnSelect: SSL_CTX_set_alpn_select_cb(ctx, on ? SSLWrap::AlpnSelectTrampoline : nullptr, nullptr); break;
    case kOcsp: SSL_CTX_set_tlsext_status_cb(ctx, (on ? SSLWrap::OcspTrampoline : nullptr)); break;
    case kPskServer: SSL_CTX_set_psk_server_callback(ctx, on ? SSLWrap::PskServerTrampoline : nullptr); break;
    case kPskClient: SSL_CTX_set_psk_client_callback(ctx, on ? SSLWrap::PskClientTrampoline : nullptr); break;
    case kCookieGenerate: SSL_CTX_set_cookie_generate_cb(ctx, on ? SSLWrap::CookieGenerateTrampoline : nullptr); break;
    case kCookieVerify: SSL_CTX_set_cookie_verify_cb(ctx, on ? SSLWrap::CookieVerifyTrampoline : nullptr); break;
    case kNewSession:
      SSL_CTX_sess_set_new_cb(ctx, on ? SSLWrap::NewSessionTrampoline : nullptr);
      // OpenSSL reports a client's new sessions (TLS 1.2 at the end of the handshake, each TLS 1.3
      // ticket as it arrives) only when the client session cache mode is on.
      if (on) SSL_CTX_set_session_cache_mode(ctx, SSL_CTX_get_session_cache_mode(ctx) | SSL_SESS_CACHE_CLIENT);
      break;
    case kCert: SSL_CTX_set_cert_cb(ctx, on ? SSLWrap::CertTrampoline : nullptr, nullptr); break;
    case kClientHello:
      SSL_CTX_set_client_hello_cb(ctx, on ? SSLWrap::ClientHelloTrampoline : nullptr, nullptr);
      // A session the client-hello callback found (Connection.setPendingSession) is OpenSSL's answer
      // to the session id lookup.
      SSL_CTX_sess_set_get_cb(ctx, on ? SSLWrap::PendingSessionTrampoline : nullptr);
      break;
    case kCt:
      // Each Connection gets its own pointer as the callback's argument (SSLWrap's constructor): the
      // CT callback is not told which connection it runs for.
      if (SSL_CTX_set_ct_validation_callback(ctx, on ? SSLWrap::CtTrampoline : nullptr, nullptr) != 1) {
        slot.Reset();
        return ThrowOpenSSL(env, "could not set the CT validation callback");
      }
      break;
    case kKindCount: break;
  }
  return env.Undefined();
}

// setAlpnProtos(wire): the client's offer in wire format (length-prefixed names).
Napi::Value SSLCtxWrap::SetAlpnProtos(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Bytes wire = GetBytes(info[0], "protos");
  if (!wire.ok) return info.Env().Undefined();
  // SSL_CTX_set_alpn_protos returns 0 on success.
  if (SSL_CTX_set_alpn_protos(ctx_.get(), wire.data, static_cast<unsigned int>(wire.size)) != 0) {
    return ThrowOpenSSL(info.Env(), "invalid ALPN protocol list");
  }
  return info.Env().Undefined();
}

Napi::Value SSLCtxWrap::GetCertStore(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  return X509StoreWrap::NewFromRef(info.Env(), SSL_CTX_get_cert_store(ctx_.get()));
}

Napi::Value SSLCtxWrap::UsePskIdentityHint(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  Bytes hint = GetBytes(info[0], "hint");
  if (!hint.ok) return env.Undefined();
  std::string s(reinterpret_cast<const char*>(hint.data), hint.size);
  if (s.find('\0') != std::string::npos) return ThrowValue(env, "hint contains a NUL byte");
  if (SSL_CTX_use_psk_identity_hint(ctx_.get(), s.c_str()) != 1) return ThrowOpenSSL(env, "invalid PSK identity hint");
  return env.Undefined();
}

Napi::Value SSLCtxWrap::SetPostHandshakeAuth(const Napi::CallbackInfo& info) {
  SSL_CTX_set_post_handshake_auth(ctx_.get(), info[0].ToBoolean().Value() ? 1 : 0);
  return info.Env().Undefined();
}

Napi::Value SSLCtxWrap::SetTlsextUseSrtp(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::string profiles;
  if (!GetString(info[0], "profiles", &profiles)) return env.Undefined();
  if (profiles.find('\0') != std::string::npos) return ThrowValue(env, "profiles contain a NUL byte");
  // SSL_CTX_set_tlsext_use_srtp returns 0 on success.
  if (SSL_CTX_set_tlsext_use_srtp(ctx_.get(), profiles.c_str()) != 0) return ThrowOpenSSL(env, "invalid SRTP profiles \"" + profiles + "\"");
  return env.Undefined();
}

Napi::Value SSLCtxWrap::SetNumTickets(const Napi::CallbackInfo& info) {
  int64_t n = 0;
  if (!GetInt(info[0], "n", &n)) return info.Env().Undefined();
  if (n < 0) return ThrowValue(info.Env(), "the number of tickets must not be negative");
  SSL_CTX_set_num_tickets(ctx_.get(), static_cast<size_t>(n));
  return info.Env().Undefined();
}

// ---- Session ticket keys (node:tls's ticketKeys) ----------------------------------------------------

void SSLCtxWrap::UseTicketKeys(const unsigned char* keys) {
  std::memcpy(ticket_keys_, keys, sizeof(ticket_keys_));
  if (!ticket_keys_set_) SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx_.get(), TicketKeyCallback);
  ticket_keys_set_ = true;
}

// getTicketKeys(): the 48 bytes of the keys in use. OpenSSL does not reveal its own random keys, so
// the first read replaces them with new random ones (tickets issued before then no longer resume).
Napi::Value SSLCtxWrap::GetTicketKeys(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  if (!ticket_keys_set_) {
    unsigned char keys[48];
    if (RAND_bytes(keys, sizeof(keys)) != 1) return ThrowOpenSSL(info.Env(), "could not make ticket keys");
    UseTicketKeys(keys);
    OPENSSL_cleanse(keys, sizeof(keys));
  }
  return Napi::Buffer<unsigned char>::Copy(info.Env(), ticket_keys_, sizeof(ticket_keys_));
}

// setTicketKeys(keys): 48 bytes (name, HMAC key, AES key), shared by every server that should resume
// the others' tickets (the workers of a cluster).
Napi::Value SSLCtxWrap::SetTicketKeys(const Napi::CallbackInfo& info) {
  Bytes keys = GetBytes(info[0], "keys");
  if (!keys.ok) return info.Env().Undefined();
  if (keys.size != sizeof(ticket_keys_)) return ThrowValue(info.Env(), "ticket keys must be 48 bytes long");
  UseTicketKeys(keys.data);
  return info.Env().Undefined();
}

int SSLCtxWrap::TicketKeyCallback(SSL* ssl, unsigned char key_name[16], unsigned char* iv, EVP_CIPHER_CTX* cctx, EVP_MAC_CTX* hctx, int enc) {
  SSLWrap* conn = SSLWrap::FromSSL(ssl);
  SSLCtxWrap* self = conn != nullptr ? conn->SessionContext() : nullptr;
  if (self == nullptr || !self->ticket_keys_set_) return -1;
  const unsigned char* name = self->ticket_keys_;
  unsigned char* hmac_key = self->ticket_keys_ + 16;
  const unsigned char* aes_key = self->ticket_keys_ + 32;
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, hmac_key, 16),
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end(),
  };
  if (enc == 1) {
    std::memcpy(key_name, name, 16);
    if (RAND_bytes(iv, 16) != 1) return -1;
    if (EVP_EncryptInit_ex(cctx, EVP_aes_128_cbc(), nullptr, aes_key, iv) != 1) return -1;
    if (EVP_MAC_CTX_set_params(hctx, params) != 1) return -1;
    return 1;
  }
  // A ticket under another key: not ours (0: a full handshake, and a new ticket).
  if (std::memcmp(key_name, name, 16) != 0) return 0;
  if (EVP_MAC_CTX_set_params(hctx, params) != 1) return -1;
  if (EVP_DecryptInit_ex(cctx, EVP_aes_128_cbc(), nullptr, aes_key, iv) != 1) return -1;
  return 1;
}

}  // namespace ossl
