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
};
