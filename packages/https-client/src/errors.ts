// The errors of https-client: httplib's HTTPException family and M2Crypto's Checker errors.
import { brandClass } from '@ossl/crypto/internal';

/** An HTTP exchange that could not go on (httplib's HTTPException family). */
export class HTTPException extends globalThis.Error {
  static {
    brandClass(this, '@ossl/https-client:HTTPException');
  }

  /**
   * @param message what went wrong.
   * @param code a machine-readable code (`ERR_INCOMPLETE_READ`, `HOSTNAME_MISMATCH`, ...).
   * @param options `cause`: the error behind this one.
   */
  constructor(
    message: string,
    /** A machine-readable code (`ERR_INCOMPLETE_READ`, `HOSTNAME_MISMATCH`, ...). */
    readonly code = 'ERR_HTTP',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
/** A request was sent before the previous response was read (httplib's `CannotSendRequest`/`ResponseNotReady`). */
export class ResponseNotReady extends HTTPException {
  static {
    brandClass(this, '@ossl/https-client:ResponseNotReady');
  }
}
/** The server's status line or headers could not be parsed (httplib's `BadStatusLine`). */
export class BadStatusLine extends HTTPException {
  static {
    brandClass(this, '@ossl/https-client:BadStatusLine');
  }
}
/** The body ended before its declared length (httplib's `IncompleteRead`). */
export class IncompleteRead extends HTTPException {
  /** The bytes of the body that did arrive (the part not yet returned by `read`). */
  readonly partial: Buffer;
  /** How many more bytes were expected, or null when the length was not known (chunked). */
  readonly expected: number | null;

  static {
    brandClass(this, '@ossl/https-client:IncompleteRead');
  }

  /**
   * @param partial the bytes that did arrive.
   * @param expected how many more were expected, or null.
   * @param options `cause`: the transport error behind it.
   */
  constructor(partial: Buffer, expected: number | null, options?: { cause?: unknown }) {
    super(
      expected === null ? `IncompleteRead(${partial.length} bytes read, the body ended before its last chunk)` : `IncompleteRead(${partial.length} bytes read, ${expected} more expected)`,
      'ERR_INCOMPLETE_READ',
      options,
    );
    this.partial = partial;
    this.expected = expected;
  }
}
/** The certificate did not match the host name (M2Crypto's `Checker` error `WrongHost`). */
export class WrongHost extends HTTPException {
  static {
    brandClass(this, '@ossl/https-client:WrongHost');
  }
}
/** There was no peer certificate, or it did not match the pinned fingerprint (M2Crypto's `WrongCertificate`). */
export class WrongCertificate extends HTTPException {
  static {
    brandClass(this, '@ossl/https-client:WrongCertificate');
  }
}

