// loadCertificate keeps a certificate in a lazy form and decodes its public key only when a call
// needs it (packages/native/src/x509_lazy.h). These tests hold that form to OpenSSL's own eager
// d2i_X509 in this process: node:crypto's X509Certificate parses DER with d2i_X509 and PEM with
// OpenSSL's PEM reader, on the same OpenSSL this package runs on, so accept/reject and every byte
// are compared with no second implementation in between. Work is bounded by count.
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import {
  CryptoError,
  dumpCertificate,
  dumpPublickey,
  FILETYPE_ASN1,
  FILETYPE_PEM,
  FILETYPE_TEXT,
  loadCertificate,
  PKey,
  TYPE_ED25519,
  TYPE_RSA,
  X509,
  X509Extension,
} from '../src/index.js';
import { makeIdentity, mutations, vectorsDir } from './support/helpers.js';

/** Everything a lazy certificate answers without its public key. */
function snapshot(cert: X509): Record<string, unknown> {
  const extensions = [];
  for (let i = 0; i < cert.getExtensionCount(); i++) {
    const e = cert.getExtension(i);
    extensions.push([e.getOid(), e.getCritical(), e.getData().toString('hex')]);
  }
  let signatureAlgorithm: string;
  try {
    signatureAlgorithm = cert.getSignatureAlgorithm();
  } catch (e) {
    signatureAlgorithm = `throws ${(e as Error).message}`;
  }
  const times = (read: () => unknown): unknown => {
    try {
      return read();
    } catch (e) {
      return `throws ${(e as Error).message}`;
    }
  };
  return {
    der: dumpCertificate(FILETYPE_ASN1, cert).toString('hex'),
    pem: dumpCertificate(FILETYPE_PEM, cert).toString(),
    sha1: cert.digest('sha1'),
    sha256: cert.digest('sha256'),
    subject: cert.getSubject().der().toString('hex'),
    issuer: cert.getIssuer().der().toString('hex'),
    subjectText: cert.getSubject().toString(),
    subjectHash: cert.subjectNameHash(),
    serial: cert.getSerialNumber(),
    version: cert.getVersion(),
    notBefore: times(() => cert.getNotBefore()),
    notAfter: times(() => cert.getNotAfter()),
    expired: times(() => cert.hasExpired()),
    signatureAlgorithm,
    extensions,
  };
}

/**
 * PEM inputs that node:crypto refuses and ossl loads. node:crypto reads PEM as X509_AUX
 * (PEM_read_bio_X509_AUX), which refuses bytes after the certificate inside the base64, where
 * PEM_read_bio_X509 ignores them; pyOpenSSL's load_certificate, which calls PEM_read_bio_X509,
 * decides these (see settleDisputes).
 */
const disputes: { label: string; input: Buffer; der: Buffer }[] = [];

/** Loads `input` the lazy way and the eager way and holds one to the other. */
function compare(label: string, type: number, input: Buffer): 'both' | 'neither' {
  let ours: X509 | null = null;
  try {
    ours = loadCertificate(type, input);
  } catch (e) {
    expect(e, label).toBeInstanceOf(CryptoError);
  }
  let theirs: X509Certificate | null = null;
  try {
    theirs = new X509Certificate(input);
  } catch {
    theirs = null;
  }
  if (type === FILETYPE_PEM && ours !== null && theirs === null) {
    disputes.push({ label, input, der: dumpCertificate(FILETYPE_ASN1, ours) });
    return 'neither';
  }
  expect(ours !== null, `${label}: accepted by ossl vs by OpenSSL's d2i_X509`).toBe(theirs !== null);
  if (ours === null || theirs === null) return 'neither';
  // The lazy form re-encodes to OpenSSL's bytes and fingerprints.
  const before = snapshot(ours);
  expect(before.der, label).toBe(theirs.raw.toString('hex'));
  expect(before.sha256, label).toBe(theirs.fingerprint256);
  expect(before.sha1, label).toBe(theirs.fingerprint);
  // The full certificate, made on first need, holds the key OpenSSL decodes (or fails as it does),
  // and answers every question as the lazy form did.
  let theirKey: Buffer | null = null;
  try {
    theirKey = theirs.publicKey.export({ type: 'spki', format: 'der' });
  } catch {
    theirKey = null;
  }
  let ourKey: Buffer | null = null;
  try {
    ourKey = dumpPublickey(FILETYPE_ASN1, ours.getPubkey());
  } catch (e) {
    expect(e, label).toBeInstanceOf(CryptoError);
  }
  expect(ourKey?.toString('hex') ?? null, `${label}: public key`).toBe(theirKey?.toString('hex') ?? null);
  expect(snapshot(ours), `${label}: after the full certificate was made`).toEqual(before);
  return 'both';
}

/** pyOpenSSL (PEM_read_bio_X509) loads every disputed input, to the same DER as ossl. */
function settleDisputes(): number {
  const settled = disputes.splice(0);
  if (settled.length === 0) return 0;
  const requests = settled.map((d) => ({ op: 'load', type: 'pem', hex: d.input.toString('hex') }));
  const r = spawnSync('/usr/bin/python3', [join(__dirname, 'support', 'pyopenssl_oracle.py')], { input: JSON.stringify(requests), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`the pyOpenSSL oracle failed: ${r.stderr}`);
  const answers = JSON.parse(r.stdout) as (string | null)[];
  for (const [i, d] of settled.entries()) expect(answers[i], `${d.label}: pyOpenSSL's PEM_read_bio_X509`).toBe(d.der.toString('hex'));
  return settled.length;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g;

function seeds(): [string, Buffer][] {
  const ca = makeIdentity({ cn: 'Lazy CA', ca: true, rsa: true });
  const out: [string, Buffer][] = [
    ['rsa ca', dumpCertificate(FILETYPE_ASN1, ca.cert)],
    ['ec leaf', dumpCertificate(FILETYPE_ASN1, makeIdentity({ cn: 'lazy.example', issuer: ca, sans: 'DNS:lazy.example, IP:127.0.0.1' }).cert)],
    [
      'many extensions',
      dumpCertificate(
        FILETYPE_ASN1,
        makeIdentity({
          cn: 'ext.example',
          issuer: ca,
          extensions: [
            ['extendedKeyUsage', false, 'serverAuth, clientAuth'],
            ['keyUsage', true, 'digitalSignature, keyEncipherment'],
            ['nsComment', false, 'lazy'],
          ],
        }).cert,
      ),
    ],
  ];
  // An Ed25519 certificate and a v1 certificate (no version field, no extensions).
  const ed = PKey.generate(TYPE_ED25519);
  const v1 = new X509();
  v1.setSerialNumber(7n);
  v1.getSubject().CN = 'v1';
  v1.setIssuer(v1.getSubject());
  v1.gmtimeAdjNotBefore(0);
  v1.gmtimeAdjNotAfter(3600);
  v1.setPubkey(ed);
  v1.sign(ed, null);
  out.push(['ed25519 v1', dumpCertificate(FILETYPE_ASN1, v1)]);
  const certdata = join(vectorsDir(), 'cpython-certdata');
  for (const f of readdirSync(certdata).filter((n) => n.endsWith('.pem')).sort()) {
    for (const [i, block] of (readFileSync(join(certdata, f), 'latin1').match(PEM_BLOCK) ?? []).entries()) {
      // badcert.pem is garbage on purpose; the first test compares it as it is.
      if (f !== 'badcert.pem') out.push([`cpython ${f}#${i}`, dumpCertificate(FILETYPE_ASN1, loadCertificate(FILETYPE_PEM, block))]);
    }
  }
  return out;
}

function limboCertificates(): string[] {
  const limbo = JSON.parse(readFileSync(join(vectorsDir(), 'x509-limbo', 'limbo-early.json'), 'utf8')) as {
    testcases: { trusted_certs: string[]; untrusted_intermediates: string[]; peer_certificate: string }[];
  };
  const all = new Set<string>();
  for (const t of limbo.testcases) for (const pem of [...t.trusted_certs, ...t.untrusted_intermediates, t.peer_certificate]) all.add(pem);
  return [...all].sort();
}

describe('lazy certificates against OpenSSL eager d2i_X509', () => {
  it('agree on every x509-limbo and CPython certificate, in DER and PEM', () => {
    const limbo = limboCertificates();
    expect(limbo.length).toBeGreaterThan(200);
    for (const [i, pem] of limbo.entries()) {
      expect(compare(`limbo #${i} PEM`, FILETYPE_PEM, Buffer.from(pem)), `limbo #${i}`).toBe('both');
      const der = new X509Certificate(pem).raw;
      expect(compare(`limbo #${i} DER`, FILETYPE_ASN1, der)).toBe('both');
    }
    for (const [label, der] of seeds()) expect(compare(label, FILETYPE_ASN1, der)).toBe('both');
    const bad = readFileSync(join(vectorsDir(), 'cpython-certdata', 'badcert.pem'));
    expect(compare('cpython badcert.pem', FILETYPE_PEM, bad)).toBe('neither');
    expect(settleDisputes()).toBe(0);
  });

  it('agree on BER that OpenSSL accepts: long-form and indefinite lengths re-encode as OpenSSL does', () => {
    const [, der] = seeds()[1]!;
    // A DER SEQUENCE's header length and content length.
    const header = (b: Buffer): [number, number] => {
      expect(b[0]).toBe(0x30);
      if (b[1]! < 0x80) return [2, b[1]!];
      const n = b[1]! & 0x7f;
      return [2 + n, b.readUIntBE(2, n)];
    };
    const [outerHeader] = header(der);
    const body = der.subarray(outerHeader); // TBSCertificate, signatureAlgorithm, signature
    const [tbsHeader, tbsLength] = header(body);
    const tbs = body.subarray(0, tbsHeader + tbsLength);
    const rest = body.subarray(tbsHeader + tbsLength);
    const seq = (content: Buffer, lengthBytes: number): Buffer => {
      const len = Buffer.alloc(lengthBytes);
      len.writeUIntBE(content.length, 0, lengthBytes);
      return Buffer.concat([Buffer.from([0x30, 0x80 | lengthBytes]), len, content]);
    };
    const indefinite = (content: Buffer): Buffer => Buffer.concat([Buffer.from([0x30, 0x80]), content, Buffer.from([0, 0])]);
    const variants: [string, Buffer][] = [
      ['outer length in four bytes', seq(body, 4)],
      ['TBS length in three bytes', seq(Buffer.concat([seq(tbs.subarray(tbsHeader), 3), rest]), 2)],
      ['indefinite outer length', indefinite(body)],
      ['indefinite TBS length', seq(Buffer.concat([indefinite(tbs.subarray(tbsHeader)), rest]), 2)],
    ];
    const outcomes = variants.map(([label, input]) => compare(`BER: ${label}`, FILETYPE_ASN1, input));
    // OpenSSL takes at least the long-form lengths; the lazy form then writes OpenSSL's re-encoding.
    expect(outcomes[0]).toBe('both');
    expect(dumpCertificate(FILETYPE_ASN1, loadCertificate(FILETYPE_ASN1, variants[0]![1])).equals(der)).toBe(true);
  });

  it('agree on mutated DER: the same inputs refused, the same bytes and answers for the rest', () => {
    const outcome = { both: 0, neither: 0 };
    for (const [label, seed] of seeds()) {
      let i = 0;
      for (const input of mutations(seed, 160, seed.length)) outcome[compare(`${label} mutation ${i++}`, FILETYPE_ASN1, input)]++;
    }
    // Both kinds occur, so neither half of the comparison is vacuous.
    expect(outcome.both).toBeGreaterThan(100);
    expect(outcome.neither).toBeGreaterThan(1000);
  });

  it('agree on mutated PEM text, including the layouts the fast PEM decoder leaves to OpenSSL', () => {
    const outcome = { both: 0, neither: 0 };
    const [, der] = seeds()[1]!;
    const pem = dumpCertificate(FILETYPE_PEM, loadCertificate(FILETYPE_ASN1, der)).toString('latin1');
    const body = der.toString('base64');
    const wrap = (width: number, eol: string): string =>
      `-----BEGIN CERTIFICATE-----${eol}${body.match(new RegExp(`.{1,${width}}`, 'g'))!.join(eol)}${eol}-----END CERTIFICATE-----${eol}`;
    const layouts: [string, string][] = [
      ['as dumped', pem],
      ['CRLF', pem.replaceAll('\n', '\r\n')],
      ['no final newline', pem.trimEnd()],
      ['trailing blanks', `${pem.trimEnd()}  \t`],
      ['trailing junk on the END line', `${pem.trimEnd()}xyz`],
      ['a second block after', pem + pem],
      ['text after', `${pem}trailing words\n`],
      ['text before', `a comment\n${pem}`],
      ['a blank line before', `\n${pem}`],
      ['76 columns', wrap(76, '\n')],
      ['48 columns', wrap(48, '\n')],
      ['one line', wrap(4096, '\n')],
      ['64 columns, CRLF', wrap(64, '\r\n')],
      ['a space in a line', pem.replace('\nMII', '\nM II')],
      ['a tab at a line end', pem.replace(/\n(?!-)/, '\t\n')],
      ['padding mid-body', pem.replace(/([A-Za-z0-9+/]{60})([A-Za-z0-9+/]{4})\n/, '$1AA==\n')],
      ['an empty body', '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n'],
      ['no END line', pem.slice(0, pem.indexOf('-----END'))],
      ['a lone CR line end', pem.replace('\n', '\r')],
    ];
    for (const [label, text] of layouts) outcome[compare(`PEM ${label}`, FILETYPE_PEM, Buffer.from(text, 'latin1'))]++;
    expect(outcome.both).toBeGreaterThan(8);
    // PEM_read_bio_X509 ignores bytes after the certificate inside the base64; node:crypto reads
    // PEM as X509_AUX, which does not, so here OpenSSL's reader itself is the oracle: at 76 columns
    // the fast decoder declines and OpenSSL reads the same bytes.
    const padded = Buffer.concat([der, Buffer.from([0, 0, 0])]).toString('base64');
    for (const width of [64, 76]) {
      const text = `-----BEGIN CERTIFICATE-----\n${padded.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n')}\n-----END CERTIFICATE-----\n`;
      expect(dumpCertificate(FILETYPE_ASN1, loadCertificate(FILETYPE_PEM, text)).equals(der), `bytes after, ${width} columns`).toBe(true);
    }
    let i = 0;
    for (const input of mutations(Buffer.from(pem, 'latin1'), 1200)) outcome[compare(`PEM mutation ${i++}`, FILETYPE_PEM, input)]++;
    settleDisputes();
    expect(outcome.both).toBeGreaterThan(100);
    expect(outcome.neither).toBeGreaterThan(500);
  });

  it('refuses the OpenSSL x509 fuzz corpus and its mutations, as OpenSSL does', () => {
    const dir = join(vectorsDir(), 'openssl-fuzz', 'x509');
    let i = 0;
    for (const f of readdirSync(dir).sort()) {
      const input = readFileSync(join(dir, f));
      compare(`fuzz ${f}`, FILETYPE_ASN1, input);
      for (const m of mutations(input, 8, i++)) compare(`fuzz ${f} mutation`, FILETYPE_ASN1, m);
    }
  });
});

describe('a lazy certificate changed after loading', () => {
  const ca = makeIdentity({ cn: 'Change CA', ca: true });

  it('encodes the change, through the certificate and through a name view taken before', () => {
    const loaded = loadCertificate(FILETYPE_PEM, dumpCertificate(FILETYPE_PEM, makeIdentity({ cn: 'before.example', issuer: ca }).cert));
    const subject = loaded.getSubject();
    const issuer = loaded.getIssuer();
    subject.CN = 'after.example';
    loaded.sign(ca.key, 'sha256');
    const reread = new X509Certificate(dumpCertificate(FILETYPE_PEM, loaded));
    expect(reread.subject).toBe('CN=after.example');
    expect(reread.checkIssued(new X509Certificate(dumpCertificate(FILETYPE_PEM, ca.cert)))).toBe(true);
    expect(subject.CN).toBe('after.example');
    expect(issuer.CN).toBe('Change CA');
  });

  it("takes its own subject as issuer, and keeps an extension read before the change", () => {
    const loaded = loadCertificate(FILETYPE_ASN1, dumpCertificate(FILETYPE_ASN1, makeIdentity({ cn: 'self.example', issuer: ca, sans: 'DNS:self.example' }).cert));
    const san = loaded.getExtension(1);
    loaded.setIssuer(loaded.getSubject());
    loaded.addExtensions([new X509Extension('nsComment', false, 'added')]);
    const key = PKey.generate(TYPE_RSA, 2048);
    loaded.setPubkey(key);
    loaded.sign(key, 'sha256');
    const reread = new X509Certificate(dumpCertificate(FILETYPE_ASN1, loaded));
    expect(reread.issuer).toBe('CN=self.example');
    expect(reread.verify(reread.publicKey)).toBe(true);
    expect(san.getShortName()).toBe('subjectAltName');
    expect(loaded.getExtensionCount()).toBe(3);
    expect(dumpCertificate(FILETYPE_TEXT, loaded).toString()).toContain('added');
  });

  it('version, serial and dates set on a loaded certificate replace the loaded ones', () => {
    const loaded = loadCertificate(FILETYPE_ASN1, dumpCertificate(FILETYPE_ASN1, makeIdentity({ cn: 'dates.example', issuer: ca }).cert));
    loaded.setSerialNumber(0xabcdefn);
    loaded.setNotAfter('20400101000000Z');
    loaded.setVersion(0);
    expect(loaded.getSerialNumber()).toBe(0xabcdefn);
    expect(loaded.getNotAfter()).toBe('20400101000000Z');
    expect(loaded.getVersion()).toBe(0);
    loaded.sign(ca.key, 'sha256');
    const reread = new X509Certificate(dumpCertificate(FILETYPE_ASN1, loaded));
    expect(reread.serialNumber).toBe('ABCDEF');
    expect(reread.validTo).toBe('Jan  1 00:00:00 2040 GMT');
  });

  it("reads a name's attributes before and after its native view is made, and refuses bad attributes", () => {
    const source = makeIdentity({ cn: 'view.example', issuer: ca }).cert;
    const loaded = loadCertificate(FILETYPE_PEM, dumpCertificate(FILETYPE_PEM, source));
    const subject = loaded.getSubject();
    expect(subject.CN).toBe('view.example');
    expect(subject.get('commonName')).toBe('view.example');
    expect(subject.get('2.5.4.3')).toBe('view.example');
    expect(subject.O).toBeNull();
    expect(() => subject.get(42 as never)).toThrow(TypeError);
    expect(() => subject.get('no-such-attribute')).toThrow(RangeError);
    // der() makes the native view; attributes read the same through it.
    expect(subject.der().equals(source.getSubject().der())).toBe(true);
    expect(subject.CN).toBe('view.example');
    expect(() => subject.get('no-such-attribute')).toThrow(RangeError);
    expect(loaded.getIssuer().equals(ca.cert.getSubject())).toBe(true);
    expect(String(loaded.getIssuer())).toBe(String(ca.cert.getSubject()));
  });
});
