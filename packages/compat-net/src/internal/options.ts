// Reading node:tls-style options: own properties only, every value checked with an error that names
// the option, and the Context that compat-net builds from them. Private to the package.
import { createHash } from 'node:crypto';
import { FILETYPE_PEM, loadCertificate, loadPrivatekey, type X509 } from '@ossl/crypto';
import { isOwnFalse, ownOptions, typeError } from '@ossl/crypto/internal';
import {
  Context,
  SSLError,
  TLS_CLIENT_METHOD,
  TLS_SERVER_METHOD,
  TLS1_VERSION,
  TLS1_1_VERSION,
  TLS1_2_VERSION,
  TLS1_3_VERSION,
  VERIFY_FAIL_IF_NO_PEER_CERT,
  VERIFY_NONE,
  VERIFY_PEER,
} from '@ossl/ssl';

export { isOwnFalse, ownOptions, typeError };

/** PEM text, as node:tls takes it. */
export type Pem = string | Buffer | Uint8Array;

/** node:tls's protocol version names. */
export type TlsVersionName = 'TLSv1.3' | 'TLSv1.2' | 'TLSv1.1' | 'TLSv1';

/** ALPN protocols as node:tls takes them: a list, or the wire format in one buffer. */
export type AlpnProtocols = ReadonlyArray<string | Buffer | Uint8Array> | Buffer | Uint8Array;

const VERSIONS: Readonly<Record<TlsVersionName, number>> = {
  'TLSv1.3': TLS1_3_VERSION,
  'TLSv1.2': TLS1_2_VERSION,
  'TLSv1.1': TLS1_1_VERSION,
  TLSv1: TLS1_VERSION,
};

/** The TLS settings of an options object, read once, checked, and safe from prototype pollution. */
export interface TlsSettings {
  ca: Buffer[] | null;
  cert: Buffer | null;
  key: Buffer | null;
  passphrase: string | null;
  ciphers: string | null;
  minVersion: number | null;
  maxVersion: number | null;
  alpn: Buffer[] | null;
  requestCert: boolean;
  /** Only an own `false` turns this security default off. */
  rejectUnauthorized: boolean;
  sessionIdContext: string | null;
}

/** A PEM option: a string, Buffer or Uint8Array; `undefined`, `null` and `false` mean absent (as in node:tls). */
function pemOption(value: unknown, name: string): Buffer | null {
  if (value === undefined || value === null || value === false) return null;
  if (typeof value === 'string') return Buffer.from(value, 'latin1');
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw typeError(`options.${name}`, 'a string, Buffer or Uint8Array', value);
}

/** A PEM option that may also be an array of them (`ca`). */
function pemListOption(value: unknown, name: string): Buffer[] | null {
  if (value === undefined || value === null || value === false) return null;
  if (Array.isArray(value)) {
    return value.map((item, i) => {
      const pem = pemOption(item, `${name}[${i}]`);
      if (pem === null) throw typeError(`options.${name}[${i}]`, 'a string, Buffer or Uint8Array', item);
      return pem;
    });
  }
  const one = pemOption(value, name);
  return one === null ? null : [one];
}

/** An optional string option. */
export function stringOption(value: unknown, name: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw typeError(`options.${name}`, 'a string', value);
  return value;
}

/** An optional number option (milliseconds and the like): finite and not negative. */
export function numberOption(value: unknown, name: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number') throw typeError(`options.${name}`, 'a number', value);
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`"options.${name}" must be a finite number >= 0, got ${value}`);
  return value;
}

/** `minVersion` / `maxVersion`: node:tls's names, mapped to OpenSSL's version numbers. */
function versionOption(value: unknown, name: 'minVersion' | 'maxVersion'): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw typeError(`options.${name}`, "'TLSv1.3', 'TLSv1.2', 'TLSv1.1' or 'TLSv1'", value);
  if (!Object.hasOwn(VERSIONS, value)) {
    const err = new TypeError(`"options.${name}" must be 'TLSv1.3', 'TLSv1.2', 'TLSv1.1' or 'TLSv1', got ${JSON.stringify(value)}`);
    (err as TypeError & { code: string }).code = 'ERR_TLS_INVALID_PROTOCOL_VERSION';
    throw err;
  }
  return VERSIONS[value as TlsVersionName];
}

/**
 * `ALPNProtocols`: an array of strings / Buffers / Uint8Arrays, or node:tls's wire format (each
 * name preceded by its length) in one Buffer or Uint8Array. Each name is 1 to 255 bytes.
 */
export function alpnOption(value: unknown, name = 'ALPNProtocols'): Buffer[] | null {
  if (value === undefined || value === null) return null;
  const expected = 'an array of strings or Buffers, or a Buffer in ALPN wire format';
  const protos: Buffer[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item === 'string') protos.push(Buffer.from(item));
      else if (item instanceof Uint8Array) protos.push(Buffer.from(item));
      else throw typeError(`options.${name}`, expected, item);
    }
  } else if (value instanceof Uint8Array) {
    const wire = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    for (let i = 0; i < wire.length; ) {
      const len = wire[i]!;
      if (len === 0 || i + 1 + len > wire.length) throw new RangeError(`"options.${name}" is not valid ALPN wire format (a length byte runs past the end or is 0)`);
      protos.push(Buffer.from(wire.subarray(i + 1, i + 1 + len)));
      i += 1 + len;
    }
  } else {
    throw typeError(`options.${name}`, expected, value);
  }
  for (const p of protos) {
    if (p.length === 0 || p.length > 255) throw new RangeError(`"options.${name}" entries must be 1 to 255 bytes long, got ${p.length}`);
  }
  return protos;
}

/** `context`: an @ossl/ssl Context, or absent. */
export function contextOption(value: unknown): Context | null {
  if (value === undefined || value === null) return null;
  if (!(value instanceof Context)) throw typeError('options.context', 'an @ossl/ssl Context', value);
  return value;
}

/** Reads and checks the TLS settings of `options` (a null-prototype object from `ownOptions`). */
export function readTlsSettings(o: Record<string, unknown>): TlsSettings {
  const passphrase = o.passphrase;
  if (passphrase !== undefined && passphrase !== null && typeof passphrase !== 'string') throw typeError('options.passphrase', 'a string', passphrase);
  const sessionIdContext = stringOption(o.sessionIdContext, 'sessionIdContext');
  if (sessionIdContext !== null && (sessionIdContext.length === 0 || Buffer.byteLength(sessionIdContext) > 32)) {
    throw new RangeError(`"options.sessionIdContext" must be 1 to 32 bytes long, got ${Buffer.byteLength(sessionIdContext)}`);
  }
  return {
    ca: pemListOption(o.ca, 'ca'),
    cert: pemOption(o.cert, 'cert'),
    key: pemOption(o.key, 'key'),
    passphrase: (passphrase as string | undefined | null) ?? null,
    ciphers: stringOption(o.ciphers, 'ciphers'),
    minVersion: versionOption(o.minVersion, 'minVersion'),
    maxVersion: versionOption(o.maxVersion, 'maxVersion'),
    alpn: alpnOption(o.ALPNProtocols),
    requestCert: Boolean(o.requestCert),
    rejectUnauthorized: !isOwnFalse(o, 'rejectUnauthorized'),
    sessionIdContext,
  };
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The certificates in a PEM option; a value that holds none is an error, not an empty list. */
function certificates(pem: Buffer, name: string): X509[] {
  const blocks = pem.toString('latin1').match(PEM_CERT) ?? [];
  if (blocks.length === 0) throw new SSLError(`"options.${name}" holds no PEM certificate (no "-----BEGIN CERTIFICATE-----" line)`, [], 'ERR_OSSL_PEM_NO_START_LINE');
  return blocks.map((block) => {
    try {
      return loadCertificate(FILETYPE_PEM, block);
    } catch (e) {
      throw rename(e, name);
    }
  });
}

/** An OpenSSL failure while applying option `name`, re-thrown with the option's name in its message. */
function rename(e: unknown, name: string): unknown {
  if (!(e instanceof Error)) return e;
  const { errors = [], code = 'ERR_OSSL_UNKNOWN' } = e as Error & { errors?: SSLError['errors']; code?: string };
  const err = new SSLError(`"options.${name}": ${e.message}`, errors, code);
  (err as Error).cause = e;
  return err;
}

let defaultSessionIdContext: string | null = null;

/**
 * The session id context of servers whose Context compat-net builds, as node:tls makes it (a hash
 * of the command line, so that one program's sessions resume only in that program). OpenSSL refuses
 * to resume a session with a client certificate on a server without one.
 */
function sessionIdContextDefault(): string {
  defaultSessionIdContext ??= createHash('sha1').update(process.argv.join(' ')).digest('hex').slice(0, 32);
  return defaultSessionIdContext;
}

/**
 * `ciphers` as node:tls reads it: one OpenSSL-style list in which the TLS 1.3 suites are the names
 * that start with `TLS_` (`TLS_AES_128_GCM_SHA256`) and everything else is the TLS 1.2 cipher list.
 * As in node:tls, a list without TLS 1.3 suites keeps the default ones, and a list of TLS 1.3 suites
 * only leaves no TLS 1.2 cipher (so only TLS 1.3 can be negotiated).
 * @throws RangeError (`ERR_INVALID_ARG_VALUE`) when it names nothing; SSLError when OpenSSL matches none.
 */
export function applyCiphers(ctx: Context, ciphers: string): void {
  const names = ciphers.split(':').filter((c) => c.length > 0);
  const suites = names.filter((c) => c.startsWith('TLS_')).join(':');
  const list = names.filter((c) => !c.startsWith('TLS_')).join(':');
  if (suites === '' && list === '') {
    const err = new RangeError(`"options.ciphers" names no cipher: ${JSON.stringify(ciphers)}`);
    (err as RangeError & { code: string }).code = 'ERR_INVALID_ARG_VALUE';
    throw err;
  }
  try {
    if (suites !== '') ctx.setCiphersuites(suites);
    if (list !== '') ctx.setCipherList(list);
    else ctx.setMinProtoVersion(TLS1_3_VERSION); // OpenSSL refuses an empty TLS 1.2 list: the same effect
  } catch (e) {
    throw rename(e, 'ciphers');
  }
}

/**
 * Builds a Context from node:tls-style settings.
 *
 * Verification is OpenSSL's own, so that its verdict is what sessions carry:
 * - clients verify the server and keep going (`setVerifyDeferred`); SecureSocket reads the verdict
 *   after the handshake and acts on `rejectUnauthorized`;
 * - servers with `requestCert` and `rejectUnauthorized` (the default) let OpenSSL refuse an
 *   unverified client during the handshake, so a refused client never gets a ticket or a cached
 *   session; with `rejectUnauthorized: false` the verdict is kept (`authorized` false, also when the
 *   client resumes);
 * - servers without `requestCert` do not ask for a certificate.
 */
export function contextFromSettings(s: TlsSettings, server: boolean): Context {
  const ctx = new Context(server ? TLS_SERVER_METHOD : TLS_CLIENT_METHOD);
  ctx.setMinProtoVersion(s.minVersion ?? TLS1_2_VERSION);
  if (s.maxVersion !== null) ctx.setMaxProtoVersion(s.maxVersion);
  if (s.ciphers) applyCiphers(ctx, s.ciphers); // '' means the default list, as in node:tls
  if (s.cert !== null) {
    const [leaf, ...chain] = certificates(s.cert, 'cert');
    ctx.useCertificate(leaf!);
    for (const c of chain) ctx.addExtraChainCert(c);
  }
  if (s.key !== null) {
    try {
      ctx.usePrivatekey(loadPrivatekey(FILETYPE_PEM, s.key, s.passphrase));
    } catch (e) {
      throw rename(e, 'key');
    }
  }
  if (s.cert !== null && s.key !== null) {
    try {
      ctx.checkPrivatekey();
    } catch (e) {
      throw rename(e, 'key');
    }
  }
  if (s.ca !== null) {
    const store = ctx.getCertStore();
    s.ca.forEach((pem, i) => {
      for (const cert of certificates(pem, s.ca!.length > 1 ? `ca[${i}]` : 'ca')) {
        store.addCert(cert);
        if (server && s.requestCert) ctx.addClientCa(cert);
      }
    });
  } else if (!server || s.requestCert) {
    ctx.loadDefaultTrust(); // the CA bundle is parsed once per process, as node:tls does
  }
  if (s.alpn !== null && s.alpn.length > 0) {
    if (server) {
      const accepted = s.alpn;
      ctx.setAlpnSelectCallback((_conn, offered) => {
        for (const p of accepted) if (offered.some((o) => o.equals(p))) return p;
        return null;
      });
    } else {
      ctx.setAlpnProtos(s.alpn);
    }
  }
  if (!server) ctx.setVerifyDeferred(VERIFY_PEER);
  else if (!s.requestCert) ctx.setVerify(VERIFY_NONE);
  else if (s.rejectUnauthorized) ctx.setVerify(VERIFY_PEER | VERIFY_FAIL_IF_NO_PEER_CERT); // no callback: OpenSSL decides
  else ctx.setVerifyDeferred(VERIFY_PEER);
  if (server) ctx.setSessionId(s.sessionIdContext ?? sessionIdContextDefault());
  return ctx;
}
