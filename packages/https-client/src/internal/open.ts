// Opening one verified TLS connection for https-client's own clients (HTTPSConnection and the fetch
// connector): TCP, or a CONNECT tunnel through a proxy (read by node:http's parser), then the
// handshake on an @ossl/compat-net socket and the checks after it. Each wait has its own timeout.
import http from 'node:http';
import net from 'node:net';
import { connect, type ConnectOptions, type SecureSocket } from '@ossl/compat-net';
import { CertificateVerifyError, Context, VERIFY_PEER } from '@ossl/ssl';

import type { Checker } from '../checker.js';
import { BadStatusLine, HTTPException } from '../errors.js';
import { formatHost } from './validate.js';

/** The longest answer to CONNECT (status line and headers) a proxy may give; more is an error. */
export const MAX_TUNNEL_REPLY = 64 * 1024;
/** OpenSSL's X509_V_ERR_HOSTNAME_MISMATCH and X509_V_ERR_IP_ADDRESS_MISMATCH. */
const X509_V_ERR_HOSTNAME_MISMATCH = 62;
const X509_V_ERR_IP_ADDRESS_MISMATCH = 64;

/** A CONNECT tunnel to `host`:`port`, with extra headers for the proxy (already checked). */
export interface Tunnel {
  /** The host the tunnel leads to (and the TLS session is with). */
  host: string;
  /** Its port. */
  port: number;
  /** Headers for the proxy only (Proxy-Authorization, ...). */
  headers: [string, string][];
}

/** What `openTls` needs. */
export interface OpenOptions {
  /** The server, or the proxy when `tunnel` is set. */
  host: string;
  /** Its port. */
  port: number;
  /** A tunnel to open through the proxy at host:port first, or null. */
  tunnel: Tunnel | null;
  /** compat-net's TLS options: an @ossl/ssl `context`, or node:tls's options (ca, cert, key, pfx, ...). */
  tls: ConnectOptions;
  /** With a `context`: check the host name (also when the context itself does not verify). */
  checkHostname: boolean;
  /** A post-connection Checker, or null. */
  checker: Checker | null;
  /** Milliseconds each wait (TCP connect, the proxy's answer, the handshake) may take, or null. */
  timeout: number | null;
  /** The local address and port to bind to. */
  localAddress?: string;
  /** The local port to bind to (0 or absent: any). */
  localPort?: number;
  /** Aborts the attempt. */
  signal?: AbortSignal | null;
  /** Report verification failures as @ossl/ssl's CertificateVerifyError (true) or as node:tls does. */
  verifyErrors: boolean;
}

/** A timeout error, as node's sockets word it. */
export function timeoutError(ms: number, what: string): Error {
  return Object.assign(new Error(`${what} timed out after ${ms} ms`), { code: 'ETIMEDOUT' });
}

/**
 * Waits for `event` on `emitter`, failing on 'error' (and 'close' before it), after `timeout` ms, or
 * when `signal` aborts; `onFail` runs first (to destroy what is half open).
 */
function phase<T>(
  start: (done: (value: T) => void, fail: (err: unknown) => void) => () => void,
  timeout: number | null,
  what: string,
  signal: AbortSignal | null | undefined,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let stop: () => void = () => undefined;
    const finish = (): void => {
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      stop();
    };
    const done = (value: T): void => {
      if (settled) return;
      finish();
      resolve(value);
    };
    const fail = (err: unknown): void => {
      if (settled) return;
      finish();
      reject(err);
    };
    const onAbort = (): void => fail(signal!.reason);
    const timer = timeout === null ? null : setTimeout(() => fail(timeoutError(timeout, what)), timeout);
    if (signal?.aborted) return fail(signal.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    stop = start(done, fail);
    if (settled) stop();
  });
}

/** A TCP connection to host:port. */
function openTcp(o: OpenOptions): Promise<net.Socket> {
  // A null prototype: node:net reads many optional fields, none of which may come from a polluted Object.prototype.
  // noDelay: requests are written whole; Nagle would only hold back a small one (node:http sets it too).
  const opts = Object.assign(Object.create(null) as net.TcpNetConnectOpts, { host: o.host, port: o.port, noDelay: true });
  if (o.localAddress) opts.localAddress = o.localAddress;
  if (o.localPort) opts.localPort = o.localPort;
  const sock = net.connect(opts);
  return phase<net.Socket>(
    (done, fail) => {
      const onConnect = (): void => done(sock);
      const onError = (e: Error): void => {
        sock.destroy();
        fail(e);
      };
      sock.once('connect', onConnect);
      sock.once('error', onError);
      return () => {
        sock.off('connect', onConnect);
        sock.off('error', onError);
      };
    },
    o.timeout,
    'connect',
    o.signal,
  ).catch((e: unknown) => {
    sock.destroy();
    throw e;
  });
}

/**
 * Opens a CONNECT tunnel with node:http (its parser reads the proxy's answer, up to
 * MAX_TUNNEL_REPLY bytes) and resolves with the socket, positioned after the answer.
 */
function openTunnel(o: OpenOptions, tunnel: Tunnel): Promise<net.Socket> {
  const authority = `${formatHost(tunnel.host)}:${tunnel.port}`;
  const headers: string[] = [];
  if (!tunnel.headers.some(([k]) => k.toLowerCase() === 'host')) headers.push('Host', authority);
  for (const [k, v] of tunnel.headers) headers.push(k, v);
  const options = Object.assign(Object.create(null) as http.RequestOptions, {
    method: 'CONNECT',
    host: o.host,
    port: o.port,
    path: authority,
    headers,
    setHost: false,
    agent: false,
    maxHeaderSize: MAX_TUNNEL_REPLY,
  });
  if (o.localAddress) options.localAddress = o.localAddress;
  if (o.localPort) (options as { localPort?: number }).localPort = o.localPort;
  const failed = (why: string, code: string, cause?: unknown): HTTPException =>
    new HTTPException(`Tunnel connection failed: ${why}`, code, cause === undefined ? undefined : { cause });
  const req = http.request(options);
  return phase<net.Socket>(
    (done, fail) => {
      req.on('connect', (res: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
        if (res.statusCode !== 200) {
          socket.destroy();
          return fail(failed(`${res.statusCode} ${res.statusMessage ?? ''}`.trim(), 'ERR_TUNNEL'));
        }
        // Bytes after the answer belong to the TLS stream.
        if (head.length > 0) socket.unshift(head);
        socket.setNoDelay(true);
        done(socket);
      });
      req.on('response', (res: http.IncomingMessage) => {
        res.destroy();
        fail(failed(`${res.statusCode} ${res.statusMessage ?? ''}`.trim(), 'ERR_TUNNEL'));
      });
      req.on('error', (e: Error & { code?: string }) => {
        const code = e.code ?? '';
        if (code === 'HPE_HEADER_OVERFLOW') return fail(failed(`the proxy's answer to CONNECT is longer than ${MAX_TUNNEL_REPLY} bytes`, 'ERR_TUNNEL_REPLY_TOO_LARGE', e));
        if (code === 'HPE_INVALID_EOF_STATE' || e.message === 'socket hang up') {
          return fail(failed('the proxy closed the connection without a complete answer', 'ERR_TUNNEL_CLOSED', e));
        }
        if (code.startsWith('HPE_')) {
          const raw = (e as { rawPacket?: Buffer }).rawPacket;
          const text = raw ? JSON.stringify(raw.subarray(0, 80).toString('latin1')) : code;
          return fail(new BadStatusLine(`Tunnel connection failed: bad CONNECT response from the proxy: ${text}`, 'ERR_TUNNEL_BAD_RESPONSE', { cause: e }));
        }
        fail(failed(e.message, code || 'ERR_TUNNEL', e));
      });
      req.end();
      return () => undefined;
    },
    o.timeout,
    'the proxy did not answer: CONNECT',
    o.signal,
  ).catch((e: unknown) => {
    req.destroy();
    if ((e as { code?: string }).code === 'ETIMEDOUT' && !(e instanceof HTTPException)) {
      throw failed(`the proxy did not answer within ${o.timeout} ms`, 'ETIMEDOUT', e);
    }
    throw e;
  });
}

/**
 * A verification failure of compat-net (node:tls's shape) as @ossl/ssl's CertificateVerifyError, the
 * original as its `cause`; anything else as it is.
 */
export function asVerifyError(e: unknown, name: string): unknown {
  if (e instanceof CertificateVerifyError || !(e instanceof Error)) return e;
  const err = e as Error & { code?: string; verifyCode?: number };
  let out: CertificateVerifyError | null = null;
  if (typeof err.verifyCode === 'number') out = new CertificateVerifyError(err.verifyCode, err.message);
  else if (err.code === 'ERR_TLS_CERT_ALTNAME_INVALID') out = mismatch(name);
  if (out === null) return e;
  Object.defineProperty(out, 'cause', { value: e, enumerable: false, configurable: true, writable: true });
  return out;
}

function mismatch(name: string): CertificateVerifyError {
  return net.isIP(name) !== 0
    ? new CertificateVerifyError(X509_V_ERR_IP_ADDRESS_MISMATCH, 'IP address mismatch')
    : new CertificateVerifyError(X509_V_ERR_HOSTNAME_MISMATCH, 'hostname mismatch');
}

/**
 * Opens a TLS connection as `o` says and resolves once it is verified and checked: the chain and
 * host name (OpenSSL's own checks; with a `context` that verifies nothing, the host name is still
 * checked, unless `checkHostname` is false), then the Checker.
 */
export async function openTls(o: OpenOptions): Promise<SecureSocket> {
  const raw = o.tunnel ? await openTunnel(o, o.tunnel) : await openTcp(o);
  const target = o.tunnel ? o.tunnel.host : o.host;
  const opts = Object.assign(Object.create(null) as ConnectOptions, o.tls, { socket: raw, host: target, port: o.tunnel ? o.tunnel.port : o.port });
  const context = opts.context instanceof Context ? opts.context : null;
  let checkAfter = false;
  // A forged Context (a brand without a native handle) is left for compat-net to refuse.
  if (context !== null && typeof context.getVerifyMode === 'function') {
    // A context that verifies nothing: no chain verdict to insist on; the name is checked below.
    if ((context.getVerifyMode() & VERIFY_PEER) === 0) {
      opts.rejectUnauthorized = false;
      checkAfter = o.checkHostname;
    }
    if (!o.checkHostname) opts.checkServerIdentity = () => undefined;
  }
  if (opts.servername === undefined) opts.servername = net.isIP(target) === 0 ? target : '';
  let socket: SecureSocket;
  try {
    socket = connect(opts);
  } catch (e) {
    raw.destroy();
    throw e;
  }
  try {
    await phase<void>(
      (done, fail) => {
        const onSecure = (): void => done();
        const onError = (e: Error): void => fail(e);
        const onClose = (): void => fail(Object.assign(new Error('Client network socket disconnected before secure TLS connection was established'), { code: 'ECONNRESET' }));
        socket.once('secureConnect', onSecure);
        socket.once('error', onError);
        socket.once('close', onClose);
        return () => {
          socket.off('secureConnect', onSecure);
          socket.off('error', onError);
          socket.off('close', onClose);
        };
      },
      o.timeout,
      'TLS handshake',
      o.signal,
    );
    const peer = socket.connection.getPeerCertificate();
    if (checkAfter && (peer === null || !peer.checkHost(target))) throw mismatch(target);
    if (o.checker !== null) o.checker.check(peer, target);
  } catch (e) {
    socket.destroy();
    raw.destroy();
    throw o.verifyErrors ? asVerifyError(e, opts.servername || target) : e;
  }
  return socket;
}
