// X509Extension: certificate and request extensions built from OpenSSL's configuration syntax.
#include <openssl/conf.h>

#include <string>

#include "objects.h"

namespace ossl {

void X509ExtWrap::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "X509Extension",
      {
          InstanceMethod<&X509ExtWrap::GetCritical>("getCritical"),
          InstanceMethod<&X509ExtWrap::GetShortName>("getShortName"),
          InstanceMethod<&X509ExtWrap::GetOid>("getOid"),
          InstanceMethod<&X509ExtWrap::GetData>("getData"),
          InstanceMethod<&X509ExtWrap::ToText>("toText"),
      });
  Data(env)->x509_ext = Napi::Persistent(ctor);
  exports.Set("X509Extension", ctor);
}

X509ExtWrap::X509ExtWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<X509ExtWrap>(info) {
  if (info.Length() < 1 || !info[0].IsExternal()) {
    Napi::TypeError::New(info.Env(), "X509Extension handles are created by createExtension()").ThrowAsJavaScriptException();
    return;
  }
  ext_.reset(info[0].As<Napi::External<X509_EXTENSION>>().Data());
  info.This().As<Napi::Object>().TypeTag(&kTypeTag);
}

Napi::Value X509ExtWrap::NewOwned(Napi::Env env, X509ExtPointer ext) {
  if (!ext) return ThrowOpenSSL(env, "no extension");
  Napi::Value external = Napi::External<X509_EXTENSION>::New(env, ext.release());  // adopted
  return Data(env)->x509_ext.New({external});
}

Napi::Value X509ExtWrap::GetCritical(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), X509_EXTENSION_get_critical(ext_.get()) > 0);
}

// getShortName(): OpenSSL's short name; "UNDEF" for an extension OpenSSL does not know (as pyOpenSSL).
Napi::Value X509ExtWrap::GetShortName(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), OBJ_nid2sn(OBJ_obj2nid(X509_EXTENSION_get_object(ext_.get()))));
}

// getOid(): the extension's OID in dotted form.
Napi::Value X509ExtWrap::GetOid(const Napi::CallbackInfo& info) {
  char buf[128];
  OBJ_obj2txt(buf, sizeof(buf), X509_EXTENSION_get_object(ext_.get()), 1);
  return Napi::String::New(info.Env(), buf);
}

// getData(): the DER bytes inside the extension's OCTET STRING.
Napi::Value X509ExtWrap::GetData(const Napi::CallbackInfo& info) {
  ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(ext_.get());
  return Napi::Buffer<unsigned char>::Copy(info.Env(), ASN1_STRING_get0_data(data),
                                           static_cast<size_t>(ASN1_STRING_length(data)));
}

// toText(): the value as OpenSSL prints it (X509V3_EXT_print), e.g. "CA:TRUE"; an extension OpenSSL
// has no printer for is dumped as its raw bytes the way `openssl x509 -text` does.
namespace {
// subjectAltName printed the way pyOpenSSL prints it: DNS, email and URI names whole (with their
// exact length, so an embedded NUL is shown, never a place to cut: CVE-2013-4238), the other
// kinds with GENERAL_NAME_print.
bool PrintSubjectAltName(BIO* out, X509_EXTENSION* ext) {
  GENERAL_NAMES* names = static_cast<GENERAL_NAMES*>(X509V3_EXT_d2i(ext));
  if (names == nullptr) return false;
  Owned<GENERAL_NAMES, GENERAL_NAMES_free> owned(names);
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (i > 0) BIO_puts(out, ", ");
    const char* label = name->type == GEN_DNS ? "DNS:" : name->type == GEN_EMAIL ? "email:" : name->type == GEN_URI ? "URI:" : nullptr;
    if (label != nullptr) {
      BIO_puts(out, label);
      BIO_write(out, ASN1_STRING_get0_data(name->d.ia5), ASN1_STRING_length(name->d.ia5));
    } else {
      GENERAL_NAME_print(out, const_cast<GENERAL_NAME*>(name));
    }
  }
  return true;
}
}  // namespace

Napi::Value X509ExtWrap::ToText(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  BIOPointer out = NewMemBio();
  if (!out) return ThrowOpenSSL(env, "could not print the extension");
  if (OBJ_obj2nid(X509_EXTENSION_get_object(ext_.get())) == NID_subject_alt_name && PrintSubjectAltName(out.get(), ext_.get())) {
    return BioToString(env, out.get());
  }
  ERR_clear_error();
  if (X509V3_EXT_print(out.get(), ext_.get(), 0, 0) != 1) {
    ERR_clear_error();
    (void)BIO_reset(out.get());
    if (ASN1_STRING_print(out.get(), X509_EXTENSION_get_data(ext_.get())) != 1) {
      return ThrowOpenSSL(env, "could not print the extension");
    }
  }
  return BioToString(env, out.get());
}

namespace {

// createExtension(typeName, critical, value, subject?, issuer?): X509V3_EXT_nconf with a context
// that knows the subject and issuer certificates (needed by subjectKeyIdentifier "hash" and
// authorityKeyIdentifier "keyid").
Napi::Value CreateExtension(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  std::string type_name;
  if (!GetString(info[0], "typeName", &type_name)) return env.Undefined();
  if (!info[1].IsBoolean()) return ThrowType(env, "critical", "a boolean", info[1]);
  bool critical = info[1].As<Napi::Boolean>().Value();
  Bytes value = GetBytes(info[2], "value");
  if (!value.ok) return env.Undefined();
  X509* subject = nullptr;
  X509* issuer = nullptr;
  if (!info[3].IsUndefined() && !info[3].IsNull()) {
    X509Wrap* w = UnwrapAs<X509Wrap>(info[3], "subject");
    if (w == nullptr) return env.Undefined();
    subject = w->get();
  }
  if (!info[4].IsUndefined() && !info[4].IsNull()) {
    X509Wrap* w = UnwrapAs<X509Wrap>(info[4], "issuer");
    if (w == nullptr) return env.Undefined();
    issuer = w->get();
  }
  std::string text(reinterpret_cast<const char*>(value.data), value.size);
  if (text.find('\0') != std::string::npos) return ThrowValue(env, "extension value contains a NUL byte");
  if (type_name.find('\0') != std::string::npos) return ThrowValue(env, "typeName contains a NUL byte");
  if (critical) text = "critical," + text;
  // sections: configuration text for the values that name a section (`@polsect`, `dirName:dir_sect`),
  // loaded as OpenSSL's configuration files are.
  Owned<CONF, NCONF_free> conf(nullptr);
  if (!info[5].IsUndefined() && !info[5].IsNull()) {
    Bytes sections = GetBytes(info[5], "sections");
    if (!sections.ok) return env.Undefined();
    if (sections.size > INT32_MAX) return ThrowValue(env, "sections are too long");
    conf.reset(NCONF_new(nullptr));
    BIOPointer bio = MemBioFrom(sections);
    long line = 0;
    if (!conf || !bio || NCONF_load_bio(conf.get(), bio.get(), &line) <= 0) {
      return ThrowOpenSSL(env, "could not read the sections (line " + std::to_string(line) + ")");
    }
  }
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, subject, nullptr, nullptr, 0);
  if (conf) {
    X509V3_set_nconf(&ctx, conf.get());
  } else {
    X509V3_set_ctx_nodb(&ctx);
  }
  X509ExtPointer ext(X509V3_EXT_nconf(conf.get(), &ctx, type_name.c_str(), text.c_str()));
  if (!ext) return ThrowOpenSSL(env, "could not create the " + type_name + " extension");
  return X509ExtWrap::NewOwned(env, std::move(ext));
}

}  // namespace

void InitExtFunctions(Napi::Env env, Napi::Object exports) {
  exports.Set("createExtension", Napi::Function::New<CreateExtension>(env, "createExtension"));
}

}  // namespace ossl
