// rand: OpenSSL's random number generator (pyOpenSSL's OpenSSL.rand).
#include <openssl/rand.h>

#include "objects.h"

namespace ossl {

namespace {
Napi::Value Bytes_(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t n = 0;
  if (!GetInt(info[0], "num_bytes", &n)) return env.Undefined();
  if (n < 0) return ThrowValue(env, "num_bytes must not be negative");
  if (n > INT32_MAX) return ThrowValue(env, "num_bytes is too large");
  Napi::Buffer<unsigned char> out = Napi::Buffer<unsigned char>::New(env, static_cast<size_t>(n));
  if (n > 0 && RAND_bytes(out.Data(), static_cast<int>(n)) != 1) return ThrowOpenSSL(env, "the random generator failed");
  return out;
}

Napi::Value Add(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Bytes b = GetBytes(info[0], "buffer");
  if (!b.ok) return info.Env().Undefined();
  if (!info[1].IsNumber()) return ThrowType(info.Env(), "entropy", "a number", info[1]);
  double entropy = info[1].As<Napi::Number>().DoubleValue();
  RAND_add(b.data, static_cast<int>(b.size), entropy);
  return info.Env().Undefined();
}

Napi::Value Seed(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Bytes b = GetBytes(info[0], "buffer");
  if (!b.ok) return info.Env().Undefined();
  RAND_seed(b.data, static_cast<int>(b.size));
  return info.Env().Undefined();
}

Napi::Value Status(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  return Napi::Boolean::New(info.Env(), RAND_status() == 1);
}

// loadFile(path, maxbytes): mixes up to maxbytes of the file (-1: all) into the pool; returns the count.
Napi::Value LoadFile(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::string path;
  int64_t max = -1;
  if (!GetString(info[0], "filename", &path)) return env.Undefined();
  if (!info[1].IsUndefined() && !GetInt(info[1], "maxbytes", &max)) return env.Undefined();
  if (path.find('\0') != std::string::npos) return ThrowValue(env, "filename contains a NUL byte");
  int n = RAND_load_file(path.c_str(), static_cast<long>(max));
  if (n < 0) return ThrowOpenSSL(env, "could not load " + path);
  return Napi::Number::New(env, n);
}

// writeFile(path): writes 1024 random bytes for a later loadFile; returns the count.
Napi::Value WriteFile(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::string path;
  if (!GetString(info[0], "filename", &path)) return env.Undefined();
  if (path.find('\0') != std::string::npos) return ThrowValue(env, "filename contains a NUL byte");
  int n = RAND_write_file(path.c_str());
  if (n < 0) {
    if (ERR_peek_error() == 0) ERR_raise(ERR_LIB_RAND, ERR_R_SYS_LIB);
    return ThrowOpenSSL(env, "could not write " + path);
  }
  return Napi::Number::New(env, n);
}
}  // namespace

void InitRand(Napi::Env env, Napi::Object exports) {
  Napi::Object rand = Napi::Object::New(env);
  rand.Set("bytes", Napi::Function::New<Bytes_>(env, "bytes"));
  rand.Set("add", Napi::Function::New<Add>(env, "add"));
  rand.Set("seed", Napi::Function::New<Seed>(env, "seed"));
  rand.Set("status", Napi::Function::New<Status>(env, "status"));
  rand.Set("loadFile", Napi::Function::New<LoadFile>(env, "loadFile"));
  rand.Set("writeFile", Napi::Function::New<WriteFile>(env, "writeFile"));
  exports.Set("rand", rand);
}

}  // namespace ossl
