// certToPythonDict renders subjectAltName entries that have no string form of their own (otherName,
// x400Address, ediPartyName) as CPython's getpeercert() does: OpenSSL's print form, split at the
// first colon. CPython's own ssl._ssl._test_decode_cert is the oracle, where it runs on the same
// OpenSSL version as Node (otherwise the print form may differ between the two OpenSSLs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { certToPythonDict, dumpCertificate, FILETYPE_PEM } from '../src/index.js';
import { makeIdentity, systemOpenSSLMatchesNode } from './support/helpers.js';

const SANS = [
  'DNS:names.example',
  'otherName:msUPN;UTF8:user@names.example',
  'otherName:1.3.6.1.5.5.7.8.9;UTF8:ünïcode@names.example',
  'otherName:1.2.3.4.5;UTF8:private form',
  'otherName:1.3.6.1.5.5.7.8.7;IA5:_xmpp.names.example',
  'email:ops@names.example',
].join(', ');

function cpython(pem: string): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'ossl-sans-'));
  try {
    writeFileSync(join(dir, 'cert.pem'), pem);
    const r = spawnSync('/usr/bin/python3', ['-c', 'import json, ssl, sys; print(json.dumps(ssl._ssl._test_decode_cert(sys.argv[1])["subjectAltName"]))', join(dir, 'cert.pem')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`CPython failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('certToPythonDict subjectAltName', () => {
  const { cert } = makeIdentity({ cn: 'names.example', sans: SANS });
  const ours = certToPythonDict(cert).subjectAltName as [string, string][];

  it("renders otherName entries from OpenSSL's print form, as CPython does", () => {
    expect(ours[0]).toEqual(['DNS', 'names.example']);
    expect(ours[1]).toEqual(['othername', 'UPN:user@names.example']);
    expect(ours[5]).toEqual(['email', 'ops@names.example']);
    for (const [type] of ours.slice(1, 5)) expect(type).toBe('othername');
    expect(ours).toHaveLength(6);
  });

  it('equals what CPython getpeercert() gives on the same OpenSSL (and the stable forms on another)', () => {
    const theirs = cpython(dumpCertificate(FILETYPE_PEM, cert).toString()) as [string, string][];
    if (systemOpenSSLMatchesNode()) {
      expect(ours).toEqual(theirs);
    } else {
      // CPython here runs on Debian's OpenSSL 3.0, Node on another 3.x: the forms both print alike.
      for (const i of [0, 1, 4, 5]) expect(ours[i], String(i)).toEqual(theirs[i]);
      expect(ours.map(([type]) => type)).toEqual(theirs.map(([type]) => type));
    }
  });
});
