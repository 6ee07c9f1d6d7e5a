#!/usr/bin/env node
// TLS benchmark. In memory (both ends in this process): full and resumed TLS 1.3 handshakes per
// second and bulk throughput between two Connections, beside pyOpenSSL doing the same sequence.
// Over loopback (server in another process): SocketConnection handshakes per second at concurrency 1
// and 16 beside node:tls, and receive throughput of node:tls, compat-net's SecureSocket and
// SocketConnection from one node:tls server. The in-memory rows are also run as a native-only C loop
// on the same OpenSSL version (native_loop.c), which shows what the JavaScript layer costs. Prints
// tables; asserts nothing.
//
//   node bench/src/tls.mjs [seconds-per-measurement] [--quick] [--json FILE]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import compatNet from '@ossl/compat-net';
import { identity } from './identity.mjs';
import { nativeTls } from './native-loop.mjs';
import { opensslVersion } from '@ossl/crypto';
import { Connection, Context, SocketConnection, TLS_METHOD, WantReadError, ZeroReturnError } from '@ossl/ssl';

const { values: argv, positionals } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, json: { type: 'string' } },
  allowPositionals: true,
});
const BUDGET = argv.quick ? 0.05 : Number(positionals[0] ?? 1);
const here = dirname(fileURLToPath(import.meta.url));


function pump(a, b) {
  for (const [x, y] of [[a, b], [b, a]]) while (x.bioPending() > 0) y.bioWrite(x.bioRead(65536));
}

function handshake(cctx, sctx, session) {
  const client = new Connection(cctx);
  client.setConnectState();
  if (session) client.setSession(session);
  const server = new Connection(sctx);
  server.setAcceptState();
  for (let done = 0; done < 2; ) {
    done = 0;
    for (const side of [client, server]) {
      try {
        side.doHandshake();
        done++;
      } catch (e) {
        if (!(e instanceof WantReadError)) throw e;
      }
    }
    pump(client, server);
  }
  return { client, server };
}

function rate(fn, minIters = 5) {
  fn();
  let n = 0;
  const start = process.hrtime.bigint();
  for (;;) {
    fn();
    n++;
    const s = Number(process.hrtime.bigint() - start) / 1e9;
    if (s >= BUDGET && n >= minIters) return n / s;
  }
}

const ids = { ec: identity('ec'), rsa: identity('rsa') };
const ours = {};
const cctx = new Context(TLS_METHOD);
for (const [kind, label] of [['ec', 'P-256'], ['rsa', 'RSA-2048']]) {
  const sctx = new Context(TLS_METHOD);
  sctx.useCertificate(ids[kind].cert);
  sctx.usePrivatekey(ids[kind].key);
  ours[`full TLS 1.3 handshake (${label})`] = rate(() => handshake(cctx, sctx));
  const { client } = handshake(cctx, sctx);
  try {
    client.recv(1);
  } catch (e) {
    if (!(e instanceof WantReadError)) throw e;
  }
  const session = client.getSession();
  ours[`resumed TLS 1.3 handshake (${label})`] = rate(() => {
    const p = handshake(cctx, sctx, session);
    if (!p.client.sessionReused()) throw new Error('not resumed');
  });
}
{
  const sctx = new Context(TLS_METHOD);
  sctx.useCertificate(ids.ec.cert);
  sctx.usePrivatekey(ids.ec.key);
  const { client, server } = handshake(cctx, sctx);
  const chunk = Buffer.alloc(16384, 120);
  const sink = Buffer.allocUnsafe(16384);
  const bulk = () => {
    let total = 0;
    for (let i = 0; i < 64; i++) {
      client.send(chunk);
      pump(client, server);
      for (let got = 0; got < chunk.length; ) got += server.recvInto(sink);
      total += chunk.length;
    }
    return total;
  };
  bulk();
  let moved = 0;
  const start = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - start) / 1e9 < BUDGET) moved += bulk();
  ours['bulk 16 KiB sends (MB/s)'] = moved / (Number(process.hrtime.bigint() - start) / 1e9) / 1e6;
  ours.cipher = client.getCipherName();
}

let py = {};
const r = spawnSync('/usr/bin/python3', [join(here, 'tls_bench.py'), String(BUDGET)], {
  input: JSON.stringify({ ec: { cert: ids.ec.certPem, key: ids.ec.keyPem }, rsa: { cert: ids.rsa.certPem, key: ids.rsa.keyPem } }),
  encoding: 'utf8',
});
if (r.status === 0) py = JSON.parse(r.stdout);
else console.error(`pyOpenSSL not measured: ${r.stderr.trim().split('\n').pop()}`);

// `openssl speed` for the negotiated cipher at 16 KiB: the one-core encryption limit.
let speedLimit;
const evp = ours.cipher === 'TLS_AES_256_GCM_SHA384' ? 'aes-256-gcm' : ours.cipher === 'TLS_AES_128_GCM_SHA256' ? 'aes-128-gcm' : 'chacha20-poly1305';
const speed = spawnSync('openssl', ['speed', '-evp', evp, '-seconds', '1', '-bytes', '16384'], { encoding: 'utf8' });
const m = /\n\S+\s+([\d.]+)k\s*$/m.exec(speed.stdout ?? '');
if (m) speedLimit = (Number(m[1]) * 1000) / 1e6 / 2;

// The same limit for the OpenSSL inside Node (what ossl runs on): node:crypto encrypting and
// decrypting 16 KiB with the negotiated cipher, one core doing both.
let inProcessLimit;
{
  const { createCipheriv, createDecipheriv } = await import('node:crypto');
  const keyLen = evp === 'aes-128-gcm' ? 16 : 32;
  const k = Buffer.alloc(keyLen, 1);
  const iv = Buffer.alloc(12, 2);
  const data = Buffer.alloc(16384, 3);
  const enc = createCipheriv(evp, k, iv, evp.startsWith('chacha') ? { authTagLength: 16 } : undefined);
  const dec = createDecipheriv(evp, k, iv, evp.startsWith('chacha') ? { authTagLength: 16 } : undefined);
  const once = () => dec.update(enc.update(data));
  for (let i = 0; i < 200; i++) once();
  let n = 0;
  const start = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - start) / 1e9 < BUDGET) {
    once();
    n++;
  }
  inProcessLimit = (n * data.length) / (Number(process.hrtime.bigint() - start) / 1e9) / 1e6;
}

const dir = mkdtempSync(join(tmpdir(), 'ossl-bench-'));
writeFileSync(join(dir, 'c.pem'), ids.ec.certPem);
writeFileSync(join(dir, 'k.pem'), ids.ec.keyPem);

// The same in-memory rows (P-256) as a C loop on the same OpenSSL version.
const native = nativeTls(join(dir, 'c.pem'), join(dir, 'k.pem'), BUDGET);
if (native.error) console.error(`native-only loop not measured: ${native.error}`);
const nativeRows = {
  'full TLS 1.3 handshake (P-256)': native.full,
  'resumed TLS 1.3 handshake (P-256)': native.resumed,
  'bulk 16 KiB sends (MB/s)': native.bulk,
};

// ---- loopback, server in another process ----

const peers = new Set();
process.on('exit', () => peers.forEach((p) => p.kill()));
async function startPeer(impl) {
  const proc = spawn(process.execPath, [join(here, 'tls-peer.mjs'), impl, join(dir, 'c.pem'), join(dir, 'k.pem')], { stdio: ['ignore', 'pipe', 'inherit'] });
  peers.add(proc);
  const port = await new Promise((resolve) => proc.stdout.once('data', (d) => resolve(Number(/PORT (\d+)/.exec(d.toString())[1]))));
  return { proc, port };
}

async function oneOssl(port, ctx) {
  const conn = new SocketConnection(ctx, new net.Socket(), { timeout: 10_000 });
  await conn.connect(['127.0.0.1', port]);
  await conn.doHandshake();
  await conn.recv(1);
  await conn.close();
}

function oneNode(port) {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false }, () => {
      s.once('data', () => {
        s.destroy();
        resolve();
      });
    });
    s.on('error', reject);
  });
}

async function loopRate(one, concurrency) {
  const run = async (seconds) => {
    let n = 0;
    const end = Date.now() + seconds * 1000;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        await one();
        n++;
      }
    }));
    return n / seconds;
  };
  await run(0.2);
  return run(BUDGET);
}

const loop = {};
const clientCtx = new Context(TLS_METHOD);
for (const impl of ['ossl', 'node']) {
  const peer = await startPeer(impl);
  const one = impl === 'ossl' ? () => oneOssl(peer.port, clientCtx) : () => oneNode(peer.port);
  for (const c of [1, 16]) loop[`${impl} c${c}`] = await loopRate(one, c);
  peer.proc.kill();
}

// Bulk over loopback: a node:tls server in another process streams 32 MiB to each client.
const BULK_BYTES = 32 * 1024 * 1024;
async function bulkOssl(port) {
  const conn = new SocketConnection(clientCtx, new net.Socket(), { timeout: 30_000 });
  await conn.connect(['127.0.0.1', port]);
  await conn.doHandshake();
  let got = 0;
  for (;;) {
    try {
      got += (await conn.recv(256 * 1024)).length;
    } catch (e) {
      if (e instanceof ZeroReturnError) break; // the server's close_notify, as in pyOpenSSL
      throw e;
    }
  }
  await conn.close();
  return got;
}
function bulkStream(socket) {
  return new Promise((resolve, reject) => {
    let got = 0;
    socket.on('data', (d) => (got += d.length));
    socket.on('end', () => {
      socket.destroy();
      resolve(got);
    });
    socket.on('error', reject);
  });
}
const bulkNode = (port) => bulkStream(tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false }));
const bulkCompat = (port) => bulkStream(compatNet.connect({ port, host: '127.0.0.1', rejectUnauthorized: false }));
const stream = {};
{
  const peer = await startPeer('bulk');
  for (const [name, fn] of [['node:tls', bulkNode], ['ossl SecureSocket', bulkCompat], ['ossl SocketConnection', bulkOssl]]) {
    await fn(peer.port);
    let bytes = 0;
    const start = process.hrtime.bigint();
    do {
      const got = await fn(peer.port);
      if (got !== BULK_BYTES) throw new Error(`${name} received ${got} bytes, expected ${BULK_BYTES}`);
      bytes += got;
    } while (Number(process.hrtime.bigint() - start) / 1e9 < BUDGET);
    stream[name] = bytes / (Number(process.hrtime.bigint() - start) / 1e9) / 1e6;
  }
  peer.proc.kill();
}
rmSync(dir, { recursive: true, force: true });

const f = (x) => (x === undefined ? 'n/a' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
console.log(`ossl TLS benchmark — ${opensslVersion()}, Node ${process.version}, ${BUDGET}s per measurement\n`);
console.log('In memory, both ends in one process (per second; bulk in MB/s). "native loop" is the same sequence as a C');
console.log(`program on ${native.openssl ?? 'the system OpenSSL'} (bench/src/native_loop.c), with no JavaScript at all; its`);
console.log("build's AES-GCM is faster than Node's bundled one, so compare bulk with the node:crypto limit below:");
console.log('| measurement | ossl | pyOpenSSL 23 | native loop | ossl / pyOpenSSL | ossl / native loop |');
console.log('|---|---|---|---|---|---|');
const ratioOf = (a, b) => (a && b ? `${(a / b).toFixed(2)}x` : 'n/a');
for (const k of Object.keys(ours).filter((k) => k !== 'cipher')) {
  console.log(`| ${k} | ${f(ours[k])} | ${f(py[k])} | ${f(nativeRows[k])} | ${ratioOf(ours[k], py[k])} | ${ratioOf(ours[k], nativeRows[k])} |`);
}
const bulk = ours['bulk 16 KiB sends (MB/s)'];
if (speedLimit) console.log(`\nBulk cipher ${ours.cipher}. One-core limit (encrypt + decrypt, 16 KiB): the system \`openssl speed -evp ${evp}\` gives ${f(speedLimit)} MB/s (ossl reaches ${((bulk / speedLimit) * 100).toFixed(0)}%);`);
console.log(`the OpenSSL inside Node (node:crypto, same cipher) gives ${f(inProcessLimit)} MB/s (ossl reaches ${((bulk / inProcessLimit) * 100).toFixed(0)}%).`);
console.log('\nOver loopback, server in another process, full TLS 1.3 handshakes per second (P-256):');
console.log('| concurrency | ossl SocketConnection | node:tls | ossl / node:tls |');
console.log('|---|---|---|---|');
for (const c of [1, 16]) console.log(`| ${c} | ${f(loop[`ossl c${c}`])} | ${f(loop[`node c${c}`])} | ${(loop[`ossl c${c}`] / loop[`node c${c}`]).toFixed(2)}x |`);
console.log('\nOver loopback, a node:tls server in another process streams 32 MiB per connection; client receive MB/s:');
console.log('| client | MB/s | / node:tls |');
console.log('|---|---|---|');
for (const [name, v] of Object.entries(stream)) console.log(`| ${name} | ${f(v)} | ${(v / stream['node:tls']).toFixed(2)}x |`);
if (argv.json) {
  const lines = [];
  for (const k of Object.keys(ours).filter((k) => k !== 'cipher')) lines.push({ bench: 'tls', cell: k, ossl: ours[k], pyOpenSSL: py[k] ?? null, native: nativeRows[k] ?? null });
  lines.push({ bench: 'tls', cell: 'bulk limit (MB/s)', cipher: ours.cipher, nodeCrypto: inProcessLimit, opensslSpeed: speedLimit ?? null });
  for (const c of [1, 16]) lines.push({ bench: 'tls', cell: `loopback handshakes c${c}`, ossl: loop[`ossl c${c}`], 'node:tls': loop[`node c${c}`] });
  for (const [name, v] of Object.entries(stream)) lines.push({ bench: 'tls', cell: 'loopback receive (MB/s)', client: name, rate: v });
  writeFileSync(argv.json, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`, { flag: 'a' });
}
