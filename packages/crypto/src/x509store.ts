import { inspect, type InspectOptionsStylized } from 'node:util';
import { native, type VerifyFailure, type X509Handle, type X509StoreHandle } from '@ossl/native';

import { CRL } from './crl.js';
import { guard, translateError } from './errors.js';
import { expectInteger, typeError } from './internal/args.js';
import { brandClass } from './internal/brand.js';
import { Adoption, handleOf, kHandle } from './internal/handle.js';
import { inspectFields, printable, XN_FLAG_INSPECT } from './internal/inspect.js';
import { X509 } from './x509.js';

/** Verification flags for `X509Store.setFlags` (OpenSSL's `X509_V_FLAG_*`), as pyOpenSSL's `X509StoreFlags`. */
export const X509StoreFlags = Object.freeze({ ...native.X509StoreFlags }) as Readonly<{
  /** Check the leaf certificate against the store's CRLs (`X509_V_FLAG_CRL_CHECK`). */
  CRL_CHECK: number;
  /** With `CRL_CHECK`, check every certificate of the chain (`X509_V_FLAG_CRL_CHECK_ALL`). */
  CRL_CHECK_ALL: number;
  /** Ignore unhandled critical extensions (`X509_V_FLAG_IGNORE_CRITICAL`; unsafe). */
  IGNORE_CRITICAL: number;
  /** Apply RFC 5280's rules strictly (`X509_V_FLAG_X509_STRICT`). */
  X509_STRICT: number;
  /** Accept proxy certificates (RFC 3820) (`X509_V_FLAG_ALLOW_PROXY_CERTS`). */
  ALLOW_PROXY_CERTS: number;
  /** Check certificate policies (`X509_V_FLAG_POLICY_CHECK`). */
  POLICY_CHECK: number;
  /** Require an explicit policy (`X509_V_FLAG_EXPLICIT_POLICY`). */
  EXPLICIT_POLICY: number;
  /** Do not let anyPolicy match other policies (`X509_V_FLAG_INHIBIT_ANY`). */
  INHIBIT_ANY: number;
  /** Turn off policy mapping (`X509_V_FLAG_INHIBIT_MAP`). */
  INHIBIT_MAP: number;
  /** Report policy checking to the verify callback (`X509_V_FLAG_NOTIFY_POLICY`). */
  NOTIFY_POLICY: number;
  /** Check the signature of a self-signed root too (`X509_V_FLAG_CHECK_SS_SIGNATURE`). */
  CHECK_SS_SIGNATURE: number;
  /** Accept a chain that ends at any trusted certificate, not only a root (`X509_V_FLAG_PARTIAL_CHAIN`). */
  PARTIAL_CHAIN: number;
  /** Look for issuers in the store before the untrusted chain (`X509_V_FLAG_TRUSTED_FIRST`; OpenSSL's default). */
  TRUSTED_FIRST: number;
  /** Do not check validity periods (`X509_V_FLAG_NO_CHECK_TIME`). */
  NO_CHECK_TIME: number;
}>;

/** Purposes for `X509Store.setPurpose` (OpenSSL's `X509_PURPOSE_*`). */
export const X509Purpose = Object.freeze({ ...native.X509Purpose }) as Readonly<{
  /** A TLS client certificate (`X509_PURPOSE_SSL_CLIENT`). */
  SSL_CLIENT: number;
  /** A TLS server certificate (`X509_PURPOSE_SSL_SERVER`). */
  SSL_SERVER: number;
  /** An S/MIME signing certificate (`X509_PURPOSE_SMIME_SIGN`). */
  SMIME_SIGN: number;
  /** An S/MIME encryption certificate (`X509_PURPOSE_SMIME_ENCRYPT`). */
  SMIME_ENCRYPT: number;
  /** A CRL signing certificate (`X509_PURPOSE_CRL_SIGN`). */
  CRL_SIGN: number;
  /** Any purpose (`X509_PURPOSE_ANY`). */
  ANY: number;
}>;

/** X509_V_ERR_* numbers and their names (the constant without `X509_V_ERR_`, as node:tls codes them). */
// Generated from OpenSSL 3.0's x509_vfy.h.
export const VERIFY_ERROR_NAMES: Readonly<Record<number, string>> = Object.freeze({
  1: 'UNSPECIFIED',
  2: 'UNABLE_TO_GET_ISSUER_CERT',
  3: 'UNABLE_TO_GET_CRL',
  4: 'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  5: 'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  6: 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  7: 'CERT_SIGNATURE_FAILURE',
  8: 'CRL_SIGNATURE_FAILURE',
  9: 'CERT_NOT_YET_VALID',
  10: 'CERT_HAS_EXPIRED',
  11: 'CRL_NOT_YET_VALID',
  12: 'CRL_HAS_EXPIRED',
  13: 'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  14: 'ERROR_IN_CERT_NOT_AFTER_FIELD',
  15: 'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  16: 'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  17: 'OUT_OF_MEM',
  18: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  19: 'SELF_SIGNED_CERT_IN_CHAIN',
  20: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  21: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  22: 'CERT_CHAIN_TOO_LONG',
  23: 'CERT_REVOKED',
  24: 'NO_ISSUER_PUBLIC_KEY',
  25: 'PATH_LENGTH_EXCEEDED',
  26: 'INVALID_PURPOSE',
  27: 'CERT_UNTRUSTED',
  28: 'CERT_REJECTED',
  29: 'SUBJECT_ISSUER_MISMATCH',
  30: 'AKID_SKID_MISMATCH',
  31: 'AKID_ISSUER_SERIAL_MISMATCH',
  32: 'KEYUSAGE_NO_CERTSIGN',
  33: 'UNABLE_TO_GET_CRL_ISSUER',
  34: 'UNHANDLED_CRITICAL_EXTENSION',
  35: 'KEYUSAGE_NO_CRL_SIGN',
  36: 'UNHANDLED_CRITICAL_CRL_EXTENSION',
  37: 'INVALID_NON_CA',
  38: 'PROXY_PATH_LENGTH_EXCEEDED',
  39: 'KEYUSAGE_NO_DIGITAL_SIGNATURE',
  40: 'PROXY_CERTIFICATES_NOT_ALLOWED',
  41: 'INVALID_EXTENSION',
  42: 'INVALID_POLICY_EXTENSION',
  43: 'NO_EXPLICIT_POLICY',
  44: 'DIFFERENT_CRL_SCOPE',
  45: 'UNSUPPORTED_EXTENSION_FEATURE',
  46: 'UNNESTED_RESOURCE',
  47: 'PERMITTED_VIOLATION',
  48: 'EXCLUDED_VIOLATION',
  49: 'SUBTREE_MINMAX',
  50: 'APPLICATION_VERIFICATION',
  51: 'UNSUPPORTED_CONSTRAINT_TYPE',
  52: 'UNSUPPORTED_CONSTRAINT_SYNTAX',
  53: 'UNSUPPORTED_NAME_SYNTAX',
  54: 'CRL_PATH_VALIDATION_ERROR',
  55: 'PATH_LOOP',
  56: 'SUITE_B_INVALID_VERSION',
  57: 'SUITE_B_INVALID_ALGORITHM',
  58: 'SUITE_B_INVALID_CURVE',
  59: 'SUITE_B_INVALID_SIGNATURE_ALGORITHM',
  60: 'SUITE_B_LOS_NOT_ALLOWED',
  61: 'SUITE_B_CANNOT_SIGN_P_384_WITH_P_256',
  62: 'HOSTNAME_MISMATCH',
  63: 'EMAIL_MISMATCH',
  64: 'IP_ADDRESS_MISMATCH',
  65: 'DANE_NO_MATCH',
  66: 'EE_KEY_TOO_SMALL',
  67: 'CA_KEY_TOO_SMALL',
  68: 'CA_MD_TOO_WEAK',
  69: 'INVALID_CALL',
  70: 'STORE_LOOKUP',
  71: 'NO_VALID_SCTS',
  72: 'PROXY_SUBJECT_NAME_VIOLATION',
  73: 'OCSP_VERIFY_NEEDED',
  74: 'OCSP_VERIFY_FAILED',
  75: 'OCSP_CERT_UNKNOWN',
  76: 'UNSUPPORTED_SIGNATURE_ALGORITHM',
  77: 'SIGNATURE_ALGORITHM_MISMATCH',
  78: 'SIGNATURE_ALGORITHM_INCONSISTENCY',
  79: 'INVALID_CA',
  80: 'PATHLEN_INVALID_FOR_NON_CA',
  81: 'PATHLEN_WITHOUT_KU_KEY_CERT_SIGN',
  82: 'KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA',
  83: 'ISSUER_NAME_EMPTY',
  84: 'SUBJECT_NAME_EMPTY',
  85: 'MISSING_AUTHORITY_KEY_IDENTIFIER',
  86: 'MISSING_SUBJECT_KEY_IDENTIFIER',
  87: 'EMPTY_SUBJECT_ALT_NAME',
  88: 'EMPTY_SUBJECT_SAN_NOT_CRITICAL',
  89: 'CA_BCONS_NOT_CRITICAL',
  90: 'AUTHORITY_KEY_IDENTIFIER_CRITICAL',
  91: 'SUBJECT_KEY_IDENTIFIER_CRITICAL',
  92: 'CA_CERT_MISSING_KEY_USAGE',
  93: 'EXTENSIONS_REQUIRE_VERSION_3',
  94: 'EC_KEY_EXPLICIT_PARAMS',
});

/**
 * Chain verification failed (pyOpenSSL's `X509StoreContextError`): `errors` is `[code, depth, message]`
 * as OpenSSL reported them (`X509_V_ERR_*`, the depth in the chain, OpenSSL's text) and `certificate`
 * the certificate it failed at. `code` is the node:tls-style name, e.g. `CERT_HAS_EXPIRED`.
 */
export class X509StoreContextError extends globalThis.Error {
  /** `[code, depth, message]`: the `X509_V_ERR_*` number, the depth in the chain, OpenSSL's text. */
  readonly errors: [number, number, string];
  /** The certificate verification failed at, or null when OpenSSL did not say. */
  readonly certificate: X509 | null;
  /** The node:tls-style name of the verify error (`CERT_HAS_EXPIRED`, ...). */
  readonly code: string;
  /** The `X509_V_ERR_*` number (as `errors[0]`). */
  readonly verifyCode: number;
  /** The depth in the chain where verification failed (as `errors[1]`; 0 is the leaf). */
  readonly depth: number;

  static {
    brandClass(this, '@ossl/crypto:X509StoreContextError');
  }

  /**
   * @param message OpenSSL's text for the error.
   * @param errors `[code, depth, message]`.
   * @param certificate the certificate verification failed at, or null.
   */
  constructor(message: string, errors: [number, number, string], certificate: X509 | null) {
    super(message);
    Object.defineProperty(this, 'name', { value: 'X509StoreContextError', enumerable: false, configurable: true });
    this.errors = errors;
    this.certificate = certificate;
    this.verifyCode = errors[0];
    this.depth = errors[1];
    this.code = VERIFY_ERROR_NAMES[errors[0]] ?? `X509_V_ERR_${errors[0]}`;
  }
}

const adoption = new Adoption<X509StoreHandle>();

/**
 * Trusted certificates and CRLs plus verification settings: pyOpenSSL's `X509Store`
 * (OpenSSL `X509_STORE`).
 *
 * ```ts
 * const store = new X509Store();
 * store.addCert(caCert);
 * store.setFlags(X509StoreFlags.X509_STRICT);
 * new X509StoreContext(store, leaf).verifyCertificate();
 * ```
 */
export class X509Store {
  #handle: X509StoreHandle;

  static {
    brandClass(this, '@ossl/crypto:X509Store');
  }

  /** An empty store: nothing is trusted until `addCert`, `loadLocations` or `setDefaultPaths`. */
  constructor() {
    this.#handle = adoption.take() ?? guard(() => new native.X509Store());
  }

  /** Wraps a native handle (internal; @ossl/ssl's `Context.getCertStore`). */
  static _fromHandle(handle: X509StoreHandle): X509Store {
    return adoption.adopt(handle, () => new X509Store());
  }

  /**
   * The native handle, for the other ossl packages and for the other copies of this one (the ESM
   * and CJS builds, a second installed copy): they cannot read `#handle`, but can read this.
   * @internal
   */
  get [kHandle](): X509StoreHandle {
    return this.#handle;
  }

  /** Trusts `cert`. */
  addCert(cert: X509): void {
    if (!(cert instanceof X509)) throw typeError('cert', 'an X509', cert);
    guard(() => this.#handle.addCert(handleOf(cert, native.X509, 'cert', 'an X509')));
  }

  /** Adds a CRL for revocation checks (with `X509StoreFlags.CRL_CHECK`). */
  addCrl(crl: CRL): void {
    if (!(crl instanceof CRL)) throw typeError('crl', 'a CRL', crl);
    guard(() => this.#handle.addCrl(handleOf(crl, native.CRL, 'crl', 'a CRL')));
  }

  /** Adds `X509StoreFlags` bits. */
  setFlags(flags: number): void {
    expectInteger(flags, 'flags');
    guard(() => this.#handle.setFlags(flags));
  }

  /** Verifies as if it were `vfyTime` instead of now. */
  setTime(vfyTime: Date): void {
    if (!(vfyTime instanceof Date) || Number.isNaN(vfyTime.getTime())) throw typeError('vfyTime', 'a valid Date', vfyTime);
    guard(() => this.#handle.setTime(Math.floor(vfyTime.getTime() / 1000)));
  }

  /** The longest chain to accept (extra). */
  setDepth(depth: number): void {
    expectInteger(depth, 'depth');
    guard(() => this.#handle.setDepth(depth));
  }

  /** Checks certificates for an `X509Purpose` (extra). */
  setPurpose(purpose: number): void {
    expectInteger(purpose, 'purpose');
    guard(() => this.#handle.setPurpose(purpose));
  }

  /** Trusts the certificates in `cafile` (PEM) and/or the hashed directory `capath`. */
  loadLocations(cafile: string | null, capath: string | null = null): void {
    if (cafile !== null && typeof cafile !== 'string') throw typeError('cafile', 'a string or null', cafile);
    if (capath !== null && typeof capath !== 'string') throw typeError('capath', 'a string or null', capath);
    guard(() => this.#handle.loadLocations(cafile, capath));
  }

  /** Trusts OpenSSL's default locations (the system store). */
  setDefaultPaths(): void {
    guard(() => this.#handle.setDefaultPaths());
  }
}

/**
 * One verification of `certificate` against a store, with optional untrusted intermediates:
 * pyOpenSSL's `X509StoreContext`.
 *
 * ```ts
 * const chain = new X509StoreContext(store, leaf, [intermediate]).getVerifiedChain();
 * ```
 */
export class X509StoreContext {
  #store: X509Store;
  #certificate: X509;
  #chain: X509[] | null;

  static {
    brandClass(this, '@ossl/crypto:X509StoreContext');
  }

  /**
   * @param store the trusted certificates and settings.
   * @param certificate the certificate to verify.
   * @param chain untrusted intermediates to build the chain with, or null.
   * @throws TypeError when an argument has the wrong type.
   */
  constructor(store: X509Store, certificate: X509, chain: X509[] | null = null) {
    if (!(store instanceof X509Store)) throw typeError('store', 'an X509Store', store);
    if (!(certificate instanceof X509)) throw typeError('certificate', 'an X509', certificate);
    this.#store = store;
    this.#certificate = certificate;
    this.#chain = X509StoreContext.#checkChain(chain);
  }

  static #checkChain(chain: unknown): X509[] | null {
    if (chain === null || chain === undefined) return null;
    if (!Array.isArray(chain)) throw typeError('chain', 'an array of X509', chain);
    chain.forEach((c, i) => {
      if (!(c instanceof X509)) throw typeError(`chain[${i}]`, 'an X509', c);
    });
    return chain as X509[];
  }

  /** Uses another store for the next verification. */
  setStore(store: X509Store): void {
    if (!(store instanceof X509Store)) throw typeError('store', 'an X509Store', store);
    this.#store = store;
  }

  #handles(): [X509StoreHandle, X509Handle, X509Handle[] | null] {
    const store = handleOf(this.#store, native.X509Store, 'store', 'an X509Store');
    const certificate = handleOf(this.#certificate, native.X509, 'certificate', 'an X509');
    const chain = this.#chain?.map((c, i) => handleOf(c, native.X509, `chain[${i}]`, 'an X509')) ?? null;
    return [store, certificate, chain];
  }

  static #outcome(result: X509Handle[] | VerifyFailure): X509[] {
    if (Array.isArray(result)) return result.map((h: X509Handle) => X509._fromHandle(h));
    throw new X509StoreContextError(result.message, [result.code, result.depth, result.message], result.cert ? X509._fromHandle(result.cert) : null);
  }

  #run(): X509[] {
    const [store, certificate, chain] = this.#handles();
    return X509StoreContext.#outcome(guard(() => store.verify(certificate, chain)));
  }

  async #runAsync(): Promise<X509[]> {
    const [store, certificate, chain] = this.#handles();
    let result: X509Handle[] | VerifyFailure;
    try {
      result = await store.verifyAsync(certificate, chain);
    } catch (e) {
      throw translateError(e);
    }
    return X509StoreContext.#outcome(result);
  }

  /**
   * Verifies the certificate.
   * @throws X509StoreContextError with OpenSSL's code, depth and message when it does not verify.
   */
  verifyCertificate(): void {
    this.#run();
  }

  /**
   * Verifies the certificate and returns the chain OpenSSL built, leaf first, root last.
   * @throws X509StoreContextError when it does not verify.
   */
  getVerifiedChain(): X509[] {
    return this.#run();
  }

  /**
   * `verifyCertificate` on the libuv thread pool, from copies of the certificate and the chain (the
   * store's settings are read when it is called). While it runs, the store refuses to load
   * locations (`loadLocations`, `setDefaultPaths`, and a Context's over its store), whose lookup list
   * OpenSSL does not lock.
   * @throws (rejects with) X509StoreContextError when it does not verify.
   */
  async verifyCertificateAsync(): Promise<void> {
    await this.#runAsync();
  }

  /**
   * `getVerifiedChain` on the libuv thread pool (see `verifyCertificateAsync`).
   * @throws (rejects with) X509StoreContextError when it does not verify.
   */
  async getVerifiedChainAsync(): Promise<X509[]> {
    return this.#runAsync();
  }

  /**
   * What `util.inspect` and `console.log` print:
   * `X509StoreContext { certificate: 'CN=example.com', chain: 1 }`.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(
      this,
      'X509StoreContext',
      {
        certificate: () => printable(this.#certificate.getSubject().print(XN_FLAG_INSPECT)),
        chain: () => (this.#chain === null ? undefined : this.#chain.length),
      },
      depth,
      options,
      inspectFn,
    );
  }
}
