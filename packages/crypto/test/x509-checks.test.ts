// X509.checkCa, checkPurpose and getExtensionByName, with M2Crypto (Debian's python3-m2crypto under
// /usr/bin/python3, whose X509.check_ca and check_purpose are the names these come from) as the
// oracle for every certificate of x509-limbo and a few made here.
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import {
  CryptoError,
  dumpCertificate,
  FILETYPE_ASN1,
  FILETYPE_PEM,
  loadCertificate,
  PKey,
  TYPE_ED25519,
  X509,
  X509_PURPOSE_ANY,
  X509_PURPOSE_SSL_CLIENT,
  X509_PURPOSE_SSL_SERVER,
  X509_PURPOSE_TIMESTAMP_SIGN,
  X509Extension,
} from '../src/index.js';
import { makeIdentity, vectorsDir } from './support/helpers.js';

const PURPOSES = [1, 2, 3, 4, 5, 6, 7, 8, 9];

/** M2Crypto's check_ca() and check_purpose(id, ca) for each DER certificate. */
function m2crypto(ders: Buffer[]): { ca: number; purposes: number[][] }[] {
  const script = `
import json, sys
from M2Crypto import X509
out = []
for h in json.load(sys.stdin):
    c = X509.load_cert_der_string(bytes.fromhex(h))
    out.append({"ca": c.check_ca(), "purposes": [[c.check_purpose(p, ca) for ca in (0, 1)] for p in ${JSON.stringify(PURPOSES)}]})
print(json.dumps(out))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(ders.map((d) => d.toString('hex'))), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`M2Crypto is missing or failed (apt-get install python3-m2crypto; the test command does): ${r.stderr}`);
  return JSON.parse(r.stdout) as { ca: number; purposes: number[][] }[];
}

function certificates(): [string, X509][] {
  const ca = makeIdentity({ cn: 'Checks CA', ca: true });
  const out: [string, X509][] = [
    ['ca', ca.cert],
    ['intermediate pathlen 0', makeIdentity({ cn: 'Checks Inter', ca: true, pathlen: 0, issuer: ca }).cert],
    ['server leaf', makeIdentity({ cn: 'server.example', issuer: ca, extensions: [['extendedKeyUsage', false, 'serverAuth']] }).cert],
    ['client leaf', makeIdentity({ cn: 'client.example', issuer: ca, extensions: [['extendedKeyUsage', false, 'clientAuth']] }).cert],
    ['signing-only leaf', makeIdentity({ cn: 'sign.example', issuer: ca, extensions: [['keyUsage', true, 'digitalSignature']] }).cert],
    ['time-stamping leaf', makeIdentity({ cn: 'tsa.example', issuer: ca, extensions: [['extendedKeyUsage', true, 'timeStamping']] }).cert],
  ];
  const key = PKey.generate(TYPE_ED25519);
  const v1 = new X509();
  v1.setSerialNumber(9n);
  v1.getSubject().CN = 'v1 self-signed';
  v1.setIssuer(v1.getSubject());
  v1.gmtimeAdjNotBefore(0);
  v1.gmtimeAdjNotAfter(3600);
  v1.setPubkey(key);
  v1.sign(key, null);
  out.push(['v1 self-signed', v1]);
  const limbo = JSON.parse(readFileSync(join(vectorsDir(), 'x509-limbo', 'limbo-early.json'), 'utf8')) as {
    testcases: { trusted_certs: string[]; untrusted_intermediates: string[]; peer_certificate: string }[];
  };
  const seen = new Set<string>();
  for (const t of limbo.testcases) {
    for (const pem of [...t.trusted_certs, ...t.untrusted_intermediates, t.peer_certificate]) {
      if (seen.has(pem)) continue;
      seen.add(pem);
      out.push([`limbo #${seen.size}`, loadCertificate(FILETYPE_PEM, pem)]);
    }
  }
  return out;
}

describe('X509.checkCa and checkPurpose', () => {
  it("answer as M2Crypto's check_ca and check_purpose, for every purpose, as CA and as end entity", () => {
    const certs = certificates();
    expect(certs.length).toBeGreaterThan(200);
    const oracle = m2crypto(certs.map(([, c]) => dumpCertificate(FILETYPE_ASN1, c)));
    let cas = 0;
    for (const [i, [label, cert]] of certs.entries()) {
      expect(cert.checkCa(), label).toBe(oracle[i]!.ca);
      if (oracle[i]!.ca !== 0) cas++;
      for (const [k, purpose] of PURPOSES.entries()) {
        for (const [j, asCa] of [false, true].entries()) {
          const expected = oracle[i]!.purposes[k]![j]!;
          const what = `${label} purpose ${purpose}${asCa ? ' as CA' : ''}`;
          // -1: OpenSSL found the certificate's extensions malformed; ossl throws its reason.
          if (expected < 0) expect(() => cert.checkPurpose(purpose, asCa), what).toThrow(CryptoError);
          else expect(cert.checkPurpose(purpose, asCa), what).toBe(expected === 1);
        }
      }
    }
    // Both answers occur, so the comparison is not vacuous.
    expect(cas).toBeGreaterThan(50);
    expect(cas).toBeLessThan(certs.length);
  });

  it('reads the extensions that decide it', () => {
    const byLabel = new Map(certificates());
    const [ca, server, client, tsa, v1] = ['ca', 'server leaf', 'client leaf', 'time-stamping leaf', 'v1 self-signed'].map((l) => byLabel.get(l));
    expect(ca!.checkCa()).toBe(1);
    expect(server!.checkCa()).toBe(0);
    expect(v1!.checkCa()).toBe(3);
    expect(server!.checkPurpose(X509_PURPOSE_SSL_SERVER)).toBe(true);
    expect(server!.checkPurpose(X509_PURPOSE_SSL_CLIENT)).toBe(false);
    expect(client!.checkPurpose(X509_PURPOSE_SSL_CLIENT)).toBe(true);
    expect(client!.checkPurpose(X509_PURPOSE_SSL_SERVER)).toBe(false);
    expect(tsa!.checkPurpose(X509_PURPOSE_TIMESTAMP_SIGN)).toBe(true);
    expect(ca!.checkPurpose(X509_PURPOSE_SSL_SERVER, true)).toBe(true);
    expect(server!.checkPurpose(X509_PURPOSE_ANY)).toBe(true);
  });

  it('refuses unknown purposes and wrong types', () => {
    const { cert } = makeIdentity({ cn: 'bad.example' });
    expect(() => cert.checkPurpose(0)).toThrow('no such purpose: 0');
    expect(() => cert.checkPurpose(99)).toThrow(RangeError);
    expect(() => cert.checkPurpose(-1)).toThrow(RangeError);
    expect(() => cert.checkPurpose('ssl' as never)).toThrow(TypeError);
    expect(() => cert.checkPurpose(1.5)).toThrow(RangeError);
    expect(() => cert.checkPurpose(1, 1 as never)).toThrow(TypeError);
  });
});

describe('X509.getExtensionByName', () => {
  const ca = makeIdentity({ cn: 'Ext CA', ca: true });
  const leaf = makeIdentity({ cn: 'ext.example', issuer: ca, sans: 'DNS:ext.example', extensions: [['nsComment', false, 'hello']] });

  it('finds an extension by short name, long name or OID, in a loaded certificate too', () => {
    const loaded = loadCertificate(FILETYPE_PEM, dumpCertificate(FILETYPE_PEM, leaf.cert));
    for (const cert of [leaf.cert, loaded]) {
      for (const name of ['subjectAltName', 'X509v3 Subject Alternative Name', '2.5.29.17']) {
        const ext = cert.getExtensionByName(name);
        expect(ext, name).toBeInstanceOf(X509Extension);
        expect(ext!.getShortName()).toBe('subjectAltName');
        expect(ext!.toString()).toBe('DNS:ext.example');
      }
      expect(cert.getExtensionByName('nsComment')!.toString()).toBe('hello');
      expect(cert.getExtensionByName('basicConstraints')!.getCritical()).toBe(true);
    }
    // The same bytes node:crypto reads.
    expect(new X509Certificate(dumpCertificate(FILETYPE_PEM, loaded)).subjectAltName).toBe('DNS:ext.example');
  });

  it('is null for a type the certificate lacks, and refuses names OpenSSL does not know', () => {
    expect(leaf.cert.getExtensionByName('keyUsage')).toBeNull();
    expect(leaf.cert.getExtensionByName('1.2.3.4.5')).toBeNull();
    expect(new X509().getExtensionByName('subjectAltName')).toBeNull();
    expect(() => leaf.cert.getExtensionByName('noSuchExtension')).toThrow(RangeError);
    expect(() => leaf.cert.getExtensionByName('')).toThrow(RangeError);
    expect(() => leaf.cert.getExtensionByName('subjectAlt\0Name')).toThrow(RangeError);
    expect(() => leaf.cert.getExtensionByName(17 as never)).toThrow(TypeError);
  });
});
