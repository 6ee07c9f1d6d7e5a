import { OpenSSLError, translateError, type OpenSSLErrorEntry } from '@ossl/crypto';

/** `SSL.Error`: a TLS failure, with OpenSSL's error queue in `errors` (pyOpenSSL's `SSL.Error`). */
export class SSLError extends OpenSSLError {
  static override readonly brand: string = '@ossl/ssl:Error';
}

/** The operation needs more bytes from the peer: feed `bioWrite` (or the socket) and retry. */
export class WantReadError extends SSLError {
  static override readonly brand: string = '@ossl/ssl:WantReadError';
  constructor(message = 'the operation did not complete; more data must be read from the peer') {
    super(message, [], 'ERR_SSL_WANT_READ');
  }
}

/** The operation must write to the peer before it can go on. */
export class WantWriteError extends SSLError {
  static override readonly brand: string = '@ossl/ssl:WantWriteError';
  constructor(message = 'the operation did not complete; data must be written to the peer') {
    super(message, [], 'ERR_SSL_WANT_WRITE');
  }
}

/** A certificate callback asked to be called again. */
export class WantX509LookupError extends SSLError {
  static override readonly brand: string = '@ossl/ssl:WantX509LookupError';
  constructor(message = 'the operation did not complete; the certificate lookup callback must be called again') {
    super(message, [], 'ERR_SSL_WANT_X509_LOOKUP');
  }
}

/** The peer closed the TLS connection cleanly (its close_notify arrived). */
export class ZeroReturnError extends SSLError {
  static override readonly brand: string = '@ossl/ssl:ZeroReturnError';
  constructor(message = 'the TLS connection was closed cleanly by the peer') {
    super(message, [], 'ERR_SSL_ZERO_RETURN');
  }
}

/**
 * The transport failed or ended without a close_notify (truncation). `errno` is the system error
 * number, or -1 with `Unexpected EOF` (pyOpenSSL's `SysCallError(-1, 'Unexpected EOF')`).
 */
export class SysCallError extends SSLError {
  static override readonly brand: string = '@ossl/ssl:SysCallError';
  readonly errno: number;
  constructor(errno = -1, message = 'Unexpected EOF', errors: OpenSSLErrorEntry[] = []) {
    super(message, errors, 'ERR_SSL_SYSCALL');
    this.errno = errno;
  }
}

/** X509_V_ERR_* numbers and their node:tls-style names (the constant without X509_V_ERR_). */
const VERIFY_CODE_NAMES: Record<number, string> = {
  2: 'UNABLE_TO_GET_ISSUER_CERT',
  3: 'UNABLE_TO_GET_CRL',
  4: 'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  5: 'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  6: 'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  7: 'CERT_SIGNATURE_FAILURE',
  8: 'CRL_SIGNATURE_FAILURE',
  9: 'CERT_NOT_YET_VALID',
  10: 'CERT_HAS_EXPIRED',
  11: 'CRL_NOT_YET_VALID',
  12: 'CRL_HAS_EXPIRED',
  13: 'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  14: 'ERROR_IN_CERT_NOT_AFTER_FIELD',
  18: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  19: 'SELF_SIGNED_CERT_IN_CHAIN',
  20: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  21: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  22: 'CERT_CHAIN_TOO_LONG',
  23: 'CERT_REVOKED',
  24: 'INVALID_CA',
  25: 'PATH_LENGTH_EXCEEDED',
  26: 'INVALID_PURPOSE',
  27: 'CERT_UNTRUSTED',
  28: 'CERT_REJECTED',
  29: 'SUBJECT_ISSUER_MISMATCH',
  30: 'AKID_SKID_MISMATCH',
  31: 'AKID_ISSUER_SERIAL_MISMATCH',
  32: 'KEYUSAGE_NO_CERTSIGN',
  47: 'NAME_CONSTRAINTS_WITHOUT_SUBJECT_NAME',
  48: 'PERMITTED_VIOLATION',
  49: 'EXCLUDED_VIOLATION',
  50: 'SUBTREE_MINMAX',
  62: 'HOSTNAME_MISMATCH',
  63: 'EMAIL_MISMATCH',
  64: 'IP_ADDRESS_MISMATCH',
  68: 'CA_KEY_TOO_SMALL',
  69: 'CA_MD_TOO_WEAK',
  70: 'INVALID_CALL',
  71: 'STORE_LOOKUP',
  74: 'NO_ISSUER_PUBLIC_KEY',
  79: 'EE_KEY_TOO_SMALL',
};

/**
 * A handshake failed certificate or host-name verification (Python's `SSLCertVerificationError`).
 * `verifyCode` is the `X509_V_ERR_*` number, `verifyMessage` OpenSSL's text for it, and `code` the
 * constant's name as node:tls sets it (`CERT_HAS_EXPIRED`, `HOSTNAME_MISMATCH`, ...).
 */
export class CertificateVerifyError extends SSLError {
  static override readonly brand: string = '@ossl/ssl:CertificateVerifyError';
  readonly verifyCode: number;
  readonly verifyMessage: string;
  constructor(verifyCode: number, verifyMessage: string, errors: OpenSSLErrorEntry[] = []) {
    super(`certificate verify failed: ${verifyMessage}`, errors, VERIFY_CODE_NAMES[verifyCode] ?? `X509_V_ERR_${verifyCode}`);
    this.verifyCode = verifyCode;
    this.verifyMessage = verifyMessage;
  }
}

/** OpenSSL's reason code for "unexpected eof while reading" (SSL_R_UNEXPECTED_EOF_WHILE_READING). */
const SSL_R_UNEXPECTED_EOF_WHILE_READING = 294;

/** Converts an addon failure into the matching ssl error class. */
export function toSSLError(e: unknown): unknown {
  const err = translateError(e, SSLError);
  if (!(err instanceof SSLError)) return err;
  const verify = err as SSLError & { verifyCode?: number; verifyMessage?: string };
  if (verify.verifyCode !== undefined && err.errors.some((x) => x.reason === 'certificate verify failed')) {
    return new CertificateVerifyError(verify.verifyCode, verify.verifyMessage ?? '', err.errors);
  }
  // OpenSSL 3 reports a transport EOF without close_notify as an SSL error; it is a truncation.
  if (err.errors.some((x) => (x.code & 0x7fffff) === SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
    return new SysCallError(-1, 'Unexpected EOF', err.errors);
  }
  return err;
}
