#!/usr/bin/env node
// The package's `install` hook: compile the addon only where no prebuilt binary loads.
//
// The package ships prebuilds/<platform>-<arch>/*.node (prebuildify, Node-API), which node-gyp-build
// picks at load time, so installs that run no scripts (pnpm by default, npm --ignore-scripts) work
// wherever a prebuild matches. This hook does nothing when a prebuild or an earlier build loads;
// elsewhere it compiles with node-gyp against the running Node's own headers (the OpenSSL headers
// must be the ones of the OpenSSL inside Node). The compiler's output goes to a log file; when
// compiling fails, the first line printed says what to install, and the log's path.
//
// Usage: node scripts/install.cjs [--build-from-source]
//   --build-from-source (or npm_config_build_from_source=true): compile even when a prebuild loads.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const lib = require('./lib.cjs');

const fromSource = process.argv.includes('--build-from-source') || process.env.npm_config_build_from_source === 'true';

// In the repository (tsup.config.ts never ships) the package's `build` script makes the prebuild
// that tests load and packs ship, so `pnpm install` compiles nothing twice.
if (!fromSource && fs.existsSync(path.join(lib.root, 'tsup.config.ts'))) process.exit(0);

function say(line) {
  process.stderr.write(`${line}\n`);
}

function firstLine(error) {
  return String((error && error.message) || error).split('\n')[0].trim();
}

let lead = `@ossl/native: no prebuilt binary for ${lib.platformLabel()}`;
if (!fromSource) {
  const loaded = lib.tryLoad();
  if (loaded.ok) process.exit(0);
  const foreign = lib.foreignRuntime();
  if (foreign) {
    // Compiling cannot help: the addon needs the OpenSSL symbols that only Node.js exports.
    say(
      `@ossl/native: ossl needs the OpenSSL inside Node.js: this runtime (${foreign}) does not export its ` +
        "symbols (Bun, Deno and Electron's BoringSSL lack them); install and run it with Node.js 20 or later",
    );
    process.exit(0);
  }
  // A prebuild matched but did not load (say, a C++ runtime older than the one it was built on).
  if (loaded.file) lead = `@ossl/native: the prebuilt binary for ${lib.platformLabel()} does not load here (${firstLine(loaded.error)})`;
} else {
  lead = '@ossl/native: building from source';
}

/** What to install, for this system, in a form that fits in the one line. */
function installAdvice() {
  const platform = os.platform();
  if (platform === 'win32') {
    return 'install Python 3 and Visual Studio Build Tools with the "Desktop development with C++" workload and reinstall';
  }
  if (platform === 'darwin') {
    return "install python3 and Xcode's command line tools (xcode-select --install) and reinstall";
  }
  const base = 'install python3, make and a C++ compiler';
  if (fs.existsSync('/etc/alpine-release')) return `${base} (Alpine: apk add python3 make g++) and reinstall`;
  if (fs.existsSync('/etc/debian_version')) return `${base} (Debian/Ubuntu: apt-get install python3 make g++) and reinstall`;
  if (fs.existsSync('/etc/fedora-release') || fs.existsSync('/etc/redhat-release')) {
    return `${base} (Fedora/RHEL: dnf install python3 make gcc-c++) and reinstall`;
  }
  return `${base} (Debian/Ubuntu: apt-get install python3 make g++; Alpine: apk add python3 make g++) and reinstall`;
}

function onPath(name) {
  if (path.isAbsolute(name)) return fs.existsSync(name);
  const exts = os.platform() === 'win32' ? (process.env.PATHEXT || '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      try {
        fs.accessSync(path.join(dir, name + ext), fs.constants.X_OK);
        return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}

/** The build tools node-gyp needs that are not on PATH (Windows: left to node-gyp to find). */
function missingTools() {
  if (os.platform() === 'win32') return [];
  const missing = [];
  const pythons = [process.env.npm_config_python, process.env.PYTHON, 'python3', 'python'].filter(Boolean);
  if (!pythons.some(onPath)) missing.push('python3');
  const make = process.env.MAKE || (/bsd$/.test(os.platform()) ? 'gmake' : 'make');
  if (!onPath(make)) missing.push(make);
  const cxx = process.env.CXX ? [process.env.CXX.split(/\s+/)[0]] : ['g++', 'c++', 'clang++'];
  if (!cxx.some(onPath)) missing.push('a C++ compiler');
  return missing;
}

function fail(reason, logFile) {
  say(`${lead} and compiling failed${reason ? ` (${reason})` : ''}: ${installAdvice()}${logFile ? `; compiler output: ${logFile}` : ''}`);
  if (logFile) {
    // The end of the log, below the line that matters, for CI logs that outlive the temp file:
    // the compiler's and make's own lines, without node-gyp's progress and environment report.
    const tail = fs
      .readFileSync(logFile, 'utf8')
      .trimEnd()
      .split('\n')
      .filter((l) => !/^gyp (info|verb|sill|http)\b/.test(l) && !/^gyp ERR! (?!stack Error|find Python|configure error|build error)/.test(l))
      .slice(-15);
    say(tail.map((l) => `    ${l}`).join('\n'));
  }
  process.exit(1);
}

const missing = missingTools();
if (missing.length > 0) fail(`${missing.join(', ')} not found`);

// Quietly: a successful install prints nothing, a failed one its one line.
const nodeGyp = lib.findNodeGyp();
if (!nodeGyp) fail('node-gyp was not found and npx could not fetch it');

const logFile = path.join(os.tmpdir(), `ossl-native-build-${process.pid}-${Date.now()}.log`);
const fd = fs.openSync(logFile, 'w');
const args = [nodeGyp, 'rebuild', `--jobs=${Math.max(1, os.availableParallelism?.() ?? 2)}`];
// Node's own headers when they sit next to it (no download); otherwise node-gyp fetches the
// headers of exactly this Node version, which carry the same OpenSSL headers.
const nodedir = lib.detectNodedir();
if (nodedir) args.push(`--nodedir=${nodedir}`);
fs.writeSync(fd, `$ ${process.execPath} ${args.join(' ')}\n`);
const result = spawnSync(process.execPath, args, { cwd: lib.root, stdio: ['ignore', fd, fd] });
fs.closeSync(fd);
if (result.status !== 0) fail(result.error ? result.error.message : '', logFile);

const built = lib.tryLoad();
if (!built.ok) fail(`the compiled addon does not load: ${firstLine(built.error)}`, logFile);
fs.rmSync(logFile, { force: true });
