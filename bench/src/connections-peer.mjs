#!/usr/bin/env node
// One side of bench/src/connections.mjs, in its own process (started with --expose-gc and an IPC
// channel): `node connections-peer.mjs server|client IMPL CERT KEY` where IMPL is node:tls,
// or compat-net.
//   server: listens on 127.0.0.1:0, answers each connection with one byte after the handshake, then
//           holds it idle; reports {type: 'ready', port}.
//   client: on {type: 'open', port, count, concurrency}, opens `count` verified connections, reads
//           each one's byte, keeps them idle, and reports {type: 'opened'}.
// Both answer {type: 'measure', windowMs} with {type: 'measured', rss, heap, external, cpuMs, elu}
// after a full GC: memory now, and the CPU time and event-loop utilisation over `windowMs` of idling.
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import compatNet from '@ossl/compat-net';

const [role, impl, certFile, keyFile] = process.argv.slice(2);
const cert = readFileSync(certFile);
const key = readFileSync(keyFile);
if (!process.send || typeof globalThis.gc !== 'function') {
  console.error('connections-peer.mjs needs an IPC channel and --expose-gc');
  process.exit(2);
}
process.on('disconnect', () => process.exit(0));
const lib = impl === 'node:tls' ? tls : compatNet;
const held = [];


if (role === 'server') {
  const server = lib.createServer({ cert, key }, (s) => {
    held.push(s);
    s.on('error', () => undefined);
    s.write('x');
  });
  server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));
}

function openOne(port, context) {
  return new Promise((resolve, reject) => {
    const s = lib.connect({ port, host: '127.0.0.1', servername: 'localhost', secureContext: context });
    s.once('data', () => {
      held.push(s);
      resolve();
    });
    s.once('error', reject);
  });
}

process.on('message', async (m) => {
  if (m.type === 'open') {
    const context = lib.createSecureContext({ ca: cert });
    let next = 0;
    const worker = async () => {
      while (next < m.count) {
        next++;
        await openOne(m.port, context);
      }
    };
    await Promise.all(Array.from({ length: m.concurrency }, worker));
    process.send({ type: 'opened', count: held.length });
  } else if (m.type === 'measure') {
    // Collected, then what the collection left to finalise run out, then collected again: the window
    // measures steady idling, not the clean-up after the connections were made.
    for (let i = 0; i < 3; i++) globalThis.gc();
    await new Promise((r) => setTimeout(r, 500));
    globalThis.gc();
    const mem = process.memoryUsage();
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    await new Promise((r) => setTimeout(r, m.windowMs));
    const cpu = process.cpuUsage(cpu0);
    const elu = performance.eventLoopUtilization(elu0);
    process.send({ type: 'measured', rss: mem.rss, heap: mem.heapUsed, external: mem.external + mem.arrayBuffers, cpuMs: (cpu.user + cpu.system) / 1000, elu: elu.utilization });
  }
});
if (role === 'client') process.send({ type: 'ready' });
