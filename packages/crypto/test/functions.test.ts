import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import {
  certToPythonDict,
  CryptoError,
  dumpCertificate,
  dumpPrivatekey,
  dumpPublickey,
  FILETYPE_ASN1,
  FILETYPE_PEM,
  FILETYPE_TEXT,
  loadCertificate,
  loadPrivatekey,
  loadPublickey,
  PKey,
  TYPE_EC,
  TYPE_RSA,
  X509,
} from '../src/index.js';
import { makeIdentity, openssl, opensslBuffer, tempFiles, thrown, vectorsDir } from './support/helpers.js';

const certdata = (name: string): string => readFileSync(join(vectorsDir(), 'cpython-certdata', name), 'utf8');

describe('loadCertificate / dumpCertificate', () => {
  it('round-trips PEM and DER byte for byte', () => {
    const { cert } = makeIdentity({ cn: 'round.trip' });
    const der = dumpCertificate(FILETYPE_ASN1, cert);
    const pem = dumpCertificate(FILETYPE_PEM, cert);
    expect(pem.toString()).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(dumpCertificate(FILETYPE_ASN1, loadCertificate(FILETYPE_PEM, pem)).equals(der)).toBe(true);
    expect(dumpCertificate(FILETYPE_PEM, loadCertificate(FILETYPE_ASN1, der)).equals(pem)).toBe(true);
    expect(loadCertificate(FILETYPE_PEM, pem.toString()).getSubject().CN).toBe('round.trip');
  });

  it("loads CPython's test certificates", () => {
    const cert = loadCertificate(FILETYPE_PEM, certdata('keycert3.pem'));
    expect(cert.getSubject().CN).toBe('localhost');
    expect(cert.getIssuer().O).toBe('Python Software Foundation CA');
    const nul = loadCertificate(FILETYPE_PEM, certdata('nullbytecert.pem'));
    expect(nul.getSubject().CN).toBe('null.python.org\0example.org');
    expect(loadCertificate(FILETYPE_PEM, certdata('talos-2019-0758.pem')).getExtensionCount()).toBeGreaterThan(0);
  });

  it('dumps the text form', () => {
    const { cert } = makeIdentity({ cn: 'text.example' });
    const text = dumpCertificate(FILETYPE_TEXT, cert).toString();
    expect(text).toContain('Certificate:');
    expect(text).toContain('CN=text.example');
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
  });

  it('fails cleanly on garbage, truncated, empty and mislabelled input', () => {
    const { cert } = makeIdentity({ cn: 'bad.input' });
    const pem = dumpCertificate(FILETYPE_PEM, cert).toString();
    const der = dumpCertificate(FILETYPE_ASN1, cert);
    const bad: [number, string | Buffer][] = [
      [FILETYPE_PEM, ''],
      [FILETYPE_PEM, 'garbage'],
      [FILETYPE_PEM, pem.slice(0, pem.length / 2)],
      [FILETYPE_PEM, pem.replace(/[A-Za-z]{8}/, '!!!!!!!!')],
      [FILETYPE_ASN1, Buffer.alloc(0)],
      [FILETYPE_ASN1, der.subarray(0, der.length - 10)],
      [FILETYPE_ASN1, Buffer.from(pem)],
      [FILETYPE_PEM, certdata('badcert.pem')],
    ];
    for (const [type, input] of bad) {
      const e = thrown(() => loadCertificate(type, input));
      expect(e).toBeInstanceOf(CryptoError);
      expect((e as CryptoError).errors.length).toBeGreaterThan(0);
    }
  });

  it('never prompts for a passphrase on a PEM block that claims to be encrypted', () => {
    const { cert } = makeIdentity({ cn: 'enc' });
    const body = dumpCertificate(FILETYPE_PEM, cert).toString().split('\n').slice(1, -2).join('\n');
    const pem = `-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n${body}\n-----END CERTIFICATE-----\n`;
    expect(() => loadCertificate(FILETYPE_PEM, pem)).toThrow(CryptoError);
  });

  it('rejects every OpenSSL fuzz-corpus sample and survives bit flips', () => {
    const dir = join(vectorsDir(), 'openssl-fuzz', 'x509');
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) {
      expect(() => loadCertificate(FILETYPE_ASN1, readFileSync(join(dir, f)))).toThrow(CryptoError);
    }
    // Bit-flipped real certificates: each either loads or throws crypto.Error, never worse.
    const der = dumpCertificate(FILETYPE_ASN1, makeIdentity({ cn: 'flip' }).cert);
    let rejected = 0;
    for (let i = 0; i < 2000; i++) {
      const copy = Buffer.from(der);
      const bit = (i * 7919) % (copy.length * 8);
      copy[bit >> 3]! ^= 1 << (bit & 7);
      try {
        loadCertificate(FILETYPE_ASN1, copy.subarray(0, i % 3 === 0 ? copy.length - (i % 50) : copy.length));
      } catch (e) {
        expect(e).toBeInstanceOf(CryptoError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(0);
  });

  it('rejects wrong types and file types', () => {
    expect(() => loadCertificate(FILETYPE_PEM, 42 as never)).toThrow('"buffer" must be a Buffer or string, got number');
    expect(() => loadCertificate(99, 'x')).toThrow(RangeError);
    expect(() => loadCertificate(FILETYPE_TEXT, 'x')).toThrow(RangeError);
    expect(() => loadCertificate('pem' as never, 'x')).toThrow(TypeError);
    expect(() => dumpCertificate(FILETYPE_PEM, {} as never)).toThrow('"cert" must be an X509, got Object');
  });
});

describe('loadPrivatekey / dumpPrivatekey', () => {
  it('round-trips RSA and EC keys through PEM and DER', () => {
    for (const key of [PKey.generate(TYPE_RSA, 2048), PKey.generate(TYPE_EC, 'prime256v1')]) {
      const pem = dumpPrivatekey(FILETYPE_PEM, key);
      expect(pem.toString()).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      const back = loadPrivatekey(FILETYPE_PEM, pem);
      expect(back.equals(key)).toBe(true);
      expect(back.type()).toBe(key.type());
      expect(loadPrivatekey(FILETYPE_ASN1, dumpPrivatekey(FILETYPE_ASN1, key)).equals(key)).toBe(true);
      expect(dumpPrivatekey(FILETYPE_TEXT, key).toString()).toMatch(/Private-Key: \((2048|256) bit/);
    }
  });

  it('encrypts with a cipher and a string, Buffer or callback passphrase', () => {
    const key = PKey.generate(TYPE_EC, 'prime256v1');
    const enc = dumpPrivatekey(FILETYPE_PEM, key, 'aes-256-cbc', 'secret');
    expect(enc.toString()).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect(loadPrivatekey(FILETYPE_PEM, enc, 'secret').equals(key)).toBe(true);
    expect(loadPrivatekey(FILETYPE_PEM, enc, Buffer.from('secret')).equals(key)).toBe(true);
    const calls: boolean[] = [];
    const enc2 = dumpPrivatekey(FILETYPE_PEM, key, 'aes-128-cbc', (writing) => {
      calls.push(writing);
      return 'cb-secret';
    });
    expect(loadPrivatekey(FILETYPE_PEM, enc2, (writing) => {
      calls.push(writing);
      return Buffer.from('cb-secret');
    }).equals(key)).toBe(true);
    expect(calls).toEqual([true, false]);
  });

  it('interoperates with `openssl pkey` both ways', () => {
    const key = PKey.generate(TYPE_RSA, 2048);
    const enc = dumpPrivatekey(FILETYPE_PEM, key, 'aes-256-cbc', 'pw1');
    const plain = openssl(['pkey', '-passin', 'pass:pw1'], enc);
    expect(loadPrivatekey(FILETYPE_PEM, plain).equals(key)).toBe(true);
    const files = tempFiles({});
    try {
      openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-aes256', '-pass', 'pass:pw2', '-out', files.path('k.pem')]);
      const k = loadPrivatekey(FILETYPE_PEM, readFileSync(files.path('k.pem')), 'pw2');
      expect(k.bits()).toBe(384);
      const der = opensslBuffer(['pkey', '-passin', 'pass:pw2', '-in', files.path('k.pem'), '-outform', 'DER']);
      expect(loadPrivatekey(FILETYPE_ASN1, der).equals(k)).toBe(true);
    } finally {
      files.cleanup();
    }
  });

  it("loads CPython's encrypted key with its password", () => {
    const key = loadPrivatekey(FILETYPE_PEM, certdata('keycert.passwd.pem'), 'somepass');
    expect(key.type()).toBe(TYPE_RSA);
    expect(key.bits()).toBe(3072);
    const cert = loadCertificate(FILETYPE_PEM, certdata('keycert.passwd.pem'));
    expect(cert.getPubkey().equals(key)).toBe(true);
  });

  it('fails with OpenSSL reasons on wrong or missing passphrases', () => {
    const key = PKey.generate(TYPE_EC, 'prime256v1');
    const enc = dumpPrivatekey(FILETYPE_PEM, key, 'aes-256-cbc', 'right');
    expect(thrown(() => loadPrivatekey(FILETYPE_PEM, enc, 'wrong'))).toBeInstanceOf(CryptoError);
    // OpenSSL's reason, from a fixed file: with a fresh salt, a wrong key still ends in valid CBC
    // padding once in 256 tries, and then the reason is the ASN.1 parser's ('wrong tag'), not this.
    const wrong = thrown(() => loadPrivatekey(FILETYPE_PEM, certdata('keycert.passwd.pem'), 'wrong'));
    expect(wrong).toBeInstanceOf(CryptoError);
    expect((wrong as CryptoError).errors.map((x) => x.reason)).toContain('bad decrypt');
    expect(() => loadPrivatekey(FILETYPE_PEM, enc)).toThrow(CryptoError);
    expect(() => loadPrivatekey(FILETYPE_PEM, enc, () => 'wrong')).toThrow(CryptoError);
  });

  it('re-throws what a passphrase callback throws and refuses what it should not return', () => {
    const key = PKey.generate(TYPE_EC, 'prime256v1');
    const enc = dumpPrivatekey(FILETYPE_PEM, key, 'aes-256-cbc', 'right');
    const boom = new Error('boom');
    expect(thrown(() => loadPrivatekey(FILETYPE_PEM, enc, () => {
      throw boom;
    }))).toBe(boom);
    expect(() => loadPrivatekey(FILETYPE_PEM, enc, () => 42 as never)).toThrow(TypeError);
    expect(() => loadPrivatekey(FILETYPE_PEM, enc, () => 'x'.repeat(5000))).toThrow(/passphrase is too long/);
    expect(() => dumpPrivatekey(FILETYPE_PEM, key, 'aes-256-cbc', () => {
      throw boom;
    })).toThrow('boom');
  });

  it('re-throws any value a passphrase callback throws, primitives included, as is', () => {
    const key = PKey.generate(TYPE_EC, 'prime256v1');
    const enc = dumpPrivatekey(FILETYPE_PEM, key, 'aes-256-cbc', 'right');
    for (const value of ['bad', 42, undefined, null, Symbol('s'), { tag: 1 }, 0n]) {
      const thrower = (): never => {
        throw value;
      };
      expect(Object.is(thrown(() => loadPrivatekey(FILETYPE_PEM, enc, thrower)), value)).toBe(true);
      expect(Object.is(thrown(() => dumpPrivatekey(FILETYPE_PEM, key, 'aes-256-cbc', thrower)), value)).toBe(true);
    }
  });

  it('refuses passphrase results of the wrong type, naming the callback, and never uses them', () => {
    const key = PKey.generate(TYPE_EC, 'prime256v1');
    const enc = dumpPrivatekey(FILETYPE_PEM, key, 'aes-256-cbc', 'right');
    const bad = [new Uint16Array([1, 2]), new Float64Array(2), new Int32Array(2), new DataView(new ArrayBuffer(4)), {}, [], null, undefined, true];
    for (const value of bad) {
      const load = thrown(() => loadPrivatekey(FILETYPE_PEM, enc, () => value as never));
      expect(load).toBeInstanceOf(TypeError);
      expect((load as Error).message).toMatch(/^the passphrase callback must return a Buffer or string, got /);
      const dump = thrown(() => dumpPrivatekey(FILETYPE_PEM, key, 'aes-256-cbc', () => value as never));
      expect(dump).toBeInstanceOf(TypeError);
    }
    // A Uint8Array is bytes, like a Buffer.
    expect(loadPrivatekey(FILETYPE_PEM, enc, () => new Uint8Array(Buffer.from('right')) as never).equals(key)).toBe(true);
  });

  it('refuses bad arguments', () => {
    const key = PKey.generate(TYPE_EC, 'prime256v1');
    expect(() => dumpPrivatekey(FILETYPE_PEM, key, 'no-such-cipher', 'x')).toThrow('invalid cipher name: no-such-cipher');
    expect(() => dumpPrivatekey(FILETYPE_PEM, key, 'aes-256-cbc')).toThrow('a cipher needs a passphrase');
    expect(() => dumpPrivatekey(FILETYPE_ASN1, key, 'aes-256-cbc', 'x')).toThrow(RangeError);
    expect(() => dumpPrivatekey(FILETYPE_PEM, 'key' as never)).toThrow(TypeError);
    expect(() => loadPrivatekey(FILETYPE_PEM, dumpPrivatekey(FILETYPE_PEM, key), 5 as never)).toThrow(TypeError);
    expect(() => loadPrivatekey(FILETYPE_ASN1, dumpPrivatekey(FILETYPE_ASN1, key), 'pw')).toThrow(RangeError);
    expect(() => dumpPrivatekey(FILETYPE_PEM, key.toKeyObject() as never)).toThrow(TypeError);
    const pub = loadPublickey(FILETYPE_PEM, dumpPublickey(FILETYPE_PEM, key));
    expect(() => dumpPrivatekey(FILETYPE_PEM, pub)).toThrow(RangeError);
  });

  it('fails cleanly on garbage, truncated and empty keys', () => {
    const key = PKey.generate(TYPE_RSA, 2048);
    const pem = dumpPrivatekey(FILETYPE_PEM, key).toString();
    const der = dumpPrivatekey(FILETYPE_ASN1, key);
    for (const [type, input] of [
      [FILETYPE_PEM, ''],
      [FILETYPE_PEM, 'garbage'],
      [FILETYPE_PEM, pem.slice(0, 200)],
      [FILETYPE_ASN1, der.subarray(0, 100)],
      [FILETYPE_ASN1, Buffer.alloc(0)],
      [FILETYPE_PEM, certdata('badkey.pem')],
    ] as [number, string | Buffer][]) {
      expect(() => loadPrivatekey(type, input)).toThrow(CryptoError);
    }
    for (const f of readdirSync(join(vectorsDir(), 'openssl-fuzz', 'asn1'))) {
      expect(() => loadPrivatekey(FILETYPE_ASN1, readFileSync(join(vectorsDir(), 'openssl-fuzz', 'asn1', f)))).toThrow(CryptoError);
    }
  });
});

describe('loadPublickey / dumpPublickey', () => {
  it('round-trips SubjectPublicKeyInfo and matches the certificate key', () => {
    const { key, cert } = makeIdentity({ cn: 'pub' });
    const pem = dumpPublickey(FILETYPE_PEM, key);
    expect(pem.toString()).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const pub = loadPublickey(FILETYPE_PEM, pem);
    expect(pub.isPublicOnly()).toBe(true);
    expect(pub.equals(cert.getPubkey())).toBe(true);
    expect(loadPublickey(FILETYPE_ASN1, dumpPublickey(FILETYPE_ASN1, key)).equals(key)).toBe(true);
    expect(openssl(['pkey', '-pubin', '-noout', '-text'], pem)).toContain('NIST CURVE: P-256');
  });

  it('fails cleanly on bad input', () => {
    expect(() => loadPublickey(FILETYPE_PEM, 'junk')).toThrow(CryptoError);
    expect(() => loadPublickey(FILETYPE_ASN1, Buffer.from([0x30, 0x03, 0x02, 0x01]))).toThrow(CryptoError);
    expect(() => loadPublickey(FILETYPE_PEM, null as never)).toThrow(TypeError);
    expect(() => dumpPublickey(FILETYPE_PEM, new X509() as never)).toThrow(TypeError);
  });
});

describe('certToPythonDict', () => {
  it("gives CPython's own getpeercert() dictionary, and refuses what is not an X509", () => {
    const decoded = JSON.parse(certdata('decoded.json')) as Record<string, unknown>;
    for (const name of ['keycert.pem', 'allsans.pem', 'idnsans.pem']) {
      const dict = certToPythonDict(loadCertificate(FILETYPE_PEM, certdata(name)));
      expect(JSON.parse(JSON.stringify(dict)), name).toEqual(decoded[name]);
    }
    for (const bad of [null, 'pem', {}, Buffer.from('x')]) expect(() => certToPythonDict(bad as never)).toThrow(TypeError);
  });
});
