// Connection (SSL): the TLS engine over a pair of memory BIOs (bytes in, bytes out: sans-IO), its
// state, sessions, keying material, renegotiation, ALPN, OCSP, client CA lists, post-handshake
// authentication and DTLS. The trampolines that run its callbacks are in ssl_callbacks.cc.
#include "ssl.h"

#include <openssl/dtls1.h>

#include "session.h"

#include <cstring>

namespace ossl {

namespace {
int SslIndex() {
  // One ex_data slot for the whole process, holding the SSLWrap that owns each SSL.
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}
}  // namespace

// Methods that drive or change the engine are registered as mutators: they refuse to run from
// inside this Connection's own callbacks. setContext checks for itself (the SNI callback may call it).
void SSLWrap::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "Connection",
      {
          Mutator<&SSLWrap::SetConnectState>("setConnectState"),
          Mutator<&SSLWrap::SetAcceptState>("setAcceptState"),
          Mutator<&SSLWrap::DoHandshake>("doHandshake"),
          Mutator<&SSLWrap::BioWrite>("bioWrite"),
          Mutator<&SSLWrap::BioRead>("bioRead"),
          InstanceMethod<&SSLWrap::BioPending>("bioPending"),
          InstanceMethod<&SSLWrap::BioInPending>("bioInPending"),
          Mutator<&SSLWrap::TakeInput>("takeInput"),
          Mutator<&SSLWrap::BioShutdown>("bioShutdown"),
          Mutator<&SSLWrap::ReadInto>("readInto"),
          Mutator<&SSLWrap::Write>("write"),
          Mutator<&SSLWrap::Encrypt>("encrypt"),
          Mutator<&SSLWrap::Shutdown>("shutdown"),
          InstanceMethod<&SSLWrap::GetShutdown>("getShutdown"),
          InstanceMethod<&SSLWrap::GetGroupName>("getGroupName"),
          InstanceMethod<&SSLWrap::SetInfoCallback>("setInfoCallback"),
          InstanceMethod<&SSLWrap::GetSelectedSrtpProfile>("getSelectedSrtpProfile"),
          Mutator<&SSLWrap::SetOptions>("setOptions"),
          Mutator<&SSLWrap::ClearOptions>("clearOptions"),
          InstanceMethod<&SSLWrap::GetOptions>("getOptions"),
          Mutator<&SSLWrap::SetMode>("setMode"),
          Mutator<&SSLWrap::ClearMode>("clearMode"),
          InstanceMethod<&SSLWrap::GetMode>("getMode"),
          Mutator<&SSLWrap::SetShutdown>("setShutdown"),
          InstanceMethod<&SSLWrap::Pending>("pending"),
          InstanceMethod<&SSLWrap::GetPeerCertificate>("getPeerCertificate"),
          InstanceMethod<&SSLWrap::GetPeerCertChain>("getPeerCertChain"),
          InstanceMethod<&SSLWrap::GetPeerScts>("getPeerScts"),
          InstanceMethod<&SSLWrap::GetCertificate>("getCertificate"),
          InstanceMethod<&SSLWrap::GetCipherName>("getCipherName"),
          InstanceMethod<&SSLWrap::GetCipherBits>("getCipherBits"),
          InstanceMethod<&SSLWrap::GetCipherStandardName>("getCipherStandardName"),
          InstanceMethod<&SSLWrap::OcspRequested>("ocspRequested"),
          InstanceMethod<&SSLWrap::ClientHelloInfo>("clientHelloInfo"),
          Mutator<&SSLWrap::SetPendingSession>("setPendingSession"),
          InstanceMethod<&SSLWrap::GetCipherVersion>("getCipherVersion"),
          InstanceMethod<&SSLWrap::GetVersion>("getVersion"),
          InstanceMethod<&SSLWrap::GetProtocolVersion>("getProtocolVersion"),
          Mutator<&SSLWrap::SetTlsextHostName>("setTlsextHostName"),
          InstanceMethod<&SSLWrap::GetServername>("getServername"),
          Mutator<&SSLWrap::SetHost>("setHost"),
          InstanceMethod<&SSLWrap::GetVerifyResult>("getVerifyResult"),
          InstanceMethod<&SSLWrap::SetVerifyResult>("setVerifyResult"),
          Mutator<&SSLWrap::SetVerify>("setVerify"),
          Mutator<&SSLWrap::SetVerifyDeferred>("setVerifyDeferred"),
          InstanceMethod<&SSLWrap::GetVerifyMode>("getVerifyMode"),
          Mutator<&SSLWrap::UseCertificate>("useCertificate"),
          Mutator<&SSLWrap::UsePrivateKey>("usePrivateKey"),
          InstanceMethod<&SSLWrap::GetStateString>("getStateString"),
          InstanceMethod<&SSLWrap::IsInitFinished>("isInitFinished"),
          InstanceMethod<&SSLWrap::WantRead>("wantRead"),
          InstanceMethod<&SSLWrap::WantWrite>("wantWrite"),
          InstanceMethod<&SSLWrap::GetCipherList>("getCipherList"),
          InstanceMethod<&SSLWrap::SharedCiphers>("sharedCiphers"),
          InstanceMethod<&SSLWrap::SetContext>("setContext"),
          InstanceMethod<&SSLWrap::GetSession>("getSession"),
          Mutator<&SSLWrap::SetSession>("setSession"),
          InstanceMethod<&SSLWrap::SessionReused>("sessionReused"),
          InstanceMethod<&SSLWrap::GetFinished>("getFinished"),
          InstanceMethod<&SSLWrap::GetPeerFinished>("getPeerFinished"),
          InstanceMethod<&SSLWrap::ExportKeyingMaterial>("exportKeyingMaterial"),
          InstanceMethod<&SSLWrap::ServerRandom>("serverRandom"),
          InstanceMethod<&SSLWrap::ClientRandom>("clientRandom"),
          InstanceMethod<&SSLWrap::MasterKey>("masterKey"),
          Mutator<&SSLWrap::Renegotiate>("renegotiate"),
          InstanceMethod<&SSLWrap::RenegotiatePending>("renegotiatePending"),
          InstanceMethod<&SSLWrap::TotalRenegotiations>("totalRenegotiations"),
          InstanceMethod<&SSLWrap::GetClientCaList>("getClientCaList"),
          Mutator<&SSLWrap::SetAlpnProtos>("setAlpnProtos"),
          InstanceMethod<&SSLWrap::GetAlpnProtoNegotiated>("getAlpnProtoNegotiated"),
          Mutator<&SSLWrap::RequestOcsp>("requestOcsp"),
          InstanceMethod<&SSLWrap::GetVerifiedChain>("getVerifiedChain"),
          Mutator<&SSLWrap::VerifyClientPostHandshake>("verifyClientPostHandshake"),
          Mutator<&SSLWrap::SetPostHandshakeAuth>("setPostHandshakeAuth"),
          Mutator<&SSLWrap::SetOcspResponse>("setOcspResponse"),
          InstanceMethod<&SSLWrap::GetOcspResponse>("getOcspResponse"),
          Mutator<&SSLWrap::KeyUpdate>("keyUpdate"),
          Mutator<&SSLWrap::SetMaxSendFragment>("setMaxSendFragment"),
          InstanceMethod<&SSLWrap::GetPeerTmpKey>("getPeerTmpKey"),
          InstanceMethod<&SSLWrap::GetSharedSigalgs>("getSharedSigalgs"),
          InstanceMethod<&SSLWrap::GetSigalgs>("getSigalgs"),
          Mutator<&SSLWrap::SetCiphertextMtu>("setCiphertextMtu"),
          InstanceMethod<&SSLWrap::GetCleartextMtu>("getCleartextMtu"),
          InstanceMethod<&SSLWrap::DtlsGetTimeout>("dtlsGetTimeout"),
          Mutator<&SSLWrap::DtlsHandleTimeout>("dtlsHandleTimeout"),
          Mutator<&SSLWrap::DtlsListen>("dtlsListen"),
      });
  Data(env)->ssl = Napi::Persistent(ctor);
  exports.Set("Connection", ctor);
  MemoryBIOWrap::Init(env, exports);
}

void MemoryBIOWrap::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "MemoryBIO",
      {
          InstanceMethod<&MemoryBIOWrap::Write>("write"),
          InstanceMethod<&MemoryBIOWrap::Read>("read"),
          InstanceMethod<&MemoryBIOWrap::Pending>("pending"),
          InstanceMethod<&MemoryBIOWrap::WriteEof>("writeEof"),
      });
  exports.Set("MemoryBIO", ctor);
}

MemoryBIOWrap::MemoryBIOWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<MemoryBIOWrap>(info) {
  ErrGuard guard;
  bio_.reset(BIO_new(BIO_s_mem()));
  if (!bio_) {
    ThrowOpenSSL(info.Env(), "could not create a memory BIO");
    return;
  }
  // Empty means "no data yet" (the reader retries) until writeEof().
  BIO_set_mem_eof_return(bio_.get(), -1);
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
}

// write(bytes) -> how many were written (all of them).
Napi::Value MemoryBIOWrap::Write(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Bytes in = GetBytes(info[0], "data");
  if (!in.ok) return info.Env().Undefined();
  if (in.size > INT32_MAX) return ThrowValue(info.Env(), "data is too long for one write");
  if (in.size == 0) return Napi::Number::New(info.Env(), 0);
  int n = BIO_write(bio_.get(), in.data, static_cast<int>(in.size));
  if (n != static_cast<int>(in.size)) return ThrowOpenSSL(info.Env(), "could not write to the memory BIO");
  return Napi::Number::New(info.Env(), n);
}

// read(n) -> up to n bytes (all of them for a negative n).
Napi::Value MemoryBIOWrap::Read(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  int64_t want = 0;
  if (!GetInt(info[0], "n", &want)) return info.Env().Undefined();
  size_t pending = BIO_ctrl_pending(bio_.get());
  size_t n = want < 0 ? pending : std::min(pending, static_cast<size_t>(want));
  if (n > INT32_MAX) n = INT32_MAX;
  Napi::Buffer<unsigned char> out = Napi::Buffer<unsigned char>::New(info.Env(), n);
  if (n > 0 && BIO_read(bio_.get(), out.Data(), static_cast<int>(n)) != static_cast<int>(n)) {
    return ThrowOpenSSL(info.Env(), "could not read the memory BIO");
  }
  return out;
}

Napi::Value MemoryBIOWrap::Pending(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(BIO_ctrl_pending(bio_.get())));
}

// writeEof(): once what is in it is read, the reader sees the end of the stream.
Napi::Value MemoryBIOWrap::WriteEof(const Napi::CallbackInfo& info) {
  BIO_set_mem_eof_return(bio_.get(), 0);
  return info.Env().Undefined();
}

// new Connection(context, owner, incoming?, outgoing?): `owner` is the JavaScript object handed to
// callbacks as `conn`; the two MemoryBIOs, when given, are the SSL's BIOs.
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
  BIOPointer rbio(nullptr), wbio(nullptr);
  if (info.Length() > 3 && info[2].IsObject()) {
    // Over two MemoryBIOs (wrapBio): the SSL takes a reference of its own on each.
    MemoryBIOWrap* in = UnwrapAs<MemoryBIOWrap>(info[2], "incoming");
    if (in == nullptr) return;
    MemoryBIOWrap* out = UnwrapAs<MemoryBIOWrap>(info[3], "outgoing");
    if (out == nullptr) return;
    if (in == out) {
      ThrowValue(env, "\"incoming\" and \"outgoing\" must be two MemoryBIOs");
      return;
    }
    if (BIO_up_ref(in->get()) != 1 || (rbio.reset(in->get()), BIO_up_ref(out->get()) != 1)) {
      ThrowOpenSSL(env, "could not use the MemoryBIOs");
      return;
    }
    wbio.reset(out->get());
  } else {
    rbio.reset(BIO_new(BIO_s_mem()));
    wbio.reset(BIO_new(BIO_s_mem()));
    if (!rbio || !wbio) {
      ThrowOpenSSL(env, "could not create the memory BIOs");
      return;
    }
    // An empty input BIO means "no data yet" (retry), not end of stream, until bioShutdown().
    BIO_set_mem_eof_return(rbio.get(), -1);
  }
  rbio_ = rbio.release();
  wbio_ = wbio.release();
  SSL_set_bio(ssl_.get(), rbio_, wbio_);  // the SSL now owns both BIOs
  SSL_set_ex_data(ssl_.get(), SslIndex(), this);
  ctx_refs_.push_back(Napi::Persistent(info[0].As<Napi::Object>()));
  session_ctx_ = ctx;
  if (info.Length() > 1 && info[1].IsObject()) owner_ = Napi::Weak(info[1].As<Napi::Object>());
  if (!ctx->verify_callback().IsEmpty()) verify_cb_ = Napi::Persistent(ctx->verify_callback().Value());
  // The CT callback is told the SCTs but not the connection: each Connection passes its own SSL.
  if (!ctx->callback(SSLCtxWrap::kCt).IsEmpty() && SSL_set_ct_validation_callback(ssl_.get(), CtTrampoline, ssl_.get()) != 1) {
    ThrowOpenSSL(env, "could not set the CT validation callback");
    return;
  }
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
}

SSLWrap* SSLWrap::FromSSL(const SSL* ssl) {
  return ssl == nullptr ? nullptr : static_cast<SSLWrap*>(SSL_get_ex_data(ssl, SslIndex()));
}

SSLCtxWrap* SSLWrap::CurrentContext() const { return SSLCtxWrap::FromCtx(SSL_get_SSL_CTX(ssl_.get())); }

Napi::Value SSLWrap::Owner(Napi::Env env) {
  return owner_.IsEmpty() ? env.Undefined() : Napi::Value(owner_.Value());
}

SSLWrap::EngineScope::EngineScope(SSLWrap* conn)
    : conn_(conn), callbacks_(conn->callbacks_), first_(conn->CurrentContext()), output_before_(BIO_ctrl_pending(conn->wbio_)) {
  conn_->scope_ = this;
}

SSLWrap::EngineScope::~EngineScope() {
  for (SSLCtxWrap* ctx : switched_) ctx->Leave();
  conn_->scope_ = nullptr;
  if (conn_->drop_output_) {
    conn_->drop_output_ = false;
    // Keep what was queued before this call; drop what OpenSSL wrote after the failed callback.
    BIO* out = conn_->wbio_;
    size_t keep = output_before_;
    if (BIO_ctrl_pending(out) > keep) {
      std::vector<unsigned char> head(keep);
      if (keep > 0 && BIO_read(out, head.data(), static_cast<int>(keep)) != static_cast<int>(keep)) head.clear();
      (void)BIO_reset(out);  // a read-write memory BIO empties
      if (!head.empty()) BIO_write(out, head.data(), static_cast<int>(head.size()));
    }
  }
}

void SSLWrap::EngineScope::MarkContext(SSLCtxWrap* ctx) {
  if (ctx == nullptr) return;
  ctx->Enter();
  switched_.push_back(ctx);
}

template <Napi::Value (SSLWrap::*Method)(const Napi::CallbackInfo&)>
Napi::Value SSLWrap::Mutating(const Napi::CallbackInfo& info) {
  if (RefuseIfBusy(info.Env(), static_cast<const char*>(info.Data()))) return info.Env().Undefined();
  return (this->*Method)(info);
}

template <Napi::Value (SSLWrap::*Method)(const Napi::CallbackInfo&)>
Napi::ObjectWrap<SSLWrap>::PropertyDescriptor SSLWrap::Mutator(const char* name) {
  // The name travels as the method's data, for the refusal's message.
  return InstanceMethod<&SSLWrap::Mutating<Method>>(name, napi_default, const_cast<char*>(name));
}

bool SSLWrap::RefuseIfBusy(Napi::Env env, const char* method) {
  if (!callbacks_.armed()) return false;
  ThrowReentry(env, std::string("Connection.") + method +
                        "() cannot be called from inside one of this Connection's callbacks: OpenSSL is still using it");
  return true;
}

bool SSLWrap::RefuseIfFailed(Napi::Env env) {
  if (!callbacks_.failed() && !fatal_) return false;
  // Without this, what a second call says depends on the OpenSSL release (3.0 reports a system
  // error, 3.5 asks for more input, which a driver would wait on for ever).
  bool callback = callbacks_.failed();
  Napi::Error e = Napi::Error::New(env, callback ? "the connection failed in one of its callbacks and cannot go on"
                                                 : "the connection failed with a fatal TLS error and cannot go on");
  e.Value().Set("opensslError", Napi::Boolean::New(env, true));
  e.Value().Set("errors", Napi::Array::New(env));
  e.Value().Set("code", Napi::String::New(env, callback ? "ERR_SSL_CALLBACK_FAILED" : "ERR_SSL_CONNECTION_FAILED"));
  e.ThrowAsJavaScriptException();
  return true;
}

Napi::Value SSLWrap::Result(Napi::Env env, int ret, const char* what) {
  if (callbacks_.Rethrow(env)) return env.Undefined();
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
  fatal_ = true;
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
  SSL_set_connect_state(ssl_.get());
  return info.Env().Undefined();
}

Napi::Value SSLWrap::SetAcceptState(const Napi::CallbackInfo& info) {
  SSL_set_accept_state(ssl_.get());
  return info.Env().Undefined();
}

// doHandshake() -> 1 when done, or -SSL_ERROR_* for a retryable condition.
Napi::Value SSLWrap::DoHandshake(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (RefuseIfFailed(env)) return env.Undefined();
  ErrGuard guard;
  int ret;
  {
    EngineScope scope(this);
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
    EngineScope scope(this);
    ret = peek ? SSL_peek(ssl_.get(), buf.Data() + offset, static_cast<int>(length))
               : SSL_read(ssl_.get(), buf.Data() + offset, static_cast<int>(length));
  }
  return Result(env, ret, "read failed");
}

// write(data) -> bytes written (may be fewer than given), or -SSL_ERROR_*.
Napi::Value SSLWrap::Write(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (RefuseIfFailed(env)) return env.Undefined();
  ErrGuard guard;
  Bytes in = GetBytes(info[0], "buf");
  if (!in.ok) return env.Undefined();
  if (in.size > static_cast<size_t>(INT32_MAX)) return ThrowValue(env, "buf is too large; send it in parts");
  int ret;
  {
    EngineScope scope(this);
    ret = SSL_write(ssl_.get(), in.data, static_cast<int>(in.size));
  }
  if (in.size == 0 && ret <= 0 && !callbacks_.failed() && SSL_get_error(ssl_.get(), ret) == SSL_ERROR_NONE) return Napi::Number::New(env, 0);
  return Result(env, ret, "write failed");
}

// encrypt(buf | buf[]) -> Buffer: writes all of the plaintext (each buffer in turn) and returns
// everything the engine has for the peer, in one Buffer (one call and one copy per application write,
// where write + bioPending + bioRead take several); or -SSL_ERROR_* when OpenSSL cannot take it now
// (a renegotiation waiting for the peer), with the bytes written so far left queued.
Napi::Value SSLWrap::Encrypt(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (RefuseIfFailed(env)) return env.Undefined();
  ErrGuard guard;
  std::vector<Bytes> parts;
  if (info[0].IsArray()) {
    Napi::Array list = info[0].As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); i++) {
      Bytes b = GetBytes(list.Get(i), "buf");
      if (!b.ok) return env.Undefined();
      parts.push_back(b);
    }
  } else {
    Bytes b = GetBytes(info[0], "buf");
    if (!b.ok) return env.Undefined();
    parts.push_back(b);
  }
  for (const Bytes& part : parts) {
    size_t offset = 0;
    while (offset < part.size) {
      size_t n = std::min(part.size - offset, static_cast<size_t>(INT32_MAX));
      int ret;
      {
        EngineScope scope(this);
        ret = SSL_write(ssl_.get(), part.data + offset, static_cast<int>(n));
      }
      if (ret <= 0) return Result(env, ret, "write failed");
      offset += static_cast<size_t>(ret);
    }
  }
  size_t pending = BIO_ctrl_pending(wbio_);
  Napi::Buffer<unsigned char> out = Napi::Buffer<unsigned char>::New(env, pending);
  if (pending > 0 && BIO_read(wbio_, out.Data(), static_cast<int>(pending)) != static_cast<int>(pending)) {
    return ThrowOpenSSL(env, "could not read from the output BIO");
  }
  return out;
}

// shutdown() -> 1 when both close_notify alerts are done, 0 when ours is sent, or -SSL_ERROR_*.
Napi::Value SSLWrap::Shutdown(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (RefuseIfFailed(env)) return env.Undefined();
  ErrGuard guard;
  int ret;
  {
    EngineScope scope(this);
    ret = SSL_shutdown(ssl_.get());
  }
  if (ret == 0) {
    if (callbacks_.Rethrow(env)) return env.Undefined();
    return Napi::Number::New(env, 0);
  }
  return Result(env, ret, "shutdown failed");
}

// getGroupName(): the key-exchange group the handshake negotiated, by OpenSSL's name for it, or null
// before one is negotiated (pyOpenSSL's get_group_name).
Napi::Value SSLWrap::GetGroupName(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  // OpenSSL 3.0 reads the group from the session, and has none before the handshake starts.
  if (SSL_get_session(ssl_.get()) == nullptr) return info.Env().Null();
  int group = SSL_get_negotiated_group(ssl_.get());
  const char* name = group > 0 ? SSL_group_to_name(ssl_.get(), group) : nullptr;
  if (name == nullptr) return info.Env().Null();
  return Napi::String::New(info.Env(), name);
}

// getSelectedSrtpProfile(): the DTLS-SRTP protection profile the handshake chose (use_srtp), by
// name, or "" when none was (pyOpenSSL's get_selected_srtp_profile).
Napi::Value SSLWrap::GetSelectedSrtpProfile(const Napi::CallbackInfo& info) {
  const SRTP_PROTECTION_PROFILE* profile = SSL_get_selected_srtp_profile(ssl_.get());
  return Napi::String::New(info.Env(), profile != nullptr && profile->name != nullptr ? profile->name : "");
}

// Options and mode of this connection alone (they start as its context's): options cross as BigInt.
Napi::Value SSLWrap::SetOptions(const Napi::CallbackInfo& info) {
  uint64_t opts = 0;
  if (!GetOptionBits(info[0], &opts)) return info.Env().Undefined();
  return Napi::BigInt::New(info.Env(), static_cast<uint64_t>(SSL_set_options(ssl_.get(), opts)));
}

Napi::Value SSLWrap::ClearOptions(const Napi::CallbackInfo& info) {
  uint64_t opts = 0;
  if (!GetOptionBits(info[0], &opts)) return info.Env().Undefined();
  return Napi::BigInt::New(info.Env(), static_cast<uint64_t>(SSL_clear_options(ssl_.get(), opts)));
}

Napi::Value SSLWrap::GetOptions(const Napi::CallbackInfo& info) {
  return Napi::BigInt::New(info.Env(), static_cast<uint64_t>(SSL_get_options(ssl_.get())));
}

Napi::Value SSLWrap::SetMode(const Napi::CallbackInfo& info) {
  int64_t mode = 0;
  if (!GetInt(info[0], "mode", &mode)) return info.Env().Undefined();
  return Napi::Number::New(info.Env(), static_cast<double>(SSL_set_mode(ssl_.get(), static_cast<long>(mode))));
}

Napi::Value SSLWrap::ClearMode(const Napi::CallbackInfo& info) {
  int64_t mode = 0;
  if (!GetInt(info[0], "mode", &mode)) return info.Env().Undefined();
  return Napi::Number::New(info.Env(), static_cast<double>(SSL_clear_mode(ssl_.get(), static_cast<long>(mode))));
}

Napi::Value SSLWrap::GetMode(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(SSL_get_mode(ssl_.get())));
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

// getPeerScts(): the SCTs the server gave (TLS extension, stapled OCSP response, certificate), with
// their validation status when CT validation ran.
Napi::Value SSLWrap::GetPeerScts(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  const STACK_OF(SCT)* scts = SSL_get0_peer_scts(ssl_.get());
  if (scts == nullptr) ERR_clear_error();
  return SctListToArray(info.Env(), scts);
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
  // An IP address literal is matched against iPAddress SANs, a name against dNSName SANs; an empty
  // name clears both (no host check).
  int ok;
  if (IsIpLiteral(s)) {
    ok = X509_VERIFY_PARAM_set1_ip_asc(param, s.c_str());
  } else {
    ok = X509_VERIFY_PARAM_set1_host(param, s.data(), s.size());
    if (ok == 1 && s.empty()) ok = X509_VERIFY_PARAM_set1_ip(param, nullptr, 0);
  }
  if (ok != 1) return ThrowOpenSSL(env, "invalid host name \"" + s + "\"");
  return env.Undefined();
}

Napi::Value SSLWrap::GetVerifyResult(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(SSL_get_verify_result(ssl_.get())));
}

// setVerifyResult(code): records a verdict of the application's own (SSL_set_verify_result), kept
// with the session as OpenSSL's is.
Napi::Value SSLWrap::SetVerifyResult(const Napi::CallbackInfo& info) {
  int64_t code = 0;
  if (!GetInt(info[0], "result", &code)) return info.Env().Undefined();
  if (code < 0 || code > INT32_MAX) return ThrowValue(info.Env(), "\"result\" must be an X509_V_ERR_* number (0 or more)");
  SSL_set_verify_result(ssl_.get(), static_cast<long>(code));
  return info.Env().Undefined();
}

Napi::Value SSLWrap::SetVerify(const Napi::CallbackInfo& info) {
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
  SSL_set_verify(ssl_.get(), static_cast<int>(mode), verify_cb_.IsEmpty() ? nullptr : VerifyTrampoline);
  return env.Undefined();
}

// setInfoCallback(fn|null): this connection's own info callback, called instead of its Context's;
// null goes back to the Context's.
Napi::Value SSLWrap::SetInfoCallback(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info[0].IsFunction()) {
    info_cb_ = Napi::Persistent(info[0].As<Napi::Function>());
    SSL_set_info_callback(ssl_.get(), InfoTrampoline);
  } else if (info[0].IsUndefined() || info[0].IsNull()) {
    info_cb_.Reset();
    SSL_set_info_callback(ssl_.get(), nullptr);
  } else {
    return ThrowType(env, "callback", "a function", info[0]);
  }
  return env.Undefined();
}

Napi::Value SSLWrap::SetVerifyDeferred(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
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

// sharedCiphers(): servers, the ciphers both the client offered and this side allows, as
// [name, protocol, bits] (Python's shared_ciphers); null on a client or before a ClientHello.
Napi::Value SSLWrap::SharedCiphers(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  STACK_OF(SSL_CIPHER)* client = SSL_get_client_ciphers(ssl_.get());  // borrowed
  if (client == nullptr) return env.Null();
  STACK_OF(SSL_CIPHER)* mine = SSL_get_ciphers(ssl_.get());  // borrowed
  Napi::Array out = Napi::Array::New(env);
  uint32_t n = 0;
  for (int i = 0; i < sk_SSL_CIPHER_num(mine); i++) {
    const SSL_CIPHER* c = sk_SSL_CIPHER_value(mine, i);
    if (sk_SSL_CIPHER_find(client, c) < 0) continue;
    Napi::Array entry = Napi::Array::New(env, 3);
    entry.Set(0u, Napi::String::New(env, SSL_CIPHER_get_name(c)));
    entry.Set(1u, Napi::String::New(env, SSL_CIPHER_get_version(c)));
    entry.Set(2u, Napi::Number::New(env, SSL_CIPHER_get_bits(c, nullptr)));
    out.Set(n++, entry);
  }
  return out;
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

namespace {
Napi::Value BufferOrNull(Napi::Env env, const unsigned char* data, size_t len) {
  if (data == nullptr || len == 0) return env.Null();
  return Napi::Buffer<unsigned char>::Copy(env, data, len);
}
}  // namespace

// setContext(ctx): switch to another Context (SSL_set_SSL_CTX). Allowed before the handshake and
// from inside the SNI callback, OpenSSL's place for it; refused from any other callback.
Napi::Value SSLWrap::SetContext(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!in_servername_ && RefuseIfBusy(env, "setContext")) return env.Undefined();
  ErrGuard guard;
  SSLCtxWrap* ctx = UnwrapAs<SSLCtxWrap>(info[0], "context");
  if (ctx == nullptr) return env.Undefined();
  if (SSL_set_SSL_CTX(ssl_.get(), ctx->get()) == nullptr) return ThrowOpenSSL(env, "could not switch the context");
  Napi::ObjectReference ref = Napi::Persistent(info[0].As<Napi::Object>());
  if (scope_ != nullptr) {
    // Inside the SNI callback: the rest of this handshake uses the new Context's callbacks.
    scope_->MarkContext(ctx);
    ctx_refs_.push_back(std::move(ref));
  } else if (ctx_refs_.size() > 1) {
    ctx_refs_.back() = std::move(ref);  // the first stays: OpenSSL keeps it as the session context
  } else {
    ctx_refs_.push_back(std::move(ref));
  }
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

// getCipherStandardName(): the IANA (RFC) name of the negotiated cipher, or null.
Napi::Value SSLWrap::GetCipherStandardName(const Napi::CallbackInfo& info) {
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl_.get());
  const char* name = cipher != nullptr ? SSL_CIPHER_standard_name(cipher) : nullptr;
  if (name == nullptr) return info.Env().Null();
  return Napi::String::New(info.Env(), name);
}

// ocspRequested(): servers, whether the client asked for a stapled OCSP response (status_request).
Napi::Value SSLWrap::OcspRequested(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), SSL_get_tlsext_status_type(ssl_.get()) == TLSEXT_STATUSTYPE_ocsp);
}

// clientHelloInfo(): inside the client-hello callback, {sessionId, hasTicket} of the ClientHello
// (the legacy session id, and whether a session ticket is offered); null elsewhere.
Napi::Value SSLWrap::ClientHelloInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!in_client_hello_) return env.Null();
  const unsigned char* id = nullptr;
  size_t id_len = SSL_client_hello_get0_session_id(ssl_.get(), &id);
  const unsigned char* ticket = nullptr;
  size_t ticket_len = 0;
  bool has_ticket = SSL_client_hello_get0_ext(ssl_.get(), TLSEXT_TYPE_session_ticket, &ticket, &ticket_len) == 1 && ticket_len > 0;
  Napi::Object out = Napi::Object::New(env);
  out.Set("sessionId", Napi::Buffer<unsigned char>::Copy(env, id != nullptr ? id : reinterpret_cast<const unsigned char*>(""), id_len));
  out.Set("hasTicket", Napi::Boolean::New(env, has_ticket));
  return out;
}

// setPendingSession(session | null): the session OpenSSL's session id lookup will find (a server's
// external session cache, filled asynchronously by the application).
Napi::Value SSLWrap::SetPendingSession(const Napi::CallbackInfo& info) {
  pending_session_.reset();
  if (info[0].IsNull() || info[0].IsUndefined()) return info.Env().Undefined();
  SessionWrap* sess = UnwrapAs<SessionWrap>(info[0], "session");
  if (sess == nullptr) return info.Env().Undefined();
  if (SSL_SESSION_up_ref(sess->get()) != 1) return ThrowOpenSSL(info.Env(), "could not keep the session");
  pending_session_.reset(sess->get());
  return info.Env().Undefined();
}

// setMaxSendFragment(n): the largest plaintext record this side sends (512 to 16384 bytes).
Napi::Value SSLWrap::SetMaxSendFragment(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  int64_t n = 0;
  if (!GetInt(info[0], "size", &n)) return info.Env().Undefined();
  if (n < 512 || n > 16384) return ThrowValue(info.Env(), "size must be between 512 and 16384");
  if (SSL_set_max_send_fragment(ssl_.get(), static_cast<long>(n)) != 1) {
    return ThrowOpenSSL(info.Env(), "could not set the maximum send fragment");
  }
  return info.Env().Undefined();
}

// getPeerTmpKey(): the peer's ephemeral key of the key exchange as {type, name, size}, or null
// (no handshake yet, or a key exchange without one). `type` is 'ECDH' (curves, X25519/X448) or 'DH'.
Napi::Value SSLWrap::GetPeerTmpKey(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  EVP_PKEY* raw = nullptr;
  if (SSL_get_peer_tmp_key(ssl_.get(), &raw) != 1 || raw == nullptr) {
    ERR_clear_error();
    // A group OpenSSL gives no key object for (OpenSSL 3.5's hybrid X25519MLKEM768): its name, as
    // node:tls reports it ({type: 'TLSGroup', name}).
    // (Only after a handshake: OpenSSL 3.0 reads the session's group without checking for one.)
    if (SSL_get_session(ssl_.get()) == nullptr || SSL_is_init_finished(ssl_.get()) != 1) return env.Null();
    int group = static_cast<int>(SSL_get_negotiated_group(ssl_.get()));
    const char* name = group != 0 ? SSL_group_to_name(ssl_.get(), group) : nullptr;
    if (name == nullptr) return env.Null();
    Napi::Object out = Napi::Object::New(env);
    out.Set("type", "TLSGroup");
    out.Set("name", name);
    return out;
  }
  EVPKeyPointer key(raw);  // SSL_get_peer_tmp_key gives us a reference
  Napi::Object out = Napi::Object::New(env);
  int id = EVP_PKEY_id(key.get());
  int bits = EVP_PKEY_bits(key.get());
  switch (id) {
    case EVP_PKEY_DH:
      out.Set("type", "DH");
      break;
    case EVP_PKEY_EC: {
      out.Set("type", "ECDH");
      char group[64] = {0};
      size_t len = 0;
      if (EVP_PKEY_get_group_name(key.get(), group, sizeof(group), &len) == 1) {
        int nid = OBJ_txt2nid(group);
        const char* sn = nid == NID_undef ? group : OBJ_nid2sn(nid);
        out.Set("name", sn);
      }
      break;
    }
    case EVP_PKEY_X25519:
    case EVP_PKEY_X448:
      out.Set("type", "ECDH");
      out.Set("name", OBJ_nid2sn(id));
      break;
    default:
      out.Set("type", OBJ_nid2sn(id) != nullptr ? OBJ_nid2sn(id) : "unknown");
      break;
  }
  out.Set("size", bits);
  return out;
}

// getSharedSigalgs(): the signature algorithms both sides support, as node:tls names them: the
// signature type and the digest, 'ECDSA+SHA256', 'RSA-PSS+SHA384', 'Ed25519+UNDEF'.
namespace {
// A signature algorithm as node:tls names it: the key type, '+', the digest (UNDEF for EdDSA).
std::string SigalgName(int sign, int hash) {
  std::string name;
  switch (sign) {
    case EVP_PKEY_RSA: name = "RSA"; break;
    case EVP_PKEY_RSA_PSS: name = "RSA-PSS"; break;
    case EVP_PKEY_DSA: name = "DSA"; break;
    case EVP_PKEY_EC: name = "ECDSA"; break;
    case NID_ED25519: name = "Ed25519"; break;
    case NID_ED448: name = "Ed448"; break;
    default: {
      const char* sn = OBJ_nid2sn(sign);
      name = sn != nullptr ? sn : "UNDEF";
    }
  }
  const char* digest = hash != NID_undef ? OBJ_nid2sn(hash) : nullptr;
  name += "+";
  name += digest != nullptr ? digest : "UNDEF";
  return name;
}
}  // namespace

Napi::Value SSLWrap::GetSharedSigalgs(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env);
  int count = SSL_get_shared_sigalgs(ssl_.get(), 0, nullptr, nullptr, nullptr, nullptr, nullptr);
  for (int i = 0; i < count; i++) {
    int sign = 0, hash = 0;
    unsigned char rsig = 0, rhash = 0;
    SSL_get_shared_sigalgs(ssl_.get(), i, &sign, &hash, nullptr, &rsig, &rhash);
    out.Set(out.Length(), SigalgName(sign, hash));
  }
  return out;
}

// getSigalgs() -> {own, peer}: the signature algorithm each side signed the handshake with (its
// CertificateVerify, or a TLS 1.2 ServerKeyExchange), null where that side did not sign.
Napi::Value SSLWrap::GetSigalgs(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  int sign = NID_undef, hash = NID_undef;
  bool own = SSL_get_signature_type_nid(ssl_.get(), &sign) == 1;
  if (own && SSL_get_signature_nid(ssl_.get(), &hash) != 1) hash = NID_undef;
  out.Set("own", own ? Napi::Value(Napi::String::New(env, SigalgName(sign, hash))) : env.Null());
  sign = hash = NID_undef;
  bool peer = SSL_get_peer_signature_type_nid(ssl_.get(), &sign) == 1;
  if (peer && SSL_get_peer_signature_nid(ssl_.get(), &hash) != 1) hash = NID_undef;
  out.Set("peer", peer ? Napi::Value(Napi::String::New(env, SigalgName(sign, hash))) : env.Null());
  ERR_clear_error();
  return out;
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
  if (RefuseIfFailed(env)) return env.Undefined();
  ErrGuard guard;
  int r;
  {
    EngineScope scope(this);
    r = DTLSv1_handle_timeout(ssl_.get());
  }
  if (callbacks_.Rethrow(env)) return env.Undefined();
  if (r < 0) return ThrowOpenSSL(env, "DTLS retransmission failed");
  return Napi::Boolean::New(env, r > 0);
}

// dtlsListen() -> 1 when a ClientHello with a valid cookie arrived, or -SSL_ERROR_WANT_READ.
Napi::Value SSLWrap::DtlsListen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (RefuseIfFailed(env)) return env.Undefined();
  ErrGuard guard;
  Owned<BIO_ADDR, BIO_ADDR_free> addr(BIO_ADDR_new());
  if (!addr) return ThrowOpenSSL(env, "out of memory");
  int r;
  {
    EngineScope scope(this);
    r = DTLSv1_listen(ssl_.get(), addr.get());
  }
  if (callbacks_.Rethrow(env)) return env.Undefined();
  // 0 means "no ClientHello with a valid cookie yet": keep feeding datagrams.
  if (r == 0) {
    ERR_clear_error();
    return Napi::Number::New(env, -SSL_ERROR_WANT_READ);
  }
  return Result(env, r, "DTLS listen failed");
}

}  // namespace ossl
