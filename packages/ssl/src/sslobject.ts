// Python's ssl memory layer: MemoryBIO and SSLObject (`SSLContext.wrap_bio`), the sans-IO API asyncio
// builds its transports on, with CPython's semantics. An SSLObject is a Connection whose OpenSSL
// BIOs are the two MemoryBIOs themselves, so bytes OpenSSL has not read stay in `incoming`.
import { inspect, type InspectOptionsStylized } from 'node:util';
import { certToPythonDict, dumpCertificate, FILETYPE_ASN1, type PythonCertDict } from '@ossl/crypto';
import { native, type MemoryBIOHandle } from '@ossl/native';

import { RECEIVED_SHUTDOWN, VERIFY_PEER } from './constants.js';
import { connectionOverBios, type Connection } from './connection.js';
import { Context, setSslObjectFactory, type WrapBioOptions } from './context.js';
import { SSLEOFError, SSLError, SysCallError, ZeroReturnError } from './errors.js';
import { Session } from './session.js';
import { brandClass, expectByteArray, expectInteger, inspectFields, typeError } from '@ossl/crypto/internal';

/**
 * Python's `ssl.MemoryBIO`: a buffer of bytes between an `SSLObject` and the network. The
 * application writes what arrives into the incoming one and sends what it reads from the outgoing one.
 */
export class MemoryBIO {
  readonly #handle: MemoryBIOHandle;
  #eofWritten = false;

  static {
    brandClass(this, '@ossl/ssl:MemoryBIO');
  }

  constructor() {
    this.#handle = new native.MemoryBIO();
  }

  /** @internal */
  static _handleOf(bio: MemoryBIO): MemoryBIOHandle {
    return bio.#handle;
  }

  /** How many bytes are in the buffer. */
  get pending(): number {
    return this.#handle.pending();
  }

  /** Whether `writeEof` was called and every byte has been read (Python's `eof`). */
  get eof(): boolean {
    return this.#eofWritten && this.#handle.pending() === 0;
  }

  /** Takes up to `n` bytes (every byte for a negative `n`, the default). */
  read(n = -1): Buffer {
    expectInteger(n, 'n');
    return this.#handle.read(n);
  }

  /**
   * Appends `data`; returns its length.
   * @throws SSLError after `writeEof` (as CPython); TypeError for anything but bytes.
   */
  write(data: Buffer | Uint8Array): number {
    const bytes = expectByteArray(data, 'data', 'a Buffer or Uint8Array');
    if (this.#eofWritten) throw new SSLError('cannot write() after write_eof()', [], 'ERR_SSL_MEMORY_BIO_EOF');
    return this.#handle.write(bytes);
  }

  /** Marks the end of the stream: once its bytes are read, the reader sees EOF (Python's `write_eof`). */
  writeEof(): void {
    this.#eofWritten = true;
    this.#handle.writeEof();
  }

  /** What `util.inspect` prints: `MemoryBIO { pending: 0, eof: false }`. */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(this, 'MemoryBIO', { pending: () => this.pending, eof: () => this.eof }, depth, options, inspectFn);
  }
}

/** The channel binding types of `SSLObject.getChannelBinding` (RFC 5929 and RFC 9266). */
export const CHANNEL_BINDING_TYPES: readonly string[] = Object.freeze(['tls-unique', 'tls-exporter']);

/** Python's `SSLEOFError` for the pyOpenSSL layer's "EOF without close_notify". */
function pythonError(e: unknown): unknown {
  if (e instanceof SysCallError && !(e instanceof SSLEOFError) && e.errno === -1) {
    return new SSLEOFError('EOF occurred in violation of protocol', e.errors);
  }
  return e;
}

function run<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw pythonError(e);
  }
}

/** Makes the `SSLObject` constructor refuse callers other than `Context.wrapBio`. */
const kCreate = Symbol('create');

/**
 * Python's `ssl.SSLObject`: TLS over two `MemoryBIO`s, made by `Context.wrapBio`. Every call runs
 * as far as the bytes in `incoming` allow and leaves what OpenSSL writes in `outgoing`; it throws
 * `SSLWantReadError` (`WantReadError`) where more bytes from the peer are needed, as CPython does.
 *
 * ```ts
 * const incoming = new MemoryBIO(), outgoing = new MemoryBIO();
 * const tls = createDefaultContext().wrapBio(incoming, outgoing, false, 'example.com');
 * for (;;) {
 *   try { tls.doHandshake(); break; } catch (e) { if (!(e instanceof SSLWantReadError)) throw e; }
 *   socket.write(outgoing.read()); incoming.write(await nextChunk(socket));
 * }
 * ```
 */
export class SSLObject {
  /** The Context it was made from. */
  readonly context: Context;
  /** Whether it is the server side. */
  readonly serverSide: boolean;
  /** The server name it was made for (clients), or null. */
  readonly serverHostname: string | null;
  readonly #conn: Connection;

  static {
    brandClass(this, '@ossl/ssl:SSLObject');
    setSslObjectFactory((context, incoming, outgoing, options) => SSLObject.#make(context, incoming, outgoing, options));
  }

  /** Not public: `Context.wrapBio` makes SSLObjects (as in CPython). */
  private constructor(create: unknown, context: Context, conn: Connection, serverSide: boolean, serverHostname: string | null) {
    if (create !== kCreate) throw new TypeError('SSLObject does not have a public constructor: use Context.wrapBio()');
    this.context = context;
    this.#conn = conn;
    this.serverSide = serverSide;
    this.serverHostname = serverHostname;
  }

  static #make(context: Context, incoming: unknown, outgoing: unknown, options: WrapBioOptions): SSLObject {
    if (!(context instanceof Context)) throw typeError('context', 'a Context', context);
    if (!(incoming instanceof MemoryBIO)) throw typeError('incoming', 'a MemoryBIO', incoming);
    if (!(outgoing instanceof MemoryBIO)) throw typeError('outgoing', 'a MemoryBIO', outgoing);
    const serverSide = options.serverSide ?? false;
    if (typeof serverSide !== 'boolean') throw typeError('serverSide', 'a boolean', serverSide);
    const serverHostname = options.serverHostname ?? null;
    if (serverHostname !== null && typeof serverHostname !== 'string') throw typeError('serverHostname', 'a string or null', serverHostname);
    const session = options.session ?? null;
    if (session !== null && !(session instanceof Session)) throw typeError('session', 'a Session or null', session);
    if (serverSide && session !== null) throw new RangeError('session can only be set in client mode');
    const conn = connectionOverBios(context, MemoryBIO._handleOf(incoming), MemoryBIO._handleOf(outgoing));
    if (serverSide) {
      conn.setAcceptState();
    } else {
      conn.setConnectState();
      if (serverHostname !== null) conn.setTlsextHostName(serverHostname);
      if (session !== null) conn.setSession(session);
    }
    return new SSLObject(kCreate, context, conn, serverSide, serverHostname);
  }

  /**
   * Runs the handshake as far as the bytes in `incoming` allow.
   * @throws SSLWantReadError until it is done; SSLCertVerificationError (CertificateVerifyError); SSLError.
   */
  doHandshake(): void {
    run(() => this.#conn.doHandshake());
  }

  /**
   * Decrypts up to `len` bytes, or into `buffer` (then returns the count). Returns empty (0) once the
   * peer's close_notify arrived, as CPython's SSLObject does.
   * @throws SSLWantReadError when no record is complete; SSLEOFError when `incoming` ended without a close_notify.
   */
  read(len?: number): Buffer;
  read(len: number, buffer: Uint8Array): number;
  read(len = 1024, buffer?: Uint8Array): Buffer | number {
    expectInteger(len, 'len');
    if (buffer !== undefined && !(buffer instanceof Uint8Array)) throw typeError('buffer', 'a Buffer or Uint8Array', buffer);
    if (len < 0 && buffer === undefined) throw new RangeError('size should not be negative');
    if (len === 0 && buffer === undefined) return Buffer.alloc(0);
    try {
      if (buffer !== undefined) {
        const n = len <= 0 || len > buffer.length ? buffer.length : len;
        return run(() => this.#conn.recvInto(buffer, n));
      }
      return run(() => this.#conn.recv(len));
    } catch (e) {
      // A clean close (the peer's close_notify, ours not sent) reads as the end of the stream.
      if (e instanceof ZeroReturnError && this.#conn.getShutdown() === RECEIVED_SHUTDOWN) return buffer === undefined ? Buffer.alloc(0) : 0;
      throw e;
    }
  }

  /**
   * Encrypts all of `data` into `outgoing`; returns its length.
   * @throws SSLWantReadError while the handshake waits for the peer; SSLError.
   */
  write(data: Buffer | Uint8Array): number {
    const buf = expectByteArray(data, 'data', 'a Buffer or Uint8Array');
    return run(() => this.#conn.sendall(buf));
  }

  /**
   * Closes the TLS layer (Python's `unwrap`): sends a close_notify, then waits for the peer's.
   * @throws SSLWantReadError until the peer's close_notify is in `incoming`.
   */
  unwrap(): void {
    // CPython calls SSL_shutdown twice: once to send, once to receive.
    run(() => {
      if (!this.#conn.shutdown()) this.#conn.shutdown();
    });
  }

  /** Decrypted bytes ready for `read` without more input. */
  pending(): number {
    return this.#conn.pending();
  }

  /**
   * The peer's certificate as Python's dictionary (empty when this side does not verify peers), as
   * DER with `binaryForm`, or null when the peer sent none.
   * @throws RangeError before the handshake is done (CPython's ValueError).
   */
  getpeercert(binaryForm?: false): PythonCertDict | Record<string, never> | null;
  getpeercert(binaryForm: true): Buffer | null;
  getpeercert(binaryForm = false): PythonCertDict | Record<string, never> | Buffer | null {
    if (typeof binaryForm !== 'boolean') throw typeError('binaryForm', 'a boolean', binaryForm);
    if (!this.#conn.isInitFinished()) throw new RangeError('handshake not done yet');
    const cert = this.#conn.getPeerCertificate();
    if (cert === null) return null;
    if (binaryForm) return dumpCertificate(FILETYPE_ASN1, cert);
    if ((this.context.getVerifyMode() & VERIFY_PEER) === 0) return {};
    return certToPythonDict(cert);
  }

  /** `[name, protocol, secretBits]` of the negotiated cipher, or null before the handshake. */
  cipher(): [string, string, number] | null {
    const name = this.#conn.getCipherName();
    if (name === null) return null;
    return [name, this.#conn.getCipherVersion() ?? '', this.#conn.getCipherBits() ?? 0];
  }

  /** Servers: the ciphers both sides allow, as `[name, protocol, bits]`; null on a client. */
  sharedCiphers(): Array<[string, string, number]> | null {
    return this.#conn.sharedCiphers();
  }

  /** Always null: OpenSSL 3 has no TLS compression here (Python's `compression`). */
  compression(): null {
    return null;
  }

  /** The ALPN protocol the server chose, or null. */
  selectedAlpnProtocol(): string | null {
    return this.#conn.getAlpnProtoNegotiated()?.toString('latin1') ?? null;
  }

  /** Always null: NPN is gone from OpenSSL 3's defaults and from Python 3.10+. */
  selectedNpnProtocol(): null {
    return null;
  }

  /** The negotiated protocol version (`'TLSv1.3'`), or null before the handshake. */
  version(): string | null {
    return this.#conn.isInitFinished() ? this.#conn.getProtocolVersionName() : null;
  }

  /** The negotiated key exchange group (`'X25519'`, `'X25519MLKEM768'`), or null (Python 3.14's `group`). */
  group(): string | null {
    return this.#conn.isInitFinished() ? this.#conn.getGroupName() : null;
  }

  /** The signature algorithm the client signed the handshake with (`'ECDSA+SHA256'`), or null (Python 3.14's `client_sigalg`). */
  clientSigalg(): string | null {
    return this.serverSide ? this.#conn.getPeerSignatureAlgorithm() : this.#conn.getSignatureAlgorithm();
  }

  /** The signature algorithm the server signed the handshake with, or null (Python 3.14's `server_sigalg`). */
  serverSigalg(): string | null {
    return this.serverSide ? this.#conn.getSignatureAlgorithm() : this.#conn.getPeerSignatureAlgorithm();
  }

  /**
   * Channel binding data: `'tls-unique'` (RFC 5929, the first Finished message, as CPython; null
   * until it exists) or `'tls-exporter'` (RFC 9266: 32 bytes exported with the label
   * `EXPORTER-Channel-Binding`; null until the handshake is done).
   * @throws RangeError for another type.
   */
  getChannelBinding(cbType = 'tls-unique'): Buffer | null {
    if (!CHANNEL_BINDING_TYPES.includes(cbType)) throw new RangeError(`Unsupported channel binding type ${JSON.stringify(cbType)}`);
    if (cbType === 'tls-exporter') {
      return this.#conn.isInitFinished() ? run(() => this.#conn.exportKeyingMaterial('EXPORTER-Channel-Binding', 32)) : null;
    }
    // The first Finished: the client's in a full handshake, the server's in a resumed one. As in
    // CPython, it is given as soon as it exists (a TLS 1.2 client has sent its own before the
    // handshake ends).
    const own = this.#conn.sessionReused() !== !this.serverSide;
    const finished = own ? this.#conn.getFinished() : this.#conn.getPeerFinished();
    return finished === null || finished.length === 0 ? null : finished;
  }

  /** Servers (TLS 1.3): asks the client for its certificate after the handshake. */
  verifyClientPostHandshake(): void {
    run(() => this.#conn.verifyClientPostHandshake());
  }

  /** The session (to resume later), or null. */
  get session(): Session | null {
    return this.#conn.getSession();
  }

  /** Clients, before the handshake: a session to resume. */
  set session(session: Session | null) {
    if (this.serverSide) throw new RangeError('Cannot set session for server-side SSLObject');
    if (!(session instanceof Session)) throw typeError('session', 'a Session', session);
    run(() => this.#conn.setSession(session));
  }

  /** Whether the handshake resumed a session. */
  get sessionReused(): boolean {
    return this.#conn.sessionReused();
  }

  /** What `util.inspect` prints. */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(
      this,
      'SSLObject',
      { serverSide: () => this.serverSide, serverHostname: () => this.serverHostname ?? undefined, version: () => this.version() ?? undefined },
      depth,
      options,
      inspectFn,
    );
  }
}
