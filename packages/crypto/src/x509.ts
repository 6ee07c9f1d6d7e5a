import { X509Certificate } from 'node:crypto';
import { inspect, type InspectOptionsStylized } from 'node:util';
import { native, type X509Handle } from '@ossl/native';

import { FILETYPE_ASN1, FILETYPE_PEM } from './constants.js';
import { guard } from './errors.js';
import { expectInteger, expectString, typeError } from './internal/args.js';
import { brandClass } from './internal/brand.js';
import { Adoption, handleOf, kHandle } from './internal/handle.js';
import { inspectFields, printable, XN_FLAG_INSPECT } from './internal/inspect.js';
import { PKey } from './pkey.js';
import { X509Extension } from './x509extension.js';
import { X509Name } from './x509name.js';

const adoption = new Adoption<X509Handle>();

const NOT_BEFORE = 0;
const NOT_AFTER = 1;
const SUBJECT = 0;
const ISSUER = 1;

/** Parses OpenSSL's `YYYYMMDDhhmmssZ` into a Date. */
export function asn1TimeToDate(text: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw new RangeError(`invalid ASN.1 time: ${text}`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

/** Formats a Date as `YYYYMMDDhhmmssZ`. */
export function dateToAsn1Time(date: Date): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw typeError('date', 'a valid Date', date);
  return date.toISOString().replace(/\.\d{3}/, '').replace(/[-:T]/g, '');
}

/**
 * A time argument as `YYYYMMDDhhmmssZ` text: a Date, that text, or its bytes (pyOpenSSL passes
 * `bytes`). OpenSSL checks the format.
 */
export function asn1TimeArg(when: string | Date | Buffer, param: string): string {
  if (when instanceof Date) return dateToAsn1Time(when);
  if (Buffer.isBuffer(when)) return when.toString('latin1');
  if (typeof when !== 'string') throw typeError(param, 'a Date, a "YYYYMMDDhhmmssZ" string or its bytes', when);
  return when;
}

/**
 * An X.509 certificate: pyOpenSSL's `X509`.
 *
 * ```ts
 * const cert = new X509();
 * cert.setVersion(2);
 * cert.setSerialNumber(1n);
 * cert.getSubject().CN = 'example.com';
 * cert.setIssuer(cert.getSubject());
 * cert.gmtimeAdjNotBefore(0);
 * cert.gmtimeAdjNotAfter(365 * 24 * 3600);
 * cert.setPubkey(key);
 * cert.sign(key, 'sha256');
 * ```
 */
export class X509 {
  #handle: X509Handle;

  static {
    brandClass(this, '@ossl/crypto:X509');
  }

  /** An empty certificate, to fill in and sign. */
  constructor() {
    this.#handle = adoption.take() ?? guard(() => new native.X509());
  }

  /** Wraps a native handle (internal). */
  static _fromHandle(handle: X509Handle): X509 {
    return adoption.adopt(handle, () => new X509());
  }

  /** Loads a PEM certificate. */
  static fromPEM(pem: string | Buffer): X509 {
    return X509._fromHandle(guard(() => native.loadCertificate(FILETYPE_PEM, pem)));
  }

  /** Loads a DER certificate. */
  static fromDER(der: Buffer): X509 {
    return X509._fromHandle(guard(() => native.loadCertificate(FILETYPE_ASN1, der)));
  }

  /** A copy of a `node:crypto` X509Certificate. */
  static fromX509Certificate(cert: X509Certificate): X509 {
    if (!(cert instanceof X509Certificate)) throw typeError('cert', 'an X509Certificate', cert);
    return X509.fromDER(cert.raw);
  }

  /**
   * The native handle, for the other ossl packages and for the other copies of this one (the ESM
   * and CJS builds, a second installed copy): they cannot read `#handle`, but can read this.
   * @internal
   */
  get [kHandle](): X509Handle {
    return this.#handle;
  }

  /** Sets the version field: 0 for X.509 v1 ... 2 for v3. */
  setVersion(version: number): void {
    expectInteger(version, 'version');
    guard(() => this.#handle.setVersion(version));
  }

  /** The version field (2 means X.509 v3). */
  getVersion(): number {
    return this.#handle.getVersion();
  }

  /** Sets the serial number (any size; negative numbers are allowed as OpenSSL allows them). */
  setSerialNumber(serial: bigint | number): void {
    let n: bigint;
    if (typeof serial === 'bigint') n = serial;
    else if (typeof serial === 'number' && Number.isSafeInteger(serial)) n = BigInt(serial);
    else throw typeError('serial', 'a bigint or an integer', serial);
    const hex = n < 0n ? `-${(-n).toString(16)}` : n.toString(16);
    guard(() => this.#handle.setSerialHex(hex));
  }

  /** The serial number. */
  getSerialNumber(): bigint {
    const hex = guard(() => this.#handle.getSerialHex());
    return hex.startsWith('-') ? -BigInt(`0x${hex.slice(1)}`) : BigInt(`0x${hex}`);
  }

  /** Sets notBefore to now plus `amount` seconds (negative for the past). */
  gmtimeAdjNotBefore(amount: number): void {
    expectInteger(amount, 'amount');
    guard(() => this.#handle.gmtimeAdj(NOT_BEFORE, amount));
  }

  /** Sets notAfter to now plus `amount` seconds. */
  gmtimeAdjNotAfter(amount: number): void {
    expectInteger(amount, 'amount');
    guard(() => this.#handle.gmtimeAdj(NOT_AFTER, amount));
  }

  /** notBefore as `YYYYMMDDhhmmssZ`, or null when unset. */
  getNotBefore(): string | null {
    return guard(() => this.#handle.getTime(NOT_BEFORE));
  }

  /** Sets notBefore from `YYYYMMDDhhmmssZ` (a string or its bytes, as pyOpenSSL takes) or a Date. */
  setNotBefore(when: string | Date | Buffer): void {
    const text = asn1TimeArg(when, 'when');
    guard(() => this.#handle.setTime(NOT_BEFORE, text));
  }

  /** notAfter as `YYYYMMDDhhmmssZ`, or null when unset. */
  getNotAfter(): string | null {
    return guard(() => this.#handle.getTime(NOT_AFTER));
  }

  /** Sets notAfter from `YYYYMMDDhhmmssZ` (a string or its bytes, as pyOpenSSL takes) or a Date. */
  setNotAfter(when: string | Date | Buffer): void {
    const text = asn1TimeArg(when, 'when');
    guard(() => this.#handle.setTime(NOT_AFTER, text));
  }

  /** notBefore as a Date, or null. */
  get notBefore(): Date | null {
    const t = this.getNotBefore();
    return t === null ? null : asn1TimeToDate(t);
  }

  /** notAfter as a Date, or null. */
  get notAfter(): Date | null {
    const t = this.getNotAfter();
    return t === null ? null : asn1TimeToDate(t);
  }

  /** Whether notAfter is in the past. */
  hasExpired(): boolean {
    return guard(() => this.#handle.hasExpired());
  }

  /** The subject name: a live view (writing to it changes this certificate). */
  getSubject(): X509Name {
    return X509Name._ofCertificate(this.#handle, SUBJECT);
  }

  /** Sets the subject to a copy of `name`. */
  setSubject(name: X509Name): void {
    if (!(name instanceof X509Name)) throw typeError('subject', 'an X509Name', name);
    guard(() => this.#handle.setName(SUBJECT, handleOf(name, native.X509Name, 'subject', 'an X509Name')));
  }

  /** The issuer name: a live view. */
  getIssuer(): X509Name {
    return X509Name._ofCertificate(this.#handle, ISSUER);
  }

  /** Sets the issuer to a copy of `name`. */
  setIssuer(name: X509Name): void {
    if (!(name instanceof X509Name)) throw typeError('issuer', 'an X509Name', name);
    guard(() => this.#handle.setName(ISSUER, handleOf(name, native.X509Name, 'issuer', 'an X509Name')));
  }

  /** The public key (a public-only PKey). */
  getPubkey(): PKey {
    return PKey._fromHandle(guard(() => this.#handle.getPubkey()));
  }

  /** Sets the public key. */
  setPubkey(pkey: PKey): void {
    if (!(pkey instanceof PKey)) throw typeError('pkey', 'a PKey', pkey);
    guard(() => this.#handle.setPubkey(handleOf(pkey, native.PKey, 'pkey', 'a PKey')));
  }

  /** Appends extensions. */
  addExtensions(extensions: Iterable<X509Extension>): void {
    if (extensions === null || typeof extensions !== 'object' || !(Symbol.iterator in extensions)) {
      throw typeError('extensions', 'an array of X509Extension', extensions);
    }
    const list = [...extensions];
    const handles = list.map((ext, i) => {
      if (!(ext instanceof X509Extension)) throw typeError(`extensions[${i}]`, 'an X509Extension', ext);
      return handleOf(ext, native.X509Extension, `extensions[${i}]`, 'an X509Extension');
    });
    for (const h of handles) guard(() => this.#handle.addExtension(h));
  }

  /** The number of extensions. */
  getExtensionCount(): number {
    return this.#handle.getExtensionCount();
  }

  /**
   * The extension at `index` (a copy).
   * @throws RangeError when `index` is out of bounds.
   */
  getExtension(index: number): X509Extension {
    expectInteger(index, 'index');
    return X509Extension._fromHandle(guard(() => this.#handle.getExtension(index)));
  }

  /**
   * The first extension of a type, by its short or long name or dotted OID (`subjectAltName`,
   * `X509v3 Subject Alternative Name`, `2.5.29.17`), or null when the certificate has none
   * (M2Crypto's `get_ext`, which raises instead).
   * @throws TypeError when `name` is not a string; RangeError for a name OpenSSL does not know.
   */
  getExtensionByName(name: string): X509Extension | null {
    expectString(name, 'name');
    const index = guard(() => this.#handle.findExtension(name));
    return index < 0 ? null : this.getExtension(index);
  }

  /**
   * Whether OpenSSL takes this certificate for a CA (M2Crypto's `check_ca`, `X509_check_ca`): 0 no;
   * 1 by basicConstraints CA:TRUE (and keyUsage, if present); 3 a self-signed X.509 v1 certificate;
   * 4 by Netscape certificate type; 5 other (an X.509 v1 certificate is not enough on its own).
   */
  checkCa(): number {
    return guard(() => this.#handle.checkCa());
  }

  /**
   * Whether the certificate may serve `purpose` (one of the `X509_PURPOSE_*` constants), as a CA
   * when `ca` is true or as an end entity otherwise: OpenSSL's `X509_check_purpose`, which reads
   * basicConstraints, keyUsage, extendedKeyUsage and Netscape certificate type (M2Crypto's
   * `check_purpose`).
   * @throws TypeError when the arguments have the wrong types; RangeError for an unknown purpose.
   */
  checkPurpose(purpose: number, ca = false): boolean {
    expectInteger(purpose, 'purpose');
    if (typeof ca !== 'boolean') throw typeError('ca', 'a boolean', ca);
    return guard(() => this.#handle.checkPurpose(purpose, ca ? 1 : 0));
  }

  /**
   * Signs the certificate with `pkey` using `digest` (e.g. `sha256`; null for Ed25519/Ed448).
   * @throws RangeError for an unknown digest; crypto.Error when OpenSSL cannot sign.
   */
  sign(pkey: PKey, digest: string | null): void {
    if (!(pkey instanceof PKey)) throw typeError('pkey', 'a PKey', pkey);
    if (digest !== null) expectString(digest, 'digest');
    guard(() => this.#handle.sign(handleOf(pkey, native.PKey, 'pkey', 'a PKey'), digest));
  }

  /** The signature algorithm's long name, e.g. `sha256WithRSAEncryption`. */
  getSignatureAlgorithm(): string {
    return guard(() => this.#handle.getSignatureAlgorithm());
  }

  /** The fingerprint with `digestName` as `AB:CD:...` (upper-case hex). */
  digest(digestName: string): string {
    expectString(digestName, 'digestName');
    return guard(() => this.#handle.digest(digestName));
  }

  /** OpenSSL's hash of the subject (`openssl x509 -subject_hash`). */
  subjectNameHash(): number {
    return guard(() => this.#handle.subjectNameHash());
  }

  /** Whether `issuerKey` made this certificate's signature (`X509_verify`). */
  verifySignature(issuerKey: PKey): boolean {
    if (!(issuerKey instanceof PKey)) throw typeError('issuerKey', 'a PKey', issuerKey);
    return guard(() => this.#handle.verifySignature(handleOf(issuerKey, native.PKey, 'issuerKey', 'a PKey')));
  }

  /**
   * Whether the certificate is valid for `hostname` (a DNS name, matched with OpenSSL's own
   * X509_check_host, wildcards included; or an IP address, matched against iPAddress names) (extra).
   */
  checkHost(hostname: string): boolean {
    expectString(hostname, 'hostname');
    return guard(() => this.#handle.checkHost(hostname));
  }

  /** The certificate as a `node:crypto` X509Certificate. */
  toX509Certificate(): X509Certificate {
    return new X509Certificate(guard(() => this.#handle.dump(FILETYPE_ASN1)));
  }

  /**
   * What `util.inspect` and `console.log` print: `X509 { subject: 'CN=example.com', issuer: 'CN=CA',
   * serial: '0x2a', notBefore: 2026-01-01T00:00:00.000Z, notAfter: ..., sha256: 'AB:CD:...' }` on
   * one line (the fingerprint cut to its first 8 bytes; `digest('sha256')` gives all of it). A field
   * that cannot be read (an unsigned, half-built certificate has no fingerprint) is left out.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(
      this,
      'X509',
      {
        subject: () => printable(this.#handle.getName(SUBJECT).print(XN_FLAG_INSPECT)),
        issuer: () => printable(this.#handle.getName(ISSUER).print(XN_FLAG_INSPECT)),
        serial: () => {
          const n = this.getSerialNumber();
          return n < 0n ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
        },
        notBefore: () => this.notBefore ?? undefined,
        notAfter: () => this.notAfter ?? undefined,
        sha256: () => `${this.#handle.digest('sha256').slice(0, 23)}…`,
      },
      depth,
      options,
      inspectFn,
    );
  }
}
