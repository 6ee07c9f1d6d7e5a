// Connection (SSL): the TLS engine over a pair of memory BIOs (sans-IO), and the trampolines that run
// its JavaScript callbacks from inside OpenSSL (ssl_callbacks.cc).
#pragma once

#include <vector>

#include "ssl_ctx.h"

namespace ossl {

// A memory BIO of its own (Python's ssl.MemoryBIO): a Connection can be made over two of them, which
// OpenSSL then reads and writes directly, so unread bytes stay in them as in CPython.
class MemoryBIOWrap : public Napi::ObjectWrap<MemoryBIOWrap> {
 public:
  OSSL_TAGGED_UNWRAP(MemoryBIOWrap)

  static constexpr napi_type_tag kTypeTag = type_tags::kMemoryBIO;
  static constexpr const char* kExpected = "a MemoryBIO";
  static void Init(Napi::Env env, Napi::Object exports);
  explicit MemoryBIOWrap(const Napi::CallbackInfo& info);
  BIO* get() const { return bio_.get(); }

 private:
  Napi::Value Write(const Napi::CallbackInfo& info);
  Napi::Value Read(const Napi::CallbackInfo& info);
  Napi::Value Pending(const Napi::CallbackInfo& info);
  Napi::Value WriteEof(const Napi::CallbackInfo& info);
  BIOPointer bio_;
};

class SSLWrap : public Napi::ObjectWrap<SSLWrap> {
 public:
  OSSL_TAGGED_UNWRAP(SSLWrap)

  static constexpr napi_type_tag kTypeTag = type_tags::kConnection;
  static constexpr const char* kExpected = "a Connection";
  static void Init(Napi::Env env, Napi::Object exports);
  explicit SSLWrap(const Napi::CallbackInfo& info);
  SSL* get() const { return ssl_.get(); }
  static SSLWrap* FromSSL(const SSL* ssl);
  // The Context the Connection was made with: OpenSSL's session context (tickets, session cache),
  // kept alive by ctx_refs_[0] for the Connection's life.
  SSLCtxWrap* SessionContext() const { return session_ctx_; }

  // Trampolines (ssl_callbacks.cc): each finds its Connection through the SSL's ex_data and the
  // callback on the SSL's current Context, and runs it through the Connection's CallbackState.
  static int VerifyTrampoline(int ok, X509_STORE_CTX* store);
  // Accepts every chain element and leaves OpenSSL's error in the store context, so the verdict is
  // kept (SSL_get_verify_result, and the session) while the handshake goes on. No JavaScript runs.
  static int DeferVerdict(int ok, X509_STORE_CTX* store);
  static void InfoTrampoline(const SSL* ssl, int where, int ret);
  static void KeylogTrampoline(const SSL* ssl, const char* line);
  static int ServernameTrampoline(SSL* ssl, int* alert, void* arg);
  // The certificate callback: returns 1 (go on), -1 (suspend: the handshake reports want-X509-lookup
  // until called again) or 0 (fail). setContext is allowed inside it, as in the SNI callback.
  static int CertTrampoline(SSL* ssl, void* arg);
  // The client-hello callback: true goes on, false suspends the handshake (want-client-hello-cb)
  // until the next doHandshake calls it again; clientHelloInfo() reads the hello meanwhile.
  static int ClientHelloTrampoline(SSL* ssl, int* alert, void* arg);
  // OpenSSL's session id lookup: hands over the session set with setPendingSession, if any.
  static SSL_SESSION* PendingSessionTrampoline(SSL* ssl, const unsigned char* id, int id_len, int* copy);
  static int AlpnSelectTrampoline(SSL* ssl, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                                  unsigned int inlen, void* arg);
  static int OcspTrampoline(SSL* ssl, void* arg);
  static unsigned int PskServerTrampoline(SSL* ssl, const char* identity, unsigned char* psk, unsigned int max_psk_len);
  static unsigned int PskClientTrampoline(SSL* ssl, const char* hint, char* identity, unsigned int max_identity_len,
                                          unsigned char* psk, unsigned int max_psk_len);
  static int CookieGenerateTrampoline(SSL* ssl, unsigned char* cookie, unsigned int* cookie_len);
  static int CookieVerifyTrampoline(SSL* ssl, const unsigned char* cookie, unsigned int cookie_len);
  static int NewSessionTrampoline(SSL* ssl, SSL_SESSION* session);
  // `arg` is the SSL (set per Connection when its Context has a CT callback).
  static int CtTrampoline(const CT_POLICY_EVAL_CTX* policy, const STACK_OF(SCT)* scts, void* arg);

 private:
  // Arms the Connection's callbacks for one OpenSSL call and marks every Context the SSL uses as in
  // use meanwhile (the one it starts with and any the SNI callback switches to).
  class EngineScope {
   public:
    explicit EngineScope(SSLWrap* conn);
    ~EngineScope();
    void MarkContext(SSLCtxWrap* ctx);
    EngineScope(const EngineScope&) = delete;
    EngineScope& operator=(const EngineScope&) = delete;

   private:
    SSLWrap* conn_;
    CallbackScope callbacks_;
    SSLCtxWrap::InUse first_;
    std::vector<SSLCtxWrap*> switched_;  // contexts the SNI callback switched to (rare)
    size_t output_before_;               // bytes queued for the peer when the call began
  };

  // What a trampoline does: run `fn` for `conn`; or, when no callback of that kind is set, let
  // OpenSSL's default apply (`fn` null); or fail closed without running JavaScript (`fail`: the
  // Connection is not inside one of our OpenSSL calls, or a callback of it has already failed).
  struct Dispatch {
    SSLWrap* conn = nullptr;
    const Napi::FunctionReference* fn = nullptr;
    bool fail = false;
  };
  static Dispatch Find(const SSL* ssl, SSLCtxWrap::Kind kind);
  // Runs a Context callback found by Find through the Connection's CallbackState.
  Napi::Value Run(const Napi::FunctionReference& fn, const std::initializer_list<napi_value>& args);

  // The registration of a method that drives or changes the engine: it refuses to run while an
  // OpenSSL call of this Connection is under way (that is, from inside one of its callbacks).
  template <Napi::Value (SSLWrap::*Method)(const Napi::CallbackInfo&)>
  Napi::Value Mutating(const Napi::CallbackInfo& info);
  template <Napi::Value (SSLWrap::*Method)(const Napi::CallbackInfo&)>
  static PropertyDescriptor Mutator(const char* name);
  // Throws the re-entry error for `method` when the Connection is inside an OpenSSL call.
  bool RefuseIfBusy(Napi::Env env, const char* method);
  // After a callback failed or OpenSSL reported a fatal error, the engine must not go on (OpenSSL:
  // "no further I/O operations should be performed"): I/O methods throw.
  bool RefuseIfFailed(Napi::Env env);
  // Converts the result of an SSL_* I/O call: >= 0 passes through; a retryable condition returns
  // -SSL_ERROR_*; a fatal error throws (a callback's value first, then the OpenSSL queue).
  Napi::Value Result(Napi::Env env, int ret, const char* what);
  // The JavaScript Connection handed to callbacks as `conn` (weakly held), or undefined.
  Napi::Value Owner(Napi::Env env);
  SSLCtxWrap* CurrentContext() const;

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
  Napi::Value Encrypt(const Napi::CallbackInfo& info);
  Napi::Value Shutdown(const Napi::CallbackInfo& info);
  Napi::Value GetShutdown(const Napi::CallbackInfo& info);
  Napi::Value GetGroupName(const Napi::CallbackInfo& info);
  Napi::Value SetInfoCallback(const Napi::CallbackInfo& info);
  Napi::Value GetSelectedSrtpProfile(const Napi::CallbackInfo& info);
  Napi::Value SetOptions(const Napi::CallbackInfo& info);
  Napi::Value ClearOptions(const Napi::CallbackInfo& info);
  Napi::Value GetOptions(const Napi::CallbackInfo& info);
  Napi::Value SetMode(const Napi::CallbackInfo& info);
  Napi::Value ClearMode(const Napi::CallbackInfo& info);
  Napi::Value GetMode(const Napi::CallbackInfo& info);
  Napi::Value SetShutdown(const Napi::CallbackInfo& info);
  Napi::Value Pending(const Napi::CallbackInfo& info);
  Napi::Value GetPeerCertificate(const Napi::CallbackInfo& info);
  Napi::Value GetPeerCertChain(const Napi::CallbackInfo& info);
  Napi::Value GetPeerScts(const Napi::CallbackInfo& info);
  Napi::Value SharedCiphers(const Napi::CallbackInfo& info);
  Napi::Value GetSigalgs(const Napi::CallbackInfo& info);
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
  Napi::Value SetVerifyResult(const Napi::CallbackInfo& info);
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
  Napi::Value SetMaxSendFragment(const Napi::CallbackInfo& info);
  Napi::Value GetCipherStandardName(const Napi::CallbackInfo& info);
  Napi::Value OcspRequested(const Napi::CallbackInfo& info);
  Napi::Value ClientHelloInfo(const Napi::CallbackInfo& info);
  Napi::Value SetPendingSession(const Napi::CallbackInfo& info);
  Napi::Value GetPeerTmpKey(const Napi::CallbackInfo& info);
  Napi::Value GetSharedSigalgs(const Napi::CallbackInfo& info);
  Napi::Value SetCiphertextMtu(const Napi::CallbackInfo& info);
  Napi::Value GetCleartextMtu(const Napi::CallbackInfo& info);
  Napi::Value DtlsGetTimeout(const Napi::CallbackInfo& info);
  Napi::Value DtlsHandleTimeout(const Napi::CallbackInfo& info);
  Napi::Value DtlsListen(const Napi::CallbackInfo& info);

  SSLPointer ssl_;
  BIO* rbio_ = nullptr;  // borrowed: owned by ssl_ (SSL_set_bio); network bytes in
  BIO* wbio_ = nullptr;  // borrowed: owned by ssl_; network bytes out
  // Strong references to every Context this SSL has used (the first stays its session context in
  // OpenSSL; SNI may switch to others): their wrappers, and so their callbacks, outlive the SSL.
  std::vector<Napi::ObjectReference> ctx_refs_;
  SSLCtxWrap* session_ctx_ = nullptr;
  Napi::ObjectReference owner_;  // weak: the JS Connection passed to callbacks
  Napi::FunctionReference verify_cb_;
  Napi::FunctionReference info_cb_;  // setInfoCallback: this connection's own, before its Context's
  CallbackState callbacks_;
  EngineScope* scope_ = nullptr;  // the armed scope, while an OpenSSL call is under way
  bool in_servername_ = false;
  bool in_client_hello_ = false;  // inside the client-hello callback, where clientHelloInfo() reads the hello
  Owned<SSL_SESSION, SSL_SESSION_free> pending_session_;  // handed to OpenSSL by PendingSessionTrampoline    // inside the SNI callback, where setContext is allowed
  bool fatal_ = false;            // OpenSSL reported SSL_ERROR_SSL (or SYSCALL with a reason)
  // An info or keylog callback failed: OpenSSL takes no answer from those and goes on, so what it
  // queued for the peer during that call is dropped when the call returns (no bytes after a failure).
  bool drop_output_ = false;
  std::string alpn_selected_;     // keeps the ALPN choice alive for OpenSSL during the handshake
};

}  // namespace ossl
