export * from './constants.js';
export { OpenSSLError, CryptoError, CryptoError as Error, translateError } from './errors.js';
export type { OpenSSLErrorEntry } from './errors.js';
export { PKey } from './pkey.js';
export { X509Name, XN_FLAG_COMPAT, XN_FLAG_MULTILINE, XN_FLAG_ONELINE, XN_FLAG_RFC2253 } from './x509name.js';
export { X509Extension, type X509ExtensionOptions } from './x509extension.js';
export { X509, asn1TimeToDate, dateToAsn1Time } from './x509.js';
export { X509Req } from './x509req.js';
export { X509Store, X509StoreContext, X509StoreContextError, X509StoreFlags, X509Purpose, VERIFY_ERROR_NAMES } from './x509store.js';
export { CRL, Revoked } from './crl.js';
export {
  PKCS7,
  PKCS7Flags,
  smimeSign,
  smimeVerify,
  smimeEncrypt,
  smimeDecrypt,
  writeSmime,
  readSmime,
  type SmimeSignOptions,
  type SmimeVerifyOptions,
} from './pkcs7.js';
export { PKCS12, loadPkcs12, type Pkcs12ExportOptions } from './pkcs12.js';
export { NetscapeSPKI } from './spki.js';
export { MessageDigest, HMAC, Cipher, ENCRYPT, DECRYPT, getDigestNames, getCipherNames, pbkdf2, pbkdf2Async, sign, verify, type CipherOptions } from './evp.js';
export { rand, type RandModule } from './rand.js';
export {
  loadCertificate,
  dumpCertificate,
  loadPrivatekey,
  dumpPrivatekey,
  loadPublickey,
  dumpPublickey,
  loadCertificateRequest,
  dumpCertificateRequest,
  loadCrl,
  dumpCrl,
  loadPkcs7Data,
  certToPythonDict,
  type Passphrase,
  type TextDumpOptions,
} from './functions.js';
export {
  OCSPCertId,
  OCSPRequest,
  OCSPResponse,
  OCSPFlags,
  OCSP_RESPONSE_STATUS,
  type OCSPCertStatus,
  type OCSPRevocationReason,
  type OCSPResponseStatusName,
  type OCSPTarget,
  type OCSPRequestOptions,
  type OCSPSingleResponse,
  type OCSPVerifyOptions,
  type OCSPStatusOptions,
  type OCSPStatusSpec,
  type OCSPBuildOptions,
} from './ocsp.js';
export {
  SCT,
  CTLogStore,
  parseSctList,
  encodeSctList,
  getCertificateScts,
  validateScts,
  type SctSource,
  type SctValidationStatus,
  type CTLogEntry,
  type CTLogInfo,
  type ValidateSctsOptions,
} from './ct.js';
export { generateDhParameters, generateDhParametersAsync } from './dh.js';
export { kHandle, handleOf, type HasHandle, type NativeClass } from './internal/handle.js';
export {
  opensslVersion,
  OPENSSL_VERSION_NUMBER,
  OPENSSL_VERSION_TEXT,
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
  type PythonCertDict,
} from '@ossl/native';
export { OpenSSL_version, SSLeay_version } from './version.js';
export { EllipticCurve, getEllipticCurve, getEllipticCurves } from './curves.js';
