#!/usr/bin/env node
// A compat-net server under node:cluster: full and resumed TLS handshakes/s with one worker and with
// one per core, and resumption across workers. The workers share ticket keys (`ticketKeys`, made
// once by the primary), so a session ticket one worker issued resumes on another. The load comes
// from node:tls clients in two other processes (each: `--count` handshakes at concurrency 16,
// server verified, the worker's one-byte id read); resumed handshakes offer one session, obtained
// first, for every connection. The CPU time each side used is printed too: on a machine whose cores
// also run the clients, that, not the server, bounds the scaling.
//
//   node bench/src/cluster.mjs [--count 1500] [--runs 3] [--quick] [--json FILE]
import cluster from 'node:cluster';
import { fork } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const role = process.env.OSSL_CLUSTER_ROLE ?? (cluster.isWorker ? 'worker' : 'primary');

if (role === 'worker') {
  const compatNet = (await import('@ossl/compat-net')).default;
  const server = compatNet.createServer(
    {
      cert: readFileSync(process.env.OSSL_CLUSTER_CERT),
      key: readFileSync(process.env.OSSL_CLUSTER_KEY),
      ticketKeys: Buffer.from(process.env.OSSL_CLUSTER_TICKET_KEYS, 'hex'),
    },
    (s) => {
      s.on('error', () => undefined);
      s.end(String(cluster.worker.id));
    },
  );
  server.on('tlsClientError', () => undefined);
  server.listen(Number(process.env.OSSL_CLUSTER_PORT), '127.0.0.1');
  process.on('message', (m) => {
    if (m === 'cpu') {
      const u = process.cpuUsage();
      process.send({ cpuMs: (u.user + u.system) / 1000 });
    }
  });
} else if (role === 'client') {
  const ca = readFileSync(process.env.OSSL_CLUSTER_CERT);
  const port = Number(process.env.OSSL_CLUSTER_PORT);
  const one = (session) =>
    new Promise((resolve, reject) => {
      const s = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca, session });
      let id = '';
      let ticket;
      s.on('session', (t) => (ticket = t));
      s.on('data', (d) => (id += d));
      s.on('end', () => resolve({ id, reused: s.isSessionReused(), ticket }));
      s.on('error', reject);
    });
  process.on('message', async ({ count, resumed }) => {
    let session;
    if (resumed) session = (await one()).ticket;
    const seen = new Map();
    let reused = 0;
    let next = 0;
    const cpu0 = process.cpuUsage();
    const worker = async () => {
      while (next < count) {
        next++;
        const r = await one(session);
        seen.set(r.id, (seen.get(r.id) ?? 0) + 1);
        if (r.reused) reused++;
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const u = process.cpuUsage(cpu0);
    process.send({ reused, workers: Object.fromEntries(seen), cpuMs: (u.user + u.system) / 1000 });
  });
  process.send({ ready: true });
} else {
  const { values: argv } = parseArgs({ options: { count: { type: 'string', default: '1500' }, runs: { type: 'string', default: '3' }, quick: { type: 'boolean', default: false }, json: { type: 'string' } } });
  const COUNT = argv.quick ? 100 : Number(argv.count);
  const RUNS = argv.quick ? 1 : Number(argv.runs);
  const { identity } = await import('./identity.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'ossl-cluster-bench-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const id = identity('ec');
  writeFileSync(join(dir, 'cert.pem'), id.certPem);
  writeFileSync(join(dir, 'key.pem'), id.keyPem);
  const port = await new Promise((resolve) => {
    const probe = tls.createServer().listen(0, '127.0.0.1', () => {
      const p = probe.address().port;
      probe.close(() => resolve(p));
    });
  });
  const env = { OSSL_CLUSTER_CERT: join(dir, 'cert.pem'), OSSL_CLUSTER_KEY: join(dir, 'key.pem'), OSSL_CLUSTER_PORT: String(port), OSSL_CLUSTER_TICKET_KEYS: crypto.randomBytes(48).toString('hex') };
  cluster.setupPrimary({ exec: fileURLToPath(import.meta.url) });
  const cores = cpus().length;
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  async function withWorkers(n, fn) {
    const workers = Array.from({ length: n }, () => cluster.fork({ ...env, OSSL_CLUSTER_ROLE: 'worker' }));
    await Promise.all(workers.map((w) => new Promise((r) => w.once('listening', r))));
    try {
      return await fn(workers);
    } finally {
      for (const w of workers) w.process.kill('SIGKILL');
    }
  }
  async function load(workers, resumed) {
    const clients = [0, 1].map(() => fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, ...env, OSSL_CLUSTER_ROLE: 'client' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    await Promise.all(clients.map((c) => new Promise((r) => c.once('message', r))));
    const serverCpu0 = await Promise.all(workers.map((w) => new Promise((r) => { w.once('message', (m) => r(m.cpuMs)); w.send('cpu'); })));
    const t0 = process.hrtime.bigint();
    const results = await Promise.all(clients.map((c) => new Promise((r) => { c.once('message', r); c.send({ count: COUNT, resumed }); })));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const serverCpu1 = await Promise.all(workers.map((w) => new Promise((r) => { w.once('message', (m) => r(m.cpuMs)); w.send('cpu'); })));
    for (const c of clients) c.kill();
    const seen = {};
    for (const r of results) for (const [k, v] of Object.entries(r.workers)) seen[k] = (seen[k] ?? 0) + v;
    return {
      rate: (2 * COUNT) / seconds,
      reused: results.reduce((a, r) => a + r.reused, 0) / (2 * COUNT),
      workersSeen: Object.keys(seen).length,
      serverCpu: serverCpu1.reduce((a, v, i) => a + v - serverCpu0[i], 0) / 1000 / seconds,
      clientCpu: results.reduce((a, r) => a + r.cpuMs, 0) / 1000 / seconds,
    };
  }

  const rows = {};
  const started = Date.now();
  for (let run = 0; run < RUNS; run++) {
    for (const n of [1, cores]) {
      await withWorkers(n, async (workers) => {
        for (const resumed of [false, true]) (rows[`${n}|${resumed}`] ??= []).push(await load(workers, resumed));
      });
    }
  }
  console.log(`\ncompat-net under node:cluster — Node ${process.version}, OpenSSL ${process.versions.openssl}, ${cores} × ${cpus()[0]?.model?.trim() ?? 'CPU'}`);
  console.log(`${2 * COUNT} TLS 1.3 handshakes per cell from 2 node:tls client processes (concurrency 16 each), ECDSA P-256, loopback; median of ${RUNS} run${RUNS === 1 ? '' : 's'}. Workers share ticket keys. CPU is cores busy (CPU seconds per second) on each side. ${((Date.now() - started) / 1000).toFixed(0)} s.\n`);
  console.log('| handshakes | workers | handshakes/s | scaling | resumed | workers that served | server CPU | client CPU |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const resumed of [false, true]) {
    const base = median(rows[`1|${resumed}`].map((r) => r.rate));
    for (const n of [1, cores]) {
      const rs = rows[`${n}|${resumed}`];
      const m = (k) => median(rs.map((r) => r[k]));
      console.log(`| ${resumed ? 'resumed' : 'full'} | ${n} | ${m('rate').toFixed(0)} | ${(m('rate') / base).toFixed(2)}x | ${(m('reused') * 100).toFixed(0)} % | ${m('workersSeen')} | ${m('serverCpu').toFixed(2)} | ${m('clientCpu').toFixed(2)} |`);
    }
  }
  if (argv.json) {
    const lines = [];
    for (const resumed of [false, true]) {
      for (const n of [1, cores]) {
        for (const [run, r] of rows[`${n}|${resumed}`].entries()) lines.push(`${JSON.stringify({ bench: 'cluster', handshakes: resumed ? 'resumed' : 'full', workers: n, run, count: 2 * COUNT, ...r })}\n`);
      }
    }
    writeFileSync(argv.json, lines.join(''), { flag: 'a' });
  }
  process.exit(0);
}
