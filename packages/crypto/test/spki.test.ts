import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { CryptoError, dumpPrivatekey, dumpPublickey, FILETYPE_PEM, NetscapeSPKI, PKey, TYPE_EC, TYPE_RSA } from '../src/index.js';
import { openssl, tempFiles } from './support/helpers.js';

describe('NetscapeSPKI', () => {
  it('signs, verifies and round-trips through base64', () => {
    const key = PKey.generate(TYPE_RSA, 2048);
    const spki = new NetscapeSPKI();
    spki.setPubkey(key);
    spki.setChallenge('challenge-123');
    spki.sign(key, 'sha256');
    expect(spki.verify(key)).toBe(true);
    const b64 = spki.b64Encode();
    const back = new NetscapeSPKI(b64);
    expect(back.verify(back.getPubkey())).toBe(true);
    expect(back.getPubkey().equals(key)).toBe(true);
    expect(back.getChallenge()).toBe('challenge-123');
    // node:crypto's Certificate helpers agree.
    expect(Certificate.verifySpkac(Buffer.from(b64))).toBe(true);
    expect(Certificate.exportChallenge(Buffer.from(b64)).toString()).toBe('challenge-123');
    expect(Certificate.exportPublicKey(Buffer.from(b64)).toString()).toBe(dumpPublickey(FILETYPE_PEM, key).toString());
  });

  it('agrees with `openssl spkac` both ways', () => {
    const key = PKey.generate(TYPE_EC, 'prime256v1');
    const files = tempFiles({ 'k.pem': dumpPrivatekey(FILETYPE_PEM, key) });
    try {
      const out = openssl(['spkac', '-key', files.path('k.pem'), '-challenge', 'from-cli', '-digest', 'sha256']);
      const b64 = out.trim().replace(/^SPKAC=/, '');
      const spki = new NetscapeSPKI(b64);
      expect(spki.verify(key)).toBe(true);
      expect(spki.getChallenge()).toBe('from-cli');

      const ours = new NetscapeSPKI();
      ours.setPubkey(key);
      ours.sign(key, 'sha256');
      writeFileSync(files.path('ours.spkac'), `SPKAC=${ours.b64Encode()}\n`);
      const text = spawnSync('openssl', ['spkac', '-verify', '-in', files.path('ours.spkac')], { encoding: 'utf8' });
      expect(text.status).toBe(0);
      expect(`${text.stdout}${text.stderr}`).toMatch(/Signature OK/);
    } finally {
      files.cleanup();
    }
  });

  it('fails cleanly on bad input and wrong keys', () => {
    const key = PKey.generate(TYPE_EC, 'prime256v1');
    const spki = new NetscapeSPKI();
    spki.setPubkey(key);
    spki.sign(key, 'sha256');
    expect(() => spki.verify(PKey.generate(TYPE_EC, 'prime256v1'))).toThrow(CryptoError);
    expect(() => new NetscapeSPKI('!!!not base64!!!')).toThrow(CryptoError);
    expect(() => new NetscapeSPKI('')).toThrow(CryptoError);
    expect(() => new NetscapeSPKI(Buffer.from('AAAA'))).toThrow(CryptoError);
    expect(() => new NetscapeSPKI(12 as never)).toThrow(TypeError);
    expect(() => spki.sign(key, 'nope')).toThrow(RangeError);
    expect(() => spki.setPubkey('k' as never)).toThrow(TypeError);
    expect(() => new NetscapeSPKI().getPubkey()).toThrow(CryptoError);
  });
});
