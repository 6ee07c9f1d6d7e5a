// Certificate Transparency (RFC 6962) without a handshake: SCTs read from a certificate and from a
// TLS-encoded list (checked field by field against what the openssl CLI prints), validated against
// log stores (OpenSSL's verdicts for good, forged, misdirected, early and unknown SCTs), log stores
// made from keys, from browser log lists and from OpenSSL's ct_log_list.cnf, and bad input of every
// kind, which must end in a typed error and never in a crash. The SCTs come from a private log the
// test kit signs with node:crypto, written from the RFC, not from OpenSSL.
import { randomBytes } from 'node:crypto';
import { native } from '@ossl/native';
import { afterEach, describe, expect, it } from 'vitest';

import {
  CryptoError,
  CTLogStore,
  dumpCertificate,
  dumpPublickey,
  encodeSctList,
  FILETYPE_ASN1,
  FILETYPE_PEM,
  getCertificateScts,
  parseSctList,
  PKey,
  SCT,
  validateScts,
  X509,
  X509Extension,
  type SctValidationStatus,
} from '../src/index.js';
// The test kit (private CT logs and SCTs) is @ossl/testkit, which this package does not depend on:
// it is imported by path. It works with the built @ossl/crypto, whose objects interoperate with the
// source's at run time (the classes are branded); the casts below only bridge the two copies' types.
import * as kit from '../../../test/kit/src/index.js';
import { makeIdentity, mutations, opensslOfNode, tempFiles, thrown, type Identity } from './support/helpers.js';

type KitCert = Parameters<typeof kit.x509Sct>[1];
type KitIssuer = Parameters<typeof kit.embedScts>[1];
const kc = (cert: X509): KitCert => cert as unknown as KitCert;
const keyOf = (log: kit.TestLog): PKey => log.key as unknown as PKey;

/** An SCT over the whole certificate (the TLS extension's kind). */
const x509Sct = (log: kit.TestLog, cert: X509, options: kit.SctOptions = {}): Buffer => kit.x509Sct(log, kc(cert), options);
/** An SCT over the precertificate (the embedded kind). */
const precertSct = (log: kit.TestLog, cert: X509, issuer: X509, options: kit.SctOptions = {}): Buffer => kit.precertSct(log, kc(cert), kc(issuer), options);
/** Embeds SCTs of `logs` in `leaf`, re-signed by `issuer`. */
const embedScts = (leaf: Identity, issuer: Identity, logs: kit.TestLog[], options: kit.SctOptions = {}): void =>
  kit.embedScts({ cert: kc(leaf.cert) }, issuer as unknown as KitIssuer, logs, options);
/** Embeds exactly these (precertificate) SCTs in `leaf`, re-signed by `issuer`. */
function embedRaw(leaf: Identity, issuer: Identity, scts: Buffer[]): void {
  leaf.cert.addExtensions([kit.sctExtension(kit.sctList(scts)) as unknown as X509Extension]);
  leaf.cert.sign(issuer.key, 'sha256');
}
const storeOf = (...logs: kit.TestLog[]): CTLogStore => CTLogStore.fromLogs(logs.map((l) => ({ name: l.name, key: keyOf(l) })));
const statuses = (scts: SCT[]): SctValidationStatus[] => scts.map((s) => s.validationStatus);

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
function files(contents: Record<string, string | Buffer>) {
  const f = tempFiles(contents);
  cleanups.push(f.cleanup);
  return f;
}

// ---------------------------------------------------------------------------------------------
// What `openssl x509 -text` prints for each SCT, and how an SCT's fields would print.
// ---------------------------------------------------------------------------------------------

interface PrintedSct {
  version: string;
  logId: string;
  timestamp: string;
  extensions: string;
  algorithm: string;
  signature: string;
}

/** The SCTs of an `openssl x509 -noout -text` or `s_client -ct` print-out, in print order. */
function printedScts(text: string): PrintedSct[] {
  const out: PrintedSct[] = [];
  for (const block of text.split(/^\s*Signed Certificate Timestamp:\s*$/m).slice(1)) {
    const fields: Record<string, string[]> = {};
    let current: string[] | null = null;
    for (const line of block.split('\n').slice(1)) {
      const field = /^\s*(Version|Log ID|Log|Timestamp|Extensions|Signature)\s*:\s?(.*)$/.exec(line);
      if (field) {
        current = fields[field[1]!] = [field[2]!.trim()];
      } else if (current && /^\s+[0-9A-F]{2}(:[0-9A-F]{2})*:?\s*$/.test(line)) {
        current.push(line.trim());
      } else {
        break;
      }
    }
    const hex = (parts: string[] | undefined): string => (parts ?? []).join('').replace(/:/g, '').toLowerCase();
    const sig = fields.Signature ?? [];
    out.push({
      version: fields.Version?.[0] ?? '',
      logId: hex(fields['Log ID']),
      timestamp: fields.Timestamp?.[0] ?? '',
      extensions: fields.Extensions?.[0] === 'none' ? '' : hex(fields.Extensions),
      algorithm: sig[0] ?? '',
      signature: hex(sig.slice(1)),
    });
  }
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** A time as OpenSSL's SCT_print writes it: `Nov 14 22:13:20.123 2023 GMT`. */
function opensslTime(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)} ${d.getUTCFullYear()} GMT`;
}

function asPrinted(s: SCT): PrintedSct {
  return {
    version: `v${s.version + 1} (0x${s.version.toString(16)})`,
    logId: s.logId.toString('hex'),
    timestamp: opensslTime(s.timestamp),
    extensions: s.extensions.toString('hex'),
    algorithm: s.signatureAlgorithm ?? '',
    signature: s.signature.toString('hex'),
  };
}

const certText = (cert: X509): string => opensslOfNode(['x509', '-noout', '-text'], dumpCertificate(FILETYPE_PEM, cert));

// Fixed times: the print-out is compared to the millisecond, including a whole second (.000).
const T1 = Date.UTC(2024, 1, 29, 23, 59, 58, 7);
const T2 = Date.UTC(2023, 10, 5, 4, 3, 2, 0);

describe('SCTs compared with the openssl CLI', () => {
  it('getCertificateScts reads what `openssl x509 -text` prints under "CT Precertificate SCTs"', () => {
    const ca = makeIdentity({ cn: 'CT CLI CA', ca: true });
    const leaf = makeIdentity({ cn: 'ct.example', issuer: ca, sans: 'DNS:ct.example' });
    const [a, b] = [kit.makeLog('log a'), kit.makeLog('log b')];
    const ext = Buffer.from('000102fffe', 'hex');
    embedRaw(leaf, ca, [precertSct(a, leaf.cert, ca.cert, { timestamp: T1 }), precertSct(b, leaf.cert, ca.cert, { timestamp: T2, extensions: ext })]);

    const scts = getCertificateScts(leaf.cert);
    expect(scts).toHaveLength(2);
    for (const s of scts) {
      expect(s).toBeInstanceOf(SCT);
      expect(Object.isFrozen(s)).toBe(true);
      expect(s.version).toBe(0);
      expect(s.entryType).toBe('precert');
      expect(s.source).toBe('certificate');
      expect(s.validationStatus).toBe('notSet');
      expect(s.signatureAlgorithm).toBe('ecdsa-with-SHA256');
    }
    expect(scts.map((s) => s.logId.toString('hex'))).toEqual([a.logId.toString('hex'), b.logId.toString('hex')]);
    expect(scts.map((s) => s.timestamp.getTime())).toEqual([T1, T2]);
    expect(scts[0]!.extensions).toHaveLength(0);
    expect(scts[1]!.extensions.equals(ext)).toBe(true);

    const text = certText(leaf.cert);
    expect(text).toMatch(/CT Precertificate SCTs:/);
    const printed = printedScts(text.slice(text.indexOf('CT Precertificate SCTs:')));
    expect(printed).toEqual(scts.map(asPrinted));
    expect(printed.map((p) => p.version)).toEqual(['v1 (0x0)', 'v1 (0x0)']);
    expect(printed.map((p) => p.algorithm)).toEqual(['ecdsa-with-SHA256', 'ecdsa-with-SHA256']);
    expect(printed[1]!.timestamp).toMatch(/^Nov {2}5 04:03:02\.000 2023 GMT$/);
  });

  it('embedScts with two logs: the same SCTs, in the same order, as the CLI prints', () => {
    const ca = makeIdentity({ cn: 'CT CLI CA 2', ca: true });
    const leaf = makeIdentity({ cn: 'two.example', issuer: ca });
    const logs = [kit.makeLog('first'), kit.makeLog('second')];
    embedScts(leaf, ca, logs, { timestamp: T1 });
    const scts = getCertificateScts(leaf.cert);
    expect(scts.map((s) => [s.logId.toString('hex'), s.timestamp.getTime(), s.entryType, s.source])).toEqual(
      logs.map((l) => [l.logId.toString('hex'), T1, 'precert', 'certificate']),
    );
    expect(printedScts(certText(leaf.cert))).toEqual(scts.map(asPrinted));
  });

  it('a certificate without the extension has no SCTs (and the CLI prints none)', () => {
    const ca = makeIdentity({ cn: 'CT none CA', ca: true });
    const leaf = makeIdentity({ cn: 'none.example', issuer: ca });
    expect(getCertificateScts(leaf.cert)).toEqual([]);
    expect(getCertificateScts(ca.cert)).toEqual([]);
    expect(certText(leaf.cert)).not.toMatch(/Signed Certificate Timestamp/);
  });

  it('parseSctList round-trips through encodeSctList and toTLS byte for byte', () => {
    const ca = makeIdentity({ cn: 'CT list CA', ca: true });
    const leaf = makeIdentity({ cn: 'list.example', issuer: ca });
    const [a, b] = [kit.makeLog('a'), kit.makeLog('b')];
    const raw = [x509Sct(a, leaf.cert, { timestamp: T1 }), x509Sct(b, leaf.cert, { timestamp: T2, extensions: Buffer.from('0a0b', 'hex') }), x509Sct(a, leaf.cert, { timestamp: T2 })];
    const list = kit.sctList(raw);
    const scts = parseSctList(list);
    expect(scts).toHaveLength(3);
    expect(scts.map((s) => s.toTLS().toString('hex'))).toEqual(raw.map((r) => r.toString('hex')));
    expect(encodeSctList(scts).equals(list)).toBe(true);
    expect(encodeSctList(raw).equals(list)).toBe(true);
    expect(encodeSctList([scts[0]!, raw[1]!, new Uint8Array(raw[2]!)]).equals(list)).toBe(true);
    expect(parseSctList(encodeSctList(scts)).map((s) => s.toTLS().toString('hex'))).toEqual(raw.map((r) => r.toString('hex')));
    expect(scts.map((s) => [s.source, s.entryType, s.validationStatus])).toEqual(Array(3).fill(['tls', 'x509', 'notSet']));
    expect(scts[1]!.extensions.toString('hex')).toBe('0a0b');
    expect(scts[2]!.logId.equals(a.logId)).toBe(true);
    // toTLS gives a copy.
    const copy = scts[0]!.toTLS();
    copy.fill(0);
    expect(scts[0]!.toTLS().equals(raw[0]!)).toBe(true);
    // The source decides what the log signed.
    expect(parseSctList(list, 'ocsp').map((s) => [s.source, s.entryType])).toEqual(Array(3).fill(['ocsp', 'x509']));
    expect(parseSctList(list, 'certificate').map((s) => [s.source, s.entryType])).toEqual(Array(3).fill(['certificate', 'precert']));
    // The empty list.
    expect(parseSctList(Buffer.from([0, 0]))).toEqual([]);
    expect(encodeSctList([]).equals(Buffer.from([0, 0]))).toBe(true);
  });

  it('an SCT of a version OpenSSL does not know keeps its bytes and is judged unknownVersion', () => {
    const ca = makeIdentity({ cn: 'CT v2 CA', ca: true });
    const leaf = makeIdentity({ cn: 'v2.example', issuer: ca });
    const raw = Buffer.from('01deadbeef', 'hex');
    const [s] = parseSctList(kit.sctList([raw]));
    expect(s!.version).toBe(1);
    expect(s!.logId).toHaveLength(0);
    expect(s!.toTLS().equals(raw)).toBe(true);
    const [checked] = validateScts([s!], leaf.cert, ca.cert, storeOf(kit.makeLog()));
    expect(checked!.validationStatus).toBe('unknownVersion');
  });
});

// ---------------------------------------------------------------------------------------------
// validateScts
// ---------------------------------------------------------------------------------------------

describe('validateScts', () => {
  const ca = makeIdentity({ cn: 'CT validation CA', ca: true });
  const otherCa = makeIdentity({ cn: 'CT other CA', ca: true });
  const log = kit.makeLog('known log');
  const stranger = kit.makeLog('unknown log');
  const store = storeOf(log);

  function leafWithEmbedded(cn: string, logs = [log]): Identity {
    const leaf = makeIdentity({ cn, issuer: ca, sans: `DNS:${cn}` });
    embedScts(leaf, ca, logs, { timestamp: T1 });
    return leaf;
  }

  it('an SCT from the TLS extension (x509 kind) is valid for its certificate, with or without the issuer', () => {
    const leaf = makeIdentity({ cn: 'tls.example', issuer: ca });
    const scts = parseSctList(kit.sctList([x509Sct(log, leaf.cert)]));
    const checked = validateScts(scts, leaf.cert, null, store);
    expect(statuses(checked)).toEqual(['valid']);
    expect(statuses(validateScts(scts, leaf.cert, ca.cert, store))).toEqual(['valid']);
    expect(checked[0]).toBeInstanceOf(SCT);
    expect(checked[0]).not.toBe(scts[0]);
    expect(checked[0]!.toTLS().equals(scts[0]!.toTLS())).toBe(true);
    expect([checked[0]!.source, checked[0]!.entryType]).toEqual(['tls', 'x509']);
    // The input keeps its own (unset) verdict.
    expect(scts[0]!.validationStatus).toBe('notSet');
    // The same SCT from a stapled OCSP response signs the same thing.
    expect(statuses(validateScts(parseSctList(kit.sctList([x509Sct(log, leaf.cert)]), 'ocsp'), leaf.cert, null, store))).toEqual(['valid']);
  });

  it('embedded SCTs (precert kind) are valid with the issuer and unverified without it', () => {
    const leaf = leafWithEmbedded('embedded.example');
    const scts = getCertificateScts(leaf.cert);
    expect(statuses(validateScts(scts, leaf.cert, ca.cert, store))).toEqual(['valid']);
    expect(statuses(validateScts(scts, leaf.cert, null, store))).toEqual(['unverified']);
    // The SCT is over the certificate as it was before its SCT extension was added: the
    // finished certificate, taken as a log entry of the x509 kind, does not match it.
    const asTls = parseSctList(encodeSctList(scts), 'tls');
    expect(statuses(validateScts(asTls, leaf.cert, ca.cert, store))).toEqual(['invalid']);
  });

  it('an SCT of a log the store does not know is unknownLog, whatever its kind', () => {
    const leaf = leafWithEmbedded('unknown.example', [stranger]);
    expect(statuses(validateScts(getCertificateScts(leaf.cert), leaf.cert, ca.cert, store))).toEqual(['unknownLog']);
    expect(statuses(validateScts(getCertificateScts(leaf.cert), leaf.cert, null, store))).toEqual(['unknownLog']);
    const tls = parseSctList(kit.sctList([x509Sct(stranger, leaf.cert)]));
    expect(statuses(validateScts(tls, leaf.cert, null, store))).toEqual(['unknownLog']);
    // ...and valid once the store knows it.
    expect(statuses(validateScts(tls, leaf.cert, null, storeOf(log, stranger)))).toEqual(['valid']);
  });

  it('a flipped signature bit, another certificate or another issuer make an SCT invalid', () => {
    const leaf = leafWithEmbedded('forged.example');
    const other = makeIdentity({ cn: 'other.example', issuer: ca });
    const good = x509Sct(log, leaf.cert);
    for (let i = 0; i < 8; i++) {
      const forged = Buffer.from(good);
      forged[forged.length - 1 - i * 3]! ^= 1 << (i % 8); // bits of the signature's s
      expect(statuses(validateScts(parseSctList(kit.sctList([forged])), leaf.cert, null, store)), `flip ${i}`).toEqual(['invalid']);
    }
    const timeShifted = Buffer.from(good);
    timeShifted[33 + 7]! ^= 1; // the timestamp's lowest bit: signed, so the signature no longer fits
    expect(statuses(validateScts(parseSctList(kit.sctList([timeShifted])), leaf.cert, null, store))).toEqual(['invalid']);
    // An SCT for one certificate does not vouch for another.
    expect(statuses(validateScts(parseSctList(kit.sctList([good])), other.cert, null, store))).toEqual(['invalid']);
    // Embedded SCTs checked against another issuer's key.
    expect(statuses(validateScts(getCertificateScts(leaf.cert), leaf.cert, otherCa.cert, store))).toEqual(['invalid']);
    // ...and moved into another certificate.
    const thief = makeIdentity({ cn: 'thief.example', issuer: ca });
    embedRaw(thief, ca, getCertificateScts(leaf.cert).map((s) => s.toTLS()));
    expect(statuses(validateScts(getCertificateScts(thief.cert), thief.cert, ca.cert, store))).toEqual(['invalid']);
  });

  it('an SCT from after `time` is invalid; at or after its timestamp it is valid', () => {
    const leaf = leafWithEmbedded('time.example');
    const tls = parseSctList(kit.sctList([x509Sct(log, leaf.cert, { timestamp: T1 })]));
    const embedded = getCertificateScts(leaf.cert);
    for (const [time, verdict] of [
      [T1 - 1, 'invalid'],
      [T1 - 86_400_000, 'invalid'],
      [T1, 'valid'],
      [T1 + 1, 'valid'],
    ] as const) {
      expect(statuses(validateScts(tls, leaf.cert, null, store, { time: new Date(time) })), `tls at ${time - T1}`).toEqual([verdict]);
      expect(statuses(validateScts(embedded, leaf.cert, ca.cert, store, { time: new Date(time) })), `embedded at ${time - T1}`).toEqual([verdict]);
    }
    // Without `time`: now, and an SCT from an hour ahead is from the future.
    const future = parseSctList(kit.sctList([x509Sct(log, leaf.cert, { timestamp: Date.now() + 3_600_000 })]));
    expect(statuses(validateScts(future, leaf.cert, null, store))).toEqual(['invalid']);
    expect(statuses(validateScts(future, leaf.cert, null, store, { time: new Date(Date.now() + 7_200_000) }))).toEqual(['valid']);
  });

  it('keeps the order of a mix of sources, each judged by its own kind', () => {
    const leaf = leafWithEmbedded('mix.example', [log, stranger]);
    const [embKnown, embStranger] = getCertificateScts(leaf.cert);
    const [tlsGood, tlsStranger] = parseSctList(kit.sctList([x509Sct(log, leaf.cert, { timestamp: T2 }), x509Sct(stranger, leaf.cert)]));
    const [ocspGood] = parseSctList(kit.sctList([x509Sct(log, leaf.cert, { timestamp: T1 })]), 'ocsp');
    const forgedBytes = x509Sct(log, leaf.cert);
    forgedBytes[forgedBytes.length - 5]! ^= 0x01;
    const [tlsForged] = parseSctList(kit.sctList([forgedBytes]));
    const input = [tlsGood!, embKnown!, ocspGood!, tlsStranger!, embStranger!, tlsForged!];
    const checked = validateScts(input, leaf.cert, ca.cert, store);
    expect(checked.map((s) => s.source)).toEqual(['tls', 'certificate', 'ocsp', 'tls', 'certificate', 'tls']);
    expect(checked.map((s) => s.toTLS().toString('hex'))).toEqual(input.map((s) => s.toTLS().toString('hex')));
    expect(statuses(checked)).toEqual(['valid', 'valid', 'valid', 'unknownLog', 'unknownLog', 'invalid']);
    expect(statuses(validateScts(input, leaf.cert, null, store))).toEqual(['valid', 'unverified', 'valid', 'unknownLog', 'unknownLog', 'invalid']);
    expect(validateScts([], leaf.cert, ca.cert, store)).toEqual([]);
  });

  it('judges the same with a store read back from its own toConfig() text', () => {
    const leaf = leafWithEmbedded('config.example');
    const f = files({ 'logs.cnf': store.toConfig() });
    const reread = CTLogStore.fromFile(f.path('logs.cnf'));
    expect(reread.toConfig()).toBe(store.toConfig());
    const scts = [...getCertificateScts(leaf.cert), ...parseSctList(kit.sctList([x509Sct(log, leaf.cert), x509Sct(stranger, leaf.cert)]))];
    expect(statuses(validateScts(scts, leaf.cert, ca.cert, reread))).toEqual(statuses(validateScts(scts, leaf.cert, ca.cert, store)));
    expect(statuses(validateScts(scts, leaf.cert, ca.cert, reread))).toEqual(['valid', 'valid', 'unknownLog']);
  });
});

// ---------------------------------------------------------------------------------------------
// CTLogStore
// ---------------------------------------------------------------------------------------------

describe('CTLogStore', () => {
  const pubDer = (key: PKey): Buffer => dumpPublickey(FILETYPE_ASN1, key);

  function expectLog(store: CTLogStore, log: kit.TestLog, name: string): void {
    const found = store.getLog(log.logId);
    expect(found, name).not.toBeNull();
    expect(found!.name).toBe(name);
    expect(found!.key).toBeInstanceOf(PKey);
    expect(pubDer(found!.key).equals(log.spki)).toBe(true);
  }

  it('fromLogs takes keys as PKeys or SubjectPublicKeyInfo DER; getLog finds each by id, null for others', () => {
    const [a, b, c] = [kit.makeLog('a'), kit.makeLog('b'), kit.makeLog('c')];
    const store = CTLogStore.fromLogs([
      { name: 'Alpha', key: keyOf(a) },
      { name: 'Beta', key: b.spki },
    ]);
    expectLog(store, a, 'Alpha');
    expectLog(store, b, 'Beta');
    expect(store.getLog(c.logId)).toBeNull();
    expect(store.getLog(Buffer.alloc(32))).toBeNull();
    expect(store.getLog(randomBytes(32))).toBeNull();
    expect(store.getLog(new Uint8Array(a.logId))).not.toBeNull();
    // A private key works too: only its public half goes in.
    expectLog(CTLogStore.fromLogs([{ name: 'from private', key: keyOf(c) }]), c, 'from private');
    // An id longer than a SHA-256 is no log's.
    expect(store.getLog(Buffer.concat([a.logId, Buffer.alloc(64)]))).toBeNull();
    expect(thrown(() => store.getLog('id' as never))).toBeInstanceOf(TypeError);
  });

  // CTLOG_STORE_get0_log_by_id compares only as many bytes as it is given: getLog answers null for
  // an id that is not a whole 32-byte SHA-256, rather than matching a prefix.
  it('getLog does not match an empty or truncated id', () => {
    const a = kit.makeLog('a');
    const store = CTLogStore.fromLogs([{ name: 'a', key: keyOf(a) }]);
    expect(store.getLog(Buffer.alloc(0))).toBeNull();
    expect(store.getLog(a.logId.subarray(0, 1))).toBeNull();
    expect(store.getLog(a.logId.subarray(0, 31))).toBeNull();
  });

  it("fromLogList checks each log_id against its key's SHA-256", () => {
    const [a, b] = [kit.makeLog('a'), kit.makeLog('b')];
    const entry = (log: kit.TestLog, id: Buffer) => ({ description: log.name, key: log.spki.toString('base64'), log_id: id.toString('base64') });
    expect(CTLogStore.fromLogList({ logs: [entry(a, a.logId)] }).getLog(a.logId)!.name).toBe('a');
    expect(thrown(() => CTLogStore.fromLogList({ logs: [entry(a, a.logId), entry(b, a.logId)] }))).toBeInstanceOf(RangeError);
  });

  it('fromLogList reads the v3 browser form (several operators, logs and tiled_logs) and a top-level logs[]', () => {
    const logs = Array.from({ length: 5 }, (_, i) => kit.makeLog(`list log ${i}`));
    const entry = (l: kit.TestLog, extra: Record<string, unknown> = {}) => ({
      description: l.name,
      log_id: l.logId.toString('base64'),
      key: l.spki.toString('base64'),
      url: 'https://ct.invalid/',
      mmd: 86400,
      state: { usable: { timestamp: '2024-01-01T00:00:00Z' } },
      ...extra,
    });
    const v3 = {
      version: '42.1',
      log_list_timestamp: '2025-01-01T00:00:00Z',
      operators: [
        { name: 'Operator One', email: ['one@ct.invalid'], logs: [entry(logs[0]!), entry(logs[1]!)] },
        { name: 'Operator Two', email: [], logs: [], tiled_logs: [entry(logs[2]!, { submission_url: 'https://ct.invalid/s', monitoring_url: 'https://ct.invalid/m' })] },
        { name: 'Operator Three', email: [], logs: [entry(logs[3]!)], tiled_logs: [] },
      ],
    };
    for (const store of [CTLogStore.fromLogList(JSON.stringify(v3)), CTLogStore.fromLogList(v3)]) {
      for (const l of logs.slice(0, 4)) expectLog(store, l, l.name);
      expect(store.getLog(logs[4]!.logId)).toBeNull();
    }
    // The older form: a top-level logs[]; a log without a description gets a name of its own.
    const flat = CTLogStore.fromLogList({ logs: [entry(logs[4]!), { key: logs[0]!.spki.toString('base64') }] });
    expectLog(flat, logs[4]!, logs[4]!.name);
    expect(flat.getLog(logs[0]!.logId)!.name).toBe('log 1');
    expect(flat.getLog(logs[1]!.logId)).toBeNull();
  });

  it('fromFile reads OpenSSL\'s ct_log_list.cnf: enabled_logs and a section per log', () => {
    const [a, b, c] = [kit.makeLog(), kit.makeLog(), kit.makeLog()];
    const text = [
      '# CT logs, as OpenSSL ships them in ct_log_list.cnf',
      'enabled_logs = alpha, beta',
      '',
      '[alpha]',
      'description = Alpha Log',
      `key = ${a.spki.toString('base64')}`,
      '',
      '[beta]',
      'description = "Beta \\"quoted\\" log" # a comment',
      `key = ${b.spki.toString('base64')}`,
      '',
      '[gamma]',
      'description = not enabled',
      `key = ${c.spki.toString('base64')}`,
      '',
    ].join('\n');
    const f = files({ 'ct_log_list.cnf': text });
    const store = CTLogStore.fromFile(f.path('ct_log_list.cnf'));
    expectLog(store, a, 'Alpha Log');
    expectLog(store, b, 'Beta "quoted" log');
    expect(store.getLog(c.logId)).toBeNull();
    expect(store.toConfig()).toBe(text);
  });

  it('names with quotes, backslashes, $ and # round-trip through the configuration text', () => {
    const names = ['say "hi"', 'back\\slash\\', '$HOME ${HOME} $(x)', '# not a comment', 'semi;colon, comma = equals', "it's", '  spaced  ', '', 'ünïcödé ☃'];
    const logs = names.map(() => kit.makeLog());
    const store = CTLogStore.fromLogs(logs.map((l, i) => ({ name: names[i]!, key: keyOf(l) })));
    const f = files({ 'logs.cnf': store.toConfig() });
    const reread = CTLogStore.fromFile(f.path('logs.cnf'));
    const fromList = CTLogStore.fromLogList({ logs: logs.map((l, i) => ({ description: names[i], key: l.spki.toString('base64') })) });
    logs.forEach((l, i) => {
      expect(store.getLog(l.logId)!.name).toBe(names[i]);
      expect(fromList.getLog(l.logId)!.name).toBe(names[i]);
      expect(reread.getLog(l.logId)!.name).toBe(names[i]);
    });
  });

  it('a name with a control character is a RangeError', () => {
    const log = kit.makeLog();
    for (const bad of ['line\nbreak', 'cr\r', 'tab\there', 'nul\0', 'del\x7f', '\x1b[31mred']) {
      const e = thrown(() => CTLogStore.fromLogs([{ name: bad, key: keyOf(log) }]));
      expect(e, JSON.stringify(bad)).toBeInstanceOf(RangeError);
      expect((e as Error).message).toMatch(/logs\[0\]\.name/);
      expect(thrown(() => CTLogStore.fromLogList({ logs: [{ description: bad, key: log.spki.toString('base64') }] }))).toBeInstanceOf(RangeError);
    }
  });

  it('fromFile of a missing file, garbage, or a log without description or key is a CryptoError', () => {
    const log = kit.makeLog();
    const key = log.spki.toString('base64');
    const f = files({
      garbage: 'this is [ not a configuration\n',
      binary: Buffer.from([0xff, 0x00, 0x13, 0x37, 0x0a, 0x5b]),
      'no-enabled-logs.cnf': `[a]\ndescription = A\nkey = ${key}\n`,
      'no-section.cnf': 'enabled_logs = a\n',
      'no-key.cnf': 'enabled_logs = a\n[a]\ndescription = A\n',
      'no-description.cnf': `enabled_logs = a\n[a]\nkey = ${key}\n`,
      'bad-key.cnf': `enabled_logs = a\n[a]\ndescription = A\nkey = ${Buffer.from('not a key').toString('base64')}\n`,
      'one-bad.cnf': `enabled_logs = a,b\n[a]\ndescription = A\nkey = ${key}\n[b]\ndescription = B\n`,
    });
    const reasons: Record<string, string> = {};
    for (const name of ['missing.cnf', 'garbage', 'binary', 'no-enabled-logs.cnf', 'no-section.cnf', 'no-key.cnf', 'no-description.cnf', 'bad-key.cnf', 'one-bad.cnf']) {
      const e = thrown(() => CTLogStore.fromFile(f.path(name))) as CryptoError;
      expect(e, name).toBeInstanceOf(CryptoError);
      expect(e.errors.length, name).toBeGreaterThan(0);
      expect(typeof e.code).toBe('string');
      // OpenSSL's CT loader always ends its report with "log conf invalid".
      expect(e.errors.at(-1)!.reason, name).toBe('log conf invalid');
      reasons[name] = e.errors.map((x) => x.reason).join('; ');
    }
    expect(reasons['missing.cnf']).toMatch(/no such file/i);
    expect(reasons['no-key.cnf']).toMatch(/log conf missing key/);
    expect(reasons['no-description.cnf']).toMatch(/log conf missing description/);
    expect(reasons['bad-key.cnf']).toMatch(/log conf invalid key/);
    expect(reasons['one-bad.cnf']).toMatch(/log conf missing key/);
    expect(thrown(() => CTLogStore.fromFile(42 as never))).toBeInstanceOf(TypeError);
  });

  it('fromLogList of a list that is not one: SyntaxError, TypeError, RangeError or CryptoError', () => {
    const log = kit.makeLog();
    expect(thrown(() => CTLogStore.fromLogList('not json'))).toBeInstanceOf(SyntaxError);
    expect(thrown(() => CTLogStore.fromLogList('{"operators": ['))).toBeInstanceOf(SyntaxError);
    for (const empty of ['{}', '[]', '{"operators": []}', '{"operators": [{"name": "x", "logs": []}]}', '{"logs": "nope"}', '{"operators": [null, 3, {"logs": {}}]}']) {
      const e = thrown(() => CTLogStore.fromLogList(empty));
      expect(e, empty).toBeInstanceOf(RangeError);
      expect((e as Error).message).toMatch(/no logs/);
    }
    for (const notList of ['null', '42', '"text"', 'true']) {
      expect(thrown(() => CTLogStore.fromLogList(notList)), notList).toBeInstanceOf(TypeError);
    }
    expect(thrown(() => CTLogStore.fromLogList(null as never))).toBeInstanceOf(TypeError);
    // A log without a key, or with a key that is not text.
    for (const logs of [[{ description: 'no key' }], [null], [{ description: 'number', key: 42 }]]) {
      const e = thrown(() => CTLogStore.fromLogList({ logs }));
      expect(e, JSON.stringify(logs)).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/logs\[0\]\.key/);
    }
    expect((thrown(() => CTLogStore.fromLogList({ operators: [{ logs: [{ description: 'ok', key: log.spki.toString('base64') }, { description: 'no key' }] }] })) as Error).message).toMatch(
      /logs\[1\]\.key/,
    );
    // A key that is not a SubjectPublicKeyInfo: OpenSSL's verdict.
    for (const key of [Buffer.from('not a public key DER').toString('base64'), '', '!!!!', dumpCertificate(FILETYPE_ASN1, makeIdentity({ cn: 'x' }).cert).toString('base64')]) {
      const e = thrown(() => CTLogStore.fromLogList({ logs: [{ description: 'bad key', key }] })) as CryptoError;
      expect(e, key.slice(0, 20)).toBeInstanceOf(CryptoError);
      expect(e.errors.map((x) => x.reason).join()).toMatch(/log conf invalid key/);
    }
  });

  it('fromLogs rejects wrong types and keys that are not public-key DER', () => {
    const log = kit.makeLog();
    expect(thrown(() => CTLogStore.fromLogs('logs' as never))).toBeInstanceOf(TypeError);
    expect(thrown(() => CTLogStore.fromLogs([null as never]))).toBeInstanceOf(TypeError);
    expect((thrown(() => CTLogStore.fromLogs([{ name: 42 as never, key: keyOf(log) }])) as Error).message).toMatch(/logs\[0\]\.name/);
    expect((thrown(() => CTLogStore.fromLogs([{ name: 'a', key: keyOf(log) }, { name: 'b', key: 'MFkw' as never }])) as Error).message).toMatch(/logs\[1\]\.key/);
    for (const key of [Buffer.from('hello'), Buffer.alloc(0), dumpCertificate(FILETYPE_ASN1, makeIdentity({ cn: 'y' }).cert), log.spki.subarray(0, log.spki.length - 1)]) {
      const e = thrown(() => CTLogStore.fromLogs([{ name: 'bad', key }]));
      expect(e).toBeInstanceOf(CryptoError);
      expect((e as CryptoError).errors.length).toBeGreaterThan(0);
    }
  });

  // As documented: a store of no logs is refused, as fromLogList refuses an empty list.
  it('fromLogs([]) is a RangeError', () => {
    expect(thrown(() => CTLogStore.fromLogs([]))).toBeInstanceOf(RangeError);
  });

  // A UTF-8 description survives fromFile, toConfig() and a store made again from that text.
  it('fromFile keeps a UTF-8 description through toConfig()', () => {
    const log = kit.makeLog();
    const f = files({ 'utf8.cnf': `enabled_logs = a\n[a]\ndescription = "Log é ☃"\nkey = ${log.spki.toString('base64')}\n` });
    const store = CTLogStore.fromFile(f.path('utf8.cnf'));
    expect(store.getLog(log.logId)!.name).toBe('Log é ☃');
    const g = files({ 'again.cnf': store.toConfig() });
    expect(CTLogStore.fromFile(g.path('again.cnf')).getLog(log.logId)!.name).toBe('Log é ☃');
  });
});

// ---------------------------------------------------------------------------------------------
// Bad input: a typed error, never a crash, and an empty error queue.
// ---------------------------------------------------------------------------------------------

describe('bad input', () => {
  const ca = makeIdentity({ cn: 'CT fuzz CA', ca: true });
  const leaf = makeIdentity({ cn: 'fuzz.example', issuer: ca });
  const log = kit.makeLog();
  const store = storeOf(log);
  const list = kit.sctList([x509Sct(log, leaf.cert, { timestamp: T1 }), x509Sct(kit.makeLog(), leaf.cert, { timestamp: T2, extensions: Buffer.from('cafe', 'hex') })]);

  /** Parses `input`: the SCTs, or the CryptoError; anything else fails the test. */
  function parseOrCryptoError(input: Buffer, label: string): SCT[] | CryptoError {
    try {
      return parseSctList(input);
    } catch (e) {
      expect(e, label).toBeInstanceOf(CryptoError);
      expect((e as CryptoError).errors.length, label).toBeGreaterThan(0);
      return e as CryptoError;
    } finally {
      expect(native.errorQueueEmpty(), `${label}: error queue`).toBe(true);
    }
  }

  it('garbage is a CryptoError', () => {
    const samples = [Buffer.alloc(0), Buffer.from([0]), Buffer.from([0, 1]), Buffer.from([0, 2, 0, 0]), Buffer.from([0xff, 0xff]), Buffer.from('garbage!'), Buffer.alloc(300, 0xaa), Buffer.from([0, 3, 0, 1, 0])];
    for (const g of samples) {
      const r = parseOrCryptoError(g, g.toString('hex'));
      expect(r, g.toString('hex')).toBeInstanceOf(CryptoError);
      expect((r as CryptoError).errors.map((x) => x.reason).join()).toMatch(/sct list invalid|sct|length/i);
    }
  });

  it('every truncation of a real list, and the list with bytes after it, is a CryptoError', () => {
    expect(parseSctList(list)).toHaveLength(2);
    for (let n = 0; n < list.length; n++) {
      expect(parseOrCryptoError(list.subarray(0, n), `truncated to ${n}`), `truncated to ${n}`).toBeInstanceOf(CryptoError);
    }
    for (const tail of [Buffer.from([0]), Buffer.from([0, 0]), list]) {
      expect(parseOrCryptoError(Buffer.concat([list, tail]), `tail ${tail.length}`)).toBeInstanceOf(CryptoError);
    }
  });

  it('bytes after an SCT inside its own length are accepted by OpenSSL and dropped by toTLS', () => {
    // o2i_SCT reads the fields it knows and skips the rest of the element: the list parses, the
    // SCT re-encodes without the extra bytes, and its signature still checks.
    const raw = x509Sct(log, leaf.cert, { timestamp: T1 });
    const [s] = parseSctList(kit.sctList([Buffer.concat([raw, Buffer.from('extra')])]));
    expect(s!.toTLS().equals(raw)).toBe(true);
    expect(statuses(validateScts([s!], leaf.cert, null, store))).toEqual(['valid']);
  });

  it('hundreds of deterministic mutations of a real list parse or throw CryptoError; what parses re-encodes stably and validates', () => {
    let parsed = 0;
    let rejected = 0;
    const allowed = new Set<SctValidationStatus>(['valid', 'invalid', 'unverified', 'unknownLog', 'unknownVersion']);
    let i = 0;
    for (const input of mutations(list, 400, 0xc7)) {
      const label = `mutation ${i++}: ${input.toString('hex')}`;
      const r = parseOrCryptoError(input, label);
      if (r instanceof CryptoError) {
        rejected++;
        continue;
      }
      parsed++;
      const again = parseSctList(encodeSctList(r));
      expect(again.map((s) => s.toTLS().toString('hex')), label).toEqual(r.map((s) => s.toTLS().toString('hex')));
      for (const s of validateScts(r, leaf.cert, ca.cert, store)) expect(allowed.has(s.validationStatus), label).toBe(true);
      expect(native.errorQueueEmpty(), label).toBe(true);
    }
    expect(parsed + rejected).toBe(400);
    expect(rejected).toBeGreaterThan(0);
    expect(parsed).toBeGreaterThan(0);
  });

  it('wrong types are TypeErrors naming the parameter', () => {
    const scts = parseSctList(list);
    const cases: Array<[() => unknown, RegExp]> = [
      [() => parseSctList('x' as never), /"list"/],
      [() => parseSctList(null as never), /"list"/],
      [() => parseSctList([0, 0] as never), /"list"/],
      [() => parseSctList(list, 'nope' as never), /"source"/],
      [() => parseSctList(list, 'TLS' as never), /"source"/],
      [() => encodeSctList('x' as never), /"scts"/],
      [() => encodeSctList([scts[0]!, 'x' as never]), /"scts\[1\]"/],
      [() => getCertificateScts('cert' as never), /"cert"/],
      [() => getCertificateScts(null as never), /"cert"/],
      [() => validateScts('x' as never, leaf.cert, null, store), /"scts"/],
      [() => validateScts([scts[0]!, { source: 'tls' } as never], leaf.cert, null, store), /"scts\[1\]"/],
      [() => validateScts([scts[0]!.toTLS() as never], leaf.cert, null, store), /"scts\[0\]"/],
      [() => validateScts(scts, 'cert' as never, null, store), /"cert"/],
      [() => validateScts(scts, leaf.cert, 'issuer' as never, store), /"issuer"/],
      [() => validateScts(scts, leaf.cert, null, {} as never), /"store"/],
      [() => validateScts(scts, leaf.cert, null, store.toConfig() as never), /"store"/],
      [() => validateScts(scts, leaf.cert, null, store, { time: new Date(Number.NaN) }), /"time"/],
      [() => validateScts(scts, leaf.cert, null, store, { time: T1 as never }), /"time"/],
      [() => validateScts(scts, leaf.cert, null, store, { time: '2024-01-01' as never }), /"time"/],
    ];
    for (const [fn, param] of cases) {
      const e = thrown(fn);
      expect(e, String(fn)).toBeInstanceOf(TypeError);
      expect((e as Error).message, String(fn)).toMatch(param);
    }
  });

  it('encodeSctList: an empty element or one over 65535 bytes, or a list over 65535, is a RangeError', () => {
    for (const scts of [[Buffer.alloc(0)], [Buffer.from([1]), new Uint8Array(0)], [Buffer.alloc(65536)], [Buffer.alloc(40_000), Buffer.alloc(40_000)]]) {
      expect(thrown(() => encodeSctList(scts)), scts.map((s) => s.length).join()).toBeInstanceOf(RangeError);
    }
    // The limits themselves: 65533 bytes is the biggest single element a list holds.
    expect(encodeSctList([Buffer.alloc(65_533, 1)])).toHaveLength(65_537);
    expect(thrown(() => encodeSctList([Buffer.alloc(65_534, 1)]))).toBeInstanceOf(RangeError);
    // A time before 1970 is a RangeError.
    expect(thrown(() => validateScts(parseSctList(list), leaf.cert, null, store, { time: new Date(-1) }))).toBeInstanceOf(RangeError);
  });

  it('a certificate whose SCT extension is malformed makes getCertificateScts throw CryptoError', () => {
    for (const der of ['DER:0403010203', 'DER:0400', 'DER:04020001', 'DER:0500']) {
      const bad = makeIdentity({ cn: 'malformed.example', issuer: ca });
      bad.cert.addExtensions([new X509Extension('ct_precert_scts', false, der)]);
      bad.cert.sign(ca.key, 'sha256');
      const e = thrown(() => getCertificateScts(bad.cert));
      expect(e, der).toBeInstanceOf(CryptoError);
      expect(native.errorQueueEmpty()).toBe(true);
    }
    // The same extension with an empty (but well-formed) list is no SCTs.
    const empty = makeIdentity({ cn: 'empty-list.example', issuer: ca });
    empty.cert.addExtensions([new X509Extension('ct_precert_scts', false, 'DER:04020000')]);
    empty.cert.sign(ca.key, 'sha256');
    expect(getCertificateScts(empty.cert)).toEqual([]);
  });
});
