import { Duplex } from 'node:stream';
import net from 'node:net';
import { inspect, type InspectOptionsStylized } from 'node:util';
import { brandClass, inspectFields, printable } from '@ossl/crypto/internal';
import {
  CertificateVerifyError,
  Connection,
  Context,
  Session,
  SSLError,
  SysCallError,
  VERIFY_NONE,
  WantReadError,
  ZeroReturnError,
} from '@ossl/ssl';

import { eofError, handshakeEofError, kPythonShape, noHostnameError, socketClosedError } from './internal/errors.js';
import {
  contextFromSettings,
  contextOption,
  isOwnFalse,
  numberOption,
  ownOptions,
  readTlsSettings,
  stringOption,
  typeError,
  type AlpnProtocols,
  type Pem,
  type TlsVersionName,
} from './internal/options.js';
import { certToNodeObject, certToPythonDict } from './python.js';

/** OpenSSL's X509_V_ERR_HOSTNAME_MISMATCH and X509_V_ERR_IP_ADDRESS_MISMATCH. */
const X509_V_ERR_HOSTNAME_MISMATCH = 62;
const X509_V_ERR_IP_ADDRESS_MISMATCH = 64;

/** Options of `SecureSocket` (and of `connect`, `fromSocket` and the servers): node:tls's names. */
export interface SecureSocketOptions {
  /** A connected (or connecting) plain socket to secure; one is made by `connect()` otherwise. */
  socket?: Duplex;
  /** The TLS settings (an @ossl/ssl Context, used as it is); built from the node:tls-style options below when absent. */
  context?: Context;
  /** Act as the server. */
  isServer?: boolean;
  /**
   * Clients: the server name to send (SNI) and to check the certificate against. `''` sends no SNI;
   * the certificate is then checked against `host`, as node:tls does.
   */
  servername?: string;
  /**
   * Clients: the host connected to, checked when `servername` is absent or empty (and sent as SNI
   * when `servername` is absent and it is not an IP address). Without either, the name the plain
   * socket was connected to, else its remote address, is checked.
   */
  host?: string;
  /** Clients: fail when the server is not verified (default true; only `false` turns it off). Servers: refuse unverified client certificates (with `requestCert`). */
  rejectUnauthorized?: boolean;
  /** Servers: ask clients for a certificate. */
  requestCert?: boolean;
  /** Trusted CAs (PEM); the system store when absent. A value that holds no certificate is an error. */
  ca?: Pem | Pem[];
  /** This side's certificate (PEM; further certificates in it are sent as its chain). */
  cert?: Pem;
  /** This side's private key (PEM). */
  key?: Pem;
  /** Key passphrase. */
  passphrase?: string;
  /** ALPN protocols to offer (client) or accept, in preference order (server); also node's wire format. */
  ALPNProtocols?: AlpnProtocols;
  /** OpenSSL cipher list for TLS 1.2. */
  ciphers?: string;
  /** The lowest protocol version to negotiate (`'TLSv1.2'`, ...). */
  minVersion?: TlsVersionName;
  /** The highest protocol version to negotiate (`'TLSv1.3'`, ...). */
  maxVersion?: TlsVersionName;
  /** Servers: the session id context (node:tls's option; default: a hash of the command line). */
  sessionIdContext?: string;
  /** Clients: a session to resume (from `getSession()`: DER bytes or an @ossl/ssl Session). */
  session?: Buffer | Uint8Array | Session;
  /**
   * What a TCP EOF without the peer's close_notify is, after the handshake (Python's option): an
   * `'end'` (true, the default, as node:tls) or an `'error'` with code `ERR_SSL_EOF` and no `'end'` (false).
   */
  suppressRaggedEofs?: boolean;
  /** The readable side's high-water mark (bytes). */
  highWaterMark?: number;
}

/**
 * Above this many received bytes waiting in the engine, the transport is paused: together with the
 * readable side's high-water mark this bounds the memory a peer can make us hold.
 */
const INPUT_HIGH_WATER_MARK = 128 * 1024;

/** A Duplex we can drive as a transport: `write`, `on`, `pause`, `resume`. */
function isDuplexLike(value: unknown): value is Duplex {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.write === 'function' && typeof v.on === 'function' && typeof v.pause === 'function' && typeof v.resume === 'function';
}

/**
 * A TLS socket with net.Socket's shape (a Duplex with `connect`, `data`, `end`, `close`, `error`
 * events and `write`/`end`/`destroy`/`setTimeout`/...), plus node:tls's TLS state and Python's
 * `SSLSocket` names. Existing socket code runs on it unchanged.
 */
export class SecureSocket extends Duplex {
  /** The sans-IO TLS engine. */
  readonly connection: Connection;
  /** The plain transport. */
  readonly socket: Duplex;
  /** Always true: this is a TLS socket. */
  readonly encrypted = true;
  /**
   * Whether the peer's certificate verified (and, on clients, matched the server name). Only ever
   * true for a verdict OpenSSL reached (X509_V_OK, kept in the session when it is resumed).
   */
  authorized = false;
  /** Why the peer did not verify, or null. */
  authorizationError: Error | null = null;
  /** The negotiated ALPN protocol, or false. */
  alpnProtocol: string | false = false;
  /** Whether the stream ended without the peer's close_notify (a possible truncation). */
  truncated = false;
  #isServer: boolean;
  #rejectUnauthorized: boolean;
  #suppressRaggedEofs: boolean;
  #python: boolean;
  #secure = false;
  #pending: Array<{ chunk: Buffer; cb: (err?: Error | null) => void }> = [];
  /** The readable side is over its high-water mark: decrypt no more until `_read`. */
  #readPaused = false;
  /** We paused the transport (backpressure); only we resume it. */
  #rawPaused = false;
  /** The transport's readable side has ended (its EOF is in the engine). */
  #rawEnded = false;
  #ended = false;
  #servername: string | null;
  #host: string | null;
  /** Clients: the name the server's certificate is checked against, once the handshake has started. */
  #checkedName: string | null = null;
  #started = false;
  /** Set by unwrap(): the plain socket belongs to the caller again, so ending this stream leaves it alone. */
  #unwrapped = false;

  static {
    brandClass(this, '@ossl/compat-net:SecureSocket');
  }

  /**
   * Secures `options.socket` (or a new net.Socket, to `connect()`): a client unless `isServer`.
   * Every option is read from the caller's own properties and checked before anything happens.
   * @param options node:tls-style options (see `SecureSocketOptions`).
   * @throws TypeError / RangeError naming the option for a value of the wrong type or range.
   */
  constructor(options: SecureSocketOptions = {}) {
    // Every option is read from the caller's own properties, and checked, before anything happens.
    const o = ownOptions(options, 'options') as Record<string | symbol, unknown>;
    if (o.socket !== undefined && o.socket !== null && !isDuplexLike(o.socket)) throw typeError('options.socket', 'a net.Socket or Duplex', o.socket);
    const isServer = Boolean(o.isServer);
    const servername = stringOption(o.servername, 'servername');
    const host = stringOption(o.host, 'host');
    const highWaterMark = numberOption(o.highWaterMark, 'highWaterMark');
    let session: Session | null = null;
    if (o.session !== undefined && o.session !== null) {
      if (o.session instanceof Session) session = o.session;
      else if (o.session instanceof Uint8Array) session = Session.fromDER(Buffer.from(o.session));
      else throw typeError('options.session', 'a Buffer or an @ossl/ssl Session', o.session);
    }
    const settings = readTlsSettings(o as Record<string, unknown>);
    const ownContext = contextOption(o.context);
    const ctx = ownContext ?? contextFromSettings(settings, isServer);
    super(highWaterMark === null ? { allowHalfOpen: false } : { allowHalfOpen: false, highWaterMark });
    this.#isServer = isServer;
    this.#rejectUnauthorized = settings.rejectUnauthorized;
    this.#suppressRaggedEofs = !isOwnFalse(o, 'suppressRaggedEofs');
    this.#python = o[kPythonShape] === true;
    this.#servername = servername;
    this.#host = host;
    this.connection = new Connection(ctx);
    // node:tls's 'session' event, on clients whose Context compat-net built (a Context of the
    // caller's stays as the caller made it).
    if (!isServer && ownContext === null) ctx.setNewSessionCallback((_conn, newSession) => this.#onNewSession(newSession));
    if (isServer) this.connection.setAcceptState();
    else {
      this.connection.setConnectState();
      if (session !== null) this.connection.setSession(session);
    }
    this.socket = (o.socket as Duplex | undefined | null) ?? new net.Socket();
    this.#attach();
  }

  /**
   * A session to resume later arrived (TLS 1.2: at the end of the handshake; TLS 1.3: each ticket).
   * OpenSSL is still running here, so the 'session' event waits for the next tick; a connection that
   * was refused meanwhile hands out no session.
   */
  #onNewSession(newSession: Session): void {
    const der = newSession.toDER();
    process.nextTick(() => {
      const refused = !this.#secure || (this.#rejectUnauthorized && this.authorizationError !== null);
      if (!refused) this.emit('session', der);
    });
  }

  #attach(): void {
    const raw = this.socket;
    if (raw.destroyed) {
      // Nothing can be sent or received: say so, as a socket that fails to connect does.
      process.nextTick(() => this.destroy(socketClosedError()));
      return;
    }
    raw.on('data', (chunk: Buffer) => {
      this.connection.bioWrite(chunk);
      this.#cycle();
    });
    raw.on('end', () => this.#onRawEnd());
    raw.on('close', () => this.#onRawClose());
    raw.on('error', (err: Error) => this.destroy(err));
    raw.on('timeout', () => this.emit('timeout'));
    raw.on('connect', () => {
      this.emit('connect');
      this.#cycle();
    });
    // The transport is ours now: read it even if its owner had paused it (a STARTTLS greeting read
    // by hand), and see an EOF it already delivered.
    if (raw.readableEnded) this.#onRawEnd(false);
    raw.resume();
    const sock = raw as net.Socket;
    const waitsForConnect = sock instanceof net.Socket && sock.pending && !raw.readableEnded;
    if (this.#isServer || !waitsForConnect) queueMicrotask(() => this.#cycle());
  }

  #onRawEnd(cycle = true): void {
    if (this.#rawEnded) return;
    this.#rawEnded = true;
    this.connection.bioShutdown();
    if (cycle) this.#cycle();
  }

  #onRawClose(): void {
    if (this.destroyed || this.#unwrapped) return;
    if (!this.#secure) {
      // The transport went away before the handshake finished: never a silent close.
      this.destroy(handshakeEofError(this.#isServer, this.#python));
      return;
    }
    if (this.readableEnded) {
      this.destroy();
      return;
    }
    // What already arrived is still the reader's (the engine may hold it while the reader is
    // behind): the transport's close is its EOF, and this socket closes once the reader has seen
    // the end, as net.Socket does. A close without close_notify is a ragged EOF.
    this.once('end', () => this.destroy());
    this.#onRawEnd();
  }

  /**
   * Moves what the engine wrote to the transport. During the handshake a transport that can no
   * longer be written to is an error; afterwards `cb` (a write's callback) gets it.
   */
  #flush(cb?: (err?: Error | null) => void): void {
    const parts: Buffer[] = [];
    while (this.connection.bioPending() > 0) parts.push(this.connection.bioRead(1 << 20));
    if (parts.length === 0) {
      cb?.();
      return;
    }
    if (this.socket.destroyed || this.socket.writableEnded) {
      const err = new SysCallError(32, 'the transport is closed (EPIPE)');
      if (cb) cb(err);
      else if (!this.#secure) throw this.#rawEnded ? handshakeEofError(this.#isServer, this.#python) : err;
      return;
    }
    this.socket.write(parts.length === 1 ? parts[0]! : Buffer.concat(parts), cb);
  }

  /** Clients, before the first handshake step: SNI and the name OpenSSL checks the certificate against. */
  #startClient(): void {
    this.#started = true;
    const sni = this.#servername !== null ? this.#servername : this.#host;
    if (sni && !net.isIP(sni)) this.connection.setTlsextHostName(sni);
    // As node:tls: servername || host || the socket's host; then (not node:tls's 'localhost') the
    // address the socket is connected to. Without any, authorized stays false.
    const raw = this.socket as net.Socket & { _host?: string | null };
    const name = this.#servername || this.#host || raw._host || raw.remoteAddress || null;
    if (name) {
      this.connection.setHost(name);
      this.#checkedName = name;
    }
  }

  /** A handshake failure as the layers above report it: a refused certificate is a CertificateVerifyError. */
  #translate(e: unknown): unknown {
    if (e instanceof SSLError && !(e instanceof CertificateVerifyError)) {
      const verdict = this.connection.getVerifyError();
      if (verdict !== null && e.errors.some((x) => /certificate/i.test(x.reason))) {
        return new CertificateVerifyError(verdict.verifyCode, verdict.verifyMessage, e.errors);
      }
    }
    if (e instanceof SysCallError && e.errno === -1) return handshakeEofError(this.#isServer, this.#python);
    return e;
  }

  /** Runs the engine as far as the bytes at hand allow: handshake, then decrypted reads. */
  #cycle(): void {
    if (this.destroyed) return;
    try {
      if (!this.#secure) {
        if (!this.#isServer && !this.#started) this.#startClient();
        try {
          this.connection.doHandshake();
        } catch (e) {
          if (e instanceof WantReadError) {
            this.#flush();
            // The peer's bytes have all arrived and the handshake still wants more: it hung up.
            if (this.#rawEnded) throw handshakeEofError(this.#isServer, this.#python);
            this.#backpressure();
            return;
          }
          throw this.#translate(e);
        }
        // The last handshake bytes (a TLS 1.3 server's session tickets) and what the 'secure' /
        // 'secureConnect' listeners write at once leave in one segment, as node:tls sends them:
        // two small writes in a row meet Nagle's algorithm and the peer's delayed ACK (~40 ms).
        const raw = this.socket as Partial<net.Socket>;
        const corked = typeof raw.cork === 'function' && typeof raw.uncork === 'function';
        if (corked) raw.cork!();
        try {
          this.#flush();
          this.#onSecure();
        } finally {
          if (corked) process.nextTick(() => raw.uncork!());
        }
        if (this.destroyed) return;
      }
      while (!this.#readPaused && !this.#ended) {
        let data: Buffer | null;
        try {
          data = this.connection.tryRecv(16384);
        } catch (e) {
          if (e instanceof ZeroReturnError) {
            this.#endReadable();
            break;
          }
          if (e instanceof SysCallError && e.errno === -1) {
            // The transport ended without a close_notify. By default an end, as net.Socket and
            // node:tls do (but say so); with suppressRaggedEofs: false an error, as CPython can.
            this.truncated = true;
            if (!this.#suppressRaggedEofs) throw eofError();
            this.#endReadable();
            break;
          }
          throw e;
        }
        if (data === null) break; // the engine wants more bytes from the transport
        if (!this.push(data)) this.#readPaused = true;
      }
      this.#flush();
      this.#backpressure();
    } catch (e) {
      try {
        this.#flush(); // an alert, if OpenSSL made one
      } catch {
        // The transport is gone; the error below says what happened.
      }
      this.destroy(e as Error);
    }
  }

  /**
   * Pauses the transport while the reader is behind (the readable side is over its high-water mark)
   * or the engine holds more undecrypted input than INPUT_HIGH_WATER_MARK; resumes it otherwise.
   */
  #backpressure(): void {
    // During the handshake the engine consumes every complete record, so only a reader that is
    // behind can make input pile up; pausing then could stall a handshake that needs more bytes.
    const over = this.#readPaused || (this.#secure && this.connection.bioInPending() > INPUT_HIGH_WATER_MARK);
    if (over && !this.#rawPaused) {
      this.#rawPaused = true;
      this.socket.pause();
    } else if (!over && this.#rawPaused) {
      this.#rawPaused = false;
      this.socket.resume();
    }
  }

  #endReadable(): void {
    this.#ended = true;
    this.push(null);
  }

  #onSecure(): void {
    this.#secure = true;
    const proto = this.connection.getAlpnProtoNegotiated();
    this.alpnProtocol = proto ? proto.toString() : false;
    const verifies = this.connection.getVerifyMode() !== VERIFY_NONE;
    const peer = this.connection.getPeerCertificate();
    let failure: Error | null = null;
    if (!verifies) {
      // A server that did not ask for a certificate is not "unauthorized", just unverified (node:tls).
      failure = this.#isServer ? null : new SSLError('the server was not verified (the context verifies nothing)', [], 'ERR_SSL_VERIFY_OFF');
    } else {
      // OpenSSL's verdict (after a resumption, the one kept in the session).
      failure = this.connection.getVerifyError();
      if (failure === null && peer === null) {
        failure = new SSLError(this.#isServer ? 'the client sent no certificate' : 'the server sent no certificate', [], 'ERR_SSL_NO_PEER_CERTIFICATE');
      }
      if (failure === null && !this.#isServer && this.#checkedName === null) failure = noHostnameError();
      // A resumed session carries the verdict for the name it was made for; the name of this
      // connection may differ (node:tls does not check it on resumption): OpenSSL's matcher checks it.
      if (failure === null && !this.#isServer && peer !== null && this.#checkedName !== null && this.connection.sessionReused() && !peer.checkHost(this.#checkedName)) {
        failure = net.isIP(this.#checkedName)
          ? new CertificateVerifyError(X509_V_ERR_IP_ADDRESS_MISMATCH, 'IP address mismatch')
          : new CertificateVerifyError(X509_V_ERR_HOSTNAME_MISMATCH, 'hostname mismatch');
      }
    }
    this.authorized = verifies && failure === null;
    this.authorizationError = failure;
    if (this.#rejectUnauthorized && failure !== null && (!this.#isServer || verifies)) {
      this.destroy(failure);
      return;
    }
    this.emit(this.#isServer ? 'secure' : 'secureConnect');
    for (const { chunk, cb } of this.#pending.splice(0)) this.#send(chunk, cb);
  }

  #send(chunk: Buffer, cb: (err?: Error | null) => void): void {
    try {
      this.connection.sendall(chunk);
    } catch (e) {
      cb(e as Error);
      return;
    }
    this.#flush(cb);
  }

  /** Duplex's write side (internal): encrypts `chunk`, or queues it until the handshake is done. */
  override _write(chunk: Buffer, _encoding: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (!this.#secure) this.#pending.push({ chunk, cb });
    else this.#send(chunk, cb);
  }

  /** Duplex's read side (internal): the reader wants more, so decrypt again if we had stopped. */
  override _read(): void {
    if (this.#readPaused) {
      this.#readPaused = false;
      this.#cycle();
    }
  }

  /** Duplex's end (internal): sends close_notify, then ends the transport. */
  override _final(cb: (err?: Error | null) => void): void {
    if (this.#unwrapped) {
      cb();
      return;
    }
    try {
      if (this.#secure) this.connection.shutdown();
    } catch {
      // A failed close_notify still ends the transport.
    }
    this.#flush(() => {
      this.socket.end();
      cb();
    });
  }

  /** Duplex's destroy (internal): destroys the transport too, unless `unwrap()` gave it back. */
  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.#unwrapped) this.socket.destroy();
    cb(err);
  }

  // ---- net.Socket's surface ----

  /** Connects the underlying net.Socket (net.Socket's `connect`). */
  connect(port: number, host?: string | (() => void), listener?: () => void): this {
    if (typeof host === 'function') {
      listener = host;
      host = undefined;
    }
    if (host !== undefined && typeof host !== 'string') throw typeError('host', 'a string', host);
    const target = host ?? 'localhost';
    // The name checked against the server's certificate, unless a servername was given (node:tls).
    if (this.#host === null) this.#host = target;
    if (listener) this.once('secureConnect', listener);
    (this.socket as net.Socket).connect(port, target);
    return this;
  }

  /** Sets the transport's idle timeout in ms (0 turns it off); `timeout` is emitted (net.Socket's `setTimeout`). */
  setTimeout(ms: number, callback?: () => void): this {
    (this.socket as net.Socket).setTimeout?.(ms);
    if (callback) this.once('timeout', callback);
    return this;
  }

  /** Turns Nagle's algorithm off (or on) on the transport (net.Socket's `setNoDelay`). */
  setNoDelay(noDelay = true): this {
    (this.socket as net.Socket).setNoDelay?.(noDelay);
    return this;
  }

  /** TCP keep-alive on the transport (net.Socket's `setKeepAlive`). */
  setKeepAlive(enable = false, initialDelay = 0): this {
    (this.socket as net.Socket).setKeepAlive?.(enable, initialDelay);
    return this;
  }

  /** The local address of the transport, or `{}` when it has none (net.Socket's `address()`). */
  address(): net.AddressInfo | Record<string, never> {
    return (this.socket as net.Socket).address?.() ?? {};
  }

  /** Lets the transport keep the event loop alive again (net.Socket's `ref`). */
  ref(): this {
    (this.socket as net.Socket).ref?.();
    return this;
  }

  /** Lets the process exit while the transport is open (net.Socket's `unref`). */
  unref(): this {
    (this.socket as net.Socket).unref?.();
    return this;
  }

  /** The peer's IP address (net.Socket's `remoteAddress`). */
  get remoteAddress(): string | undefined {
    return (this.socket as net.Socket).remoteAddress;
  }

  /** The peer's port (net.Socket's `remotePort`). */
  get remotePort(): number | undefined {
    return (this.socket as net.Socket).remotePort;
  }

  /** `'IPv4'` or `'IPv6'` (net.Socket's `remoteFamily`). */
  get remoteFamily(): string | undefined {
    return (this.socket as net.Socket).remoteFamily;
  }

  /** The local IP address (net.Socket's `localAddress`). */
  get localAddress(): string | undefined {
    return (this.socket as net.Socket).localAddress;
  }

  /** The local port (net.Socket's `localPort`). */
  get localPort(): number | undefined {
    return (this.socket as net.Socket).localPort;
  }

  /** Bytes received on the transport, TLS records included (net.Socket's `bytesRead`). */
  get bytesRead(): number {
    return (this.socket as net.Socket).bytesRead ?? 0;
  }

  /** Bytes sent on the transport, TLS records included (net.Socket's `bytesWritten`). */
  get bytesWritten(): number {
    return (this.socket as net.Socket).bytesWritten ?? 0;
  }

  // ---- node:tls's TLS state ----

  /** The SNI name: the one sent (client) or received (server), or null. */
  get servername(): string | null {
    return this.#isServer ? this.connection.getServername() : this.#servername;
  }

  /** The peer's certificate as node:tls's `getPeerCertificate()` object, or `{}`. */
  getPeerCertificate(): Record<string, unknown> {
    const cert = this.connection.getPeerCertificate();
    return cert === null ? {} : certToNodeObject(cert);
  }

  /** Whether the handshake resumed a session (node:tls's `isSessionReused()`). */
  isSessionReused(): boolean {
    return this.#secure && this.connection.sessionReused();
  }

  /**
   * The session to resume later, as DER bytes for the `session` option (node:tls's `getSession()`),
   * or undefined before there is one. TLS 1.3 sessions arrive after the handshake, with the first data.
   */
  getSession(): Buffer | undefined {
    const session = this.#secure ? this.connection.getSession() : null;
    return session === null ? undefined : session.toDER();
  }

  /** `TLSv1.3`, `TLSv1.2`, ... or null before the handshake. */
  getProtocol(): string | null {
    return this.#secure ? this.connection.getProtocolVersionName() : null;
  }

  /** `{name, standardName, version}` of the negotiated cipher. */
  getCipher(): {
    /** OpenSSL's name of the cipher. */
    name: string;
    /** The IANA name (node:tls's field; OpenSSL's name here). */
    standardName: string;
    /** The protocol version the cipher belongs to (`TLSv1.3`). */
    version: string;
  } | null {
    const name = this.connection.getCipherName();
    if (name === null) return null;
    return { name, standardName: name, version: this.connection.getCipherVersion() ?? '' };
  }

  // ---- Python's SSLSocket names ----

  /**
   * The peer's certificate as Python's dict, its DER bytes with `binaryForm`, or null without one.
   * As Python: an empty dict when the certificate was not verified.
   */
  getpeercert(binaryForm = false): Record<string, unknown> | Buffer | null {
    const cert = this.connection.getPeerCertificate();
    if (cert === null) return null;
    if (binaryForm) return Buffer.from(cert.toX509Certificate().raw);
    if (!this.authorized) return {};
    return certToPythonDict(cert) as unknown as Record<string, unknown>;
  }

  /** `[name, protocolVersion, secretBits]` of the cipher, or null (Python's `cipher()`). */
  cipher(): [string, string, number] | null {
    const name = this.connection.getCipherName();
    if (name === null) return null;
    return [name, this.connection.getCipherVersion() ?? '', this.connection.getCipherBits() ?? 0];
  }

  /** The protocol version name, or null before the handshake (Python's `version()`). */
  version(): string | null {
    return this.getProtocol();
  }

  /**
   * Ends TLS (close_notify both ways) and hands back the plain socket for cleartext use again
   * (Python's `unwrap()`; the end of a STARTTLS session). The socket comes back paused: attach a
   * `data` listener and call `resume()` (or `read()`) to go on in cleartext.
   */
  async unwrap(): Promise<Duplex> {
    if (!this.#secure) throw new SSLError('the handshake has not finished', [], 'ERR_SSL_NOT_SECURE');
    const raw = this.socket;
    const done = new Promise<void>((resolve) => {
      if (this.connection.getShutdown() & 2) resolve();
      else this.once('end', () => resolve());
    });
    this.#unwrapped = true;
    this.connection.shutdown();
    this.#flush();
    this.resume();
    await done;
    raw.pause();
    raw.removeAllListeners('data');
    raw.removeAllListeners('end');
    raw.removeAllListeners('close');
    raw.removeAllListeners('error');
    // Cleartext the peer sent right after its close_notify is still in the engine's input: give it back.
    const leftover = this.connection.takeInput();
    if (leftover.length > 0) raw.unshift(leftover);
    return raw;
  }

  /**
   * What `util.inspect` and `console.log` print (instead of a Duplex's internals): `SecureSocket {
   * side: 'client', secure: true, authorized: true, servername: 'example.com', protocol: 'TLSv1.3',
   * cipher: ..., peer: '93.184.215.14:443' }`, and `authorizationError` (its code) when there is one.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    const text = (value: string | null | undefined): string | undefined => (value === null || value === undefined ? undefined : printable(value));
    return inspectFields(
      this,
      'SecureSocket',
      {
        side: () => (this.#isServer ? 'server' : 'client'),
        secure: () => this.#secure,
        authorized: () => this.authorized,
        authorizationError: () => {
          const e = this.authorizationError as (Error & { code?: unknown }) | null;
          if (e === null) return undefined;
          return typeof e.code === 'string' ? e.code : e.message;
        },
        servername: () => text(this.servername),
        protocol: () => this.getProtocol() ?? undefined,
        cipher: () => (this.#secure ? (this.connection.getCipherName() ?? undefined) : undefined),
        alpn: () => (this.alpnProtocol === false ? undefined : text(this.alpnProtocol)),
        peer: () => {
          const address = this.remoteAddress;
          if (address === undefined) return undefined;
          return address.includes(':') ? `[${address}]:${this.remotePort}` : `${address}:${this.remotePort}`;
        },
        destroyed: () => this.destroyed || undefined,
      },
      depth,
      options,
      inspectFn,
    );
  }
}
