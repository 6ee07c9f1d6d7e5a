// node:tls's module-level defaults, which programs assign (`tls.DEFAULT_MAX_VERSION = 'TLSv1.2'`).
// The module object exposes them as accessors over this one record, which everything here reads
// when it builds a secure context.
import nodeTls from 'node:tls';

/** The record behind `DEFAULT_MIN_VERSION`, `DEFAULT_MAX_VERSION`, `DEFAULT_CIPHERS`, `DEFAULT_ECDH_CURVE`. */
export const tlsDefaults = {
  /** The lowest protocol version of a context that names none (node:tls's default, `'TLSv1.2'`). */
  DEFAULT_MIN_VERSION: nodeTls.DEFAULT_MIN_VERSION as string,
  /** The highest protocol version of a context that names none (`'TLSv1.3'`). */
  DEFAULT_MAX_VERSION: nodeTls.DEFAULT_MAX_VERSION as string,
  /** The cipher list of a context that names none: node:tls's, TLS 1.3 suites included. */
  DEFAULT_CIPHERS: nodeTls.DEFAULT_CIPHERS as string,
  /** The key exchange groups of a context that names none (`'auto'`: OpenSSL's list). */
  DEFAULT_ECDH_CURVE: nodeTls.DEFAULT_ECDH_CURVE as string,
  /** Client-initiated renegotiations a server allows in `CLIENT_RENEG_WINDOW` (node:tls's, 3). */
  CLIENT_RENEG_LIMIT: 3,
  /** The window of `CLIENT_RENEG_LIMIT`, in seconds (600). */
  CLIENT_RENEG_WINDOW: 600,
};

/**
 * The module object, once index.ts has made it: `connect` calls `createSecureContext` through it,
 * as node:tls does, so a program (or a test) that replaces `tls.createSecureContext` is heard.
 */
export const moduleRef: { current: { createSecureContext(options: object): unknown } | null } = { current: null };
