import { isNativeOpenSSLError, type OpenSSLErrorEntry } from '@ossl/native';

export type { OpenSSLErrorEntry } from '@ossl/native';

const kBrands = Symbol.for('@ossl/error-brands');

/**
 * The base of every error that carries OpenSSL's error queue. `errors` lists the queue, oldest first,
 * as `{library, function, reason, code}` (pyOpenSSL's `Error.args[0]`); `code` is Node's
 * `ERR_OSSL_<LIB>_<REASON>` form. `instanceof` works across two installed copies of a package
 * because classes are branded with `Symbol.for` names, not compared by identity.
 */
export class OpenSSLError extends globalThis.Error {
  /** The brand that `instanceof` checks; each subclass sets its own. */
  static readonly brand: string = '@ossl/OpenSSLError';
  /** OpenSSL's error queue at the failure, oldest first. */
  readonly errors: OpenSSLErrorEntry[];
  /** `ERR_OSSL_<LIB>_<REASON>` for OpenSSL failures, or a package-specific code. */
  code: string;

  constructor(message: string, errors: OpenSSLErrorEntry[] = [], code = 'ERR_OSSL_UNKNOWN') {
    super(message);
    this.errors = errors;
    this.code = code;
    const brands: string[] = [];
    for (let c = new.target as unknown as { brand?: string } | null; c && c.brand; c = Object.getPrototypeOf(c)) {
      if (!brands.includes(c.brand)) brands.push(c.brand);
    }
    Object.defineProperty(this, kBrands, { value: brands });
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    const brands = (value as { [kBrands]?: unknown })[kBrands];
    if (Array.isArray(brands)) return brands.includes(this.brand);
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/** `crypto.Error`: an OpenSSL failure in a crypto object or function (pyOpenSSL's `crypto.Error`). */
export class CryptoError extends OpenSSLError {
  static override readonly brand: string = '@ossl/crypto:Error';
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
