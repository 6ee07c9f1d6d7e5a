// Helpers for the ossl packages built on @ossl/crypto; not part of the public API.
export { describe, typeError, expectBytes, expectString, expectInteger, expectInstance, expectFiletype, expectOptionalPath, ownOptions, isOwnFalse } from './args.js';
export { Adoption } from './handle.js';
