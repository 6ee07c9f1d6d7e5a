export * from './constants.js';
export { OpenSSLError, CryptoError, CryptoError as Error, translateError } from './errors.js';
export type { OpenSSLErrorEntry } from './errors.js';
export { PKey } from './pkey.js';
export { X509Name, XN_FLAG_COMPAT, XN_FLAG_MULTILINE, XN_FLAG_ONELINE, XN_FLAG_RFC2253 } from './x509name.js';
export { X509Extension, type X509ExtensionOptions } from './x509extension.js';
export { X509, asn1TimeToDate, dateToAsn1Time } from './x509.js';
export {
  loadCertificate,
  dumpCertificate,
  loadPrivatekey,
  dumpPrivatekey,
  loadPublickey,
  dumpPublickey,
  type Passphrase,
} from './functions.js';
export { kHandle, handleOf } from './internal/handle.js';
export { opensslVersion, OPENSSL_VERSION_NUMBER, SSLEAY_VERSION } from '@ossl/native';
