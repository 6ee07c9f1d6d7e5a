// The dictionary Python's ssl module makes of a certificate (SSLSocket.getpeercert()), built the way
// CPython's _decode_certificate builds it, so ported code sees the same shapes and strings.
#include <openssl/x509v3.h>

#include "objects.h"

namespace ossl {

namespace {

// (("countryName", "US"),), (("commonName", "x"),) — one tuple per RDN, as CPython groups them.
Napi::Value NameTuple(Napi::Env env, const X509_NAME* name) {
  Napi::Array rdns = Napi::Array::New(env);
  Napi::Array current = Napi::Array::New(env);
  int last_set = -1;
  uint32_t n_rdn = 0, n_attr = 0;
  for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
    int set = X509_NAME_ENTRY_set(entry);
    if (set != last_set && last_set != -1) {
      rdns.Set(n_rdn++, current);
      current = Napi::Array::New(env);
      n_attr = 0;
    }
    last_set = set;
    char buf[256];
    OBJ_obj2txt(buf, sizeof(buf), X509_NAME_ENTRY_get_object(entry), 0);
    unsigned char* utf8 = nullptr;
    int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
    if (len < 0) return ThrowOpenSSL(env, "could not decode a name entry");
    OpensslBytes owned(utf8);
    Napi::Array attr = Napi::Array::New(env, 2);
    attr.Set(0u, Napi::String::New(env, buf));
    attr.Set(1u, Napi::String::New(env, reinterpret_cast<const char*>(utf8), static_cast<size_t>(len)));
    current.Set(n_attr++, attr);
  }
  if (last_set != -1) rdns.Set(n_rdn++, current);
  return rdns;
}

Napi::Value Pair(Napi::Env env, const char* type, Napi::Value value) {
  Napi::Array p = Napi::Array::New(env, 2);
  p.Set(0u, Napi::String::New(env, type));
  p.Set(1u, value);
  return p;
}

Napi::Value Ia5(Napi::Env env, const ASN1_STRING* s) {
  return Napi::String::New(env, reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), static_cast<size_t>(ASN1_STRING_length(s)));
}

// The first line of OpenSSL's print form of a general name, at most 2047 bytes as CPython reads it.
std::string PrintedGeneralName(const GENERAL_NAME* name) {
  BIOPointer bio = NewMemBio();
  if (!bio) return std::string();
  GENERAL_NAME_print(bio.get(), const_cast<GENERAL_NAME*>(name));
  char buf[2048];
  int len = BIO_gets(bio.get(), buf, sizeof(buf) - 1);
  ERR_clear_error();
  if (len <= 0) return std::string();
  std::string line(buf, static_cast<size_t>(len));
  if (!line.empty() && line.back() == '\n') line.pop_back();
  return line;
}

Napi::Value AltNames(Napi::Env env, X509* cert, bool* present) {
  *present = false;
  GENERAL_NAMES* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) {
    ERR_clear_error();
    return env.Null();
  }
  Owned<GENERAL_NAMES, GENERAL_NAMES_free> owned(names);
  Napi::Array out = Napi::Array::New(env);
  uint32_t n = 0;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    switch (name->type) {
      case GEN_DIRNAME: out.Set(n++, Pair(env, "DirName", NameTuple(env, name->d.directoryName))); break;
      case GEN_EMAIL: out.Set(n++, Pair(env, "email", Ia5(env, name->d.rfc822Name))); break;
      case GEN_DNS: out.Set(n++, Pair(env, "DNS", Ia5(env, name->d.dNSName))); break;
      case GEN_URI: out.Set(n++, Pair(env, "URI", Ia5(env, name->d.uniformResourceIdentifier))); break;
      case GEN_RID: {
        char buf[256];
        OBJ_obj2txt(buf, sizeof(buf), name->d.registeredID, 1);
        out.Set(n++, Pair(env, "Registered ID", Napi::String::New(env, buf)));
        break;
      }
      case GEN_IPADD: {
        const unsigned char* p = ASN1_STRING_get0_data(name->d.iPAddress);
        int len = ASN1_STRING_length(name->d.iPAddress);
        char buf[64];
        if (len == 4) {
          snprintf(buf, sizeof(buf), "%d.%d.%d.%d", p[0], p[1], p[2], p[3]);
        } else if (len == 16) {
          snprintf(buf, sizeof(buf), "%X:%X:%X:%X:%X:%X:%X:%X", p[0] << 8 | p[1], p[2] << 8 | p[3], p[4] << 8 | p[5], p[6] << 8 | p[7],
                   p[8] << 8 | p[9], p[10] << 8 | p[11], p[12] << 8 | p[13], p[14] << 8 | p[15]);
        } else {
          snprintf(buf, sizeof(buf), "<invalid>");
        }
        out.Set(n++, Pair(env, "IP Address", Napi::String::New(env, buf)));
        break;
      }
      default: {
        // otherName, x400Address, ediPartyName: CPython takes the first line of OpenSSL's
        // GENERAL_NAME_print ("othername:UPN:user@example.com", "othername:<unsupported>") and
        // splits it at the first colon.
        std::string text = PrintedGeneralName(name);
        size_t colon = text.find(':');
        if (colon == std::string::npos) {
          const char* type = name->type == GEN_OTHERNAME ? "othername" : name->type == GEN_X400 ? "X400Name" : "EdiPartyName";
          out.Set(n++, Pair(env, type, Napi::String::New(env, text)));
        } else {
          out.Set(n++, Pair(env, text.substr(0, colon).c_str(), Napi::String::New(env, text.substr(colon + 1))));
        }
        break;
      }
    }
  }
  *present = n > 0;
  return out;
}

void AddAia(Napi::Env env, X509* cert, Napi::Object dict) {
  AUTHORITY_INFO_ACCESS* aia = static_cast<AUTHORITY_INFO_ACCESS*>(X509_get_ext_d2i(cert, NID_info_access, nullptr, nullptr));
  if (aia == nullptr) {
    ERR_clear_error();
    return;
  }
  Owned<AUTHORITY_INFO_ACCESS, AUTHORITY_INFO_ACCESS_free> owned(aia);
  Napi::Array ocsp = Napi::Array::New(env), issuers = Napi::Array::New(env);
  uint32_t n_ocsp = 0, n_issuers = 0;
  for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(aia); ++i) {
    const ACCESS_DESCRIPTION* ad = sk_ACCESS_DESCRIPTION_value(aia, i);
    if (ad->location->type != GEN_URI) continue;
    int nid = OBJ_obj2nid(ad->method);
    if (nid == NID_ad_OCSP) ocsp.Set(n_ocsp++, Ia5(env, ad->location->d.uniformResourceIdentifier));
    else if (nid == NID_ad_ca_issuers) issuers.Set(n_issuers++, Ia5(env, ad->location->d.uniformResourceIdentifier));
  }
  if (n_ocsp > 0) dict.Set("OCSP", ocsp);
  if (n_issuers > 0) dict.Set("caIssuers", issuers);
}

void AddCrlDp(Napi::Env env, X509* cert, Napi::Object dict) {
  CRL_DIST_POINTS* dps = static_cast<CRL_DIST_POINTS*>(X509_get_ext_d2i(cert, NID_crl_distribution_points, nullptr, nullptr));
  if (dps == nullptr) {
    ERR_clear_error();
    return;
  }
  Owned<CRL_DIST_POINTS, CRL_DIST_POINTS_free> owned(dps);
  Napi::Array uris = Napi::Array::New(env);
  uint32_t n = 0;
  for (int i = 0; i < sk_DIST_POINT_num(dps); ++i) {
    const DIST_POINT* dp = sk_DIST_POINT_value(dps, i);
    if (dp->distpoint == nullptr || dp->distpoint->type != 0) continue;  // fullname only
    GENERAL_NAMES* names = dp->distpoint->name.fullname;
    for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
      const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, j);
      if (gn->type == GEN_URI) uris.Set(n++, Ia5(env, gn->d.uniformResourceIdentifier));
    }
  }
  if (n > 0) dict.Set("crlDistributionPoints", uris);
}

Napi::Value PrintTime(Napi::Env env, const ASN1_TIME* t) {
  BIOPointer out = NewMemBio();
  if (!out || ASN1_TIME_print(out.get(), t) != 1) return ThrowOpenSSL(env, "invalid time in certificate");
  return BioToString(env, out.get());
}

// pythonCertDict(cert): CPython's dict for a certificate (subject, issuer, version, serialNumber,
// notBefore, notAfter, subjectAltName, OCSP, caIssuers, crlDistributionPoints).
Napi::Value PythonCertDict(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  X509Wrap* w = UnwrapAs<X509Wrap>(info[0], "cert");
  if (w == nullptr) return env.Undefined();
  X509* cert = w->get();
  Napi::Object dict = Napi::Object::New(env);
  dict.Set("subject", NameTuple(env, X509_get_subject_name(cert)));
  if (env.IsExceptionPending()) return env.Undefined();
  dict.Set("issuer", NameTuple(env, X509_get_issuer_name(cert)));
  if (env.IsExceptionPending()) return env.Undefined();
  dict.Set("version", Napi::Number::New(env, static_cast<double>(X509_get_version(cert) + 1)));
  BIOPointer serial = NewMemBio();
  if (!serial || i2a_ASN1_INTEGER(serial.get(), X509_get0_serialNumber(cert)) < 0) return ThrowOpenSSL(env, "invalid serial number");
  dict.Set("serialNumber", BioToString(env, serial.get()));
  dict.Set("notBefore", PrintTime(env, X509_get0_notBefore(cert)));
  dict.Set("notAfter", PrintTime(env, X509_get0_notAfter(cert)));
  if (env.IsExceptionPending()) return env.Undefined();
  bool has_san = false;
  Napi::Value san = AltNames(env, cert, &has_san);
  if (has_san) dict.Set("subjectAltName", san);
  AddAia(env, cert, dict);
  AddCrlDp(env, cert, dict);
  return dict;
}

}  // namespace

void InitPyCert(Napi::Env env, Napi::Object exports) {
  exports.Set("pythonCertDict", Napi::Function::New<PythonCertDict>(env, "pythonCertDict"));
}

}  // namespace ossl
