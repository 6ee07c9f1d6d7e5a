import { connect, createConnection, createServer, fromSocket, getServerCertificate, readline, readlines, Server, wrapSocket, writelines } from './net.js';
import { SecureSocket } from './secure-socket.js';

export { SecureSocket, type SecureSocketOptions } from './secure-socket.js';
export type { AlpnProtocols, Pem, TlsVersionName } from './internal/options.js';
export {
  connect,
  createConnection,
  createServer,
  Server,
  wrapSocket,
  fromSocket,
  getServerCertificate,
  readline,
  readlines,
  writelines,
  type ConnectOptions,
  type ServerOptions,
  type WrapSocketOptions,
} from './net.js';
export {
  CERT_NONE,
  CERT_OPTIONAL,
  CERT_REQUIRED,
  PROTOCOL_SSLv23,
  PROTOCOL_TLS,
  PROTOCOL_TLS_CLIENT,
  PROTOCOL_TLS_SERVER,
  certTimeToSeconds,
  DERCertToPEMCert,
  PEMCertToDERCert,
  certToPythonDict,
  certToNodeObject,
} from './python.js';
export { createDefaultContext, CertificateVerifyError, getDefaultVerifyPaths, type DefaultVerifyPaths } from '@ossl/ssl';

/** `import net from '@ossl/compat-net'`: node:net's shape, secured. */
const net = {
  /** See {@link connect}. */
  connect,
  /** See {@link createConnection}: the same as `connect`. */
  createConnection,
  /** See {@link createServer}. */
  createServer,
  /** See {@link Server}. */
  Server,
  /** The TLS socket, under node:net's name (see {@link SecureSocket}). */
  Socket: SecureSocket,
  /** See {@link SecureSocket}. */
  SecureSocket,
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
};
export default net;
