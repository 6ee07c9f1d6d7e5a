#!/usr/bin/env node
// `prepack` of every published package: builds the package and the packages it depends on (turbo),
// so that a pack, with pnpm or npm, never ships without dist/. Runs turbo through pnpm, the
// workspace's package manager, which turbo needs to find.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const name = process.env.npm_package_name;
if (!name) {
  process.stderr.write('prepack: run me as a package script (npm_package_name is not set)\n');
  process.exit(1);
}
const execpath = process.env.npm_execpath ?? '';
const [cmd, args] = /pnpm/.test(execpath) ? [process.execPath, [execpath]] : ['npx', ['--yes', 'pnpm@10.34.9']];
const r = spawnSync(cmd, [...args, 'exec', 'turbo', 'run', 'build', `--filter=${name}`, '--output-logs=errors-only'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
