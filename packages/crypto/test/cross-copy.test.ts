// Objects made by one copy of @ossl/crypto work with another: the CJS build beside the ESM build (tsup
// emits both, each with its own classes), the source beside the build, and two installed copies.
// `instanceof` goes by the `Symbol.for` brand, the native handle is reached through the `kHandle`
// getter of the copy that made the object, and a forged object is a TypeError, never a crash.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { native } from '@ossl/native';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import * as src from '../src/index.js';
import { thrown as caught } from './support/helpers.js';

type Crypto = typeof src;

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = resolve(here, '..');
const require = createRequire(import.meta.url);

/** The CJS build, as `require('@ossl/crypto')` gives it (the package refers to itself by name). */
const cjs = require('@ossl/crypto') as Crypto;

/** A small self-signed certificate made entirely with `lib`. */
function selfSigned(lib: Crypto, cn: string): { key: InstanceType<Crypto['PKey']>; cert: InstanceType<Crypto['X509']> } {
  const key = lib.PKey.generate(lib.TYPE_EC, 'prime256v1');
  const cert = new lib.X509();
  cert.setVersion(2);
  cert.setSerialNumber(42n);
  cert.getSubject().CN = cn;
  cert.setIssuer(cert.getSubject());
  cert.gmtimeAdjNotBefore(-60);
  cert.gmtimeAdjNotAfter(3600);
  cert.setPubkey(key);
  cert.addExtensions([new lib.X509Extension('basicConstraints', true, 'CA:TRUE')]);
  cert.sign(key, 'sha256');
  return { key, cert };
}

let esm: Crypto;
let second: { esm: Crypto; cjs: Crypto };
let tmp: string;

beforeAll(async () => {
  // The ESM build (dist/index.js), not the source this test file otherwise uses.
  esm = (await import(pathToFileURL(join(packageRoot, 'dist/index.js')).href)) as Crypto;
  // A second installed copy: the same dist files in another node_modules, sharing @ossl/native
  // (as a package manager dedupes it).
  tmp = mkdtempSync(join(tmpdir(), 'ossl-two-copies-'));
  const copy = join(tmp, 'node_modules/@ossl/crypto');
  mkdirSync(copy, { recursive: true });
  cpSync(join(packageRoot, 'package.json'), join(copy, 'package.json'));
  cpSync(join(packageRoot, 'dist'), join(copy, 'dist'), { recursive: true });
  symlinkSync(resolve(packageRoot, '../native'), join(tmp, 'node_modules/@ossl/native'), 'dir');
  second = {
    esm: (await import(pathToFileURL(join(copy, 'dist/index.js')).href)) as Crypto,
    cjs: createRequire(join(tmp, 'app.cjs'))('@ossl/crypto') as Crypto,
  };
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('crypto across the CJS and ESM builds', () => {
  it('has distinct class objects in each build (what made plain instanceof fail)', () => {
    expect(cjs.PKey).not.toBe(esm.PKey);
    expect(cjs.X509).not.toBe(esm.X509);
    expect(cjs.X509).not.toBe(src.X509);
  });

  it('passes instanceof both ways for every kind of object', () => {
    for (const [a, b] of [
      [cjs, esm],
      [esm, cjs],
      [cjs, src],
      [src, esm],
    ] as const) {
      const { key, cert } = selfSigned(a, 'both.example');
      expect(key).toBeInstanceOf(b.PKey);
      expect(cert).toBeInstanceOf(b.X509);
      expect(cert.getSubject()).toBeInstanceOf(b.X509Name);
      expect(cert.getExtension(0)).toBeInstanceOf(b.X509Extension);
      expect(new a.X509Req()).toBeInstanceOf(b.X509Req);
      expect(new a.X509Store()).toBeInstanceOf(b.X509Store);
      expect(new a.X509StoreContext(new a.X509Store(), cert)).toBeInstanceOf(b.X509StoreContext);
      expect(new a.CRL()).toBeInstanceOf(b.CRL);
      expect(new a.Revoked()).toBeInstanceOf(b.Revoked);
      expect(new a.PKCS12()).toBeInstanceOf(b.PKCS12);
      expect(a.smimeSign(cert, key, 'x')).toBeInstanceOf(b.PKCS7);
      expect(new a.NetscapeSPKI()).toBeInstanceOf(b.NetscapeSPKI);
      expect(new a.MessageDigest('sha256')).toBeInstanceOf(b.MessageDigest);
      expect(new a.HMAC('k', 'sha256')).toBeInstanceOf(b.HMAC);
      expect(new a.Cipher('aes-128-cbc', Buffer.alloc(16), Buffer.alloc(16), a.ENCRYPT)).toBeInstanceOf(b.Cipher);
      // Other classes stay other classes.
      expect(key).not.toBeInstanceOf(b.X509);
      expect(cert).not.toBeInstanceOf(b.PKey);
    }
  });

  it('recognises errors of the other build', () => {
    const err = caught(() => cjs.loadCertificate(cjs.FILETYPE_PEM, 'garbage'));
    expect(err).toBeInstanceOf(esm.Error);
    expect(err).toBeInstanceOf(esm.OpenSSLError);
    expect(err).toBeInstanceOf(src.CryptoError);
    const verify = caught(() => new cjs.X509StoreContext(new cjs.X509Store(), selfSigned(cjs, 'untrusted').cert).verifyCertificate());
    expect(verify).toBeInstanceOf(esm.X509StoreContextError);
    expect(verify).not.toBeInstanceOf(esm.Error);
  });

  it('uses a key and certificate made by the CJS build in the ESM build', () => {
    const { key, cert } = selfSigned(cjs, 'cjs.example');
    expect(esm.dumpCertificate(esm.FILETYPE_PEM, cert)).toEqual(cjs.dumpCertificate(cjs.FILETYPE_PEM, cert));
    expect(esm.dumpPrivatekey(esm.FILETYPE_PEM, key).toString()).toContain('BEGIN PRIVATE KEY');
    const other = new esm.X509();
    other.getSubject().CN = 'leaf.example';
    other.setIssuer(cert.getSubject());
    other.setPubkey(key);
    other.addExtensions([cert.getExtension(0)]);
    other.gmtimeAdjNotBefore(-60);
    other.gmtimeAdjNotAfter(60);
    other.sign(key, 'sha256');
    expect(other.verifySignature(cert.getPubkey())).toBe(true);
    expect(esm.verify(cert, esm.sign(key, 'data', 'sha256'), 'data', 'sha256')).toBeUndefined();
    expect(new esm.X509Name(cert.getSubject()).CN).toBe('cjs.example');
    expect(cert.getSubject().equals(new esm.X509Name(cert.getSubject()))).toBe(true);
    const store = new esm.X509Store();
    store.addCert(cert);
    expect(new cjs.X509StoreContext(store, other).getVerifiedChain()).toHaveLength(2);
  });

  it('keeps the native type-tag check as the safety net below the brand check', () => {
    // A handle of the wrong kind given straight to the addon: a TypeError, not reinterpreted memory.
    const cert = selfSigned(cjs, 'tag.example').cert;
    const x509Handle = (cert as unknown as Record<symbol, unknown>)[src.kHandle];
    expect(caught(() => native.dumpPublicKey(1, x509Handle as never))).toBeInstanceOf(TypeError);
    expect(caught(() => native.dumpPublicKey(1, {} as never))).toBeInstanceOf(TypeError);
  });
});

describe('crypto across two installed copies', () => {
  it('loads a second copy with classes of its own', () => {
    expect(second.esm.X509).not.toBe(esm.X509);
    expect(second.cjs.X509).not.toBe(cjs.X509);
  });

  it('passes instanceof and works both ways between the copies', () => {
    for (const [a, b] of [
      [second.esm, esm],
      [esm, second.cjs],
      [second.cjs, cjs],
    ] as const) {
      const { key, cert } = selfSigned(a, 'copy.example');
      expect(key).toBeInstanceOf(b.PKey);
      expect(cert).toBeInstanceOf(b.X509);
      expect(b.dumpCertificate(b.FILETYPE_ASN1, cert)).toEqual(a.dumpCertificate(a.FILETYPE_ASN1, cert));
      const store = new b.X509Store();
      store.addCert(cert);
      expect(new b.X509StoreContext(store, cert).getVerifiedChain()[0]!.digest('sha256')).toBe(cert.digest('sha256'));
      const crl = new b.CRL();
      const revoked = new a.Revoked();
      revoked.setSerial('2a');
      revoked.setRevDate(new Date());
      crl.addRevoked(revoked);
      expect(b.loadCrl(b.FILETYPE_PEM, crl.export(cert, key)).getRevoked()).toHaveLength(1);
      const p12 = new b.PKCS12();
      p12.setCertificate(cert);
      p12.setPrivatekey(key);
      expect(a.loadPkcs12(p12.export()).getCertificate()!.digest('sha256')).toBe(cert.digest('sha256'));
    }
  });
});

describe('subclasses and forgeries', () => {
  it('keeps a subclass an instance of its base, of every copy, and not the other way round', () => {
    class Mine extends src.X509 {
      label = 'mine';
    }
    const { key } = selfSigned(src, 'sub.example');
    const mine = new Mine();
    mine.getSubject().CN = 'sub.example';
    mine.setPubkey(key);
    mine.gmtimeAdjNotAfter(60);
    mine.sign(key, 'sha256');
    expect(mine).toBeInstanceOf(src.X509);
    expect(mine).toBeInstanceOf(cjs.X509);
    expect(mine).toBeInstanceOf(Mine);
    expect(new src.X509()).not.toBeInstanceOf(Mine);
    expect(new cjs.X509()).not.toBeInstanceOf(Mine);
    expect(esm.dumpCertificate(esm.FILETYPE_PEM, mine).toString()).toContain('BEGIN CERTIFICATE');
    expect(mine.label).toBe('mine');
  });

  it('lets a forged brand pass instanceof but never reach native code without a real handle', () => {
    const cert = selfSigned(src, 'forged.example').cert;
    const brand = Symbol.for('@ossl/brand');
    const forgedKey = Object.create({ [brand]: '@ossl/crypto:PKey' }) as InstanceType<Crypto['PKey']>;
    // A brand is a claim anyone can make; what matters is what the object holds.
    expect(forgedKey).toBeInstanceOf(src.PKey);
    for (const lib of [src, cjs, esm]) {
      const e = caught(() => new lib.X509().sign(forgedKey, 'sha256'));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/"pkey" must be a PKey/);
      expect(caught(() => lib.dumpPrivatekey(lib.FILETYPE_PEM, forgedKey))).toBeInstanceOf(TypeError);
    }
    // A PKey's prototype without a PKey's private state.
    const hollow = Object.create(src.PKey.prototype) as InstanceType<Crypto['PKey']>;
    expect(caught(() => cjs.dumpPublickey(cjs.FILETYPE_PEM, hollow))).toBeInstanceOf(TypeError);
    // A forged handle getter: a plain object, then a real handle of the wrong kind.
    const fake = (handle: unknown): InstanceType<Crypto['PKey']> =>
      Object.create({ [brand]: '@ossl/crypto:PKey', get [src.kHandle]() { return handle; } }) as InstanceType<Crypto['PKey']>;
    expect(caught(() => esm.sign(fake({ bits: () => 256 }), 'data', 'sha256'))).toBeInstanceOf(TypeError);
    const wrongKind = caught(() => esm.sign(fake((cert as unknown as Record<symbol, unknown>)[src.kHandle]), 'data', 'sha256'));
    expect(wrongKind).toBeInstanceOf(TypeError);
    expect((wrongKind as Error).message).toMatch(/native handle is not one/);
    // A forged certificate whose handle is really a CRL: dumped as a certificate it is refused.
    const crlAsCert = Object.create({ [brand]: '@ossl/crypto:X509', get [src.kHandle]() { return (new src.CRL() as unknown as Record<symbol, unknown>)[src.kHandle]; } });
    expect(caught(() => src.dumpCertificate(src.FILETYPE_PEM, crlAsCert))).toBeInstanceOf(TypeError);
  });

  it('refuses values that are not objects, and Proxies that throw, with a TypeError', () => {
    for (const value of [null, undefined, 1, 'PKey', Symbol('x')]) {
      expect(caught(() => src.dumpPublickey(src.FILETYPE_PEM, value as never))).toBeInstanceOf(TypeError);
    }
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(proxy instanceof src.PKey).toBe(false);
  });
});
