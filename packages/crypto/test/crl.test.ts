import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import {
  CRL,
  CryptoError,
  dumpCertificate,
  dumpCrl,
  FILETYPE_ASN1,
  FILETYPE_PEM,
  FILETYPE_TEXT,
  loadCertificate,
  loadCrl,
  Revoked,
} from '../src/index.js';
import { makeIdentity, openssl, tempFiles, vectorsDir } from './support/helpers.js';

describe('Revoked', () => {
  it('keeps serial, reason and date', () => {
    const r = new Revoked();
    r.setSerial('3ab');
    expect(r.getSerial()).toBe('03AB');
    expect(r.getReason()).toBeNull();
    r.setReason('keyCompromise');
    expect(r.getReason()).toBe('Key Compromise');
    r.setReason('Certificate Hold');
    expect(r.getReason()).toBe('Certificate Hold');
    r.setReason(null);
    expect(r.getReason()).toBeNull();
    r.setRevDate('20240102030405Z');
    expect(r.getRevDate()).toBe('20240102030405Z');
    expect(Revoked.allReasons()).toEqual([
      'unspecified', 'keyCompromise', 'CACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold',
    ]);
    for (const reason of r.allReasons()) {
      r.setReason(reason);
      expect(r.getReason()).not.toBeNull();
    }
  });

  it('rejects bad serials, reasons, dates and types', () => {
    const r = new Revoked();
    expect(() => r.setSerial('xyz')).toThrow(RangeError);
    expect(() => r.setSerial('')).toThrow(RangeError);
    expect(() => r.setReason('becauseISaidSo')).toThrow(RangeError);
    expect(() => r.setRevDate('yesterday')).toThrow(RangeError);
    expect(() => r.setSerial(5 as never)).toThrow(TypeError);
  });
});

describe('CRL', () => {
  it('exports a signed CRL that openssl reads and uses to revoke', () => {
    const ca = makeIdentity({ cn: 'CRL CA', ca: true });
    const revoked = makeIdentity({ cn: 'revoked.example', issuer: ca });
    const good = makeIdentity({ cn: 'good.example', issuer: ca });
    const crl = new CRL();
    const r = new Revoked();
    r.setSerial(revoked.cert.getSerialNumber().toString(16));
    r.setRevDate(new Date(Date.now() - 1000));
    r.setReason('keyCompromise');
    crl.addRevoked(r);
    const pem = crl.export(ca.cert, ca.key, FILETYPE_PEM, 7, 'sha256');
    expect(crl.getVersion()).toBe(1);
    expect(crl.getIssuer().CN).toBe('CRL CA');
    expect(crl.verifySignature(ca.key)).toBe(true);
    const text = openssl(['crl', '-noout', '-text'], pem);
    expect(text).toContain('Issuer: CN = CRL CA');
    expect(text).toContain(`Serial Number: ${revoked.cert.getSerialNumber().toString(16).toUpperCase().padStart(2, '0')}`);
    expect(text).toContain('Key Compromise');
    const files = tempFiles({
      'ca.pem': dumpCertificate(FILETYPE_PEM, ca.cert),
      'crl.pem': pem,
      'revoked.pem': dumpCertificate(FILETYPE_PEM, revoked.cert),
      'good.pem': dumpCertificate(FILETYPE_PEM, good.cert),
    });
    try {
      expect(openssl(['verify', '-crl_check', '-CAfile', files.path('ca.pem'), '-CRLfile', files.path('crl.pem'), files.path('good.pem')])).toContain('OK');
      expect(() => openssl(['verify', '-crl_check', '-CAfile', files.path('ca.pem'), '-CRLfile', files.path('crl.pem'), files.path('revoked.pem')])).toThrow(/certificate revoked/);
    } finally {
      files.cleanup();
    }
  });

  it('round-trips through PEM and DER and reads the entries back', () => {
    const ca = makeIdentity({ cn: 'CA', ca: true });
    const crl = new CRL();
    for (const serial of ['0a', '0b']) {
      const r = new Revoked();
      r.setSerial(serial);
      r.setRevDate('20250101000000Z');
      crl.addRevoked(r);
    }
    expect(crl.getRevoked()).toHaveLength(2);
    crl.setLastUpdate('20250101000000Z');
    crl.setNextUpdate('20990101000000Z');
    crl.sign(ca.cert, ca.key, 'sha256');
    const der = dumpCrl(FILETYPE_ASN1, crl);
    const back = loadCrl(FILETYPE_ASN1, der);
    expect(back.getRevoked()!.map((x) => x.getSerial())).toEqual(['0A', '0B']);
    expect(back.getLastUpdate()).toBe('20250101000000Z');
    expect(back.getNextUpdate()).toBe('20990101000000Z');
    expect(dumpCrl(FILETYPE_PEM, loadCrl(FILETYPE_PEM, dumpCrl(FILETYPE_PEM, crl))).equals(dumpCrl(FILETYPE_PEM, crl))).toBe(true);
    expect(dumpCrl(FILETYPE_TEXT, crl).toString()).toContain('Certificate Revocation List (CRL):');
    expect(new CRL().getRevoked()).toBeNull();
  });

  it("loads CPython's CRL, issued by its CA", () => {
    const dir = join(vectorsDir(), 'cpython-certdata');
    const crl = loadCrl(FILETYPE_PEM, readFileSync(join(dir, 'revocation.crl')));
    const ca = loadCertificate(FILETYPE_PEM, readFileSync(join(dir, 'pycacert.pem')));
    expect(crl.getIssuer().equals(ca.getSubject())).toBe(true);
    expect(crl.verifySignature(ca.getPubkey())).toBe(true);
    expect(crl.getRevoked()).toBeNull();
  });

  it('fails cleanly on garbage, fuzz samples and bad arguments', () => {
    expect(() => loadCrl(FILETYPE_PEM, 'junk')).toThrow(CryptoError);
    expect(() => loadCrl(FILETYPE_ASN1, Buffer.alloc(0))).toThrow(CryptoError);
    const dir = join(vectorsDir(), 'openssl-fuzz', 'crl');
    let rejected = 0;
    for (const f of readdirSync(dir)) {
      let crl: CRL;
      try {
        crl = loadCrl(FILETYPE_ASN1, readFileSync(join(dir, f)));
      } catch (e) {
        expect(e).toBeInstanceOf(CryptoError);
        rejected++;
        continue;
      }
      // A few samples are well-formed enough for OpenSSL's parser; every accessor must still behave.
      for (const use of [() => crl.getRevoked(), () => crl.getIssuer().toString(), () => crl.getLastUpdate(), () => dumpCrl(FILETYPE_TEXT, crl), () => dumpCrl(FILETYPE_ASN1, crl)]) {
        try {
          use();
        } catch (e) {
          expect(e).toBeInstanceOf(CryptoError);
        }
      }
    }
    expect(rejected).toBeGreaterThan(40);
    const crl = new CRL();
    const ca = makeIdentity({ cn: 'CA', ca: true });
    expect(() => crl.addRevoked({} as never)).toThrow(TypeError);
    expect(() => crl.sign(ca.cert, ca.key, 'no-digest')).toThrow(RangeError);
    expect(() => crl.export('cert' as never, ca.key)).toThrow(TypeError);
    expect(() => crl.setVersion(5)).toThrow(RangeError);
    expect(() => dumpCrl(FILETYPE_PEM, 'crl' as never)).toThrow(TypeError);
  });
});
