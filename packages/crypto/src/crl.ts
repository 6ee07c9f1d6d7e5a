import { inspect, type InspectOptionsStylized } from 'node:util';
import { native, type CRLHandle, type RevokedHandle } from '@ossl/native';

import { FILETYPE_PEM } from './constants.js';
import { guard } from './errors.js';
import { expectFiletype, expectInteger, expectString, typeError } from './internal/args.js';
import { brandClass } from './internal/brand.js';
import { Adoption, handleOf, kHandle } from './internal/handle.js';
import { inspectFields, printable, XN_FLAG_INSPECT } from './internal/inspect.js';
import { PKey } from './pkey.js';
import { X509, asn1TimeArg, asn1TimeToDate } from './x509.js';
import { X509Name } from './x509name.js';

const revokedAdoption = new Adoption<RevokedHandle>();
const crlAdoption = new Adoption<CRLHandle>();

/** A `YYYYMMDDhhmmssZ` time as a Date for printing, or undefined (left out) when unset. */
function printedTime(text: string | null): Date | undefined {
  return text === null ? undefined : asn1TimeToDate(text);
}

/**
 * One revoked certificate in a CRL: pyOpenSSL's `Revoked` (OpenSSL `X509_REVOKED`).
 *
 * ```ts
 * const r = new Revoked();
 * r.setSerial('3ab');
 * r.setRevDate(new Date());
 * r.setReason('keyCompromise');
 * ```
 */
export class Revoked {
  #handle: RevokedHandle;

  static {
    brandClass(this, '@ossl/crypto:Revoked');
  }

  /** An empty entry, to fill in and add to a CRL with `CRL.addRevoked`. */
  constructor() {
    this.#handle = revokedAdoption.take() ?? guard(() => new native.Revoked());
  }

  /** Wraps a native handle (internal). */
  static _fromHandle(handle: RevokedHandle): Revoked {
    return revokedAdoption.adopt(handle, () => new Revoked());
  }

  /**
   * The native handle, for the other ossl packages and for the other copies of this one (the ESM
   * and CJS builds, a second installed copy): they cannot read `#handle`, but can read this.
   * @internal
   */
  get [kHandle](): RevokedHandle {
    return this.#handle;
  }

  /** The reasons `setReason` accepts: `unspecified`, `keyCompromise`, `CACompromise`, ... */
  static allReasons(): string[] {
    return [...native.CRL_REASONS];
  }

  /** The same as `Revoked.allReasons()` (pyOpenSSL calls it on an instance). */
  allReasons(): string[] {
    return Revoked.allReasons();
  }

  /** Sets the revoked certificate's serial number from hexadecimal text (`"3AB"`). */
  setSerial(hexStr: string | Buffer): void {
    const hex = Buffer.isBuffer(hexStr) ? hexStr.toString('latin1') : expectString(hexStr, 'hexStr');
    guard(() => this.#handle.setSerial(hex));
  }

  /** The serial number as upper-case hexadecimal text. */
  getSerial(): string {
    return guard(() => this.#handle.getSerial());
  }

  /**
   * Sets the reason (any of `allReasons()`, compared without case or spaces), or removes it (null).
   * @throws RangeError for an unknown reason.
   */
  setReason(reason: string | Buffer | null): void {
    if (reason !== null) reason = Buffer.isBuffer(reason) ? reason.toString('latin1') : expectString(reason, 'reason');
    guard(() => this.#handle.setReason(reason as string | null));
  }

  /** The reason as OpenSSL prints it (`Key Compromise`), or null. */
  getReason(): string | null {
    return guard(() => this.#handle.getReason());
  }

  /** Sets the revocation date (`YYYYMMDDhhmmssZ` as a string or its bytes, or a Date). */
  setRevDate(when: string | Date | Buffer): void {
    const t = asn1TimeArg(when, 'when');
    guard(() => this.#handle.setRevDate(t));
  }

  /** The revocation date as `YYYYMMDDhhmmssZ`, or null. */
  getRevDate(): string | null {
    return guard(() => this.#handle.getRevDate());
  }

  /**
   * What `util.inspect` and `console.log` print:
   * `Revoked { serial: '3AB', reason: 'Key Compromise', date: 2026-01-01T00:00:00.000Z }`.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(
      this,
      'Revoked',
      {
        serial: () => this.#handle.getSerial(),
        reason: () => this.#handle.getReason() ?? undefined,
        date: () => printedTime(this.#handle.getRevDate()),
      },
      depth,
      options,
      inspectFn,
    );
  }
}

/**
 * A certificate revocation list: pyOpenSSL's `CRL`.
 *
 * ```ts
 * const crl = new CRL();
 * const r = new Revoked();
 * r.setSerial(cert.getSerialNumber().toString(16));
 * r.setRevDate(new Date());
 * r.setReason('keyCompromise');
 * crl.addRevoked(r);
 * const pem = crl.export(caCert, caKey, FILETYPE_PEM, 30, 'sha256');
 * ```
 */
export class CRL {
  #handle: CRLHandle;

  static {
    brandClass(this, '@ossl/crypto:CRL');
  }

  /** An empty CRL, to fill in with `addRevoked` and sign with `export` (or `sign`). */
  constructor() {
    this.#handle = crlAdoption.take() ?? guard(() => new native.CRL());
  }

  /** Wraps a native handle (internal). */
  static _fromHandle(handle: CRLHandle): CRL {
    return crlAdoption.adopt(handle, () => new CRL());
  }

  /**
   * The native handle, for the other ossl packages and for the other copies of this one (the ESM
   * and CJS builds, a second installed copy): they cannot read `#handle`, but can read this.
   * @internal
   */
  get [kHandle](): CRLHandle {
    return this.#handle;
  }

  /** Copies of the revocation entries, or null when there are none. */
  getRevoked(): Revoked[] | null {
    const list = guard(() => this.#handle.getRevoked());
    return list === null ? null : list.map((h) => Revoked._fromHandle(h));
  }

  /** Adds a copy of `revoked`. */
  addRevoked(revoked: Revoked): void {
    if (!(revoked instanceof Revoked)) throw typeError('revoked', 'a Revoked', revoked);
    guard(() => this.#handle.addRevoked(handleOf(revoked, native.Revoked, 'revoked', 'a Revoked')));
  }

  /** A copy of the issuer name. */
  getIssuer(): X509Name {
    return X509Name._fromHandle(guard(() => this.#handle.getIssuer()));
  }

  /** Sets the version: 0 for v1, 1 for v2. */
  setVersion(version: number): void {
    expectInteger(version, 'version');
    guard(() => this.#handle.setVersion(version));
  }

  /** The version field. */
  getVersion(): number {
    return this.#handle.getVersion();
  }

  /** Sets lastUpdate (`YYYYMMDDhhmmssZ` as a string or its bytes, or a Date). */
  setLastUpdate(when: string | Date | Buffer): void {
    const t = asn1TimeArg(when, 'when');
    guard(() => this.#handle.setTime(0, t));
  }

  /** Sets nextUpdate (`YYYYMMDDhhmmssZ` as a string or its bytes, or a Date). */
  setNextUpdate(when: string | Date | Buffer): void {
    const t = asn1TimeArg(when, 'when');
    guard(() => this.#handle.setTime(1, t));
  }

  /** lastUpdate as `YYYYMMDDhhmmssZ`, or null (extra). */
  getLastUpdate(): string | null {
    return guard(() => this.#handle.getTime(0));
  }

  /** nextUpdate as `YYYYMMDDhhmmssZ`, or null (extra). */
  getNextUpdate(): string | null {
    return guard(() => this.#handle.getTime(1));
  }

  /** Signs with the issuer's key, taking the issuer name from its certificate. */
  sign(issuerCert: X509, issuerKey: PKey, digest: string): void {
    if (!(issuerCert instanceof X509)) throw typeError('issuerCert', 'an X509', issuerCert);
    if (!(issuerKey instanceof PKey)) throw typeError('issuerKey', 'a PKey', issuerKey);
    expectString(digest, 'digest');
    guard(() => this.#handle.sign(handleOf(issuerCert, native.X509, 'issuerCert', 'an X509'), handleOf(issuerKey, native.PKey, 'issuerKey', 'a PKey'), digest));
  }

  /** Whether `pkey` made this CRL's signature (extra). */
  verifySignature(pkey: PKey): boolean {
    if (!(pkey instanceof PKey)) throw typeError('pkey', 'a PKey', pkey);
    return guard(() => this.#handle.verifySignature(handleOf(pkey, native.PKey, 'pkey', 'a PKey')));
  }

  /**
   * Makes this a v2 CRL issued now, valid for `days`, signs it with the issuer's key and returns it in
   * `type` (pyOpenSSL `CRL.export`).
   */
  export(cert: X509, key: PKey, type: number = FILETYPE_PEM, days = 100, digest = 'sha256'): Buffer {
    if (!(cert instanceof X509)) throw typeError('cert', 'an X509', cert);
    if (!(key instanceof PKey)) throw typeError('key', 'a PKey', key);
    const t = expectFiletype(type, [1, 2, 65535]);
    expectInteger(days, 'days');
    expectString(digest, 'digest');
    const now = Date.now();
    this.setVersion(1);
    this.setLastUpdate(new Date(now));
    this.setNextUpdate(new Date(now + days * 86_400_000));
    this.sign(cert, key, digest);
    return guard(() => this.#handle.dump(t));
  }

  /**
   * What `util.inspect` and `console.log` print:
   * `CRL { issuer: 'CN=CA', lastUpdate: 2026-01-01T00:00:00.000Z, nextUpdate: ... }`.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(
      this,
      'CRL',
      {
        issuer: () => printable(this.#handle.getIssuer().print(XN_FLAG_INSPECT)),
        lastUpdate: () => printedTime(this.#handle.getTime(0)),
        nextUpdate: () => printedTime(this.#handle.getTime(1)),
      },
      depth,
      options,
      inspectFn,
    );
  }
}
