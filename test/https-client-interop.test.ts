// @ossl/https-client against servers nobody here wrote (nginx, CPython's http.server, tinyproxy) and
// compared with oracles nobody here wrote: CPython's http.client and ssl.create_default_context(),
// node:https's own Agent and Node's own global fetch. Every entry point is covered: HTTPSConnection,
// ProxyHTTPSConnection, request(), Agent (under node:https) and fetch.
//   - nginx proves keep-alive itself ($connection, $connection_requests), and CPython's http.client
//     gets the same status, reason, headers and body; the request heads both send are the same but
//     for node:http's `Connection: keep-alive`.
//   - client certificates (certFile/keyFile, PKCS#12) against nginx's ssl_verify_client.
//   - HTTP/1.0 bodies that run to the end of the connection (CPython's http.server).
//   - CONNECT tunnels through tinyproxy, with and without Basic auth.
//   - badssl-style certificates: every entry point's verdict (and OpenSSL verify code) is CPython's.
//   - a plain TCP port: only a ClientHello goes out.
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CRL, dumpCertificate, dumpCrl, FILETYPE_PEM, loadCrl, PKCS12, Revoked, VERIFY_ERROR_NAMES, X509Extension, X509StoreFlags } from '@ossl/crypto';
import { CertificateVerifyError, createDefaultContext, TLS1_2_VERSION, TLS1_3_VERSION, type Context } from '@ossl/ssl';
import { Agent, createDispatcher, fetch as osslFetch, HTTPException, HTTPSConnection, ProxyHTTPSConnection, request } from '@ossl/https-client';
import { makeIdentity, makePki, tempFiles, type Identity } from '@ossl/testkit';

import { BIN, launch } from './support/interop.js';
import type { Peer } from './support/peers.js';
import { pkiFiles } from './support/pki-files.js';
import {
  forwardingProxy,
  globalFetchInChild,
  listen,
  NGINX_COOKIES,
  NGINX_HELLO,
  pythonHttpClient,
  recordingHttpsServer,
  recordingTcpServer,
  runPython,
  startHttpsNginx,
  startTinyproxy,
  SUPPORT,
  tlsRecords,
  type FetchRequest,
  type FetchSeen,
  type HttpsNginx,
  type PyRequest,
  type PyResponse,
  type PyVerdict,
} from './support/https-interop.js';

/** Hang guard only: nothing here waits on time. */
const HANG_GUARD = 120_000;

/** Per-test resources (connections, agents, short-lived servers), released after each test. */
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// One PKI for the whole file (EC keys: cheap), written to files for nginx, python and tinyproxy's peers.
const pki = makePki();
const fileCleanups: Array<() => void> = [];
const files = pkiFiles(pki, (fn) => fileCleanups.push(fn));
afterAll(() => {
  for (const c of fileCleanups.splice(0)) c();
});
const CA = files.path('ca.pem');
const CLIENT_DN = 'CN=ossl test client,O=ossl tests,C=US';

/** A client context trusting the test CA (Python's create_default_context(cafile=...)). */
const trustingContext = (): Context => createDefaultContext({ cafile: CA });

/**
 * A group's long-lived servers: started by the first test that needs them (`lazily`), stopped in afterAll.
 * Not in beforeAll: vitest reports the tests of a suite whose beforeAll failed as skipped, and a peer
 * that is not installed must fail every test that needs it, with the reason.
 */
function groupServers(): { running: Peer[]; cleanups: Array<() => unknown> } {
  const group = { running: [] as Peer[], cleanups: [] as Array<() => unknown> };
  afterAll(async () => {
    await Promise.all(group.running.splice(0).map((p) => p.stop()));
    for (const c of group.cleanups.splice(0).reverse()) await c();
  });
  return group;
}

/** `start` run once, by the first caller; every caller gets its result (or its failure). */
function lazily(start: () => Promise<void>): () => Promise<void> {
  let started: Promise<void> | null = null;
  return () => (started ??= start());
}

// ---- what is compared ----

type Pairs = [string, string][];

/** Header pairs with Date dropped and the values of nginx's X-Conn/X-Req masked (they differ per connection). */
function masked(headers: Pairs): Pairs {
  return headers
    .filter(([k]) => k.toLowerCase() !== 'date')
    .map(([k, v]): [string, string] => (['x-conn', 'x-req'].includes(k.toLowerCase()) ? [k, '*'] : [k, v]));
}

/** node:http's rawHeaders as pairs. */
function pairs(raw: string[]): Pairs {
  const out: Pairs = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

/** A header's value in pairs (first match, case-insensitive). */
function header(headers: Pairs, name: string): string | undefined {
  return headers.find(([k]) => k.toLowerCase() === name)?.[1];
}

/** What a response is compared on. */
interface Seen {
  status: number;
  reason: string;
  headers: Pairs;
  body: string;
}

const fromPython = (r: PyResponse): Seen => ({ status: r.status, reason: r.reason, headers: masked(r.headers), body: r.body });

/** The same HTTP exchange given to CPython's http.client and to HTTPSConnection. */
interface Exchange {
  method: string;
  path: string;
  body?: Buffer;
  headers?: Record<string, string>;
}
const toPython = (e: Exchange): PyRequest => ({
  method: e.method,
  path: e.path,
  ...(e.body !== undefined ? { body: e.body.toString('base64') } : {}),
  ...(e.headers ? { headers: e.headers } : {}),
});

/** 64 KiB of every byte value: a binary body. */
const BINARY = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7 + (i >> 8)) & 0xff));

/** Sends `exchanges` on one HTTPSConnection, reading each response; what it saw. */
async function viaConnection(conn: HTTPSConnection, exchanges: Exchange[]): Promise<Array<Seen & { version: number; raw: Pairs }>> {
  const out: Array<Seen & { version: number; raw: Pairs }> = [];
  for (const e of exchanges) {
    await conn.request(e.method, e.path, e.body, e.headers ?? {});
    const res = await conn.getresponse();
    const body = await res.read();
    out.push({ status: res.status, reason: res.reason, version: res.version, headers: masked(res.getheaders()), body: body.toString('base64'), raw: res.getheaders() });
  }
  return out;
}

/** X-Conn and X-Req of raw header pairs (unmasked). */
function keepAlive(list: Pairs[]): { conns: Set<string | undefined>; reqs: Array<string | undefined> } {
  return { conns: new Set(list.map((h) => header(h, 'x-conn'))), reqs: list.map((h) => header(h, 'x-req')) };
}

// ---------------------------------------------------------------------------------------------------
describe('nginx over TLS 1.2/1.3: keep-alive, CPython http.client, node:https and global fetch as oracles', () => {
  const group = groupServers();
  let nginx: HttpsNginx;
  const ready = lazily(async () => {
    nginx = await startHttpsNginx(files.path, group.running, group.cleanups);
  });

  /** The exchanges CPython and HTTPSConnection are compared on: every kind of answer nginx gives. */
  const EXCHANGES: Exchange[] = [
    { method: 'GET', path: '/hello' },
    { method: 'GET', path: '/cookies' },
    { method: 'POST', path: '/echo', body: Buffer.from('a body for the echo backend'), headers: { 'Content-Type': 'text/plain' } },
    { method: 'GET', path: '/static.txt' },
    { method: 'HEAD', path: '/static.txt' },
    { method: 'GET', path: '/chunked' },
    { method: 'GET', path: '/redirect' },
    { method: 'GET', path: '/missing' },
    { method: 'PUT', path: '/echo', body: BINARY, headers: { 'Content-Type': 'application/octet-stream' } },
  ];

  it.each([
    ['TLSv1.2', TLS1_2_VERSION],
    ['TLSv1.3', TLS1_3_VERSION],
  ] as const)('HTTPSConnection (%s): 5 sequential requests on one connection (nginx: the same X-Conn, X-Req 1..5)', async (version, pinned) => {
    await ready();
    const context = trustingContext();
    context.setMinProtoVersion(pinned);
    context.setMaxProtoVersion(pinned);
    const conn = new HTTPSConnection('localhost', nginx.port, { context });
    cleanups.push(() => conn.close());
    const heads: Pairs[] = [];
    for (let i = 0; i < 5; i++) {
      await conn.request('GET', '/hello');
      const res = await conn.getresponse();
      expect(res.status).toBe(200);
      expect((await res.read()).toString()).toBe(NGINX_HELLO);
      expect(res.willClose).toBe(false);
      heads.push(res.getheaders());
    }
    const { conns, reqs } = keepAlive(heads);
    expect(conns.size).toBe(1);
    expect([...conns][0]).toMatch(/^\d+$/);
    expect(reqs).toEqual(['1', '2', '3', '4', '5']);
    expect(heads.map((h) => header(h, 'x-tls-protocol'))).toEqual(Array.from({ length: 5 }, () => version));
  }, HANG_GUARD);

  it('request() is one-shot: it sends Connection: close and nginx closes after one request', async () => {
    await ready();
    const first = await request(`https://localhost:${nginx.port}/hello`, { context: trustingContext() });
    const second = await request(`https://localhost:${nginx.port}/hello`, { context: trustingContext() });
    for (const r of [first, second]) {
      expect(r.status).toBe(200);
      expect(r.body.toString()).toBe(NGINX_HELLO);
      // nginx answers `Connection: close` only to a request that asked for it.
      expect(r.headers.connection).toBe('close');
      expect(r.headers['x-req']).toBe('1');
    }
    expect(first.headers['x-conn']).not.toBe(second.headers['x-conn']);
  }, HANG_GUARD);

  it('HTTPSConnection and CPython http.client get the same status, reason, headers and body', async () => {
    await ready();
    const conn = new HTTPSConnection('localhost', nginx.port, { context: trustingContext() });
    cleanups.push(() => conn.close());
    const ours = await viaConnection(conn, EXCHANGES);
    const py = await pythonHttpClient({ host: 'localhost', port: nginx.port, cafile: CA, requests: EXCHANGES.map(toPython) }, cleanups);
    expect(py.error).toBeUndefined();
    expect(py.responses).toHaveLength(EXCHANGES.length);
    expect(ours.map(({ version: _v, raw: _r, ...s }) => s)).toEqual(py.responses.map(fromPython));
    expect(ours.map((s) => s.version)).toEqual(py.responses.map((r) => r.version));

    // What was compared is what nginx sends: spot checks, so an empty comparison cannot pass.
    const byPath = (i: number) => ours[i]!;
    expect(byPath(1).headers.filter(([k]) => k.toLowerCase() === 'set-cookie')).toEqual([
      ['Set-Cookie', 'a=1; Path=/'],
      ['Set-Cookie', 'b=2; Path=/; HttpOnly'],
    ]);
    expect(Buffer.from(byPath(1).body, 'base64').toString()).toBe(NGINX_COOKIES);
    expect(Buffer.from(byPath(2).body, 'base64').toString()).toBe('POST /echo a body for the echo backend');
    expect(Buffer.from(byPath(3).body, 'base64').equals(nginx.staticBody)).toBe(true);
    expect(header(byPath(4).headers, 'content-length')).toBe(String(nginx.staticBody.length));
    expect(byPath(4).body).toBe('');
    expect(header(byPath(5).headers, 'transfer-encoding')).toBe('chunked');
    expect(Buffer.from(byPath(5).body, 'base64').toString()).toBe('first part, second part, last part\n');
    expect([byPath(6).status, byPath(6).reason, header(byPath(6).headers, 'location')]).toEqual([301, 'Moved Permanently', `https://localhost:${nginx.port}/hello`]);
    expect([byPath(7).status, byPath(7).reason]).toEqual([404, 'Not Found']);
    expect(Buffer.from(byPath(8).body, 'base64').equals(Buffer.concat([Buffer.from('PUT /echo '), BINARY]))).toBe(true);
    // Both kept one connection for all of it (each its own).
    const ourKeep = keepAlive(ours.map((r) => r.raw));
    const pyKeep = keepAlive(py.responses.map((r) => r.headers));
    for (const k of [ourKeep, pyKeep]) {
      expect(k.conns.size).toBe(1);
      expect(k.reqs).toEqual(EXCHANGES.map((_, i) => String(i + 1)));
    }
    expect([...ourKeep.conns][0]).not.toBe([...pyKeep.conns][0]);
  }, HANG_GUARD);

  it('client certificate: certFile/keyFile and PKCS#12 (pfx + passphrase) get the DN, without one 403 (as CPython)', async () => {
    await ready();
    const p12 = new PKCS12();
    p12.setCertificate(pki.client.cert);
    p12.setPrivatekey(pki.client.key);
    const pfx = p12.export({ passphrase: 'p12 secret' });
    writeFileSync(files.path('client.p12'), pfx);
    const whoami = async (conn: HTTPSConnection) => {
      cleanups.push(() => conn.close());
      await conn.request('GET', '/whoami');
      const res = await conn.getresponse();
      return { status: res.status, verify: res.getheader('x-client-verify'), body: (await res.read()).toString() };
    };
    const url = `https://localhost:${nginx.certPort}/whoami`;
    const withPem = await whoami(new HTTPSConnection('localhost', nginx.certPort, { context: trustingContext(), certFile: files.path('client.pem'), keyFile: files.path('client.key') }));
    const withPfxFile = await whoami(new HTTPSConnection('localhost', nginx.certPort, { context: trustingContext(), pfx: files.path('client.p12'), passphrase: 'p12 secret' }));
    const withPfxBytes = await whoami(new HTTPSConnection('localhost', nginx.certPort, { context: trustingContext(), pfx, passphrase: 'p12 secret' }));
    const oneShot = await request(url, { context: trustingContext(), pfx, passphrase: 'p12 secret' });
    const without = await whoami(new HTTPSConnection('localhost', nginx.certPort, { context: trustingContext() }));

    for (const r of [withPem, withPfxFile, withPfxBytes]) expect(r).toEqual({ status: 200, verify: 'SUCCESS', body: CLIENT_DN });
    expect([oneShot.status, oneShot.body.toString()]).toEqual([200, CLIENT_DN]);
    // ssl_verify_client optional: the handshake completes without a certificate and the location refuses.
    expect(without.status).toBe(403);
    expect(without.verify).toBe('NONE');
    // A wrong passphrase is refused when the connection object is made (PKCS#12's MAC does not verify).
    expect(() => new HTTPSConnection('localhost', nginx.certPort, { context: trustingContext(), pfx, passphrase: 'wrong' })).toThrow(/mac verify failure/);

    // CPython, the same requests.
    const pyWith = await pythonHttpClient({ host: 'localhost', port: nginx.certPort, cafile: CA, certfile: files.path('client.pem'), keyfile: files.path('client.key'), requests: [{ method: 'GET', path: '/whoami' }] }, cleanups);
    const pyWithout = await pythonHttpClient({ host: 'localhost', port: nginx.certPort, cafile: CA, requests: [{ method: 'GET', path: '/whoami' }] }, cleanups);
    expect(pyWith.error).toBeUndefined();
    expect(pyWithout.error).toBeUndefined();
    const py = (r: PyResponse) => ({ status: r.status, verify: header(r.headers, 'x-client-verify'), body: Buffer.from(r.body, 'base64').toString() });
    expect(withPem).toEqual(py(pyWith.responses[0]!));
    expect({ status: without.status, verify: without.verify }).toEqual({ status: py(pyWithout.responses[0]!).status, verify: py(pyWithout.responses[0]!).verify });
  }, HANG_GUARD);

  it("Agent under https.request answers as node:https's own Agent, and both reuse one connection (X-Req 1..5)", async () => {
    await ready();
    const sequence: Exchange[] = [
      { method: 'GET', path: '/hello' },
      { method: 'GET', path: '/cookies' },
      { method: 'POST', path: '/echo', body: Buffer.from('agent body'), headers: { 'Content-Type': 'text/plain' } },
      { method: 'GET', path: '/static.txt' },
      { method: 'GET', path: '/chunked' },
    ];
    async function run(agent: https.Agent): Promise<{ seen: Seen[]; raw: Pairs[] }> {
      cleanups.push(() => agent.destroy());
      const seen: Seen[] = [];
      const raw: Pairs[] = [];
      for (const e of sequence) {
        const req = https.request({ host: 'localhost', port: nginx.port, method: e.method, path: e.path, headers: { ...(e.headers ?? {}), ...(e.body ? { 'Content-Length': e.body.length } : {}) }, agent });
        req.end(e.body);
        const [res] = (await once(req, 'response')) as [IncomingMessage];
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        await once(res, 'end');
        raw.push(pairs(res.rawHeaders));
        seen.push({ status: res.statusCode!, reason: res.statusMessage!, headers: masked(pairs(res.rawHeaders)), body: Buffer.concat(parts).toString('base64') });
      }
      return { seen, raw };
    }
    const ours = await run(new Agent({ ca: pki.ca.certPem, keepAlive: true }));
    const node = await run(new https.Agent({ ca: pki.ca.certPem, keepAlive: true }));
    expect(ours.seen).toEqual(node.seen);
    expect(Buffer.from(ours.seen[2]!.body, 'base64').toString()).toBe('POST /echo agent body');
    for (const side of [ours, node]) {
      const { conns, reqs } = keepAlive(side.raw);
      expect(conns.size).toBe(1);
      expect(reqs).toEqual(['1', '2', '3', '4', '5']);
    }
    expect(header(ours.raw[0]!, 'x-conn')).not.toBe(header(node.raw[0]!, 'x-conn'));
  }, HANG_GUARD);

  it("fetch (init.tls.ca) answers as Node's global fetch (a child node with NODE_EXTRA_CA_CERTS)", async () => {
    await ready();
    const base = `https://localhost:${nginx.port}`;
    const requests: FetchRequest[] = [
      { url: `${base}/hello` },
      { url: `${base}/cookies` },
      { url: `${base}/echo`, method: 'POST', body: Buffer.from('fetch body').toString('base64'), headers: { 'content-type': 'text/plain' } },
      { url: `${base}/static.txt` },
      { url: `${base}/chunked` },
      { url: `${base}/redirect` },
      { url: `${base}/missing` },
      { url: `${base}/echo`, method: 'PUT', body: BINARY.toString('base64'), headers: { 'content-type': 'application/octet-stream' } },
    ];
    const tls = { ca: pki.ca.certPem, keepAliveTimeout: 600_000 };
    const ours: FetchSeen[] = [];
    const raw: Pairs[] = [];
    for (const r of requests) {
      const res = await osslFetch(r.url, { method: r.method ?? 'GET', headers: r.headers ?? {}, ...(r.body !== undefined ? { body: Buffer.from(r.body, 'base64') } : {}), tls });
      const body = Buffer.from(await res.arrayBuffer());
      raw.push([...res.headers]);
      ours.push({ status: res.status, statusText: res.statusText, headers: [...res.headers], body: body.toString('base64'), redirected: res.redirected, url: res.url });
    }
    const theirs = await globalFetchInChild(requests, CA, cleanups);
    const norm = (list: FetchSeen[]) => list.map((s) => ({ ...s, headers: masked(s.headers) }));
    expect(norm(ours)).toEqual(norm(theirs));
    expect(Buffer.from(ours[0]!.body, 'base64').toString()).toBe(NGINX_HELLO);
    expect(ours[1]!.headers.filter(([k]) => k === 'set-cookie')).toEqual([
      ['set-cookie', 'a=1; Path=/'],
      ['set-cookie', 'b=2; Path=/; HttpOnly'],
    ]);
    expect([ours[5]!.redirected, ours[5]!.url, Buffer.from(ours[5]!.body, 'base64').toString()]).toEqual([true, `${base}/hello`, NGINX_HELLO]);
    expect(ours[6]!.status).toBe(404);
    expect(Buffer.from(ours[7]!.body, 'base64').equals(Buffer.concat([Buffer.from('PUT /echo '), BINARY]))).toBe(true);
    // Both pools kept their connections: fewer connections than responses, and on each connection nginx
    // counted its requests 1, 2, 3... (undici may spread sequential requests over more than one).
    for (const list of [raw, theirs.map((t) => t.headers)]) {
      const perConnection = new Map<string | undefined, number[]>();
      for (const h of list) perConnection.set(header(h, 'x-conn'), [...(perConnection.get(header(h, 'x-conn')) ?? []), Number(header(h, 'x-req'))]);
      expect(perConnection.size).toBeLessThan(list.length);
      for (const counts of perConnection.values()) expect(counts.every((n, i) => i === 0 || n > counts[i - 1]!)).toBe(true);
    }
  }, HANG_GUARD);
});

// ---------------------------------------------------------------------------------------------------
describe('HTTPSConnection sends the request head CPython http.client sends (a recording TLS server)', () => {
  const group = groupServers();
  let server: Awaited<ReturnType<typeof recordingHttpsServer>>;
  const ready = lazily(async () => {
    server = await recordingHttpsServer(pki.server, group.cleanups);
  });

  it("the same header lines in the same order, but for node:http's Connection: keep-alive", async () => {
    await ready();
    const exchanges: Exchange[] = [
      { method: 'GET', path: '/p' },
      { method: 'POST', path: '/p', body: Buffer.from('abc') },
    ];
    const py = await pythonHttpClient({ host: 'localhost', port: server.port, cafile: CA, requests: exchanges.map(toPython) }, cleanups);
    expect(py.error).toBeUndefined();
    const pyHeads = server.requests.splice(0);
    const conn = new HTTPSConnection('localhost', server.port, { context: trustingContext() });
    cleanups.push(() => conn.close());
    await viaConnection(conn, exchanges);
    const ourHeads = server.requests.splice(0);

    expect(pyHeads.map((r) => r.line)).toEqual(['GET /p HTTP/1.1', 'POST /p HTTP/1.1']);
    expect(ourHeads.map((r) => r.line)).toEqual(pyHeads.map((r) => r.line));
    // CPython's automatic headers, as http.client sends them.
    expect(pyHeads[0]!.headers).toEqual([
      ['Host', `localhost:${server.port}`],
      ['Accept-Encoding', 'identity'],
    ]);
    expect(pyHeads[1]!.headers).toEqual([
      ['Host', `localhost:${server.port}`],
      ['Accept-Encoding', 'identity'],
      ['Content-Length', '3'],
    ]);
    // Ours: exactly CPython's, then the one line node:http adds.
    for (let i = 0; i < 2; i++) expect(ourHeads[i]!.headers).toEqual([...pyHeads[i]!.headers, ['Connection', 'keep-alive']]);
    expect(ourHeads.map((r) => r.body.toString())).toEqual(['', 'abc']);
    expect(pyHeads.map((r) => r.body.toString())).toEqual(['', 'abc']);
    // Both sent the two requests on one connection.
    expect(new Set(pyHeads.map((r) => r.connection)).size).toBe(1);
    expect(new Set(ourHeads.map((r) => r.connection)).size).toBe(1);
  }, HANG_GUARD);

  it('request() adds Connection: close to the same automatic headers', async () => {
    await ready();
    const res = await request(`https://localhost:${server.port}/one`, { context: trustingContext() });
    expect(res.status).toBe(200);
    const [head] = server.requests.splice(0);
    expect(head!.line).toBe('GET /one HTTP/1.1');
    expect(head!.headers).toEqual([
      ['Host', `localhost:${server.port}`],
      ['Accept-Encoding', 'identity'],
      ['Connection', 'close'],
    ]);
  }, HANG_GUARD);
});

// ---------------------------------------------------------------------------------------------------
describe("CPython's http.server over ssl: HTTP/1.0 bodies that end with the connection", () => {
  const group = groupServers();
  let port: number;
  // 200 KiB: more than one TLS record and more than one read.
  const BODY = Buffer.concat(Array.from({ length: 4 }, () => BINARY.subarray(0, 50 * 1024)));
  const ready = lazily(async () => {
    const dir = tempFiles({ 'body.bin': BODY });
    group.cleanups.push(dir.cleanup);
    const server = launch(BIN.python, ['-u', `${SUPPORT}/https_http10_server.py`, files.path('server.pem'), files.path('server.key'), dir.path('body.bin')], group.running);
    port = Number((await server.waitFor(/PORT (\d+)/))[1]);
  });

  it('HTTPSConnection and request() read a close-delimited body (close_notify at its end), as CPython does', async () => {
    await ready();
    const conn = new HTTPSConnection('127.0.0.1', port, { context: trustingContext() });
    cleanups.push(() => conn.close());
    await conn.request('GET', '/close');
    const res = await conn.getresponse();
    expect([res.status, res.version, res.willClose, res.getheader('content-length')]).toEqual([200, 10, true, null]);
    const body = await res.read();
    expect(body.equals(BODY)).toBe(true);

    const one = await request(`https://127.0.0.1:${port}/close`, { context: trustingContext() });
    expect(one.status).toBe(200);
    expect(one.headers['content-length']).toBeUndefined();
    expect(one.body.equals(BODY)).toBe(true);
    const framed = await request(`https://127.0.0.1:${port}/length`, { context: trustingContext() });
    expect([framed.headers['content-length'], framed.body.equals(BODY)]).toEqual([String(BODY.length), true]);

    const py = await pythonHttpClient({ host: '127.0.0.1', port, cafile: CA, requests: [{ method: 'GET', path: '/close' }] }, cleanups);
    expect(py.error).toBeUndefined();
    const pyRes = py.responses[0]!;
    expect([pyRes.status, pyRes.version, Buffer.from(pyRes.body, 'base64').equals(BODY)]).toEqual([200, 10, true]);
    expect(masked(one.rawHeaders)).toEqual(masked(pyRes.headers));
  }, HANG_GUARD);

  it("fetch reads a close-delimited body, every time of 40, as Node's global fetch does", async () => {
    await ready();
    // Bounded by count: each fetch is one connection whose body ends with close_notify and the close.
    const ROUNDS = 40;
    const url = `https://127.0.0.1:${port}/close`;
    // Node's own fetch (undici over node:tls) first: every round reads the whole body.
    const theirs = await globalFetchInChild(Array.from({ length: ROUNDS }, () => ({ url })), CA, cleanups);
    expect(theirs.map((t) => [t.status, Buffer.from(t.body, 'base64').equals(BODY)])).toEqual(Array.from({ length: ROUNDS }, () => [200, true]));

    const dispatcher = createDispatcher({ ca: pki.ca.certPem });
    cleanups.push(() => dispatcher.destroy());
    // An exception thrown where no caller can catch it (a socket event handler) fails this test at
    // once instead of leaving the fetch unsettled until the hang guard.
    let onUncaught: (e: Error) => void = () => undefined;
    const uncaught = new Promise<never>((_, reject) => (onUncaught = (e: Error) => reject(new Error(`uncaught while fetching: ${e.message.split('\n')[0]}`, { cause: e }))));
    uncaught.catch(() => undefined);
    process.on('uncaughtException', onUncaught);
    cleanups.push(() => process.off('uncaughtException', onUncaught));
    const lengths: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const res = await Promise.race([osslFetch(url, { dispatcher }), uncaught]);
      expect([res.status, res.headers.get('content-length')]).toEqual([200, null]);
      const body = Buffer.from(await Promise.race([res.arrayBuffer(), uncaught]));
      expect(body.equals(BODY), `round ${i}`).toBe(true);
      lengths.push(body.length);
    }
    expect(lengths).toEqual(Array.from({ length: ROUNDS }, () => BODY.length));
  }, HANG_GUARD);

  it('a body ended by a bare TCP close (no close_notify): every entry point reads what CPython http.client reads', async () => {
    await ready();
    const py = await pythonHttpClient({ host: '127.0.0.1', port, cafile: CA, requests: [{ method: 'GET', path: '/ragged' }] }, cleanups);
    // CPython (suppress_ragged_eofs) takes the body as complete.
    expect(py.error).toBeUndefined();
    const pyBody = Buffer.from(py.responses[0]!.body, 'base64');
    expect(pyBody.equals(BODY)).toBe(true);
    const conn = new HTTPSConnection('127.0.0.1', port, { context: trustingContext() });
    cleanups.push(() => conn.close());
    await conn.request('GET', '/ragged');
    const viaConn = await (await conn.getresponse()).read();
    const viaRequest = (await request(`https://127.0.0.1:${port}/ragged`, { context: trustingContext() })).body;
    const viaFetch = Buffer.from(await (await osslFetch(`https://127.0.0.1:${port}/ragged`, { tls: { ca: pki.ca.certPem } })).arrayBuffer());
    for (const body of [viaConn, viaRequest, viaFetch]) expect(body.equals(pyBody)).toBe(true);
  }, HANG_GUARD);
});

// ---------------------------------------------------------------------------------------------------
describe('CONNECT tunnels through tinyproxy to nginx', () => {
  const group = groupServers();
  let nginx: HttpsNginx;
  let proxyPort: number;
  let authProxyPort: number;
  const BASIC = `Basic ${Buffer.from('user:pass').toString('base64')}`;
  const ready = lazily(async () => {
    nginx = await startHttpsNginx(files.path, group.running, group.cleanups);
    proxyPort = await startTinyproxy(group.running, group.cleanups);
    authProxyPort = await startTinyproxy(group.running, group.cleanups, { user: 'user', pass: 'pass' });
  });

  async function three(conn: HTTPSConnection, path: string): Promise<Pairs[]> {
    cleanups.push(() => conn.close());
    const heads: Pairs[] = [];
    for (let i = 0; i < 3; i++) {
      await conn.request('GET', path);
      const res = await conn.getresponse();
      expect(res.status).toBe(200);
      expect((await res.read()).toString()).toBe(NGINX_HELLO);
      heads.push(res.getheaders());
    }
    return heads;
  }

  it('HTTPSConnection.setTunnel and ProxyHTTPSConnection keep one tunnelled connection for 3 requests; request({proxy}) is one-shot', async () => {
    await ready();
    const tunnelled = new HTTPSConnection('127.0.0.1', proxyPort, { context: trustingContext() });
    tunnelled.setTunnel('localhost', nginx.port);
    const viaTunnel = keepAlive(await three(tunnelled, '/hello'));
    expect(viaTunnel.conns.size).toBe(1);
    expect(viaTunnel.reqs).toEqual(['1', '2', '3']);

    const proxied = new ProxyHTTPSConnection('127.0.0.1', proxyPort, { context: trustingContext() });
    const viaProxy = keepAlive(await three(proxied, `https://localhost:${nginx.port}/hello`));
    expect(viaProxy.conns.size).toBe(1);
    expect(viaProxy.reqs).toEqual(['1', '2', '3']);
    expect([...viaProxy.conns][0]).not.toBe([...viaTunnel.conns][0]);

    const one = await request(`https://localhost:${nginx.port}/hello`, { context: trustingContext(), proxy: ['127.0.0.1', proxyPort] });
    expect([one.status, one.body.toString(), one.headers.connection, one.headers['x-req']]).toEqual([200, NGINX_HELLO, 'close', '1']);

    // CPython through the same proxy: the same tunnelled keep-alive.
    const py = await pythonHttpClient({ host: '127.0.0.1', port: proxyPort, cafile: CA, tunnel: { host: 'localhost', port: nginx.port }, requests: [0, 1, 2].map(() => ({ method: 'GET', path: '/hello' })) }, cleanups);
    expect(py.error).toBeUndefined();
    expect(keepAlive(py.responses.map((r) => r.headers)).reqs).toEqual(['1', '2', '3']);
  }, HANG_GUARD);

  it("Basic auth (tinyproxy BasicAuth): credentials pass and stay with the proxy; without them 'Tunnel connection failed: 407 ...' as CPython says", async () => {
    await ready();
    const proxied = new ProxyHTTPSConnection('127.0.0.1', authProxyPort, { context: trustingContext(), username: 'user', password: 'pass' });
    const heads = await three(proxied, `https://localhost:${nginx.port}/hello`);
    expect(keepAlive(heads).reqs).toEqual(['1', '2', '3']);
    // nginx never saw the proxy's credentials.
    for (const h of heads) expect(header(h, 'x-saw-proxy-auth')).toBeUndefined();

    const withHeader = new HTTPSConnection('127.0.0.1', authProxyPort, { context: trustingContext() });
    withHeader.setTunnel('localhost', nginx.port, { 'Proxy-Authorization': BASIC });
    expect(keepAlive(await three(withHeader, '/hello')).reqs).toEqual(['1', '2', '3']);

    const one = await request(`https://localhost:${nginx.port}/hello`, { context: trustingContext(), proxy: ['127.0.0.1', authProxyPort], proxyUsername: 'user', proxyPassword: 'pass' });
    expect([one.status, one.body.toString()]).toEqual([200, NGINX_HELLO]);

    const refusedMessage = 'Tunnel connection failed: 407 Proxy Authentication Required';
    const anonymous = new ProxyHTTPSConnection('127.0.0.1', authProxyPort, { context: trustingContext() });
    cleanups.push(() => anonymous.close());
    const e1 = await anonymous.request('GET', `https://localhost:${nginx.port}/hello`).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(HTTPException);
    expect((e1 as Error).message).toBe(refusedMessage);
    await expect(request(`https://localhost:${nginx.port}/hello`, { context: trustingContext(), proxy: ['127.0.0.1', authProxyPort] })).rejects.toThrow(refusedMessage);
    // Wrong credentials: tinyproxy answers 401 (not 407); the message carries what the proxy said.
    const wrong = new ProxyHTTPSConnection('127.0.0.1', authProxyPort, { context: trustingContext(), username: 'user', password: 'wrong' });
    cleanups.push(() => wrong.close());
    const e2 = await wrong.request('GET', `https://localhost:${nginx.port}/hello`).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(HTTPException);

    // CPython's http.client: the same message without credentials, and through with them.
    const pyRefused = await pythonHttpClient({ host: '127.0.0.1', port: authProxyPort, cafile: CA, tunnel: { host: 'localhost', port: nginx.port }, requests: [{ method: 'GET', path: '/hello' }] }, cleanups);
    expect(pyRefused.error?.text).toBe(refusedMessage);
    const pyWrong = await pythonHttpClient({ host: '127.0.0.1', port: authProxyPort, cafile: CA, tunnel: { host: 'localhost', port: nginx.port, headers: { 'Proxy-Authorization': `Basic ${Buffer.from('user:wrong').toString('base64')}` } }, requests: [{ method: 'GET', path: '/hello' }] }, cleanups);
    expect(pyWrong.error?.text).toBe('Tunnel connection failed: 401 Unauthorized');
    expect((e2 as Error).message).toBe(pyWrong.error?.text);
    const pyOk = await pythonHttpClient({ host: '127.0.0.1', port: authProxyPort, cafile: CA, tunnel: { host: 'localhost', port: nginx.port, headers: { 'Proxy-Authorization': BASIC } }, requests: [{ method: 'GET', path: '/hello' }] }, cleanups);
    expect(pyOk.error).toBeUndefined();
    expect(pyOk.responses[0]!.status).toBe(200);
  }, HANG_GUARD);
});

// ---------------------------------------------------------------------------------------------------
/** A verdict: the handshake went through, or OpenSSL's X509_V_ERR_* code. */
type Verdict = { ok: true } | { ok: false; code: number; message?: string };

/** X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH: their messages are the client's own. */
const MISMATCH = new Set([62, 64]);
const CODE_OF_NAME = new Map(Object.entries(VERIFY_ERROR_NAMES).map(([n, name]) => [name, Number(n)]));

interface Scenario {
  id: string;
  /** The host name (or IP) the certificate is checked against. */
  name: string;
  /** CPython's verdict, written down (the test checks CPython gives it, and then that every entry point agrees). */
  expected: Verdict;
  /** The certificate chain the server sends and its key. */
  server: () => { chain: Identity[]; key: Identity };
  /** The client loads the CA's CRL and checks the leaf against it. */
  crl?: boolean;
}

describe("badssl-style certificates: every entry point's verdict is CPython's create_default_context()", () => {
  const group = groupServers();
  // The trusted root is the test CA; an intermediate it issued; a CA nobody trusts.
  const intermediate = makeIdentity({ cn: 'ossl test intermediate', issuer: pki.ca, ca: true });
  const stranger = makeIdentity({ cn: 'untrusted root', ca: true });
  const leaf = (opts: Partial<Parameters<typeof makeIdentity>[0]> = {}) => makeIdentity({ cn: 'localhost', issuer: pki.ca, sans: ['DNS:localhost', 'IP:127.0.0.1'], ...opts });
  const DAY = 86_400;
  const revoked = leaf();
  /** A SAN whose dNSName holds a NUL: `localhost\0.evil.test` (DER, as no text form can carry it). */
  const nulSan = (): X509Extension[] => {
    const name = Buffer.from('localhost\u0000.evil.test', 'latin1');
    const gn = Buffer.concat([Buffer.from([0x82, name.length]), name]);
    const seq = Buffer.concat([Buffer.from([0x30, gn.length]), gn]);
    return [new X509Extension('subjectAltName', false, `DER:${seq.toString('hex').match(/../g)!.join(':')}`)];
  };
  const one = (id: Identity) => () => ({ chain: [id], key: id });

  const SCENARIOS: Scenario[] = [
    { id: 'good (IP address)', name: '127.0.0.1', expected: { ok: true }, server: one(pki.server) },
    { id: 'good (host name)', name: 'localhost', expected: { ok: true }, server: one(pki.server) },
    { id: 'self-signed', name: 'localhost', expected: { ok: false, code: 18 }, server: one(makeIdentity({ cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'] })) },
    { id: 'wrong host (name)', name: 'localhost', expected: { ok: false, code: 62 }, server: one(leaf({ cn: 'wrong.example.test', sans: ['DNS:wrong.example.test'] })) },
    { id: 'wrong host (IP address)', name: '127.0.0.1', expected: { ok: false, code: 64 }, server: one(leaf({ cn: 'wrong.example.test', sans: ['DNS:wrong.example.test', 'IP:127.0.0.2'] })) },
    { id: 'expired', name: 'localhost', expected: { ok: false, code: 10 }, server: one(leaf({ notBefore: -2 * DAY, notAfter: -DAY })) },
    { id: 'not yet valid', name: 'localhost', expected: { ok: false, code: 9 }, server: one(leaf({ notBefore: DAY, notAfter: 2 * DAY })) },
    { id: 'untrusted root (leaf only)', name: 'localhost', expected: { ok: false, code: 20 }, server: one(leaf({ issuer: stranger })) },
    {
      id: 'untrusted root (root sent too)',
      name: 'localhost',
      expected: { ok: false, code: 19 },
      server: () => {
        const l = leaf({ issuer: stranger });
        return { chain: [l, stranger], key: l };
      },
    },
    { id: 'incomplete chain (leaf only, issued by an intermediate)', name: 'localhost', expected: { ok: false, code: 20 }, server: one(leaf({ issuer: intermediate })) },
    {
      id: 'complete chain (leaf and intermediate)',
      name: 'localhost',
      expected: { ok: true },
      server: () => {
        const l = leaf({ issuer: intermediate });
        return { chain: [l, intermediate], key: l };
      },
    },
    { id: 'revoked (CRL checked)', name: 'localhost', expected: { ok: false, code: 23 }, server: one(revoked), crl: true },
    { id: 'not revoked (CRL checked)', name: 'localhost', expected: { ok: true }, server: one(pki.server), crl: true },
    { id: 'partial wildcard *b.example.test as ab.example.test', name: 'ab.example.test', expected: { ok: false, code: 62 }, server: one(leaf({ cn: 'wildcard', sans: ['DNS:*b.example.test'] })) },
    { id: 'wildcard *.example.test as ab.example.test', name: 'ab.example.test', expected: { ok: true }, server: one(leaf({ cn: 'wildcard', sans: ['DNS:*.example.test'] })) },
    { id: 'NUL in a dNSName (localhost\\0.evil.test) as localhost', name: 'localhost', expected: { ok: false, code: 62 }, server: one(leaf({ cn: 'nul.example.test', sans: [], extraExtensions: nulSan })) },
  ];

  const ports = new Map<string, number>();
  const python = new Map<string, PyVerdict>();
  let forwarder: { port: number; heads: string[] };
  let crlFile: string;
  /** A context trusting the CA with its CRL loaded and CRL_CHECK on (Python's VERIFY_CRL_CHECK_LEAF). */
  let crlContext: () => Context;

  const ready = lazily(async () => {
    const crl = new CRL();
    const entry = new Revoked();
    entry.setSerial(revoked.cert.getSerialNumber().toString(16));
    entry.setRevDate(new Date(Date.now() - 3_600_000));
    entry.setReason('keyCompromise');
    crl.addRevoked(entry);
    crl.setVersion(1);
    crl.setLastUpdate(new Date(Date.now() - 3_600_000));
    crl.setNextUpdate(new Date(Date.now() + 30 * 86_400_000));
    crl.sign(pki.ca.cert, pki.ca.key, 'sha256');
    const crlPem = dumpCrl(FILETYPE_PEM, crl);
    crlFile = files.path('ca-crl.pem');
    writeFileSync(crlFile, crlPem);
    crlContext = () => {
      const ctx = trustingContext();
      const store = ctx.getCertStore();
      store.addCrl(loadCrl(FILETYPE_PEM, crlPem));
      store.setFlags(X509StoreFlags.CRL_CHECK);
      return ctx;
    };

    for (const s of SCENARIOS) {
      const { chain, key } = s.server();
      const server = https.createServer({ key: key.keyPem, cert: chain.map((c) => dumpCertificate(FILETYPE_PEM, c.cert).toString()).join('') }, (_req, res) => res.end('ok'));
      server.on('tlsClientError', () => undefined);
      ports.set(s.id, await listen(server, group.cleanups));
    }
    forwarder = await forwardingProxy(group.cleanups);
    const verdicts = await runPython<PyVerdict>(
      'https_verdict.py',
      { cases: SCENARIOS.map((s) => ({ id: s.id, port: ports.get(s.id), hostname: s.name, cafile: CA, ...(s.crl ? { crlfile: crlFile } : {}) })) },
      group.cleanups,
    );
    for (const v of verdicts) python.set(v.id, v);
  });

  /** A host name the loopback resolver knows; other names go through the forwarding proxy / servername / lookup. */
  const resolvable = (name: string) => name === 'localhost' || net.isIP(name) !== 0;

  function verdictOfOurs(e: unknown): Verdict {
    if (e instanceof CertificateVerifyError) return { ok: false, code: e.verifyCode, message: e.verifyMessage };
    throw e;
  }

  async function viaHTTPSConnection(s: Scenario, context: Context): Promise<Verdict> {
    const port = ports.get(s.id)!;
    let conn: HTTPSConnection;
    if (resolvable(s.name)) conn = new HTTPSConnection(s.name, port, { context });
    else {
      conn = new HTTPSConnection('127.0.0.1', forwarder.port, { context });
      conn.setTunnel(s.name, port);
    }
    cleanups.push(() => conn.close());
    const headsBefore = forwarder.heads.length;
    try {
      await conn.request('GET', '/');
      const res = await conn.getresponse();
      expect([res.status, (await res.read()).toString()]).toEqual([200, 'ok']);
      return { ok: true };
    } catch (e) {
      return verdictOfOurs(e);
    } finally {
      // Through the forwarding proxy, the tunnel (and so the TLS session) was to the scenario's name.
      if (!resolvable(s.name)) expect(forwarder.heads.slice(headsBefore).map((h) => h.split('\r\n')[0])).toEqual([`CONNECT ${s.name}:${port} HTTP/1.1`]);
    }
  }

  async function viaRequest(s: Scenario, context: Context): Promise<Verdict> {
    const port = ports.get(s.id)!;
    const headsBefore = forwarder.heads.length;
    try {
      const res = await request(`https://${s.name}:${port}/`, { context, ...(resolvable(s.name) ? {} : { proxy: ['127.0.0.1', forwarder.port] as [string, number] }) });
      expect([res.status, res.body.toString()]).toEqual([200, 'ok']);
      return { ok: true };
    } catch (e) {
      return verdictOfOurs(e);
    } finally {
      if (!resolvable(s.name)) expect(forwarder.heads.slice(headsBefore).map((h) => h.split('\r\n')[0])).toEqual([`CONNECT ${s.name}:${port} HTTP/1.1`]);
    }
  }

  async function viaAgent(s: Scenario, agent: https.Agent): Promise<Verdict> {
    cleanups.push(() => agent.destroy());
    const port = ports.get(s.id)!;
    // A name nothing resolves: node:net's `lookup` hook answers 127.0.0.1 (the name is still the one checked).
    const lookup: net.LookupFunction = (_host, options, cb) => {
      if ((options as { all?: boolean }).all) (cb as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
      else cb(null, '127.0.0.1', 4);
    };
    const req = https.get({ host: s.name, port, path: '/', agent, ...(resolvable(s.name) ? {} : { lookup }) });
    try {
      const [res] = (await once(req, 'response')) as [IncomingMessage];
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      await once(res, 'end');
      expect([res.statusCode, Buffer.concat(parts).toString()]).toEqual([200, 'ok']);
      return { ok: true };
    } catch (e) {
      const err = e as Error & { code?: string };
      // node:tls's shape: the X509_V_ERR_* name as `code`, and ERR_TLS_CERT_ALTNAME_INVALID for a name mismatch.
      if (err.code === 'ERR_TLS_CERT_ALTNAME_INVALID') return { ok: false, code: net.isIP(s.name) ? 64 : 62 };
      const code = err.code === undefined ? undefined : CODE_OF_NAME.get(err.code);
      if (code === undefined) throw e;
      // Node 24's node:tls appends advice about --use-system-ca to some verdicts: not part of the verdict.
      return { ok: false, code, message: err.message.replace(/; if the root CA is installed locally, try running Node\.js with --use-system-ca$/, '') };
    }
  }

  async function viaFetch(s: Scenario, tls: Record<string, unknown>): Promise<Verdict> {
    const port = ports.get(s.id)!;
    // A name nothing resolves: the URL names 127.0.0.1 and the TLS session the name (servername, which is what is checked).
    const url = resolvable(s.name) ? `https://${s.name}:${port}/` : `https://127.0.0.1:${port}/`;
    try {
      const res = await osslFetch(url, { tls: resolvable(s.name) ? tls : { ...tls, servername: s.name } });
      expect([res.status, await res.text()]).toEqual([200, 'ok']);
      return { ok: true };
    } catch (e) {
      expect(e).toBeInstanceOf(TypeError);
      return verdictOfOurs((e as Error).cause);
    }
  }

  /** Drops the verify message of host-name mismatches (CPython words its own) and of successes. */
  const comparable = (v: Verdict): Verdict => (v.ok || MISMATCH.has(v.code) ? (v.ok ? v : { ok: false, code: v.code }) : v);

  it.each(SCENARIOS)('$id', async (s) => {
    await ready();
    const py = python.get(s.id);
    expect(py, `CPython gave no verdict for ${s.id}`).toBeDefined();
    const pyVerdict: Verdict = py!.ok ? { ok: true } : { ok: false, code: py!.verify_code as number, message: py!.verify_message ?? undefined };
    // CPython's verdict is the one written down (a certificate that does not do what its scenario says fails here).
    expect(py!.ok ? { ok: true } : { ok: false, code: py!.verify_code, type: py!.type }).toEqual(s.expected.ok ? { ok: true } : { ok: false, code: s.expected.code, type: 'SSLCertVerificationError' });

    const want = comparable(pyVerdict);

    // Configured as CPython is (an @ossl/ssl Context: createDefaultContext(cafile), plus the CRL and
    // CRL_CHECK where the scenario checks revocation): every entry point's verdict is CPython's.
    const context = () => (s.crl ? crlContext() : trustingContext());
    const withContext = {
      HTTPSConnection: await viaHTTPSConnection(s, context()),
      'request()': await viaRequest(s, context()),
      'Agent({context}) + https.get': await viaAgent(s, new Agent({ context: context() })),
      'fetch({tls: {context}})': await viaFetch(s, { context: context() }),
    };
    expect(Object.fromEntries(Object.entries(withContext).map(([k, v]) => [k, comparable(v)]))).toEqual({
      HTTPSConnection: want,
      'request()': want,
      'Agent({context}) + https.get': want,
      'fetch({tls: {context}})': want,
    });

    // Configured with node:tls's options (ca, and crl: node sets CRL_CHECK|CRL_CHECK_ALL), as node:https's
    // own Agent is. The verdict (ok / refused) is CPython's; so is the verify code, except where
    // node:https itself (run here as the second oracle) refuses with another code: then it is node's.
    const nodeOptions = { ca: pki.ca.certPem, ...(s.crl ? { crl: readFileSync(crlFile) } : {}) };
    const nodeOwn = comparable(await viaAgent(s, new https.Agent(nodeOptions)));
    const nodeStyle = {
      'Agent({ca}) + https.get': comparable(await viaAgent(s, new Agent(nodeOptions))),
      'fetch({tls: {ca}})': comparable(await viaFetch(s, nodeOptions)),
    };
    const nodeWant = !want.ok && !nodeOwn.ok ? nodeOwn : want;
    expect(nodeStyle, `CPython: ${JSON.stringify(want)}; node:https's own Agent: ${JSON.stringify(nodeOwn)}`).toEqual({
      'Agent({ca}) + https.get': nodeWant,
      'fetch({tls: {ca}})': nodeWant,
    });
  }, HANG_GUARD);
});

// ---------------------------------------------------------------------------------------------------
describe('a plain TCP port (no TLS)', () => {
  const group = groupServers();
  let server: Awaited<ReturnType<typeof recordingTcpServer>>;
  const ready = lazily(async () => {
    server = await recordingTcpServer('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n', group.cleanups);
  });

  it('HTTPSConnection fails with an SSL error, as CPython does, having sent nothing but a ClientHello', async () => {
    await ready();
    const conn = new HTTPSConnection('127.0.0.1', server.port, { context: trustingContext() });
    cleanups.push(() => conn.close());
    const e = (await conn.request('GET', '/').catch((err: unknown) => err)) as Error & { code?: string };
    expect(e).toBeInstanceOf(Error);
    await server.closed[0];
    const py = await pythonHttpClient({ host: '127.0.0.1', port: server.port, cafile: CA, requests: [{ method: 'GET', path: '/' }] }, cleanups);
    await server.closed[1];

    expect(py.error).toMatchObject({ type: 'SSLError', library: 'SSL', reason: 'WRONG_VERSION_NUMBER' });
    // node:tls's shape of the same OpenSSL error (ERR_SSL_<reason>), not an HTTP error.
    expect(e).not.toBeInstanceOf(HTTPException);
    expect({ code: e.code, library: (e as { library?: string }).library }).toEqual({ code: `ERR_SSL_${py.error!.reason}`, library: 'SSL routines' });
    expect(e.message).toMatch(/wrong version number/);

    expect(server.received).toHaveLength(2);
    for (const bytes of server.received) {
      expect([bytes[0], bytes[1]]).toEqual([0x16, 0x03]);
      const records = tlsRecords(bytes);
      // A handshake record holding one ClientHello (type 1, its whole length), then alerts at most.
      expect(records[0]!.type).toBe(0x16);
      expect(records[0]!.fragment[0]).toBe(0x01);
      expect(records[0]!.fragment.readUIntBE(1, 3)).toBe(records[0]!.fragment.length - 4);
      for (const r of records.slice(1)) expect(r.type).toBe(0x15);
      expect(bytes.includes('HTTP/1.1')).toBe(false);
      expect(bytes.includes('GET /')).toBe(false);
    }
  }, HANG_GUARD);
});
