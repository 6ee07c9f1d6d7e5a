// Python `ssl` module helpers, with Python's names and values.
import { X509Certificate } from 'node:crypto';
import { certToPythonDict as pythonDictOf, dumpCertificate, FILETYPE_ASN1, FILETYPE_PEM, loadCertificate, X509, type PythonCertDict } from '@ossl/crypto';

/** `certReqs`: do not verify the peer. */
export const CERT_NONE = 0;
/** `certReqs`: verify the peer's certificate when it sends one. */
export const CERT_OPTIONAL = 1;
/** `certReqs`: require and verify the peer's certificate. */
export const CERT_REQUIRED = 2;
/** Negotiate the best TLS version both sides allow (Python's `PROTOCOL_SSLv23`, the same as `PROTOCOL_TLS`). */
export const PROTOCOL_SSLv23 = 2;
/** Negotiate the best TLS version both sides allow (Python's `PROTOCOL_TLS`). */
export const PROTOCOL_TLS = 2;
/** A client context: verifies the server and its host name by default. */
export const PROTOCOL_TLS_CLIENT = 16;
/** A server context. */
export const PROTOCOL_TLS_SERVER = 17;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Seconds since the epoch for a certificate time as Python prints it (`"May  9 00:00:00 2007 GMT"`),
 * as Python's `ssl.cert_time_to_seconds`.
 * @throws RangeError for text in another format.
 */
export function certTimeToSeconds(certTime: string): number {
  if (typeof certTime !== 'string') throw new TypeError(`"certTime" must be a string, got ${typeof certTime}`);
  const m = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) GMT$/.exec(certTime);
  const month = m ? MONTHS.indexOf(m[1]!) : -1;
  if (!m || month < 0) throw new RangeError(`time data ${JSON.stringify(certTime)} does not match format "%b %d %H:%M:%S %Y GMT"`);
  return Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) / 1000;
}

/** PEM text for a DER certificate (Python's `ssl.DER_cert_to_PEM_cert`). */
export function DERCertToPEMCert(derCertBytes: Buffer): string {
  if (!Buffer.isBuffer(derCertBytes)) throw new TypeError('"derCertBytes" must be a Buffer');
  const b64 = derCertBytes.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}-----END CERTIFICATE-----\n`;
}

/** DER bytes of a PEM certificate (Python's `ssl.PEM_cert_to_DER_cert`). */
export function PEMCertToDERCert(pemCertString: string): Buffer {
  if (typeof pemCertString !== 'string') throw new TypeError('"pemCertString" must be a string');
  const text = pemCertString.trim();
  if (!text.startsWith('-----BEGIN CERTIFICATE-----')) throw new RangeError('Invalid PEM encoding; must start with -----BEGIN CERTIFICATE-----');
  if (!text.endsWith('-----END CERTIFICATE-----')) throw new RangeError('Invalid PEM encoding; must end with -----END CERTIFICATE-----');
  const der = Buffer.from(text.slice(27, -25).replace(/\s+/g, ''), 'base64');
  // Check that the bytes are a certificate, as a caller converting text would expect.
  loadCertificate(FILETYPE_ASN1, der);
  return der;
}

/** The dictionary Python's `getpeercert()` returns for `cert` (tuples as arrays). */
export function certToPythonDict(cert: X509): PythonCertDict {
  if (!(cert instanceof X509)) throw new TypeError('"cert" must be an X509');
  return pythonDictOf(cert);
}

/** node:tls's `getPeerCertificate()` object for `cert` (via node:crypto's legacy form). */
export function certToNodeObject(cert: X509): Record<string, unknown> {
  const x = new X509Certificate(dumpCertificate(FILETYPE_ASN1, cert));
  const legacy = (x as unknown as { toLegacyObject(): Record<string, unknown> }).toLegacyObject();
  return legacy;
}
