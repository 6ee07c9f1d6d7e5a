import { native } from '@ossl/native';

import { guard } from './errors.js';
import { expectBytes, expectInteger, expectString, typeError } from './internal/args.js';

/** `n` random bytes from OpenSSL's generator. */
export function bytes(n: number): Buffer {
  expectInteger(n, 'num_bytes');
  return guard(() => native.rand.bytes(n));
}

/** Mixes `buf` into the generator, crediting `entropy` bytes of randomness. */
export function add(buf: Buffer | string, entropy: number): void {
  const data = expectBytes(buf, 'buffer');
  if (typeof entropy !== 'number') throw typeError('entropy', 'a number', entropy);
  guard(() => native.rand.add(data, entropy));
}

/** Mixes `buf` into the generator (as `add` with full entropy). */
export function seed(buf: Buffer | string): void {
  const data = expectBytes(buf, 'buffer');
  guard(() => native.rand.seed(data));
}

/** 1 when the generator is seeded well enough, else 0 (pyOpenSSL's `rand.status`). */
export function status(): number {
  return native.rand.status() ? 1 : 0;
}

/** Mixes up to `maxbytes` bytes of a file (-1: the whole file) into the generator; returns the count. */
export function loadFile(filename: string, maxbytes = -1): number {
  expectString(filename, 'filename');
  expectInteger(maxbytes, 'maxbytes');
  return guard(() => native.rand.loadFile(filename, maxbytes));
}

/** Writes random bytes to a file for a later `loadFile`; returns the count. */
export function writeFile(filename: string): number {
  expectString(filename, 'filename');
  return guard(() => native.rand.writeFile(filename));
}

/**
 * Kept for SSLeay/pyOpenSSL code that calls it. Since OpenSSL 1.1 the generator frees itself and
 * `RAND_cleanup` does nothing, so neither does this.
 */
export function cleanup(): void {
  // OpenSSL 1.1+ manages the generator's lifetime itself (RAND_cleanup is a no-op macro).
}

/**
 * pyOpenSSL's `OpenSSL.rand` module: OpenSSL's random number generator (`RAND_bytes(3)`), as the
 * `rand` export of @ossl/crypto.
 *
 * ```ts
 * import { rand } from '@ossl/crypto';
 * const nonce = rand.bytes(16);
 * ```
 */
export interface RandModule {
  /**
   * `n` random bytes from OpenSSL's generator (pyOpenSSL `rand.bytes`, `RAND_bytes(3)`).
   * @throws TypeError / RangeError for a count that is not a non-negative integer.
   */
  bytes(n: number): Buffer;
  /** Mixes `buf` into the generator, crediting `entropy` bytes of randomness (`RAND_add(3)`). */
  add(buf: Buffer | string, entropy: number): void;
  /** Mixes `buf` into the generator, as `add` with full entropy (`RAND_seed(3)`). */
  seed(buf: Buffer | string): void;
  /** 1 when the generator is seeded well enough, else 0 (pyOpenSSL `rand.status`, `RAND_status(3)`). */
  status(): number;
  /** Mixes up to `maxbytes` bytes of a file (-1: the whole file) into the generator; returns the count (`RAND_load_file(3)`). */
  loadFile(filename: string, maxbytes?: number): number;
  /** Writes random bytes to a file for a later `loadFile`; returns the count (`RAND_write_file(3)`). */
  writeFile(filename: string): number;
  /** Does nothing, as `RAND_cleanup` has since OpenSSL 1.1; kept for SSLeay/pyOpenSSL code that calls it. */
  cleanup(): void;
}

/** pyOpenSSL's `OpenSSL.rand` module: OpenSSL's random number generator (see `RandModule`). */
export const rand: RandModule = Object.freeze({ bytes, add, seed, status, loadFile, writeFile, cleanup });
