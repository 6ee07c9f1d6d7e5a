// pyOpenSSL's names that have no other home: the built-in elliptic curves (get_elliptic_curve(s))
// and OpenSSL's build information (OpenSSL_version and the OPENSSL_* / SSLEAY_* types).
import { spawnSync } from 'node:child_process';
import { createCipheriv, createHash, getCiphers, getHashes, pbkdf2Sync } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';

import {
  Cipher,
  CRL,
  ENCRYPT,
  EllipticCurve,
  getCipherNames,
  getDigestNames,
  MessageDigest,
  getEllipticCurve,
  getEllipticCurves,
  OPENSSL_BUILT_ON,
  pbkdf2,
  pbkdf2Async,
  OPENSSL_CFLAGS,
  OPENSSL_DIR,
  OPENSSL_PLATFORM,
  OPENSSL_VERSION,
  OpenSSL_version,
  opensslVersion,
  SSLEAY_BUILT_ON,
  SSLEAY_CFLAGS,
  SSLEAY_DIR,
  SSLEAY_PLATFORM,
  SSLEAY_VERSION,
  SSLeay_version,
  Revoked,
  X509,
} from '../src/index.js';
import { opensslOfNode } from './support/helpers.js';

describe('getEllipticCurves / getEllipticCurve', () => {
  it("lists exactly the curves `openssl ecparam -list_curves` of Node's OpenSSL lists", () => {
    const listed = opensslOfNode(['ecparam', '-list_curves'])
      .split('\n')
      .map((line) => /^\s*(\S+?)\s*:/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined);
    const curves = getEllipticCurves();
    expect(curves).toBeInstanceOf(Set);
    expect([...curves].map((c) => c.name).sort()).toEqual([...new Set(listed)].sort());
    for (const c of curves) expect(c).toBeInstanceOf(EllipticCurve);
    // A new Set each call, of the same objects.
    const again = getEllipticCurves();
    expect(again).not.toBe(curves);
    expect([...again]).toEqual([...curves]);
  });

  it('finds a curve by its short name, as one object per curve', () => {
    const p256 = getEllipticCurve('prime256v1');
    expect(p256.name).toBe('prime256v1');
    expect(String(p256)).toBe('prime256v1');
    expect(inspect(p256)).toBe("EllipticCurve { name: 'prime256v1' }");
    expect(getEllipticCurve('prime256v1')).toBe(p256);
    expect([...getEllipticCurves()]).toContain(p256);
    expect(getEllipticCurve('secp384r1')).not.toBe(p256);
    expect(Object.isFrozen(p256)).toBe(true);
  });

  it('refuses unknown names, non-strings and direct construction', () => {
    expect(() => getEllipticCurve('P-256')).toThrow(RangeError); // a TLS group name, not OpenSSL's curve name
    expect(() => getEllipticCurve('no-such-curve')).toThrow('unknown curve name: "no-such-curve"');
    expect(() => getEllipticCurve('')).toThrow(RangeError);
    expect(() => getEllipticCurve(415 as never)).toThrow(TypeError);
    expect(() => getEllipticCurve(undefined as never)).toThrow(TypeError);
    expect(() => new EllipticCurve('prime256v1')).toThrow(TypeError);
  });
});

describe('OpenSSL_version and the OPENSSL_* / SSLEAY_* types', () => {
  it("has OpenSSL's numbers, the two spellings alike", () => {
    expect([OPENSSL_VERSION, OPENSSL_CFLAGS, OPENSSL_BUILT_ON, OPENSSL_PLATFORM, OPENSSL_DIR]).toEqual([0, 1, 2, 3, 4]);
    expect([SSLEAY_VERSION, SSLEAY_CFLAGS, SSLEAY_BUILT_ON, SSLEAY_PLATFORM, SSLEAY_DIR]).toEqual([0, 1, 2, 3, 4]);
  });

  it('answers bytes, as pyOpenSSL does, with what opensslVersion answers as text', () => {
    for (const type of [OPENSSL_VERSION, OPENSSL_CFLAGS, OPENSSL_BUILT_ON, OPENSSL_PLATFORM, OPENSSL_DIR]) {
      const bytes = OpenSSL_version(type);
      expect(Buffer.isBuffer(bytes)).toBe(true);
      expect(bytes.toString('latin1')).toBe(opensslVersion(type));
      expect(SSLeay_version(type).equals(bytes)).toBe(true);
    }
    const [major, minor] = process.versions.openssl.split('.');
    expect(OpenSSL_version(OPENSSL_VERSION).toString()).toContain(`OpenSSL ${major}.${minor}.`);
    expect(OpenSSL_version(OPENSSL_DIR).toString()).toMatch(/^OPENSSLDIR: /);
    expect(OpenSSL_version(OPENSSL_CFLAGS).toString()).toMatch(/^compiler: /);
    // OpenSSL's own answer for a type it does not know.
    expect(OpenSSL_version(999).toString()).toBe('not available');
  });

  it('refuses a type that is not an integer', () => {
    expect(() => OpenSSL_version('0' as never)).toThrow(TypeError);
    expect(() => OpenSSL_version(null as never)).toThrow(TypeError);
    expect(() => OpenSSL_version(0.5)).toThrow(RangeError);
    expect(() => SSLeay_version(Number.NaN)).toThrow(RangeError);
  });
});

describe('getDigestNames / getCipherNames', () => {
  const sortedUnique = (names: string[]): void => {
    expect(names).toEqual([...new Set(names)].sort());
    for (const n of names) expect(n, n).not.toMatch(/^\d+(\.\d+)+$/); // no dotted OIDs
  };

  it("list every name node:crypto lists, and OpenSSL 3's provider names beside them", () => {
    const digests = getDigestNames();
    sortedUnique(digests);
    expect(getHashes().filter((h) => !digests.includes(h))).toEqual([]);
    for (const n of ['sha256', 'SHA256', 'SHA2-256', 'SHA-256', 'sha512-256', 'SHA3-256', 'md5']) expect(digests).toContain(n);
    const ciphers = getCipherNames();
    sortedUnique(ciphers);
    expect(getCiphers().filter((c) => !ciphers.includes(c))).toEqual([]);
    for (const n of ['aes-128-cbc', 'AES-128-CBC', 'aes-256-gcm', 'id-aes256-GCM', 'chacha20-poly1305']) expect(ciphers).toContain(n);
  });

  it('lists only digests that MessageDigest takes, each giving what node:crypto gives', () => {
    let compared = 0;
    for (const name of getDigestNames()) {
      const ours = new MessageDigest(name);
      ours.update('abc');
      let node: Buffer | null = null;
      try {
        node = createHash(name).update('abc').digest();
      } catch {
        node = null; // a provider name node:crypto does not take
      }
      let out: Buffer | null = null;
      try {
        out = ours.final();
      } catch {
        out = null; // an extendable-output function needs its length
      }
      if (node !== null && out !== null) {
        expect(out.toString('hex'), name).toBe(node.toString('hex'));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('takes the user name and the provider name of a cipher alike', () => {
    const key = Buffer.alloc(16, 7);
    const iv = Buffer.alloc(16, 9);
    const node = createCipheriv('aes-128-cbc', key, iv);
    const reference = Buffer.concat([node.update('attack at dawn'), node.final()]);
    expect(reference.length).toBe(16);
    // A provider's own spelling, which OpenSSL 3.0's name table does not hold, is fetched.
    const key32 = Buffer.alloc(32, 1);
    const iv12 = Buffer.alloc(12, 2);
    const gcm = (name: string): Buffer => {
      const c = new Cipher(name, key32, iv12, ENCRYPT);
      return Buffer.concat([c.update('attack at dawn'), c.final()]);
    };
    const nodeGcm = createCipheriv('aes-256-gcm', key32, iv12);
    const gcmReference = Buffer.concat([nodeGcm.update('attack at dawn'), nodeGcm.final()]);
    for (const name of ['aes-256-gcm', 'AES-256-GCM', 'id-aes256-GCM']) expect(gcm(name).equals(gcmReference), name).toBe(true);
    expect(() => new Cipher('AES-256-NOPE', key32, iv12, ENCRYPT)).toThrow(RangeError);
    for (const name of ['aes-128-cbc', 'AES-128-CBC', 'AES128']) {
      const c = new Cipher(name, key, iv, ENCRYPT);
      expect(Buffer.concat([c.update('attack at dawn'), c.final()]).equals(reference), name).toBe(true);
      expect(getCipherNames()).toContain(name);
    }
  });
});

describe('times given as bytes, as pyOpenSSL passes them', () => {
  it('X509, CRL and Revoked take a Buffer wherever they take "YYYYMMDDhhmmssZ"', () => {
    const cert = new X509();
    cert.setNotBefore(Buffer.from('20250101000000Z'));
    cert.setNotAfter(Buffer.from('20350101000000Z'));
    expect([cert.getNotBefore(), cert.getNotAfter()]).toEqual(['20250101000000Z', '20350101000000Z']);
    const crl = new CRL();
    crl.setLastUpdate(Buffer.from('20260101000000Z'));
    crl.setNextUpdate(Buffer.from('20260201000000Z'));
    const revoked = new Revoked();
    revoked.setRevDate(Buffer.from('20260115120000Z'));
    expect(revoked.getRevDate()).toBe('20260115120000Z');
  });

  it('refuses malformed bytes and other types with the reasons strings get', () => {
    const cert = new X509();
    expect(() => cert.setNotBefore(Buffer.from('2025-01-01'))).toThrow(/invalid time/);
    expect(() => cert.setNotBefore(Buffer.from('20250101000000Z\0junk'))).toThrow(/invalid time/);
    expect(() => cert.setNotBefore(Buffer.alloc(0))).toThrow(/invalid time/);
    expect(() => cert.setNotAfter(42 as never)).toThrow(TypeError);
    expect(() => new Revoked().setRevDate({} as never)).toThrow(TypeError);
    expect(() => new CRL().setLastUpdate(null as never)).toThrow(TypeError);
    expect(cert.getNotBefore()).toBeNull();
  });
});

describe('pbkdf2 / pbkdf2Async (M2Crypto EVP.pbkdf2)', () => {
  it("derives what M2Crypto and node:crypto derive, sync and on the thread pool", async () => {
    const m2 = spawnSync('/usr/bin/python3', ['-c', 'from M2Crypto import EVP; print(EVP.pbkdf2(b"password", b"salt", 1000, 32).hex())'], { encoding: 'utf8' });
    if (m2.status !== 0) throw new Error(`M2Crypto is missing (the test command installs python3-m2crypto): ${m2.stderr}`);
    expect(pbkdf2('password', 'salt', 1000, 32).toString('hex')).toBe(m2.stdout.trim());
    // RFC 6070's first vector.
    expect(pbkdf2(Buffer.from('password'), Buffer.from('salt'), 1, 20).toString('hex')).toBe('0c60c80f961f0e71f3a9b524af6012062fe037a6');
    for (const digest of ['sha256', 'SHA2-512', 'sha3-256']) {
      const expected = pbkdf2Sync('pw', 'NaCl', 50, 48, digest);
      expect(pbkdf2('pw', 'NaCl', 50, 48, digest).equals(expected), digest).toBe(true);
      expect((await pbkdf2Async('pw', 'NaCl', 50, 48, digest)).equals(expected), digest).toBe(true);
    }
  });

  it('refuses bad arguments, in both forms, before any work', async () => {
    for (const call of [pbkdf2, pbkdf2Async] as const) {
      const fail = async (f: () => unknown): Promise<unknown> => {
        try {
          await f();
        } catch (e) {
          return e;
        }
        return null;
      };
      expect(await fail(() => call('p', 's', 0, 16))).toBeInstanceOf(RangeError);
      expect(await fail(() => call('p', 's', 1, 0))).toBeInstanceOf(RangeError);
      expect(await fail(() => call('p', 's', 1, 2 ** 31))).toBeInstanceOf(RangeError);
      expect(await fail(() => call('p', 's', 1.5, 16))).toBeInstanceOf(RangeError);
      expect(await fail(() => call('p', 's', 1, 16, 'no-such-digest'))).toBeInstanceOf(RangeError);
      expect(await fail(() => call(42 as never, 's', 1, 16))).toBeInstanceOf(TypeError);
      expect(await fail(() => call('p', null as never, 1, 16))).toBeInstanceOf(TypeError);
      expect(await fail(() => call('p', 's', '1' as never, 16))).toBeInstanceOf(TypeError);
      expect(await fail(() => call('p', 's', 1, 16, 5 as never))).toBeInstanceOf(TypeError);
    }
  });
});
