// What console.log and util.inspect print for crypto objects: a useful one-liner, cheap, never a
// secret, never a throw (not for an empty, half-built or forged object either).
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';

import * as src from '../src/index.js';
import {
  Cipher,
  CRL,
  ENCRYPT,
  HMAC,
  MessageDigest,
  NetscapeSPKI,
  PKCS12,
  PKey,
  Revoked,
  smimeSign,
  TYPE_EC,
  TYPE_RSA,
  X509,
  X509Extension,
  X509Name,
  X509Req,
  X509Store,
  X509StoreContext,
} from '../src/index.js';
import { makeIdentity } from './support/helpers.js';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Every class the package exports, by its export name (`Error` is CryptoError's pyOpenSSL alias). */
function exportedClasses(lib: Record<string, unknown>): [string, { name: string; prototype: object }][] {
  return Object.entries(lib).filter(
    (e): e is [string, { name: string; prototype: object }] => typeof e[1] === 'function' && /^class\b/.test(Function.prototype.toString.call(e[1])),
  );
}

function ca(): { key: PKey; cert: X509 } {
  const key = PKey.generate(TYPE_EC, 'prime256v1');
  const cert = new X509();
  cert.setVersion(2);
  cert.setSerialNumber(42n);
  cert.getSubject().C = 'DE';
  cert.getSubject().CN = 'example.com';
  const issuer = new X509Name();
  issuer.CN = 'CA';
  cert.setIssuer(issuer);
  cert.setNotBefore('20260101000000Z');
  cert.setNotAfter('20270101000000Z');
  cert.setPubkey(key);
  cert.sign(key, 'sha256');
  return { key, cert };
}

describe('class names in the build', () => {
  it('keeps every class name in the CJS and ESM builds (no `_X509`)', async () => {
    const cjs = createRequire(import.meta.url)('@ossl/crypto') as Record<string, unknown>;
    const esm = (await import(pathToFileURL(join(packageRoot, 'dist/index.js')).href)) as Record<string, unknown>;
    for (const lib of [cjs, esm]) {
      const classes = exportedClasses(lib);
      expect(classes.length).toBeGreaterThan(15);
      for (const [exported, Class] of classes) expect(Class.name, exported).toBe(exported === 'Error' ? 'CryptoError' : exported);
    }
    const cert = new (cjs.X509 as typeof X509)();
    expect(inspect(cert)).toMatch(/^X509 \{/);
  });
});

describe('X509 printed', () => {
  it('shows subject, issuer, serial, validity and a fingerprint on one line', () => {
    const { cert } = ca();
    const text = inspect(cert);
    const fp = cert.digest('sha256').slice(0, 23);
    expect(text).toBe(
      `X509 { subject: 'C=DE, CN=example.com', issuer: 'CN=CA', serial: '0x2a', notBefore: 2026-01-01T00:00:00.000Z, notAfter: 2027-01-01T00:00:00.000Z, sha256: '${fp}…' }`,
    );
    expect(text).not.toContain('\n');
  });

  it('prints an empty or unsigned certificate without the fields it lacks', () => {
    expect(inspect(new X509())).toBe("X509 { subject: '', issuer: '', serial: '0x0' }");
  });

  it('prints a subclass under its own name', () => {
    class Mine extends X509 {}
    expect(inspect(new Mine())).toMatch(/^Mine \{/);
  });

  it('escapes control characters and bidi marks the certificate carries', () => {
    const { key } = ca();
    const cert = new X509();
    cert.getSubject().CN = 'evil\u001b[31m\u202eexample';
    cert.setPubkey(key);
    const text = inspect(cert);
    expect(text).not.toMatch(/[\u001b\u202e]/);
    expect(inspect(cert.getSubject())).not.toMatch(/[\u001b\u202e]/);
  });

  it('prints [X509] when nested deeper than the depth', () => {
    const { cert } = ca();
    expect(inspect({ a: { b: { cert } } }, { depth: 1 })).toBe('{ a: { b: [Object] } }');
    expect(inspect({ a: { cert } }, { depth: 1 })).toBe('{ a: { cert: [X509] } }');
  });
});

describe('the other crypto objects printed', () => {
  it('prints names in order as OpenSSL escapes them', () => {
    const name = new X509Name();
    expect(inspect(name)).toBe('X509Name {}');
    name.C = 'DE';
    name.O = 'Example, Inc.';
    name.CN = 'example.com';
    expect(inspect(name)).toBe('X509Name { C=DE, O=Example\\, Inc., CN=example.com }');
  });

  it('prints keys by type, size and half, never their material', () => {
    expect(inspect(new PKey())).toBe('PKey { <empty> }');
    const key = PKey.generate(TYPE_EC, 'prime256v1');
    expect(inspect(key)).toBe("PKey { type: 'EC', bits: 256, private: true }");
    expect(inspect(PKey.generate(TYPE_RSA, 1024))).toBe("PKey { type: 'RSA', bits: 1024, private: true }");
    const { cert } = ca();
    expect(inspect(cert.getPubkey())).toBe("PKey { type: 'EC', bits: 256, private: false }");
  });

  it('prints extensions, requests, CRLs and revocations', () => {
    expect(inspect(new X509Extension('basicConstraints', true, 'CA:TRUE'))).toBe("X509Extension { name: 'basicConstraints', critical: true, value: 'CA:TRUE' }");
    const req = new X509Req();
    expect(inspect(req)).toBe("X509Req { subject: '', extensions: 0 }");
    const { key, cert } = ca();
    req.getSubject().CN = 'req.example';
    req.setPubkey(key);
    expect(inspect(req)).toBe("X509Req { subject: 'CN=req.example', keyType: 'EC', bits: 256, extensions: 0 }");
    const revoked = new Revoked();
    revoked.setSerial('3ab');
    revoked.setReason('keyCompromise');
    revoked.setRevDate('20260102000000Z');
    expect(inspect(revoked)).toBe("Revoked { serial: '03AB', reason: 'Key Compromise', date: 2026-01-02T00:00:00.000Z }");
    const crl = new CRL();
    crl.addRevoked(revoked);
    crl.setLastUpdate('20260102000000Z');
    crl.setNextUpdate('20260202000000Z');
    crl.sign(cert, key, 'sha256');
    expect(inspect(crl)).toBe("CRL { issuer: 'C=DE, CN=example.com', lastUpdate: 2026-01-02T00:00:00.000Z, nextUpdate: 2026-02-02T00:00:00.000Z }");
  });

  it('prints PKCS#12 and PKCS#7 contents, never a key', () => {
    const { key, cert } = ca();
    const p12 = new PKCS12();
    expect(inspect(p12)).toBe('PKCS12 { key: false }');
    p12.setPrivatekey(key);
    p12.setCertificate(cert);
    p12.setFriendlyname('server');
    p12.setCaCertificates([cert]);
    expect(inspect(p12)).toBe("PKCS12 { friendlyName: 'server', certificate: 'C=DE, CN=example.com', key: true, caCertificates: 1 }");
    expect(inspect(smimeSign(cert, key, 'hello'))).toBe("PKCS7 { type: 'pkcs7-signedData', certificates: 1 }");
  });

  it('prints digests, MACs and ciphers without their keys', () => {
    expect(inspect(new MessageDigest('sha256'))).toMatch(/^MessageDigest \{ name: '(SHA256|SHA2-256)', digestSize: 32 \}$/);
    const hmac = new HMAC('the-secret-key', 'sha256');
    expect(inspect(hmac)).toBe('HMAC { digestSize: 32 }');
    const cipher = new Cipher('aes-128-cbc', Buffer.from('0123456789abcdef'), Buffer.alloc(16), ENCRYPT);
    const text = inspect(cipher);
    expect(text).toBe("Cipher { name: 'AES-128-CBC', keyLength: 16, ivLength: 16, blockSize: 16 }");
    expect(text).not.toContain('0123456789abcdef');
  });

  it('prints SPKI, stores and store contexts', () => {
    const spki = new NetscapeSPKI();
    spki.setPubkey(PKey.generate(TYPE_EC, 'prime256v1'));
    spki.setChallenge('abc');
    expect(inspect(spki)).toBe("NetscapeSPKI { keyType: 'EC', bits: 256, challenge: 'abc' }");
    const { cert } = ca();
    expect(inspect(new X509Store())).toBe('X509Store {}');
    expect(inspect(new X509StoreContext(new X509Store(), cert, [cert]))).toBe("X509StoreContext { certificate: 'C=DE, CN=example.com', chain: 1 }");
  });

  it('never throws: not for a half-built, a used-up, or a forged object of any class', () => {
    const half = [new X509(), new X509Req(), new CRL(), new Revoked(), new NetscapeSPKI(), new PKey(), new PKCS12(), new X509Name()];
    const md = new MessageDigest('sha256');
    md.final();
    const { cert } = makeIdentity({ cn: 'x' });
    for (const obj of [...half, md, cert]) expect(() => inspect(obj)).not.toThrow();
    for (const [exported, Class] of exportedClasses(src as unknown as Record<string, unknown>)) {
      const forged = Object.create(Class.prototype) as object;
      expect(() => inspect(forged), exported).not.toThrow();
      expect(inspect(forged), exported).toMatch(/^(\w+ \{|\[\w+)/);
    }
  });
});
