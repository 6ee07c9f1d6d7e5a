// The trampolines: C functions OpenSSL calls during a handshake (or a read, write or shutdown) that
// run the JavaScript callbacks of the Connection and its current Context. Each one follows the rule
// of common/callback_scope.h: JavaScript runs only while the Connection is inside one of our OpenSSL
// calls and no callback of it has failed; a throw or a result of the wrong type or length is kept
// and the trampoline returns OpenSSL's fail-closed value; the entry point re-throws afterwards.
#include <openssl/dtls1.h>

#include <cstring>

#include "session.h"
#include "ssl.h"

namespace ossl {

SSLWrap::Dispatch SSLWrap::Find(const SSL* ssl, SSLCtxWrap::Kind kind) {
  Dispatch d;
  d.conn = FromSSL(ssl);
  SSLCtxWrap* ctx = SSLCtxWrap::FromCtx(SSL_get_SSL_CTX(ssl));
  if (d.conn == nullptr || ctx == nullptr) {
    // Our trampoline is installed only by a Context wrapper; without one, nothing may be trusted.
    d.fail = true;
    return d;
  }
  const Napi::FunctionReference& fn = ctx->callback(kind);
  if (fn.IsEmpty()) return d;
  if (!d.conn->callbacks_.armed() || d.conn->callbacks_.failed()) {
    d.fail = true;
    return d;
  }
  d.fn = &fn;
  return d;
}

Napi::Value SSLWrap::Run(const Napi::FunctionReference& fn, const std::initializer_list<napi_value>& args) {
  return callbacks_.Call(Env(), fn, args);
}

// ---- verification ----------------------------------------------------------------------------

int SSLWrap::VerifyTrampoline(int ok, X509_STORE_CTX* store) {
  SSL* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  SSLWrap* self = FromSSL(ssl);
  if (self == nullptr) return 0;
  if (self->verify_cb_.IsEmpty()) return ok;
  if (!self->callbacks_.armed() || self->callbacks_.failed()) return 0;
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  Napi::Value cert = env.Null();
  X509* current = X509_STORE_CTX_get_current_cert(store);  // borrowed from the store context
  if (current != nullptr && X509_up_ref(current) == 1) {
    cert = X509Wrap::NewOwned(env, X509Pointer(current));  // the wrapper owns the new reference
    if (env.IsExceptionPending()) {
      self->callbacks_.KeepPending(env);
      return 0;
    }
  }
  Napi::Value result = self->Run(self->verify_cb_, {self->Owner(env), cert, Napi::Number::New(env, X509_STORE_CTX_get_error(store)),
                                                    Napi::Number::New(env, X509_STORE_CTX_get_error_depth(store)), Napi::Number::New(env, ok)});
  if (result.IsEmpty()) return 0;
  if (!result.IsBoolean() && !result.IsNumber()) {
    self->callbacks_.Reject(env, "the verify callback must return a boolean, got " + DescribeValue(result));
    return 0;
  }
  if (!result.ToBoolean().Value()) return 0;
  // Accepted: as pyOpenSSL, the callback's verdict replaces OpenSSL's error for this certificate,
  // and that verdict is what the session keeps.
  X509_STORE_CTX_set_error(store, X509_V_OK);
  return 1;
}

namespace {
// One ex_data slot on each X509_STORE_CTX: the verdict DeferVerdict keeps (error + 1; 0 for none yet).
int VerdictIndex() {
  static const int index = X509_STORE_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

bool IsNameMismatch(int err) {
  return err == X509_V_ERR_HOSTNAME_MISMATCH || err == X509_V_ERR_IP_ADDRESS_MISMATCH || err == X509_V_ERR_EMAIL_MISMATCH;
}
}  // namespace

// The verdict kept is OpenSSL's last failure of the chain itself (issuer, signature, time,
// revocation, purpose), as SSL_get_verify_result reports without a name check; a name mismatch is
// the verdict only when the chain itself verified (OpenSSL checks the name before the signatures,
// but a certificate that does not verify is the answer that matters, and node:tls's).
int SSLWrap::DeferVerdict(int ok, X509_STORE_CTX* store) {
  if (ok) return 1;
  const int index = VerdictIndex();
  const int err = X509_STORE_CTX_get_error(store);
  intptr_t kept = reinterpret_cast<intptr_t>(X509_STORE_CTX_get_ex_data(store, index));
  if (kept == 0 || !IsNameMismatch(err)) {
    kept = static_cast<intptr_t>(err) + 1;
    X509_STORE_CTX_set_ex_data(store, index, reinterpret_cast<void*>(kept));
  }
  X509_STORE_CTX_set_error(store, static_cast<int>(kept - 1));
  return 1;
}

// ---- notifications: info and keylog. OpenSSL takes no answer from these, so a failure fails the
// Connection instead: it refuses further I/O, and what the call queued for the peer is dropped. ----

void SSLWrap::InfoTrampoline(const SSL* ssl, int where, int ret) {
  Dispatch d = Find(ssl, SSLCtxWrap::kInfo);
  // The connection's own callback (setInfoCallback), under the same rule as its Context's.
  if (d.conn != nullptr && !d.conn->info_cb_.IsEmpty()) {
    d.fn = nullptr;
    if (d.conn->callbacks_.armed() && !d.conn->callbacks_.failed()) d.fn = &d.conn->info_cb_;
  }
  if (d.fn == nullptr) return;
  Napi::Env env = d.conn->Env();
  Napi::HandleScope scope(env);
  if (d.conn->Run(*d.fn, {d.conn->Owner(env), Napi::Number::New(env, where), Napi::Number::New(env, ret)}).IsEmpty()) {
    d.conn->drop_output_ = true;
  }
}

void SSLWrap::KeylogTrampoline(const SSL* ssl, const char* line) {
  Dispatch d = Find(ssl, SSLCtxWrap::kKeylog);
  if (d.fn == nullptr) return;
  Napi::Env env = d.conn->Env();
  Napi::HandleScope scope(env);
  if (d.conn->Run(*d.fn, {d.conn->Owner(env), Napi::Buffer<char>::Copy(env, line, std::strlen(line))}).IsEmpty()) {
    d.conn->drop_output_ = true;
  }
}

// ---- server name (SNI): the callback may switch the Connection's Context --------------------

int SSLWrap::ServernameTrampoline(SSL* ssl, int* alert, void*) {
  Dispatch d = Find(ssl, SSLCtxWrap::kServername);
  if (d.fail) {
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  if (d.fn == nullptr) return SSL_TLSEXT_ERR_NOACK;
  Napi::Env env = d.conn->Env();
  Napi::HandleScope scope(env);
  // setContext is allowed from here (and only from here); everything else stays refused.
  d.conn->in_servername_ = true;
  Napi::Value r = d.conn->Run(*d.fn, {d.conn->Owner(env)});
  d.conn->in_servername_ = false;
  if (r.IsEmpty()) {
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_TLSEXT_ERR_ALERT_FATAL;  // never carry on after a throwing SNI callback
  }
  return SSL_TLSEXT_ERR_OK;
}

// ---- certificate selection: the callback answers true (go on) or false (suspend the handshake
// until the application calls it again: an asynchronous SNI or OCSP lookup), and may switch the
// Connection's Context; a throw or another answer fails the handshake. ----------------------------

int SSLWrap::CertTrampoline(SSL* ssl, void*) {
  Dispatch d = Find(ssl, SSLCtxWrap::kCert);
  if (d.fail) return 0;
  if (d.fn == nullptr) return 1;
  Napi::Env env = d.conn->Env();
  Napi::HandleScope scope(env);
  d.conn->in_servername_ = true;
  Napi::Value r = d.conn->Run(*d.fn, {d.conn->Owner(env)});
  d.conn->in_servername_ = false;
  if (r.IsEmpty()) return 0;
  if (!r.IsBoolean()) {
    d.conn->callbacks_.Reject(env, "the certificate callback must return a boolean, got " + DescribeValue(r));
    return 0;
  }
  return r.As<Napi::Boolean>().Value() ? 1 : -1;
}

// ---- the ClientHello, before OpenSSL acts on it: the callback answers true (go on) or false
// (suspend until the application calls doHandshake again, e.g. after an asynchronous session lookup).
// A throw or another answer fails the handshake. ----------------------------------------------

int SSLWrap::ClientHelloTrampoline(SSL* ssl, int* alert, void*) {
  Dispatch d = Find(ssl, SSLCtxWrap::kClientHello);
  if (d.fail) {
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_CLIENT_HELLO_ERROR;
  }
  if (d.fn == nullptr) return SSL_CLIENT_HELLO_SUCCESS;
  Napi::Env env = d.conn->Env();
  Napi::HandleScope scope(env);
  d.conn->in_client_hello_ = true;
  Napi::Value r = d.conn->Run(*d.fn, {d.conn->Owner(env)});
  d.conn->in_client_hello_ = false;
  if (r.IsEmpty() || !r.IsBoolean()) {
    if (!r.IsEmpty()) d.conn->callbacks_.Reject(env, "the client hello callback must return a boolean, got " + DescribeValue(r));
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_CLIENT_HELLO_ERROR;
  }
  return r.As<Napi::Boolean>().Value() ? SSL_CLIENT_HELLO_SUCCESS : SSL_CLIENT_HELLO_RETRY;
}

SSL_SESSION* SSLWrap::PendingSessionTrampoline(SSL* ssl, const unsigned char*, int, int* copy) {
  SSLWrap* self = FromSSL(ssl);
  *copy = 0;  // the reference we hold goes to OpenSSL
  if (self == nullptr || !self->pending_session_) return nullptr;
  return self->pending_session_.release();
}

// ---- ALPN: the server's choice among the client's offer -----------------------------------

int SSLWrap::AlpnSelectTrampoline(SSL* ssl, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                                  unsigned int inlen, void*) {
  Dispatch d = Find(ssl, SSLCtxWrap::kAlpnSelect);
  if (d.fail) return SSL_TLSEXT_ERR_ALERT_FATAL;
  if (d.fn == nullptr) return SSL_TLSEXT_ERR_NOACK;
  SSLWrap* self = d.conn;
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
  Napi::Value r = self->Run(*d.fn, {self->Owner(env), offered});
  if (r.IsEmpty()) return SSL_TLSEXT_ERR_ALERT_FATAL;
  if (r.IsNull() || r.IsUndefined()) return SSL_TLSEXT_ERR_NOACK;  // no overlap: go on without ALPN
  Bytes chosen;
  if (!ResultBytes(r, &chosen)) {
    self->callbacks_.Reject(env, "the ALPN select callback must return a Buffer, a string or null, got " + DescribeValue(r));
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  // RFC 7301: the server selects one of the protocols the client offered.
  bool was_offered = false;
  for (unsigned int i = 0; i < inlen && !was_offered;) {
    unsigned int len = in[i];
    if (i + 1 + len > inlen) break;
    was_offered = len == chosen.size && std::memcmp(in + i + 1, chosen.data, len) == 0;
    i += 1 + len;
  }
  if (!was_offered) {
    self->callbacks_.Reject(env, "the ALPN select callback returned a protocol the client did not offer (" +
                                     std::to_string(chosen.size) + " bytes)", true);
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  self->alpn_selected_.assign(reinterpret_cast<const char*>(chosen.data), chosen.size);
  *out = reinterpret_cast<const unsigned char*>(self->alpn_selected_.data());
  *outlen = static_cast<unsigned char>(self->alpn_selected_.size());
  return SSL_TLSEXT_ERR_OK;
}

// ---- OCSP stapling: a server's callback returns the DER response to staple (or null for none);
// a client's gets the stapled response (or null) and returns whether to go on. ---------------

int SSLWrap::OcspTrampoline(SSL* ssl, void*) {
  bool server = SSL_is_server(ssl) == 1;
  const int fail = server ? SSL_TLSEXT_ERR_ALERT_FATAL : 0;
  Dispatch d = Find(ssl, SSLCtxWrap::kOcsp);
  if (d.fail) return fail;
  if (d.fn == nullptr) return server ? SSL_TLSEXT_ERR_NOACK : 1;
  SSLWrap* self = d.conn;
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  if (server) {
    Napi::Value r = self->Run(*d.fn, {self->Owner(env)});
    if (r.IsEmpty()) return fail;
    if (r.IsNull() || r.IsUndefined()) return SSL_TLSEXT_ERR_NOACK;
    Bytes der;
    if (!ResultBytes(r, &der)) {
      self->callbacks_.Reject(env, "the OCSP server callback must return a Buffer or null, got " + DescribeValue(r));
      return fail;
    }
    if (der.size == 0) return SSL_TLSEXT_ERR_NOACK;
    // OpenSSL frees the response with OPENSSL_free, so it gets an OPENSSL_malloc copy it then owns.
    unsigned char* copy = static_cast<unsigned char*>(OPENSSL_malloc(der.size));
    if (copy == nullptr) return fail;
    std::memcpy(copy, der.data, der.size);
    SSL_set_tlsext_status_ocsp_resp(ssl, copy, static_cast<long>(der.size));
    return SSL_TLSEXT_ERR_OK;
  }
  const unsigned char* resp = nullptr;
  long len = SSL_get_tlsext_status_ocsp_resp(ssl, &resp);  // borrowed
  Napi::Value data = (resp != nullptr && len > 0) ? Napi::Value(Napi::Buffer<unsigned char>::Copy(env, resp, static_cast<size_t>(len))) : env.Null();
  Napi::Value r = self->Run(*d.fn, {self->Owner(env), data});
  if (r.IsEmpty()) return fail;
  if (!r.IsBoolean()) {
    self->callbacks_.Reject(env, "the OCSP client callback must return a boolean, got " + DescribeValue(r));
    return fail;
  }
  return r.As<Napi::Boolean>().Value() ? 1 : 0;
}

// ---- Certificate Transparency: the callback gets the SCTs (with OpenSSL's validation status of
// each) and returns whether to go on -----------------------------------------------------------

int SSLWrap::CtTrampoline(const CT_POLICY_EVAL_CTX*, const STACK_OF(SCT)* scts, void* arg) {
  // The errors SCT validation queued are verdicts the callback reads from each SCT, not failures.
  ERR_clear_error();
  const SSL* ssl = static_cast<const SSL*>(arg);
  if (ssl == nullptr) return 0;  // a Connection made without our per-connection argument: fail closed
  Dispatch d = Find(ssl, SSLCtxWrap::kCt);
  if (d.fail || d.fn == nullptr) return 0;
  SSLWrap* self = d.conn;
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  Napi::Value list = SctListToArray(env, scts);
  if (env.IsExceptionPending()) {
    env.GetAndClearPendingException();
    self->callbacks_.Reject(env, "could not read the SCTs for the CT callback");
    return 0;
  }
  Napi::Value r = self->Run(*d.fn, {self->Owner(env), list});
  if (r.IsEmpty()) return 0;
  if (!r.IsBoolean()) {
    self->callbacks_.Reject(env, "the CT validation callback must return a boolean, got " + DescribeValue(r));
    return 0;
  }
  return r.As<Napi::Boolean>().Value() ? 1 : 0;
}

// ---- pre-shared keys (TLS 1.2): returning 0 fails the handshake ------------------------------

unsigned int SSLWrap::PskServerTrampoline(SSL* ssl, const char* identity, unsigned char* psk, unsigned int max_psk_len) {
  Dispatch d = Find(ssl, SSLCtxWrap::kPskServer);
  if (d.fn == nullptr) return 0;
  SSLWrap* self = d.conn;
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  Napi::Value id = identity != nullptr ? Napi::Value(Napi::Buffer<char>::Copy(env, identity, std::strlen(identity))) : env.Null();
  Napi::Value r = self->Run(*d.fn, {self->Owner(env), id});
  if (r.IsEmpty() || r.IsNull() || r.IsUndefined()) return 0;  // null: unknown identity, no key
  Bytes key;
  if (!ResultBytes(r, &key)) {
    self->callbacks_.Reject(env, "the PSK server callback must return a Buffer, a string or null, got " + DescribeValue(r));
    return 0;
  }
  if (key.size == 0 || key.size > max_psk_len) {
    self->callbacks_.Reject(env, "the PSK server callback returned a key of " + std::to_string(key.size) +
                                     " bytes (OpenSSL accepts 1 to " + std::to_string(max_psk_len) + ")", true);
    return 0;
  }
  std::memcpy(psk, key.data, key.size);
  return static_cast<unsigned int>(key.size);
}

unsigned int SSLWrap::PskClientTrampoline(SSL* ssl, const char* hint, char* identity, unsigned int max_identity_len,
                                          unsigned char* psk, unsigned int max_psk_len) {
  Dispatch d = Find(ssl, SSLCtxWrap::kPskClient);
  if (d.fn == nullptr) return 0;
  SSLWrap* self = d.conn;
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  Napi::Value h = hint != nullptr ? Napi::Value(Napi::Buffer<char>::Copy(env, hint, std::strlen(hint))) : env.Null();
  Napi::Value r = self->Run(*d.fn, {self->Owner(env), h});
  if (r.IsEmpty() || r.IsNull() || r.IsUndefined()) return 0;  // null: no pre-shared key to offer
  auto reject = [&](const std::string& message, bool range) -> unsigned int {
    self->callbacks_.Reject(env, message, range);
    return 0;
  };
  if (!r.IsArray() || r.As<Napi::Array>().Length() != 2) {
    return reject("the PSK client callback must return [identity, psk], got " + DescribeValue(r), false);
  }
  Napi::Value idv = r.As<Napi::Array>().Get(0u);
  Napi::Value keyv = r.As<Napi::Array>().Get(1u);
  Bytes id, key;
  if (!ResultBytes(idv, &id) || !ResultBytes(keyv, &key)) {
    return reject("the PSK client callback must return [identity, psk] as Buffers or strings, got [" + DescribeValue(idv) + ", " +
                      DescribeValue(keyv) + "]",
                  false);
  }
  // The identity is a C string for OpenSSL: it must fit with its terminator and hold no NUL.
  if (id.size + 1 > max_identity_len || std::memchr(id.data, 0, id.size) != nullptr) {
    return reject("the PSK identity must be at most " + std::to_string(max_identity_len - 1) + " bytes with no NUL byte", true);
  }
  if (key.size == 0 || key.size > max_psk_len) {
    return reject("the PSK client callback returned a key of " + std::to_string(key.size) + " bytes (OpenSSL accepts 1 to " +
                      std::to_string(max_psk_len) + ")",
                  true);
  }
  std::memcpy(identity, id.data, id.size);
  identity[id.size] = '\0';
  std::memcpy(psk, key.data, key.size);
  return static_cast<unsigned int>(key.size);
}

// ---- DTLS cookies: the server's generator returns 1..255 bytes; the check gets the cookie the
// client echoed and returns whether it is good. Returning 0 refuses. -------------------------

int SSLWrap::CookieGenerateTrampoline(SSL* ssl, unsigned char* cookie, unsigned int* cookie_len) {
  Dispatch d = Find(ssl, SSLCtxWrap::kCookieGenerate);
  if (d.fn == nullptr) return 0;
  SSLWrap* self = d.conn;
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  Napi::Value r = self->Run(*d.fn, {self->Owner(env)});
  if (r.IsEmpty()) return 0;
  Bytes c;
  if (!ResultBytes(r, &c)) {
    self->callbacks_.Reject(env, "the cookie generate callback must return a Buffer, got " + DescribeValue(r));
    return 0;
  }
  if (c.size == 0 || c.size > DTLS1_COOKIE_LENGTH) {
    self->callbacks_.Reject(env, "a DTLS cookie must be 1 to 255 bytes long, got " + std::to_string(c.size), true);
    return 0;
  }
  std::memcpy(cookie, c.data, c.size);
  *cookie_len = static_cast<unsigned int>(c.size);
  return 1;
}

int SSLWrap::CookieVerifyTrampoline(SSL* ssl, const unsigned char* cookie, unsigned int cookie_len) {
  Dispatch d = Find(ssl, SSLCtxWrap::kCookieVerify);
  if (d.fn == nullptr) return 0;
  SSLWrap* self = d.conn;
  Napi::Env env = self->Env();
  Napi::HandleScope scope(env);
  Napi::Value r = self->Run(*d.fn, {self->Owner(env), Napi::Buffer<unsigned char>::Copy(env, cookie, cookie_len)});
  if (r.IsEmpty()) return 0;
  if (!r.IsBoolean()) {
    self->callbacks_.Reject(env, "the cookie verify callback must return a boolean, got " + DescribeValue(r));
    return 0;
  }
  return r.As<Napi::Boolean>().Value() ? 1 : 0;
}

// ---- new sessions: a client's session to resume later (a TLS 1.3 ticket as it arrives). OpenSSL
// takes no answer that matters here: the callback gets its own reference, OpenSSL keeps its own
// (returning 0), and a throw fails the Connection as an info callback's does. ----------------

int SSLWrap::NewSessionTrampoline(SSL* ssl, SSL_SESSION* session) {
  Dispatch d = Find(ssl, SSLCtxWrap::kNewSession);
  if (d.fn == nullptr || session == nullptr) return 0;
  Napi::Env env = d.conn->Env();
  Napi::HandleScope scope(env);
  SSL_SESSION_up_ref(session);  // the reference the wrapper owns
  Napi::Value wrapped = SessionWrap::NewOwned(env, session);
  if (env.IsExceptionPending()) {
    d.conn->callbacks_.KeepPending(env);
    d.conn->drop_output_ = true;
    return 0;
  }
  if (d.conn->Run(*d.fn, {d.conn->Owner(env), wrapped}).IsEmpty()) d.conn->drop_output_ = true;
  return 0;
}

}  // namespace ossl
