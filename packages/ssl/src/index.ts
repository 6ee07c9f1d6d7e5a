export * from './constants.js';
// pyOpenSSL's SSL module has these too: the file type of `useCertificateFile` and friends, and
// OpenSSL's version and build information.
export {
  FILETYPE_PEM,
  FILETYPE_ASN1,
  opensslVersion,
  OpenSSL_version,
  SSLeay_version,
  OPENSSL_VERSION_NUMBER,
  OPENSSL_VERSION,
  OPENSSL_CFLAGS,
  OPENSSL_PLATFORM,
  OPENSSL_DIR,
  OPENSSL_BUILT_ON,
  SSLEAY_VERSION,
  SSLEAY_CFLAGS,
  SSLEAY_PLATFORM,
  SSLEAY_DIR,
  SSLEAY_BUILT_ON,
} from '@ossl/crypto';
export {
  SSLError,
  SSLError as Error,
  WantReadError,
  WantWriteError,
  WantX509LookupError,
  ZeroReturnError,
  SysCallError,
  CertificateVerifyError,
  SSLEOFError,
  // Python's names for the same errors (ssl.SSLWantReadError, ...).
  WantReadError as SSLWantReadError,
  WantWriteError as SSLWantWriteError,
  ZeroReturnError as SSLZeroReturnError,
  SysCallError as SSLSyscallError,
  CertificateVerifyError as SSLCertVerificationError,
} from './errors.js';
export { MemoryBIO, SSLObject, CHANNEL_BINDING_TYPES } from './sslobject.js';
export {
  Context,
  NO_OVERLAP,
  NO_OVERLAP as NO_OVERLAPPING_PROTOCOLS,
  CT_VALIDATION_PERMISSIVE,
  CT_VALIDATION_STRICT,
  type CtValidationCallback,
  type WrapBioOptions,
  type CertStoreStats,
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
export type { OcspStapleOptions } from './ocsp-staple.js';
export { createDefaultContext, Purpose, type DefaultContextOptions, type PurposeName } from './default-context.js';
export { getDefaultVerifyPaths, type DefaultVerifyPaths } from './trust.js';
export { MSG_PEEK, type TmpKeyInfo, type ClientHelloInfo } from './connection.js';
export { Connection, type ConnectionConstructor } from './connection-constructor.js';
export { SocketConnection, SocketFile, type SocketConnectionOptions, type Address } from './socket-connection.js';
export { Transport, isTransportStream, epipeError, type TransportEvents, type TransportOptions } from './transport.js';
export { DTLSSocket, DTLSServer, splitRecords, type DTLSOptions, type DTLSConnectOptions, type DTLSServerOptions, type DTLSAddress } from './dtls-socket.js';
