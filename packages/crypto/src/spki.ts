import { inspect, type InspectOptionsStylized } from 'node:util';
import { native, type NetscapeSPKIHandle } from '@ossl/native';

import { guard } from './errors.js';
import { expectBytes, expectString, typeError } from './internal/args.js';
import { brandClass } from './internal/brand.js';
import { handleOf, kHandle } from './internal/handle.js';
import { inspectFields, keyTypeName, printable } from './internal/inspect.js';
import { PKey } from './pkey.js';

/**
 * A Netscape signed public key and challenge (SPKAC), as `openssl spkac` and the old `<keygen>`
 * element make them: pyOpenSSL's `NetscapeSPKI`.
 */
export class NetscapeSPKI {
  #handle: NetscapeSPKIHandle;

  static {
    brandClass(this, '@ossl/crypto:NetscapeSPKI');
  }

  /**
   * @param b64 an SPKAC in base64 (line breaks allowed) to decode; empty when absent.
   * @throws crypto.Error for text that is not a valid SPKAC.
   */
  constructor(b64?: Buffer | string | null) {
    const text = b64 === undefined || b64 === null ? null : expectBytes(b64, 'b64');
    this.#handle = guard(() => new native.NetscapeSPKI(text));
  }

  /**
   * The native handle, for the other ossl packages and for the other copies of this one (the ESM
   * and CJS builds, a second installed copy): they cannot read `#handle`, but can read this.
   * @internal
   */
  get [kHandle](): NetscapeSPKIHandle {
    return this.#handle;
  }

  /** Signs with `pkey` using `digest`. */
  sign(pkey: PKey, digest: string): void {
    if (!(pkey instanceof PKey)) throw typeError('pkey', 'a PKey', pkey);
    expectString(digest, 'digest');
    guard(() => this.#handle.sign(handleOf(pkey, native.PKey, 'pkey', 'a PKey'), digest));
  }

  /**
   * Checks the signature with `key`.
   * @returns true
   * @throws crypto.Error when it does not verify (as pyOpenSSL).
   */
  verify(key: PKey): boolean {
    if (!(key instanceof PKey)) throw typeError('key', 'a PKey', key);
    return guard(() => this.#handle.verify(handleOf(key, native.PKey, 'key', 'a PKey')));
  }

  /** The SPKAC in base64. */
  b64Encode(): string {
    return guard(() => this.#handle.b64Encode());
  }

  /** The public key (public-only). */
  getPubkey(): PKey {
    return PKey._fromHandle(guard(() => this.#handle.getPubkey()));
  }

  /** Sets the public key. */
  setPubkey(pkey: PKey): void {
    if (!(pkey instanceof PKey)) throw typeError('pkey', 'a PKey', pkey);
    guard(() => this.#handle.setPubkey(handleOf(pkey, native.PKey, 'pkey', 'a PKey')));
  }

  /** The challenge string, or null (extra). */
  getChallenge(): string | null {
    return this.#handle.getChallenge();
  }

  /** Sets the challenge string, signed with the key (extra; set it before `sign`). */
  setChallenge(challenge: string | Buffer): void {
    const bytes = expectBytes(challenge, 'challenge');
    guard(() => this.#handle.setChallenge(bytes));
  }

  /**
   * What `util.inspect` and `console.log` print:
   * `NetscapeSPKI { keyType: 'RSA', bits: 2048, challenge: 'abc' }`.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(
      this,
      'NetscapeSPKI',
      {
        keyType: () => keyTypeName(this.#handle.getPubkey().type()),
        bits: () => this.#handle.getPubkey().bits(),
        challenge: () => {
          const c = this.#handle.getChallenge();
          return c === null ? undefined : printable(c);
        },
      },
      depth,
      options,
      inspectFn,
    );
  }
}
