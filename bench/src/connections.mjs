#!/usr/bin/env node
// Memory and event-loop cost per idle TLS connection, node:tls against compat-net, both sides:
// a server process and a client process of the same implementation; the client opens N verified
// connections (TLS 1.3, ECDSA P-256, loopback), each reads the server's one byte, then every
// connection stays open and idle. Each process reports, after a full GC, its RSS, V8 heap and
// external memory before and after; the table shows the growth per connection, and the CPU time
// and event-loop utilisation of each process while the N connections idle for a fixed window.
// (compat-net's contexts set SSL_MODE_RELEASE_BUFFERS, which takes its server side from 1.5 times
// node:tls's memory per connection to node:tls's.)
//
//   node bench/src/connections.mjs [--count 10000] [--runs 1] [--quick] [--json FILE]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { identity } from './identity.mjs';

const { values: argv } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '1' },
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const COUNT = argv.quick ? 300 : Number(argv.count);
const RUNS = argv.quick ? 1 : Number(argv.runs);
const WINDOW_MS = argv.quick ? 200 : 2000;
const CONCURRENCY = 32;
for (const [k, v] of Object.entries({ count: COUNT, runs: RUNS })) if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer`);
const IMPLS = ['node:tls', 'compat-net'];
const here = dirname(fileURLToPath(import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'ossl-connections-bench-'));
const children = new Set();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});
const id = identity('ec');
writeFileSync(join(dir, 'cert.pem'), id.certPem);
writeFileSync(join(dir, 'key.pem'), id.keyPem);

function start(role, impl) {
  const proc = fork(join(here, 'connections-peer.mjs'), [role, impl, join(dir, 'cert.pem'), join(dir, 'key.pem')], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(proc);
  proc.on('exit', () => children.delete(proc));
  return proc;
}
/** Sends `message` (if any) and resolves with the next message of `type`. */
function ask(proc, type, message) {
  return new Promise((resolve, reject) => {
    const onMessage = (m) => {
      if (m?.type !== type) return;
      proc.off('message', onMessage);
      proc.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code) => reject(new Error(`a ${type} was awaited but the peer exited (${code})`));
    proc.on('message', onMessage);
    proc.on('exit', onExit);
    if (message) proc.send(message);
  });
}

async function measureOnce(impl) {
  const server = start('server', impl);
  const client = start('client', impl);
  const { port } = await ask(server, 'ready');
  await ask(client, 'ready');
  const before = await Promise.all([ask(server, 'measured', { type: 'measure', windowMs: 10 }), ask(client, 'measured', { type: 'measure', windowMs: 10 })]);
  const opened = await ask(client, 'opened', { type: 'open', port, count: COUNT, concurrency: CONCURRENCY });
  if (opened.count !== COUNT) throw new Error(`${impl}: ${opened.count} of ${COUNT} connections opened`);
  const after = await Promise.all([ask(server, 'measured', { type: 'measure', windowMs: WINDOW_MS }), ask(client, 'measured', { type: 'measure', windowMs: WINDOW_MS })]);
  server.kill('SIGKILL');
  client.kill('SIGKILL');
  const per = (side, field) => (after[side][field] - before[side][field]) / COUNT / 1024;
  return {
    serverRss: per(0, 'rss'),
    serverHeap: per(0, 'heap'),
    serverExternal: per(0, 'external'),
    clientRss: per(1, 'rss'),
    clientHeap: per(1, 'heap'),
    clientExternal: per(1, 'external'),
    serverIdleCpu: after[0].cpuMs / (WINDOW_MS / 1000),
    clientIdleCpu: after[1].cpuMs / (WINDOW_MS / 1000),
    serverElu: after[0].elu,
    clientElu: after[1].elu,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const results = Object.fromEntries(IMPLS.map((i) => [i, []]));
const started = Date.now();
for (let run = 0; run < RUNS; run++) {
  for (const impl of IMPLS) {
    const r = await measureOnce(impl);
    results[impl].push(r);
    if (argv.json) writeFileSync(argv.json, `${JSON.stringify({ bench: 'connections', impl, run, count: COUNT, ...r })}\n`, { flag: 'a' });
  }
}
const cpu = cpus();
console.log(`\nIdle TLS connections — Node ${process.version}, OpenSSL ${process.versions.openssl}, ${cpu.length} × ${cpu[0]?.model?.trim() ?? 'CPU'}`);
console.log(`${COUNT} connections (TLS 1.3, ECDSA P-256, loopback, each read one byte then idle), server and client in separate processes of the same implementation; median of ${RUNS} run${RUNS === 1 ? '' : 's'}. Memory is the growth per connection after a full GC (KiB); idle CPU is ms per second over a ${WINDOW_MS} ms window; ELU is the event loop's utilisation then. ${((Date.now() - started) / 1000).toFixed(0)} s.\n`);
console.log('| implementation | server RSS | server heap | server external | client RSS | client heap | client external | server idle CPU | client idle CPU | server ELU | client ELU |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const impl of IMPLS) {
  const m = (k) => median(results[impl].map((r) => r[k]));
  const kib = (k) => m(k).toFixed(1);
  console.log(`| ${impl} | ${kib('serverRss')} | ${kib('serverHeap')} | ${kib('serverExternal')} | ${kib('clientRss')} | ${kib('clientHeap')} | ${kib('clientExternal')} | ${m('serverIdleCpu').toFixed(2)} | ${m('clientIdleCpu').toFixed(2)} | ${m('serverElu').toFixed(4)} | ${m('clientElu').toFixed(4)} |`);
}
