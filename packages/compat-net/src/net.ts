// The shapes of node:net's connect / createConnection / createServer / Server, secured, and Python's
// wrap_socket: `import net from '@ossl/compat-net'` is the retrofit.
import { readFileSync } from 'node:fs';
import nodeNet from 'node:net';
import type { Duplex } from 'node:stream';
import { inspect, type InspectOptionsStylized } from 'node:util';
import { Context, createDefaultContext, SSLError, TLS_METHOD, VERIFY_NONE, VERIFY_PEER, VERIFY_FAIL_IF_NO_PEER_CERT } from '@ossl/ssl';
import { loadPrivatekey, FILETYPE_PEM } from '@ossl/crypto';
import { brandClass, inspectFields } from '@ossl/crypto/internal';

import { handshakeTimeoutError, kPythonShape } from './internal/errors.js';
import { contextFromSettings, contextOption, isOwnFalse, numberOption, ownOptions, readTlsSettings, stringOption, typeError } from './internal/options.js';
import { CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED, DERCertToPEMCert, PROTOCOL_SSLv23, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER } from './python.js';
import { SecureSocket, type SecureSocketOptions } from './secure-socket.js';

/** Options of `connect`: SecureSocket's, and where to connect (node:tls's `connect` options). */
export interface ConnectOptions extends SecureSocketOptions {
  /** The port to connect to (not needed with `socket` or `path`). */
  port?: number;
  /** The host to connect to (default `localhost`); also the name checked when `servername` is absent or empty. */
  host?: string;
  /** An IPC path to connect to instead of a port. */
  path?: string;
  /** Idle timeout of the socket, in ms (`setTimeout`). */
  timeout?: number;
  /** The local address to connect from. */
  localAddress?: string;
  /** The IP version to use: 4, 6, or 0 for either. */
  family?: number;
}

type Listener = () => void;

/** node:tls's connect overloads, reduced to one own-properties options object and a listener. */
function connectArgs(args: unknown[]): [Record<string, unknown>, Listener | undefined] {
  const [first] = args;
  let i = 1;
  let base: Record<string, unknown>;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    base = Object.assign(Object.create(null) as Record<string, unknown>, { port: Number(first) });
    if (typeof args[i] === 'string') base.host = args[i++];
  } else if (typeof first === 'string') {
    base = Object.assign(Object.create(null) as Record<string, unknown>, { path: first });
  } else if (first !== null && typeof first === 'object') {
    return [ownOptions(first as object) as Record<string, unknown>, typeof args[1] === 'function' ? (args[1] as Listener) : undefined];
  } else {
    throw typeError('options', 'an object, a port number or a path', first);
  }
  if (args[i] !== null && typeof args[i] === 'object') Object.assign(base, ownOptions(args[i++] as object));
  return [base, typeof args[i] === 'function' ? (args[i] as Listener) : undefined];
}

/**
 * Opens a TLS connection, as `net.connect` opens a plain one (and `tls.connect` a TLS one): the
 * listener runs on `secureConnect`. The server is verified against `ca` (or the system store) and
 * its certificate checked against `servername || host` unless `rejectUnauthorized: false`.
 * Overloads: `(options[, listener])`, `(port[, host][, options][, listener])`, `(path[, options][, listener])`.
 * @throws TypeError (naming the option) for options of the wrong type, before any connection.
 */
export function connect(options: ConnectOptions, listener?: () => void): SecureSocket;
/** Opens a TLS connection to `host` (default `localhost`) and `port`; see the first overload. */
export function connect(port: number, host?: string, options?: ConnectOptions, listener?: () => void): SecureSocket;
/** Opens a TLS connection to `port` on `options.host` (default `localhost`); see the first overload. */
export function connect(port: number, options?: ConnectOptions, listener?: () => void): SecureSocket;
/** Opens a TLS connection to `host` and `port` with default options; see the first overload. */
export function connect(port: number, host?: string, listener?: () => void): SecureSocket;
/** Opens a TLS connection to `port` on localhost with default options; see the first overload. */
export function connect(port: number, listener?: () => void): SecureSocket;
/** Opens a TLS connection over the IPC socket at `path`; see the first overload. */
export function connect(path: string, options?: ConnectOptions, listener?: () => void): SecureSocket;
/** Opens a TLS connection over the IPC socket at `path` with default options; see the first overload. */
export function connect(path: string, listener?: () => void): SecureSocket;
export function connect(...args: unknown[]): SecureSocket {
  const [opts, listener] = connectArgs(args);
  const given = opts.socket;
  const path = stringOption(opts.path, 'path');
  const port = opts.port;
  if ((given === undefined || given === null) && path === null) {
    if (typeof port !== 'number' && !(typeof port === 'string' && /^\d+$/.test(port))) throw typeError('options.port', 'a number', port);
    if (!Number.isInteger(Number(port)) || Number(port) < 0 || Number(port) > 65535) throw new RangeError(`"options.port" must be 0 to 65535, got ${String(port)}`);
  }
  const host = stringOption(opts.host, 'host');
  const timeout = numberOption(opts.timeout, 'timeout');
  const localAddress = stringOption(opts.localAddress, 'localAddress');
  if (opts.family !== undefined && opts.family !== null && typeof opts.family !== 'number') throw typeError('options.family', 'a number', opts.family);
  // A socket given by the caller is theirs to connect; its own host is checked when none is given here.
  const raw = (given as Duplex | undefined | null) ?? new nodeNet.Socket();
  const target = host ?? 'localhost';
  const sock = new SecureSocket({ ...opts, socket: raw, isServer: false, host: host ?? (given ? undefined : target) } as SecureSocketOptions);
  if (timeout !== null) sock.setTimeout(timeout);
  if (listener) sock.once('secureConnect', listener);
  if (!given) {
    const rawSock = raw as nodeNet.Socket;
    if (path !== null) rawSock.connect(path);
    else {
      // Built here, on a null prototype: node:net reads it, and nothing inherited should steer it.
      const target2 = Object.assign(Object.create(null) as nodeNet.TcpNetConnectOpts, { port: Number(port), host: target });
      if (localAddress !== null) target2.localAddress = localAddress;
      if (typeof opts.family === 'number') target2.family = opts.family;
      rawSock.connect(target2);
    }
  }
  return sock;
}

/** The same as `connect`. */
export const createConnection = connect;

/** Options of `createServer` / `Server`: SecureSocket's, for every accepted connection, and the server's own. */
export interface ServerOptions extends SecureSocketOptions {
  /** The server's certificate, PEM (or give `context`). */
  cert?: string | Buffer;
  /** The server's private key, PEM (or give `context`). */
  key?: string | Buffer;
  /**
   * How long a client may take to finish its handshake, in ms (node:tls's option, default 120000):
   * a slower one is dropped and reported with `'tlsClientError'` (`ERR_TLS_HANDSHAKE_TIMEOUT`).
   */
  handshakeTimeout?: number;
}

const DEFAULT_HANDSHAKE_TIMEOUT = 120_000;

/**
 * A TLS server with net.Server's shape: `listen`, `close`, `address`, and a `secureConnection`
 * event (also the `createServer` listener) carrying each SecureSocket after its handshake.
 * `tlsClientError` reports handshakes that failed or timed out (`handshakeTimeout`).
 *
 * A Context built from the options gets a session id context (`sessionIdContext`, default a hash of
 * the command line, as node:tls), so clients can resume; a `context` given is used as it is.
 */
export class Server extends nodeNet.Server {
  /** The TLS settings every accepted connection uses. */
  readonly context: Context;
  #options: Record<string, unknown>;
  #handshakeTimeout: number;

  static {
    brandClass(this, '@ossl/compat-net:Server');
  }

  /**
   * @param options SecureSocket's options for each connection, `cert`/`key` or `context`, `handshakeTimeout`.
   * @param listener called with each SecureSocket once its handshake is done (`secureConnection`).
   * @throws TypeError / RangeError naming the option for a value of the wrong type or range.
   */
  constructor(options: ServerOptions | ((socket: SecureSocket) => void) = {}, listener?: (socket: SecureSocket) => void) {
    if (typeof options === 'function') {
      listener = options;
      options = {};
    }
    const o = ownOptions(options, 'options') as Record<string, unknown>;
    const handshakeTimeout = numberOption(o.handshakeTimeout, 'handshakeTimeout');
    if (listener !== undefined && typeof listener !== 'function') throw typeError('listener', 'a function', listener);
    const context = contextOption(o.context) ?? contextFromSettings(readTlsSettings(o), true);
    super((raw) => this.#accept(raw));
    this.#options = o;
    // node:tls: 0 (or absent) means the default.
    this.#handshakeTimeout = Math.min(handshakeTimeout || DEFAULT_HANDSHAKE_TIMEOUT, 2 ** 31 - 1);
    this.context = context;
    if (listener) this.on('secureConnection', listener);
  }

  #accept(raw: nodeNet.Socket): void {
    let sock: SecureSocket;
    try {
      sock = new SecureSocket({ ...this.#options, context: this.context, socket: raw, isServer: true } as SecureSocketOptions);
    } catch (e) {
      raw.destroy();
      this.emit('tlsClientError', e, raw);
      return;
    }
    let secured = false;
    // The timer goes with the socket: cleared at the handshake's end or the socket's close, and
    // never what keeps the process alive.
    const timer = setTimeout(() => {
      if (!secured && !sock.destroyed) sock.destroy(handshakeTimeoutError());
    }, this.#handshakeTimeout);
    timer.unref();
    sock.once('secure', () => {
      secured = true;
      clearTimeout(timer);
      this.emit('secureConnection', sock);
    });
    sock.once('close', () => clearTimeout(timer));
    sock.on('error', (err) => {
      if (!secured) this.emit('tlsClientError', err, sock);
    });
  }

  /**
   * What `util.inspect` and `console.log` print (instead of a net.Server's internals):
   * `Server { listening: true, address: '127.0.0.1:8443', context: Context {...} }`.
   */
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

/** A TLS server; `listener` gets each SecureSocket once its handshake is done. */
export function createServer(options: ServerOptions | ((socket: SecureSocket) => void) = {}, listener?: (socket: SecureSocket) => void): Server {
  return new Server(options, listener);
}

/** Options of `wrapSocket`: Python's `ssl.wrap_socket` keyword arguments, camelCased. */
export interface WrapSocketOptions {
  /** This side's private key file (PEM); defaults to `certfile`. */
  keyfile?: string;
  /** This side's certificate chain file (PEM). */
  certfile?: string;
  /** Act as the server. */
  serverSide?: boolean;
  /** `CERT_NONE`, `CERT_OPTIONAL` or `CERT_REQUIRED` (clients default to `CERT_REQUIRED`, servers to `CERT_NONE`). */
  certReqs?: number;
  /** `PROTOCOL_TLS_CLIENT`, `PROTOCOL_TLS_SERVER` or `PROTOCOL_SSLv23`; older protocols are refused. */
  sslVersion?: number;
  /** Trusted CAs (a PEM file); the system store when absent. */
  caCerts?: string;
  /** OpenSSL cipher list for TLS 1.2. */
  ciphers?: string;
  /** The server's name: sent as SNI and checked; required when a client verifies (as CPython's check_hostname). */
  serverHostname?: string;
  /** The TLS settings to use as they are (the other TLS options are then ignored). */
  context?: Context;
  /** A TCP EOF without close_notify after the handshake: `'end'` (true, the default) or an `'error'` (false, CPython's SSLEOFError). */
  suppressRaggedEofs?: boolean;
}

/**
 * Secures an existing plain socket (Python's `ssl.wrap_socket` / `SSLContext.wrap_socket`), also
 * mid-stream for STARTTLS. Clients verify the server by default (`certReqs` CERT_REQUIRED) and check
 * its certificate against `serverHostname`; servers verify clients only when `certReqs` asks.
 * @throws TypeError (code `ERR_SSL_NO_HOSTNAME`) when a verifying client has no `serverHostname`,
 *   as CPython's "check_hostname requires server_hostname"; TypeError for options of the wrong type.
 */
export function wrapSocket(sock: Duplex, options: WrapSocketOptions = {}): SecureSocket {
  if (sock === null || typeof sock !== 'object' || typeof (sock as Duplex).write !== 'function') {
    throw new TypeError('"sock" must be a connected net.Socket or Duplex');
  }
  const o = ownOptions(options, 'options') as Record<string, unknown>;
  const serverSide = Boolean(o.serverSide);
  const sslVersion = o.sslVersion;
  if (sslVersion !== undefined && sslVersion !== null) {
    if (typeof sslVersion !== 'number') throw typeError('options.sslVersion', 'a number', sslVersion);
    if (![PROTOCOL_SSLv23, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER].includes(sslVersion)) {
      throw new SSLError(`protocol ${sslVersion} is not available: OpenSSL 3 offers TLS 1.2 and 1.3 only (use PROTOCOL_TLS_CLIENT or PROTOCOL_TLS_SERVER)`, [], 'ERR_SSL_PROTOCOL');
    }
  }
  let certReqs = serverSide ? CERT_NONE : CERT_REQUIRED;
  if (o.certReqs !== undefined && o.certReqs !== null) {
    if (o.certReqs !== CERT_NONE && o.certReqs !== CERT_OPTIONAL && o.certReqs !== CERT_REQUIRED) throw typeError('options.certReqs', 'CERT_NONE, CERT_OPTIONAL or CERT_REQUIRED', o.certReqs);
    certReqs = o.certReqs;
  }
  const keyfile = stringOption(o.keyfile, 'keyfile');
  const certfile = stringOption(o.certfile, 'certfile');
  const caCerts = stringOption(o.caCerts, 'caCerts');
  const ciphers = stringOption(o.ciphers, 'ciphers');
  const serverHostname = stringOption(o.serverHostname, 'serverHostname');
  if (!serverSide && certReqs !== CERT_NONE && !serverHostname) {
    const err = new TypeError('check_hostname requires server_hostname: wrapSocket verifies the server, so give serverHostname (or certReqs: CERT_NONE)');
    throw Object.assign(err, { code: 'ERR_SSL_NO_HOSTNAME' });
  }
  let ctx = contextOption(o.context);
  if (!ctx) {
    ctx = new Context(TLS_METHOD);
    if (certfile !== null) ctx.useCertificateChainFile(certfile);
    if (keyfile !== null || certfile !== null) ctx.usePrivatekey(loadPrivatekey(FILETYPE_PEM, readFileSync(keyfile ?? certfile!)));
    if (ciphers !== null) ctx.setCipherList(ciphers); // CPython's set_ciphers: the TLS 1.2 list only
    if (caCerts !== null) ctx.loadVerifyLocations(caCerts);
    else if (!serverSide && certReqs !== CERT_NONE) ctx.setDefaultVerifyPaths();
    if (certReqs === CERT_NONE) ctx.setVerify(VERIFY_NONE);
    else if (!serverSide) ctx.setVerifyDeferred(VERIFY_PEER); // the verdict is OpenSSL's, read after the handshake
    // Servers: OpenSSL itself refuses a client whose certificate fails (no ticket, no cached session);
    // CERT_OPTIONAL lets a client without a certificate in.
    else ctx.setVerify(certReqs === CERT_OPTIONAL ? VERIFY_PEER : VERIFY_PEER | VERIFY_FAIL_IF_NO_PEER_CERT);
    if (serverSide) ctx.setSessionId('Python'); // CPython's session id context
  }
  return new SecureSocket({
    socket: sock,
    context: ctx,
    isServer: serverSide,
    servername: serverHostname ?? undefined,
    // CERT_OPTIONAL: a client without a certificate is let in; a bad certificate is refused.
    rejectUnauthorized: certReqs !== CERT_NONE && !(serverSide && certReqs === CERT_OPTIONAL),
    suppressRaggedEofs: !isOwnFalse(o, 'suppressRaggedEofs'),
    [kPythonShape]: true,
  } as SecureSocketOptions);
}

/**
 * SSLeay's `fromfd` idea: secure a socket the program already has (a client, verifying by default).
 * The server's certificate is checked against `servername`, else `host`, else the name the socket
 * was connected to, else the address it is connected to.
 */
export function fromSocket(sock: Duplex, options: SecureSocketOptions = {}): SecureSocket {
  return new SecureSocket({ ...ownOptions(options, 'options'), socket: sock } as SecureSocketOptions);
}

/**
 * The server's certificate as PEM, as Python's `ssl.get_server_certificate(addr)`: fetched without
 * verification unless `caCerts` is given.
 */
export async function getServerCertificate(addr: [string, number], options: { caCerts?: string; timeout?: number } = {}): Promise<string> {
  if (!Array.isArray(addr) || typeof addr[0] !== 'string' || typeof addr[1] !== 'number') throw new TypeError('"addr" must be [host, port]');
  const [host, port] = addr;
  const o = ownOptions(options, 'options') as Record<string, unknown>;
  const caCerts = stringOption(o.caCerts, 'caCerts');
  const timeout = numberOption(o.timeout, 'timeout');
  const ctx = caCerts ? createDefaultContext({ cafile: caCerts }) : new Context(TLS_METHOD);
  return new Promise((resolve, reject) => {
    const sock = connect({ port, host, context: ctx, rejectUnauthorized: Boolean(caCerts), timeout: timeout ?? 10_000 });
    sock.once('secureConnect', () => {
      const der = sock.getpeercert(true) as Buffer | null;
      sock.destroy();
      if (der === null) reject(new SSLError('the server sent no certificate', [], 'ERR_SSL_NO_PEER_CERTIFICATE'));
      else resolve(DERCertToPEMCert(der));
    });
    sock.once('error', reject);
    sock.once('timeout', () => {
      sock.destroy();
      reject(new SSLError('timed out', [], 'ETIMEDOUT'));
    });
  });
}

/** Reads one line (through `\n`) from a SecureSocket; an empty Buffer at end of stream. */
export async function readline(sock: SecureSocket): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (;;) {
    const chunk = sock.read() as Buffer | null;
    if (chunk !== null) {
      const nl = chunk.indexOf(0x0a);
      if (nl >= 0) {
        parts.push(chunk.subarray(0, nl + 1));
        if (nl + 1 < chunk.length) sock.unshift(chunk.subarray(nl + 1));
        return Buffer.concat(parts);
      }
      parts.push(chunk);
      continue;
    }
    if (sock.readableEnded || sock.destroyed) return Buffer.concat(parts);
    await new Promise<void>((resolve) => {
      const done = (): void => {
        sock.off('readable', done);
        sock.off('end', done);
        sock.off('close', done);
        resolve();
      };
      sock.once('readable', done);
      sock.once('end', done);
      sock.once('close', done);
    });
  }
}

/** Every remaining line. */
export async function readlines(sock: SecureSocket): Promise<Buffer[]> {
  const lines: Buffer[] = [];
  for (let line = await readline(sock); line.length > 0; line = await readline(sock)) lines.push(line);
  return lines;
}

/** Writes the lines one after the other. */
export function writelines(sock: SecureSocket, lines: Iterable<Buffer | string>): void {
  for (const line of lines) sock.write(line);
}

