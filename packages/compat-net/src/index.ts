import { connect, createConnection, createServer, fromSocket, getServerCertificate, readline, readlines, Server, wrapSocket, writelines } from './net.js';
import { SecureSocket } from './secure-socket.js';

export { SecureSocket, type SecureSocketOptions } from './secure-socket.js';
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
const net = { connect, createConnection, createServer, Server, Socket: SecureSocket, SecureSocket, wrapSocket, fromSocket, getServerCertificate, readline, readlines, writelines };
export default net;
