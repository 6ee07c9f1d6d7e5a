// Helpers shared by the build script (prebuilds, run in the repository) and the install script
// (the compile fallback, run in an installed copy). This file ships in the package.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** `linux-x64`, `darwin-arm64`, ...: the folder under prebuilds/ that node-gyp-build looks in. */
function platformTuple() {
  // node-gyp-build honours npm's platform and arch overrides, so the scripts do too.
  const platform = process.env.npm_config_platform || os.platform();
  const arch = process.env.npm_config_arch || os.arch();
  return `${platform}-${arch}`;
}

/** `linux-x64` on glibc, `linux-x64 (musl)` on Alpine: how the messages name this platform. */
function platformLabel() {
  const musl = (process.env.npm_config_platform || os.platform()) === 'linux' && fs.existsSync('/etc/alpine-release');
  return musl ? `${platformTuple()} (musl)` : platformTuple();
}

/**
 * The Node.js install whose headers (include/node, with include/node/openssl) the addon compiles
 * against. npm's `nodedir` wins; otherwise the running Node's own prefix: process.execPath is
 * <prefix>/bin/node and the headers live in <prefix>/include/node. Null when neither has them.
 */
function detectNodedir() {
  const fromNpm = process.env.npm_config_nodedir;
  if (fromNpm && fs.existsSync(path.join(fromNpm, 'include', 'node', 'node_api.h'))) return fromNpm;
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  if (fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) return prefix;
  return null;
}

/**
 * Loads the addon the way the package does (build/Release first, then prebuilds/) and reports
 * which file loaded, or the error.
 */
function tryLoad() {
  let file = null;
  try {
    const load = require('node-gyp-build');
    file = load.path(root);
    require(file);
    return { ok: true, file, error: null };
  } catch (error) {
    return { ok: false, file, error };
  }
}

/** The runtimes whose OpenSSL symbols the addon cannot use (see src/ts/internal/load.ts). */
function foreignRuntime() {
  const v = process.versions;
  if (v.bun) return `Bun ${v.bun}`;
  if (v.deno) return `Deno ${v.deno}`;
  if (v.electron) return `Electron ${v.electron}`;
  return null;
}

/**
 * Where node-gyp is, as a path to its node-gyp.js, run with this Node. npm and pnpm both hand
 * install scripts their bundled copy in npm_config_node_gyp (npm: npm/node_modules/node-gyp,
 * pnpm 10: pnpm/dist/node_modules/node-gyp), so no install pulls node-gyp's ~100 packages. Outside
 * a package manager: a node-gyp resolvable from here, else node-gyp 11 through npx.
 */
function findNodeGyp(log = () => {}) {
  const fromPm = process.env.npm_config_node_gyp;
  if (fromPm && fs.existsSync(fromPm)) return fromPm;
  try {
    return require.resolve('node-gyp/bin/node-gyp.js', { paths: [root] });
  } catch {
    // not installed here; fall through to npx
  }
  log('@ossl/native: fetching node-gyp@11 with npx');
  // npx puts the package's .bin on PATH; the child prints where node-gyp.js sits next to it. The
  // finder is a file, not `node -e`: on Windows npx.cmd needs a shell, which would mangle the code.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ossl-native-find-gyp-'));
  const finder = path.join(dir, 'find.cjs');
  fs.writeFileSync(
    finder,
    `const p = require('path'), f = require('fs');
     for (const d of process.env.PATH.split(p.delimiter)) {
       const j = p.join(d, '..', 'node-gyp', 'bin', 'node-gyp.js');
       if (p.basename(d) === '.bin' && f.existsSync(j)) { console.log(j); process.exit(0); }
     }
     process.exit(1);\n`,
  );
  const win = os.platform() === 'win32';
  const r = spawnSync(win ? 'npx.cmd' : 'npx', ['--yes', '-p', 'node-gyp@11', 'node', win ? `"${finder}"` : finder], {
    encoding: 'utf8',
    shell: win,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  fs.rmSync(dir, { recursive: true, force: true });
  const found = (r.stdout || '').trim().split(/\r?\n/).pop();
  if (r.status === 0 && found && fs.existsSync(found)) return found;
  return null;
}

module.exports = { root, platformTuple, platformLabel, detectNodedir, tryLoad, foreignRuntime, findNodeGyp };
