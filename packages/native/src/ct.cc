// Certificate Transparency (RFC 6962) with OpenSSL's CT functions: signed certificate timestamps
// (SCTs) from a certificate's extension or a TLS-encoded list, log stores, and SCT validation.
#include <openssl/ct.h>
#include <openssl/sha.h>

#include "objects.h"

namespace ossl {

namespace {

void FreeSctList(STACK_OF(SCT)* list) { SCT_LIST_free(list); }
using SctListPointer = std::unique_ptr<STACK_OF(SCT), void (*)(STACK_OF(SCT)*)>;
using CtPolicyPointer = Owned<CT_POLICY_EVAL_CTX, CT_POLICY_EVAL_CTX_free>;

const char* SourceName(sct_source_t source) {
  switch (source) {
    case SCT_SOURCE_TLS_EXTENSION: return "tls";
    case SCT_SOURCE_X509V3_EXTENSION: return "certificate";
    case SCT_SOURCE_OCSP_STAPLED_RESPONSE: return "ocsp";
    default: return "unknown";
  }
}

const char* EntryTypeName(ct_log_entry_type_t type) {
  switch (type) {
    case CT_LOG_ENTRY_TYPE_X509: return "x509";
    case CT_LOG_ENTRY_TYPE_PRECERT: return "precert";
    default: return "unknown";
  }
}

const char* StatusName(sct_validation_status_t status) {
  switch (status) {
    case SCT_VALIDATION_STATUS_VALID: return "valid";
    case SCT_VALIDATION_STATUS_INVALID: return "invalid";
    case SCT_VALIDATION_STATUS_UNVERIFIED: return "unverified";
    case SCT_VALIDATION_STATUS_UNKNOWN_LOG: return "unknownLog";
    case SCT_VALIDATION_STATUS_UNKNOWN_VERSION: return "unknownVersion";
    default: return "notSet";
  }
}

Napi::Value Copy(Napi::Env env, const unsigned char* data, size_t len) {
  return Napi::Buffer<unsigned char>::Copy(env, data == nullptr ? reinterpret_cast<const unsigned char*>("") : data, len);
}

bool SourceFromName(const std::string& name, sct_source_t* out) {
  if (name == "tls") *out = SCT_SOURCE_TLS_EXTENSION;
  else if (name == "certificate") *out = SCT_SOURCE_X509V3_EXTENSION;
  else if (name == "ocsp") *out = SCT_SOURCE_OCSP_STAPLED_RESPONSE;
  else return false;
  return true;
}

// Parses a TLS-encoded SCT list (the TLS extension's or an OCSP response's) and marks where it came from.
SctListPointer ParseList(Napi::Env env, Napi::Value list_value, Napi::Value source_value) {
  SctListPointer none(nullptr, FreeSctList);
  Bytes list = GetBytes(list_value, "list");
  if (!list.ok) return none;
  std::string source_name;
  if (!GetString(source_value, "source", &source_name)) return none;
  sct_source_t source = SCT_SOURCE_UNKNOWN;
  if (!SourceFromName(source_name, &source)) {
    ThrowValue(env, "\"source\" must be 'tls', 'certificate' or 'ocsp', got " + source_name);
    return none;
  }
  const unsigned char* p = list.data;
  SctListPointer scts(o2i_SCT_LIST(nullptr, &p, list.size), FreeSctList);
  if (!scts || p != list.data + list.size) {
    if (scts) ERR_raise_data(ERR_LIB_CT, CT_R_SCT_LIST_INVALID, "bytes after the list");
    ThrowOpenSSL(env, "not a TLS-encoded SCT list");
    return none;
  }
  for (int i = 0; i < sk_SCT_num(scts.get()); i++) {
    if (SCT_set_source(sk_SCT_value(scts.get(), i), source) != 1) {
      ThrowOpenSSL(env, "could not mark the SCT's source");
      return none;
    }
  }
  return scts;
}

}  // namespace

// {version, logId, timestamp, extensions, signature, signatureAlgorithm, entryType, source, validationStatus, tls}
Napi::Value SctToObject(Napi::Env env, const SCT* sct) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("version", Napi::Number::New(env, static_cast<int>(SCT_get_version(sct))));
  unsigned char* data = nullptr;
  size_t len = SCT_get0_log_id(sct, &data);
  out.Set("logId", Copy(env, data, len));
  // Milliseconds since 1970 fit a double exactly until the year 285,000.
  out.Set("timestamp", Napi::Number::New(env, static_cast<double>(SCT_get_timestamp(sct))));
  len = SCT_get0_extensions(sct, &data);
  out.Set("extensions", Copy(env, data, len));
  len = SCT_get0_signature(sct, &data);
  out.Set("signature", Copy(env, data, len));
  int nid = SCT_get_signature_nid(sct);
  out.Set("signatureAlgorithm", nid == NID_undef ? env.Null() : Napi::Value(Napi::String::New(env, OBJ_nid2sn(nid))));
  out.Set("entryType", Napi::String::New(env, EntryTypeName(SCT_get_log_entry_type(sct))));
  out.Set("source", Napi::String::New(env, SourceName(SCT_get_source(sct))));
  out.Set("validationStatus", Napi::String::New(env, StatusName(SCT_get_validation_status(sct))));
  unsigned char* tls = nullptr;
  int tls_len = i2o_SCT(sct, &tls);
  if (tls_len <= 0) return ThrowOpenSSL(env, "could not encode the SCT");
  OpensslBytes owned(tls);
  out.Set("tls", Copy(env, tls, static_cast<size_t>(tls_len)));
  return out;
}

Napi::Value SctListToArray(Napi::Env env, const STACK_OF(SCT)* scts) {
  int n = scts == nullptr ? 0 : sk_SCT_num(scts);
  Napi::Array out = Napi::Array::New(env, static_cast<size_t>(n));
  for (int i = 0; i < n; i++) {
    Napi::Value v = SctToObject(env, sk_SCT_value(scts, i));
    if (env.IsExceptionPending()) return env.Undefined();
    out.Set(static_cast<uint32_t>(i), v);
  }
  return out;
}

void CTLogStoreWrap::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "CTLogStore",
      {
          InstanceMethod<&CTLogStoreWrap::GetLog>("getLog"),
      });
  exports.Set("CTLogStore", ctor);
}

// new CTLogStore(path): the logs of an OpenSSL CT log list file (CTLOG_STORE_load_file).
CTLogStoreWrap::CTLogStoreWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CTLogStoreWrap>(info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::string path;
  if (!GetString(info[0], "path", &path)) return;
  if (path.find('\0') != std::string::npos) {
    ThrowValue(env, "path contains a NUL byte");
    return;
  }
  store_.reset(CTLOG_STORE_new());
  if (!store_ || CTLOG_STORE_load_file(store_.get(), path.c_str()) != 1) {
    ThrowOpenSSL(env, "could not load the CT log list");
    return;
  }
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
}

// getLog(logId) -> {name, key} or null.
Napi::Value CTLogStoreWrap::GetLog(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  Bytes id = GetBytes(info[0], "logId");
  if (!id.ok) return env.Undefined();
  // OpenSSL compares only the bytes it is given: a log id is a whole SHA-256.
  if (id.size != SHA256_DIGEST_LENGTH) return env.Null();
  const CTLOG* log = CTLOG_STORE_get0_log_by_id(store_.get(), id.data, id.size);
  if (log == nullptr) return env.Null();
  Napi::Object out = Napi::Object::New(env);
  out.Set("name", Napi::String::New(env, CTLOG_get0_name(log)));
  Napi::Value key = PKeyWrap::NewFromRef(env, CTLOG_get0_public_key(log), true);
  if (env.IsExceptionPending()) return env.Undefined();
  out.Set("key", key);
  return out;
}

namespace {

// parseSctList(list, source) -> SCT objects.
Napi::Value ParseSctList(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  SctListPointer scts = ParseList(info.Env(), info[0], info[1]);
  if (!scts) return info.Env().Undefined();
  return SctListToArray(info.Env(), scts.get());
}

// certificateScts(cert) -> the SCTs embedded in the certificate (empty when it has none).
Napi::Value CertificateScts(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  X509Wrap* cert = UnwrapAs<X509Wrap>(info[0], "cert");
  if (cert == nullptr) return env.Undefined();
  int crit = 0;
  SctListPointer scts(static_cast<STACK_OF(SCT)*>(X509_get_ext_d2i(cert->get(), NID_ct_precert_scts, &crit, nullptr)), FreeSctList);
  if (!scts) {
    if (crit == -1) return Napi::Array::New(env);  // no such extension
    return ThrowOpenSSL(env, "the certificate's SCT list extension is invalid");
  }
  return SctListToArray(env, scts.get());
}

// validateScts(list, source, cert, issuer | null, store, timeMs) -> the SCTs with their validation
// status (SCT_LIST_validate; an unknown log is a status, not an error).
Napi::Value ValidateScts(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  SctListPointer scts = ParseList(env, info[0], info[1]);
  if (!scts) return env.Undefined();
  X509Wrap* cert = UnwrapAs<X509Wrap>(info[2], "cert");
  if (cert == nullptr) return env.Undefined();
  X509Wrap* issuer = nullptr;
  if (!info[3].IsNull() && !info[3].IsUndefined()) {
    issuer = UnwrapAs<X509Wrap>(info[3], "issuer");
    if (issuer == nullptr) return env.Undefined();
  }
  CTLogStoreWrap* store = UnwrapAs<CTLogStoreWrap>(info[4], "store");
  if (store == nullptr) return env.Undefined();
  int64_t time_ms = 0;
  if (!GetInt(info[5], "time", &time_ms)) return env.Undefined();
  if (time_ms < 0) return ThrowValue(env, "\"time\" must not be before 1970");
  CtPolicyPointer policy(CT_POLICY_EVAL_CTX_new());
  if (!policy || CT_POLICY_EVAL_CTX_set1_cert(policy.get(), cert->get()) != 1 ||
      (issuer != nullptr && CT_POLICY_EVAL_CTX_set1_issuer(policy.get(), issuer->get()) != 1)) {
    return ThrowOpenSSL(env, "could not set up SCT validation");
  }
  CT_POLICY_EVAL_CTX_set_shared_CTLOG_STORE(policy.get(), store->get());
  CT_POLICY_EVAL_CTX_set_time(policy.get(), static_cast<uint64_t>(time_ms));
  // SCT_LIST_validate answers 0 when any SCT is not valid, and < 0 on an internal error; each SCT's
  // own status says which.
  if (SCT_LIST_validate(scts.get(), policy.get()) < 0) return ThrowOpenSSL(env, "SCT validation could not run");
  ERR_clear_error();
  return SctListToArray(env, scts.get());
}

}  // namespace

void InitCT(Napi::Env env, Napi::Object exports) {
  CTLogStoreWrap::Init(env, exports);
  exports.Set("parseSctList", Napi::Function::New<ParseSctList>(env, "parseSctList"));
  exports.Set("certificateScts", Napi::Function::New<CertificateScts>(env, "certificateScts"));
  exports.Set("validateScts", Napi::Function::New<ValidateScts>(env, "validateScts"));
}

}  // namespace ossl
