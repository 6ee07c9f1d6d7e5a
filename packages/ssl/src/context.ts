import { PKey, X509, handleOf, kHandle, FILETYPE_PEM } from '@ossl/crypto';
import { native, type ContextHandle, type VerifyCallback as NativeVerifyCallback, type X509Handle } from '@ossl/native';

import { SSLv2_METHOD, SSLv3_METHOD } from './constants.js';
import { SSLError, toSSLError } from './errors.js';
import { expectBytes, expectInteger, expectOptionalPath, typeError } from './internal/args.js';
import type { Connection } from './connection.js';

/** `(conn, cert, errnum, depth, ok) => boolean`: accept (true) or reject (false) one chain element. */
export type VerifyCallback = (conn: Connection, cert: X509, errnum: number, depth: number, ok: number) => boolean | number;

/** Runs a native call, turning OpenSSL failures into `SSL.Error`. */
export function sslGuard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw toSSLError(e);
  }
}

/** Adapts a user verify callback to the native one (which passes handles, not objects). */
export function adaptVerifyCallback(callback: VerifyCallback): NativeVerifyCallback {
  return (conn, cert, errnum, depth, ok) =>
    callback(conn as Connection, X509._fromHandle(cert as X509Handle), errnum, depth, ok);
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
  #verifyCallback: VerifyCallback | null = null;
  #appData: unknown = null;

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
    try {
      this.#handle = new native.Context(method);
    } catch (e) {
      if (e instanceof RangeError) throw new SSLError(e.message, [], 'ERR_SSL_INVALID_METHOD');
      throw toSSLError(e);
    }
  }

  /** @internal */
  get [kHandle](): ContextHandle {
    return this.#handle;
  }

  /** Trusts the CA certificates in `cafile` (PEM) and/or the hashed directory `capath`. */
  loadVerifyLocations(cafile: string | Buffer | null, capath: string | Buffer | null = null): void {
    const file = expectOptionalPath(cafile, 'cafile');
    const dir = expectOptionalPath(capath, 'capath');
    sslGuard(() => this.#handle.loadVerifyLocations(file, dir));
  }

  /** Trusts OpenSSL's default CA locations (the system store). */
  setDefaultVerifyPaths(): void {
    sslGuard(() => this.#handle.setDefaultVerifyPaths());
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
    sslGuard(() => this.#handle.useCertificate(handleOf(cert)));
  }

  /** Adds a certificate to the chain sent after this side's certificate. */
  addExtraChainCert(certobj: X509): void {
    if (!(certobj instanceof X509)) throw typeError('certobj', 'an X509', certobj);
    sslGuard(() => this.#handle.addExtraChainCert(handleOf(certobj)));
  }

  /** Uses the private key in `keyfile` (PEM by default; an encrypted key fails, never prompts). */
  usePrivatekeyFile(keyfile: string | Buffer, filetype: number = FILETYPE_PEM): void {
    const path = expectOptionalPath(keyfile, 'keyfile');
    if (path === null) throw typeError('keyfile', 'a string', keyfile);
    expectInteger(filetype, 'filetype');
    sslGuard(() => this.#handle.usePrivateKeyFile(path, filetype));
  }

  /** Uses `pkey` as this side's private key. */
  usePrivatekey(pkey: PKey): void {
    if (!(pkey instanceof PKey)) throw typeError('pkey', 'a PKey', pkey);
    sslGuard(() => this.#handle.usePrivateKey(handleOf(pkey)));
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
    this.#verifyCallback = callback ?? null;
    this.#handle.setVerify(mode, callback ? adaptVerifyCallback(callback) : null);
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
      this.#handle.setProtoVersion(0, version);
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

  /** Adds `OP_*` options; returns the options now in force. */
  setOptions(options: number | bigint): number {
    const value = typeof options === 'bigint' ? options : BigInt(expectInteger(options, 'options'));
    return Number(this.#handle.setOptions(value));
  }

  /** Removes `OP_*` options; returns the options now in force. */
  clearOptions(options: number | bigint): number {
    const value = typeof options === 'bigint' ? options : BigInt(expectInteger(options, 'options'));
    return Number(this.#handle.clearOptions(value));
  }

  /** The options in force. */
  getOptions(): number {
    return Number(this.#handle.getOptions());
  }

  /** Adds `MODE_*` flags; returns the mode now in force. */
  setMode(mode: number): number {
    expectInteger(mode, 'mode');
    return this.#handle.setMode(mode);
  }

  /** Sets the session id context servers use to scope session reuse (at most 32 bytes). */
  setSessionId(buf: Buffer | string): void {
    const id = expectBytes(buf, 'buf');
    sslGuard(() => this.#handle.setSessionIdContext(id));
  }

  /** Data of the application's own, kept with the Context. */
  getAppData(): unknown {
    return this.#appData;
  }

  /** Stores data of the application's own with the Context. */
  setAppData(data: unknown): void {
    this.#appData = data;
  }
}

