// PKCS#7 and S/MIME: signed and enveloped messages (M2Crypto's SMIME over OpenSSL's PKCS7_*).
#include <openssl/pem.h>
#include <openssl/pkcs7.h>

#include "common/passphrase.h"
#include "objects.h"

namespace ossl {

namespace {
using PKCS7Pointer = Owned<PKCS7, PKCS7_free>;

class PKCS7Wrap : public Napi::ObjectWrap<PKCS7Wrap> {
 public:
  OSSL_TAGGED_UNWRAP(PKCS7Wrap)

 public:
  static constexpr napi_type_tag kTypeTag = type_tags::kPKCS7;
  static constexpr const char* kExpected = "a PKCS7";

  static void Init(Napi::Env env, Napi::Object exports) {
    Napi::Function ctor = DefineClass(env, "PKCS7",
        {
            InstanceMethod<&PKCS7Wrap::GetTypeName>("getTypeName"),
            InstanceMethod<&PKCS7Wrap::GetCertificates>("getCertificates"),
            InstanceMethod<&PKCS7Wrap::Dump>("dump"),
        });
    Data(env)->pkcs7 = Napi::Persistent(ctor);
    exports.Set("PKCS7", ctor);
  }

  explicit PKCS7Wrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<PKCS7Wrap>(info) {
    if (info.Length() < 1 || !info[0].IsExternal()) {
      Napi::TypeError::New(info.Env(), "PKCS7 handles are created by @ossl/native functions").ThrowAsJavaScriptException();
      return;
    }
    p7_.reset(info[0].As<Napi::External<PKCS7>>().Data());
    info.This().As<Napi::Object>().TypeTag(&kTypeTag);
  }

  static Napi::Value NewOwned(Napi::Env env, PKCS7Pointer p7) {
    if (!p7) return ThrowOpenSSL(env, "no PKCS#7 structure");
    return Data(env)->pkcs7.New({Napi::External<PKCS7>::New(env, p7.release())});  // adopted
  }

  PKCS7* get() const { return p7_.get(); }

 private:
  Napi::Value GetTypeName(const Napi::CallbackInfo& info) {
    return Napi::String::New(info.Env(), OBJ_nid2sn(OBJ_obj2nid(p7_->type)));
  }

  // getCertificates(): the certificates a signed message carries, or null.
  Napi::Value GetCertificates(const Napi::CallbackInfo& info) {
    ErrGuard guard;
    STACK_OF(X509)* certs = nullptr;
    int nid = OBJ_obj2nid(p7_->type);
    if (nid == NID_pkcs7_signed && p7_->d.sign != nullptr) certs = p7_->d.sign->cert;
    else if (nid == NID_pkcs7_signedAndEnveloped && p7_->d.signed_and_enveloped != nullptr) certs = p7_->d.signed_and_enveloped->cert;
    if (certs == nullptr || sk_X509_num(certs) == 0) return info.Env().Null();
    return CertStackToArray(info.Env(), certs);
  }

  Napi::Value Dump(const Napi::CallbackInfo& info) {
    ErrGuard guard;
    Napi::Env env = info.Env();
    int64_t filetype = 0;
    if (!GetInt(info[0], "type", &filetype)) return env.Undefined();
    BIOPointer out = NewMemBio();
    if (!out) return ThrowOpenSSL(env, "could not dump the PKCS#7 data");
    int ok = 0;
    if (filetype == kFiletypePem) ok = PEM_write_bio_PKCS7(out.get(), p7_.get());
    else if (filetype == kFiletypeAsn1) ok = i2d_PKCS7_bio(out.get(), p7_.get());
    else if (filetype == kFiletypeText) ok = PKCS7_print_ctx(out.get(), p7_.get(), 0, nullptr);
    else return ThrowValue(env, "type argument must be FILETYPE_PEM, FILETYPE_ASN1 or FILETYPE_TEXT");
    if (ok != 1) return ThrowOpenSSL(env, "could not dump the PKCS#7 data");
    return BioToBuffer(env, out.get());
  }

  PKCS7Pointer p7_;
};

bool GetFlags(Napi::Value v, int* flags) {
  int64_t f = 0;
  if (v.IsUndefined() || v.IsNull()) {
    *flags = 0;
    return true;
  }
  if (!GetInt(v, "flags", &f)) return false;
  *flags = static_cast<int>(f);
  return true;
}

Napi::Value LoadPkcs7Data(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  PKCS7* raw = LoadPemOrDer<PKCS7>(info, PEM_read_bio_PKCS7, d2i_PKCS7_bio, "PKCS#7 data");
  if (raw == nullptr) return info.Env().Undefined();
  return PKCS7Wrap::NewOwned(info.Env(), PKCS7Pointer(raw));
}

// smimeSign(cert, key, data, certs?, flags?) -> PKCS7 (PKCS7_sign).
Napi::Value SmimeSign(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  X509Wrap* cert = UnwrapAs<X509Wrap>(info[0], "cert");
  if (cert == nullptr) return env.Undefined();
  PKeyWrap* key = UnwrapAs<PKeyWrap>(info[1], "pkey");
  if (key == nullptr) return env.Undefined();
  Bytes data = GetBytes(info[2], "data");
  if (!data.ok) return env.Undefined();
  bool certs_ok = false;
  X509StackPointer certs = OptionalCertStack(env, info[3], "certs", &certs_ok);
  if (!certs_ok) return env.Undefined();
  int flags = 0;
  if (!GetFlags(info[4], &flags)) return env.Undefined();
  BIOPointer in = MemBioFrom(data);
  PKCS7Pointer p7(PKCS7_sign(cert->get(), key->get(), certs.get(), in.get(), flags & ~PKCS7_STREAM));
  if (!p7) return ThrowOpenSSL(env, "could not sign");
  return PKCS7Wrap::NewOwned(env, std::move(p7));
}

// smimeVerify(p7, store, certs?, data?, flags?) -> the signed content; throws when it does not verify.
Napi::Value SmimeVerify(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  PKCS7Wrap* p7 = UnwrapAs<PKCS7Wrap>(info[0], "pkcs7");
  if (p7 == nullptr) return env.Undefined();
  X509StoreWrap* store = UnwrapAs<X509StoreWrap>(info[1], "store");
  if (store == nullptr) return env.Undefined();
  bool certs_ok = false;
  X509StackPointer certs = OptionalCertStack(env, info[2], "certs", &certs_ok);
  if (!certs_ok) return env.Undefined();
  BIOPointer indata(nullptr);
  Bytes data;
  if (!info[3].IsUndefined() && !info[3].IsNull()) {
    data = GetBytes(info[3], "data");
    if (!data.ok) return env.Undefined();
    indata = MemBioFrom(data);
  }
  int flags = 0;
  if (!GetFlags(info[4], &flags)) return env.Undefined();
  if (OBJ_obj2nid(p7->get()->type) != NID_pkcs7_signed) {
    ERR_raise(ERR_LIB_PKCS7, PKCS7_R_WRONG_CONTENT_TYPE);
    return ThrowOpenSSL(env, "not a signed message");
  }
  BIOPointer out = NewMemBio();
  if (PKCS7_verify(p7->get(), certs.get(), store->get(), indata.get(), out.get(), flags) != 1) {
    return ThrowOpenSSL(env, "the signature does not verify");
  }
  return BioToBuffer(env, out.get());
}

// smimeEncrypt(recipients, data, cipher, flags?) -> PKCS7 enveloped for the recipients' certificates.
Napi::Value SmimeEncrypt(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  bool ok = false;
  X509StackPointer certs = ArrayToCertStack(env, info[0], "certs", &ok);
  if (!ok) return env.Undefined();
  if (sk_X509_num(certs.get()) == 0) return ThrowValue(env, "at least one recipient certificate is needed");
  Bytes data = GetBytes(info[1], "data");
  if (!data.ok) return env.Undefined();
  std::string cipher_name;
  if (!GetString(info[2], "cipher", &cipher_name)) return env.Undefined();
  const EVP_CIPHER* cipher = CipherNamed(cipher_name);
  if (cipher == nullptr) return ThrowValue(env, "invalid cipher name: " + cipher_name);
  int flags = 0;
  if (!GetFlags(info[3], &flags)) return env.Undefined();
  BIOPointer in = MemBioFrom(data);
  PKCS7Pointer p7(PKCS7_encrypt(certs.get(), in.get(), cipher, flags & ~PKCS7_STREAM));
  if (!p7) return ThrowOpenSSL(env, "could not encrypt");
  return PKCS7Wrap::NewOwned(env, std::move(p7));
}

// smimeDecrypt(p7, key, cert?, flags?) -> the plaintext.
Napi::Value SmimeDecrypt(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  PKCS7Wrap* p7 = UnwrapAs<PKCS7Wrap>(info[0], "pkcs7");
  if (p7 == nullptr) return env.Undefined();
  PKeyWrap* key = UnwrapAs<PKeyWrap>(info[1], "pkey");
  if (key == nullptr) return env.Undefined();
  X509* cert = nullptr;
  if (!info[2].IsUndefined() && !info[2].IsNull()) {
    X509Wrap* c = UnwrapAs<X509Wrap>(info[2], "cert");
    if (c == nullptr) return env.Undefined();
    cert = c->get();
  }
  int flags = 0;
  if (!GetFlags(info[3], &flags)) return env.Undefined();
  if (OBJ_obj2nid(p7->get()->type) != NID_pkcs7_enveloped) {
    ERR_raise(ERR_LIB_PKCS7, PKCS7_R_WRONG_CONTENT_TYPE);
    return ThrowOpenSSL(env, "not an enveloped message");
  }
  BIOPointer out = NewMemBio();
  if (PKCS7_decrypt(p7->get(), key->get(), cert, out.get(), flags) != 1) return ThrowOpenSSL(env, "could not decrypt");
  return BioToBuffer(env, out.get());
}

// writeSmime(p7, data?, flags?) -> the S/MIME message (MIME headers, base64 or multipart/signed).
Napi::Value WriteSmime(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  PKCS7Wrap* p7 = UnwrapAs<PKCS7Wrap>(info[0], "pkcs7");
  if (p7 == nullptr) return env.Undefined();
  BIOPointer indata(nullptr);
  Bytes data;
  if (!info[1].IsUndefined() && !info[1].IsNull()) {
    data = GetBytes(info[1], "data");
    if (!data.ok) return env.Undefined();
    indata = MemBioFrom(data);
  }
  int flags = 0;
  if (!GetFlags(info[2], &flags)) return env.Undefined();
  BIOPointer out = NewMemBio();
  if (SMIME_write_PKCS7(out.get(), p7->get(), indata.get(), flags) != 1) return ThrowOpenSSL(env, "could not write the S/MIME message");
  return BioToBuffer(env, out.get());
}

// readSmime(message) -> {pkcs7, content}: content is the signed text of a multipart/signed message.
Napi::Value ReadSmime(const Napi::CallbackInfo& info) {
  ErrGuard guard;
  Napi::Env env = info.Env();
  Bytes in = GetBytes(info[0], "buffer");
  if (!in.ok) return env.Undefined();
  BIOPointer bio = MemBioFrom(in);
  BIO* bcont = nullptr;
  PKCS7Pointer p7(SMIME_read_PKCS7(bio.get(), &bcont));
  BIOPointer content(bcont);
  if (!p7) return ThrowOpenSSL(env, "could not read the S/MIME message");
  Napi::Object out = Napi::Object::New(env);
  out.Set("pkcs7", PKCS7Wrap::NewOwned(env, std::move(p7)));
  out.Set("content", content ? BioToBuffer(env, content.get()) : env.Null());
  return out;
}
}  // namespace

void InitPKCS7(Napi::Env env, Napi::Object exports) {
  PKCS7Wrap::Init(env, exports);
  exports.Set("loadPkcs7Data", Napi::Function::New<LoadPkcs7Data>(env, "loadPkcs7Data"));
  exports.Set("smimeSign", Napi::Function::New<SmimeSign>(env, "smimeSign"));
  exports.Set("smimeVerify", Napi::Function::New<SmimeVerify>(env, "smimeVerify"));
  exports.Set("smimeEncrypt", Napi::Function::New<SmimeEncrypt>(env, "smimeEncrypt"));
  exports.Set("smimeDecrypt", Napi::Function::New<SmimeDecrypt>(env, "smimeDecrypt"));
  exports.Set("writeSmime", Napi::Function::New<WriteSmime>(env, "writeSmime"));
  exports.Set("readSmime", Napi::Function::New<ReadSmime>(env, "readSmime"));
  Napi::Object flags = Napi::Object::New(env);
  flags.Set("TEXT", Napi::Number::New(env, PKCS7_TEXT));
  flags.Set("NOCERTS", Napi::Number::New(env, PKCS7_NOCERTS));
  flags.Set("NOSIGS", Napi::Number::New(env, PKCS7_NOSIGS));
  flags.Set("NOCHAIN", Napi::Number::New(env, PKCS7_NOCHAIN));
  flags.Set("NOINTERN", Napi::Number::New(env, PKCS7_NOINTERN));
  flags.Set("NOVERIFY", Napi::Number::New(env, PKCS7_NOVERIFY));
  flags.Set("DETACHED", Napi::Number::New(env, PKCS7_DETACHED));
  flags.Set("BINARY", Napi::Number::New(env, PKCS7_BINARY));
  flags.Set("NOATTR", Napi::Number::New(env, PKCS7_NOATTR));
  flags.Set("NOSMIMECAP", Napi::Number::New(env, PKCS7_NOSMIMECAP));
  flags.Set("NOOLDMIMETYPE", Napi::Number::New(env, PKCS7_NOOLDMIMETYPE));
  flags.Set("CRLFEOL", Napi::Number::New(env, PKCS7_CRLFEOL));
  flags.Set("NOCRL", Napi::Number::New(env, PKCS7_NOCRL));
  exports.Set("PKCS7Flags", flags);
}

}  // namespace ossl
