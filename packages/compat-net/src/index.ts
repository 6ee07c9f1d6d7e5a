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
export type { SecureSocketOptions, SecureSocketOptions as TLSSocketOptions, ServerPskCallback, ClientPskCallback, PskIdentity, OnreadOptions, CipherInfo, EphemeralKeyInfo } from './secure-socket.js';
export { SecureContext, createSecureContext, type SecureContextOptions, type KeyOrCert, type KeyWithPassphrase, type PfxWithPassphrase } from './secure-context.js';
export { Server, createServer, type ServerOptions, type ServerConstructor } from './server.js';
export { checkServerIdentity, type PeerCertificateLike } from './identity.js';
export { createSecurePair, SecurePair } from './secure-pair.js';
export type { AlpnProtocols, Pem, TlsVersionName } from './internal/options.js';
export { connect, createConnection, wrapSocket, fromSocket, getServerCertificate, readline, readlines, writelines, type ConnectOptions, type WrapSocketOptions } from './net.js';
export * from './python.js';
export { createDefaultContext, CertificateVerifyError, getDefaultVerifyPaths, type DefaultVerifyPaths } from '@ossl/ssl';

/** node:net's `isIP`, re-exported so that `import net from '@ossl/compat-net'` keeps every other line working. */
export const isIP: typeof nodeNet.isIP = nodeNet.isIP;
/** node:net's `isIPv4`. */
export const isIPv4: typeof nodeNet.isIPv4 = nodeNet.isIPv4;
/** node:net's `isIPv6`. */
export const isIPv6: typeof nodeNet.isIPv6 = nodeNet.isIPv6;
/** node:net's `BlockList`. */
export const BlockList: typeof nodeNet.BlockList = nodeNet.BlockList;
/** node:net's `SocketAddress`. */
export const SocketAddress: typeof nodeNet.SocketAddress = nodeNet.SocketAddress;
/** node:net's `Stream` (its Socket class, under the old name). */
export const Stream: typeof nodeNet.Socket = (nodeNet as unknown as { Stream: typeof nodeNet.Socket }).Stream;
type AutoSelect = typeof nodeNet & {
  getDefaultAutoSelectFamilyAttemptTimeout(): number;
  setDefaultAutoSelectFamilyAttemptTimeout(value: number): void;
};
/** node:net's `getDefaultAutoSelectFamily`. */
export const getDefaultAutoSelectFamily: AutoSelect['getDefaultAutoSelectFamily'] = nodeNet.getDefaultAutoSelectFamily;
/** node:net's `setDefaultAutoSelectFamily`. */
export const setDefaultAutoSelectFamily: AutoSelect['setDefaultAutoSelectFamily'] = nodeNet.setDefaultAutoSelectFamily;
/** node:net's `getDefaultAutoSelectFamilyAttemptTimeout`. */
export const getDefaultAutoSelectFamilyAttemptTimeout: AutoSelect['getDefaultAutoSelectFamilyAttemptTimeout'] = (nodeNet as AutoSelect).getDefaultAutoSelectFamilyAttemptTimeout;
/** node:net's `setDefaultAutoSelectFamilyAttemptTimeout`. */
export const setDefaultAutoSelectFamilyAttemptTimeout: AutoSelect['setDefaultAutoSelectFamilyAttemptTimeout'] = (nodeNet as AutoSelect).setDefaultAutoSelectFamilyAttemptTimeout;

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
  /** See {@link connect}. */
  connect,
  /** See {@link createConnection}. */
  createConnection,
  /** See {@link createServer}. */
  createServer,
  /** See {@link Server}. */
  Server,
  /** node:tls's name for {@link SecureSocket}. */
  TLSSocket: SecureSocket,
  /** See {@link SecureSocket}. */
  SecureSocket,
  /** node:net's name for {@link SecureSocket}. */
  Socket: SecureSocket,
  /** See {@link createSecureContext}. */
  createSecureContext,
  /** See {@link SecureContext}. */
  SecureContext,
  /** See {@link createSecurePair}. */
  createSecurePair,
  /** See {@link SecurePair}. */
  SecurePair,
  /** See {@link checkServerIdentity}. */
  checkServerIdentity,
  /** See {@link getCiphers}. */
  getCiphers,
  /** See {@link rootCertificates}. */
  rootCertificates,
  /** See {@link convertALPNProtocols}. */
  convertALPNProtocols,
  /** See {@link CLIENT_RENEG_LIMIT}. */
  CLIENT_RENEG_LIMIT,
  /** See {@link CLIENT_RENEG_WINDOW}. */
  CLIENT_RENEG_WINDOW,
  /** See {@link isIP}. */
  isIP,
  /** See {@link isIPv4}. */
  isIPv4,
  /** See {@link isIPv6}. */
  isIPv6,
  /** See {@link BlockList}. */
  BlockList,
  /** See {@link SocketAddress}. */
  SocketAddress,
  /** See {@link Stream}. */
  Stream,
  /** See {@link getDefaultAutoSelectFamily}. */
  getDefaultAutoSelectFamily,
  /** See {@link setDefaultAutoSelectFamily}. */
  setDefaultAutoSelectFamily,
  /** See {@link getDefaultAutoSelectFamilyAttemptTimeout}. */
  getDefaultAutoSelectFamilyAttemptTimeout,
  /** See {@link setDefaultAutoSelectFamilyAttemptTimeout}. */
  setDefaultAutoSelectFamilyAttemptTimeout,
  /** See {@link wrapSocket}. */
  wrapSocket,
  /** See {@link fromSocket}. */
  fromSocket,
  /** See {@link getServerCertificate}. */
  getServerCertificate,
  /** See {@link readline}. */
  readline,
  /** See {@link readlines}. */
  readlines,
  /** See {@link writelines}. */
  writelines,
  ...python,
  /** See {@link createDefaultContext}. */
  createDefaultContext,
  /** See {@link CertificateVerifyError}. */
  CertificateVerifyError,
  /** See {@link getDefaultVerifyPaths}. */
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
