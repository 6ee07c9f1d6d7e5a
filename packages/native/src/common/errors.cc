// Error translation: the one place where the OpenSSL error queue becomes a JavaScript Error.
#include "common/common.h"

#include <arpa/inet.h>

#include <openssl/ecerr.h>
#include <openssl/rsaerr.h>

#include <cctype>
#include <cstring>

namespace ossl {
namespace {

// Short library names in the style of Node.js error codes (ERR_OSSL_PEM_NO_START_LINE).
std::string LibraryCode(unsigned long e) {
  switch (ERR_GET_LIB(e)) {
    case ERR_LIB_PEM: return "PEM";
    case ERR_LIB_ASN1: return "ASN1";
    case ERR_LIB_X509: return "X509";
    case ERR_LIB_X509V3: return "X509V3";
    case ERR_LIB_SSL: return "SSL";
    case ERR_LIB_EVP: return "EVP";
    case ERR_LIB_RSA: return "RSA";
    case ERR_LIB_EC: return "EC";
    case ERR_LIB_DSA: return "DSA";
    case ERR_LIB_DH: return "DH";
    case ERR_LIB_BIO: return "BIO";
    case ERR_LIB_BN: return "BN";
    case ERR_LIB_PKCS7: return "PKCS7";
    case ERR_LIB_PKCS12: return "PKCS12";
    case ERR_LIB_CMS: return "CMS";
    case ERR_LIB_PROV: return "PROV";
    case ERR_LIB_OSSL_DECODER: return "OSSL_DECODER";
    case ERR_LIB_OSSL_ENCODER: return "OSSL_ENCODER";
    case ERR_LIB_OSSL_STORE: return "OSSL_STORE";
    case ERR_LIB_CRYPTO: return "CRYPTO";
    case ERR_LIB_SYS: return "SYS";
    default: return "UNKNOWN";
  }
}

std::string Upper(const char* s) {
  std::string out;
  for (; s != nullptr && *s != '\0'; ++s) {
    unsigned char c = static_cast<unsigned char>(*s);
    out.push_back(std::isalnum(c) ? static_cast<char>(std::toupper(c)) : '_');
  }
  return out;
}

}  // namespace

std::vector<ErrorEntry> CaptureErrors() {
  std::vector<ErrorEntry> out;
  const char* func = nullptr;
  const char* data = nullptr;
  int flags = 0;
  unsigned long e;
  while ((e = ERR_get_error_all(nullptr, nullptr, &func, &data, &flags)) != 0) {
    ErrorEntry entry;
    const char* lib = ERR_lib_error_string(e);
    const char* reason = ERR_reason_error_string(e);
    entry.library = lib != nullptr ? lib : "";
    entry.function = func != nullptr ? func : "";
    if (reason != nullptr) {
      entry.reason = reason;
    } else {
      char buf[256];
      ERR_error_string_n(e, buf, sizeof(buf));
      entry.reason = buf;
    }
    if (data != nullptr && (flags & ERR_TXT_STRING) && *data != '\0') entry.data = data;
    entry.code = e;
    out.push_back(std::move(entry));
  }
  return out;
}

Napi::Error MakeOpenSSLError(Napi::Env env, const std::string& what, const std::vector<ErrorEntry>& entries) {
  Napi::Array list = Napi::Array::New(env, entries.size());
  std::string reasons;
  std::string code;
  uint32_t n = 0;
  for (const ErrorEntry& entry : entries) {
    Napi::Object item = Napi::Object::New(env);
    item.Set("library", entry.library.empty() ? env.Null() : Napi::Value(Napi::String::New(env, entry.library)));
    item.Set("function", Napi::String::New(env, entry.function));
    item.Set("reason", Napi::String::New(env, entry.reason));
    item.Set("code", Napi::Number::New(env, static_cast<double>(entry.code)));
    if (!entry.data.empty()) item.Set("data", Napi::String::New(env, entry.data));
    list.Set(n++, item);
    // OpenSSL 3's decoders often report the same reason several times; the message says it once.
    std::string part = entry.reason;
    if (!entry.data.empty()) part += " (" + entry.data + ")";
    if (("; " + reasons + "; ").find("; " + part + "; ") == std::string::npos) {
      if (!reasons.empty()) reasons += "; ";
      reasons += part;
    }
    if (code.empty()) code = "ERR_OSSL_" + LibraryCode(entry.code) + "_" + Upper(entry.reason.c_str());
  }
  std::string message = what;
  if (!reasons.empty()) message += ": " + reasons;
  Napi::Error err = Napi::Error::New(env, message);
  Napi::Object obj = err.Value();
  obj.Set("errors", list);
  obj.Set("opensslError", Napi::Boolean::New(env, true));
  obj.Set("code", Napi::String::New(env, code.empty() ? "ERR_OSSL_UNKNOWN" : code));
  return err;
}

Napi::Error MakeOpenSSLError(Napi::Env env, const std::string& what) {
  return MakeOpenSSLError(env, what, CaptureErrors());
}

void RaiseBadSignatureIfQuiet(const EVP_PKEY* key) {
  if (ERR_peek_error() != 0) return;
  if (key != nullptr && EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA) ERR_raise(ERR_LIB_RSA, RSA_R_BAD_SIGNATURE);
  else ERR_raise(ERR_LIB_EC, EC_R_BAD_SIGNATURE);
}

Napi::Value ThrowOpenSSL(Napi::Env env, const std::string& what) {
  MakeOpenSSLError(env, what).ThrowAsJavaScriptException();
  return env.Undefined();
}

std::string DescribeValue(Napi::Value v) {
  switch (v.Type()) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "boolean";
    case napi_number: return "number";
    case napi_string: return "string";
    case napi_symbol: return "symbol";
    case napi_function: return "function";
    case napi_bigint: return "bigint";
    case napi_external: return "external";
    case napi_object: break;
  }
  // napi_is_buffer is true for every ArrayBufferView, so the views are told apart first.
  if (v.IsDataView()) return "DataView";
  if (v.IsTypedArray()) {
    switch (v.As<Napi::TypedArray>().TypedArrayType()) {
      case napi_int8_array: return "Int8Array";
      case napi_uint8_array: return "Buffer";
      case napi_uint8_clamped_array: return "Uint8ClampedArray";
      case napi_int16_array: return "Int16Array";
      case napi_uint16_array: return "Uint16Array";
      case napi_int32_array: return "Int32Array";
      case napi_uint32_array: return "Uint32Array";
      case napi_float32_array: return "Float32Array";
      case napi_float64_array: return "Float64Array";
      case napi_bigint64_array: return "BigInt64Array";
      case napi_biguint64_array: return "BigUint64Array";
    }
    return "a typed array";
  }
  if (v.IsArray()) return "Array";
  return "object";
}

Napi::Value ThrowType(Napi::Env env, const char* param, const char* expected, Napi::Value got) {
  std::string msg = std::string("\"") + param + "\" must be " + expected + ", got " + DescribeValue(got);
  Napi::TypeError err = Napi::TypeError::New(env, msg);
  err.Value().Set("code", Napi::String::New(env, "ERR_INVALID_ARG_TYPE"));
  err.ThrowAsJavaScriptException();
  return env.Undefined();
}

Napi::Value ThrowValue(Napi::Env env, const std::string& message) {
  Napi::RangeError err = Napi::RangeError::New(env, message);
  err.Value().Set("code", Napi::String::New(env, "ERR_INVALID_ARG_VALUE"));
  err.ThrowAsJavaScriptException();
  return env.Undefined();
}

Bytes GetBytes(Napi::Value v, const char* param) {
  Bytes b;
  if (v.IsTypedArray()) {
    Napi::TypedArray ta = v.As<Napi::TypedArray>();
    if (ta.TypedArrayType() == napi_uint8_array) {
      Napi::Uint8Array u = v.As<Napi::Uint8Array>();
      b.data = u.Data();
      b.size = u.ByteLength();
      b.ok = true;
      return b;
    }
  } else if (v.IsString()) {
    b.storage = v.As<Napi::String>().Utf8Value();
    b.data = reinterpret_cast<const unsigned char*>(b.storage.data());
    b.size = b.storage.size();
    b.ok = true;
    return b;
  }
  ThrowType(v.Env(), param, "a Buffer or string", v);
  return b;
}

bool IsIpLiteral(const std::string& text) {
  if (text.empty() || text.find('\0') != std::string::npos) return false;
  unsigned char ip[16];
  return inet_pton(AF_INET, text.c_str(), ip) == 1 || inet_pton(AF_INET6, text.c_str(), ip) == 1;
}

bool GetString(Napi::Value v, const char* param, std::string* out) {
  if (!v.IsString()) {
    ThrowType(v.Env(), param, "a string", v);
    return false;
  }
  *out = v.As<Napi::String>().Utf8Value();
  return true;
}

bool GetInt(Napi::Value v, const char* param, int64_t* out) {
  if (!v.IsNumber()) {
    ThrowType(v.Env(), param, "a number", v);
    return false;
  }
  double d = v.As<Napi::Number>().DoubleValue();
  if (d != d || d < -9007199254740991.0 || d > 9007199254740991.0 || static_cast<double>(static_cast<int64_t>(d)) != d) {
    ThrowValue(v.Env(), std::string("\"") + param + "\" must be an integer");
    return false;
  }
  *out = static_cast<int64_t>(d);
  return true;
}

Napi::Value BioToBuffer(Napi::Env env, BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  if (len <= 0) return Napi::Buffer<char>::New(env, 0);
  return Napi::Buffer<char>::Copy(env, data, static_cast<size_t>(len));
}

Napi::Value BioToString(Napi::Env env, BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  if (len <= 0) return Napi::String::New(env, "");
  return Napi::String::New(env, data, static_cast<size_t>(len));
}

BIOPointer MemBioFrom(const Bytes& b) {
  // BIO_new_mem_buf makes a read-only BIO over our bytes; an empty input still gets a BIO so
  // the parser reports its own "no data" error.
  static const char kEmpty[1] = {0};
  const void* p = b.size > 0 ? static_cast<const void*>(b.data) : static_cast<const void*>(kEmpty);
  if (b.size > static_cast<size_t>(INT32_MAX)) return BIOPointer(nullptr);
  return BIOPointer(BIO_new_mem_buf(p, static_cast<int>(b.size)));
}

BIOPointer NewMemBio() { return BIOPointer(BIO_new(BIO_s_mem())); }

}  // namespace ossl
