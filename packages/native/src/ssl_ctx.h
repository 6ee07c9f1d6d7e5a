// Context (SSL_CTX): certificates, keys, trust, verification policy, protocol bounds, ciphers, and the
// JavaScript callbacks its Connections run (the trampolines are in ssl_callbacks.cc).
#pragma once

#include "common/callback_scope.h"
#include "objects.h"

namespace ossl {

// The `options` argument of setOptions/clearOptions (a BigInt); false with a TypeError pending.
bool GetOptionBits(Napi::Value v, uint64_t* out);

class SSLCtxWrap : public Napi::ObjectWrap<SSLCtxWrap> {
 public:
  OSSL_TAGGED_UNWRAP(SSLCtxWrap)

  static constexpr napi_type_tag kTypeTag = type_tags::kContext;
  static constexpr const char* kExpected = "a Context";
  static void Init(Napi::Env env, Napi::Object exports);
  explicit SSLCtxWrap(const Napi::CallbackInfo& info);
  ~SSLCtxWrap() override;
  SSL_CTX* get() const { return ctx_.get(); }
  // The wrapper of an SSL_CTX, or null when its wrapper is gone (the SSL_CTX may outlive it).
  static SSLCtxWrap* FromCtx(const SSL_CTX* ctx);

  // The callbacks of each kind; an empty reference means none.
  enum Kind {
    kInfo, kKeylog, kServername, kAlpnSelect, kOcsp, kPskServer, kPskClient, kCookieGenerate, kCookieVerify, kNewSession, kCert, kClientHello, kCt,
    kKindCount
  };
  const Napi::FunctionReference& callback(Kind kind) const { return callbacks_[kind]; }
  const Napi::FunctionReference& verify_callback() const { return verify_cb_; }

  // A Connection that uses this Context marks it in use while OpenSSL runs one of its calls that can
  // call back; mutators refuse to run meanwhile (see InUse).
  void Enter() { ++in_use_; }
  void Leave() { --in_use_; }

  // Marks a Context in use for a scope (RAII).
  class InUse {
   public:
    explicit InUse(SSLCtxWrap* ctx) : ctx_(ctx) {
      if (ctx_ != nullptr) ctx_->Enter();
    }
    ~InUse() {
      if (ctx_ != nullptr) ctx_->Leave();
    }
    InUse(const InUse&) = delete;
    InUse& operator=(const InUse&) = delete;

   private:
    SSLCtxWrap* ctx_;
  };

 private:
  // The registration of a method that changes the Context: it runs only while no Connection using
  // the Context is inside an OpenSSL call (that is, never from one of their callbacks).
  template <Napi::Value (SSLCtxWrap::*Method)(const Napi::CallbackInfo&)>
  Napi::Value Mutating(const Napi::CallbackInfo& info);
  template <Napi::Value (SSLCtxWrap::*Method)(const Napi::CallbackInfo&)>
  static PropertyDescriptor Mutator(const char* name);

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
  Napi::Value ClearMode(const Napi::CallbackInfo& info);
  Napi::Value GetMode(const Napi::CallbackInfo& info);
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
  Napi::Value GetTicketKeys(const Napi::CallbackInfo& info);
  Napi::Value SetDhAuto(const Napi::CallbackInfo& info);
  Napi::Value RequestOcsp(const Napi::CallbackInfo& info);
  Napi::Value EnableCt(const Napi::CallbackInfo& info);
  Napi::Value LoadCtLogList(const Napi::CallbackInfo& info);
  Napi::Value UseServerinfo(const Napi::CallbackInfo& info);
  Napi::Value CertStoreStats(const Napi::CallbackInfo& info);
  Napi::Value GetCaCerts(const Napi::CallbackInfo& info);
  Napi::Value SessionStats(const Napi::CallbackInfo& info);
  Napi::Value GetVerifyFlags(const Napi::CallbackInfo& info);
  Napi::Value SetVerifyFlags(const Napi::CallbackInfo& info);
  Napi::Value SetTicketKeys(const Napi::CallbackInfo& info);
  // Encrypts (enc 1) or decrypts session tickets with ticket_keys_ (see SetTicketKeys).
  static int TicketKeyCallback(SSL* ssl, unsigned char key_name[16], unsigned char* iv, EVP_CIPHER_CTX* cctx, EVP_MAC_CTX* hctx, int enc);
  void UseTicketKeys(const unsigned char* keys);

  SSLCtxPointer ctx_;
  Napi::FunctionReference verify_cb_;
  Napi::FunctionReference callbacks_[kKindCount];
  int in_use_ = 0;
  // Session ticket keys, as node:tls holds them: 16 bytes of name, 16 of HMAC key, 16 of AES key.
  // Until set (or read), OpenSSL's own random keys are used.
  unsigned char ticket_keys_[48] = {0};
  bool ticket_keys_set_ = false;
};

}  // namespace ossl
