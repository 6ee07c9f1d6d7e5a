#!/usr/bin/env node
// The other end for bench/src/compat-net.mjs, in its own process, always node:tls:
// `node compat-net-peer.mjs CERT KEY CA`, started with an IPC channel (it exits when the channel closes).
//
// Servers (their ports go to the parent in a `ready` message):
//   hs     handshake, write one byte, leave the closing to the client
//   sink   read an 8-byte big-endian length N, then N bytes; answer one byte once all N arrived
//   source read an 8-byte big-endian length N, then send N bytes in 16 KiB writes (respecting 'drain'), end
// Client (for the parent's servers), on a `drive` message {id, port, count, concurrency, resume,
// maxVersion, warmup}: `count` handshakes against 127.0.0.1:port at that concurrency, each verifying
// the server (ca, servername 'localhost') and waiting for its one byte; answers {id, rate, reused}.
import { readFileSync } from 'node:fs';
import tls from 'node:tls';

const [certFile, keyFile, caFile] = process.argv.slice(2);
const cert = readFileSync(certFile);
const key = readFileSync(keyFile);
const ca = readFileSync(caFile);
const CHUNK = 16 * 1024;
const chunk = Buffer.alloc(CHUNK, 0x61);

if (!process.send) {
  console.error('compat-net-peer.mjs must be started with an IPC channel');
  process.exit(2);
}
process.on('disconnect', () => process.exit(0));

/** Calls `onLength(n)` once the first 8 bytes (a big-endian length) arrived, then `onRest(buf)` for what follows. */
function withLength(s, onLength, onRest) {
  let head = Buffer.alloc(0);
  let n = -1;
  s.on('data', (d) => {
    if (n < 0) {
      head = Buffer.concat([head, d]);
      if (head.length < 8) return;
      n = Number(head.readBigUInt64BE(0));
      const rest = head.subarray(8);
      onLength(n);
      if (rest.length) onRest?.(rest);
    } else onRest?.(d);
  });
}

const hs = tls.createServer({ cert, key }, (s) => {
  s.on('error', () => {});
  s.write('k');
});

const sink = tls.createServer({ cert, key }, (s) => {
  s.on('error', () => {});
  let want = -1;
  let got = 0;
  withLength(
    s,
    (n) => {
      want = n;
      if (got >= want) s.write('k');
    },
    (d) => {
      const before = got;
      got += d.length;
      if (want >= 0 && before < want && got >= want) s.write('k');
    },
  );
});

const source = tls.createServer({ cert, key }, (s) => {
  s.on('error', () => {});
  withLength(s, (n) => {
    let left = n;
    const more = () => {
      while (left > 0) {
        const len = Math.min(CHUNK, left);
        left -= len;
        if (!s.write(len === CHUNK ? chunk : chunk.subarray(0, len))) return void s.once('drain', more);
      }
      s.end();
    };
    more();
  });
});

function handshake(port, opts, wantSession) {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, ca, servername: 'localhost', ...opts });
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
      if (!s.authorized) return void reject(new Error(`peer client: server not authorized: ${s.authorizationError}`));
      if (opts.maxVersion && s.getProtocol() !== opts.maxVersion) return void reject(new Error(`peer client: negotiated ${s.getProtocol()}, wanted ${opts.maxVersion}`));
      reused = s.isSessionReused();
    });
    if (wantSession) s.once('session', (d) => ((session = d), done()));
    s.once('data', () => ((gotByte = true), done()));
  });
}

async function loop(count, concurrency, one) {
  let started = 0;
  let reused = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < count) {
        started++;
        if ((await one()).reused) reused++;
      }
    }),
  );
  return { rate: count / (Number(process.hrtime.bigint() - t0) / 1e9), reused };
}

async function drive({ port, count, concurrency, resume, maxVersion, warmup }) {
  const base = maxVersion ? { maxVersion } : {};
  let opts = base;
  if (resume) {
    const seed = await handshake(port, base, true);
    opts = { ...base, session: seed.session };
  }
  const one = () => handshake(port, opts, false);
  if (warmup) await loop(warmup, concurrency, one);
  return loop(count, concurrency, one);
}

process.on('message', (m) => {
  if (m?.type !== 'drive') return;
  drive(m).then(
    (r) => process.send({ type: 'result', id: m.id, ...r }),
    (e) => process.send({ type: 'error', id: m.id, message: String(e?.stack ?? e) }),
  );
});

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const ports = { hs: await listen(hs), sink: await listen(sink), source: await listen(source) };
process.send({ type: 'ready', ports });
