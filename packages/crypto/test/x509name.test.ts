import { describe, expect, it } from 'vitest';

import { CryptoError, X509, X509Name, XN_FLAG_RFC2253 } from '../src/index.js';
import { makeIdentity } from './support/helpers.js';

describe('X509Name attributes', () => {
  it('reads and writes by short and long names', () => {
    const name = new X509Name();
    name.C = 'US';
    name.stateOrProvinceName = 'Oregon';
    name.L = 'Portland';
    name.organizationName = 'ossl';
    name.OU = 'tests';
    name.commonName = 'example.com';
    name.emailAddress = 'admin@example.com';
    expect(name.countryName).toBe('US');
    expect(name.ST).toBe('Oregon');
    expect(name.localityName).toBe('Portland');
    expect(name.O).toBe('ossl');
    expect(name.organizationalUnitName).toBe('tests');
    expect(name.CN).toBe('example.com');
    expect(name.emailAddress).toBe('admin@example.com');
    expect(name.get('2.5.4.3')).toBe('example.com');
    expect(name.length).toBe(7);
  });

  it('gives null for a missing attribute and replaces on write', () => {
    const name = new X509Name();
    expect(name.CN).toBeNull();
    name.CN = 'one';
    name.CN = 'two';
    expect(name.CN).toBe('two');
    expect(name.length).toBe(1);
  });

  it('stores a value with an embedded NUL byte whole', () => {
    const name = new X509Name();
    name.CN = 'www.example.com\0.evil.net';
    expect(name.CN).toBe('www.example.com\0.evil.net');
    const [[key, value]] = name.getComponents() as [[Buffer, Buffer]];
    expect(key.toString()).toBe('CN');
    expect(value.toString()).toBe('www.example.com\0.evil.net');
  });

  it('keeps UTF-8 text', () => {
    const name = new X509Name();
    name.O = 'Zürich Ünïcode ✓';
    expect(name.O).toBe('Zürich Ünïcode ✓');
  });

  it('rejects unknown attributes, wrong types and values OpenSSL refuses', () => {
    const name = new X509Name();
    expect(() => name.get('noSuchAttribute')).toThrow(RangeError);
    expect(() => name.set('noSuchAttribute', 'x')).toThrow(RangeError);
    expect(() => {
      name.CN = 5 as never;
    }).toThrow('"CN" must be a string, got number');
    expect(() => {
      name.C = 'USA';
    }).toThrow(CryptoError);
    expect(name.C).toBeNull();
  });
});

describe('X509Name as a value', () => {
  it('compares, copies and prints', () => {
    const a = new X509Name();
    a.C = 'US';
    a.CN = 'a';
    const b = new X509Name(a);
    expect(a.equals(b)).toBe(true);
    expect(a.compare(b)).toBe(0);
    b.CN = 'b';
    expect(a.CN).toBe('a');
    expect(a.equals(b)).toBe(false);
    expect(a.compare(b)).toBe(-b.compare(a));
    expect(a.toString()).toBe('/C=US/CN=a');
    expect(a.print(XN_FLAG_RFC2253)).toBe('CN=a,C=US');
    expect(a.der().toString('hex')).toBe('3019310b3009060355040613025553310a300806035504030c0161');
    expect(() => a.compare('x' as never)).toThrow(TypeError);
    expect(() => new X509Name({} as never)).toThrow(TypeError);
  });

  it('is a live view of the certificate it came from', () => {
    const { cert } = makeIdentity({ cn: 'before' });
    const subject = cert.getSubject();
    subject.CN = 'after';
    expect(cert.getSubject().CN).toBe('after');
    const copy = new X509Name(cert.getSubject());
    copy.CN = 'copy';
    expect(cert.getSubject().CN).toBe('after');
    expect(new X509().getSubject().length).toBe(0);
  });
});
