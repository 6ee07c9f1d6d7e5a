import { inspect, type InspectOptionsStylized } from 'node:util';
import { native, type OcspBasicFields, type OcspCertIdFields, type OcspStatusFields } from '@ossl/native';

import { CryptoError, guard } from './errors.js';
import { expectByteArray, expectInstance, expectInteger, expectString, ownOptions, typeError } from './internal/args.js';
import { brandClass } from './internal/brand.js';
import { handleOf } from './internal/handle.js';
import { inspectFields } from './internal/inspect.js';
import { PKey } from './pkey.js';
import { asn1TimeToDate, dateToAsn1Time, X509 } from './x509.js';
import { X509Name } from './x509name.js';
import { X509Store } from './x509store.js';

/** Flags of `OCSPResponse.verify` and `OCSPResponse.build` (OpenSSL's `OCSP_*` flags). */
export const OCSPFlags = Object.freeze({ ...native.OCSPFlags }) as Readonly<{
  /** build: leave the signer's certificate out of the response. */
  NOCERTS: number;
  /** verify: do not look for the signer among the certificates inside the response. */
  NOINTERN: number;
  /** verify: do not check the signature (unsafe). */
  NOSIGS: number;
  /** verify: do not use the certificates inside the response to build the signer's chain. */
  NOCHAIN: number;
  /** verify: do not verify the signer's chain (unsafe). */
  NOVERIFY: number;
  /** verify: do not accept a signer trusted directly by the store. */
  NOEXPLICIT: number;
  /** OpenSSL 3 ignores it (it once refused the issuing CA as the signer); listed because OpenSSL defines it. */
  NOCASIGN: number;
  /** OpenSSL 3 ignores it (it once refused delegated responders); listed because OpenSSL defines it. */
  NODELEGATED: number;
  /** verify: do not check that the signer may sign for the certificates (unsafe). */
  NOCHECKS: number;
  /** verify: trust the `certificates` passed (as the openssl CLI's `-trust_other`). */
  TRUSTOTHER: number;
  /** build: name the responder by its key hash instead of its name. */
  RESPID_KEY: number;
  /** build: leave producedAt out (not a valid response; for tests of peers). */
  NOTIME: number;
}>;

/** A certificate's status in an OCSP response. */
export type OCSPCertStatus = 'good' | 'revoked' | 'unknown';

/** The revocation reasons of RFC 5280 (CRLReason), as OpenSSL names them. */
export type OCSPRevocationReason =
  | 'unspecified'
  | 'keyCompromise'
  | 'cACompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold'
  | 'removeFromCRL'
  | 'privilegeWithdrawn'
  | 'aACompromise';

/** CRLReason code of each name (7 is unused by RFC 5280). */
const REASON_CODES: Readonly<Record<OCSPRevocationReason, number>> = Object.freeze({
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
});

const CERT_STATUS_CODES: Readonly<Record<OCSPCertStatus, number>> = Object.freeze({ good: 0, revoked: 1, unknown: 2 });

/** The responseStatus of an OCSP response (RFC 6960), by name. */
export type OCSPResponseStatusName = 'successful' | 'malformedRequest' | 'internalError' | 'tryLater' | 'sigRequired' | 'unauthorized';

/** responseStatus values by name (4 is unused by RFC 6960). */
export const OCSP_RESPONSE_STATUS: Readonly<Record<OCSPResponseStatusName, number>> = Object.freeze({
  successful: 0,
  malformedRequest: 1,
  internalError: 2,
  tryLater: 3,
  sigRequired: 5,
  unauthorized: 6,
});

function statusName(code: number): OCSPResponseStatusName | null {
  for (const [name, value] of Object.entries(OCSP_RESPONSE_STATUS)) if (value === code) return name as OCSPResponseStatusName;
  return null;
}

function serialOf(hex: string): bigint {
  return hex.startsWith('-') ? -BigInt(`0x${hex.slice(1)}`) : BigInt(`0x${hex}`);
}

const bytesOf = (value: unknown, param: string): Buffer => expectByteArray(value, param);
const expectX509 = (value: unknown, param: string): X509 => expectInstance(value, X509, param, 'an X509');

function expectDate(value: unknown, param: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw typeError(param, 'a valid Date', value);
  return value;
}

function optionalCerts(value: unknown, param: string): X509[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) throw typeError(param, 'an array of X509', value);
  return value.map((c, i) => expectX509(c, `${param}[${i}]`));
}

/**
 * The CertID an OCSP request and response name a certificate by: hashes of its issuer's name and
 * key, and its serial number.
 */
export class OCSPCertId {
  /** The hash the ids were made with (`sha1` unless asked otherwise). */
  readonly hashAlgorithm: string;
  /** The hash of the issuer's name (DER). */
  readonly issuerNameHash: Buffer;
  /** The hash of the issuer's public key (the BIT STRING's bytes). */
  readonly issuerKeyHash: Buffer;
  /** The certificate's serial number. */
  readonly serialNumber: bigint;
  readonly #der: Buffer;

  static {
    brandClass(this, '@ossl/crypto:OCSPCertId');
  }

  private constructor(fields: OcspCertIdFields) {
    // OpenSSL's short names are SHA1, SHA256: written as node:crypto and the openssl CLI write them.
    this.hashAlgorithm = fields.hashAlgorithm.toLowerCase();
    this.issuerNameHash = fields.issuerNameHash;
    this.issuerKeyHash = fields.issuerKeyHash;
    this.serialNumber = serialOf(fields.serialHex);
    this.#der = fields.der;
    Object.freeze(this);
  }

  /** @internal */
  static _fromFields(fields: OcspCertIdFields): OCSPCertId {
    return new OCSPCertId(fields);
  }

  /**
   * The id of `cert`, issued by `issuer` (OpenSSL's `OCSP_cert_to_id`).
   * @param digest the hash for the issuer's name and key: `sha1` (the default, what responders expect) or another.
   * @throws TypeError for a wrong type; RangeError for an unknown digest.
   */
  static create(cert: X509, issuer: X509, digest = 'sha1'): OCSPCertId {
    const c = handleOf(expectX509(cert, 'cert'), native.X509, 'cert', 'an X509');
    const i = handleOf(expectX509(issuer, 'issuer'), native.X509, 'issuer', 'an X509');
    expectString(digest, 'digest');
    return new OCSPCertId(guard(() => native.ocspCertId(c, i, digest)));
  }

  /**
   * Decodes a DER CertID.
   * @throws crypto.Error for bytes that are not one.
   */
  static fromDER(der: Buffer | Uint8Array): OCSPCertId {
    const bytes = bytesOf(der, 'der');
    return new OCSPCertId(guard(() => native.ocspCertIdInfo(bytes)));
  }

  /** The DER encoding. */
  toDER(): Buffer {
    return Buffer.from(this.#der);
  }

  /** Whether `other` names the same certificate with the same hash. */
  equals(other: OCSPCertId): boolean {
    if (!(other instanceof OCSPCertId)) throw typeError('other', 'an OCSPCertId', other);
    return (
      this.hashAlgorithm === other.hashAlgorithm &&
      this.serialNumber === other.serialNumber &&
      this.issuerNameHash.equals(other.issuerNameHash) &&
      this.issuerKeyHash.equals(other.issuerKeyHash)
    );
  }

  /** What `util.inspect` prints: `OCSPCertId { hashAlgorithm: 'sha1', serialNumber: 4096n }`. */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(this, 'OCSPCertId', { hashAlgorithm: () => this.hashAlgorithm, serialNumber: () => this.serialNumber }, depth, options, inspectFn);
  }
}

/** What an OCSP request asks about: a certificate with its issuer, or a CertID. */
export type OCSPTarget =
  | {
      /** The certificate. */
      cert: X509;
      /** Its issuer. */
      issuer: X509;
    }
  | OCSPCertId;

/** Options of `OCSPRequest.create`. */
export interface OCSPRequestOptions {
  /** A nonce against replay: true for 16 random bytes (the default), false for none, or its bytes (1 to 128). */
  nonce?: boolean | Buffer | Uint8Array;
  /** The hash of the CertIDs made from certificates (default `sha1`). */
  digest?: string;
  /** Signs the request (rarely required by responders). */
  signer?: {
    /** The requestor's certificate. */
    cert: X509;
    /** Its private key. */
    key: PKey;
    /** The signature's digest (default: the key's default, SHA-256 for RSA and EC). */
    digest?: string | null;
    /** Certificates to include besides the signer's. */
    certificates?: X509[];
    /** Include the signer's certificate (default true, as the openssl CLI). */
    includeSigner?: boolean;
  };
}

function certIdOf(target: unknown, param: string, digest: string): OCSPCertId {
  if (target instanceof OCSPCertId) return target;
  if (target === null || typeof target !== 'object') throw typeError(param, 'an OCSPCertId or {cert, issuer}', target);
  const t = ownOptions(target as Record<string, unknown>);
  return OCSPCertId.create(expectX509(t.cert, `${param}.cert`), expectX509(t.issuer, `${param}.issuer`), digest);
}

/**
 * An OCSP request (RFC 6960): which certificates' status is asked, and an optional nonce.
 *
 * ```ts
 * const req = OCSPRequest.create({ cert: leaf, issuer: ca });
 * const res = await fetch(url, { method: 'POST', body: req.toDER(), headers: { 'content-type': 'application/ocsp-request' } });
 * const resp = OCSPResponse.fromDER(Buffer.from(await res.arrayBuffer()));
 * ```
 */
export class OCSPRequest {
  readonly #der: Buffer;
  readonly #info: { certIds: OcspCertIdFields[]; nonce: Buffer | null; signed: boolean };

  static {
    brandClass(this, '@ossl/crypto:OCSPRequest');
  }

  private constructor(der: Buffer) {
    this.#der = der;
    this.#info = guard(() => native.ocspRequestInfo(der));
  }

  /**
   * A request for one certificate or several.
   * @throws TypeError for wrong types; RangeError for a bad nonce or digest name.
   */
  static create(targets: OCSPTarget | OCSPTarget[], requestOptions: OCSPRequestOptions = {}): OCSPRequest {
    const options = ownOptions(requestOptions);
    const digest = options.digest === undefined ? 'sha1' : expectString(options.digest, 'digest');
    const list = Array.isArray(targets) ? targets : [targets];
    if (list.length === 0) throw new RangeError('"targets" must name at least one certificate');
    const ids = list.map((t, i) => certIdOf(t, Array.isArray(targets) ? `targets[${i}]` : 'targets', digest).toDER());
    let nonce: Buffer | boolean = true;
    if (options.nonce !== undefined) nonce = typeof options.nonce === 'boolean' ? options.nonce : bytesOf(options.nonce, 'nonce');
    let signer: Parameters<typeof native.ocspRequestCreate>[2] = null;
    if (options.signer !== undefined && options.signer !== null) {
      const s = ownOptions(options.signer);
      if (!(s.key instanceof PKey)) throw typeError('signer.key', 'a PKey', s.key);
      const digestName = s.digest === undefined || s.digest === null ? null : expectString(s.digest, 'signer.digest');
      if (s.includeSigner !== undefined && typeof s.includeSigner !== 'boolean') throw typeError('signer.includeSigner', 'a boolean', s.includeSigner);
      signer = {
        cert: handleOf(expectX509(s.cert, 'signer.cert'), native.X509, 'signer.cert', 'an X509'),
        key: handleOf(s.key, native.PKey, 'signer.key', 'a PKey'),
        digest: digestName,
        certs: optionalCerts(s.certificates, 'signer.certificates')?.map((c, i) => handleOf(c, native.X509, `signer.certificates[${i}]`, 'an X509')) ?? null,
        includeSigner: s.includeSigner ?? true,
      };
    }
    return new OCSPRequest(guard(() => native.ocspRequestCreate(ids, nonce, signer)));
  }

  /**
   * Decodes a DER request (what a responder receives).
   * @throws crypto.Error with OpenSSL's reason for bytes that are not one.
   */
  static fromDER(der: Buffer | Uint8Array): OCSPRequest {
    return new OCSPRequest(Buffer.from(bytesOf(der, 'der')));
  }

  /** The DER encoding (the body of an HTTP POST, `application/ocsp-request`). */
  toDER(): Buffer {
    return Buffer.from(this.#der);
  }

  /** The certificates asked about. */
  getCertIds(): OCSPCertId[] {
    return this.#info.certIds.map((f) => OCSPCertId._fromFields(f));
  }

  /** The nonce, or null. */
  getNonce(): Buffer | null {
    return this.#info.nonce === null ? null : Buffer.from(this.#info.nonce);
  }

  /** Whether the request is signed. */
  isSigned(): boolean {
    return this.#info.signed;
  }

  /** What `util.inspect` prints: `OCSPRequest { certificates: 1, nonce: true }`. */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(this, 'OCSPRequest', { certificates: () => this.#info.certIds.length, nonce: () => this.#info.nonce !== null }, depth, options, inspectFn);
  }
}

/** One certificate's status in an OCSP response. */
export interface OCSPSingleResponse {
  /** The certificate it is about. */
  certId: OCSPCertId;
  /** good, revoked or unknown. */
  status: OCSPCertStatus;
  /** When it was revoked (revoked only). */
  revocationTime: Date | null;
  /** Why it was revoked, when the responder says (revoked only). */
  revocationReason: string | null;
  /** When this status was known to be correct. */
  thisUpdate: Date;
  /** When newer information will be available, or null. */
  nextUpdate: Date | null;
}

function singleOf(fields: OcspStatusFields, certId: OCSPCertId): OCSPSingleResponse {
  return Object.freeze({
    certId,
    status: fields.status,
    revocationTime: fields.revocationTime === null ? null : asn1TimeToDate(fields.revocationTime),
    revocationReason: fields.revocationReason,
    thisUpdate: asn1TimeToDate(fields.thisUpdate),
    nextUpdate: fields.nextUpdate === null ? null : asn1TimeToDate(fields.nextUpdate),
  });
}

/** Options of `OCSPResponse.verify`. */
export interface OCSPVerifyOptions {
  /** Untrusted certificates that may hold the signer or its chain (a TLS peer's chain, say). */
  certificates?: X509[];
  /** `OCSPFlags` bits (default 0: OpenSSL's full checks). */
  flags?: number;
}

/** Options of `OCSPResponse.getStatus`. */
export interface OCSPStatusOptions {
  /** Seconds of clock difference tolerated on thisUpdate and nextUpdate (default 300). */
  clockSkew?: number;
  /** The oldest thisUpdate accepted, in seconds before now (`OCSP_check_validity`'s maxsec); -1 (the default) for any. */
  maxAge?: number;
}

/** One certificate's status for `OCSPResponse.build`. */
export type OCSPStatusSpec = (
  | {
      /** The certificate, by id. */
      certId: OCSPCertId;
    }
  | {
      /** The certificate. */
      cert: X509;
      /** Its issuer. */
      issuer: X509;
    }
) & {
  /** good, revoked or unknown. */
  status: OCSPCertStatus;
  /** When it was revoked (required for revoked). */
  revocationTime?: Date;
  /** Why, if the responder says. */
  revocationReason?: OCSPRevocationReason | null;
  /** Default: now. */
  thisUpdate?: Date;
  /** Default: none. */
  nextUpdate?: Date | null;
};

/** Options of `OCSPResponse.build`. */
export interface OCSPBuildOptions {
  /** The statuses to sign, one per certificate. */
  responses: OCSPStatusSpec[];
  /** The responder's certificate: the issuing CA, or a delegated responder it issued with the OCSPSigning usage. */
  signer: X509;
  /** The responder's private key. */
  key: PKey;
  /** The signature's digest (default: the key's default, SHA-256 for RSA and EC). */
  digest?: string | null;
  /** Certificates to include besides the signer's (a delegated responder's chain); included with or without `includeSigner`. */
  certificates?: X509[];
  /** The request answered: its nonce is copied (a request without one is answered without one). */
  request?: OCSPRequest;
  /** Name the responder by its key hash (`'key'`) or by its name (`'name'`, the default). */
  responderId?: 'name' | 'key';
  /** Include the signer's certificate (default true). */
  includeSigner?: boolean;
  /** The hash of the CertIDs made from certificates (default `sha1`). */
  idDigest?: string;
}

/**
 * An OCSP response (RFC 6960): parsed from DER, verified with OpenSSL's `OCSP_basic_verify`
 * (delegated responders included), and built and signed for responders and servers that staple.
 *
 * ```ts
 * const resp = OCSPResponse.fromDER(der);
 * resp.verify(store);                          // the signature, the signer's chain and authority
 * const s = resp.getStatus(leaf, issuer);      // thisUpdate/nextUpdate checked, with a clock skew
 * if (s?.status !== 'good') throw new Error('revoked or unknown');
 * ```
 */
export class OCSPResponse {
  /** responseStatus: `OCSP_RESPONSE_STATUS.successful` (0), or the error a responder gave. */
  readonly status: number;
  /** The status by name (`'successful'`, `'tryLater'`, ...), or null for a value RFC 6960 does not define. */
  readonly statusName: OCSPResponseStatusName | null;
  /** When the responder signed it (null when not successful). */
  readonly producedAt: Date | null;
  /** The responder, by name (null when named by key, or not successful). */
  readonly responderName: X509Name | null;
  /** The responder, by the SHA-1 of its key (null when named by name, or not successful). */
  readonly responderKeyHash: Buffer | null;
  /** One status per certificate (empty when not successful). */
  readonly responses: readonly OCSPSingleResponse[];
  /** The certificates the responder included (its own, a delegated responder's chain). */
  readonly certificates: readonly X509[];
  /** The nonce, or null. */
  readonly nonce: Buffer | null;
  /** The signature algorithm's name (`sha256WithRSAEncryption`), or null when not successful. */
  readonly signatureAlgorithm: string | null;
  readonly #der: Buffer;

  static {
    brandClass(this, '@ossl/crypto:OCSPResponse');
  }

  private constructor(der: Buffer) {
    this.#der = der;
    const info = guard(() => native.ocspResponseInfo(der));
    this.status = info.status;
    this.statusName = statusName(info.status);
    const basic: OcspBasicFields | null = info.basic;
    this.producedAt = basic ? asn1TimeToDate(basic.producedAt) : null;
    this.responderName = basic?.responderName ? X509Name._fromHandle(basic.responderName) : null;
    this.responderKeyHash = basic?.responderKeyHash ?? null;
    this.responses = Object.freeze(basic ? basic.responses.map((r) => singleOf(r, OCSPCertId._fromFields(r.certId))) : []);
    this.certificates = Object.freeze(basic ? basic.certificates.map((h) => X509._fromHandle(h)) : []);
    this.nonce = basic?.nonce ?? null;
    this.signatureAlgorithm = basic?.signatureAlgorithm ?? null;
  }

  /**
   * Decodes a DER response (from a responder, or stapled in a TLS handshake).
   * @throws crypto.Error with OpenSSL's reason for bytes that are not one.
   */
  static fromDER(der: Buffer | Uint8Array): OCSPResponse {
    return new OCSPResponse(Buffer.from(bytesOf(der, 'der')));
  }

  /**
   * An unsuccessful response, which carries only its status (`'malformedRequest'`, `'internalError'`,
   * `'tryLater'`, `'sigRequired'`, `'unauthorized'`).
   * @throws RangeError for `'successful'` (use `build`) or an unknown name.
   */
  static fromStatus(status: Exclude<OCSPResponseStatusName, 'successful'>): OCSPResponse {
    expectString(status, 'status');
    const code = (OCSP_RESPONSE_STATUS as Record<string, number>)[status];
    if (code === undefined || !Object.hasOwn(OCSP_RESPONSE_STATUS, status)) throw new RangeError(`unknown OCSP response status "${status}"`);
    if (code === 0) throw new RangeError('a successful response is made by OCSPResponse.build');
    return new OCSPResponse(guard(() => native.ocspResponseCreate(code, null)));
  }

  /**
   * Builds and signs a successful response (`OCSP_basic_sign`), for a test responder or a server that staples.
   * @throws TypeError for wrong types; RangeError for bad values; crypto.Error when OpenSSL refuses (a key that does not match the signer).
   */
  static build(buildOptions: OCSPBuildOptions): OCSPResponse {
    const options = ownOptions(buildOptions);
    if (!Array.isArray(options.responses) || options.responses.length === 0) throw typeError('responses', 'a non-empty array', options.responses);
    const idDigest = options.idDigest === undefined ? 'sha1' : expectString(options.idDigest, 'idDigest');
    const responses = options.responses.map((entry: unknown, i: number) => {
      const param = `responses[${i}]`;
      if (entry === null || typeof entry !== 'object') throw typeError(param, 'an object', entry);
      const e = ownOptions(entry as OCSPStatusSpec);
      const certId = 'certId' in e && e.certId !== undefined ? certIdOf(e.certId, `${param}.certId`, idDigest) : certIdOf(e, param, idDigest);
      const status = e.status;
      if (typeof status !== 'string' || !Object.hasOwn(CERT_STATUS_CODES, status)) throw typeError(`${param}.status`, "'good', 'revoked' or 'unknown'", status);
      let reason = -1;
      if (e.revocationReason !== undefined && e.revocationReason !== null) {
        if (typeof e.revocationReason !== 'string' || !Object.hasOwn(REASON_CODES, e.revocationReason)) {
          throw new RangeError(`"${param}.revocationReason" must be one of ${Object.keys(REASON_CODES).join(', ')}, got ${String(e.revocationReason)}`);
        }
        reason = REASON_CODES[e.revocationReason];
      }
      let revocationTime: string | null = null;
      if (status === 'revoked') {
        if (e.revocationTime === undefined) throw new RangeError(`"${param}.revocationTime" is required for a revoked certificate`);
        revocationTime = dateToAsn1Time(expectDate(e.revocationTime, `${param}.revocationTime`));
      } else if (e.revocationTime !== undefined || reason !== -1) {
        throw new RangeError(`"${param}": only a revoked certificate has a revocation time or reason`);
      }
      const thisUpdate = e.thisUpdate === undefined ? new Date() : expectDate(e.thisUpdate, `${param}.thisUpdate`);
      const nextUpdate = e.nextUpdate === undefined || e.nextUpdate === null ? null : expectDate(e.nextUpdate, `${param}.nextUpdate`);
      if (nextUpdate !== null && nextUpdate.getTime() < thisUpdate.getTime()) throw new RangeError(`"${param}.nextUpdate" is before its thisUpdate`);
      return {
        certId: certId.toDER(),
        status: CERT_STATUS_CODES[status as OCSPCertStatus],
        reason,
        revocationTime,
        thisUpdate: dateToAsn1Time(thisUpdate),
        nextUpdate: nextUpdate === null ? null : dateToAsn1Time(nextUpdate),
      };
    });
    if (!(options.key instanceof PKey)) throw typeError('key', 'a PKey', options.key);
    const signer = handleOf(expectX509(options.signer, 'signer'), native.X509, 'signer', 'an X509');
    const key = handleOf(options.key, native.PKey, 'key', 'a PKey');
    const digest = options.digest === undefined || options.digest === null ? null : expectString(options.digest, 'digest');
    const certs = optionalCerts(options.certificates, 'certificates')?.map((c, i) => handleOf(c, native.X509, `certificates[${i}]`, 'an X509')) ?? null;
    let request: Buffer | null = null;
    if (options.request !== undefined) {
      if (!(options.request instanceof OCSPRequest)) throw typeError('request', 'an OCSPRequest', options.request);
      request = options.request.toDER();
    }
    let flags = 0;
    const responderId = options.responderId ?? 'name';
    if (responderId === 'key') flags |= OCSPFlags.RESPID_KEY;
    else if (responderId !== 'name') throw new RangeError(`"responderId" must be 'name' or 'key', got ${String(responderId)}`);
    if (options.includeSigner !== undefined && typeof options.includeSigner !== 'boolean') throw typeError('includeSigner', 'a boolean', options.includeSigner);
    if (options.includeSigner === false) flags |= OCSPFlags.NOCERTS;
    return new OCSPResponse(guard(() => native.ocspResponseCreate(0, { responses, signer, key, digest, certs, request, flags })));
  }

  /** Throws for an unsuccessful response, which has nothing to verify or read. */
  #requireContent(): void {
    if (this.status !== 0) {
      throw new CryptoError(`the OCSP response has no content: its status is ${this.statusName ?? this.status}`, [], 'ERR_OSSL_OCSP_NO_CONTENT');
    }
  }

  /** The DER encoding (what a responder sends, and a server staples). */
  toDER(): Buffer {
    return Buffer.from(this.#der);
  }

  /**
   * Verifies the response with OpenSSL's `OCSP_basic_verify`: the signature, the signer's chain
   * against `store`, and that the signer may answer for these certificates (the issuing CA itself,
   * or a delegated responder it issued with the OCSPSigning extended key usage).
   * @throws crypto.Error with OpenSSL's reason when it does not verify; `ERR_OSSL_OCSP_NO_CONTENT` when it is not successful.
   */
  verify(store: X509Store, verifyOptions: OCSPVerifyOptions = {}): void {
    const options = ownOptions(verifyOptions);
    if (!(store instanceof X509Store)) throw typeError('store', 'an X509Store', store);
    this.#requireContent();
    const s = handleOf(store, native.X509Store, 'store', 'an X509Store');
    const certs = optionalCerts(options.certificates, 'certificates')?.map((c, i) => handleOf(c, native.X509, `certificates[${i}]`, 'an X509')) ?? null;
    const flags = options.flags === undefined ? 0 : expectInteger(options.flags, 'flags');
    guard(() => native.ocspResponseVerify(this.#der, s, certs, flags));
  }

  /**
   * The status of `cert` (issued by `issuer`), found as OpenSSL's `OCSP_resp_find_status` does, with
   * its thisUpdate and nextUpdate checked by `OCSP_check_validity`; null when the response says
   * nothing of it. Call `verify` first: this reads, it does not authenticate.
   * @throws crypto.Error when the status is not current (`status expired`, `status not yet valid`,
   *   `status too old`), or the response is not successful.
   */
  getStatus(cert: X509, issuer: X509, statusOptions: OCSPStatusOptions = {}): OCSPSingleResponse | null {
    const options = ownOptions(statusOptions);
    expectX509(cert, 'cert');
    expectX509(issuer, 'issuer');
    const skew = options.clockSkew === undefined ? 300 : expectInteger(options.clockSkew, 'clockSkew');
    const maxAge = options.maxAge === undefined ? -1 : expectInteger(options.maxAge, 'maxAge');
    if (skew < 0) throw new RangeError(`"clockSkew" must not be negative, got ${skew}`);
    if (maxAge < -1) throw new RangeError(`"maxAge" must be -1 or more, got ${maxAge}`);
    this.#requireContent();
    // Ask with each hash the response uses, so a SHA-256 response is found as well as a SHA-1 one
    // (a hash OpenSSL does not know cannot name this certificate).
    for (const algorithm of new Set(this.responses.map((r) => r.certId.hashAlgorithm))) {
      let id: OCSPCertId;
      try {
        id = OCSPCertId.create(cert, issuer, algorithm);
      } catch (e) {
        if (e instanceof RangeError) continue;
        throw e;
      }
      const found = guard(() => native.ocspResponseStatus(this.#der, id.toDER(), skew, maxAge));
      if (found !== null) return singleOf(found, id);
    }
    return null;
  }

  /**
   * How the nonces of `request` and this response compare (OpenSSL's `OCSP_check_nonce`): 1 equal,
   * 2 neither has one, 3 only the response, -1 only the request, 0 they differ.
   */
  checkNonce(request: OCSPRequest): number {
    if (!(request instanceof OCSPRequest)) throw typeError('request', 'an OCSPRequest', request);
    this.#requireContent();
    return guard(() => native.ocspCheckNonce(request.toDER(), this.#der));
  }

  /** What `util.inspect` prints: `OCSPResponse { status: 'successful', responses: 1 }`. */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(
      this,
      'OCSPResponse',
      { status: () => this.statusName ?? this.status, responses: () => (this.status === 0 ? this.responses.map((r) => r.status).join(', ') : undefined) },
      depth,
      options,
      inspectFn,
    );
  }
}
