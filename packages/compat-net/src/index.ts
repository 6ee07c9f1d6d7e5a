// @ossl/compat-net: node:tls's module surface (and node:net's, and Python's ssl socket names) on ossl.
// `require('@ossl/compat-net')` and the default export are one mutable module object, as node:tls's
// exports are: programs assign `tls.DEFAULT_MAX_VERSION` and it takes effect.
import nodeNet from 'node:net';
import nodeTls from 'node:tls';

import { moduleRef, tlsDefaults } from './defaults.js';
import { checkServerIdentity } from './identity.js';
import { connect, createConnection, fromSocket, getServerCertificate, readline, readlines, wrapSocket, writelines } from './net.js';
import * as python from './python.js';
import { createSecureContext, SecureContext } from './secure-context.js';
import { SecureSocket } from './secure-socket.js';
import { createServer, Server } from './server.js';
import { convertALPNProtocols } from './alpn.js';
export { convertALPNProtocols } from './alpn.js';
import { createSecurePair, SecurePair } from './secure-pair.js';
import { createDefaultContext, CertificateVerifyError, getDefaultVerifyPaths } from '@ossl/ssl';

export { SecureSocket, SecureSocket as TLSSocket, SecureSocket as Socket } from './secure-socket.js';
export type { SecureSocketOptions, SecureSocketOptions as TLSSocketOptions, ServerPskCallback, ClientPskCallback } from './secure-socket.js';
export { SecureContext, createSecureContext, type SecureContextOptions, type KeyOrCert, type KeyWithPassphrase, type PfxWithPassphrase } from './secure-context.js';
export { Server, createServer, type ServerOptions, type ServerConstructor } from './server.js';
export { checkServerIdentity, type PeerCertificateLike } from './identity.js';
export { createSecurePair, SecurePair } from './secure-pair.js';
export type { AlpnProtocols, Pem, TlsVersionName } from './internal/options.js';
export { connect, createConnection, wrapSocket, fromSocket, getServerCertificate, readline, readlines, writelines, type ConnectOptions, type WrapSocketOptions } from './net.js';
export * from './python.js';
export { createDefaultContext, CertificateVerifyError, getDefaultVerifyPaths, type DefaultVerifyPaths } from '@ossl/ssl';

/** node:net's helpers, re-exported so that `import net from '@ossl/compat-net'` keeps every other line working. */
export const { isIP, isIPv4, isIPv6, BlockList, SocketAddress } = nodeNet;
/** node:net's `Stream` (its Socket class, under the old name). */
export const Stream: typeof nodeNet.Socket = (nodeNet as unknown as { Stream: typeof nodeNet.Socket }).Stream;
/** node:net's happy-eyeballs defaults (`autoSelectFamily`). */
export const { getDefaultAutoSelectFamily, setDefaultAutoSelectFamily, getDefaultAutoSelectFamilyAttemptTimeout, setDefaultAutoSelectFamilyAttemptTimeout } = nodeNet as typeof nodeNet & {
  getDefaultAutoSelectFamilyAttemptTimeout(): number;
  setDefaultAutoSelectFamilyAttemptTimeout(value: number): void;
};

/** The names of the ciphers OpenSSL (Node's) supports, lower case, TLS 1.3 suites included (node:tls's `getCiphers`). */
export function getCiphers(): string[] {
  return nodeTls.getCiphers();
}

/** The root certificates node:tls trusts by default (PEM), as node:tls's `rootCertificates`. */
export const rootCertificates: readonly string[] = nodeTls.rootCertificates;

/** The lowest protocol version of a context that names none (assignable on the module object). */
export const DEFAULT_MIN_VERSION: string = tlsDefaults.DEFAULT_MIN_VERSION;
/** The highest protocol version of a context that names none (assignable on the module object). */
export const DEFAULT_MAX_VERSION: string = tlsDefaults.DEFAULT_MAX_VERSION;
/** node:tls's default cipher list (assignable on the module object). */
export const DEFAULT_CIPHERS: string = tlsDefaults.DEFAULT_CIPHERS;
/** The default key exchange groups, `'auto'` (assignable on the module object). */
export const DEFAULT_ECDH_CURVE: string = tlsDefaults.DEFAULT_ECDH_CURVE;
/** Client-initiated renegotiations a server allows in `CLIENT_RENEG_WINDOW` (assignable on the module object). */
export const CLIENT_RENEG_LIMIT: number = tlsDefaults.CLIENT_RENEG_LIMIT;
/** The window of `CLIENT_RENEG_LIMIT`, in seconds (assignable on the module object). */
export const CLIENT_RENEG_WINDOW: number = tlsDefaults.CLIENT_RENEG_WINDOW;

/** The module object: every export, with the `DEFAULT_*` settings live and assignable. */
const tls = {
  connect,
  createConnection,
  createServer,
  Server,
  TLSSocket: SecureSocket,
  SecureSocket,
  Socket: SecureSocket,
  createSecureContext,
  SecureContext,
  createSecurePair,
  SecurePair,
  checkServerIdentity,
  getCiphers,
  rootCertificates,
  convertALPNProtocols,
  CLIENT_RENEG_LIMIT,
  CLIENT_RENEG_WINDOW,
  isIP,
  isIPv4,
  isIPv6,
  BlockList,
  SocketAddress,
  Stream,
  getDefaultAutoSelectFamily,
  setDefaultAutoSelectFamily,
  getDefaultAutoSelectFamilyAttemptTimeout,
  setDefaultAutoSelectFamilyAttemptTimeout,
  wrapSocket,
  fromSocket,
  getServerCertificate,
  readline,
  readlines,
  writelines,
  ...python,
  createDefaultContext,
  CertificateVerifyError,
  getDefaultVerifyPaths,
  /** The lowest protocol version of a context that names none. */
  DEFAULT_MIN_VERSION,
  /** The highest protocol version of a context that names none. */
  DEFAULT_MAX_VERSION,
  /** node:tls's default cipher list. */
  DEFAULT_CIPHERS,
  /** The default key exchange groups. */
  DEFAULT_ECDH_CURVE,
};
for (const name of ['DEFAULT_MIN_VERSION', 'DEFAULT_MAX_VERSION', 'DEFAULT_CIPHERS', 'DEFAULT_ECDH_CURVE', 'CLIENT_RENEG_LIMIT', 'CLIENT_RENEG_WINDOW'] as const) {
  Object.defineProperty(tls, name, {
    get: () => tlsDefaults[name],
    set: (value: never) => {
      tlsDefaults[name] = value;
    },
    enumerable: true,
    configurable: true,
  });
}
// As node:tls: a frozen list behind a getter that cannot be replaced.
delete (tls as Partial<typeof tls>).rootCertificates;
Object.defineProperty(tls, 'rootCertificates', { get: () => rootCertificates, enumerable: true, configurable: false });
// `require('@ossl/compat-net').default` keeps working where the CommonJS module object is this one.
Object.defineProperty(tls, 'default', { value: tls, enumerable: false });
moduleRef.current = tls;
export default tls;
