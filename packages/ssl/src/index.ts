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
export {
  Context,
  NO_OVERLAP,
  type VerifyCallback,
  type InfoCallback,
  type KeylogCallback,
  type ServernameCallback,
  type AlpnSelectCallback,
  type OcspServerCallback,
  type OcspClientCallback,
  type PasswdCallback,
  type PskServerCallback,
  type PskClientCallback,
  type CookieGenerateCallback,
  type CookieVerifyCallback,
  type NewSessionCallback,
  type CertCallback,
  type ClientHelloCallback,
} from './context.js';
export { Session } from './session.js';
export { createDefaultContext, Purpose, type DefaultContextOptions, type PurposeName } from './default-context.js';
export { getDefaultVerifyPaths, type DefaultVerifyPaths } from './trust.js';
export { Connection, MSG_PEEK, type TmpKeyInfo, type ClientHelloInfo } from './connection.js';
export { SocketConnection, SocketFile, type SocketConnectionOptions, type Address } from './socket-connection.js';
export { Transport, isTransportStream, epipeError, type TransportEvents, type TransportOptions } from './transport.js';
