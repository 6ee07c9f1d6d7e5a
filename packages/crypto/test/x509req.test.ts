import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

import {
  CryptoError,
  dumpCertificate,
  dumpCertificateRequest,
  FILETYPE_ASN1,
  FILETYPE_PEM,
  FILETYPE_TEXT,
  loadCertificateRequest,
  PKey,
  TYPE_EC,
  TYPE_RSA,
  X509,
  X509Extension,
  X509Name,
  X509Req,
} from '../src/index.js';
import { makeIdentity, openssl, tempFiles, thrown } from './support/helpers.js';

function makeRequest(key: PKey): X509Req {
  const req = new X509Req();
  req.setVersion(0);
  const subject = req.getSubject();
  subject.C = 'US';
  subject.O = 'ossl';
  subject.CN = 'req.example';
  req.setPubkey(key);
  req.addExtensions([
    new X509Extension('subjectAltName', false, 'DNS:req.example, DNS:www.req.example'),
    new X509Extension('keyUsage', true, 'digitalSignature'),
  ]);
  req.sign(key, 'sha256');
  return req;
}

describe('X509Req', () => {
  it('builds, signs and verifies a request with extensions', () => {
    const key = PKey.generate(TYPE_EC, 'prime256v1');
    const req = makeRequest(key);
    expect(req.getVersion()).toBe(0);
    expect(req.getSubject().CN).toBe('req.example');
    expect(req.getPubkey().equals(key)).toBe(true);
    expect(req.verify(key)).toBe(true);
    const exts = req.getExtensions();
    expect(exts.map((e) => e.getShortName())).toEqual(['subjectAltName', 'keyUsage']);
    expect(exts[0]!.toString()).toBe('DNS:req.example, DNS:www.req.example');
    expect(exts[1]!.getCritical()).toBe(true);
  });

  it('is accepted by `openssl req -verify`', () => {
    const req = makeRequest(PKey.generate(TYPE_RSA, 2048));
    const pem = dumpCertificateRequest(FILETYPE_PEM, req);
    const out = openssl(['req', '-verify', '-noout', '-text'], pem);
    expect(out).toContain('Subject: C = US, O = ossl, CN = req.example');
    expect(out).toMatch(/Requested Extensions:[\s\S]*DNS:req.example, DNS:www.req.example/);
    const r = spawnSync('openssl', ['req', '-verify', '-noout'], { input: pem, encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toMatch(/verify OK|Certificate request self-signature verify OK/);
  });

  it('loads and verifies a request made by `openssl req`', () => {
    const files = tempFiles({});
    try {
      openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', files.path('k.pem'), '-out', files.path('r.pem'),
        '-subj', '/O=cli/CN=cli.example', '-addext', 'subjectAltName=DNS:cli.example']);
      const pem = openssl(['req', '-in', files.path('r.pem')]);
      const req = loadCertificateRequest(FILETYPE_PEM, pem);
      expect(req.getSubject().CN).toBe('cli.example');
      expect(req.verify(req.getPubkey())).toBe(true);
      expect(req.getExtensions()[0]!.toString()).toBe('DNS:cli.example');
      const der = dumpCertificateRequest(FILETYPE_ASN1, req);
      expect(loadCertificateRequest(FILETYPE_ASN1, der).getSubject().O).toBe('cli');
      expect(dumpCertificateRequest(FILETYPE_TEXT, req).toString()).toContain('Certificate Request:');
    } finally {
      files.cleanup();
    }
  });

  it('signs a leaf certificate from a request that openssl verifies against the CA', () => {
    const ca = makeIdentity({ cn: 'CSR CA', ca: true });
    const key = PKey.generate(TYPE_EC, 'prime256v1');
    const req = makeRequest(key);
    const cert = new X509();
    cert.setVersion(2);
    cert.setSerialNumber(99n);
    cert.setSubject(req.getSubject());
    cert.setIssuer(ca.cert.getSubject());
    cert.setPubkey(req.getPubkey());
    cert.gmtimeAdjNotBefore(0);
    cert.gmtimeAdjNotAfter(3600);
    cert.addExtensions(req.getExtensions());
    cert.sign(ca.key, 'sha256');
    const files = tempFiles({ 'ca.pem': dumpCertificate(FILETYPE_PEM, ca.cert), 'leaf.pem': dumpCertificate(FILETYPE_PEM, cert) });
    try {
      expect(openssl(['verify', '-CAfile', files.path('ca.pem'), files.path('leaf.pem')])).toContain('OK');
    } finally {
      files.cleanup();
    }
  });

  it('fails with OpenSSL reasons for a wrong key, garbage and bad arguments', () => {
    const key = PKey.generate(TYPE_EC, 'prime256v1');
    const req = makeRequest(key);
    const e = thrown(() => req.verify(PKey.generate(TYPE_EC, 'prime256v1')));
    expect(e).toBeInstanceOf(CryptoError);
    expect((e as CryptoError).errors.length).toBeGreaterThan(0);
    expect(() => req.setVersion(2)).toThrow(RangeError);
    expect(() => req.sign(key, 'nope')).toThrow(RangeError);
    expect(() => req.setPubkey('key' as never)).toThrow(TypeError);
    expect(() => req.addExtensions(['x' as never])).toThrow(TypeError);
    expect(() => loadCertificateRequest(FILETYPE_PEM, 'garbage')).toThrow(CryptoError);
    expect(() => loadCertificateRequest(FILETYPE_ASN1, Buffer.alloc(0))).toThrow(CryptoError);
    const pem = dumpCertificateRequest(FILETYPE_PEM, req).toString();
    expect(() => loadCertificateRequest(FILETYPE_PEM, pem.slice(0, 100))).toThrow(CryptoError);
    expect(() => dumpCertificateRequest(FILETYPE_PEM, new X509() as never)).toThrow(TypeError);
    expect(() => new X509Req().getPubkey()).toThrow(CryptoError);
  });

  it('keeps its subject view valid after the request is garbage-collected', () => {
    let name: X509Name;
    {
      const req = new X509Req();
      req.getSubject().CN = 'gc.req';
      name = req.getSubject();
    }
    globalThis.gc?.();
    expect(name.CN).toBe('gc.req');
  });
});
