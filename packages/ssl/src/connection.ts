import { isIP } from 'node:net';
import { inspect, type InspectOptionsStylized } from 'node:util';
import { PKey, SCT, X509, X509Name, kHandle } from '@ossl/crypto';
import { native, type ConnectionHandle, type MemoryBIOHandle } from '@ossl/native';

import {
  SSL_ERROR_SYSCALL,
  SSL_ERROR_WANT_READ,
  SSL_ERROR_WANT_WRITE,
  SSL_ERROR_WANT_CLIENT_HELLO_CB,
  SSL_ERROR_WANT_X509_LOOKUP,
  SSL_ERROR_ZERO_RETURN,
} from './constants.js';
import { adaptVerifyCallback, alpnWire, changeMode, changeOptions, Context, sslGuard, type InfoCallback, type VerifyCallback } from './context.js';
import { Session } from './session.js';
import { CertificateVerifyError, SSLError, SysCallError, WantReadError, WantWriteError, WantX509LookupError, ZeroReturnError, toSSLError } from './errors.js';
import { brandClass, expectBytes, expectInteger, handleOf, inspectFields, printable, typeError } from '@ossl/crypto/internal';

/** The peer's ephemeral key of a key exchange (`Connection.getPeerTmpKey`). */
export interface TmpKeyInfo {
  /** `'ECDH'` (elliptic curves, X25519, X448), `'DH'`, or `'TLSGroup'` for a group without a key object (a hybrid such as X25519MLKEM768). */
  type: string;
  /** The curve or group (`'prime256v1'`, `'X25519'`, `'X25519MLKEM768'`); absent for DH. */
  name?: string;
  /** The key's size in bits (absent for a `'TLSGroup'`). */
  size?: number;
}

/** What `Connection.clientHelloInfo` reads from a ClientHello. */
export interface ClientHelloInfo {
  /** The legacy session id (empty when the client resumes nothing by id). */
  sessionId: Buffer;
  /** Whether the client offers a session ticket. */
  hasTicket: boolean;
}

/** Turns a native result (>= 0, or -SSL_ERROR_*) into a value or pyOpenSSL's exception. */
/**
 * WantReadError and WantWriteError are the sans-IO API's control flow, thrown on every retry of every
 * handshake and read; they are made without a stack trace, whose capture costs several microseconds
 * (their `stack` is the name and message alone).
 */
function retryError<T extends Error>(ErrorClass: new () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new ErrorClass();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export function checkResult(n: number): number {
  if (n >= 0) return n;
  switch (-n) {
    case SSL_ERROR_WANT_READ:
      throw retryError(WantReadError);
    case SSL_ERROR_WANT_WRITE:
      throw retryError(WantWriteError);
    case SSL_ERROR_WANT_X509_LOOKUP:
    case SSL_ERROR_WANT_CLIENT_HELLO_CB:
      // A callback (certificate or client hello) asked to wait for the application.
      throw new WantX509LookupError();
    case SSL_ERROR_ZERO_RETURN:
      throw new ZeroReturnError();
    case SSL_ERROR_SYSCALL:
      throw new SysCallError(-1, 'Unexpected EOF');
    default:
      throw new SSLError(`OpenSSL asked for an unsupported retry (SSL_get_error ${-n})`, [], 'ERR_SSL_UNEXPECTED_RETRY');
  }
}

/**
 * Makes the socket-mode object `new Connection(context, socket)` returns (set by socket-connection.ts,
 * which imports this module, so this one cannot import it).
 */
let socketMode: ((context: Context, socket: object, options: unknown) => object) | null = null;

/** @internal */
export function setSocketMode(make: (context: Context, socket: object, options: unknown) => object): void {
  socketMode = make;
}

/** The MemoryBIOs the next Connection is made over (`connectionOverBios`), taken by its constructor. */
let biosForNext: [MemoryBIOHandle, MemoryBIOHandle] | null = null;

/**
 * A sans-IO Connection whose OpenSSL BIOs are `incoming` and `outgoing` (Python's wrap_bio).
 * @internal
 */
export function connectionOverBios(context: Context, incoming: MemoryBIOHandle, outgoing: MemoryBIOHandle): Connection {
  biosForNext = [incoming, outgoing];
  try {
    return new Connection(context);
  } finally {
    biosForNext = null;
  }
}

/** The side a Connection was set to (read by `connectionFields`; set in Connection's static block). */
let sideOf: (conn: Connection) => 'client' | 'server' | undefined;

/**
 * A TLS connection: pyOpenSSL's `SSL.Connection` in memory-BIO (sans-IO) mode. Bytes from the peer
 * go in with `bioWrite`, bytes for the peer come out of `bioRead`; `doHandshake`, `send` and `recv`
 * throw `WantReadError` when they need more bytes from the peer, exactly where pyOpenSSL does.
 *
 * For a socket, use `SocketConnection`, which drives a Connection over any Duplex.
 */
export class Connection {
  #handle!: ConnectionHandle;
  #context!: Context;
  #appData: unknown = null;
  #client = false;
  /** Which side `setConnectState`/`setAcceptState` made this (for printing). */
  #side: 'client' | 'server' | undefined = undefined;
  #hostChecked = false;

  static {
    brandClass(this, '@ossl/ssl:Connection');
    sideOf = (conn) => conn.#side;
  }

  /**
   * @param context the settings to use (the Connection keeps it alive).
   * @param socket absent or null for this sans-IO Connection. Given a net.Socket, a Duplex or a
   *   listening net.Server, the result is pyOpenSSL's socket mode: a `SocketConnection` over it
   *   (whose calls are Promises), made with `options`.
   * @param options `SocketConnection`'s options, in socket mode only.
   */
  constructor(context: Context, socket?: object | null, options?: unknown) {
    if (!(context instanceof Context)) throw typeError('context', 'a Context', context);
    if (socket !== undefined && socket !== null) {
      if (socketMode === null) throw new TypeError('socket mode needs SocketConnection: import it from @ossl/ssl');
      // A constructor may return another object: pyOpenSSL's Connection(context, socket) is socket mode.
      return socketMode(context, socket, options) as Connection;
    }
    if (options !== undefined) throw new TypeError('options are for socket mode: pass a socket, or no options');
    const ctx = handleOf(context, native.Context, 'context', 'a Context');
    this.#context = context;
    const bios = biosForNext;
    biosForNext = null;
    this.#handle = sslGuard(() => (bios === null ? new native.Connection(ctx, this) : new native.Connection(ctx, this, bios[0], bios[1])));
  }

  /**
   * The native handle, for the other ossl packages and for the other copies of this one (the ESM
   * and CJS builds, a second installed copy): they cannot read `#handle`, but can read this.
   * @internal
   */
  get [kHandle](): ConnectionHandle {
    return this.#handle;
  }

  /** The Context this Connection was made from. */
  getContext(): Context {
    return this.#context;
  }

  /** Act as the client. */
  setConnectState(): void {
    sslGuard(() => this.#handle.setConnectState());
    this.#client = true;
    this.#side = 'client';
  }

  /** Act as the server. */
  setAcceptState(): void {
    sslGuard(() => this.#handle.setAcceptState());
    this.#side = 'server';
  }

  /**
   * Runs the handshake as far as the bytes at hand allow.
   * @throws WantReadError when more bytes from the peer are needed; SSL.Error (or
   *   CertificateVerifyError) when the handshake fails; whatever a callback threw.
   */
  doHandshake(): void {
    if (!this.tryHandshake()) throw retryError(WantReadError);
  }

  /** Feeds bytes received from the peer; returns how many were taken (all of them). */
  bioWrite(buf: Buffer | string): number {
    const data = expectBytes(buf, 'buf');
    return sslGuard(() => this.#handle.bioWrite(data));
  }

  /**
   * Takes up to `bufsiz` bytes to send to the peer.
   * @throws WantReadError when there is nothing to send.
   */
  bioRead(bufsiz: number): Buffer {
    expectInteger(bufsiz, 'bufsiz');
    const r = sslGuard(() => this.#handle.bioRead(bufsiz));
    if (typeof r === 'number') checkResult(r);
    return r as Buffer;
  }

  /** How many bytes wait to be sent to the peer (extra). */
  bioPending(): number {
    return this.#handle.bioPending();
  }

  /** How many received bytes wait to be processed by the engine (extra). */
  bioInPending(): number {
    return this.#handle.bioInPending();
  }

  /**
   * Removes and returns the received bytes the engine has not consumed (extra). After the peer's
   * close_notify these are the cleartext that followed TLS on the transport (the end of STARTTLS).
   */
  takeInput(): Buffer {
    return sslGuard(() => this.#handle.takeInput());
  }

  /** Tells the Connection that the peer's byte stream has ended (EOF on the transport). */
  bioShutdown(): void {
    sslGuard(() => this.#handle.bioShutdown());
  }

  /**
   * Encrypts and queues `buf`; returns how many bytes were taken (possibly fewer: call again).
   * @throws WantReadError (renegotiation needs the peer), SSL.Error, ZeroReturnError.
   */
  send(buf: Buffer | string, flags?: number): number {
    void flags;
    const data = expectBytes(buf, 'buf');
    let r: number;
    try {
      r = this.#handle.write(data);
    } catch (e) {
      throw toSSLError(e);
    }
    return checkResult(r);
  }

  /** The same as `send`. */
  write(buf: Buffer | string, flags?: number): number {
    return this.send(buf, flags);
  }

  /**
   * Encrypts all of `data` (a Buffer, or several in order) and returns every byte the engine has for
   * the peer, in one Buffer: `sendall` and `bioRead` in one call (extra; what event-loop drivers use).
   * @throws WantReadError (a renegotiation waits for the peer; what was taken stays queued), SSL.Error.
   */
  encrypt(data: Buffer | Uint8Array | ReadonlyArray<Buffer | Uint8Array>): Buffer {
    let r: Buffer | number;
    try {
      r = this.#handle.encrypt(data as Buffer | Buffer[]);
    } catch (e) {
      throw toSSLError(e);
    }
    if (typeof r === 'number') checkResult(r);
    return r as Buffer;
  }

  /**
   * Runs the handshake as far as the bytes at hand allow, as `doHandshake`, but answers false where
   * `doHandshake` throws WantReadError: a driver that waits for bytes pays for no exception (extra).
   * @returns true when the handshake is done.
   */
  tryHandshake(): boolean {
    this.checkHostnameReady();
    let r: number;
    try {
      r = this.#handle.doHandshake();
    } catch (e) {
      throw toSSLError(e);
    }
    if (r === -SSL_ERROR_WANT_READ) return false;
    checkResult(r);
    return true;
  }

  /** Sends all of `buf` (the memory BIO takes everything); returns its length. */
  sendall(buf: Buffer | string, flags?: number): number {
    const data = typeof expectBytes(buf, 'buf') === 'string' ? Buffer.from(buf as string) : (buf as Buffer);
    let offset = 0;
    while (offset < data.length) offset += this.send(data.subarray(offset), flags);
    return data.length;
  }

  /**
   * Decrypts up to `bufsiz` bytes (`MSG_PEEK` in `flags` leaves them queued).
   * @throws WantReadError when no record is complete yet; ZeroReturnError after the peer's
   *   close_notify; SysCallError when the stream ended without one.
   */
  recv(bufsiz: number, flags?: number): Buffer {
    expectInteger(bufsiz, 'bufsiz');
    if (bufsiz < 0) throw new RangeError('"bufsiz" must not be negative');
    const out = Buffer.allocUnsafe(bufsiz);
    const n = this.#readInto(out, 0, bufsiz, flags === MSG_PEEK);
    return n === bufsiz ? out : out.subarray(0, n);
  }

  /**
   * `recv` for event loops: returns null where `recv` throws WantReadError (the engine needs more
   * bytes from the peer), so a loop that reads until the engine is dry pays for no exception. Every
   * other outcome (data, ZeroReturnError, SysCallError, SSLError) is as `recv`'s. (extra)
   */
  tryRecv(bufsiz: number): Buffer | null {
    expectInteger(bufsiz, 'bufsiz');
    if (bufsiz < 0) throw new RangeError('"bufsiz" must not be negative');
    const out = Buffer.allocUnsafe(bufsiz);
    let r: number;
    try {
      r = this.#handle.readInto(out, 0, bufsiz, false);
    } catch (e) {
      throw toSSLError(e);
    }
    if (r === -SSL_ERROR_WANT_READ) return null;
    const n = checkResult(r);
    return n === bufsiz ? out : out.subarray(0, n);
  }

  /**
   * `tryRecv` into `buffer` at `offset` (at most `length` bytes): the count, or null where `tryRecv`
   * answers null. Drivers fill one buffer with several records this way (extra).
   */
  tryRecvInto(buffer: Uint8Array, offset: number, length: number): number | null {
    if (!(buffer instanceof Uint8Array)) throw typeError('buffer', 'a Buffer', buffer);
    expectInteger(offset, 'offset');
    expectInteger(length, 'length');
    if (offset < 0 || length < 0 || offset + length > buffer.length) throw new RangeError('"offset" and "length" must lie within the buffer');
    let r: number;
    try {
      r = this.#handle.readInto(buffer, offset, length, false);
    } catch (e) {
      throw toSSLError(e);
    }
    if (r === -SSL_ERROR_WANT_READ) return null;
    return checkResult(r);
  }

  /** The same as `recv`. */
  read(bufsiz: number, flags?: number): Buffer {
    return this.recv(bufsiz, flags);
  }

  /** Decrypts into `buffer` (at most `nbytes`, default its length); returns the count. */
  recvInto(buffer: Uint8Array, nbytes?: number, flags?: number): number {
    if (!(buffer instanceof Uint8Array)) throw typeError('buffer', 'a Buffer', buffer);
    const n = nbytes === undefined || nbytes === 0 ? buffer.length : Math.min(expectInteger(nbytes, 'nbytes'), buffer.length);
    return this.#readInto(buffer, 0, n, flags === MSG_PEEK);
  }

  #readInto(buffer: Uint8Array, offset: number, length: number, peek: boolean): number {
    let r: number;
    try {
      r = this.#handle.readInto(buffer, offset, length, peek);
    } catch (e) {
      throw toSSLError(e);
    }
    return checkResult(r);
  }

  /**
   * Sends close_notify. Returns false when ours is sent and the peer's has not arrived, true when
   * both are done (pyOpenSSL `shutdown`).
   */
  shutdown(): boolean {
    let r: number;
    try {
      r = this.#handle.shutdown();
    } catch (e) {
      throw toSSLError(e);
    }
    return checkResult(r) === 1;
  }

  /** Adds `OP_*` options to this connection alone (it starts with its context's); returns the options now in force. */
  setOptions(options: number | bigint): number {
    return changeOptions(this.#handle, options, false);
  }

  /** Removes `OP_*` options from this connection; returns the options now in force. */
  clearOptions(options: number | bigint): number {
    return changeOptions(this.#handle, options, true);
  }

  /** This connection's `OP_*` options. */
  getOptions(): number {
    return Number(this.#handle.getOptions());
  }

  /** Adds `MODE_*` flags to this connection alone; returns the mode now in force. */
  setMode(mode: number): number {
    return changeMode(this.#handle, mode, false);
  }

  /** Removes `MODE_*` flags from this connection; returns the mode now in force. */
  clearMode(mode: number): number {
    return changeMode(this.#handle, mode, true);
  }

  /** This connection's `MODE_*` flags. */
  getMode(): number {
    return this.#handle.getMode();
  }

  /**
   * Sets this connection's own info callback `(conn, where, ret)` (`SSL_CB_*` bits in `where`), called
   * instead of its Context's (`Context.setInfoCallback`); null goes back to the Context's. A throw
   * fails the connection, as a Context's info callback's does.
   * @throws TypeError when `callback` is neither a function nor null.
   */
  setInfoCallback(callback: InfoCallback | null): void {
    if (callback !== null && typeof callback !== 'function') throw typeError('callback', 'a function or null', callback);
    this.#handle.setInfoCallback(callback ? (conn: unknown, where: number, ret: number) => callback(conn as Connection, where, ret) : null);
  }

  /**
   * The DTLS-SRTP protection profile the handshake chose (`Context.setTlsextUseSrtp` on both sides),
   * as bytes, `SRTP_AES128_CM_SHA1_80` say; empty when none was (pyOpenSSL `get_selected_srtp_profile`).
   */
  getSelectedSrtpProfile(): Buffer {
    return Buffer.from(this.#handle.getSelectedSrtpProfile(), 'latin1');
  }

  /**
   * The key-exchange group the handshake negotiated, by OpenSSL's name for it (`x25519`,
   * `secp256r1`, `ffdhe2048`, ...), or null before one is negotiated (pyOpenSSL `get_group_name`).
   */
  getGroupName(): string | null {
    return this.#handle.getGroupName();
  }

  /** `SENT_SHUTDOWN | RECEIVED_SHUTDOWN` bits. */
  getShutdown(): number {
    return this.#handle.getShutdown();
  }

  /** Sets the shutdown state bits. */
  setShutdown(state: number): void {
    expectInteger(state, 'state');
    sslGuard(() => this.#handle.setShutdown(state));
  }

  /** Decrypted bytes ready to `recv` without touching the transport. */
  pending(): number {
    return this.#handle.pending();
  }

  /** The peer's certificate, or null. */
  getPeerCertificate(): X509 | null {
    const h = sslGuard(() => this.#handle.getPeerCertificate());
    return h === null ? null : X509._fromHandle(h);
  }

  /** The certificates the peer sent (a server's chain includes its leaf; a client's excludes it), or null. */
  getPeerCertChain(): X509[] | null {
    const list = sslGuard(() => this.#handle.getPeerCertChain());
    return list === null ? null : list.map((h) => X509._fromHandle(h));
  }

  /**
   * Clients: the signed certificate timestamps the server gave (TLS extension, stapled OCSP
   * response, embedded in its certificate), each with OpenSSL's `validationStatus` when CT was on
   * (`Context.enableCt` or `setCtValidationCallback`); empty when there are none.
   */
  getPeerScts(): SCT[] {
    return sslGuard(() => this.#handle.getPeerScts()).map((f) => SCT._fromFields(f));
  }

  /**
   * Servers: the ciphers both the client offered and this side allows, as `[name, protocol, bits]`
   * (Python's `shared_ciphers`); null on a client or before the ClientHello.
   */
  sharedCiphers(): Array<[string, string, number]> | null {
    return this.#handle.sharedCiphers();
  }

  /**
   * The signature algorithm this side signed the handshake with, as node:tls names them
   * (`'ECDSA+SHA256'`, `'RSA-PSS+SHA256'`, `'Ed25519+UNDEF'`); null when it did not sign (a client
   * without a certificate, a resumed session).
   */
  getSignatureAlgorithm(): string | null {
    return this.#handle.getSigalgs().own;
  }

  /** The signature algorithm the peer signed the handshake with (see `getSignatureAlgorithm`), or null. */
  getPeerSignatureAlgorithm(): string | null {
    return this.#handle.getSigalgs().peer;
  }

  /** This side's certificate, or null. */
  getCertificate(): X509 | null {
    const h = this.#handle.getCertificate();
    return h === null ? null : X509._fromHandle(h);
  }

  /** The negotiated cipher's name (`TLS_AES_256_GCM_SHA384`), or null before the handshake. */
  getCipherName(): string | null {
    return this.#handle.getCipherName();
  }

  /** The negotiated cipher's secret bits, or null. */
  getCipherBits(): number | null {
    return this.#handle.getCipherBits();
  }

  /** The protocol version the cipher belongs to (`TLSv1.3`), or null. */
  getCipherVersion(): string | null {
    return this.#handle.getCipherVersion();
  }

  /** The protocol version's name: `TLSv1.3`, `TLSv1.2`, ... */
  getProtocolVersionName(): string {
    return this.#handle.getVersion();
  }

  /** The protocol version number (`TLS1_3_VERSION`, ...). */
  getProtocolVersion(): number {
    return this.#handle.getProtocolVersion();
  }

  /**
   * Sets the SNI host name to send (client). A NUL byte inside it is refused. When the Context checks
   * host names (`createDefaultContext`), the server's certificate must also match this name (an IP
   * address is checked, not sent as SNI, as RFC 6066 says).
   */
  setTlsextHostName(name: Buffer | string): void {
    const data = expectBytes(name, 'name');
    const text = typeof data === 'string' ? data : data.toString('latin1');
    if (this.#context.checkHostname) {
      sslGuard(() => this.#handle.setHost(data));
      this.#hostChecked = true;
      if (isIP(text)) return;
    }
    sslGuard(() => this.#handle.setTlsextHostName(data));
  }

  /**
   * A client whose Context checks host names must be told the name before the handshake
   * (Python's "check_hostname requires server_hostname").
   * @internal
   */
  checkHostnameReady(): void {
    if (this.#client && this.#context.checkHostname && !this.#hostChecked) {
      throw new SSLError('the context checks host names: call setTlsextHostName(name) before the handshake', [], 'ERR_SSL_NO_HOSTNAME');
    }
  }

  /** The SNI host name: the one the client sent (server) or set (client), or null. */
  getServername(): string | null {
    return this.#handle.getServername();
  }

  /**
   * Makes chain verification also check that the peer certificate matches `hostname` (a DNS name or
   * an IP address) with OpenSSL's own matcher (`X509_VERIFY_PARAM_set1_host`, no partial wildcards).
   * With `null`, this Connection checks no host name, also when its Context checks host names
   * (`createDefaultContext`): an explicit opt-out for this Connection only; the chain is still
   * verified as the Context says. Extra.
   */
  setHost(hostname: string | null): void {
    // An empty name clears OpenSSL's list of names to check (X509_VERIFY_PARAM_set1_host).
    const data = hostname === null ? '' : expectBytes(hostname, 'hostname');
    if (data.length === 0 && hostname !== null) throw new RangeError('"hostname" must not be empty (null turns the host check off)');
    sslGuard(() => this.#handle.setHost(data));
    this.#hostChecked = true;
  }

  /** The result of verifying the peer (`X509_V_OK` is 0). */
  getVerifyResult(): number {
    return this.#handle.getVerifyResult();
  }

  /**
   * Records a verification verdict of the application's own (M2Crypto's `set_verify_result`; OpenSSL's
   * `SSL_set_verify_result`): `getVerifyResult`/`getVerifyError` report it, and a session made
   * afterwards keeps it. `requireOcspStaple` records `X509_V_ERR_CERT_REVOKED` (23) this way.
   * @throws RangeError for a negative number.
   */
  setVerifyResult(result: number): void {
    expectInteger(result, 'result');
    sslGuard(() => this.#handle.setVerifyResult(result));
  }

  /** Overrides the Context's verification mode and callback for this Connection. */
  setVerify(mode: number, callback?: VerifyCallback | null): void {
    expectInteger(mode, 'mode');
    if (callback !== undefined && callback !== null && typeof callback !== 'function') throw typeError('callback', 'a function', callback);
    sslGuard(() => this.#handle.setVerify(mode, callback ? adaptVerifyCallback(callback) : null));
  }

  /** `Context.setVerifyDeferred` for this Connection only. (extra) */
  setVerifyDeferred(mode: number): void {
    expectInteger(mode, 'mode');
    sslGuard(() => this.#handle.setVerifyDeferred(mode));
  }

  /**
   * Why the peer did not verify, as a CertificateVerifyError (`code` as node:tls names it,
   * `verifyCode`, OpenSSL's `verifyMessage`), or null when `getVerifyResult()` is `X509_V_OK`.
   * After a resumed handshake this is the verdict kept in the session. (extra)
   */
  getVerifyError(): CertificateVerifyError | null {
    const code = this.#handle.getVerifyResult();
    return code === 0 ? null : new CertificateVerifyError(code, native.verifyErrorString(code));
  }

  /** The verification mode. */
  getVerifyMode(): number {
    return this.#handle.getVerifyMode();
  }

  /** Uses `cert` for this Connection only. */
  useCertificate(cert: X509): void {
    if (!(cert instanceof X509)) throw typeError('cert', 'an X509', cert);
    const h = handleOf(cert, native.X509, 'cert', 'an X509');
    sslGuard(() => this.#handle.useCertificate(h));
  }

  /** Uses `pkey` for this Connection only. */
  usePrivatekey(pkey: PKey): void {
    if (!(pkey instanceof PKey)) throw typeError('pkey', 'a PKey', pkey);
    const h = handleOf(pkey, native.PKey, 'pkey', 'a PKey');
    sslGuard(() => this.#handle.usePrivateKey(h));
  }

  /** OpenSSL's long description of the handshake state. */
  getStateString(): string {
    return this.#handle.getStateString();
  }

  /** Whether the handshake has finished (extra). */
  isInitFinished(): boolean {
    return this.#handle.isInitFinished();
  }

  /** Whether OpenSSL wants to read from the peer. */
  wantRead(): boolean {
    return this.#handle.wantRead();
  }

  /** Whether bytes wait to be sent to the peer. */
  wantWrite(): boolean {
    return this.#handle.wantWrite();
  }

  /** The names of the ciphers this Connection would offer or accept, in order. */
  getCipherList(): string[] {
    return this.#handle.getCipherList();
  }

  /** Switches to another Context (typically from the SNI callback). */
  setContext(context: Context): void {
    if (!(context instanceof Context)) throw typeError('context', 'a Context', context);
    const h = handleOf(context, native.Context, 'context', 'a Context');
    sslGuard(() => this.#handle.setContext(h));
    this.#context = context;
  }

  /** The session to resume later, or null before the handshake. */
  getSession(): Session | null {
    const h = this.#handle.getSession();
    return h === null ? null : Session._fromHandle(h);
  }

  /** Offers `session` for resumption (client, before the handshake). */
  setSession(session: Session): void {
    if (!(session instanceof Session)) throw typeError('session', 'a Session', session);
    const h = handleOf(session, native.Session, 'session', 'a Session');
    sslGuard(() => this.#handle.setSession(h));
  }

  /** Whether the handshake resumed a session (extra). */
  sessionReused(): boolean {
    return this.#handle.sessionReused();
  }

  /** This side's most recent Finished message, or null. */
  getFinished(): Buffer | null {
    return this.#handle.getFinished();
  }

  /** The peer's most recent Finished message, or null. */
  getPeerFinished(): Buffer | null {
    return this.#handle.getPeerFinished();
  }

  /** Keying material from the TLS exporter (RFC 5705, RFC 8446 7.5). */
  exportKeyingMaterial(label: Buffer | string, olen: number, context: Buffer | string | null = null): Buffer {
    const l = expectBytes(label, 'label');
    expectInteger(olen, 'olen');
    const c = context === null || context === undefined ? null : expectBytes(context, 'context');
    return sslGuard(() => this.#handle.exportKeyingMaterial(l, olen, c));
  }

  /** The server's random value from the handshake, or null. */
  serverRandom(): Buffer | null {
    return this.#handle.serverRandom();
  }

  /** The client's random value from the handshake, or null. */
  clientRandom(): Buffer | null {
    return this.#handle.clientRandom();
  }

  /** The session's master secret (TLS 1.2; the resumption secret in TLS 1.3), or null. */
  masterKey(): Buffer | null {
    return this.#handle.masterKey();
  }

  /** Starts a TLS 1.2 renegotiation (carried out by the next `doHandshake`). */
  renegotiate(): boolean {
    return sslGuard(() => this.#handle.renegotiate());
  }

  /** Whether a renegotiation is in progress. */
  renegotiatePending(): boolean {
    return this.#handle.renegotiatePending();
  }

  /** How many renegotiations have been requested. */
  totalRenegotiations(): number {
    return this.#handle.totalRenegotiations();
  }

  /** The CA names a server sends (server), or received from the server (client). */
  getClientCaList(): X509Name[] {
    return sslGuard(() => this.#handle.getClientCaList()).map((h) => X509Name._fromHandle(h));
  }

  /** Sets the ALPN protocols this client offers. */
  setAlpnProtos(protos: (Buffer | string)[]): void {
    const wire = alpnWire(protos);
    sslGuard(() => this.#handle.setAlpnProtos(wire));
  }

  /** The negotiated ALPN protocol, or null. */
  getAlpnProtoNegotiated(): Buffer | null {
    return this.#handle.getAlpnProtoNegotiated();
  }

  /** Asks the server to staple an OCSP response (client, before the handshake). */
  requestOcsp(): void {
    sslGuard(() => this.#handle.requestOcsp());
  }

  /** The chain OpenSSL verified, leaf first, or null (no verification happened). */
  getVerifiedChain(): X509[] | null {
    const list = sslGuard(() => this.#handle.getVerifiedChain());
    return list === null ? null : list.map((h) => X509._fromHandle(h));
  }

  /**
   * Asks a TLS 1.3 client for its certificate after the handshake (pyopenssl#891). The request goes
   * out with the next `send`; the answer is processed by the next `recv`.
   */
  verifyClientPostHandshake(): void {
    sslGuard(() => this.#handle.verifyClientPostHandshake());
  }

  /** Lets this client answer TLS 1.3 post-handshake certificate requests (before the handshake). */
  setPostHandshakeAuth(enabled = true): void {
    sslGuard(() => this.#handle.setPostHandshakeAuth(Boolean(enabled)));
  }

  /** Updates the TLS 1.3 traffic keys, asking the peer to update too when `requestPeer` (extra). */
  keyUpdate(requestPeer = false): void {
    sslGuard(() => this.#handle.keyUpdate(Boolean(requestPeer)));
  }

  /** The IANA name of the negotiated cipher (`TLS_AES_256_GCM_SHA384`), or null (extra). */
  getCipherStandardName(): string | null {
    return this.#handle.getCipherStandardName();
  }

  /**
   * Servers, inside the client-hello callback (`Context.setClientHelloCallback`): the ClientHello's
   * legacy session id and whether it offers a session ticket; null elsewhere (extra).
   */
  clientHelloInfo(): ClientHelloInfo | null {
    return this.#handle.clientHelloInfo();
  }

  /**
   * Servers: the session the coming session id lookup finds (an external session cache, filled by the
   * application after the client-hello callback suspended the handshake: call it between `doHandshake`
   * calls, not inside the callback, where it is refused as every mutator is); null clears it (extra).
   */
  setPendingSession(session: Session | null): void {
    if (session !== null && !(session instanceof Session)) throw typeError('session', 'a Session or null', session);
    const h = session === null ? null : handleOf(session, native.Session, 'session', 'a Session');
    sslGuard(() => this.#handle.setPendingSession(h));
  }

  /** Servers: whether the client asked for a stapled OCSP response (extra). */
  ocspRequested(): boolean {
    return this.#handle.ocspRequested();
  }

  /** The largest plaintext record this side sends, 512 to 16384 bytes (node:tls's `setMaxSendFragment`) (extra). */
  setMaxSendFragment(size: number): void {
    expectInteger(size, 'size');
    if (size < 512 || size > 16384) throw new RangeError(`"size" must be 512 to 16384, got ${size}`);
    sslGuard(() => this.#handle.setMaxSendFragment(size));
  }

  /**
   * The peer's ephemeral key of the key exchange (`{type: 'ECDH', name: 'X25519', size: 253}`,
   * `{type: 'DH', size: 2048}`), or null before the handshake or without one (extra).
   */
  getPeerTmpKey(): TmpKeyInfo | null {
    return this.#handle.getPeerTmpKey();
  }

  /** The signature algorithms both sides support, as node:tls names them (`'ECDSA+SHA256'`, `'RSA-PSS+SHA384'`, `'Ed25519+UNDEF'`) (extra). */
  getSharedSigalgs(): string[] {
    return this.#handle.getSharedSigalgs();
  }

  /** DTLS: the path MTU, in bytes of ciphertext (pyOpenSSL `set_ciphertext_mtu`). */
  setCiphertextMtu(mtu: number): void {
    expectInteger(mtu, 'mtu');
    sslGuard(() => this.#handle.setCiphertextMtu(mtu));
  }

  /** DTLS: the largest plaintext that fits one datagram (pyOpenSSL `get_cleartext_mtu`). */
  getCleartextMtu(): number {
    return this.#handle.getCleartextMtu();
  }

  /** DTLS: seconds until the retransmission timer fires, or null when no timer runs. */
  DTLSv1GetTimeout(): number | null {
    return this.#handle.dtlsGetTimeout();
  }

  /** DTLS: retransmits if the timer has fired; returns whether it did. */
  DTLSv1HandleTimeout(): boolean {
    return sslGuard(() => this.#handle.dtlsHandleTimeout());
  }

  /**
   * DTLS server: waits for a ClientHello with a valid cookie (stateless, with the cookie callbacks).
   * @throws WantReadError until one arrives; what a cookie callback threw.
   */
  DTLSv1Listen(): void {
    let r: number;
    try {
      r = this.#handle.dtlsListen();
    } catch (e) {
      throw toSSLError(e);
    }
    checkResult(r);
  }

  /** Data of the application's own, kept with the Connection. */
  getAppData(): unknown {
    return this.#appData;
  }

  /** Stores data of the application's own with the Connection. */
  setAppData(data: unknown): void {
    this.#appData = data;
  }

  /**
   * What `util.inspect` and `console.log` print: `Connection { side: 'client', state: 'SSL negotiation
   * finished successfully', version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', servername: ... }`
   * (version and cipher once the handshake is done). No secret is printed.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(this, 'Connection', connectionFields(this), depth, options, inspectFn);
  }
}

/** The fields `util.inspect` prints for a Connection (shared with SocketConnection). */
export function connectionFields(conn: Connection): Record<string, () => unknown> {
  const handle = (): ConnectionHandle => conn[kHandle];
  const done = (): boolean => handle().isInitFinished();
  // The peer chooses the SNI name and the ALPN protocol: print them so they cannot steer a terminal.
  const text = (value: string | null | undefined): string | undefined => (value === null || value === undefined ? undefined : printable(value));
  return {
    side: () => sideOf(conn),
    state: () => handle().getStateString(),
    version: () => (done() ? handle().getVersion() : undefined),
    cipher: () => (done() ? (handle().getCipherName() ?? undefined) : undefined),
    servername: () => text(handle().getServername()),
    alpn: () => text(handle().getAlpnProtoNegotiated()?.toString('latin1')),
    sessionReused: () => (done() ? handle().sessionReused() : undefined),
  };
}

/** `recv(n, MSG_PEEK)`: look without consuming. */
export const MSG_PEEK = 2;
