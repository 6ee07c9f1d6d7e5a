// Helpers of https-client-interop.test.ts: nginx serving what the HTTP clients are compared on, tinyproxy
// (with and without Basic auth), a CONNECT proxy that forwards any name to one loopback port, TLS and
// TCP servers that record what clients send, and the CPython / child-node oracles run as processes.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { dirname, join } from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import type { Identity } from '@ossl/testkit';
import { listenLoopback, tempFiles } from '@ossl/testkit';

import { BIN, freePort, launch, nginxHead, waitForPort } from './interop.js';
import type { Peer } from './peers.js';

export type Cleanups = Array<() => unknown>;

/** The folder of this file (the python scripts live next to it). */
export const SUPPORT = dirname(fileURLToPath(import.meta.url));

// ---- servers on loopback that clean up after themselves ----

/** Listens on 127.0.0.1 (port 0); the cleanup closes the server and every socket it accepted. */
export const listen = (server: net.Server, cleanups: Cleanups): Promise<number> => listenLoopback(server, cleanups);

// ---- nginx ----

export interface HttpsNginx {
  /** TLS 1.2/1.3 server: /hello, /cookies, /echo (proxied), /chunked (proxied), /static.txt, /redirect, 404s. */
  port: number;
  /** The server that asks for a client certificate (optional) and answers /whoami with its DN, else 403. */
  certPort: number;
  /** The bytes of /static.txt. */
  staticBody: Buffer;
  /** What the /echo backend received: method, URL and body of each request. */
  echoed: Array<{ method: string; url: string; body: Buffer }>;
}

/** The fixed bodies nginx answers. */
export const NGINX_HELLO = 'hello from nginx\n';
export const NGINX_COOKIES = 'two cookies\n';

/**
 * nginx with the server identity (`files`: server.pem, server.key, ca.pem), its own nginx.conf in a
 * temporary prefix. Every response of the main server carries `X-Conn: $connection` and
 * `X-Req: $connection_requests`, nginx's own proof of keep-alive, and `X-TLS-Protocol`. /echo and /chunked go to a
 * node:http backend (echo: `METHOD URL BODY`; chunked: a body without a length, which nginx sends
 * chunked).
 */
export async function startHttpsNginx(path: (n: string) => string, running: Peer[], cleanups: Cleanups): Promise<HttpsNginx> {
  const echoed: HttpsNginx['echoed'] = [];
  const backend = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      echoed.push({ method: req.method ?? '', url: req.url ?? '', body });
      if (req.url === '/chunked') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.write('first part, ');
        res.write('second part, ');
        res.end('last part\n');
        return;
      }
      const text = Buffer.concat([Buffer.from(`${req.method} ${req.url} `), body]);
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': text.length, 'X-Backend': 'node' });
      res.end(text);
    });
  });
  const backendPort = await listen(backend, cleanups);
  const dir = tempFiles({});
  cleanups.push(dir.cleanup);
  const prefix = dir.dir;
  mkdirSync(join(prefix, 'tmp'));
  mkdirSync(join(prefix, 'html'));
  const staticBody = Buffer.from(Array.from({ length: 4000 }, (_, i) => `static line ${String(i).padStart(5, '0')}\n`).join(''));
  writeFileSync(join(prefix, 'html', 'static.txt'), staticBody);
  const port = await freePort();
  let certPort = await freePort();
  while (certPort === port) certPort = await freePort();
  // add_header in a location replaces the server's: every location that adds headers repeats these.
  const keepAliveHeaders = 'add_header X-Conn $connection always; add_header X-Req $connection_requests always; add_header X-TLS-Protocol $ssl_protocol always; add_header X-Saw-Proxy-Auth $http_proxy_authorization always;';
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `
${nginxHead(prefix, join(prefix, 'tmp'))}
  default_type application/octet-stream;
  client_max_body_size 4m;
  keepalive_timeout 600s;
  keepalive_requests 1000;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_certificate ${path('server.pem')};
  ssl_certificate_key ${path('server.key')};
  server {
    listen 127.0.0.1:${port} ssl;
    server_name localhost;
    root ${prefix}/html;
    ${keepAliveHeaders}
    location = /hello { default_type text/plain; return 200 "${NGINX_HELLO.replace('\n', '\\n')}"; }
    location = /cookies {
      ${keepAliveHeaders}
      add_header Set-Cookie "a=1; Path=/" always;
      add_header Set-Cookie "b=2; Path=/; HttpOnly" always;
      default_type text/plain;
      return 200 "${NGINX_COOKIES.replace('\n', '\\n')}";
    }
    location = /redirect { return 301 /hello; }
    location = /echo { proxy_pass http://127.0.0.1:${backendPort}; }
    location = /chunked { proxy_pass http://127.0.0.1:${backendPort}; }
  }
  server {
    listen 127.0.0.1:${certPort} ssl;
    server_name localhost;
    ssl_verify_client optional;
    ssl_client_certificate ${path('ca.pem')};
    add_header X-Client-Verify $ssl_client_verify always;
    location = /whoami {
      if ($ssl_client_verify != SUCCESS) { return 403; }
      default_type text/plain;
      return 200 "$ssl_client_s_dn";
    }
  }
}
`,
  );
  const nginx = launch(BIN.nginx, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], running);
  if (!(await waitForPort(port, nginx)) || !(await waitForPort(certPort, nginx))) {
    // A binary that could not be started rejects `exited` with the reason (not installed: provision it).
    await nginx.exited;
    throw new Error(`nginx did not start: ${nginx.output()}`);
  }
  return { port, certPort, staticBody, echoed };
}

// ---- tinyproxy ----

/** Debian installs tinyproxy in /usr/bin (some releases /usr/sbin, which a non-login PATH may lack). */
const TINYPROXY = existsSync('/usr/sbin/tinyproxy') && !existsSync('/usr/bin/tinyproxy') ? '/usr/sbin/tinyproxy' : 'tinyproxy';

/** tinyproxy on a free loopback port (with `auth`, `BasicAuth user pass`); resolves once it accepts. */
export async function startTinyproxy(running: Peer[], cleanups: Cleanups, auth?: { user: string; pass: string }): Promise<number> {
  const port = await freePort();
  const files = tempFiles({
    'tinyproxy.conf': `Port ${port}\nListen 127.0.0.1\nTimeout 600\nMaxClients 20\nAllow 127.0.0.1\nLogLevel Critical\n${auth ? `BasicAuth ${auth.user} ${auth.pass}\n` : ''}`,
  });
  cleanups.push(files.cleanup);
  const proxy = launch(TINYPROXY, ['-d', '-c', files.path('tinyproxy.conf')], running);
  if (!(await waitForPort(port, proxy))) {
    await proxy.exited;
    throw new Error(`tinyproxy did not start: ${proxy.output()}`);
  }
  return port;
}

// ---- a CONNECT proxy that sends every tunnel to a loopback port ----

/**
 * A CONNECT proxy that answers 200 and relays `CONNECT anyname:PORT` to 127.0.0.1:PORT: lets a client
 * open its TLS session with a host name nothing resolves (the client verifies the tunnel's host name,
 * as it would through any proxy). `heads` are the CONNECT requests received.
 */
export async function forwardingProxy(cleanups: Cleanups): Promise<{ port: number; heads: string[] }> {
  const heads: string[] = [];
  const server = net.createServer((client) => {
    client.on('error', () => undefined);
    let head = Buffer.alloc(0);
    const onData = (d: Buffer): void => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      client.pause();
      const text = head.subarray(0, end + 4).toString('latin1');
      heads.push(text);
      const m = /^CONNECT \S+:(\d+) HTTP\/1\.[01]\r\n/.exec(text);
      if (!m) {
        client.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const upstream = net.connect(Number(m[1]), '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        const rest = head.subarray(end + 4);
        if (rest.length > 0) upstream.write(rest);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on('error', () => client.destroy());
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
    };
    client.on('data', onData);
  });
  const port = await listen(server, cleanups);
  return { port, heads };
}

// ---- recording servers ----

/** One request as a recording server saw it. */
export interface RecordedRequest {
  /** `GET /p HTTP/1.1` */
  line: string;
  /** The header lines in order, as sent: `[name, value]`. */
  headers: [string, string][];
  /** The body (Content-Length framed). */
  body: Buffer;
  /** The TCP connection it came on (0, 1, ...). */
  connection: number;
}

/**
 * A node:tls server with `identity` that records every request head (and its Content-Length body)
 * and answers each with `HTTP/1.1 200 OK` + `Content-Length: 0`, keeping the connection open.
 */
export async function recordingHttpsServer(identity: Identity, cleanups: Cleanups): Promise<{ port: number; requests: RecordedRequest[] }> {
  const requests: RecordedRequest[] = [];
  let connections = 0;
  const server = tls.createServer({ key: identity.keyPem, cert: identity.certPem }, (s) => {
    const connection = connections++;
    let buf = Buffer.alloc(0);
    s.on('error', () => undefined);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [line = '', ...rest] = buf.subarray(0, end).toString('latin1').split('\r\n');
        const headers = rest.map((l): [string, string] => {
          const i = l.indexOf(':');
          return [l.slice(0, i), l.slice(i + 1).trim()];
        });
        const length = Number(headers.find(([k]) => k.toLowerCase() === 'content-length')?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        requests.push({ line, headers, body: buf.subarray(end + 4, end + 4 + length), connection });
        buf = buf.subarray(end + 4 + length);
        s.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      }
    });
  });
  server.on('tlsClientError', () => undefined);
  const port = await listen(server, cleanups);
  return { port, requests };
}

/**
 * A plain TCP server (no TLS) that records every byte of each connection; once a connection has sent
 * one whole TLS record (or 5 bytes that cannot start one), it answers `reply` and ends.
 */
export async function recordingTcpServer(reply: string, cleanups: Cleanups): Promise<{ port: number; received: Buffer[]; closed: Promise<void>[] }> {
  const received: Buffer[] = [];
  const closed: Promise<void>[] = [];
  const server = net.createServer((s) => {
    const index = received.push(Buffer.alloc(0)) - 1;
    closed.push(new Promise((resolve) => s.on('close', () => resolve())));
    let answered = false;
    s.on('error', () => undefined);
    s.on('data', (d: Buffer) => {
      received[index] = Buffer.concat([received[index]!, d]);
      const got = received[index]!;
      if (answered || got.length < 5) return;
      const isRecord = got[0]! >= 0x14 && got[0]! <= 0x17 && got[1] === 0x03;
      if (isRecord && got.length < 5 + got.readUInt16BE(3)) return;
      answered = true;
      s.end(reply);
    });
  });
  const port = await listen(server, cleanups);
  return { port, received, closed };
}

/** Splits bytes into TLS records: `{type, version, length, fragment}`; throws on a partial or non-TLS one. */
export function tlsRecords(bytes: Buffer): Array<{ type: number; version: number; fragment: Buffer }> {
  const records: Array<{ type: number; version: number; fragment: Buffer }> = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 5) throw new Error(`a partial TLS record header at ${at}: ${bytes.subarray(at).toString('hex')}`);
    const type = bytes[at]!;
    const version = bytes.readUInt16BE(at + 1);
    const length = bytes.readUInt16BE(at + 3);
    if (type < 0x14 || type > 0x17 || bytes[at + 1] !== 0x03) throw new Error(`not a TLS record at ${at}: ${bytes.subarray(at, at + 16).toString('hex')}`);
    if (bytes.length - at - 5 < length) throw new Error(`a partial TLS record at ${at}`);
    records.push({ type, version, fragment: bytes.subarray(at + 5, at + 5 + length) });
    at += 5 + length;
  }
  return records;
}

// ---- child processes: CPython and another node ----

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `cmd args` to its end (with `env` added to this process's environment). A binary that cannot be
 * started rejects with the reason (the test command provisions every peer: nothing is skipped).
 */
export function runChild(cmd: string, args: string[], cleanups: Cleanups, env: Record<string, string> = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    cleanups.push(() => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    });
    proc.once('error', (e: NodeJS.ErrnoException) => reject(new Error(`${cmd} could not be started (${e.code ?? e.message}); the test command (scripts/provision.mjs) installs it`)));
    proc.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs one of the python scripts of this folder with a JSON argument; returns the JSON lines it printed. */
export async function runPython<T>(script: string, arg: unknown, cleanups: Cleanups): Promise<T[]> {
  const r = await runChild(BIN.python, ['-u', join(SUPPORT, script), JSON.stringify(arg)], cleanups);
  if (r.code !== 0) throw new Error(`${script} exited with ${r.code}:\n${r.stderr}\n${r.stdout}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as T);
}

/** What CPython's http.client saw (support/https_client.py). */
export interface PyResponse {
  status: number;
  reason: string;
  version: number;
  headers: [string, string][];
  /** base64 */
  body: string;
}
export interface PyClientResult {
  responses: PyResponse[];
  error?: { type: string; reason: string | null; library: string | null; verify_code: number | null; verify_message: string | null; text: string };
}

/** One request for support/https_client.py. */
export interface PyRequest {
  method: string;
  path: string;
  /** base64 */
  body?: string;
  headers?: Record<string, string>;
}

export async function pythonHttpClient(
  arg: {
    host: string;
    port: number;
    cafile: string;
    certfile?: string;
    keyfile?: string;
    /** Connect to host:port as a proxy and CONNECT to this (http.client's set_tunnel). */
    tunnel?: { host: string; port: number; headers?: Record<string, string> };
    requests: PyRequest[];
  },
  cleanups: Cleanups,
): Promise<PyClientResult> {
  const [out] = await runPython<PyClientResult>('https_client.py', arg, cleanups);
  if (!out) throw new Error('https_client.py printed nothing');
  return out;
}

/** CPython's verdict on one server (support/https_verdict.py). */
export interface PyVerdict {
  id: string;
  ok: boolean;
  type?: string;
  reason?: string | null;
  verify_code?: number | null;
  verify_message?: string | null;
}

/**
 * Node's own global fetch, in a child node whose default trust has `caFile` (NODE_EXTRA_CA_CERTS: the
 * global fetch takes no CA option). Fetches `requests` in order and returns, for each, the status,
 * statusText, headers (iteration order: sorted, lower-cased, set-cookie apart), body (base64),
 * `redirected` and the final URL.
 */
export interface FetchSeen {
  status: number;
  statusText: string;
  headers: [string, string][];
  /** base64 */
  body: string;
  redirected: boolean;
  url: string;
}
export interface FetchRequest {
  url: string;
  method?: string;
  /** base64 */
  body?: string;
  headers?: Record<string, string>;
}

const GLOBAL_FETCH = String.raw`
const requests = JSON.parse(process.argv[1]);
(async () => {
  const out = [];
  for (const r of requests) {
    const init = { method: r.method ?? 'GET', headers: r.headers ?? {} };
    if (r.body !== undefined) init.body = Buffer.from(r.body, 'base64');
    const res = await fetch(r.url, init);
    const body = Buffer.from(await res.arrayBuffer());
    out.push({ status: res.status, statusText: res.statusText, headers: [...res.headers], body: body.toString('base64'), redirected: res.redirected, url: res.url });
  }
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.log(JSON.stringify({ error: String(e), cause: String(e && e.cause) }));
  process.exitCode = 3;
});
`;

export async function globalFetchInChild(requests: FetchRequest[], caFile: string, cleanups: Cleanups): Promise<FetchSeen[]> {
  const r = await runChild(process.execPath, ['-e', GLOBAL_FETCH, JSON.stringify(requests)], cleanups, { NODE_EXTRA_CA_CERTS: caFile });
  if (r.code !== 0) throw new Error(`the child node's global fetch failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as FetchSeen[];
}
