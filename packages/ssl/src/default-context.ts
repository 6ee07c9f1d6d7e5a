import { loadCertificate, FILETYPE_PEM } from '@ossl/crypto';

import { TLS1_2_VERSION, TLS_CLIENT_METHOD, TLS_SERVER_METHOD, VERIFY_NONE, VERIFY_PEER } from './constants.js';
import { Context } from './context.js';
import { ownOptions, typeError } from '@ossl/crypto/internal';

/** The peer the context authenticates: a server (for clients) or a client (for servers), as Python's `ssl.Purpose`. */
export const Purpose = Object.freeze({
  /** Authenticate servers: a client context (Python's `Purpose.SERVER_AUTH`). */
  SERVER_AUTH: 'SERVER_AUTH',
  /** Authenticate clients: a server context (Python's `Purpose.CLIENT_AUTH`). */
  CLIENT_AUTH: 'CLIENT_AUTH',
} as const);
/** `'SERVER_AUTH'` or `'CLIENT_AUTH'`: a value of `Purpose`. */
export type PurposeName = (typeof Purpose)[keyof typeof Purpose];

/** The session id context `createDefaultContext` sets (servers scope session reuse by it). */
const DEFAULT_SESSION_ID_CONTEXT = 'ossl';

/** Options of `createDefaultContext` (Python's `create_default_context` keyword arguments). */
export interface DefaultContextOptions {
  /** `SERVER_AUTH` (the default: a client context) or `CLIENT_AUTH` (a server context). */
  purpose?: PurposeName;
  /** Trusted CAs from a PEM file instead of the system store. */
  cafile?: string | null;
  /** Trusted CAs from a hashed directory instead of the system store. */
  capath?: string | null;
  /** Trusted CAs as PEM text (one or more certificates) or DER. */
  cadata?: string | Buffer | null;
}

/**
 * A context with secure defaults, like Python's `ssl.create_default_context()`: for `SERVER_AUTH`
 * (a client), TLS 1.2 or newer, the peer's certificate verified against the trusted roots and its host
 * name checked by OpenSSL (`X509_VERIFY_PARAM_set1_host`) against the name given to
 * `setTlsextHostName`. The roots are `cafile`/`capath`/`cadata` when given, else the system store,
 * else Node's bundled roots. `options` is read through its own properties only.
 */
export function createDefaultContext(defaultOptions: DefaultContextOptions = {}): Context {
  const options = ownOptions(defaultOptions);
  const purpose = options.purpose ?? Purpose.SERVER_AUTH;
  if (purpose !== Purpose.SERVER_AUTH && purpose !== Purpose.CLIENT_AUTH) throw typeError('purpose', 'Purpose.SERVER_AUTH or Purpose.CLIENT_AUTH', purpose);
  const ctx = new Context(purpose === Purpose.SERVER_AUTH ? TLS_CLIENT_METHOD : TLS_SERVER_METHOD);
  ctx.setMinProtoVersion(TLS1_2_VERSION);
  // As CPython's SSLContext does: without a session id context, a server that verifies clients
  // fails every resumption with an internal error.
  ctx.setSessionId(DEFAULT_SESSION_ID_CONTEXT);
  const { cafile = null, capath = null, cadata = null } = options;
  if (cafile !== null || capath !== null) ctx.loadVerifyLocations(cafile, capath);
  if (cadata !== null) {
    const store = ctx.getCertStore();
    if (Buffer.isBuffer(cadata) && !cadata.includes('-----BEGIN')) {
      store.addCert(loadCertificate(2, cadata));
    } else {
      const text = Buffer.isBuffer(cadata) ? cadata.toString('latin1') : cadata;
      if (typeof text !== 'string') throw typeError('cadata', 'PEM text or DER bytes', cadata);
      const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
      if (blocks.length === 0) throw new RangeError('"cadata" holds no PEM certificate');
      for (const pem of blocks) store.addCert(loadCertificate(FILETYPE_PEM, pem));
    }
  }
  if (cafile === null && capath === null && cadata === null) ctx.setDefaultVerifyPaths();
  if (purpose === Purpose.SERVER_AUTH) {
    ctx.setVerify(VERIFY_PEER);
    ctx.checkHostname = true;
  } else {
    ctx.setVerify(VERIFY_NONE);
  }
  return ctx;
}
