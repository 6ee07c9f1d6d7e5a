import { inspect, type InspectOptionsStylized } from 'node:util';
import { CTLogStore, EllipticCurve, OCSPResponse, PKey, SCT, X509, X509Name, X509Store, certToPythonDict, dumpCertificate, encodeSctList, kHandle, FILETYPE_ASN1, FILETYPE_PEM } from '@ossl/crypto';
import type { PythonCertDict } from '@ossl/crypto';
import type { MemoryBIO, SSLObject } from './sslobject.js';
import { native, type ContextHandle, type SctFields, type SessionHandle, type VerifyCallback as NativeVerifyCallback, type X509Handle } from '@ossl/native';

import { SSLv2_METHOD, SSLv3_METHOD } from './constants.js';
import { modeBits, optionBits } from './internal/flags.js';
import { METHOD_NAMES, verifyModeName } from './internal/names.js';
import { SSLError, toSSLError } from './errors.js';
import { brandClass, expectByteArray, expectBytes, expectInteger, expectOptionalPath, handleOf, inspectFields, ownOptions, typeError } from '@ossl/crypto/internal';
import type { Connection } from './connection.js';
import { checkStaple, type OcspStapleOptions } from './ocsp-staple.js';
import { Session } from './session.js';
import { cachedFileAnchors, cachedNodeRoots, defaultCaLocations, systemStoreExists } from './trust.js';

/** `(conn, cert, errnum, depth, ok) => boolean`: accept (true) or reject (false) one chain element. */
export type VerifyCallback = (conn: Connection, cert: X509, errnum: number, depth: number, ok: number) => boolean | number;

/** `(conn, where, ret)`: OpenSSL's info callback (`SSL_CB_*` bits in `where`). */
export type InfoCallback = (conn: Connection, where: number, ret: number) => void;
/** `(conn, line)`: one NSS key-log line (no newline) per secret. */
export type KeylogCallback = (conn: Connection, line: Buffer) => void;
/** `(conn)`: the client's SNI name is `conn.getServername()`; may call `conn.setContext(other)`. */
export type ServernameCallback = (conn: Connection) => void;
/** `(conn, offered)`: return the protocol to use, or `NO_OVERLAP` (or null) to go on without ALPN. */
export type AlpnSelectCallback = (conn: Connection, offered: Buffer[]) => Buffer | string | typeof NO_OVERLAP | null;
/** Server side: `(conn, data)` returns the OCSP response to staple (DER, or an `OCSPResponse`), or an empty Buffer / null for none. */
export type OcspServerCallback = (conn: Connection, data: unknown) => Buffer | OCSPResponse | null;
/**
 * Client side: `(conn, ocspData, data, response)` gets the stapled response as DER (empty when none)
 * and parsed (null when none or not an OCSP response), and returns whether to go on.
 */
export type OcspClientCallback = (conn: Connection, ocspData: Buffer, data: unknown, response: OCSPResponse | null) => boolean;
/** `(maxLength, verify, userdata)`: the passphrase for `usePrivatekeyFile`. */
export type PasswdCallback = (maxLength: number, verify: boolean, userdata: unknown) => Buffer | string;
/** Server: `(conn, identity)` returns the pre-shared key for that identity, or null for none. */
export type PskServerCallback = (conn: Connection, identity: Buffer | null) => Buffer | string | null;
/** Client: `(conn, hint)` returns `[identity, psk]`, or null to offer no pre-shared key. */
export type PskClientCallback = (conn: Connection, hint: Buffer | null) => [Buffer | string, Buffer | string] | null;

/** DTLS server: `(conn)` returns the cookie to send in a HelloVerifyRequest (1..255 bytes). */
export type CookieGenerateCallback = (conn: Connection) => Buffer | string;
/** DTLS server: `(conn, cookie)` returns whether the cookie the client echoed is good. */
export type CookieVerifyCallback = (conn: Connection, cookie: Buffer) => boolean;
/**
 * `(conn)`, when OpenSSL is about to choose this side's certificate (a server after the ClientHello):
 * return true to go on, or false to suspend the handshake (`doHandshake` throws WantX509LookupError)
 * until the application is ready and calls `doHandshake` again. It may call `conn.setContext(other)`.
 */
export type CertCallback = (conn: Connection) => boolean;
/**
 * Servers: `(conn)` on each ClientHello, before OpenSSL acts on it (`conn.clientHelloInfo()` reads it):
 * return true to go on, false to suspend the handshake until the next `doHandshake` (which calls it again).
 */
export type ClientHelloCallback = (conn: Connection) => boolean;
/** Client: `(conn, session)` is told of each new session to resume later (TLS 1.2 after the handshake, each TLS 1.3 ticket). */
export type NewSessionCallback = (conn: Connection, session: Session) => void;

interface OcspServerEntry {
  cb: OcspServerCallback;
  data: unknown;
}
interface OcspClientEntry {
  cb: OcspClientCallback;
  data: unknown;
}

/** A stapled response parsed for the client callback, or null when there is none or it is not one. */
function parseStaple(der: Buffer): OCSPResponse | null {
  if (der.length === 0) return null;
  try {
    return OCSPResponse.fromDER(der);
  } catch {
    return null;
  }
}

/** `Context.enableCt`'s mode: accept whatever the SCTs say (they are still validated and readable). */
export const CT_VALIDATION_PERMISSIVE = 0;
/** `Context.enableCt`'s mode: require at least one valid SCT from a known log. */
export const CT_VALIDATION_STRICT = 1;

/**
 * Clients: `(conn, scts)` decides whether the server's SCTs are enough; each SCT carries OpenSSL's
 * `validationStatus`. Return true to go on.
 */
export type CtValidationCallback = (conn: Connection, scts: SCT[]) => boolean;

/** The TLS extension that carries SCTs (signed_certificate_timestamp). */
const TLSEXT_SCT = 18;
/** serverinfo v2 contexts for it: offered in the ClientHello, answered in a TLS 1.2 ServerHello or a TLS 1.3 certificate entry. */
const SCT_SERVERINFO_CONTEXT = 0x0080 | 0x0100 | 0x1000;

/** The `*_METHOD` a Context was made with (set in Context's static block). @internal */
let methodOfContext: (ctx: Context) => number;

/** @internal */
export function contextMethod(ctx: Context): number {
  return methodOfContext(ctx);
}

/** What `Context.wrapBio` makes (set by sslobject.ts, which imports this module). */
let makeSslObject: ((context: Context, incoming: unknown, outgoing: unknown, options: WrapBioOptions) => unknown) | null = null;

/** @internal */
export function setSslObjectFactory(make: (context: Context, incoming: unknown, outgoing: unknown, options: WrapBioOptions) => unknown): void {
  makeSslObject = make;
}

/** What `Context.certStoreStats` counts (Python's `cert_store_stats`). */
export interface CertStoreStats {
  /** Certificates in the store. */
  x509: number;
  /** CRLs in the store. */
  crl: number;
  /** Certificates that are CAs. */
  x509_ca: number;
}

/** Options of `Context.wrapBio` (Python's `wrap_bio` keyword arguments). */
export interface WrapBioOptions {
  /** The server side (default false: a client). */
  serverSide?: boolean;
  /** Clients: the server's name, sent as SNI and, with `checkHostname`, checked against its certificate. */
  serverHostname?: string | null;
  /** Clients: a session to resume. */
  session?: Session | null;
}

/** Returned by an ALPN select callback: no protocol in common, go on without ALPN (pyOpenSSL's `NO_OVERLAP`). */
export const NO_OVERLAP: unique symbol = Symbol.for('@ossl/ssl:NO_OVERLAP') as never;

/** Encodes protocol names into ALPN wire format; each must be 1..255 bytes (a NUL byte is data). */
export function alpnWire(protos: unknown): Buffer {
  if (!Array.isArray(protos)) throw typeError('protos', 'an array of Buffer or string', protos);
  const parts: Buffer[] = [];
  protos.forEach((p, i) => {
    const b = typeof p === 'string' ? Buffer.from(p) : Buffer.isBuffer(p) ? p : null;
    if (b === null) throw typeError(`protos[${i}]`, 'a Buffer or string', p);
    if (b.length < 1 || b.length > 255) throw new RangeError(`"protos[${i}]" must be 1 to 255 bytes long, got ${b.length}`);
    parts.push(Buffer.from([b.length]), b);
  });
  return Buffer.concat(parts);
}

function checkCallback(callback: unknown, param = 'callback'): void {
  if (callback !== null && callback !== undefined && typeof callback !== 'function') throw typeError(param, 'a function', callback);
}

/** Runs a native call, turning OpenSSL failures into `SSL.Error`. */
export function sslGuard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw toSSLError(e);
  }
}

/** What a Context's and a Connection's native handles share for options and mode. */
export interface FlagsHandle {
  setOptions(options: bigint): bigint;
  clearOptions(options: bigint): bigint;
  setMode(mode: number): number;
  clearMode(mode: number): number;
}

/** Adds (or with `clear`, removes) `OP_*` options; the options now in force. */
export function changeOptions(handle: FlagsHandle, options: unknown, clear: boolean): number {
  const bits = optionBits(options);
  return Number(sslGuard(() => (clear ? handle.clearOptions(bits) : handle.setOptions(bits))));
}

/** Adds (or with `clear`, removes) `MODE_*` flags; the mode now in force. */
export function changeMode(handle: FlagsHandle, mode: unknown, clear: boolean): number {
  const bits = modeBits(mode);
  return sslGuard(() => (clear ? handle.clearMode(bits) : handle.setMode(bits)));
}

/** Adapts a user verify callback to the native one (which passes handles, not objects). */
export function adaptVerifyCallback(callback: VerifyCallback): NativeVerifyCallback {
  return (conn, cert, errnum, depth, ok) =>
    callback(conn as Connection, X509._fromHandle(cert as X509Handle), errnum, depth, ok);
}

/** An OpenSSL colon-separated list from an array of names, each checked to be a string. */
function nameList(names: unknown[], param: string): string {
  names.forEach((name, i) => {
    if (typeof name !== 'string') throw typeError(`${param}[${i}]`, 'a string', name);
  });
  return names.join(':');
}

/**
 * TLS settings shared by Connections: pyOpenSSL's `SSL.Context` (OpenSSL `SSL_CTX`). The low-level
 * Context keeps OpenSSL's defaults, as pyOpenSSL does: it verifies nothing until `setVerify` says so.
 *
 * ```ts
 * const ctx = new Context(TLS_METHOD);
 * ctx.useCertificate(cert);
 * ctx.usePrivatekey(key);
 * ```
 */
export class Context {
  #handle: ContextHandle;
  #method: number;
  #verifyCallback: VerifyCallback | null = null;
  #appData: unknown = null;
  #passwd: { cb: PasswdCallback; userdata: unknown } | null = null;
  #ocspServer: OcspServerEntry | null = null;
  #ocspClient: OcspClientEntry | null = null;
  /** Whether client Connections check the server's host name (set by `createDefaultContext`). */
  checkHostname = false;

  static {
    brandClass(this, '@ossl/ssl:Context');
    methodOfContext = (ctx) => ctx.#method;
  }

  /**
   * @param method `TLS_METHOD`, `TLS_SERVER_METHOD`, `TLS_CLIENT_METHOD`, `TLSv1_2_METHOD`, ...
   * @throws SSL.Error for `SSLv2_METHOD`/`SSLv3_METHOD` (OpenSSL 3 removed them) or an unknown method.
   */
  constructor(method: number) {
    expectInteger(method, 'method');
    if (method === SSLv2_METHOD || method === SSLv3_METHOD) {
      throw new SSLError(
        `${method === SSLv2_METHOD ? 'SSLv2' : 'SSLv3'} is insecure and OpenSSL 3 no longer implements it; use TLS_METHOD`,
        [],
        'ERR_SSL_METHOD_NOT_SUPPORTED',
      );
    }
    this.#method = method;
    try {
      this.#handle = new native.Context(method);
    } catch (e) {
      if (e instanceof RangeError) throw new SSLError(e.message, [], 'ERR_SSL_INVALID_METHOD');
      throw toSSLError(e);
    }
  }

  /**
   * The native handle, for the other ossl packages and for the other copies of this one (the ESM
   * and CJS builds, a second installed copy): they cannot read `#handle`, but can read this.
   * @internal
   */
  get [kHandle](): ContextHandle {
    return this.#handle;
  }

  /** Trusts the CA certificates in `cafile` (PEM) and/or the hashed directory `capath`. */
  loadVerifyLocations(cafile: string | Buffer | null, capath: string | Buffer | null = null): void {
    const file = expectOptionalPath(cafile, 'cafile');
    const dir = expectOptionalPath(capath, 'capath');
    sslGuard(() => this.#handle.loadVerifyLocations(file, dir));
  }

  /**
   * Trusts OpenSSL's default CA locations (the system store); on a system without one, Node's
   * bundled root certificates instead.
   */
  setDefaultVerifyPaths(): void {
    sslGuard(() => this.#handle.setDefaultVerifyPaths());
    if (!systemStoreExists()) this.loadNodeRootCertificates();
  }

  /** Trusts the root certificates bundled with Node.js (`tls.rootCertificates`) (extra). */
  loadNodeRootCertificates(): void {
    const store = this.getCertStore();
    for (const cert of cachedNodeRoots()) store.addCert(cert);
  }

  /**
   * Trusts what `setDefaultVerifyPaths` trusts (the CA file and directory of `getDefaultVerifyPaths()`,
   * else Node's bundled roots), but parses the CA file once per process, and again only when it
   * changes, as node:tls does with its roots. The certificates are shared; the store stays this
   * Context's own. The directory is searched lazily, by subject hash, as OpenSSL always does. (extra)
   */
  loadDefaultTrust(): void {
    const { cafile, capath } = defaultCaLocations();
    const store = this.getCertStore();
    const anchors = cachedFileAnchors(cafile);
    for (const cert of anchors.certs) store.addCert(cert);
    for (const crl of anchors.crls) store.addCrl(crl);
    if (capath.length > 0) store.loadLocations(null, capath);
    if (!systemStoreExists()) this.loadNodeRootCertificates();
  }

  /** Uses the certificate in `certfile` (PEM by default). */
  useCertificateFile(certfile: string | Buffer, filetype: number = FILETYPE_PEM): void {
    const path = expectOptionalPath(certfile, 'certfile');
    if (path === null) throw typeError('certfile', 'a string', certfile);
    expectInteger(filetype, 'filetype');
    sslGuard(() => this.#handle.useCertificateFile(path, filetype));
  }

  /** Uses the PEM file's first certificate and sends the rest as its chain. */
  useCertificateChainFile(certfile: string | Buffer): void {
    const path = expectOptionalPath(certfile, 'certfile');
    if (path === null) throw typeError('certfile', 'a string', certfile);
    sslGuard(() => this.#handle.useCertificateChainFile(path));
  }

  /** Uses `cert` as this side's certificate. */
  useCertificate(cert: X509): void {
    if (!(cert instanceof X509)) throw typeError('cert', 'an X509', cert);
    const h = handleOf(cert, native.X509, 'cert', 'an X509');
    sslGuard(() => this.#handle.useCertificate(h));
  }

  /** Adds a certificate to the chain sent after this side's certificate. */
  addExtraChainCert(certobj: X509): void {
    if (!(certobj instanceof X509)) throw typeError('certobj', 'an X509', certobj);
    const h = handleOf(certobj, native.X509, 'certobj', 'an X509');
    sslGuard(() => this.#handle.addExtraChainCert(h));
  }

  /** Uses the private key in `keyfile` (PEM by default; an encrypted key fails, never prompts). */
  usePrivatekeyFile(keyfile: string | Buffer, filetype: number = FILETYPE_PEM): void {
    const path = expectOptionalPath(keyfile, 'keyfile');
    if (path === null) throw typeError('keyfile', 'a string', keyfile);
    expectInteger(filetype, 'filetype');
    const passwd = this.#passwd;
    const source = passwd ? (writing: boolean, maxLength: number) => passwd.cb(maxLength, writing, passwd.userdata) : undefined;
    sslGuard(() => this.#handle.usePrivateKeyFile(path, filetype, source));
  }

  /**
   * Sets the callback that gives the passphrase of encrypted key files (pyOpenSSL `set_passwd_cb`):
   * `(maxLength, verify, userdata) => Buffer | string`. What it throws is re-thrown by `usePrivatekeyFile`.
   */
  setPasswdCb(callback: PasswdCallback, userdata: unknown = null): void {
    if (typeof callback !== 'function') throw typeError('callback', 'a function', callback);
    this.#passwd = { cb: callback, userdata };
  }

  /** Uses `pkey` as this side's private key. */
  usePrivatekey(pkey: PKey): void {
    if (!(pkey instanceof PKey)) throw typeError('pkey', 'a PKey', pkey);
    const h = handleOf(pkey, native.PKey, 'pkey', 'a PKey');
    sslGuard(() => this.#handle.usePrivateKey(h));
  }

  /**
   * Checks that the private key matches the certificate.
   * @throws SSL.Error with OpenSSL's reason when it does not (or one is missing).
   */
  checkPrivatekey(): void {
    sslGuard(() => this.#handle.checkPrivateKey());
  }

  /**
   * Sets the verification mode (`VERIFY_NONE`, `VERIFY_PEER | VERIFY_FAIL_IF_NO_PEER_CERT`, ...) and an
   * optional callback called once per chain element with OpenSSL's verdict in `ok`; its return value
   * replaces that verdict. What the callback throws stops the handshake and is re-thrown from the
   * call that ran it (`doHandshake`, `recv`, ...).
   */
  setVerify(mode: number, callback?: VerifyCallback | null): void {
    expectInteger(mode, 'mode');
    if (callback !== undefined && callback !== null && typeof callback !== 'function') throw typeError('callback', 'a function', callback);
    sslGuard(() => this.#handle.setVerify(mode, callback ? adaptVerifyCallback(callback) : null));
    this.#verifyCallback = callback ?? null;
  }

  /**
   * Verifies as `setVerify(mode)` does, but a failed check does not stop the handshake: OpenSSL's
   * verdict is kept in `Connection.getVerifyResult()` and in the session (so a resumed connection
   * gets the same verdict) for the application to act on, as node:tls does with
   * `rejectUnauthorized`. Nothing is trusted by this call: a caller that goes on must check the
   * verdict. (extra)
   */
  setVerifyDeferred(mode: number): void {
    expectInteger(mode, 'mode');
    sslGuard(() => this.#handle.setVerifyDeferred(mode));
    this.#verifyCallback = null;
  }

  /** The verification mode. */
  getVerifyMode(): number {
    return this.#handle.getVerifyMode();
  }

  /** The verify callback set by `setVerify`, or null. */
  getVerifyCallback(): VerifyCallback | null {
    return this.#verifyCallback;
  }

  /** The maximum chain depth to verify. */
  setVerifyDepth(depth: number): void {
    expectInteger(depth, 'depth');
    sslGuard(() => this.#handle.setVerifyDepth(depth));
  }

  /** The maximum chain depth to verify. */
  getVerifyDepth(): number {
    return this.#handle.getVerifyDepth();
  }

  /**
   * Sets the TLS 1.2-and-below cipher list in OpenSSL's syntax (`ECDHE+AESGCM:!aNULL`).
   * @throws SSL.Error when no cipher matches.
   */
  setCipherList(cipherList: string | Buffer): void {
    const list = expectBytes(cipherList, 'cipherList');
    sslGuard(() => this.#handle.setCipherList(list));
  }

  /** Sets the TLS 1.3 ciphersuites (`TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256`). */
  setCiphersuites(ciphersuites: string | Buffer): void {
    const list = expectBytes(ciphersuites, 'ciphersuites');
    sslGuard(() => this.#handle.setCiphersuites(list));
  }

  /** The lowest protocol version to negotiate (`TLS1_2_VERSION`, ...; 0 for no bound). */
  setMinProtoVersion(version: number): void {
    expectInteger(version, 'version');
    try {
      this.#handle.setProtoVersion(0, version); // RangeError or the re-entry refusal
    } catch (e) {
      throw e instanceof RangeError ? new SSLError(e.message, [], 'ERR_SSL_UNSUPPORTED_PROTOCOL') : toSSLError(e);
    }
  }

  /** The highest protocol version to negotiate (`TLS1_3_VERSION`, ...; 0 for no bound). */
  setMaxProtoVersion(version: number): void {
    expectInteger(version, 'version');
    try {
      this.#handle.setProtoVersion(1, version);
    } catch (e) {
      throw e instanceof RangeError ? new SSLError(e.message, [], 'ERR_SSL_UNSUPPORTED_PROTOCOL') : toSSLError(e);
    }
  }

  /** The lowest protocol version allowed (0: no bound) (extra). */
  getMinProtoVersion(): number {
    return this.#handle.getProtoVersion(0);
  }

  /** The highest protocol version allowed (0: no bound) (extra). */
  getMaxProtoVersion(): number {
    return this.#handle.getProtoVersion(1);
  }

  /** Adds `OP_*` options; returns the options now in force. */
  setOptions(options: number | bigint): number {
    return changeOptions(this.#handle, options, false);
  }

  /** Removes `OP_*` options; returns the options now in force. */
  clearOptions(options: number | bigint): number {
    return changeOptions(this.#handle, options, true);
  }

  /** The options in force. */
  getOptions(): number {
    return Number(this.#handle.getOptions());
  }

  /** Adds `MODE_*` flags; returns the mode now in force. */
  setMode(mode: number): number {
    return changeMode(this.#handle, mode, false);
  }

  /** Removes `MODE_*` flags (pyOpenSSL `clear_mode`); returns the mode now in force. */
  clearMode(mode: number): number {
    return changeMode(this.#handle, mode, true);
  }

  /** The `MODE_*` flags in force. */
  getMode(): number {
    return this.#handle.getMode();
  }

  /** Sets the session id context servers use to scope session reuse (at most 32 bytes). */
  setSessionId(buf: Buffer | string): void {
    const id = expectBytes(buf, 'buf');
    sslGuard(() => this.#handle.setSessionIdContext(id));
  }

  /** Sends the CA names in a PEM file as the acceptable issuers of client certificates. */
  loadClientCa(cafile: string | Buffer): void {
    const path = expectOptionalPath(cafile, 'cafile');
    if (path === null) throw typeError('cafile', 'a string', cafile);
    sslGuard(() => this.#handle.loadClientCa(path));
  }

  /** Sets the acceptable client-certificate issuers sent to clients. */
  setClientCaList(certificateAuthorities: X509Name[]): void {
    if (!Array.isArray(certificateAuthorities)) throw typeError('certificateAuthorities', 'an array of X509Name', certificateAuthorities);
    const handles = certificateAuthorities.map((n, i) => {
      if (!(n instanceof X509Name)) throw typeError(`certificateAuthorities[${i}]`, 'an X509Name', n);
      return handleOf(n, native.X509Name, `certificateAuthorities[${i}]`, 'an X509Name');
    });
    sslGuard(() => this.#handle.setClientCaList(handles));
  }

  /** Adds a certificate's subject to the acceptable client-certificate issuers. */
  addClientCa(certificateAuthority: X509): void {
    if (!(certificateAuthority instanceof X509)) throw typeError('certificateAuthority', 'an X509', certificateAuthority);
    const h = handleOf(certificateAuthority, native.X509, 'certificateAuthority', 'an X509');
    sslGuard(() => this.#handle.addClientCa(h));
  }

  /** Sets the session cache mode (`SESS_CACHE_*`); returns the previous mode. */
  setSessionCacheMode(mode: number): number {
    expectInteger(mode, 'mode');
    return sslGuard(() => this.#handle.setSessionCacheMode(mode));
  }

  /** The session cache mode. */
  getSessionCacheMode(): number {
    return this.#handle.getSessionCacheMode();
  }

  /** Sets the session lifetime in seconds; returns the previous one. */
  setTimeout(timeout: number): number {
    expectInteger(timeout, 'timeout');
    return sslGuard(() => this.#handle.setTimeout(timeout));
  }

  /** The session lifetime in seconds. */
  getTimeout(): number {
    return this.#handle.getTimeout();
  }

  /** Loads finite-field DH parameters (PEM) for DHE cipher suites. */
  loadTmpDh(dhfile: string | Buffer): void {
    const path = expectOptionalPath(dhfile, 'dhfile');
    if (path === null) throw typeError('dhfile', 'a string', dhfile);
    sslGuard(() => this.#handle.loadTmpDh(path));
  }

  /** Lets OpenSSL pick DH parameters for DHE to match the certificate's strength (extra; node:tls's `dhparam: 'auto'`). */
  setDhAuto(): void {
    sslGuard(() => this.#handle.setDhAuto());
  }

  /**
   * Uses the finite-field DH parameters in `pem` (PEM text, not a path) for DHE cipher suites;
   * returns their size in bits (extra; node:tls's `dhparam`).
   */
  useTmpDh(pem: Buffer | Uint8Array | string): number {
    if (typeof pem !== 'string' && !(pem instanceof Uint8Array)) throw typeError('pem', 'PEM text (a string or Buffer)', pem);
    const bytes = typeof pem === 'string' ? Buffer.from(pem) : Buffer.from(pem.buffer, pem.byteOffset, pem.byteLength);
    return sslGuard(() => this.#handle.loadTmpDh(bytes));
  }

  /** Uses one elliptic curve for ECDHE (pyOpenSSL `set_tmp_ecdh`): a curve name such as `prime256v1`, or `getEllipticCurve(name)`. */
  setTmpEcdh(curve: string | EllipticCurve): void {
    const name = curve instanceof EllipticCurve ? curve.name : curve;
    if (typeof name !== 'string') throw typeError('curve', 'a curve name or an EllipticCurve', curve);
    this.setGroups([name === 'prime256v1' ? 'P-256' : name === 'secp384r1' ? 'P-384' : name === 'secp521r1' ? 'P-521' : name]);
  }

  /** Sets the key-exchange groups in preference order (`X25519`, `P-256`, `ffdhe2048`, ...). */
  setGroups(groups: string[] | string): void {
    const list = Array.isArray(groups) ? nameList(groups, 'groups') : groups;
    if (typeof list !== 'string') throw typeError('groups', 'an array of group names', groups);
    sslGuard(() => this.#handle.setGroups(list));
  }

  /** Sets the signature algorithms in preference order (`ECDSA+SHA256`, `rsa_pss_rsae_sha256`, ...). */
  setSigalgs(sigalgs: string[] | string): void {
    const list = Array.isArray(sigalgs) ? nameList(sigalgs, 'sigalgs') : sigalgs;
    if (typeof list !== 'string') throw typeError('sigalgs', 'an array of signature algorithm names', sigalgs);
    sslGuard(() => this.#handle.setSigalgs(list));
  }

  /** Sets OpenSSL's info callback `(conn, where, ret)`; null removes it. */
  setInfoCallback(callback: InfoCallback | null): void {
    checkCallback(callback);
    this.#setCallback('info', callback ? (conn: unknown, where: number, ret: number) => callback(conn as Connection, where, ret) : null);
  }

  /** Sets the key-log callback `(conn, line)`: NSS key-log lines, e.g. for Wireshark. */
  setKeylogCallback(callback: KeylogCallback | null): void {
    checkCallback(callback);
    this.#setCallback('keylog', callback ? (conn: unknown, line: Buffer) => callback(conn as Connection, line) : null);
  }

  /** Sets the server's SNI callback `(conn)`; it may switch `conn` to another Context. A throw aborts the handshake. */
  setTlsextServernameCallback(callback: ServernameCallback | null): void {
    checkCallback(callback);
    this.#setCallback('servername', callback ? (conn: unknown) => callback(conn as Connection) : null);
  }

  /** Sets the protocols a client offers with ALPN, most preferred first. */
  setAlpnProtos(protos: (Buffer | string)[]): void {
    const wire = alpnWire(protos);
    sslGuard(() => this.#handle.setAlpnProtos(wire));
  }

  /** Sets the server's ALPN choice callback `(conn, offered) => protocol | NO_OVERLAP`. */
  setAlpnSelectCallback(callback: AlpnSelectCallback | null): void {
    checkCallback(callback);
    this.#setCallback(
      'alpnSelect',
      callback
        ? (conn: unknown, offered: Buffer[]) => {
            const r = callback(conn as Connection, offered);
            return r === NO_OVERLAP ? null : r;
          }
        : null,
    );
  }

  /** Installs or removes a native callback; refused (SSLError) while a Connection of this Context runs one. */
  #setCallback(kind: Parameters<ContextHandle['setCallback']>[0], callback: ((...args: never[]) => unknown) | null): void {
    sslGuard(() => this.#handle.setCallback(kind, callback));
  }

  #installOcsp(server: OcspServerEntry | null, client: OcspClientEntry | null): void {
    if (!server && !client) {
      this.#setCallback('ocsp', null);
      return;
    }
    // OpenSSL has one status callback; it is called with only the Connection on a server and with
    // the stapled response as well on a client.
    this.#setCallback('ocsp', (...args: unknown[]) => {
      const conn = args[0] as Connection;
      if (args.length === 1) {
        if (!server) return null;
        const r: unknown = server.cb(conn, server.data);
        if (r instanceof OCSPResponse) return r.toDER();
        if (r === null || r === undefined) return null;
        if (!(r instanceof Uint8Array)) throw typeError('the OCSP server callback result', 'a Buffer, an OCSPResponse or null', r);
        return r.length === 0 ? null : r;
      }
      if (!client) return true;
      const der = (args[1] as Buffer | null) ?? Buffer.alloc(0);
      return client.cb(conn, der, client.data, parseStaple(der));
    });
  }

  /** Sets the server's OCSP stapling callback `(conn, data) => derResponse`. */
  setOcspServerCallback(callback: OcspServerCallback, data: unknown = null): void {
    if (typeof callback !== 'function') throw typeError('callback', 'a function', callback);
    const server = { cb: callback, data };
    this.#installOcsp(server, this.#ocspClient);
    this.#ocspServer = server;
  }

  /**
   * Sets the client's OCSP callback `(conn, ocspData, data, response) => boolean` (use with
   * `Connection.requestOcsp` or `requireOcspStaple`); `response` is the staple parsed, or null.
   */
  setOcspClientCallback(callback: OcspClientCallback, data: unknown = null): void {
    if (typeof callback !== 'function') throw typeError('callback', 'a function', callback);
    const client = { cb: callback, data };
    this.#installOcsp(this.#ocspServer, client);
    this.#ocspClient = client;
  }

  /**
   * Clients: asks every server for a stapled OCSP response and checks it during the handshake, as
   * OpenSSL's OCSP verification does: signed by the issuing CA or a delegated responder, whose chain
   * verifies against this Context's trust store; current (thisUpdate/nextUpdate, with `clockSkew`);
   * and saying `good` for the server's certificate. A revoked certificate fails the handshake with
   * CertificateVerifyError `CERT_REVOKED`; any other problem with SSLError `ERR_OCSP_STAPLE_MISSING`,
   * `ERR_OCSP_STAPLE_INVALID` or `ERR_OCSP_STATUS_UNKNOWN`. A resumed session is not checked again
   * (it was when it was made). Like every Context setting, it applies to Connections made afterwards;
   * it replaces `setOcspClientCallback`'s callback, and a later `setOcspClientCallback` replaces it.
   * @param stapleOptions `required` (default true): whether a missing staple fails; `clockSkew` (300 s); `maxAge` (-1).
   */
  requireOcspStaple(stapleOptions: OcspStapleOptions = {}): void {
    const o = ownOptions(stapleOptions);
    if (o.required !== undefined && typeof o.required !== 'boolean') throw typeError('required', 'a boolean', o.required);
    const clockSkew = o.clockSkew === undefined ? 300 : expectInteger(o.clockSkew, 'clockSkew');
    const maxAge = o.maxAge === undefined ? -1 : expectInteger(o.maxAge, 'maxAge');
    if (clockSkew < 0) throw new RangeError(`"clockSkew" must not be negative, got ${clockSkew}`);
    if (maxAge < -1) throw new RangeError(`"maxAge" must be -1 or more, got ${maxAge}`);
    const options = { required: o.required ?? true, clockSkew, maxAge };
    sslGuard(() => this.#handle.requestOcsp());
    const store = this.getCertStore();
    this.setOcspClientCallback((conn, der, _data, response) => checkStaple(conn, der, response, store, options));
  }

  /**
   * Clients: turns on Certificate Transparency with OpenSSL's own policy (`SSL_CTX_enable_ct`): the
   * client asks for SCTs, validates every SCT it gets (TLS extension, stapled OCSP response,
   * certificate) against the logs of `setCtLogStore`, and with `'strict'` fails the handshake unless
   * at least one is valid. Replaces `setCtValidationCallback`'s callback.
   * @param mode `'permissive'` / `CT_VALIDATION_PERMISSIVE` or `'strict'` / `CT_VALIDATION_STRICT`.
   */
  enableCt(mode: 'permissive' | 'strict' | number): void {
    const code = mode === 'permissive' ? CT_VALIDATION_PERMISSIVE : mode === 'strict' ? CT_VALIDATION_STRICT : mode;
    if (code !== CT_VALIDATION_PERMISSIVE && code !== CT_VALIDATION_STRICT) {
      throw typeError('mode', "'permissive', 'strict', CT_VALIDATION_PERMISSIVE or CT_VALIDATION_STRICT", mode);
    }
    sslGuard(() => this.#handle.enableCt(code));
  }

  /**
   * Clients: turns on Certificate Transparency with a policy of your own: `callback(conn, scts)`
   * gets the server's SCTs, each with OpenSSL's `validationStatus`, and returns whether to go on
   * (false or a throw fails the handshake). Null turns CT off. Applies to Connections made afterwards.
   */
  setCtValidationCallback(callback: CtValidationCallback | null): void {
    if (callback !== null && typeof callback !== 'function') throw typeError('callback', 'a function or null', callback);
    this.#setCallback(
      'ct',
      callback === null
        ? null
        : (...args: unknown[]) => callback(args[0] as Connection, (args[1] as SctFields[]).map((f) => SCT._fromFields(f))),
    );
  }

  /** Adds the logs of `store` to those this Context validates SCTs against (`SSL_CTX_set_ctlog_list_file`). */
  setCtLogStore(store: CTLogStore): void {
    if (!(store instanceof CTLogStore)) throw typeError('store', 'a CTLogStore', store);
    store._withFile((path) => sslGuard(() => this.#handle.loadCtLogList(path)));
  }

  /** Adds the logs of an OpenSSL CT log list file (`ct_log_list.cnf` format). */
  loadCtLogListFile(path: string): void {
    const p = expectOptionalPath(path, 'path');
    if (p === null) throw typeError('path', 'a string', path);
    sslGuard(() => this.#handle.loadCtLogList(p));
  }

  /**
   * Servers: TLS extensions to send with the certificate (OpenSSL's serverinfo,
   * `SSL_CTX_use_serverinfo_ex`): version 2 (the default) is, per extension, a 4-byte context, the
   * 2-byte type, the 2-byte length and the data; version 1 has no context (TLS 1.2 only). Call it
   * after the certificate is set.
   */
  useServerinfo(serverinfo: Buffer | Uint8Array, version: 1 | 2 = 2): void {
    const data = expectByteArray(serverinfo, 'serverinfo');
    if (version !== 1 && version !== 2) throw typeError('version', '1 or 2', version);
    sslGuard(() => this.#handle.useServerinfo(data, version));
  }

  /**
   * Servers: sends these SCTs in the signed_certificate_timestamp TLS extension to clients that ask
   * (TLS 1.2 and 1.3), through `useServerinfo`. Call it after the certificate is set.
   * @param scts SCTs, their TLS encodings, or a whole TLS-encoded SCT list.
   */
  setServerScts(scts: Array<SCT | Buffer | Uint8Array> | Buffer | Uint8Array): void {
    const list = Array.isArray(scts) ? encodeSctList(scts) : scts;
    if (!(list instanceof Uint8Array)) throw typeError('scts', 'an array of SCT or a TLS-encoded SCT list', scts);
    if (list.length > 0xffff) throw new RangeError('the SCT list is too long for a TLS extension');
    const head = Buffer.alloc(8);
    head.writeUInt32BE(SCT_SERVERINFO_CONTEXT, 0);
    head.writeUInt16BE(TLSEXT_SCT, 4);
    head.writeUInt16BE(list.length, 6);
    this.useServerinfo(Buffer.concat([head, list]), 2);
  }

  /**
   * Python's `SSLContext.wrap_bio`: an `SSLObject` over two `MemoryBIO`s (OpenSSL reads `incoming`
   * and writes `outgoing` directly), the asyncio-style sans-IO API with CPython's semantics.
   * @param serverSideOrOptions `serverSide`, or all the options as an object.
   * A client without `serverHostname` is not checked against a name, and a server's is only
   * recorded, as in CPython.
   */
  wrapBio(
    incoming: MemoryBIO,
    outgoing: MemoryBIO,
    serverSideOrOptions: boolean | WrapBioOptions = false,
    serverHostname: string | null = null,
    session: Session | null = null,
  ): SSLObject {
    const options: WrapBioOptions =
      typeof serverSideOrOptions === 'object' && serverSideOrOptions !== null ? ownOptions(serverSideOrOptions) : { serverSide: serverSideOrOptions, serverHostname, session };
    if (makeSslObject === null) throw new TypeError('wrapBio needs SSLObject: import it from @ossl/ssl');
    return makeSslObject(this, incoming, outgoing, options) as SSLObject;
  }

  /** Counts of the certificates, CRLs and CA certificates loaded into the store (Python's `cert_store_stats`). */
  certStoreStats(): CertStoreStats {
    return sslGuard(() => this.#handle.certStoreStats());
  }

  /**
   * The CA certificates loaded into the store (Python's `get_ca_certs`): as `getpeercert()`
   * dictionaries, or DER with `binaryForm`. A `capath` directory's certificates appear once looked up.
   */
  getCaCerts(binaryForm?: false): PythonCertDict[];
  getCaCerts(binaryForm: true): Buffer[];
  getCaCerts(binaryForm = false): PythonCertDict[] | Buffer[] {
    if (typeof binaryForm !== 'boolean') throw typeError('binaryForm', 'a boolean', binaryForm);
    const certs = sslGuard(() => this.#handle.getCaCerts()).map((h) => X509._fromHandle(h));
    return binaryForm ? certs.map((c) => dumpCertificate(FILETYPE_ASN1, c)) : certs.map((c) => certToPythonDict(c));
  }

  /** OpenSSL's session counters (Python's `session_stats`): number, connect, connect_good, accept, hits, misses, ... */
  sessionStats(): Record<string, number> {
    return this.#handle.sessionStats();
  }

  /** The `X509_V_FLAG_*` bits of peer verification (Python's `verify_flags`; `VERIFY_X509_STRICT`, ...). */
  get verifyFlags(): number {
    return this.#handle.getVerifyFlags();
  }

  /** Replaces the `X509_V_FLAG_*` bits (Python's `verify_flags` setter). */
  set verifyFlags(flags: number) {
    expectInteger(flags, 'flags');
    sslGuard(() => this.#handle.setVerifyFlags(flags));
  }

  /** The trusted-certificate store this Context verifies peers against (shared, not a copy). */
  getCertStore(): X509Store {
    return X509Store._fromHandle(sslGuard(() => this.#handle.getCertStore()));
  }

  /** The identity hint a PSK server sends. */
  usePskIdentityHint(hint: Buffer | string): void {
    const h = expectBytes(hint, 'hint');
    sslGuard(() => this.#handle.usePskIdentityHint(h));
  }

  /** Sets the server's PSK callback `(conn, identity) => psk | null`. */
  setPskServerCallback(callback: PskServerCallback | null): void {
    checkCallback(callback);
    this.#setCallback('pskServer', callback ? (conn: unknown, identity: Buffer | null) => callback(conn as Connection, identity) : null);
  }

  /** Sets the client's PSK callback `(conn, hint) => [identity, psk]`. */
  setPskClientCallback(callback: PskClientCallback | null): void {
    checkCallback(callback);
    this.#setCallback('pskClient', callback ? (conn: unknown, hint: Buffer | null) => callback(conn as Connection, hint) : null);
  }

  /** Lets clients made from this Context answer TLS 1.3 post-handshake certificate requests. */
  setPostHandshakeAuth(enabled = true): void {
    sslGuard(() => this.#handle.setPostHandshakeAuth(Boolean(enabled)));
  }

  /** Offers or accepts DTLS-SRTP profiles (`SRTP_AES128_CM_SHA1_80:...`). */
  setTlsextUseSrtp(profiles: string | Buffer): void {
    const p = Buffer.isBuffer(profiles) ? profiles.toString('latin1') : profiles;
    if (typeof p !== 'string') throw typeError('profiles', 'a string', profiles);
    sslGuard(() => this.#handle.setTlsextUseSrtp(p));
  }

  /** Sets the DTLS server's cookie generator `(conn) => cookie` (for `Connection.DTLSv1Listen`). */
  setCookieGenerateCallback(callback: CookieGenerateCallback | null): void {
    checkCallback(callback);
    this.#setCallback('cookieGenerate', callback ? (conn: unknown) => callback(conn as Connection) : null);
  }

  /** Sets the DTLS server's cookie check `(conn, cookie) => boolean`. */
  setCookieVerifyCallback(callback: CookieVerifyCallback | null): void {
    checkCallback(callback);
    this.#setCallback('cookieVerify', callback ? (conn: unknown, cookie: Buffer) => callback(conn as Connection, cookie) : null);
  }

  /**
   * Sets the client's new-session callback `(conn, session)` (OpenSSL's `SSL_CTX_sess_set_new_cb`):
   * called with each session the client can resume later, at the end of a TLS 1.2 handshake and as
   * each TLS 1.3 ticket arrives (during `recv`). Turns on OpenSSL's client session cache mode, which
   * is what makes OpenSSL report them. What it throws is re-thrown from the call that ran it, and the
   * Connection then refuses further I/O. (extra; node:tls's `'session'` event is built on it)
   */
  setNewSessionCallback(callback: NewSessionCallback | null): void {
    checkCallback(callback);
    this.#setCallback('newSession', callback ? (conn: unknown, session: SessionHandle) => callback(conn as Connection, Session._fromHandle(session)) : null);
  }

  /**
   * Sets the certificate callback `(conn) => boolean` (OpenSSL's `SSL_CTX_set_cert_cb`): run when the
   * certificate is chosen; returning false suspends the handshake for an asynchronous lookup (SNI,
   * OCSP), and the next `doHandshake` calls it again. It may switch `conn` to another Context (extra).
   */
  setCertCallback(callback: CertCallback | null): void {
    checkCallback(callback);
    this.#setCallback('cert', callback ? (conn: unknown) => callback(conn as Connection) : null);
  }

  /**
   * Sets the server's client-hello callback `(conn) => boolean` (OpenSSL's `SSL_CTX_set_client_hello_cb`):
   * run on each ClientHello before OpenSSL acts on it; returning false suspends the handshake for an
   * asynchronous lookup (a session cache), and the next `doHandshake` calls it again. With it, the session
   * id lookup finds the session given to `Connection.setPendingSession` (extra).
   */
  setClientHelloCallback(callback: ClientHelloCallback | null): void {
    checkCallback(callback);
    this.#setCallback('clientHello', callback ? (conn: unknown) => callback(conn as Connection) : null);
  }

  /** How many TLS 1.3 session tickets a server sends after the handshake (extra). */
  setNumTickets(n: number): void {
    expectInteger(n, 'n');
    sslGuard(() => this.#handle.setNumTickets(n));
  }

  /**
   * The 48 bytes of session ticket keys in use (16 of key name, 16 of HMAC key, 16 of AES key; node:tls's
   * `getTicketKeys`). OpenSSL does not reveal its own random keys, so the first read replaces them with
   * new random ones (extra).
   */
  getTicketKeys(): Buffer {
    return sslGuard(() => this.#handle.getTicketKeys());
  }

  /**
   * Sets the session ticket keys: 48 bytes, as `getTicketKeys` returns them. Servers that share keys
   * resume each other's tickets (the workers of a cluster; node:tls's `ticketKeys`) (extra).
   * @throws TypeError when `keys` is not bytes, RangeError when it is not 48 bytes long.
   */
  setTicketKeys(keys: Buffer | Uint8Array): void {
    if (!(keys instanceof Uint8Array)) throw typeError('keys', 'a Buffer of 48 bytes', keys);
    if (keys.length !== 48) throw new RangeError(`"keys" must be 48 bytes long, got ${keys.length}`);
    sslGuard(() => this.#handle.setTicketKeys(keys));
  }

  /** Data of the application's own, kept with the Context. */
  getAppData(): unknown {
    return this.#appData;
  }

  /** Stores data of the application's own with the Context. */
  setAppData(data: unknown): void {
    this.#appData = data;
  }

  /**
   * What `util.inspect` and `console.log` print:
   * `Context { method: 'TLS_CLIENT_METHOD', verifyMode: 'VERIFY_PEER', checkHostname: true }` (and `verifyDepth`
   * when one was set).
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(
      this,
      'Context',
      {
        method: () => METHOD_NAMES[this.#method] ?? this.#method,
        verifyMode: () => verifyModeName(this.#handle.getVerifyMode()),
        verifyDepth: () => {
          const d = this.#handle.getVerifyDepth();
          return d < 0 ? undefined : d; // -1: not set (OpenSSL's default applies)
        },
        checkHostname: () => this.checkHostname,
      },
      depth,
      options,
      inspectFn,
    );
  }
}

