import { inspect, type InspectOptionsStylized } from 'node:util';
import { kHandle } from '@ossl/crypto';
import { native, type SessionHandle } from '@ossl/native';

import { sslGuard } from './context.js';
import { VERSION_NAMES } from './internal/names.js';
import { Adoption, brandClass, inspectFields, typeError } from '@ossl/crypto/internal';

const adoption = new Adoption<SessionHandle>();
const PEM_LABEL = 'SSL SESSION PARAMETERS';

/**
 * A resumable TLS session: pyOpenSSL's `Session`, plus serialisation (pyopenssl#793) so a session can
 * be stored and resumed later, even from a new Context or process.
 *
 * ```ts
 * const saved = client.getSession()!.toPEM();
 * // ... later
 * next.setSession(Session.fromPEM(saved));
 * ```
 */
export class Session {
  #handle: SessionHandle;

  static {
    brandClass(this, '@ossl/ssl:Session');
  }

  /** Sessions come from `Connection.getSession()`, `Session.fromDER()` or `Session.fromPEM()`. */
  constructor() {
    const adopted = adoption.take();
    if (adopted === null) throw new TypeError('Session objects come from Connection.getSession(), Session.fromDER() or Session.fromPEM()');
    this.#handle = adopted;
  }

  /** Wraps a native handle (internal). */
  static _fromHandle(handle: SessionHandle): Session {
    return adoption.adopt(handle, () => new Session());
  }

  /**
   * The native handle, for the other ossl packages and for the other copies of this one (the ESM
   * and CJS builds, a second installed copy): they cannot read `#handle`, but can read this.
   * @internal
   */
  get [kHandle](): SessionHandle {
    return this.#handle;
  }

  /** Decodes a session from DER (`i2d_SSL_SESSION`). @throws SSL.Error for bad data. */
  static fromDER(der: Buffer): Session {
    if (!Buffer.isBuffer(der)) throw typeError('der', 'a Buffer', der);
    return Session._fromHandle(sslGuard(() => new native.Session(der)));
  }

  /** Decodes a session from PEM (`-----BEGIN SSL SESSION PARAMETERS-----`). */
  static fromPEM(pem: string | Buffer): Session {
    const text = Buffer.isBuffer(pem) ? pem.toString('latin1') : pem;
    if (typeof text !== 'string') throw typeError('pem', 'a string or Buffer', pem);
    const m = new RegExp(`-----BEGIN ${PEM_LABEL}-----([\\s\\S]*?)-----END ${PEM_LABEL}-----`).exec(text);
    if (!m) throw new RangeError(`no "${PEM_LABEL}" PEM block found`);
    return Session.fromDER(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
  }

  /** The session in DER. */
  toDER(): Buffer {
    return sslGuard(() => this.#handle.toDER());
  }

  /** The session in PEM, as `openssl sess_id` writes it. */
  toPEM(): string {
    const b64 = this.toDER().toString('base64').replace(/.{1,64}/g, '$&\n');
    return `-----BEGIN ${PEM_LABEL}-----\n${b64}-----END ${PEM_LABEL}-----\n`;
  }

  /** The session id (empty for TLS 1.3 ticket sessions until one is assigned). */
  getId(): Buffer {
    return this.#handle.getId();
  }

  /** Whether the session can be resumed. */
  isResumable(): boolean {
    return this.#handle.isResumable();
  }

  /** The protocol version number (`TLS1_3_VERSION`, ...). */
  getProtocolVersion(): number {
    return this.#handle.getProtocolVersion();
  }

  /** When the session was made, in seconds since the epoch. */
  getTime(): number {
    return this.#handle.getTime();
  }

  /** The session lifetime in seconds. */
  getTimeout(): number {
    return this.#handle.getTimeout();
  }

  /** Whether the session holds a ticket. */
  hasTicket(): boolean {
    return this.#handle.hasTicket();
  }

  /** The cipher the session uses, or null. */
  getCipherName(): string | null {
    return this.#handle.getCipherName();
  }

  /**
   * What `util.inspect` and `console.log` print: `Session { id: 'AB12CD34…', protocol: 'TLSv1.3',
   * cipher: 'TLS_AES_256_GCM_SHA384', resumable: true, ticket: true, time: 2026-... }` (the id cut
   * to its first 8 bytes; never the master secret).
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(
      this,
      'Session',
      {
        id: () => {
          const id = this.#handle.getId();
          if (id.length === 0) return undefined;
          const hex = id.subarray(0, 8).toString('hex').toUpperCase();
          return id.length > 8 ? `${hex}…` : hex;
        },
        protocol: () => {
          const v = this.#handle.getProtocolVersion();
          return VERSION_NAMES[v] ?? v;
        },
        cipher: () => this.#handle.getCipherName() ?? undefined,
        resumable: () => this.#handle.isResumable(),
        ticket: () => this.#handle.hasTicket(),
        time: () => new Date(this.#handle.getTime() * 1000),
        timeout: () => this.#handle.getTimeout(),
      },
      depth,
      options,
      inspectFn,
    );
  }
}
