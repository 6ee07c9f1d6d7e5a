import { native, type X509NameHandle } from '@ossl/native';

import { guard } from './errors.js';
import { expectBytes, expectString, typeError } from './internal/args.js';
import { Adoption, kHandle } from './internal/handle.js';

/** The attribute names readable and writable as properties, short and long. */
const ATTRIBUTES = [
  'C', 'ST', 'L', 'O', 'OU', 'CN', 'emailAddress',
  'countryName', 'stateOrProvinceName', 'localityName', 'organizationName', 'organizationalUnitName',
  'commonName', 'serialNumber', 'title', 'givenName', 'GN', 'surname', 'SN', 'initials', 'pseudonym',
  'generationQualifier', 'dnQualifier', 'DC', 'domainComponent', 'UID', 'userId', 'street',
  'streetAddress', 'postalCode', 'businessCategory', 'name',
] as const;

/** `X509_NAME_print_ex` flags for `X509Name.print`: OpenSSL's own values. */
export const XN_FLAG_COMPAT: number = native.XN_FLAG_COMPAT;
export const XN_FLAG_RFC2253: number = native.XN_FLAG_RFC2253;
export const XN_FLAG_ONELINE: number = native.XN_FLAG_ONELINE;
export const XN_FLAG_MULTILINE: number = native.XN_FLAG_MULTILINE;

/**
 * A distinguished name: pyOpenSSL's `X509Name`. Attributes are properties (`name.CN`, `name.commonName`);
 * reading a missing one gives `null`, writing replaces every entry of that attribute.
 *
 * A name taken from a certificate (`cert.getSubject()`) is a live view: writing `name.CN` changes the
 * certificate, and the view keeps the certificate alive, so it stays valid after the certificate
 * object is dropped and garbage-collected.
 */
const adoption = new Adoption<X509NameHandle>();

export class X509Name {
  #handle: X509NameHandle;

  declare C: string | null;
  declare ST: string | null;
  declare L: string | null;
  declare O: string | null;
  declare OU: string | null;
  declare CN: string | null;
  declare emailAddress: string | null;
  declare countryName: string | null;
  declare stateOrProvinceName: string | null;
  declare localityName: string | null;
  declare organizationName: string | null;
  declare organizationalUnitName: string | null;
  declare commonName: string | null;
  declare serialNumber: string | null;
  declare title: string | null;
  declare givenName: string | null;
  declare surname: string | null;
  declare initials: string | null;
  declare DC: string | null;
  declare UID: string | null;

  /**
   * A copy of `name` (pyOpenSSL `X509Name(name)`), or an empty name.
   * @throws TypeError when `name` is not an X509Name.
   */
  constructor(name?: X509Name) {
    const adopted = adoption.take();
    if (adopted !== null) {
      this.#handle = adopted;
    } else if (name === undefined) {
      this.#handle = guard(() => new native.X509Name());
    } else {
      if (!(name instanceof X509Name)) throw typeError('name', 'an X509Name', name);
      this.#handle = guard(() => name.#handle.copy());
    }
  }

  /** Wraps a native handle (internal). */
  static _fromHandle(handle: X509NameHandle): X509Name {
    return adoption.adopt(handle, () => new X509Name());
  }

  /** @internal */
  get [kHandle](): X509NameHandle {
    return this.#handle;
  }

  /**
   * The first value of an attribute given by any OpenSSL name (short, long or dotted OID), or null.
   * @throws RangeError for an attribute OpenSSL does not know.
   */
  get(attribute: string): string | null {
    expectString(attribute, 'attribute');
    return guard(() => this.#handle.getEntry(attribute));
  }

  /**
   * Replaces every entry of `attribute` with one entry holding `value` (UTF-8). A NUL byte inside
   * the value is stored as data, never a place to cut the string.
   * @throws TypeError when value is not a string; crypto.Error when OpenSSL refuses the value
   *   (for example a two-letter country code that is longer).
   */
  set(attribute: string, value: string | Buffer): void {
    expectString(attribute, 'attribute');
    if (typeof value !== 'string' && !Buffer.isBuffer(value)) throw typeError(attribute, 'a string', value);
    guard(() => this.#handle.setEntry(attribute, expectBytes(value, attribute)));
  }

  /** OpenSSL's hash of the name (`X509_NAME_hash`, as `openssl x509 -subject_hash`). */
  hash(): number {
    return guard(() => this.#handle.hash());
  }

  /** The DER encoding. */
  der(): Buffer {
    return guard(() => this.#handle.der());
  }

  /** The entries in order as `[shortName, value]` byte pairs (pyOpenSSL `get_components`). */
  getComponents(): [Buffer, Buffer][] {
    return guard(() => this.#handle.getComponents());
  }

  /** Whether both names are equal (`X509_NAME_cmp` == 0). */
  equals(other: X509Name): boolean {
    return this.compare(other) === 0;
  }

  /** -1, 0 or 1 in OpenSSL's order of names (`X509_NAME_cmp`). */
  compare(other: X509Name): number {
    if (!(other instanceof X509Name)) throw typeError('other', 'an X509Name', other);
    return guard(() => this.#handle.compare(other.#handle));
  }

  /** The name formatted with `X509_NAME_print_ex` flags (`XN_FLAG_RFC2253`, `XN_FLAG_ONELINE`, ...). */
  print(flags: number = XN_FLAG_RFC2253): string {
    return guard(() => this.#handle.print(flags));
  }

  /** OpenSSL's one-line form, `/C=US/CN=example` (X509_NAME_oneline; SSLeay's `oneline_subject`). */
  toString(): string {
    return guard(() => this.#handle.oneline());
  }

  /** The number of entries. */
  get length(): number {
    return this.#handle.entryCount();
  }
}

for (const attribute of ATTRIBUTES) {
  Object.defineProperty(X509Name.prototype, attribute, {
    get(this: X509Name) {
      return this.get(attribute);
    },
    set(this: X509Name, value: string) {
      this.set(attribute, value);
    },
    enumerable: false,
    configurable: true,
  });
}
