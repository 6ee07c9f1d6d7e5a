import { describe, expect, it } from 'vitest';

import { CryptoError, X509, X509Extension } from '../src/index.js';
import { makeIdentity } from './support/helpers.js';

describe('X509Extension', () => {
  it('builds basicConstraints and prints it as OpenSSL does', () => {
    const ext = new X509Extension('basicConstraints', true, 'CA:TRUE');
    expect(ext.getCritical()).toBe(true);
    expect(ext.getShortName()).toBe('basicConstraints');
    expect(ext.toString()).toBe('CA:TRUE');
    expect(ext.getData().toString('hex')).toBe('30030101ff');
  });

  it('builds subjectAltName with DNS, IP, email and URI names', () => {
    const ext = new X509Extension('subjectAltName', false, 'DNS:example.com, IP:127.0.0.1, email:a@example.com, URI:https://example.com/');
    expect(ext.getCritical()).toBe(false);
    expect(ext.toString()).toBe('DNS:example.com, IP Address:127.0.0.1, email:a@example.com, URI:https://example.com/');
  });

  it('builds key identifiers from the subject and issuer certificates', () => {
    const ca = makeIdentity({ cn: 'ca', ca: true });
    const ski = new X509Extension('subjectKeyIdentifier', false, 'hash', { subject: ca.cert });
    // OpenSSL 3.0 takes the issuer's key id from the issuer's own subjectKeyIdentifier extension.
    ca.cert.addExtensions([ski]);
    ca.cert.sign(ca.key, 'sha256');
    expect(ski.toString()).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
    const aki = new X509Extension('authorityKeyIdentifier', false, 'keyid:always', { issuer: ca.cert });
    expect(aki.toString()).toContain(ski.toString());
  });

  it('fails with OpenSSL reasons for unknown names and bad values', () => {
    expect(() => new X509Extension('noSuchExtension', false, 'x')).toThrow(CryptoError);
    expect(() => new X509Extension('basicConstraints', false, 'CA:MAYBE')).toThrow(CryptoError);
    expect(() => new X509Extension('subjectKeyIdentifier', false, 'hash')).toThrow(CryptoError);
    const e = (() => {
      try {
        new X509Extension('keyUsage', false, 'flyingUnicorn');
      } catch (err) {
        return err as CryptoError;
      }
      return null;
    })();
    expect(e).toBeInstanceOf(CryptoError);
    expect(e!.errors.length).toBeGreaterThan(0);
  });

  it('rejects wrong types and embedded NUL bytes', () => {
    expect(() => new X509Extension(5 as never, false, 'CA:TRUE')).toThrow(TypeError);
    expect(() => new X509Extension('basicConstraints', 'yes' as never, 'CA:TRUE')).toThrow('"critical" must be a boolean, got string');
    expect(() => new X509Extension('basicConstraints', false, null as never)).toThrow(TypeError);
    expect(() => new X509Extension('subjectAltName', false, 'DNS:a\0.evil.com')).toThrow(RangeError);
    expect(() => new X509Extension('subjectKeyIdentifier', false, 'hash', { subject: 'cert' as never })).toThrow(TypeError);
  });

  it('survives the certificate it was read from', () => {
    let ext: X509Extension;
    {
      const cert = new X509();
      cert.addExtensions([new X509Extension('basicConstraints', false, 'CA:FALSE')]);
      ext = cert.getExtension(0);
    }
    globalThis.gc?.();
    expect(ext.toString()).toBe('CA:FALSE');
  });
});
