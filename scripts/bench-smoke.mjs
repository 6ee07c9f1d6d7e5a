#!/usr/bin/env node
// The benchmarks, run small (`--quick`, the smallest counts or time budgets) so that they never rot: each must run
// to its table and exit 0. Nothing here is timed or compared; the figures are thrown away.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = [
  ['crypto.mjs', ['0.02']],
  ['tls.mjs', ['0.05']],
  ['compat-net.mjs', ['--runs', '1', '--mib', '1', '--count1', '10', '--count16', '32']],
  ['https-client.mjs', ['--quick']],
  ['connections.mjs', ['--quick']],
  ['cluster.mjs', ['--quick']],
];
let failed = 0;
for (const [script, args] of runs) {
  const r = spawnSync(process.execPath, [join(root, 'bench', 'src', script), ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  const ok = r.status === 0 && /\n\|---/.test(r.stdout);
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} bench/src/${script} ${args.join(' ')}${ok ? '' : ` (exit ${r.status ?? r.signal})\n${r.stdout}\n${r.stderr}`}`);
}
process.exit(failed === 0 ? 0 : 1);
