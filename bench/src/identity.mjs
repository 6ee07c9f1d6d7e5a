// The benchmarks' identity: a self-signed certificate for localhost (SAN DNS:localhost) and its key,
// ECDSA P-256 or RSA-2048, minted with @ossl/crypto.
import { dumpCertificate, dumpPrivatekey, FILETYPE_PEM, PKey, TYPE_EC, TYPE_RSA, X509, X509Extension } from '@ossl/crypto';

/** `{key, cert, certPem, keyPem}` for `kind` ('ec' or 'rsa'). */
export function identity(kind = 'ec') {
  const key = kind === 'rsa' ? PKey.generate(TYPE_RSA, 2048) : PKey.generate(TYPE_EC, 'prime256v1');
  const cert = new X509();
  cert.setVersion(2);
  cert.setSerialNumber(1n);
  cert.getSubject().CN = 'localhost';
  cert.setIssuer(cert.getSubject());
  cert.gmtimeAdjNotBefore(-60);
  cert.gmtimeAdjNotAfter(86400);
  cert.setPubkey(key);
  cert.addExtensions([new X509Extension('subjectAltName', false, 'DNS:localhost')]);
  cert.sign(key, 'sha256');
  return { key, cert, certPem: dumpCertificate(FILETYPE_PEM, cert).toString(), keyPem: dumpPrivatekey(FILETYPE_PEM, key).toString() };
}
