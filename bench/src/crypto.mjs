#!/usr/bin/env node
// Certificate-work benchmark: @ossl/crypto against node:crypto, node-forge and @peculiar/x509 in this
// process, and python's `cryptography` (the fastest anchor) in the same run, twice: Debian's
// (cryptography 38, on the system OpenSSL 3.0) and the newest from pip (its own OpenSSL), in a venv
// under .cache/ made on first use. Prints time per operation and ossl's ratio to each peer. Not a
// test: nothing here asserts a time.
//
//   node bench/src/crypto.mjs [seconds-per-measurement] [--quick] [--json FILE]
//
// Every measurement returns to the event loop every 64 calls, so that objects the call made and
// dropped are also freed inside the measured time (native finalizers run from the loop), as python
// frees them as it goes.
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, webcrypto, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

import * as ossl from '@ossl/crypto';
import * as x509 from '@peculiar/x509';
import forge from 'node-forge';

import { nativeCert } from './native-loop.mjs';

const { values: argv, positionals } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, json: { type: 'string' } },
  allowPositionals: true,
});
const BUDGET = argv.quick ? 0.02 : Number(positionals[0] ?? 0.5);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
x509.cryptoProvider.set(webcrypto);

const loop = () => new Promise((resolve) => setImmediate(resolve));

async function timeit(fn, minIters = 3) {
  await fn();
  await loop();
  let n = 0;
  const start = process.hrtime.bigint();
  for (;;) {
    await fn();
    n++;
    if (n % 64 === 0) await loop();
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    if (elapsed >= BUDGET && n >= minIters) return elapsed / n;
  }
}

// ---- ossl ---------------------------------------------------------------------------------------
const { PKey, X509, X509Req, X509Extension, X509Store, X509StoreContext, PKCS12, loadPkcs12, loadCertificate, dumpCertificate, FILETYPE_ASN1, FILETYPE_PEM, TYPE_EC, TYPE_RSA } = ossl;

function osslKey(kind) {
  return kind === 'rsa' ? PKey.generate(TYPE_RSA, 2048) : PKey.generate(TYPE_EC, 'prime256v1');
}

function osslCert(subjectName, issuerName, pubkey, signKey, serial, exts) {
  const cert = new X509();
  cert.setVersion(2);
  cert.setSerialNumber(serial);
  cert.setSubject(subjectName);
  cert.setIssuer(issuerName);
  cert.gmtimeAdjNotBefore(0);
  cert.gmtimeAdjNotAfter(86400);
  cert.setPubkey(pubkey);
  cert.addExtensions(exts());
  cert.sign(signKey, 'sha256');
  return cert;
}

function osslName(cn) {
  const n = new ossl.X509Name();
  n.CN = cn;
  return n;
}

async function benchOssl(kind, results) {
  const label = kind === 'rsa' ? 'RSA-2048' : 'P-256';
  const caKey = osslKey(kind);
  const caName = osslName('Bench CA');
  const ca = () => osslCert(caName, caName, caKey, caKey, 1, () => [new X509Extension('basicConstraints', true, 'CA:TRUE')]);
  results[`self-signed certificate (${label})`] = await timeit(ca);
  const caCert = ca();
  const leafKey = osslKey(kind);
  const req = new X509Req();
  req.getSubject().CN = 'leaf.bench';
  req.setPubkey(leafKey);
  req.sign(leafKey, 'sha256');
  const fromCsr = (issuerCert, issuerKey) =>
    osslCert(req.getSubject(), issuerCert.getSubject(), req.getPubkey(), issuerKey, 2, () => [
      new X509Extension('subjectAltName', false, 'DNS:leaf.bench, DNS:www.leaf.bench'),
    ]);
  results[`leaf from CSR with SANs (${label})`] = await timeit(() => fromCsr(caCert, caKey));
  const interKey = osslKey(kind);
  const inter = osslCert(osslName('Bench Inter'), caCert.getSubject(), interKey, caKey, 3, () => [new X509Extension('basicConstraints', true, 'CA:TRUE')]);
  const leaf = fromCsr(inter, interKey);
  const store = new X509Store();
  store.addCert(caCert);
  results[`chain verification (${label})`] = await timeit(() => new X509StoreContext(store, leaf, [inter]).verifyCertificate());
  const pem = dumpCertificate(FILETYPE_PEM, leaf);
  const der = dumpCertificate(FILETYPE_ASN1, leaf);
  results[`PEM parse + subject CN (${label})`] = await timeit(() => loadCertificate(FILETYPE_PEM, pem).getSubject().CN);
  results[`DER parse + subject CN (${label})`] = await timeit(() => loadCertificate(FILETYPE_ASN1, der).getSubject().CN);
  leafDer[label] = der;
  const p12 = new PKCS12();
  p12.setPrivatekey(leafKey);
  p12.setCertificate(leaf);
  p12.setCaCertificates([caCert]);
  p12.setFriendlyname('bench');
  results[`PKCS#12 export (${label})`] = await timeit(() => p12.export({ passphrase: 'secret' }));
  const p12der = p12.export({ passphrase: 'secret' });
  results[`PKCS#12 parse (${label})`] = await timeit(() => loadPkcs12(p12der, 'secret'));
}

// ---- node-forge (RSA only: it has no P-256) ------------------------------------------------------
function forgeCert(publicKey, subject, issuer, signKey, serial, exts) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial;
  cert.validity.notBefore = new Date();
  cert.validity.notAfter = new Date(Date.now() + 86400e3);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  cert.setExtensions(exts);
  cert.sign(signKey, forge.md.sha256.create());
  return cert;
}

async function benchForge(results) {
  results['RSA-2048 key generation'] = await timeit(() => forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 }), 1);
  const caKeys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const caName = [{ name: 'commonName', value: 'Bench CA' }];
  const ca = () => forgeCert(caKeys.publicKey, caName, caName, caKeys.privateKey, '01', [{ name: 'basicConstraints', cA: true, critical: true }]);
  results['self-signed certificate (RSA-2048)'] = await timeit(ca);
  const caCert = ca();
  const leafKeys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = leafKeys.publicKey;
  csr.setSubject([{ name: 'commonName', value: 'leaf.bench' }]);
  csr.sign(leafKeys.privateKey, forge.md.sha256.create());
  const san = { name: 'subjectAltName', altNames: [{ type: 2, value: 'leaf.bench' }, { type: 2, value: 'www.leaf.bench' }] };
  const fromCsr = (issuer, key) => forgeCert(csr.publicKey, csr.subject.attributes, issuer.subject.attributes, key, '02', [san]);
  results['leaf from CSR with SANs (RSA-2048)'] = await timeit(() => fromCsr(caCert, caKeys.privateKey));
  const interKeys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const inter = forgeCert(interKeys.publicKey, [{ name: 'commonName', value: 'Bench Inter' }], caCert.subject.attributes, caKeys.privateKey, '03', [
    { name: 'basicConstraints', cA: true, critical: true },
  ]);
  const leaf = fromCsr(inter, interKeys.privateKey);
  const caStore = forge.pki.createCaStore([caCert]);
  results['chain verification (RSA-2048)'] = await timeit(() => forge.pki.verifyCertificateChain(caStore, [leaf, inter]));
  const pem = forge.pki.certificateToPem(leaf);
  results['PEM parse + subject CN (RSA-2048)'] = await timeit(() => forge.pki.certificateFromPem(pem).subject.getField('CN').value);
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(leaf)).getBytes();
  results['DER parse + subject CN (RSA-2048)'] = await timeit(() => forge.pki.certificateFromAsn1(forge.asn1.fromDer(der)).subject.getField('CN').value);
  const toP12 = () => forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(leafKeys.privateKey, [leaf, caCert], 'secret', { algorithm: 'aes256', friendlyName: 'bench' })).getBytes();
  results['PKCS#12 export (RSA-2048)'] = await timeit(toP12, 1);
  const p12der = toP12();
  results['PKCS#12 parse (RSA-2048)'] = await timeit(() => forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12der), 'secret'), 1);
}

// ---- node:crypto (keys and certificate parsing: it builds no certificates) -----------------------
async function benchNodeCrypto(results) {
  results['RSA-2048 key generation'] = await timeit(() => generateKeyPairSync('rsa', { modulusLength: 2048 }));
  results['P-256 key generation'] = await timeit(() => generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  for (const kind of ['ec', 'rsa']) {
    const label = kind === 'rsa' ? 'RSA-2048' : 'P-256';
    const key = osslKey(kind);
    const name = osslName('leaf.bench');
    const cert = osslCert(name, name, key, key, 5, () => []);
    const pem = dumpCertificate(FILETYPE_PEM, cert);
    const der = dumpCertificate(FILETYPE_ASN1, cert);
    results[`PEM parse + subject CN (${label})`] = await timeit(() => new X509Certificate(pem).subject);
    results[`DER parse + subject CN (${label})`] = await timeit(() => new X509Certificate(der).subject);
  }
}

// ---- @peculiar/x509 (WebCrypto keys; no PKCS#12) ------------------------------------------------
async function benchPeculiar(kind, results) {
  const label = kind === 'rsa' ? 'RSA-2048' : 'P-256';
  const alg = kind === 'rsa'
    ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 }
    : { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const gen = () => webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const caKeys = await gen();
  const now = new Date();
  const later = new Date(Date.now() + 86400e3);
  const ca = () =>
    x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01', name: 'CN=Bench CA', notBefore: now, notAfter: later, signingAlgorithm: alg, keys: caKeys,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
    });
  results[`self-signed certificate (${label})`] = await timeit(ca);
  const caCert = await ca();
  const leafKeys = await gen();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=leaf.bench', keys: leafKeys, signingAlgorithm: alg });
  const fromCsr = (issuer, key) =>
    x509.X509CertificateGenerator.create({
      serialNumber: '02', subject: csr.subject, issuer: issuer.subject, notBefore: now, notAfter: later, signingAlgorithm: alg,
      publicKey: csr.publicKey, signingKey: key,
      extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'leaf.bench' }, { type: 'dns', value: 'www.leaf.bench' }])],
    });
  results[`leaf from CSR with SANs (${label})`] = await timeit(() => fromCsr(caCert, caKeys.privateKey));
  const interKeys = await gen();
  const inter = await x509.X509CertificateGenerator.create({
    serialNumber: '03', subject: 'CN=Bench Inter', issuer: caCert.subject, notBefore: now, notAfter: later, signingAlgorithm: alg,
    publicKey: interKeys.publicKey, signingKey: caKeys.privateKey, extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
  });
  const leaf = await fromCsr(inter, interKeys.privateKey);
  results[`chain verification (${label})`] = await timeit(async () => {
    const chain = await new x509.X509ChainBuilder({ certificates: [inter, caCert] }).build(leaf);
    if (chain.length !== 3) throw new Error('chain not built');
    for (let i = 0; i + 1 < chain.length; i++) if (!(await chain[i].verify({ publicKey: await chain[i + 1].publicKey.export(alg, ['verify']) }))) throw new Error('bad chain');
  });
  const pem = leaf.toString('pem');
  results[`PEM parse + subject CN (${label})`] = await timeit(() => new x509.X509Certificate(pem).subjectName.getField('CN')[0]);
  const der = Buffer.from(leaf.rawData);
  results[`DER parse + subject CN (${label})`] = await timeit(() => new x509.X509Certificate(der).subjectName.getField('CN')[0]);
  results[`${label === 'RSA-2048' ? 'RSA-2048' : 'P-256'} key generation`] = await timeit(gen);
}

// ---- run ----------------------------------------------------------------------------------------
const leafDer = {};
const ours = {};
ours['RSA-2048 key generation'] = await timeit(() => osslKey('rsa'));
ours['P-256 key generation'] = await timeit(() => osslKey('ec'));
await benchOssl('ec', ours);
await benchOssl('rsa', ours);
const forgeResults = {};
await benchForge(forgeResults);
const peculiar = {};
await benchPeculiar('ec', peculiar);
await benchPeculiar('rsa', peculiar);
const nodeCrypto = {};
await benchNodeCrypto(nodeCrypto);

// The native-only loop on the same leaf certificates: OpenSSL's eager d2i_X509, and the decode of
// the structure ossl validates at load (the public key left undecoded), with no JavaScript.
const scratch = mkdtempSync(join(tmpdir(), 'ossl-bench-'));
const native = {};
for (const [label, der] of Object.entries(leafDer)) {
  writeFileSync(join(scratch, 'leaf.der'), der);
  native[label] = nativeCert(join(scratch, 'leaf.der'), BUDGET);
}
rmSync(scratch, { recursive: true, force: true });

// python cryptography, Debian's and pip's. The pip one lives in a venv made on first use (not in a
// --quick run, which uses it only if it is there).
function python(executable) {
  const py = spawnSync(executable, [join(here, 'crypto_bench.py'), String(BUDGET)], { encoding: 'utf8' });
  if (py.status === 0) return JSON.parse(py.stdout);
  return { error: `${executable}: ${py.stderr.trim().split('\n').pop() || `exit ${py.status}`}` };
}
function pipPython() {
  const venv = join(root, '.cache', 'bench-venv');
  const exe = join(venv, 'bin', 'python');
  if (!existsSync(exe)) {
    if (argv.quick) return { error: 'no .cache/bench-venv yet (a run without --quick makes it)' };
    const made = spawnSync('/usr/bin/python3', ['-m', 'venv', venv], { encoding: 'utf8' });
    if (made.status !== 0) return { error: `python3 -m venv: ${made.stderr.trim().split('\n').pop()}` };
  }
  if (spawnSync(exe, ['-c', 'import cryptography'], { encoding: 'utf8' }).status !== 0) {
    if (argv.quick) return { error: 'cryptography is not installed in .cache/bench-venv' };
    const pip = spawnSync(exe, ['-m', 'pip', 'install', '--quiet', 'cryptography'], { encoding: 'utf8' });
    if (pip.status !== 0) return { error: `pip install cryptography: ${pip.stderr.trim().split('\n').pop()}` };
  }
  return python(exe);
}
const anchors = [
  ['debian', python('/usr/bin/python3')],
  ['pip', pipPython()],
];
for (const [which, r] of anchors) if (r.error) console.error(`python cryptography (${which}) not measured: ${r.error}`);
const [debian, pip] = anchors.map(([, r]) => r);
const label = (r, fallback) => (r.version ? `cryptography ${r.version.split('.').slice(0, 2).join('.')}` : fallback);

// [column name, short name for the ratio column, results]
const peers = [
  [label(debian, 'cryptography (Debian)'), 'Debian', debian.results ?? {}],
  [label(pip, 'cryptography (pip)'), 'pip', pip.results ?? {}],
  ['node:crypto', 'node', nodeCrypto],
  ['node-forge', 'forge', forgeResults],
  ['@peculiar/x509', 'peculiar', peculiar],
];
const fmt = (s) => (s === undefined ? 'n/a' : s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(1)} us`);
const ratio = (a, b) => (a === undefined || b === undefined ? 'n/a' : `${(b / a).toFixed(2)}x`);
const rows = Object.keys(ours).map((op) => [op, fmt(ours[op]), ...peers.map(([, , r]) => fmt(r[op])), ...peers.map(([, , r]) => ratio(ours[op], r[op]))]);
const head = ['operation', 'ossl', ...peers.map(([name]) => name), ...peers.map(([, short]) => `vs ${short}`)];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`ossl crypto benchmark — ${ossl.opensslVersion()}, Node ${process.version}, ${BUDGET}s per measurement, ${new Date().toISOString().slice(0, 10)}`);
for (const [which, r] of anchors) if (r.version) console.log(`python cryptography ${r.version} (${which === 'debian' ? "Debian's python3-cryptography" : 'pip, in .cache/bench-venv'}) on ${r.openssl}`);
console.log('Time per operation (lower is better); "vs X" is how many times faster ossl is than X.\n');
console.log(line(head));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
console.log('\nnode-forge has no P-256 (RSA rows only); @peculiar/x509 has no PKCS#12; node:crypto builds no certificates. The');
console.log('openssl CLI has no figure for these operations (`openssl speed` times raw sign/verify, and one CLI process per');
console.log('certificate would time process start-up). node:crypto reads `.subject` (its whole subject as text) for the CN rows.');
console.log('\nThe native-only loop (bench/src/native_loop.c, C on the system OpenSSL) on the same leaf certificates, per second:');
console.log('| certificate | d2i_X509 | lazy structure decode | ossl DER parse + subject CN | ossl / lazy structure |');
console.log('|---|---|---|---|---|');
for (const [label, r] of Object.entries(native)) {
  if (r.error) {
    console.log(`| ${label} | not measured: ${r.error} | | | |`);
    continue;
  }
  const osslRate = 1 / ours[`DER parse + subject CN (${label})`];
  console.log(`| ${label} | ${r.d2i_X509.toFixed(0)} | ${r['lazy structure'].toFixed(0)} | ${osslRate.toFixed(0)} | ${(osslRate / r['lazy structure']).toFixed(2)}x |`);
}
if (argv.json) {
  const lines = Object.keys(ours).map((op) =>
    JSON.stringify({ bench: 'crypto', op, ossl: ours[op], ...Object.fromEntries(peers.map(([name, , r]) => [name, r[op] ?? null])) }),
  );
  for (const [label, r] of Object.entries(native)) lines.push(JSON.stringify({ bench: 'crypto', op: `native-only loop (${label})`, ...r }));
  writeFileSync(argv.json, `${lines.join('\n')}\n`, { flag: 'a' });
}
