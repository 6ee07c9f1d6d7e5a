import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect, type InspectOptionsStylized } from 'node:util';
import { native, type CTLogStoreHandle, type SctFields } from '@ossl/native';

import { FILETYPE_ASN1 } from './constants.js';
import { dumpPublickey } from './functions.js';
import { guard } from './errors.js';
import { expectByteArray, expectString, ownOptions, typeError } from './internal/args.js';
import { brandClass } from './internal/brand.js';
import { handleOf, kHandle } from './internal/handle.js';
import { inspectFields } from './internal/inspect.js';
import { PKey } from './pkey.js';
import { X509 } from './x509.js';

/** Where an SCT came from: the TLS extension, the certificate's own extension, or a stapled OCSP response. */
export type SctSource = 'tls' | 'certificate' | 'ocsp';

/** OpenSSL's verdict on one SCT (`SCT_VALIDATION_STATUS_*`). */
export type SctValidationStatus = 'valid' | 'invalid' | 'unverified' | 'unknownLog' | 'unknownVersion' | 'notSet';

/**
 * A signed certificate timestamp (RFC 6962): a log's promise to publish a certificate. From a
 * certificate (`getCertificateScts`), a TLS-encoded list (`parseSctList`), or a TLS handshake
 * (`Connection.getPeerScts`).
 */
export class SCT {
  /** 0 for v1, the only version there is. */
  readonly version: number;
  /** The log's id: the SHA-256 of its public key (32 bytes). */
  readonly logId: Buffer;
  /** When the log saw the certificate (millisecond precision). */
  readonly timestamp: Date;
  /** The SCT's extensions (usually empty). */
  readonly extensions: Buffer;
  /** The log's signature. */
  readonly signature: Buffer;
  /** The signature's algorithm (`ecdsa-with-SHA256`), or null when OpenSSL does not know it. */
  readonly signatureAlgorithm: string | null;
  /** What the log signed: the certificate (`x509`, from TLS or OCSP) or the precertificate (`precert`, embedded). */
  readonly entryType: 'x509' | 'precert' | 'unknown';
  /** Where it came from. */
  readonly source: SctSource | 'unknown';
  /** OpenSSL's verdict, once validated (`validateScts`, or a handshake with CT on); `notSet` before. */
  readonly validationStatus: SctValidationStatus;
  readonly #tls: Buffer;

  static {
    brandClass(this, '@ossl/crypto:SCT');
  }

  private constructor(fields: SctFields) {
    this.version = fields.version;
    this.logId = fields.logId;
    this.timestamp = new Date(fields.timestamp);
    this.extensions = fields.extensions;
    this.signature = fields.signature;
    this.signatureAlgorithm = fields.signatureAlgorithm;
    this.entryType = fields.entryType;
    this.source = fields.source;
    this.validationStatus = fields.validationStatus;
    this.#tls = fields.tls;
    Object.freeze(this);
  }

  /** @internal */
  static _fromFields(fields: SctFields): SCT {
    return new SCT(fields);
  }

  /** The SCT in its TLS encoding (one element of an SCT list). */
  toTLS(): Buffer {
    return Buffer.from(this.#tls);
  }

  /** What `util.inspect` prints: `SCT { logId: '3a…', timestamp: 2026-…, validationStatus: 'valid' }`. */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(
      this,
      'SCT',
      { logId: () => this.logId.toString('hex'), timestamp: () => this.timestamp, source: () => this.source, validationStatus: () => this.validationStatus },
      depth,
      options,
      inspectFn,
    );
  }
}

const bytesOf = (value: unknown, param: string): Buffer => expectByteArray(value, param);

function expectSource(value: unknown): SctSource {
  if (value !== 'tls' && value !== 'certificate' && value !== 'ocsp') throw typeError('source', "'tls', 'certificate' or 'ocsp'", value);
  return value;
}

/**
 * Decodes a TLS-encoded SCT list: the `signed_certificate_timestamp` TLS extension's body, or the
 * value inside an OCSP response's SCT extension.
 * @param source where it came from, which decides what the log signed (default `'tls'`).
 * @throws crypto.Error with OpenSSL's reason for bytes that are not a list.
 */
export function parseSctList(list: Buffer | Uint8Array, source: SctSource = 'tls'): SCT[] {
  const bytes = bytesOf(list, 'list');
  expectSource(source);
  return guard(() => native.parseSctList(bytes, source)).map((f) => SCT._fromFields(f));
}

/** Encodes SCTs (or SCTs already in their TLS encoding) as a TLS SCT list, the inverse of `parseSctList`. */
export function encodeSctList(scts: Array<SCT | Buffer | Uint8Array>): Buffer {
  if (!Array.isArray(scts)) throw typeError('scts', 'an array of SCT or Buffer', scts);
  const items = scts.map((s, i) => (s instanceof SCT ? s.toTLS() : bytesOf(s, `scts[${i}]`)));
  const parts: Buffer[] = [];
  let total = 0;
  for (const [i, item] of items.entries()) {
    if (item.length === 0 || item.length > 0xffff) throw new RangeError(`"scts[${i}]" must be 1 to 65535 bytes, got ${item.length}`);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(item.length);
    parts.push(len, item);
    total += 2 + item.length;
  }
  if (total > 0xffff) throw new RangeError(`the SCT list is ${total} bytes, more than a TLS list holds (65535)`);
  const head = Buffer.alloc(2);
  head.writeUInt16BE(total);
  return Buffer.concat([head, ...parts]);
}

/**
 * The SCTs embedded in a certificate (its `1.3.6.1.4.1.11129.2.4.2` extension); empty when it has none.
 * @throws crypto.Error when the extension is there but malformed.
 */
export function getCertificateScts(cert: X509): SCT[] {
  if (!(cert instanceof X509)) throw typeError('cert', 'an X509', cert);
  const h = handleOf(cert, native.X509, 'cert', 'an X509');
  return guard(() => native.certificateScts(h)).map((f) => SCT._fromFields(f));
}

/** One log of a `CTLogStore`. */
export interface CTLogEntry {
  /** Its description. */
  name: string;
  /** Its public key: a PKey, or the SubjectPublicKeyInfo in DER (as a log list gives it, decoded from base64). */
  key: PKey | Buffer;
}

/** A log found in a `CTLogStore`. */
export interface CTLogInfo {
  /** Its description. */
  name: string;
  /** Its public key. */
  key: PKey;
}

/** Writes `config` to a private temporary file for OpenSSL's loaders, runs `fn` with its path, and removes it. */
function withConfigFile<T>(config: string, fn: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'ossl-ct-'));
  try {
    const path = join(dir, 'ct_log_list.cnf');
    writeFileSync(path, config, { mode: 0o600 });
    return fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A value in OpenSSL's configuration syntax: quoted, with `\` and `"` escaped. */
function confQuote(text: string, param: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) throw new RangeError(`"${param}" must not contain control characters`);
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * Certificate Transparency logs that SCTs are checked against: OpenSSL's `CTLOG_STORE`. Made from
 * an OpenSSL CT log list file (`ct_log_list.cnf`), from a log list in the JSON form browsers use
 * (`log_list.json`), or from keys.
 *
 * ```ts
 * const logs = CTLogStore.fromLogList(readFileSync('log_list.json', 'utf8'));
 * const checked = validateScts(getCertificateScts(leaf), leaf, issuer, logs);
 * ```
 */
export class CTLogStore {
  readonly #handle: CTLogStoreHandle;
  readonly #config: string;

  static {
    brandClass(this, '@ossl/crypto:CTLogStore');
  }

  private constructor(config: string, path: string | null) {
    this.#config = config;
    this.#handle = path === null ? withConfigFile(config, (p) => guard(() => new native.CTLogStore(p))) : guard(() => new native.CTLogStore(path));
  }

  /** @internal */
  get [kHandle](): CTLogStoreHandle {
    return this.#handle;
  }

  /**
   * Loads an OpenSSL CT log list file (`enabled_logs = a,b` and a `[a]` section per log with
   * `description` and `key`, as `CTLOG_STORE_load_file` and the openssl CLI's `-CTlog_file` read it).
   * @throws crypto.Error with OpenSSL's reason when the file cannot be read or parsed.
   */
  static fromFile(path: string): CTLogStore {
    expectString(path, 'path');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      // OpenSSL's loader reports the missing file with its own reason.
      text = '';
    }
    return new CTLogStore(text, path);
  }

  /**
   * A store of the given logs.
   * @throws TypeError for wrong types; RangeError for a name with control characters or no logs; crypto.Error for a key OpenSSL cannot use.
   */
  static fromLogs(logs: CTLogEntry[]): CTLogStore {
    if (!Array.isArray(logs)) throw typeError('logs', 'an array of {name, key}', logs);
    if (logs.length === 0) throw new RangeError('"logs" must name at least one log');
    const sections: string[] = [];
    const names: string[] = [];
    logs.forEach((entry, i) => {
      if (entry === null || typeof entry !== 'object') throw typeError(`logs[${i}]`, 'an object {name, key}', entry);
      const log = ownOptions(entry);
      const name = expectString(log.name, `logs[${i}].name`);
      let der: Buffer;
      if (log.key instanceof PKey) der = dumpPublickey(FILETYPE_ASN1, log.key);
      else der = bytesOf(log.key, `logs[${i}].key`);
      names.push(`log${i}`);
      sections.push(`[log${i}]\ndescription = ${confQuote(name, `logs[${i}].name`)}\nkey = ${der.toString('base64')}\n`);
    });
    return new CTLogStore(`enabled_logs = ${names.join(',')}\n\n${sections.join('\n')}`, null);
  }

  /**
   * A store of the logs in a JSON log list, as browsers publish it (`log_list.json`, versions 2 and
   * 3: `operators[].logs[]` and `tiled_logs[]`, or a top-level `logs[]`), each with `description` and
   * `key` (base64 SubjectPublicKeyInfo).
   * @throws TypeError or RangeError for a list that is not one.
   */
  static fromLogList(json: string | object): CTLogStore {
    const list = (typeof json === 'string' ? JSON.parse(json) : json) as unknown;
    if (list === null || typeof list !== 'object') throw typeError('json', 'a log list (JSON text or object)', list);
    const found: unknown[] = [];
    const take = (logs: unknown): void => {
      if (Array.isArray(logs)) found.push(...logs);
    };
    const l = list as { logs?: unknown; operators?: unknown };
    take(l.logs);
    if (Array.isArray(l.operators)) {
      for (const op of l.operators) {
        if (op !== null && typeof op === 'object') {
          take((op as { logs?: unknown }).logs);
          take((op as { tiled_logs?: unknown }).tiled_logs);
        }
      }
    }
    if (found.length === 0) throw new RangeError('the log list names no logs');
    return CTLogStore.fromLogs(
      found.map((log, i) => {
        const entry = (log ?? {}) as { description?: unknown; key?: unknown; log_id?: unknown };
        if (typeof entry.key !== 'string') throw typeError(`logs[${i}].key`, 'base64 text', entry.key);
        const key = Buffer.from(entry.key, 'base64');
        // A list's log_id is the SHA-256 of the key: a list where they differ is corrupt.
        if (typeof entry.log_id === 'string' && !createHash('sha256').update(key).digest().equals(Buffer.from(entry.log_id, 'base64'))) {
          throw new RangeError(`"logs[${i}].log_id" is not the SHA-256 of its key`);
        }
        return { name: typeof entry.description === 'string' ? entry.description : `log ${i}`, key };
      }),
    );
  }

  /** The log with this id (the SHA-256 of its key: 32 bytes), or null. */
  getLog(logId: Buffer | Uint8Array): CTLogInfo | null {
    const id = bytesOf(logId, 'logId');
    // OpenSSL compares as many bytes as it is given: only a whole id can name a log.
    if (id.length !== 32) return null;
    const found = guard(() => this.#handle.getLog(id));
    return found === null ? null : { name: found.name, key: PKey._fromHandle(found.key) };
  }

  /** The store in OpenSSL's CT log list format (for `Context.setCtLogStore`, or the openssl CLI's `-CTlog_file`). */
  toConfig(): string {
    return this.#config;
  }

  /** @internal Runs `fn` with the path of a temporary copy of the store's log list file. */
  _withFile<T>(fn: (path: string) => T): T {
    return withConfigFile(this.#config, fn);
  }

  /** What `util.inspect` prints. */
  [inspect.custom](depth: number, options: InspectOptionsStylized, inspectFn: typeof inspect = inspect): string {
    return inspectFields(this, 'CTLogStore', {}, depth, options, inspectFn);
  }
}

/** Options of `validateScts`. */
export interface ValidateSctsOptions {
  /** The time to judge at (default now): an SCT from the future is invalid. */
  time?: Date;
}

/**
 * Checks SCTs as OpenSSL does (`SCT_LIST_validate`): each signature against its log's key in
 * `store`, over the certificate (SCTs from TLS or OCSP) or the precertificate rebuilt from `cert`
 * and `issuer` (embedded SCTs), and not from the future. Returns the SCTs with their verdicts; an
 * SCT of a log the store does not know is `unknownLog`, one that cannot be checked (an embedded SCT
 * without the issuer) `unverified`.
 * @throws TypeError for wrong types.
 */
export function validateScts(scts: SCT[], cert: X509, issuer: X509 | null, store: CTLogStore, validateOptions: ValidateSctsOptions = {}): SCT[] {
  if (!Array.isArray(scts)) throw typeError('scts', 'an array of SCT', scts);
  scts.forEach((s, i) => {
    if (!(s instanceof SCT)) throw typeError(`scts[${i}]`, 'an SCT', s);
  });
  const c = handleOf(cert, native.X509, 'cert', 'an X509');
  const iss = issuer === null ? null : handleOf(issuer, native.X509, 'issuer', 'an X509 or null');
  if (!(store instanceof CTLogStore)) throw typeError('store', 'a CTLogStore', store);
  const options = ownOptions(validateOptions);
  const time = options.time ?? new Date();
  if (!(time instanceof Date) || Number.isNaN(time.getTime())) throw typeError('time', 'a valid Date', time);
  const out: SCT[] = new Array<SCT>(scts.length);
  // OpenSSL marks SCTs by source, which decides what the log signed: one call per source.
  for (const source of ['tls', 'certificate', 'ocsp'] as const) {
    const indexes = scts.flatMap((s, i) => (s.source === source ? [i] : []));
    if (indexes.length === 0) continue;
    const list = encodeSctList(indexes.map((i) => scts[i]!));
    const checked = guard(() => native.validateScts(list, source, c, iss, store[kHandle], time.getTime()));
    indexes.forEach((at, k) => {
      out[at] = SCT._fromFields(checked[k]!);
    });
  }
  scts.forEach((s, i) => {
    if (out[i] === undefined) out[i] = s; // an SCT of unknown source cannot be checked
  });
  return out;
}
