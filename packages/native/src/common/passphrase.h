// Passphrases for PEM readers and writers: none, fixed bytes, or a JavaScript callback
// `(writing: boolean) => Buffer | string` run synchronously inside the OpenSSL call.
#pragma once

#include "common/callback_scope.h"

namespace ossl {

// One passphrase source lives for one OpenSSL call: it is armed (common/callback_scope.h) from
// construction, so its callback may run JavaScript only while that call is under way.
class PassphraseSource {
 public:
  explicit PassphraseSource(Napi::Env env) : env_(env), scope_(state_) {}
  // undefined/null: no passphrase (an encrypted input fails cleanly, never a terminal prompt);
  // Buffer/string: those bytes; function: called when OpenSSL needs the passphrase.
  bool Init(Napi::Value v, const char* param);
  bool has_passphrase() const { return kind_ != kNone; }
  // After the OpenSSL call: throws what the callback threw, as is, or the error its result made.
  // Returns true when an exception is now pending.
  bool RethrowIfFailed() { return state_.Rethrow(env_); }
  bool called() const { return called_; }

  // pem_password_cb; `u` is a PassphraseSource*.
  static int Callback(char* buf, int size, int rwflag, void* u);

 private:
  enum Kind { kNone, kBytes, kFunction };
  Napi::Env env_;
  Kind kind_ = kNone;
  std::string bytes_;
  Napi::FunctionReference fn_;
  CallbackState state_;
  CallbackScope scope_;
  bool called_ = false;
};

// pem_password_cb that refuses: an encrypted PEM block fails instead of prompting on a terminal.
int NoPassphrase(char* buf, int size, int rwflag, void* u);

// Reads one T from the (filetype, data) arguments of a load* function: PEM through `pem` (which
// never prompts for a passphrase) or DER through `der`. Returns null with a JavaScript exception
// pending on failure; an empty DER input is reported in OpenSSL's own words.
template <typename T>
T* LoadPemOrDer(const Napi::CallbackInfo& info, T* (*pem)(BIO*, T**, pem_password_cb*, void*), T* (*der)(BIO*, T**),
                const std::string& what) {
  Napi::Env env = info.Env();
  int64_t filetype = 0;
  if (!GetInt(info[0], "type", &filetype)) return nullptr;
  Bytes in = GetBytes(info[1], "buffer");
  if (!in.ok) return nullptr;
  if (filetype != kFiletypePem && filetype != kFiletypeAsn1) {
    ThrowValue(env, "type argument must be FILETYPE_PEM or FILETYPE_ASN1");
    return nullptr;
  }
  BIOPointer bio = MemBioFrom(in);
  T* raw = nullptr;
  if (!bio) {
    // fall through to the error below
  } else if (filetype == kFiletypePem) {
    raw = pem(bio.get(), nullptr, NoPassphrase, nullptr);
  } else if (in.size == 0) {
    ERR_raise(ERR_LIB_ASN1, ASN1_R_NOT_ENOUGH_DATA);
  } else {
    raw = der(bio.get(), nullptr);
  }
  if (raw == nullptr) ThrowOpenSSL(env, "could not load the " + what);
  return raw;
}

}  // namespace ossl
