import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { isNativeOpenSSLError, native, OPENSSL_VERSION_NUMBER, opensslVersion, SSLEAY_VERSION } from '../dist/index.js';

const require = createRequire(import.meta.url);

describe('addon loading', () => {
  it('uses the OpenSSL inside the running node binary', () => {
    expect(opensslVersion()).toContain(process.versions.openssl.replace(/\+.*$/, ''));
    expect(OPENSSL_VERSION_NUMBER).toBeGreaterThanOrEqual(0x30000000);
    expect(native.opensslVersion(SSLEAY_VERSION)).toBe(opensslVersion());
  });

  it('loads the prebuild that the package ships, which links no libssl or libcrypto of its own', () => {
    // The binary mapped into this process: the workspace build makes the same file that packs ship.
    const mapped = readFileSync('/proc/self/maps', 'utf8')
      .split('\n')
      .map((line) => line.split(/\s+/).slice(5).join(' '))
      .filter((file) => /ossl[^/]*\.node$/.test(file));
    const addon = join(__dirname, '..', 'prebuilds', `${process.platform}-${process.arch}`, '@ossl+native.node');
    expect([...new Set(mapped)]).toEqual([addon]);
    const ldd = execFileSync('ldd', [addon], { encoding: 'utf8' });
    expect(ldd).not.toMatch(/libssl|libcrypto/);
    // ...and really needs OpenSSL symbols, which node exports.
    const nm = execFileSync('nm', ['-D', '--undefined-only', addon], { encoding: 'utf8' });
    expect(nm).toMatch(/\bSSL_new\b/);
    expect(nm).toMatch(/\bX509_sign\b/);
  });

  it('loads its ESM build where a global __dirname exists (node -e), and its CJS build', () => {
    const pkg = join(__dirname, '..');
    const esm = execFileSync(process.execPath, ['-e', "import('@ossl/native').then((m) => console.log(m.native.defaultVerifyPaths().cafileEnv))"], { cwd: pkg, encoding: 'utf8' });
    expect(esm.trim()).toBe('SSL_CERT_FILE');
    const cjs = execFileSync(process.execPath, ['-e', "console.log(require('@ossl/native').native.defaultVerifyPaths().capathEnv)"], { cwd: pkg, encoding: 'utf8' });
    expect(cjs.trim()).toBe('SSL_CERT_DIR');
  });

  it('loads in a worker thread too (context-aware addon)', async () => {
    const { Worker } = await import('node:worker_threads');
    const entry = require.resolve('../dist/index.cjs');
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       const { native } = require(${JSON.stringify(entry)});
       const k = native.generateKey(408, 'prime256v1');
       parentPort.postMessage(k.bits());`,
      { eval: true },
    );
    const [bits] = await Promise.all([new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); })]);
    await worker.terminate();
    expect(bits).toBe(256);
  });

  it('ships prebuilds, loads them with node-gyp-build and needs no node-gyp to install', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
    expect(pkg.dependencies['node-gyp-build']).toBeDefined();
    expect(pkg.dependencies['node-gyp']).toBeUndefined();
    expect(pkg.files).toContain('prebuilds');
    expect(pkg.scripts.install).toBe('node scripts/install.cjs');
    expect(pkg.scripts.prepack).toMatch(/scripts\/build\.cjs/);
    expect(pkg.gypfile).toBe(true);
  });
});

describe('errors', () => {
  it('carry the whole OpenSSL error queue', () => {
    let caught: unknown;
    try {
      native.loadCertificate(1, 'not a certificate');
    } catch (e) {
      caught = e;
    }
    expect(isNativeOpenSSLError(caught)).toBe(true);
    const e = caught as { errors: { library: string; reason: string; function: string; code: number }[]; code: string; message: string };
    expect(e.errors.length).toBeGreaterThan(0);
    expect(e.errors[0]).toMatchObject({ library: 'PEM routines', reason: 'no start line' });
    expect(typeof e.errors[0]!.code).toBe('number');
    expect(e.code).toBe('ERR_OSSL_PEM_NO_START_LINE');
    expect(e.message).toContain('no start line');
    expect(native.errorQueueEmpty()).toBe(true);
  });

  it('name the parameter in type errors', () => {
    expect(() => native.loadCertificate(1, 42 as never)).toThrow(TypeError);
    expect(() => native.loadCertificate(1, 42 as never)).toThrow('"buffer" must be a Buffer or string, got number');
    expect(() => native.generateKey('RSA' as never, 2048)).toThrow(TypeError);
  });
});

describe('type tags', () => {
  it('refuse an object of the wrong class instead of reinterpreting it', () => {
    const key = native.generateKey(408, 'prime256v1');
    const cert = new native.X509();
    expect(() => cert.setPubkey(cert as never)).toThrow(TypeError);
    expect(() => cert.setPubkey(cert as never)).toThrow('"pkey" must be a PKey, got object');
    expect(() => cert.setPubkey({} as never)).toThrow(TypeError);
    expect(() => native.dumpPrivateKey(1, cert as never)).toThrow(TypeError);
    cert.setPubkey(key);
  });

  it('refuse JavaScript-made handles', () => {
    expect(() => new (native.PKey as unknown as new () => unknown)()).toThrow(TypeError);
    expect(() => new (native.X509Extension as unknown as new () => unknown)()).toThrow(TypeError);
  });
});

describe('method receivers', () => {
  it('refuse a native method called on an object of another class', () => {
    const key = native.generateKey(408, 'prime256v1');
    const cert = new native.X509();
    const getVersion = (native.X509.prototype as unknown as { getVersion: () => number }).getVersion;
    expect(() => getVersion.call(key)).toThrow(/Illegal invocation/);
    expect(() => getVersion.call({})).toThrow(TypeError);
    expect(() => getVersion.call(5)).toThrow();
    expect(getVersion.call(cert)).toBe(0);
    const bits = (native.PKey.prototype as unknown as { bits: () => number }).bits;
    expect(() => bits.call(cert)).toThrow(TypeError);
    expect(native.errorQueueEmpty()).toBe(true);
  });
});
