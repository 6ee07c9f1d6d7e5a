#!/usr/bin/env node
// compat-net against node:tls, side by side, over loopback with a node:tls peer in another process
// (bench/src/compat-net-peer.mjs). Per measured implementation:
//   - bulk MB/s each way: its client sends N MiB to a node:tls server; a node:tls server sends N MiB to
//     its client (16 KiB writes, 'drain' respected, fixed byte count);
//   - full and resumed handshakes/s as the client, at concurrency 1 and 16 (new TCP connection, server
//     verified with ca + servername 'localhost', the server's one byte awaited, then destroy);
//   - full and resumed handshakes/s as the server (in this process), driven by a node:tls client in
//     the peer process, which measures and reports the rate;
//   - client full handshakes/s with one shared `secureContext` and with `createSecureContext({ca})`
//     per connect (each implementation with its own createSecureContext);
//   - TLS 1.3 throughout, plus TLS 1.2 (maxVersion 'TLSv1.2') rows for bulk and full handshakes.
// Each run measures every cell for both implementations back to back (order alternating), and the
// table shows the median over runs and the ratio of the medians (compat-net / node:tls; above 1 is
// faster). A cell that makes no progress for 30 s aborts everything with an error.
//
//   node bench/src/compat-net.mjs [--runs 3] [--mib 64] [--count1 300] [--count16 600] [--quick] [--json FILE]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import compatNet from '@ossl/compat-net';
import { identity } from './identity.mjs';
import { opensslVersion } from '@ossl/crypto';

const { values: argv } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    mib: { type: 'string', default: '64' },
    count1: { type: 'string', default: '300' },
    count16: { type: 'string', default: '600' },
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const RUNS = argv.quick ? 1 : Number(argv.runs);
const BULK_BYTES = (argv.quick ? 1 : Number(argv.mib)) * 1024 * 1024;
const COUNT = { 1: argv.quick ? 10 : Number(argv.count1), 16: argv.quick ? 32 : Number(argv.count16) };
for (const [k, v] of Object.entries({ runs: RUNS, mib: BULK_BYTES, count1: COUNT[1], count16: COUNT[16] })) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer`);
}
const STALL_MS = 30_000;
const CHUNK = 16 * 1024;
const HOST = '127.0.0.1';
const here = dirname(fileURLToPath(import.meta.url));
const IMPLS = { 'node:tls': tls, 'compat-net': compatNet };

// ---- lifecycle: children die with us, stalls abort ----
const children = new Set();
let dir;
let shuttingDown = false;
function cleanup() {
  shuttingDown = true;
  for (const c of children) c.kill('SIGKILL');
  children.clear();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(130));
function abort(err) {
  console.error(`\ncompat-net benchmark aborted: ${err?.stack ?? err}`);
  cleanup();
  process.exit(1);
}
process.on('unhandledRejection', abort);
process.on('uncaughtException', abort);

let watched = null; // { label, last }
function progress() {
  if (watched) watched.last = Date.now();
}
const watchdog = setInterval(() => {
  if (watched && Date.now() - watched.last > STALL_MS) {
    abort(new Error(`watchdog: cell "${watched.label}" made no progress for ${STALL_MS / 1000} s`));
  }
}, 1000);
async function watch(label, fn) {
  watched = { label, last: Date.now() };
  try {
    return await fn();
  } catch (e) {
    throw new Error(`cell "${label}" failed: ${e?.stack ?? e}`);
  } finally {
    watched = null;
  }
}

const id = identity();
const ca = id.certPem;
dir = mkdtempSync(join(tmpdir(), 'ossl-compat-net-bench-'));
writeFileSync(join(dir, 'cert.pem'), id.certPem);
writeFileSync(join(dir, 'key.pem'), id.keyPem);
writeFileSync(join(dir, 'ca.pem'), ca);

// ---- the node:tls peer process ----
let nextId = 0;
const pending = new Map();
async function startPeer() {
  const proc = fork(join(here, 'compat-net-peer.mjs'), [join(dir, 'cert.pem'), join(dir, 'key.pem'), join(dir, 'ca.pem')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(proc);
  proc.on('exit', (code, signal) => {
    children.delete(proc);
    if (!shuttingDown) abort(new Error(`the node:tls peer process exited unexpectedly (code ${code}, signal ${signal})`));
  });
  proc.on('message', (m) => {
    const p = pending.get(m?.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.type === 'result') p.resolve(m);
    else p.reject(new Error(`peer: ${m.message}`));
  });
  const ports = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the node:tls peer process did not start within 30 s')), STALL_MS);
    proc.on('message', function ready(m) {
      if (m?.type !== 'ready') return;
      clearTimeout(t);
      proc.off('message', ready);
      resolve(m.ports);
    });
  });
  return { proc, ports };
}
function peerDrive(peer, params) {
  return new Promise((resolve, reject) => {
    const msgId = ++nextId;
    pending.set(msgId, { resolve, reject });
    peer.proc.send({ type: 'drive', id: msgId, ...params });
  });
}

// ---- measured client side ----
const now = () => process.hrtime.bigint();
const secondsSince = (t0) => Number(now() - t0) / 1e9;
const chunk = Buffer.alloc(CHUNK, 0x62);
const lengthHeader = (n) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};

const ciphers = new Map(); // "impl version" -> negotiated cipher names seen in bulk cells
function expectProtocol(s, version) {
  const got = s.getProtocol();
  if (got !== version) throw new Error(`negotiated ${got}, expected ${version}`);
}
function noteCipher(impl, version, s) {
  const key = `${impl === tls ? 'node:tls' : 'compat-net'} ${version}`;
  if (!ciphers.has(key)) ciphers.set(key, new Set());
  ciphers.get(key).add(s.getCipher()?.name);
}

/** A client connection to the peer: resolves with the socket once verified ('secureConnect'). */
function clientConnect(impl, port, opts, version) {
  return new Promise((resolve, reject) => {
    const s = impl.connect({ host: HOST, port, servername: 'localhost', ...opts });
    s.on('error', reject);
    s.once('secureConnect', () => {
      try {
        if (!s.authorized) throw new Error(`server not authorized: ${s.authorizationError}`);
        expectProtocol(s, version);
        resolve(s);
      } catch (e) {
        s.destroy();
        reject(e);
      }
    });
  });
}

/** Client sends `bytes` (after an 8-byte length) to the peer's sink; timed until the sink's one-byte answer. */
async function bulkSend(impl, peer, opts, version, bytes) {
  const s = await clientConnect(impl, peer.ports.sink, opts, version);
  noteCipher(impl, version, s);
  return new Promise((resolve, reject) => {
    s.on('error', reject);
    const t0 = now();
    s.once('data', () => {
      const secs = secondsSince(t0);
      s.destroy();
      resolve(bytes / secs / 1e6);
    });
    let left = bytes;
    const more = () => {
      progress();
      while (left > 0) {
        const n = Math.min(CHUNK, left);
        left -= n;
        if (!s.write(n === CHUNK ? chunk : chunk.subarray(0, n))) return void s.once('drain', more);
      }
    };
    s.write(lengthHeader(bytes));
    more();
  });
}

/** The peer's source sends `bytes` to the client; timed from the request to the last byte. */
async function bulkReceive(impl, peer, opts, version, bytes) {
  const s = await clientConnect(impl, peer.ports.source, opts, version);
  noteCipher(impl, version, s);
  return new Promise((resolve, reject) => {
    s.on('error', reject);
    let got = 0;
    let t0;
    s.on('data', (d) => {
      got += d.length;
      progress();
      if (got >= bytes) {
        const secs = secondsSince(t0);
        s.destroy();
        if (got !== bytes) reject(new Error(`received ${got} bytes, expected ${bytes}`));
        else resolve(bytes / secs / 1e6);
      }
    });
    s.once('end', () => got < bytes && reject(new Error(`stream ended after ${got} of ${bytes} bytes`)));
    t0 = now();
    s.write(lengthHeader(bytes));
  });
}

/** One client handshake against the peer's `hs` server; waits for its byte (and the session, if asked). */
function clientHandshake(impl, port, opts, version, wantSession = false) {
  return new Promise((resolve, reject) => {
    const s = impl.connect({ host: HOST, port, servername: 'localhost', ...opts });
    let session = null;
    let gotByte = false;
    let reused = false;
    const done = () => {
      if (!gotByte || (wantSession && session === null)) return;
      s.destroy();
      resolve({ reused, session });
    };
    s.on('error', reject);
    s.once('secureConnect', () => {
      try {
        if (!s.authorized) throw new Error(`server not authorized: ${s.authorizationError}`);
        expectProtocol(s, version);
        reused = s.isSessionReused();
      } catch (e) {
        s.destroy();
        reject(e);
      }
    });
    if (wantSession) s.once('session', (d) => ((session = d), done()));
    s.once('data', () => ((gotByte = true), done()));
  });
}

/** `count` calls of `one` by `concurrency` workers: rate per second and how many resumed. */
async function loop(count, concurrency, one) {
  let started = 0;
  let reused = 0;
  const t0 = now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < count) {
        started++;
        if ((await one()).reused) reused++;
        progress();
      }
    }),
  );
  return { value: count / secondsSince(t0), reused, count };
}
const warmupCount = (c) => Math.max(16, 2 * c);

/** Client handshake cell. ctxMode: 'ca' (the ca option), 'shared' (one secureContext), 'per' (createSecureContext per connect). */
async function clientHandshakes(impl, peer, { concurrency, version, resume = false, ctxMode = 'ca' }) {
  const port = peer.ports.hs;
  const base = version === 'TLSv1.2' ? { maxVersion: 'TLSv1.2' } : {};
  let optsFor;
  if (ctxMode === 'ca') optsFor = () => ({ ...base, ca });
  else if (ctxMode === 'shared') {
    const secureContext = impl.createSecureContext({ ca, ...base });
    optsFor = () => ({ ...base, secureContext });
  } else optsFor = () => ({ ...base, secureContext: impl.createSecureContext({ ca, ...base }) });
  let extra = {};
  if (resume) {
    const seed = await clientHandshake(impl, port, optsFor(), version, true);
    extra = { session: seed.session };
  }
  const one = () => clientHandshake(impl, port, { ...optsFor(), ...extra }, version);
  await loop(warmupCount(concurrency), concurrency, one);
  return loop(COUNT[concurrency], concurrency, one);
}

/** Server handshake cell: a server of `impl` here, a node:tls client in the peer measuring. */
async function serverHandshakes(impl, peer, { concurrency, version, resume = false }) {
  let failures = 0;
  const server = impl.createServer({ cert: id.certPem, key: id.keyPem }, (s) => {
    s.on('error', () => {});
    progress();
    s.write('k');
  });
  server.on('tlsClientError', () => failures++);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, resolve);
  });
  try {
    const r = await peerDrive(peer, {
      port: server.address().port,
      count: COUNT[concurrency],
      concurrency,
      resume,
      maxVersion: version === 'TLSv1.2' ? 'TLSv1.2' : undefined,
      warmup: warmupCount(concurrency),
    });
    if (failures) throw new Error(`${failures} handshakes failed on the server`);
    return { value: r.rate, reused: r.reused, count: COUNT[concurrency] };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

async function bulkCell(fn, impl, peer, version) {
  const opts = { ca, ...(version === 'TLSv1.2' ? { maxVersion: 'TLSv1.2' } : {}) };
  await fn(impl, peer, opts, version, Math.min(BULK_BYTES, 4 * 1024 * 1024)); // warm-up
  return { value: await fn(impl, peer, opts, version, BULK_BYTES) };
}

// ---- the cells, in table order ----
const MiB = BULK_BYTES / 1024 / 1024;
const cells = [];
const cell = (label, unit, run) => cells.push({ label, unit, run });
for (const version of ['TLSv1.3', 'TLSv1.2']) {
  const v = version === 'TLSv1.3' ? 'TLS 1.3' : 'TLS 1.2';
  cell(`${v} bulk: client sends ${MiB} MiB to node:tls server (MB/s)`, 'MB/s', (impl, peer) => bulkCell(bulkSend, impl, peer, version));
  cell(`${v} bulk: node:tls server sends ${MiB} MiB to client (MB/s)`, 'MB/s', (impl, peer) => bulkCell(bulkReceive, impl, peer, version));
  for (const c of [1, 16]) cell(`${v} client full handshakes/s, c=${c}`, 'hs/s', (impl, peer) => clientHandshakes(impl, peer, { concurrency: c, version }));
  if (version === 'TLSv1.3') {
    for (const c of [1, 16]) cell(`${v} client resumed handshakes/s, c=${c}`, 'hs/s', (impl, peer) => clientHandshakes(impl, peer, { concurrency: c, version, resume: true }));
  }
  for (const c of [1, 16]) cell(`${v} server full handshakes/s, c=${c} (node:tls client)`, 'hs/s', (impl, peer) => serverHandshakes(impl, peer, { concurrency: c, version }));
  if (version === 'TLSv1.3') {
    for (const c of [1, 16]) cell(`${v} server resumed handshakes/s, c=${c} (node:tls client)`, 'hs/s', (impl, peer) => serverHandshakes(impl, peer, { concurrency: c, version, resume: true }));
    for (const [mode, what] of [['shared', 'one shared secureContext'], ['per', 'createSecureContext per connect']]) {
      for (const c of [1, 16]) cell(`${v} client full handshakes/s, c=${c}, ${what}`, 'hs/s', (impl, peer) => clientHandshakes(impl, peer, { concurrency: c, version, ctxMode: mode }));
    }
  }
}

// ---- run ----
const results = new Map(cells.map((c) => [c.label, { 'node:tls': [], 'compat-net': [] }]));
const peer = await startPeer();
const started = Date.now();
for (let run = 0; run < RUNS; run++) {
  for (const [i, c] of cells.entries()) {
    const order = (run + i) % 2 === 0 ? ['node:tls', 'compat-net'] : ['compat-net', 'node:tls'];
    for (const name of order) {
      const r = await watch(`${c.label} [${name}, run ${run + 1}]`, () => c.run(IMPLS[name], peer));
      results.get(c.label)[name].push(r);
    }
    const last = results.get(c.label);
    const f = (name) => fmt(last[name].at(-1), c.label.includes('resumed'));
    process.stderr.write(`run ${run + 1}/${RUNS} ${c.label}: node:tls ${f('node:tls')}, compat-net ${f('compat-net')}\n`);
  }
}
clearInterval(watchdog);

// ---- report ----
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
function num(x) {
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}
function fmt(r, isResumed) {
  if (r === undefined) return 'n/a';
  if (!isResumed) return num(r.value);
  return `${num(r.value)} (${r.reused}/${r.count} resumed)`;
}
function cellText(rs, isResumed) {
  const med = median(rs.map((r) => r.value));
  if (!isResumed) return { med, text: num(med) };
  const reused = rs.map((r) => r.reused);
  const lo = Math.min(...reused);
  const hi = Math.max(...reused);
  return { med, text: `${num(med)} (${lo === hi ? lo : `${lo}–${hi}`}/${rs[0].count} resumed)` };
}

const cpu = cpus();
console.log(`\ncompat-net vs node:tls — Node ${process.version}, OpenSSL ${process.versions.openssl} (${opensslVersion()}), ${cpu.length} × ${cpu[0]?.model?.trim() ?? 'CPU'}`);
console.log(`${RUNS} run${RUNS === 1 ? '' : 's'}, median of each cell; loopback ${HOST}, peer = node:tls in another process, ECDSA P-256 identity;`);
console.log(`bulk ${MiB} MiB in 16 KiB writes; handshakes ${COUNT[1]} at c=1, ${COUNT[16]} at c=16 (new connection each, server verified, one byte read). ratio = compat-net / node:tls (above 1 is faster). ${((Date.now() - started) / 1000).toFixed(0)} s.\n`);
console.log(`Negotiated ciphers: ${[...ciphers].map(([k, v]) => `${k} ${[...v].join('/')}`).join(', ')}.\n`);
console.log('| measurement | node:tls | compat-net | ratio |');
console.log('|---|---|---|---|');
for (const c of cells) {
  const r = results.get(c.label);
  const resumed = c.label.includes('resumed');
  const a = cellText(r['node:tls'], resumed);
  const b = cellText(r['compat-net'], resumed);
  console.log(`| ${c.label} | ${a.text} | ${b.text} | ${(b.med / a.med).toFixed(2)}x |`);
}
if (argv.json) {
  const lines = [];
  for (const c of cells) {
    for (const [impl, rs] of Object.entries(results.get(c.label))) {
      for (const [run, r] of rs.entries()) lines.push(`${JSON.stringify({ bench: 'compat-net', measurement: c.label, impl, run, unit: c.unit, ...r })}\n`);
    }
  }
  writeFileSync(argv.json, lines.join(''), { flag: 'a' });
}
cleanup();
process.exit(0);
