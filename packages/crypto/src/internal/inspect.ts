// What `util.inspect` (and so `console.log`) prints for ossl objects: a one-liner such as
// `X509 { subject: 'CN=example.com', serial: '0x2a', ... }` instead of `X509 {}`. Printing must be
// cheap and must never throw: a half-built object, a failed one, or a forged one still prints.
import { inspect, type InspectOptionsStylized } from 'node:util';

/** Reads one field for printing; a reader that throws, or returns undefined, leaves its field out. */
export type FieldReaders = Record<string, () => unknown>;

/**
 * `X509Name` flags for names printed on one line: forward order (`C=US, O=Example, CN=example.com`,
 * as `openssl x509 -subject` prints it), UTF-8, control characters and RFC 2253 specials escaped,
 * strings of unknown types and unknown fields dumped as hex.
 */
export const XN_FLAG_INSPECT =
  0x1 /* ASN1_STRFLGS_ESC_2253 */ |
  0x2 /* ASN1_STRFLGS_ESC_CTRL */ |
  0x10 /* ASN1_STRFLGS_UTF8_CONVERT */ |
  0x100 /* ASN1_STRFLGS_DUMP_UNKNOWN */ |
  0x200 /* ASN1_STRFLGS_DUMP_DER */ |
  (2 << 16) /* XN_FLAG_SEP_CPLUS_SPC */ |
  (1 << 24); /* XN_FLAG_DUMP_UNKNOWN_FIELDS */

/** The name the object's class goes by (a subclass prints its own), never throwing. */
export function classNameOf(self: object, fallback: string): string {
  try {
    const name = (self.constructor as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string' && name.length > 0) return name;
  } catch {
    // A Proxy or a throwing `constructor` getter: use the fallback.
  }
  return fallback;
}

/**
 * Formats `self` as `Name { field: value, ... }` for a `[util.inspect.custom]` method. Each field
 * is read on its own, so one that cannot be read (an empty key's type, a certificate without a
 * public key) is left out instead of failing the whole print. `note` is printed first, in angle
 * brackets as Node prints `Promise { <pending> }` (e.g. `PKey { <empty> }`).
 */
export function inspectFields(
  self: object,
  fallbackName: string,
  readers: FieldReaders,
  depth: number,
  options: InspectOptionsStylized,
  inspectFn: typeof inspect = inspect,
  note?: string,
): string {
  const name = classNameOf(self, fallbackName);
  if (depth < 0) return options.stylize(`[${name}]`, 'special');
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(readers)) {
    try {
      const value = readers[key]!();
      if (value !== undefined) fields[key] = value;
    } catch {
      // Left out: see above.
    }
  }
  // One line, whatever its length: these are log lines, and each field is short.
  const nested = { ...options, breakLength: Infinity, depth: options.depth === null || options.depth === undefined ? options.depth : options.depth - 1 };
  let body = inspectFn(fields, nested);
  if (note !== undefined) {
    const tag = options.stylize(`<${note}>`, 'special');
    body = body === '{}' ? `{ ${tag} }` : body.replace(/^\{/, `{ ${tag},`);
  }
  return `${name} ${body}`;
}

/**
 * Text for printing that cannot smuggle terminal control sequences or reorder what follows:
 * C0/C1 controls and Unicode bidirectional marks become `\uXXXX`.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Key type names for `PKey.type()` NIDs. */
const KEY_TYPES: Readonly<Record<number, string>> = Object.freeze({
  6: 'RSA',
  912: 'RSA-PSS',
  116: 'DSA',
  28: 'DH',
  920: 'DHX',
  408: 'EC',
  1087: 'ED25519',
  1088: 'ED448',
  1034: 'X25519',
  1035: 'X448',
  1172: 'SM2',
});

/** `'EC'` for `TYPE_EC`, ...; an unknown NID as `nid:<n>`. */
export function keyTypeName(nid: number): string {
  return KEY_TYPES[nid] ?? `nid:${nid}`;
}
