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
  if (self == nullptr || size <= 0 || self->kind_ == kNone) return -1;
  self->called_ = true;
  std::string from_callback;
  const std::string* source = &self->bytes_;
  if (self->kind_ == kFunction) {
    Napi::Env env = self->env_;
    Napi::HandleScope scope(env);
    // A second call after a failure runs no JavaScript (CallbackState::Call returns empty).
    Napi::Value result = self->state_.Call(env, self->fn_, {Napi::Boolean::New(env, rwflag != 0), Napi::Number::New(env, size)});
    if (result.IsEmpty()) return -1;
    Bytes b;
    if (!ResultBytes(result, &b)) {
      self->state_.Reject(env, "the passphrase callback must return a Buffer or string, got " + DescribeValue(result));
      return -1;
    }
    from_callback.assign(reinterpret_cast<const char*>(b.data), b.size);
    source = &from_callback;
  }
  if (source->size() > static_cast<size_t>(size)) {
    self->state_.Reject(self->env_, "passphrase is too long (" + std::to_string(source->size()) + " bytes; OpenSSL accepts at most " +
                                        std::to_string(size) + ")", true);
    return -1;
  }
  std::memcpy(buf, source->data(), source->size());
  return static_cast<int>(source->size());
}

int NoPassphrase(char*, int, int, void*) { return -1; }

}  // namespace ossl
