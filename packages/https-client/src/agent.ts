// A node:https Agent whose TLS is ossl's: node:http's client machinery (keep-alive pooling, request
// and response parsing) over @ossl/compat-net sockets. Works with https.request({agent}) and with any
// library that takes an https agent.
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { connect, type ConnectOptions, type SecureSocket } from '@ossl/compat-net';
import { brandClass, ownOptions, typeError } from '@ossl/crypto/internal';
import { Context } from '@ossl/ssl';

import { Checker } from './checker.js';
import { sameContextOptions, SharedSecureContext } from './internal/secure-context.js';

/** Options of `Agent`: node:https.Agent's, node:tls's TLS options, and ossl's `context` and `checker`. */
export interface AgentOptions extends https.AgentOptions {
  /** TLS settings as an @ossl/ssl Context, used as they are (verify callbacks, CRL flags, PHA, keylog...). */
  context?: Context;
  /** An M2Crypto-style Checker run on every new connection: host name (OpenSSL's matcher) and a SHA-256 pin. */
  checker?: Checker;
}

/**
 * node:https's Agent with ossl's TLS: `new Agent(options)` takes node:https.Agent's options (keepAlive,
 * maxSockets, maxCachedSessions, ...) and node:tls's TLS options; its sockets are @ossl/compat-net
 * TLSSockets, verified by default (chain and host name, OpenSSL's matcher). Sessions are cached per
 * host and resumed, as node:https does.
 *
 * ```ts
 * https.get('https://example.com/', { agent: new Agent({ keepAlive: true }) }, (res) => res.pipe(process.stdout));
 * ```
 */
export class Agent extends https.Agent {
  /** The Checker run on each new connection, or null. */
  readonly checker: Checker | null;
  /** The @ossl/ssl Context every connection uses, or null (one built from the TLS options). */
  readonly context: Context | null;
  #shared: SharedSecureContext;

  static {
    brandClass(this, '@ossl/https-client:Agent');
  }

  /**
   * @param options node:https.Agent's options, node:tls's TLS options, `context` and `checker`.
   * @throws TypeError naming the option for a `context` or `checker` of the wrong type.
   */
  constructor(options: AgentOptions = {}) {
    const o = ownOptions(options, 'options') as Record<string, unknown>;
    const checker = o.checker ?? null;
    if (checker !== null && !(checker instanceof Checker)) throw typeError('options.checker', 'a Checker', checker);
    const context = o.context ?? null;
    if (context !== null && !(context instanceof Context)) throw typeError('options.context', 'an @ossl/ssl Context', context);
    super(o as https.AgentOptions);
    this.checker = checker as Checker | null;
    this.context = context as Context | null;
    this.#shared = new SharedSecureContext(o);
  }

  /**
   * Opens a connection for node:http (called by the Agent, not by applications): node:https's
   * `createConnection`, on @ossl/compat-net, with the Agent's session cache.
   */
  override createConnection(options: https.RequestOptions): Duplex {
    const agent = this as unknown as {
      _getSession(key: string): Buffer | undefined;
      _cacheSession(key: string, session: Buffer): void;
      _evictSession(key: string): void;
    };
    const o = { ...options } as unknown as ConnectOptions & { _agentKey?: string };
    if (this.context !== null) o.context = this.context;
    // The agent's own TLS options (not overridden by the request): the context built for them once.
    else if (o.secureContext === undefined && sameContextOptions(o, (this as unknown as { options: object }).options)) o.secureContext = this.#shared.get();
    const key = o._agentKey;
    if (key && o.session === undefined) {
      const session = agent._getSession(key);
      if (session) o.session = session;
    }
    const socket: SecureSocket = connect(o);
    if (key) {
      socket.on('session', (session: Buffer) => agent._cacheSession(key, session));
      socket.once('close', (hadError: boolean) => {
        if (hadError) agent._evictSession(key);
      });
    }
    const checker = this.checker;
    if (checker !== null) {
      socket.once('secureConnect', () => {
        try {
          checker.check(socket.connection.getPeerCertificate(), o.servername || o.host || null);
        } catch (e) {
          socket.destroy(e as Error);
        }
      });
    }
    return socket;
  }
}
