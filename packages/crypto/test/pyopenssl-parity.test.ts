// pyOpenSSL 23 (Debian's python3-openssl under /usr/bin/python3) as a parity oracle: for the same
// inputs our answers must equal pyOpenSSL's. .ci/run installs it; without it this file fails.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  dumpCertificate,
  FILETYPE_PEM,
  FILETYPE_TEXT,
  loadCertificate,
  loadPkcs12,
  PKCS12,
  X509,
  X509Store,
  X509StoreContext,
  X509StoreContextError,
} from '../src/index.js';
import { makeIdentity, opensslOfNode, systemOpenSSLMatchesNode, vectorsDir } from './support/helpers.js';

const PYTHON = '/usr/bin/python3';

function oracle<T>(requests: object[]): T[] {
  const r = spawnSync(PYTHON, [join(__dirname, 'support', 'pyopenssl_oracle.py')], { input: JSON.stringify(requests), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`the pyOpenSSL oracle failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T[];
}

interface CertInfo {
  subject: { hash: number; components: [string, string][]; der: string; CN: string | null };
  issuer: { hash: number; components: [string, string][]; der: string; CN: string | null };
  subject_name_hash: number;
  sha256: string;
  sha1: string;
  md5: string;
  serial: string;
  version: number;
  not_before: string;
  not_after: string;
  signature_algorithm: string;
  extensions: { name: string; critical: boolean; text: string; data: string }[];
  text: string;
  pubkey_bits: number;
  pubkey_type: number;
}

beforeAll(() => {
  const r = spawnSync(PYTHON, ['-c', 'import OpenSSL; print(OpenSSL.__version__)'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('pyOpenSSL is missing: apt-get install python3-openssl (the .ci/run setup does)');
});

function richCert(rsa: boolean): X509 {
  const ca = makeIdentity({ cn: 'Parity CA', ca: true, rsa });
  ca.cert.getSubject().O = 'Ünïcode Org';
  return makeIdentity({
    cn: 'parity.example',
    issuer: ca,
    rsa,
    sans: 'DNS:parity.example, DNS:*.parity.example, IP:192.0.2.7, IP:2001:db8::1, email:ops@parity.example, URI:https://parity.example/',
    extensions: [
      ['keyUsage', true, 'digitalSignature, keyEncipherment'],
      ['extendedKeyUsage', false, 'serverAuth, clientAuth'],
      ['crlDistributionPoints', false, 'URI:http://crl.parity.example/ca.crl'],
      ['authorityInfoAccess', false, 'OCSP;URI:http://ocsp.parity.example, caIssuers;URI:http://ca.parity.example/ca.crt'],
      ['nsComment', false, 'made by ossl'],
    ],
  }).cert;
}

const vectorFiles = ['keycert.pem', 'keycert3.pem', 'keycertecc.pem', 'allsans.pem', 'idnsans.pem', 'nullbytecert.pem', 'nokia.pem', 'talos-2019-0758.pem', 'pycacert.pem', 'selfsigned_pythontestdotnet.pem'];

describe('pyOpenSSL parity: certificates', () => {
  const certs: [string, X509][] = [
    ['ours (EC)', richCert(false)],
    ['ours (RSA)', richCert(true)],
    ...vectorFiles.map((f): [string, X509] => [f, loadCertificate(FILETYPE_PEM, readFileSync(join(vectorsDir(), 'cpython-certdata', f)))]),
  ];
  let infos: CertInfo[] = [];
  beforeAll(() => {
    infos = oracle<CertInfo>(certs.map(([, c]) => ({ op: 'cert', pem: dumpCertificate(FILETYPE_PEM, c).toString() })));
  });

  it('gives the same names, hashes, components and digests', () => {
    certs.forEach(([label, cert], i) => {
      const py = infos[i]!;
      for (const [ours, theirs] of [[cert.getSubject(), py.subject], [cert.getIssuer(), py.issuer]] as const) {
        expect(ours.hash(), label).toBe(theirs.hash);
        expect(ours.der().toString('hex'), label).toBe(theirs.der);
        expect(ours.getComponents().map(([k, v]) => [k.toString('hex'), v.toString('hex')]), label).toEqual(theirs.components);
        expect(ours.CN, label).toBe(theirs.CN);
      }
      expect(cert.subjectNameHash(), label).toBe(py.subject_name_hash);
      expect(cert.digest('sha256'), label).toBe(py.sha256);
      expect(cert.digest('sha1'), label).toBe(py.sha1);
      expect(cert.digest('md5'), label).toBe(py.md5);
      expect(cert.getSerialNumber().toString(), label).toBe(py.serial);
      expect(cert.getVersion(), label).toBe(py.version);
      expect(cert.getNotBefore(), label).toBe(py.not_before);
      expect(cert.getNotAfter(), label).toBe(py.not_after);
      expect(cert.getSignatureAlgorithm(), label).toBe(py.signature_algorithm);
      expect(cert.getPubkey().bits(), label).toBe(py.pubkey_bits);
      expect(cert.getPubkey().type(), label).toBe(py.pubkey_type);
    });
  });

  it('prints every extension as pyOpenSSL does', () => {
    certs.forEach(([label, cert], i) => {
      const py = infos[i]!;
      expect(cert.getExtensionCount(), label).toBe(py.extensions.length);
      py.extensions.forEach((pyExt, j) => {
        const ext = cert.getExtension(j);
        expect(ext.getShortName(), `${label} #${j}`).toBe(pyExt.name);
        expect(ext.getCritical(), `${label} #${j}`).toBe(pyExt.critical);
        expect(ext.getData().toString('hex'), `${label} #${j}`).toBe(pyExt.data);
        if (pyExt.text.startsWith('!')) return;
        // pyOpenSSL builds the subjectAltName string itself (as ossl does), whatever OpenSSL prints.
        if (systemOpenSSLMatchesNode() || pyExt.name === 'subjectAltName') {
          expect(ext.toString(), `${label} ${pyExt.name}`).toBe(pyExt.text);
        } else {
          // pyOpenSSL runs the system's OpenSSL, of another series: the extension's lines must be the
          // ones this OpenSSL's CLI prints for it inside the certificate's text.
          const cli = opensslOfNode(['x509', '-text', '-noout', '-nameopt', 'compat'], dumpCertificate(FILETYPE_PEM, cert)).split('\n').map((l) => l.trim());
          const lines = ext.toString().split('\n').map((l) => l.trim()).filter((l) => l !== '');
          if (lines.length === 0) {
            expect(pyExt.text.trim(), `${label} ${pyExt.name}`).toBe(''); // nothing printable either way
            return;
          }
          const at = cli.indexOf(lines[0]!);
          expect(at, `${label} ${pyExt.name}: ${lines[0]}`).toBeGreaterThanOrEqual(0);
          expect(cli.slice(at).filter((l) => l !== '').slice(0, lines.length), `${label} ${pyExt.name}`).toEqual(lines);
        }
      });
    });
  });

  it('dumps FILETYPE_TEXT byte for byte as pyOpenSSL does', () => {
    certs.forEach(([label, cert], i) => {
      const ours = dumpCertificate(FILETYPE_TEXT, cert).toString('latin1');
      // pyOpenSSL's text is X509_print_ex with XN_FLAG_COMPAT, as `openssl x509 -text -nameopt compat`
      // prints it; across OpenSSL series, compare with that OpenSSL's own CLI.
      if (systemOpenSSLMatchesNode()) expect(ours, label).toBe(infos[i]!.text);
      else expect(ours, label).toBe(opensslOfNode(['x509', '-text', '-noout', '-nameopt', 'compat'], dumpCertificate(FILETYPE_PEM, cert)));
    });
  });
});

describe('pyOpenSSL parity: verification errors', () => {
  it('reports the same code, depth and message for each failure', () => {
    const root = makeIdentity({ cn: 'Root', ca: true, notBefore: -86400, days: 30 });
    const inter = makeIdentity({ cn: 'Inter', ca: true, issuer: root, pathlen: 0 });
    const cases: { leaf: X509; untrusted: X509[]; roots: X509[] }[] = [
      { leaf: makeIdentity({ cn: 'ok', issuer: inter }).cert, untrusted: [inter.cert], roots: [root.cert] },
      { leaf: makeIdentity({ cn: 'unknown', issuer: inter }).cert, untrusted: [], roots: [root.cert] },
      { leaf: makeIdentity({ cn: 'expired', issuer: root, notBefore: -7200, notAfter: -3600 }).cert, untrusted: [], roots: [root.cert] },
      { leaf: makeIdentity({ cn: 'future', issuer: root, notBefore: 3600, notAfter: 7200 }).cert, untrusted: [], roots: [root.cert] },
      { leaf: makeIdentity({ cn: 'self' }).cert, untrusted: [], roots: [root.cert] },
      { leaf: makeIdentity({ cn: 'deep', issuer: makeIdentity({ cn: 'Deeper', ca: true, issuer: inter }) }).cert, untrusted: [inter.cert], roots: [root.cert] },
    ];
    // The deep case needs its own intermediate in the untrusted list.
    const deeperIssuer = makeIdentity({ cn: 'Deeper2', ca: true, issuer: inter });
    cases[5] = { leaf: makeIdentity({ cn: 'deep', issuer: deeperIssuer }).cert, untrusted: [inter.cert, deeperIssuer.cert], roots: [root.cert] };
    const py = oracle<{ errors: [number, number, string]; cert_sha256: string } | null>(
      cases.map((c) => ({
        op: 'verify',
        roots: c.roots.map((r) => dumpCertificate(FILETYPE_PEM, r).toString()),
        untrusted: c.untrusted.map((u) => dumpCertificate(FILETYPE_PEM, u).toString()),
        leaf: dumpCertificate(FILETYPE_PEM, c.leaf).toString(),
      })),
    );
    cases.forEach((c, i) => {
      const store = new X509Store();
      for (const r of c.roots) store.addCert(r);
      let ours: { errors: [number, number, string]; cert_sha256: string } | null = null;
      try {
        new X509StoreContext(store, c.leaf, c.untrusted).verifyCertificate();
      } catch (e) {
        expect(e).toBeInstanceOf(X509StoreContextError);
        const err = e as X509StoreContextError;
        ours = { errors: err.errors, cert_sha256: err.certificate!.digest('sha256') };
      }
      expect(ours, `case ${i}`).toEqual(py[i]);
    });
    expect(py.filter((x) => x !== null).length).toBe(5);
  });
});

describe('pyOpenSSL parity: PKCS#12', () => {
  it('reads our bundles with the same contents', () => {
    const ca = makeIdentity({ cn: 'P12 CA', ca: true });
    const leaf = makeIdentity({ cn: 'p12 leaf', issuer: ca, rsa: true });
    const p12 = new PKCS12();
    p12.setPrivatekey(leaf.key);
    p12.setCertificate(leaf.cert);
    p12.setCaCertificates([ca.cert]);
    p12.setFriendlyname('parity');
    const der = p12.export({ passphrase: 'pw' });
    const [py] = oracle<{ cert_sha256: string; key_bits: number; key_type: number; ca_sha256: string[]; friendlyname: string }>([
      { op: 'pkcs12', der_hex: der.toString('hex'), passphrase: 'pw' },
    ]);
    const ours = loadPkcs12(der, 'pw');
    expect(py).toEqual({
      cert_sha256: ours.getCertificate()!.digest('sha256'),
      key_bits: ours.getPrivatekey()!.bits(),
      key_type: ours.getPrivatekey()!.type(),
      ca_sha256: ours.getCaCertificates()!.map((c) => c.digest('sha256')),
      friendlyname: ours.getFriendlyname()!.toString(),
    });
  });
});
