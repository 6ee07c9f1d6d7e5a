import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { CryptoError, rand } from '../src/index.js';
import { tempFiles } from './support/helpers.js';

describe('rand', () => {
  it('gives random bytes of the asked length', () => {
    expect(rand.bytes(0).length).toBe(0);
    const a = rand.bytes(32);
    const b = rand.bytes(32);
    expect(a.length).toBe(32);
    expect(a.equals(b)).toBe(false);
    expect(rand.status()).toBe(1);
  });

  it('takes seed material and survives a cleanup call', () => {
    rand.add(Buffer.from('some entropy'), 2.5);
    rand.seed('more seed');
    rand.cleanup();
    expect(rand.bytes(8).length).toBe(8);
  });

  it('writes a seed file and loads it back', () => {
    const files = tempFiles({});
    try {
      const n = rand.writeFile(files.path('seed'));
      expect(n).toBeGreaterThan(0);
      expect(statSync(files.path('seed')).size).toBe(n);
      expect(rand.loadFile(files.path('seed'))).toBe(n);
      expect(rand.loadFile(files.path('seed'), 16)).toBe(16);
      expect(() => rand.loadFile(files.path('missing'))).toThrow(CryptoError);
      expect(() => rand.writeFile(files.path('no/such/dir/seed'))).toThrow(CryptoError);
      expect(existsSync(files.path('no'))).toBe(false);
    } finally {
      files.cleanup();
    }
  });

  it('rejects bad arguments', () => {
    expect(() => rand.bytes(-1)).toThrow(RangeError);
    expect(() => rand.bytes('8' as never)).toThrow(TypeError);
    expect(() => rand.add('x', 'lots' as never)).toThrow(TypeError);
    expect(() => rand.seed(5 as never)).toThrow(TypeError);
    expect(() => rand.loadFile(7 as never)).toThrow(TypeError);
  });
});
