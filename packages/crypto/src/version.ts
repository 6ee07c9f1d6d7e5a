import { opensslVersion } from '@ossl/native';

import { expectInteger } from './internal/args.js';

/**
 * pyOpenSSL's `OpenSSL_version(type)`: OpenSSL's build information as bytes, for `type` one of
 * `OPENSSL_VERSION`, `OPENSSL_CFLAGS`, `OPENSSL_BUILT_ON`, `OPENSSL_PLATFORM` or `OPENSSL_DIR`
 * (`opensslVersion` gives the same as a string).
 * @throws TypeError when `type` is not an integer.
 */
export function OpenSSL_version(type: number): Buffer {
  return Buffer.from(opensslVersion(expectInteger(type, 'type')), 'latin1');
}

/** pyOpenSSL's older name for `OpenSSL_version`, with the `SSLEAY_*` types (the same numbers). */
export function SSLeay_version(type: number): Buffer {
  return OpenSSL_version(type);
}
