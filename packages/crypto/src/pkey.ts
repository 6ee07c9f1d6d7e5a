import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { inspect, type InspectOptionsStylized } from 'node:util';
import { native, type PKeyHandle } from '@ossl/native';

import { FILETYPE_ASN1, TYPE_DSA, TYPE_EC, TYPE_ED25519, TYPE_ED448, TYPE_RSA } from './constants.js';
import { CryptoError, guard, translateError } from './errors.js';
import { expectBytes, expectInteger, expectString, typeError } from './internal/args.js';
import { brandClass } from './internal/brand.js';
import { handleOf, kHandle } from './internal/handle.js';
import { inspectFields, keyTypeName } from './internal/inspect.js';

function checkKeygenArgs(type: unknown, bitsOrCurve: unknown): void {
  expectInteger(type, 'type');
  if (type === TYPE_RSA || type === TYPE_DSA) {
    expectInteger(bitsOrCurve, 'bits');
  } else if (type === TYPE_EC) {
    expectString(bitsOrCurve, 'curve');
  } else if (type !== TYPE_ED25519 && type !== TYPE_ED448) {
    throw new RangeError(`no such key type: ${String(type)}`);
  }
}

/**
 * An asymmetric key pair or public key: pyOpenSSL's `PKey` (OpenSSL `EVP_PKEY`).
 *
 * ```ts
 * const key = new PKey();
 * key.generateKey(TYPE_EC, 'prime256v1');
 * ```
 */
export class PKey {
  #handle: PKeyHandle | null = null;

  static {
    brandClass(this, '@ossl/crypto:PKey');
  }

  /** Wraps a native handle (internal). */
  static _fromHandle(handle: PKeyHandle): PKey {
    const key = new PKey();
    key.#handle = handle;
    return key;
  }

  /** A new key of `type` (`TYPE_RSA`/`TYPE_DSA` with bits, `TYPE_EC` with a curve name, `TYPE_ED25519`). */
  static generate(type: number, bitsOrCurve?: number | string): PKey {
    const key = new PKey();
    key.generateKey(type, bitsOrCurve);
    return key;
  }

  /**
   * A new key made on the libuv thread pool, so the event loop keeps running (a 4096-bit RSA key
   * takes seconds). Arguments as `generate`.
   */
  static async generateAsync(type: number, bitsOrCurve?: number | string): Promise<PKey> {
    const key = new PKey();
    await key.generateKeyAsync(type, bitsOrCurve);
    return key;
  }

  /** A PKey from a `node:crypto` KeyObject (private or public). */
  static fromKeyObject(keyObject: KeyObject): PKey {
    if (typeof keyObject !== 'object' || keyObject === null || typeof (keyObject as KeyObject).export !== 'function' || !('type' in keyObject)) {
      throw typeError('keyObject', 'a KeyObject', keyObject);
    }
    if (keyObject.type === 'private') {
      const der = keyObject.export({ format: 'der', type: 'pkcs8' });
      return PKey._fromHandle(guard(() => native.loadPrivateKey(FILETYPE_ASN1, der)));
    }
    if (keyObject.type === 'public') {
      const der = keyObject.export({ format: 'der', type: 'spki' });
      return PKey._fromHandle(guard(() => native.loadPublicKey(FILETYPE_ASN1, der)));
    }
    throw new TypeError('"keyObject" must be an asymmetric key, got a secret key');
  }

  /**
   * The native handle, for the other ossl packages and for the other copies of this one (the ESM
   * and CJS builds, a second installed copy): they cannot read `#handle`, but can read this.
   * @internal
   */
  get [kHandle](): PKeyHandle {
    if (this.#handle === null) throw new CryptoError('the key is empty: call generateKey() first or load one', [], 'ERR_OSSL_EMPTY_KEY');
    return this.#handle;
  }

  /**
   * Generates a new key into this object (pyOpenSSL `PKey.generate_key`).
   * @param type `TYPE_RSA`, `TYPE_DSA`, `TYPE_EC`, `TYPE_ED25519` or `TYPE_ED448`.
   * @param bitsOrCurve bits for RSA/DSA; a curve name (`prime256v1`, `secp384r1`, `P-256`) for EC.
   * @throws TypeError when an argument has the wrong type; RangeError for a bad bit count, unknown
   *   type or curve; crypto.Error when OpenSSL fails.
   */
  generateKey(type: number, bitsOrCurve?: number | string): void {
    checkKeygenArgs(type, bitsOrCurve);
    this.#handle = guard(() => native.generateKey(type, bitsOrCurve));
  }

  /**
   * `generateKey` on the libuv thread pool: resolves (to this key) once the key is made.
   * @throws (rejects with) the same errors as `generateKey`.
   */
  async generateKeyAsync(type: number, bitsOrCurve?: number | string): Promise<this> {
    checkKeygenArgs(type, bitsOrCurve);
    let handle: PKeyHandle;
    try {
      handle = await native.generateKeyAsync(type, bitsOrCurve);
    } catch (e) {
      throw translateError(e);
    }
    this.#handle = handle;
    return this;
  }

  /** The key type, one of `TYPE_*` (OpenSSL's NID). */
  type(): number {
    return this[kHandle].type();
  }

  /** The key size in bits. */
  bits(): number {
    return this[kHandle].bits();
  }

  /**
   * Checks the key's consistency (pyOpenSSL `PKey.check`, OpenSSL `EVP_PKEY_check`).
   * @returns true
   * @throws crypto.Error with OpenSSL's reason when the key is inconsistent; TypeError for a
   *   public-only key (as pyOpenSSL).
   */
  check(): boolean {
    const h = this[kHandle];
    if (h.onlyPublic()) throw new TypeError('public key only');
    return guard(() => h.check());
  }

  /**
   * Starts a streaming signature over `digest` (null for Ed25519/Ed448, which sign only in one shot):
   * `signUpdate` then takes the data in pieces and `signFinal` gives the signature (M2Crypto's
   * `sign_init`, whose digest is set by `reset_context`, SHA-1 by default; here SHA-256). One stream
   * at a time per key object: starting another drops the one in progress.
   * @throws TypeError without a private key; RangeError for an unknown digest; crypto.Error when OpenSSL refuses.
   */
  signInit(digest: string | null = 'sha256'): void {
    const h = this[kHandle];
    if (digest !== null) expectString(digest, 'digest');
    if (h.onlyPublic()) throw new TypeError('a private key is needed to sign');
    guard(() => h.streamInit(1, digest));
  }

  /** Adds data to the signature started by `signInit` (M2Crypto `sign_update`). */
  signUpdate(data: Buffer | string): void {
    const bytes = expectBytes(data, 'data');
    guard(() => this[kHandle].streamUpdate(bytes));
  }

  /**
   * The signature of everything given to `signUpdate` since `signInit` (M2Crypto `sign_final`); the
   * stream ends here.
   * @throws RangeError when no signature was started; crypto.Error when OpenSSL cannot sign.
   */
  signFinal(): Buffer {
    return guard(() => this[kHandle].signFinal());
  }

  /**
   * Starts a streaming verification over `digest` (M2Crypto `verify_init`); `verifyUpdate` takes the
   * data and `verifyFinal(signature)` answers.
   * @throws RangeError for an unknown digest; crypto.Error when OpenSSL refuses.
   */
  verifyInit(digest: string | null = 'sha256'): void {
    if (digest !== null) expectString(digest, 'digest');
    const h = this[kHandle];
    guard(() => h.streamInit(2, digest));
  }

  /** Adds data to the verification started by `verifyInit` (M2Crypto `verify_update`). */
  verifyUpdate(data: Buffer | string): void {
    const bytes = expectBytes(data, 'data');
    guard(() => this[kHandle].streamUpdate(bytes));
  }

  /**
   * Whether `signature` signs everything given to `verifyUpdate` since `verifyInit` (M2Crypto
   * `verify_final`); a signature OpenSSL cannot parse is false. The stream ends here.
   * @throws TypeError when `signature` is not bytes; RangeError when no verification was started.
   */
  verifyFinal(signature: Buffer): boolean {
    const sig = expectBytes(signature, 'signature');
    return guard(() => this[kHandle].verifyFinal(sig));
  }

  /** Whether only the public half is present (a key from a certificate or `loadPublickey`). */
  isPublicOnly(): boolean {
    return this[kHandle].onlyPublic();
  }

  /** Whether both keys have the same public components. */
  equals(other: PKey): boolean {
    if (!(other instanceof PKey)) throw typeError('other', 'a PKey', other);
    return guard(() => this[kHandle].equals(handleOf(other, native.PKey, 'other', 'a PKey')));
  }

  /** The key as a `node:crypto` KeyObject (private when this key has its private half). */
  toKeyObject(): KeyObject {
    const h = this[kHandle];
    if (h.onlyPublic()) return createPublicKey({ key: guard(() => native.dumpPublicKey(FILETYPE_ASN1, h)), format: 'der', type: 'spki' });
    // PKCS#8 DER carries every key type node:crypto knows.
    const pem = guard(() => native.dumpPrivateKey(1, h));
    return createPrivateKey({ key: pem, format: 'pem' });
  }

  /**
   * What `util.inspect` and `console.log` print: `PKey { type: 'EC', bits: 256, private: true }`, or
   * `PKey { <empty> }` before a key is generated or loaded. No key material is printed.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    // A forged object (`Object.create(PKey.prototype)`) has no #handle: print it, never throw.
    if (!(#handle in this)) return inspectFields(this, 'PKey', {}, depth, options, inspectFn);
    const h = this.#handle;
    if (h === null) return inspectFields(this, 'PKey', {}, depth, options, inspectFn, 'empty');
    return inspectFields(
      this,
      'PKey',
      { type: () => keyTypeName(h.type()), bits: () => h.bits(), private: () => !h.onlyPublic() },
      depth,
      options,
      inspectFn,
    );
  }
}
