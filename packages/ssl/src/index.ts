export * from './constants.js';
export {
  SSLError,
  SSLError as Error,
  WantReadError,
  WantWriteError,
  WantX509LookupError,
  ZeroReturnError,
  SysCallError,
  CertificateVerifyError,
} from './errors.js';
export { Context, type VerifyCallback } from './context.js';
export { Connection, MSG_PEEK } from './connection.js';
export { SocketConnection, type SocketConnectionOptions, type Address } from './socket-connection.js';
