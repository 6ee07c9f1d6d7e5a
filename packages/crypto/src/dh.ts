import { native } from '@ossl/native';

import { guard, translateError } from './errors.js';
import { expectInteger } from './internal/args.js';

function dhArgs(bits: unknown, generator: unknown): [number, number] {
  return [expectInteger(bits, 'bits'), expectInteger(generator, 'generator')];
}

/**
 * New finite-field Diffie-Hellman parameters, made as `openssl dhparam` makes them: a safe prime of
 * `bits` bits with `generator` 2 or 5, returned as PKCS#3 PEM (`-----BEGIN DH PARAMETERS-----`), for
 * `Context.useTmpDh` (or a file for `loadTmpDh`). The search for a safe prime takes seconds at 2048
 * bits and can take minutes; a server should call `generateDhParametersAsync`.
 *
 * ```ts
 * ctx.useTmpDh(await generateDhParametersAsync(2048));
 * ```
 * @param bits the prime's size: 512 to 10000.
 * @param generator 2 (the default) or 5.
 * @throws TypeError for a non-number; RangeError for a size or generator out of range.
 */
export function generateDhParameters(bits: number, generator = 2): Buffer {
  const [b, g] = dhArgs(bits, generator);
  return guard(() => native.generateDhParameters(b, g));
}

/**
 * `generateDhParameters` on the libuv thread pool.
 * @throws (rejects with) the same errors as `generateDhParameters`.
 */
export async function generateDhParametersAsync(bits: number, generator = 2): Promise<Buffer> {
  const [b, g] = dhArgs(bits, generator);
  try {
    return await native.generateDhParametersAsync(b, g);
  } catch (e) {
    throw translateError(e);
  }
}
