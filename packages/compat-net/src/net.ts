// The shapes of node:net's connect / createConnection / createServer / Server, secured, and Python's
// wrap_socket: `import net from '@ossl/compat-net'` is the retrofit.
import { readFileSync } from 'node:fs';
import nodeNet from 'node:net';
import type { Duplex } from 'node:stream';
import { Context, CertificateVerifyError, createDefaultContext, SSLError, TLS_METHOD, VERIFY_NONE, VERIFY_PEER, VERIFY_FAIL_IF_NO_PEER_CERT } from '@ossl/ssl';
import { loadCertificate, loadPrivatekey, FILETYPE_PEM } from '@ossl/crypto';

import { CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED, DERCertToPEMCert, PROTOCOL_SSLv23, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER } from './python.js';
import { SecureSocket, contextFromOptions, type SecureSocketOptions } from './secure-socket.js';

export interface ConnectOptions extends SecureSocketOptions {
  port: number;
  host?: string;
  timeout?: number;
}

/**
 * Opens a TLS connection, as `net.connect` opens a plain one (and `tls.connect` a TLS one): the
 * listener runs on `secureConnect`. The server is verified against `ca` (or the system store) and
 * `servername` (default: `host`) unless `rejectUnauthorized: false`.
 */
export function connect(options: ConnectOptions | number, host?: string | (() => void), listener?: () => void): SecureSocket {
  let opts: ConnectOptions;
  if (typeof options === 'number') {
    opts = { port: options, host: typeof host === 'string' ? host : 'localhost' };
    if (typeof host === 'function') listener = host;
  } else {
    if (options === null || typeof options !== 'object' || typeof options.port !== 'number') {
      throw new TypeError('"options" must be a port number or an object with a numeric port');
    }
    opts = options;
    if (typeof host === 'function') listener = host;
  }
  const hostName = opts.host ?? 'localhost';
  const raw = new nodeNet.Socket();
  const sock = new SecureSocket({ ...opts, socket: raw, isServer: false, servername: opts.servername ?? hostName });
  if (opts.timeout !== undefined) sock.setTimeout(opts.timeout);
  if (listener) sock.once('secureConnect', listener);
  raw.connect(opts.port, hostName);
  return sock;
}

/** The same as `connect`. */
export const createConnection = connect;

export interface ServerOptions extends SecureSocketOptions {
  /** PEM certificate and key of the server (or give `context`). */
  cert?: string | Buffer;
  key?: string | Buffer;
}

/**
 * A TLS server with net.Server's shape: `listen`, `close`, `address`, and a `secureConnection`
 * event (also the `createServer` listener) carrying each SecureSocket after its handshake.
 * `tlsClientError` reports handshakes that failed.
 */
export class Server extends nodeNet.Server {
  readonly context: Context;
  #options: ServerOptions;

  constructor(options: ServerOptions = {}, listener?: (socket: SecureSocket) => void) {
    super((raw) => this.#accept(raw));
    this.#options = options;
    this.context = options.context ?? contextFromOptions({ ...options, isServer: true });
    if (listener) this.on('secureConnection', listener);
  }

  #accept(raw: nodeNet.Socket): void {
    const sock = new SecureSocket({ ...this.#options, context: this.context, socket: raw, isServer: true });
    let secured = false;
    sock.once('secure', () => {
      secured = true;
      this.emit('secureConnection', sock);
    });
    sock.on('error', (err) => {
      if (!secured) this.emit('tlsClientError', err, sock);
    });
  }
}

/** A TLS server; `listener` gets each SecureSocket once its handshake is done. */
export function createServer(options: ServerOptions | ((socket: SecureSocket) => void) = {}, listener?: (socket: SecureSocket) => void): Server {
  if (typeof options === 'function') return new Server({}, options);
  return new Server(options, listener);
}

export interface WrapSocketOptions {
  keyfile?: string;
  certfile?: string;
  serverSide?: boolean;
  certReqs?: number;
  sslVersion?: number;
  caCerts?: string;
  ciphers?: string;
  serverHostname?: string;
  context?: Context;
}

/**
 * Secures an existing plain socket (Python's `ssl.wrap_socket` / `SSLContext.wrap_socket`), also
 * mid-stream for STARTTLS. Clients verify the server by default (`certReqs` CERT_REQUIRED) and check
 * `serverHostname`; servers verify clients only when `certReqs` asks.
 */
export function wrapSocket(sock: Duplex, options: WrapSocketOptions = {}): SecureSocket {
  if (sock === null || typeof sock !== 'object' || typeof (sock as Duplex).write !== 'function') {
    throw new TypeError('"sock" must be a connected net.Socket or Duplex');
  }
  const serverSide = Boolean(options.serverSide);
  if (options.sslVersion !== undefined && ![PROTOCOL_SSLv23, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER].includes(options.sslVersion)) {
    throw new SSLError(`protocol ${options.sslVersion} is not available: OpenSSL 3 offers TLS 1.2 and 1.3 only (use PROTOCOL_TLS_CLIENT or PROTOCOL_TLS_SERVER)`, [], 'ERR_SSL_PROTOCOL');
  }
  const certReqs = options.certReqs ?? (serverSide ? CERT_NONE : CERT_REQUIRED);
  let ctx = options.context;
  if (!ctx) {
    ctx = new Context(TLS_METHOD);
    if (options.certfile) ctx.useCertificateChainFile(options.certfile);
    if (options.keyfile || options.certfile) ctx.usePrivatekey(loadPrivatekey(FILETYPE_PEM, readFileSync(options.keyfile ?? options.certfile!)));
    if (options.ciphers) ctx.setCipherList(options.ciphers);
    if (options.caCerts) ctx.loadVerifyLocations(options.caCerts);
    else if (!serverSide && certReqs !== CERT_NONE) ctx.setDefaultVerifyPaths();
    const mode = certReqs === CERT_NONE ? VERIFY_NONE : certReqs === CERT_OPTIONAL ? VERIFY_PEER : VERIFY_PEER | VERIFY_FAIL_IF_NO_PEER_CERT;
    ctx.setVerify(mode);
  }
  return new SecureSocket({
    socket: sock,
    context: ctx,
    isServer: serverSide,
    servername: options.serverHostname,
    rejectUnauthorized: certReqs !== CERT_NONE,
  });
}

/** SSLeay's `fromfd` idea: secure a socket the program already has (a client, verifying by default). */
export function fromSocket(sock: Duplex, options: SecureSocketOptions = {}): SecureSocket {
  return new SecureSocket({ ...options, socket: sock });
}

/**
 * The server's certificate as PEM, as Python's `ssl.get_server_certificate(addr)`: fetched without
 * verification unless `caCerts` is given.
 */
export async function getServerCertificate(addr: [string, number], options: { caCerts?: string; timeout?: number } = {}): Promise<string> {
  if (!Array.isArray(addr) || typeof addr[0] !== 'string' || typeof addr[1] !== 'number') throw new TypeError('"addr" must be [host, port]');
  const [host, port] = addr;
  const ctx = options.caCerts ? createDefaultContext({ cafile: options.caCerts }) : new Context(TLS_METHOD);
  return new Promise((resolve, reject) => {
    const sock = connect({ port, host, context: ctx, rejectUnauthorized: Boolean(options.caCerts), timeout: options.timeout ?? 10_000 });
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

