// Every loader is fed thousands of mutated inputs (bit flips, truncations, splices, garbage): each
// call returns an object or throws crypto.Error / TypeError and leaves OpenSSL's error queue empty.
// The work is bounded by count.
import { describe, expect, it } from 'vitest';
import { native } from '@ossl/native';

import {
  CRL,
  CryptoError,
  dumpCertificate,
  dumpCertificateRequest,
  dumpCrl,
  dumpPrivatekey,
  dumpPublickey,
  FILETYPE_ASN1,
  FILETYPE_PEM,
  loadCertificate,
  loadCertificateRequest,
  loadCrl,
  loadPkcs12,
  loadPkcs7Data,
  loadPrivatekey,
  loadPublickey,
  NetscapeSPKI,
  PKCS12,
  readSmime,
  smimeSign,
  writeSmime,
  X509Req,
} from '../src/index.js';
import { makeIdentity, mutations } from './support/helpers.js';

const PER_LOADER = 1500;

function fuzz(label: string, seed: Buffer, load: (input: Buffer) => unknown): void {
  let loaded = 0;
  let rejected = 0;
  for (const input of mutations(seed, PER_LOADER)) {
    try {
      load(input);
      loaded++;
    } catch (e) {
      if (!(e instanceof CryptoError || e instanceof TypeError || e instanceof RangeError)) throw new Error(`${label}: unexpected ${String(e)}`);
      rejected++;
    }
    expect(native.errorQueueEmpty(), `${label}: error queue left dirty`).toBe(true);
  }
  expect(rejected, label).toBeGreaterThan(0);
  expect(loaded + rejected, label).toBe(PER_LOADER);
}

describe('loaders under mutated input', () => {
  const ca = makeIdentity({ cn: 'Fuzz CA', ca: true, rsa: true });
  const leaf = makeIdentity({ cn: 'fuzz.example', issuer: ca, sans: 'DNS:fuzz.example' });

  it('loadCertificate (PEM and DER)', () => {
    fuzz('cert DER', dumpCertificate(FILETYPE_ASN1, leaf.cert), (b) => loadCertificate(FILETYPE_ASN1, b));
    fuzz('cert PEM', dumpCertificate(FILETYPE_PEM, leaf.cert), (b) => loadCertificate(FILETYPE_PEM, b));
  });

  it('loadPrivatekey and loadPublickey (plain and encrypted)', () => {
    fuzz('key DER', dumpPrivatekey(FILETYPE_ASN1, leaf.key), (b) => loadPrivatekey(FILETYPE_ASN1, b));
    fuzz('key PEM encrypted', dumpPrivatekey(FILETYPE_PEM, leaf.key, 'aes-128-cbc', 'pw'), (b) => loadPrivatekey(FILETYPE_PEM, b, 'pw'));
    fuzz('pubkey DER', dumpPublickey(FILETYPE_ASN1, ca.key), (b) => loadPublickey(FILETYPE_ASN1, b));
  });

  it('loadCertificateRequest and loadCrl', () => {
    const req = new X509Req();
    req.getSubject().CN = 'fuzz';
    req.setPubkey(leaf.key);
    req.sign(leaf.key, 'sha256');
    fuzz('req DER', dumpCertificateRequest(FILETYPE_ASN1, req), (b) => loadCertificateRequest(FILETYPE_ASN1, b));
    const crl = new CRL();
    crl.export(ca.cert, ca.key, FILETYPE_PEM, 1, 'sha256');
    fuzz('crl DER', dumpCrl(FILETYPE_ASN1, crl), (b) => loadCrl(FILETYPE_ASN1, b).getRevoked());
  });

  it('loadPkcs12, loadPkcs7Data, readSmime and NetscapeSPKI', () => {
    const p12 = new PKCS12();
    p12.setPrivatekey(leaf.key);
    p12.setCertificate(leaf.cert);
    fuzz('pkcs12', p12.export({ passphrase: 'pw', iter: 1 }), (b) => loadPkcs12(b, 'pw'));
    const signed = smimeSign(ca.cert, ca.key, 'hello');
    fuzz('pkcs7 DER', signed.dump(FILETYPE_ASN1), (b) => loadPkcs7Data(FILETYPE_ASN1, b).getCertificates());
    fuzz('smime', writeSmime(signed), (b) => readSmime(b));
    const spki = new NetscapeSPKI();
    spki.setPubkey(leaf.key);
    spki.sign(leaf.key, 'sha256');
    fuzz('spkac', Buffer.from(spki.b64Encode()), (b) => new NetscapeSPKI(b));
  });
});
