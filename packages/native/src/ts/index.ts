/**
 * @ossl/native — the compiled Node-API addon over the OpenSSL 3 that Node.js itself ships, and its
 * TypeScript types. The packages above (@ossl/crypto, @ossl/ssl) give it a pyOpenSSL-shaped API;
 * this layer has handles and functions, no policy.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadBinding } from './internal/load.js';

/** One entry of OpenSSL's error queue, oldest first (pyOpenSSL's `Error.args[0]` tuples). */
export interface OpenSSLErrorEntry {
  /** The library that raised it (`SSL routines`, `PEM routines`, ...), or null when OpenSSL names none. */
  library: string | null;
  /** The function that raised it (empty in OpenSSL 3 release builds). */
  function: string;
  /** OpenSSL's reason text (`certificate verify failed`, `no start line`, ...). */
  reason: string;
  /** The packed error code (`ERR_get_error`). */
  code: number;
  /** Extra text OpenSSL attached (`ERR_add_error_data`), when any. */
  data?: string;
}

/** What the addon throws for an OpenSSL failure, before the packages above give it a class. */
export interface NativeOpenSSLError extends Error {
  /** Marks an error made from OpenSSL's error queue (or an ssl-state error of the addon). */
  opensslError: true;
  /** OpenSSL's error queue, oldest first. */
  errors: OpenSSLErrorEntry[];
  /** `ERR_OSSL_<LIB>_<REASON>` for the first entry, or the addon's own code. */
  code: string;
  /** The `X509_V_ERR_*` number, when a handshake failed certificate verification. */
  verifyCode?: number;
  /** OpenSSL's text for `verifyCode`. */
  verifyMessage?: string;
}

/** A passphrase for a PEM reader or writer: bytes, a callback `(writing, maxLength) => bytes`, or none. */
export type PassphraseInput = Buffer | string | ((writing: boolean, maxLength: number) => Buffer | string) | null | undefined;

/**
 * The addon's an EVP_PKEY (wrapped by @ossl/crypto's PKey). The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface PKeyHandle {
  type(): number;
  bits(): number;
  check(): boolean;
  onlyPublic(): boolean;
  equals(other: PKeyHandle): boolean;
  streamInit(mode: 1 | 2, digest: string | null): void;
  streamUpdate(data: Buffer | string): void;
  signFinal(): Buffer;
  verifyFinal(signature: Buffer | string): boolean;
}

/**
 * The addon's an X509_NAME (wrapped by X509Name). The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface X509NameHandle {
  getEntry(name: string): string | null;
  setEntry(name: string, value: Buffer | string): void;
  hash(): number;
  der(): Buffer;
  getComponents(): [Buffer, Buffer][];
  compare(other: X509NameHandle): number;
  oneline(): string;
  print(flags: number): string;
  entryCount(): number;
  copy(): X509NameHandle;
}

/**
 * The addon's an X509_EXTENSION (wrapped by X509Extension). The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface X509ExtensionHandle {
  getCritical(): boolean;
  getShortName(): string;
  getOid(): string;
  getData(): Buffer;
  toText(): string;
}

/**
 * The addon's an X509 (wrapped by X509). The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface X509Handle {
  setVersion(v: number): void;
  getVersion(): number;
  setSerialHex(hex: string): void;
  getSerialHex(): string;
  gmtimeAdj(which: 0 | 1, seconds: number): void;
  getTime(which: 0 | 1): string | null;
  setTime(which: 0 | 1, when: string): void;
  hasExpired(): boolean;
  getName(which: 0 | 1): X509NameHandle;
  getNameEntry(which: 0 | 1, attribute: string): string | null;
  checkCa(): number;
  checkPurpose(id: number, ca: number): boolean;
  findExtension(name: string): number;
  setName(which: 0 | 1, name: X509NameHandle): void;
  getPubkey(): PKeyHandle;
  setPubkey(pkey: PKeyHandle): void;
  addExtension(ext: X509ExtensionHandle): void;
  getExtensionCount(): number;
  getExtension(index: number): X509ExtensionHandle;
  sign(pkey: PKeyHandle, digest: string | null): void;
  digest(name: string): string;
  subjectNameHash(): number;
  getSignatureAlgorithm(): string;
  verifySignature(pkey: PKeyHandle): boolean;
  checkHost(name: Buffer | string, flags?: number): boolean;
  dump(type: number, nameFlags?: number): Buffer;
}

/**
 * The addon's an X509_REQ (wrapped by X509Req). The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface X509ReqHandle {
  setPubkey(pkey: PKeyHandle): void;
  getPubkey(): PKeyHandle;
  setVersion(v: number): void;
  getVersion(): number;
  getSubject(): X509NameHandle;
  addExtensions(exts: X509ExtensionHandle[]): void;
  getExtensions(): X509ExtensionHandle[];
  sign(pkey: PKeyHandle, digest: string | null): void;
  verify(pkey: PKeyHandle): boolean;
  dump(type: number, nameFlags?: number): Buffer;
}

/**
 * An OCSP CertID's fields, as the addon reads them. The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface OcspCertIdFields {
  hashAlgorithm: string;
  issuerNameHash: Buffer;
  issuerKeyHash: Buffer;
  serialHex: string;
  der: Buffer;
}

/**
 * One certificate's status in an OCSP response (times as `YYYYMMDDhhmmssZ`), as the addon reads it.
 * @internal
 */
export interface OcspStatusFields {
  status: 'good' | 'revoked' | 'unknown';
  revocationTime: string | null;
  revocationReason: string | null;
  thisUpdate: string;
  nextUpdate: string | null;
}

/**
 * The content of a successful (basic) OCSP response, as the addon reads it.
 * @internal
 */
export interface OcspBasicFields {
  producedAt: string;
  responderName: X509NameHandle | null;
  responderKeyHash: Buffer | null;
  responses: Array<OcspStatusFields & { certId: OcspCertIdFields }>;
  certificates: X509Handle[];
  nonce: Buffer | null;
  signatureAlgorithm: string;
}

/**
 * The addon's a failed verification, as X509Store's verify reports it. The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface VerifyFailure {
  code: number;
  depth: number;
  message: string;
  cert: X509Handle | null;
}

/**
 * The addon's an X509_STORE (wrapped by X509Store). The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface X509StoreHandle {
  addCert(cert: X509Handle): void;
  addCrl(crl: CRLHandle): void;
  setFlags(flags: number): void;
  setTime(seconds: number): void;
  setDepth(depth: number): void;
  setPurpose(purpose: number): void;
  loadLocations(cafile: string | null, capath?: string | null): void;
  setDefaultPaths(): void;
  verify(cert: X509Handle, chain?: X509Handle[] | null): X509Handle[] | VerifyFailure;
  /** `verify` on the libuv thread pool, from copies of the certificates. */
  verifyAsync(cert: X509Handle, chain?: X509Handle[] | null): Promise<X509Handle[] | VerifyFailure>;
}

/**
 * The addon's an X509_REVOKED (wrapped by Revoked). The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface RevokedHandle {
  setSerial(hex: string): void;
  getSerial(): string;
  setReason(reason: string | null): void;
  getReason(): string | null;
  setRevDate(when: string): void;
  getRevDate(): string | null;
}

/**
 * The addon's an X509_CRL (wrapped by CRL). The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface CRLHandle {
  getRevoked(): RevokedHandle[] | null;
  addRevoked(rev: RevokedHandle): void;
  getIssuer(): X509NameHandle;
  setVersion(v: number): void;
  getVersion(): number;
  setTime(which: 0 | 1, when: string): void;
  getTime(which: 0 | 1): string | null;
  sign(issuerCert: X509Handle, issuerKey: PKeyHandle, digest: string | null): void;
  verifySignature(pkey: PKeyHandle): boolean;
  dump(type: number): Buffer;
}

/**
 * The addon's a PKCS7 (wrapped by PKCS7). The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface PKCS7Handle {
  getTypeName(): string;
  getCertificates(): X509Handle[] | null;
  dump(type: number): Buffer;
}

/**
 * The addon's a NETSCAPE_SPKI (wrapped by NetscapeSPKI). The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface NetscapeSPKIHandle {
  sign(pkey: PKeyHandle, digest: string | null): void;
  verify(pkey: PKeyHandle): boolean;
  b64Encode(): string;
  getPubkey(): PKeyHandle;
  setPubkey(pkey: PKeyHandle): void;
  getChallenge(): string | null;
  setChallenge(challenge: Buffer | string): void;
}

/**
 * The addon's an EVP_MD_CTX (wrapped by the digest classes). The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface MessageDigestHandle {
  update(data: Buffer | string): void;
  final(): Buffer;
  copy(): MessageDigestHandle;
  size(): number;
  blockSize(): number;
  name(): string;
}

/**
 * The addon's an HMAC context. The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface HMACHandle {
  update(data: Buffer | string): void;
  final(): Buffer;
  size(): number;
}

/**
 * The addon's an EVP_CIPHER_CTX (wrapped by the cipher class). The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface CipherHandle {
  update(data: Buffer | string): Buffer;
  final(): Buffer;
  setPadding(padding: boolean): void;
  setAAD(aad: Buffer | string): void;
  getTag(length?: number): Buffer;
  setTag(tag: Buffer): void;
  info(): { name: string; keyLength: number; ivLength: number; blockSize: number };
}

/**
 * The addon's the parts of a PKCS#12 bundle. The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface Pkcs12Contents {
  key: PKeyHandle | null;
  cert: X509Handle | null;
  ca: X509Handle[] | null;
  friendlyName: Buffer | null;
}

/** The dictionary Python's `ssl.SSLSocket.getpeercert()` returns (tuples as arrays). */
export interface PythonCertDict {
  /** The subject's relative distinguished names, each a list of `[attribute, value]` pairs. */
  subject: [string, string][][];
  /** The issuer, in the same form. */
  issuer: [string, string][][];
  /** The X.509 version, 1 to 3. */
  version: number;
  /** The serial number in upper-case hex. */
  serialNumber: string;
  /** The start of validity, as `"May  9 00:00:00 2007 GMT"`. */
  notBefore: string;
  /** The end of validity, in the same form. */
  notAfter: string;
  /** The subject alternative names as `[type, value]` (a DirName's value is a name). */
  subjectAltName?: [string, string | [string, string][][]][];
  /** OCSP responder URIs from the Authority Information Access extension. */
  OCSP?: string[];
  /** CA issuer URIs from the Authority Information Access extension. */
  caIssuers?: string[];
  /** CRL distribution point URIs. */
  crlDistributionPoints?: string[];
}

/**
 * The addon's verify callback shape, with handles for certificates (@ossl/ssl adapts its own).
 * @internal
 */
export type VerifyCallback = (conn: unknown, cert: X509Handle | null, errnum: number, depth: number, ok: number) => boolean | number;

/**
 * The addon's an SSL_CTX (wrapped by @ossl/ssl's Context). The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface ContextHandle {
  useCertificate(cert: X509Handle): void;
  usePrivateKey(pkey: PKeyHandle): void;
  useCertificateFile(path: string, type?: number): void;
  useCertificateChainFile(path: string): void;
  usePrivateKeyFile(path: string, type?: number, passphrase?: PassphraseInput | ((writing: boolean, maxLength: number) => Buffer | string)): void;
  addExtraChainCert(cert: X509Handle): void;
  checkPrivateKey(): void;
  loadVerifyLocations(cafile: string | null | undefined, capath?: string | null): void;
  setDefaultVerifyPaths(): void;
  setVerify(mode: number, callback?: VerifyCallback | null): void;
  setVerifyDeferred(mode: number): void;
  getVerifyMode(): number;
  setVerifyDepth(depth: number): void;
  getVerifyDepth(): number;
  setCipherList(list: Buffer | string): void;
  setCiphersuites(list: Buffer | string): void;
  setProtoVersion(which: 0 | 1, version: number): void;
  getProtoVersion(which: 0 | 1): number;
  setOptions(options: bigint): bigint;
  clearOptions(options: bigint): bigint;
  getOptions(): bigint;
  setMode(mode: number): number;
  clearMode(mode: number): number;
  getMode(): number;
  setSessionIdContext(id: Buffer | string): void;
  loadClientCa(cafile: string): void;
  setClientCaList(names: X509NameHandle[]): void;
  addClientCa(cert: X509Handle): void;
  setSessionCacheMode(mode: number): number;
  getSessionCacheMode(): number;
  setTimeout(seconds: number): number;
  getTimeout(): number;
  loadTmpDh(pathOrPem: string | Buffer): number;
  setGroups(groups: string): void;
  setSigalgs(sigalgs: string): void;
  setCallback(kind: 'info' | 'keylog' | 'servername' | 'alpnSelect' | 'ocsp' | 'pskServer' | 'pskClient' | 'cookieGenerate' | 'cookieVerify' | 'newSession' | 'cert' | 'clientHello' | 'ct', callback: ((...args: never[]) => unknown) | null): void;
  setAlpnProtos(wire: Buffer): void;
  getCertStore(): X509StoreHandle;
  usePskIdentityHint(hint: Buffer | string): void;
  setPostHandshakeAuth(on: boolean): void;
  setTlsextUseSrtp(profiles: string): void;
  setNumTickets(n: number): void;
  getTicketKeys(): Buffer;
  setDhAuto(): void;
  /** Every client Connection made from now on asks for a stapled OCSP response. */
  requestOcsp(): void;
  /** OpenSSL's SCT check on clients: 0 permissive, 1 strict (replaces a CT callback). */
  enableCt(mode: number): void;
  /** Adds the logs of an OpenSSL CT log list file. */
  loadCtLogList(path: string): void;
  /** TLS extensions sent with the certificate (`SSL_CTX_use_serverinfo_ex`). */
  useServerinfo(data: Buffer, version: number): void;
  /** Counts of the store's certificates, CRLs and CA certificates. */
  certStoreStats(): { x509: number; crl: number; x509_ca: number };
  /** The CA certificates loaded into the store. */
  getCaCerts(): X509Handle[];
  /** OpenSSL's session counters. */
  sessionStats(): Record<string, number>;
  getVerifyFlags(): number;
  setVerifyFlags(flags: number): void;
  setTicketKeys(keys: Buffer | Uint8Array): void;
}

/**
 * A signed certificate timestamp's fields, as the addon reads them. The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface SctFields {
  version: number;
  logId: Buffer;
  timestamp: number;
  extensions: Buffer;
  signature: Buffer;
  signatureAlgorithm: string | null;
  entryType: 'x509' | 'precert' | 'unknown';
  source: 'tls' | 'certificate' | 'ocsp' | 'unknown';
  validationStatus: 'valid' | 'invalid' | 'unverified' | 'unknownLog' | 'unknownVersion' | 'notSet';
  tls: Buffer;
}

/**
 * The addon's CTLOG_STORE, loaded from an OpenSSL CT log list file (wrapped by CTLogStore).
 * @internal
 */
export interface CTLogStoreHandle {
  getLog(logId: Buffer): { name: string; key: PKeyHandle } | null;
}

/**
 * The addon's memory BIO a Connection can be made over (wrapped by MemoryBIO).
 * @internal
 */
export interface MemoryBIOHandle {
  write(data: Buffer | string): number;
  read(n: number): Buffer;
  pending(): number;
  writeEof(): void;
}

/**
 * The addon's an SSL_SESSION (wrapped by Session). The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface SessionHandle {
  toDER(): Buffer;
  getId(): Buffer;
  isResumable(): boolean;
  getProtocolVersion(): number;
  getTime(): number;
  getTimeout(): number;
  hasTicket(): boolean;
  getCipherName(): string | null;
}

/**
 * The addon's an SSL (wrapped by Connection). The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface ConnectionHandle {
  setConnectState(): void;
  setAcceptState(): void;
  /** 1 when done, or -SSL_ERROR_* for a retryable condition. */
  doHandshake(): number;
  bioWrite(buf: Buffer | string): number;
  /** Pending network bytes, or -SSL_ERROR_WANT_READ when there are none. */
  bioRead(bufsiz: number): Buffer | number;
  bioPending(): number;
  bioInPending(): number;
  takeInput(): Buffer;
  bioShutdown(): void;
  readInto(buf: Uint8Array, offset: number, nbytes: number, peek?: boolean): number;
  write(buf: Buffer | string): number;
  encrypt(buf: Buffer | Uint8Array | Array<Buffer | Uint8Array>): Buffer | number;
  shutdown(): number;
  getShutdown(): number;
  getGroupName(): string | null;
  getSelectedSrtpProfile(): string;
  setInfoCallback(callback: ((conn: unknown, where: number, ret: number) => void) | null): void;
  setOptions(options: bigint): bigint;
  clearOptions(options: bigint): bigint;
  getOptions(): bigint;
  setMode(mode: number): number;
  clearMode(mode: number): number;
  getMode(): number;
  setShutdown(state: number): void;
  pending(): number;
  getPeerCertificate(): X509Handle | null;
  getPeerCertChain(): X509Handle[] | null;
  /** The SCTs the server gave, with their validation status. */
  getPeerScts(): SctFields[];
  /** Servers: the ciphers both sides allow, as [name, protocol, bits]; null on a client. */
  sharedCiphers(): Array<[string, string, number]> | null;
  /** The signature algorithm each side signed the handshake with (node:tls names), or null. */
  getSigalgs(): { own: string | null; peer: string | null };
  getCertificate(): X509Handle | null;
  getCipherName(): string | null;
  getCipherBits(): number | null;
  getCipherVersion(): string | null;
  getVersion(): string;
  getProtocolVersion(): number;
  setTlsextHostName(name: Buffer | string): void;
  getServername(): string | null;
  setHost(name: Buffer | string): void;
  getVerifyResult(): number;
  /** Records a verdict of the application's own (`SSL_set_verify_result`). */
  setVerifyResult(result: number): void;
  setVerify(mode: number, callback?: VerifyCallback | null): void;
  setVerifyDeferred(mode: number): void;
  getVerifyMode(): number;
  useCertificate(cert: X509Handle): void;
  usePrivateKey(pkey: PKeyHandle): void;
  getStateString(): string;
  isInitFinished(): boolean;
  wantRead(): boolean;
  wantWrite(): boolean;
  getCipherList(): string[];
  setContext(ctx: ContextHandle): void;
  getSession(): SessionHandle | null;
  setSession(session: SessionHandle): void;
  sessionReused(): boolean;
  getFinished(): Buffer | null;
  getPeerFinished(): Buffer | null;
  exportKeyingMaterial(label: Buffer | string, olen: number, context?: Buffer | string | null): Buffer;
  serverRandom(): Buffer | null;
  clientRandom(): Buffer | null;
  masterKey(): Buffer | null;
  renegotiate(): boolean;
  renegotiatePending(): boolean;
  totalRenegotiations(): number;
  getClientCaList(): X509NameHandle[];
  setAlpnProtos(wire: Buffer): void;
  getAlpnProtoNegotiated(): Buffer | null;
  requestOcsp(): void;
  getVerifiedChain(): X509Handle[] | null;
  verifyClientPostHandshake(): void;
  setPostHandshakeAuth(on: boolean): void;
  setOcspResponse(der: Buffer): void;
  getOcspResponse(): Buffer | null;
  keyUpdate(requestPeer: boolean): void;
  setMaxSendFragment(size: number): void;
  getCipherStandardName(): string | null;
  ocspRequested(): boolean;
  clientHelloInfo(): { sessionId: Buffer; hasTicket: boolean } | null;
  setPendingSession(session: SessionHandle | null): void;
  getPeerTmpKey(): { type: string; name?: string; size?: number } | null;
  getSharedSigalgs(): string[];
  setCiphertextMtu(mtu: number): void;
  getCleartextMtu(): number;
  dtlsGetTimeout(): number | null;
  dtlsHandleTimeout(): boolean;
  dtlsListen(): number;
}

/**
 * The addon's the whole addon: every class and function it registers. The packages above wrap it; it is not part of their API.
 * @internal
 */
export interface NativeBinding {
  opensslVersion(type?: number): string;
  errorQueueEmpty(): boolean;
  verifyErrorString(code: number): string;
  defaultVerifyPaths(): { cafileEnv: string; cafile: string; capathEnv: string; capath: string };
  OPENSSL_VERSION_NUMBER: number;
  OPENSSL_VERSION_TEXT: string;
  SSLEAY_VERSION: number;
  SSLEAY_CFLAGS: number;
  SSLEAY_PLATFORM: number;
  SSLEAY_DIR: number;
  SSLEAY_BUILT_ON: number;

  PKey: new (...args: never[]) => PKeyHandle;
  generateKey(type: number, bitsOrCurve?: number | string): PKeyHandle;
  loadPrivateKey(type: number, buffer: Buffer | string, passphrase?: PassphraseInput): PKeyHandle;
  loadPublicKey(type: number, buffer: Buffer | string): PKeyHandle;
  dumpPrivateKey(type: number, pkey: PKeyHandle, cipher?: string | null, passphrase?: PassphraseInput): Buffer;
  dumpPublicKey(type: number, pkey: PKeyHandle): Buffer;

  generateKeyAsync(type: number, bitsOrCurve?: number | string): Promise<PKeyHandle>;
  /** New finite-field DH parameters (a safe prime of `bits` bits and `generator`) as PKCS#3 PEM. */
  generateDhParameters(bits: number, generator: number): Buffer;
  /** `generateDhParameters` on the libuv thread pool. */
  generateDhParametersAsync(bits: number, generator: number): Promise<Buffer>;

  X509Req: new () => X509ReqHandle;
  loadCertificateRequest(type: number, buffer: Buffer | string): X509ReqHandle;
  X509Store: new () => X509StoreHandle;
  X509StoreFlags: Record<string, number>;
  X509Purpose: Record<string, number>;
  CRL: new () => CRLHandle;
  Revoked: new () => RevokedHandle;
  CRL_REASONS: string[];
  loadCrl(type: number, buffer: Buffer | string): CRLHandle;
  loadPkcs12(buffer: Buffer | string, passphrase?: Buffer | string | null): Pkcs12Contents;
  exportPkcs12(
    key: PKeyHandle | null,
    cert: X509Handle | null,
    ca: X509Handle[] | null,
    friendlyName: Buffer | string | null,
    passphrase: Buffer | string | null,
    iter: number,
    maciter: number,
  ): Buffer;
  exportPkcs12Async(
    key: PKeyHandle | null,
    cert: X509Handle | null,
    ca: X509Handle[] | null,
    friendlyName: Buffer | string | null,
    passphrase: Buffer | string | null,
    iter: number,
    maciter: number,
  ): Promise<Buffer>;
  CTLogStore: new (path: string) => CTLogStoreHandle;
  parseSctList(list: Buffer, source: 'tls' | 'certificate' | 'ocsp'): SctFields[];
  certificateScts(cert: X509Handle): SctFields[];
  validateScts(
    list: Buffer,
    source: 'tls' | 'certificate' | 'ocsp',
    cert: X509Handle,
    issuer: X509Handle | null,
    store: CTLogStoreHandle,
    timeMs: number,
  ): SctFields[];
  OCSPFlags: Record<string, number>;
  ocspCertId(cert: X509Handle, issuer: X509Handle, digest: string): OcspCertIdFields;
  ocspCertIdInfo(der: Buffer): OcspCertIdFields;
  ocspRequestCreate(
    certIds: Buffer[],
    nonce: Buffer | boolean | null,
    signer: { cert: X509Handle; key: PKeyHandle; digest: string | null; certs: X509Handle[] | null; includeSigner: boolean } | null,
  ): Buffer;
  ocspRequestInfo(der: Buffer): { certIds: OcspCertIdFields[]; nonce: Buffer | null; signed: boolean };
  ocspResponseInfo(der: Buffer): { status: number; basic: OcspBasicFields | null };
  ocspResponseVerify(der: Buffer, store: X509StoreHandle, certs: X509Handle[] | null, flags: number): boolean;
  ocspResponseStatus(der: Buffer, certId: Buffer, clockSkew: number, maxAge: number): OcspStatusFields | null;
  ocspCheckNonce(request: Buffer, response: Buffer): number;
  ocspResponseCreate(
    status: number,
    spec: {
      responses: Array<{ certId: Buffer; status: number; reason: number; revocationTime: string | null; thisUpdate: string; nextUpdate: string | null }>;
      signer: X509Handle;
      key: PKeyHandle;
      digest: string | null;
      certs: X509Handle[] | null;
      request: Buffer | null;
      flags: number;
    } | null,
  ): Buffer;
  PKCS7Flags: Record<string, number>;
  loadPkcs7Data(type: number, buffer: Buffer | string): PKCS7Handle;
  smimeSign(cert: X509Handle, pkey: PKeyHandle, data: Buffer | string, certs: X509Handle[] | null, flags: number): PKCS7Handle;
  smimeVerify(p7: PKCS7Handle, store: X509StoreHandle, certs: X509Handle[] | null, data: Buffer | string | null, flags: number): Buffer;
  smimeEncrypt(certs: X509Handle[], data: Buffer | string, cipher: string, flags: number): PKCS7Handle;
  smimeDecrypt(p7: PKCS7Handle, pkey: PKeyHandle, cert: X509Handle | null, flags: number): Buffer;
  writeSmime(p7: PKCS7Handle, data: Buffer | string | null, flags: number): Buffer;
  readSmime(buffer: Buffer | string): { pkcs7: PKCS7Handle; content: Buffer | null };
  NetscapeSPKI: new (b64?: Buffer | string | null) => NetscapeSPKIHandle;
  MessageDigest: new (algo: string) => MessageDigestHandle;
  HMAC: new (key: Buffer | string, algo: string) => HMACHandle;
  Cipher: new (alg: string, key: Buffer | string, iv: Buffer | string | null, op: number, padding?: boolean) => CipherHandle;
  pythonCertDict(cert: X509Handle): PythonCertDict;
  getBuiltinCurves(): string[];
  getDigestNames(): string[];
  pbkdf2(password: Buffer | string, salt: Buffer | string, iterations: number, keylen: number, digest: string): Buffer;
  pbkdf2Async(password: Buffer | string, salt: Buffer | string, iterations: number, keylen: number, digest: string): Promise<Buffer>;
  getCipherNames(): string[];
  signData(pkey: PKeyHandle, data: Buffer | string, digest: string | null): Buffer;
  verifyData(pkey: PKeyHandle, signature: Buffer | string, data: Buffer | string, digest: string | null): boolean;
  rand: {
    bytes(n: number): Buffer;
    add(buf: Buffer | string, entropy: number): void;
    seed(buf: Buffer | string): void;
    status(): boolean;
    loadFile(path: string, maxbytes?: number): number;
    writeFile(path: string): number;
  };

  X509: new () => X509Handle;
  loadCertificate(type: number, buffer: Buffer | string): X509Handle;
  X509Name: new () => X509NameHandle;
  XN_FLAG_COMPAT: number;
  XN_FLAG_RFC2253: number;
  XN_FLAG_ONELINE: number;
  XN_FLAG_MULTILINE: number;
  X509Extension: new (...args: never[]) => X509ExtensionHandle;
  createExtension(
    typeName: string,
    critical: boolean,
    value: Buffer | string,
    subject?: X509Handle | null,
    issuer?: X509Handle | null,
    sections?: string | null,
  ): X509ExtensionHandle;

  Context: new (method: number) => ContextHandle;
  Connection: new (context: ContextHandle, owner?: object, incoming?: MemoryBIOHandle, outgoing?: MemoryBIOHandle) => ConnectionHandle;
  MemoryBIO: new () => MemoryBIOHandle;
  Session: new (der: Buffer) => SessionHandle;
}

function packageRoot(): string {
  // dist/index.{js,cjs} → the package root, where binding.gyp and build/ live. The ESM build asks
  // import.meta first: a global __dirname (as `node -e` defines) must not steer it. The CJS build has
  // no import.meta.url and uses the module's own __dirname.
  const url = (import.meta as { url?: string }).url;
  const here = url ? dirname(fileURLToPath(url)) : __dirname;
  return join(here, '..');
}

const require_ = createRequire(join(packageRoot(), 'package.json'));
// node-gyp-build takes build/Release/*.node when the install compiled one, else the prebuild in
// prebuilds/<platform>-<arch>/ that matches (the package ships one per platform it was built on).
const load = require_('node-gyp-build') as (dir: string) => NativeBinding;

/**
 * The loaded addon.
 *
 * @throws Error (code `ERR_OSSL_NATIVE_RUNTIME_WITHOUT_OPENSSL`) on import under Bun, Deno or Electron,
 * or wherever the process lacks the OpenSSL symbols Node.js exports; (code `ERR_OSSL_NATIVE_NO_BINARY`)
 * where no prebuilt binary matches and none was compiled at install.
 */
export const native: NativeBinding = loadBinding(packageRoot(), load, process.versions, {
  platform: process.env.npm_config_platform || process.platform,
  arch: process.env.npm_config_arch || process.arch,
});

/** OpenSSL's version text, e.g. "OpenSSL 3.0.19 27 Jan 2026" (OpenSSL_version). */
export function opensslVersion(type?: number): string {
  return native.opensslVersion(type);
}

/** OpenSSL's version number (`OpenSSL_version_num()`, e.g. `0x30000130`). */
export const OPENSSL_VERSION_NUMBER: number = native.OPENSSL_VERSION_NUMBER;
/** OpenSSL's version text (`OPENSSL_VERSION_TEXT`). */
export const OPENSSL_VERSION_TEXT: string = native.OPENSSL_VERSION_TEXT;
/** `opensslVersion(SSLEAY_VERSION)`: the version text (pyOpenSSL's `SSLeay_version` types). */
export const SSLEAY_VERSION: number = native.SSLEAY_VERSION;
/** `opensslVersion(SSLEAY_CFLAGS)`: the compiler flags OpenSSL was built with. */
export const SSLEAY_CFLAGS: number = native.SSLEAY_CFLAGS;
/** `opensslVersion(SSLEAY_PLATFORM)`: the platform OpenSSL was built for. */
export const SSLEAY_PLATFORM: number = native.SSLEAY_PLATFORM;
/** `opensslVersion(SSLEAY_DIR)`: OpenSSL's configured directory. */
export const SSLEAY_DIR: number = native.SSLEAY_DIR;
/** `opensslVersion(SSLEAY_BUILT_ON)`: when OpenSSL was built. */
export const SSLEAY_BUILT_ON: number = native.SSLEAY_BUILT_ON;
/** `opensslVersion(OPENSSL_VERSION)`: the version text (pyOpenSSL's `OpenSSL_version` types; the same as `SSLEAY_VERSION`). */
export const OPENSSL_VERSION: number = native.SSLEAY_VERSION;
/** `opensslVersion(OPENSSL_CFLAGS)`: the compiler flags OpenSSL was built with (the same as `SSLEAY_CFLAGS`). */
export const OPENSSL_CFLAGS: number = native.SSLEAY_CFLAGS;
/** `opensslVersion(OPENSSL_PLATFORM)`: the platform OpenSSL was built for (the same as `SSLEAY_PLATFORM`). */
export const OPENSSL_PLATFORM: number = native.SSLEAY_PLATFORM;
/** `opensslVersion(OPENSSL_DIR)`: OpenSSL's configured directory (the same as `SSLEAY_DIR`). */
export const OPENSSL_DIR: number = native.SSLEAY_DIR;
/** `opensslVersion(OPENSSL_BUILT_ON)`: when OpenSSL was built (the same as `SSLEAY_BUILT_ON`). */
export const OPENSSL_BUILT_ON: number = native.SSLEAY_BUILT_ON;

/** Whether a thrown value is an OpenSSL failure reported by the addon. */
export function isNativeOpenSSLError(e: unknown): e is NativeOpenSSLError {
  return typeof e === 'object' && e !== null && (e as { opensslError?: unknown }).opensslError === true;
}
