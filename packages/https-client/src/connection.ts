// HTTPSConnection: Python's http.client.HTTPSConnection on node:http's client machinery. Requests
// are node:http ClientRequests (llhttp parses the answers, node:http validates and frames what is
// sent) on a one-socket keep-alive Agent whose socket is an @ossl/compat-net TLS connection.
import https from 'node:https';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import type { Duplex, Readable } from 'node:stream';
import { inspect, type InspectOptionsStylized } from 'node:util';
import type { SecureSocket } from '@ossl/compat-net';
import { X509, loadCertificate, loadPkcs12, loadPrivatekey, FILETYPE_PEM } from '@ossl/crypto';
import { brandClass, inspectFields, isOwnFalse, ownOptions, typeError } from '@ossl/crypto/internal';
import { Context, createDefaultContext } from '@ossl/ssl';

import { Checker } from './checker.js';
import { BadStatusLine, HTTPException, ResponseNotReady } from './errors.js';
import { openTls, timeoutError, type Tunnel } from './internal/open.js';
import { SessionCache } from './internal/sessions.js';
import {
  formatHost,
  joinHeaderValues,
  validateAddress,
  validateBody,
  validateHeaderName,
  validateHeaders,
  validateHost,
  validateMethod,
  validateOptionalBoolean,
  validateOptionalString,
  validatePort,
  validateRequestTarget,
  validateTimeout,
  validateUrlString,
} from './internal/validate.js';
import { HTTPResponse } from './response.js';

/** `"name:443"` or `"[::1]:443"` split into host and port (httplib's `_get_hostport`), else null. */
function splitHostPort(value: string): [string, string] | null {
  const m = /^(\[[^\]]*\]|[^:]*):([0-9]+)$/.exec(value);
  return m ? [m[1]!, m[2]!] : null;
}

/** Options of `HTTPSConnection` (Python's keyword arguments, camelCased). */
export interface HTTPSConnectionOptions {
  /** TLS settings; `createDefaultContext()` (peer and host-name verification) when absent. */
  context?: Context | null;
  /** Milliseconds any one wait (TCP connect, the proxy's answer, the handshake, the response head, each read) may take. */
  timeout?: number | null;
  /** `[host, port]` to bind the local end to (port 0: any). */
  sourceAddress?: [string, number] | null;
  /** A client certificate (PEM file, may hold its chain after it), sent when the server asks; may hold the key too. */
  certFile?: string | null;
  /** The client certificate's private key (PEM file); defaults to `certFile`. */
  keyFile?: string | null;
  /** A client certificate and key as a PKCS#12 file's bytes (or its path), opened with `passphrase`. */
  pfx?: Buffer | Uint8Array | string | null;
  /** The passphrase of `pfx` (or of an encrypted `keyFile`). */
  passphrase?: string | null;
  /**
   * Check the server's host name (an IP address against the certificate's IP addresses). On unless
   * this is an own property set to exactly `false`, whatever the context (any other value keeps it
   * on); `false` never turns off the chain check.
   */
  checkHostname?: boolean | null;
  /** A post-connection check (M2Crypto): host name and pinned fingerprint. */
  checker?: Checker | null;
}

/** `putrequest` options (httplib's `skip_host`, `skip_accept_encoding`). */
export interface PutrequestOptions {
  /** Do not send a `Host` header (the caller sends its own). */
  skipHost?: boolean | null;
  /** Do not send `Accept-Encoding: identity`. */
  skipAcceptEncoding?: boolean | null;
}

/** A request body: bytes, text, or a stream of them (an async iterable or a node:stream Readable). */
export type RequestBody = Buffer | Uint8Array | string | Iterable<Buffer | Uint8Array | string> | AsyncIterable<Buffer | Uint8Array | string> | Readable;

type Header = [string, string];

/** A checked body: bytes, or a stream of chunks (sent with chunked framing unless a length is given). */
type Body = { bytes: Buffer } | { stream: AsyncIterable<unknown> | Iterable<unknown> };

/** A body argument checked: undefined for none. */
function checkBody(body: unknown, param: string): Body | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return { bytes: validateBody(body, param)! };
  if (typeof body === 'object' && (Symbol.asyncIterator in body || Symbol.iterator in body)) return { stream: body as AsyncIterable<unknown> };
  throw typeError(param, 'a string, Buffer, Uint8Array, iterable or Readable', body);
}

/** One chunk of a streamed body as bytes. */
function chunkBytes(chunk: unknown): Buffer {
  const bytes = typeof chunk === 'string' || chunk instanceof Uint8Array ? validateBody(chunk, 'body chunk') : undefined;
  if (bytes === undefined) throw typeError('body chunk', 'a string, Buffer or Uint8Array', chunk);
  return bytes;
}

/** Errors that mean a kept-alive connection was closed by the server before it read the request. */
function isStaleConnection(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.code === 'ECONNABORTED' || err.message === 'socket hang up';
}

/** Writes `chunk` on `req` and resolves when node:http has taken it (after 'drain' when it had to wait). */
function write(req: ClientRequest, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    req.once('error', onError);
    req.write(chunk, (err) => {
      req.off('error', onError);
      if (err) reject(err);
      else resolve();
    });
  });
}

/**
 * A keep-alive node:https Agent holding at most one socket: the connection of one HTTPSConnection.
 * Its sockets come from `open` (TCP or a tunnel, then TLS, verified and checked).
 */
class ConnectionAgent extends https.Agent {
  #open: () => Promise<SecureSocket>;
  #held: SecureSocket | null = null;

  constructor(open: () => Promise<SecureSocket>) {
    super({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1, scheduling: 'lifo' });
    this.#open = open;
  }

  /** Keeps `socket` (opened by `connect()`) for the next request. */
  hold(socket: SecureSocket): void {
    this.#held?.destroy();
    this.#held = socket;
    socket.on('error', ignore);
  }

  /** Drops every socket, held or pooled. */
  override destroy(): void {
    this.#held?.destroy();
    this.#held = null;
    super.destroy();
  }

  /** node:http's hook: the held socket, else a new connection. */
  override createConnection(_options: https.RequestOptions, oncreate?: (err: Error | null, socket: Duplex) => void): Duplex | null | undefined {
    const held = this.#held;
    this.#held = null;
    if (held !== null && !held.destroyed) {
      held.off('error', ignore);
      return held;
    }
    this.#open().then(
      (socket) => oncreate!(null, socket),
      (e: Error) => oncreate!(e, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

function ignore(): void {}

const sessionCaches = new WeakMap<Context, SessionCache>();
/** The TLS sessions of HTTPSConnections made with `context`, by server (`host:port`). */
function sessionCacheOf(context: Context): SessionCache {
  let cache = sessionCaches.get(context);
  if (cache === undefined) sessionCaches.set(context, (cache = new SessionCache()));
  return cache;
}

/** Each connection's certificate, read once (it does not change while the connection lives). */
const peers = new WeakMap<SecureSocket, X509 | null>();
function peerOf(socket: SecureSocket | null): X509 | null {
  if (socket === null) return null;
  let peer = peers.get(socket);
  if (peer === undefined) {
    peer = socket.connection.getPeerCertificate();
    peers.set(socket, peer);
  }
  return peer;
}

/** The request in flight: node:http's ClientRequest and what is needed to send it again. */
interface Exchange {
  req: ClientRequest;
  response: Promise<HTTPResponse>;
  socket: Promise<SecureSocket>;
  /** The body sent so far, to send again on a new connection; null once it cannot be (a stream). */
  replay: Buffer[] | null;
}

/**
 * An HTTPS connection with Python's `http.client.HTTPSConnection` API: one TLS connection, kept alive
 * across sequential requests and reopened when the server has closed it. HTTP itself is node:http's
 * (ClientRequest and its llhttp parser); network calls return Promises.
 *
 * ```ts
 * const conn = new HTTPSConnection('example.com');
 * await conn.request('GET', '/');
 * const res = await conn.getresponse();
 * console.log(res.status, res.reason, (await res.read()).toString());
 * ```
 *
 * Every argument that ends up on the wire (host, method, URL, header names and values, tunnel host,
 * port and headers) is checked when it is given, and refused with a TypeError before any byte is
 * written. Options are read from own properties only.
 *
 * @throws TypeError / RangeError (naming the option) for options of the wrong type or range.
 */
export class HTTPSConnection {
  /** The host connected to (a proxy's, when tunnelling). */
  readonly host: string;
  /** The port connected to. */
  readonly port: number;
  /** The TLS settings of the connection. */
  protected context: Context;
  #timeout: number | null;
  #sourceAddress: [string, number] | null;
  #checker: Checker | null;
  #checkHostname: boolean;
  #tunnel: Tunnel | null = null;
  #agent: ConnectionAgent;
  #socket: SecureSocket | null = null;
  #state: 'idle' | 'started' | 'sent' = 'idle';
  #method = 'GET';
  #target = '/';
  #headers: Header[] = [];
  #exchange: Exchange | null = null;
  #response: HTTPResponse | null = null;
  #debug = 0;

  static {
    brandClass(this, '@ossl/https-client:HTTPSConnection');
  }

  /**
   * Makes the connection object; nothing is sent until `connect()` or the first request.
   * @param host the host name or IP address, or `"host:port"` when `port` is absent.
   * @param port the port (default 443).
   * @param options see `HTTPSConnectionOptions`.
   */
  constructor(host: string, port?: number | string | null, options: HTTPSConnectionOptions = {}) {
    // Own properties only: a polluted Object.prototype must not choose the context or turn checks off.
    const opts = ownOptions(options, 'options');
    if (typeof host !== 'string' || host.length === 0) throw typeError('host', 'a non-empty string', host);
    let h: string = host;
    let p: unknown = port;
    const split = port === undefined || port === null ? splitHostPort(host) : null;
    if (split) [h, p] = split;
    this.host = validateHost(h, 'host');
    this.port = validatePort(p, 'port', 443);

    const context = opts.context;
    if (context !== undefined && context !== null && !(context instanceof Context)) throw typeError('options.context', 'an @ossl/ssl Context', context);
    this.#timeout = validateTimeout(opts.timeout, 'options.timeout');
    this.#sourceAddress = opts.sourceAddress === undefined || opts.sourceAddress === null ? null : validateAddress(opts.sourceAddress, 'options.sourceAddress', true);
    const certFile = validateOptionalString(opts.certFile, 'options.certFile');
    const keyFile = validateOptionalString(opts.keyFile, 'options.keyFile');
    if (keyFile !== null && certFile === null) throw typeError('options.certFile', 'a string when options.keyFile is given', opts.certFile);
    const pfx = opts.pfx;
    if (pfx !== undefined && pfx !== null && typeof pfx !== 'string' && !(pfx instanceof Uint8Array)) throw typeError('options.pfx', 'a Buffer, Uint8Array or file path', pfx);
    if (pfx !== undefined && pfx !== null && certFile !== null) throw typeError('options.pfx', 'absent when options.certFile is given', pfx);
    const passphrase = validateOptionalString(opts.passphrase, 'options.passphrase');
    const checker = opts.checker;
    if (checker !== undefined && checker !== null && !(checker instanceof Checker)) throw typeError('options.checker', 'a Checker', checker);
    this.#checker = checker ?? null;
    // Only an own `false` turns the host-name check off. Anything else (absent, undefined, null, an
    // inherited false, and values of other types such as 0 or '') keeps it on: a typo or a falsy
    // value must not silently drop a security check.
    this.#checkHostname = !isOwnFalse(opts, 'checkHostname');

    this.context = context ?? createDefaultContext();
    if (certFile !== null) {
      this.context.useCertificateChainFile(certFile);
      const keyPem = readFileSync(keyFile ?? certFile);
      this.context.usePrivatekey(passphrase === null ? loadPrivatekey(FILETYPE_PEM, keyPem) : loadPrivatekey(FILETYPE_PEM, keyPem, passphrase));
      this.context.checkPrivatekey();
    } else if (pfx !== undefined && pfx !== null) {
      const bundle = loadPkcs12(typeof pfx === 'string' ? readFileSync(pfx) : Buffer.from(pfx.buffer, pfx.byteOffset, pfx.byteLength), passphrase);
      const cert = bundle.getCertificate();
      const key = bundle.getPrivatekey();
      if (cert === null || key === null) throw typeError('options.pfx', 'a PKCS#12 bundle with a certificate and its key', pfx);
      this.context.useCertificate(cert);
      this.context.usePrivatekey(key);
      for (const extra of bundle.getCaCertificates() ?? []) this.context.addExtraChainCert(extra);
      this.context.checkPrivatekey();
    }
    this.#agent = new ConnectionAgent(() => this.#open());
  }

  /** Prints the exchange to stderr when > 0 (httplib's `set_debuglevel`). */
  setDebuglevel(level: number): void {
    if (typeof level !== 'number') throw typeError('level', 'a number', level);
    this.#debug = level;
  }

  /**
   * Connects through an HTTP proxy (this host and port) to `host`:`port` with CONNECT
   * (httplib's `set_tunnel`). `host` is a host name or an IP literal (IPv6 with or without brackets,
   * or `"host:port"` when `port` is not given); `port` an integer 1..65535 (or a string of digits);
   * `headers` are checked as request headers are, and go to the proxy only.
   * @throws TypeError / RangeError for anything else, before anything is sent.
   */
  setTunnel(host: string, port?: number | string | null, headers: Record<string, string | number | (string | number)[]> | null = {}): void {
    if (this.#socket !== null && !this.#socket.destroyed) throw new HTTPException("can't set up a tunnel for an established connection");
    let h: unknown = host;
    let p: unknown = port;
    const split = (port === undefined || port === null) && typeof host === 'string' ? splitHostPort(host) : null;
    if (split) [h, p] = split;
    const tunnelHost = validateHost(h, 'host');
    const tunnelPort = validatePort(p, 'port', 443);
    this.#tunnel = { host: tunnelHost, port: tunnelPort, headers: validateHeaders(headers, 'headers') };
  }

  /** The host and port the TLS session is with: the tunnel's target, or the host itself. */
  get #server(): [string, number] {
    return this.#tunnel ? [this.#tunnel.host, this.#tunnel.port] : [this.host, this.port];
  }

  /** The server a session is kept for: `host:port` of the tunnel's target or of the host. */
  get #sessionKey(): string {
    const [host, port] = this.#server;
    return `${host}:${port}`;
  }

  /** A new verified connection (the Agent's sockets come from here). */
  async #open(): Promise<SecureSocket> {
    // Connections with the same Context to the same server resume each other's TLS sessions (a new
    // HTTPSConnection per request costs an abbreviated handshake, as with node:https's agent).
    const sessions = sessionCacheOf(this.context);
    const key = this.#sessionKey;
    const session = sessions.get(key);
    const opts = {
      host: this.host,
      port: this.port,
      tunnel: this.#tunnel,
      tls: session === undefined ? { context: this.context } : { context: this.context, session },
      checkHostname: this.#checkHostname,
      checker: this.#checker,
      timeout: this.#timeout,
      verifyErrors: true,
      ...(this.#sourceAddress === null ? {} : { localAddress: this.#sourceAddress[0] || undefined, localPort: this.#sourceAddress[1] || undefined }),
    };
    let socket: SecureSocket;
    try {
      socket = await openTls(opts);
    } catch (e) {
      sessions.delete(key);
      throw e;
    }
    this.#socket = socket;
    return socket;
  }

  /**
   * Opens the connection (and the tunnel), runs the handshake and the post-connection checks; the
   * next request uses it. A connection already open is closed first.
   * @throws CertificateVerifyError when the chain or the host name does not verify; HTTPException
   *   (`Tunnel connection failed: ...`) when the proxy refuses, hangs up, answers too much or not in
   *   time; WrongHost/WrongCertificate from the Checker; transport errors (`ETIMEDOUT`, ...).
   */
  async connect(): Promise<void> {
    this.close();
    this.#agent.hold(await this.#open());
  }

  /**
   * Starts a request: the request line (httplib's `putrequest`).
   * @throws TypeError when `method` is not an HTTP token or `url` holds controls, spaces, DEL or
   *   non-latin1 characters; ResponseNotReady when the previous response was not read.
   */
  putrequest(method: string, url: string, options: PutrequestOptions = {}): void {
    const opts = ownOptions(options, 'options');
    const m = validateMethod(method, 'method');
    const target = validateRequestTarget(url, 'url');
    const skipHost = validateOptionalBoolean(opts.skipHost, 'options.skipHost') ?? false;
    const skipAcceptEncoding = validateOptionalBoolean(opts.skipAcceptEncoding, 'options.skipAcceptEncoding') ?? false;
    if (this.#response !== null && !this.#response.isClosed()) throw new ResponseNotReady('read the previous response before sending another request', 'ERR_RESPONSE_NOT_READY');
    if (this.#state !== 'idle') throw new ResponseNotReady(`a request is already ${this.#state === 'started' ? 'being written' : 'sent and its response not read'}`, 'ERR_CANNOT_SEND_REQUEST');
    this.#response = null;
    this.#state = 'started';
    this.#method = m;
    this.#target = target;
    this.#headers = [];
    if (!skipHost) {
      const [h, p] = this.#server;
      this.putheader('Host', p === 443 ? formatHost(h) : `${formatHost(h)}:${p}`);
    }
    if (!skipAcceptEncoding) this.putheader('Accept-Encoding', 'identity');
  }

  /**
   * Adds a header line (httplib's `putheader`); several values are joined on one line with `, `.
   * @throws TypeError when `header` is not an HTTP token, or a value is not a string/number or holds
   *   CR, LF, NUL, another control character but TAB, DEL or a character above U+00FF.
   */
  putheader(header: string, ...values: (string | number)[]): void {
    const name = validateHeaderName(header);
    const value = joinHeaderValues(name, values);
    if (this.#state !== 'started') throw new HTTPException('putheader before putrequest', 'ERR_NO_REQUEST');
    this.#headers.push([name, value]);
  }

  /**
   * Ends the headers and sends them, with `body` if given (httplib's `endheaders`). Resolves once the
   * connection is open (a new one is verified first) and the bytes are handed to it.
   */
  async endheaders(body?: Buffer | Uint8Array | string | null): Promise<void> {
    const data = validateBody(body, 'body');
    if (this.#state !== 'started') throw new HTTPException('endheaders before putrequest', 'ERR_NO_REQUEST');
    this.#state = 'sent';
    const exchange = this.#start();
    try {
      await exchange.socket;
      // Without a body the head goes out with the first `send()` or with `getresponse()`: node:http
      // encodes a head it flushes alone as UTF-8, not latin1 as HTTP (and httplib) does.
      if (data !== undefined) await this.#write(exchange, data);
    } catch (e) {
      if (this.#resendable(exchange, e)) return; // getresponse() sends it again on a new connection
      this.#fail();
      throw e;
    }
  }

  /** Whether `e` means the kept-alive connection was gone and the request can be sent again whole. */
  #resendable(exchange: Exchange, e: unknown): boolean {
    return exchange.req.reusedSocket && exchange.replay !== null && isStaleConnection(e);
  }

  /** Sends the request head on the connection (node:http frames and writes it). */
  #start(): Exchange {
    const flat: string[] = [];
    for (const [k, v] of this.#headers) flat.push(k, v);
    const [h] = this.#server;
    const req = https.request(
      Object.assign(Object.create(null) as https.RequestOptions, {
        method: this.#method,
        path: this.#target,
        host: h,
        port: this.#server[1],
        headers: flat,
        setHost: false,
        agent: this.#agent,
      }),
    );
    if (this.#debug > 0) {
      const head = [`${this.#method} ${this.#target} HTTP/1.1`, ...this.#headers.map(([k, v]) => `${k}: ${v}`)].join('\r\n');
      process.stderr.write(`send: ${JSON.stringify(`${head}\r\n\r\n`)}\n`);
    }
    // The response object is made as node:http announces the head, so that nothing it reports in
    // the same turn (the body's end, the connection closing early, a malformed chunk) is missed.
    const response = new Promise<HTTPResponse>((resolve, reject) => {
      req.once('response', (message: IncomingMessage) => {
        const socket = req.socket as SecureSocket | null;
        const peer = peerOf(socket);
        // Once a response is whole, the server's session tickets are in: kept for the next connection.
        if (socket !== null) message.once('end', () => this.#keepSession(socket));
        resolve(new HTTPResponse(message, { peer, timeout: this.#timeout, request: req }));
      });
      req.on('error', reject);
    });
    const socket = new Promise<SecureSocket>((resolve, reject) => {
      req.once('socket', (s) => {
        this.#socket = s as SecureSocket;
        resolve(s as SecureSocket);
      });
      req.on('error', reject);
    });
    response.catch(ignore);
    socket.catch(ignore);
    const exchange: Exchange = { req, response, socket, replay: [] };
    this.#exchange = exchange;
    return exchange;
  }

  #keepSession(socket: SecureSocket): void {
    const session = socket.getSession();
    if (session !== undefined) sessionCacheOf(this.context).set(this.#sessionKey, session);
  }

  async #write(exchange: Exchange, data: Buffer): Promise<void> {
    exchange.replay?.push(data);
    await write(exchange.req, data);
  }

  /** Drops the request in flight after a failure: the connection may be in any state. */
  #fail(): void {
    this.#state = 'idle';
    this.#exchange?.req.destroy();
    this.#exchange = null;
  }

  /**
   * Sends more of the body: bytes, or every chunk of an iterable or Readable.
   * @throws HTTPException when no request is being sent; TypeError for a body of another type.
   */
  async send(data: RequestBody): Promise<void> {
    const body = checkBody(data, 'data');
    if (body === undefined) throw typeError('data', 'a string, Buffer, Uint8Array, iterable or Readable', data);
    const exchange = this.#exchange;
    if (this.#state !== 'sent' || exchange === null) throw new HTTPException('send before endheaders', 'ERR_NO_REQUEST');
    try {
      if ('bytes' in body) await this.#write(exchange, body.bytes);
      else {
        exchange.replay = null;
        for await (const chunk of body.stream as AsyncIterable<unknown>) await write(exchange.req, chunkBytes(chunk));
      }
    } catch (e) {
      if (this.#resendable(exchange, e)) return; // kept for getresponse() to send again
      this.#fail();
      throw e;
    }
  }

  /**
   * Sends a whole request (httplib's `request`). A body of bytes gets a Content-Length; a streamed body
   * (iterable, async iterable or Readable) is sent chunked unless a length is given. Everything is
   * checked before the connection is opened.
   */
  async request(method: string, url: string, body?: RequestBody | null, headers: Record<string, string | number | (string | number)[]> | null = {}): Promise<void> {
    const data = checkBody(body, 'body');
    const pairs = validateHeaders(headers, 'headers');
    const names = pairs.map(([k]) => k.toLowerCase());
    const framed = names.includes('content-length') || names.includes('transfer-encoding');
    this.putrequest(method, url, { skipHost: names.includes('host'), skipAcceptEncoding: names.includes('accept-encoding') });
    if (data !== undefined && 'bytes' in data && !framed) this.putheader('Content-Length', data.bytes.length);
    else if (data !== undefined && !framed) this.putheader('Transfer-Encoding', 'chunked');
    else if (data === undefined && ['POST', 'PUT', 'PATCH'].includes(this.#method.toUpperCase()) && !framed) this.putheader('Content-Length', 0);
    for (const [k, v] of pairs) this.putheader(k, v);
    if (data === undefined || 'bytes' in data) return this.endheaders(data?.bytes);
    await this.endheaders();
    await this.send(data.stream as RequestBody);
  }

  /**
   * Waits for the response to the request just sent (httplib's `getresponse`). When a kept-alive
   * connection turns out to have been closed by the server before it answered, the request is sent
   * again once on a new connection (when its body was bytes, not a stream).
   * @throws ResponseNotReady when no request was sent; BadStatusLine when the answer is not HTTP or
   *   the server closed without one; ETIMEDOUT after `timeout` ms without the head.
   */
  async getresponse(): Promise<HTTPResponse> {
    let exchange = this.#exchange;
    if (this.#state !== 'sent' || exchange === null) throw new ResponseNotReady('no request was sent', 'ERR_RESPONSE_NOT_READY');
    let response: HTTPResponse;
    try {
      try {
        response = await this.#awaitResponse(exchange);
      } catch (e) {
        if (!this.#resendable(exchange, e)) throw e;
        // The server closed the kept-alive connection as the request went out: once more, on a new one.
        const replay = exchange.replay ?? [];
        exchange = this.#start();
        for (const chunk of replay) await this.#write(exchange, chunk);
        response = await this.#awaitResponse(exchange);
      }
    } catch (e) {
      this.#fail();
      throw e;
    }
    this.#state = 'idle';
    this.#exchange = null;
    if (this.#debug > 0) {
      process.stderr.write(`reply: ${JSON.stringify(`HTTP/${Math.floor(response.version / 10)}.${response.version % 10} ${response.status} ${response.reason}\r\n`)}\n`);
      for (const [k, v] of response.getheaders()) process.stderr.write(`header: ${k}: ${v}\n`);
    }
    this.#response = response;
    return response;
  }

  /** Ends the request and waits for the head of the answer, within the timeout. */
  async #awaitResponse(exchange: Exchange): Promise<HTTPResponse> {
    const { req } = exchange;
    if (!req.writableEnded) req.end();
    const timeout = this.#timeout;
    const timer = timeout === null ? null : setTimeout(() => req.destroy(timeoutError(timeout, 'waiting for the response')), timeout);
    try {
      return await exchange.response;
    } catch (e) {
      const err = e as Error & { code?: string };
      if (err.code?.startsWith('HPE_')) throw new BadStatusLine(`the server's answer is not a valid HTTP response (${err.message})`, err.code, { cause: e });
      if (err.message === 'socket hang up' && !this.#resendable(exchange, e)) {
        throw new BadStatusLine('the server closed the connection without a response', 'ERR_NO_RESPONSE', { cause: e });
      }
      throw e;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** Closes the connection (and any response still being read). */
  close(): void {
    this.#response?.close();
    this.#response = null;
    this.#fail();
    this.#agent.destroy();
    this.#socket = null;
  }

  /**
   * What `util.inspect` and `console.log` print:
   * `HTTPSConnection { host: 'example.com', port: 443, connected: true, protocol: 'TLSv1.3' }`, and
   * `tunnel: 'target:443'` through a proxy.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    const live = (): SecureSocket | null => (this.#socket !== null && !this.#socket.destroyed ? this.#socket : null);
    return inspectFields(
      this,
      'HTTPSConnection',
      {
        host: () => this.host,
        port: () => this.port,
        tunnel: () => (this.#tunnel === null ? undefined : `${this.#tunnel.host}:${this.#tunnel.port}`),
        connected: () => live() !== null,
        protocol: () => live()?.connection.getProtocolVersionName(),
        cipher: () => live()?.connection.getCipherName() ?? undefined,
      },
      depth,
      options,
      inspectFn,
    );
  }
}

/** Options of `ProxyHTTPSConnection`: HTTPSConnection's, and the proxy's credentials. */
export interface ProxyHTTPSConnectionOptions extends HTTPSConnectionOptions {
  /** Credentials for the proxy, sent as `Proxy-Authorization: Basic ...` with CONNECT only (M2Crypto). */
  username?: string | null;
  /** The password for `username`. */
  password?: string | null;
}

/**
 * M2Crypto's `ProxyHTTPSConnection`: requests go to the proxy, and a request for an absolute
 * `https://host[:port]/path` URL opens a CONNECT tunnel to that host first. `username`/`password`
 * go to the proxy (in the CONNECT request) and never to the server.
 */
export class ProxyHTTPSConnection extends HTTPSConnection {
  #tunnelSet = false;
  #proxyAuth: string | null;

  static {
    brandClass(this, '@ossl/https-client:ProxyHTTPSConnection');
  }

  /**
   * @param proxyHost the proxy's host name or IP address (or `"host:port"`).
   * @param proxyPort the proxy's port.
   * @param options HTTPSConnection's options, and `username`/`password` for the proxy.
   */
  constructor(proxyHost: string, proxyPort?: number | string | null, options: ProxyHTTPSConnectionOptions = {}) {
    const opts = ownOptions(options, 'options');
    const username = validateOptionalString(opts.username, 'options.username');
    const password = validateOptionalString(opts.password, 'options.password');
    if (username !== null && username.includes(':')) {
      throw Object.assign(new TypeError('Invalid options.username: a Basic user name may not contain ":" (RFC 7617)'), { code: 'ERR_INVALID_ARG_VALUE' });
    }
    if (password !== null && username === null) throw typeError('options.username', 'a string when options.password is given', opts.username);
    delete opts.username;
    delete opts.password;
    super(proxyHost, proxyPort, opts);
    this.#proxyAuth = username === null ? null : `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
  }

  /**
   * Starts a request, as HTTPSConnection's `putrequest`; an absolute `https://host[:port]/path` URL
   * first sets up a CONNECT tunnel to that host (once per connection) and sends the path only.
   */
  override putrequest(method: string, url: string, options: PutrequestOptions = {}): void {
    validateMethod(method, 'method');
    validateRequestTarget(url, 'url');
    const m = /^https:\/\/([^/:?#]+|\[[^\]]+\])(?::(\d+))?([/?].*)?$/.exec(url);
    if (m && !this.#tunnelSet) {
      this.setTunnel(m[1]!, m[2] ?? 443, this.#proxyAuth === null ? {} : { 'Proxy-Authorization': this.#proxyAuth });
      this.#tunnelSet = true;
    }
    const path = m ? (m[3] ?? '/') : url;
    super.putrequest(method, path.startsWith('?') ? `/${path}` : path, options);
  }
}

/** Options of `request`. */
export interface RequestOptions {
  /** The method (default `GET`). */
  method?: string;
  /** Request headers; `Connection: close` is added unless given. */
  headers?: Record<string, string | number | (string | number)[]> | null;
  /** The request body: bytes, text, or a stream of them (sent chunked). */
  body?: RequestBody | null;
  /** TLS settings; `createDefaultContext()` when absent. */
  context?: Context | null;
  /** Milliseconds any one wait may take. */
  timeout?: number | null;
  /** A post-connection check: host name and pinned fingerprint. */
  checker?: Checker | null;
  /** See HTTPSConnectionOptions.checkHostname: only an own `false` turns the host-name check off. */
  checkHostname?: boolean | null;
  /** An HTTP proxy `[host, port]` to tunnel through. */
  proxy?: [string, number] | null;
  /** Credentials for the proxy (Basic), sent with CONNECT only. */
  proxyUsername?: string | null;
  /** The password for `proxyUsername`. */
  proxyPassword?: string | null;
  /** A client certificate and key (PKCS#12), opened with `passphrase`. */
  pfx?: Buffer | Uint8Array | string | null;
  /** The passphrase of `pfx`. */
  passphrase?: string | null;
  /** Aborts the request: it rejects with the signal's reason and the connection is closed. */
  signal?: AbortSignal | null;
}

/**
 * One request to an `https://` URL, the whole body read: `{status, reason, headers, body}`. The URL
 * string is checked as given (WHATWG parsing would silently drop TAB, CR and LF): a control
 * character or a space in it is refused, as are options of the wrong type, before any connection.
 */
export async function request(
  url: string | URL,
  options: RequestOptions = {},
): Promise<{
  /** The status code. */
  status: number;
  /** The reason phrase. */
  reason: string;
  /** The headers, names lower-cased, repeated ones joined with `, `. */
  headers: Record<string, string>;
  /** Every header as received, repeated ones apart. */
  rawHeaders: [string, string][];
  /** The whole body. */
  body: Buffer;
  /** The server's certificate. */
  peerCertificate: X509 | null;
}> {
  const opts = ownOptions(options, 'options');
  const u = new URL(validateUrlString(url, 'url'));
  if (u.protocol !== 'https:') throw Object.assign(new TypeError(`only https:// URLs are supported, got ${u.protocol}`), { code: 'ERR_INVALID_URL_SCHEME' });
  const host = validateHost(u.hostname, 'url');
  const port = u.port ? Number(u.port) : 443;
  const method = validateMethod(opts.method ?? 'GET', 'options.method');
  const headers = validateHeaders(opts.headers, 'options.headers');
  const body = checkBody(opts.body, 'options.body');
  const proxy = opts.proxy === undefined || opts.proxy === null ? null : validateAddress(opts.proxy, 'options.proxy', false);
  const signal = opts.signal;
  if (signal !== undefined && signal !== null && !(signal instanceof AbortSignal)) throw typeError('options.signal', 'an AbortSignal', signal);
  const connOpts: ProxyHTTPSConnectionOptions = Object.create(null) as ProxyHTTPSConnectionOptions;
  for (const key of ['context', 'timeout', 'checker', 'pfx', 'passphrase'] as const) if (opts[key] !== undefined) (connOpts as Record<string, unknown>)[key] = opts[key];
  if (isOwnFalse(opts, 'checkHostname')) connOpts.checkHostname = false;
  let conn: HTTPSConnection;
  if (proxy) {
    if (opts.proxyUsername !== undefined) connOpts.username = opts.proxyUsername as string;
    if (opts.proxyPassword !== undefined) connOpts.password = opts.proxyPassword as string;
    conn = new ProxyHTTPSConnection(proxy[0], proxy[1], connOpts);
  } else {
    conn = new HTTPSConnection(host, port, connOpts);
  }
  // A null prototype: a header named "__proto__" is a header like any other.
  const all: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!headers.some(([k]) => k.toLowerCase() === 'connection')) all.Connection = 'close';
  for (const [k, v] of headers) all[k] = v;
  const target = proxy ? `https://${formatHost(host)}:${port}${u.pathname}${u.search}` : `${u.pathname}${u.search}`;
  const exchange = async (): Promise<Awaited<ReturnType<typeof request>>> => {
    await conn.request(method, target, (body === undefined ? undefined : 'bytes' in body ? body.bytes : body.stream) as RequestBody | undefined, all);
    const res = await conn.getresponse();
    const data = await res.read();
    return { status: res.status, reason: res.reason, headers: res.headers, rawHeaders: res.getheaders(), body: data, peerCertificate: res.peerCertificate };
  };
  try {
    if (!signal) return await exchange();
    signal.throwIfAborted();
    let onAbort: () => void = ignore;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        conn.close();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([exchange(), aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  } finally {
    conn.close();
  }
}

