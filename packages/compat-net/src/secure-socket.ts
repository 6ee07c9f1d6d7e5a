import { Duplex } from 'node:stream';
import net from 'node:net';
import { X509 } from '@ossl/crypto';
import {
  CertificateVerifyError,
  Connection,
  Context,
  SSLError,
  SysCallError,
  TLS_CLIENT_METHOD,
  TLS_SERVER_METHOD,
  TLS1_2_VERSION,
  TLS1_3_VERSION,
  VERIFY_FAIL_IF_NO_PEER_CERT,
  VERIFY_NONE,
  VERIFY_PEER,
  WantReadError,
  ZeroReturnError,
} from '@ossl/ssl';
import { loadCertificate, loadPrivatekey, FILETYPE_PEM } from '@ossl/crypto';

import { certToNodeObject, certToPythonDict } from './python.js';

type Pem = string | Buffer;

export interface SecureSocketOptions {
  /** A connected (or connecting) plain socket to secure; one is made by `connect()` otherwise. */
  socket?: Duplex;
  /** The TLS settings; built from the node:tls-style options below when absent. */
  context?: Context;
  /** Act as the server. */
  isServer?: boolean;
  /** The server name to send (SNI) and check the certificate against (clients). */
  servername?: string;
  /** Clients: fail when the server is not verified (default true). Servers: refuse unverified client certificates. */
  rejectUnauthorized?: boolean;
  /** Servers: ask clients for a certificate. */
  requestCert?: boolean;
  /** Trusted CAs (PEM); the system store when absent. */
  ca?: Pem | Pem[];
  /** This side's certificate (PEM) and key (PEM). */
  cert?: Pem;
  key?: Pem;
  /** Key passphrase. */
  passphrase?: string;
  /** ALPN protocols to offer (client) or accept, in preference order (server). */
  ALPNProtocols?: string[];
  /** OpenSSL cipher list for TLS 1.2. */
  ciphers?: string;
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
}

const VERSIONS = { 'TLSv1.2': TLS1_2_VERSION, 'TLSv1.3': TLS1_3_VERSION } as const;

/** The first verification error each Connection met (OpenSSL's X509_V_ERR_* and message). */
const firstVerifyError = new WeakMap<Connection, { code: number; message: string }>();

/** Builds a Context from node:tls-style options. */
export function contextFromOptions(opts: SecureSocketOptions): Context {
  const server = Boolean(opts.isServer);
  const ctx = new Context(server ? TLS_SERVER_METHOD : TLS_CLIENT_METHOD);
  ctx.setMinProtoVersion(VERSIONS[opts.minVersion ?? 'TLSv1.2']);
  if (opts.maxVersion) ctx.setMaxProtoVersion(VERSIONS[opts.maxVersion]);
  if (opts.ciphers) ctx.setCipherList(opts.ciphers);
  if (opts.cert) ctx.useCertificate(loadCertificate(FILETYPE_PEM, opts.cert));
  if (opts.key) ctx.usePrivatekey(loadPrivatekey(FILETYPE_PEM, opts.key, opts.passphrase ?? null));
  const cas = opts.ca === undefined ? [] : Array.isArray(opts.ca) ? opts.ca : [opts.ca];
  if (cas.length > 0) {
    const store = ctx.getCertStore();
    for (const pem of cas) {
      const text = Buffer.isBuffer(pem) ? pem.toString('latin1') : pem;
      for (const block of text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []) store.addCert(loadCertificate(FILETYPE_PEM, block));
    }
  } else if (!server) {
    ctx.loadDefaultTrust(); // the CA bundle is parsed once per process, as node:tls does
  }
  if (opts.ALPNProtocols && opts.ALPNProtocols.length > 0) {
    if (server) {
      const accepted = opts.ALPNProtocols;
      ctx.setAlpnSelectCallback((_conn, offered) => {
        for (const p of accepted) if (offered.some((o) => o.toString() === p)) return p;
        return null;
      });
    } else {
      ctx.setAlpnProtos(opts.ALPNProtocols);
    }
  }
  // Verification as node:tls does it: record OpenSSL's verdict, finish the handshake, then decide
  // (rejectUnauthorized) in SecureSocket. A server verifies only when it asks for a certificate.
  const record = (conn: Connection, _cert: X509, errnum: number, _depth: number, ok: number): boolean => {
    if (!ok && !firstVerifyError.has(conn)) firstVerifyError.set(conn, { code: errnum, message: verifyMessage(errnum) });
    return true;
  };
  if (!server) ctx.setVerify(VERIFY_PEER, record);
  else if (opts.requestCert) ctx.setVerify(VERIFY_PEER | (opts.rejectUnauthorized ? VERIFY_FAIL_IF_NO_PEER_CERT : 0), record);
  else ctx.setVerify(VERIFY_NONE);
  return ctx;
}

function verifyMessage(code: number): string {
  const messages: Record<number, string> = {
    2: 'unable to get issuer certificate',
    9: 'certificate is not yet valid',
    10: 'certificate has expired',
    18: 'self-signed certificate',
    19: 'self-signed certificate in certificate chain',
    20: 'unable to get local issuer certificate',
    21: 'unable to verify the first certificate',
    62: 'hostname mismatch',
    64: 'IP address mismatch',
  };
  return messages[code] ?? `certificate verify error ${code}`;
}

/**
 * A TLS socket with net.Socket's shape (a Duplex with `connect`, `data`, `end`, `close`, `error`
 * events and `write`/`end`/`destroy`/`setTimeout`/...), plus node:tls's TLS state and Python's
 * `SSLSocket` names. Existing socket code runs on it unchanged.
 */
export class SecureSocket extends Duplex {
  /** The sans-IO TLS engine. */
  readonly connection: Connection;
  /** The plain transport. */
  readonly socket: Duplex;
  /** Always true: this is a TLS socket. */
  readonly encrypted = true;
  /** Whether the peer's certificate verified (and, on clients, matched the server name). */
  authorized = false;
  /** Why the peer did not verify, or null. */
  authorizationError: Error | null = null;
  /** The negotiated ALPN protocol, or false. */
  alpnProtocol: string | false = false;
  /** Whether the stream ended without the peer's close_notify (a possible truncation). */
  truncated = false;
  #isServer: boolean;
  #rejectUnauthorized: boolean;
  #secure = false;
  #pending: Array<{ chunk: Buffer; cb: (err?: Error | null) => void }> = [];
  #readPaused = false;
  #ended = false;
  #servername: string | null;
  #verifies: boolean;
  /** Set by unwrap(): the plain socket belongs to the caller again, so ending this stream leaves it alone. */
  #unwrapped = false;

  constructor(options: SecureSocketOptions = {}) {
    super({ allowHalfOpen: false });
    this.#isServer = Boolean(options.isServer);
    this.#rejectUnauthorized = options.rejectUnauthorized ?? true;
    const ctx = options.context ?? contextFromOptions(options);
    this.#verifies = ctx.getVerifyMode() !== VERIFY_NONE;
    this.connection = new Connection(ctx);
    this.#servername = options.servername ?? null;
    if (this.#isServer) this.connection.setAcceptState();
    else {
      this.connection.setConnectState();
      if (this.#servername) {
        // SNI (not for IP literals) and OpenSSL's own host-name check.
        if (!net.isIP(this.#servername)) this.connection.setTlsextHostName(this.#servername);
        this.connection.setHost(this.#servername);
      }
    }
    this.socket = options.socket ?? new net.Socket();
    this.#attach();
  }

  #attach(): void {
    const raw = this.socket;
    raw.on('data', (chunk: Buffer) => {
      this.connection.bioWrite(chunk);
      this.#cycle();
    });
    raw.on('end', () => {
      this.connection.bioShutdown();
      this.#cycle();
    });
    raw.on('close', () => {
      if (!this.destroyed) this.destroy();
    });
    raw.on('error', (err: Error) => this.destroy(err));
    raw.on('timeout', () => this.emit('timeout'));
    raw.on('connect', () => {
      this.emit('connect');
      this.#cycle();
    });
    const sock = raw as net.Socket;
    if (!this.#isServer && (sock.readyState === 'open' || (sock.readyState === undefined && !sock.connecting))) queueMicrotask(() => this.#cycle());
    if (this.#isServer) queueMicrotask(() => this.#cycle());
  }

  /** Moves what the engine wrote to the transport. */
  #flush(cb?: (err?: Error | null) => void): void {
    const parts: Buffer[] = [];
    while (this.connection.bioPending() > 0) parts.push(this.connection.bioRead(1 << 20));
    if (parts.length === 0) {
      cb?.();
      return;
    }
    if (this.socket.destroyed || this.socket.writableEnded) {
      cb?.(new SysCallError(32, 'the transport is closed (EPIPE)'));
      return;
    }
    this.socket.write(parts.length === 1 ? parts[0]! : Buffer.concat(parts), cb);
  }

  /** Runs the engine as far as the bytes at hand allow: handshake, then decrypted reads. */
  #cycle(): void {
    if (this.destroyed) return;
    try {
      if (!this.#secure) {
        try {
          this.connection.doHandshake();
        } catch (e) {
          if (e instanceof WantReadError) {
            this.#flush();
            return;
          }
          throw e;
        }
        this.#flush();
        this.#onSecure();
        if (this.destroyed) return;
      }
      while (!this.#readPaused && !this.#ended) {
        let data: Buffer | null;
        try {
          data = this.connection.tryRecv(16384);
        } catch (e) {
          if (e instanceof ZeroReturnError) {
            this.#endReadable();
            break;
          }
          if (e instanceof SysCallError && e.errno === -1) {
            // The transport ended without a close_notify: end, as net.Socket and node:tls do, but say so.
            this.truncated = true;
            this.#endReadable();
            break;
          }
          throw e;
        }
        if (data === null) break; // the engine wants more bytes from the transport
        if (!this.push(data)) this.#readPaused = true;
      }
      this.#flush();
    } catch (e) {
      this.#flush();
      this.destroy(e as Error);
    }
  }

  #endReadable(): void {
    this.#ended = true;
    this.push(null);
  }

  #onSecure(): void {
    this.#secure = true;
    const proto = this.connection.getAlpnProtoNegotiated();
    this.alpnProtocol = proto ? proto.toString() : false;
    const failure = firstVerifyError.get(this.connection);
    const peer = this.connection.getPeerCertificate();
    if (failure) {
      this.authorized = false;
      this.authorizationError = new CertificateVerifyError(failure.code, failure.message);
    } else if (!this.#verifies) {
      this.authorized = false;
      this.authorizationError = new SSLError('the peer was not verified (verification is off)', [], 'ERR_SSL_VERIFY_OFF');
    } else if (peer === null) {
      this.authorized = false;
      this.authorizationError = this.#isServer ? new SSLError('the client sent no certificate', [], 'ERR_SSL_NO_PEER_CERTIFICATE') : null;
    } else {
      this.authorized = true;
    }
    if (this.#rejectUnauthorized && !this.authorized && (!this.#isServer || this.#verifies) && this.authorizationError) {
      this.destroy(this.authorizationError);
      return;
    }
    this.emit(this.#isServer ? 'secure' : 'secureConnect');
    for (const { chunk, cb } of this.#pending.splice(0)) this.#send(chunk, cb);
  }

  #send(chunk: Buffer, cb: (err?: Error | null) => void): void {
    try {
      this.connection.sendall(chunk);
    } catch (e) {
      cb(e as Error);
      return;
    }
    this.#flush(cb);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (!this.#secure) this.#pending.push({ chunk, cb });
    else this.#send(chunk, cb);
  }

  override _read(): void {
    if (this.#readPaused) {
      this.#readPaused = false;
      this.#cycle();
    }
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (this.#unwrapped) {
      cb();
      return;
    }
    try {
      if (this.#secure) this.connection.shutdown();
    } catch {
      // A failed close_notify still ends the transport.
    }
    this.#flush(() => {
      this.socket.end();
      cb();
    });
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.#unwrapped) this.socket.destroy();
    cb(err);
  }

  // ---- net.Socket's surface ----

  /** Connects the underlying net.Socket (net.Socket's `connect`). */
  connect(port: number, host?: string, listener?: () => void): this {
    if (listener) this.once('secureConnect', listener);
    (this.socket as net.Socket).connect(port, host ?? 'localhost');
    return this;
  }

  setTimeout(ms: number, callback?: () => void): this {
    (this.socket as net.Socket).setTimeout?.(ms);
    if (callback) this.once('timeout', callback);
    return this;
  }

  setNoDelay(noDelay = true): this {
    (this.socket as net.Socket).setNoDelay?.(noDelay);
    return this;
  }

  setKeepAlive(enable = false, initialDelay = 0): this {
    (this.socket as net.Socket).setKeepAlive?.(enable, initialDelay);
    return this;
  }

  address(): net.AddressInfo | Record<string, never> {
    return (this.socket as net.Socket).address?.() ?? {};
  }

  ref(): this {
    (this.socket as net.Socket).ref?.();
    return this;
  }

  unref(): this {
    (this.socket as net.Socket).unref?.();
    return this;
  }

  get remoteAddress(): string | undefined {
    return (this.socket as net.Socket).remoteAddress;
  }

  get remotePort(): number | undefined {
    return (this.socket as net.Socket).remotePort;
  }

  get remoteFamily(): string | undefined {
    return (this.socket as net.Socket).remoteFamily;
  }

  get localAddress(): string | undefined {
    return (this.socket as net.Socket).localAddress;
  }

  get localPort(): number | undefined {
    return (this.socket as net.Socket).localPort;
  }

  get bytesRead(): number {
    return (this.socket as net.Socket).bytesRead ?? 0;
  }

  get bytesWritten(): number {
    return (this.socket as net.Socket).bytesWritten ?? 0;
  }

  // ---- node:tls's TLS state ----

  /** The SNI name: the one sent (client) or received (server), or null. */
  get servername(): string | null {
    return this.#isServer ? this.connection.getServername() : this.#servername;
  }

  /** The peer's certificate as node:tls's `getPeerCertificate()` object, or `{}`. */
  getPeerCertificate(): Record<string, unknown> {
    const cert = this.connection.getPeerCertificate();
    return cert === null ? {} : certToNodeObject(cert);
  }

  /** `TLSv1.3`, `TLSv1.2`, ... or null before the handshake. */
  getProtocol(): string | null {
    return this.#secure ? this.connection.getProtocolVersionName() : null;
  }

  /** `{name, standardName, version}` of the negotiated cipher. */
  getCipher(): { name: string; standardName: string; version: string } | null {
    const name = this.connection.getCipherName();
    if (name === null) return null;
    return { name, standardName: name, version: this.connection.getCipherVersion() ?? '' };
  }

  // ---- Python's SSLSocket names ----

  /**
   * The peer's certificate as Python's dict, its DER bytes with `binaryForm`, or null without one.
   * As Python: an empty dict when the certificate was not verified.
   */
  getpeercert(binaryForm = false): Record<string, unknown> | Buffer | null {
    const cert = this.connection.getPeerCertificate();
    if (cert === null) return null;
    if (binaryForm) return Buffer.from(cert.toX509Certificate().raw);
    if (!this.authorized) return {};
    return certToPythonDict(cert) as unknown as Record<string, unknown>;
  }

  /** `[name, protocolVersion, secretBits]` of the cipher, or null (Python's `cipher()`). */
  cipher(): [string, string, number] | null {
    const name = this.connection.getCipherName();
    if (name === null) return null;
    return [name, this.connection.getCipherVersion() ?? '', this.connection.getCipherBits() ?? 0];
  }

  /** The protocol version name, or null before the handshake (Python's `version()`). */
  version(): string | null {
    return this.getProtocol();
  }

  /**
   * Ends TLS (close_notify both ways) and hands back the plain socket for cleartext use again
   * (Python's `unwrap()`; the end of a STARTTLS session). The socket comes back paused: attach a
   * `data` listener and call `resume()` (or `read()`) to go on in cleartext.
   */
  async unwrap(): Promise<Duplex> {
    if (!this.#secure) throw new SSLError('the handshake has not finished', [], 'ERR_SSL_NOT_SECURE');
    const raw = this.socket;
    const done = new Promise<void>((resolve) => {
      if (this.connection.getShutdown() & 2) resolve();
      else this.once('end', () => resolve());
    });
    this.#unwrapped = true;
    this.connection.shutdown();
    this.#flush();
    this.resume();
    await done;
    raw.pause();
    raw.removeAllListeners('data');
    raw.removeAllListeners('end');
    raw.removeAllListeners('close');
    raw.removeAllListeners('error');
    // Cleartext the peer sent right after its close_notify is still in the engine's input: give it back.
    const leftover = this.connection.takeInput();
    if (leftover.length > 0) raw.unshift(leftover);
    return raw;
  }
}
