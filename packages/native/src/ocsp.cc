// OCSP (RFC 6960) with OpenSSL's own functions: certificate ids, requests and responses are DER in
// and out, decoded, verified and built per call. No OCSP object outlives a call; the JavaScript
// classes keep the DER.
#include <openssl/ocsp.h>

#include "objects.h"

namespace ossl {

namespace {

using OCSPRequestPointer = Owned<OCSP_REQUEST, OCSP_REQUEST_free>;
using OCSPResponsePointer = Owned<OCSP_RESPONSE, OCSP_RESPONSE_free>;
using OCSPBasicPointer = Owned<OCSP_BASICRESP, OCSP_BASICRESP_free>;
using OCSPCertIdPointer = Owned<OCSP_CERTID, OCSP_CERTID_free>;
using OctetStringPointer = Owned<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;
using BigNumPointer = Owned<BIGNUM, BN_free>;

// Decodes the whole of `der` with `d2i`; null (with OpenSSL's reason queued, or none for bytes
// after the structure) when it is not exactly one structure.
template <typename T>
T* DecodeAll(const Bytes& der, T* (*d2i)(T**, const unsigned char**, long)) {
  const unsigned char* p = der.data;
  T* out = d2i(nullptr, &p, static_cast<long>(der.size));
  if (out != nullptr && p != der.data + der.size) {
    ERR_raise_data(ERR_LIB_ASN1, ASN1_R_TOO_LONG, "bytes after the end of the structure");
    return nullptr;
  }
  return out;
}

template <typename T>
Napi::Value EncodeDer(Napi::Env env, const T* obj, int (*i2d)(const T*, unsigned char**), const char* what) {
  unsigned char* der = nullptr;
  int len = i2d(obj, &der);
  if (len <= 0) return ThrowOpenSSL(env, std::string("could not encode the ") + what);
  OpensslBytes owned(der);
  return Napi::Buffer<unsigned char>::Copy(env, der, static_cast<size_t>(len));
}

Napi::Value OctetsToBuffer(Napi::Env env, const ASN1_OCTET_STRING* s) {
  return Napi::Buffer<unsigned char>::Copy(env, ASN1_STRING_get0_data(s), static_cast<size_t>(ASN1_STRING_length(s)));
}

// {hashAlgorithm, issuerNameHash, issuerKeyHash, serialHex, der}
Napi::Value CertIdToObject(Napi::Env env, OCSP_CERTID* id) {
  ASN1_OCTET_STRING* name_hash = nullptr;
  ASN1_OCTET_STRING* key_hash = nullptr;
  ASN1_OBJECT* md = nullptr;
  ASN1_INTEGER* serial = nullptr;
  if (OCSP_id_get0_info(&name_hash, &md, &key_hash, &serial, id) != 1) return ThrowOpenSSL(env, "not a certificate id");
  BigNumPointer bn(ASN1_INTEGER_to_BN(serial, nullptr));
  if (!bn) return ThrowOpenSSL(env, "invalid serial number in a certificate id");
  char* hex = BN_bn2hex(bn.get());
  if (hex == nullptr) return ThrowOpenSSL(env, "invalid serial number in a certificate id");
  OpensslBytes owned_hex(reinterpret_cast<unsigned char*>(hex));
  Napi::Object out = Napi::Object::New(env);
  int nid = OBJ_obj2nid(md);
  char oid[128];
  OBJ_obj2txt(oid, sizeof oid, md, 1);
  out.Set("hashAlgorithm", Napi::String::New(env, nid != NID_undef ? OBJ_nid2sn(nid) : oid));
  out.Set("issuerNameHash", OctetsToBuffer(env, name_hash));
  out.Set("issuerKeyHash", OctetsToBuffer(env, key_hash));
  out.Set("serialHex", Napi::String::New(env, hex));
  Napi::Value der = EncodeDer(env, id, i2d_OCSP_CERTID, "certificate id");
  if (env.IsExceptionPending()) return env.Undefined();
  out.Set("der", der);
  return out;
}

OCSP_CERTID* CertIdFrom(Napi::Value v, const char* param) {
  Bytes der = GetBytes(v, param);
  if (!der.ok) return nullptr;
  OCSP_CERTID* id = DecodeAll(der, d2i_OCSP_CERTID);
  if (id == nullptr) ThrowOpenSSL(v.Env(), std::string("\"") + param + "\" is not a DER certificate id");
  return id;
}

// The nonce of a request or response: the value inside the extension (OpenSSL wraps the nonce in
// an OCTET STRING; a nonce that is not so wrapped is returned as it is), or null.
Napi::Value NonceOf(Napi::Env env, X509_EXTENSION* ext) {
  if (ext == nullptr) return env.Null();
  ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(ext);
  const unsigned char* p = ASN1_STRING_get0_data(value);
  long len = ASN1_STRING_length(value);
  OctetStringPointer inner(d2i_ASN1_OCTET_STRING(nullptr, &p, len));
  ERR_clear_error();
  if (inner && p == ASN1_STRING_get0_data(value) + len) return OctetsToBuffer(env, inner.get());
  return OctetsToBuffer(env, value);
}

const char* CertStatusName(int status) {
  switch (status) {
    case V_OCSP_CERTSTATUS_GOOD: return "good";
    case V_OCSP_CERTSTATUS_REVOKED: return "revoked";
    default: return "unknown";
  }
}

// {status, revocationTime, revocationReason, thisUpdate, nextUpdate} of one certificate.
Napi::Object SingleStatus(Napi::Env env, int status, int reason, ASN1_GENERALIZEDTIME* revtime, ASN1_GENERALIZEDTIME* thisupd,
                          ASN1_GENERALIZEDTIME* nextupd) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("status", Napi::String::New(env, CertStatusName(status)));
  out.Set("revocationTime", revtime != nullptr ? TimeToString(env, revtime) : env.Null());
  out.Set("revocationReason",
          status == V_OCSP_CERTSTATUS_REVOKED && reason >= 0 ? Napi::String::New(env, OCSP_crl_reason_str(reason)) : env.Null());
  out.Set("thisUpdate", TimeToString(env, thisupd));
  out.Set("nextUpdate", nextupd != nullptr ? TimeToString(env, nextupd) : env.Null());
  return out;
}

// The basic response inside a DER OCSPResponse; null with an exception when there is none.
OCSP_BASICRESP* BasicFrom(Napi::Value v, const char* param) {
  Napi::Env env = v.Env();
  Bytes der = GetBytes(v, param);
  if (!der.ok) return nullptr;
  OCSPResponsePointer resp(DecodeAll(der, d2i_OCSP_RESPONSE));
  if (!resp) {
    ThrowOpenSSL(env, "not a DER OCSP response");
    return nullptr;
  }
  if (OCSP_response_status(resp.get()) != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
    ThrowOpenSSL(env, std::string("the OCSP response has no content: its status is ") + OCSP_response_status_str(OCSP_response_status(resp.get())));
    return nullptr;
  }
  OCSP_BASICRESP* basic = OCSP_response_get1_basic(resp.get());
  if (basic == nullptr) ThrowOpenSSL(env, "the OCSP response is not a basic response");
  return basic;
}

// The signer of a request or response: {cert (key `cert_key`), key, digest, certs}. False with an
// exception pending on a bad value.
struct Signer {
  X509Wrap* cert = nullptr;
  PKeyWrap* key = nullptr;
  const EVP_MD* md = nullptr;  // null: the key's default
  X509StackPointer certs{nullptr, FreeCertStack};
};

bool ReadSigner(Napi::Env env, Napi::Object from, const char* cert_key, const char* certs_param, Signer* out) {
  out->cert = UnwrapAs<X509Wrap>(from.Get(cert_key), "signer");
  if (out->cert == nullptr) return false;
  out->key = UnwrapAs<PKeyWrap>(from.Get("key"), "key");
  if (out->key == nullptr) return false;
  Napi::Value digest = from.Get("digest");
  if (!digest.IsNull() && !digest.IsUndefined()) {
    std::string name;
    if (!GetString(digest, "digest", &name)) return false;
    out->md = DigestNamed(name);
    if (out->md == nullptr) {
      ThrowValue(env, "unknown digest \"" + name + "\"");
      return false;
    }
  }
  bool ok = false;
  out->certs = OptionalCertStack(env, from.Get("certs"), certs_param, &ok);
  return ok;
}

// ocspCertId(cert, issuer, digest) -> cert id object, as OCSP_cert_to_id makes it.
Napi::Value OcspCertId(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  X509Wrap* cert = UnwrapAs<X509Wrap>(info[0], "cert");
  if (cert == nullptr) return env.Undefined();
  X509Wrap* issuer = UnwrapAs<X509Wrap>(info[1], "issuer");
  if (issuer == nullptr) return env.Undefined();
  std::string digest;
  if (!GetString(info[2], "digest", &digest)) return env.Undefined();
  const EVP_MD* md = DigestNamed(digest);
  if (md == nullptr) return ThrowValue(env, "unknown digest \"" + digest + "\"");
  OCSPCertIdPointer id(OCSP_cert_to_id(md, cert->get(), issuer->get()));
  if (!id) return ThrowOpenSSL(env, "could not make the certificate id");
  return CertIdToObject(env, id.get());
}

// ocspCertIdInfo(der) -> cert id object.
Napi::Value OcspCertIdInfo(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  OCSPCertIdPointer id(CertIdFrom(info[0], "der"));
  if (!id) return info.Env().Undefined();
  return CertIdToObject(info.Env(), id.get());
}

// ocspRequestCreate(certIdDers, nonce: Buffer | true | null, signer: {cert, key, digest, certs} | null) -> DER
Napi::Value OcspRequestCreate(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  if (!info[0].IsArray()) return ThrowType(env, "certIds", "an array", info[0]);
  Napi::Array ids = info[0].As<Napi::Array>();
  OCSPRequestPointer req(OCSP_REQUEST_new());
  if (!req) return ThrowOpenSSL(env, "could not make an OCSP request");
  for (uint32_t i = 0; i < ids.Length(); i++) {
    OCSPCertIdPointer id(CertIdFrom(ids.Get(i), "certIds[]"));
    if (!id) return env.Undefined();
    if (OCSP_request_add0_id(req.get(), id.get()) == nullptr) return ThrowOpenSSL(env, "could not add the certificate id");
    id.release();  // the request owns it now
  }
  if (info[1].IsBoolean()) {
    if (info[1].As<Napi::Boolean>().Value() && OCSP_request_add1_nonce(req.get(), nullptr, -1) != 1) {
      return ThrowOpenSSL(env, "could not add a nonce");
    }
  } else if (!info[1].IsNull() && !info[1].IsUndefined()) {
    Bytes nonce = GetBytes(info[1], "nonce");
    if (!nonce.ok) return env.Undefined();
    if (nonce.size == 0 || nonce.size > 128) return ThrowValue(env, "\"nonce\" must be 1 to 128 bytes");
    if (OCSP_request_add1_nonce(req.get(), const_cast<unsigned char*>(nonce.data), static_cast<int>(nonce.size)) != 1) {
      return ThrowOpenSSL(env, "could not add the nonce");
    }
  }
  if (info[2].IsObject()) {
    Napi::Object from = info[2].As<Napi::Object>();
    Signer signer;
    if (!ReadSigner(env, from, "cert", "certs", &signer)) return env.Undefined();
    // The signer's certificate goes in unless asked otherwise (as the openssl CLI's -no_certs).
    unsigned long sign_flags = from.Get("includeSigner").ToBoolean().Value() ? 0 : OCSP_NOCERTS;
    if (OCSP_request_sign(req.get(), signer.cert->get(), signer.key->get(), signer.md, nullptr, sign_flags) != 1) {
      return ThrowOpenSSL(env, "could not sign the OCSP request");
    }
    for (int i = 0; signer.certs && i < sk_X509_num(signer.certs.get()); i++) {
      if (OCSP_request_add1_cert(req.get(), sk_X509_value(signer.certs.get(), i)) != 1) return ThrowOpenSSL(env, "could not add a certificate");
    }
  }
  return EncodeDer(env, req.get(), i2d_OCSP_REQUEST, "OCSP request");
}

// ocspRequestInfo(der) -> {certIds, nonce, signed}
Napi::Value OcspRequestInfo(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  Bytes der = GetBytes(info[0], "der");
  if (!der.ok) return env.Undefined();
  OCSPRequestPointer req(DecodeAll(der, d2i_OCSP_REQUEST));
  if (!req) return ThrowOpenSSL(env, "not a DER OCSP request");
  int n = OCSP_request_onereq_count(req.get());
  Napi::Array ids = Napi::Array::New(env, static_cast<size_t>(n));
  for (int i = 0; i < n; i++) {
    Napi::Value id = CertIdToObject(env, OCSP_onereq_get0_id(OCSP_request_onereq_get0(req.get(), i)));
    if (env.IsExceptionPending()) return env.Undefined();
    ids.Set(static_cast<uint32_t>(i), id);
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("certIds", ids);
  int at = OCSP_REQUEST_get_ext_by_NID(req.get(), NID_id_pkix_OCSP_Nonce, -1);
  out.Set("nonce", NonceOf(env, at >= 0 ? OCSP_REQUEST_get_ext(req.get(), at) : nullptr));
  out.Set("signed", Napi::Boolean::New(env, OCSP_request_is_signed(req.get()) == 1));
  return out;
}

// ocspResponseInfo(der) -> {status, statusName, basic: {...} | null}
Napi::Value OcspResponseInfo(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  Bytes der = GetBytes(info[0], "der");
  if (!der.ok) return env.Undefined();
  OCSPResponsePointer resp(DecodeAll(der, d2i_OCSP_RESPONSE));
  if (!resp) return ThrowOpenSSL(env, "not a DER OCSP response");
  int status = OCSP_response_status(resp.get());
  Napi::Object out = Napi::Object::New(env);
  out.Set("status", Napi::Number::New(env, status));
  out.Set("basic", env.Null());
  if (status != OCSP_RESPONSE_STATUS_SUCCESSFUL) return out;
  OCSPBasicPointer bs(OCSP_response_get1_basic(resp.get()));
  if (!bs) return ThrowOpenSSL(env, "the OCSP response is not a basic response");
  Napi::Object basic = Napi::Object::New(env);
  basic.Set("producedAt", TimeToString(env, OCSP_resp_get0_produced_at(bs.get())));
  const ASN1_OCTET_STRING* key_hash = nullptr;
  const X509_NAME* name = nullptr;
  if (OCSP_resp_get0_id(bs.get(), &key_hash, &name) != 1) return ThrowOpenSSL(env, "the OCSP response has no responder id");
  if (name != nullptr) {
    X509NamePointer copy(X509_NAME_dup(name));
    if (!copy) return ThrowOpenSSL(env, "could not copy the responder name");
    basic.Set("responderName", X509NameWrap::NewOwned(env, std::move(copy)));
  } else {
    basic.Set("responderName", env.Null());
  }
  basic.Set("responderKeyHash", key_hash != nullptr ? OctetsToBuffer(env, key_hash) : env.Null());
  int n = OCSP_resp_count(bs.get());
  Napi::Array singles = Napi::Array::New(env, static_cast<size_t>(n));
  for (int i = 0; i < n; i++) {
    OCSP_SINGLERESP* single = OCSP_resp_get0(bs.get(), i);
    int reason = -1;
    ASN1_GENERALIZEDTIME *revtime = nullptr, *thisupd = nullptr, *nextupd = nullptr;
    int st = OCSP_single_get0_status(single, &reason, &revtime, &thisupd, &nextupd);
    if (st < 0) return ThrowOpenSSL(env, "invalid certificate status in the OCSP response");
    Napi::Object entry = SingleStatus(env, st, reason, revtime, thisupd, nextupd);
    Napi::Value id = CertIdToObject(env, const_cast<OCSP_CERTID*>(OCSP_SINGLERESP_get0_id(single)));
    if (env.IsExceptionPending()) return env.Undefined();
    entry.Set("certId", id);
    singles.Set(static_cast<uint32_t>(i), entry);
  }
  basic.Set("responses", singles);
  Napi::Value certs = CertStackToArray(env, OCSP_resp_get0_certs(bs.get()));
  if (env.IsExceptionPending()) return env.Undefined();
  basic.Set("certificates", certs);
  int at = OCSP_BASICRESP_get_ext_by_NID(bs.get(), NID_id_pkix_OCSP_Nonce, -1);
  basic.Set("nonce", NonceOf(env, at >= 0 ? OCSP_BASICRESP_get_ext(bs.get(), at) : nullptr));
  const X509_ALGOR* alg = OCSP_resp_get0_tbs_sigalg(bs.get());
  const ASN1_OBJECT* alg_oid = nullptr;
  X509_ALGOR_get0(&alg_oid, nullptr, nullptr, alg);
  char alg_name[128];
  OBJ_obj2txt(alg_name, sizeof alg_name, alg_oid, 0);
  basic.Set("signatureAlgorithm", Napi::String::New(env, alg_name));
  out.Set("basic", basic);
  return out;
}

// ocspResponseVerify(der, store, certs, flags) -> true, or throws with OpenSSL's reason.
Napi::Value OcspResponseVerify(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  OCSPBasicPointer bs(BasicFrom(info[0], "der"));
  if (!bs) return env.Undefined();
  X509StoreWrap* store = UnwrapAs<X509StoreWrap>(info[1], "store");
  if (store == nullptr) return env.Undefined();
  bool ok = false;
  X509StackPointer certs = OptionalCertStack(env, info[2], "certificates", &ok);
  if (!ok) return env.Undefined();
  int64_t flags = 0;
  if (!GetInt(info[3], "flags", &flags)) return env.Undefined();
  if (OCSP_basic_verify(bs.get(), certs.get(), store->get(), static_cast<unsigned long>(flags)) != 1) {
    return ThrowOpenSSL(env, "the OCSP response does not verify");
  }
  return Napi::Boolean::New(env, true);
}

// ocspResponseStatus(der, certIdDer, skewSeconds, maxAgeSeconds) -> status object, or null when the
// response says nothing of that certificate; throws when its times are outside the window.
Napi::Value OcspResponseStatus(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  OCSPBasicPointer bs(BasicFrom(info[0], "der"));
  if (!bs) return env.Undefined();
  OCSPCertIdPointer id(CertIdFrom(info[1], "certId"));
  if (!id) return env.Undefined();
  int64_t skew = 0, max_age = 0;
  if (!GetInt(info[2], "clockSkew", &skew) || !GetInt(info[3], "maxAge", &max_age)) return env.Undefined();
  int status = 0, reason = -1;
  ASN1_GENERALIZEDTIME *revtime = nullptr, *thisupd = nullptr, *nextupd = nullptr;
  if (OCSP_resp_find_status(bs.get(), id.get(), &status, &reason, &revtime, &thisupd, &nextupd) != 1) {
    ERR_clear_error();
    return env.Null();
  }
  if (OCSP_check_validity(thisupd, nextupd, static_cast<long>(skew), static_cast<long>(max_age)) != 1) {
    return ThrowOpenSSL(env, "the OCSP response is not current");
  }
  return SingleStatus(env, status, reason, revtime, thisupd, nextupd);
}

// ocspCheckNonce(requestDer, responseDer) -> OCSP_check_nonce's answer.
Napi::Value OcspCheckNonce(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  Bytes der = GetBytes(info[0], "request");
  if (!der.ok) return env.Undefined();
  OCSPRequestPointer req(DecodeAll(der, d2i_OCSP_REQUEST));
  if (!req) return ThrowOpenSSL(env, "not a DER OCSP request");
  OCSPBasicPointer bs(BasicFrom(info[1], "response"));
  if (!bs) return env.Undefined();
  return Napi::Number::New(env, OCSP_check_nonce(req.get(), bs.get()));
}

// Reads an optional time text; true with *out null when absent.
bool OptionalTime(Napi::Value v, const char* param, ASN1TimePointer* out) {
  if (v.IsNull() || v.IsUndefined()) return true;
  *out = ParseTime(v.Env(), v, param);
  return static_cast<bool>(*out);
}

// ocspResponseCreate(status, spec | null) -> DER. spec: {responses: [{certId, status, reason,
// revocationTime, thisUpdate, nextUpdate}], signer, key, digest, certs, request, flags}
Napi::Value OcspResponseCreate(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  int64_t status = 0;
  if (!GetInt(info[0], "status", &status)) return env.Undefined();
  if (status != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
    OCSPResponsePointer resp(OCSP_response_create(static_cast<int>(status), nullptr));
    if (!resp) return ThrowOpenSSL(env, "could not make the OCSP response");
    return EncodeDer(env, resp.get(), i2d_OCSP_RESPONSE, "OCSP response");
  }
  if (!info[1].IsObject()) return ThrowType(env, "spec", "an object", info[1]);
  Napi::Object spec = info[1].As<Napi::Object>();
  OCSPBasicPointer bs(OCSP_BASICRESP_new());
  if (!bs) return ThrowOpenSSL(env, "could not make the OCSP response");
  Napi::Value list = spec.Get("responses");
  if (!list.IsArray()) return ThrowType(env, "responses", "an array", list);
  Napi::Array singles = list.As<Napi::Array>();
  for (uint32_t i = 0; i < singles.Length(); i++) {
    Napi::Value entry = singles.Get(i);
    if (!entry.IsObject()) return ThrowType(env, "responses[]", "an object", entry);
    Napi::Object single = entry.As<Napi::Object>();
    OCSPCertIdPointer id(CertIdFrom(single.Get("certId"), "certId"));
    if (!id) return env.Undefined();
    int64_t st = 0, reason = -1;
    if (!GetInt(single.Get("status"), "status", &st) || !GetInt(single.Get("reason"), "reason", &reason)) return env.Undefined();
    ASN1TimePointer revtime(nullptr), thisupd(nullptr), nextupd(nullptr);
    if (!OptionalTime(single.Get("revocationTime"), "revocationTime", &revtime) ||
        !OptionalTime(single.Get("thisUpdate"), "thisUpdate", &thisupd) ||
        !OptionalTime(single.Get("nextUpdate"), "nextUpdate", &nextupd)) {
      return env.Undefined();
    }
    if (OCSP_basic_add1_status(bs.get(), id.get(), static_cast<int>(st), static_cast<int>(reason), revtime.get(), thisupd.get(),
                               nextupd.get()) == nullptr) {
      return ThrowOpenSSL(env, "could not add the certificate status");
    }
  }
  Napi::Value request = spec.Get("request");
  if (!request.IsNull() && !request.IsUndefined()) {
    Bytes der = GetBytes(request, "request");
    if (!der.ok) return env.Undefined();
    OCSPRequestPointer req(DecodeAll(der, d2i_OCSP_REQUEST));
    if (!req) return ThrowOpenSSL(env, "not a DER OCSP request");
    // 1: copied; 2: the request has none (nothing to copy).
    int copied = OCSP_copy_nonce(bs.get(), req.get());
    if (copied != 1 && copied != 2) return ThrowOpenSSL(env, "could not copy the request's nonce");
  }
  Signer signer;
  if (!ReadSigner(env, spec, "signer", "certificates", &signer)) return env.Undefined();
  int64_t flags = 0;
  if (!GetInt(spec.Get("flags"), "flags", &flags)) return env.Undefined();
  // OCSP_NOCERTS leaves out the extra certificates too; they are added after signing (the signature
  // covers the response data only), so they are there with or without the signer's.
  if (OCSP_basic_sign(bs.get(), signer.cert->get(), signer.key->get(), signer.md, nullptr, static_cast<unsigned long>(flags)) != 1) {
    return ThrowOpenSSL(env, "could not sign the OCSP response");
  }
  for (int i = 0; signer.certs && i < sk_X509_num(signer.certs.get()); i++) {
    if (OCSP_basic_add1_cert(bs.get(), sk_X509_value(signer.certs.get(), i)) != 1) return ThrowOpenSSL(env, "could not add a certificate");
  }
  OCSPResponsePointer resp(OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs.get()));
  if (!resp) return ThrowOpenSSL(env, "could not make the OCSP response");
  return EncodeDer(env, resp.get(), i2d_OCSP_RESPONSE, "OCSP response");
}

}  // namespace

void InitOCSP(Napi::Env env, Napi::Object exports) {
  exports.Set("ocspCertId", Napi::Function::New<OcspCertId>(env, "ocspCertId"));
  exports.Set("ocspCertIdInfo", Napi::Function::New<OcspCertIdInfo>(env, "ocspCertIdInfo"));
  exports.Set("ocspRequestCreate", Napi::Function::New<OcspRequestCreate>(env, "ocspRequestCreate"));
  exports.Set("ocspRequestInfo", Napi::Function::New<OcspRequestInfo>(env, "ocspRequestInfo"));
  exports.Set("ocspResponseInfo", Napi::Function::New<OcspResponseInfo>(env, "ocspResponseInfo"));
  exports.Set("ocspResponseVerify", Napi::Function::New<OcspResponseVerify>(env, "ocspResponseVerify"));
  exports.Set("ocspResponseStatus", Napi::Function::New<OcspResponseStatus>(env, "ocspResponseStatus"));
  exports.Set("ocspCheckNonce", Napi::Function::New<OcspCheckNonce>(env, "ocspCheckNonce"));
  exports.Set("ocspResponseCreate", Napi::Function::New<OcspResponseCreate>(env, "ocspResponseCreate"));
  Napi::Object flags = Napi::Object::New(env);
  flags.Set("NOCERTS", Napi::Number::New(env, OCSP_NOCERTS));
  flags.Set("NOINTERN", Napi::Number::New(env, OCSP_NOINTERN));
  flags.Set("NOSIGS", Napi::Number::New(env, OCSP_NOSIGS));
  flags.Set("NOCHAIN", Napi::Number::New(env, OCSP_NOCHAIN));
  flags.Set("NOVERIFY", Napi::Number::New(env, OCSP_NOVERIFY));
  flags.Set("NOEXPLICIT", Napi::Number::New(env, OCSP_NOEXPLICIT));
  flags.Set("NOCASIGN", Napi::Number::New(env, OCSP_NOCASIGN));
  flags.Set("NODELEGATED", Napi::Number::New(env, OCSP_NODELEGATED));
  flags.Set("NOCHECKS", Napi::Number::New(env, OCSP_NOCHECKS));
  flags.Set("TRUSTOTHER", Napi::Number::New(env, OCSP_TRUSTOTHER));
  flags.Set("RESPID_KEY", Napi::Number::New(env, OCSP_RESPID_KEY));
  flags.Set("NOTIME", Napi::Number::New(env, OCSP_NOTIME));
  exports.Set("OCSPFlags", flags);
}

}  // namespace ossl
