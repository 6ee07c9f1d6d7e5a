// Errors in node:tls's exact shape (code, message, library, reason), for the node-shaped names.
// The decisions are OpenSSL's; only the wording is node's, so code written for node:tls that tests
// `err.code` keeps working. Private to the package.
import { inspect } from 'node:util';
import type { OpenSSLErrorEntry } from '@ossl/crypto';

type Coded<E extends Error> = E & { code: string };

function withCode<E extends Error>(err: E, code: string): Coded<E> {
  Object.defineProperty(err, 'code', { value: code, enumerable: true, writable: true, configurable: true });
  return err as Coded<E>;
}

const CLASS_NAMES = new Set(['Buffer', 'TypedArray', 'DataView', 'ArrayBuffer', 'SecureContext', 'Function', 'Object', 'AbortSignal', 'Array']);

/** What node says it received: `Received type number (1)`, `Received an instance of Array`, ... */
function received(value: unknown): string {
  if (value === null || value === undefined) return ` Received ${value}`;
  if (typeof value === 'function') return ` Received function ${(value as { name?: string }).name || '<anonymous>'}`;
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    if (name) return ` Received an instance of ${name}`;
    return ` Received ${inspect(value, { depth: -1 })}`;
  }
  let shown = inspect(value, { colors: false });
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return ` Received type ${typeof value} (${shown})`;
}

/** node's list wording: `a, b, or c`. */
function orList(items: string[]): string {
  if (items.length <= 2) return items.join(' or ');
  return `${items.slice(0, -1).join(', ')}, or ${items[items.length - 1]}`;
}

/**
 * node's ERR_INVALID_ARG_TYPE: `The "options.ciphers" property must be of type string. Received type
 * number (1)`. `expected` mixes type names (`string`) and class names (`Buffer`).
 */
export function invalidArgType(name: string, expected: string | string[], value: unknown): Coded<TypeError> {
  const list = Array.isArray(expected) ? expected : [expected];
  const types = list.filter((t) => !CLASS_NAMES.has(t) && t[0] === t[0]!.toLowerCase());
  const instances = list.filter((t) => !types.includes(t));
  const kind = name.includes('.') ? 'property' : 'argument';
  let msg = `The "${name}" ${kind} must be `;
  const parts: string[] = [];
  if (types.length > 0) parts.push(`${types.length > 1 ? 'one of type' : 'of type'} ${orList(types)}`);
  if (instances.length > 0) parts.push(`an instance of ${orList(instances)}`);
  msg += parts.join(' or ');
  msg += `.${received(value)}`;
  return withCode(new TypeError(msg), 'ERR_INVALID_ARG_TYPE');
}

/** node's ERR_INVALID_ARG_VALUE: `The property 'options.x' is invalid. Received ...`. */
export function invalidArgValue(name: string, value: unknown, reason = 'is invalid'): Coded<TypeError> {
  const kind = name.includes('.') ? 'property' : 'argument';
  return withCode(new TypeError(`The ${kind} '${name}' ${reason}. Received ${inspect(value)}`), 'ERR_INVALID_ARG_VALUE');
}

/** node's ERR_OUT_OF_RANGE. */
export function outOfRange(name: string, range: string, value: unknown): Coded<RangeError> {
  return withCode(new RangeError(`The value of "${name}" is out of range. It must be ${range}. Received ${inspect(value)}`), 'ERR_OUT_OF_RANGE');
}

/** node's ERR_SOCKET_BAD_PORT. */
export function badPort(name: string, value: unknown): Coded<RangeError> {
  return withCode(new RangeError(`${name} should be >= 0 and < 65536. Received ${inspect(value)}.`), 'ERR_SOCKET_BAD_PORT');
}

/** An error with a node code and message. */
export function nodeError(code: string, message: string, Base: ErrorConstructor | TypeErrorConstructor | RangeErrorConstructor = Error): Coded<Error> {
  return withCode(new Base(message), code);
}

/** OpenSSL's text for a queued error: `error:0A00010B:SSL routines::wrong version number` (OpenSSL 3). */
export function opensslErrorString(entry: OpenSSLErrorEntry): string {
  const hex = (entry.code >>> 0).toString(16).toUpperCase().padStart(8, '0');
  return `error:${hex}:${entry.library ?? ''}::${entry.reason ?? ''}`;
}

/** OpenSSL's library numbers that node names in its error codes (ERR_LIB_*), and their names. */
const NODE_LIBS: Readonly<Record<number, string>> = {
  2: 'SYS', 3: 'BN', 4: 'RSA', 5: 'DH', 6: 'EVP', 7: 'BUF', 8: 'OBJ', 9: 'PEM', 10: 'DSA', 11: 'X509', 13: 'ASN1', 14: 'CONF',
  15: 'CRYPTO', 16: 'EC', 20: 'SSL', 32: 'BIO', 33: 'PKCS7', 34: 'X509V3', 35: 'PKCS12', 36: 'RAND', 37: 'DSO', 38: 'ENGINE',
  39: 'OCSP', 40: 'UI', 41: 'COMP', 42: 'ECDSA', 43: 'ECDH', 44: 'OSSL_STORE', 45: 'FIPS', 46: 'CMS', 47: 'TS', 48: 'HMAC',
  50: 'CT', 51: 'ASYNC', 52: 'KDF', 53: 'SM2', 128: 'USER',
};

/**
 * node's code for an OpenSSL error: `ERR_SSL_<REASON>` for the SSL library, `ERR_OSSL_<LIB>_<REASON>`
 * for the libraries node names, `ERR_OSSL_<REASON>` for the others (OpenSSL 3's providers).
 */
export function nodeOpensslCode(entry: OpenSSLErrorEntry): string {
  const lib = NODE_LIBS[(entry.code >>> 23) & 0xff];
  const reason = (entry.reason ?? 'unknown').toUpperCase().replace(/ /g, '_');
  if (lib === 'SSL') return `ERR_SSL_${reason}`;
  return lib === undefined ? `ERR_OSSL_${reason}` : `ERR_OSSL_${lib}_${reason}`;
}

/**
 * An OpenSSL failure on a TLS socket as node reports it: a plain Error whose message is OpenSSL's
 * text for the first queued error (`error:0A00010B:SSL routines::wrong version number`), with
 * `library`, `reason`, node's `code` (`ERR_SSL_<REASON>`), the later entries in
 * `opensslErrorStack`, and ours in `errors`. Errors without an OpenSSL queue pass through.
 */
export function nodeSslError(e: unknown): unknown {
  return nodeShaped(e, true);
}

/** An OpenSSL failure while building a secure context, as node:crypto reports it (library-named codes). */
export function nodeCryptoError(e: unknown): unknown {
  return nodeShaped(e, false);
}

/** node's shape for an OpenSSL failure: `onSocket` errors are all `ERR_SSL_<REASON>` (node's TLS wrap). */
function nodeShaped(e: unknown, onSocket: boolean): unknown {
  if (!(e instanceof Error)) return e;
  const errors = (e as Error & { errors?: OpenSSLErrorEntry[] }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return e;
  const first = errors[0]!;
  const err = new Error(opensslErrorString(first)) as Error & Record<string, unknown>;
  if (errors.length > 1) err.opensslErrorStack = errors.slice(1).map(opensslErrorString);
  err.library = first.library;
  err.reason = first.reason;
  err.code = onSocket ? `ERR_SSL_${(first.reason ?? 'unknown').toUpperCase().replace(/ /g, '_')}` : nodeOpensslCode(first);
  Object.defineProperty(err, 'errors', { value: errors, enumerable: false, configurable: true, writable: true });
  Object.defineProperty(err, 'cause', { value: e, enumerable: false, configurable: true, writable: true });
  return err;
}
