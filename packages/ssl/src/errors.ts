import { constants as osConstants } from 'node:os';
import { OpenSSLError, translateError, VERIFY_ERROR_NAMES, type OpenSSLErrorEntry } from '@ossl/crypto';
import { brandClass } from '@ossl/crypto/internal';

/** `SSL.Error`: a TLS failure, with OpenSSL's error queue in `errors` (pyOpenSSL's `SSL.Error`). */
export class SSLError extends OpenSSLError {
  /** `'@ossl/ssl:Error'`. */
  static override readonly brand: string = '@ossl/ssl:Error';
  static {
    brandClass(this, this.brand);
  }
}

/** The operation needs more bytes from the peer: feed `bioWrite` (or the socket) and retry. */
export class WantReadError extends SSLError {
  /** `'@ossl/ssl:WantReadError'`. */
  static override readonly brand: string = '@ossl/ssl:WantReadError';
  static {
    brandClass(this, this.brand);
  }
  constructor(message = 'the operation did not complete; more data must be read from the peer') {
    super(message, [], 'ERR_SSL_WANT_READ');
  }
}

/** The operation must write to the peer before it can go on. */
export class WantWriteError extends SSLError {
  /** `'@ossl/ssl:WantWriteError'`. */
  static override readonly brand: string = '@ossl/ssl:WantWriteError';
  static {
    brandClass(this, this.brand);
  }
  constructor(message = 'the operation did not complete; data must be written to the peer') {
    super(message, [], 'ERR_SSL_WANT_WRITE');
  }
}

/** A certificate callback asked to be called again. */
export class WantX509LookupError extends SSLError {
  /** `'@ossl/ssl:WantX509LookupError'`. */
  static override readonly brand: string = '@ossl/ssl:WantX509LookupError';
  static {
    brandClass(this, this.brand);
  }
  constructor(message = 'the operation did not complete; the certificate lookup callback must be called again') {
    super(message, [], 'ERR_SSL_WANT_X509_LOOKUP');
  }
}

/** The peer closed the TLS connection cleanly (its close_notify arrived). */
export class ZeroReturnError extends SSLError {
  /** `'@ossl/ssl:ZeroReturnError'`. */
  static override readonly brand: string = '@ossl/ssl:ZeroReturnError';
  static {
    brandClass(this, this.brand);
  }
  constructor(message = 'the TLS connection was closed cleanly by the peer') {
    super(message, [], 'ERR_SSL_ZERO_RETURN');
  }
}

/**
 * The transport failed or ended without a close_notify (truncation). `errno` is the system error
 * number, or -1 with `Unexpected EOF` (pyOpenSSL's `SysCallError(-1, 'Unexpected EOF')`).
 */
export class SysCallError extends SSLError {
  /** `'@ossl/ssl:SysCallError'`. */
  static override readonly brand: string = '@ossl/ssl:SysCallError';
  static {
    brandClass(this, this.brand);
  }
  /** The system error number, or -1 for an EOF without close_notify. */
  readonly errno: number;
  /**
   * @param errno the system error number, or -1.
   * @param message what happened (`Unexpected EOF`).
   * @param errors OpenSSL's error queue, if it had one.
   */
  constructor(errno = -1, message = 'Unexpected EOF', errors: OpenSSLErrorEntry[] = []) {
    super(message, errors, 'ERR_SSL_SYSCALL');
    this.errno = errno;
  }
}

/**
 * The transport ended without a close_notify, in violation of the protocol: Python's `SSLEOFError`
 * ("EOF occurred in violation of protocol"), raised by `SSLObject`. The pyOpenSSL layer raises its
 * base, SysCallError with errno -1, for the same end.
 */
export class SSLEOFError extends SysCallError {
  /** `'@ossl/ssl:SSLEOFError'`. */
  static override readonly brand: string = '@ossl/ssl:SSLEOFError';
  static {
    brandClass(this, this.brand);
  }
  /**
   * @param message what happened.
   * @param errors OpenSSL's error queue, if it had one.
   */
  constructor(message = 'Unexpected EOF', errors: OpenSSLErrorEntry[] = []) {
    super(-1, message, errors);
  }
}

/**
 * A handshake failed certificate or host-name verification (Python's `SSLCertVerificationError`).
 * `verifyCode` is the `X509_V_ERR_*` number, `verifyMessage` OpenSSL's text for it, and `code` the
 * constant's name as node:tls sets it (`CERT_HAS_EXPIRED`, `HOSTNAME_MISMATCH`, ...).
 */
export class CertificateVerifyError extends SSLError {
  /** `'@ossl/ssl:CertificateVerifyError'`. */
  static override readonly brand: string = '@ossl/ssl:CertificateVerifyError';
  static {
    brandClass(this, this.brand);
  }
  /** The `X509_V_ERR_*` number. */
  readonly verifyCode: number;
  /** OpenSSL's text for `verifyCode` (`certificate has expired`). */
  readonly verifyMessage: string;
  /**
   * @param verifyCode the `X509_V_ERR_*` number.
   * @param verifyMessage OpenSSL's text for it.
   * @param errors OpenSSL's error queue, if it had one.
   */
  constructor(verifyCode: number, verifyMessage: string, errors: OpenSSLErrorEntry[] = []) {
    super(`certificate verify failed: ${verifyMessage}`, errors, VERIFY_ERROR_NAMES[verifyCode] ?? `X509_V_ERR_${verifyCode}`);
    this.verifyCode = verifyCode;
    this.verifyMessage = verifyMessage;
  }
}

/**
 * A transport's error (node:net, node:dgram) as the SysCallError ssl reports transport failures
 * with: the system error number and code kept.
 * @internal
 */
export function transportError(err: Error & { errno?: number; code?: string }): SysCallError {
  if (err instanceof SysCallError) return err;
  // A connect to a name with several addresses fails with an AggregateError that has a code, no errno.
  const systemErrno = err.code !== undefined ? (osConstants.errno as Record<string, number>)[err.code] : undefined;
  const errno = typeof err.errno === 'number' ? Math.abs(err.errno) : systemErrno ?? -1;
  const e = new SysCallError(errno, err.message || err.code || 'connection failed');
  if (err.code) e.code = err.code;
  return e;
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
