#!/usr/bin/env node
// Every benchmark, one after another, in one run: certificate work (crypto.mjs), in-memory and
// loopback TLS (tls.mjs), DTLS in memory and over UDP (dtls.mjs), compat-net sockets (compat-net.mjs), HTTP clients (https-client.mjs),
// memory per idle connection (connections.mjs) and a server under node:cluster (cluster.mjs). Each
// prints its table with its anchors measured in the same run; every figure also goes to one JSON
// Lines file. `pnpm bench` runs this. Asserts nothing.
//
//   node bench/src/all.mjs [--quick] [--json FILE]    (default FILE: .cache/bench/results.jsonl)
//
// --quick runs each with its smallest counts or time budgets, as the test command's smoke check does.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const { values: argv } = parseArgs({ options: { quick: { type: 'boolean', default: false }, json: { type: 'string' } } });
const json = argv.json ?? join(root, '.cache', 'bench', 'results.jsonl');
mkdirSync(dirname(json), { recursive: true });
rmSync(json, { force: true });

const benches = ['crypto.mjs', 'tls.mjs', 'dtls.mjs', 'compat-net.mjs', 'https-client.mjs', 'connections.mjs', 'cluster.mjs'];
console.log(`ossl benchmarks, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version},`);
console.log(`${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB; JSON lines in ${json}\n`);
let failed = 0;
for (const bench of benches) {
  console.log(`## ${bench}\n`);
  const args = [join(here, bench), ...(argv.quick ? ['--quick'] : []), '--json', json];
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`\n${bench} failed (exit ${r.status ?? r.signal})`);
  }
  console.log('');
}
process.exit(failed === 0 ? 0 : 1);
