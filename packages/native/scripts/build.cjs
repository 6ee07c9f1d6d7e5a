#!/usr/bin/env node
// Builds the addon with node-gyp against the headers of the Node.js that runs this script.
//
// Why: the addon must compile against the OpenSSL headers that ship with Node (include/node/openssl)
// and resolve its OpenSSL symbols from the node binary itself, so the process never holds a second
// libssl. node-gyp would otherwise try to download headers, which fails offline. When npm's
// `nodedir` is not set, we point node-gyp at the running Node's own install.
//
// Usage: node scripts/build.cjs [--if-missing]
//   --if-missing  do nothing when a built or prebuilt addon already loads (the npm `install` hook).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function addonLoads() {
  try {
    require('node-gyp-build')(root);
    return true;
  } catch {
    return false;
  }
}

function detectNodedir() {
  const fromNpm = process.env.npm_config_nodedir;
  if (fromNpm && fs.existsSync(path.join(fromNpm, 'include', 'node', 'node_api.h'))) return fromNpm;
  // process.execPath is <prefix>/bin/node; the headers live in <prefix>/include/node.
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  if (fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) return prefix;
  return null;
}

function run(args) {
  const gyp = require.resolve('node-gyp/bin/node-gyp.js');
  const result = spawnSync(process.execPath, [gyp, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`@ossl/native: node-gyp ${args[0]} failed (exit ${result.status})\n`);
    process.exit(result.status ?? 1);
  }
}

if (process.argv.includes('--if-missing') && addonLoads()) process.exit(0);

const nodedir = detectNodedir();
if (!nodedir) {
  process.stderr.write(
    '@ossl/native: cannot find the Node.js headers (include/node/node_api.h) next to ' +
      process.execPath + '; set npm_config_nodedir to a Node.js source or header tree.\n',
  );
  process.exit(1);
}
const common = [`--nodedir=${nodedir}`, `--jobs=${Math.max(1, require('node:os').availableParallelism?.() ?? 2)}`];
// Configure again whenever binding.gyp is newer than the last configure (a source file was added).
const configured = path.join(root, 'build', 'config.gypi');
const stale =
  !fs.existsSync(configured) ||
  fs.statSync(path.join(root, 'binding.gyp')).mtimeMs > fs.statSync(configured).mtimeMs;
if (stale) run(['configure', ...common]);
run(['build', ...common]);
