// A private Certificate Transparency log for tests: its key, and SCTs it signs as RFC 6962 says
// (written here from the RFC's structures, signed with node:crypto), over a certificate (the TLS
// extension's kind) or a precertificate (the embedded kind).
import { createHash, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

import { dumpCertificate, FILETYPE_ASN1, FILETYPE_PEM, loadPrivatekey, X509Extension, type PKey, type X509 } from '@ossl/crypto';

export interface TestLog {
  name: string;
  /** The log's key as an ossl PKey (for CTLogStore.fromLogs). */
  key: PKey;
  privateKey: KeyObject;
  /** SubjectPublicKeyInfo DER. */
  spki: Buffer;
  /** SHA-256 of the SPKI. */
  logId: Buffer;
}

export function makeLog(name = 'ossl test log'): TestLog {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const key = loadPrivatekey(FILETYPE_PEM, privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
  return { name, key, privateKey, spki, logId: createHash('sha256').update(spki).digest() };
}

function u(n: number | bigint, bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  let v = BigInt(n);
  for (let i = bytes - 1; i >= 0; i--) {
    b[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return b;
}

/** The TBSCertificate of a DER certificate (the first element of its outer SEQUENCE), as DER. */
export function tbsOf(certDer: Buffer): Buffer {
  const headerLength = (at: number): [number, number] => {
    const first = certDer[at + 1]!;
    if (first < 0x80) return [2, first];
    const n = first & 0x7f;
    let len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + certDer[at + 2 + i]!;
    return [2 + n, len];
  };
  const [outerHeader] = headerLength(0);
  const [tbsHeader, tbsLength] = headerLength(outerHeader);
  return certDer.subarray(outerHeader, outerHeader + tbsHeader + tbsLength);
}

export interface SctOptions {
  timestamp?: number;
  extensions?: Buffer;
}

/** Signs an SCT; `entry` is the log entry's signed part (entry type and body). */
function signSct(log: TestLog, entryType: number, body: Buffer, options: SctOptions): Buffer {
  const timestamp = options.timestamp ?? Date.now() - 60_000;
  const extensions = options.extensions ?? Buffer.alloc(0);
  const signed = Buffer.concat([u(0, 1), u(0, 1), u(timestamp, 8), u(entryType, 2), body, u(extensions.length, 2), extensions]);
  const signature = sign('sha256', signed, log.privateKey);
  return Buffer.concat([u(0, 1), log.logId, u(timestamp, 8), u(extensions.length, 2), extensions, u(4, 1), u(3, 1), u(signature.length, 2), signature]);
}

/** An SCT over a whole certificate (what a server sends in the TLS extension). */
export function x509Sct(log: TestLog, cert: X509, options: SctOptions = {}): Buffer {
  const der = dumpCertificate(FILETYPE_ASN1, cert);
  return signSct(log, 0, Buffer.concat([u(der.length, 3), der]), options);
}

/** An SCT over a precertificate: `cert` as signed before its SCT extension is added. */
export function precertSct(log: TestLog, cert: X509, issuer: X509, options: SctOptions = {}): Buffer {
  const tbs = tbsOf(dumpCertificate(FILETYPE_ASN1, cert));
  const issuerKeyHash = createHash('sha256').update(tbsSpki(issuer)).digest();
  return signSct(log, 1, Buffer.concat([issuerKeyHash, u(tbs.length, 3), tbs]), options);
}

/** The issuer's SubjectPublicKeyInfo DER. */
function tbsSpki(issuer: X509): Buffer {
  return createPublicKey({ key: dumpCertificate(FILETYPE_PEM, issuer), format: 'pem' }).export({ format: 'der', type: 'spki' });
}

/** A TLS SCT list of the given SCTs. */
export function sctList(scts: Buffer[]): Buffer {
  const body = Buffer.concat(scts.map((s) => Buffer.concat([u(s.length, 2), s])));
  return Buffer.concat([u(body.length, 2), body]);
}

/** The SCT list extension (embedded SCTs), for a certificate already signed once without it. */
export function sctExtension(list: Buffer): X509Extension {
  const inner = Buffer.concat([Buffer.from([0x04]), derLength(list.length), list]);
  return new X509Extension('ct_precert_scts', false, `DER:${inner.toString('hex')}`);
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/**
 * Embeds SCTs from `logs` in `leaf` the way a CA does: SCTs over the certificate as it is (the
 * precertificate), then the SCT list extension added and the certificate signed again by `issuer`.
 */
export function embedScts(leaf: { cert: X509 }, issuer: { cert: X509; key: PKey }, logs: TestLog[], options: SctOptions = {}): void {
  const scts = logs.map((log) => precertSct(log, leaf.cert, issuer.cert, options));
  leaf.cert.addExtensions([sctExtension(sctList(scts))]);
  leaf.cert.sign(issuer.key, 'sha256');
}
