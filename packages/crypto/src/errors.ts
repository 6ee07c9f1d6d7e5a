import { isNativeOpenSSLError, type OpenSSLErrorEntry } from '@ossl/native';

import { brandClass } from './internal/brand.js';

export type { OpenSSLErrorEntry } from '@ossl/native';

/**
 * The base of every error that carries OpenSSL's error queue. `errors` lists the queue, oldest first,
 * as `{library, function, reason, code}` (pyOpenSSL's `Error.args[0]`); `code` is Node's
 * `ERR_OSSL_<LIB>_<REASON>` form. `instanceof` works across the CJS and ESM builds and across two
 * installed copies of a package, because classes are branded with `Symbol.for` names (as every ossl
 * class is), not compared by identity.
 */
export class OpenSSLError extends globalThis.Error {
  /** The brand that `instanceof` checks (`'@ossl/<package>:<Class>'`); each subclass sets its own. */
  static readonly brand: string = '@ossl/OpenSSLError';
  /** OpenSSL's error queue at the failure, oldest first. */
  readonly errors: OpenSSLErrorEntry[];
  /** `ERR_OSSL_<LIB>_<REASON>` for OpenSSL failures, or a package-specific code. */
  code: string;

  static {
    brandClass(this, this.brand);
  }

  /**
   * @param message what failed.
   * @param errors OpenSSL's error queue, oldest first.
   * @param code `ERR_OSSL_<LIB>_<REASON>`, or a package-specific code.
   */
  constructor(message: string, errors: OpenSSLErrorEntry[] = [], code = 'ERR_OSSL_UNKNOWN') {
    super(message);
    this.errors = errors;
    this.code = code;
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true });
  }
}

/** `crypto.Error`: an OpenSSL failure in a crypto object or function (pyOpenSSL's `crypto.Error`). */
export class CryptoError extends OpenSSLError {
  /** `'@ossl/crypto:Error'`. */
  static override readonly brand: string = '@ossl/crypto:Error';
  static {
    brandClass(this, this.brand);
  }
}

/**
 * Converts what the addon threw into a typed error: OpenSSL failures become `ErrorClass` with the
 * queue; TypeErrors and RangeErrors from argument checks pass through unchanged.
 */
export function translateError(e: unknown, ErrorClass: new (message: string, errors: OpenSSLErrorEntry[], code: string) => OpenSSLError = CryptoError): unknown {
  if (isNativeOpenSSLError(e)) {
    const err = new ErrorClass(e.message, e.errors, e.code);
    if (e.verifyCode !== undefined) Object.assign(err, { verifyCode: e.verifyCode, verifyMessage: e.verifyMessage });
    return err;
  }
  return e;
}

/** Runs `fn`, turning OpenSSL failures into `crypto.Error`. */
export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw translateError(e);
  }
}
