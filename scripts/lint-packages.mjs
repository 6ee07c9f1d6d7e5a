#!/usr/bin/env node
// Lints every published package as it would be published: publint (package.json fields, exports,
// files) and Are the Types Wrong (types that resolve the same way for CommonJS, ESM and bundlers).
// Packing runs each package's prepack, so the packages are built first. Exits non-zero on any problem.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const packages = readdirSync(join(root, 'packages'))
  .map((d) => join(root, 'packages', d))
  .filter((d) => !JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).private);

let failed = false;
for (const dir of packages) {
  const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  // node16 and bundler resolution: the packages need Node.js 20 or newer, which node10 resolution
  // (no "exports") does not describe.
  const checks = [
    ['publint', [bin('publint'), '--strict', '--pack', 'npm']],
    ['attw', [bin('attw'), '--pack', '.', '--profile', 'node16', '--no-emoji']],
  ];
  for (const [label, [cmd, ...args]] of checks) {
    const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    if (r.status !== 0) {
      failed = true;
      process.stderr.write(`${name}: ${label} found problems:\n${r.stdout}${r.stderr}\n`);
    } else {
      process.stdout.write(`${name}: ${label} clean\n`);
    }
  }
}
process.exit(failed ? 1 : 0);
