import { inspect, type InspectOptionsStylized } from 'node:util';
import { native, type X509ReqHandle } from '@ossl/native';

import { guard } from './errors.js';
import { expectInteger, expectString, typeError } from './internal/args.js';
import { brandClass } from './internal/brand.js';
import { Adoption, handleOf, kHandle } from './internal/handle.js';
import { inspectFields, keyTypeName, printable, XN_FLAG_INSPECT } from './internal/inspect.js';
import { PKey } from './pkey.js';
import { X509Extension } from './x509extension.js';
import { X509Name } from './x509name.js';

const adoption = new Adoption<X509ReqHandle>();

/**
 * A certificate signing request (PKCS#10): pyOpenSSL's `X509Req`.
 *
 * ```ts
 * const req = new X509Req();
 * req.getSubject().CN = 'example.com';
 * req.setPubkey(key);
 * req.addExtensions([new X509Extension('subjectAltName', false, 'DNS:example.com')]);
 * req.sign(key, 'sha256');
 * ```
 */
export class X509Req {
  #handle: X509ReqHandle;

  static {
    brandClass(this, '@ossl/crypto:X509Req');
  }

  /** An empty request. */
  constructor() {
    this.#handle = adoption.take() ?? guard(() => new native.X509Req());
  }

  /** Wraps a native handle (internal). */
  static _fromHandle(handle: X509ReqHandle): X509Req {
    return adoption.adopt(handle, () => new X509Req());
  }

  /**
   * The native handle, for the other ossl packages and for the other copies of this one (the ESM
   * and CJS builds, a second installed copy): they cannot read `#handle`, but can read this.
   * @internal
   */
  get [kHandle](): X509ReqHandle {
    return this.#handle;
  }

  /** Sets the public key the request asks to certify. */
  setPubkey(pkey: PKey): void {
    if (!(pkey instanceof PKey)) throw typeError('pkey', 'a PKey', pkey);
    guard(() => this.#handle.setPubkey(handleOf(pkey, native.PKey, 'pkey', 'a PKey')));
  }

  /** The public key (public-only). */
  getPubkey(): PKey {
    return PKey._fromHandle(guard(() => this.#handle.getPubkey()));
  }

  /** Sets the version; PKCS#10 defines only 0. @throws RangeError for any other value. */
  setVersion(version: number): void {
    expectInteger(version, 'version');
    guard(() => this.#handle.setVersion(version));
  }

  /** The version field. */
  getVersion(): number {
    return this.#handle.getVersion();
  }

  /** The subject: a live view (writing to it changes this request). */
  getSubject(): X509Name {
    return X509Name._fromHandle(this.#handle.getSubject());
  }

  /** Adds the extensions to request (one extensionRequest attribute; call once). */
  addExtensions(extensions: Iterable<X509Extension>): void {
    if (extensions === null || typeof extensions !== 'object' || !(Symbol.iterator in extensions)) {
      throw typeError('extensions', 'an array of X509Extension', extensions);
    }
    const list = [...extensions];
    const handles = list.map((ext, i) => {
      if (!(ext instanceof X509Extension)) throw typeError(`extensions[${i}]`, 'an X509Extension', ext);
      return handleOf(ext, native.X509Extension, `extensions[${i}]`, 'an X509Extension');
    });
    guard(() => this.#handle.addExtensions(handles));
  }

  /** The requested extensions (copies). */
  getExtensions(): X509Extension[] {
    return guard(() => this.#handle.getExtensions()).map((h) => X509Extension._fromHandle(h));
  }

  /** Signs the request with `pkey` (its own private key) using `digest`. */
  sign(pkey: PKey, digest: string | null): void {
    if (!(pkey instanceof PKey)) throw typeError('pkey', 'a PKey', pkey);
    if (digest !== null) expectString(digest, 'digest');
    guard(() => this.#handle.sign(handleOf(pkey, native.PKey, 'pkey', 'a PKey'), digest));
  }

  /**
   * Checks the signature with `pkey`.
   * @returns true
   * @throws crypto.Error with OpenSSL's reason when it does not verify (as pyOpenSSL).
   */
  verify(pkey: PKey): boolean {
    if (!(pkey instanceof PKey)) throw typeError('pkey', 'a PKey', pkey);
    return guard(() => this.#handle.verify(handleOf(pkey, native.PKey, 'pkey', 'a PKey')));
  }

  /**
   * What `util.inspect` and `console.log` print:
   * `X509Req { subject: 'CN=example.com', keyType: 'EC', bits: 256, extensions: 1 }`.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(
      this,
      'X509Req',
      {
        subject: () => printable(this.#handle.getSubject().print(XN_FLAG_INSPECT)),
        keyType: () => keyTypeName(this.#handle.getPubkey().type()),
        bits: () => this.#handle.getPubkey().bits(),
        extensions: () => this.#handle.getExtensions().length,
      },
      depth,
      options,
      inspectFn,
    );
  }
}
