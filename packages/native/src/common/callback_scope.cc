#include "common/callback_scope.h"

namespace ossl {

Napi::Value CallbackState::Call(Napi::Env env, const Napi::FunctionReference& fn, const std::initializer_list<napi_value>& args) {
  // Unarmed means OpenSSL called back outside any call we made (it should not): run nothing.
  if (depth_ == 0 || failed_ || fn.IsEmpty()) return Napi::Value();
  napi_value result = nullptr;
  napi_status status = napi_call_function(env, env.Undefined(), fn.Value(), args.size(), args.begin(), &result);
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (status != napi_ok || pending) {
    napi_value thrown = nullptr;
    if (pending) napi_get_and_clear_last_exception(env, &thrown);
    if (thrown == nullptr) thrown = Napi::Error::New(env, "a callback failed without an exception").Value();
    Keep(env, thrown);
    return Napi::Value();
  }
  return Napi::Value(env, result);
}

void CallbackState::Reject(Napi::Env env, const std::string& message, bool range) {
  napi_value error = range ? Napi::RangeError::New(env, message).Value() : Napi::TypeError::New(env, message).Value();
  Napi::Value(env, error).As<Napi::Object>().Set("code", Napi::String::New(env, "ERR_SSL_CALLBACK_RESULT"));
  Keep(env, error);
}

void CallbackState::KeepPending(Napi::Env env) {
  napi_value thrown = nullptr;
  napi_get_and_clear_last_exception(env, &thrown);
  if (thrown == nullptr) thrown = Napi::Error::New(env, "a callback's arguments could not be made").Value();
  Keep(env, thrown);
}

void CallbackState::Keep(Napi::Env env, napi_value value) {
  failed_ = true;
  if (!kept_.IsEmpty()) return;  // the first failure is the one to report
  Napi::Array holder = Napi::Array::New(env, 1);
  holder.Set(0u, Napi::Value(env, value));
  kept_ = Napi::Persistent(holder.As<Napi::Object>());
}

bool CallbackState::Rethrow(Napi::Env env) {
  if (kept_.IsEmpty()) return false;
  Napi::Value value = kept_.Value().Get(0u);
  kept_.Reset();
  // What OpenSSL queued because the callback failed is not the error: the callback's value is.
  ERR_clear_error();
  napi_throw(env, value);
  return true;
}

bool ResultBytes(Napi::Value v, Bytes* out) {
  bool bytes = v.IsString() || (v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array);
  if (!bytes) return false;
  *out = GetBytes(v, "result");  // cannot throw for these two kinds
  return out->ok;
}

Napi::Value ThrowReentry(Napi::Env env, const std::string& message) {
  Napi::Error err = Napi::Error::New(env, message);
  Napi::Object obj = err.Value();
  obj.Set("opensslError", Napi::Boolean::New(env, true));
  obj.Set("errors", Napi::Array::New(env));
  obj.Set("code", Napi::String::New(env, "ERR_SSL_REENTRANT_CALL"));
  err.ThrowAsJavaScriptException();
  return env.Undefined();
}

}  // namespace ossl
