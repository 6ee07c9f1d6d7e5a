// The errors compat-net makes itself, in node:tls's shape (code, message) or CPython's where the
// Python-shaped names are used. Private to the package.
import { SSLError } from '@ossl/ssl';

/** Set on the options of a SecureSocket made by a Python-shaped name (`wrapSocket`): errors as CPython words them. */
export const kPythonShape: unique symbol = Symbol('ossl.compat-net.pythonShape');

function withCode<E extends Error>(err: E, code: string): E & { code: string } {
  return Object.assign(err, { code });
}

/**
 * The transport ended (or closed) before the handshake finished: node:tls's ECONNRESET, or CPython's
 * `SSLEOFError` for the Python-shaped names.
 */
export function handshakeEofError(server: boolean, python: boolean): Error {
  if (python) return eofError();
  return withCode(new Error(server ? 'socket hang up' : 'Client network socket disconnected before secure TLS connection was established'), 'ECONNRESET');
}

/** A TCP EOF without close_notify where one was due (CPython's `SSLEOFError`), for `suppressRaggedEofs: false`. */
export function eofError(): SSLError {
  return new SSLError('EOF occurred in violation of protocol', [], 'ERR_SSL_EOF');
}

/** The transport was already destroyed when TLS was to start on it. */
export function socketClosedError(): Error {
  return withCode(new Error('Socket is closed: the transport was destroyed before TLS could start'), 'ERR_SOCKET_CLOSED');
}

/** A server's client did not finish its handshake within `handshakeTimeout` (node:tls's error). */
export function handshakeTimeoutError(): Error {
  return withCode(new Error('TLS handshake timeout'), 'ERR_TLS_HANDSHAKE_TIMEOUT');
}

/** A verifying client that has no name to check the server's certificate against. */
export function noHostnameError(): SSLError {
  return new SSLError('the server certificate was not checked against any host name: give servername (or host)', [], 'ERR_SSL_NO_HOSTNAME');
}
