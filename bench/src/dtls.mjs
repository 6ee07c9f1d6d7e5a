#!/usr/bin/env node
// DTLS benchmark. In memory (both ends in this process): DTLS 1.2 handshakes per second and bulk
// throughput in 1 KiB records between two Connections, beside the same sequence as a native-only C
// loop on the same OpenSSL version (native_loop.c): OpenSSL's own figure, with no JavaScript. Over
// UDP loopback: DTLSSocket clients against a DTLSServer (cookie exchange included), and against
// `openssl s_server -dtls` in another process, handshakes per second; and bulk records one way.
// Prints tables; asserts nothing.
//
//   node bench/src/dtls.mjs [seconds-per-measurement] [--quick] [--json FILE]
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { identity } from './identity.mjs';
import { nativeDtls } from './native-loop.mjs';
import { opensslVersion } from '@ossl/crypto';
import { Connection, Context, DTLS_METHOD, DTLSServer, DTLSSocket, OP_NO_QUERY_MTU, WantReadError } from '@ossl/ssl';

const { values: argv, positionals } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, json: { type: 'string' } },
  allowPositionals: true,
});
const BUDGET = argv.quick ? 0.05 : Number(positionals[0] ?? 1);
const RECORD = 1024;

const id = identity('ec');
const sctx = new Context(DTLS_METHOD);
sctx.useCertificate(id.cert);
sctx.usePrivatekey(id.key);
const cctx = new Context(DTLS_METHOD);

function pump(a, b) {
  for (const [x, y] of [[a, b], [b, a]]) while (x.bioPending() > 0) y.bioWrite(x.bioRead(65536));
}

function pair() {
  const client = new Connection(cctx);
  const server = new Connection(sctx);
  for (const c of [client, server]) {
    c.setOptions(OP_NO_QUERY_MTU);
    c.setCiphertextMtu(1200);
  }
  client.setConnectState();
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

function timed(fn) {
  fn();
  let n = 0;
  const start = process.hrtime.bigint();
  for (;;) {
    n += fn();
    const s = Number(process.hrtime.bigint() - start) / 1e9;
    if (s >= BUDGET) return n / s;
  }
}

const ours = {};
ours['DTLS 1.2 handshake (P-256)'] = timed(() => (pair(), 1));
{
  const { client, server } = pair();
  const chunk = Buffer.alloc(RECORD, 120);
  const sink = Buffer.allocUnsafe(16384);
  ours[`bulk ${RECORD}-byte records (MB/s)`] =
    timed(() => {
      // As DTLSSocket does: encrypt() takes the record and gives the datagram in one call.
      for (let i = 0; i < 256; i++) {
        server.bioWrite(client.encrypt(chunk));
        if (server.recvInto(sink) !== RECORD) throw new Error('short record');
      }
      return 256 * RECORD;
    }) / 1e6;
  ours.cipher = client.getCipherName();
}

const dir = mkdtempSync(join(tmpdir(), 'ossl-bench-dtls-'));
writeFileSync(join(dir, 'c.pem'), id.certPem);
writeFileSync(join(dir, 'k.pem'), id.keyPem);
const native = nativeDtls(join(dir, 'c.pem'), join(dir, 'k.pem'), BUDGET, RECORD);
if (native.error) console.error(`native-only loop not measured: ${native.error}`);
const nativeRows = { 'DTLS 1.2 handshake (P-256)': native.handshakes, [`bulk ${RECORD}-byte records (MB/s)`]: native.bulk };

// ---- UDP loopback ----

async function loopRate(port, concurrency) {
  const run = async (seconds) => {
    let n = 0;
    const end = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < end) {
          const s = await DTLSSocket.connect(cctx, { port, host: '127.0.0.1', servername: null });
          await s.close();
          n++;
        }
      }),
    );
    return n / seconds;
  };
  await run(Math.min(0.2, BUDGET));
  return run(BUDGET);
}

const loop = {};
{
  const server = new DTLSServer(sctx);
  server.on('connection', (peer) => peer.on('message', () => undefined));
  const { port } = await server.listen(0);
  for (const c of [1, 8]) loop[`ossl DTLSServer c${c}`] = await loopRate(port, c);
  // Bulk one way: records from a DTLSSocket to the server, counted as they are decrypted.
  const receiver = server.accept();
  const client = await DTLSSocket.connect(cctx, { port, host: '127.0.0.1', servername: null });
  const peer = await receiver;
  let got = 0;
  peer.on('message', (m) => (got += m.length));
  const chunk = Buffer.alloc(RECORD, 120);
  const start = process.hrtime.bigint();
  let sent = 0;
  while (Number(process.hrtime.bigint() - start) / 1e9 < BUDGET) {
    for (let i = 0; i < 64; i++) client.send(chunk);
    sent += 64 * RECORD;
    // Lets the receiver drain, so the kernel's socket buffer does not drop the burst.
    await new Promise((r) => setImmediate(r));
  }
  await new Promise((r) => setTimeout(r, 50));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  loop['bulk sent (MB/s)'] = sent / seconds / 1e6;
  loop['bulk received (MB/s)'] = got / seconds / 1e6;
  await client.close();
  await server.close();
}

async function freeUdpPort() {
  const s = dgram.createSocket('udp4');
  await new Promise((r) => s.bind(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}
{
  const port = await freeUdpPort();
  const proc = spawn('openssl', ['s_server', '-dtls', '-accept', `127.0.0.1:${port}`, '-cert', join(dir, 'c.pem'), '-key', join(dir, 'k.pem'), '-quiet'], { stdio: ['pipe', 'pipe', 'pipe'] });
  await new Promise((r) => setTimeout(r, 300));
  try {
    // s_server serves one association at a time.
    loop['openssl s_server -dtls c1'] = await loopRate(port, 1);
  } catch (e) {
    console.error(`openssl s_server -dtls not measured: ${e.message}`);
  }
  proc.kill();
}
rmSync(dir, { recursive: true, force: true });

const f = (x) => (x === undefined ? 'n/a' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const ratioOf = (a, b) => (a && b ? `${(a / b).toFixed(2)}x` : 'n/a');
console.log(`ossl DTLS benchmark — ${opensslVersion()}, Node ${process.version}, ${BUDGET}s per measurement\n`);
console.log(`In memory, both ends in one process (per second; bulk in MB/s, cipher ${ours.cipher}). "native loop" is the`);
console.log(`same sequence as a C program on ${native.openssl ?? 'the system OpenSSL'} (bench/src/native_loop.c):`);
console.log('| measurement | ossl | native loop | ossl / native loop |');
console.log('|---|---|---|---|');
for (const k of Object.keys(ours).filter((k) => k !== 'cipher')) console.log(`| ${k} | ${f(ours[k])} | ${f(nativeRows[k])} | ${ratioOf(ours[k], nativeRows[k])} |`);
console.log('\nOver UDP loopback: DTLSSocket clients, a full handshake (with the cookie exchange) and a close each, per second;');
console.log(`and ${RECORD}-byte records one way (what the receiver decrypted, and what was sent):`);
console.log('| measurement | value |');
console.log('|---|---|');
for (const [k, v] of Object.entries(loop)) console.log(`| ${k} | ${f(v)} |`);
if (loop['openssl s_server -dtls c1'] && loop['ossl DTLSServer c1']) {
  console.log(`\nDTLSServer / openssl s_server -dtls at concurrency 1 (same client): ${ratioOf(loop['ossl DTLSServer c1'], loop['openssl s_server -dtls c1'])}`);
}
if (argv.json) {
  const lines = [];
  for (const k of Object.keys(ours).filter((k) => k !== 'cipher')) lines.push({ bench: 'dtls', cell: k, ossl: ours[k], native: nativeRows[k] ?? null });
  for (const [k, v] of Object.entries(loop)) lines.push({ bench: 'dtls', cell: `loopback ${k}`, rate: v });
  writeFileSync(argv.json, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`, { flag: 'a' });
}
process.exit(0);
