// The shapes of node:net's connect / createConnection / createServer / Server, secured, and Python's
// wrap_socket: `import net from '@ossl/compat-net'` is the retrofit.
import { readFileSync } from 'node:fs';
import nodeNet from 'node:net';
import type { Duplex } from 'node:stream';
import { Context, createDefaultContext, SSLError, TLS_METHOD, VERIFY_NONE, VERIFY_PEER, VERIFY_FAIL_IF_NO_PEER_CERT } from '@ossl/ssl';
import { loadPrivatekey, FILETYPE_PEM } from '@ossl/crypto';

import { kPythonShape } from './internal/errors.js';
import { invalidArgType, nodeError } from './internal/node-errors.js';
import { contextOption, genuineContext, isOwnFalse, numberOption, ownOptions, stringOption, typeError } from './internal/options.js';
import { CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED, DERCertToPEMCert, PROTOCOL_SSLv23, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER } from './python.js';
import { SecureSocket, type SecureSocketOptions } from './secure-socket.js';
import { createSecureContext, type SecureContextOptions } from './secure-context.js';
import { checkServerIdentity } from './identity.js';
import { moduleRef, tlsDefaults } from './defaults.js';

/** Options of `connect`: SecureSocket's, and where to connect (node:tls's `connect` options). */
export interface ConnectOptions extends SecureSocketOptions {
  /** The port to connect to (not needed with `socket` or `path`). */
  port?: number | string;
  /** The host to connect to (default `localhost`); also the name checked when `servername` is absent or empty. */
  host?: string;
  /** An IPC path to connect to instead of a port. */
  path?: string;
  /** Idle timeout of the socket, in ms (`setTimeout`). */
  timeout?: number;
  /** The local address to connect from. */
  localAddress?: string;
  /** The local port to connect from. */
  localPort?: number;
  /** The IP version to use: 4, 6, or 0 for either. */
  family?: number;
  /** A DNS lookup function (dns.lookup's shape). */
  lookup?: nodeNet.LookupFunction;
  /** dns.lookup hints. */
  hints?: number;
  /** Aborts the connection (an AbortError). */
  signal?: AbortSignal;
  /** Try each address of the host in turn (net's happy eyeballs). */
  autoSelectFamily?: boolean;
  /** TCP keep-alive on the transport. */
  keepAlive?: boolean;
  /** The keep-alive delay, in ms. */
  keepAliveInitialDelay?: number;
  /** Turn Nagle's algorithm off on the transport. */
  noDelay?: boolean;
}

type Listener = () => void;

let rejectWarned = false;

/** NODE_TLS_REJECT_UNAUTHORIZED=0 turns verification off by default, with node's warning (node:tls does the same). */
function allowUnauthorized(): boolean {
  const allow = process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0';
  if (allow && !rejectWarned) {
    rejectWarned = true;
    process.emitWarning("Setting the NODE_TLS_REJECT_UNAUTHORIZED environment variable to '0' makes TLS connections and HTTPS requests insecure by disabling certificate verification.");
  }
  return allow;
}

let ipServernameWarned = false;

/** node:tls's connect overloads, reduced to one own-properties options object and a listener. */
function connectArgs(args: unknown[]): [Record<string, unknown>, Listener | undefined] {
  const normalize = (nodeNet as unknown as { _normalizeArgs(a: unknown[]): [Record<string, unknown>, Listener?] })._normalizeArgs;
  const [first, second, third] = args;
  // Options from own properties only: the object node:net reads is built here.
  const cleaned = args.map((a) => (a !== null && typeof a === 'object' && !Array.isArray(a) ? ownOptions(a as object, 'options') : a));
  const [normalized, cb] = normalize(cleaned);
  const options = Object.assign(Object.create(null) as Record<string, unknown>, normalized);
  if (second !== null && typeof second === 'object' && typeof first !== 'object') Object.assign(options, ownOptions(second as object, 'options'));
  else if (third !== null && typeof third === 'object' && typeof first !== 'object') Object.assign(options, ownOptions(third as object, 'options'));
  return [options, cb];
}

/**
 * Opens a TLS connection, as node:tls's `connect`: the listener runs on `secureConnect`. The server is
 * verified against `ca` (or node's roots plus NODE_EXTRA_CA_CERTS) and its certificate checked
 * against `servername || host` with OpenSSL's matcher, unless `rejectUnauthorized: false`.
 * Overloads: `(options[, listener])`, `(port[, host][, options][, listener])`, `(path[, options][, listener])`.
 * @throws TypeError (node's `ERR_INVALID_ARG_TYPE`, naming the option) for options of the wrong type, before any connection.
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
  const [given, listener] = connectArgs(args);
  // node:tls's defaults, then the caller's own options over them.
  const opts: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, {
    rejectUnauthorized: !allowUnauthorized(),
    ciphers: tlsDefaults.DEFAULT_CIPHERS,
    minDHSize: 1024,
  }, given);
  if (opts.checkServerIdentity !== undefined && opts.checkServerIdentity !== null && typeof opts.checkServerIdentity !== 'function') {
    throw invalidArgType('options.checkServerIdentity', 'function', opts.checkServerIdentity);
  }
  // node's own library check: the same messages.
  if (typeof opts.minDHSize !== 'number') throw new TypeError(`options.minDHSize is not a number: ${String(opts.minDHSize)}`);
  if (!(opts.minDHSize > 0)) throw new RangeError(`options.minDHSize is not a positive number: ${String(opts.minDHSize)}`);
  const minDHSize = opts.minDHSize;
  const signal = opts.signal;
  if (signal !== undefined && signal !== null && !(signal instanceof AbortSignal)) throw invalidArgType('options.signal', 'AbortSignal', signal);
  const timeout = numberOption(opts.timeout, 'timeout');
  const raw = opts.socket as Duplex | undefined | null;
  // The default host name check is OpenSSL's; node:tls's exported function stands for it.
  if (opts.checkServerIdentity === checkServerIdentity) delete opts.checkServerIdentity;
  const creator = moduleRef.current?.createSecureContext ?? createSecureContext;
  const secureContext = opts.secureContext ?? (genuineContext(opts.context) !== undefined ? undefined : creator(opts as SecureContextOptions));
  const servername = opts.servername;
  if (typeof servername === 'string' && servername !== '' && nodeNet.isIP(servername) && !ipServernameWarned) {
    ipServernameWarned = true;
    process.emitWarning('Setting the TLS ServerName to an IP address is not permitted by RFC 6066. This will be ignored in a future version.', 'DeprecationWarning', 'DEP0123');
  }
  const sock = new SecureSocket({ ...opts, secureContext, isServer: false } as SecureSocketOptions);
  (sock as unknown as Record<symbol, unknown>)[kConnectOptions] = opts;
  if (listener) sock.once('secureConnect', listener);
  sock.once('secure', () => checkDhSize(sock, minDHSize));
  if (!raw && !sock.destroyed) {
    if (timeout) sock.setTimeout(timeout);
    const target = Object.assign(Object.create(null) as Record<string, unknown>, opts);
    delete target.socket;
    delete target.timeout;
    delete target.signal;
    // node:net reads these; everything else here is TLS's.
    sock.connect(target as unknown as nodeNet.NetConnectOpts);
  } else {
    sock._start();
  }
  return sock;
}

const kConnectOptions = Symbol('ossl.compat-net.connectOptions');

/** Clients: a DH key exchange with a group smaller than `minDHSize` bits is refused (node:tls). */
function checkDhSize(sock: SecureSocket, minDHSize: number): void {
  const info = sock.getEphemeralKeyInfo();
  if (info && info.type === 'DH' && typeof info.size === 'number' && info.size < minDHSize) {
    sock.destroy(nodeError('ERR_TLS_DH_PARAM_SIZE', `DH parameter size ${info.size} is less than ${minDHSize}`));
  }
}

/** The same as `connect`. */
export const createConnection = connect;

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

