import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

import { CryptoError, dumpCertificate, dumpPrivatekey, FILETYPE_PEM, loadPkcs12, PKCS12, PKey, X509 } from '../src/index.js';
import { makeIdentity, openssl, opensslBuffer, tempFiles, thrown } from './support/helpers.js';

describe('PKCS12.export', () => {
  it('builds a protected bundle that `openssl pkcs12 -info` reads', () => {
    const ca = makeIdentity({ cn: 'P12 CA', ca: true });
    const leaf = makeIdentity({ cn: 'p12.example', issuer: ca });
    const p12 = new PKCS12();
    p12.setPrivatekey(leaf.key);
    p12.setCertificate(leaf.cert);
    p12.setCaCertificates([ca.cert]);
    p12.setFriendlyname('my server');
    const der = p12.export({ passphrase: 'secret', iter: 4096 });
    const files = tempFiles({ 'b.p12': der });
    try {
      const info = openssl(['pkcs12', '-in', files.path('b.p12'), '-info', '-passin', 'pass:secret', '-nodes']);
      expect(info).toContain('friendlyName: my server');
      expect(info).toContain('subject=CN = p12.example');
      expect(info).toContain('subject=CN = P12 CA');
      expect(info).toMatch(/BEGIN PRIVATE KEY/);
      const macInfo = spawnInfo(files.path('b.p12'), 'secret');
      expect(macInfo).toMatch(/MAC: sha256/);
      expect(macInfo).toMatch(/PBES2, PBKDF2, AES-256-CBC/);
      expect(() => openssl(['pkcs12', '-in', files.path('b.p12'), '-info', '-passin', 'pass:wrong', '-nodes'])).toThrow(/mac verify failure|invalid password/i);
    } finally {
      files.cleanup();
    }
    const back = loadPkcs12(der, 'secret');
    expect(back.getPrivatekey()!.equals(leaf.key)).toBe(true);
    expect(back.getCertificate()!.digest('sha256')).toBe(leaf.cert.digest('sha256'));
    expect(back.getCaCertificates()!.map((c) => c.getSubject().CN)).toEqual(['P12 CA']);
    expect(back.getFriendlyname()!.toString()).toBe('my server');
  });

  it('exports without a passphrase, and certificates alone', () => {
    const id = makeIdentity({ cn: 'plain' });
    const p12 = new PKCS12();
    p12.setPrivatekey(id.key);
    p12.setCertificate(id.cert);
    const back = loadPkcs12(p12.export());
    expect(back.getPrivatekey()!.equals(id.key)).toBe(true);
    expect(back.getFriendlyname()).toBeNull();
    const onlyCa = new PKCS12();
    onlyCa.setCaCertificates([id.cert]);
    expect(loadPkcs12(onlyCa.export({ passphrase: 'x' }), 'x').getCaCertificates()).toHaveLength(1);
    expect(() => new PKCS12().export()).toThrow(RangeError);
  });
});

describe('PKCS12.export (pyOpenSSL positional passphrase)', () => {
  const id = makeIdentity({ cn: 'positional' });
  const bundle = (): PKCS12 => {
    const p12 = new PKCS12();
    p12.setPrivatekey(id.key);
    p12.setCertificate(id.cert);
    return p12;
  };

  it.each([
    ['a string', 'secret', 'secret'],
    ['a Buffer', Buffer.from('secret'), 'secret'],
    ['a Uint8Array', new Uint8Array(Buffer.from('s3cr3t')), 's3cr3t'],
  ])('encrypts and MACs with the passphrase given as %s', (_label, passphrase, text) => {
    const der = bundle().export(passphrase as string);
    expect(thrown(() => loadPkcs12(der))).toBeInstanceOf(CryptoError);
    expect(thrown(() => loadPkcs12(der, 'wrong'))).toBeInstanceOf(CryptoError);
    expect(loadPkcs12(der, text).getPrivatekey()!.equals(id.key)).toBe(true);
    const files = tempFiles({ 'p.p12': der });
    try {
      const info = spawnInfo(files.path('p.p12'), text);
      expect(info).toMatch(/MAC: sha256, Iteration 1\b/);
      expect(info).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048\b/);
    } finally {
      files.cleanup();
    }
  });

  it('takes iter and maciter positionally, as pyOpenSSL does', () => {
    const der = bundle().export('secret', 3000, 7);
    const files = tempFiles({ 'p.p12': der });
    try {
      const info = spawnInfo(files.path('p.p12'), 'secret');
      expect(info).toMatch(/MAC: sha256, Iteration 7\b/);
      expect(info).toMatch(/Iteration 3000\b/);
    } finally {
      files.cleanup();
    }
  });

  it('reads an options object through its own properties only', () => {
    const inherited = Object.create({ passphrase: 'from-the-prototype' }) as { passphrase?: string };
    const der = bundle().export(inherited);
    // The inherited passphrase is not used: the bundle is the one export() with no passphrase writes.
    expect(loadPkcs12(der).getPrivatekey()!.equals(id.key)).toBe(true);
    expect(thrown(() => loadPkcs12(bundle().export({ passphrase: 'own' })))).toBeInstanceOf(CryptoError);
  });

  it('refuses a passphrase of another type, naming it', () => {
    for (const bad of [42, true, [1, 2], () => 'x']) {
      const e = thrown(() => bundle().export(bad as never));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/"passphrase"/);
    }
    expect(thrown(() => bundle().export('x', 'many' as never))).toBeInstanceOf(TypeError);
  });
});

function spawnInfo(path: string, pass: string): string {
  const r = spawnSync('openssl', ['pkcs12', '-in', path, '-info', '-noout', '-passin', `pass:${pass}`], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

describe('loadPkcs12', () => {
  it('loads bundles made by `openssl pkcs12 -export`, with a CA chain and a name', () => {
    const ca = makeIdentity({ cn: 'CLI CA', ca: true });
    const leaf = makeIdentity({ cn: 'cli.p12', issuer: ca, rsa: true });
    const files = tempFiles({
      'key.pem': dumpPrivatekey(FILETYPE_PEM, leaf.key),
      'cert.pem': dumpCertificate(FILETYPE_PEM, leaf.cert),
      'ca.pem': dumpCertificate(FILETYPE_PEM, ca.cert),
    });
    try {
      const der = opensslBuffer(['pkcs12', '-export', '-inkey', files.path('key.pem'), '-in', files.path('cert.pem'), '-certfile', files.path('ca.pem'),
        '-name', 'cli friendly', '-passout', 'pass:pw']);
      const p12 = loadPkcs12(der, 'pw');
      expect(p12.getPrivatekey()!.equals(leaf.key)).toBe(true);
      expect(p12.getCertificate()!.getSubject().CN).toBe('cli.p12');
      expect(p12.getCaCertificates()!.map((c) => c.getSubject().CN)).toEqual(['CLI CA']);
      expect(p12.getFriendlyname()!.toString()).toBe('cli friendly');
      expect(p12.getPrivatekey()!.toKeyObject().asymmetricKeyType).toBe('rsa');

      const wrong = thrown(() => loadPkcs12(der, 'nope'));
      expect(wrong).toBeInstanceOf(CryptoError);
      expect((wrong as CryptoError).errors.map((e) => e.reason).join()).toMatch(/mac verify failure/);
      expect(() => loadPkcs12(der)).toThrow(CryptoError);
      const nopass = opensslBuffer(['pkcs12', '-export', '-inkey', files.path('key.pem'), '-in', files.path('cert.pem'), '-passout', 'pass:']);
      expect(loadPkcs12(nopass).getCertificate()!.getSubject().CN).toBe('cli.p12');
      expect(loadPkcs12(nopass, '').getPrivatekey()).toBeInstanceOf(PKey);
    } finally {
      files.cleanup();
    }
  });

  it('fails cleanly on garbage, truncation and wrong types', () => {
    const id = makeIdentity({ cn: 'bad' });
    const p12 = new PKCS12();
    p12.setPrivatekey(id.key);
    p12.setCertificate(id.cert);
    const der = p12.export({ passphrase: 'x' });
    expect(() => loadPkcs12(Buffer.alloc(0), 'x')).toThrow(CryptoError);
    expect(() => loadPkcs12(Buffer.from('garbage'), 'x')).toThrow(CryptoError);
    expect(() => loadPkcs12(der.subarray(0, der.length - 20), 'x')).toThrow(CryptoError);
    expect(() => loadPkcs12(42 as never)).toThrow(TypeError);
    expect(() => p12.setCertificate('c' as never)).toThrow(TypeError);
    expect(() => p12.setPrivatekey({} as never)).toThrow(TypeError);
    expect(() => p12.setCaCertificates([1 as never])).toThrow(TypeError);
    expect(() => p12.export({ passphrase: 5 as never })).toThrow(TypeError);
    expect(() => p12.export({ iter: 0 })).toThrow(RangeError);
    expect(p12.getCertificate()).toBeInstanceOf(X509);
  });
});
