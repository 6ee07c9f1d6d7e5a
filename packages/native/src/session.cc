#include "session.h"

namespace ossl {

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
