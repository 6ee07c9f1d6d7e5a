// Helpers for the ossl packages built on @ossl/crypto; not part of the public API.
export { describe, typeError, expectBytes, expectString, expectInteger, expectInstance, expectByteArray, expectFiletype, expectOptionalPath, ownOptions, isOwnFalse } from './args.js';
export { Adoption, handleOf, kHandle, type HasHandle, type NativeClass } from './handle.js';
export { brandClass, kBrand } from './brand.js';
export { inspectFields, classNameOf, printable, keyTypeName, XN_FLAG_INSPECT, type FieldReaders } from './inspect.js';
