// SSL_CTX and SSL wrappers. Callbacks from OpenSSL into JavaScript run synchronously inside the
// OpenSSL call; a JavaScript exception is kept on the Connection, the callback fails closed, and the
// exception is re-thrown once the OpenSSL call returns (pyOpenSSL's callback-exception helper).
#pragma once

#include "objects.h"

namespace ossl {

class SSLCtxWrap : public Napi::ObjectWrap<SSLCtxWrap> {
 public:
  OSSL_TAGGED_UNWRAP(SSLCtxWrap)

 public:
  static constexpr napi_type_tag kTypeTag = {0x6f73736c73736c63ULL, 0x0000000000000005ULL};
  static constexpr const char* kExpected = "a Context";
  static void Init(Napi::Env env, Napi::Object exports);
  explicit SSLCtxWrap(const Napi::CallbackInfo& info);
  SSL_CTX* get() const { return ctx_.get(); }
  static SSLCtxWrap* FromCtx(const SSL_CTX* ctx);
  const Napi::FunctionReference& verify_callback() const { return verify_cb_; }
  const Napi::FunctionReference& info_callback() const { return info_cb_; }
  const Napi::FunctionReference& keylog_callback() const { return keylog_cb_; }
  const Napi::FunctionReference& servername_callback() const { return servername_cb_; }
  const Napi::FunctionReference& alpn_select_callback() const { return alpn_select_cb_; }
  const Napi::FunctionReference& ocsp_callback() const { return ocsp_cb_; }
  const Napi::FunctionReference& psk_server_callback() const { return psk_server_cb_; }
  const Napi::FunctionReference& psk_client_callback() const { return psk_client_cb_; }
  const Napi::FunctionReference& cookie_generate_callback() const { return cookie_generate_cb_; }
  const Napi::FunctionReference& cookie_verify_callback() const { return cookie_verify_cb_; }

 private:
  Napi::Value UseCertificate(const Napi::CallbackInfo& info);
  Napi::Value UsePrivateKey(const Napi::CallbackInfo& info);
  Napi::Value UseCertificateFile(const Napi::CallbackInfo& info);
  Napi::Value UseCertificateChainFile(const Napi::CallbackInfo& info);
  Napi::Value UsePrivateKeyFile(const Napi::CallbackInfo& info);
  Napi::Value AddExtraChainCert(const Napi::CallbackInfo& info);
  Napi::Value CheckPrivateKey(const Napi::CallbackInfo& info);
  Napi::Value LoadVerifyLocations(const Napi::CallbackInfo& info);
  Napi::Value SetDefaultVerifyPaths(const Napi::CallbackInfo& info);
  Napi::Value SetVerify(const Napi::CallbackInfo& info);
  Napi::Value SetVerifyDeferred(const Napi::CallbackInfo& info);
  Napi::Value GetVerifyMode(const Napi::CallbackInfo& info);
  Napi::Value SetVerifyDepth(const Napi::CallbackInfo& info);
  Napi::Value GetVerifyDepth(const Napi::CallbackInfo& info);
  Napi::Value SetCipherList(const Napi::CallbackInfo& info);
  Napi::Value SetCiphersuites(const Napi::CallbackInfo& info);
  Napi::Value SetProtoVersion(const Napi::CallbackInfo& info);
  Napi::Value GetProtoVersion(const Napi::CallbackInfo& info);
  Napi::Value SetOptions(const Napi::CallbackInfo& info);
  Napi::Value ClearOptions(const Napi::CallbackInfo& info);
  Napi::Value GetOptions(const Napi::CallbackInfo& info);
  Napi::Value SetMode(const Napi::CallbackInfo& info);
  Napi::Value SetSessionIdContext(const Napi::CallbackInfo& info);
  Napi::Value LoadClientCa(const Napi::CallbackInfo& info);
  Napi::Value SetClientCaList(const Napi::CallbackInfo& info);
  Napi::Value AddClientCa(const Napi::CallbackInfo& info);
  Napi::Value SetSessionCacheMode(const Napi::CallbackInfo& info);
  Napi::Value GetSessionCacheMode(const Napi::CallbackInfo& info);
  Napi::Value SetTimeout(const Napi::CallbackInfo& info);
  Napi::Value GetTimeout(const Napi::CallbackInfo& info);
  Napi::Value LoadTmpDh(const Napi::CallbackInfo& info);
  Napi::Value SetGroups(const Napi::CallbackInfo& info);
  Napi::Value SetSigalgs(const Napi::CallbackInfo& info);
  Napi::Value SetCallback(const Napi::CallbackInfo& info);
  Napi::Value SetAlpnProtos(const Napi::CallbackInfo& info);
  Napi::Value GetCertStore(const Napi::CallbackInfo& info);
  Napi::Value UsePskIdentityHint(const Napi::CallbackInfo& info);
  Napi::Value SetPostHandshakeAuth(const Napi::CallbackInfo& info);
  Napi::Value SetTlsextUseSrtp(const Napi::CallbackInfo& info);
  Napi::Value SetNumTickets(const Napi::CallbackInfo& info);
  SSLCtxPointer ctx_;
  Napi::FunctionReference verify_cb_;
  Napi::FunctionReference info_cb_;
  Napi::FunctionReference keylog_cb_;
  Napi::FunctionReference servername_cb_;
  Napi::FunctionReference alpn_select_cb_;
  Napi::FunctionReference ocsp_cb_;
  Napi::FunctionReference psk_server_cb_;
  Napi::FunctionReference psk_client_cb_;
  Napi::FunctionReference cookie_generate_cb_;
  Napi::FunctionReference cookie_verify_cb_;
};

class SSLWrap : public Napi::ObjectWrap<SSLWrap> {
 public:
  OSSL_TAGGED_UNWRAP(SSLWrap)

 public:
  static constexpr napi_type_tag kTypeTag = {0x6f73736c73736c73ULL, 0x0000000000000006ULL};
  static constexpr const char* kExpected = "a Connection";
  static void Init(Napi::Env env, Napi::Object exports);
  explicit SSLWrap(const Napi::CallbackInfo& info);
  static SSLWrap* FromSSL(const SSL* ssl);
  static int VerifyTrampoline(int ok, X509_STORE_CTX* store);
  // Accepts every chain element and leaves OpenSSL's error in the store context, so the verdict
  // is kept (SSL_get_verify_result, and the session) while the handshake goes on. No JavaScript runs.
  static int DeferVerdict(int ok, X509_STORE_CTX* store);
  static void InfoTrampoline(const SSL* ssl, int where, int ret);
  static void KeylogTrampoline(const SSL* ssl, const char* line);
  static int ServernameTrampoline(SSL* ssl, int* alert, void* arg);
  static int AlpnSelectTrampoline(SSL* ssl, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                                  unsigned int inlen, void* arg);
  static int OcspTrampoline(SSL* ssl, void* arg);
  static unsigned int PskServerTrampoline(SSL* ssl, const char* identity, unsigned char* psk, unsigned int max_psk_len);
  static unsigned int PskClientTrampoline(SSL* ssl, const char* hint, char* identity, unsigned int max_identity_len,
                                          unsigned char* psk, unsigned int max_psk_len);
  static int CookieGenerateTrampoline(SSL* ssl, unsigned char* cookie, unsigned int* cookie_len);
  static int CookieVerifyTrampoline(SSL* ssl, const unsigned char* cookie, unsigned int cookie_len);
  SSL* get() const { return ssl_.get(); }

 private:
  // Marks the Connection busy for the length of an OpenSSL call that may run callbacks, so a
  // callback cannot re-enter the engine.
  class BusyScope {
   public:
    explicit BusyScope(SSLWrap* w) : w_(w) { w_->busy_ = true; }
    ~BusyScope() { w_->busy_ = false; }
   private:
    SSLWrap* w_;
  };
  bool RefuseIfBusy(Napi::Env env);
  // Converts the result of an SSL_* I/O call: >= 0 passes through; a retryable condition returns
  // -SSL_ERROR_*; a fatal error throws (callback exception first, then the OpenSSL queue).
  Napi::Value Result(Napi::Env env, int ret, const char* what);
  bool RethrowCallbackException(Napi::Env env);
  void KeepException(Napi::Env env);
  // Calls a JavaScript callback from inside OpenSSL: returns the result, or an empty Value after
  // keeping the exception and marking the Connection failed (it refuses further I/O).
  Napi::Value Invoke(const Napi::FunctionReference& fn, const std::vector<napi_value>& args);
  // A callback returned something unusable: keep `error` as its exception and fail closed.
  void FailCallback(const Napi::Error& error);
  Napi::Value Owner(Napi::Env env);
  bool RefuseIfFailed(Napi::Env env);

  Napi::Value SetConnectState(const Napi::CallbackInfo& info);
  Napi::Value SetAcceptState(const Napi::CallbackInfo& info);
  Napi::Value DoHandshake(const Napi::CallbackInfo& info);
  Napi::Value BioWrite(const Napi::CallbackInfo& info);
  Napi::Value BioRead(const Napi::CallbackInfo& info);
  Napi::Value BioPending(const Napi::CallbackInfo& info);
  Napi::Value BioInPending(const Napi::CallbackInfo& info);
  Napi::Value TakeInput(const Napi::CallbackInfo& info);
  Napi::Value BioShutdown(const Napi::CallbackInfo& info);
  Napi::Value ReadInto(const Napi::CallbackInfo& info);
  Napi::Value Write(const Napi::CallbackInfo& info);
  Napi::Value Shutdown(const Napi::CallbackInfo& info);
  Napi::Value GetShutdown(const Napi::CallbackInfo& info);
  Napi::Value SetShutdown(const Napi::CallbackInfo& info);
  Napi::Value Pending(const Napi::CallbackInfo& info);
  Napi::Value GetPeerCertificate(const Napi::CallbackInfo& info);
  Napi::Value GetPeerCertChain(const Napi::CallbackInfo& info);
  Napi::Value GetCertificate(const Napi::CallbackInfo& info);
  Napi::Value GetCipherName(const Napi::CallbackInfo& info);
  Napi::Value GetCipherBits(const Napi::CallbackInfo& info);
  Napi::Value GetCipherVersion(const Napi::CallbackInfo& info);
  Napi::Value GetVersion(const Napi::CallbackInfo& info);
  Napi::Value GetProtocolVersion(const Napi::CallbackInfo& info);
  Napi::Value SetTlsextHostName(const Napi::CallbackInfo& info);
  Napi::Value GetServername(const Napi::CallbackInfo& info);
  Napi::Value SetHost(const Napi::CallbackInfo& info);
  Napi::Value GetVerifyResult(const Napi::CallbackInfo& info);
  Napi::Value SetVerify(const Napi::CallbackInfo& info);
  Napi::Value SetVerifyDeferred(const Napi::CallbackInfo& info);
  Napi::Value GetVerifyMode(const Napi::CallbackInfo& info);
  Napi::Value UseCertificate(const Napi::CallbackInfo& info);
  Napi::Value UsePrivateKey(const Napi::CallbackInfo& info);
  Napi::Value GetStateString(const Napi::CallbackInfo& info);
  Napi::Value IsInitFinished(const Napi::CallbackInfo& info);
  Napi::Value WantRead(const Napi::CallbackInfo& info);
  Napi::Value WantWrite(const Napi::CallbackInfo& info);
  Napi::Value GetCipherList(const Napi::CallbackInfo& info);
  Napi::Value SetContext(const Napi::CallbackInfo& info);
  Napi::Value GetSession(const Napi::CallbackInfo& info);
  Napi::Value SetSession(const Napi::CallbackInfo& info);
  Napi::Value SessionReused(const Napi::CallbackInfo& info);
  Napi::Value GetFinished(const Napi::CallbackInfo& info);
  Napi::Value GetPeerFinished(const Napi::CallbackInfo& info);
  Napi::Value ExportKeyingMaterial(const Napi::CallbackInfo& info);
  Napi::Value ServerRandom(const Napi::CallbackInfo& info);
  Napi::Value ClientRandom(const Napi::CallbackInfo& info);
  Napi::Value MasterKey(const Napi::CallbackInfo& info);
  Napi::Value Renegotiate(const Napi::CallbackInfo& info);
  Napi::Value RenegotiatePending(const Napi::CallbackInfo& info);
  Napi::Value TotalRenegotiations(const Napi::CallbackInfo& info);
  Napi::Value GetClientCaList(const Napi::CallbackInfo& info);
  Napi::Value SetAlpnProtos(const Napi::CallbackInfo& info);
  Napi::Value GetAlpnProtoNegotiated(const Napi::CallbackInfo& info);
  Napi::Value RequestOcsp(const Napi::CallbackInfo& info);
  Napi::Value GetVerifiedChain(const Napi::CallbackInfo& info);
  Napi::Value VerifyClientPostHandshake(const Napi::CallbackInfo& info);
  Napi::Value SetPostHandshakeAuth(const Napi::CallbackInfo& info);
  Napi::Value SetOcspResponse(const Napi::CallbackInfo& info);
  Napi::Value GetOcspResponse(const Napi::CallbackInfo& info);
  Napi::Value KeyUpdate(const Napi::CallbackInfo& info);
  Napi::Value SetCiphertextMtu(const Napi::CallbackInfo& info);
  Napi::Value GetCleartextMtu(const Napi::CallbackInfo& info);
  Napi::Value DtlsGetTimeout(const Napi::CallbackInfo& info);
  Napi::Value DtlsHandleTimeout(const Napi::CallbackInfo& info);
  Napi::Value DtlsListen(const Napi::CallbackInfo& info);

  SSLPointer ssl_;
  BIO* rbio_ = nullptr;  // borrowed: owned by ssl_ (SSL_set_bio); network bytes in
  BIO* wbio_ = nullptr;  // borrowed: owned by ssl_; network bytes out
  Napi::ObjectReference ctx_ref_;   // strong: the Context's callbacks must outlive us
  Napi::ObjectReference owner_;     // weak: the JS Connection passed to callbacks
  Napi::FunctionReference verify_cb_;
  Napi::Reference<Napi::Value> pending_exception_;
  std::string alpn_selected_;  // keeps the ALPN choice alive for OpenSSL during the handshake
  bool busy_ = false;
  bool failed_ = false;        // a callback threw: the handshake must not go on
};

class SessionWrap : public Napi::ObjectWrap<SessionWrap> {
 public:
  OSSL_TAGGED_UNWRAP(SessionWrap)

 public:
  static constexpr napi_type_tag kTypeTag = {0x6f73736c73657373ULL, 0x0000000000000010ULL};
  static constexpr const char* kExpected = "a Session";
  static void Init(Napi::Env env, Napi::Object exports);
  explicit SessionWrap(const Napi::CallbackInfo& info);
  SSL_SESSION* get() const { return sess_.get(); }
  static Napi::Value NewOwned(Napi::Env env, SSL_SESSION* owned);

 private:
  Napi::Value ToDER(const Napi::CallbackInfo& info);
  Napi::Value GetId(const Napi::CallbackInfo& info);
  Napi::Value IsResumable(const Napi::CallbackInfo& info);
  Napi::Value GetProtocolVersion(const Napi::CallbackInfo& info);
  Napi::Value GetTime(const Napi::CallbackInfo& info);
  Napi::Value GetTimeout(const Napi::CallbackInfo& info);
  Napi::Value HasTicket(const Napi::CallbackInfo& info);
  Napi::Value GetCipherName(const Napi::CallbackInfo& info);
  Owned<SSL_SESSION, SSL_SESSION_free> sess_;
};

}  // namespace ossl
