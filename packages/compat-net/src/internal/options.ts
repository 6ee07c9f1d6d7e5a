// Reading node:tls-style options: own properties only, every value checked with an error that names
// the option. Private to the package (secure-context.ts builds the contexts).
import { inspect } from 'node:util';
import { isOwnFalse, ownOptions, typeError } from '@ossl/crypto/internal';
import { Context } from '@ossl/ssl';

import { invalidArgType, outOfRange } from './node-errors.js';
import { convertALPNProtocols } from '../alpn.js';

export { isOwnFalse, ownOptions, typeError };

/** PEM text, as node:tls takes it. */
export type Pem = string | Buffer | Uint8Array;

/** node:tls's protocol version names. */
export type TlsVersionName = 'TLSv1.3' | 'TLSv1.2' | 'TLSv1.1' | 'TLSv1';

/** ALPN protocols as node:tls takes them: a list, or the wire format in one buffer. */
export type AlpnProtocols = ReadonlyArray<string | Buffer | Uint8Array> | Buffer | Uint8Array;

/** An optional string option. */
export function stringOption(value: unknown, name: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalidArgType(`options.${name}`, 'string', value);
  return value;
}

/** An optional number option (milliseconds and the like): finite and not negative. */
export function numberOption(value: unknown, name: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number') throw invalidArgType(`options.${name}`, 'number', value);
  if (!Number.isFinite(value) || value < 0) throw outOfRange(`options.${name}`, 'a finite number >= 0', value);
  return value;
}

/**
 * `ALPNProtocols`: an array of strings / Buffers / Uint8Arrays, or node:tls's wire format (each
 * name preceded by its length) in one Buffer or Uint8Array. Each name is 1 to 255 bytes.
 */
export function alpnOption(value: unknown, name = 'ALPNProtocols'): Buffer[] | null {
  if (value === undefined || value === null) return null;
  const expected = 'an array of strings or Buffers, or a Buffer in ALPN wire format';
  const protos: Buffer[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item === 'string') protos.push(Buffer.from(item));
      else if (item instanceof Uint8Array) protos.push(Buffer.from(item));
      else throw typeError(`options.${name}`, expected, item);
    }
    // node:tls's own check: a name longer than 255 bytes is its ERR_OUT_OF_RANGE.
    convertALPNProtocols(protos, {});
  } else if (value instanceof Uint8Array) {
    const wire = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    for (let i = 0; i < wire.length; ) {
      const len = wire[i]!;
      if (len === 0 || i + 1 + len > wire.length) {
        // Node 24's words for it.
        throw Object.assign(new TypeError(`The argument '${name}' contains truncated protocol. Received ${inspect(wire)}`), { code: 'ERR_INVALID_ARG_VALUE' });
      }
      protos.push(Buffer.from(wire.subarray(i + 1, i + 1 + len)));
      i += 1 + len;
    }
  } else {
    throw typeError(`options.${name}`, expected, value);
  }
  for (const p of protos) {
    if (p.length === 0 || p.length > 255) throw new RangeError(`"options.${name}" entries must be 1 to 255 bytes long, got ${p.length}`);
  }
  return protos;
}

/** `context`: an @ossl/ssl Context, or absent. */
export function contextOption(value: unknown): Context | null {
  if (value === undefined || value === null) return null;
  if (!(value instanceof Context)) throw typeError('options.context', 'an @ossl/ssl Context', value);
  return value;
}


/**
 * `context`: ossl's own option, honoured only for a genuine @ossl/ssl Context (from any build or copy
 * of the package). Anything else under that name, a look-alike with the brand included, is not an
 * option node:tls knows and is ignored, as node:tls ignores it.
 */
export function genuineContext(value: unknown): Context | undefined {
  if (!(value instanceof Context)) return undefined;
  try {
    // A genuine Context answers from its native handle; a forged object has no such method to call.
    (value as Context).getMaxProtoVersion();
    return value as Context;
  } catch {
    return undefined;
  }
}
