// Context settings beyond the basics, and the trampolines that run JavaScript callbacks from inside
// OpenSSL. Every trampoline finds the Connection through the SSL's ex_data and the callback on the
// SSL's current Context; a JavaScript exception is kept on the Connection, the trampoline returns
// OpenSSL's fail-closed value, and the Connection refuses further I/O.
#include <openssl/pem.h>
#include <openssl/dtls1.h>
#include <openssl/srtp.h>

#include <cstring>

#include "common/passphrase.h"
#include "ssl_objects.h"

namespace ossl {

namespace {
void FreeNameStack(STACK_OF(X509_NAME)* s) { sk_X509_NAME_pop_free(s, X509_NAME_free); }
}  // namespace

// ---- Context ---------------------------------------------------------------------------------

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
Napi::Value SSLCtxWrap::LoadTmpDh(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::string path;
  if (!GetString(info[0], "dhfile", &path)) return env.Undefined();
  if (path.find('\0') != std::string::npos) return ThrowValue(env, "dhfile contains a NUL byte");
  BIOPointer bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) return ThrowOpenSSL(env, "could not open " + path);
  EVPKeyPointer params(PEM_read_bio_Parameters(bio.get(), nullptr));
  if (!params || EVP_PKEY_get_base_id(params.get()) != EVP_PKEY_DH) {
    if (ERR_peek_error() == 0) ERR_raise(ERR_LIB_PEM, PEM_R_NO_START_LINE);
    return ThrowOpenSSL(env, "no DH parameters in " + path);
  }
  if (SSL_CTX_set0_tmp_dh_pkey(ctx_.get(), params.get()) != 1) return ThrowOpenSSL(env, "could not use the DH parameters");
  params.release();  // SSL_CTX_set0_tmp_dh_pkey took ownership
  return env.Undefined();
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
  std::string kind;
  if (!GetString(info[0], "kind", &kind)) return env.Undefined();
  bool on = info[1].IsFunction();
  if (!on && !info[1].IsNull() && !info[1].IsUndefined()) return ThrowType(env, "callback", "a function", info[1]);
  auto store = [&](Napi::FunctionReference& slot) {
    if (on) slot = Napi::Persistent(info[1].As<Napi::Function>());
    else slot.Reset();
  };
  SSL_CTX* ctx = ctx_.get();
  if (kind == "info") {
    store(info_cb_);
    SSL_CTX_set_info_callback(ctx, on ? SSLWrap::InfoTrampoline : nullptr);
  } else if (kind == "keylog") {
    store(keylog_cb_);
    SSL_CTX_set_keylog_callback(ctx, on ? SSLWrap::KeylogTrampoline : nullptr);
  } else if (kind == "servername") {
    store(servername_cb_);
    SSL_CTX_set_tlsext_servername_callback(ctx, (on ? SSLWrap::ServernameTrampoline : nullptr));
  } else if (kind == "alpnSelect") {
    store(alpn_select_cb_);
    SSL_CTX_set_alpn_select_cb(ctx, on ? SSLWrap::AlpnSelectTrampoline : nullptr, nullptr);
  } else if (kind == "ocsp") {
    store(ocsp_cb_);
    SSL_CTX_set_tlsext_status_cb(ctx, (on ? SSLWrap::OcspTrampoline : nullptr));
  } else if (kind == "pskServer") {
    store(psk_server_cb_);
    SSL_CTX_set_psk_server_callback(ctx, on ? SSLWrap::PskServerTrampoline : nullptr);
  } else if (kind == "pskClient") {
    store(psk_client_cb_);
    SSL_CTX_set_psk_client_callback(ctx, on ? SSLWrap::PskClientTrampoline : nullptr);
  } else if (kind == "cookieGenerate") {
    store(cookie_generate_cb_);
    SSL_CTX_set_cookie_generate_cb(ctx, on ? SSLWrap::CookieGenerateTrampoline : nullptr);
  } else if (kind == "cookieVerify") {
    store(cookie_verify_cb_);
    SSL_CTX_set_cookie_verify_cb(ctx, on ? SSLWrap::CookieVerifyTrampoline : nullptr);
  } else {
    return ThrowValue(env, "unknown callback kind: " + kind);
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

// ---- trampolines -----------------------------------------------------------------------------

Napi::Value SSLWrap::Owner(Napi::Env env) {
  return owner_.IsEmpty() ? env.Undefined() : Napi::Value(owner_.Value());
}

Napi::Value SSLWrap::Invoke(const Napi::FunctionReference& fn, const std::vector<napi_value>& args) {
  Napi::Env env = Env();
  if (failed_) return Napi::Value();  // an earlier callback failed: run no more JavaScript
  Napi::Value result = fn.Call(args);
  if (env.IsExceptionPending()) {
    KeepException(env);
    failed_ = true;
    return Napi::Value();
  }
  return result;
}

void SSLWrap::FailCallback(const Napi::Error& error) {
  Napi::Env env = Env();
  error.ThrowAsJavaScriptException();
  KeepException(env);
  failed_ = true;
}

namespace {
// The Connection for an SSL and the Context whose callbacks apply now.
SSLCtxWrap* CtxOf(const SSL* ssl) { return SSLCtxWrap::FromCtx(SSL_get_SSL_CTX(ssl)); }

}  // namespace

void SSLWrap::InfoTrampoline(const SSL* ssl, int where, int ret) {
  SSLWrap* self = FromSSL(ssl);
  SSLCtxWrap* ctx = CtxOf(ssl);
  if (self == nullptr || ctx == nullptr || ctx->info_callback().IsEmpty()) return;
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  self->Invoke(ctx->info_callback(), {self->Owner(env), Napi::Number::New(env, where), Napi::Number::New(env, ret)});
}

void SSLWrap::KeylogTrampoline(const SSL* ssl, const char* line) {
  SSLWrap* self = FromSSL(ssl);
  SSLCtxWrap* ctx = CtxOf(ssl);
  if (self == nullptr || ctx == nullptr || ctx->keylog_callback().IsEmpty()) return;
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  self->Invoke(ctx->keylog_callback(), {self->Owner(env), Napi::Buffer<char>::Copy(env, line, std::strlen(line))});
}

int SSLWrap::ServernameTrampoline(SSL* ssl, int* alert, void*) {
  SSLWrap* self = FromSSL(ssl);
  SSLCtxWrap* ctx = CtxOf(ssl);
  if (self == nullptr || ctx == nullptr || ctx->servername_callback().IsEmpty()) return SSL_TLSEXT_ERR_NOACK;
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  // The callback may switch the Connection's Context (setContext) from here; that is allowed.
  bool was_busy = self->busy_;
  self->busy_ = false;
  Napi::Value r = self->Invoke(ctx->servername_callback(), {self->Owner(env)});
  self->busy_ = was_busy;
  if (r.IsEmpty()) {
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_TLSEXT_ERR_ALERT_FATAL;  // fail closed: never carry on after a throwing SNI callback
  }
  return SSL_TLSEXT_ERR_OK;
}

int SSLWrap::AlpnSelectTrampoline(SSL* ssl, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                                  unsigned int inlen, void*) {
  SSLWrap* self = FromSSL(ssl);
  SSLCtxWrap* ctx = CtxOf(ssl);
  if (self == nullptr || ctx == nullptr || ctx->alpn_select_callback().IsEmpty()) return SSL_TLSEXT_ERR_NOACK;
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  Napi::Array offered = Napi::Array::New(env);
  uint32_t n = 0;
  for (unsigned int i = 0; i < inlen;) {
    unsigned int len = in[i];
    if (i + 1 + len > inlen) break;
    offered.Set(n++, Napi::Buffer<unsigned char>::Copy(env, in + i + 1, len));
    i += 1 + len;
  }
  Napi::Value r = self->Invoke(ctx->alpn_select_callback(), {self->Owner(env), offered});
  if (r.IsEmpty()) return SSL_TLSEXT_ERR_ALERT_FATAL;
  if (r.IsNull() || r.IsUndefined()) return SSL_TLSEXT_ERR_NOACK;  // no overlap: go on without ALPN
  if (!r.IsTypedArray() && !r.IsString()) {
    self->FailCallback(Napi::TypeError::New(env, "the ALPN select callback must return a Buffer, a string or null"));
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  Bytes chosen = GetBytes(r, "protocol");
  if (chosen.size == 0 || chosen.size > 255) {
    self->FailCallback(Napi::TypeError::New(env, "the ALPN select callback returned a protocol of invalid length"));
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  self->alpn_selected_.assign(reinterpret_cast<const char*>(chosen.data), chosen.size);
  *out = reinterpret_cast<const unsigned char*>(self->alpn_selected_.data());
  *outlen = static_cast<unsigned char>(self->alpn_selected_.size());
  return SSL_TLSEXT_ERR_OK;
}

// OCSP: on a server the callback returns the DER response to staple (or null for none); on a
// client it gets the stapled response (or null) and returns whether to go on.
int SSLWrap::OcspTrampoline(SSL* ssl, void*) {
  SSLWrap* self = FromSSL(ssl);
  SSLCtxWrap* ctx = CtxOf(ssl);
  bool server = SSL_is_server(ssl) == 1;
  if (self == nullptr || ctx == nullptr || ctx->ocsp_callback().IsEmpty()) return server ? SSL_TLSEXT_ERR_NOACK : 1;
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  if (server) {
    Napi::Value r = self->Invoke(ctx->ocsp_callback(), {self->Owner(env)});
    if (r.IsEmpty()) return SSL_TLSEXT_ERR_ALERT_FATAL;
    if (r.IsNull() || r.IsUndefined()) return SSL_TLSEXT_ERR_NOACK;
    if (!r.IsTypedArray() && !r.IsString()) {
      self->FailCallback(Napi::TypeError::New(env, "the OCSP server callback must return a Buffer or null"));
      return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    Bytes der = GetBytes(r, "response");
    if (der.size == 0) return SSL_TLSEXT_ERR_NOACK;
    // OpenSSL frees the response with OPENSSL_free, so hand it an OPENSSL_malloc copy.
    unsigned char* copy = static_cast<unsigned char*>(OPENSSL_malloc(der.size));
    if (copy == nullptr) return SSL_TLSEXT_ERR_ALERT_FATAL;
    std::memcpy(copy, der.data, der.size);
    SSL_set_tlsext_status_ocsp_resp(ssl, copy, static_cast<long>(der.size));
    return SSL_TLSEXT_ERR_OK;
  }
  const unsigned char* resp = nullptr;
  long len = SSL_get_tlsext_status_ocsp_resp(ssl, &resp);
  Napi::Value data = (resp != nullptr && len > 0) ? Napi::Value(Napi::Buffer<unsigned char>::Copy(env, resp, static_cast<size_t>(len))) : env.Null();
  Napi::Value r = self->Invoke(ctx->ocsp_callback(), {self->Owner(env), data});
  if (r.IsEmpty()) return 0;
  if (!r.IsBoolean()) {
    self->FailCallback(Napi::TypeError::New(env, "the OCSP client callback must return a boolean"));
    return 0;
  }
  return r.As<Napi::Boolean>().Value() ? 1 : 0;
}

unsigned int SSLWrap::PskServerTrampoline(SSL* ssl, const char* identity, unsigned char* psk, unsigned int max_psk_len) {
  SSLWrap* self = FromSSL(ssl);
  SSLCtxWrap* ctx = CtxOf(ssl);
  if (self == nullptr || ctx == nullptr || ctx->psk_server_callback().IsEmpty()) return 0;
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  Napi::Value id = identity != nullptr ? Napi::Value(Napi::Buffer<char>::Copy(env, identity, std::strlen(identity))) : env.Null();
  Napi::Value r = self->Invoke(ctx->psk_server_callback(), {self->Owner(env), id});
  if (r.IsEmpty()) return 0;
  if (r.IsNull() || r.IsUndefined()) return 0;  // unknown identity: no key, the handshake fails
  if (!r.IsTypedArray() && !r.IsString()) {
    self->FailCallback(Napi::TypeError::New(env, "the PSK server callback must return a Buffer or null"));
    return 0;
  }
  Bytes key = GetBytes(r, "psk");
  if (key.size > max_psk_len) {
    self->FailCallback(Napi::RangeError::New(env, "the PSK is longer than OpenSSL accepts"));
    return 0;
  }
  std::memcpy(psk, key.data, key.size);
  return static_cast<unsigned int>(key.size);
}

unsigned int SSLWrap::PskClientTrampoline(SSL* ssl, const char* hint, char* identity, unsigned int max_identity_len,
                                          unsigned char* psk, unsigned int max_psk_len) {
  SSLWrap* self = FromSSL(ssl);
  SSLCtxWrap* ctx = CtxOf(ssl);
  if (self == nullptr || ctx == nullptr || ctx->psk_client_callback().IsEmpty()) return 0;
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  Napi::Value h = hint != nullptr ? Napi::Value(Napi::Buffer<char>::Copy(env, hint, std::strlen(hint))) : env.Null();
  Napi::Value r = self->Invoke(ctx->psk_client_callback(), {self->Owner(env), h});
  if (r.IsEmpty()) return 0;
  auto fail = [&](const char* message) -> unsigned int {
    self->FailCallback(Napi::TypeError::New(env, message));
    return 0;
  };
  if (!r.IsArray() || r.As<Napi::Array>().Length() != 2) return fail("the PSK client callback must return [identity, psk]");
  Napi::Value idv = r.As<Napi::Array>().Get(0u);
  Napi::Value keyv = r.As<Napi::Array>().Get(1u);
  if ((!idv.IsTypedArray() && !idv.IsString()) || (!keyv.IsTypedArray() && !keyv.IsString())) {
    return fail("the PSK client callback must return [identity, psk] as Buffers or strings");
  }
  Bytes id = GetBytes(idv, "identity");
  Bytes key = GetBytes(keyv, "psk");
  // The identity is a C string for OpenSSL: it must fit with its terminator and hold no NUL.
  if (id.size + 1 > max_identity_len || std::memchr(id.data, 0, id.size) != nullptr) return fail("the PSK identity is too long or contains a NUL byte");
  if (key.size > max_psk_len || key.size == 0) return fail("the PSK has an invalid length");
  std::memcpy(identity, id.data, id.size);
  identity[id.size] = '\0';
  std::memcpy(psk, key.data, key.size);
  return static_cast<unsigned int>(key.size);
}

// DTLS cookies: the server's callback returns the cookie (a Buffer of 1..255 bytes); the verify
// callback gets the cookie the client echoed and returns whether it is good.
int SSLWrap::CookieGenerateTrampoline(SSL* ssl, unsigned char* cookie, unsigned int* cookie_len) {
  SSLWrap* self = FromSSL(ssl);
  SSLCtxWrap* ctx = CtxOf(ssl);
  if (self == nullptr || ctx == nullptr || ctx->cookie_generate_callback().IsEmpty()) return 0;
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  Napi::Value r = self->Invoke(ctx->cookie_generate_callback(), {self->Owner(env)});
  if (r.IsEmpty()) return 0;
  if (!r.IsTypedArray() && !r.IsString()) {
    self->FailCallback(Napi::TypeError::New(env, "the cookie generate callback must return a Buffer"));
    return 0;
  }
  Bytes c = GetBytes(r, "cookie");
  if (c.size == 0 || c.size > DTLS1_COOKIE_LENGTH) {
    self->FailCallback(Napi::RangeError::New(env, "a DTLS cookie must be 1 to 255 bytes long"));
    return 0;
  }
  std::memcpy(cookie, c.data, c.size);
  *cookie_len = static_cast<unsigned int>(c.size);
  return 1;
}

int SSLWrap::CookieVerifyTrampoline(SSL* ssl, const unsigned char* cookie, unsigned int cookie_len) {
  SSLWrap* self = FromSSL(ssl);
  SSLCtxWrap* ctx = CtxOf(ssl);
  if (self == nullptr || ctx == nullptr || ctx->cookie_verify_callback().IsEmpty()) return 0;
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  Napi::Value r = self->Invoke(ctx->cookie_verify_callback(), {self->Owner(env), Napi::Buffer<unsigned char>::Copy(env, cookie, cookie_len)});
  if (r.IsEmpty()) return 0;
  if (!r.IsBoolean()) {
    self->FailCallback(Napi::TypeError::New(env, "the cookie verify callback must return a boolean"));
    return 0;
  }
  return r.As<Napi::Boolean>().Value() ? 1 : 0;
}

}  // namespace ossl
