#!/usr/bin/env node
// Certificate-work benchmark: @ossl/crypto against node-forge and @peculiar/x509 in this process,
// and python's `cryptography` (OpenSSL-backed, the fastest anchor) in the same run. Prints ops/s and
// ossl's ratio to each peer. Not a test: nothing here asserts a time.
//
//   node bench/src/crypto.mjs [seconds-per-measurement]
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as ossl from '@ossl/crypto';
import * as x509 from '@peculiar/x509';
import forge from 'node-forge';

const BUDGET = Number(process.argv[2] ?? 0.5);
const here = dirname(fileURLToPath(import.meta.url));
x509.cryptoProvider.set(webcrypto);

async function timeit(fn, minIters = 3) {
  await fn();
  let n = 0;
  const start = process.hrtime.bigint();
  for (;;) {
    await fn();
    n++;
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    if (elapsed >= BUDGET && n >= minIters) return elapsed / n;
  }
}

// ---- ossl ---------------------------------------------------------------------------------------
const { PKey, X509, X509Req, X509Extension, X509Store, X509StoreContext, PKCS12, loadPkcs12, loadCertificate, dumpCertificate, FILETYPE_PEM, TYPE_EC, TYPE_RSA } = ossl;

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
  results[`PEM parse (${label})`] = await timeit(() => loadCertificate(FILETYPE_PEM, pem).getSubject().CN);
  const p12 = new PKCS12();
  p12.setPrivatekey(leafKey);
  p12.setCertificate(leaf);
  p12.setCaCertificates([caCert]);
  p12.setFriendlyname('bench');
  results[`PKCS#12 export (${label})`] = await timeit(() => p12.export({ passphrase: 'secret' }));
  const der = p12.export({ passphrase: 'secret' });
  results[`PKCS#12 parse (${label})`] = await timeit(() => loadPkcs12(der, 'secret'));
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
  results['PEM parse (RSA-2048)'] = await timeit(() => forge.pki.certificateFromPem(pem).subject.getField('CN').value);
  const toP12 = () => forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(leafKeys.privateKey, [leaf, caCert], 'secret', { algorithm: 'aes256', friendlyName: 'bench' })).getBytes();
  results['PKCS#12 export (RSA-2048)'] = await timeit(toP12, 1);
  const der = toP12();
  results['PKCS#12 parse (RSA-2048)'] = await timeit(() => forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), 'secret'), 1);
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
  results[`PEM parse (${label})`] = await timeit(() => new x509.X509Certificate(pem).subjectName.getField('CN')[0]);
  results[`${label === 'RSA-2048' ? 'RSA-2048' : 'P-256'} key generation`] = await timeit(gen);
}

// ---- run ----------------------------------------------------------------------------------------
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
let python = {};
const py = spawnSync('/usr/bin/python3', [join(here, 'crypto_bench.py'), String(BUDGET)], { encoding: 'utf8' });
if (py.status === 0) python = JSON.parse(py.stdout);
else console.error(`python cryptography not measured: ${py.stderr.trim().split('\n').pop()}`);

const fmt = (s) => (s === undefined ? 'n/a' : s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(1)} us`);
const ratio = (a, b) => (a === undefined || b === undefined ? 'n/a' : `${(b / a).toFixed(1)}x`);
const rows = Object.keys(ours).map((op) => [op, fmt(ours[op]), fmt(python[op]), fmt(forgeResults[op]), fmt(peculiar[op]), ratio(ours[op], python[op]), ratio(ours[op], forgeResults[op]), ratio(ours[op], peculiar[op])]);
const head = ['operation', 'ossl', 'py cryptography', 'node-forge', '@peculiar/x509', 'vs cryptography', 'vs forge', 'vs peculiar'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`ossl crypto benchmark — ${ossl.opensslVersion()}, Node ${process.version}, ${BUDGET}s per measurement`);
console.log('Time per operation (lower is better); "vs X" is how many times faster ossl is than X.\n');
console.log(line(head));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
console.log('\nnode-forge has no P-256 (RSA rows only); @peculiar/x509 has no PKCS#12. The openssl CLI has no figure for these');
console.log('operations (`openssl speed` times raw sign/verify, and one CLI process per certificate would time process start-up).');
