// Session (SSL_SESSION): a resumable TLS session, also serialised to and from DER.
#pragma once

#include "common/common.h"

namespace ossl {

class SessionWrap : public Napi::ObjectWrap<SessionWrap> {
 public:
  OSSL_TAGGED_UNWRAP(SessionWrap)

  static constexpr napi_type_tag kTypeTag = type_tags::kSession;
  static constexpr const char* kExpected = "a Session";
  static void Init(Napi::Env env, Napi::Object exports);
  explicit SessionWrap(const Napi::CallbackInfo& info);
  SSL_SESSION* get() const { return sess_.get(); }
  // Wraps a session the caller owns (a new reference, from SSL_get1_session).
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
