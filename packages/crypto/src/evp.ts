import { inspect, type InspectOptionsStylized } from 'node:util';
import { native, type CipherHandle, type HMACHandle, type MessageDigestHandle } from '@ossl/native';

import { guard, translateError } from './errors.js';
import { expectBytes, expectInteger, expectString, ownOptions, typeError } from './internal/args.js';
import { brandClass } from './internal/brand.js';
import { Adoption, handleOf } from './internal/handle.js';
import { inspectFields } from './internal/inspect.js';
import { PKey } from './pkey.js';
import { X509 } from './x509.js';

/** `Cipher` operation: encrypt (M2Crypto's `op=1`). */
export const ENCRYPT = 1;
/** `Cipher` operation: decrypt (M2Crypto's `op=0`). */
export const DECRYPT = 0;

const digestAdoption = new Adoption<MessageDigestHandle>();

/**
 * A message digest: M2Crypto's `EVP.MessageDigest`. Output equals `node:crypto`'s `createHash`.
 *
 * ```ts
 * const md = new MessageDigest('sha256');
 * md.update('abc');
 * md.final(); // <Buffer ba 78 16 bf ...>
 * ```
 */
export class MessageDigest {
  #handle: MessageDigestHandle;

  static {
    brandClass(this, '@ossl/crypto:MessageDigest');
  }

  /**
   * @param algo OpenSSL's digest name (`sha256`, `sha3-512`, `SHA2-256`, ...).
   * @throws RangeError for a digest OpenSSL does not know.
   */
  constructor(algo: string) {
    const adopted = digestAdoption.take();
    if (adopted !== null) {
      this.#handle = adopted;
      return;
    }
    expectString(algo, 'algo');
    this.#handle = guard(() => new native.MessageDigest(algo));
  }

  /** Adds data. */
  update(data: Buffer | string): this {
    const bytes = expectBytes(data, 'data');
    guard(() => this.#handle.update(bytes));
    return this;
  }

  /** The digest; the object cannot be used afterwards. */
  final(): Buffer {
    return guard(() => this.#handle.final());
  }

  /** The same as `final` (M2Crypto's name). */
  digest(): Buffer {
    return this.final();
  }

  /** An independent copy of the state so far. */
  copy(): MessageDigest {
    return digestAdoption.adopt(guard(() => this.#handle.copy()), () => new MessageDigest(''));
  }

  /** The digest's size in bytes. */
  get digestSize(): number {
    return this.#handle.size();
  }

  /** The digest's block size in bytes. */
  get blockSize(): number {
    return this.#handle.blockSize();
  }

  /** OpenSSL's name for the digest (`SHA2-256`). */
  get name(): string {
    return this.#handle.name();
  }

  /** What `util.inspect` and `console.log` print: `MessageDigest { name: 'SHA2-256', digestSize: 32 }`. */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(this, 'MessageDigest', { name: () => this.#handle.name(), digestSize: () => this.#handle.size() }, depth, options, inspectFn);
  }
}

/**
 * HMAC: M2Crypto's `EVP.HMAC`. Output equals `node:crypto`'s `createHmac`.
 *
 * ```ts
 * const mac = new HMAC(key, 'sha256');
 * mac.update('message');
 * mac.final(); // 32 bytes
 * ```
 */
export class HMAC {
  #handle: HMACHandle;

  static {
    brandClass(this, '@ossl/crypto:HMAC');
  }

  /**
   * @param key the secret key.
   * @param algo OpenSSL's digest name (default `sha1`, as M2Crypto).
   * @throws RangeError for a digest OpenSSL does not know.
   */
  constructor(key: Buffer | string, algo = 'sha1') {
    const k = expectBytes(key, 'key');
    expectString(algo, 'algo');
    this.#handle = guard(() => new native.HMAC(k, algo));
  }

  /** Adds data. */
  update(data: Buffer | string): this {
    const bytes = expectBytes(data, 'data');
    guard(() => this.#handle.update(bytes));
    return this;
  }

  /** The MAC; the object cannot be used afterwards. */
  final(): Buffer {
    return guard(() => this.#handle.final());
  }

  /** The same as `final` (M2Crypto's name). */
  digest(): Buffer {
    return this.final();
  }

  /** The MAC's size in bytes. */
  get digestSize(): number {
    return this.#handle.size();
  }

  /** What `util.inspect` and `console.log` print: `HMAC { digestSize: 32 }` (never the key). */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(this, 'HMAC', { digestSize: () => this.#handle.size() }, depth, options, inspectFn);
  }
}

/** Options of `Cipher`. */
export interface CipherOptions {
  /** PKCS#7 padding for block ciphers (default true). */
  padding?: boolean;
}

/**
 * A symmetric cipher: M2Crypto's `EVP.Cipher(alg, key, iv, op)`. Output equals `node:crypto`'s
 * `createCipheriv`. AEAD ciphers (GCM, ChaCha20-Poly1305) take `setAAD`, and `getTag`/`setTag`.
 *
 * ```ts
 * const c = new Cipher('aes-128-cbc', key, iv, ENCRYPT);
 * const out = Buffer.concat([c.update(data), c.final()]);
 * ```
 */
export class Cipher {
  #handle: CipherHandle;

  static {
    brandClass(this, '@ossl/crypto:Cipher');
  }

  /**
   * @param alg OpenSSL's cipher name (`aes-256-gcm`, `chacha20-poly1305`, `aes-128-cbc`, ...).
   * @param key the key (its length must be the cipher's).
   * @param iv the IV (its length must be the cipher's), or null for ciphers without one.
   * @param op `ENCRYPT` (1) or `DECRYPT` (0).
   * @param cipherOptions `padding`: PKCS#7 padding for block ciphers (default true).
   * @throws RangeError for an unknown cipher or a key/IV of the wrong length.
   */
  constructor(alg: string, key: Buffer | string, iv: Buffer | string | null, op: number, cipherOptions: CipherOptions = {}) {
    const options = ownOptions(cipherOptions);
    expectString(alg, 'alg');
    const k = expectBytes(key, 'key');
    const v = iv === null || iv === undefined ? null : expectBytes(iv, 'iv');
    expectInteger(op, 'op');
    this.#handle = guard(() => new native.Cipher(alg, k, v, op, options.padding ?? true));
  }

  /** Processes data; returns what is ready. */
  update(data: Buffer | string): Buffer {
    const bytes = expectBytes(data, 'data');
    return guard(() => this.#handle.update(bytes));
  }

  /**
   * Finishes; returns the last bytes.
   * @throws crypto.Error for bad padding, or an AEAD tag that does not match.
   */
  final(): Buffer {
    return guard(() => this.#handle.final());
  }

  /** Turns PKCS#7 padding on or off (M2Crypto `set_padding`). */
  setPadding(padding = true): void {
    this.#handle.setPadding(Boolean(padding));
  }

  /** Additional authenticated data (AEAD only; before `update`). */
  setAAD(aad: Buffer | string): void {
    const bytes = expectBytes(aad, 'aad');
    guard(() => this.#handle.setAAD(bytes));
  }

  /** The authentication tag (AEAD encryption, after `final`). */
  getTag(length = 16): Buffer {
    return guard(() => this.#handle.getTag(length));
  }

  /** The expected authentication tag (AEAD decryption, before `final`). */
  setTag(tag: Buffer): void {
    if (!Buffer.isBuffer(tag)) throw typeError('tag', 'a Buffer', tag);
    guard(() => this.#handle.setTag(tag));
  }

  /** The cipher's name and sizes. */
  info(): {
    /** OpenSSL's name for the cipher (`AES-128-CBC`). */
    name: string;
    /** The key length in bytes. */
    keyLength: number;
    /** The IV length in bytes (0 for none). */
    ivLength: number;
    /** The block size in bytes (1 for stream ciphers and modes). */
    blockSize: number;
  } {
    return this.#handle.info();
  }

  /** What `util.inspect` and `console.log` print: `Cipher { name: 'AES-128-CBC', keyLength: 16, ... }` (never the key). */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    let info: ReturnType<CipherHandle['info']> | undefined;
    const read = (): ReturnType<CipherHandle['info']> => (info ??= this.#handle.info());
    return inspectFields(
      this,
      'Cipher',
      { name: () => read().name, keyLength: () => read().keyLength, ivLength: () => read().ivLength, blockSize: () => read().blockSize },
      depth,
      options,
      inspectFn,
    );
  }
}

/** The names of every digest OpenSSL offers. */
export function getDigestNames(): string[] {
  return guard(() => native.getDigestNames());
}

/** The names of every cipher OpenSSL offers. */
export function getCipherNames(): string[] {
  return guard(() => native.getCipherNames());
}

function pbkdf2Args(password: Buffer | string, salt: Buffer | string, iterations: number, keylen: number, digest: string): [Buffer | string, Buffer | string, number, number, string] {
  return [expectBytes(password, 'password'), expectBytes(salt, 'salt'), expectInteger(iterations, 'iterations'), expectInteger(keylen, 'keylen'), expectString(digest, 'digest')];
}

/**
 * PBKDF2 (PKCS #5 v2.0, OpenSSL's `PKCS5_PBKDF2_HMAC`): `keylen` bytes derived from `password` and
 * `salt` with HMAC over `digest` (M2Crypto's `EVP.pbkdf2`, whose digest is SHA-1, the default here).
 * It runs on this thread for as long as `iterations` asks; `pbkdf2Async` runs it on the thread pool.
 * @throws TypeError for arguments of the wrong type; RangeError for iterations or keylen below 1 (or
 *   above 2^31 - 1 and 2^30) and for an unknown digest.
 */
export function pbkdf2(password: Buffer | string, salt: Buffer | string, iterations: number, keylen: number, digest = 'sha1'): Buffer {
  const args = pbkdf2Args(password, salt, iterations, keylen, digest);
  return guard(() => native.pbkdf2(...args));
}

/** `pbkdf2` on Node's thread pool: the same bytes, without blocking the event loop. */
export async function pbkdf2Async(password: Buffer | string, salt: Buffer | string, iterations: number, keylen: number, digest = 'sha1'): Promise<Buffer> {
  const args = pbkdf2Args(password, salt, iterations, keylen, digest);
  const pending = guard(() => native.pbkdf2Async(...args));
  try {
    return await pending;
  } catch (e) {
    throw translateError(e);
  }
}

/**
 * Signs `data` with `pkey` (pyOpenSSL `crypto.sign`); `digest` null for Ed25519/Ed448.
 * @throws RangeError for an unknown digest; crypto.Error when OpenSSL cannot sign.
 */
export function sign(pkey: PKey, data: Buffer | string, digest: string | null): Buffer {
  if (!(pkey instanceof PKey)) throw typeError('pkey', 'a PKey', pkey);
  const bytes = expectBytes(data, 'data');
  if (digest !== null) expectString(digest, 'digest');
  const key = handleOf(pkey, native.PKey, 'pkey', 'a PKey');
  return guard(() => native.signData(key, bytes, digest));
}

/**
 * Verifies `signature` over `data` with the certificate's (or key's) public key (pyOpenSSL
 * `crypto.verify`).
 * @throws crypto.Error (`bad signature`) when it does not verify.
 */
export function verify(cert: X509 | PKey, signature: Buffer | string, data: Buffer | string, digest: string | null): void {
  let key: PKey;
  if (cert instanceof X509) key = cert.getPubkey();
  else if (cert instanceof PKey) key = cert;
  else throw typeError('cert', 'an X509 or a PKey', cert);
  const sig = expectBytes(signature, 'signature');
  const bytes = expectBytes(data, 'data');
  if (digest !== null) expectString(digest, 'digest');
  const h = handleOf(key, native.PKey, 'cert', 'an X509 or a PKey');
  guard(() => native.verifyData(h, sig, bytes, digest));
}
