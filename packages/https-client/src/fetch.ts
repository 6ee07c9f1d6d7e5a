// WHATWG fetch over ossl's TLS: undici's fetch and Agent (HTTP, redirects, bodies, AbortSignal are
// undici's) with a connector that opens @ossl/compat-net connections, verified by default.
import net from 'node:net';
import { createSecureContext, type ConnectOptions, type SecureSocket } from '@ossl/compat-net';
import { ownOptions, typeError } from '@ossl/crypto/internal';
import { Context } from '@ossl/ssl';
import { Agent as UndiciAgent, fetch as undiciFetch, type Dispatcher, type RequestInfo, type RequestInit, type Response } from 'undici';

import { Checker } from './checker.js';
import { openTls } from './internal/open.js';
import { contextOptions } from './internal/secure-context.js';
import { SessionCache } from './internal/sessions.js';
import { validateTimeout } from './internal/validate.js';

/** undici Agent options that `createDispatcher` passes on as they are. */
const POOL_OPTIONS = ['connections', 'keepAliveTimeout', 'keepAliveMaxTimeout', 'keepAliveTimeoutThreshold', 'headersTimeout', 'bodyTimeout', 'pipelining', 'maxHeaderSize', 'maxResponseSize'] as const;

/**
 * Options of `createDispatcher` and `fetch`'s `init.tls`: node:tls's TLS options (ca, cert, key, pfx,
 * passphrase, servername, minVersion, ciphers, rejectUnauthorized, checkServerIdentity, ...), an
 * @ossl/ssl `context` used as it is, a `checker`, and undici's pool options.
 */
export interface DispatcherOptions extends Omit<ConnectOptions, 'host' | 'port' | 'path' | 'socket' | 'timeout' | 'signal' | 'lookup'> {
  /** TLS settings as an @ossl/ssl Context (verify callbacks, CRL flags, PHA, keylog...). */
  context?: Context;
  /** An M2Crypto-style Checker run on every new connection: host name (OpenSSL's matcher) and a SHA-256 pin. */
  checker?: Checker;
  /** With a `context`: only an own `false` turns the host-name check off (never the chain check). */
  checkHostname?: boolean;
  /** Milliseconds the TCP connect, and then the handshake, may each take (default 10 000, undici's). */
  connectTimeout?: number;
  /** Connections per origin (undici's `connections`, default unlimited). */
  connections?: number;
  /** How long an idle connection is kept, in ms (undici's default 4 000). */
  keepAliveTimeout?: number;
  /** The most a server's `Keep-Alive: timeout` hint may keep a connection, in ms. */
  keepAliveMaxTimeout?: number;
  /** How much earlier than the server's hint a connection is dropped, in ms. */
  keepAliveTimeoutThreshold?: number;
  /** How long to wait for a response head, in ms. */
  headersTimeout?: number;
  /** How long a response body may pause, in ms. */
  bodyTimeout?: number;
  /** Requests pipelined per connection (default 1). */
  pipelining?: number;
  /** The largest response head, in bytes. */
  maxHeaderSize?: number;
  /** The largest response body, in bytes (-1: no limit). */
  maxResponseSize?: number;
}

/**
 * An undici Dispatcher whose connections are ossl TLS connections: for `fetch(url, {dispatcher})`
 * (this package's or Node's global fetch) and undici's own `request`/`stream`/`pipeline`. Verification
 * is on by default (chain and host name, OpenSSL's matcher); sessions are resumed per host.
 *
 * ```ts
 * const dispatcher = createDispatcher({ ca: readFileSync('ca.pem') });
 * const res = await fetch('https://example.test/', { dispatcher });
 * ```
 *
 * @throws TypeError naming the option for a `context`, `checker` or timeout of the wrong type.
 */
export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const o = ownOptions(options, 'options') as Record<string, unknown>;
  const context = o.context ?? null;
  if (context !== null && !(context instanceof Context)) throw typeError('options.context', 'an @ossl/ssl Context', context);
  const checker = o.checker ?? null;
  if (checker !== null && !(checker instanceof Checker)) throw typeError('options.checker', 'a Checker', checker);
  const connectTimeout = validateTimeout(o.connectTimeout, 'options.connectTimeout') ?? 10_000;
  const checkHostname = !(Object.hasOwn(o, 'checkHostname') && o.checkHostname === false);
  const pool: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of POOL_OPTIONS) {
    if (o[key] !== undefined) pool[key] = o[key];
    delete o[key];
  }
  for (const key of ['checker', 'connectTimeout', 'checkHostname']) delete o[key];
  const tls = o as ConnectOptions;
  if (tls.ALPNProtocols === undefined) tls.ALPNProtocols = ['http/1.1'];
  // undici 7's HTTP/1 parser asserts it is not paused when the socket ends (nodejs/undici#5360, fixed
  // in undici 8 only): the end is delivered once the parser has read everything and asks for more.
  tls.deferEnd = true;
  const sessions = new SessionCache();
  // One context for every connection (built now: bad TLS options fail here, not at the first fetch).
  if (context === null && tls.secureContext === undefined) tls.secureContext = createSecureContext(contextOptions(tls));

  const connect = (target: { hostname: string; protocol: string; port: string; servername?: string; localAddress?: string | null }, callback: (...args: [null, net.Socket] | [Error, null]) => void): void => {
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
    if (target.protocol === 'http:') {
      // Plain HTTP (a redirect may lead there): TCP only.
      const sock = net.connect({ host, port: Number(target.port) || 80, localAddress: target.localAddress ?? undefined });
      sock.once('connect', () => callback(null, sock));
      sock.once('error', (e) => callback(e, null));
      return;
    }
    const port = Number(target.port) || 443;
    const key = `${host}:${port}`;
    const per = Object.assign(Object.create(null) as ConnectOptions, tls);
    if (per.servername === undefined) per.servername = target.servername || (net.isIP(host) === 0 ? host : '');
    const session = sessions.get(key);
    if (session !== undefined && per.session === undefined) per.session = session;
    openTls({ host, port, tunnel: null, tls: per, checkHostname, checker: checker as Checker | null, timeout: connectTimeout, localAddress: target.localAddress ?? undefined, verifyErrors: true }).then(
      (socket: SecureSocket) => {
        socket.on('session', (s: Buffer) => sessions.set(key, s));
        callback(null, socket);
      },
      (e: Error) => {
        // A session that did not lead to a verified connection is not offered again. (undici closes
        // every connection with an error, so its 'close' says nothing about the session.)
        sessions.delete(key);
        callback(e, null);
      },
    );
  };
  return new UndiciAgent({ ...pool, connect });
}

/** `fetch`'s init: WHATWG RequestInit (undici's), and `tls` for a connection with other TLS options. */
export type FetchInit = RequestInit & {
  /** TLS options for this request's connections (as `createDispatcher`'s); connections are pooled per `tls` object. */
  tls?: DispatcherOptions;
};

let defaultDispatcher: Dispatcher | null = null;
const byTlsOptions = new WeakMap<object, Dispatcher>();

/**
 * WHATWG fetch over ossl TLS (undici's fetch with `createDispatcher`'s connections): redirects,
 * AbortSignal, streamed request and response bodies as fetch does them. Failures are fetch's:
 * `TypeError('fetch failed')` whose `cause` is the TLS error (`CertificateVerifyError` with
 * `verifyCode`/`code` when verification fails).
 *
 * ```ts
 * const res = await fetch('https://example.test/data', { tls: { ca: readFileSync('ca.pem') } });
 * console.log(res.status, await res.json());
 * ```
 */
export function fetch(input: RequestInfo, init?: FetchInit): Promise<Response> {
  if (init === undefined || init === null) return undiciFetch(input, { dispatcher: (defaultDispatcher ??= createDispatcher()) });
  if (typeof init !== 'object') return Promise.reject(typeError('init', 'an object', init));
  // Own properties only: a polluted Object.prototype must not choose TLS options.
  const tls = Object.hasOwn(init, 'tls') ? init.tls : undefined;
  const rest: RequestInit = { ...init };
  delete (rest as FetchInit).tls;
  if (tls !== undefined && tls !== null && (typeof tls !== 'object' || Array.isArray(tls))) return Promise.reject(typeError('init.tls', 'an object of TLS options', tls));
  if (tls && rest.dispatcher !== undefined) return Promise.reject(typeError('init.tls', 'absent when init.dispatcher is given', tls));
  let dispatcher = rest.dispatcher;
  if (dispatcher === undefined) {
    if (tls) {
      dispatcher = byTlsOptions.get(tls);
      if (dispatcher === undefined) {
        try {
          dispatcher = createDispatcher(tls);
        } catch (e) {
          return Promise.reject(e);
        }
        byTlsOptions.set(tls, dispatcher);
      }
    } else dispatcher = defaultDispatcher ??= createDispatcher();
  }
  return undiciFetch(input, { ...rest, dispatcher });
}
