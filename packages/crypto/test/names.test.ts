// pyOpenSSL's names that have no other home: the built-in elliptic curves (get_elliptic_curve(s))
// and OpenSSL's build information (OpenSSL_version and the OPENSSL_* / SSLEAY_* types).
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';

import {
  EllipticCurve,
  getEllipticCurve,
  getEllipticCurves,
  OPENSSL_BUILT_ON,
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
