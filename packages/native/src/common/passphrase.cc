#include "common/passphrase.h"

#include <cstring>

namespace ossl {

bool PassphraseSource::Init(Napi::Value v, const char* param) {
  if (v.IsUndefined() || v.IsNull()) {
    kind_ = kNone;
    return true;
  }
  if (v.IsFunction()) {
    kind_ = kFunction;
    fn_ = Napi::Persistent(v.As<Napi::Function>());
    return true;
  }
  if (v.IsString() || v.IsTypedArray()) {
    Bytes b = GetBytes(v, param);
    if (!b.ok) return false;
    bytes_.assign(reinterpret_cast<const char*>(b.data), b.size);
    kind_ = kBytes;
    return true;
  }
  ThrowType(env_, param, "a Buffer, string or function", v);
  return false;
}

int PassphraseSource::Callback(char* buf, int size, int rwflag, void* u) {
  auto* self = static_cast<PassphraseSource*>(u);
  if (self == nullptr || size <= 0) return -1;
  self->called_ = true;
  const std::string* source = &self->bytes_;
  std::string from_callback;
  if (self->kind_ == kNone) return -1;
  if (self->kind_ == kFunction) {
    // A second call after a failure fails closed without running JavaScript again.
    if (!self->exception_.IsEmpty() || !self->type_problem_.empty()) return -1;
    Napi::Env env = self->env_;
    Napi::Value result = self->fn_.Call({Napi::Boolean::New(env, rwflag != 0), Napi::Number::New(env, size)});
    if (env.IsExceptionPending()) {
      self->exception_ = Napi::Reference<Napi::Value>::New(env.GetAndClearPendingException().Value(), 1);
      return -1;
    }
    if (result.IsString() || result.IsTypedArray()) {
      Bytes b = GetBytes(result, "passphrase");
      from_callback.assign(reinterpret_cast<const char*>(b.data), b.size);
      source = &from_callback;
    } else {
      self->type_problem_ = std::string("the passphrase callback must return a Buffer or string, got ") +
                            (result.IsNull() ? "null" : result.IsUndefined() ? "undefined" : result.IsNumber() ? "number" : "another type");
      return -1;
    }
  }
  if (source->size() > static_cast<size_t>(size)) {
    self->value_problem_ = "passphrase is too long (" + std::to_string(source->size()) +
                           " bytes; OpenSSL accepts at most " + std::to_string(size) + ")";
    return -1;
  }
  std::memcpy(buf, source->data(), source->size());
  return static_cast<int>(source->size());
}

bool PassphraseSource::RethrowIfFailed() {
  if (!exception_.IsEmpty()) {
    Napi::Value e = exception_.Value();
    exception_.Reset();
    ERR_clear_error();
    Napi::Error(env_, e).ThrowAsJavaScriptException();
    return true;
  }
  if (!type_problem_.empty()) {
    ERR_clear_error();
    Napi::TypeError::New(env_, type_problem_).ThrowAsJavaScriptException();
    return true;
  }
  if (!value_problem_.empty()) {
    ERR_clear_error();
    ThrowValue(env_, value_problem_);
    return true;
  }
  return false;
}

int NoPassphrase(char*, int, int, void*) { return -1; }

}  // namespace ossl
