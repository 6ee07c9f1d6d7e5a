// node:tls's createSecureContext / SecureContext over an @ossl/ssl Context: the same options, checked
// the same way, with node's error codes and messages. Per-connection policy (verification, SNI,
// ALPN, PSK) is the TLSSocket's; what is here is shared by every connection that uses the context.
import { readFileSync } from 'node:fs';
import { inspect, type InspectOptionsStylized } from 'node:util';
import { FILETYPE_ASN1, FILETYPE_PEM, loadCertificate, loadCrl, loadPkcs12, loadPrivatekey, X509StoreFlags, type X509 } from '@ossl/crypto';
import { brandClass, inspectFields, ownOptions } from '@ossl/crypto/internal';
import {
  Context,
  MODE_RELEASE_BUFFERS,
  OP_ALLOW_CLIENT_RENEGOTIATION,
  SESS_CACHE_CLIENT,
  SESS_CACHE_NO_AUTO_CLEAR,
  SESS_CACHE_NO_INTERNAL,
  SESS_CACHE_SERVER,
  TLS_METHOD,
  TLS1_VERSION,
  TLS1_1_VERSION,
  TLS1_2_VERSION,
  TLS1_3_VERSION,
} from '@ossl/ssl';

import { tlsDefaults } from './defaults.js';
import { wireContext } from './internal/dispatch.js';
import { invalidArgType, invalidArgValue, nodeCryptoError, nodeError } from './internal/node-errors.js';

/** PEM text or DER bytes, as node:tls takes them. */
export type KeyOrCert = string | Buffer | NodeJS.ArrayBufferView;

/** A private key with its own passphrase (node:tls's `key: [{pem, passphrase}]`). */
export interface KeyWithPassphrase {
  /** The key, PEM. */
  pem: KeyOrCert;
  /** Its passphrase. */
  passphrase?: string;
}

/** A PKCS#12 blob with its own passphrase (node:tls's `pfx: [{buf, passphrase}]`). */
export interface PfxWithPassphrase {
  /** The PKCS#12 bytes. */
  buf: KeyOrCert;
  /** Its passphrase. */
  passphrase?: string;
}

/** node:tls's `createSecureContext` options. */
export interface SecureContextOptions {
  /** Trusted CAs (PEM), replacing the default set (node's roots plus `NODE_EXTRA_CA_CERTS`). */
  ca?: KeyOrCert | KeyOrCert[];
  /** Certificate chains (PEM): the first certificate of each is a leaf, the rest its chain. One per key type. */
  cert?: KeyOrCert | KeyOrCert[];
  /** Private keys (PEM), in the order of `cert`. */
  key?: KeyOrCert | Array<KeyOrCert | KeyWithPassphrase>;
  /** The passphrase of `key` and `pfx`. */
  passphrase?: string;
  /** PKCS#12 key and certificate (with its chain). */
  pfx?: KeyOrCert | Array<KeyOrCert | PfxWithPassphrase>;
  /** OpenSSL cipher list; names starting with `TLS_` are TLS 1.3 suites (default `DEFAULT_CIPHERS`). */
  ciphers?: string;
  /** Key exchange groups, colon-separated, or `'auto'` (default `DEFAULT_ECDH_CURVE`). */
  ecdhCurve?: string;
  /** Finite-field DH parameters (PEM) for DHE, or `'auto'`. */
  dhparam?: KeyOrCert;
  /** Signature algorithms, colon-separated (`'RSA-PSS+SHA256:ecdsa_secp256r1_sha256'`). */
  sigalgs?: string;
  /** Certificate revocation lists (PEM): revoked peers fail verification. */
  crl?: KeyOrCert | KeyOrCert[];
  /** The lowest protocol version (default `DEFAULT_MIN_VERSION`). */
  minVersion?: string;
  /** The highest protocol version (default `DEFAULT_MAX_VERSION`). */
  maxVersion?: string;
  /** A legacy OpenSSL method name (`'TLSv1_2_method'`) that pins the version. */
  secureProtocol?: string;
  /** OpenSSL's `SSL_OP_*` option bits. */
  secureOptions?: number;
  /** Servers: prefer their own cipher order. */
  honorCipherOrder?: boolean;
  /** Servers: the session id context. */
  sessionIdContext?: string;
  /** Servers: seconds a session stays resumable. */
  sessionTimeout?: number;
  /** Servers: 48 bytes of session ticket keys. */
  ticketKeys?: Buffer;
  /** Not available: ossl loads keys from memory only (OpenSSL engines are deprecated). */
  privateKeyEngine?: string;
  /** Not available (see `privateKeyEngine`). */
  privateKeyIdentifier?: string;
  /** Not available (see `privateKeyEngine`). */
  clientCertEngine?: string;
}

const SSL_OP_CIPHER_SERVER_PREFERENCE = 0x00400000;

const VERSION_NUMBERS: Readonly<Record<string, number>> = {
  'TLSv1.3': TLS1_3_VERSION,
  'TLSv1.2': TLS1_2_VERSION,
  'TLSv1.1': TLS1_1_VERSION,
  TLSv1: TLS1_VERSION,
};

/** OpenSSL's legacy method names: the versions each pins, [min, max] (0: unbounded). */
const METHODS: Readonly<Record<string, [number, number]>> = {
  TLS_method: [0, 0],
  TLS_client_method: [0, 0],
  TLS_server_method: [0, 0],
  SSLv23_method: [0, 0],
  SSLv23_client_method: [0, 0],
  SSLv23_server_method: [0, 0],
  TLSv1_method: [TLS1_VERSION, TLS1_VERSION],
  TLSv1_client_method: [TLS1_VERSION, TLS1_VERSION],
  TLSv1_server_method: [TLS1_VERSION, TLS1_VERSION],
  TLSv1_1_method: [TLS1_1_VERSION, TLS1_1_VERSION],
  TLSv1_1_client_method: [TLS1_1_VERSION, TLS1_1_VERSION],
  TLSv1_1_server_method: [TLS1_1_VERSION, TLS1_1_VERSION],
  TLSv1_2_method: [TLS1_2_VERSION, TLS1_2_VERSION],
  TLSv1_2_client_method: [TLS1_2_VERSION, TLS1_2_VERSION],
  TLSv1_2_server_method: [TLS1_2_VERSION, TLS1_2_VERSION],
};

function isBytes(value: unknown): value is NodeJS.ArrayBufferView {
  return ArrayBuffer.isView(value);
}

function toBuffer(value: string | NodeJS.ArrayBufferView): Buffer {
  if (typeof value === 'string') return Buffer.from(value);
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

function keyOrCert(name: string, value: unknown): Buffer {
  if (typeof value !== 'string' && !isBytes(value)) throw invalidArgType(name, ['string', 'Buffer', 'TypedArray', 'DataView'], value);
  return toBuffer(value);
}

function validateString(value: unknown, name: string): string {
  if (typeof value !== 'string') throw invalidArgType(name, 'string', value);
  return value;
}

function version(which: 'minimum' | 'maximum', value: unknown, fallback: string): number {
  const v = value === undefined || value === null ? fallback : value;
  if (typeof v === 'string' && Object.hasOwn(VERSION_NUMBERS, v)) return VERSION_NUMBERS[v]!;
  // node's words, then the option they are about (node's message names only the bound).
  const option = which === 'minimum' ? 'minVersion' : 'maxVersion';
  throw nodeError('ERR_TLS_INVALID_PROTOCOL_VERSION', `${JSON.stringify(v) ?? String(v)} is not a valid ${which} TLS protocol version (options.${option})`, TypeError);
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** The length of the DER element at the start of `der` (tag, length, content), or the whole when unreadable. */
function derElementLength(der: Buffer): number {
  if (der.length < 2) return der.length;
  const first = der[1]!;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || der.length < 2 + n) return der.length;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + der[2 + i]!;
  return Math.min(der.length, 2 + n + len);
}

/**
 * The certificates in PEM text: `CERTIFICATE`, `X509 CERTIFICATE` and `TRUSTED CERTIFICATE` blocks
 * (the last is a certificate followed by OpenSSL's trust settings, which node:tls ignores too).
 */
function certificatesIn(data: Buffer): X509[] {
  const text = data.toString('latin1');
  const blocks = [...text.matchAll(PEM_BLOCK)].filter((m) => m[1] === 'CERTIFICATE' || m[1] === 'TRUSTED CERTIFICATE' || m[1] === 'X509 CERTIFICATE');
  if (blocks.length === 0) return [loadCertificate(FILETYPE_PEM, data)]; // OpenSSL's own "no start line"
  return blocks.map((m) => {
    if (m[1] === 'CERTIFICATE') return loadCertificate(FILETYPE_PEM, m[0]);
    const body = m[0].replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '').replace(/\s+/g, '');
    const der = Buffer.from(body, 'base64');
    return loadCertificate(FILETYPE_ASN1, der.subarray(0, derElementLength(der)));
  });
}

function crlsIn(data: Buffer): ReturnType<typeof loadCrl>[] {
  const blocks = [...data.toString('latin1').matchAll(PEM_BLOCK)].filter((m) => m[1] === 'X509 CRL').map((m) => m[0]);
  if (blocks.length === 0) return [loadCrl(FILETYPE_PEM, data)];
  return blocks.map((block) => loadCrl(FILETYPE_PEM, block));
}

let rootAnchors: X509[] | null = null;

/**
 * node:tls's default trust: its bundled roots (the system store with `--use-openssl-ca`), plus the
 * certificates of `NODE_EXTRA_CA_CERTS`, read once per process (node warned at startup if it could not).
 */
function defaultAnchors(): X509[] {
  if (rootAnchors !== null) return rootAnchors;
  const anchors: X509[] = [];
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (extra) {
    try {
      anchors.push(...certificatesIn(readFileSync(extra)));
    } catch {
      // node itself reported the bad file when the process started, and ignores it; so do we.
    }
  }
  rootAnchors = anchors;
  return anchors;
}

function usesOpensslCa(): boolean {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return flags.includes('--use-openssl-ca') && !flags.includes('--use-bundled-ca');
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw nodeCryptoError(e);
  }
}

/**
 * node:tls's SecureContext: the certificates, keys, trust and protocol settings that connections
 * share. `context` is the @ossl/ssl Context behind it, for everything beyond node:tls.
 */
export class SecureContext {
  /** The @ossl/ssl Context (OpenSSL's SSL_CTX): callbacks, stores, anything node:tls does not offer. */
  readonly context: Context;
  /** Whether `ca` replaced the default trust. */
  readonly hasCustomCa: boolean;
  /** This side's certificates (one per key type), for node:tls's OCSPRequest and SNI checks. */
  readonly certificates: X509[] = [];
  /** Certificates that may issue them: the chains of `cert` and `pfx`, and `ca`. */
  readonly issuers: X509[] = [];

  static {
    brandClass(this, '@ossl/compat-net:SecureContext');
  }

  /**
   * @param options node:tls's createSecureContext options.
   * @throws TypeError (`ERR_INVALID_ARG_TYPE`, naming the option) for a value of the wrong type;
   *   node's errors for bad versions and methods; OpenSSL's error (node's wording) for bad PEM, PFX,
   *   passphrases and mismatched keys.
   */
  constructor(options: SecureContextOptions = {}) {
    if (options === null || typeof options !== 'object') throw invalidArgType('options', 'object', options);
    const o = ownOptions(options, 'options') as Record<string, unknown>;
    const { secureProtocol, minVersion, maxVersion } = o;
    let secureOptions = o.secureOptions;
    if (o.honorCipherOrder) secureOptions = (Number(secureOptions) | 0) | SSL_OP_CIPHER_SERVER_PREFERENCE;
    if (secureProtocol !== undefined && secureProtocol !== null && secureProtocol !== '') validateString(secureProtocol, 'secureProtocol');
    const ctx = new Context(TLS_METHOD);
    this.context = ctx;
    // OpenSSL frees a connection's record buffers while it idles (as CPython's ssl does): an idle
    // server connection costs node:tls's memory (bench/src/connections.mjs) instead of 1.5 times it.
    ctx.setMode(MODE_RELEASE_BUFFERS);
    // As node:tls: OpenSSL keeps no sessions of its own. A client's sessions go to 'session' (the
    // application resumes them); without this, every one also sat in the context's internal cache
    // (up to 20480 of them) for nothing.
    ctx.setSessionCacheMode(SESS_CACHE_CLIENT | SESS_CACHE_SERVER | SESS_CACHE_NO_INTERNAL | SESS_CACHE_NO_AUTO_CLEAR);
    let min = version('minimum', minVersion, tlsDefaults.DEFAULT_MIN_VERSION);
    let max = version('maximum', maxVersion, tlsDefaults.DEFAULT_MAX_VERSION);
    if (typeof secureProtocol === 'string' && secureProtocol !== '') {
      // As node:tls: a method and explicit versions conflict (checked before the method's name).
      const explicit = minVersion ?? maxVersion;
      if (explicit !== undefined && explicit !== null) {
        throw nodeError('ERR_TLS_PROTOCOL_VERSION_CONFLICT', `TLS protocol version ${JSON.stringify(explicit)} conflicts with secureProtocol ${JSON.stringify(secureProtocol)}`, TypeError);
      }
      if (/^SSLv[23]_/.test(secureProtocol)) throw nodeError('ERR_TLS_INVALID_PROTOCOL_METHOD', `${secureProtocol.slice(0, 5)} methods disabled`, TypeError);
      const pinned = Object.hasOwn(METHODS, secureProtocol) ? METHODS[secureProtocol] : undefined;
      if (pinned === undefined) throw nodeError('ERR_TLS_INVALID_PROTOCOL_METHOD', `Unknown method: ${secureProtocol}`, TypeError);
      if (pinned[0] !== 0) [min, max] = pinned;
      else if (secureProtocol.startsWith('SSLv23')) max = TLS1_2_VERSION; // node: the default floor up to TLS 1.2
      else min = TLS1_VERSION; // TLS_method: every version OpenSSL allows
    }
    ctx.setMinProtoVersion(min);
    ctx.setMaxProtoVersion(max);
    // As node:tls: a TLS 1.2 client may renegotiate (servers count and limit it: CLIENT_RENEG_LIMIT).
    ctx.setOptions(OP_ALLOW_CLIENT_RENEGOTIATION);
    if (secureOptions !== undefined && secureOptions !== null && secureOptions !== 0) {
      if (typeof secureOptions !== 'number' || !Number.isInteger(secureOptions)) throw invalidArgType('secureOptions', 'number', secureOptions);
      ctx.setOptions(secureOptions >>> 0);
    }
    this.hasCustomCa = Boolean(o.ca);
    configure(ctx, o, this);
    // node:tls's 'session' events: a context may be switched to inside a handshake (SNI), where it can
    // no longer be changed, so its session callback is set now.
    wireContext(ctx, 'session');
  }

  /** What `util.inspect` prints: `SecureContext { context: Context {...} }`. */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(this, 'SecureContext', { context: () => this.context }, depth, options, inspectFn);
  }
}

/** node's configSecureContext: applies the options, in node's order, checking each. */
function configure(ctx: Context, o: Record<string, unknown>, sc: SecureContext): void {
  const { ca, cert, key, passphrase, pfx, sigalgs, privateKeyIdentifier, privateKeyEngine, clientCertEngine, dhparam, crl, sessionIdContext, ticketKeys, sessionTimeout } = o;
  const ciphers = o.ciphers === undefined ? tlsDefaults.DEFAULT_CIPHERS : o.ciphers;
  const ecdhCurve = o.ecdhCurve === undefined ? tlsDefaults.DEFAULT_ECDH_CURVE || 'auto' : o.ecdhCurve;
  const store = ctx.getCertStore();
  if (ca) {
    const list = Array.isArray(ca) ? ca : [ca];
    list.forEach((item) => {
      const pem = keyOrCert('options.ca', item);
      for (const c of wrap(() => certificatesIn(pem))) {
        store.addCert(c);
        ctx.addClientCa(c);
        sc.issuers.push(c);
      }
    });
  } else if (usesOpensslCa()) {
    ctx.loadDefaultTrust();
    for (const c of defaultAnchors()) store.addCert(c);
  } else {
    ctx.loadNodeRootCertificates();
    for (const c of defaultAnchors()) store.addCert(c);
  }
  const certs: Buffer[] = [];
  if (cert) for (const item of Array.isArray(cert) ? cert : [cert]) certs.push(keyOrCert('options.cert', item));
  for (const pem of certs) {
    const [leaf, ...chain] = wrap(() => certificatesIn(pem));
    wrap(() => ctx.useCertificate(leaf!));
    sc.certificates.push(leaf!);
    for (const c of chain) {
      wrap(() => ctx.addExtraChainCert(c));
      sc.issuers.push(c);
    }
  }
  if (key) {
    const setKey = (k: unknown, pass: unknown): void => {
      const pem = keyOrCert('options.key', k);
      if (pass !== undefined && pass !== null) validateString(pass, 'options.passphrase');
      wrap(() => {
        ctx.usePrivatekey(loadPrivatekey(FILETYPE_PEM, pem, (pass as string | undefined) ?? ''));
        if (certs.length > 0) ctx.checkPrivatekey();
      });
    };
    if (Array.isArray(key)) {
      for (const item of key) {
        const entry = item !== null && typeof item === 'object' && !isBytes(item) ? (item as Record<string, unknown>) : null;
        setKey(entry && entry.pem !== undefined ? entry.pem : item, entry && entry.passphrase !== undefined ? entry.passphrase : passphrase);
      }
    } else {
      setKey(key, passphrase);
    }
  }
  if (sigalgs !== undefined && sigalgs !== null) {
    validateString(sigalgs, 'options.sigalgs');
    if (sigalgs === '') throw invalidArgValue('options.sigalgs', sigalgs);
    wrap(() => ctx.setSigalgs(sigalgs as string));
  }
  if (privateKeyIdentifier !== undefined && privateKeyIdentifier !== null) {
    if (privateKeyEngine === undefined || privateKeyEngine === null) throw invalidArgValue('options.privateKeyEngine', privateKeyEngine);
    if (key) throw invalidArgValue('options.privateKeyIdentifier', privateKeyIdentifier);
    if (typeof privateKeyIdentifier !== 'string') throw invalidArgType('options.privateKeyIdentifier', ['string', 'null', 'undefined'], privateKeyIdentifier);
    if (typeof privateKeyEngine !== 'string') throw invalidArgType('options.privateKeyEngine', ['string', 'null', 'undefined'], privateKeyEngine);
    throw nodeError('ERR_CRYPTO_CUSTOM_ENGINE_NOT_SUPPORTED', 'Custom engines not supported by this OpenSSL');
  }
  if (ciphers !== undefined && ciphers !== null) validateString(ciphers, 'options.ciphers');
  const names = ((ciphers as string | null) || tlsDefaults.DEFAULT_CIPHERS).split(':');
  // node:tls's split: TLS 1.3 suites (and their exclusions) start with `TLS_` / `!TLS_`.
  const isSuite = (c: string): boolean => c.startsWith('TLS_') || c.startsWith('!TLS_');
  const list = names.filter((c) => c.length > 0 && !isSuite(c)).join(':');
  const suites = names.filter((c) => c.length > 0 && isSuite(c)).join(':');
  if (suites === '' && list === '') throw invalidArgValue('options.ciphers', names);
  if (suites !== '') wrap(() => ctx.setCiphersuites(suites));
  if (list !== '') wrap(() => ctx.setCipherList(list));
  // OpenSSL refuses an empty TLS 1.2 list; as node:tls, that means "TLS 1.3 only" where allowed.
  else if (ctx.getMinProtoVersion() < TLS1_3_VERSION && (ctx.getMaxProtoVersion() === 0 || ctx.getMaxProtoVersion() > TLS1_2_VERSION)) ctx.setMinProtoVersion(TLS1_3_VERSION);
  validateString(ecdhCurve, 'options.ecdhCurve');
  if (ecdhCurve !== 'auto') {
    try {
      ctx.setGroups(ecdhCurve as string);
    } catch {
      throw nodeError('ERR_CRYPTO_OPERATION_FAILED', 'Failed to set ECDH curve', TypeError);
    }
  }
  if (dhparam !== undefined && dhparam !== null) {
    if (dhparam === 'auto') ctx.setDhAuto();
    else {
      const pem = keyOrCert('options.dhparam', dhparam);
      let bits = 0;
      try {
        bits = ctx.useTmpDh(pem);
      } catch (e) {
        // OpenSSL refuses groups below its security level; node:tls says why in its words.
        const reasons = ((e as { errors?: Array<{ reason?: string }> }).errors ?? []).map((x) => x.reason ?? '');
        if (reasons.some((r) => /too small/.test(r))) throw nodeError('ERR_INVALID_ARG_VALUE', 'DH parameter is less than 1024 bits');
        // As node:tls: text that holds no DH parameters is ignored (DHE stays off).
      }
      if (bits > 0 && bits < 1024) throw nodeError('ERR_INVALID_ARG_VALUE', 'DH parameter is less than 1024 bits');
      if (bits > 0 && bits < 2048) process.emitWarning('DH parameter is less than 2048 bits', 'SecurityWarning');
    }
  }
  if (crl !== undefined && crl !== null) {
    for (const item of Array.isArray(crl) ? crl : [crl]) {
      const pem = keyOrCert('options.crl', item);
      for (const c of wrap(() => crlsIn(pem))) store.addCrl(c);
    }
    store.setFlags(X509StoreFlags.CRL_CHECK | X509StoreFlags.CRL_CHECK_ALL);
  }
  if (sessionIdContext !== undefined && sessionIdContext !== null) {
    validateString(sessionIdContext, 'options.sessionIdContext');
    wrap(() => ctx.setSessionId(sessionIdContext as string));
  }
  if (pfx !== undefined && pfx !== null) {
    const load = (raw: unknown, pass: unknown): void => {
      const bytes = keyOrCert('options.pfx', raw);
      const p12 = wrap(() => loadPkcs12(bytes, pass === undefined || pass === null ? null : toBuffer(pass as string)));
      const leaf = p12.getCertificate();
      const pkey = p12.getPrivatekey();
      if (!pkey) throw nodeError('ERR_CRYPTO_OPERATION_FAILED', 'Unable to load private key from PFX data');
      if (leaf) {
        wrap(() => ctx.useCertificate(leaf));
        sc.certificates.push(leaf);
      }
      // As node:tls: the CA certificates in the PFX are its chain, trusted, and named to clients.
      for (const c of p12.getCaCertificates() ?? []) {
        wrap(() => ctx.addExtraChainCert(c));
        store.addCert(c);
        ctx.addClientCa(c);
        sc.issuers.push(c);
      }
      wrap(() => ctx.usePrivatekey(pkey));
      if (leaf && pkey) wrap(() => ctx.checkPrivatekey());
    };
    if (Array.isArray(pfx)) {
      for (const val of pfx) {
        const entry = val !== null && typeof val === 'object' && !isBytes(val) ? (val as Record<string, unknown>) : null;
        load(entry?.buf ?? val, entry?.passphrase ?? passphrase);
      }
    } else {
      load(pfx, passphrase);
    }
  }
  if (typeof clientCertEngine === 'string') throw nodeError('ERR_CRYPTO_CUSTOM_ENGINE_NOT_SUPPORTED', 'Custom engines not supported by this OpenSSL');
  if (clientCertEngine !== undefined && clientCertEngine !== null) throw invalidArgType('options.clientCertEngine', ['string', 'null', 'undefined'], clientCertEngine);
  if (ticketKeys !== undefined && ticketKeys !== null) {
    if (!isBytes(ticketKeys)) throw invalidArgType('options.ticketKeys', ['Buffer', 'TypedArray', 'DataView'], ticketKeys);
    if (ticketKeys.byteLength !== 48) throw invalidArgValue('options.ticketKeys', ticketKeys.byteLength, 'must be exactly 48 bytes');
    ctx.setTicketKeys(toBuffer(ticketKeys));
  }
  if (sessionTimeout !== undefined && sessionTimeout !== null) {
    if (typeof sessionTimeout !== 'number') throw invalidArgType('options.sessionTimeout', 'number', sessionTimeout);
    if (!Number.isInteger(sessionTimeout) || sessionTimeout < -(2 ** 31) || sessionTimeout >= 2 ** 31) {
      throw nodeError('ERR_OUT_OF_RANGE', `The value of "options.sessionTimeout" is out of range. It must be an integer >= -2147483648 && <= 2147483647. Received ${inspect(sessionTimeout)}`, RangeError);
    }
    ctx.setTimeout(sessionTimeout);
  }
}

/**
 * node:tls's `createSecureContext(options)`.
 * @throws as `new SecureContext(options)`.
 */
export function createSecureContext(options?: SecureContextOptions): SecureContext {
  return new SecureContext(options ?? {});
}
