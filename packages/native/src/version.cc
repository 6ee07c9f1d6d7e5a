// OpenSSL's version: the library Node.js ships, which this addon uses.
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/opensslv.h>
#include <openssl/x509.h>

#include "objects.h"

namespace ossl {

void InitVersion(Napi::Env env, Napi::Object exports) {
  exports.Set("opensslVersion", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
    int which = OPENSSL_VERSION;
    if (info.Length() > 0 && info[0].IsNumber()) which = info[0].As<Napi::Number>().Int32Value();
    return Napi::String::New(info.Env(), OpenSSL_version(which));
  }));
  // errorQueueEmpty(): whether OpenSSL's error queue on this thread is empty (tests assert that every
  // call leaves it so). It clears the queue either way, so one failure does not cascade.
  exports.Set("errorQueueEmpty", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
    bool empty = ERR_peek_error() == 0;
    ERR_clear_error();
    return Napi::Boolean::New(info.Env(), empty);
  }));
  // defaultVerifyPaths(): where X509_STORE_set_default_paths looks (the library's compiled-in CA file and
  // directory, and the environment variables that override them), as Python's get_default_verify_paths.
  exports.Set("defaultVerifyPaths", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("cafileEnv", X509_get_default_cert_file_env());
    out.Set("cafile", X509_get_default_cert_file());
    out.Set("capathEnv", X509_get_default_cert_dir_env());
    out.Set("capath", X509_get_default_cert_dir());
    return out;
  }));
  // verifyErrorString(code): OpenSSL's text for an X509_V_ERR_* code (X509_verify_cert_error_string).
  exports.Set("verifyErrorString", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
    int64_t code = 0;
    if (!GetInt(info[0], "code", &code)) return info.Env().Undefined();
    return Napi::String::New(info.Env(), X509_verify_cert_error_string(static_cast<long>(code)));
  }));
  exports.Set("OPENSSL_VERSION_NUMBER", Napi::Number::New(env, static_cast<double>(OpenSSL_version_num())));
  exports.Set("OPENSSL_VERSION_TEXT", Napi::String::New(env, OpenSSL_version(OPENSSL_VERSION)));
  exports.Set("SSLEAY_VERSION", Napi::Number::New(env, OPENSSL_VERSION));
  exports.Set("SSLEAY_CFLAGS", Napi::Number::New(env, OPENSSL_CFLAGS));
  exports.Set("SSLEAY_PLATFORM", Napi::Number::New(env, OPENSSL_PLATFORM));
  exports.Set("SSLEAY_DIR", Napi::Number::New(env, OPENSSL_DIR));
  exports.Set("SSLEAY_BUILT_ON", Napi::Number::New(env, OPENSSL_BUILT_ON));
}

}  // namespace ossl
