// Connection (SSL): the TLS engine over a pair of memory BIOs — bytes in, bytes out (sans-IO).
#include "ssl_objects.h"

#include <cstring>

namespace ossl {

namespace {
int SslIndex() {
  // One ex_data slot for the whole process, holding the SSLWrap that owns each SSL.
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}
}  // namespace

void SSLWrap::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "Connection",
      {
          InstanceMethod<&SSLWrap::SetConnectState>("setConnectState"),
          InstanceMethod<&SSLWrap::SetAcceptState>("setAcceptState"),
          InstanceMethod<&SSLWrap::DoHandshake>("doHandshake"),
          InstanceMethod<&SSLWrap::BioWrite>("bioWrite"),
          InstanceMethod<&SSLWrap::BioRead>("bioRead"),
          InstanceMethod<&SSLWrap::BioPending>("bioPending"),
          InstanceMethod<&SSLWrap::BioInPending>("bioInPending"),
          InstanceMethod<&SSLWrap::TakeInput>("takeInput"),
          InstanceMethod<&SSLWrap::BioShutdown>("bioShutdown"),
          InstanceMethod<&SSLWrap::ReadInto>("readInto"),
          InstanceMethod<&SSLWrap::Write>("write"),
          InstanceMethod<&SSLWrap::Shutdown>("shutdown"),
          InstanceMethod<&SSLWrap::GetShutdown>("getShutdown"),
          InstanceMethod<&SSLWrap::SetShutdown>("setShutdown"),
          InstanceMethod<&SSLWrap::Pending>("pending"),
          InstanceMethod<&SSLWrap::GetPeerCertificate>("getPeerCertificate"),
          InstanceMethod<&SSLWrap::GetPeerCertChain>("getPeerCertChain"),
          InstanceMethod<&SSLWrap::GetCertificate>("getCertificate"),
          InstanceMethod<&SSLWrap::GetCipherName>("getCipherName"),
          InstanceMethod<&SSLWrap::GetCipherBits>("getCipherBits"),
          InstanceMethod<&SSLWrap::GetCipherVersion>("getCipherVersion"),
          InstanceMethod<&SSLWrap::GetVersion>("getVersion"),
          InstanceMethod<&SSLWrap::GetProtocolVersion>("getProtocolVersion"),
          InstanceMethod<&SSLWrap::SetTlsextHostName>("setTlsextHostName"),
          InstanceMethod<&SSLWrap::GetServername>("getServername"),
          InstanceMethod<&SSLWrap::SetHost>("setHost"),
          InstanceMethod<&SSLWrap::GetVerifyResult>("getVerifyResult"),
          InstanceMethod<&SSLWrap::SetVerify>("setVerify"),
          InstanceMethod<&SSLWrap::SetVerifyDeferred>("setVerifyDeferred"),
          InstanceMethod<&SSLWrap::GetVerifyMode>("getVerifyMode"),
          InstanceMethod<&SSLWrap::UseCertificate>("useCertificate"),
          InstanceMethod<&SSLWrap::UsePrivateKey>("usePrivateKey"),
          InstanceMethod<&SSLWrap::GetStateString>("getStateString"),
          InstanceMethod<&SSLWrap::IsInitFinished>("isInitFinished"),
          InstanceMethod<&SSLWrap::WantRead>("wantRead"),
          InstanceMethod<&SSLWrap::WantWrite>("wantWrite"),
          InstanceMethod<&SSLWrap::GetCipherList>("getCipherList"),
          InstanceMethod<&SSLWrap::SetContext>("setContext"),
          InstanceMethod<&SSLWrap::GetSession>("getSession"),
          InstanceMethod<&SSLWrap::SetSession>("setSession"),
          InstanceMethod<&SSLWrap::SessionReused>("sessionReused"),
          InstanceMethod<&SSLWrap::GetFinished>("getFinished"),
          InstanceMethod<&SSLWrap::GetPeerFinished>("getPeerFinished"),
          InstanceMethod<&SSLWrap::ExportKeyingMaterial>("exportKeyingMaterial"),
          InstanceMethod<&SSLWrap::ServerRandom>("serverRandom"),
          InstanceMethod<&SSLWrap::ClientRandom>("clientRandom"),
          InstanceMethod<&SSLWrap::MasterKey>("masterKey"),
          InstanceMethod<&SSLWrap::Renegotiate>("renegotiate"),
          InstanceMethod<&SSLWrap::RenegotiatePending>("renegotiatePending"),
          InstanceMethod<&SSLWrap::TotalRenegotiations>("totalRenegotiations"),
          InstanceMethod<&SSLWrap::GetClientCaList>("getClientCaList"),
          InstanceMethod<&SSLWrap::SetAlpnProtos>("setAlpnProtos"),
          InstanceMethod<&SSLWrap::GetAlpnProtoNegotiated>("getAlpnProtoNegotiated"),
          InstanceMethod<&SSLWrap::RequestOcsp>("requestOcsp"),
          InstanceMethod<&SSLWrap::GetVerifiedChain>("getVerifiedChain"),
          InstanceMethod<&SSLWrap::VerifyClientPostHandshake>("verifyClientPostHandshake"),
          InstanceMethod<&SSLWrap::SetPostHandshakeAuth>("setPostHandshakeAuth"),
          InstanceMethod<&SSLWrap::SetOcspResponse>("setOcspResponse"),
          InstanceMethod<&SSLWrap::GetOcspResponse>("getOcspResponse"),
          InstanceMethod<&SSLWrap::KeyUpdate>("keyUpdate"),
          InstanceMethod<&SSLWrap::SetCiphertextMtu>("setCiphertextMtu"),
          InstanceMethod<&SSLWrap::GetCleartextMtu>("getCleartextMtu"),
          InstanceMethod<&SSLWrap::DtlsGetTimeout>("dtlsGetTimeout"),
          InstanceMethod<&SSLWrap::DtlsHandleTimeout>("dtlsHandleTimeout"),
          InstanceMethod<&SSLWrap::DtlsListen>("dtlsListen"),
      });
  Data(env)->ssl = Napi::Persistent(ctor);
  exports.Set("Connection", ctor);
}

// new Connection(context, owner): `owner` is the JavaScript object handed to callbacks as `conn`.
SSLWrap::SSLWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SSLWrap>(info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  SSLCtxWrap* ctx = UnwrapAs<SSLCtxWrap>(info[0], "context");
  if (ctx == nullptr) return;
  ssl_.reset(SSL_new(ctx->get()));
  if (!ssl_) {
    ThrowOpenSSL(env, "could not create the connection");
    return;
  }
  BIOPointer rbio(BIO_new(BIO_s_mem()));
  BIOPointer wbio(BIO_new(BIO_s_mem()));
  if (!rbio || !wbio) {
    ThrowOpenSSL(env, "could not create the memory BIOs");
    return;
  }
  // An empty input BIO means "no data yet" (retry), not end of stream, until bioShutdown().
  BIO_set_mem_eof_return(rbio.get(), -1);
  rbio_ = rbio.release();
  wbio_ = wbio.release();
  SSL_set_bio(ssl_.get(), rbio_, wbio_);  // the SSL now owns both BIOs
  SSL_set_ex_data(ssl_.get(), SslIndex(), this);
  ctx_ref_ = Napi::Persistent(info[0].As<Napi::Object>());
  if (info.Length() > 1 && info[1].IsObject()) owner_ = Napi::Weak(info[1].As<Napi::Object>());
  if (!ctx->verify_callback().IsEmpty()) verify_cb_ = Napi::Persistent(ctx->verify_callback().Value());
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
}

SSLWrap* SSLWrap::FromSSL(const SSL* ssl) {
  return ssl == nullptr ? nullptr : static_cast<SSLWrap*>(SSL_get_ex_data(ssl, SslIndex()));
}

void SSLWrap::KeepException(Napi::Env env) {
  Napi::Value e = env.GetAndClearPendingException().Value();
  if (pending_exception_.IsEmpty()) pending_exception_ = Napi::Reference<Napi::Value>::New(e, 1);  // the first one wins
}

bool SSLWrap::RethrowCallbackException(Napi::Env env) {
  if (pending_exception_.IsEmpty()) return false;
  Napi::Value e = pending_exception_.Value();
  pending_exception_.Reset();
  ERR_clear_error();
  Napi::Error(env, e).ThrowAsJavaScriptException();
  return true;
}

bool SSLWrap::RefuseIfBusy(Napi::Env env) {
  if (!busy_) return false;
  Napi::Error::New(env, "the Connection cannot be used from inside one of its own callbacks").ThrowAsJavaScriptException();
  return true;
}

int SSLWrap::VerifyTrampoline(int ok, X509_STORE_CTX* store) {
  SSL* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  SSLWrap* self = FromSSL(ssl);
  if (self == nullptr || self->verify_cb_.IsEmpty()) return ok;
  if (!self->pending_exception_.IsEmpty()) return 0;  // an earlier callback failed: stay failed
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  Napi::Value cert = env.Null();
  X509* current = X509_STORE_CTX_get_current_cert(store);  // borrowed from the store context
  if (current != nullptr && X509_up_ref(current) == 1) {
    cert = X509Wrap::NewOwned(env, X509Pointer(current));
    if (env.IsExceptionPending()) {
      self->KeepException(env);
      return 0;
    }
  }
  Napi::Value conn = self->owner_.IsEmpty() ? env.Undefined() : Napi::Value(self->owner_.Value());
  Napi::Value result = self->verify_cb_.Call({conn, cert, Napi::Number::New(env, X509_STORE_CTX_get_error(store)),
                                              Napi::Number::New(env, X509_STORE_CTX_get_error_depth(store)),
                                              Napi::Number::New(env, ok)});
  if (env.IsExceptionPending()) {
    self->KeepException(env);
    self->failed_ = true;
    return 0;
  }
  if (!result.IsBoolean() && !result.IsNumber()) {
    self->FailCallback(Napi::TypeError::New(env, "the verify callback must return a boolean"));
    return 0;
  }
  if (result.ToBoolean().Value()) {
    // Accepted: as pyOpenSSL, the verdict replaces OpenSSL's error for this certificate.
    X509_STORE_CTX_set_error(store, X509_V_OK);
    return 1;
  }
  return 0;
}

Napi::Value SSLWrap::Result(Napi::Env env, int ret, const char* what) {
  if (RethrowCallbackException(env)) return env.Undefined();
  if (ret > 0) return Napi::Number::New(env, ret);
  int err = SSL_get_error(ssl_.get(), ret);
  switch (err) {
    case SSL_ERROR_NONE:
      return Napi::Number::New(env, ret < 0 ? 0 : ret);
    case SSL_ERROR_SYSCALL:
      if (ERR_peek_error() == 0) return Napi::Number::New(env, -err);
      break;
    case SSL_ERROR_SSL:
      break;
    default:  // WANT_READ, WANT_WRITE, WANT_X509_LOOKUP, ZERO_RETURN, ...: the caller decides
      ERR_clear_error();
      return Napi::Number::New(env, -err);
  }
  Napi::Error e = MakeOpenSSLError(env, what);
  long verify = SSL_get_verify_result(ssl_.get());
  if (verify != X509_V_OK) {
    e.Value().Set("verifyCode", Napi::Number::New(env, static_cast<double>(verify)));
    e.Value().Set("verifyMessage", Napi::String::New(env, X509_verify_cert_error_string(verify)));
  }
  e.ThrowAsJavaScriptException();
  return env.Undefined();
}

Napi::Value SSLWrap::SetConnectState(const Napi::CallbackInfo& info) {
  if (RefuseIfBusy(info.Env())) return info.Env().Undefined();
  SSL_set_connect_state(ssl_.get());
  return info.Env().Undefined();
}

Napi::Value SSLWrap::SetAcceptState(const Napi::CallbackInfo& info) {
  if (RefuseIfBusy(info.Env())) return info.Env().Undefined();
  SSL_set_accept_state(ssl_.get());
  return info.Env().Undefined();
}

// doHandshake() -> 1 when done, or -SSL_ERROR_* for a retryable condition.
Napi::Value SSLWrap::DoHandshake(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (RefuseIfBusy(env)) return env.Undefined();
  if (RefuseIfFailed(env)) return env.Undefined();
  ErrGuard guard;
  int ret;
  {
    BusyScope busy(this);
    ret = SSL_do_handshake(ssl_.get());
  }
  return Result(env, ret, "handshake failed");
}

// bioWrite(data) -> bytes accepted (all of them: the memory BIO grows).
Napi::Value SSLWrap::BioWrite(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ErrGuard guard;
  Bytes in = GetBytes(info[0], "buf");
  if (!in.ok) return env.Undefined();
  if (in.size == 0) return Napi::Number::New(env, 0);
  if (in.size > static_cast<size_t>(INT32_MAX)) return ThrowValue(env, "buf is too large");
  int n = BIO_write(rbio_, in.data, static_cast<int>(in.size));
  if (n <= 0) return ThrowOpenSSL(env, "could not write to the input BIO");
  return Napi::Number::New(env, n);
}

// bioRead(max) -> Buffer of pending network bytes, or -SSL_ERROR_WANT_READ when there are none.
Napi::Value SSLWrap::BioRead(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ErrGuard guard;
  int64_t max = 0;
  if (!GetInt(info[0], "bufsiz", &max)) return env.Undefined();
  if (max <= 0) return ThrowValue(env, "bufsiz must be a positive integer");
  size_t pending = BIO_ctrl_pending(wbio_);
  if (pending == 0) return Napi::Number::New(env, -SSL_ERROR_WANT_READ);
  size_t n = std::min(pending, static_cast<size_t>(std::min<int64_t>(max, INT32_MAX)));
  Napi::Buffer<unsigned char> out = Napi::Buffer<unsigned char>::New(env, n);
  int got = BIO_read(wbio_, out.Data(), static_cast<int>(n));
  if (got <= 0) return ThrowOpenSSL(env, "could not read from the output BIO");
  if (static_cast<size_t>(got) < n) return Napi::Buffer<unsigned char>::Copy(env, out.Data(), static_cast<size_t>(got));
  return out;
}

Napi::Value SSLWrap::BioPending(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(BIO_ctrl_pending(wbio_)));
}

// takeInput(): removes and returns the received bytes the engine has not consumed — after a
// close_notify, the cleartext that followed it on the transport (the end of STARTTLS).
Napi::Value SSLWrap::TakeInput(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  size_t n = BIO_ctrl_pending(rbio_);
  Napi::Buffer<unsigned char> out = Napi::Buffer<unsigned char>::New(env, n);
  if (n > 0 && BIO_read(rbio_, out.Data(), static_cast<int>(n)) != static_cast<int>(n)) return ThrowOpenSSL(env, "could not read the input BIO");
  return out;
}

// bioInPending(): network bytes received but not yet consumed by the engine.
Napi::Value SSLWrap::BioInPending(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(BIO_ctrl_pending(rbio_)));
}

// bioShutdown(): the transport reached end of stream; reads past the buffered bytes see EOF.
Napi::Value SSLWrap::BioShutdown(const Napi::CallbackInfo& info) {
  BIO_set_mem_eof_return(rbio_, 0);
  return info.Env().Undefined();
}

// readInto(buffer, offset, length, peek) -> bytes read, or -SSL_ERROR_*.
Napi::Value SSLWrap::ReadInto(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (RefuseIfBusy(env)) return env.Undefined();
  if (RefuseIfFailed(env)) return env.Undefined();
  ErrGuard guard;
  if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    return ThrowType(env, "buffer", "a Buffer", info[0]);
  }
  Napi::Uint8Array buf = info[0].As<Napi::Uint8Array>();
  int64_t offset = 0, length = 0;
  if (!GetInt(info[1], "offset", &offset) || !GetInt(info[2], "nbytes", &length)) return env.Undefined();
  if (offset < 0 || length < 0 || static_cast<uint64_t>(offset) + static_cast<uint64_t>(length) > buf.ByteLength()) {
    return ThrowValue(env, "offset and nbytes must lie within the buffer");
  }
  if (length > INT32_MAX) length = INT32_MAX;
  bool peek = info.Length() > 3 && info[3].ToBoolean().Value();
  int ret;
  {
    BusyScope busy(this);
    ret = peek ? SSL_peek(ssl_.get(), buf.Data() + offset, static_cast<int>(length))
               : SSL_read(ssl_.get(), buf.Data() + offset, static_cast<int>(length));
  }
  return Result(env, ret, "read failed");
}

// write(data) -> bytes written (may be fewer than given), or -SSL_ERROR_*.
Napi::Value SSLWrap::Write(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (RefuseIfBusy(env)) return env.Undefined();
  if (RefuseIfFailed(env)) return env.Undefined();
  ErrGuard guard;
  Bytes in = GetBytes(info[0], "buf");
  if (!in.ok) return env.Undefined();
  if (in.size > static_cast<size_t>(INT32_MAX)) return ThrowValue(env, "buf is too large; send it in parts");
  int ret;
  {
    BusyScope busy(this);
    ret = SSL_write(ssl_.get(), in.data, static_cast<int>(in.size));
  }
  if (in.size == 0 && ret <= 0 && SSL_get_error(ssl_.get(), ret) == SSL_ERROR_NONE) return Napi::Number::New(env, 0);
  return Result(env, ret, "write failed");
}

// shutdown() -> 1 when both close_notify alerts are done, 0 when ours is sent, or -SSL_ERROR_*.
Napi::Value SSLWrap::Shutdown(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (RefuseIfBusy(env)) return env.Undefined();
  if (RefuseIfFailed(env)) return env.Undefined();
  ErrGuard guard;
  int ret;
  {
    BusyScope busy(this);
    ret = SSL_shutdown(ssl_.get());
  }
  if (ret == 0) {
    if (RethrowCallbackException(env)) return env.Undefined();
    return Napi::Number::New(env, 0);
  }
  return Result(env, ret, "shutdown failed");
}

Napi::Value SSLWrap::GetShutdown(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), SSL_get_shutdown(ssl_.get()));
}

Napi::Value SSLWrap::SetShutdown(const Napi::CallbackInfo& info) {
  int64_t state = 0;
  if (!GetInt(info[0], "state", &state)) return info.Env().Undefined();
  SSL_set_shutdown(ssl_.get(), static_cast<int>(state));
  return info.Env().Undefined();
}

Napi::Value SSLWrap::Pending(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), SSL_pending(ssl_.get()));
}

Napi::Value SSLWrap::GetPeerCertificate(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  X509Pointer cert(SSL_get1_peer_certificate(ssl_.get()));  // a new reference
  if (!cert) return info.Env().Null();
  return X509Wrap::NewOwned(info.Env(), std::move(cert));
}

// getPeerCertChain(): the chain the peer sent (on a server, without the leaf), or null.
Napi::Value SSLWrap::GetPeerCertChain(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl_.get());  // borrowed
  if (chain == nullptr) return env.Null();
  int n = sk_X509_num(chain);
  Napi::Array out = Napi::Array::New(env, static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    X509* c = sk_X509_value(chain, i);
    X509_up_ref(c);  // our own reference for the wrapper
    Napi::Value v = X509Wrap::NewOwned(env, X509Pointer(c));
    if (env.IsExceptionPending()) return env.Undefined();
    out.Set(static_cast<uint32_t>(i), v);
  }
  return out;
}

Napi::Value SSLWrap::GetCertificate(const Napi::CallbackInfo& info) {
  X509* c = SSL_get_certificate(ssl_.get());  // borrowed
  if (c == nullptr) return info.Env().Null();
  X509_up_ref(c);
  return X509Wrap::NewOwned(info.Env(), X509Pointer(c));
}

Napi::Value SSLWrap::GetCipherName(const Napi::CallbackInfo& info) {
  const SSL_CIPHER* c = SSL_get_current_cipher(ssl_.get());
  if (c == nullptr) return info.Env().Null();
  return Napi::String::New(info.Env(), SSL_CIPHER_get_name(c));
}

Napi::Value SSLWrap::GetCipherBits(const Napi::CallbackInfo& info) {
  const SSL_CIPHER* c = SSL_get_current_cipher(ssl_.get());
  if (c == nullptr) return info.Env().Null();
  return Napi::Number::New(info.Env(), SSL_CIPHER_get_bits(c, nullptr));
}

Napi::Value SSLWrap::GetCipherVersion(const Napi::CallbackInfo& info) {
  const SSL_CIPHER* c = SSL_get_current_cipher(ssl_.get());
  if (c == nullptr) return info.Env().Null();
  return Napi::String::New(info.Env(), SSL_CIPHER_get_version(c));
}

Napi::Value SSLWrap::GetVersion(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), SSL_get_version(ssl_.get()));
}

Napi::Value SSLWrap::GetProtocolVersion(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), SSL_version(ssl_.get()));
}

// setTlsextHostName(name): the SNI name; a NUL byte inside it is refused, never a silent cut.
Napi::Value SSLWrap::SetTlsextHostName(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  Bytes name = GetBytes(info[0], "name");
  if (!name.ok) return env.Undefined();
  if (std::memchr(name.data, 0, name.size) != nullptr) return ThrowValue(env, "host name contains a NUL byte");
  std::string s(reinterpret_cast<const char*>(name.data), name.size);
  if (SSL_set_tlsext_host_name(ssl_.get(), s.c_str()) != 1) return ThrowOpenSSL(env, "could not set the host name");
  return env.Undefined();
}

Napi::Value SSLWrap::GetServername(const Napi::CallbackInfo& info) {
  const char* name = SSL_get_servername(ssl_.get(), TLSEXT_NAMETYPE_host_name);
  if (name == nullptr) return info.Env().Null();
  return Napi::String::New(info.Env(), name);
}

// setHost(name): turn on OpenSSL's own host-name check (X509_VERIFY_PARAM_set1_host) for the
// peer certificate, as part of chain verification.
Napi::Value SSLWrap::SetHost(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  Bytes name = GetBytes(info[0], "hostname");
  if (!name.ok) return env.Undefined();
  if (std::memchr(name.data, 0, name.size) != nullptr) return ThrowValue(env, "host name contains a NUL byte");
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl_.get());  // borrowed
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  std::string s(reinterpret_cast<const char*>(name.data), name.size);
  // An IP address literal is matched against iPAddress SANs, a name against dNSName SANs.
  int ok;
  unsigned char ipbuf[16];
  if (s.find(':') != std::string::npos || (std::strspn(s.c_str(), "0123456789.") == s.size() && !s.empty())) {
    ok = X509_VERIFY_PARAM_set1_ip_asc(param, s.c_str());
    (void)ipbuf;
  } else {
    ok = X509_VERIFY_PARAM_set1_host(param, s.data(), s.size());
  }
  if (ok != 1) return ThrowOpenSSL(env, "invalid host name \"" + s + "\"");
  return env.Undefined();
}

Napi::Value SSLWrap::GetVerifyResult(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(SSL_get_verify_result(ssl_.get())));
}

Napi::Value SSLWrap::SetVerify(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (RefuseIfBusy(env)) return env.Undefined();
  int64_t mode = 0;
  if (!GetInt(info[0], "mode", &mode)) return env.Undefined();
  if (info[1].IsFunction()) {
    verify_cb_ = Napi::Persistent(info[1].As<Napi::Function>());
  } else if (info[1].IsUndefined() || info[1].IsNull()) {
    verify_cb_.Reset();
  } else {
    return ThrowType(env, "callback", "a function", info[1]);
  }
  SSL_set_verify(ssl_.get(), static_cast<int>(mode), verify_cb_.IsEmpty() ? nullptr : VerifyTrampoline);
  return env.Undefined();
}

int SSLWrap::DeferVerdict(int, X509_STORE_CTX*) { return 1; }

Napi::Value SSLWrap::SetVerifyDeferred(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (RefuseIfBusy(env)) return env.Undefined();
  int64_t mode = 0;
  if (!GetInt(info[0], "mode", &mode)) return env.Undefined();
  verify_cb_.Reset();
  SSL_set_verify(ssl_.get(), static_cast<int>(mode), DeferVerdict);
  return env.Undefined();
}

Napi::Value SSLWrap::GetVerifyMode(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), SSL_get_verify_mode(ssl_.get()));
}

Napi::Value SSLWrap::UseCertificate(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  X509Wrap* cert = UnwrapAs<X509Wrap>(info[0], "cert");
  if (cert == nullptr) return info.Env().Undefined();
  if (SSL_use_certificate(ssl_.get(), cert->get()) != 1) return ThrowOpenSSL(info.Env(), "could not use the certificate");
  return info.Env().Undefined();
}

Napi::Value SSLWrap::UsePrivateKey(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  PKeyWrap* key = UnwrapAs<PKeyWrap>(info[0], "pkey");
  if (key == nullptr) return info.Env().Undefined();
  if (SSL_use_PrivateKey(ssl_.get(), key->get()) != 1) return ThrowOpenSSL(info.Env(), "could not use the private key");
  return info.Env().Undefined();
}

Napi::Value SSLWrap::GetStateString(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), SSL_state_string_long(ssl_.get()));
}

Napi::Value SSLWrap::IsInitFinished(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), SSL_is_init_finished(ssl_.get()) == 1);
}

Napi::Value SSLWrap::WantRead(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), SSL_want_read(ssl_.get()) != 0);
}

Napi::Value SSLWrap::WantWrite(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), BIO_ctrl_pending(wbio_) > 0);
}

Napi::Value SSLWrap::GetCipherList(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env);
  uint32_t n = 0;
  for (int i = 0;; ++i) {
    const char* name = SSL_get_cipher_list(ssl_.get(), i);
    if (name == nullptr) break;
    out.Set(n++, Napi::String::New(env, name));
  }
  return out;
}

void InitSSL(Napi::Env env, Napi::Object exports) {
  SSLWrap::Init(env, exports);
  SessionWrap::Init(env, exports);
}

}  // namespace ossl
