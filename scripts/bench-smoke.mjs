#!/usr/bin/env node
// The benchmarks, run small (`--quick`, the smallest counts or time budgets) so that they never rot: each must run
// to its table, write its JSON lines and exit 0. Nothing here is timed or compared; the figures are thrown away.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(join(tmpdir(), 'ossl-bench-smoke-'));
const benches = ['crypto', 'tls', 'dtls', 'compat-net', 'https-client', 'connections', 'cluster'];
let failed = 0;
for (const bench of benches) {
  const json = join(scratch, `${bench}.jsonl`);
  const args = [join(root, 'bench', 'src', `${bench}.mjs`), '--quick', '--json', json];
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 300_000 });
  // Each must print its table and write JSON lines of its own.
  let lines = [];
  try {
    lines = existsSync(json) ? readFileSync(json, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : [];
  } catch {
    lines = [];
  }
  const ok = r.status === 0 && /\n\|---/.test(r.stdout) && lines.length > 0 && lines.every((l) => l.bench === bench);
  if (!ok) failed++;
  const detail = ok ? ` (${lines.length} JSON lines)` : ` (exit ${r.status ?? r.signal}, ${lines.length} JSON lines)\n${r.stdout}\n${r.stderr}`;
  console.log(`${ok ? 'ok  ' : 'FAIL'} bench/src/${bench}.mjs --quick --json${detail}`);
}
rmSync(scratch, { recursive: true, force: true });
process.exit(failed === 0 ? 0 : 1);
