import { native } from '@ossl/native';

import { guard } from './errors.js';
import { expectBytes, expectInteger, ownOptions, typeError } from './internal/args.js';
import { kHandle } from './internal/handle.js';
import { PKey } from './pkey.js';
import { X509 } from './x509.js';

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
  export(options?: Pkcs12ExportOptions): Buffer;
  export(passphraseOrOptions: Buffer | Uint8Array | string | null | Pkcs12ExportOptions = null, iterArg?: number, maciterArg?: number): Buffer {
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
    return guard(() =>
      native.exportPkcs12(
        this.#key === null ? null : this.#key[kHandle],
        this.#cert === null ? null : this.#cert[kHandle],
        this.#ca === null ? null : this.#ca.map((c) => c[kHandle]),
        this.#friendlyName,
        passphrase,
        iter,
        maciter,
      ),
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
