// Connection: sessions, keying material, finished messages, renegotiation, ALPN, OCSP, client CA
// lists, post-handshake authentication; and Session, a resumable TLS session.
#include <cstring>

#include "ssl_objects.h"

namespace ossl {

namespace {
Napi::Value BufferOrNull(Napi::Env env, const unsigned char* data, size_t len) {
  if (data == nullptr || len == 0) return env.Null();
  return Napi::Buffer<unsigned char>::Copy(env, data, len);
}
}  // namespace

bool SSLWrap::RefuseIfFailed(Napi::Env env) {
  if (!failed_) return false;
  Napi::Error e = Napi::Error::New(env, "the connection failed in one of its callbacks and cannot go on");
  e.Value().Set("opensslError", Napi::Boolean::New(env, true));
  e.Value().Set("errors", Napi::Array::New(env));
  e.Value().Set("code", Napi::String::New(env, "ERR_SSL_CALLBACK_FAILED"));
  e.ThrowAsJavaScriptException();
  return true;
}

// setContext(ctx): switch to another Context (SSL_set_SSL_CTX), typically from the SNI callback.
Napi::Value SSLWrap::SetContext(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  SSLCtxWrap* ctx = UnwrapAs<SSLCtxWrap>(info[0], "context");
  if (ctx == nullptr) return env.Undefined();
  if (SSL_set_SSL_CTX(ssl_.get(), ctx->get()) == nullptr) return ThrowOpenSSL(env, "could not switch the context");
  ctx_ref_ = Napi::Persistent(info[0].As<Napi::Object>());
  return env.Undefined();
}

Napi::Value SSLWrap::GetSession(const Napi::CallbackInfo& info) {
  SSL_SESSION* sess = SSL_get1_session(ssl_.get());  // a new reference
  if (sess == nullptr) return info.Env().Null();
  return SessionWrap::NewOwned(info.Env(), sess);
}

Napi::Value SSLWrap::SetSession(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  SessionWrap* sess = UnwrapAs<SessionWrap>(info[0], "session");
  if (sess == nullptr) return info.Env().Undefined();
  if (SSL_set_session(ssl_.get(), sess->get()) != 1) return ThrowOpenSSL(info.Env(), "could not set the session");
  return info.Env().Undefined();
}

Napi::Value SSLWrap::SessionReused(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), SSL_session_reused(ssl_.get()) == 1);
}

Napi::Value SSLWrap::GetFinished(const Napi::CallbackInfo& info) {
  unsigned char buf[EVP_MAX_MD_SIZE];
  size_t len = SSL_get_finished(ssl_.get(), buf, sizeof(buf));
  return BufferOrNull(info.Env(), buf, std::min(len, sizeof(buf)));
}

Napi::Value SSLWrap::GetPeerFinished(const Napi::CallbackInfo& info) {
  unsigned char buf[EVP_MAX_MD_SIZE];
  size_t len = SSL_get_peer_finished(ssl_.get(), buf, sizeof(buf));
  return BufferOrNull(info.Env(), buf, std::min(len, sizeof(buf)));
}

// exportKeyingMaterial(label, length, context?): RFC 5705 / RFC 8446 exporter.
Napi::Value SSLWrap::ExportKeyingMaterial(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  Bytes label = GetBytes(info[0], "label");
  if (!label.ok) return env.Undefined();
  int64_t olen = 0;
  if (!GetInt(info[1], "olen", &olen)) return env.Undefined();
  if (olen <= 0 || olen > 1 << 20) return ThrowValue(env, "olen must be between 1 and 1048576");
  Bytes context;
  bool has_context = !info[2].IsUndefined() && !info[2].IsNull();
  if (has_context) {
    context = GetBytes(info[2], "context");
    if (!context.ok) return env.Undefined();
  }
  std::string label_text(reinterpret_cast<const char*>(label.data), label.size);
  Napi::Buffer<unsigned char> out = Napi::Buffer<unsigned char>::New(env, static_cast<size_t>(olen));
  if (SSL_export_keying_material(ssl_.get(), out.Data(), static_cast<size_t>(olen), label_text.data(), label_text.size(),
                                 has_context ? context.data : nullptr, has_context ? context.size : 0, has_context ? 1 : 0) != 1) {
    return ThrowOpenSSL(env, "could not export keying material");
  }
  return out;
}

Napi::Value SSLWrap::ServerRandom(const Napi::CallbackInfo& info) {
  unsigned char buf[SSL3_RANDOM_SIZE];
  size_t len = SSL_get_server_random(ssl_.get(), buf, sizeof(buf));
  if (SSL_get_session(ssl_.get()) == nullptr) return info.Env().Null();
  return BufferOrNull(info.Env(), buf, len);
}

Napi::Value SSLWrap::ClientRandom(const Napi::CallbackInfo& info) {
  unsigned char buf[SSL3_RANDOM_SIZE];
  size_t len = SSL_get_client_random(ssl_.get(), buf, sizeof(buf));
  if (SSL_get_session(ssl_.get()) == nullptr) return info.Env().Null();
  return BufferOrNull(info.Env(), buf, len);
}

Napi::Value SSLWrap::MasterKey(const Napi::CallbackInfo& info) {
  SSL_SESSION* sess = SSL_get_session(ssl_.get());  // borrowed
  if (sess == nullptr) return info.Env().Null();
  unsigned char buf[SSL_MAX_MASTER_KEY_LENGTH];
  size_t len = SSL_SESSION_get_master_key(sess, buf, sizeof(buf));
  return BufferOrNull(info.Env(), buf, len);
}

Napi::Value SSLWrap::Renegotiate(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  if (RefuseIfBusy(info.Env())) return info.Env().Undefined();
  if (SSL_renegotiate(ssl_.get()) != 1) return ThrowOpenSSL(info.Env(), "could not start a renegotiation");
  return Napi::Boolean::New(info.Env(), true);
}

Napi::Value SSLWrap::RenegotiatePending(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), SSL_renegotiate_pending(ssl_.get()) == 1);
}

Napi::Value SSLWrap::TotalRenegotiations(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(SSL_total_renegotiations(ssl_.get())));
}

// getClientCaList(): on a server the names it will send; on a client the names the server sent.
Napi::Value SSLWrap::GetClientCaList(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  STACK_OF(X509_NAME)* names = SSL_get_client_CA_list(ssl_.get());  // borrowed
  int n = names == nullptr ? 0 : sk_X509_NAME_num(names);
  Napi::Array out = Napi::Array::New(env, static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    Napi::Value v = X509NameWrap::NewOwned(env, X509NamePointer(X509_NAME_dup(sk_X509_NAME_value(names, i))));
    if (env.IsExceptionPending()) return env.Undefined();
    out.Set(static_cast<uint32_t>(i), v);
  }
  return out;
}

Napi::Value SSLWrap::SetAlpnProtos(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Bytes wire = GetBytes(info[0], "protos");
  if (!wire.ok) return info.Env().Undefined();
  if (SSL_set_alpn_protos(ssl_.get(), wire.data, static_cast<unsigned int>(wire.size)) != 0) {
    return ThrowOpenSSL(info.Env(), "invalid ALPN protocol list");
  }
  return info.Env().Undefined();
}

Napi::Value SSLWrap::GetAlpnProtoNegotiated(const Napi::CallbackInfo& info) {
  const unsigned char* data = nullptr;
  unsigned int len = 0;
  SSL_get0_alpn_selected(ssl_.get(), &data, &len);
  return BufferOrNull(info.Env(), data, len);
}

Napi::Value SSLWrap::RequestOcsp(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  if (SSL_set_tlsext_status_type(ssl_.get(), TLSEXT_STATUSTYPE_ocsp) != 1) return ThrowOpenSSL(info.Env(), "could not request OCSP stapling");
  return info.Env().Undefined();
}

Napi::Value SSLWrap::GetVerifiedChain(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  STACK_OF(X509)* chain = SSL_get0_verified_chain(ssl_.get());  // borrowed
  if (chain == nullptr) return info.Env().Null();
  return CertStackToArray(info.Env(), chain);
}

// verifyClientPostHandshake(): a TLS 1.3 server asks for the client's certificate now; the request
// goes out with the next write, the answer is processed by the next read.
Napi::Value SSLWrap::VerifyClientPostHandshake(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  if (SSL_verify_client_post_handshake(ssl_.get()) != 1) return ThrowOpenSSL(info.Env(), "could not request post-handshake authentication");
  return info.Env().Undefined();
}

Napi::Value SSLWrap::SetPostHandshakeAuth(const Napi::CallbackInfo& info) {
  SSL_set_post_handshake_auth(ssl_.get(), info[0].ToBoolean().Value() ? 1 : 0);
  return info.Env().Undefined();
}

Napi::Value SSLWrap::SetOcspResponse(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Bytes der = GetBytes(info[0], "response");
  if (!der.ok) return info.Env().Undefined();
  unsigned char* copy = static_cast<unsigned char*>(OPENSSL_malloc(der.size > 0 ? der.size : 1));
  if (copy == nullptr) return ThrowOpenSSL(info.Env(), "out of memory");
  std::memcpy(copy, der.data, der.size);
  SSL_set_tlsext_status_ocsp_resp(ssl_.get(), copy, static_cast<long>(der.size));  // OpenSSL owns `copy`
  return info.Env().Undefined();
}

Napi::Value SSLWrap::GetOcspResponse(const Napi::CallbackInfo& info) {
  const unsigned char* resp = nullptr;
  long len = SSL_get_tlsext_status_ocsp_resp(ssl_.get(), &resp);
  return BufferOrNull(info.Env(), resp, len > 0 ? static_cast<size_t>(len) : 0);
}

Napi::Value SSLWrap::KeyUpdate(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  bool request_peer = info[0].ToBoolean().Value();
  if (SSL_key_update(ssl_.get(), request_peer ? SSL_KEY_UPDATE_REQUESTED : SSL_KEY_UPDATE_NOT_REQUESTED) != 1) {
    return ThrowOpenSSL(info.Env(), "could not schedule a key update");
  }
  return info.Env().Undefined();
}

// ---- DTLS ------------------------------------------------------------------------------------

Napi::Value SSLWrap::SetCiphertextMtu(const Napi::CallbackInfo& info) {
  int64_t mtu = 0;
  if (!GetInt(info[0], "mtu", &mtu)) return info.Env().Undefined();
  if (mtu <= 0 || mtu > 65535) return ThrowValue(info.Env(), "mtu must be between 1 and 65535");
  SSL_set_mtu(ssl_.get(), static_cast<long>(mtu));
  return info.Env().Undefined();
}

Napi::Value SSLWrap::GetCleartextMtu(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(DTLS_get_data_mtu(ssl_.get())));
}

// dtlsGetTimeout(): seconds until the retransmission timer fires, or null when none runs.
Napi::Value SSLWrap::DtlsGetTimeout(const Napi::CallbackInfo& info) {
  struct timeval tv = {0, 0};
  if (DTLSv1_get_timeout(ssl_.get(), &tv) != 1) return info.Env().Null();
  return Napi::Number::New(info.Env(), static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6);
}

// dtlsHandleTimeout(): retransmits when the timer has fired; true when it did.
Napi::Value SSLWrap::DtlsHandleTimeout(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (RefuseIfBusy(env) || RefuseIfFailed(env)) return env.Undefined();
  ErrGuard guard;
  int r;
  {
    BusyScope busy(this);
    r = DTLSv1_handle_timeout(ssl_.get());
  }
  if (RethrowCallbackException(env)) return env.Undefined();
  if (r < 0) return ThrowOpenSSL(env, "DTLS retransmission failed");
  return Napi::Boolean::New(env, r > 0);
}

// dtlsListen() -> 1 when a ClientHello with a valid cookie arrived, or -SSL_ERROR_WANT_READ.
Napi::Value SSLWrap::DtlsListen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (RefuseIfBusy(env) || RefuseIfFailed(env)) return env.Undefined();
  ErrGuard guard;
  Owned<BIO_ADDR, BIO_ADDR_free> addr(BIO_ADDR_new());
  if (!addr) return ThrowOpenSSL(env, "out of memory");
  int r;
  {
    BusyScope busy(this);
    r = DTLSv1_listen(ssl_.get(), addr.get());
  }
  if (RethrowCallbackException(env)) return env.Undefined();
  // 0 means "no ClientHello with a valid cookie yet": keep feeding datagrams.
  if (r == 0) {
    ERR_clear_error();
    return Napi::Number::New(env, -SSL_ERROR_WANT_READ);
  }
  return Result(env, r, "DTLS listen failed");
}

// ---- Session ---------------------------------------------------------------------------------

void SessionWrap::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "Session",
      {
          InstanceMethod<&SessionWrap::ToDER>("toDER"),
          InstanceMethod<&SessionWrap::GetId>("getId"),
          InstanceMethod<&SessionWrap::IsResumable>("isResumable"),
          InstanceMethod<&SessionWrap::GetProtocolVersion>("getProtocolVersion"),
          InstanceMethod<&SessionWrap::GetTime>("getTime"),
          InstanceMethod<&SessionWrap::GetTimeout>("getTimeout"),
          InstanceMethod<&SessionWrap::HasTicket>("hasTicket"),
          InstanceMethod<&SessionWrap::GetCipherName>("getCipherName"),
      });
  Data(env)->session = Napi::Persistent(ctor);
  exports.Set("Session", ctor);
}

// new Session(der): a session decoded from DER (d2i_SSL_SESSION); native code adopts Externals.
SessionWrap::SessionWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SessionWrap>(info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  if (info.Length() >= 1 && info[0].IsExternal()) {
    sess_.reset(info[0].As<Napi::External<SSL_SESSION>>().Data());
  } else {
    Bytes der = GetBytes(info[0], "der");
    if (!der.ok) return;
    const unsigned char* p = der.data;
    if (der.size == 0) ERR_raise(ERR_LIB_ASN1, ASN1_R_NOT_ENOUGH_DATA);
    else sess_.reset(d2i_SSL_SESSION(nullptr, &p, static_cast<long>(der.size)));
    if (!sess_) {
      ThrowOpenSSL(env, "could not decode the session");
      return;
    }
  }
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
}

Napi::Value SessionWrap::NewOwned(Napi::Env env, SSL_SESSION* owned) {
  return Data(env)->session.New({Napi::External<SSL_SESSION>::New(env, owned)});  // adopted
}

Napi::Value SessionWrap::ToDER(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  unsigned char* der = nullptr;
  int len = i2d_SSL_SESSION(sess_.get(), &der);
  if (len <= 0) return ThrowOpenSSL(info.Env(), "could not encode the session");
  OpensslBytes owned(der);
  return Napi::Buffer<unsigned char>::Copy(info.Env(), der, static_cast<size_t>(len));
}

Napi::Value SessionWrap::GetId(const Napi::CallbackInfo& info) {
  unsigned int len = 0;
  const unsigned char* id = SSL_SESSION_get_id(sess_.get(), &len);
  return Napi::Buffer<unsigned char>::Copy(info.Env(), id, len);
}

Napi::Value SessionWrap::IsResumable(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), SSL_SESSION_is_resumable(sess_.get()) == 1);
}

Napi::Value SessionWrap::GetProtocolVersion(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), SSL_SESSION_get_protocol_version(sess_.get()));
}

Napi::Value SessionWrap::GetTime(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(SSL_SESSION_get_time(sess_.get())));
}

Napi::Value SessionWrap::GetTimeout(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(SSL_SESSION_get_timeout(sess_.get())));
}

Napi::Value SessionWrap::HasTicket(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), SSL_SESSION_has_ticket(sess_.get()) == 1);
}

Napi::Value SessionWrap::GetCipherName(const Napi::CallbackInfo& info) {
  const SSL_CIPHER* c = SSL_SESSION_get0_cipher(sess_.get());
  if (c == nullptr) return info.Env().Null();
  return Napi::String::New(info.Env(), SSL_CIPHER_get_name(c));
}

}  // namespace ossl
