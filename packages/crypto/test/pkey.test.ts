import { generateKeyPairSync, createSign, createVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { CryptoError, Error as CryptoErrorAlias, PKey, TYPE_DSA, TYPE_EC, TYPE_ED25519, TYPE_ED448, TYPE_RSA } from '../src/index.js';
import { thrown } from './support/helpers.js';

describe('PKey.generateKey', () => {
  it('makes RSA keys of the requested size that pass check()', () => {
    const key = new PKey();
    key.generateKey(TYPE_RSA, 2048);
    expect(key.type()).toBe(TYPE_RSA);
    expect(key.bits()).toBe(2048);
    expect(key.check()).toBe(true);
  });

  it('makes EC keys on named curves, by OpenSSL or NIST name', () => {
    expect(PKey.generate(TYPE_EC, 'prime256v1').bits()).toBe(256);
    expect(PKey.generate(TYPE_EC, 'P-256').bits()).toBe(256);
    const p384 = PKey.generate(TYPE_EC, 'secp384r1');
    expect(p384.type()).toBe(TYPE_EC);
    expect(p384.bits()).toBe(384);
    expect(p384.check()).toBe(true);
  });

  it('makes DSA, Ed25519 and Ed448 keys', () => {
    const dsa = PKey.generate(TYPE_DSA, 1024);
    expect(dsa.type()).toBe(TYPE_DSA);
    expect(dsa.bits()).toBe(1024);
    expect(PKey.generate(TYPE_ED25519).type()).toBe(TYPE_ED25519);
    expect(PKey.generate(TYPE_ED448).bits()).toBe(456);
  });

  it('rejects wrong types and values with TypeError and RangeError', () => {
    expect(() => PKey.generate('rsa' as never, 2048)).toThrow(TypeError);
    expect(() => PKey.generate(TYPE_RSA, '2048' as never)).toThrow('"bits" must be a number, got string');
    expect(() => PKey.generate(TYPE_EC, 256 as never)).toThrow('"curve" must be a string, got number');
    expect(() => PKey.generate(TYPE_RSA, 0)).toThrow(RangeError);
    expect(() => PKey.generate(TYPE_RSA, 1.5)).toThrow(RangeError);
    expect(() => PKey.generate(TYPE_EC, 'no-such-curve')).toThrow('unknown elliptic curve: no-such-curve');
    expect(() => PKey.generate(12345, 2048)).toThrow(RangeError);
  });

  it('refuses RSA keys OpenSSL cannot make, with its reason', () => {
    const e = thrown(() => PKey.generate(TYPE_RSA, 256));
    expect(e).toBeInstanceOf(CryptoError);
    expect(e).toBeInstanceOf(CryptoErrorAlias);
    expect((e as CryptoError).errors.length).toBeGreaterThan(0);
    expect((e as CryptoError).message).toMatch(/key size too small|key generation failed/);
  });
});

describe('PKey without a key', () => {
  it('throws crypto.Error instead of touching a missing key', () => {
    const key = new PKey();
    expect(() => key.bits()).toThrow(CryptoError);
    expect(() => key.type()).toThrow('the key is empty');
  });
});

describe('PKey.check', () => {
  it('refuses public-only keys as pyOpenSSL does', async () => {
    const { makeIdentity } = await import('./support/helpers.js');
    const { cert } = makeIdentity({ cn: 'x' });
    expect(() => cert.getPubkey().check()).toThrow(new TypeError('public key only'));
  });
});

describe('node:crypto interop', () => {
  it('round-trips private keys through KeyObject and signs compatibly', () => {
    const key = PKey.generate(TYPE_EC, 'prime256v1');
    const ko = key.toKeyObject();
    expect(ko.type).toBe('private');
    expect(ko.asymmetricKeyType).toBe('ec');
    const back = PKey.fromKeyObject(ko);
    expect(back.equals(key)).toBe(true);
    const sig = createSign('sha256').update('data').sign(ko);
    expect(createVerify('sha256').update('data').verify(PKey.fromKeyObject(ko).toKeyObject(), sig)).toBe(true);
  });

  it('imports node-made keys of every type', () => {
    const ed = generateKeyPairSync('ed25519');
    expect(PKey.fromKeyObject(ed.privateKey).type()).toBe(TYPE_ED25519);
    const pub = PKey.fromKeyObject(ed.publicKey);
    expect(pub.isPublicOnly()).toBe(true);
    expect(pub.toKeyObject().type).toBe('public');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(PKey.fromKeyObject(rsa.privateKey).bits()).toBe(2048);
  });

  it('rejects things that are not KeyObjects', () => {
    expect(() => PKey.fromKeyObject({} as never)).toThrow(TypeError);
    expect(() => PKey.fromKeyObject('pem' as never)).toThrow(TypeError);
  });
});

describe('PKey.generateKeyAsync', () => {
  it('makes a 4096-bit RSA key on the thread pool while timers keep running', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const key = await PKey.generateAsync(TYPE_RSA, 4096);
    clearInterval(timer);
    expect(key.bits()).toBe(4096);
    expect(key.check()).toBe(true);
    expect(ticks).toBeGreaterThan(2);
    const ec = new PKey();
    await expect(ec.generateKeyAsync(TYPE_EC, 'secp384r1')).resolves.toBe(ec);
    expect(ec.bits()).toBe(384);
  });

  it('rejects with crypto.Error, TypeError or RangeError as generateKey throws', async () => {
    await expect(PKey.generateAsync(TYPE_RSA, 256)).rejects.toBeInstanceOf(CryptoError);
    await expect(PKey.generateAsync(TYPE_RSA, 'big' as never)).rejects.toBeInstanceOf(TypeError);
    await expect(PKey.generateAsync(TYPE_EC, 'nope')).rejects.toBeInstanceOf(RangeError);
  });
});
