import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import {
  Cipher,
  CryptoError,
  DECRYPT,
  ENCRYPT,
  FILETYPE_ASN1,
  getCipherNames,
  getDigestNames,
  HMAC,
  loadPublickey,
  MessageDigest,
  PKey,
  sign,
  TYPE_EC,
  TYPE_ED25519,
  TYPE_RSA,
  verify,
} from '../src/index.js';
import { makeIdentity, thrown, vectorsDir } from './support/helpers.js';

interface WycheproofTest {
  tcId: number;
  result: 'valid' | 'invalid' | 'acceptable';
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
  sig: string;
}
interface WycheproofGroup {
  tests: WycheproofTest[];
  [k: string]: unknown;
}
function wycheproof(name: string): WycheproofGroup[] {
  return JSON.parse(readFileSync(join(vectorsDir(), 'wycheproof', name), 'utf8')).testGroups;
}
const hex = (s: string): Buffer => Buffer.from(s, 'hex');

describe('MessageDigest', () => {
  it('equals node:crypto for every common digest, in pieces and copies', () => {
    const data = randomBytes(1000);
    for (const algo of ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha3-256', 'sha512-256']) {
      const md = new MessageDigest(algo);
      md.update(data.subarray(0, 333)).update(data.subarray(333));
      expect(md.final().equals(createHash(algo).update(data).digest())).toBe(true);
    }
    const md = new MessageDigest('sha256');
    md.update('abc');
    const copy = md.copy();
    copy.update('def');
    expect(md.digest().toString('hex')).toBe(createHash('sha256').update('abc').digest('hex'));
    expect(copy.final().toString('hex')).toBe(createHash('sha256').update('abcdef').digest('hex'));
    expect(new MessageDigest('sha384').digestSize).toBe(48);
    expect(new MessageDigest('sha256').blockSize).toBe(64);
  });

  it('rejects unknown names, wrong types and use after final', () => {
    expect(() => new MessageDigest('sha999')).toThrow(RangeError);
    expect(() => new MessageDigest(5 as never)).toThrow(TypeError);
    const md = new MessageDigest('sha1');
    expect(() => md.update(null as never)).toThrow(TypeError);
    md.final();
    expect(() => md.update('x')).toThrow(/finalized/);
    expect(() => md.final()).toThrow(RangeError);
  });
});

describe('HMAC', () => {
  it('passes the Wycheproof HMAC-SHA256 vectors', () => {
    let checked = 0;
    for (const group of wycheproof('hmac_sha256_test.json')) {
      const tagBytes = Number(group.tagSize) / 8;
      for (const t of group.tests) {
        const mac = new HMAC(hex(t.key), 'sha256').update(hex(t.msg)).final().subarray(0, tagBytes);
        expect(mac.equals(hex(t.tag)), `tcId ${t.tcId}`).toBe(t.result === 'valid');
        checked++;
      }
    }
    expect(checked).toBe(174);
  });

  it('equals node:crypto, including an empty key', () => {
    for (const key of [Buffer.alloc(0), randomBytes(16), randomBytes(200)]) {
      expect(new HMAC(key, 'sha512').update('message').final().equals(createHmac('sha512', key).update('message').digest())).toBe(true);
    }
    expect(new HMAC('k').digestSize).toBe(20);
    expect(() => new HMAC('k', 'nope')).toThrow(RangeError);
  });
});

describe('Cipher', () => {
  it('passes the Wycheproof AES-CBC-PKCS5 vectors both ways', () => {
    for (const group of wycheproof('aes_cbc_pkcs5_test.json')) {
      for (const t of group.tests) {
        const alg = `aes-${hex(t.key).length * 8}-cbc`;
        if (t.result === 'valid') {
          const enc = new Cipher(alg, hex(t.key), hex(t.iv), ENCRYPT);
          expect(Buffer.concat([enc.update(hex(t.msg)), enc.final()]).toString('hex'), `tcId ${t.tcId}`).toBe(t.ct);
        }
        const dec = new Cipher(alg, hex(t.key), hex(t.iv), DECRYPT);
        const attempt = (): Buffer => Buffer.concat([dec.update(hex(t.ct)), dec.final()]);
        if (t.result === 'valid') expect(attempt().toString('hex')).toBe(t.msg);
        else expect(attempt, `tcId ${t.tcId}`).toThrow(CryptoError);
      }
    }
  });

  for (const [file, algFor] of [
    ['aes_gcm_test.json', (key: Buffer) => `aes-${key.length * 8}-gcm`],
    ['chacha20_poly1305_test.json', () => 'chacha20-poly1305'],
  ] as const) {
    it(`passes the Wycheproof ${file.replace('_test.json', '')} vectors both ways`, () => {
      let valid = 0;
      let invalid = 0;
      for (const group of wycheproof(file)) {
        const tagBytes = Number(group.tagSize) / 8;
        for (const t of group.tests) {
          const key = hex(t.key);
          const run = (): Buffer => {
            const dec = new Cipher(algFor(key), key, hex(t.iv), DECRYPT);
            if (t.aad) dec.setAAD(hex(t.aad));
            const out = dec.update(hex(t.ct));
            dec.setTag(hex(t.tag));
            return Buffer.concat([out, dec.final()]);
          };
          if (hex(t.iv).length > 128) {
            // OpenSSL's GCM takes IVs of at most 128 bytes; longer (valid) ones are refused cleanly.
            expect(() => new Cipher(algFor(key), key, hex(t.iv), ENCRYPT)).toThrow(CryptoError);
            continue;
          }
          if (t.result === 'valid') {
            const enc = new Cipher(algFor(key), key, hex(t.iv), ENCRYPT);
            if (t.aad) enc.setAAD(hex(t.aad));
            const ct = Buffer.concat([enc.update(hex(t.msg)), enc.final()]);
            expect(ct.toString('hex'), `tcId ${t.tcId}`).toBe(t.ct);
            expect(enc.getTag(tagBytes).toString('hex'), `tcId ${t.tcId}`).toBe(t.tag);
            expect(run().toString('hex')).toBe(t.msg);
            valid++;
          } else if (t.result === 'invalid') {
            expect(run, `tcId ${t.tcId}`).toThrow();
            try {
              run();
            } catch (e) {
              expect(e instanceof CryptoError || e instanceof RangeError, `tcId ${t.tcId}: ${String(e)}`).toBe(true);
            }
            invalid++;
          }
        }
      }
      expect(valid).toBeGreaterThan(50);
      expect(invalid).toBeGreaterThan(10);
    });
  }

  it('equals node:crypto for CTR and without padding', () => {
    const key = randomBytes(32);
    const iv = randomBytes(16);
    const data = randomBytes(100);
    const ours = new Cipher('aes-256-ctr', key, iv, ENCRYPT);
    const node = createCipheriv('aes-256-ctr', key, iv);
    expect(Buffer.concat([ours.update(data), ours.final()]).equals(Buffer.concat([node.update(data), node.final()]))).toBe(true);
    const nopad = new Cipher('aes-128-cbc', key.subarray(0, 16), iv, ENCRYPT, { padding: false });
    expect(nopad.update(Buffer.alloc(32)).length + nopad.final().length).toBe(32);
    const bad = new Cipher('aes-128-cbc', key.subarray(0, 16), iv, ENCRYPT);
    bad.setPadding(false);
    bad.update(Buffer.alloc(5));
    expect(() => bad.final()).toThrow(CryptoError);
  });

  it('rejects unknown ciphers, wrong key and IV sizes, and misuse', () => {
    expect(() => new Cipher('aes-999-cbc', Buffer.alloc(16), Buffer.alloc(16), ENCRYPT)).toThrow(RangeError);
    expect(() => new Cipher('aes-128-cbc', Buffer.alloc(15), Buffer.alloc(16), ENCRYPT)).toThrow(/invalid key length 15/);
    expect(() => new Cipher('aes-128-cbc', Buffer.alloc(16), Buffer.alloc(8), ENCRYPT)).toThrow(/invalid IV length 8/);
    expect(() => new Cipher('aes-128-gcm', Buffer.alloc(16), Buffer.alloc(0), ENCRYPT)).toThrow();
    expect(() => new Cipher('aes-128-cbc', Buffer.alloc(16), Buffer.alloc(16), 7)).toThrow(RangeError);
    const cbc = new Cipher('aes-128-cbc', Buffer.alloc(16), Buffer.alloc(16), ENCRYPT);
    expect(() => cbc.setAAD('x')).toThrow(RangeError);
    expect(() => cbc.getTag()).toThrow(RangeError);
    expect(cbc.info()).toEqual({ name: 'AES-128-CBC', keyLength: 16, ivLength: 16, blockSize: 16 });
  });
});

describe('sign / verify', () => {
  it('passes the Wycheproof ECDSA, RSA PKCS#1 and Ed25519 verify vectors', () => {
    for (const [file, digest] of [
      ['ecdsa_secp256r1_sha256_test.json', 'sha256'],
      ['ecdsa_secp384r1_sha384_test.json', 'sha384'],
      ['rsa_signature_2048_sha256_test.json', 'sha256'],
      ['ed25519_test.json', null],
    ] as const) {
      let count = 0;
      for (const group of wycheproof(file)) {
        const key = loadPublickey(FILETYPE_ASN1, hex(group.publicKeyDer as string));
        for (const t of group.tests) {
          if (t.result === 'acceptable') continue;
          let ok = true;
          try {
            verify(key, hex(t.sig), hex(t.msg), digest);
          } catch (e) {
            expect(e).toBeInstanceOf(CryptoError);
            ok = false;
          }
          expect(ok, `${file} tcId ${t.tcId}`).toBe(t.result === 'valid');
          count++;
        }
      }
      expect(count, file).toBeGreaterThan(100);
    }
  });

  it('signs so that the certificate verifies, and refuses tampered data', () => {
    for (const id of [makeIdentity({ cn: 'ec' }), makeIdentity({ cn: 'rsa', rsa: true })]) {
      const sig = sign(id.key, 'payload', 'sha256');
      verify(id.cert, sig, 'payload', 'sha256');
      const e = thrown(() => verify(id.cert, sig, 'payloaD', 'sha256'));
      expect(e).toBeInstanceOf(CryptoError);
      expect((e as CryptoError).errors.length).toBeGreaterThan(0);
    }
    const ed = PKey.generate(TYPE_ED25519);
    verify(ed, sign(ed, 'x', null), 'x', null);
    expect(() => sign(PKey.generate(TYPE_EC, 'prime256v1'), 'x', 'nope')).toThrow(RangeError);
    expect(() => sign('k' as never, 'x', 'sha256')).toThrow(TypeError);
    expect(() => verify({} as never, 'x', 'x', 'sha256')).toThrow(TypeError);
    expect(() => sign(makeIdentity({ cn: 'p' }).cert.getPubkey(), 'x', 'sha256')).toThrow(RangeError);
    expect(PKey.generate(TYPE_RSA, 2048).bits()).toBe(2048);
  });
});

describe('getDigestNames / getCipherNames', () => {
  it('list what OpenSSL offers', () => {
    expect(getDigestNames()).toEqual(expect.arrayContaining(['SHA2-256', 'SHA1', 'SHA3-512']));
    expect(getCipherNames()).toEqual(expect.arrayContaining(['AES-128-CBC', 'AES-256-GCM', 'ChaCha20-Poly1305']));
  });
});
