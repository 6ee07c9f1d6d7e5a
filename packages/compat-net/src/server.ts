// node:tls's Server: a net.Server whose connections become TLSSockets, with node's options, events
// ('secureConnection', 'tlsClientError', 'keylog', 'OCSPRequest') and methods (addContext,
// setSecureContext, getTicketKeys / setTicketKeys, setOptions). Callable with or without `new`.
import { createHash } from 'node:crypto';
import net from 'node:net';
import { inspect, type InspectOptionsStylized } from 'node:util';
import { brandClass, inspectFields, ownOptions } from '@ossl/crypto/internal';
import { type Context, SESS_CACHE_NO_AUTO_CLEAR, SESS_CACHE_NO_INTERNAL, SESS_CACHE_SERVER } from '@ossl/ssl';

import { wireContext } from './internal/dispatch.js';
import { handshakeTimeoutError } from './internal/errors.js';
import { invalidArgType, nodeError } from './internal/node-errors.js';
import { alpnOption, genuineContext, typeError } from './internal/options.js';
import { createSecureContext, SecureContext, type SecureContextOptions } from './secure-context.js';
import { SecureSocket, type SecureSocketOptions } from './secure-socket.js';

/** Options of `createServer` / `Server`: node:tls's, for the shared secure context and every connection. */
export interface ServerOptions extends SecureSocketOptions, SecureContextOptions {
  /**
   * How long a client may take to finish its handshake, in ms (default 120000): a slower one is
   * dropped and reported with `'tlsClientError'` (`ERR_TLS_HANDSHAKE_TIMEOUT`).
   */
  handshakeTimeout?: number;
  /** net.Server's: pause each accepted socket (resume it to read). */
  pauseOnConnect?: boolean;
  /** net.Server's: turn Nagle's algorithm off on accepted sockets. */
  noDelay?: boolean;
  /** net.Server's: TCP keep-alive on accepted sockets. */
  keepAlive?: boolean;
  /** net.Server's: the keep-alive delay, in ms. */
  keepAliveInitialDelay?: number;
}

const DEFAULT_HANDSHAKE_TIMEOUT = 120_000;

let defaultSessionIdContext: string | null = null;
let setOptionsWarned = false;

/** node:tls's default session id context: a hash of the command line, so one program's sessions resume only in it. */
export function sessionIdContextDefault(): string {
  defaultSessionIdContext ??= createHash('sha1').update(process.argv.join(' ')).digest('hex').slice(0, 32);
  return defaultSessionIdContext;
}

const CONTEXT_OPTIONS = [
  'pfx', 'key', 'passphrase', 'cert', 'clientCertEngine', 'ca', 'ciphers', 'sigalgs', 'ecdhCurve', 'dhparam', 'minVersion', 'maxVersion',
  'secureProtocol', 'secureOptions', 'honorCipherOrder', 'crl', 'sessionIdContext', 'ticketKeys', 'sessionTimeout', 'privateKeyIdentifier', 'privateKeyEngine',
] as const;

type SNICallback = NonNullable<SecureSocketOptions['SNICallback']>;

/**
 * node:tls's Server (ossl's TLS server). Each accepted connection becomes a SecureSocket (TLSSocket);
 * `'secureConnection'` (also the listener) carries it once its handshake is done; `'tlsClientError'`
 * reports handshakes that failed or timed out. A `context` option (an @ossl/ssl Context) is used as
 * it is; otherwise a secure context is built from the options, with a session id context.
 */
class TLSServer extends net.Server {
  /** The shared secure context (node:tls's `_sharedCreds`). */
  _sharedCreds: SecureContext | null = null;
  /** node:tls's SNI contexts, most recent last: `[pattern, context]`. */
  _contexts: Array<[RegExp, SecureContext]> = [];
  /** Servers prefer their own cipher order (node:tls's default: true). */
  honorCipherOrder: boolean;
  /** Servers ask clients for a certificate. */
  requestCert: boolean;
  /** Servers refuse clients whose certificate does not verify. */
  rejectUnauthorized: boolean;
  /** The session id context in use. */
  sessionIdContext: string;
  #context: Context | null;
  #options: Record<string, unknown>;
  #handshakeTimeout: number;

  static {
    brandClass(this, '@ossl/compat-net:Server');
  }

  /**
   * @param options node:tls's server options, or the listener.
   * @param listener called with each SecureSocket once its handshake is done (`secureConnection`).
   * @throws TypeError (node's `ERR_INVALID_ARG_TYPE`, naming the option) for a value of the wrong type.
   */
  constructor(options?: ServerOptions | ((socket: SecureSocket) => void) | null, listener?: (socket: SecureSocket) => void) {
    let given: unknown = options;
    if (typeof given === 'function') {
      listener = given as (socket: SecureSocket) => void;
      given = undefined;
    } else if (given !== undefined && given !== null && typeof given !== 'object') {
      throw invalidArgType('options', 'object', given);
    }
    const o = (given === undefined || given === null ? Object.create(null) : ownOptions(given as object, 'options')) as Record<string, unknown>;
    if (o.ALPNCallback !== undefined && o.ALPNCallback !== null && typeof o.ALPNCallback !== 'function') throw invalidArgType('options.ALPNCallback', 'function', o.ALPNCallback);
    if (o.ALPNCallback && o.ALPNProtocols) throw nodeError('ERR_TLS_ALPN_CALLBACK_WITH_PROTOCOLS', 'The ALPNCallback and ALPNProtocols TLS options are mutually exclusive', TypeError);
    const handshakeTimeout = o.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT;
    if (typeof handshakeTimeout !== 'number') throw invalidArgType('options.handshakeTimeout', 'number', o.handshakeTimeout);
    if (o.SNICallback && typeof o.SNICallback !== 'function') throw invalidArgType('options.SNICallback', 'function', o.SNICallback);
    if (o.pskCallback && typeof o.pskCallback !== 'function') throw invalidArgType('options.pskCallback', 'function', o.pskCallback);
    if (o.pskIdentityHint && typeof o.pskIdentityHint !== 'string') throw invalidArgType('options.pskIdentityHint', 'string', o.pskIdentityHint);
    if (listener !== undefined && listener !== null && typeof listener !== 'function') throw typeError('listener', 'a function', listener);
    // node:tls checks the ALPN protocols when the server is made.
    if (o.ALPNProtocols !== undefined && o.ALPNProtocols !== null) alpnOption(o.ALPNProtocols);
    // ossl's `context` (an @ossl/ssl Context) is used as it is; anything else by that name is not a
    // node:tls option and is ignored, as node:tls ignores it.
    const rawContext = genuineContext(o.context);
    const netOptions: net.ServerOpts = {};
    for (const name of ['allowHalfOpen', 'pauseOnConnect', 'noDelay', 'keepAlive', 'keepAliveInitialDelay', 'highWaterMark'] as const) {
      if (o[name] !== undefined) (netOptions as Record<string, unknown>)[name] = o[name];
    }
    super(netOptions, (raw) => this.#accept(raw));
    this.#options = o;
    this.#context = (rawContext as Context | undefined) ?? null;
    this.honorCipherOrder = o.honorCipherOrder === undefined ? true : Boolean(o.honorCipherOrder);
    this.requestCert = o.requestCert === true;
    this.rejectUnauthorized = o.rejectUnauthorized !== false;
    this.sessionIdContext = typeof o.sessionIdContext === 'string' && o.sessionIdContext ? o.sessionIdContext : sessionIdContextDefault();
    // node:tls: 0 means the default.
    this.#handshakeTimeout = Math.min(handshakeTimeout || DEFAULT_HANDSHAKE_TIMEOUT, 2 ** 31 - 1);
    if (this.#context === null) this.setSecureContext(o as SecureContextOptions);
    if (listener) this.on('secureConnection', listener);
    this.on('newListener', (event: string | symbol) => {
      const ctx = this.context;
      if (event === 'keylog' && this.#context === null) wireContext(ctx, 'keylog');
    });
  }

  /** The @ossl/ssl Context every accepted connection uses (the shared secure context's). */
  get context(): Context {
    return this.#context ?? this._sharedCreds!.context;
  }

  #accept(raw: net.Socket): void {
    let sock: SecureSocket;
    const o = this.#options;
    const common: Record<string, unknown> = {
      isServer: true,
      server: this,
      requestCert: this.requestCert,
      rejectUnauthorized: this.rejectUnauthorized,
      ALPNProtocols: o.ALPNProtocols,
      ALPNCallback: o.ALPNCallback,
      SNICallback: (o.SNICallback as SNICallback | undefined) ?? (this._contexts.length > 0 ? this.#defaultSni : undefined),
      pskCallback: o.pskCallback,
      pskIdentityHint: o.pskIdentityHint,
      suppressRaggedEofs: o.suppressRaggedEofs,
      highWaterMark: o.highWaterMark,
      allowHalfOpen: o.allowHalfOpen,
    };
    if (this.#context !== null) common.context = this.#context;
    else {
      common.secureContext = this._sharedCreds;
      if (this.listenerCount('OCSPRequest') > 0) wireContext(this._sharedCreds!.context, 'ocsp');
      if (this.listenerCount('newSession') > 0 || this.listenerCount('resumeSession') > 0) this.#useExternalSessionCache(this._sharedCreds!.context);
    }
    try {
      sock = new SecureSocket(raw, common as SecureSocketOptions);
    } catch (e) {
      raw.destroy();
      this.emit('tlsClientError', e, raw);
      return;
    }
    let secured = false;
    // Before the handshake is done, errors are the server's to report ('tlsClientError'), not the
    // socket's: nobody listens on it yet (node:tls).
    const onError = (err: Error): void => {
      if (!secured) this.emit('tlsClientError', err, sock);
    };
    sock.on('error', onError);
    // The timer goes with the socket: cleared at the handshake's end or the socket's close, and
    // never what keeps the process alive.
    const timer = setTimeout(() => {
      if (!secured && !sock.destroyed) sock.destroy(handshakeTimeoutError());
    }, this.#handshakeTimeout);
    timer.unref();
    sock.once('secure', () => {
      secured = true;
      clearTimeout(timer);
      sock.off('error', onError);
      if (!sock.destroyed) this.emit('secureConnection', sock);
    });
    sock.once('close', () => {
      clearTimeout(timer);
      if (!secured) sock.off('error', onError);
    });
  }

  /**
   * node:tls's external session cache ('newSession' / 'resumeSession' listeners): OpenSSL keeps no
   * sessions of its own, hands each new one to 'newSession', and finds a resumed one through
   * 'resumeSession' (asked from the client-hello callback, before OpenSSL looks the session id up).
   */
  #useExternalSessionCache(ctx: Context): void {
    if (this.#externalCache.has(ctx)) return;
    this.#externalCache.add(ctx);
    ctx.setSessionCacheMode(SESS_CACHE_SERVER | SESS_CACHE_NO_INTERNAL | SESS_CACHE_NO_AUTO_CLEAR);
    wireContext(ctx, 'clientHello');
  }

  #externalCache = new WeakSet<Context>();

  /** node:tls's default SNICallback: the context of the last `addContext` pattern that matches. */
  #defaultSni: SNICallback = (servername, cb) => {
    for (let i = this._contexts.length - 1; i >= 0; --i) {
      const [pattern, ctx] = this._contexts[i]!;
      if (pattern.test(servername)) {
        cb(null, ctx);
        return;
      }
    }
    cb(null, undefined);
  };

  /**
   * Replaces the secure context for new connections (node:tls's `setSecureContext`): the options of
   * `createSecureContext`, plus the server's session id context and ticket keys.
   */
  setSecureContext(options: SecureContextOptions): void {
    if (options === null || typeof options !== 'object') throw invalidArgType('options', 'object', options);
    const o = ownOptions(options, 'options') as Record<string, unknown>;
    const picked: Record<string, unknown> = {};
    for (const name of CONTEXT_OPTIONS) if (o[name] !== undefined) picked[name] = o[name];
    // node:tls servers prefer their own cipher order unless told otherwise.
    if (picked.honorCipherOrder === undefined) picked.honorCipherOrder = true;
    if (picked.sessionIdContext === undefined) picked.sessionIdContext = this.sessionIdContext;
    const creds = createSecureContext(picked as SecureContextOptions);
    const previous = this._sharedCreds;
    // Tickets stay resumable across the change, as node:tls keeps its keys.
    if (o.ticketKeys === undefined && previous !== null) creds.context.setTicketKeys(previous.context.getTicketKeys());
    else if (o.ticketKeys === undefined) creds.context.getTicketKeys();
    this._sharedCreds = creds;
  }

  /** Adds a secure context for clients whose SNI name matches `hostname` (`*` matches one label). */
  addContext(hostname: string, context: SecureContext | SecureContextOptions): void {
    if (!hostname) throw nodeError('ERR_TLS_REQUIRED_SERVER_NAME', '"servername" is required parameter for Server.addContext');
    if (typeof hostname !== 'string') throw invalidArgType('hostname', 'string', hostname);
    const re = new RegExp(`^${hostname.replace(/([.^$+?\-\\[\]{}])/g, '\\$1').replaceAll('*', '[^.]*')}$`);
    const secureContext = context instanceof SecureContext ? context : createSecureContext(context);
    this._contexts.push([re, secureContext]);
  }

  /** The 48 bytes of session ticket keys in use. */
  getTicketKeys(): Buffer {
    return this.context.getTicketKeys();
  }

  /** Sets the session ticket keys (48 bytes); share them between servers that should resume each other's tickets. */
  setTicketKeys(keys: Buffer): void {
    if (!ArrayBuffer.isView(keys)) throw invalidArgType('buffer', ['Buffer', 'TypedArray', 'DataView'], keys);
    if (keys.byteLength !== 48) throw nodeError('ERR_INVALID_ARG_VALUE', 'Session ticket keys must be a 48-byte buffer', RangeError);
    this.context.setTicketKeys(Buffer.from(keys.buffer, keys.byteOffset, keys.byteLength));
  }

  /**
   * node:cluster's hook (called in the first worker): the state every worker's server shares, the
   * ticket keys, so that a session ticket from one worker resumes on any other.
   */
  _getServerData(): { ticketKeys: string } {
    return { ticketKeys: this.getTicketKeys().toString('hex') };
  }

  /** node:cluster's hook (called in every worker): takes the state of `_getServerData`. */
  _setServerData(data: { ticketKeys: string }): void {
    this.setTicketKeys(Buffer.from(data.ticketKeys, 'hex'));
  }

  /**
   * With `captureRejections`, a rejected async 'secureConnection' listener destroys that socket with
   * the error (as node:tls); other events go to net.Server's handling.
   */
  [Symbol.for('nodejs.rejection')](err: Error, event: string, sock?: SecureSocket): void {
    if (event === 'secureConnection' && sock) {
      sock.destroy(err);
      return;
    }
    const base = (net.Server.prototype as unknown as Record<symbol, ((...a: unknown[]) => void) | undefined>)[Symbol.for('nodejs.rejection')];
    if (base) base.call(this, err, event, sock);
    else this.emit('error', err);
  }

  /**
   * node:tls's deprecated `setOptions` (DEP0122): copies the options onto the server, for the next
   * `setSecureContext`; the connections in progress and the current context are left as they are.
   */
  setOptions(options: ServerOptions): void {
    if (!setOptionsWarned) {
      setOptionsWarned = true;
      process.emitWarning('Server.prototype.setOptions() is deprecated', 'DeprecationWarning', 'DEP0122');
    }
    if (options === null || typeof options !== 'object') throw invalidArgType('options', 'object', options);
    const o = ownOptions(options, 'options') as Record<string, unknown>;
    if (o.requestCert !== undefined) this.requestCert = o.requestCert === true;
    if (o.rejectUnauthorized !== undefined) this.rejectUnauthorized = o.rejectUnauthorized !== false;
    const self = this as unknown as Record<string, unknown>;
    for (const name of [...CONTEXT_OPTIONS, 'clientCertEngine', 'sessionIdContext', 'ALPNProtocols', 'SNICallback', 'pskCallback', 'pskIdentityHint'] as const) {
      if (o[name] !== undefined) self[name] = o[name];
    }
    Object.assign(this.#options, o);
  }

  /** What `util.inspect` prints: `Server { listening: true, address: '127.0.0.1:8443', context: Context {...} }`. */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(
      this,
      'Server',
      {
        listening: () => this.listening,
        address: () => {
          const a = this.address();
          if (a === null) return undefined;
          if (typeof a === 'string') return a;
          return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
        },
        handshakeTimeout: () => this.#handshakeTimeout,
        context: () => this.context,
      },
      depth,
      options,
      inspectFn,
    );
  }
}

// As node:tls: instances print and report themselves as `Server`.
Object.defineProperty(TLSServer, 'name', { value: 'Server' });

/** The type of `Server`: constructible, and callable without `new` as node:tls's. */
export type ServerConstructor = typeof TLSServer & ((options?: ServerOptions | ((socket: SecureSocket) => void) | null, listener?: (socket: SecureSocket) => void) => TLSServer);

/**
 * node:tls's Server: `new Server(options, listener)` or `Server(options, listener)`. See the class
 * documentation of its instances (`Server` instances are net.Servers).
 */
export const Server: ServerConstructor = new Proxy(TLSServer, {
  apply(target, _thisArg, args: unknown[]) {
    return new target(...(args as [ServerOptions?, ((socket: SecureSocket) => void)?]));
  },
}) as ServerConstructor;
/** A node:tls Server instance. */
export type Server = TLSServer;

/** node:tls's `createServer(options, listener)`: a new Server. */
export function createServer(options?: ServerOptions | ((socket: SecureSocket) => void) | null, listener?: (socket: SecureSocket) => void): TLSServer {
  return new TLSServer(options, listener);
}
