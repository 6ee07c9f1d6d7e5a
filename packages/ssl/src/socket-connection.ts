import { once } from 'node:events';
import { constants as osConstants } from 'node:os';
import { inspect, type InspectOptionsStylized } from 'node:util';
import type { Server, Socket } from 'node:net';
import type { Duplex } from 'node:stream';

import { Connection, connectionFields, setSocketMode } from './connection.js';
import { Context } from './context.js';
import { SysCallError, WantReadError, WantWriteError, ZeroReturnError, transportError } from './errors.js';
import { SHUT_RD, SHUT_RDWR, SHUT_WR } from './constants.js';
import { Transport } from './transport.js';
import { brandClass, expectBytes, expectInteger, inspectFields, ownOptions, typeError } from '@ossl/crypto/internal';

/** Received bytes the engine has not consumed yet, above which the socket is paused. */
const HIGH_WATER = 1 << 20;
const ETIMEDOUT = 110;

/** Options of `SocketConnection`. */
export interface SocketConnectionOptions {
  /** Milliseconds any one wait for the peer may take before the call fails with ETIMEDOUT; null waits forever. */
  timeout?: number | null;
}

/** An address as Python writes it (`[host, port]`), as an object, or a port on localhost. */
export type Address =
  | [string, number]
  | {
      /** The host name or IP address (default `localhost`). */
      host?: string;
      /** The port. */
      port: number;
    }
  | number;

function parseAddress(address: Address): { host: string; port: number } {
  if (typeof address === 'number') return { host: 'localhost', port: address };
  if (Array.isArray(address)) return { host: address[0], port: address[1] };
  if (address && typeof address === 'object' && typeof address.port === 'number') return { host: address.host ?? 'localhost', port: address.port };
  throw typeError('address', 'a [host, port] pair, {host, port} or a port number', address);
}

/** Methods of Connection that SocketConnection offers unchanged (state, not I/O). */
const DELEGATED = [
  'getContext', 'setConnectState', 'setAcceptState', 'getPeerCertificate', 'getPeerCertChain', 'getCertificate',
  'getCipherName', 'getCipherBits', 'getCipherVersion', 'getProtocolVersionName', 'getProtocolVersion',
  'setTlsextHostName', 'getServername', 'setHost', 'getVerifyResult', 'getVerifyError', 'setVerify', 'setVerifyDeferred', 'getVerifyMode', 'useCertificate',
  'usePrivatekey', 'getStateString', 'isInitFinished', 'pending', 'getShutdown', 'setShutdown', 'getCipherList',
  'getAppData', 'setAppData', 'setContext', 'getSession', 'setSession', 'sessionReused', 'getFinished', 'getPeerFinished',
  'exportKeyingMaterial', 'serverRandom', 'clientRandom', 'masterKey', 'renegotiatePending', 'totalRenegotiations',
  'getClientCaList', 'setAlpnProtos', 'getAlpnProtoNegotiated', 'requestOcsp', 'getVerifiedChain', 'setPostHandshakeAuth',
  'verifyClientPostHandshake', 'keyUpdate', 'getPeerTmpKey', 'getSharedSigalgs', 'getCipherStandardName', 'setMaxSendFragment',
  'ocspRequested', 'clientHelloInfo', 'setPendingSession', 'setOptions', 'clearOptions', 'getOptions', 'setMode', 'clearMode',
  'getMode', 'getGroupName', 'getSelectedSrtpProfile', 'setInfoCallback', 'getPeerScts', 'sharedCiphers', 'getSignatureAlgorithm', 'getPeerSignatureAlgorithm', 'setVerifyResult',
] as const;
/** The names of the Connection methods SocketConnection offers unchanged. */
type Delegated = (typeof DELEGATED)[number];

/** The Connection methods SocketConnection offers unchanged (state, not I/O): see `Connection`. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface SocketConnection extends Pick<Connection, Delegated> {}

/**
 * A TLS connection over a net.Socket or any Duplex, with pyOpenSSL's socket-mode calls as Promises:
 * `connect`, `accept`, `doHandshake`, `recv`, `send`, `sendall`, `shutdown`, `close`. The engine is a
 * sans-IO `Connection` (in `connection`), driven over the stream by a `Transport`.
 *
 * ```ts
 * const conn = new SocketConnection(ctx, net.connect(443, 'example.com'));
 * conn.setConnectState();
 * conn.setTlsextHostName('example.com');
 * await conn.doHandshake();
 * await conn.sendall('GET / HTTP/1.0\r\n\r\n');
 * const reply = await conn.recv(4096);
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class SocketConnection {
  /** The sans-IO engine. */
  readonly connection: Connection;
  /** The transport (or the listening Server for `accept`). */
  readonly socket: Duplex | Server;
  #transport: Transport | null = null;
  #waiters: Array<() => void> = [];
  #closed = false;
  /** `sockShutdown` stopped reading (SHUT_RD). */
  #readShut = false;
  #error: (Error & { errno?: number; code?: string }) | null = null;
  #timeout: number | null;
  #incoming: Socket[] = [];
  /** A failure met while taking extra records in `recv`, reported by the next `recv`. */
  #deferred: Error | null = null;

  static {
    brandClass(this, '@ossl/ssl:SocketConnection');
    setSocketMode((context, socket, options) => new SocketConnection(context, socket as Duplex, options as SocketConnectionOptions | undefined));
  }

  /**
   * @param context the TLS settings.
   * @param socket a connected (or to-be-connected) net.Socket, any Duplex, or a listening
   *   net.Server for `accept()`.
   * @param connectionOptions `timeout`: milliseconds any one wait for the peer may take (null: forever).
   * @throws TypeError when an argument has the wrong type.
   */
  constructor(context: Context, socket: Duplex | Server, connectionOptions: SocketConnectionOptions = {}) {
    const options = ownOptions(connectionOptions);
    if (!(context instanceof Context)) throw typeError('context', 'a Context', context);
    if (socket === null || typeof socket !== 'object' || typeof (socket as Duplex).on !== 'function') {
      throw typeError('socket', 'a net.Socket, Duplex or net.Server', socket);
    }
    const timeout = options.timeout ?? null;
    // Node's timers take 0 to 2^31-1 ms (anything else would fire at once).
    if (timeout !== null && (expectInteger(timeout, 'timeout') < 0 || timeout > 0x7fffffff)) {
      throw new RangeError(`"timeout" must be 0 to 2147483647 ms or null, got ${timeout}`);
    }
    this.#timeout = timeout;
    this.connection = new Connection(context);
    this.socket = socket;
    if (typeof (socket as Server).listen === 'function' && typeof (socket as Duplex).write !== 'function') {
      (socket as Server).on('connection', (s: Socket) => {
        this.#incoming.push(s);
        this.#wake();
      });
      (socket as Server).on('error', (err: Error) => this.#fail(err));
      return;
    }
    this.#transport = new Transport(
      this.connection,
      socket as Duplex,
      {
        input: () => this.#wake(),
        error: (err) => this.#fail(err),
        close: () => {
          this.#closed = true;
          this.#wake();
        },
      },
      { inputHighWaterMark: HIGH_WATER },
    );
    this.#transport.attach();
  }

  #fail(err: Error): void {
    if (this.#error === null) this.#error = err;
    this.#wake();
  }

  #wake(): void {
    // Backpressure: the stream stays paused while the engine holds more than HIGH_WATER bytes no call reads.
    this.#transport?.throttle(false);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Whether the peer's stream has ended (or closed). */
  get #eof(): boolean {
    return this.#closed || this.#readShut || (this.#transport?.eof ?? false);
  }

  /** Waits until something arrives from the peer (bytes, EOF or an error), or times out. */
  #wait(): Promise<void> {
    if (this.#error) return Promise.reject(transportError(this.#error));
    if (this.#eof) return Promise.resolve();
    this.#transport?.throttle(false);
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | null = null;
      const done = (): void => {
        if (timer) clearTimeout(timer);
        if (this.#error) reject(transportError(this.#error));
        else resolve();
      };
      this.#waiters.push(done);
      if (this.#timeout !== null) {
        timer = setTimeout(() => {
          this.#waiters = this.#waiters.filter((w) => w !== done);
          const e = new SysCallError(ETIMEDOUT, 'timed out');
          e.code = 'ETIMEDOUT';
          reject(e);
        }, this.#timeout);
      }
    });
  }

  /** Sends what the engine has queued for the peer, waiting for the stream to drain if needed. */
  async #flush(): Promise<void> {
    const transport = this.#transport!;
    if (this.connection.bioPending() === 0) return;
    if (!transport.writable && this.#error) throw transportError(this.#error);
    if (transport.flush()) return;
    const stream = transport.stream;
    try {
      await Promise.race([once(stream, 'drain'), once(stream, 'close')]);
    } catch (err) {
      throw transportError(err as Error);
    }
    if (this.#error) throw transportError(this.#error);
  }

  /** Flushes what a failed call queued (an alert for the peer) without letting a transport error hide the real one. */
  async #flushQuietly(): Promise<void> {
    try {
      await this.#flush();
    } catch {
      // The handshake error is the one to report.
    }
  }

  /** Runs an engine step until it finishes, moving bytes and waiting as it asks. */
  async #drive<T>(step: () => T): Promise<T> {
    let eofRetries = 0;
    for (;;) {
      let r: T;
      try {
        r = step();
      } catch (e) {
        if (e instanceof WantReadError) {
          await this.#flush();
          if (this.#eof && ++eofRetries > 1) throw new SysCallError(-1, 'Unexpected EOF');
          await this.#wait();
          continue;
        }
        if (e instanceof WantWriteError) {
          await this.#flush();
          continue;
        }
        await this.#flushQuietly();
        throw e;
      }
      await this.#flush();
      return r;
    }
  }

  /** Connects the underlying net.Socket to `address`, then acts as the client (pyOpenSSL `connect`). */
  async connect(address: Address): Promise<void> {
    const { host, port } = parseAddress(address);
    const sock = this.socket as Socket;
    if (typeof sock.connect !== 'function') throw new TypeError('connect() needs a net.Socket');
    sock.connect(port, host);
    try {
      // events.once rejects with the socket's 'error' while waiting for 'connect'.
      await once(sock, 'connect');
    } catch (err) {
      throw transportError(err as Error);
    }
    this.connection.setConnectState();
  }

  /**
   * `connect`, answering with the system error number instead of throwing (pyOpenSSL `connect_ex`,
   * Python's `socket.connect_ex`): 0 when connected, else the error's number (`ECONNREFUSED` is 111
   * on Linux).
   * @throws TypeError as `connect`; an error that has no system error number.
   */
  async connectEx(address: Address): Promise<number> {
    try {
      await this.connect(address);
      return 0;
    } catch (e) {
      // Only system errors become numbers (a name that does not resolve is thrown, as Python raises gaierror).
      const system = e instanceof SysCallError && e.code !== undefined ? (osConstants.errno as Record<string, number>)[e.code] : undefined;
      if (system !== undefined && system === (e as SysCallError).errno) return system;
      throw e;
    }
  }

  /**
   * Shuts down the plain socket under the TLS connection, with no close_notify (pyOpenSSL
   * `sock_shutdown`, Python's `socket.shutdown(how)`): `SHUT_WR` ends the sending side (a FIN),
   * `SHUT_RD` stops reading (the engine sees the end of its input, so `recv` reports it), `SHUT_RDWR`
   * both. Resolves once the FIN is handed to the system.
   * @throws TypeError or RangeError for a `how` that is not `SHUT_RD`, `SHUT_WR` or `SHUT_RDWR`.
   */
  async sockShutdown(how: number): Promise<void> {
    expectInteger(how, 'how');
    if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) throw new RangeError(`"how" must be SHUT_RD, SHUT_WR or SHUT_RDWR, got ${how}`);
    const stream = this.socket as Duplex & { pending?: boolean };
    if (typeof stream.write !== 'function') throw new TypeError('sockShutdown() needs a socket, not a net.Server');
    // A net.Socket not connected yet (or still connecting) has nothing to shut down, as in Python.
    if (stream.pending === true && !stream.destroyed) {
      const e = new SysCallError(osConstants.errno.ENOTCONN, 'the socket is not connected');
      e.code = 'ENOTCONN';
      throw e;
    }
    if (how !== SHUT_WR && !this.#readShut) {
      this.#readShut = true;
      this.#transport?.stopInput();
      this.#wake();
    }
    if (how !== SHUT_RD && !stream.writableEnded && !stream.destroyed) {
      // Settles on the FIN handed over, or on the stream's end by error or close.
      const finished = new Promise<void>((resolve) => {
        const done = (): void => {
          for (const event of ['finish', 'close', 'error']) stream.off(event, done);
          resolve();
        };
        for (const event of ['finish', 'close', 'error']) stream.once(event, done);
      });
      stream.end();
      await finished;
    }
  }

  /**
   * Accepts the next connection on the listening net.Server passed as `socket` (pyOpenSSL `accept`):
   * returns a server-side SocketConnection in accept state and the peer's address.
   */
  async accept(): Promise<[SocketConnection, [string, number]]> {
    const server = this.socket as Server;
    if (typeof server.listen !== 'function') throw new TypeError('accept() needs a listening net.Server');
    while (this.#incoming.length === 0) await this.#wait();
    const sock = this.#incoming.shift() as Socket;
    const conn = new SocketConnection(this.connection.getContext(), sock, { timeout: this.#timeout });
    conn.setAcceptState();
    return [conn, [sock.remoteAddress ?? '', sock.remotePort ?? 0]];
  }

  /**
   * Runs the handshake to the end.
   * @throws SSL.Error / CertificateVerifyError when it fails, SysCallError when the peer hangs up or
   *   the transport fails or times out, whatever a callback threw.
   */
  async doHandshake(): Promise<void> {
    await this.#drive(() => this.connection.doHandshake());
  }

  /** Starts a TLS 1.2 renegotiation and runs it to the end. */
  async renegotiate(): Promise<boolean> {
    const started = this.connection.renegotiate();
    await this.doHandshake();
    return started;
  }

  /**
   * Receives up to `bufsiz` decrypted bytes, waiting until some arrive.
   * @throws ZeroReturnError after the peer's close_notify; SysCallError when the stream ends without one.
   */
  async recv(bufsiz: number): Promise<Buffer> {
    expectInteger(bufsiz, 'bufsiz');
    if (bufsiz < 0) throw new RangeError('"bufsiz" must not be negative');
    if (bufsiz === 0) return Buffer.alloc(0);
    if (this.#deferred) {
      const e = this.#deferred;
      this.#deferred = null;
      throw e;
    }
    const first = await this.#drive(() => this.connection.recv(bufsiz));
    // As a socket's recv returns all that has arrived: take the records already here too, without
    // waiting. A failure among them belongs to the next call, after the bytes before it.
    const parts = [first];
    let n = first.length;
    while (n > 0 && n < bufsiz) {
      let more: Buffer | null;
      try {
        more = this.connection.tryRecv(bufsiz - n);
      } catch (e) {
        this.#deferred = e as Error; // ZeroReturnError, SysCallError or SSLError, thrown by the next recv
        break;
      }
      if (more === null || more.length === 0) break;
      parts.push(more);
      n += more.length;
    }
    if (parts.length > 1 || this.#deferred) await this.#flushQuietly();
    return parts.length === 1 ? first : Buffer.concat(parts, n);
  }

  /** The same as `recv`. */
  read(bufsiz: number): Promise<Buffer> {
    return this.recv(bufsiz);
  }

  /** Encrypts and sends some of `buf`; returns how many bytes were taken. */
  async send(buf: Buffer | string): Promise<number> {
    const data = expectBytes(buf, 'buf');
    return this.#drive(() => this.connection.send(data));
  }

  /** The same as `send`. */
  write(buf: Buffer | string): Promise<number> {
    return this.send(buf);
  }

  /** Sends all of `buf`. */
  async sendall(buf: Buffer | string): Promise<void> {
    const data = typeof expectBytes(buf, 'buf') === 'string' ? Buffer.from(buf as string) : (buf as Buffer);
    let offset = 0;
    while (offset < data.length) {
      const part = data.subarray(offset);
      offset += await this.#drive(() => this.connection.send(part));
    }
  }

  /**
   * Sends close_notify. Returns false when the peer's has not arrived yet, true when both are done;
   * call it again (after `recv` throws ZeroReturnError) for a full two-way close.
   */
  async shutdown(): Promise<boolean> {
    const done = this.connection.shutdown();
    await this.#flush();
    return done;
  }

  /** Ends and closes the transport. */
  async close(): Promise<void> {
    const stream = this.socket as Duplex & { close?: (cb?: () => void) => void };
    if (typeof stream.write !== 'function') {
      await new Promise<void>((resolve) => (this.socket as Server).close(() => resolve()));
      return;
    }
    if (stream.destroyed) return;
    const closed = once(stream, 'close').catch(() => undefined);
    stream.end();
    const timer = setTimeout(() => stream.destroy(), this.#timeout ?? 5000);
    await closed;
    clearTimeout(timer);
  }

  /**
   * A file-like reader/writer over this connection (Python's `makefile`): `readline()`, `read(n)`,
   * `readlines()`, `write()`, and async iteration over lines. The peer's close_notify reads as end
   * of file (an empty Buffer); a stream cut without one still throws SysCallError.
   */
  makefile(): SocketFile {
    return new SocketFile(this);
  }

  /** Sets the per-wait timeout in milliseconds (null: wait forever), as Python's `settimeout`. */
  settimeout(timeout: number | null): void {
    // Node's timers take 0 to 2^31-1 ms (anything else would fire at once).
    if (timeout !== null && (expectInteger(timeout, 'timeout') < 0 || timeout > 0x7fffffff)) {
      throw new RangeError(`"timeout" must be 0 to 2147483647 ms or null, got ${timeout}`);
    }
    this.#timeout = timeout;
  }

  /** The per-wait timeout in milliseconds, or null. */
  gettimeout(): number | null {
    return this.#timeout;
  }

  /**
   * What `util.inspect` and `console.log` print: the Connection's fields (`side`, `state`, `version`,
   * `cipher`, ...) and the peer's address, e.g. `SocketConnection { side: 'client', ..., peer: '127.0.0.1:443' }`.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(
      this,
      'SocketConnection',
      {
        ...connectionFields(this.connection),
        peer: () => {
          const sock = this.socket as Socket;
          if (typeof sock.remoteAddress !== 'string') return undefined;
          return sock.remoteAddress.includes(':') ? `[${sock.remoteAddress}]:${sock.remotePort}` : `${sock.remoteAddress}:${sock.remotePort}`;
        },
        timeout: () => this.#timeout ?? undefined,
        eof: () => this.#eof || undefined,
      },
      depth,
      options,
      inspectFn,
    );
  }
}

for (const name of DELEGATED) {
  Object.defineProperty(SocketConnection.prototype, name, {
    value: function (this: SocketConnection, ...args: unknown[]) {
      return (this.connection[name] as (...a: unknown[]) => unknown).apply(this.connection, args);
    },
    writable: true,
    configurable: true,
  });
}


/** The file object `SocketConnection.makefile()` returns. */
export class SocketFile {
  #conn: SocketConnection;
  #buffer: Buffer = Buffer.alloc(0);
  #eof = false;

  static {
    brandClass(this, '@ossl/ssl:SocketFile');
  }

  /** @param conn the connection to read from and write to (`SocketConnection.makefile()` passes itself). */
  constructor(conn: SocketConnection) {
    this.#conn = conn;
  }

  /** Reads more into the buffer; false at end of file. */
  async #fill(): Promise<boolean> {
    if (this.#eof) return false;
    try {
      const chunk = await this.#conn.recv(16384);
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      return true;
    } catch (e) {
      if (e instanceof ZeroReturnError) {
        this.#eof = true;
        return false;
      }
      throw e;
    }
  }

  /** One line including its `\n` (the last may lack it), or an empty Buffer at end of file. */
  async readline(limit = -1): Promise<Buffer> {
    for (;;) {
      const nl = this.#buffer.indexOf(0x0a);
      if (nl >= 0 && (limit < 0 || nl < limit)) return this.#take(nl + 1);
      if (limit >= 0 && this.#buffer.length >= limit) return this.#take(limit);
      if (!(await this.#fill())) return this.#take(this.#buffer.length);
    }
  }

  /** Up to `n` bytes (all until end of file when `n` is negative). */
  async read(n = -1): Promise<Buffer> {
    if (n < 0) {
      while (await this.#fill());
      return this.#take(this.#buffer.length);
    }
    while (this.#buffer.length < n && (await this.#fill()));
    return this.#take(Math.min(n, this.#buffer.length));
  }

  /** Every remaining line. */
  async readlines(): Promise<Buffer[]> {
    const lines: Buffer[] = [];
    for (let line = await this.readline(); line.length > 0; line = await this.readline()) lines.push(line);
    return lines;
  }

  /** Sends all of `data`. */
  async write(data: Buffer | string): Promise<void> {
    await this.#conn.sendall(data);
  }

  /** Sends the lines one after the other. */
  async writelines(lines: Iterable<Buffer | string>): Promise<void> {
    for (const line of lines) await this.write(line);
  }

  /** Nothing is buffered on the way out: every write is sent at once. */
  async flush(): Promise<void> {}

  /** Iterates over the remaining lines (`for await (const line of file)`). */
  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (let line = await this.readline(); line.length > 0; line = await this.readline()) yield line;
  }

  /** What `util.inspect` and `console.log` print: `SocketFile { buffered: 12, eof: false }`. */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(this, 'SocketFile', { buffered: () => this.#buffer.length, eof: () => this.#eof }, depth, options, inspectFn);
  }

  #take(n: number): Buffer {
    const out = this.#buffer.subarray(0, n);
    this.#buffer = this.#buffer.subarray(n);
    return out;
  }
}
