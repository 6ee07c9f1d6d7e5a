// node:tls's deprecated createSecurePair: a TLSSocket (`cleartext`) whose transport is one end of an
// in-memory duplex pair, the other end (`encrypted`) carrying the records. Kept for old code.
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';

import { moduleRef } from './defaults.js';
import { SecureContext } from './secure-context.js';
import { SecureSocket, type SecureSocketOptions } from './secure-socket.js';

const kPeer = Symbol('peer');
const kResume = Symbol('resume');

/** One end of an in-memory duplex pair: what is written to it is read from the other end. */
class PairEnd extends Duplex {
  [kPeer]: PairEnd | null = null;
  [kResume]: (() => void) | null = null;

  override _read(): void {
    const resume = this[kResume];
    if (resume !== null) {
      this[kResume] = null;
      resume();
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    const peer = this[kPeer]!;
    if (chunk.length === 0) {
      process.nextTick(callback);
      return;
    }
    // The write completes when the other end's reader takes it (back-pressure across the pair).
    if (peer.push(chunk)) process.nextTick(callback);
    else peer[kResume] = () => callback();
  }

  override _final(callback: (err?: Error | null) => void): void {
    const peer = this[kPeer]!;
    peer.once('end', () => callback());
    peer.push(null);
  }
}

/** node:tls's SecurePair: `cleartext` (a TLSSocket) and `encrypted` (its records), and a 'secure' event. */
export class SecurePair extends EventEmitter {
  /** The TLS socket: plaintext in and out. */
  readonly cleartext: SecureSocket;
  /** The records: write what the peer sent, read what to send it. */
  readonly encrypted: Duplex;
  /** The secure context in use. */
  readonly credentials: SecureContext;
  /** The server given in the options, if any. */
  readonly server: unknown;

  /**
   * @param secureContext the context (a new default one when absent).
   * @param isServer act as the server.
   * @param requestCert servers: ask for a client certificate (default: clients do, servers not).
   * @param rejectUnauthorized refuse an unverified peer.
   * @param options more TLSSocket options.
   * @throws TypeError (ERR_TLS_INVALID_CONTEXT) when `secureContext` is not a SecureContext.
   */
  constructor(secureContext?: SecureContext | null, isServer = false, requestCert = !isServer, rejectUnauthorized = false, options: SecureSocketOptions = {}) {
    super();
    const context = (secureContext ?? (moduleRef.current?.createSecureContext({}) as SecureContext | undefined)) as SecureContext;
    const a = new PairEnd();
    const b = new PairEnd();
    a[kPeer] = b;
    b[kPeer] = a;
    this.server = (options as { server?: unknown }).server;
    this.credentials = context;
    this.encrypted = a;
    this.cleartext = new SecureSocket(b, { ...options, secureContext: context, isServer, requestCert, rejectUnauthorized });
    this.cleartext.once('secure', () => this.emit('secure'));
  }

  /** Destroys both ends. */
  destroy(): void {
    this.cleartext.destroy();
    this.encrypted.destroy();
  }
}

let warned = false;

/**
 * node:tls's deprecated `createSecurePair(context, isServer, requestCert, rejectUnauthorized, options)`
 * (DEP0064): use `new TLSSocket(socket, options)` instead.
 */
export function createSecurePair(secureContext?: SecureContext | null, isServer?: boolean, requestCert?: boolean, rejectUnauthorized?: boolean, options?: SecureSocketOptions): SecurePair {
  if (!warned) {
    warned = true;
    process.emitWarning('tls.createSecurePair() is deprecated. Please use tls.TLSSocket instead.', 'DeprecationWarning', 'DEP0064');
  }
  return new SecurePair(secureContext, isServer, requestCert, rejectUnauthorized, options);
}
