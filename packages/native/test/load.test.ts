// How the addon is loaded, and what a failed load says: runtimes without Node's OpenSSL (Bun, Deno,
// Electron) get one clear sentence instead of "undefined symbol", and so does any process whose
// dynamic loader refuses the addon for a missing OpenSSL symbol.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import {
  ERR_NO_BINARY,
  ERR_RUNTIME_WITHOUT_OPENSSL,
  explainLoadFailure,
  foreignRuntime,
  isMissingSymbolError,
  loadBinding,
  runtimeWithoutOpenSSLMessage,
} from '../src/ts/internal/load.js';

const SENTENCE = 'ossl needs the OpenSSL inside Node.js: this runtime';
const node20 = { node: '20.20.2', openssl: '3.0.19' };
const target = { platform: 'linux', arch: 'x64' };
const pkg = join(__dirname, '..');
const prebuild = join(pkg, 'prebuilds', `${process.platform}-${process.arch}`, '@ossl+native.node');

describe('foreignRuntime', () => {
  it('names Bun, Deno and Electron, and nothing for Node.js', () => {
    expect(foreignRuntime({ ...node20, bun: '1.1.3' })).toBe('Bun 1.1.3');
    expect(foreignRuntime({ ...node20, deno: '2.0.0' })).toBe('Deno 2.0.0');
    expect(foreignRuntime({ ...node20, electron: '31.0.0' })).toBe('Electron 31.0.0');
    expect(foreignRuntime(node20)).toBeNull();
    expect(foreignRuntime(process.versions)).toBeNull();
  });
});

describe('isMissingSymbolError', () => {
  it("recognises the dynamic loaders' missing-symbol messages and nothing else", () => {
    expect(isMissingSymbolError(new Error('/x/ossl.node: undefined symbol: X509_free'))).toBe(true);
    expect(isMissingSymbolError(new Error('Error relocating /x/ossl.node: X509_free: symbol not found'))).toBe(true);
    expect(isMissingSymbolError(new Error("dlopen(/x/ossl.node, 0x0001): Symbol not found: _X509_free"))).toBe(true);
    expect(isMissingSymbolError(new Error('The specified procedure could not be found.\\\\?\\C:\\x\\ossl.node'))).toBe(true);
    expect(isMissingSymbolError(new Error('/x/ossl.node: cannot open shared object file: No such file or directory'))).toBe(false);
    expect(isMissingSymbolError('not an error')).toBe(false);
  });
});

describe('explainLoadFailure', () => {
  it('begins with the runtime sentence when a dlopen error names an undefined symbol', () => {
    const dlopen = new Error('/app/node_modules/@ossl/native/prebuilds/linux-x64/@ossl+native.node: undefined symbol: X509_free');
    const e = explainLoadFailure(dlopen, node20, target) as Error & { code: string };
    expect(e.message.startsWith(`${SENTENCE} (Node.js 20.20.2) does not export its symbols (Bun, Deno and Electron's BoringSSL lack them).`)).toBe(true);
    expect(e.message).toContain('undefined symbol: X509_free');
    expect(e.code).toBe(ERR_RUNTIME_WITHOUT_OPENSSL);
    expect(e.cause).toBe(dlopen);
  });

  it('says how to get a binary when node-gyp-build found none', () => {
    const none = new Error('No native build was found for platform=linux arch=arm64 runtime=node abi=115\n    loaded from: /app\n');
    const e = explainLoadFailure(none, node20, { platform: 'linux', arch: 'arm64' }) as Error & { code: string };
    expect(e.message).toMatch(/^@ossl\/native: no prebuilt binary for linux-arm64 and none was compiled at install\./);
    expect(e.message).toContain('npm rebuild @ossl/native');
    expect(e.message).toContain('No native build was found');
    expect(e.code).toBe(ERR_NO_BINARY);
  });

  it('passes any other error through as it is', () => {
    const other = new Error('/x/ossl.node: invalid ELF header');
    expect(explainLoadFailure(other, node20, target)).toBe(other);
  });
});

describe('loadBinding', () => {
  it('refuses Bun, Deno and Electron before it opens the addon', () => {
    for (const [versions, name] of [
      [{ ...node20, bun: '1.1.3' }, 'Bun 1.1.3'],
      [{ node: '22.6.0', deno: '2.0.0' }, 'Deno 2.0.0'],
      [{ ...node20, electron: '31.0.0' }, 'Electron 31.0.0'],
    ] as const) {
      let opened = false;
      const load = () => {
        opened = true;
        return {};
      };
      expect(() => loadBinding('/pkg', load, versions, target)).toThrow(runtimeWithoutOpenSSLMessage(name));
      expect(opened).toBe(false);
    }
  });

  it('explains a fake dlopen failure for a missing symbol', () => {
    const load = () => {
      throw new Error('/pkg/build/Release/ossl.node: undefined symbol: SSL_CTX_new');
    };
    expect(() => loadBinding('/pkg', load, node20, target)).toThrow(/^ossl needs the OpenSSL inside Node\.js: this runtime \(Node\.js 20\.20\.2\)/);
  });

  it('returns what the loader returns under Node.js', () => {
    const binding = { ok: true };
    expect(loadBinding('/pkg', (dir) => (dir === '/pkg' ? binding : null), process.versions, target)).toBe(binding);
  });
});

describe('a real load of an addon whose OpenSSL symbol the process lacks', () => {
  // A copy of the package whose prebuild asks for X509_fref instead of X509_free: renaming one
  // undefined symbol in the dynamic string table makes the dynamic loader refuse the file exactly
  // as it refuses the real one where the runtime exports no OpenSSL (no compiler needed).
  const dir = mkdtempSync(join(tmpdir(), 'ossl-native-load-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const copy = join(dir, 'native');
  mkdirSync(join(copy, 'prebuilds', `${process.platform}-${process.arch}`), { recursive: true });
  cpSync(join(pkg, 'dist'), join(copy, 'dist'), { recursive: true });
  cpSync(join(pkg, 'package.json'), join(copy, 'package.json'));
  symlinkSync(join(pkg, 'node_modules'), join(copy, 'node_modules'));
  const bytes = readFileSync(prebuild);
  const at = bytes.indexOf(Buffer.from('\0X509_free\0', 'latin1'));
  bytes.write('X509_fref', at + 1, 'latin1');
  writeFileSync(join(copy, 'prebuilds', `${process.platform}-${process.arch}`, '@ossl+native.node'), bytes);

  function run(args: string[]): { status: number | null; stderr: string } {
    const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
    return { status: r.status, stderr: r.stderr };
  }

  it('the patched file really names a missing symbol', () => {
    expect(at).toBeGreaterThan(0);
    expect(() => process.dlopen({ exports: {} }, join(copy, 'prebuilds', `${process.platform}-${process.arch}`, '@ossl+native.node'))).toThrow(
      /undefined symbol: X509_fref/,
    );
  });

  it('fails the CJS and the ESM import with the runtime sentence first', () => {
    const cjs = run(['-e', `require(${JSON.stringify(join(copy, 'dist', 'index.cjs'))})`]);
    expect(cjs.status).not.toBe(0);
    expect(cjs.stderr).toContain(`Error: ${SENTENCE} (Node.js ${process.versions.node}) does not export its symbols`);
    expect(cjs.stderr).toContain('undefined symbol: X509_fref');
    // `node -e` defines a global __dirname; the ESM build must still find its own package.
    const esm = run(['--input-type=module', '-e', `import ${JSON.stringify(join(copy, 'dist', 'index.js'))}`]);
    expect(esm.status).not.toBe(0);
    expect(esm.stderr).toContain(`Error: ${SENTENCE} (Node.js ${process.versions.node}) does not export its symbols`);
  });

  it('refuses a runtime that reports itself as Bun before opening the file', () => {
    // Bun sets process.versions.bun; a preload plays that part here.
    writeFileSync(join(dir, 'as-bun.cjs'), "process.versions.bun = '1.1.3';\n");
    const r = run(['--require', './as-bun.cjs', '-e', `require(${JSON.stringify(join(copy, 'dist', 'index.cjs'))})`]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`Error: ${SENTENCE} (Bun 1.1.3) does not export its symbols (Bun, Deno and Electron's BoringSSL lack them).`);
    expect(r.stderr).not.toContain('X509_fref');
  });

  it('loads the unpatched package in the same way (the control)', () => {
    const out = execFileSync(process.execPath, ['-e', `console.log(require(${JSON.stringify(join(pkg, 'dist', 'index.cjs'))}).native.generateKey(408, 'prime256v1').bits())`], {
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('256');
  });
});
