#!/usr/bin/env node
// Builds the prebuilt addon that the package ships: prebuilds/<platform>-<arch>/@ossl+native.node,
// made by prebuildify (Node-API, stripped) and loaded by node-gyp-build. The workspace build, the
// tests and `pnpm pack` all use this one binary.
//
// Why against Node's own headers: the addon must compile against the OpenSSL headers that ship with
// Node (include/node/openssl) and resolve its OpenSSL symbols from the node binary itself, so the
// process never holds a second libssl. node-gyp would otherwise download headers, which fails
// offline; we point it at the running Node's install instead (npm's `nodedir` wins when set).
// Build on the oldest Node that `engines` allows (20): a Node-API addon built against Node 20's
// OpenSSL 3.0 headers uses only symbols that the OpenSSL 3.x of later Node versions also export.
//
// Usage: node scripts/build.cjs [--force] [--tag-libc]
//   --force      rebuild even when the prebuild is up to date with the sources and this Node.
//   --tag-libc   tag the file with the C library (`@ossl+native.musl.node` on Alpine), for CI.
// Environment:
//   OSSL_NATIVE_USE_PREBUILDS=1  compile nothing: check that prebuilds/ has this platform's binary
//                                (release jobs set it after collecting every platform's prebuilds,
//                                so `pnpm publish`'s prepack does not replace them).
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const lib = require('./lib.cjs');

const force = process.argv.includes('--force');
const tagLibc = process.argv.includes('--tag-libc');
const root = lib.root;
const outDir = path.join(root, 'prebuilds', lib.platformTuple());
const stampFile = path.join(root, 'build', 'prebuild-stamp.json');

function die(message) {
  process.stderr.write(`@ossl/native: ${message}\n`);
  process.exit(1);
}

function prebuildFiles() {
  try {
    return fs.readdirSync(outDir).filter((f) => f.endsWith('.node'));
  } catch {
    return [];
  }
}

if (process.env.OSSL_NATIVE_USE_PREBUILDS === '1') {
  if (prebuildFiles().length === 0) die(`OSSL_NATIVE_USE_PREBUILDS=1 but ${path.relative(root, outDir)} holds no .node file`);
  process.stdout.write(`@ossl/native: using the collected prebuilds (${prebuildFiles().join(', ')})\n`);
  process.exit(0);
}

const nodedir = lib.detectNodedir();
if (!nodedir && os.platform() !== 'win32') {
  die(
    `cannot find the Node.js headers (include/node/node_api.h) next to ${process.execPath}; ` +
      'set npm_config_nodedir to a Node.js install or header tree.',
  );
}
// Windows: Node's installer carries no headers nor node.lib, so node-gyp downloads both for
// exactly this Node version (its OpenSSL headers are the ones inside this node.exe).

/** Everything the binary depends on: a change to any of it rebuilds. */
function inputsHash() {
  const h = crypto.createHash('sha256');
  const add = (label, value) => h.update(`${label}\0${value}\0`);
  add('node', process.version);
  add('nodedir', nodedir ?? '(downloaded)');
  add('platform', `${lib.platformTuple()} ${tagLibc ? 'tag-libc' : ''}`);
  add('node-addon-api', require('node-addon-api/package.json').version);
  const files = [path.join(root, 'binding.gyp'), __filename, path.join(__dirname, 'lib.cjs')];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      // src/ts is the JavaScript loader, built by tsup, not part of the binary.
      if (entry.isDirectory()) {
        if (full !== path.join(root, 'src', 'ts')) walk(full);
      } else files.push(full);
    }
  };
  walk(path.join(root, 'src'));
  for (const f of files) add(path.relative(root, f), fs.readFileSync(f).toString('base64'));
  return h.digest('hex');
}

function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

const hash = inputsHash();
const files = prebuildFiles();
if (!force && files.length > 0) {
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    const current = files.includes(stamp.file) && sha256(path.join(outDir, stamp.file)) === stamp.sha256;
    if (current && stamp.hash === hash) {
      // A build/Release/*.node left by a plain node-gyp compile would shadow the prebuild at load
      // time (node-gyp-build looks there first); the sources have not changed since the prebuild.
      const release = path.join(root, 'build', 'Release');
      for (const f of fs.existsSync(release) ? fs.readdirSync(release) : []) {
        if (f.endsWith('.node')) fs.rmSync(path.join(release, f));
      }
      process.stdout.write(`@ossl/native: prebuilds/${lib.platformTuple()}/${stamp.file} is up to date\n`);
      process.exit(0);
    }
  } catch {
    // no stamp or a stale one: rebuild
  }
}

const nodeGyp = lib.findNodeGyp((line) => process.stderr.write(`${line}\n`));
if (!nodeGyp) die('node-gyp was not found (run this through npm or pnpm, or install node-gyp)');

// prebuildify runs its node-gyp as one command; a small wrapper runs node-gyp.js with this Node.
const wrapDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossl-native-gyp-'));
let wrapper;
if (os.platform() === 'win32') {
  wrapper = path.join(wrapDir, 'node-gyp.cmd');
  fs.writeFileSync(wrapper, `@"${process.execPath}" "${nodeGyp}" %*\r\n`);
} else {
  wrapper = path.join(wrapDir, 'node-gyp');
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec '${process.execPath}' '${nodeGyp}' "$@"\n`, { mode: 0o755 });
}

// node-gyp reads npm_config_* from the environment that prebuildify passes on to it.
process.env.npm_config_jobs = String(Math.max(1, os.availableParallelism?.() ?? 2));
if (nodedir) process.env.npm_config_nodedir = nodedir;
// prebuildify names the file after the package, plus the C library when tagged; being a Node-API
// build, it carries no ABI tag, so node-gyp-build takes it for every Node version.
const libc = os.platform() === 'linux' && fs.existsSync('/etc/alpine-release') ? 'musl' : 'glibc';
const expected = `@ossl+native${tagLibc ? `.${libc}` : ''}.node`;
require('prebuildify')(
  {
    cwd: root,
    napi: true,
    strip: true,
    tagLibc,
    // This Node's version: with a nodedir, node-gyp takes the headers from there and downloads nothing.
    targets: [process.versions.node],
    nodeGyp: wrapper,
  },
  (err) => {
    fs.rmSync(wrapDir, { recursive: true, force: true });
    if (err) die(`prebuildify failed: ${err.message}`);
    if (!fs.existsSync(path.join(outDir, expected))) die(`prebuildify left no ${expected} in ${path.relative(root, outDir)}`);
    fs.mkdirSync(path.dirname(stampFile), { recursive: true });
    const stamp = { file: expected, sha256: sha256(path.join(outDir, expected)), hash, node: process.version, nodedir };
    fs.writeFileSync(stampFile, JSON.stringify(stamp, null, 2) + '\n');
    process.stdout.write(`@ossl/native: built prebuilds/${lib.platformTuple()}/${expected}\n`);
  },
);
