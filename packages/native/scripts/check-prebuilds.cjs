#!/usr/bin/env node
// Checks prebuilds for the release workflow (and by hand).
//
// Usage:
//   node scripts/check-prebuilds.cjs --load
//     Loads the binary this package would load here (node-gyp-build), requires it to be a prebuild
//     (not a build/ left by a compile), makes an EC key with it, and on Linux checks with ldd that
//     it links no libssl or libcrypto of its own.
//   node scripts/check-prebuilds.cjs linux-x64 linux-x64:musl linux-arm64 darwin-arm64 win32-x64 ...
//     Requires prebuilds/<platform>-<arch>/ to hold a binary of that platform's format for each
//     (`:musl` means the `@ossl+native.musl.node` that --tag-libc makes on Alpine).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const lib = require('./lib.cjs');

function die(message) {
  process.stderr.write(`check-prebuilds: ${message}\n`);
  process.exit(1);
}

const args = process.argv.slice(2);
if (args.length === 0) die('give --load or a list of <platform>-<arch>[:musl]');

if (args.includes('--load')) {
  const loaded = lib.tryLoad();
  if (!loaded.ok) die(`the addon does not load: ${loaded.error && loaded.error.message}`);
  const rel = path.relative(lib.root, loaded.file);
  if (!rel.startsWith(`prebuilds${path.sep}`)) die(`loaded ${rel}, not a prebuild`);
  const binding = require(loaded.file);
  const bits = binding.generateKey(408 /* EVP_PKEY_EC */, 'prime256v1').bits();
  if (bits !== 256) die(`an EC key made with ${rel} has ${bits} bits`);
  if (os.platform() === 'linux') {
    const ldd = execFileSync('ldd', [loaded.file], { encoding: 'utf8' });
    if (/libssl|libcrypto/.test(ldd)) die(`${rel} links its own OpenSSL:\n${ldd}`);
  }
  process.stdout.write(`${rel} loads on Node ${process.version} (${binding.opensslVersion()}) and made a P-256 key\n`);
}

// The first bytes of a shared object on each platform.
const MAGIC = {
  linux: (b) => b.readUInt32BE(0) === 0x7f454c46, // ELF
  darwin: (b) => [0xcffaedfe, 0xcefaedfe].includes(b.readUInt32BE(0)), // Mach-O 64/32, little-endian
  win32: (b) => b.readUInt16BE(0) === 0x4d5a, // MZ (PE)
};

for (const want of args.filter((a) => !a.startsWith('--'))) {
  const [tuple, libc] = want.split(':');
  const platform = tuple.split('-')[0];
  const file = path.join(lib.root, 'prebuilds', tuple, libc ? `@ossl+native.${libc}.node` : '@ossl+native.node');
  if (!fs.existsSync(file)) die(`missing ${path.relative(lib.root, file)}`);
  const head = Buffer.alloc(4);
  const fd = fs.openSync(file, 'r');
  fs.readSync(fd, head, 0, 4, 0);
  fs.closeSync(fd);
  if (!MAGIC[platform] || !MAGIC[platform](head)) die(`${path.relative(lib.root, file)} is not a ${platform} binary`);
  process.stdout.write(`ok ${path.relative(lib.root, file)} (${fs.statSync(file).size} bytes)\n`);
}
