// Users install only the layers they need: @ossl/native and @ossl/crypto, packed as they would be
// published, installed into an empty folder outside the repository on a machine with no compiler,
// make a key and a self-signed certificate that the openssl CLI reads. The packed @ossl/native
// carries a prebuilt Node-API binary, so neither npm --ignore-scripts nor pnpm (which runs no build
// scripts unless allowed) compiles anything; where no prebuild matches, the install script says in
// one line what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'ossl-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const tuple = `${process.platform}-${process.arch}`;
const tarballs = join(work, 'tarballs');
let nativeTgz = '';
let cryptoTgz = '';

function pnpmCommand(): [string, string[]] {
  // The pnpm that runs this test suite (npm_execpath), else the pinned one through npx.
  const execpath = process.env.npm_execpath;
  if (execpath && /pnpm/.test(execpath)) return [process.execPath, [execpath]];
  return ['npx', ['--yes', 'pnpm@10.34.9']];
}

function pnpm(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const [cmd, pre] = pnpmCommand();
  return execFileSync(cmd, [...pre, ...args], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// Every compile attempt fails: stub compilers and make that exit 1, in front of PATH. npm, npx and
// node stay reachable (the rest of PATH), python3 too, as on a machine that has only those.
const stubs = join(work, 'no-compiler-bin');
const noCompiler: NodeJS.ProcessEnv = { ...process.env, PATH: `${stubs}:${process.env.PATH}` };
for (const k of ['CC', 'CXX', 'MAKE', 'npm_config_build_from_source', 'npm_config_arch', 'npm_config_platform']) delete noCompiler[k];

function makeApp(name: string, pkg: object): string {
  const app = join(work, name);
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name, private: true, type: 'module', ...pkg }, null, 2));
  return app;
}

/** Makes a key and a self-signed certificate in `app`; returns the PEM and the .node files mapped. */
function makeCertificate(app: string): { pem: string; loaded: string[] } {
  writeFileSync(
    join(app, 'make-cert.mjs'),
    `import { readFileSync, writeFileSync } from 'node:fs';
     import { PKey, TYPE_EC, X509, dumpCertificate, FILETYPE_PEM } from '@ossl/crypto';
     const key = PKey.generate(TYPE_EC, 'prime256v1');
     const cert = new X509();
     cert.setVersion(2);
     cert.setSerialNumber(7n);
     cert.getSubject().CN = 'installed.from.tarball';
     cert.setIssuer(cert.getSubject());
     cert.gmtimeAdjNotBefore(0);
     cert.gmtimeAdjNotAfter(3600);
     cert.setPubkey(key);
     cert.sign(key, 'sha256');
     // The native binaries this process really loaded, from the kernel's map of its memory.
     const loaded = [...new Set(readFileSync('/proc/self/maps', 'utf8').split('\\n')
       .map((l) => l.split(/\\s+/).slice(5).join(' ')).filter((f) => f.endsWith('.node')))];
     writeFileSync('loaded.json', JSON.stringify(loaded));
     process.stdout.write(dumpCertificate(FILETYPE_PEM, cert));`,
  );
  const pem = execFileSync(process.execPath, ['make-cert.mjs'], { cwd: app, encoding: 'utf8', env: noCompiler });
  const loaded = JSON.parse(execFileSync(process.execPath, ['-p', "require('fs').readFileSync('loaded.json', 'utf8')"], { cwd: app, encoding: 'utf8' })) as string[];
  return { pem, loaded };
}

function expectWorkingInstall(app: string): void {
  const installed = realpathSync(join(app, 'node_modules', '@ossl', 'native'));
  // Nothing was compiled: no build/ folder next to the shipped prebuild.
  expect(existsSync(join(installed, 'build'))).toBe(false);
  const { pem, loaded } = makeCertificate(app);
  const subject = execFileSync('openssl', ['x509', '-noout', '-subject'], { input: pem, encoding: 'utf8' });
  expect(subject.trim()).toBe('subject=CN = installed.from.tarball');
  const ossl = loaded.filter((f) => f.includes('@ossl'));
  expect(ossl).toEqual([join(installed, 'prebuilds', tuple, '@ossl+native.node')]);
  const ldd = execFileSync('ldd', [ossl[0]!], { encoding: 'utf8' });
  expect(ldd).not.toMatch(/libssl|libcrypto/);
}

beforeAll(() => {
  mkdirSync(stubs, { recursive: true });
  for (const tool of ['g++', 'c++', 'cc', 'gcc', 'clang', 'clang++', 'make']) {
    writeFileSync(join(stubs, tool), `#!/bin/sh\necho "${tool}: not on this machine (test stub)" >&2\nexit 1\n`);
    chmodSync(join(stubs, tool), 0o755);
  }
  // Packed as published: `prepack` builds dist/ and the prebuild when they are missing or stale.
  for (const pkg of ['native', 'crypto']) pnpm(['pack', '--pack-destination', tarballs], join(root, 'packages', pkg));
  const files = readdirSync(tarballs).sort();
  expect(files).toEqual([expect.stringMatching(/^ossl-crypto-.*\.tgz$/), expect.stringMatching(/^ossl-native-.*\.tgz$/)]);
  cryptoTgz = join(tarballs, files[0]!);
  nativeTgz = join(tarballs, files[1]!);
}, 600_000);

describe('the packed @ossl/native', () => {
  it('carries the prebuilt binary, not build/, and no node-gyp dependency (pnpm pack)', () => {
    const entries = execFileSync('tar', ['tzf', nativeTgz], { encoding: 'utf8' }).trim().split('\n');
    expect(entries.filter((e) => /^package\/prebuilds\/[^/]+\/[^/]+\.node$/.test(e))).toContain(`package/prebuilds/${tuple}/@ossl+native.node`);
    expect(entries.filter((e) => e.startsWith('package/build/'))).toEqual([]);
    expect(entries).toEqual(expect.arrayContaining(['package/dist/index.js', 'package/dist/index.cjs', 'package/binding.gyp', 'package/scripts/install.cjs', 'package/scripts/lib.cjs']));
    const pkg = JSON.parse(execFileSync('tar', ['xzf', nativeTgz, '-O', 'package/package.json'], { encoding: 'utf8' }));
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['node-addon-api', 'node-gyp-build']);
    expect(pkg.dependencies['node-gyp']).toBeUndefined();
  });

  it('carries the prebuilt binary when npm packs it too', () => {
    mkdirSync(join(work, 'npm-pack'), { recursive: true });
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', join(work, 'npm-pack')], {
      cwd: join(root, 'packages', 'native'),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, npm_config_loglevel: 'error' },
    });
    // prepack's build may print first; npm's report is the JSON array that starts on a line of its own.
    const start = out.search(/^\[\s*$/m);
    expect(start).toBeGreaterThanOrEqual(0);
    const [report] = JSON.parse(out.slice(start)) as [{ files: { path: string }[] }];
    const paths = report.files.map((f) => f.path);
    expect(paths).toContain(`prebuilds/${tuple}/@ossl+native.node`);
    expect(paths.filter((p) => p.startsWith('build/'))).toEqual([]);
    expect(paths).toContain('dist/index.js');
  }, 600_000);
});

describe('packed @ossl/native + @ossl/crypto installed on a machine without a compiler', () => {
  it('work with npm --ignore-scripts: the prebuild loads and makes a self-signed certificate', () => {
    const app = makeApp('npm-app', {});
    execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', nativeTgz, cryptoTgz], {
      cwd: app,
      env: noCompiler,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(readdirSync(join(app, 'node_modules', '@ossl')).sort()).toEqual(['crypto', 'native']);
    expectWorkingInstall(app);
  }, 600_000);

  it('work with pnpm, which runs no build scripts: the prebuild loads and makes a self-signed certificate', () => {
    const app = makeApp('pnpm-app', {
      dependencies: { '@ossl/crypto': `file:${cryptoTgz}`, '@ossl/native': `file:${nativeTgz}` },
      // @ossl/crypto asks for @ossl/native ^x.y.z; this tarball is that package, not the registry's.
      pnpm: { overrides: { '@ossl/native': `file:${nativeTgz}` } },
    });
    const out = pnpm(['install', '--no-frozen-lockfile', '--config.confirmModulesPurge=false'], app, noCompiler);
    // pnpm 10 skipped the install script, as it does for every dependency not allowed to build.
    expect(out).toMatch(/Ignored build scripts:[\s│]*@ossl\/native@/);
    expectWorkingInstall(app);
  }, 600_000);
});

describe('installed where no prebuild matches and there is no compiler', () => {
  it('fails the npm install with one line saying what to install, compiler output below it', () => {
    // The same tarball without its prebuilds, installed with scripts: the install script must compile.
    const unpacked = join(work, 'no-prebuilds');
    mkdirSync(unpacked, { recursive: true });
    execFileSync('tar', ['xzf', nativeTgz, '-C', unpacked]);
    rmSync(join(unpacked, 'package', 'prebuilds'), { recursive: true, force: true });
    const bare = join(work, 'ossl-native-no-prebuilds.tgz');
    execFileSync('tar', ['czf', bare, '-C', unpacked, 'package']);
    const app = makeApp('fallback-app', {});
    const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', bare, cryptoTgz], { cwd: app, env: noCompiler, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    const output = `${r.stdout}\n${r.stderr}`;
    const line = new RegExp(
      `@ossl/native: no prebuilt binary for ${tuple}( \\(musl\\))? and compiling failed: install python3, make and a C\\+\\+ compiler \\([^)]*\\) and reinstall; compiler output: \\S+\\.log`,
    );
    expect(output).toMatch(line);
    // The line comes before any of node-gyp's own output.
    const at = output.search(line);
    const gyp = output.search(/gyp (info|ERR!)/);
    expect(gyp === -1 || gyp > at).toBe(true);
    expect(output).toMatch(/g\+\+: not on this machine|make: not on this machine/);
    rmSync(/compiler output: (\S+\.log)/.exec(output)![1]!, { force: true });
  }, 600_000);
});
