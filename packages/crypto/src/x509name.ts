import { inspect, type InspectOptionsStylized } from 'node:util';
import { native, type X509Handle, type X509NameHandle } from '@ossl/native';

import { guard } from './errors.js';
import { expectBytes, expectString, typeError } from './internal/args.js';
import { brandClass } from './internal/brand.js';
import { Adoption, handleOf, kHandle } from './internal/handle.js';
import { classNameOf, printable, XN_FLAG_INSPECT } from './internal/inspect.js';

/** The attribute names readable and writable as properties, short and long. */
const ATTRIBUTES = [
  'C', 'ST', 'L', 'O', 'OU', 'CN', 'emailAddress',
  'countryName', 'stateOrProvinceName', 'localityName', 'organizationName', 'organizationalUnitName',
  'commonName', 'serialNumber', 'title', 'givenName', 'GN', 'surname', 'SN', 'initials', 'pseudonym',
  'generationQualifier', 'dnQualifier', 'DC', 'domainComponent', 'UID', 'userId', 'street',
  'streetAddress', 'postalCode', 'businessCategory', 'name',
] as const;

/**
 * `X509Name.print` flags (OpenSSL's `XN_FLAG_COMPAT`, see `X509_NAME_print_ex(3)`): the old
 * `X509_NAME_print` form, `C=US, CN=example` without escaping, as pyOpenSSL's text dumps print names.
 */
export const XN_FLAG_COMPAT: number = native.XN_FLAG_COMPAT;
/**
 * `X509Name.print` flags (OpenSSL's `XN_FLAG_RFC2253`, the default): RFC 2253 form, most specific
 * attribute first and escaped, `CN=example,O=Org,C=US`.
 */
export const XN_FLAG_RFC2253: number = native.XN_FLAG_RFC2253;
/** `X509Name.print` flags (OpenSSL's `XN_FLAG_ONELINE`): `C = US, O = Org, CN = example`, as `openssl x509 -subject` prints it. */
export const XN_FLAG_ONELINE: number = native.XN_FLAG_ONELINE;
/** `X509Name.print` flags (OpenSSL's `XN_FLAG_MULTILINE`): one `commonName = example` line per entry, long names. */
export const XN_FLAG_MULTILINE: number = native.XN_FLAG_MULTILINE;

const adoption = new Adoption<X509NameHandle>();

/**
 * A certificate's subject (0) or issuer (1) before its native view is made: reading one attribute
 * (`cert.getSubject().CN`, the common case) asks the certificate directly, and anything else makes
 * the view on first use.
 */
interface CertificateName {
  cert: X509Handle;
  which: 0 | 1;
}
const certificateNames = new Adoption<CertificateName>();

/**
 * A distinguished name: pyOpenSSL's `X509Name`. Attributes are properties (`name.CN`, `name.commonName`);
 * reading a missing one gives `null`, writing replaces every entry of that attribute.
 *
 * A name taken from a certificate (`cert.getSubject()`) is a live view: writing `name.CN` changes the
 * certificate, and the view keeps the certificate alive, so it stays valid after the certificate
 * object is dropped and garbage-collected.
 *
 * ```ts
 * const name = new X509Name();
 * name.C = 'US';
 * name.CN = 'example.com';
 * name.print(XN_FLAG_ONELINE); // 'C = US, CN = example.com'
 * ```
 */
export class X509Name {
  #handle: X509NameHandle | null = null;
  #certificateName: CertificateName | null = null;

  static {
    brandClass(this, '@ossl/crypto:X509Name');
  }

  /** The first `C` entry (the same entry as `countryName`), or null; setting it replaces every one. */
  declare C: string | null;
  /** The first `ST` entry (the same entry as `stateOrProvinceName`), or null; setting it replaces every one. */
  declare ST: string | null;
  /** The first `L` entry (the same entry as `localityName`), or null; setting it replaces every one. */
  declare L: string | null;
  /** The first `O` entry (the same entry as `organizationName`), or null; setting it replaces every one. */
  declare O: string | null;
  /** The first `OU` entry (the same entry as `organizationalUnitName`), or null; setting it replaces every one. */
  declare OU: string | null;
  /** The first `CN` entry (the same entry as `commonName`), or null; setting it replaces every one. */
  declare CN: string | null;
  /** The first `emailAddress` entry, or null; setting it replaces every one. */
  declare emailAddress: string | null;
  /** The first `countryName` entry (the same entry as `C`), or null; setting it replaces every one. */
  declare countryName: string | null;
  /** The first `stateOrProvinceName` entry (the same entry as `ST`), or null; setting it replaces every one. */
  declare stateOrProvinceName: string | null;
  /** The first `localityName` entry (the same entry as `L`), or null; setting it replaces every one. */
  declare localityName: string | null;
  /** The first `organizationName` entry (the same entry as `O`), or null; setting it replaces every one. */
  declare organizationName: string | null;
  /** The first `organizationalUnitName` entry (the same entry as `OU`), or null; setting it replaces every one. */
  declare organizationalUnitName: string | null;
  /** The first `commonName` entry (the same entry as `CN`), or null; setting it replaces every one. */
  declare commonName: string | null;
  /** The first `serialNumber` entry, or null; setting it replaces every one. */
  declare serialNumber: string | null;
  /** The first `title` entry, or null; setting it replaces every one. */
  declare title: string | null;
  /** The first `givenName` entry (the same entry as `GN`), or null; setting it replaces every one. */
  declare givenName: string | null;
  /** The first `surname` entry (the same entry as `SN`), or null; setting it replaces every one. */
  declare surname: string | null;
  /** The first `initials` entry, or null; setting it replaces every one. */
  declare initials: string | null;
  /** The first `DC` entry (the same entry as `domainComponent`), or null; setting it replaces every one. */
  declare DC: string | null;
  /** The first `UID` entry (the same entry as `userId`), or null; setting it replaces every one. */
  declare UID: string | null;

  /**
   * A copy of `name` (pyOpenSSL `X509Name(name)`), or an empty name.
   * @throws TypeError when `name` is not an X509Name.
   */
  constructor(name?: X509Name) {
    const adopted = adoption.take();
    const ofCertificate = certificateNames.take();
    if (ofCertificate !== null) {
      this.#certificateName = ofCertificate;
    } else if (adopted !== null) {
      this.#handle = adopted;
    } else if (name === undefined) {
      this.#handle = guard(() => new native.X509Name());
    } else {
      if (!(name instanceof X509Name)) throw typeError('name', 'an X509Name', name);
      const source = handleOf(name, native.X509Name, 'name', 'an X509Name');
      this.#handle = guard(() => source.copy());
    }
  }

  /** Wraps a native handle (internal). */
  static _fromHandle(handle: X509NameHandle): X509Name {
    return adoption.adopt(handle, () => new X509Name());
  }

  /** The subject (0) or issuer (1) of a certificate, as a live view (internal). */
  static _ofCertificate(cert: X509Handle, which: 0 | 1): X509Name {
    return certificateNames.adopt({ cert, which }, () => new X509Name());
  }

  /** The native handle, made now for a certificate's name that has none yet. */
  #native(): X509NameHandle {
    if (this.#handle === null) {
      const { cert, which } = this.#certificateName!;
      this.#handle = guard(() => cert.getName(which));
    }
    return this.#handle;
  }

  /**
   * The native handle, for the other ossl packages and for the other copies of this one (the ESM
   * and CJS builds, a second installed copy): they cannot read `#handle`, but can read this.
   * @internal
   */
  get [kHandle](): X509NameHandle {
    return this.#native();
  }

  /**
   * The first value of an attribute given by any OpenSSL name (short, long or dotted OID), or null.
   * @throws RangeError for an attribute OpenSSL does not know.
   */
  get(attribute: string): string | null {
    expectString(attribute, 'attribute');
    if (this.#handle === null) {
      const { cert, which } = this.#certificateName!;
      return guard(() => cert.getNameEntry(which, attribute));
    }
    return guard(() => this.#handle!.getEntry(attribute));
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
    guard(() => this.#native().setEntry(attribute, expectBytes(value, attribute)));
  }

  /** OpenSSL's hash of the name (`X509_NAME_hash`, as `openssl x509 -subject_hash`). */
  hash(): number {
    return guard(() => this.#native().hash());
  }

  /** The DER encoding. */
  der(): Buffer {
    return guard(() => this.#native().der());
  }

  /** The entries in order as `[shortName, value]` byte pairs (pyOpenSSL `get_components`). */
  getComponents(): [Buffer, Buffer][] {
    return guard(() => this.#native().getComponents());
  }

  /** Whether both names are equal (`X509_NAME_cmp` == 0). */
  equals(other: X509Name): boolean {
    return this.compare(other) === 0;
  }

  /** -1, 0 or 1 in OpenSSL's order of names (`X509_NAME_cmp`). */
  compare(other: X509Name): number {
    if (!(other instanceof X509Name)) throw typeError('other', 'an X509Name', other);
    return guard(() => this.#native().compare(handleOf(other, native.X509Name, 'other', 'an X509Name')));
  }

  /** The name formatted with `X509_NAME_print_ex` flags (`XN_FLAG_RFC2253`, `XN_FLAG_ONELINE`, ...). */
  print(flags: number = XN_FLAG_RFC2253): string {
    return guard(() => this.#native().print(flags));
  }

  /** OpenSSL's one-line form, `/C=US/CN=example` (X509_NAME_oneline; SSLeay's `oneline_subject`). */
  toString(): string {
    return guard(() => this.#native().oneline());
  }

  /** The number of entries. */
  get length(): number {
    return this.#native().entryCount();
  }

  /**
   * What `util.inspect` and `console.log` print: `X509Name { C=US, O=Example, CN=example.com }`, the
   * entries in the order the name holds them, with control characters escaped.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized): string {
    const name = classNameOf(this, 'X509Name');
    if (depth < 0) return options.stylize(`[${name}]`, 'special');
    let text = '';
    try {
      text = printable(this.#native().print(XN_FLAG_INSPECT));
    } catch {
      // A forged or broken object prints as an empty name rather than throwing.
    }
    return text.length === 0 ? `${name} {}` : `${name} { ${options.stylize(text, 'string')} }`;
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
