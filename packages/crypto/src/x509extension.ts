import { inspect, type InspectOptionsStylized } from 'node:util';
import { native, type X509ExtensionHandle } from '@ossl/native';

import { guard } from './errors.js';
import { expectBytes, expectString, ownOptions, typeError } from './internal/args.js';
import { brandClass } from './internal/brand.js';
import { Adoption, handleOf, kHandle } from './internal/handle.js';
import { inspectFields, printable } from './internal/inspect.js';
import { X509 } from './x509.js';

const adoption = new Adoption<X509ExtensionHandle>();

/** The certificates some extensions are computed from (pyOpenSSL's `subject` and `issuer` keyword arguments). */
export interface X509ExtensionOptions {
  /** The certificate the extension is for (needed by `subjectKeyIdentifier` `hash`). */
  subject?: X509 | null;
  /** The issuing certificate (needed by `authorityKeyIdentifier` `keyid`/`issuer`). */
  issuer?: X509 | null;
  /**
   * Configuration sections that the value names (`certificatePolicies` `@polsect`, `subjectAltName`
   * `dirName:dir_sect`), as OpenSSL's configuration file would hold them: `{polsect:
   * {policyIdentifier: '1.2.3.4', 'CPS.1': 'https://example.com/cps'}}`. Values are taken literally.
   */
  sections?: Record<string, Record<string, string>> | null;
}

const SECTION_NAME = /^[A-Za-z0-9_.\-]+$/;

/** `sections` as OpenSSL configuration text, every value escaped so that it is read literally. */
function sectionsText(sections: unknown): string | null {
  if (sections === undefined || sections === null) return null;
  if (typeof sections !== 'object' || Array.isArray(sections)) throw typeError('sections', 'an object of sections', sections);
  const lines: string[] = [];
  for (const name of Object.keys(sections)) {
    if (!SECTION_NAME.test(name)) throw new RangeError(`"sections" has a section name OpenSSL cannot read: ${JSON.stringify(name)}`);
    const entries = (sections as Record<string, unknown>)[name];
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) throw typeError(`sections.${name}`, 'an object of strings', entries);
    lines.push(`[${name}]`);
    for (const key of Object.keys(entries)) {
      const value = (entries as Record<string, unknown>)[key];
      if (!SECTION_NAME.test(key)) throw new RangeError(`"sections.${name}" has a key OpenSSL cannot read: ${JSON.stringify(key)}`);
      if (typeof value !== 'string') throw typeError(`sections.${name}.${key}`, 'a string', value);
      if (/[\0\r\n]/.test(value)) throw new RangeError(`"sections.${name}.${key}" must be one line without NUL bytes`);
      lines.push(`${key} = ${value.replace(/[\\$#"']/g, (c) => `\\${c}`)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A certificate or request extension: pyOpenSSL's `X509Extension`, built from OpenSSL's
 * configuration syntax (`X509V3_EXT_nconf`).
 *
 * ```ts
 * new X509Extension('basicConstraints', true, 'CA:TRUE, pathlen:0');
 * new X509Extension('subjectAltName', false, 'DNS:example.com, IP:127.0.0.1');
 * ```
 */
export class X509Extension {
  #handle: X509ExtensionHandle;

  static {
    brandClass(this, '@ossl/crypto:X509Extension');
  }

  /**
   * @param typeName the extension's short name (`basicConstraints`, `keyUsage`, `subjectAltName`, ...).
   * @param critical whether the extension is critical.
   * @param value the value in OpenSSL's configuration syntax.
   * @param extensionOptions `subject` and `issuer` certificates, for extensions computed from them.
   * @throws TypeError for wrong argument types; crypto.Error with OpenSSL's reason for an unknown
   *   extension or a value it cannot parse.
   */
  constructor(typeName: string | Buffer, critical: boolean, value: string | Buffer, extensionOptions: X509ExtensionOptions = {}) {
    const options = ownOptions(extensionOptions);
    const adopted = adoption.take();
    if (adopted !== null) {
      this.#handle = adopted;
      return;
    }
    const name = Buffer.isBuffer(typeName) ? typeName.toString('latin1') : expectString(typeName, 'typeName');
    if (typeof critical !== 'boolean') throw typeError('critical', 'a boolean', critical);
    const data = expectBytes(value, 'value');
    const subject = options.subject ?? null;
    const issuer = options.issuer ?? null;
    if (subject !== null && !(subject instanceof X509)) throw typeError('subject', 'an X509', subject);
    if (issuer !== null && !(issuer instanceof X509)) throw typeError('issuer', 'an X509', issuer);
    const subjectHandle = subject === null ? null : handleOf(subject, native.X509, 'subject', 'an X509');
    const issuerHandle = issuer === null ? null : handleOf(issuer, native.X509, 'issuer', 'an X509');
    const sections = sectionsText(options.sections);
    this.#handle = guard(() => native.createExtension(name, critical, data, subjectHandle, issuerHandle, sections));
  }

  /** Wraps a native handle (internal). */
  static _fromHandle(handle: X509ExtensionHandle): X509Extension {
    return adoption.adopt(handle, () => new X509Extension('', false, ''));
  }

  /**
   * The native handle, for the other ossl packages and for the other copies of this one (the ESM
   * and CJS builds, a second installed copy): they cannot read `#handle`, but can read this.
   * @internal
   */
  get [kHandle](): X509ExtensionHandle {
    return this.#handle;
  }

  /** Whether the extension is critical. */
  getCritical(): boolean {
    return this.#handle.getCritical();
  }

  /** The short name, e.g. `basicConstraints`; `UNDEF` for extensions OpenSSL does not know (as pyOpenSSL). */
  getShortName(): string {
    return this.#handle.getShortName();
  }

  /** The extension's OID in dotted form, e.g. `2.5.29.19` (extra). */
  getOid(): string {
    return this.#handle.getOid();
  }

  /** The DER-encoded value inside the extension. */
  getData(): Buffer {
    return this.#handle.getData();
  }

  /** The value as OpenSSL prints it, e.g. `CA:TRUE` or `DNS:example.com, IP Address:127.0.0.1`. */
  toString(): string {
    return guard(() => this.#handle.toText());
  }

  /**
   * What `util.inspect` and `console.log` print:
   * `X509Extension { name: 'basicConstraints', critical: true, value: 'CA:TRUE' }`.
   */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(
      this,
      'X509Extension',
      {
        name: () => this.#handle.getShortName(),
        critical: () => this.#handle.getCritical(),
        value: () => printable(this.#handle.toText()),
      },
      depth,
      options,
      inspectFn,
    );
  }
}
