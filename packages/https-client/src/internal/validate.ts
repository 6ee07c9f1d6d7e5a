// Argument checks for https-client: everything that ends up in a request line, a header line or a
// CONNECT request is checked here, before a socket is opened or a byte is written. The rules are
// node:http's (`checkIsHttpToken`, `validateHeaderValue`, `INVALID_PATH_REGEX`) and RFC 9110's; the
// error codes are node's, so callers can tell the failures apart the same way.
//
// Why so strict: the request is serialised as latin1 text, so every character that is not a
// field-vchar (CR, LF, NUL, other controls, and any character above U+00FF, which latin1 encoding
// would truncate to its low byte: U+010A becomes LF) could split a line and smuggle a header or a
// whole request past the caller (M2Crypto's CONNECT injection, CPython's bpo-30458).
import { isIP, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';
import { describe, typeError } from '@ossl/crypto/internal';

/** An Error of `Kind` with node's `code` property. */
function coded<E extends Error>(err: E, code: string): E & { code: string } {
  return Object.assign(err, { code });
}

/** A string for an error message: quoted, with controls and non-latin1 characters escaped. */
export function show(value: string, max = 80): string {
  const text = value.length > max ? `${value.slice(0, max)}...` : value;
  return JSON.stringify(text).replace(/[\x7f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Where the first offending character is, for messages: ` (U+000D at index 3)`. */
function where(value: string, re: RegExp): string {
  const m = re.exec(value);
  if (!m) return '';
  return ` (U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at index ${m.index})`;
}

/** RFC 9110 `token`: header names and methods. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Not a field-vchar, SP or HTAB (node's `validateHeaderValue`): no CR, LF, NUL, other controls, DEL or non-latin1. */
const INVALID_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** A request-target may hold no control, space, DEL or non-latin1 character. */
const INVALID_TARGET = /[^\x21-\x7e\x80-\xff]/;
/** What WHATWG URL parsing would silently strip or encode: C0 controls, space and DEL. */
const URL_CONTROL = /[\x00-\x20\x7f]/;
/** One DNS label as used in host names (underscores too, as resolvers accept them). */
const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/**
 * A header name: an RFC 9110 token.
 * @throws TypeError (`ERR_INVALID_HTTP_TOKEN`) otherwise, `ERR_INVALID_ARG_TYPE` for a non-string.
 */
export function validateHeaderName(name: unknown, param = 'header name'): string {
  if (typeof name !== 'string') throw typeError(param, 'a string', name);
  if (!TOKEN.test(name)) {
    throw coded(new TypeError(`Invalid ${param} ${show(name)}: it must be an HTTP token (RFC 9110: letters, digits and !#$%&'*+-.^_\`|~)`), 'ERR_INVALID_HTTP_TOKEN');
  }
  return name;
}

/**
 * One header value: a string (or a finite number), with no CR, LF, NUL or other control but TAB,
 * no DEL and nothing above U+00FF. obs-fold (CRLF followed by a space or TAB) is refused too: it
 * is deprecated (RFC 9112 5.2) and some peers read it as a new line.
 * @throws TypeError (`ERR_INVALID_CHAR`, or `ERR_HTTP_INVALID_HEADER_VALUE` for a wrong type).
 */
export function validateHeaderValue(name: string, value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint') text = String(value);
  else {
    throw coded(new TypeError(`Invalid value (${typeof value === 'number' ? String(value) : describe(value)}) for header ${show(name)}: it must be a string or a finite number`), 'ERR_HTTP_INVALID_HEADER_VALUE');
  }
  if (INVALID_HEADER_VALUE.test(text)) {
    throw coded(new TypeError(`Invalid character in the value of header ${show(name)}${where(text, INVALID_HEADER_VALUE)}: CR, LF, NUL, other controls but TAB, and characters above U+00FF are not allowed`), 'ERR_INVALID_CHAR');
  }
  return text;
}

/** Several values of one header joined on one line with `, ` (RFC 9110 5.3), never folded. */
export function joinHeaderValues(name: string, values: readonly unknown[]): string {
  return values.map((v) => validateHeaderValue(name, v)).join(', ');
}

/**
 * A headers object (own enumerable properties only; a value may be an array of values, joined on
 * one line) as checked `[name, value]` pairs.
 * @throws TypeError naming `param` when it is not a plain object, or for any bad name or value.
 */
export function validateHeaders(headers: unknown, param = 'headers'): [string, string][] {
  if (headers === undefined || headers === null) return [];
  if (typeof headers !== 'object' || Array.isArray(headers)) throw typeError(param, 'an object', headers);
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    validateHeaderName(name);
    out.push([name, Array.isArray(value) ? joinHeaderValues(name, value) : validateHeaderValue(name, value)]);
  }
  return out;
}

/**
 * A request method: an RFC 9110 token.
 * @throws TypeError (`ERR_INVALID_HTTP_TOKEN`, or `ERR_INVALID_ARG_TYPE`).
 */
export function validateMethod(method: unknown, param = 'method'): string {
  if (typeof method !== 'string') throw typeError(param, 'a string', method);
  if (!TOKEN.test(method)) throw coded(new TypeError(`Invalid ${param} ${show(method)}: it must be an HTTP token (RFC 9110)`), 'ERR_INVALID_HTTP_TOKEN');
  return method;
}

/**
 * A request-target for the request line: no control character, space, DEL or character above
 * U+00FF (node's `ERR_UNESCAPED_CHARACTERS`); percent-encode them. An empty one means `/`.
 */
export function validateRequestTarget(url: unknown, param = 'url'): string {
  if (typeof url !== 'string') throw typeError(param, 'a string', url);
  if (INVALID_TARGET.test(url)) {
    throw coded(new TypeError(`Invalid ${param} ${show(url)}: the request target contains a control character or a space, DEL or a character above U+00FF${where(url, INVALID_TARGET)}; percent-encode it`), 'ERR_UNESCAPED_CHARACTERS');
  }
  return url === '' ? '/' : url;
}

/**
 * A URL string as the caller wrote it, checked before WHATWG parsing, which would silently drop
 * TAB, CR and LF and encode spaces: anything in [\x00-\x20\x7f] is refused (`ERR_INVALID_URL`).
 */
export function validateUrlString(url: unknown, param = 'url'): string {
  if (typeof url !== 'string') {
    if (url instanceof URL) return validateUrlString(url.href, param);
    throw typeError(param, 'a string or URL', url);
  }
  if (URL_CONTROL.test(url)) {
    throw coded(new TypeError(`Invalid ${param} ${show(url)}: it contains a control character or a space${where(url, URL_CONTROL)}; percent-encode it`), 'ERR_INVALID_URL');
  }
  return url;
}

/**
 * A host to connect to or to name in a CONNECT request: an IPv4 or IPv6 literal (IPv6 with or
 * without brackets; returned without them) or a DNS host name (ASCII letters, digits, `-` and `_`
 * in dot-separated labels of up to 63 characters; an internationalised name is converted to its
 * A-label form first). Anything else (`@`, `:`, `/`, spaces, CR/LF, ...) is refused, because it
 * would change what the request line or the Host header says.
 * @throws TypeError (`ERR_INVALID_ARG_VALUE`, or `ERR_INVALID_ARG_TYPE` for a non-string).
 */
export function validateHost(host: unknown, param = 'host'): string {
  if (typeof host !== 'string') throw typeError(param, 'a string', host);
  const bad = (): TypeError =>
    coded(new TypeError(`Invalid ${param} ${show(host)}: it must be a host name or an IP address (IPv6 with or without brackets)`), 'ERR_INVALID_ARG_VALUE');
  let h = host;
  if (h.startsWith('[') && h.endsWith(']')) {
    h = h.slice(1, -1);
    if (!isIPv6(h)) throw bad();
    return h;
  }
  if (isIP(h) !== 0) return h;
  if (/[^\x00-\x7f]/.test(h)) {
    // An internationalised name: its A-label form, if it has one ('' when it is not a valid name).
    h = domainToASCII(h);
    if (h === '') throw bad();
  }
  const name = h.endsWith('.') ? h.slice(0, -1) : h;
  if (name.length === 0 || name.length > 253 || !name.split('.').every((label) => LABEL.test(label))) throw bad();
  return h;
}

/**
 * A TCP port: an integer 1..65535, or a string of digits only. `undefined`/`null` give `fallback`.
 * @throws RangeError (`ERR_SOCKET_BAD_PORT`) out of range; TypeError for other types or strings.
 */
export function validatePort(port: unknown, param: string, fallback: number): number {
  if (port === undefined || port === null) return fallback;
  let n: number;
  if (typeof port === 'number') n = port;
  else if (typeof port === 'string') {
    if (!/^[0-9]{1,5}$/.test(port)) throw coded(new TypeError(`Invalid ${param} ${show(port)}: a port given as a string must be all digits`), 'ERR_INVALID_ARG_VALUE');
    n = Number(port);
  } else throw typeError(param, 'an integer from 1 to 65535', port);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw coded(new RangeError(`"${param}" must be an integer from 1 to 65535, got ${String(port)}`), 'ERR_SOCKET_BAD_PORT');
  return n;
}

/** `host` as it goes into a request line or Host header: an IPv6 literal in brackets. */
export function formatHost(host: string): string {
  return isIPv6(host) ? `[${host}]` : host;
}

/**
 * A timeout in milliseconds: a finite number >= 0, or `undefined`/`null` for none.
 * @throws TypeError for another type, RangeError for a negative, NaN or infinite number.
 */
export function validateTimeout(value: unknown, param = 'timeout'): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number') throw typeError(param, 'a number of milliseconds or null', value);
  if (!Number.isFinite(value) || value < 0) throw coded(new RangeError(`"${param}" must be a finite number of milliseconds >= 0, got ${value}`), 'ERR_OUT_OF_RANGE');
  return value;
}

/** An optional boolean option: `undefined`/`null` are absent; anything else but a boolean is a TypeError. */
export function validateOptionalBoolean(value: unknown, param: string): boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'boolean') throw typeError(param, 'a boolean', value);
  return value;
}

/** An optional string option (a path, a user name, ...). */
export function validateOptionalString(value: unknown, param: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw typeError(param, 'a string', value);
  return value;
}

/**
 * A request body: a string (sent as UTF-8), a Buffer or any Uint8Array; `undefined`/`null` mean none.
 * @throws TypeError naming `param` for anything else.
 */
export function validateBody(body: unknown, param = 'body'): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw typeError(param, 'a string, Buffer or Uint8Array', body);
}

/**
 * `[host, port]` for `proxy` and `sourceAddress`. For a local address (`local`), Python's `''` host
 * (any local address) and port 0 (any local port) are allowed too.
 */
export function validateAddress(value: unknown, param: string, local = false): [string, number] {
  if (!Array.isArray(value) || value.length !== 2) throw typeError(param, 'a [host, port] pair', value);
  const host = local && value[0] === '' ? '' : validateHost(value[0], `${param}[0]`);
  if (local && value[1] === 0) return [host, 0];
  if (value[1] === undefined || value[1] === null) throw typeError(`${param}[1]`, 'a port number', value[1]);
  return [host, validatePort(value[1], `${param}[1]`, 0)];
}
