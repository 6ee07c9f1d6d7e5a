// The one rule for calling JavaScript from inside OpenSSL (verify, SNI, ALPN, OCSP, PSK, info, keylog,
// DTLS cookies, passphrases), kept here once:
//
//   1. An owner (a Connection, a passphrase source) arms a CallbackScope before an OpenSSL call that
//      can call back. A trampoline that finds its owner unarmed runs no JavaScript and fails closed.
//   2. While armed, the owner's methods that drive or change what OpenSSL is using refuse to run
//      (re-entry from a callback would free or replace objects under OpenSSL's feet).
//   3. A callback that throws, whatever it throws (an Error, a string, undefined, a symbol), has its
//      first thrown value kept; the trampoline returns OpenSSL's fail-closed value, and no further
//      callback of that owner runs JavaScript.
//   4. A callback result of the wrong type or length is refused the same way, with an Error naming
//      the callback.
//   5. After the OpenSSL call returns, the kept value is thrown as is, ahead of any OpenSSL error.
#pragma once

#include "common/common.h"

namespace ossl {

class CallbackScope;

// What one owner knows about its callbacks: whether an OpenSSL call is under way, and the first
// value a callback threw (or the error a bad result made).
class CallbackState {
 public:
  CallbackState() = default;
  CallbackState(const CallbackState&) = delete;
  CallbackState& operator=(const CallbackState&) = delete;

  // Whether an OpenSSL call that can run callbacks is under way (a CallbackScope is armed).
  bool armed() const { return depth_ > 0; }
  // Whether a callback failed. A failed owner runs no more JavaScript from OpenSSL.
  bool failed() const { return failed_; }

  // For trampolines: calls `fn` with `args`. Returns its result, or an empty Value when the owner is
  // not armed, has already failed, or `fn` threw (the thrown value is kept).
  Napi::Value Call(Napi::Env env, const Napi::FunctionReference& fn, const std::initializer_list<napi_value>& args);
  // For trampolines: the callback returned something unusable. Keeps a TypeError (or a RangeError
  // when `range`) with `message`, which should name the callback and what it returned.
  void Reject(Napi::Env env, const std::string& message, bool range = false);

  // For trampolines: an exception is pending from making a callback's arguments; keep it instead.
  void KeepPending(Napi::Env env);

  // For entry points, after the OpenSSL call: throws the kept value as is and returns true, or
  // returns false when nothing was kept. The owner stays failed.
  bool Rethrow(Napi::Env env);

 private:
  friend class CallbackScope;
  void Keep(Napi::Env env, napi_value value);

  int depth_ = 0;
  bool failed_ = false;
  // N-API 8 references hold objects only, and a thrown value may be a primitive: it is kept as the
  // element 0 of a holder array.
  Napi::ObjectReference kept_;
};

// Arms a CallbackState for the length of one OpenSSL call (RAII).
class CallbackScope {
 public:
  explicit CallbackScope(CallbackState& state) : state_(state) { ++state_.depth_; }
  ~CallbackScope() { --state_.depth_; }
  CallbackScope(const CallbackScope&) = delete;
  CallbackScope& operator=(const CallbackScope&) = delete;

 private:
  CallbackState& state_;
};

// A callback's result as bytes when it is a Buffer, a Uint8Array or a string (UTF-8); false, with
// nothing thrown, for anything else (other typed arrays, DataViews, objects, ...).
bool ResultBytes(Napi::Value v, Bytes* out);

// Throws the error a method throws when it is called from inside a callback while OpenSSL still
// uses its object: an ssl.Error-shaped Error (`opensslError`, empty `errors`) with the code
// ERR_SSL_REENTRANT_CALL. Returns an undefined Value for `return`.
Napi::Value ThrowReentry(Napi::Env env, const std::string& message);

}  // namespace ossl
