// The install hook (scripts/install.cjs) run in a copy of the package laid out as npm installs it:
// it does nothing where the prebuild loads, and where none matches and nothing can compile it says
// in one line what to install. The packed-tarball version of these checks is in test/pack.test.ts.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const pkg = join(__dirname, '..');
const tuple = `${process.platform}-${process.arch}`;
const work = mkdtempSync(join(tmpdir(), 'ossl-native-install-'));
const logs: string[] = [];
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  for (const log of logs) rmSync(log, { force: true });
});

/** npm's own node-gyp, next to the npm on PATH (what npm passes install scripts), if there is one. */
function npmNodeGyp(): string | undefined {
  if (process.env.npm_config_node_gyp) return process.env.npm_config_node_gyp;
  for (const dir of (process.env.PATH ?? '').split(':')) {
    try {
      const cli = realpathSync(join(dir, 'npm'));
      const gyp = join(dirname(cli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
      if (existsSync(gyp)) return gyp;
    } catch {
      // no npm here
    }
  }
  return undefined;
}

/** A copy of what the package ships (no tsup.config.ts: not a source checkout), with or without prebuilds. */
function installedCopy(name: string, withPrebuild: boolean): string {
  const dir = join(work, name, 'node_modules', '@ossl', 'native');
  mkdirSync(dir, { recursive: true });
  for (const entry of ['package.json', 'binding.gyp', 'scripts', 'src', 'dist']) cpSync(join(pkg, entry), join(dir, entry), { recursive: true });
  if (withPrebuild) cpSync(join(pkg, 'prebuilds'), join(dir, 'prebuilds'), { recursive: true });
  symlinkSync(join(pkg, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

/** A bin folder holding only node: no python3, make or C++ compiler on PATH. */
function nodeOnlyPath(): string {
  const bin = join(work, 'node-only-bin');
  if (!existsSync(bin)) {
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
  }
  return bin;
}

function install(dir: string, env: NodeJS.ProcessEnv = {}) {
  const clean = { ...process.env };
  for (const k of ['CXX', 'CC', 'MAKE', 'PYTHON', 'npm_config_python', 'npm_config_build_from_source', 'npm_config_arch', 'npm_config_platform']) delete clean[k];
  const r = spawnSync(process.execPath, [join(dir, 'scripts', 'install.cjs')], { cwd: dir, encoding: 'utf8', env: { ...clean, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scripts/install.cjs', () => {
  it('does nothing, silently, where the shipped prebuild loads (even with no compiler on PATH)', () => {
    const dir = installedCopy('with-prebuild', true);
    const r = install(dir, { PATH: nodeOnlyPath() });
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(existsSync(join(dir, 'build'))).toBe(false);
  });

  it('does nothing in the source checkout, where `build` makes the prebuild', () => {
    const r = spawnSync(process.execPath, [join(pkg, 'scripts', 'install.cjs')], { cwd: pkg, encoding: 'utf8', env: { ...process.env, PATH: nodeOnlyPath() } });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('prints one line saying what to install when no prebuild matches and no compiler exists', () => {
    const dir = installedCopy('no-prebuild', false);
    const r = install(dir, { PATH: nodeOnlyPath() });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^@ossl/native: no prebuilt binary for ${tuple}( \\(musl\\))? and compiling failed \\(python3, make, a C\\+\\+ compiler not found\\): install python3, make and a C\\+\\+ compiler \\(.*\\) and reinstall$`),
    );
    expect(lines[0]).toMatch(/apt-get install python3 make g\+\+|apk add python3 make g\+\+|dnf install/);
  });

  it('names the platform npm asks for, as node-gyp-build does (npm_config_arch)', () => {
    const dir = installedCopy('other-arch', true);
    const r = install(dir, { PATH: nodeOnlyPath(), npm_config_arch: 'arm64' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^@ossl/native: no prebuilt binary for ${process.platform}-arm64( \\(musl\\))? and compiling failed`));
  });

  it('keeps the compiler output in a log file the line names, printed only below that line', () => {
    // Tools that exist but fail, as a broken toolchain would: node-gyp runs, make fails.
    const stubs = join(work, 'stub-bin');
    mkdirSync(stubs, { recursive: true });
    const fail = join(stubs, 'fail.sh');
    cpSync(join(pkg, 'test', 'support', 'fail.sh'), fail);
    for (const tool of ['g++', 'c++', 'cc', 'gcc', 'make']) symlinkSync(fail, join(stubs, tool));
    // The node-gyp npm hands install scripts (npm_config_node_gyp), as an npm install would; without
    // one the script fetches node-gyp with npx.
    const dir = installedCopy('broken-toolchain', false);
    const r = install(dir, { PATH: `${stubs}:${process.env.PATH}`, npm_config_node_gyp: npmNodeGyp() });
    for (const m of r.stderr.matchAll(/compiler output: (\S+\.log)/g)) logs.push(m[1]!);
    expect(r.status).toBe(1);
    const [first, ...rest] = r.stderr.trimEnd().split('\n');
    expect(first).toMatch(new RegExp(`^@ossl/native: no prebuilt binary for ${tuple}( \\(musl\\))? and compiling failed: install python3, make and a C\\+\\+ compiler \\(.*\\) and reinstall; compiler output: (/\\S+\\.log)$`));
    const log = /compiler output: (\S+\.log)$/.exec(first!)![1]!;
    expect(existsSync(log)).toBe(true);
    // The gyp output is below the line, indented, never above it.
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.every((l) => l.startsWith('    '))).toBe(true);
  }, 120_000);
});
