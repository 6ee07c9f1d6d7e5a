import { expectInteger, typeError } from '@ossl/crypto/internal';

/** `OP_*` options as the native layer takes them: a number or bigint from 0 to 2^64 - 1. */
export function optionBits(value: unknown, param = 'options'): bigint {
  const bits = typeof value === 'bigint' ? value : typeof value === 'number' ? BigInt(expectInteger(value, param)) : null;
  if (bits === null) throw typeError(param, 'a number or bigint', value);
  if (bits < 0n || bits > 0xffff_ffff_ffff_ffffn) throw new RangeError(`"${param}" must be from 0 to 2^64 - 1, got ${bits}`);
  return bits;
}

/** `MODE_*` flags as the native layer takes them: an integer from 0 to 2^32 - 1. */
export function modeBits(value: unknown, param = 'mode'): number {
  const mode = expectInteger(value, param);
  if (mode < 0 || mode > 0xffff_ffff) throw new RangeError(`"${param}" must be from 0 to 2^32 - 1, got ${mode}`);
  return mode;
}
