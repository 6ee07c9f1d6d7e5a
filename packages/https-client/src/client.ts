import { once } from 'node:events';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { inspect, type InspectOptionsStylized } from 'node:util';
import { X509, loadCertificate, loadPrivatekey, FILETYPE_PEM } from '@ossl/crypto';
import { brandClass, inspectFields, isOwnFalse, ownOptions, printable, typeError } from '@ossl/crypto/internal';
import { CertificateVerifyError, Context, createDefaultContext, SocketConnection, SSLError, VERIFY_PEER, type SocketFile } from '@ossl/ssl';

import {
  formatHost,
  joinHeaderValues,
  show,
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

/** The most a proxy's answer to CONNECT (status line and headers) may take; more is an error. */
const MAX_TUNNEL_REPLY = 64 * 1024;
/** OpenSSL's X509_V_ERR_HOSTNAME_MISMATCH and X509_V_ERR_IP_ADDRESS_MISMATCH. */
const X509_V_ERR_HOSTNAME_MISMATCH = 62;
const X509_V_ERR_IP_ADDRESS_MISMATCH = 64;

/** `"name:443"` or `"[::1]:443"` split into host and port (httplib's `_get_hostport`), else null. */
function splitHostPort(value: string): [string, string] | null {
  const m = /^(\[[^\]]*\]|[^:]*):([0-9]+)$/.exec(value);
  return m ? [m[1]!, m[2]!] : null;
}

/** An HTTP exchange that could not go on (httplib's HTTPException family). */
export class HTTPException extends globalThis.Error {
  static {
    brandClass(this, '@ossl/https-client:HTTPException');
  }

  /**
   * @param message what went wrong.
   * @param code a machine-readable code (`ERR_INCOMPLETE_READ`, `HOSTNAME_MISMATCH`, ...).
   * @param options `cause`: the error behind this one.
   */
  constructor(
    message: string,
    /** A machine-readable code (`ERR_INCOMPLETE_READ`, `HOSTNAME_MISMATCH`, ...). */
    readonly code = 'ERR_HTTP',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
/** A request was sent before the previous response was read (httplib's `CannotSendRequest`/`ResponseNotReady`). */
export class ResponseNotReady extends HTTPException {
  static {
    brandClass(this, '@ossl/https-client:ResponseNotReady');
  }
}
/** The server's status line or headers could not be parsed (httplib's `BadStatusLine`). */
export class BadStatusLine extends HTTPException {
  static {
    brandClass(this, '@ossl/https-client:BadStatusLine');
  }
}
/** The body ended before its declared length (httplib's `IncompleteRead`). */
export class IncompleteRead extends HTTPException {
  static {
    brandClass(this, '@ossl/https-client:IncompleteRead');
  }
}
/** The certificate did not match the host name (M2Crypto's `Checker` error `WrongHost`). */
export class WrongHost extends HTTPException {
  static {
    brandClass(this, '@ossl/https-client:WrongHost');
  }
}
/** There was no peer certificate, or it did not match the pinned fingerprint (M2Crypto's `WrongCertificate`). */
export class WrongCertificate extends HTTPException {
  static {
    brandClass(this, '@ossl/https-client:WrongCertificate');
  }
}

/**
 * M2Crypto's `SSL.Checker`: checks the peer certificate against a host name with OpenSSL's own
 * matcher (`X509_check_host` without partial wildcards: `*.example.com` matches one label,
 * `f*.example.com` matches nothing; an IP address is matched against iPAddress names) and, when
 * given, a pinned SHA-256 fingerprint (`AB:CD:...` or plain hex, 64 digits).
 *
 * @throws TypeError when `host` is not a host name or IP address, or `fingerprint` not a SHA-256 fingerprint.
 */
export class Checker {
  /** The host name or IP address the certificate must match, or null to use the connection's host. */
  readonly host: string | null;
  /** The pinned SHA-256 fingerprint as 64 upper-case hex digits, or null for none. */
  readonly fingerprint: string | null;

  static {
    brandClass(this, '@ossl/https-client:Checker');
  }

  /**
   * @param host the name to check instead of the connection's host, or null.
   * @param fingerprint a SHA-256 fingerprint to pin (`AB:CD:...` or plain hex), or null.
   */
  constructor(host: string | null = null, fingerprint: string | null = null) {
    this.host = host === null || host === undefined ? null : validateHost(host, 'host');
    if (fingerprint === null || fingerprint === undefined) {
      this.fingerprint = null;
    } else {
      if (typeof fingerprint !== 'string') throw typeError('fingerprint', 'a SHA-256 fingerprint (hex string)', fingerprint);
      const hex = fingerprint.replace(/:/g, '').toUpperCase();
      if (!/^[0-9A-F]{64}$/.test(hex)) {
        throw Object.assign(new TypeError(`Invalid fingerprint ${show(fingerprint)}: it must be a SHA-256 fingerprint, 64 hex digits (colons allowed)`), { code: 'ERR_INVALID_ARG_VALUE' });
      }
      this.fingerprint = hex;
    }
  }

  /**
   * Checks `peerCert`: the pinned fingerprint, then the host name (the Checker's own, else `host`).
   * @returns true.
   * @throws WrongCertificate when there is no certificate or the fingerprint differs; WrongHost when
   *   the name does not match; TypeError for arguments of the wrong type.
   */
  check(peerCert: X509 | null, host: string | null = null): boolean {
    if (peerCert !== null && !(peerCert instanceof X509)) throw typeError('peerCert', 'an X509 or null', peerCert);
    if (host !== null && host !== undefined && typeof host !== 'string') throw typeError('host', 'a string or null', host);
    if (peerCert === null) throw new WrongCertificate('the peer sent no certificate', 'ERR_NO_PEER_CERTIFICATE');
    if (this.fingerprint !== null) {
      const got = peerCert.digest('sha256').replace(/:/g, '').toUpperCase();
      if (got !== this.fingerprint) throw new WrongCertificate(`certificate fingerprint ${got} does not match the pinned ${this.fingerprint}`, 'ERR_FINGERPRINT_MISMATCH');
    }
    // The host the Checker was made for wins; otherwise the host the connection was opened to.
    const name = this.host ?? (host === null || host === undefined ? null : host.replace(/^\[(.*)\]$/, '$1'));
    // OpenSSL's matcher (X509.checkHost passes X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS); no hand-written one.
    if (name !== null && !peerCert.checkHost(name)) {
      throw new WrongHost(`the certificate does not match host ${name}`, 'HOSTNAME_MISMATCH');
    }
    return true;
  }
}

/** Options of `HTTPSConnection` (Python's keyword arguments, camelCased). */
export interface HTTPSConnectionOptions {
  /** TLS settings; `createDefaultContext()` (peer and host-name verification) when absent. */
  context?: Context | null;
  /** Milliseconds any one network wait (TCP connect, the proxy's CONNECT answer, each TLS read) may take. */
  timeout?: number | null;
  /** `[host, port]` to bind the local end to (port 0: any). */
  sourceAddress?: [string, number] | null;
  /** A client certificate (PEM file), sent when the server asks; may hold the key too. */
  certFile?: string | null;
  /** The client certificate's private key (PEM file); defaults to `certFile`. */
  keyFile?: string | null;
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
  #tls: SocketConnection | null = null;
  #file: SocketFile | null = null;
  #tunnel: { host: string; port: number; headers: Header[] } | null = null;
  #buffer: string[] = [];
  #method = 'GET';
  #pendingResponse: HTTPResponse | null = null;
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
    const checker = opts.checker;
    if (checker !== undefined && checker !== null && !(checker instanceof Checker)) throw typeError('options.checker', 'a Checker', checker);
    this.#checker = checker ?? null;
    // Only an own `false` turns the host-name check off. Anything else (absent, undefined, null, an
    // inherited false, and values of other types such as 0 or '') keeps it on: a typo or a falsy
    // value must not silently drop a security check.
    this.#checkHostname = !isOwnFalse(opts, 'checkHostname');

    this.context = context ?? createDefaultContext();
    if (certFile !== null) {
      this.context.useCertificate(loadCertificate(FILETYPE_PEM, readFileSync(certFile)));
      this.context.usePrivatekey(loadPrivatekey(FILETYPE_PEM, readFileSync(keyFile ?? certFile)));
    }
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
   * `headers` are checked as request headers are.
   * @throws TypeError / RangeError for anything else, before anything is sent.
   */
  setTunnel(host: string, port?: number | string | null, headers: Record<string, string | number | (string | number)[]> | null = {}): void {
    if (this.#tls) throw new HTTPException("can't set up a tunnel for an established connection");
    let h: unknown = host;
    let p: unknown = port;
    const split = (port === undefined || port === null) && typeof host === 'string' ? splitHostPort(host) : null;
    if (split) [h, p] = split;
    const tunnelHost = validateHost(h, 'host');
    const tunnelPort = validatePort(p, 'port', 443);
    this.#tunnel = { host: tunnelHost, port: tunnelPort, headers: validateHeaders(headers, 'headers') };
  }

  /** The host the TLS session is with: the tunnel's target, or the host itself. */
  get #target(): [string, number] {
    return this.#tunnel ? [this.#tunnel.host, this.#tunnel.port] : [this.host, this.port];
  }

  /**
   * Opens the connection (and the tunnel), runs the handshake and the post-connection checks.
   * @throws CertificateVerifyError when the chain or the host name does not verify; HTTPException
   *   (`Tunnel connection failed: ...`) when the proxy refuses, hangs up, answers too much or not in
   *   time; WrongHost/WrongCertificate from the Checker; transport errors (`ETIMEDOUT`, ...).
   */
  async connect(): Promise<void> {
    if (this.#tls) this.close();
    const [targetHost] = this.#target;
    const sock = new net.Socket();
    try {
      await this.#connectSocket(sock);
      if (this.#tunnel) await this.#openTunnel(sock);
      const tls = new SocketConnection(this.context, sock, { timeout: this.#timeout === null ? null : Math.ceil(this.#timeout) });
      tls.setConnectState();
      this.#setUpHostCheck(tls, targetHost);
      await tls.doHandshake();
      this.#checkPeer(tls, targetHost);
      this.#tls = tls;
      this.#file = tls.makefile();
    } catch (e) {
      sock.destroy();
      throw e;
    }
  }

  async #connectSocket(sock: net.Socket): Promise<void> {
    const timeout = this.#timeout;
    const timer = timeout !== null ? setTimeout(() => sock.destroy(Object.assign(new Error(`timed out after ${timeout} ms`), { code: 'ETIMEDOUT' })), timeout) : null;
    try {
      // A null prototype: node:net reads many optional fields, none of which may come from a polluted Object.prototype.
      const opts = Object.assign(Object.create(null) as net.TcpSocketConnectOpts, { host: this.host, port: this.port });
      if (this.#sourceAddress) {
        if (this.#sourceAddress[0] !== '') opts.localAddress = this.#sourceAddress[0];
        opts.localPort = this.#sourceAddress[1] || undefined;
      }
      sock.connect(opts);
      await once(sock, 'connect');
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /**
   * Decides the host-name check for this connection, whatever the Context's own `checkHostname`
   * flag says (that flag only serves as a default for bare Connections): SNI names the server (never
   * for an IP literal, RFC 6066), and `setHost` makes OpenSSL check the certificate against the name
   * or IP address during the handshake.
   */
  #setUpHostCheck(tls: SocketConnection, target: string): void {
    // With a Context whose checkHostname is set (createDefaultContext), setTlsextHostName also
    // points OpenSSL's check at this name; the calls below then confirm or clear it.
    if (net.isIP(target) === 0) tls.setTlsextHostName(target);
    if (this.#checkHostname) {
      tls.setHost(target);
    } else {
      // checkHostname: false: no host check on this connection only; the chain is still verified as
      // the Context says, and the shared Context is left untouched.
      tls.setHost(null);
    }
  }

  /** What OpenSSL does not enforce by itself in every mode, checked after the handshake. */
  #checkPeer(tls: SocketConnection, target: string): void {
    const verifying = (tls.getVerifyMode() & VERIFY_PEER) !== 0;
    if (verifying && this.context.getVerifyCallback() === null) {
      // Without a verify callback (which may accept a failure on purpose), a handshake can only
      // finish with a failed verdict in deferred mode (setVerifyDeferred): then this client is the
      // caller that must act on it.
      const err = tls.getVerifyError();
      if (err) throw err;
    }
    if (this.#checkHostname && !verifying) {
      // A Context that does not verify the peer makes OpenSSL ignore its own host check: the name is
      // still checked here, with OpenSSL's matcher, unless checkHostname is an own false.
      const cert = tls.getPeerCertificate();
      if (cert === null || !cert.checkHost(target)) {
        throw net.isIP(target) !== 0
          ? new CertificateVerifyError(X509_V_ERR_IP_ADDRESS_MISMATCH, 'IP address mismatch')
          : new CertificateVerifyError(X509_V_ERR_HOSTNAME_MISMATCH, 'hostname mismatch');
      }
    }
    if (this.#checker) this.#checker.check(tls.getPeerCertificate(), target);
  }

  /** Sends CONNECT and reads the proxy's answer: within the timeout, up to MAX_TUNNEL_REPLY bytes. */
  async #openTunnel(sock: net.Socket): Promise<void> {
    const { host, port, headers } = this.#tunnel!;
    const authority = `${formatHost(host)}:${port}`;
    const lines = [`CONNECT ${authority} HTTP/1.0`];
    if (!headers.some(([k]) => k.toLowerCase() === 'host')) lines.push(`Host: ${authority}`);
    for (const [k, v] of headers) lines.push(`${k}: ${v}`);
    const request = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
    if (this.#debug > 0) process.stderr.write(`send: ${JSON.stringify(request.toString('latin1'))}\n`);
    const [head, rest] = await readTunnelReply(sock, request, this.#timeout);
    const text = head.toString('latin1');
    if (this.#debug > 0) process.stderr.write(`reply: ${JSON.stringify(text)}\n`);
    const status = /^HTTP\/\d\.\d (\d{3})(?: ([^\r\n]*))?\r?\n/.exec(text);
    if (!status) throw new BadStatusLine(`Tunnel connection failed: bad CONNECT response from the proxy: ${show(text, 80)}`, 'ERR_TUNNEL_BAD_RESPONSE');
    if (status[1] !== '200') throw new HTTPException(`Tunnel connection failed: ${status[1]} ${(status[2] ?? '').trim()}`.trim(), 'ERR_TUNNEL');
    // Bytes after the proxy's answer belong to the TLS stream. The socket stays paused until the
    // TLS layer reads from it, so nothing is emitted with no listener in between.
    if (rest.length > 0) sock.unshift(rest);
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
    if (this.#pendingResponse && !this.#pendingResponse.isClosed()) throw new ResponseNotReady('read the previous response before sending another request', 'ERR_RESPONSE_NOT_READY');
    this.#method = m.toUpperCase();
    this.#buffer = [`${m} ${target} HTTP/1.1`];
    if (!skipHost) {
      const [h, p] = this.#target;
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
    if (this.#buffer.length === 0) throw new HTTPException('putheader before putrequest', 'ERR_NO_REQUEST');
    this.#buffer.push(`${name}: ${value}`);
  }

  /** Ends the headers and sends them, with `body` if given (httplib's `endheaders`). */
  async endheaders(body?: Buffer | Uint8Array | string | null): Promise<void> {
    const data = validateBody(body, 'body');
    if (this.#buffer.length === 0) throw new HTTPException('endheaders before putrequest', 'ERR_NO_REQUEST');
    if (!this.#tls) await this.connect();
    const head = Buffer.from(`${this.#buffer.join('\r\n')}\r\n\r\n`, 'latin1');
    this.#buffer = [];
    if (this.#debug > 0) process.stderr.write(`send: ${JSON.stringify(head.toString('latin1'))}\n`);
    await this.#tls!.sendall(data === undefined ? head : Buffer.concat([head, data]));
    this.#pendingResponse = null;
  }

  /** Sends more of the body. */
  async send(data: Buffer | Uint8Array | string): Promise<void> {
    const bytes = validateBody(data, 'data');
    if (bytes === undefined) throw typeError('data', 'a string, Buffer or Uint8Array', data);
    if (!this.#tls) await this.connect();
    await this.#tls!.sendall(bytes);
  }

  /**
   * Sends a whole request (httplib's `request`). A body gets a Content-Length. Everything is checked
   * before the connection is opened.
   */
  async request(method: string, url: string, body?: Buffer | Uint8Array | string | null, headers: Record<string, string | number | (string | number)[]> | null = {}): Promise<void> {
    const data = validateBody(body, 'body');
    const pairs = validateHeaders(headers, 'headers');
    const names = pairs.map(([k]) => k.toLowerCase());
    try {
      this.putrequest(method, url, { skipHost: names.includes('host'), skipAcceptEncoding: names.includes('accept-encoding') });
      if (data !== undefined && !names.includes('content-length') && !names.includes('transfer-encoding')) this.putheader('Content-Length', data.length);
      else if (data === undefined && ['POST', 'PUT', 'PATCH'].includes(this.#method) && !names.includes('content-length')) this.putheader('Content-Length', 0);
      for (const [k, v] of pairs) this.putheader(k, v);
    } catch (e) {
      this.#buffer = [];
      throw e;
    }
    try {
      await this.endheaders(data);
    } catch (e) {
      this.#buffer = [];
      // A kept-alive connection the server closed meanwhile: drop it, so the next request reconnects.
      if (this.#tls && e instanceof SSLError) this.close();
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

  /**
   * What `util.inspect` and `console.log` print:
   * `HTTPSConnection { host: 'example.com', port: 443, connected: true, protocol: 'TLSv1.3' }`, and
   * `tunnel: 'target:443'` through a proxy.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(
      this,
      'HTTPSConnection',
      {
        host: () => this.host,
        port: () => this.port,
        tunnel: () => (this.#tunnel === null ? undefined : `${this.#tunnel.host}:${this.#tunnel.port}`),
        connected: () => this.#tls !== null,
        protocol: () => this.#tls?.getProtocolVersionName(),
        cipher: () => this.#tls?.getCipherName() ?? undefined,
      },
      depth,
      options,
      inspectFn,
    );
  }
}

/**
 * Reads a proxy's answer to CONNECT up to its blank line: rejects with `Tunnel connection failed: ...`
 * when the proxy closes, errors, says more than MAX_TUNNEL_REPLY bytes without ending its headers,
 * or does not finish within `timeout` ms. Resolves with the answer and the bytes after it, leaving
 * the socket paused.
 */
function readTunnelReply(sock: net.Socket, request: Buffer, timeout: number | null): Promise<[Buffer, Buffer]> {
  return new Promise((resolve, reject) => {
    let buf: Buffer = Buffer.alloc(0);
    let timer: NodeJS.Timeout | null = null;
    const cleanup = (): void => {
      if (timer) clearTimeout(timer);
      sock.off('data', onData);
      sock.off('end', onEnd);
      sock.off('close', onEnd);
      sock.off('error', onError);
    };
    const fail = (why: string, code: string, cause?: unknown): void => {
      cleanup();
      sock.destroy();
      reject(new HTTPException(`Tunnel connection failed: ${why}`, code, cause === undefined ? undefined : { cause }));
    };
    function onData(chunk: Buffer): void {
      const from = Math.max(0, buf.length - 3);
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n', from);
      if (end >= 0 && end + 4 <= MAX_TUNNEL_REPLY) {
        cleanup();
        sock.pause();
        resolve([buf.subarray(0, end + 4), buf.subarray(end + 4)]);
      } else if (end >= 0 || buf.length >= MAX_TUNNEL_REPLY) {
        fail(`the proxy's answer to CONNECT is longer than ${MAX_TUNNEL_REPLY} bytes`, 'ERR_TUNNEL_REPLY_TOO_LARGE');
      }
    }
    function onEnd(): void {
      fail(buf.length === 0 ? 'the proxy closed the connection without an answer' : 'the proxy closed the connection in the middle of its answer', 'ERR_TUNNEL_CLOSED');
    }
    function onError(err: Error & { code?: string }): void {
      fail(err.message, err.code ?? 'ERR_TUNNEL', err);
    }
    if (sock.destroyed || sock.readableEnded) return onEnd();
    sock.on('data', onData);
    sock.on('end', onEnd);
    sock.on('close', onEnd);
    sock.on('error', onError);
    if (timeout !== null) timer = setTimeout(() => fail(`the proxy did not answer within ${timeout} ms`, 'ETIMEDOUT'), timeout);
    sock.write(request);
    sock.resume();
  });
}

/**
 * A response (Python's `http.client.HTTPResponse`): status line and headers are read by
 * `getresponse()`; the body with `read(amt)`, `readline()` or `for await`.
 */
export class HTTPResponse {
  /** The status code (`200`). */
  status = 0;
  /** The reason phrase (`OK`). */
  reason = '';
  /** 11 for HTTP/1.1, 10 for HTTP/1.0. */
  version = 11;
  /** Header names are lower-cased; repeated headers are joined with `, `. */
  headers: Record<string, string> = {};
  #raw: Header[] = [];
  /** The server's certificate. */
  readonly peerCertificate: X509 | null;
  /** Whether the connection closes after this response (no keep-alive). */
  willClose = false;
  #file: SocketFile;
  #method: string;
  #remaining: number | null = null;
  #chunked = false;
  #chunkLeft = 0;
  #closed = false;
  #onDone: () => void;
  #debug: number;

  static {
    brandClass(this, '@ossl/https-client:HTTPResponse');
  }

  /**
   * Responses come from `HTTPSConnection.getresponse()`.
   * @param file the connection's file object to read from.
   * @param method the request's method (a HEAD response has no body).
   * @param peer the server's certificate.
   * @param onDone called once the body has been read to its end.
   * @param debug the connection's debug level.
   */
  constructor(file: SocketFile, method: string, peer: X509 | null, onDone: () => void, debug = 0) {
    this.#file = file;
    this.#method = method;
    this.peerCertificate = peer;
    this.#onDone = onDone;
    this.#debug = debug;
  }

  /**
   * Reads the status line and headers, skipping 1xx responses (`getresponse()` calls it).
   * @internal
   */
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

  /** Iterates over the body in chunks (`for await (const chunk of res)`). */
  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (let chunk = await this.read(16384); chunk.length > 0; chunk = await this.read(16384)) yield chunk;
  }

  /**
   * What `util.inspect` and `console.log` print:
   * `HTTPResponse { status: 200, reason: 'OK', version: 'HTTP/1.1', closed: false, willClose: false }`.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(
      this,
      'HTTPResponse',
      {
        status: () => this.status,
        reason: () => printable(this.reason),
        version: () => `HTTP/${Math.floor(this.version / 10)}.${this.version % 10}`,
        length: () => this.headers['content-length'],
        closed: () => this.#closed,
        willClose: () => this.willClose,
      },
      depth,
      options,
      inspectFn,
    );
  }
}

/** Options of `ProxyHTTPSConnection`: HTTPSConnection's, and the proxy's credentials. */
export interface ProxyHTTPSConnectionOptions extends HTTPSConnectionOptions {
  /** Credentials for the proxy, sent as `Proxy-Authorization: Basic ...` with CONNECT (M2Crypto). */
  username?: string | null;
  /** The password for `username`. */
  password?: string | null;
}

/**
 * M2Crypto's `ProxyHTTPSConnection`: requests go to the proxy, and a request for an absolute
 * `https://host[:port]/path` URL opens a CONNECT tunnel to that host first.
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
  /** The request body. */
  body?: Buffer | Uint8Array | string | null;
  /** TLS settings; `createDefaultContext()` when absent. */
  context?: Context | null;
  /** Milliseconds any one network wait may take. */
  timeout?: number | null;
  /** A post-connection check: host name and pinned fingerprint. */
  checker?: Checker | null;
  /** See HTTPSConnectionOptions.checkHostname: only an own `false` turns the host-name check off. */
  checkHostname?: boolean | null;
  /** An HTTP proxy `[host, port]` to tunnel through. */
  proxy?: [string, number] | null;
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
  const body = validateBody(opts.body, 'options.body');
  const proxy = opts.proxy === undefined || opts.proxy === null ? null : validateAddress(opts.proxy, 'options.proxy', false);
  const connOpts: HTTPSConnectionOptions = { context: opts.context, timeout: opts.timeout, checker: opts.checker, checkHostname: opts.checkHostname };
  const conn = proxy ? new HTTPSConnection(proxy[0], proxy[1], connOpts) : new HTTPSConnection(host, port, connOpts);
  if (proxy) conn.setTunnel(host, port);
  // A null prototype: a header named "__proto__" is a header like any other.
  const all: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!headers.some(([k]) => k.toLowerCase() === 'connection')) all.Connection = 'close';
  for (const [k, v] of headers) all[k] = v;
  try {
    await conn.request(method, `${u.pathname}${u.search}`, body, all);
    const res = await conn.getresponse();
    const data = await res.read();
    return { status: res.status, reason: res.reason, headers: res.headers, body: data, peerCertificate: res.peerCertificate };
  } finally {
    conn.close();
  }
}
