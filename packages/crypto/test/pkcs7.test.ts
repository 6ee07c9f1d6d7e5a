import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import {
  CryptoError,
  dumpCertificate,
  dumpPrivatekey,
  FILETYPE_ASN1,
  FILETYPE_PEM,
  loadPkcs7Data,
  PKCS7,
  PKCS7Flags,
  readSmime,
  smimeDecrypt,
  smimeEncrypt,
  smimeSign,
  smimeVerify,
  writeSmime,
  X509Store,
} from '../src/index.js';
import { makeIdentity, openssl, opensslBuffer, tempFiles, thrown } from './support/helpers.js';

function pki() {
  const ca = makeIdentity({ cn: 'SMIME CA', ca: true });
  const signer = makeIdentity({ cn: 'signer', issuer: ca, rsa: true, extensions: [['extendedKeyUsage', false, 'emailProtection']] });
  const store = new X509Store();
  store.addCert(ca.cert);
  const files = tempFiles({
    'ca.pem': dumpCertificate(FILETYPE_PEM, ca.cert),
    'signer.pem': dumpCertificate(FILETYPE_PEM, signer.cert),
    'signer.key': dumpPrivatekey(FILETYPE_PEM, signer.key),
  });
  return { ca, signer, store, files };
}

describe('S/MIME signing', () => {
  it('signs attached and detached messages that `openssl smime -verify` accepts', () => {
    const { signer, store, files } = pki();
    try {
      const attached = smimeSign(signer.cert, signer.key, 'attached body\r\n');
      expect(attached.typeIsSigned()).toBe(true);
      expect(attached.getTypeName()).toBe('pkcs7-signedData');
      expect(attached.getCertificates()!.map((c) => c.getSubject().CN)).toEqual(['signer']);
      writeFileSync(files.path('attached.msg'), writeSmime(attached));
      expect(openssl(['smime', '-verify', '-in', files.path('attached.msg'), '-CAfile', files.path('ca.pem')])).toContain('attached body');

      const body = 'Content-Type: text/plain\r\n\r\ndetached body\r\n';
      const detached = smimeSign(signer.cert, signer.key, body, { flags: PKCS7Flags.DETACHED });
      const message = writeSmime(detached, body, PKCS7Flags.DETACHED);
      expect(message.toString()).toContain('multipart/signed');
      writeFileSync(files.path('detached.msg'), message);
      expect(openssl(['smime', '-verify', '-in', files.path('detached.msg'), '-CAfile', files.path('ca.pem')])).toContain('detached body');

      // And back: our reader and verifier.
      const parsed = readSmime(message);
      expect(parsed.content!.toString()).toBe(body);
      expect(smimeVerify(parsed.pkcs7, store, { data: parsed.content }).toString()).toBe(body);
      expect(smimeVerify(readSmime(writeSmime(attached)).pkcs7, store).toString()).toBe('attached body\r\n');
    } finally {
      files.cleanup();
    }
  });

  it('verifies what `openssl smime -sign` made, and rejects tampering and untrusted signers', () => {
    const { signer, store, files } = pki();
    try {
      writeFileSync(files.path('in.txt'), 'signed by the CLI\n');
      openssl(['smime', '-sign', '-in', files.path('in.txt'), '-signer', files.path('signer.pem'), '-inkey', files.path('signer.key'), '-out', files.path('out.msg')]);
      const msg = readFileSync(files.path('out.msg'));
      const { pkcs7, content } = readSmime(msg);
      expect(smimeVerify(pkcs7, store, { data: content }).toString()).toMatch(/signed by the CLI/);
      const tampered = Buffer.from(content!.toString().replace('CLI', 'cli'));
      const e = thrown(() => smimeVerify(pkcs7, store, { data: tampered }));
      expect(e).toBeInstanceOf(CryptoError);
      expect((e as CryptoError).errors.map((x) => x.reason).join()).toMatch(/digest failure|signature failure/);
      expect(() => smimeVerify(pkcs7, new X509Store(), { data: content })).toThrow(/certificate verify error|unable to get local issuer/);
      expect(smimeVerify(pkcs7, new X509Store(), { data: content, flags: PKCS7Flags.NOVERIFY }).toString()).toMatch(/signed by the CLI/);
      expect(signer.cert.getSubject().CN).toBe('signer');
    } finally {
      files.cleanup();
    }
  });
});

describe('S/MIME encryption', () => {
  it('encrypts for `openssl smime -decrypt` and decrypts what `openssl smime -encrypt` made', () => {
    const { signer, files } = pki();
    try {
      const p7 = smimeEncrypt([signer.cert], 'for your eyes only', 'aes-256-cbc');
      expect(p7.typeIsEnveloped()).toBe(true);
      writeFileSync(files.path('enc.msg'), writeSmime(p7));
      expect(openssl(['smime', '-decrypt', '-in', files.path('enc.msg'), '-recip', files.path('signer.pem'), '-inkey', files.path('signer.key')])).toBe('for your eyes only');
      expect(smimeDecrypt(p7, signer.key, signer.cert).toString()).toBe('for your eyes only');

      writeFileSync(files.path('plain.txt'), 'from the CLI');
      openssl(['smime', '-encrypt', '-aes256', '-in', files.path('plain.txt'), '-out', files.path('cli.msg'), files.path('signer.pem')]);
      const { pkcs7 } = readSmime(readFileSync(files.path('cli.msg')));
      expect(smimeDecrypt(pkcs7, signer.key, signer.cert).toString()).toBe('from the CLI');
      const stranger = makeIdentity({ cn: 'stranger', rsa: true });
      expect(() => smimeDecrypt(pkcs7, stranger.key, stranger.cert)).toThrow(CryptoError);
      expect(() => smimeDecrypt(smimeSign(signer.cert, signer.key, 'x'), signer.key)).toThrow(CryptoError);
    } finally {
      files.cleanup();
    }
  });
});

describe('loadPkcs7Data', () => {
  it('loads a certificate bag from `openssl crl2pkcs7` and answers the type predicates', () => {
    const { ca, signer, files } = pki();
    try {
      const pem = openssl(['crl2pkcs7', '-nocrl', '-certfile', files.path('ca.pem'), '-certfile', files.path('signer.pem')]);
      const p7 = loadPkcs7Data(FILETYPE_PEM, pem);
      expect(p7.typeIsSigned()).toBe(true);
      expect(p7.typeIsEnveloped()).toBe(false);
      expect(p7.typeIsSignedAndEnveloped()).toBe(false);
      expect(p7.typeIsData()).toBe(false);
      expect(p7.getCertificates()!.map((c) => c.getSubject().CN)).toEqual([ca.cert.getSubject().CN, 'signer']);
      expect(loadPkcs7Data(FILETYPE_ASN1, p7.dump(FILETYPE_ASN1)).getTypeName()).toBe('pkcs7-signedData');
    } finally {
      files.cleanup();
    }
  });

  it('fails cleanly on bad input', () => {
    expect(() => loadPkcs7Data(FILETYPE_PEM, 'junk')).toThrow(CryptoError);
    expect(() => loadPkcs7Data(FILETYPE_ASN1, Buffer.from([0x30, 0x80]))).toThrow(CryptoError);
    expect(() => loadPkcs7Data(FILETYPE_ASN1, Buffer.alloc(0))).toThrow(CryptoError);
    expect(() => readSmime('not a mime message')).toThrow(CryptoError);
    expect(() => new PKCS7()).toThrow(TypeError);
    expect(() => smimeSign('c' as never, null as never, 'x')).toThrow(TypeError);
    expect(() => smimeEncrypt([], 'x')).toThrow(RangeError);
    expect(() => smimeEncrypt([makeIdentity({ cn: 'x', rsa: true }).cert], 'x', 'no-cipher')).toThrow(RangeError);
    expect(() => smimeVerify({} as never, new X509Store())).toThrow(TypeError);
    expect(opensslBuffer(['version']).length).toBeGreaterThan(0);
  });
});
