import { inspect, type InspectOptionsStylized } from 'node:util';
import { native } from '@ossl/native';

import { guard, translateError } from './errors.js';
import { expectBytes, expectInteger, ownOptions, typeError } from './internal/args.js';
import { brandClass } from './internal/brand.js';
import { handleOf } from './internal/handle.js';
import { inspectFields, printable, XN_FLAG_INSPECT } from './internal/inspect.js';
import { PKey } from './pkey.js';
import { X509 } from './x509.js';

/** Options of `PKCS12.export` (pyOpenSSL's keyword arguments). */
export interface Pkcs12ExportOptions {
  /** Protects the bundle (OpenSSL 3's defaults: AES-256-CBC, PBKDF2, SHA-256 MAC); none when absent. */
  passphrase?: Buffer | string | null;
  /** Key-derivation iterations (default 2048). */
  iter?: number;
  /** MAC iterations (default 1, as pyOpenSSL). */
  maciter?: number;
}

/**
 * A PKCS#12 bundle of a key, its certificate and CA certificates: pyOpenSSL's `PKCS12`.
 *
 * ```ts
 * const p12 = new PKCS12();
 * p12.setPrivatekey(key);
 * p12.setCertificate(cert);
 * p12.setFriendlyname('server');
 * const der = p12.export({ passphrase: 'secret' });
 * ```
 */
export class PKCS12 {
  #key: PKey | null = null;
  #cert: X509 | null = null;
  #ca: X509[] | null = null;
  #friendlyName: Buffer | null = null;

  static {
    brandClass(this, '@ossl/crypto:PKCS12');
  }

  /** The certificate, or null. */
  getCertificate(): X509 | null {
    return this.#cert;
  }

  /** Sets (or with null removes) the certificate. */
  setCertificate(cert: X509 | null): void {
    if (cert !== null && !(cert instanceof X509)) throw typeError('cert', 'an X509 or null', cert);
    this.#cert = cert;
  }

  /** The private key, or null. */
  getPrivatekey(): PKey | null {
    return this.#key;
  }

  /** Sets (or with null removes) the private key. */
  setPrivatekey(pkey: PKey | null): void {
    if (pkey !== null && !(pkey instanceof PKey)) throw typeError('pkey', 'a PKey or null', pkey);
    this.#key = pkey;
  }

  /** The CA certificates, or null. */
  getCaCertificates(): X509[] | null {
    return this.#ca === null ? null : [...this.#ca];
  }

  /** Sets (or with null removes) the CA certificates. */
  setCaCertificates(cacerts: Iterable<X509> | null): void {
    if (cacerts === null) {
      this.#ca = null;
      return;
    }
    if (typeof cacerts !== 'object' || !(Symbol.iterator in cacerts)) throw typeError('cacerts', 'an array of X509 or null', cacerts);
    const list = [...cacerts];
    list.forEach((c, i) => {
      if (!(c instanceof X509)) throw typeError(`cacerts[${i}]`, 'an X509', c);
    });
    this.#ca = list;
  }

  /** The friendly name (the certificate's alias), or null. */
  getFriendlyname(): Buffer | null {
    return this.#friendlyName === null ? null : Buffer.from(this.#friendlyName);
  }

  /** Sets (or with null removes) the friendly name. */
  setFriendlyname(name: Buffer | string | null): void {
    if (name === null) {
      this.#friendlyName = null;
      return;
    }
    const bytes = expectBytes(name, 'name');
    this.#friendlyName = Buffer.from(bytes);
  }

  /**
   * The bundle in DER, as `openssl pkcs12` reads it. Called as pyOpenSSL calls it,
   * `export(passphrase, iter, maciter)`, or with an options object, `export({passphrase, iter, maciter})`.
   * @param passphrase protects the key and the MAC; null (or absent) writes no encryption and no MAC.
   * @throws RangeError when there is nothing to export; crypto.Error when OpenSSL fails.
   */
  export(passphrase?: Buffer | string | null, iter?: number, maciter?: number): Buffer;
  /** The bundle in DER, with the options as an object: `export({passphrase, iter, maciter})`. */
  export(options?: Pkcs12ExportOptions): Buffer;
  export(passphraseOrOptions: Buffer | Uint8Array | string | null | Pkcs12ExportOptions = null, iterArg?: number, maciterArg?: number): Buffer {
    const args = this.#exportArgs(passphraseOrOptions, iterArg, maciterArg);
    return guard(() => native.exportPkcs12(...args));
  }

  /**
   * `export` on Node's thread pool (DESIGN: CPU-heavy work has an async form), from copies of the key
   * and certificates taken now: the same kind of bundle, without blocking the event loop while
   * OpenSSL runs `iter` key-derivation rounds.
   */
  exportAsync(passphrase?: Buffer | string | null, iter?: number, maciter?: number): Promise<Buffer>;
  /** `exportAsync` with the options as an object: `exportAsync({passphrase, iter, maciter})`. */
  exportAsync(options?: Pkcs12ExportOptions): Promise<Buffer>;
  async exportAsync(passphraseOrOptions: Buffer | Uint8Array | string | null | Pkcs12ExportOptions = null, iterArg?: number, maciterArg?: number): Promise<Buffer> {
    const args = this.#exportArgs(passphraseOrOptions, iterArg, maciterArg);
    const pending = guard(() => native.exportPkcs12Async(...args));
    try {
      return await pending;
    } catch (e) {
      throw translateError(e);
    }
  }

  #exportArgs(
    passphraseOrOptions: Buffer | Uint8Array | string | null | Pkcs12ExportOptions,
    iterArg: number | undefined,
    maciterArg: number | undefined,
  ): Parameters<typeof native.exportPkcs12> {
    const positional = passphraseOrOptions === null || typeof passphraseOrOptions === 'string' || passphraseOrOptions instanceof Uint8Array;
    if (!positional && (typeof passphraseOrOptions !== 'object' || Array.isArray(passphraseOrOptions))) {
      throw typeError('passphrase', 'a Buffer, string, null or an options object', passphraseOrOptions);
    }
    const options: Pkcs12ExportOptions = positional
      ? { passphrase: passphraseOrOptions as Buffer | string | null, iter: iterArg, maciter: maciterArg }
      : ownOptions(passphraseOrOptions as Pkcs12ExportOptions);
    const passphrase = options.passphrase === undefined || options.passphrase === null ? null : expectBytes(options.passphrase, 'passphrase');
    const iter = options.iter === undefined ? 2048 : expectInteger(options.iter, 'iter');
    const maciter = options.maciter === undefined ? 1 : expectInteger(options.maciter, 'maciter');
    const key = this.#key === null ? null : handleOf(this.#key, native.PKey, 'pkey', 'a PKey');
    const cert = this.#cert === null ? null : handleOf(this.#cert, native.X509, 'cert', 'an X509');
    const ca = this.#ca === null ? null : this.#ca.map((c, i) => handleOf(c, native.X509, `cacerts[${i}]`, 'an X509'));
    return [key, cert, ca, this.#friendlyName, passphrase, iter, maciter];
  }

  /**
   * What `util.inspect` and `console.log` print:
   * `PKCS12 { friendlyName: 'server', certificate: 'CN=example.com', key: true, caCertificates: 1 }`.
   * No key material is printed.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(
      this,
      'PKCS12',
      {
        friendlyName: () => (this.#friendlyName === null ? undefined : printable(this.#friendlyName.toString('utf8'))),
        certificate: () => (this.#cert === null ? undefined : printable(this.#cert.getSubject().print(XN_FLAG_INSPECT))),
        key: () => this.#key !== null,
        caCertificates: () => this.#ca?.length,
      },
      depth,
      options,
      inspectFn,
    );
  }
}

/**
 * Loads a PKCS#12 bundle (pyOpenSSL `load_pkcs12`), including modern AES/PBKDF2 ones.
 * @throws crypto.Error for a wrong passphrase (`mac verify failure`) or bad data.
 */
export function loadPkcs12(buffer: Buffer | string, passphrase: Buffer | string | null = null): PKCS12 {
  const bytes = expectBytes(buffer, 'buffer');
  const pass = passphrase === null || passphrase === undefined ? null : expectBytes(passphrase, 'passphrase');
  const parts = guard(() => native.loadPkcs12(bytes, pass));
  const p12 = new PKCS12();
  if (parts.key) p12.setPrivatekey(PKey._fromHandle(parts.key));
  if (parts.cert) p12.setCertificate(X509._fromHandle(parts.cert));
  if (parts.ca) p12.setCaCertificates(parts.ca.map((h) => X509._fromHandle(h)));
  if (parts.friendlyName) p12.setFriendlyname(parts.friendlyName);
  return p12;
}
