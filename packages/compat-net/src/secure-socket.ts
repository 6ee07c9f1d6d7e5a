// node:tls's TLSSocket (ossl's SecureSocket): a net.Socket whose bytes go through an @ossl/ssl
// Connection. It is a real net.Socket subclass without a handle of its own: the plain transport (a
// net.Socket or any Duplex) is driven by @ossl/ssl's Transport, and net.Socket's handle-bound
// methods are answered from the transport.
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { inspect, type InspectOptionsStylized } from 'node:util';
import { X509Certificate } from 'node:crypto';
import { brandClass, inspectFields, printable } from '@ossl/crypto/internal';
import {
  CertificateVerifyError,
  Connection,
  Context,
  Session,
  SSLError,
  SysCallError,
  Transport,
  VERIFY_FAIL_IF_NO_PEER_CERT,
  VERIFY_NONE,
  VERIFY_PEER,
  WantReadError,
  WantX509LookupError,
  ZeroReturnError,
  isTransportStream,
} from '@ossl/ssl';

import { eofError, handshakeEofError, kPythonShape, noHostnameError, socketClosedError } from './internal/errors.js';
import { invalidArgType, nodeError, nodeSslError, outOfRange } from './internal/node-errors.js';
import { alpnOption, genuineContext, isOwnFalse, numberOption, ownOptions, stringOption, typeError, type AlpnProtocols } from './internal/options.js';
import { certToNodeObject, certToPythonDict } from './python.js';
import { createSecureContext, SecureContext, type SecureContextOptions } from './secure-context.js';
import { checkServerIdentity, verifyErrorOf } from './identity.js';
import { wireContext, type ContextEvents } from './internal/dispatch.js';
import { tlsDefaults } from './defaults.js';

/** X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH. */
const X509_V_ERR_HOSTNAME_MISMATCH = 62;
const X509_V_ERR_IP_ADDRESS_MISMATCH = 64;


/** A server-side PSK callback: `(socket, identity)` returns the key, or a falsy value to refuse. */
export type ServerPskCallback = (socket: SecureSocket, identity: string) => NodeJS.ArrayBufferView | null | undefined | false;
/** What a client-side PSK callback returns: the key and the identity to send. */
export interface PskIdentity {
  /** The pre-shared key. */
  psk: NodeJS.ArrayBufferView;
  /** The identity the server looks the key up by. */
  identity: string;
}
/** A client-side PSK callback: `(hint)` returns `{psk, identity}`, or a falsy value for none. */
export type ClientPskCallback = (hint: string | null) => PskIdentity | null | undefined | false;

/** node:net's `onread` option: decrypted bytes go into the caller's buffer. */
export interface OnreadOptions {
  /** The buffer to fill, or a function returning the buffer to fill next. */
  buffer: Uint8Array | (() => Uint8Array);
  /** Called with the byte count and the buffer each time; returning false pauses the socket. */
  callback: (nread: number, buf: Uint8Array) => boolean | void;
}

/** The negotiated cipher, as node:tls's `getCipher()` describes it. */
export interface CipherInfo {
  /** OpenSSL's name of the cipher. */
  name: string;
  /** The IANA (RFC) name. */
  standardName: string;
  /** The protocol version the cipher belongs to (`'TLSv1.3'`, `'TLSv1/SSLv3'`). */
  version: string;
}

/** The peer's ephemeral key, as node:tls's `getEphemeralKeyInfo()` describes it (empty for RSA key exchange). */
export interface EphemeralKeyInfo {
  /** `'ECDH'` or `'DH'`. */
  type?: string;
  /** The curve, for ECDH. */
  name?: string;
  /** The key's size in bits. */
  size?: number;
}

/** Options of `SecureSocket` / `TLSSocket`: node:tls's names (TLSSocket's and createSecureContext's). */
export interface SecureSocketOptions extends SecureContextOptions {
  /** The plain transport to secure (a net.Socket or any Duplex); one is made (and connected by `connect()`) otherwise. */
  socket?: Duplex;
  /** The TLS settings as an @ossl/ssl Context, used as it is (its verification policy included). */
  context?: Context;
  /** node:tls's secure context (from `createSecureContext`); built from the other options when absent. */
  secureContext?: SecureContext;
  /** Act as the server. */
  isServer?: boolean;
  /** The net.Server this socket belongs to (servers). */
  server?: net.Server;
  /**
   * Clients: the server name to send (SNI) and to check the certificate against. `''` sends no SNI;
   * the certificate is then checked against `host`, as node:tls does.
   */
  servername?: string;
  /** Clients: the host connected to, checked when `servername` is absent or empty. */
  host?: string;
  /** Clients: fail when the server is not verified (only `false` turns it off). Servers: refuse unverified client certificates (with `requestCert`). */
  rejectUnauthorized?: boolean;
  /** Servers: ask clients for a certificate. */
  requestCert?: boolean;
  /** ALPN protocols to offer (client) or accept, in preference order (server); also node's wire format. */
  ALPNProtocols?: AlpnProtocols;
  /** Servers: `({servername, protocols}) => protocol | undefined` chooses the ALPN protocol. */
  ALPNCallback?: (info: { servername: string | false; protocols: string[] }) => string | undefined;
  /** Servers: `(servername, cb)`: call `cb(err, secureContext)` with the context for that name. */
  SNICallback?: (servername: string, cb: (err: Error | null, ctx?: SecureContext | null) => void) => void;
  /** PSK: the server's `(socket, identity) => key` or the client's `(hint) => {psk, identity}`. */
  pskCallback?: ServerPskCallback | ClientPskCallback;
  /** Servers: the PSK identity hint sent to clients. */
  pskIdentityHint?: string;
  /** Clients: ask for a stapled OCSP response (`'OCSPResponse'` event). */
  requestOCSP?: boolean;
  /** Clients: a session to resume (from `getSession()` or the `'session'` event). */
  session?: Buffer | Uint8Array | Session;
  /** Clients: `(hostname, cert) => Error | undefined` replaces the host name check (OpenSSL's matcher by default). */
  checkServerIdentity?: (hostname: string, cert: Record<string, unknown>) => Error | undefined;
  /** Clients: the smallest DH key size accepted from the server, in bits (default 1024). */
  minDHSize?: number;
  /** Servers: the session id context (default: a hash of the command line, as node:tls). */
  sessionIdContext?: string;
  /**
   * What a TCP EOF without the peer's close_notify is, after the handshake (Python's option): an
   * `'end'` (true, the default, as node:tls) or an `'error'` with code `ERR_SSL_EOF` and no `'end'` (false).
   */
  suppressRaggedEofs?: boolean;
  /**
   * (ossl) Deliver the peer's end only when a reader asks for more and nothing is left, never while
   * decrypted data waits unread; a reader waiting on 'readable' is told. For readers that stop reading
   * in the middle of a message and are not ready for 'end' then (undici's HTTP/1 parser, whose
   * `assert(!this.paused)` fails otherwise). Default false: node:tls's timing.
   */
  deferEnd?: boolean;
  /** The readable side's high-water mark (bytes). */
  highWaterMark?: number;
  /** Aborting it destroys the socket with an AbortError (node:net's option). */
  signal?: AbortSignal;
  /** node:net's `onread`: decrypted bytes are copied into `buffer` (or the buffer it returns) and passed to `callback(nread, buf)`; returning false pauses. */
  onread?: OnreadOptions;
  /** Keep the writable side open after the peer's end (net.Socket's option). */
  allowHalfOpen?: boolean;
  /** Accepted for node:tls compatibility; OpenSSL's trace output is not available here. */
  enableTrace?: boolean;
}

/** `signal`: an abort destroys the socket with an AbortError, as node:net's `signal` option does. */
function abortWith(sock: SecureSocket, signal: AbortSignal): void {
  const abortError = (): Error => Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR', cause: signal.reason });
  if (signal.aborted) {
    process.nextTick(() => sock.destroy(abortError()));
    return;
  }
  const onAbort = (): void => {
    sock.destroy(abortError());
  };
  signal.addEventListener('abort', onAbort, { once: true });
  sock.once('close', () => signal.removeEventListener('abort', onAbort));
}

/** OpenSSL's SSL_RECEIVED_SHUTDOWN bit of `getShutdown()`: the peer's close_notify arrived. */
const RECEIVED_SHUTDOWN = 2;

/** The handshake wants more bytes (a marker, not an Error: control flow pays for no stack trace). */
const kWantRead = Symbol('want read');

/** The hang-up errors made by #hangupError: a client reports them after its 'end' (node:tls's order). */
const hangups = new WeakSet<Error>();

const kCounts = Symbol('counts');

/** The arguments of `new TLSSocket(socket, options)` or `new SecureSocket(options)`. */
function socketArgs(first: unknown, second: unknown): Record<string | symbol, unknown> {
  // node:tls's shape: an emitter that is not a stream is a socket of the wrong kind, not options.
  if (first !== null && typeof first === 'object' && typeof (first as { on?: unknown }).on === 'function' && !isTransportStream(first)) {
    throw typeError('socket', 'a net.Socket or Duplex', first);
  }
  if (isTransportStream(first)) {
    const o = second === undefined || second === null ? (Object.create(null) as Record<string | symbol, unknown>) : (ownOptions(second as object, 'options') as Record<string | symbol, unknown>);
    o.socket = first;
    return o;
  }
  if (first === undefined || first === null) {
    return second === undefined || second === null ? (Object.create(null) as Record<string | symbol, unknown>) : (ownOptions(second as object, 'options') as Record<string | symbol, unknown>);
  }
  return ownOptions(first as object, 'options') as Record<string | symbol, unknown>;
}

/**
 * node:tls's TLSSocket (also exported as `TLSSocket`): a `net.Socket` subclass (`instanceof
 * net.Socket` holds) carrying TLS over a plain transport, with node:tls's members and events and
 * Python's `SSLSocket` names (`getpeercert`, `cipher`, `version`, `read(n)`, `unwrap`). Everything
 * OpenSSL offers beyond node:tls is on `connection`, the @ossl/ssl Connection.
 */
export class SecureSocket extends net.Socket {
  /** The sans-IO TLS engine (an @ossl/ssl Connection). */
  readonly connection: Connection;
  /** Always true: this is a TLS socket. */
  readonly encrypted = true;
  /** Whether the peer's certificate verified (and, on clients, matched the server name): OpenSSL's verdict only. */
  authorized = false;
  /** Why the peer did not verify (node's code, e.g. `'UNABLE_TO_VERIFY_LEAF_SIGNATURE'`), or null. */
  authorizationError: string | null = null;
  /** The negotiated ALPN protocol, false without one, null before the handshake. */
  alpnProtocol: string | false | null = null;
  /** Whether the stream ended without the peer's close_notify (a possible truncation). */
  truncated = false;
  /** node:tls's flag: the handshake is done. */
  _secureEstablished = false;
  /** node:tls's flag: the handshake is under way. */
  secureConnecting = true;
  /** The secure context in use (node:tls's `secureContext`-like; the server's for accepted sockets). */
  readonly secureContext: SecureContext | null;
  /** The server this socket was accepted by (servers). */
  server: net.Server | undefined;
  /** The OCSP response stapled by the server (clients with `requestOCSP`), once received. */
  ocspResponse: Buffer | null = null;
  #transport: Transport | null = null;
  #raw: Duplex | null;
  #isServer: boolean;
  #rejectUnauthorized: boolean;
  #requestCert: boolean;
  #suppressRaggedEofs: boolean;
  #deferEnd: boolean;
  #python: boolean;
  #secure = false;
  #pending: Array<{ chunk: Buffer; cb: (err?: Error | null) => void }> = [];
  /** The readable side is over its high-water mark: decrypt no more until `_read`. */
  #readPaused = false;
  #ended = false;
  /** The peer ended its side while decrypted data still waited in the readable buffer. */
  #eofPending = false;
  #servername: string | null;
  #host: string | null;
  #session: Session | null;
  #checkServerIdentity: SecureSocketOptions['checkServerIdentity'] | null;
  /** Clients: the name the server's certificate is checked against, once the handshake has started. */
  #checkedName: string | null = null;
  #started = false;
  /** Set by unwrap(): the plain socket belongs to the caller again. */
  #unwrapped = false;
  #ownsContext: boolean;
  #options: Record<string | symbol, unknown>;
  #alpnProtocols: Buffer[] | null;
  #plainRead = 0;
  #plainWritten = 0;
  #closeEmitted = false;
  /** node's `onread`: decrypted bytes go to the caller's buffer and callback instead of 'data'. */
  #onread: {
    buffer: Uint8Array | (() => Uint8Array);
    callback: (nread: number, buf: Uint8Array) => boolean | void;
    current: Uint8Array;
    rest: Buffer | null;
    paused: boolean;
  } | null = null;
  /** Clients: the handshake may begin (ossl's options shape starts at once; node's waits for `_start`). */
  #startRequested: boolean;
  /** Inside an engine call (its callbacks may emit events whose listeners write): writes wait. */
  #engineDepth = 0;
  #renegotiationDisabled = false;
  /** A read failure met after some bytes: reported by the next read. */
  #readError: unknown = null;
  /** Servers: when each client-initiated renegotiation began (ms), for CLIENT_RENEG_LIMIT. */
  #renegotiationTimes: number[] = [];
  #certWork: 'idle' | 'pending' | 'ready' = 'idle';
  #helloWork: 'idle' | 'pending' | 'ready' = 'idle';
  #helloResumed = false;
  #foundSession: Session | null = null;
  #newSessionPending = 0;
  #secureWaiting = false;
  #certFailure: Error | null = null;
  #sniContext: SecureContext | null = null;
  #ocspStaple: Buffer | null = null;
  /** A failure found inside an OpenSSL callback, reported instead of OpenSSL's own error for it. */
  #pendingFailure: Error | null = null;
  #inRenegotiation = false;
  #renegotiationCallbacks: Array<(err: Error | null) => void> = [];

  static {
    brandClass(this, '@ossl/compat-net:SecureSocket');
  }

  /**
   * `new TLSSocket(socket, options)` (node:tls) or `new SecureSocket(options)` with `options.socket`:
   * a client unless `isServer`. Every option is read from the caller's own properties and checked
   * before anything happens.
   * @throws TypeError (node's `ERR_INVALID_ARG_TYPE`, naming the option) for a value of the wrong type.
   */
  constructor(socket?: Duplex | SecureSocketOptions | null, options?: SecureSocketOptions) {
    const o = socketArgs(socket, options);
    // node:tls's `new TLSSocket(socket, options)`: a client waits for `_start()` (tls.connect calls it).
    const nodeShape = socket === undefined || socket === null || isTransportStream(socket);
    if (o.socket !== undefined && o.socket !== null && !isTransportStream(o.socket)) throw typeError('options.socket', 'a net.Socket or Duplex', o.socket);
    const isServer = Boolean(o.isServer);
    const servername = stringOption(o.servername, 'servername');
    const host = stringOption(o.host, 'host');
    const highWaterMark = numberOption(o.highWaterMark, 'highWaterMark');
    let session: Session | null = null;
    if (o.session !== undefined && o.session !== null && o.session !== false) {
      if (o.session instanceof Session) session = o.session;
      else if (o.session instanceof Uint8Array) session = Session.fromDER(Buffer.from(o.session));
      else throw invalidArgType('options.session', ['Buffer', 'TypedArray', 'DataView'], o.session);
    }
    if (o.checkServerIdentity !== undefined && o.checkServerIdentity !== null && typeof o.checkServerIdentity !== 'function') {
      throw invalidArgType('options.checkServerIdentity', 'function', o.checkServerIdentity);
    }
    for (const name of ['SNICallback', 'ALPNCallback', 'pskCallback'] as const) {
      if (o[name] !== undefined && o[name] !== null && typeof o[name] !== 'function') throw invalidArgType(`options.${name}`, 'function', o[name]);
    }
    if (o.pskIdentityHint !== undefined && o.pskIdentityHint !== null && typeof o.pskIdentityHint !== 'string') throw invalidArgType('options.pskIdentityHint', 'string', o.pskIdentityHint);
    const alpn = alpnOption(o.ALPNProtocols);
    // ossl's own `context` option: an @ossl/ssl Context, used as it is. Anything else under that name is
    // not an option node:tls knows, and is ignored as node:tls ignores it.
    const rawContext = genuineContext(o.context);
    // A client told to use a context that is not one refuses (it would otherwise verify by rules the
    // caller did not choose); servers ignore it, as node:tls ignores options it does not know.
    if (!isServer && rawContext === undefined && o.context !== undefined && o.context !== null) throw invalidArgType('options.context', 'Context', o.context);
    let secureContext: SecureContext | null = null;
    if (o.secureContext !== undefined && o.secureContext !== null) {
      if (!(o.secureContext instanceof SecureContext)) throw nodeError('ERR_TLS_INVALID_CONTEXT', 'context must be a SecureContext', TypeError);
      secureContext = o.secureContext;
    } else if (!(rawContext instanceof Context)) {
      secureContext = createSecureContext(o as SecureContextOptions);
    }
    const ctx = rawContext ?? secureContext!.context;
    if (!(rawContext instanceof Context)) {
      // Callbacks OpenSSL copies into each new connection are installed before it is made.
      if (typeof o.pskCallback === 'function') wireContext(ctx, 'psk');
      if (isServer) wireContext(ctx, 'cert');
      if (isServer && typeof o.pskCallback === 'function' && typeof o.pskIdentityHint === 'string') {
        try {
          ctx.usePskIdentityHint(o.pskIdentityHint);
        } catch (e) {
          throw Object.assign(nodeError('ERR_TLS_PSK_SET_IDENTIY_HINT_FAILED', 'Failed to set PSK identity hint'), { cause: e });
        }
      }
    }
    // As node:tls: a wrapped stream's own setting, else the option.
    const allowHalfOpen = Boolean(isTransportStream(o.socket) ? (o.socket as Duplex & { allowHalfOpen?: boolean }).allowHalfOpen : o.allowHalfOpen);
    super((highWaterMark === null ? { allowHalfOpen } : { allowHalfOpen, highWaterMark }) as net.SocketConstructorOpts);
    this.#options = o;
    this.#startRequested = !nodeShape;
    const onread = o.onread as { buffer?: unknown; callback?: unknown } | undefined | null;
    if (onread !== undefined && onread !== null) {
      if (typeof onread !== 'object') throw invalidArgType('options.onread', 'object', onread);
      const { buffer, callback } = onread;
      if (typeof callback !== 'function') throw invalidArgType('options.onread.callback', 'function', callback);
      if (typeof buffer !== 'function' && !(buffer instanceof Uint8Array)) throw invalidArgType('options.onread.buffer', ['Buffer', 'Uint8Array', 'function'], buffer);
      const current = typeof buffer === 'function' ? (buffer as () => Uint8Array)() : buffer;
      this.#onread = { buffer: buffer as Uint8Array | (() => Uint8Array), callback: callback as (n: number, b: Uint8Array) => boolean | void, current, rest: null, paused: false };
    }
    this.#isServer = isServer;
    this.#rejectUnauthorized = !isOwnFalse(o, 'rejectUnauthorized');
    this.#requestCert = Boolean(o.requestCert);
    this.#suppressRaggedEofs = !isOwnFalse(o, 'suppressRaggedEofs');
    if (o.deferEnd !== undefined && o.deferEnd !== null && typeof o.deferEnd !== 'boolean') throw invalidArgType('options.deferEnd', 'boolean', o.deferEnd);
    this.#deferEnd = o.deferEnd === true;
    this.#python = o[kPythonShape] === true;
    this.#servername = servername;
    this.#host = host;
    this.#session = session;
    this.#alpnProtocols = alpn;
    this.#checkServerIdentity = (o.checkServerIdentity as SecureSocketOptions['checkServerIdentity']) ?? null;
    this.#ownsContext = !(rawContext instanceof Context);
    this.secureContext = secureContext;
    this.server = o.server as net.Server | undefined;
    this.connection = new Connection(ctx);
    this.connection.setAppData(this);
    if (this.#ownsContext) this.#configure(ctx);
    if (isServer) this.connection.setAcceptState();
    else this.connection.setConnectState();
    this.#raw = (o.socket as Duplex | undefined | null) ?? null;
    if (this.#raw !== null) this.#attach(this.#raw);
    const signal = o.signal;
    if (signal instanceof AbortSignal) abortWith(this, signal);
    // node:tls emits 'keylog' only to listeners; OpenSSL's keylog hook is set on first interest.
    this.on('newListener', (event: string | symbol) => {
      if (event === 'keylog' && this.#ownsContext) wireContext(ctx, 'keylog');
    });
  }

  /** Per-connection policy on a context compat-net built: verification, ALPN, PSK, OCSP. */
  #configure(ctx: Context): void {
    const o = this.#options;
    const conn = this.connection;
    wireContext(ctx, 'session');
    if (this.#isServer) {
      if (!this.#requestCert) conn.setVerify(VERIFY_NONE);
      // OpenSSL itself refuses a client whose certificate fails: no ticket, no cached session.
      else if (this.#rejectUnauthorized) conn.setVerify(VERIFY_PEER | VERIFY_FAIL_IF_NO_PEER_CERT);
      else conn.setVerifyDeferred(VERIFY_PEER);
      if (this.#alpnProtocols !== null || typeof o.ALPNCallback === 'function') wireContext(ctx, 'alpn');
    } else {
      conn.setVerifyDeferred(VERIFY_PEER);
      if (this.#alpnProtocols !== null && this.#alpnProtocols.length > 0) conn.setAlpnProtos(this.#alpnProtocols);
      if (o.requestOCSP) {
        wireContext(ctx, 'ocsp');
        conn.requestOcsp();
      }
    }
  }

  // ---- the transport ----

  #attach(raw: Duplex): void {
    if (raw.destroyed) {
      // Nothing can be sent or received: say so, as a socket that fails to connect does.
      process.nextTick(() => this.destroy(socketClosedError()));
      return;
    }
    const transport = new Transport(this.connection, raw, {
      input: () => {
        (this as unknown as { _unrefTimer(): void })._unrefTimer();
        this.#cycle();
      },
      error: (err) => this.destroy(err),
      close: () => this.#onRawClose(),
    });
    this.#transport = transport;
    const sock = raw as net.Socket;
    const waitsForConnect = sock instanceof net.Socket && sock.connecting;
    if (waitsForConnect) {
      (this as { connecting: boolean }).connecting = true;
      sock.once('connect', () => {
        (this as { connecting: boolean }).connecting = false;
        this.emit('connect');
        this.#cycle();
      });
      sock.once('ready', () => this.emit('ready'));
    }
    sock.on?.('lookup', (...args: unknown[]) => this.emit('lookup', ...args));
    transport.attach();
    if (this.#isServer || !waitsForConnect) queueMicrotask(() => this.#cycle());
  }

  #onRawClose(): void {
    if (this.destroyed || this.#unwrapped) return;
    if (!this.#secure) {
      // The transport went away before the handshake finished: never a silent close.
      this.#fail(this.#hangupError());
      return;
    }
    if (this.readableEnded || this.#ended) {
      this.destroy();
      return;
    }
    // What already arrived is still the reader's: the transport's close is its EOF, and this socket
    // closes once the reader has seen the end, as net.Socket does.
    this.once('end', () => this.destroy());
    this.#cycle();
  }

  /**
   * Sends what the engine wrote. During the handshake a transport that can no longer be written to
   * is an error; afterwards `cb` (a write's callback) gets it.
   */
  #flush(cb?: (err?: Error | null) => void): void {
    const transport = this.#transport;
    if (transport === null) {
      cb?.();
      return;
    }
    if (cb) {
      transport.flush(cb);
      return;
    }
    try {
      transport.flush();
    } catch (e) {
      if (!this.#secure) throw transport.eof ? this.#hangupError() : e;
    }
  }

  /** Clients, before the first handshake step: SNI, the session to resume and the name OpenSSL checks. */
  #startClient(): void {
    this.#started = true;
    const conn = this.connection;
    const sni = this.#servername !== null ? this.#servername : this.#host;
    if (sni && !net.isIP(sni)) conn.setTlsextHostName(sni);
    if (this.#session !== null) {
      try {
        conn.setSession(this.#session);
      } catch {
        // A session the context cannot use (another protocol version): a full handshake, as node:tls.
      }
    }
    const raw = this.#raw as (net.Socket & { _host?: string | null }) | null;
    const name = this.#servername || this.#host || raw?._host || raw?.remoteAddress || null;
    this.#checkedName = name;
    // As node:tls: the host check is the caller's `checkServerIdentity` when given, else OpenSSL's.
    if (name && this.#checkServerIdentity === null) conn.setHost(name);
    else conn.setHost(null);
  }

  /**
   * The transport ended before the handshake did: node:tls's ECONNRESET (with the client's `host`,
   * `port`, `path` and `localAddress`, as node:tls adds them), or CPython's EOF error.
   */
  #hangupError(): Error {
    const err = handshakeEofError(this.#isServer, this.#python);
    if (this.#isServer || this.#python) return err;
    hangups.add(err);
    // As node:tls: the connect options' own values (undefined where not given).
    const o = this.#options;
    Object.assign(err, { path: o.path, host: o.host, port: o.port, localAddress: o.localAddress });
    return err;
  }

  /**
   * Destroys the socket with `err`. A client's hang-up error comes after its 'end', as node:tls reports
   * it from its 'end' listener (a readable side with nothing in it ends at once).
   */
  #fail(err: Error): void {
    if (hangups.has(err) && this.#suppressRaggedEofs && !this.#ended && this.readableLength === 0 && !this.destroyed) {
      this.#endReadable();
      this.once('end', () => process.nextTick(() => this.destroy(err)));
      return;
    }
    this.destroy(err);
  }

  /** A handshake failure as node:tls (or CPython, for the Python names) reports it. */
  #translate(e: unknown): unknown {
    if (this.#pendingFailure !== null) return this.#pendingFailure;
    // A client whose Context verifies inside the handshake: OpenSSL's verdict in node:tls's words
    // (`DEPTH_ZERO_SELF_SIGNED_CERT`, `ERR_TLS_CERT_ALTNAME_INVALID`, ...), as a deferred verdict reads.
    if (e instanceof CertificateVerifyError && !this.#isServer && !this.#python) return verifyErrorOf(e, this.#checkedName, this.connection.getPeerCertificate());
    if (e instanceof SSLError && !(e instanceof CertificateVerifyError)) {
      const verdict = this.connection.getVerifyError();
      if (verdict !== null && e.errors.some((x) => /certificate/i.test(x.reason))) {
        return this.#python ? new CertificateVerifyError(verdict.verifyCode, verdict.verifyMessage, e.errors) : verifyErrorOf(verdict, this.#checkedName, this.connection.getPeerCertificate());
      }
    }
    if (e instanceof SysCallError && e.errno === -1) return this.#hangupError();
    if (this.#python) return e;
    return nodeSslError(e);
  }

  /** Runs the engine as far as the bytes at hand allow: handshake, then decrypted reads. */
  #cycle(): void {
    if (this.destroyed || this.#transport === null) return;
    const conn = this.connection;
    try {
      if (!this.#secure) {
        if (!this.#isServer && !this.#started) {
          if (!this.#startRequested) return; // node:tls's shape: a client starts when told (`_start`, `connect`)
          this.#startClient();
        }
        if (this.#helloWork === 'ready' && !this.#helloResumed) {
          // The external cache's answer goes to OpenSSL's session lookup (outside its callbacks).
          this.#helloResumed = true;
          if (this.#foundSession !== null) conn.setPendingSession(this.#foundSession);
          this.#foundSession = null;
        }
        try {
          this.#engineDepth++;
          let done: boolean;
          try {
            done = conn.tryHandshake();
          } finally {
            this.#engineDepth--;
          }
          if (!done) throw kWantRead;
        } catch (e) {
          if (e instanceof WantX509LookupError) {
            // A callback waits for the application (an SNI, OCSP or session lookup).
            this.#flush();
            // A session lookup answered at once: go on as soon as this call is over.
            if (this.#helloWork === 'ready' && !this.#helloResumed) queueMicrotask(() => this.#cycle());
            return;
          }
          if (e === kWantRead || e instanceof WantReadError) {
            this.#flush();
            // The peer's bytes have all arrived and the handshake still wants more: it hung up.
            // As node:tls, a client's readable side ends first ('end'), then the error.
            if (this.#transport.eof) throw this.#hangupError();
            this.#transport.throttle(this.#readPaused);
            return;
          }
          throw this.#translate(e);
        }
        // The last handshake bytes (a TLS 1.3 server's session tickets) and what the listeners write
        // at once leave in one segment, as node:tls sends them: two small writes in a row meet
        // Nagle's algorithm and the peer's delayed ACK (~40 ms).
        const raw = this.#raw as Partial<net.Socket>;
        const corked = typeof raw.cork === 'function' && typeof raw.uncork === 'function';
        if (corked) raw.cork!();
        try {
          this.#flush();
          if (this.destroyed) return;
          this.#onSecure();
        } finally {
          if (corked) process.nextTick(() => raw.uncork!());
        }
        if (this.destroyed) return;
      }
      if (this.#onread !== null && this.#onread.rest !== null && !this.#readPaused) {
        const rest = this.#onread.rest;
        this.#onread.rest = null;
        if (!this.#deliver(rest)) this.#readPaused = true;
      }
      while (!this.#readPaused && !this.#ended && !this.#eofPending) {
        let data: Buffer | null;
        if (this.#transport.eof && conn.bioInPending() === 0 && conn.pending() === 0 && (conn.getShutdown() & RECEIVED_SHUTDOWN) === 0) {
          // Nothing left to decrypt, the transport ended and no close_notify came: a ragged EOF
          // (known without asking OpenSSL, which would say so with an exception).
          this.truncated = true;
          if (!this.#suppressRaggedEofs) throw eofError();
          this.#peerEnded();
          break;
        }
        try {
          this.#engineDepth++;
          try {
            data = this.#readRecords();
          } finally {
            this.#engineDepth--;
          }
        } catch (e) {
          if (e instanceof ZeroReturnError) {
            this.#peerEnded();
            break;
          }
          if (e instanceof SysCallError && e.errno === -1) {
            // The transport ended without a close_notify. By default an end, as net.Socket and
            // node:tls do (but say so); with suppressRaggedEofs: false an error, as CPython can.
            this.truncated = true;
            if (!this.#suppressRaggedEofs) throw eofError();
            this.#peerEnded();
            break;
          }
          throw this.#python ? e : nodeSslError(e);
        }
        if (data === null) break; // the engine wants more bytes from the transport
        this.#checkRenegotiation();
        this.#plainRead += data.length;
        if (!this.#deliver(data)) this.#readPaused = true;
      }
      this.#checkRenegotiation();
      this.#flush();
      this.#transport.throttle(this.#readPaused);
    } catch (e) {
      try {
        this.#flush(); // an alert, if OpenSSL made one
      } catch {
        // The transport is gone; the error below says what happened.
      }
      this.#fail(e as Error);
    }
  }

  /**
   * Decrypts what the engine can, several records into one buffer of up to the readable side's
   * high-water mark (one 'data' event for them): null when nothing is ready. A failure after some bytes
   * waits for the next call, so the bytes before it are delivered first.
   */
  #readRecords(): Buffer | null {
    const conn = this.connection;
    if (this.#readError !== null) {
      const e = this.#readError;
      this.#readError = null;
      throw e;
    }
    // Up to the readable side's high-water mark (one record at least), so a paused reader holds little.
    const size = Math.max(16384, Math.min(65536, this.readableHighWaterMark - this.readableLength));
    const out = Buffer.allocUnsafe(size);
    let n = 0;
    while (n < size) {
      let got: number | null;
      try {
        got = conn.tryRecvInto(out, n, size - n);
      } catch (e) {
        if (n === 0) throw e;
        this.#readError = e; // the bytes before it are delivered first; the next call reports it
        break;
      }
      if (got === null || got === 0) break;
      n += got;
      // Leave room for a whole record, or stop: a short read into the tail would split one.
      if (size - n < 16384) break;
    }
    if (n === 0) return null;
    return n === size ? out : out.subarray(0, n);
  }

  /**
   * Follows renegotiations after the first handshake: a server cuts off a client that starts more than
   * `CLIENT_RENEG_LIMIT` in `CLIENT_RENEG_WINDOW` seconds (node:tls's ERR_TLS_SESSION_ATTACK), a socket
   * with `disableRenegotiation()` any; each finished one is a new 'secure' and answers `renegotiate`'s callback.
   */
  #checkRenegotiation(): void {
    if (!this.#secure || this.destroyed) return;
    const finished = this.connection.isInitFinished();
    if (!finished && !this.#inRenegotiation) {
      this.#inRenegotiation = true;
      if (this.#renegotiationDisabled) {
        this.destroy(nodeError('ERR_TLS_RENEGOTIATION_DISABLED', 'TLS session renegotiation disabled for this socket'));
        return;
      }
      if (this.#isServer) {
        const now = Date.now();
        const times = this.#renegotiationTimes;
        times.push(now);
        while (times.length > 0 && now - times[0]! > tlsDefaults.CLIENT_RENEG_WINDOW * 1000) times.shift();
        if (times.length > tlsDefaults.CLIENT_RENEG_LIMIT) this.destroy(nodeError('ERR_TLS_SESSION_ATTACK', 'TLS session renegotiation attack detected'));
      }
    } else if (finished && this.#inRenegotiation) {
      this.#inRenegotiation = false;
      // As node:tls: the peer's certificate is judged again after each handshake.
      if (this.#isServer) this.#verifyClient();
      if (this.destroyed) return;
      this.emit('secure');
      for (const cb of this.#renegotiationCallbacks.splice(0)) cb(null);
    }
  }

  /**
   * The peer ended its side. With `deferEnd`, the end waits until a reader asks for more with nothing
   * left (`#takeEof`), as net.Socket only sees an EOF when it reads again; a reader waiting for
   * 'readable' is told, so that it asks.
   */
  #peerEnded(): void {
    if (!this.#deferEnd) return this.#endReadable();
    this.#eofPending = true;
    if (this.readableLength === 0) this.emit('readable');
  }

  /** A reader asks for more: a pending end is delivered once the buffer is empty, in a later turn. */
  #takeEof(): void {
    if (!this.#eofPending || this.readableLength > 0) return;
    this.#eofPending = false;
    setImmediate(() => {
      if (!this.#ended && !this.destroyed) this.#endReadable();
    });
  }

  #endReadable(): void {
    this.#ended = true;
    this.push(null);
    // As net.Socket: with nothing left to read, 'end' comes even if nobody reads (and, without
    // allowHalfOpen, this side ends too).
    super.read(0);
  }

  #onSecure(): void {
    this.#secure = true;
    this._secureEstablished = true;
    this.secureConnecting = false;
    const conn = this.connection;
    const proto = conn.getAlpnProtoNegotiated();
    this.alpnProtocol = proto ? proto.toString('latin1') : false;
    if (this.#isServer) this.#verifyClient();
    else this.#verifyServer();
    if (this.destroyed) return;
    // node:tls: a server's 'newSession' listener gates the handshake's end until it calls back.
    if (this.#newSessionPending > 0) {
      this.#secureWaiting = true;
      return;
    }
    this.#announceSecure();
  }

  #announceSecure(): void {
    this.emit('secure');
    // node:tls's server sockets: 'secure' (the server's 'secureConnection' is the server's to emit);
    // clients: 'secureConnect', unless a 'secure' listener refused the connection (minDHSize).
    if (!this.#isServer && !this.destroyed) this.emit('secureConnect');
    this.#sendPending();
  }

  #sendPending(): void {
    if (this.#engineDepth > 0 || !this.#secure) return;
    for (const { chunk, cb } of this.#pending.splice(0)) this.#send(chunk, cb);
  }

  #verifyClient(): void {
    const conn = this.connection;
    if (!this.#requestCert && this.#ownsContext) return;
    if (conn.getVerifyMode() === VERIFY_NONE) return;
    let failure: Error | null = conn.getVerifyError();
    if (failure === null && conn.getPeerCertificate() === null) {
      failure = nodeError('UNABLE_TO_GET_ISSUER_CERT', 'unable to get issuer certificate');
    }
    this.authorized = failure === null;
    this.authorizationError = failure === null ? null : ((failure as Error & { code?: string }).code ?? failure.message);
    if (failure !== null && this.#rejectUnauthorized) this.destroy(this.#python ? failure : undefined);
  }

  #verifyServer(): void {
    const conn = this.connection;
    const verifies = conn.getVerifyMode() !== VERIFY_NONE;
    const peer = conn.getPeerCertificate();
    let failure: Error | null = null;
    if (!verifies) {
      failure = new SSLError('the server was not verified (the context verifies nothing)', [], 'ERR_SSL_VERIFY_OFF');
    } else {
      // OpenSSL's verdict (after a resumption, the one kept in the session).
      const verdict = conn.getVerifyError();
      if (verdict !== null) failure = this.#python ? verdict : verifyErrorOf(verdict, this.#checkedName, peer);
      // As node:tls: without a certificate only a pre-shared key authenticates the server (a PSK cipher
      // in TLS 1.2, a resumed PSK handshake in TLS 1.3).
      const pskAuthenticated = peer === null && (/(^|-)PSK-|^PSK/.test(conn.getCipherName() ?? '') || (conn.getProtocolVersionName() === 'TLSv1.3' && conn.sessionReused()));
      if (failure === null && peer === null && !pskAuthenticated) failure = nodeError('UNABLE_TO_GET_ISSUER_CERT', 'unable to get issuer certificate');
      if (failure === null && this.#checkedName === null) failure = noHostnameError();
      if (failure === null && pskAuthenticated && !conn.sessionReused() && this.#checkedName !== null) {
        const check = this.#checkServerIdentity ?? checkServerIdentity;
        const result = check(this.#checkedName, {});
        if (result instanceof Error) failure = result;
      }
      const reused = conn.sessionReused();
      if (failure === null && this.#checkedName !== null && peer !== null) {
        if (this.#checkServerIdentity !== null) {
          if (!reused) {
            const result = this.#checkServerIdentity!(this.#checkedName, this.getPeerCertificate(true));
            if (result instanceof Error) failure = result;
          }
        } else if (reused && !peer.checkHost(this.#checkedName)) {
          // A resumed session carries the verdict for the name it was made for; the name of this
          // connection may differ (node:tls does not check it on resumption): OpenSSL's matcher checks it.
          const verdict2 = net.isIP(this.#checkedName)
            ? new CertificateVerifyError(X509_V_ERR_IP_ADDRESS_MISMATCH, 'IP address mismatch')
            : new CertificateVerifyError(X509_V_ERR_HOSTNAME_MISMATCH, 'hostname mismatch');
          failure = this.#python ? verdict2 : verifyErrorOf(verdict2, this.#checkedName, peer);
        }
      }
    }
    this.authorized = verifies && failure === null;
    this.authorizationError = failure === null ? null : ((failure as Error & { code?: string }).code ?? failure.message);
    if (this.#rejectUnauthorized && failure !== null) this.destroy(failure);
  }

  // ---- callbacks from the Context (see internal/dispatch.ts) ----

  /** @internal The events the context's callbacks deliver to this socket. */
  get [Symbol.for('ossl.compat-net.events')](): ContextEvents {
    return {
      session: (session) => this.#onNewSession(session),
      keylog: (line) => {
        this.emit('keylog', Buffer.concat([line, Buffer.from('\n')]));
        const server = this.server as (net.Server & { emit(e: string, ...a: unknown[]): boolean }) | undefined;
        if (server && server.listenerCount('keylog') > 0) server.emit('keylog', Buffer.concat([line, Buffer.from('\n')]), this);
      },
      servername: () => undefined,
      cert: () => this.#onCert(),
      clientHello: () => this.#onClientHello(),
      alpn: (offered) => this.#onAlpnSelect(offered),
      pskServer: (identity) => this.#onPskServer(identity),
      pskClient: (hint) => this.#onPskClient(hint),
      ocspClient: (response) => {
        // As node:tls: during the handshake, with null when the server stapled nothing.
        this.ocspResponse = response.length > 0 ? response : null;
        this.emit('OCSPResponse', this.ocspResponse);
        return true;
      },
      ocspServer: () => this.#ocspStaple,
    };
  }

  /**
   * A session to resume later arrived (TLS 1.2: at the end of the handshake; TLS 1.3: each ticket).
   * OpenSSL is still running, so the 'session' event waits; a connection that was refused meanwhile
   * hands out no session.
   */
  #onNewSession(newSession: Session): void {
    if (this.#isServer) {
      // node:tls's external session cache: the server's 'newSession' (id, data, done).
      const server = this.server;
      if (server === undefined || server.listenerCount('newSession') === 0) return;
      this.#newSessionPending++;
      let called = false;
      const done = (): void => {
        if (called) return;
        called = true;
        this.#newSessionPending--;
        if (this.#newSessionPending === 0 && this.#secureWaiting && !this.destroyed) {
          this.#secureWaiting = false;
          this.#announceSecure();
        }
      };
      server.emit('newSession', newSession.getId(), newSession.toDER(), done);
      return;
    }
    const der = newSession.toDER();
    // As node:tls: at once (so that `getSession()` is this session), but only after the handshake's
    // verdict: a session arriving before 'secureConnect' waits for it, and a refused one is dropped.
    if (this.#secure) {
      if (!this.destroyed) this.emit('session', der);
    } else {
      this.once('secureConnect', () => {
        if (!this.destroyed) this.emit('session', der);
      });
    }
  }

  /**
   * Servers: a ClientHello with a session id (and no ticket) on a server with 'resumeSession'
   * listeners: node:tls's external session cache is asked, and the handshake waits for its answer.
   */
  #onClientHello(): boolean {
    if (!this.#isServer || this.#helloWork === 'ready') return true;
    if (this.#helloWork === 'pending') return false;
    const server = this.server;
    if (server === undefined || server.listenerCount('resumeSession') === 0) return true;
    const info = this.connection.clientHelloInfo();
    if (info === null || info.sessionId.length === 0 || info.hasTicket) return true;
    this.#helloWork = 'pending';
    let sync = true;
    let answered = false;
    server.emit('resumeSession', info.sessionId, (err: Error | null, data?: Buffer | null) => {
      if (answered) return;
      answered = true;
      if (!err && data) {
        try {
          this.#foundSession = Session.fromDER(Buffer.from(data));
        } catch {
          // As node:tls: data that is not a session means a full handshake.
        }
      }
      this.#helloWork = 'ready';
      if (!sync && !this.destroyed) queueMicrotask(() => this.#cycle());
    });
    sync = false;
    // Always wait once: the session is handed to OpenSSL outside this callback (see #cycle).
    return false;
  }

  /**
   * Servers: OpenSSL is about to choose the certificate. node:tls's SNICallback and the server's
   * 'OCSPRequest' run here, and may answer later: the handshake waits (the callback answers false)
   * until they have, then goes on with the context they chose.
   */
  #onCert(): boolean {
    if (!this.#isServer) return true;
    if (this.#certWork === 'pending') return false;
    if (this.#certWork === 'idle') {
      this.#certWork = 'pending';
      let sync = true;
      this.#runCertWork(() => {
        this.#certWork = 'ready';
        // Answered later: run the handshake again (outside this call).
        if (!sync) queueMicrotask(() => this.#cycle());
      });
      sync = false;
      if (this.#certWork === 'pending') return false;
    }
    if (this.#certFailure !== null) {
      // As node:tls: the connection is dropped without an alert; the server reports the failure.
      const failure = this.#certFailure;
      queueMicrotask(() => this.destroy(failure));
      return false;
    }
    const chosen = this.#sniContext;
    if (chosen !== null && chosen.context !== this.connection.getContext()) {
      if (this.#ocspStaple !== null) wireContext(chosen.context, 'ocsp');
      this.connection.setContext(chosen.context);
      if (chosen.certificates.length === 0) {
        // node:tls applies the context's (absent) certificate and fails with OpenSSL's error.
        this.#pendingFailure = Object.assign(new Error('error:0A0C0102:SSL routines:SSL_use_certificate:passed a null parameter'), {
          library: 'SSL routines',
          reason: 'passed a null parameter',
          code: 'ERR_SSL_PASSED_A_NULL_PARAMETER',
        });
      }
    }
    return true;
  }

  /** The SNI lookup, then the OCSP request: each may answer at once or later; `done` runs once. */
  #runCertWork(done: () => void): void {
    const conn = this.connection;
    const servername = conn.getServername();
    const sni = this.#options.SNICallback as SecureSocketOptions['SNICallback'];
    const afterSni = (): void => {
      if (this.#certFailure !== null || this.destroyed) {
        done();
        return;
      }
      const server = this.server;
      if (server === undefined || server.listenerCount('OCSPRequest') === 0 || !conn.ocspRequested()) {
        done();
        return;
      }
      const sc = this.#sniContext ?? this.secureContext;
      const leaf = sc?.certificates[0] ?? null;
      const issuer = leaf === null ? null : (sc?.issuers.find((c) => c.getSubject().equals(leaf.getIssuer())) ?? null);
      const der = (x: { toX509Certificate(): { raw: Buffer } } | null): Buffer | null => (x === null ? null : Buffer.from(x.toX509Certificate().raw));
      let answered = false;
      server.emit('OCSPRequest', der(leaf), der(issuer), (err: Error | null, response?: Buffer | null) => {
        if (answered) return;
        answered = true;
        if (err) this.#certFailure = err;
        else if (response) this.#ocspStaple = Buffer.from(response);
        done();
      });
    };
    if (!servername || typeof sni !== 'function') {
      afterSni();
      return;
    }
    let answered = false;
    try {
      sni.call(this, servername, (err, ctx) => {
        if (answered) return;
        answered = true;
        if (err) this.#certFailure = err;
        else if (ctx !== undefined && ctx !== null) {
          if (ctx instanceof SecureContext) this.#sniContext = ctx;
          else this.#certFailure = new TypeError('Invalid SNI context');
        }
        afterSni();
      });
    } catch (e) {
      if (!answered) {
        answered = true;
        this.#certFailure = e as Error;
        done();
      } else {
        throw e;
      }
    }
  }

  #onAlpnSelect(offered: Buffer[]): Buffer | null {
    const callback = this.#options.ALPNCallback as SecureSocketOptions['ALPNCallback'];
    if (typeof callback === 'function') {
      const protocols = offered.map((p) => p.toString('latin1'));
      const servername = this.connection.getServername();
      const chosen = callback({ servername: servername ?? false, protocols });
      if (chosen === undefined) return null;
      if (typeof chosen !== 'string' || !protocols.includes(chosen)) throw nodeError('ERR_TLS_ALPN_CALLBACK_INVALID_RESULT', 'ALPN callback returned a value that does not match any of the client\'s offered protocols');
      return Buffer.from(chosen, 'latin1');
    }
    const accepted = this.#alpnProtocols ?? [];
    for (const p of accepted) if (offered.some((x) => x.equals(p))) return p;
    return null;
  }

  #onPskServer(identity: Buffer | null): Buffer | null {
    const callback = this.#options.pskCallback as ServerPskCallback;
    const key = callback(this, identity === null ? '' : identity.toString());
    if (!key) return null;
    if (!ArrayBuffer.isView(key)) throw invalidArgType('ret', ['Buffer', 'TypedArray', 'DataView'], key);
    return Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  }

  #onPskClient(hint: Buffer | null): [Buffer | string, Buffer | string] | null {
    const callback = this.#options.pskCallback as ClientPskCallback;
    const ret = callback(hint === null ? null : hint.toString());
    if (!ret) return null;
    if (typeof ret !== 'object') throw invalidArgType('ret', 'Object', ret);
    if (!ArrayBuffer.isView(ret.psk)) throw invalidArgType('ret.psk', ['Buffer', 'TypedArray', 'DataView'], ret.psk);
    if (typeof ret.identity !== 'string') throw invalidArgType('ret.identity', 'string', ret.identity);
    return [ret.identity, Buffer.from(ret.psk.buffer, ret.psk.byteOffset, ret.psk.byteLength)];
  }

  // ---- net.Socket's stream machinery, answered by the engine ----

  #send(data: Buffer | Buffer[], cb: (err?: Error | null) => void): void {
    const transport = this.#transport!;
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.length;
    try {
      transport.send(data, cb);
    } catch (e) {
      cb(this.#python ? (e as Error) : (nodeSslError(e) as Error));
      return;
    }
    this.#plainWritten += size;
    (this as unknown as { _unrefTimer(): void })._unrefTimer();
  }

  /** Duplex's write side (internal): encrypts `chunk`, or queues it until the handshake is done. */
  override _write(chunk: Buffer | string, encoding: BufferEncoding, cb: (err?: Error | null) => void): void {
    const data = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
    // Before the handshake's end, or from a listener that runs inside OpenSSL ('session', 'keylog',
    // 'OCSPResponse'), the write waits for the engine to be free.
    if (this.#transport === null || !this.#secure || this.#engineDepth > 0) {
      this.#pending.push({ chunk: data, cb });
      if (this.#secure && this.#engineDepth > 0) queueMicrotask(() => this.#sendPending());
    } else {
      this.#send(data, cb);
    }
  }

  /** Duplex's write side for corked writes (internal): one record run for all of them. */
  override _writev(chunks: Array<{ chunk: Buffer | string; encoding: BufferEncoding }>, cb: (err?: Error | null) => void): void {
    const buffers = chunks.map(({ chunk, encoding }) => (typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk));
    if (this.#transport === null || !this.#secure || this.#engineDepth > 0) this._write(Buffer.concat(buffers), 'latin1', cb);
    else this.#send(buffers, cb);
  }

  /** Duplex's read side (internal): the reader wants more, so decrypt again if we had stopped. */
  /**
   * Hands decrypted bytes to the reader: the readable side, or node's `onread` callback (into the
   * caller's own buffer). Returns false when the reader wants no more for now.
   */
  #deliver(data: Buffer): boolean {
    const onread = this.#onread;
    if (onread === null) return this.push(data);
    let offset = 0;
    while (offset < data.length) {
      const target = onread.current;
      const n = Math.min(target.byteLength, data.length - offset);
      data.copy(Buffer.from(target.buffer, target.byteOffset, target.byteLength), 0, offset, offset + n);
      offset += n;
      const more = onread.callback(n, target);
      if (typeof onread.buffer === 'function') onread.current = onread.buffer();
      if (more === false || onread.paused) {
        onread.paused = true;
        if (offset < data.length) onread.rest = data.subarray(offset);
        return false;
      }
    }
    return true;
  }

  /** net.Socket's `pause`; with `onread`, it stops the callback until `resume()`. */
  override pause(): this {
    if (this.#onread !== null) this.#onread.paused = true;
    return super.pause();
  }

  /** net.Socket's `resume`; with `onread`, the callback gets what waited. */
  override resume(): this {
    super.resume();
    if (this.#onread !== null && this.#onread.paused) {
      this.#onread.paused = false;
      this.#readPaused = false;
      queueMicrotask(() => this.#cycle());
    }
    return this;
  }

  /** Duplex's read side (internal): the reader wants more, so decrypt again if we had stopped. */
  override _read(): void {
    if (this.#eofPending) return; // nothing more to decrypt; the end comes through #takeEof
    if (this.#readPaused) {
      this.#readPaused = false;
      this.#cycle();
    }
  }

  /** Duplex's end (internal): sends close_notify, then ends the transport. */
  override _final(cb: (err?: Error | null) => void): void {
    if (this.#unwrapped || this.#transport === null) {
      cb();
      return;
    }
    if (!this.#secure) {
      // Ending before the handshake finished: what was written waits for it, and the end too.
      this.once('secure', () => this._final(cb));
      return;
    }
    if (this.#engineDepth > 0) {
      queueMicrotask(() => this._final(cb));
      return;
    }
    try {
      this.connection.shutdown();
    } catch {
      // A failed close_notify still ends the transport.
    }
    this.#flush(() => {
      this.#raw?.end();
      cb();
    });
  }

  /** Destroys the transport too (unless `unwrap()` gave it back), then emits `'close'` as net.Socket does. */
  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.setTimeout(0);
    for (const { cb: pendingCb } of this.#pending.splice(0)) pendingCb(err ?? socketClosedError());
    if (!this.#unwrapped) this.#raw?.destroy();
    cb(err);
    if (!this.#closeEmitted) {
      this.#closeEmitted = true;
      process.nextTick(() => this.emit('close', err !== null && err !== undefined));
    }
  }

  // ---- net.Socket's surface, from the transport ----

  /**
   * Connects the transport (a net.Socket made here, or one given) as net.Socket's `connect` does, and
   * starts TLS when it is connected. Takes net.Socket's arguments: `(port[, host][, listener])`,
   * `(path[, listener])` or `(options[, listener])`.
   */
  override connect(...args: unknown[]): this {
    const last = args[args.length - 1];
    const listener = typeof last === 'function' ? (last as () => void) : undefined;
    if (listener) args.pop();
    const [first] = args;
    if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      const h = typeof args[1] === 'string' ? args[1] : 'localhost';
      if (this.#host === null) this.#host = h;
    } else if (first !== null && typeof first === 'object' && typeof (first as { host?: unknown }).host === 'string' && this.#host === null) {
      this.#host = (first as { host: string }).host;
    }
    let raw = this.#raw;
    if (raw === null) {
      raw = new net.Socket();
      this.#raw = raw;
    }
    if (listener) this.once('secureConnect', listener);
    this.#startRequested = true;
    (raw as net.Socket).connect(...(args as Parameters<net.Socket['connect']>));
    if (this.#transport === null) this.#attach(raw);
    return this;
  }

  /** node:tls's `_start()`: a client begins its handshake (once the transport is connected). */
  _start(): void {
    if (this.#startRequested) return;
    this.#startRequested = true;
    if (this.#transport !== null && !this.connecting) queueMicrotask(() => this.#cycle());
  }

  /** The plain transport under TLS (node:tls's `_parent` is the same for wrapped sockets). */
  get socket(): Duplex | null {
    return this.#raw;
  }

  /** @internal Plaintext byte counts (for the net.Socket accessors defined below the class). */
  get [kCounts](): { read: number; written: number } {
    return { read: this.#plainRead, written: this.#plainWritten };
  }

  /** net.Socket's `setNoDelay`, on the transport. */
  override setNoDelay(noDelay = true): this {
    (this.#raw as net.Socket | null)?.setNoDelay?.(noDelay);
    return this;
  }

  /** net.Socket's `setKeepAlive`, on the transport. */
  override setKeepAlive(enable = false, initialDelay = 0): this {
    (this.#raw as net.Socket | null)?.setKeepAlive?.(enable, initialDelay);
    return this;
  }

  /** The local address of the transport, or `{}` (net.Socket's `address()`). */
  override address(): net.AddressInfo | Record<string, never> {
    return (this.#raw as net.Socket | null)?.address?.() ?? {};
  }

  /** net.Socket's `ref`, on the transport. */
  override ref(): this {
    (this.#raw as net.Socket | null)?.ref?.();
    return this;
  }

  /** net.Socket's `unref`, on the transport. */
  override unref(): this {
    (this.#raw as net.Socket | null)?.unref?.();
    return this;
  }

  /**
   * Python's `read(n)` for n > 0: a Promise of 1..n decrypted bytes, an empty Buffer at the end. Without
   * an argument (or 0) it is the stream's `read()`, as every Node stream.
   */
  override read(size?: number): any {
    this.#takeEof();
    if (typeof size !== 'number' || size <= 0) return super.read(size);
    return this.#readSome(size);
  }

  async #readSome(n: number): Promise<Buffer> {
    for (;;) {
      const available = this.readableLength;
      if (available > 0) {
        const chunk = super.read(Math.min(n, available)) as Buffer | string | null;
        if (chunk !== null) return typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      }
      if (this.readableEnded || this.destroyed) return Buffer.alloc(0);
      this.#takeEof();
      await new Promise<void>((resolve, reject) => {
        const done = (): void => {
          this.off('readable', done);
          this.off('end', done);
          this.off('close', done);
          this.off('error', fail);
          resolve();
        };
        const fail = (err: Error): void => {
          done();
          reject(err);
        };
        this.once('readable', done);
        this.once('end', done);
        this.once('close', done);
        this.once('error', fail);
      });
    }
  }

  // ---- node:tls's TLS state ----

  /** The SNI name: the one sent (client) or received (server), or null. */
  get servername(): string | false | null {
    if (this.#isServer) return this.connection.getServername() ?? false;
    return this.#servername;
  }

  /** Clients: the name to send as SNI (before the handshake). */
  setServername(name: string): void {
    if (typeof name !== 'string') throw invalidArgType('name', 'string', name);
    if (this.#isServer) throw nodeError('ERR_TLS_SNI_FROM_SERVER', 'Cannot issue SNI from a TLS server-side socket');
    this.#servername = name;
    if (this.#started && name && !net.isIP(name)) this.connection.setTlsextHostName(name);
  }

  /** The peer's certificate as node:tls's object (`detailed`: with `issuerCertificate` links), or `{}` / null. */
  getPeerCertificate(detailed = false): Record<string, unknown> {
    const chain = this.connection.getPeerCertChain();
    const leaf = this.connection.getPeerCertificate();
    if (leaf === null) return this.#secure ? {} : (null as unknown as Record<string, unknown>);
    const out = certToNodeObject(leaf);
    if (detailed) {
      let current = out;
      const rest = (chain ?? []).slice(this.#isServer ? 0 : 1);
      for (const c of rest) {
        const next = certToNodeObject(c);
        current.issuerCertificate = next;
        current = next;
      }
      current.issuerCertificate = current;
    }
    return out;
  }

  /** This side's certificate as node:tls's object, or `{}` / null. */
  getCertificate(): Record<string, unknown> | null {
    const cert = this.connection.getCertificate();
    if (cert === null) return this.#secure ? {} : null;
    return certToNodeObject(cert);
  }

  /** The peer's certificate as a node:crypto X509Certificate, or undefined. */
  getPeerX509Certificate(): X509Certificate | undefined {
    const cert = this.connection.getPeerCertificate();
    if (cert === null) return undefined;
    // As node:tls: each certificate links to its issuer from the peer's chain (`issuerCertificate`).
    const chain = (this.connection.getPeerCertChain() ?? []).map((c) => c.toX509Certificate());
    const leaf = cert.toX509Certificate();
    if (chain.length > 0 && !this.#isServer) chain.shift();
    let current = leaf;
    for (const next of chain) {
      if (!current.checkIssued(next)) break;
      Object.defineProperty(current, 'issuerCertificate', { value: next, enumerable: false, configurable: true });
      current = next;
    }
    return leaf;
  }

  /** This side's certificate as a node:crypto X509Certificate, or undefined. */
  getX509Certificate(): X509Certificate | undefined {
    const cert = this.connection.getCertificate();
    return cert === null ? undefined : cert.toX509Certificate();
  }

  /** Whether the handshake resumed a session. */
  isSessionReused(): boolean {
    return this.#secure && this.connection.sessionReused();
  }

  /** The session as DER bytes for the `session` option, or undefined before there is one. */
  getSession(): Buffer | undefined {
    const session = this.connection.getSession();
    return session === null ? undefined : session.toDER();
  }

  /** The TLS session ticket (DER of the session's ticket), or undefined. */
  getTLSTicket(): Buffer | undefined {
    const session = this.connection.getSession();
    if (session === null || this.#isServer) return undefined;
    return session.hasTicket() ? session.toDER() : undefined;
  }

  /** `'TLSv1.3'`, `'TLSv1.2'`, ... or null before the handshake. */
  getProtocol(): string | null {
    if (this.#closeEmitted) return null; // node:tls: no protocol once the socket is closed
    return this.#secure || this.connection.isInitFinished() ? this.connection.getProtocolVersionName() : null;
  }

  /** `{name, standardName, version}` of the negotiated cipher, or null. */
  getCipher(): CipherInfo | null {
    const name = this.connection.getCipherName();
    if (name === null) return null;
    return { name, standardName: this.connection.getCipherStandardName() ?? name, version: this.connection.getCipherVersion() ?? '' };
  }

  /** The Finished message this side sent, or undefined. */
  getFinished(): Buffer | undefined {
    return this.connection.getFinished() ?? undefined;
  }

  /** The Finished message the peer sent, or undefined. */
  getPeerFinished(): Buffer | undefined {
    return this.connection.getPeerFinished() ?? undefined;
  }

  /**
   * Keying material (RFC 5705 / RFC 8446): `length` bytes for `label` and optional `context`.
   * @throws node's ERR_INVALID_ARG_TYPE for wrong types, ERR_TLS_INVALID_STATE before the handshake.
   */
  exportKeyingMaterial(length: number, label: string, context?: Buffer): Buffer {
    if (typeof length !== 'number') throw invalidArgType('length', 'number', length);
    if (!Number.isInteger(length)) throw outOfRange('length', 'an integer', length);
    if (length < 1 || length > 4294967295) throw outOfRange('length', '>= 1 && <= 4294967295', length);
    if (typeof label !== 'string') throw invalidArgType('label', 'string', label);
    if (context !== undefined && !ArrayBuffer.isView(context)) throw invalidArgType('context', ['Buffer', 'TypedArray', 'DataView'], context);
    if (!this.#secure) throw nodeError('ERR_TLS_INVALID_STATE', 'TLS socket connection must be securely established');
    return this.connection.exportKeyingMaterial(label, length, context === undefined ? null : Buffer.from(context.buffer, context.byteOffset, context.byteLength));
  }

  /** The peer's ephemeral key of the key exchange (clients): `{type, name, size}`, `{}` on servers, null before the handshake. */
  getEphemeralKeyInfo(): EphemeralKeyInfo | null {
    if (this.#isServer || !this.#secure || this.#closeEmitted) return null;
    return Object.assign(Object.create(null) as EphemeralKeyInfo, this.connection.getPeerTmpKey() ?? {});
  }

  /** The signature algorithms both sides support. */
  getSharedSigalgs(): string[] {
    return this.connection.getSharedSigalgs();
  }

  /**
   * Starts a TLS 1.2 renegotiation (node:tls's `renegotiate`): `callback(err)` runs when it is done.
   * Returns false (and calls back with the error) when it cannot start, as on TLS 1.3.
   */
  renegotiate(options: { rejectUnauthorized?: boolean; requestCert?: boolean }, callback?: (err: Error | null) => void): boolean {
    if (options === null || typeof options !== 'object') throw invalidArgType('options', 'object', options);
    if (callback !== undefined && typeof callback !== 'function') throw invalidArgType('callback', 'function', callback);
    const o = ownOptions(options, 'options') as Record<string, unknown>;
    if (this.destroyed || !this.#secure) return false;
    if (o.requestCert !== undefined || o.rejectUnauthorized !== undefined) {
      const request = o.requestCert !== undefined ? Boolean(o.requestCert) : this.#requestCert;
      const reject = o.rejectUnauthorized !== undefined ? Boolean(o.rejectUnauthorized) : this.#rejectUnauthorized;
      this.#requestCert = request;
      this.#rejectUnauthorized = reject;
      if (this.#isServer) {
        if (!request) this.connection.setVerify(VERIFY_NONE);
        else if (reject) this.connection.setVerify(VERIFY_PEER | VERIFY_FAIL_IF_NO_PEER_CERT);
        else this.connection.setVerifyDeferred(VERIFY_PEER);
      }
    }
    try {
      this.connection.renegotiate();
      this.connection.doHandshake();
    } catch (e) {
      if (!(e instanceof WantReadError)) {
        const err = this.#python ? (e as Error) : (nodeSslError(e) as Error);
        if (callback) process.nextTick(callback, err);
        return false;
      }
    }
    this.#inRenegotiation = true;
    if (callback) this.#renegotiationCallbacks.push(callback);
    this.#flush();
    return true;
  }

  /** Turns renegotiation off: a peer that asks is cut off with ERR_TLS_RENEGOTIATION_DISABLED. */
  disableRenegotiation(): void {
    this.#renegotiationDisabled = true;
  }

  /** The largest plaintext record this side sends (512 to 16384); false when out of range. */
  setMaxSendFragment(size: number): boolean {
    if (typeof size !== 'number') throw invalidArgType('size', 'number', size);
    if (!Number.isInteger(size)) throw outOfRange('size', 'an integer', size);
    if (size < -(2 ** 31) || size > 2 ** 31 - 1) throw outOfRange('size', '>= -2147483648 && <= 2147483647', size);
    try {
      this.connection.setMaxSendFragment(size);
      return true;
    } catch {
      return false;
    }
  }

  /** OpenSSL's protocol trace is not available through ossl: a no-op, as node:tls without a trace build. */
  enableTrace(): void {}

  // ---- Python's SSLSocket names ----

  /** The peer's certificate as Python's dict (empty when unverified), its DER with `binaryForm`, or null. */
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
   * (Python's `unwrap()`; the end of a STARTTLS session). The socket comes back paused.
   */
  async unwrap(): Promise<Duplex> {
    if (!this.#secure || this.#transport === null) throw new SSLError('the handshake has not finished', [], 'ERR_SSL_NOT_SECURE');
    const done = new Promise<void>((resolve) => {
      if (this.connection.getShutdown() & 2) resolve();
      else this.once('end', () => resolve());
    });
    this.#unwrapped = true;
    this.connection.shutdown();
    this.#flush();
    this.resume();
    await done;
    return this.#transport.detach();
  }

  /** What `util.inspect` prints: side, state, names, protocol, cipher, peer. */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    const text = (value: string | null | undefined | false): string | undefined => (value === null || value === undefined || value === false ? undefined : printable(value));
    return inspectFields(
      this,
      'SecureSocket',
      {
        side: () => (this.#isServer ? 'server' : 'client'),
        secure: () => this.#secure,
        authorized: () => this.authorized,
        authorizationError: () => this.authorizationError ?? undefined,
        servername: () => text(this.servername),
        protocol: () => this.getProtocol() ?? undefined,
        cipher: () => (this.#secure ? (this.connection.getCipherName() ?? undefined) : undefined),
        alpn: () => (this.alpnProtocol ? text(this.alpnProtocol) : undefined),
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

// net.Socket's handle-bound accessors, answered from the transport (and plaintext counts above TLS).
// Defined on the prototype: @types/node declares them as properties, which a class cannot override
// with accessors.
type Raw = (net.Socket & { localFamily?: string }) | null;
const rawOf = (sock: SecureSocket): Raw => sock.socket as Raw;
Object.defineProperties(SecureSocket.prototype, {
  remoteAddress: { get(this: SecureSocket) { return rawOf(this)?.remoteAddress; }, configurable: true },
  remotePort: { get(this: SecureSocket) { return rawOf(this)?.remotePort; }, configurable: true },
  remoteFamily: { get(this: SecureSocket) { return rawOf(this)?.remoteFamily; }, configurable: true },
  localAddress: { get(this: SecureSocket) { return rawOf(this)?.localAddress; }, configurable: true },
  localPort: { get(this: SecureSocket) { return rawOf(this)?.localPort; }, configurable: true },
  localFamily: { get(this: SecureSocket) { return rawOf(this)?.localFamily; }, configurable: true },
  bytesRead: { get(this: SecureSocket) { return this[kCounts].read; }, configurable: true },
  bytesWritten: { get(this: SecureSocket) { return this[kCounts].written + this.writableLength; }, configurable: true },
  bufferSize: { get(this: SecureSocket) { return this.destroyed ? undefined : this.writableLength; }, configurable: true },
  pending: {
    get(this: SecureSocket) {
      const raw = rawOf(this);
      return raw === null || (typeof raw.pending === 'boolean' ? raw.pending : false);
    },
    configurable: true,
  },
});

export { checkServerIdentity };

