import { inspect, type InspectOptionsStylized } from 'node:util';
import { native, type PKCS7Handle, type X509Handle } from '@ossl/native';

import { guard } from './errors.js';
import { expectBytes, expectInteger, expectString, ownOptions, typeError } from './internal/args.js';
import { brandClass } from './internal/brand.js';
import { Adoption, handleOf, kHandle, type NativeClass } from './internal/handle.js';
import { inspectFields } from './internal/inspect.js';
import { PKey } from './pkey.js';
import { X509 } from './x509.js';
import { X509Store } from './x509store.js';

/** S/MIME and PKCS#7 flags (OpenSSL's `PKCS7_*`): `TEXT`, `DETACHED`, `BINARY`, `NOVERIFY`, ... */
export const PKCS7Flags = Object.freeze({ ...native.PKCS7Flags }) as Readonly<{
  /** Add (sign) or strip (verify) `text/plain` MIME headers (`PKCS7_TEXT`). */
  TEXT: number;
  /** Do not include the signer's certificate (`PKCS7_NOCERTS`). */
  NOCERTS: number;
  /** Do not verify the signatures (`PKCS7_NOSIGS`). */
  NOSIGS: number;
  /** Do not verify the signer's chain (`PKCS7_NOCHAIN`). */
  NOCHAIN: number;
  /** Do not look for the signer among the certificates in the message (`PKCS7_NOINTERN`). */
  NOINTERN: number;
  /** Do not verify the signer's certificate (`PKCS7_NOVERIFY`). */
  NOVERIFY: number;
  /** A detached signature: the content is not inside (`PKCS7_DETACHED`). */
  DETACHED: number;
  /** Do not translate line endings to CRLF (`PKCS7_BINARY`). */
  BINARY: number;
  /** No signed attributes (`PKCS7_NOATTR`). */
  NOATTR: number;
  /** No SMIMECapabilities attribute (`PKCS7_NOSMIMECAP`). */
  NOSMIMECAP: number;
  /** Use the `application/pkcs7-mime` type, not the old `x-pkcs7` one (`PKCS7_NOOLDMIMETYPE`). */
  NOOLDMIMETYPE: number;
  /** CRLF line endings in the S/MIME text (`PKCS7_CRLFEOL`). */
  CRLFEOL: number;
  /** Do not include CRLs (`PKCS7_NOCRL`). */
  NOCRL: number;
}>;

const adoption = new Adoption<PKCS7Handle>();
/** The addon's PKCS7 class (the addon exports it; its type declarations do not list it). */
const NativePKCS7 = (native as unknown as { PKCS7?: NativeClass<PKCS7Handle> }).PKCS7;

/**
 * A PKCS#7 structure: pyOpenSSL's `PKCS7` (type predicates) plus M2Crypto's S/MIME operations as
 * the functions `smimeSign`, `smimeVerify`, `smimeEncrypt`, `smimeDecrypt`, `writeSmime`, `readSmime`.
 */
export class PKCS7 {
  #handle: PKCS7Handle;

  static {
    brandClass(this, '@ossl/crypto:PKCS7');
  }

  /** PKCS7 objects come from `loadPkcs7Data`, `readSmime`, `smimeSign` and `smimeEncrypt`. */
  constructor() {
    const adopted = adoption.take();
    if (adopted === null) throw new TypeError('PKCS7 objects come from loadPkcs7Data, readSmime, smimeSign or smimeEncrypt');
    this.#handle = adopted;
  }

  /** Wraps a native handle (internal). */
  static _fromHandle(handle: PKCS7Handle): PKCS7 {
    return adoption.adopt(handle, () => new PKCS7());
  }

  /**
   * The native handle, for the other ossl packages and for the other copies of this one (the ESM
   * and CJS builds, a second installed copy): they cannot read `#handle`, but can read this.
   * @internal
   */
  get [kHandle](): PKCS7Handle {
    return this.#handle;
  }

  /** The content type's short name: `pkcs7-signedData`, `pkcs7-envelopedData`, ... */
  getTypeName(): string {
    return this.#handle.getTypeName();
  }

  /** Whether this is signed data. */
  typeIsSigned(): boolean {
    return this.getTypeName() === 'pkcs7-signedData';
  }

  /** Whether this is enveloped (encrypted) data. */
  typeIsEnveloped(): boolean {
    return this.getTypeName() === 'pkcs7-envelopedData';
  }

  /** Whether this is signed and enveloped data. */
  typeIsSignedAndEnveloped(): boolean {
    return this.getTypeName() === 'pkcs7-signedAndEnvelopedData';
  }

  /** Whether this is plain data. */
  typeIsData(): boolean {
    return this.getTypeName() === 'pkcs7-data';
  }

  /** The certificates carried by signed data, or null (pyOpenSSL 23 `get_certificates`). */
  getCertificates(): X509[] | null {
    const list = guard(() => this.#handle.getCertificates());
    return list === null ? null : list.map((h) => X509._fromHandle(h));
  }

  /** The structure as PEM, DER or text (extra). */
  dump(type: number): Buffer {
    expectInteger(type, 'type');
    return guard(() => this.#handle.dump(type));
  }

  /**
   * What `util.inspect` and `console.log` print: `PKCS7 { type: 'pkcs7-signedData', certificates: 1 }`.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(
      this,
      'PKCS7',
      {
        type: () => this.#handle.getTypeName(),
        certificates: () => this.#handle.getCertificates()?.length,
      },
      depth,
      options,
      inspectFn,
    );
  }
}

/** The native handles of an optional array of X509, checked one by one. */
function certList(value: unknown, param: string): X509Handle[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value)) throw typeError(param, 'an array of X509', value);
  return value.map((c: unknown, i) => {
    if (!(c instanceof X509)) throw typeError(`${param}[${i}]`, 'an X509', c);
    return handleOf(c, native.X509, `${param}[${i}]`, 'an X509');
  });
}

function flagsOf(flags: unknown): number {
  if (flags === undefined || flags === null) return 0;
  return expectInteger(flags, 'flags');
}

/** Options of `smimeSign`. */
export interface SmimeSignOptions {
  /** Extra certificates to include (intermediates). */
  certs?: X509[] | null;
  /** `PKCS7Flags` bits, e.g. `DETACHED | TEXT`. */
  flags?: number;
}

/** Signs `data` with the signer's certificate and key (M2Crypto `SMIME.sign`, `openssl smime -sign`). */
export function smimeSign(cert: X509, pkey: PKey, data: Buffer | string, signOptions: SmimeSignOptions = {}): PKCS7 {
  const options = ownOptions(signOptions);
  if (!(cert instanceof X509)) throw typeError('cert', 'an X509', cert);
  if (!(pkey instanceof PKey)) throw typeError('pkey', 'a PKey', pkey);
  const bytes = expectBytes(data, 'data');
  const certs = certList(options.certs, 'certs');
  const flags = flagsOf(options.flags);
  const certHandle = handleOf(cert, native.X509, 'cert', 'an X509');
  const keyHandle = handleOf(pkey, native.PKey, 'pkey', 'a PKey');
  return PKCS7._fromHandle(guard(() => native.smimeSign(certHandle, keyHandle, bytes, certs, flags)));
}

/** Options of `smimeVerify`. */
export interface SmimeVerifyOptions {
  /** Certificates to look for the signer in, besides those the message carries. */
  certs?: X509[] | null;
  /** The content of a detached signature. */
  data?: Buffer | string | null;
  /** `PKCS7Flags` bits, e.g. `NOVERIFY` to skip chain verification. */
  flags?: number;
}

/**
 * Verifies a signed message against the trusted `store` and returns the signed content
 * (M2Crypto `SMIME.verify`).
 * @throws crypto.Error with OpenSSL's reason when the signature or the signer's chain does not verify.
 */
export function smimeVerify(pkcs7: PKCS7, store: X509Store, verifyOptions: SmimeVerifyOptions = {}): Buffer {
  const options = ownOptions(verifyOptions);
  if (!(pkcs7 instanceof PKCS7)) throw typeError('pkcs7', 'a PKCS7', pkcs7);
  if (!(store instanceof X509Store)) throw typeError('store', 'an X509Store', store);
  const certs = certList(options.certs, 'certs');
  const data = options.data === undefined || options.data === null ? null : expectBytes(options.data, 'data');
  const flags = flagsOf(options.flags);
  const p7 = handleOf(pkcs7, NativePKCS7, 'pkcs7', 'a PKCS7');
  const storeHandle = handleOf(store, native.X509Store, 'store', 'an X509Store');
  return guard(() => native.smimeVerify(p7, storeHandle, certs, data, flags));
}

/** Encrypts `data` for the recipients' certificates (M2Crypto `SMIME.encrypt`). */
export function smimeEncrypt(recipients: X509[], data: Buffer | string, cipher = 'aes-256-cbc', flags = 0): PKCS7 {
  const certs = certList(recipients, 'recipients');
  if (certs === null) throw typeError('recipients', 'an array of X509', recipients);
  const bytes = expectBytes(data, 'data');
  expectString(cipher, 'cipher');
  const f = flagsOf(flags);
  return PKCS7._fromHandle(guard(() => native.smimeEncrypt(certs, bytes, cipher, f)));
}

/**
 * Decrypts an enveloped message with a recipient's key (and certificate, to pick the recipient).
 * @throws crypto.Error when the key is not a recipient's.
 */
export function smimeDecrypt(pkcs7: PKCS7, pkey: PKey, cert: X509 | null = null, flags = 0): Buffer {
  if (!(pkcs7 instanceof PKCS7)) throw typeError('pkcs7', 'a PKCS7', pkcs7);
  if (!(pkey instanceof PKey)) throw typeError('pkey', 'a PKey', pkey);
  if (cert !== null && !(cert instanceof X509)) throw typeError('cert', 'an X509', cert);
  const f = flagsOf(flags);
  const p7 = handleOf(pkcs7, NativePKCS7, 'pkcs7', 'a PKCS7');
  const keyHandle = handleOf(pkey, native.PKey, 'pkey', 'a PKey');
  const certHandle = cert === null ? null : handleOf(cert, native.X509, 'cert', 'an X509');
  return guard(() => native.smimeDecrypt(p7, keyHandle, certHandle, f));
}

/** The S/MIME message text for `pkcs7` (with `data` as the first part of a detached signature). */
export function writeSmime(pkcs7: PKCS7, data: Buffer | string | null = null, flags = 0): Buffer {
  if (!(pkcs7 instanceof PKCS7)) throw typeError('pkcs7', 'a PKCS7', pkcs7);
  const bytes = data === null ? null : expectBytes(data, 'data');
  const f = flagsOf(flags);
  const p7 = handleOf(pkcs7, NativePKCS7, 'pkcs7', 'a PKCS7');
  return guard(() => native.writeSmime(p7, bytes, f));
}

/** Parses an S/MIME message: the PKCS7 and, for multipart/signed, the signed content. */
export function readSmime(message: Buffer | string): {
  /** The PKCS#7 structure. */
  pkcs7: PKCS7;
  /** For multipart/signed messages, the signed content; otherwise null. */
  content: Buffer | null;
} {
  const bytes = expectBytes(message, 'message');
  const r = guard(() => native.readSmime(bytes));
  return { pkcs7: PKCS7._fromHandle(r.pkcs7), content: r.content };
}
