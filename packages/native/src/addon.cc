// Registers the native modules; nothing else lives here. The addon is context-aware: all state
// is per environment (AddonData), so it loads in worker threads too.
#include "common/common.h"
#include "objects.h"
#include "session.h"
#include "ssl.h"
#include "ssl_ctx.h"

namespace ossl {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData<AddonData>(new AddonData());
  InitVersion(env, exports);
  PKeyWrap::Init(env, exports);
  InitPKeyFunctions(env, exports);
  X509NameWrap::Init(env, exports);
  X509ExtWrap::Init(env, exports);
  InitExtFunctions(env, exports);
  X509Wrap::Init(env, exports);
  InitX509Functions(env, exports);
  InitReqFunctions(env, exports);
  InitCRLFunctions(env, exports);
  X509StoreWrap::Init(env, exports);
  InitPKCS12(env, exports);
  InitOCSP(env, exports);
  InitCT(env, exports);
  InitPKCS7(env, exports);
  InitSPKI(env, exports);
  InitEVP(env, exports);
  InitRand(env, exports);
  InitPyCert(env, exports);
  SSLCtxWrap::Init(env, exports);
  SSLWrap::Init(env, exports);
  SessionWrap::Init(env, exports);
  return exports;
}

}  // namespace ossl

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return ossl::Init(env, exports); }

NODE_API_MODULE(ossl, InitAddon)
