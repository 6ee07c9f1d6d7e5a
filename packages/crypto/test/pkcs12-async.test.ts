// PKCS12.exportAsync: the bundle built on Node's thread pool, from copies of the key and certificates
// taken when it is called. Checked with the openssl CLI, loadPkcs12, and the same bad values export refuses.
import { describe, expect, it } from 'vitest';

import { loadPkcs12, PKCS12 } from '../src/index.js';
import { makeIdentity, openssl, tempFiles } from './support/helpers.js';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('PKCS12.exportAsync', () => {
  const ca = makeIdentity({ cn: 'Async CA', ca: true });
  const leaf = makeIdentity({ cn: 'async.example', issuer: ca });

  function bundle(): PKCS12 {
    const p12 = new PKCS12();
    p12.setPrivatekey(leaf.key);
    p12.setCertificate(leaf.cert);
    p12.setCaCertificates([ca.cert]);
    p12.setFriendlyname('async');
    return p12;
  }

  it('builds what export builds: openssl reads it, loadPkcs12 gives back the same key, certificates and name', async () => {
    const der = await bundle().exportAsync({ passphrase: 'secret', iter: 4096 });
    expect(Buffer.isBuffer(der)).toBe(true);
    const files = tempFiles({ 'a.p12': der });
    try {
      const info = openssl(['pkcs12', '-in', files.path('a.p12'), '-info', '-passin', 'pass:secret', '-nodes']);
      expect(info).toContain('friendlyName: async');
      expect(info).toContain('subject=CN = async.example');
    } finally {
      files.cleanup();
    }
    const back = loadPkcs12(der, 'secret');
    expect(back.getPrivatekey()!.equals(leaf.key)).toBe(true);
    expect(back.getCertificate()!.digest('sha256')).toBe(leaf.cert.digest('sha256'));
    expect(back.getCaCertificates()!.map((c) => c.digest('sha256'))).toEqual([ca.cert.digest('sha256')]);
    // Positional, as export takes it, and without a passphrase.
    expect(loadPkcs12(await bundle().exportAsync('pw', 100, 1), 'pw').getFriendlyname()!.toString()).toBe('async');
    expect(loadPkcs12(await bundle().exportAsync()).getCertificate()!.digest('sha256')).toBe(leaf.cert.digest('sha256'));
  });

  it('uses copies taken at the call: a certificate changed while it runs does not reach the bundle', async () => {
    const changing = makeIdentity({ cn: 'before.example', issuer: ca });
    const p12 = new PKCS12();
    p12.setPrivatekey(changing.key);
    p12.setCertificate(changing.cert);
    const pending = p12.exportAsync({ passphrase: 'x' });
    changing.cert.getSubject().CN = 'after.example';
    const back = loadPkcs12(await pending, 'x');
    expect(back.getCertificate()!.getSubject().CN).toBe('before.example');
  });

  it("copies a key without sharing its cached public copy: the original stays whole after the copies are freed", async () => {
    // makeIdentity's setPubkey made the key keep a legacy public copy (ex_data); a duplicate that
    // shared it would free it with itself.
    const id = makeIdentity({ cn: 'shared.example' });
    for (let i = 0; i < 16; i++) {
      const p12 = new PKCS12();
      p12.setPrivatekey(id.key);
      p12.setCertificate(id.cert);
      expect(loadPkcs12(await p12.exportAsync({ passphrase: 'x', iter: 10 }), 'x').getPrivatekey()!.equals(id.key)).toBe(true);
    }
    const again = makeIdentity({ cn: 'again.example', key: id.key });
    expect(again.cert.getPubkey().equals(id.key)).toBe(true);
    expect(again.cert.verifySignature(id.key)).toBe(true);
  });

  it('refuses what export refuses, as a rejection, before any work', async () => {
    const p12 = bundle();
    expect(await rejection(p12.exportAsync({ passphrase: 'x', iter: 0 }))).toBeInstanceOf(RangeError);
    expect(await rejection(p12.exportAsync({ passphrase: 'x\0y' }))).toBeInstanceOf(RangeError);
    expect(await rejection(p12.exportAsync(42 as never))).toBeInstanceOf(TypeError);
    expect(await rejection(p12.exportAsync({ passphrase: 7 as never }))).toBeInstanceOf(TypeError);
    expect(await rejection(new PKCS12().exportAsync({ passphrase: 'x' }))).toBeInstanceOf(RangeError);
    const publicOnly = new PKCS12();
    publicOnly.setPrivatekey(leaf.cert.getPubkey());
    expect(await rejection(publicOnly.exportAsync())).toBeInstanceOf(RangeError);
  });
});
