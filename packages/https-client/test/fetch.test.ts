// fetch(), createDispatcher() and Agent against node:https servers with a private CA: what a body,
// a redirect, an abort and a failure look like through undici over ossl TLS, with node:https (same
// CA) and Node's global fetch as oracles. Every dispatcher and server is closed after its test.
import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import type tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent as UndiciAgent, request as undiciRequest, type Dispatcher } from 'undici';
import { PKCS12 } from '@ossl/crypto';
import { CertificateVerifyError, createDefaultContext } from '@ossl/ssl';
import { failureOf, makeIdentity, makePki, type Identity, type Pki } from '@ossl/testkit';

import { Agent, Checker, createDispatcher, fetch, WrongCertificate, type DispatcherOptions } from '../src/index.js';
import { listen } from './support/servers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Coded = Error & { code?: string; cause?: unknown };

/** What `fn` threw or rejected with (the test fails when it did not). */
const failure = failureOf;

/** A dispatcher closed after the test. */
function dispatcher(options: DispatcherOptions): Dispatcher {
  const d = createDispatcher(options);
  cleanups.push(() => d.close());
  return d;
}

/** The `url` the echo route reports, from a fetch Response. */
const urlOf = async (res: { json(): Promise<unknown> }): Promise<string> => ((await res.json()) as { url: string }).url;

/** The sha256 of `data`, hex. */
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

const BIG = randomBytes(4 * 1024 * 1024);

interface Srv {
  port: number;
  url: (path: string) => string;
  /** TLS connections accepted. */
  connections: () => number;
  /** Of those, resumed sessions. */
  resumed: () => number;
  /** Requests seen, as `METHOD path body`. */
  seen: string[];
  /** Sockets of requests the server is holding open (/stall, /never). */
  held: net.Socket[];
  /** Responses to /hold, for the test to end. */
  holds: ServerResponse[];
}

/**
 * A node:https server for the fetch tests. Routes: /hello (headers, two Set-Cookie), /echo (the
 * request as JSON), /302 and /307 (redirects to /target), /target (echo), /big (4 MiB), /stall (head
 * and 5 bytes of 100, then nothing), /never (no answer), /hold (answered by the test),
 * /whoami (the client certificate's CN).
 */
async function server(identity: Identity, options: https.ServerOptions = {}, host = '127.0.0.1'): Promise<Srv> {
  let connections = 0;
  let resumed = 0;
  const seen: string[] = [];
  const held: net.Socket[] = [];
  const holds: ServerResponse[] = [];
  const srv = https.createServer({ key: identity.keyPem, cert: identity.certPem, ...options }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('latin1');
      seen.push(`${req.method} ${req.url} ${body}`);
      const json = (value: unknown): void => {
        const text = JSON.stringify(value);
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
      };
      switch (req.url) {
        case '/hello':
          res.setHeader('Content-Type', 'text/plain; charset=utf-8');
          res.setHeader('X-Custom', 'custom value');
          res.setHeader('Set-Cookie', ['a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT', 'b=2; HttpOnly']);
          res.setHeader('Content-Length', 11);
          res.writeHead(201, 'Made It');
          res.end('hello world');
          return;
        case '/302':
          res.writeHead(302, { Location: '/target', 'Content-Length': 0 }).end();
          return;
        case '/307':
          res.writeHead(307, { Location: '/target', 'Content-Length': 0 }).end();
          return;
        case '/big':
          res.writeHead(200, { 'Content-Length': BIG.length });
          res.end(BIG);
          return;
        case '/stall':
          res.writeHead(200, { 'Content-Length': 100 });
          res.write('start');
          held.push(req.socket);
          return;
        case '/never':
          held.push(req.socket);
          return;
        case '/hold':
          holds.push(res);
          return;
        case '/whoami':
          res.end(`CN=${String((req.socket as tls.TLSSocket).getPeerCertificate().subject?.CN)}`);
          return;
        default:
          json({ method: req.method, url: req.url, te: req.headers['transfer-encoding'] ?? null, cl: req.headers['content-length'] ?? null, body });
      }
    });
  });
  srv.on('secureConnection', (s: tls.TLSSocket) => {
    connections++;
    if (s.isSessionReused()) resumed++;
  });
  srv.on('tlsClientError', () => undefined);
  const port = await listen(srv, cleanups, host);
  cleanups.push(() => srv.closeAllConnections());
  return { port, url: (path) => `https://127.0.0.1:${port}${path}`, connections: () => connections, resumed: () => resumed, seen, held, holds };
}

/** GET with node:https and its own Agent (the same CA): status, headers and body. */
function nodeGet(url: string, ca: string): Promise<{ status: number; reason: string; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const agent = new https.Agent({ ca });
    https
      .get(url, { agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          agent.destroy();
          resolve({ status: res.statusCode!, reason: res.statusMessage!, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** The client-certificate PKCS#12 of a new identity issued by `pki`'s CA, protected by `passphrase`. */
function clientPfx(pki: Pki, cn: string, passphrase: string): Buffer {
  const id = makeIdentity({ cn, issuer: pki.ca });
  const p12 = new PKCS12();
  p12.setPrivatekey(id.key);
  p12.setCertificate(id.cert);
  return p12.export({ passphrase });
}

describe('fetch with init.tls', () => {
  it('gives the status, headers and body node:https gives, with the same CA', async () => {
    const pki = makePki();
    const srv = await server(pki.server);
    const res = await fetch(srv.url('/hello'), { tls: { ca: pki.ca.certPem } });
    const body = Buffer.from(await res.arrayBuffer());
    const oracle = await nodeGet(srv.url('/hello'), pki.ca.certPem);
    expect(res.status).toBe(oracle.status);
    expect(res.status).toBe(201);
    expect(res.statusText).toBe(oracle.reason);
    expect(res.headers.get('content-type')).toBe(oracle.headers['content-type']);
    expect(res.headers.get('x-custom')).toBe(oracle.headers['x-custom']);
    expect(res.headers.get('content-length')).toBe(oracle.headers['content-length']);
    expect(res.headers.getSetCookie()).toEqual(oracle.headers['set-cookie']);
    expect(body.equals(oracle.body)).toBe(true);
    expect(body.toString()).toBe('hello world');
  });

  it('follows a 302 with GET and a 307 with the POST body', async () => {
    const pki = makePki();
    const srv = await server(pki.server);
    const tlsOptions = { ca: pki.ca.certPem };
    const r302 = await fetch(srv.url('/302'), { method: 'POST', body: 'form data', tls: tlsOptions });
    expect(r302.redirected).toBe(true);
    expect(r302.url).toBe(srv.url('/target'));
    expect(await r302.json()).toEqual({ method: 'GET', url: '/target', te: null, cl: null, body: '' });
    const r307 = await fetch(srv.url('/307'), { method: 'POST', body: 'kept body', tls: tlsOptions });
    expect(r307.redirected).toBe(true);
    expect(await r307.json()).toEqual({ method: 'POST', url: '/target', te: null, cl: '9', body: 'kept body' });
    expect(srv.seen).toEqual(['POST /302 form data', 'GET /target ', 'POST /307 kept body', 'POST /target kept body']);
    // redirect: 'manual' hands the 302 over as it is.
    const manual = await fetch(srv.url('/302'), { redirect: 'manual', tls: tlsOptions });
    expect([manual.status, manual.headers.get('location')]).toEqual([302, '/target']);
  });

  it('aborts: mid-body with an AbortError, before the head with the signal reason', async () => {
    const pki = makePki();
    const srv = await server(pki.server);
    const tlsOptions = { ca: pki.ca.certPem };

    const ac = new AbortController();
    const res = await fetch(srv.url('/stall'), { tls: tlsOptions, signal: ac.signal });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toBe('start');
    ac.abort();
    const mid = await failure(() => reader.read());
    expect(mid.name).toBe('AbortError');
    expect(mid).toBe(ac.signal.reason);

    const midCustom = new AbortController();
    const midReason = new Error('enough');
    const res2 = await fetch(srv.url('/stall'), { tls: tlsOptions, signal: midCustom.signal });
    const reader2 = res2.body!.getReader();
    expect(Buffer.from((await reader2.read()).value!).toString()).toBe('start');
    midCustom.abort(midReason);
    expect(await failure(() => reader2.read())).toBe(midReason);

    const custom = new AbortController();
    const reason = new Error('user gave up');
    const pending = fetch(srv.url('/never'), { tls: tlsOptions, signal: custom.signal });
    while (srv.held.length < 3) await new Promise((r) => setImmediate(r));
    custom.abort(reason);
    expect(await failure(() => pending)).toBe(reason);

    const already = AbortSignal.abort(new Error('too late'));
    expect(await failure(() => fetch(srv.url('/echo'), { tls: tlsOptions, signal: already }))).toBe(already.reason);
    expect(srv.seen.some((s) => s.startsWith('GET /echo'))).toBe(false);
  });

  it('streams a request body (ReadableStream, duplex half) and a 4 MiB response body chunk by chunk', async () => {
    const pki = makePki();
    const srv = await server(pki.server);
    const tlsOptions = { ca: pki.ca.certPem };
    const parts = ['first ', 'second ', 'third'];
    let i = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i < parts.length) controller.enqueue(new TextEncoder().encode(parts[i++]));
        else controller.close();
      },
    });
    const res = await fetch(srv.url('/upload'), { method: 'POST', body: stream, duplex: 'half', tls: tlsOptions } as Parameters<typeof fetch>[1]);
    expect(await res.json()).toEqual({ method: 'POST', url: '/upload', te: 'chunked', cl: null, body: 'first second third' });

    const big = await fetch(srv.url('/big'), { tls: tlsOptions });
    expect(big.headers.get('content-length')).toBe(String(BIG.length));
    const reader = big.body!.getReader();
    const chunks: Buffer[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(Buffer.from(r.value));
    const all = Buffer.concat(chunks);
    expect(chunks.length).toBeGreaterThan(1);
    expect(all.length).toBe(BIG.length);
    expect(sha256(all)).toBe(sha256(BIG));
  });
});

describe('fetch failures are fetch\'s: TypeError("fetch failed") with the TLS error as cause', () => {
  /** Our fetch's failure and Node's global fetch's, for the same URL. */
  async function both(url: string, tlsOptions: DispatcherOptions, nodeDispatcher?: Dispatcher): Promise<[Coded, Coded]> {
    const ours = await failure(() => fetch(url, { tls: tlsOptions }));
    const theirs = await failure(() => globalThis.fetch(url, (nodeDispatcher ? { dispatcher: nodeDispatcher } : {}) as unknown as RequestInit));
    for (const e of [ours, theirs]) {
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toBe('fetch failed');
    }
    return [ours, theirs];
  }

  it('refuses a server whose CA is not trusted, and a self-signed one', async () => {
    const pki = makePki();
    const srv = await server(pki.server);
    const otherCa = makePki().ca.certPem;
    const [ours, theirs] = await both(srv.url('/echo'), { ca: otherCa });
    // The server sends its leaf alone, issued by a CA the client does not know: OpenSSL's verdict
    // is "unable to verify the first certificate", as node:https (same CA) and global fetch say.
    expect(ours.cause).toBeInstanceOf(CertificateVerifyError);
    expect((ours.cause as Coded).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect((theirs.cause as Coded).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect((await failure(() => nodeGet(srv.url('/echo'), otherCa))).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');

    const self = makeIdentity({ cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'] });
    const selfSrv = await server(self);
    const [ours2, theirs2] = await both(selfSrv.url('/echo'), { ca: pki.ca.certPem });
    expect(ours2.cause).toBeInstanceOf(CertificateVerifyError);
    expect((ours2.cause as Coded).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect((theirs2.cause as Coded).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect((await failure(() => nodeGet(selfSrv.url('/echo'), pki.ca.certPem))).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(srv.seen).toEqual([]);
    expect(selfSrv.seen).toEqual([]);
  });

  it('refuses a certificate for another name (HOSTNAME_MISMATCH) or without the IP address (IP_ADDRESS_MISMATCH)', async () => {
    const pki = makePki();
    const other = makeIdentity({ cn: 'other.test', issuer: pki.ca, sans: ['DNS:other.test'] });
    const srv = await server(other);
    // Node's global fetch trusting the same CA: undici's own Agent on node:tls.
    const nodeDispatcher = new UndiciAgent({ connect: { ca: pki.ca.certPem } });
    cleanups.push(() => nodeDispatcher.close());

    const [ours, theirs] = await both(`https://localhost:${srv.port}/echo`, { ca: pki.ca.certPem }, nodeDispatcher);
    expect(ours.cause).toBeInstanceOf(CertificateVerifyError);
    expect((ours.cause as Coded).code).toBe('HOSTNAME_MISMATCH');
    expect((theirs.cause as Coded).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');

    const [ip, theirsIp] = await both(srv.url('/echo'), { ca: pki.ca.certPem }, nodeDispatcher);
    expect(ip.cause).toBeInstanceOf(CertificateVerifyError);
    expect((ip.cause as Coded).code).toBe('IP_ADDRESS_MISMATCH');
    expect((theirsIp.cause as Coded).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(srv.seen).toEqual([]);
  });
});

describe('createDispatcher', () => {
  it("serves this package's fetch, Node's global fetch and undici's request", async () => {
    const pki = makePki();
    const srv = await server(pki.server);
    // One connection per origin, so that every client must take the same kept-alive connection.
    const d = dispatcher({ ca: pki.ca.certPem, connections: 1 });
    const ours = await fetch(srv.url('/ours'), { dispatcher: d });
    expect(await urlOf(ours)).toBe('/ours');
    const global = await globalThis.fetch(srv.url('/global'), { dispatcher: d } as unknown as RequestInit);
    expect(await urlOf(global)).toBe('/global');
    const viaUndici = await undiciRequest(srv.url('/undici'), { dispatcher: d, method: 'PUT', body: 'raw' });
    expect(viaUndici.statusCode).toBe(200);
    expect(await viaUndici.body.json()).toEqual({ method: 'PUT', url: '/undici', te: null, cl: '3', body: 'raw' });
    expect(srv.connections()).toBe(1);
  });

  it('keeps one connection alive across 5 sequential requests', async () => {
    const pki = makePki();
    const srv = await server(pki.server);
    const d = dispatcher({ ca: pki.ca.certPem, connections: 1 });
    for (let i = 0; i < 5; i++) {
      const res = await fetch(srv.url(`/r${i}`), { dispatcher: d });
      expect(await urlOf(res)).toBe(`/r${i}`);
    }
    expect(srv.connections()).toBe(1);
    // With an unlimited pool undici may open a second connection when the next request is
    // dispatched before the first connection has reported itself free (its own Agent on node:tls
    // does the same), but the connections are still reused.
    const pooled = await server(pki.server);
    const d2 = dispatcher({ ca: pki.ca.certPem });
    for (let i = 0; i < 5; i++) expect(await urlOf(await fetch(pooled.url(`/p${i}`), { dispatcher: d2 }))).toBe(`/p${i}`);
    expect(pooled.connections()).toBeLessThan(5);
  });

  it('resumes the TLS session on a second connection to the same host', async () => {
    const pki = makePki();
    const srv = await server(pki.server);
    const d = dispatcher({ ca: pki.ca.certPem });
    expect(await urlOf(await fetch(srv.url('/first'), { dispatcher: d }))).toBe('/first');
    // The first connection is busy with a held request, so the next request needs a new one.
    const held = fetch(srv.url('/hold'), { dispatcher: d });
    while (srv.holds.length < 1) await new Promise((r) => setImmediate(r));
    expect(await urlOf(await fetch(srv.url('/second'), { dispatcher: d }))).toBe('/second');
    srv.holds[0]!.end('released');
    expect(await (await held).text()).toBe('released');
    expect(srv.connections()).toBe(2);
    expect(srv.resumed()).toBe(1);
  });

  it('sends a PKCS#12 client certificate (pfx + passphrase) from createDispatcher and from init.tls', async () => {
    const pki = makePki();
    const srv = await server(pki.server, { ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true });
    const pfx = clientPfx(pki, 'fetch client', 'pw');
    const d = dispatcher({ ca: pki.ca.certPem, pfx, passphrase: 'pw' });
    expect(await (await fetch(srv.url('/whoami'), { dispatcher: d })).text()).toBe('CN=fetch client');
    expect(await (await fetch(srv.url('/whoami'), { tls: { ca: pki.ca.certPem, pfx, passphrase: 'pw' } })).text()).toBe('CN=fetch client');
    // Without it the server refuses the handshake.
    const refused = await failure(() => fetch(srv.url('/whoami'), { tls: { ca: pki.ca.certPem } }).then((r) => r.text()));
    expect(refused).toBeInstanceOf(TypeError);
  });

  it('uses an @ossl/ssl Context with a Checker: a wrong pin fails with WrongCertificate as the cause', async () => {
    const pki = makePki();
    const srv = await server(pki.server);
    const context = createDefaultContext({ cadata: pki.ca.certPem });
    const good = dispatcher({ context, checker: new Checker(null, pki.server.cert.digest('sha256')) });
    expect(await urlOf(await fetch(srv.url('/pinned'), { dispatcher: good }))).toBe('/pinned');
    const bad = dispatcher({ context, checker: new Checker(null, pki.ca.cert.digest('sha256')) });
    const e = await failure(() => fetch(srv.url('/pinned'), { dispatcher: bad }));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe('fetch failed');
    expect(e.cause).toBeInstanceOf(WrongCertificate);
    expect((e.cause as Coded).code).toBe('ERR_FINGERPRINT_MISMATCH');
    const viaInit = await failure(() => fetch(srv.url('/pinned'), { tls: { context, checker: new Checker(null, 'AB'.repeat(32)) } }));
    expect(viaInit.cause).toBeInstanceOf(WrongCertificate);
    expect(srv.seen).toEqual(['GET /pinned ']);
  });
});

describe('Agent', () => {
  it('sends a PKCS#12 client certificate (pfx + passphrase) through https.request', async () => {
    const pki = makePki();
    const srv = await server(pki.server, { ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true });
    const agent = new Agent({ ca: pki.ca.certPem, pfx: clientPfx(pki, 'agent client', 'secret'), passphrase: 'secret', keepAlive: true });
    cleanups.push(() => agent.destroy());
    const get = (path: string): Promise<string> =>
      new Promise((resolve, reject) => {
        https
          .request(srv.url(path), { agent }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (body += d));
            res.on('end', () => resolve(body));
          })
          .on('error', reject)
          .end();
      });
    for (let i = 0; i < 3; i++) expect(await get('/whoami')).toBe('CN=agent client');
    expect(srv.connections()).toBe(1);
  });
});

describe('bad values', () => {
  it('refuses options of the wrong type with a TypeError naming them, before connecting', async () => {
    const pki = makePki();
    const srv = await server(pki.server);
    const url = srv.url('/echo');
    const tlsNumber = await failure(() => fetch(url, { tls: 42 as unknown as DispatcherOptions }));
    expect(tlsNumber).toBeInstanceOf(TypeError);
    expect(tlsNumber.message).toMatch(/init\.tls/);
    const tlsArray = await failure(() => fetch(url, { tls: [] as unknown as DispatcherOptions }));
    expect(tlsArray).toBeInstanceOf(TypeError);
    expect(tlsArray.message).toMatch(/init\.tls/);

    expect(() => createDispatcher({ context: {} as never })).toThrow(TypeError);
    expect(() => createDispatcher({ context: {} as never })).toThrow(/options\.context/);
    expect(() => createDispatcher({ checker: 'x' as never })).toThrow(TypeError);
    expect(() => createDispatcher({ checker: 'x' as never })).toThrow(/options\.checker/);
    const viaInit = await failure(() => fetch(url, { tls: { context: {} as never } }));
    expect(viaInit).toBeInstanceOf(TypeError);
    expect(viaInit.message).toMatch(/options\.context/);

    const d = dispatcher({ ca: pki.ca.certPem });
    const both = await failure(() => fetch(url, { tls: { ca: pki.ca.certPem }, dispatcher: d }));
    expect(both).toBeInstanceOf(TypeError);
    expect(both.message).toMatch(/init\.tls/);
    expect(srv.connections()).toBe(0);
  });

  it('ignores tls and TLS options inherited from a polluted Object.prototype', async () => {
    const pki = makePki();
    const srv = await server(pki.server);
    const proto = Object.prototype as Record<string, unknown>;
    const failures: Coded[] = [];
    try {
      proto.tls = { rejectUnauthorized: false };
      failures.push(await failure(() => fetch(srv.url('/echo'), {})));
      failures.push(await failure(() => fetch(srv.url('/echo'), { method: 'GET' })));
    } finally {
      delete proto.tls;
    }
    try {
      proto.rejectUnauthorized = false;
      failures.push(await failure(() => fetch(srv.url('/echo'), { tls: {} })));
    } finally {
      delete proto.rejectUnauthorized;
    }
    for (const e of failures) {
      expect(e).toBeInstanceOf(TypeError);
      expect(e.cause).toBeInstanceOf(CertificateVerifyError);
    }
    expect(srv.seen).toEqual([]);
  });
});
