// NetscapeSPKI: signed public key and challenge (SPKAC), as `openssl spkac` and <keygen> make them.
#include "objects.h"

namespace ossl {

namespace {
using SPKIPointer = Owned<NETSCAPE_SPKI, NETSCAPE_SPKI_free>;

class SPKIWrap : public Napi::ObjectWrap<SPKIWrap> {
 public:
  OSSL_TAGGED_UNWRAP(SPKIWrap)

 public:
  static constexpr napi_type_tag kTypeTag = type_tags::kSPKI;

  static void Init(Napi::Env env, Napi::Object exports) {
    Napi::Function ctor = DefineClass(env, "NetscapeSPKI",
        {
            InstanceMethod<&SPKIWrap::Sign>("sign"),
            InstanceMethod<&SPKIWrap::Verify>("verify"),
            InstanceMethod<&SPKIWrap::B64Encode>("b64Encode"),
            InstanceMethod<&SPKIWrap::GetPubkey>("getPubkey"),
            InstanceMethod<&SPKIWrap::SetPubkey>("setPubkey"),
            InstanceMethod<&SPKIWrap::GetChallenge>("getChallenge"),
            InstanceMethod<&SPKIWrap::SetChallenge>("setChallenge"),
        });
    Data(env)->spki = Napi::Persistent(ctor);
    exports.Set("NetscapeSPKI", ctor);
  }

  // new NetscapeSPKI(b64?): empty, or decoded from base64 SPKAC text.
  explicit SPKIWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SPKIWrap>(info) {
    ErrGuard guard;
    Napi::Env env = info.Env();
    if (info.Length() >= 1 && !info[0].IsUndefined() && !info[0].IsNull()) {
      Bytes b64 = GetBytes(info[0], "b64");
      if (!b64.ok) return;
      // Strip white space: SPKAC text is often wrapped.
      std::string text;
      for (size_t i = 0; i < b64.size; ++i) {
        char c = static_cast<char>(b64.data[i]);
        if (c != '\n' && c != '\r' && c != ' ' && c != '\t') text.push_back(c);
      }
      if (text.empty()) {
        ERR_raise(ERR_LIB_ASN1, ASN1_R_NOT_ENOUGH_DATA);
      } else {
        spki_.reset(NETSCAPE_SPKI_b64_decode(text.data(), static_cast<int>(text.size())));
      }
      if (!spki_) {
        ThrowOpenSSL(env, "could not decode the SPKAC");
        return;
      }
    } else {
      spki_.reset(NETSCAPE_SPKI_new());
      if (!spki_) {
        ThrowOpenSSL(env, "could not create an SPKAC");
        return;
      }
    }
    info.This().As<Napi::Object>().TypeTag(&kTypeTag);
  }

 private:
  Napi::Value Sign(const Napi::CallbackInfo& info) {
    ErrGuard guard;
    Napi::Env env = info.Env();
    PKeyWrap* key = UnwrapAs<PKeyWrap>(info[0], "pkey");
    if (key == nullptr) return env.Undefined();
    if (key->only_public()) return ThrowValue(env, "a private key is needed to sign");
    bool failed = false;
    const EVP_MD* md = DigestByName(env, info[1], "digest", true, &failed);
    if (failed) return env.Undefined();
    if (NETSCAPE_SPKI_sign(spki_.get(), key->get(), md) <= 0) return ThrowOpenSSL(env, "could not sign the SPKAC");
    return env.Undefined();
  }

  // verify(pkey): true, or throws with OpenSSL's reason (pyOpenSSL).
  Napi::Value Verify(const Napi::CallbackInfo& info) {
    ErrGuard guard;
    Napi::Env env = info.Env();
    PKeyWrap* key = UnwrapAs<PKeyWrap>(info[0], "key");
    if (key == nullptr) return env.Undefined();
    if (NETSCAPE_SPKI_verify(spki_.get(), key->get()) != 1) {
      RaiseBadSignatureIfQuiet(key->get());
      return ThrowOpenSSL(env, "the SPKAC signature does not verify");
    }
    return Napi::Boolean::New(env, true);
  }

  Napi::Value B64Encode(const Napi::CallbackInfo& info) {
    ErrGuard guard;
    OpensslString s(NETSCAPE_SPKI_b64_encode(spki_.get()));
    if (!s) return ThrowOpenSSL(info.Env(), "could not encode the SPKAC");
    return Napi::String::New(info.Env(), s.get());
  }

  Napi::Value GetPubkey(const Napi::CallbackInfo& info) {
    ErrGuard guard;
    EVPKeyPointer key(NETSCAPE_SPKI_get_pubkey(spki_.get()));  // a new reference
    if (!key) return ThrowOpenSSL(info.Env(), "the SPKAC has no usable public key");
    return PKeyWrap::NewOwned(info.Env(), std::move(key), true);
  }

  Napi::Value SetPubkey(const Napi::CallbackInfo& info) {
    ErrGuard guard;
    PKeyWrap* key = UnwrapAs<PKeyWrap>(info[0], "pkey");
    if (key == nullptr) return info.Env().Undefined();
    if (NETSCAPE_SPKI_set_pubkey(spki_.get(), key->ForSetPubkey()) != 1) return ThrowOpenSSL(info.Env(), "could not set the public key");
    return info.Env().Undefined();
  }

  Napi::Value GetChallenge(const Napi::CallbackInfo& info) {
    ASN1_IA5STRING* c = spki_->spkac->challenge;  // borrowed
    if (c == nullptr) return info.Env().Null();
    return Napi::String::New(info.Env(), reinterpret_cast<const char*>(ASN1_STRING_get0_data(c)), static_cast<size_t>(ASN1_STRING_length(c)));
  }

  Napi::Value SetChallenge(const Napi::CallbackInfo& info) {
    ErrGuard guard;
    Bytes c = GetBytes(info[0], "challenge");
    if (!c.ok) return info.Env().Undefined();
    if (ASN1_STRING_set(spki_->spkac->challenge, c.data, static_cast<int>(c.size)) != 1) return ThrowOpenSSL(info.Env(), "could not set the challenge");
    return info.Env().Undefined();
  }

  SPKIPointer spki_;
};
}  // namespace

void InitSPKI(Napi::Env env, Napi::Object exports) { SPKIWrap::Init(env, exports); }

}  // namespace ossl
