#!/usr/bin/env node
// HTTPS clients side by side on the same nginx (TLS 1.3, ECDSA P-256, loopback): requests/s for
// ossl's HTTPSConnection, ossl's Agent under node:https, and ossl's fetch, against node:https with
// its own Agent and Node's global fetch. Two rows per client:
//   - keep-alive: N sequential GETs over one kept-alive connection (`/keep`, 13-byte body);
//   - new connection: M sequential GETs to `/close`, where nginx answers `Connection: close`
//     (keepalive_timeout 0), so every request opens a new connection (each client resumes TLS
//     sessions as it does by default: node:https's and ossl's Agent and undici cache them; an
//     HTTPSConnection is one connection, as httplib's, and does a full handshake each time).
// Each run measures every cell for every client (order rotating), the table shows the median over
// the runs and the ratios of the medians against both anchors (above 1 is faster). Node's global
// fetch cannot be given a CA, so this script runs itself again with NODE_EXTRA_CA_CERTS set.
//
//   node bench/src/https-client.mjs [--runs 3] [--keep 2000] [--fresh 300] [--quick] [--json FILE]
//                                   [--clients 'ossl Agent,node:https'] (OSSL_BENCH_NODE_ARGS='--cpu-prof' reach the measuring child)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { Agent, HTTPSConnection, createDispatcher, fetch as osslFetch } from '@ossl/https-client';
import { createDefaultContext } from '@ossl/ssl';
import { opensslVersion } from '@ossl/crypto';
import { identity } from './identity.mjs';

const { values: argv } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    keep: { type: 'string', default: '2000' },
    fresh: { type: 'string', default: '300' },
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    clients: { type: 'string' },
  },
});
const RUNS = argv.quick ? 1 : Number(argv.runs);
const KEEP = argv.quick ? 50 : Number(argv.keep);
const FRESH = argv.quick ? 20 : Number(argv.fresh);
for (const [k, v] of Object.entries({ runs: RUNS, keep: KEEP, fresh: FRESH })) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer`);
}
const BODY = 'hello, world\n';

// ---- the parent: identity, nginx, then this script again with the CA trusted by Node ----
if (!process.env.OSSL_BENCH_HTTPS_PORT) {
  const dir = mkdtempSync(join(tmpdir(), 'ossl-https-bench-'));
  const id = identity('ec');
  writeFileSync(join(dir, 'cert.pem'), id.certPem);
  writeFileSync(join(dir, 'key.pem'), id.keyPem);
  const port = await freePort();
  const nginxBin = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
master_process off;
worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    ssl_protocols TLSv1.3;
    ssl_session_cache shared:bench:1m;
    location /keep { default_type text/plain; return 200 "${BODY.trim()}\\n"; }
    location /close { keepalive_timeout 0; default_type text/plain; return 200 "${BODY.trim()}\\n"; }
  }
}
`,
  );
  const nginx = spawn(nginxBin, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
  // One process (master_process off): a master killed with SIGKILL would leave its worker behind.
  const stop = () => {
    nginx.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', stop);
  for (let i = 0; i < 100 && !(await reachable(port)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await reachable(port))) throw new Error(`nginx did not start on port ${port} (is it installed? the test command provisions it)`);
  const nodeArgs = process.env.OSSL_BENCH_NODE_ARGS ? process.env.OSSL_BENCH_NODE_ARGS.split(' ') : [];
  const child = spawnSync(process.execPath, [...nodeArgs, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, OSSL_BENCH_HTTPS_PORT: String(port), OSSL_BENCH_HTTPS_CA: join(dir, 'cert.pem'), NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') },
  });
  process.exit(child.status ?? 1);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}
function reachable(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

// ---- the child: the measurements ----
const PORT = Number(process.env.OSSL_BENCH_HTTPS_PORT);
const { readFileSync } = await import('node:fs');
const CA = readFileSync(process.env.OSSL_BENCH_HTTPS_CA, 'utf8');
const url = (path) => `https://localhost:${PORT}${path}`;

function expectBody(text) {
  if (text !== BODY) throw new Error(`unexpected body ${JSON.stringify(text)}`);
}
function nodeGet(path, agent) {
  return new Promise((resolve, reject) => {
    https
      .get(url(path), { agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve(text));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Each client: `keep(n)` and `fresh(n)` run n sequential requests. */
const CLIENTS = {
  'node:https': {
    async keep(n) {
      const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < n; i++) expectBody(await nodeGet('/keep', agent));
      agent.destroy();
    },
    async fresh(n) {
      const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < n; i++) expectBody(await nodeGet('/close', agent));
      agent.destroy();
    },
  },
  'global fetch': {
    async keep(n) {
      for (let i = 0; i < n; i++) expectBody(await (await globalThis.fetch(url('/keep'))).text());
    },
    async fresh(n) {
      for (let i = 0; i < n; i++) expectBody(await (await globalThis.fetch(url('/close'))).text());
    },
  },
  HTTPSConnection: {
    async keep(n) {
      const conn = new HTTPSConnection('localhost', PORT, { context: createDefaultContext({ cadata: CA }) });
      for (let i = 0; i < n; i++) {
        await conn.request('GET', '/keep');
        expectBody((await (await conn.getresponse()).read()).toString());
      }
      conn.close();
    },
    async fresh(n) {
      const context = createDefaultContext({ cadata: CA });
      for (let i = 0; i < n; i++) {
        const conn = new HTTPSConnection('localhost', PORT, { context });
        await conn.request('GET', '/close');
        expectBody((await (await conn.getresponse()).read()).toString());
        conn.close();
      }
    },
  },
  'ossl Agent': {
    async keep(n) {
      const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: CA });
      for (let i = 0; i < n; i++) expectBody(await nodeGet('/keep', agent));
      agent.destroy();
    },
    async fresh(n) {
      const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: CA });
      for (let i = 0; i < n; i++) expectBody(await nodeGet('/close', agent));
      agent.destroy();
    },
  },
  'ossl fetch': {
    async keep(n) {
      const dispatcher = createDispatcher({ ca: CA });
      for (let i = 0; i < n; i++) expectBody(await (await osslFetch(url('/keep'), { dispatcher })).text());
      await dispatcher.close();
    },
    async fresh(n) {
      const dispatcher = createDispatcher({ ca: CA });
      for (let i = 0; i < n; i++) expectBody(await (await osslFetch(url('/close'), { dispatcher })).text());
      await dispatcher.close();
    },
  },
};
const ANCHORS = ['node:https', 'global fetch'];
const CELLS = [
  { key: 'keep', label: `keep-alive, ${KEEP} requests`, n: KEEP },
  { key: 'fresh', label: `new connection each, ${FRESH} requests`, n: FRESH },
];

const names = argv.clients ? argv.clients.split(',') : Object.keys(CLIENTS);
for (const n of names) if (!CLIENTS[n]) throw new Error(`--clients: no client ${JSON.stringify(n)} (${Object.keys(CLIENTS).join(', ')})`);
const results = {}; // `${cell}|${client}` -> [req/s]
const started = Date.now();
for (let run = 0; run < RUNS; run++) {
  for (const cell of CELLS) {
    const order = names.map((_, i) => names[(i + run) % names.length]);
    for (const name of order) {
      // A short warm-up (JIT, session caches), not measured.
      await CLIENTS[name][cell.key](Math.max(5, Math.ceil(cell.n / 20)));
      const t0 = process.hrtime.bigint();
      await CLIENTS[name][cell.key](cell.n);
      const rate = cell.n / (Number(process.hrtime.bigint() - t0) / 1e9);
      (results[`${cell.key}|${name}`] ??= []).push(rate);
      if (argv.json) writeFileSync(argv.json, `${JSON.stringify({ bench: 'https-client', cell: cell.key, client: name, run, rate })}\n`, { flag: 'a' });
    }
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const cpu = cpus();
console.log(`\nHTTPS clients on one nginx — Node ${process.version}, OpenSSL ${process.versions.openssl} (${opensslVersion()}), ${cpu.length} × ${cpu[0]?.model?.trim() ?? 'CPU'}`);
console.log(`${RUNS} run${RUNS === 1 ? '' : 's'}, median requests/s; TLS 1.3, ECDSA P-256, sequential GETs, 13-byte bodies; ratios against node:https (own Agent) and Node's global fetch, above 1 is faster. ${((Date.now() - started) / 1000).toFixed(0)} s.\n`);
console.log('| client | ' + CELLS.map((c) => `${c.label} | vs node:https | vs global fetch`).join(' | ') + ' |');
console.log('|---|' + CELLS.map(() => '---|---|---').join('|') + '|');
for (const name of names) {
  const cols = CELLS.map((c) => {
    const m = median(results[`${c.key}|${name}`]);
    const ratios = ANCHORS.map((a) => (results[`${c.key}|${a}`] ? (m / median(results[`${c.key}|${a}`])).toFixed(2) + 'x' : '-'));
    return `${m.toFixed(0)} | ${ratios.join(' | ')}`;
  });
  console.log(`| ${name} | ${cols.join(' | ')} |`);
}
