// DTLS over real datagrams (node:dgram): a client association (DTLSSocket.connect) and a server that
// accepts many peers on one socket (DTLSServer), with OpenSSL's stateless cookie exchange
// (DTLSv1_listen) and its retransmission timer. Each received datagram is handed to the engine on
// its own (OpenSSL drops the rest of a packet after a bad record), and what the engine writes is cut
// back into datagrams at record boundaries, none over the MTU unless one record is.
import { createHmac, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { EventEmitter, once } from 'node:events';
import { isIP } from 'node:net';
import { lookup } from 'node:dns/promises';

import { DTLS_CLIENT_METHOD, DTLS_METHOD, DTLS_SERVER_METHOD, OP_NO_QUERY_MTU } from './constants.js';
import { Connection } from './connection.js';
import { Context, contextMethod } from './context.js';
import { SSLError, SysCallError, WantReadError, ZeroReturnError, transportError } from './errors.js';
import { brandClass, expectInteger, ownOptions, typeError } from '@ossl/crypto/internal';

/** The largest plaintext of one DTLS record. */
const MAX_RECORD = 16384;

/** Refuses a Context that cannot be this side of DTLS (a TLS one would wait for ever on datagrams). */
function expectDtlsContext(context: unknown, side: 'client' | 'server'): Context {
  if (!(context instanceof Context)) throw typeError('context', 'a Context', context);
  const method = contextMethod(context);
  const ok = method === DTLS_METHOD || method === (side === 'client' ? DTLS_CLIENT_METHOD : DTLS_SERVER_METHOD);
  if (!ok) throw typeError('context', `a DTLS Context (DTLS_METHOD or DTLS_${side.toUpperCase()}_METHOD)`, context);
  return context;
}

/**
 * The built-in cookies: an HMAC of the peer's address under a key of each Context. Kept per
 * module, so that two servers on one Context answer for each other's peers; a Connection no
 * DTLSServer made has no address, so its cookies never verify.
 */
const peerOfConnection = new WeakMap<Connection, string>();
const cookieKeys = new WeakMap<Context, Buffer>();

/** A DTLS record header: type (1), version (2), epoch (2), sequence number (6), length (2). */
const RECORD_HEADER = 13;
/** The default path MTU for the ciphertext: safe on IPv4 and IPv6 paths without fragmentation. */
const DEFAULT_MTU = 1200;
const ETIMEDOUT = 110;

/**
 * Cuts the engine's output (whole DTLS records, concatenated by the memory BIO) into datagrams of at
 * most `mtu` bytes at record boundaries. A record longer than `mtu` travels alone.
 */
export function splitRecords(bytes: Buffer, mtu: number): Buffer[] {
  const datagrams: Buffer[] = [];
  let start = 0;
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < RECORD_HEADER) {
      at = bytes.length; // not a record: sent as it is, with what precedes it
      break;
    }
    const end = at + RECORD_HEADER + bytes.readUInt16BE(at + 11);
    if (end - start > mtu && at > start) {
      datagrams.push(bytes.subarray(start, at));
      start = at;
    }
    at = Math.min(end, bytes.length);
  }
  if (at > start) datagrams.push(bytes.subarray(start, at));
  return datagrams;
}

/** Options shared by DTLS clients and servers. */
export interface DTLSOptions {
  /** The path MTU in bytes of ciphertext (default 1200); OpenSSL fragments handshake messages to fit. */
  mtu?: number;
  /** Milliseconds a handshake may take before it fails with ETIMEDOUT (default 30000; null: forever). */
  handshakeTimeout?: number | null;
}

/** Options of `DTLSSocket.connect`. */
export interface DTLSConnectOptions extends DTLSOptions {
  /** The server's port. */
  port: number;
  /** The server's host name or address (default `localhost`). */
  host?: string;
  /** The name sent as SNI (and checked when the Context's `checkHostname` is on); default `host` when it is a name. */
  servername?: string | null;
}

function readDtlsOptions(options: DTLSOptions): { mtu: number; handshakeTimeout: number | null } {
  const mtu = options.mtu === undefined ? DEFAULT_MTU : expectInteger(options.mtu, 'mtu');
  if (mtu < 256 || mtu > 65507) throw new RangeError(`"mtu" must be 256 to 65507, got ${mtu}`);
  const handshakeTimeout = options.handshakeTimeout === undefined ? 30_000 : options.handshakeTimeout;
  if (handshakeTimeout !== null && (expectInteger(handshakeTimeout, 'handshakeTimeout') < 0 || handshakeTimeout > 0x7fffffff)) {
    throw new RangeError(`"handshakeTimeout" must be 0 to 2147483647 ms or null, got ${handshakeTimeout}`);
  }
  return { mtu, handshakeTimeout };
}

/** How a DTLSSocket sends a datagram to its peer. */
type SendFn = (datagram: Buffer) => void;

/**
 * One DTLS association: a client made by `DTLSSocket.connect`, or a server side handed out by
 * `DTLSServer`. Each `send` is one record; each `'message'` one record's plaintext.
 *
 * Events: `'message'` (Buffer), `'close'` (after the peer's close_notify, `close()`, or an error),
 * `'error'` (Error).
 */
export class DTLSSocket extends EventEmitter {
  /** The sans-IO engine. */
  readonly connection: Connection;
  /** The peer's address. */
  readonly remoteAddress: string;
  /** The peer's port. */
  readonly remotePort: number;
  readonly #send: SendFn;
  readonly #mtu: number;
  readonly #onClose: (() => void) | null;
  #timer: NodeJS.Timeout | null = null;
  #handshake: { resolve: () => void; reject: (e: Error) => void; timer: NodeJS.Timeout | null } | null = null;
  #closed = false;
  #messages: Buffer[] = [];
  #readers: Array<{ resolve: (b: Buffer | null) => void; reject: (e: Error) => void }> = [];
  #error: Error | null = null;

  static {
    brandClass(this, '@ossl/ssl:DTLSSocket');
  }

  /** @internal Made by `DTLSSocket.connect` and `DTLSServer`. */
  constructor(connection: Connection, peer: { address: string; port: number }, send: SendFn, mtu: number, onClose: (() => void) | null) {
    super();
    this.connection = connection;
    this.remoteAddress = peer.address;
    this.remotePort = peer.port;
    this.#send = send;
    this.#mtu = mtu;
    this.#onClose = onClose;
    // Records that arrived before anyone listened (with the end of the handshake) go to the first
    // 'message' listener, on the next tick.
    this.on('newListener', (event) => {
      if (event === 'message' && this.#messages.length > 0) process.nextTick(() => this.#drainToListeners());
    });
  }

  #drainToListeners(): void {
    while (this.#messages.length > 0 && this.listenerCount('message') > 0) this.emit('message', this.#messages.shift()!);
  }

  /**
   * Connects to a DTLS server over a new UDP socket and runs the handshake.
   * @param context a DTLS Context (`DTLS_METHOD` or `DTLS_CLIENT_METHOD`).
   * @throws (rejects with) SSLError / CertificateVerifyError when the handshake fails, SysCallError
   *   ETIMEDOUT when it does not finish in `handshakeTimeout`.
   */
  static async connect(context: Context, connectOptions: DTLSConnectOptions): Promise<DTLSSocket> {
    expectDtlsContext(context, 'client');
    const options = ownOptions(connectOptions);
    const port = expectInteger(options.port, 'port');
    if (port < 1 || port > 65535) throw new RangeError(`"port" must be 1 to 65535, got ${port}`);
    const host = options.host ?? 'localhost';
    if (typeof host !== 'string') throw typeError('host', 'a string', host);
    const { mtu, handshakeTimeout } = readDtlsOptions(options);
    const servername = options.servername === undefined ? (isIP(host) === 0 ? host : null) : options.servername;
    if (servername !== null && typeof servername !== 'string') throw typeError('servername', 'a string or null', servername);
    const address = isIP(host) !== 0 ? host : (await lookup(host)).address;
    const socket = dgram.createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
    socket.connect(port, address);
    try {
      await once(socket, 'connect');
    } catch (e) {
      socket.close();
      throw transportError(e as Error);
    }
    const conn = new Connection(context);
    let dtls: DTLSSocket | null = null;
    try {
      conn.setOptions(OP_NO_QUERY_MTU);
      conn.setCiphertextMtu(mtu);
      conn.setConnectState();
      if (servername !== null) conn.setTlsextHostName(servername);
      dtls = new DTLSSocket(conn, { address, port }, (d) => socket.send(d), mtu, () => socket.close());
      const self = dtls;
      socket.on('message', (msg) => self._receive(msg));
      socket.on('error', (err) => self._fail(transportError(err)));
      await dtls._handshake(handshakeTimeout);
      return dtls;
    } catch (e) {
      if (dtls) dtls._destroy();
      else socket.close();
      throw e;
    }
  }

  /** @internal Runs the handshake to its end (the first step sends the ClientHello, or answers it). */
  _handshake(timeout: number | null): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer =
        timeout === null
          ? null
          : setTimeout(() => {
              const e = new SysCallError(ETIMEDOUT, 'the DTLS handshake timed out');
              e.code = 'ETIMEDOUT';
              this._fail(e);
            }, timeout);
      this.#handshake = { resolve, reject, timer };
      this.#step();
    });
  }

  /** Moves the engine on with what it has, sends its output, and arms the retransmission timer. */
  #step(): void {
    if (this.#closed) return;
    try {
      if (this.#handshake !== null) {
        if (this.connection.tryHandshake()) {
          const h = this.#handshake;
          this.#handshake = null;
          if (h.timer) clearTimeout(h.timer);
          this.#flush();
          h.resolve();
        }
      }
      if (this.#handshake === null) {
        for (;;) {
          const data = this.connection.tryRecv(65536);
          if (data === null) break;
          this.#deliver(data);
        }
      }
    } catch (e) {
      this.#flush(); // an alert for the peer
      if (e instanceof ZeroReturnError) {
        this._destroy();
        return;
      }
      this._fail(e as Error);
      return;
    }
    this.#flush();
    this.#arm();
  }

  #deliver(data: Buffer): void {
    const reader = this.#readers.shift();
    if (reader) reader.resolve(data);
    else if (this.listenerCount('message') > 0) this.emit('message', data);
    else this.#messages.push(data);
  }

  /** Sends what the engine wrote, cut into datagrams. */
  #flush(): void {
    const pending = this.connection.bioPending();
    if (pending === 0) return;
    for (const d of splitRecords(this.connection.bioRead(pending), this.#mtu)) this.#send(d);
  }

  /** Arms OpenSSL's retransmission timer, if it runs. */
  #arm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const seconds = this.connection.DTLSv1GetTimeout();
    if (seconds === null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#closed) return;
      try {
        this.connection.DTLSv1HandleTimeout();
      } catch (e) {
        this._fail(e as Error);
        return;
      }
      this.#flush();
      this.#arm();
    }, Math.max(1, Math.ceil(seconds * 1000)));
  }

  /** @internal A datagram from the peer. */
  _receive(datagram: Buffer): void {
    if (this.#closed) return;
    try {
      this.connection.bioWrite(datagram);
    } catch (e) {
      this._fail(e as Error);
      return;
    }
    this.#step();
  }

  /**
   * Encrypts `data` as one record and sends it (one datagram, as long as it fits `getCleartextMtu()`).
   * @throws SSLError when the association is closed or failed.
   */
  send(data: Buffer | Uint8Array | string): void {
    if (this.#error) throw this.#error;
    if (this.#closed || this.#handshake !== null) throw new SSLError('the DTLS association is not open', [], 'ERR_DTLS_NOT_OPEN');
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    if (!(bytes instanceof Uint8Array)) throw typeError('data', 'a Buffer or string', data);
    if (bytes.byteLength > MAX_RECORD) throw new RangeError(`"data" must be at most ${MAX_RECORD} bytes (one DTLS record), got ${bytes.byteLength}`);
    let out: Buffer;
    try {
      // The record and whatever else the engine queued for the peer, in one call.
      out = this.connection.encrypt(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (e) {
      // The engine cannot go on after a failed write: the association fails with it.
      this._fail(e as Error);
      throw e;
    }
    for (const d of splitRecords(out, this.#mtu)) this.#send(d);
  }

  /**
   * The next message from the peer; null once the peer closed the association.
   * @throws (rejects with) what failed the association.
   */
  recv(): Promise<Buffer | null> {
    const queued = this.#messages.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#error) return Promise.reject(this.#error);
    if (this.#closed) return Promise.resolve(null);
    return new Promise((resolve, reject) => this.#readers.push({ resolve, reject }));
  }

  /** The largest plaintext one datagram carries. */
  getCleartextMtu(): number {
    return this.connection.getCleartextMtu();
  }

  /** Sends a close_notify and closes the association (and a client's UDP socket). */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      if (this.#handshake === null && this.#error === null) {
        this.connection.shutdown();
        this.#flush();
      }
    } catch {
      // An association that cannot send its alert is closed all the same.
    }
    this._destroy();
  }

  /** @internal Fails the association with `err`. */
  _fail(err: Error): void {
    if (this.#closed) return;
    this.#error = err;
    const h = this.#handshake;
    this.#handshake = null;
    if (h) {
      if (h.timer) clearTimeout(h.timer);
      h.reject(err);
    } else if (this.listenerCount('error') > 0) {
      this.emit('error', err);
    }
    for (const r of this.#readers.splice(0)) r.reject(err);
    this._destroy();
  }

  /** @internal Stops timers, releases the transport and emits 'close'. */
  _destroy(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const h = this.#handshake;
    this.#handshake = null;
    if (h) {
      if (h.timer) clearTimeout(h.timer);
      h.reject(new SysCallError(-1, 'the DTLS association closed during the handshake'));
    }
    for (const r of this.#readers.splice(0)) r.resolve(null);
    this.#onClose?.();
    this.emit('close');
  }
}

/** Where a `DTLSServer` listens. */
export interface DTLSAddress {
  /** The bound address. */
  address: string;
  /** The bound port. */
  port: number;
  /** `'IPv4'` or `'IPv6'`. */
  family: string;
}

/** Options of `DTLSServer`. */
export interface DTLSServerOptions extends DTLSOptions {
  /**
   * `'builtin'` (the default): the server sets the Context's cookie callbacks to an HMAC of the
   * peer's address under a random key; `'context'`: the Context's own callbacks are used.
   */
  cookies?: 'builtin' | 'context';
}

/**
 * A DTLS server on one UDP socket: every new peer goes through OpenSSL's stateless cookie exchange
 * (`DTLSv1_listen`) before it costs a handshake; each accepted peer is a `DTLSSocket`.
 *
 * Events: `'connection'` (DTLSSocket, once its handshake is done), `'handshakeError'` (Error,
 * {address, port}), `'error'`, `'close'`.
 *
 * ```ts
 * const server = new DTLSServer(ctx);
 * server.on('connection', (peer) => peer.on('message', (m) => peer.send(m)));
 * await server.listen(4433, '127.0.0.1');
 * ```
 */
export class DTLSServer extends EventEmitter {
  readonly #context: Context;
  readonly #mtu: number;
  readonly #handshakeTimeout: number | null;
  readonly #peers = new Map<string, DTLSSocket>();
  readonly #accepted: DTLSSocket[] = [];
  readonly #acceptors: Array<(s: DTLSSocket) => void> = [];
  readonly #pendingSends = new Set<Promise<void>>();
  #socket: dgram.Socket | null = null;

  static {
    brandClass(this, '@ossl/ssl:DTLSServer');
  }

  /**
   * @param context a DTLS Context with the server's certificate and key.
   * @param serverOptions `mtu`, `handshakeTimeout`, `cookies`.
   */
  constructor(context: Context, serverOptions: DTLSServerOptions = {}) {
    super();
    expectDtlsContext(context, 'server');
    const options = ownOptions(serverOptions);
    const { mtu, handshakeTimeout } = readDtlsOptions(options);
    const cookies = options.cookies ?? 'builtin';
    if (cookies !== 'builtin' && cookies !== 'context') throw typeError('cookies', "'builtin' or 'context'", cookies);
    this.#context = context;
    this.#mtu = mtu;
    this.#handshakeTimeout = handshakeTimeout;
    if (cookies === 'builtin') {
      let key = cookieKeys.get(context);
      if (key === undefined) {
        key = randomBytes(32);
        cookieKeys.set(context, key);
      }
      const secret = key;
      const cookieFor = (conn: Connection): Buffer | null => {
        const peer = peerOfConnection.get(conn);
        return peer === undefined ? null : createHmac('sha256', secret).update(peer).digest();
      };
      // A Connection no DTLSServer made gets a cookie that cannot verify.
      context.setCookieGenerateCallback((conn) => cookieFor(conn) ?? randomBytes(32));
      context.setCookieVerifyCallback((conn, cookie) => {
        const expected = cookieFor(conn);
        return expected !== null && cookie.length === expected.length && cookie.equals(expected);
      });
    }
  }

  /**
   * Binds the UDP socket; resolves with its address.
   * @param port the port (0 for any).
   * @param host the address to bind (default `127.0.0.1`; `::1` or `::` for IPv6).
   */
  async listen(port: number, host = '127.0.0.1'): Promise<DTLSAddress> {
    expectInteger(port, 'port');
    if (typeof host !== 'string') throw typeError('host', 'a string', host);
    if (this.#socket) throw new SSLError('the DTLS server is already listening', [], 'ERR_DTLS_LISTENING');
    const socket = dgram.createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
    this.#socket = socket;
    socket.on('message', (msg, rinfo) => this.#receive(msg, rinfo));
    socket.bind(port, host);
    try {
      await once(socket, 'listening');
    } catch (e) {
      // A failed bind leaves the server as it was: not listening, free to listen again.
      this.#socket = null;
      socket.close();
      throw transportError(e as Error);
    }
    socket.on('error', (err) => this.emit('error', err));
    return socket.address();
  }

  /** The bound address. */
  address(): DTLSAddress {
    if (!this.#socket) throw new SSLError('the DTLS server is not listening', [], 'ERR_DTLS_NOT_LISTENING');
    return this.#socket.address();
  }

  #receive(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const key = `${rinfo.address}|${rinfo.port}`;
    const known = this.#peers.get(key);
    if (known) {
      known._receive(msg);
      return;
    }
    // A new peer: a fresh engine answers its ClientHello statelessly until one carries a good cookie.
    const socket = this.#socket!;
    // An unconnected socket sends after an address lookup, later: close() waits for what is queued.
    const send: SendFn = (d) => {
      const sent = new Promise<void>((resolve) => socket.send(d, rinfo.port, rinfo.address, () => resolve()));
      this.#pendingSends.add(sent);
      void sent.then(() => this.#pendingSends.delete(sent));
    };
    let conn: Connection;
    try {
      conn = new Connection(this.#context);
      conn.setOptions(OP_NO_QUERY_MTU);
      conn.setCiphertextMtu(this.#mtu);
      conn.setAcceptState();
      peerOfConnection.set(conn, key);
      conn.bioWrite(msg);
      conn.DTLSv1Listen();
    } catch (e) {
      if (e instanceof WantReadError) {
        // A HelloVerifyRequest (or nothing, for a datagram that is not a ClientHello): no state kept.
        const out = conn!.bioPending();
        if (out > 0) for (const d of splitRecords(conn!.bioRead(out), this.#mtu)) send(d);
        return;
      }
      this.emit('handshakeError', e, { address: rinfo.address, port: rinfo.port });
      return;
    }
    const peer = new DTLSSocket(conn, { address: rinfo.address, port: rinfo.port }, send, this.#mtu, () => this.#peers.delete(key));
    this.#peers.set(key, peer);
    peer._handshake(this.#handshakeTimeout).then(
      () => {
        if (this.#acceptors.length > 0) this.#acceptors.shift()!(peer);
        else if (this.listenerCount('connection') > 0) this.emit('connection', peer);
        else this.#accepted.push(peer);
      },
      (err: Error) => this.emit('handshakeError', err, { address: rinfo.address, port: rinfo.port }),
    );
  }

  /** The next peer whose handshake is done (pyOpenSSL's `accept`, for a server without a 'connection' listener). */
  accept(): Promise<DTLSSocket> {
    const ready = this.#accepted.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => this.#acceptors.push(resolve));
  }

  /** How many peers have an association (handshaking or open). */
  get associations(): number {
    return this.#peers.size;
  }

  /** Closes every association (each with a close_notify) and the UDP socket. */
  async close(): Promise<void> {
    for (const peer of [...this.#peers.values()]) await peer.close();
    // The close_notify alerts go out before the socket closes.
    await Promise.all([...this.#pendingSends]);
    const socket = this.#socket;
    this.#socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
    this.emit('close');
  }
}
