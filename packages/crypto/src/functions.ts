import { native, type PassphraseInput, type PythonCertDict } from '@ossl/native';

import { FILETYPE_ASN1, FILETYPE_PEM, FILETYPE_TEXT } from './constants.js';
import { guard } from './errors.js';
import { expectBytes, expectFiletype, expectString, ownOptions, typeError } from './internal/args.js';
import { handleOf } from './internal/handle.js';
import { PKey } from './pkey.js';
import { X509 } from './x509.js';
import { CRL } from './crl.js';
import { PKCS7 } from './pkcs7.js';
import { X509Req } from './x509req.js';
import { XN_FLAG_COMPAT } from './x509name.js';

/** A passphrase: bytes, text, or a callback `(writing) => Buffer | string` run when OpenSSL needs it. */
export type Passphrase = Buffer | string | ((writing: boolean) => Buffer | string);

function expectPassphrase(value: unknown): PassphraseInput {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'function') return value as (writing: boolean) => Buffer | string;
  return expectBytes(value, 'passphrase');
}

/**
 * Loads a certificate (pyOpenSSL `load_certificate`).
 * @param type `FILETYPE_PEM` or `FILETYPE_ASN1`.
 * @throws crypto.Error with OpenSSL's reason for garbage, truncated or empty input; TypeError for wrong types.
 */
export function loadCertificate(type: number, buffer: Buffer | string): X509 {
  const t = expectFiletype(type, [FILETYPE_PEM, FILETYPE_ASN1]);
  const data = expectBytes(buffer, 'buffer');
  return X509._fromHandle(guard(() => native.loadCertificate(t, data)));
}

/** Options of the text dumps (`FILETYPE_TEXT`) of `dumpCertificate` and `dumpCertificateRequest`. */
export interface TextDumpOptions {
  /**
   * `X509_NAME_print_ex` flags for names in `FILETYPE_TEXT`: `XN_FLAG_COMPAT` (the default, as
   * pyOpenSSL prints `CN=x`) or `XN_FLAG_ONELINE` (as `openssl x509 -text` prints `CN = x`).
   */
  nameFlags?: number;
}

/**
 * Dumps a certificate as PEM, DER or OpenSSL's text form (pyOpenSSL `dump_certificate`). The text
 * form equals pyOpenSSL's; with `{nameFlags: XN_FLAG_ONELINE}` it equals `openssl x509 -text -noout`.
 */
export function dumpCertificate(type: number, cert: X509, dumpOptions: TextDumpOptions = {}): Buffer {
  const options = ownOptions(dumpOptions);
  const t = expectFiletype(type, [FILETYPE_PEM, FILETYPE_ASN1, FILETYPE_TEXT]);
  if (!(cert instanceof X509)) throw typeError('cert', 'an X509', cert);
  const flags = options.nameFlags ?? XN_FLAG_COMPAT;
  const h = handleOf(cert, native.X509, 'cert', 'an X509');
  return guard(() => h.dump(t, flags));
}

/** Loads a certificate signing request (pyOpenSSL `load_certificate_request`). */
export function loadCertificateRequest(type: number, buffer: Buffer | string): X509Req {
  const t = expectFiletype(type, [FILETYPE_PEM, FILETYPE_ASN1]);
  const data = expectBytes(buffer, 'buffer');
  return X509Req._fromHandle(guard(() => native.loadCertificateRequest(t, data)));
}

/** Dumps a certificate signing request (pyOpenSSL `dump_certificate_request`). */
export function dumpCertificateRequest(type: number, req: X509Req, dumpOptions: TextDumpOptions = {}): Buffer {
  const options = ownOptions(dumpOptions);
  const t = expectFiletype(type, [FILETYPE_PEM, FILETYPE_ASN1, FILETYPE_TEXT]);
  if (!(req instanceof X509Req)) throw typeError('req', 'an X509Req', req);
  const flags = options.nameFlags ?? XN_FLAG_COMPAT;
  const h = handleOf(req, native.X509Req, 'req', 'an X509Req');
  return guard(() => h.dump(t, flags));
}

/** Loads a CRL (pyOpenSSL `load_crl`). */
export function loadCrl(type: number, buffer: Buffer | string): CRL {
  const t = expectFiletype(type, [FILETYPE_PEM, FILETYPE_ASN1]);
  const data = expectBytes(buffer, 'buffer');
  return CRL._fromHandle(guard(() => native.loadCrl(t, data)));
}

/** Dumps a CRL as PEM, DER or text (pyOpenSSL `dump_crl`). */
export function dumpCrl(type: number, crl: CRL): Buffer {
  const t = expectFiletype(type, [FILETYPE_PEM, FILETYPE_ASN1, FILETYPE_TEXT]);
  if (!(crl instanceof CRL)) throw typeError('crl', 'a CRL', crl);
  const h = handleOf(crl, native.CRL, 'crl', 'a CRL');
  return guard(() => h.dump(t));
}

/** Loads PKCS#7 data (pyOpenSSL `load_pkcs7_data`). */
export function loadPkcs7Data(type: number, buffer: Buffer | string): PKCS7 {
  const t = expectFiletype(type, [FILETYPE_PEM, FILETYPE_ASN1]);
  const data = expectBytes(buffer, 'buffer');
  return PKCS7._fromHandle(guard(() => native.loadPkcs7Data(t, data)));
}

/**
 * Loads a private key (pyOpenSSL `load_privatekey`); encrypted PEM needs `passphrase`.
 * @throws crypto.Error for garbage input or a wrong passphrase; what a passphrase callback throws.
 */
export function loadPrivatekey(type: number, buffer: Buffer | string, passphrase?: Passphrase | null): PKey {
  const t = expectFiletype(type, [FILETYPE_PEM, FILETYPE_ASN1]);
  const data = expectBytes(buffer, 'buffer');
  const pass = expectPassphrase(passphrase);
  return PKey._fromHandle(guard(() => native.loadPrivateKey(t, data, pass)));
}

/**
 * Dumps a private key (pyOpenSSL `dump_privatekey`): PEM (PKCS#8, encrypted with `cipher` and
 * `passphrase` when given), DER or text.
 * @throws RangeError for an unknown cipher, or a cipher without a passphrase.
 */
export function dumpPrivatekey(type: number, pkey: PKey, cipher?: string | null, passphrase?: Passphrase | null): Buffer {
  const t = expectFiletype(type, [FILETYPE_PEM, FILETYPE_ASN1, FILETYPE_TEXT]);
  if (!(pkey instanceof PKey)) throw typeError('pkey', 'a PKey', pkey);
  if (cipher !== undefined && cipher !== null) expectString(cipher, 'cipher');
  const pass = expectPassphrase(passphrase);
  const h = handleOf(pkey, native.PKey, 'pkey', 'a PKey');
  return guard(() => native.dumpPrivateKey(t, h, cipher ?? null, pass));
}

/** Loads a public key (SubjectPublicKeyInfo) (pyOpenSSL `load_publickey`). */
export function loadPublickey(type: number, buffer: Buffer | string): PKey {
  const t = expectFiletype(type, [FILETYPE_PEM, FILETYPE_ASN1]);
  const data = expectBytes(buffer, 'buffer');
  return PKey._fromHandle(guard(() => native.loadPublicKey(t, data)));
}

/** Dumps the public half of a key (pyOpenSSL `dump_publickey`). */
export function dumpPublickey(type: number, pkey: PKey): Buffer {
  const t = expectFiletype(type, [FILETYPE_PEM, FILETYPE_ASN1, FILETYPE_TEXT]);
  if (!(pkey instanceof PKey)) throw typeError('pkey', 'a PKey', pkey);
  const h = handleOf(pkey, native.PKey, 'pkey', 'a PKey');
  return guard(() => native.dumpPublicKey(t, h));
}

/**
 * The dictionary CPython's `ssl.SSLSocket.getpeercert()` returns for `cert`, tuples as arrays:
 * `subject`, `issuer`, `version`, `serialNumber`, `notBefore`, `notAfter`, and `subjectAltName`,
 * `OCSP`, `caIssuers`, `crlDistributionPoints` when present. Equal to CPython's own output for its
 * test certificates. (extra)
 * @param cert the certificate.
 * @throws TypeError when `cert` is not an X509.
 */
export function certToPythonDict(cert: X509): PythonCertDict {
  if (!(cert instanceof X509)) throw typeError('cert', 'an X509', cert);
  return guard(() => native.pythonCertDict(handleOf(cert, native.X509, 'cert', 'an X509')));
}
