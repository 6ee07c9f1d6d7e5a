// Passphrases for PEM readers and writers: none, fixed bytes, or a JavaScript callback
// `(writing: boolean) => Buffer | string` run synchronously inside the OpenSSL call.
#pragma once

#include "common/common.h"

namespace ossl {

class PassphraseSource {
 public:
  explicit PassphraseSource(Napi::Env env) : env_(env) {}
  // undefined/null: no passphrase (an encrypted input fails cleanly, never a terminal prompt);
  // Buffer/string: those bytes; function: called when OpenSSL needs the passphrase.
  bool Init(Napi::Value v, const char* param);
  bool has_passphrase() const { return kind_ != kNone; }
  // After the OpenSSL call: re-throws what the callback threw or a TypeError for what it returned.
  // Returns true when an exception is now pending.
  bool RethrowIfFailed();
  bool called() const { return called_; }

  // pem_password_cb; `u` is a PassphraseSource*.
  static int Callback(char* buf, int size, int rwflag, void* u);

 private:
  enum Kind { kNone, kBytes, kFunction };
  Napi::Env env_;
  Kind kind_ = kNone;
  std::string bytes_;
  Napi::FunctionReference fn_;
  Napi::Reference<Napi::Value> exception_;
  std::string type_problem_;
  std::string value_problem_;
  bool called_ = false;
};

// pem_password_cb that refuses: an encrypted PEM block fails instead of prompting on a terminal.
int NoPassphrase(char* buf, int size, int rwflag, void* u);

}  // namespace ossl
