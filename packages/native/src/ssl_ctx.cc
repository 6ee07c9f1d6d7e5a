// Context (SSL_CTX): certificates, keys, trust, verification policy, protocol bounds and ciphers.
#include "common/passphrase.h"
#include "ssl_objects.h"

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

void SSLCtxWrap::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "Context",
      {
          InstanceMethod<&SSLCtxWrap::UseCertificate>("useCertificate"),
          InstanceMethod<&SSLCtxWrap::UsePrivateKey>("usePrivateKey"),
          InstanceMethod<&SSLCtxWrap::UseCertificateFile>("useCertificateFile"),
          InstanceMethod<&SSLCtxWrap::UseCertificateChainFile>("useCertificateChainFile"),
          InstanceMethod<&SSLCtxWrap::UsePrivateKeyFile>("usePrivateKeyFile"),
          InstanceMethod<&SSLCtxWrap::AddExtraChainCert>("addExtraChainCert"),
          InstanceMethod<&SSLCtxWrap::CheckPrivateKey>("checkPrivateKey"),
          InstanceMethod<&SSLCtxWrap::LoadVerifyLocations>("loadVerifyLocations"),
          InstanceMethod<&SSLCtxWrap::SetDefaultVerifyPaths>("setDefaultVerifyPaths"),
          InstanceMethod<&SSLCtxWrap::SetVerify>("setVerify"),
          InstanceMethod<&SSLCtxWrap::SetVerifyDeferred>("setVerifyDeferred"),
          InstanceMethod<&SSLCtxWrap::GetVerifyMode>("getVerifyMode"),
          InstanceMethod<&SSLCtxWrap::SetVerifyDepth>("setVerifyDepth"),
          InstanceMethod<&SSLCtxWrap::GetVerifyDepth>("getVerifyDepth"),
          InstanceMethod<&SSLCtxWrap::SetCipherList>("setCipherList"),
          InstanceMethod<&SSLCtxWrap::SetCiphersuites>("setCiphersuites"),
          InstanceMethod<&SSLCtxWrap::SetProtoVersion>("setProtoVersion"),
          InstanceMethod<&SSLCtxWrap::GetProtoVersion>("getProtoVersion"),
          InstanceMethod<&SSLCtxWrap::SetOptions>("setOptions"),
          InstanceMethod<&SSLCtxWrap::ClearOptions>("clearOptions"),
          InstanceMethod<&SSLCtxWrap::GetOptions>("getOptions"),
          InstanceMethod<&SSLCtxWrap::SetMode>("setMode"),
          InstanceMethod<&SSLCtxWrap::SetSessionIdContext>("setSessionIdContext"),
          InstanceMethod<&SSLCtxWrap::LoadClientCa>("loadClientCa"),
          InstanceMethod<&SSLCtxWrap::SetClientCaList>("setClientCaList"),
          InstanceMethod<&SSLCtxWrap::AddClientCa>("addClientCa"),
          InstanceMethod<&SSLCtxWrap::SetSessionCacheMode>("setSessionCacheMode"),
          InstanceMethod<&SSLCtxWrap::GetSessionCacheMode>("getSessionCacheMode"),
          InstanceMethod<&SSLCtxWrap::SetTimeout>("setTimeout"),
          InstanceMethod<&SSLCtxWrap::GetTimeout>("getTimeout"),
          InstanceMethod<&SSLCtxWrap::LoadTmpDh>("loadTmpDh"),
          InstanceMethod<&SSLCtxWrap::SetGroups>("setGroups"),
          InstanceMethod<&SSLCtxWrap::SetSigalgs>("setSigalgs"),
          InstanceMethod<&SSLCtxWrap::SetCallback>("setCallback"),
          InstanceMethod<&SSLCtxWrap::SetAlpnProtos>("setAlpnProtos"),
          InstanceMethod<&SSLCtxWrap::GetCertStore>("getCertStore"),
          InstanceMethod<&SSLCtxWrap::UsePskIdentityHint>("usePskIdentityHint"),
          InstanceMethod<&SSLCtxWrap::SetPostHandshakeAuth>("setPostHandshakeAuth"),
          InstanceMethod<&SSLCtxWrap::SetTlsextUseSrtp>("setTlsextUseSrtp"),
          InstanceMethod<&SSLCtxWrap::SetNumTickets>("setNumTickets"),
      });
  Data(env)->ssl_ctx = Napi::Persistent(ctor);
  exports.Set("Context", ctor);
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
  if (SSL_CTX_load_verify_locations(ctx_.get(), has_file ? cafile.c_str() : nullptr,
                                    has_path ? capath.c_str() : nullptr) != 1) {
    return ThrowOpenSSL(env, "could not load the verify locations");
  }
  return env.Undefined();
}

Napi::Value SSLCtxWrap::SetDefaultVerifyPaths(const Napi::CallbackInfo& info) {
  ErrGuard guard;
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

// Options are 64-bit in OpenSSL 3; they cross as BigInt.
Napi::Value SSLCtxWrap::SetOptions(const Napi::CallbackInfo& info) {
  if (!info[0].IsBigInt()) return ThrowType(info.Env(), "options", "a bigint", info[0]);
  bool lossless = true;
  uint64_t opts = info[0].As<Napi::BigInt>().Uint64Value(&lossless);
  return Napi::BigInt::New(info.Env(), static_cast<uint64_t>(SSL_CTX_set_options(ctx_.get(), opts)));
}

Napi::Value SSLCtxWrap::ClearOptions(const Napi::CallbackInfo& info) {
  if (!info[0].IsBigInt()) return ThrowType(info.Env(), "options", "a bigint", info[0]);
  bool lossless = true;
  uint64_t opts = info[0].As<Napi::BigInt>().Uint64Value(&lossless);
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

void InitSSLCtx(Napi::Env env, Napi::Object exports) { SSLCtxWrap::Init(env, exports); }

}  // namespace ossl
