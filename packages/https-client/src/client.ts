import { once } from 'node:events';
import net from 'node:net';
import { X509, loadCertificate, loadPrivatekey, FILETYPE_PEM } from '@ossl/crypto';
import { Context, createDefaultContext, SocketConnection, SSLError, type SocketFile } from '@ossl/ssl';
import { readFileSync } from 'node:fs';

/** An HTTP exchange that could not go on (httplib's HTTPException family). */
export class HTTPException extends globalThis.Error {
  constructor(message: string, readonly code = 'ERR_HTTP') {
    super(message);
    this.name = new.target.name;
  }
}
/** A request was sent before the previous response was read (httplib's `CannotSendRequest`/`ResponseNotReady`). */
export class ResponseNotReady extends HTTPException {}
/** The server's status line or headers could not be parsed (httplib's `BadStatusLine`). */
export class BadStatusLine extends HTTPException {}
/** The body ended before its declared length (httplib's `IncompleteRead`). */
export class IncompleteRead extends HTTPException {}
/** The certificate did not match the host or the pinned fingerprint (M2Crypto's `Checker` errors). */
export class WrongHost extends HTTPException {}
export class WrongCertificate extends HTTPException {}

/**
 * M2Crypto's `SSL.Checker`: checks the peer certificate against a host name (OpenSSL's own
 * matcher) and, when given, a pinned SHA-256 fingerprint (`AB:CD:...` or plain hex).
 */
export class Checker {
  readonly host: string | null;
  readonly fingerprint: string | null;

  constructor(host: string | null = null, fingerprint: string | null = null) {
    this.host = host;
    this.fingerprint = fingerprint === null ? null : fingerprint.replace(/:/g, '').toUpperCase();
  }

  /** @returns true; @throws WrongCertificate or WrongHost. */
  check(peerCert: X509 | null, host: string | null = null): boolean {
    if (peerCert === null) throw new WrongCertificate('the peer sent no certificate', 'ERR_NO_PEER_CERTIFICATE');
    if (this.fingerprint !== null) {
      const got = peerCert.digest('sha256').replace(/:/g, '');
      if (got !== this.fingerprint) throw new WrongCertificate(`certificate fingerprint ${got} does not match the pinned ${this.fingerprint}`, 'ERR_FINGERPRINT_MISMATCH');
    }
    // The host the Checker was made for wins; otherwise the host the connection was opened to.
    const name = this.host ?? host;
    if (name !== null && !peerCert.checkHost(name)) {
      throw new WrongHost(`the certificate does not match host ${name}`, 'HOSTNAME_MISMATCH');
    }
    return true;
  }
}

export interface HTTPSConnectionOptions {
  /** TLS settings; `createDefaultContext()` (peer and host-name verification) when absent. */
  context?: Context;
  /** Milliseconds any one network wait may take. */
  timeout?: number | null;
  /** `[host, port]` to bind the local end to. */
  sourceAddress?: [string, number];
  /** A client certificate and key (PEM files). */
  certFile?: string;
  keyFile?: string;
  /** Check the server's host name (default: as the context says; true for the default context). */
  checkHostname?: boolean;
  /** A post-connection check (M2Crypto): host name and pinned fingerprint. */
  checker?: Checker;
}

type Header = [string, string];

/**
 * An HTTPS connection with Python's `http.client.HTTPSConnection` API: one TLS connection, kept alive
 * across sequential requests. Network calls return Promises.
 *
 * ```ts
 * const conn = new HTTPSConnection('example.com');
 * await conn.request('GET', '/');
 * const res = await conn.getresponse();
 * console.log(res.status, res.reason, (await res.read()).toString());
 * ```
 */
export class HTTPSConnection {
  readonly host: string;
  readonly port: number;
  protected context: Context;
  #timeout: number | null;
  #sourceAddress: [string, number] | null;
  #checker: Checker | null;
  #checkHostname: boolean;
  #tls: SocketConnection | null = null;
  #file: SocketFile | null = null;
  #tunnel: { host: string; port: number; headers: Header[] } | null = null;
  #buffer: string[] = [];
  #method = 'GET';
  #pendingResponse: HTTPResponse | null = null;
  #debug = 0;

  constructor(host: string, port?: number | null, options: HTTPSConnectionOptions = {}) {
    if (typeof host !== 'string' || host.length === 0) throw new TypeError('"host" must be a non-empty string');
    let h = host;
    let p = port ?? null;
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(host);
    if (p === null && m) {
      h = m[1]!;
      p = Number(m[2]);
    }
    this.host = h.replace(/^\[|\]$/g, '');
    this.port = p ?? 443;
    this.context = options.context ?? createDefaultContext();
    if (options.certFile) {
      this.context.useCertificate(loadCertificate(FILETYPE_PEM, readFileSync(options.certFile)));
      this.context.usePrivatekey(loadPrivatekey(FILETYPE_PEM, readFileSync(options.keyFile ?? options.certFile)));
    }
    this.#timeout = options.timeout ?? null;
    this.#sourceAddress = options.sourceAddress ?? null;
    this.#checker = options.checker ?? null;
    this.#checkHostname = options.checkHostname ?? this.context.checkHostname;
  }

  /** Prints the exchange to stderr when > 0 (httplib's `set_debuglevel`). */
  setDebuglevel(level: number): void {
    this.#debug = level;
  }

  /** Connects through an HTTP proxy (this host and port) to `host`:`port` with CONNECT. */
  setTunnel(host: string, port = 443, headers: Record<string, string> = {}): void {
    if (this.#tls) throw new HTTPException("can't set up a tunnel for an established connection");
    this.#tunnel = { host, port, headers: Object.entries(headers) };
  }

  /** The host the TLS session is with: the tunnel's target, or the host itself. */
  get #target(): [string, number] {
    return this.#tunnel ? [this.#tunnel.host, this.#tunnel.port] : [this.host, this.port];
  }

  /** Opens the connection (and the tunnel), runs the handshake and the post-connection check. */
  async connect(): Promise<void> {
    const sock = new net.Socket();
    const timer = this.#timeout !== null ? setTimeout(() => sock.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), this.#timeout) : null;
    try {
      const opts: net.TcpSocketConnectOpts = { host: this.host, port: this.port };
      if (this.#sourceAddress) {
        opts.localAddress = this.#sourceAddress[0];
        opts.localPort = this.#sourceAddress[1] || undefined;
      }
      sock.connect(opts);
      await once(sock, 'connect');
    } finally {
      if (timer) clearTimeout(timer);
    }
    if (this.#tunnel) await this.#openTunnel(sock);
    const [targetHost] = this.#target;
    const tls = new SocketConnection(this.context, sock, { timeout: this.#timeout });
    tls.setConnectState();
    if (this.#checkHostname || net.isIP(targetHost) === 0) tls.setTlsextHostName(targetHost);
    if (this.#checkHostname && !this.context.checkHostname) tls.setHost(targetHost);
    try {
      await tls.doHandshake();
      if (this.#checker) this.#checker.check(tls.getPeerCertificate(), targetHost);
    } catch (e) {
      sock.destroy();
      throw e;
    }
    this.#tls = tls;
    this.#file = tls.makefile();
  }

  async #openTunnel(sock: net.Socket): Promise<void> {
    const { host, port, headers } = this.#tunnel!;
    const lines = [`CONNECT ${host}:${port} HTTP/1.0`, `Host: ${host}:${port}`, ...headers.map(([k, v]) => `${k}: ${v}`), '', ''];
    sock.write(lines.join('\r\n'));
    let head = Buffer.alloc(0);
    while (!head.includes('\r\n\r\n')) {
      const [chunk] = (await once(sock, 'data')) as [Buffer];
      head = Buffer.concat([head, chunk]);
    }
    const end = head.indexOf('\r\n\r\n') + 4;
    const status = /^HTTP\/\d\.\d (\d{3}) ?(.*)\r\n/.exec(head.subarray(0, end).toString('latin1'));
    if (!status) throw new BadStatusLine(`bad CONNECT response from the proxy: ${JSON.stringify(head.subarray(0, 80).toString('latin1'))}`);
    if (status[1] !== '200') {
      sock.destroy();
      throw new HTTPException(`Tunnel connection failed: ${status[1]} ${status[2]}`, 'ERR_TUNNEL');
    }
    // Bytes after the proxy's answer belong to the TLS stream.
    if (end < head.length) sock.unshift(head.subarray(end));
  }

  /** Starts a request: the request line (httplib's `putrequest`). */
  putrequest(method: string, url: string, options: { skipHost?: boolean; skipAcceptEncoding?: boolean } = {}): void {
    if (this.#pendingResponse && !this.#pendingResponse.isClosed()) throw new ResponseNotReady('read the previous response before sending another request', 'ERR_RESPONSE_NOT_READY');
    if (/[\0\r\n ]/.test(method) || /[\0\r\n ]/.test(url)) throw new HTTPException('the method or URL contains a control character or a space', 'ERR_INVALID_REQUEST');
    this.#method = method.toUpperCase();
    this.#buffer = [`${method} ${url || '/'} HTTP/1.1`];
    if (!options.skipHost) {
      const [h, p] = this.#target;
      const hostHeader = net.isIPv6(h) ? `[${h}]` : h;
      this.putheader('Host', p === 443 ? hostHeader : `${hostHeader}:${p}`);
    }
    if (!options.skipAcceptEncoding) this.putheader('Accept-Encoding', 'identity');
  }

  /** Adds a header line (httplib's `putheader`); several values are joined with `,`. */
  putheader(header: string, ...values: (string | number)[]): void {
    if (this.#buffer.length === 0) throw new HTTPException('putheader before putrequest', 'ERR_NO_REQUEST');
    const value = values.map(String).join(',\r\n\t');
    if (/[\0\r\n:]/.test(header) || /[\0]|\r(?!\n\t)|(?<!\r)\n/.test(value)) throw new HTTPException(`invalid header ${JSON.stringify(header)}`, 'ERR_INVALID_HEADER');
    this.#buffer.push(`${header}: ${value}`);
  }

  /** Ends the headers and sends them, with `body` if given (httplib's `endheaders`). */
  async endheaders(body?: Buffer | string): Promise<void> {
    if (!this.#tls) await this.connect();
    const head = Buffer.from(`${this.#buffer.join('\r\n')}\r\n\r\n`, 'latin1');
    this.#buffer = [];
    if (this.#debug > 0) process.stderr.write(`send: ${JSON.stringify(head.toString('latin1'))}\n`);
    await this.#tls!.sendall(body === undefined ? head : Buffer.concat([head, Buffer.from(body)]));
    this.#pendingResponse = null;
  }

  /** Sends more of the body. */
  async send(data: Buffer | string): Promise<void> {
    if (!this.#tls) await this.connect();
    await this.#tls!.sendall(data);
  }

  /** Sends a whole request (httplib's `request`). A body gets a Content-Length. */
  async request(method: string, url: string, body?: Buffer | string | null, headers: Record<string, string | number> = {}): Promise<void> {
    const names = Object.keys(headers).map((k) => k.toLowerCase());
    this.putrequest(method, url, { skipHost: names.includes('host'), skipAcceptEncoding: names.includes('accept-encoding') });
    const data = body === undefined || body === null ? undefined : Buffer.from(body);
    if (data !== undefined && !names.includes('content-length') && !names.includes('transfer-encoding')) this.putheader('Content-Length', data.length);
    else if (data === undefined && ['POST', 'PUT', 'PATCH'].includes(method.toUpperCase()) && !names.includes('content-length')) this.putheader('Content-Length', 0);
    for (const [k, v] of Object.entries(headers)) this.putheader(k, v);
    try {
      await this.endheaders(data);
    } catch (e) {
      // A kept-alive connection the server closed meanwhile: reconnect once and resend.
      if (this.#tls && e instanceof SSLError) {
        this.close();
        this.putrequest(method, url, { skipHost: true, skipAcceptEncoding: true });
        throw e;
      }
      throw e;
    }
  }

  /** Reads the response to the request just sent (httplib's `getresponse`). */
  async getresponse(): Promise<HTTPResponse> {
    if (!this.#file || !this.#tls) throw new ResponseNotReady('no request was sent', 'ERR_RESPONSE_NOT_READY');
    const res = new HTTPResponse(this.#file, this.#method, this.#tls.getPeerCertificate(), () => this.#onResponseDone(res), this.#debug);
    await res.begin();
    this.#pendingResponse = res;
    if (res.isClosed()) this.#onResponseDone(res);
    return res;
  }

  #onResponseDone(res: HTTPResponse): void {
    if (res.willClose) this.close();
  }

  /** Closes the connection. */
  close(): void {
    const tls = this.#tls;
    this.#tls = null;
    this.#file = null;
    if (tls) void tls.close();
  }
}

/**
 * A response (Python's `http.client.HTTPResponse`): status line and headers are read by
 * `getresponse()`; the body with `read(amt)`, `readline()` or `for await`.
 */
export class HTTPResponse {
  status = 0;
  reason = '';
  /** 11 for HTTP/1.1, 10 for HTTP/1.0. */
  version = 11;
  /** Header names are lower-cased; repeated headers are joined with `, `. */
  headers: Record<string, string> = {};
  #raw: Header[] = [];
  /** The server's certificate. */
  readonly peerCertificate: X509 | null;
  willClose = false;
  #file: SocketFile;
  #method: string;
  #remaining: number | null = null;
  #chunked = false;
  #chunkLeft = 0;
  #closed = false;
  #onDone: () => void;
  #debug: number;

  constructor(file: SocketFile, method: string, peer: X509 | null, onDone: () => void, debug = 0) {
    this.#file = file;
    this.#method = method;
    this.peerCertificate = peer;
    this.#onDone = onDone;
    this.#debug = debug;
  }

  /** @internal Reads the status line and headers (skipping 1xx responses). */
  async begin(): Promise<void> {
    for (;;) {
      const line = (await this.#file.readline(65537)).toString('latin1');
      if (line.length === 0) throw new BadStatusLine('the server closed the connection without a response', 'ERR_NO_RESPONSE');
      if (this.#debug > 0) process.stderr.write(`reply: ${JSON.stringify(line)}\n`);
      const m = /^HTTP\/(\d)\.(\d) (\d{3})(?: (.*))?\r?\n$/.exec(line);
      if (!m) throw new BadStatusLine(`bad status line ${JSON.stringify(line.slice(0, 100))}`);
      this.version = Number(m[1]) * 10 + Number(m[2]);
      this.status = Number(m[3]);
      this.reason = (m[4] ?? '').trim();
      this.#raw = await this.#readHeaders();
      if (this.status >= 100 && this.status < 200 && this.status !== 101) continue;
      break;
    }
    for (const [k, v] of this.#raw) {
      const key = k.toLowerCase();
      this.headers[key] = key in this.headers ? `${this.headers[key]}, ${v}` : v;
    }
    const te = (this.headers['transfer-encoding'] ?? '').toLowerCase();
    const conn = (this.headers.connection ?? '').toLowerCase();
    this.willClose = conn.includes('close') || (this.version === 10 && !conn.includes('keep-alive'));
    if (this.#method === 'HEAD' || this.status === 204 || this.status === 304 || (this.status >= 100 && this.status < 200)) {
      this.#remaining = 0;
    } else if (te.split(',').map((s) => s.trim()).includes('chunked')) {
      this.#chunked = true;
    } else if (this.headers['content-length'] !== undefined) {
      const n = Number(this.headers['content-length']);
      if (!Number.isSafeInteger(n) || n < 0) throw new BadStatusLine(`bad Content-Length ${this.headers['content-length']}`);
      this.#remaining = n;
    } else {
      this.willClose = true; // the body runs to the end of the connection
    }
    if (this.#remaining === 0) this.#finish();
  }

  async #readHeaders(): Promise<Header[]> {
    const out: Header[] = [];
    for (let count = 0; ; count++) {
      if (count > 100) throw new HTTPException('got more than 100 headers', 'ERR_TOO_MANY_HEADERS');
      const line = (await this.#file.readline(65537)).toString('latin1');
      if (line === '\r\n' || line === '\n' || line === '') return out;
      if (/^[ \t]/.test(line) && out.length > 0) {
        out[out.length - 1]![1] += ` ${line.trim()}`;
        continue;
      }
      const i = line.indexOf(':');
      if (i <= 0) throw new BadStatusLine(`bad header line ${JSON.stringify(line.slice(0, 100))}`);
      out.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
    }
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onDone();
  }

  /** Whether the body has been read to its end. */
  isClosed(): boolean {
    return this.#closed;
  }

  /** A header's value, or `def` (httplib's `getheader`). */
  getheader(name: string, def: string | null = null): string | null {
    return this.headers[name.toLowerCase()] ?? def;
  }

  /** All headers as `[name, value]` pairs, as received. */
  getheaders(): [string, string][] {
    return this.#raw.map(([k, v]) => [k, v]);
  }

  /** Up to `amt` bytes of the body, or all of the rest; an empty Buffer at the end. */
  async read(amt?: number): Promise<Buffer> {
    if (this.#closed) return Buffer.alloc(0);
    if (amt === undefined) {
      const parts: Buffer[] = [];
      for (let chunk = await this.read(65536); chunk.length > 0; chunk = await this.read(65536)) parts.push(chunk);
      return Buffer.concat(parts);
    }
    if (this.#chunked) return this.#readChunked(amt);
    if (this.#remaining === null) {
      const data = await this.#file.read(amt);
      if (data.length === 0) this.#finish();
      return data;
    }
    const want = Math.min(amt, this.#remaining);
    const data = await this.#file.read(want);
    this.#remaining -= data.length;
    if (data.length < want) {
      this.#closed = true;
      throw new IncompleteRead(`the body ended after ${data.length} of ${want + this.#remaining} more bytes`, 'ERR_INCOMPLETE_READ');
    }
    if (this.#remaining === 0) this.#finish();
    return data;
  }

  async #readChunked(amt: number): Promise<Buffer> {
    if (this.#chunkLeft === 0) {
      const sizeLine = (await this.#file.readline(1024)).toString('latin1');
      const size = parseInt(sizeLine.split(';')[0]!.trim(), 16);
      if (!Number.isSafeInteger(size) || size < 0 || !/^[0-9a-fA-F]/.test(sizeLine)) throw new IncompleteRead(`bad chunk size ${JSON.stringify(sizeLine)}`, 'ERR_BAD_CHUNK');
      if (size === 0) {
        // Trailers, then the end.
        for (let line = await this.#file.readline(65537); line.length > 2; line = await this.#file.readline(65537));
        this.#finish();
        return Buffer.alloc(0);
      }
      this.#chunkLeft = size;
    }
    const data = await this.#file.read(Math.min(amt, this.#chunkLeft));
    if (data.length === 0) throw new IncompleteRead('the connection closed inside a chunk', 'ERR_INCOMPLETE_READ');
    this.#chunkLeft -= data.length;
    if (this.#chunkLeft === 0) await this.#file.readline(4); // the CRLF after the chunk
    return data;
  }

  /** One line of the body. */
  async readline(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (;;) {
      const b = await this.read(1);
      if (b.length === 0) break;
      parts.push(b);
      if (b[0] === 0x0a) break;
    }
    return Buffer.concat(parts);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (let chunk = await this.read(16384); chunk.length > 0; chunk = await this.read(16384)) yield chunk;
  }
}

/**
 * M2Crypto's `ProxyHTTPSConnection`: requests go to the proxy, and a request for an absolute
 * `https://host[:port]/path` URL opens a CONNECT tunnel to that host first.
 */
export class ProxyHTTPSConnection extends HTTPSConnection {
  #tunnelSet = false;

  override putrequest(method: string, url: string, options: { skipHost?: boolean; skipAcceptEncoding?: boolean } = {}): void {
    const m = /^https:\/\/([^/:]+|\[[^\]]+\])(?::(\d+))?(\/.*)?$/.exec(url);
    if (m && !this.#tunnelSet) {
      this.setTunnel(m[1]!.replace(/^\[|\]$/g, ''), m[2] ? Number(m[2]) : 443);
      this.#tunnelSet = true;
    }
    super.putrequest(method, m ? m[3] ?? '/' : url, options);
  }
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string | number>;
  body?: Buffer | string;
  context?: Context;
  timeout?: number;
  checker?: Checker;
  /** An HTTP proxy `[host, port]` to tunnel through. */
  proxy?: [string, number];
}

/** One request to an `https://` URL, the whole body read: `{status, reason, headers, body}`. */
export async function request(url: string, options: RequestOptions = {}): Promise<{ status: number; reason: string; headers: Record<string, string>; body: Buffer; peerCertificate: X509 | null }> {
  const u = new URL(url);
  if (u.protocol !== 'https:') throw new TypeError(`only https:// URLs are supported, got ${u.protocol}`);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port ? Number(u.port) : 443;
  const connOpts: HTTPSConnectionOptions = { context: options.context, timeout: options.timeout, checker: options.checker };
  const conn = options.proxy ? new HTTPSConnection(options.proxy[0], options.proxy[1], connOpts) : new HTTPSConnection(host, port, connOpts);
  if (options.proxy) conn.setTunnel(host, port);
  try {
    await conn.request(options.method ?? 'GET', `${u.pathname}${u.search}`, options.body, { Connection: 'close', ...(options.headers ?? {}) });
    const res = await conn.getresponse();
    const body = await res.read();
    return { status: res.status, reason: res.reason, headers: res.headers, body, peerCertificate: res.peerCertificate };
  } finally {
    conn.close();
  }
}
