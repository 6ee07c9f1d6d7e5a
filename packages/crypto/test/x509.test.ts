import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import {
  CryptoError,
  dumpCertificate,
  FILETYPE_ASN1,
  FILETYPE_PEM,
  FILETYPE_TEXT,
  loadCertificate,
  PKey,
  TYPE_EC,
  TYPE_RSA,
  X509,
  X509Extension,
  X509Name,
} from '../src/index.js';
import { makeIdentity, openssl, opensslOfNode, tempFiles } from './support/helpers.js';

function baseCert(key: PKey): X509 {
  const cert = new X509();
  cert.setVersion(2);
  cert.setSerialNumber(0x1234n);
  const subject = cert.getSubject();
  subject.C = 'DE';
  subject.O = 'ossl';
  subject.CN = 'built.example';
  cert.setIssuer(subject);
  cert.gmtimeAdjNotBefore(0);
  cert.gmtimeAdjNotAfter(3600);
  cert.setPubkey(key);
  return cert;
}

describe('X509 fields', () => {
  it('keeps version, serial, times, names and key as set', () => {
    const key = PKey.generate(TYPE_EC, 'prime256v1');
    const cert = baseCert(key);
    expect(cert.getVersion()).toBe(2);
    expect(cert.getSerialNumber()).toBe(0x1234n);
    cert.setSerialNumber(2n ** 150n + 7n);
    expect(cert.getSerialNumber()).toBe(2n ** 150n + 7n);
    cert.setSerialNumber(-5);
    expect(cert.getSerialNumber()).toBe(-5n);
    cert.setNotBefore('20200102030405Z');
    cert.setNotAfter('20600102030405Z');
    expect(cert.getNotBefore()).toBe('20200102030405Z');
    expect(cert.getNotAfter()).toBe('20600102030405Z');
    expect(cert.notAfter).toEqual(new Date(Date.UTC(2060, 0, 2, 3, 4, 5)));
    cert.setNotAfter(new Date(Date.UTC(2030, 5, 1)));
    expect(cert.getNotAfter()).toBe('20300601000000Z');
    expect(cert.getSubject().CN).toBe('built.example');
    expect(cert.getIssuer().equals(cert.getSubject())).toBe(true);
    expect(cert.getPubkey().equals(key)).toBe(true);
    expect(cert.hasExpired()).toBe(false);
  });

  it('reports expiry from notAfter', () => {
    const cert = baseCert(PKey.generate(TYPE_EC, 'prime256v1'));
    cert.setNotAfter('20010101000000Z');
    expect(cert.hasExpired()).toBe(true);
  });

  it('reads back the extensions it was given', () => {
    const cert = baseCert(PKey.generate(TYPE_EC, 'prime256v1'));
    expect(cert.getExtensionCount()).toBe(0);
    cert.addExtensions([
      new X509Extension('basicConstraints', true, 'CA:FALSE'),
      new X509Extension('subjectAltName', false, 'DNS:built.example'),
    ]);
    expect(cert.getExtensionCount()).toBe(2);
    expect(cert.getExtension(1).getShortName()).toBe('subjectAltName');
    expect(cert.getExtension(1).toString()).toBe('DNS:built.example');
    expect(cert.getExtension(0).getCritical()).toBe(true);
  });

  it('signs with RSA and EC keys and names the algorithm', () => {
    const rsa = PKey.generate(TYPE_RSA, 2048);
    const cert = baseCert(rsa);
    cert.sign(rsa, 'sha256');
    expect(cert.getSignatureAlgorithm()).toBe('sha256WithRSAEncryption');
    expect(cert.verifySignature(rsa)).toBe(true);
    const ec = PKey.generate(TYPE_EC, 'prime256v1');
    cert.sign(ec, 'sha384');
    expect(cert.getSignatureAlgorithm()).toBe('ecdsa-with-SHA384');
    expect(cert.verifySignature(ec)).toBe(true);
    expect(cert.verifySignature(PKey.generate(TYPE_EC, 'prime256v1'))).toBe(false);
    expect(() => cert.verifySignature(rsa)).toThrow(CryptoError);
  });

  it('gives the same fingerprints as node:crypto', () => {
    const { cert } = makeIdentity({ cn: 'fp.example' });
    const node = cert.toX509Certificate();
    expect(node).toBeInstanceOf(X509Certificate);
    expect(cert.digest('sha256')).toBe(node.fingerprint256);
    expect(cert.digest('sha1')).toBe(node.fingerprint);
    expect(cert.digest('SHA512')).toBe(node.fingerprint512);
    expect(X509.fromX509Certificate(node).digest('sha256')).toBe(node.fingerprint256);
    expect(node.subject).toBe('CN=fp.example');
  });

  it('hashes the subject as `openssl x509 -subject_hash` does', () => {
    const { cert } = makeIdentity({ cn: 'hash.example' });
    const pem = dumpCertificate(FILETYPE_PEM, cert);
    const cli = openssl(['x509', '-noout', '-subject_hash'], pem).trim();
    expect(cert.subjectNameHash().toString(16).padStart(8, '0')).toBe(cli);
    expect(cert.getSubject().hash()).toBe(cert.subjectNameHash());
  });
});

describe('X509 checked by the openssl CLI', () => {
  it('passes `openssl verify -CAfile` as a CA-issued leaf', () => {
    const ca = makeIdentity({ cn: 'CLI test CA', ca: true });
    const leaf = makeIdentity({ cn: 'leaf.example', issuer: ca, sans: 'DNS:leaf.example, IP:127.0.0.1' });
    const files = tempFiles({
      'ca.pem': dumpCertificate(FILETYPE_PEM, ca.cert),
      'leaf.pem': dumpCertificate(FILETYPE_PEM, leaf.cert),
    });
    try {
      expect(openssl(['verify', '-CAfile', files.path('ca.pem'), files.path('leaf.pem')])).toContain(': OK');
      expect(() => openssl(['verify', '-CAfile', files.path('leaf.pem'), files.path('leaf.pem')])).toThrow(/unable to get local issuer|error 20|error 2/);
    } finally {
      files.cleanup();
    }
  });

  it('shows in `openssl x509 -text` the fields it was built with', () => {
    const key = PKey.generate(TYPE_RSA, 2048);
    const cert = baseCert(key);
    cert.setSerialNumber(0xabcdefn);
    cert.addExtensions([
      new X509Extension('basicConstraints', true, 'CA:TRUE, pathlen:1'),
      new X509Extension('subjectAltName', false, 'DNS:built.example, IP:10.1.2.3'),
    ]);
    cert.setNotAfter('20401231235959Z');
    cert.sign(key, 'sha256');
    const text = openssl(['x509', '-noout', '-text'], dumpCertificate(FILETYPE_PEM, cert));
    expect(text).toContain('Version: 3 (0x2)');
    expect(text).toMatch(/Serial Number: 11259375 \(0xabcdef\)/);
    expect(text).toContain('Subject: C = DE, O = ossl, CN = built.example');
    expect(text).toContain('Issuer: C = DE, O = ossl, CN = built.example');
    expect(text).toContain('Not After : Dec 31 23:59:59 2040 GMT');
    expect(text).toContain('Public-Key: (2048 bit)');
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:1/);
    expect(text).toMatch(/X509v3 Subject Alternative Name: \s+DNS:built.example, IP Address:10.1.2.3/);
    expect(text).toContain('Signature Algorithm: sha256WithRSAEncryption');
    // Our own text dump shows the same certificate.
    const ours = dumpCertificate(FILETYPE_TEXT, cert).toString();
    expect(ours).toContain('CA:TRUE, pathlen:1');
    expect(ours).toContain('Not After : Dec 31 23:59:59 2040 GMT');
  });

  it('loads certificates made by `openssl req -x509`', () => {
    const files = tempFiles({});
    try {
      openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', files.path('k.pem'),
        '-out', files.path('c.pem'), '-subj', '/O=cli/CN=made.by.openssl', '-days', '2', '-addext', 'subjectAltName=DNS:made.by.openssl']);
      const pem = openssl(['x509', '-in', files.path('c.pem')]);
      const cert = loadCertificate(FILETYPE_PEM, pem);
      expect(cert.getSubject().CN).toBe('made.by.openssl');
      expect(cert.getSubject().O).toBe('cli');
      expect(cert.getVersion()).toBe(2);
      const fp = openssl(['x509', '-noout', '-fingerprint', '-sha256'], pem).trim().split('=')[1];
      expect(cert.digest('sha256')).toBe(fp);
      const der = dumpCertificate(FILETYPE_ASN1, cert);
      expect(loadCertificate(FILETYPE_ASN1, der).digest('sha256')).toBe(fp);
    } finally {
      files.cleanup();
    }
  });
});

describe('X509 bad input', () => {
  it('rejects wrong argument types, naming the parameter', () => {
    const cert = new X509();
    expect(() => cert.setSerialNumber('12' as never)).toThrow('"serial" must be a bigint or an integer, got string');
    expect(() => cert.setSerialNumber(1.5)).toThrow(TypeError);
    expect(() => cert.setVersion('2' as never)).toThrow(TypeError);
    expect(() => cert.setSubject('CN=x' as never)).toThrow('"subject" must be an X509Name, got string');
    expect(() => cert.setPubkey({} as never)).toThrow(TypeError);
    expect(() => cert.sign(null as never, 'sha256')).toThrow(TypeError);
    expect(() => cert.addExtensions([1 as never])).toThrow('"extensions[0]" must be an X509Extension, got number');
    expect(() => cert.addExtensions(null as never)).toThrow(TypeError);
    expect(() => cert.gmtimeAdjNotAfter('1' as never)).toThrow(TypeError);
  });

  it('rejects bad values with RangeError or crypto.Error', () => {
    const key = PKey.generate(TYPE_EC, 'prime256v1');
    const cert = baseCert(key);
    expect(() => cert.setVersion(7)).toThrow(RangeError);
    expect(() => cert.setNotBefore('yesterday')).toThrow(RangeError);
    expect(() => cert.setNotBefore('20201301000000Z')).toThrow(RangeError);
    expect(() => cert.sign(key, 'no-such-digest')).toThrow('no such digest method: no-such-digest');
    expect(() => cert.digest('md99')).toThrow(RangeError);
    expect(() => cert.getExtension(0)).toThrow(RangeError);
    expect(() => cert.getExtension(-1)).toThrow(RangeError);
    expect(() => cert.sign(cert.getPubkey(), 'sha256')).toThrow('a private key is needed to sign');
    // An empty certificate has no key to give.
    expect(() => new X509().getPubkey()).toThrow(CryptoError);
  });
});

describe('X509 lifetimes', () => {
  it('keeps a subject name valid after its certificate is garbage-collected', () => {
    let name: X509Name;
    {
      const { cert } = makeIdentity({ cn: 'gc.example' });
      name = cert.getSubject();
    }
    for (let i = 0; i < 3; i++) globalThis.gc?.();
    // Churn the heap so a freed name would be overwritten.
    for (let i = 0; i < 200; i++) new X509().getSubject().CN = `filler-${i}`;
    globalThis.gc?.();
    expect(name.CN).toBe('gc.example');
    expect(name.toString()).toBe('/CN=gc.example');
  });

  it('keeps a name view valid when the certificate replaces its subject', () => {
    const cert = new X509();
    const view = cert.getSubject();
    view.CN = 'first';
    const other = new X509Name();
    other.CN = 'second';
    cert.setSubject(other);
    expect(view.CN).toBe('second');
  });
});

describe('X509 text dumps', () => {
  it('equal `openssl x509 -text -noout` byte for byte with XN_FLAG_ONELINE', async () => {
    const { XN_FLAG_ONELINE } = await import('../src/index.js');
    for (const rsa of [false, true]) {
      const ca = makeIdentity({ cn: 'Text CA', ca: true, rsa });
      const leaf = makeIdentity({
        cn: 'text.example',
        issuer: ca,
        rsa,
        sans: 'DNS:text.example, IP:10.0.0.1, email:a@text.example',
        extensions: [
          ['extendedKeyUsage', false, 'serverAuth'],
          ['crlDistributionPoints', false, 'URI:http://crl.text.example/ca.crl'],
          ['authorityInfoAccess', false, 'OCSP;URI:http://ocsp.text.example'],
        ],
      });
      // The CLI of the OpenSSL series inside Node (their printers differ a little between series).
      const cli = opensslOfNode(['x509', '-noout', '-text', '-nameopt', 'oneline'], dumpCertificate(FILETYPE_PEM, leaf.cert));
      expect(dumpCertificate(FILETYPE_TEXT, leaf.cert, { nameFlags: XN_FLAG_ONELINE }).toString()).toBe(cli);
    }
  });

  it('shows a NUL byte inside a subjectAltName instead of cutting the name there', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { vectorsDir } = await import('./support/helpers.js');
    const cert = loadCertificate(FILETYPE_PEM, readFileSync(join(vectorsDir(), 'cpython-certdata', 'nullbytecert.pem')));
    const san = [...Array(cert.getExtensionCount()).keys()].map((i) => cert.getExtension(i)).find((e) => e.getShortName() === 'subjectAltName')!;
    expect(san.toString()).toContain('DNS:altnull.python.org\0example.com');
    expect(san.toString()).toContain('email:null@python.org\0user@example.org');
  });
});

describe('X509.checkHost', () => {
  it("matches names and IP addresses with OpenSSL's own rules", () => {
    const { cert } = makeIdentity({ cn: 'host.example', sans: 'DNS:host.example, DNS:*.wild.example, IP:10.0.0.7, IP:2001:db8::1' });
    expect(cert.checkHost('host.example')).toBe(true);
    expect(cert.checkHost('a.wild.example')).toBe(true);
    expect(cert.checkHost('a.b.wild.example')).toBe(false);
    expect(cert.checkHost('other.example')).toBe(false);
    expect(cert.checkHost('10.0.0.7')).toBe(true);
    expect(cert.checkHost('2001:db8::1')).toBe(true);
    expect(cert.checkHost('10.0.0.8')).toBe(false);
    expect(cert.checkHost('host.example\0.evil')).toBe(false);
    expect(() => cert.checkHost(5 as never)).toThrow(TypeError);
  });
});
