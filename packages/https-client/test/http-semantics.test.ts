// HTTP semantics of HTTPSConnection and request(): what node:http's machinery does with headers,
// malformed answers, kept-alive connections the server closed, truncated bodies, streamed request
// bodies, timeouts, proxy credentials, client certificates, AbortSignal and bodiless responses.
// Servers are node:https or raw node:tls servers writing exact bytes; node:https with its own Agent
// is the oracle for what llhttp refuses. Nothing here depends on wall-clock time: timeouts are only
// asserted to have happened, never how long they took.
import https from 'node:https';
import net from 'node:net';
import { Readable } from 'node:stream';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { CryptoError, PKCS12 } from '@ossl/crypto';
import { createDefaultContext, type Context } from '@ossl/ssl';
import { failureOf, makeIdentity, makePki, tempFiles, type Identity, type Pki } from '@ossl/testkit';

import { BadStatusLine, HTTPException, HTTPSConnection, IncompleteRead, ProxyHTTPSConnection, request } from '../src/index.js';
import { connectProxy, listen, recordingTlsServer } from './support/servers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Coded = Error & { code?: string; cause?: unknown };

/** What `fn` threw or rejected with (the test fails when it did not). */
const failure = failureOf;

/** A CA-verifying default context for `pki`. */
const trusting = (pki: Pki): Context => createDefaultContext({ cadata: pki.ca.certPem });

/** A connection to 127.0.0.1:`port` trusting `pki`'s CA, closed after the test. */
function connection(pki: Pki, port: number, options: { timeout?: number } = {}): HTTPSConnection {
  const conn = new HTTPSConnection('127.0.0.1', port, { context: trusting(pki), ...options });
  cleanups.push(() => conn.close());
  return conn;
}

/** Resolves when `socket` has closed. */
const closed = (socket: net.Socket): Promise<void> => (socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve())));

/** A request as a raw server parsed it. */
interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Which TCP connection of the server it came on (0 for the first). */
  connection: number;
  /** Which request on that connection it was (0 for the first). */
  index: number;
}

/** Parses one request (Content-Length or chunked body) off the front of `buf`, or null when incomplete. */
function parseRequest(buf: Buffer): { req: Omit<RawRequest, 'connection' | 'index'>; rest: Buffer } | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const [method = '', path = ''] = lines[0]!.split(' ');
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    const k = line.slice(0, colon).toLowerCase();
    const v = line.slice(colon + 1).trim();
    headers[k] = k in headers ? `${headers[k]}, ${v}` : v;
  }
  let pos = end + 4;
  const parts: Buffer[] = [];
  if ((headers['transfer-encoding'] ?? '').toLowerCase() === 'chunked') {
    for (;;) {
      const nl = buf.indexOf('\r\n', pos);
      if (nl < 0) return null;
      const size = parseInt(buf.subarray(pos, nl).toString('latin1'), 16);
      if (size === 0) {
        if (buf.length < nl + 4) return null;
        pos = nl + 4;
        break;
      }
      if (buf.length < nl + 2 + size + 2) return null;
      parts.push(buf.subarray(nl + 2, nl + 2 + size));
      pos = nl + 2 + size + 2;
    }
  } else {
    const length = Number(headers['content-length'] ?? 0);
    if (buf.length < pos + length) return null;
    parts.push(buf.subarray(pos, pos + length));
    pos += length;
  }
  return { req: { method, path, headers, body: Buffer.concat(parts).toString('latin1') }, rest: buf.subarray(pos) };
}

/**
 * A raw TLS server (node:tls) that parses requests itself and lets `handle` answer each with exact
 * bytes, destroy the socket, or do nothing. Records every request and counts TLS connections.
 */
async function rawHttpsServer(
  identity: Identity,
  handle: (req: RawRequest, socket: tls.TLSSocket) => void,
): Promise<{ port: number; requests: RawRequest[]; connections: () => number; sockets: tls.TLSSocket[] }> {
  const requests: RawRequest[] = [];
  const sockets: tls.TLSSocket[] = [];
  const server = tls.createServer({ key: identity.keyPem, cert: identity.certPem }, (s) => {
    const connection = sockets.push(s) - 1;
    let index = 0;
    let buf: Buffer = Buffer.alloc(0);
    s.on('error', () => undefined);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (let parsed = parseRequest(buf); parsed !== null && !s.destroyed; parsed = parseRequest(buf)) {
        buf = parsed.rest;
        const req = { ...parsed.req, connection, index: index++ };
        requests.push(req);
        handle(req, s);
      }
    });
  });
  server.on('tlsClientError', () => undefined);
  const port = await listen(server, cleanups);
  return { port, requests, connections: () => sockets.length, sockets };
}

/** A raw TLS server that answers the first request head on each connection with `reply` (then ends when `end`). */
async function replyingServer(pki: Pki, reply: string | Buffer, end = true): Promise<number> {
  const server = tls.createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (s) => {
    s.on('error', () => undefined);
    let head = '';
    const onData = (d: Buffer): void => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      s.off('data', onData);
      if (end) s.end(reply);
      else s.write(reply);
    };
    s.on('data', onData);
  });
  server.on('tlsClientError', () => undefined);
  return listen(server, cleanups);
}

/**
 * A raw TLS server that answers the first request with `first` and keeps the connection open until
 * `finish(more, end)` writes `more` and (when `end`, the default) closes it.
 */
async function stagedServer(pki: Pki, first: string): Promise<{ port: number; finish: (more?: string, end?: boolean) => void }> {
  let socket: tls.TLSSocket | null = null;
  const srv = await rawHttpsServer(pki.server, (_req, s) => {
    socket = s;
    s.write(first);
  });
  return {
    port: srv.port,
    finish: (more = '', end = true) => {
      if (socket === null) throw new Error('no request yet');
      if (end) socket.end(more);
      else socket.write(more);
    },
  };
}

/**
 * `promise`, or a failure saying it hung: a watchdog (never a timing assertion) so that a library
 * that loses an event fails this test instead of blocking the run until vitest's hang guard.
 */
function settles<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} neither resolved nor rejected: it hangs`)), 20_000);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

/** A node:https server with keep-alive that echoes each request as JSON; counts its TLS connections. */
async function echoServer(pki: Pki): Promise<{ port: number; connections: () => number; server: https.Server }> {
  let connections = 0;
  const server = https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = JSON.stringify({
        method: req.method,
        url: req.url,
        te: req.headers['transfer-encoding'] ?? null,
        cl: req.headers['content-length'] ?? null,
        body: Buffer.concat(chunks).toString('latin1'),
      });
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Content-Length', Buffer.byteLength(text));
      res.end(text);
    });
  });
  server.on('secureConnection', () => connections++);
  const port = await listen(server, cleanups);
  return { port, connections: () => connections, server };
}

interface Echo {
  method: string;
  url: string;
  te: string | null;
  cl: string | null;
  body: string;
}

/** One exchange on `conn`, the echo server's answer parsed. */
async function echo(conn: HTTPSConnection, method: string, url: string, body?: Parameters<HTTPSConnection['request']>[2], headers: Record<string, string | number> = {}): Promise<Echo> {
  await conn.request(method, url, body, headers);
  const res = await conn.getresponse();
  expect(res.status).toBe(200);
  return JSON.parse((await res.read()).toString('latin1')) as Echo;
}

/** GET / with node:https and its own Agent trusting `pki`: what llhttp made of the answer. */
function nodeGet(pki: Pki, port: number): Promise<{ status?: number; body?: string; error?: Coded }> {
  return new Promise((resolve) => {
    const agent = new https.Agent({ ca: pki.ca.certPem });
    const done = (r: { status?: number; body?: string; error?: Coded }): void => {
      agent.destroy();
      resolve(r);
    };
    const req = https.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode, body: Buffer.concat(chunks).toString('latin1') }));
      res.on('error', (error: Coded) => done({ error }));
    });
    req.on('error', (error: Coded) => done({ error }));
  });
}

async function* asyncChunks(...chunks: (string | Buffer | Uint8Array | number)[]): AsyncGenerator<unknown> {
  for (const c of chunks) {
    await new Promise((r) => setImmediate(r));
    yield c;
  }
}

describe('response headers', () => {
  it('keeps two Set-Cookie headers apart in getheaders() and joins them with ", " in getheader(), as CPython does', async () => {
    const pki = makePki();
    const cookies = ['id=a3fWa; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Path=/', 'theme=dark; HttpOnly'];
    const server = https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (_req, res) => {
      res.setHeader('Set-Cookie', cookies);
      res.setHeader('Content-Length', 2);
      res.end('ok');
    });
    const port = await listen(server, cleanups);
    const conn = connection(pki, port);
    await conn.request('GET', '/cookies');
    const res = await conn.getresponse();
    expect(res.getheaders().filter(([k]) => k.toLowerCase() === 'set-cookie')).toEqual([
      ['Set-Cookie', cookies[0]],
      ['Set-Cookie', cookies[1]],
    ]);
    expect(res.getheader('set-cookie')).toBe(`${cookies[0]}, ${cookies[1]}`);
    expect(res.getheader('SET-COOKIE')).toBe(res.getheader('set-cookie'));
    expect(res.headers['set-cookie']).toBe(`${cookies[0]}, ${cookies[1]}`);
    expect((await res.read()).toString()).toBe('ok');

    const one = await request(`https://127.0.0.1:${port}/`, { context: trusting(pki) });
    expect(one.rawHeaders.filter(([k]) => k.toLowerCase() === 'set-cookie').map(([, v]) => v)).toEqual(cookies);
  });
});

describe('malformed responses are refused, as node:https refuses them', () => {
  const heads: Array<[string, string]> = [
    ['Content-Length with Transfer-Encoding: chunked', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'],
    ['two different Content-Length values', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!'],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nNoColonHere\r\n\r\nhello'],
    ['a status line that is not HTTP', 'SMTP/1.0 220 ready\r\nContent-Length: 5\r\n\r\nhello'],
  ];

  for (const [name, reply] of heads) {
    it(`refuses ${name} with BadStatusLine (HPE_ code)`, async () => {
      const pki = makePki();
      const port = await replyingServer(pki, reply);
      const oracle = await nodeGet(pki, port);
      expect(oracle.error, `node:https accepted it: ${JSON.stringify(oracle)}`).toBeDefined();
      expect(oracle.error!.code).toMatch(/^HPE_/);

      const conn = connection(pki, port);
      await conn.request('GET', '/');
      const e = await failure(() => conn.getresponse());
      expect(e).toBeInstanceOf(BadStatusLine);
      expect(e.code).toMatch(/^HPE_/);
      expect(e.code).toBe(oracle.error!.code);

      const one = await failure(() => request(`https://127.0.0.1:${port}/`, { context: trusting(pki) }));
      expect(one).toBeInstanceOf(BadStatusLine);
    });
  }

  it('refuses a bad chunk size ("zz") in the body with an HTTPException, as node:https does', async () => {
    const pki = makePki();
    const bad = 'zz\r\nmore\r\n0\r\n\r\n';
    const oracle = await nodeGet(pki, await replyingServer(pki, `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n${bad}`));
    expect(oracle.error, `node:https accepted it: ${JSON.stringify(oracle)}`).toBeDefined();
    expect(oracle.error!.code).toBe('HPE_INVALID_CHUNK_SIZE');

    // The head and a good chunk first; the bad chunk size once the response is being read.
    const srv = await stagedServer(pki, 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
    const conn = connection(pki, srv.port);
    await conn.request('GET', '/');
    const res = await conn.getresponse();
    expect((await res.read(5)).toString()).toBe('hello');
    srv.finish(bad, false);
    const e = await failure(() => settles(res.read(), 'read()'));
    expect(e).toBeInstanceOf(HTTPException);
    if (e instanceof IncompleteRead) {
      // Nothing after the bad chunk size was taken as body.
      expect(e.partial.toString()).toBe('');
      expect(e.expected).toBeNull();
    } else {
      expect(e.code).toMatch(/^HPE_/);
    }
  });

});

describe('reopening a kept-alive connection the server closed', () => {
  it('sends the next request on a new connection after the server closed the idle one', async () => {
    const pki = makePki();
    let connections = 0;
    const serverSockets: tls.TLSSocket[] = [];
    const server = https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (req, res) => {
      res.setHeader('Content-Length', Buffer.byteLength(req.url ?? ''));
      res.end(req.url);
    });
    server.keepAliveTimeout = 100;
    server.on('secureConnection', (s: tls.TLSSocket) => {
      connections++;
      serverSockets.push(s);
    });
    const port = await listen(server, cleanups);
    const conn = connection(pki, port);
    await conn.request('GET', '/one');
    const first = await conn.getresponse();
    expect(first.willClose).toBe(false);
    expect((await first.read()).toString()).toBe('/one');
    // The server drops the idle connection (keepAliveTimeout); wait until it has.
    await closed(serverSockets[0]!);
    await conn.request('GET', '/two');
    const second = await conn.getresponse();
    expect((await second.read()).toString()).toBe('/two');
    expect(connections).toBe(2);
  });

  it('sends a request again, complete, on a new connection when the server drops the kept-alive one without answering', async () => {
    const pki = makePki();
    const srv = await rawHttpsServer(pki.server, (req, s) => {
      // The first connection answers its first request, then hangs up on the second one unanswered.
      if (req.connection === 0 && req.index === 1) return void s.destroy();
      const body = `${req.method} ${req.path} ${req.body}`;
      s.write(`HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
    const conn = connection(pki, srv.port);
    await conn.request('GET', '/first');
    expect((await (await conn.getresponse()).read()).toString()).toBe('GET /first ');
    await conn.request('POST', '/second', 'payload', { 'X-Retry-Test': 'yes' });
    const res = await conn.getresponse();
    expect(res.status).toBe(200);
    expect((await res.read()).toString()).toBe('POST /second payload');
    expect(srv.connections()).toBe(2);
    expect(srv.requests.map((r) => [r.connection, r.index, r.method, r.path, r.body, r.headers['x-retry-test']])).toEqual([
      [0, 0, 'GET', '/first', '', undefined],
      [0, 1, 'POST', '/second', 'payload', 'yes'],
      [1, 0, 'POST', '/second', 'payload', 'yes'],
    ]);
    expect(srv.requests[2]!.headers['content-length']).toBe('7');
    // And the new connection is kept for the next request.
    await conn.request('GET', '/third');
    expect((await (await conn.getresponse()).read()).toString()).toBe('GET /third ');
    expect(srv.connections()).toBe(2);
  });

  it('does not send a streamed body again: the failure surfaces', async () => {
    const pki = makePki();
    const srv = await rawHttpsServer(pki.server, (req, s) => {
      if (req.connection === 0 && req.index === 1) return void s.destroy();
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    const conn = connection(pki, srv.port);
    await conn.request('GET', '/first');
    expect((await (await conn.getresponse()).read()).toString()).toBe('ok');
    let pulled = 0;
    async function* body(): AsyncGenerator<Buffer> {
      pulled++;
      yield Buffer.from('streamed');
    }
    const e = await failure(async () => {
      await conn.request('POST', '/stream', body());
      return conn.getresponse();
    });
    expect(e).toBeInstanceOf(Error);
    expect(pulled).toBe(1);
    expect(srv.connections()).toBe(1);
    expect(srv.requests.map((r) => [r.connection, r.method, r.path, r.body])).toEqual([
      [0, 'GET', '/first', ''],
      [0, 'POST', '/stream', 'streamed'],
    ]);
  });
});

describe('IncompleteRead', () => {
  it('reports the bytes that arrived and how many were missing when a Content-Length body is cut short', async () => {
    const pki = makePki();
    const srv = await stagedServer(pki, 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a little');
    const conn = connection(pki, srv.port);
    await conn.request('GET', '/');
    const res = await conn.getresponse();
    srv.finish();
    const e = await failure(() => settles(res.read(), 'read()'));
    expect(e).toBeInstanceOf(IncompleteRead);
    expect(e).toBeInstanceOf(HTTPException);
    expect(e.code).toBe('ERR_INCOMPLETE_READ');
    expect((e as IncompleteRead).partial.toString()).toBe('only a little');
    expect((e as IncompleteRead).partial.length).toBe(13);
    expect((e as IncompleteRead).expected).toBe(87);
  });

  it('reports the bytes that arrived and expected null when a chunked body is cut in the middle of a chunk', async () => {
    const pki = makePki();
    const srv = await stagedServer(pki, 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n10\r\nabc');
    const conn = connection(pki, srv.port);
    await conn.request('GET', '/');
    const res = await conn.getresponse();
    srv.finish();
    const e = await failure(() => settles(res.read(), 'read()'));
    expect(e).toBeInstanceOf(IncompleteRead);
    expect((e as IncompleteRead).expected).toBeNull();
    expect((e as IncompleteRead).partial.toString()).toBe('helloabc');
  });

  it('surfaces from readline() and from for await', async () => {
    const pki = makePki();
    const head = 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nline one\nline two';
    const first = await stagedServer(pki, head);
    const conn = connection(pki, first.port);
    await conn.request('GET', '/');
    const res = await conn.getresponse();
    expect((await res.readline()).toString()).toBe('line one\n');
    first.finish();
    const e = await failure(() => settles(res.readline(), 'readline()'));
    expect(e).toBeInstanceOf(IncompleteRead);
    expect((e as IncompleteRead).partial.toString()).toBe('line two');
    expect((e as IncompleteRead).expected).toBe(100 - 'line one\nline two'.length);

    const second = await stagedServer(pki, head);
    const again = connection(pki, second.port);
    await again.request('GET', '/');
    const iterated = await again.getresponse();
    const seen: Buffer[] = [];
    const iterate = async (): Promise<void> => {
      for await (const chunk of iterated) {
        seen.push(chunk);
        if (Buffer.concat(seen).length === 'line one\nline two'.length) second.finish();
      }
    };
    const e2 = await failure(() => settles(iterate(), 'for await'));
    expect(e2).toBeInstanceOf(IncompleteRead);
    expect(Buffer.concat(seen).toString()).toBe('line one\nline two');
  });

  // The server sends the head, a short body and its close at once: node:http may destroy the
  // IncomingMessage before getresponse() has made the HTTPResponse. The failure must not be lost.
  it('is reported when the body was cut before getresponse() returned', async () => {
    const pki = makePki();
    const conn = connection(pki, await replyingServer(pki, 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a little'));
    await conn.request('GET', '/');
    const res = await conn.getresponse();
    const e = await failure(() => settles(res.read(), 'read()'));
    expect(e).toBeInstanceOf(IncompleteRead);
    expect((e as IncompleteRead).partial.toString()).toBe('only a little');
    expect((e as IncompleteRead).expected).toBe(87);

    const chunked = connection(pki, await replyingServer(pki, 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n'));
    await chunked.request('GET', '/');
    const bad = await failure(async () => settles((await chunked.getresponse()).read(), 'read()'));
    expect(bad).toBeInstanceOf(HTTPException);

    const short = await replyingServer(pki, 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a little');
    const one = await failure(() => settles(request(`https://127.0.0.1:${short}/`, { context: trusting(pki) }), 'request()'));
    expect(one).toBeInstanceOf(IncompleteRead);
  });
});

describe('streamed request bodies', () => {
  it('sends async iterables, Readables and sync iterables whole, chunked when no length is given', async () => {
    const pki = makePki();
    const srv = await echoServer(pki);
    const conn = connection(pki, srv.port);

    const fromAsync = await echo(conn, 'POST', '/async', asyncChunks('alpha,', Buffer.from('beta,'), new Uint8Array([0x67, 0x61, 0x6d, 0x6d, 0x61])) as AsyncIterable<Buffer>);
    expect(fromAsync).toEqual({ method: 'POST', url: '/async', te: 'chunked', cl: null, body: 'alpha,beta,gamma' });

    const fromReadable = await echo(conn, 'PUT', '/readable', Readable.from([Buffer.from('one '), Buffer.from('two '), 'three']));
    expect(fromReadable).toEqual({ method: 'PUT', url: '/readable', te: 'chunked', cl: null, body: 'one two three' });

    const big = Buffer.alloc(256 * 1024, 'x');
    const fromArray = await echo(conn, 'POST', '/array', [Buffer.from('head:'), big, Buffer.from(':tail')]);
    expect(fromArray.te).toBe('chunked');
    expect(fromArray.body).toBe(`head:${big.toString()}:tail`);

    expect(srv.connections()).toBe(1);
  });

  it('sends the Content-Length the caller gives instead of chunked framing', async () => {
    const pki = makePki();
    const srv = await echoServer(pki);
    const conn = connection(pki, srv.port);
    const got = await echo(conn, 'POST', '/sized', asyncChunks('12345', '67890') as AsyncIterable<string>, { 'Content-Length': 10 });
    expect(got).toEqual({ method: 'POST', url: '/sized', te: null, cl: '10', body: '1234567890' });
    const readable = await echo(conn, 'POST', '/sized2', Readable.from(['abc', 'def']), { 'Content-Length': '6' });
    expect(readable).toEqual({ method: 'POST', url: '/sized2', te: null, cl: '6', body: 'abcdef' });
  });

  it('refuses a chunk of the wrong type with a TypeError', async () => {
    const pki = makePki();
    const srv = await echoServer(pki);
    const conn = connection(pki, srv.port);
    const e = await failure(() => conn.request('POST', '/bad', asyncChunks('fine', 42) as AsyncIterable<string>));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toMatch(/body chunk/);
    const sync = connection(pki, srv.port);
    const e2 = await failure(() => sync.request('POST', '/bad', [Buffer.from('ok'), 7 as unknown as Buffer]));
    expect(e2).toBeInstanceOf(TypeError);
  });

  it('streams more body with send() after endheaders(), and refuses send() before endheaders() with HTTPException', async () => {
    const pki = makePki();
    const srv = await echoServer(pki);
    const conn = connection(pki, srv.port);
    conn.putrequest('POST', '/sent');
    conn.putheader('Content-Length', 18);
    await conn.endheaders();
    await conn.send('first,');
    await conn.send(Buffer.from('second,'));
    await conn.send(asyncChunks('thi', 'rd') as AsyncIterable<string>);
    const res = await conn.getresponse();
    expect(JSON.parse((await res.read()).toString())).toEqual({ method: 'POST', url: '/sent', te: null, cl: '18', body: 'first,second,third' });

    const fresh = connection(pki, srv.port);
    const before = await failure(() => fresh.send('x'));
    expect(before).toBeInstanceOf(HTTPException);
    expect(before.code).toBe('ERR_NO_REQUEST');
    fresh.putrequest('POST', '/x');
    const started = await failure(() => fresh.send('x'));
    expect(started).toBeInstanceOf(HTTPException);
    expect(started.message).toMatch(/send before endheaders/);
  });
});

describe('timeouts on every wait', () => {
  it('gives up on a server that accepts TCP but never does TLS', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => {
      sockets.push(s);
      s.on('error', () => undefined);
      // Read (and drop) the ClientHello, so that the client's hang-up is seen.
      s.resume();
    });
    const port = await listen(server, cleanups);
    const pki = makePki();
    const conn = connection(pki, port, { timeout: 200 });
    const e = await failure(() => conn.request('GET', '/'));
    expect(e.code).toBe('ETIMEDOUT');
    expect(e.message).toMatch(/handshake/);
    expect(sockets).toHaveLength(1);
    await closed(sockets[0]!);
    const one = await failure(() => request(`https://127.0.0.1:${port}/`, { context: trusting(pki), timeout: 200 }));
    expect(one.code).toBe('ETIMEDOUT');
  });

  it('gives up on a server that completes TLS but never answers the request', async () => {
    const pki = makePki();
    const srv = await rawHttpsServer(pki.server, () => undefined);
    // The waits that do finish (connect, handshake) must not meet the timeout on a slow machine: a wide margin.
    const conn = connection(pki, srv.port, { timeout: 1000 });
    await conn.request('GET', '/silent');
    const e = await failure(() => conn.getresponse());
    expect(e.code).toBe('ETIMEDOUT');
    expect(srv.requests.map((r) => r.path)).toEqual(['/silent']);
    await closed(srv.sockets[0]!);
  });

  it('gives up on a body that stalls after the head', async () => {
    const pki = makePki();
    const port = await replyingServer(pki, 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nstart', false);
    // The waits that do finish (connect, handshake, head) must not meet the timeout on a slow machine: a wide margin.
    const conn = connection(pki, port, { timeout: 1000 });
    await conn.request('GET', '/');
    const res = await conn.getresponse();
    expect(res.status).toBe(200);
    expect((await res.read(5)).toString()).toBe('start');
    const e = await failure(() => res.read());
    expect(e.code).toBe('ETIMEDOUT');
  });
});

describe('proxy credentials', () => {
  it('sends Proxy-Authorization to the proxy only, from ProxyHTTPSConnection and from request()', async () => {
    const pki = makePki();
    const target = await recordingTlsServer(pki.server, cleanups);
    const proxy = await connectProxy(target.port, cleanups);
    const basic = `Basic ${Buffer.from('alice:s3cret').toString('base64')}`;

    const conn = new ProxyHTTPSConnection('127.0.0.1', proxy.port, { context: trusting(pki), username: 'alice', password: 's3cret' });
    cleanups.push(() => conn.close());
    await conn.request('GET', `https://localhost:${target.port}/via-proxy`);
    const res = await conn.getresponse();
    expect(res.status).toBe(200);
    await res.read();

    const one = await request(`https://localhost:${target.port}/one-shot`, { context: trusting(pki), proxy: ['127.0.0.1', proxy.port], proxyUsername: 'alice', proxyPassword: 's3cret' });
    expect(one.status).toBe(200);

    expect(proxy.heads).toHaveLength(2);
    for (const head of proxy.heads) {
      expect(head.startsWith(`CONNECT localhost:${target.port} HTTP/1.1\r\n`)).toBe(true);
      expect(head.split('\r\n')).toContain(`Proxy-Authorization: ${basic}`);
    }
    expect(target.rec.received).toHaveLength(2);
    expect(target.rec.received[0]).toMatch(/^GET \/via-proxy HTTP\/1\.1\r\n/);
    expect(target.rec.received[1]).toMatch(/^GET \/one-shot HTTP\/1\.1\r\n/);
    for (const got of target.rec.received) {
      expect(got.toLowerCase()).not.toContain('proxy-authorization');
      expect(got).not.toContain(Buffer.from('alice:s3cret').toString('base64'));
    }
  });
});

describe('client certificates', () => {
  /** A node:https server that requires a client certificate issued by `pki`'s CA and echoes its CN. */
  async function mtlsServer(pki: Pki): Promise<number> {
    const server = https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      res.end(`CN=${String((req.socket as tls.TLSSocket).getPeerCertificate().subject.CN)}`);
    });
    server.on('tlsClientError', () => undefined);
    return listen(server, cleanups);
  }

  async function whoAmI(conn: HTTPSConnection): Promise<string> {
    cleanups.push(() => conn.close());
    await conn.request('GET', '/whoami');
    return (await (await conn.getresponse()).read()).toString();
  }

  it('sends a leaf and its intermediate from certFile, with keyFile or the key inside certFile', async () => {
    const pki = makePki();
    const intermediate = makeIdentity({ cn: 'ossl intermediate CA', issuer: pki.ca, ca: true });
    const leaf = makeIdentity({ cn: 'chained client', issuer: intermediate });
    const files = tempFiles({
      'chain.pem': leaf.certPem + intermediate.certPem,
      'leaf.pem': leaf.certPem,
      'client.key': leaf.keyPem,
      'all.pem': leaf.certPem + intermediate.certPem + leaf.keyPem,
    });
    cleanups.push(files.cleanup);
    const port = await mtlsServer(pki);
    const ctx = (): Context => trusting(pki);

    expect(await whoAmI(new HTTPSConnection('127.0.0.1', port, { context: ctx(), certFile: files.path('chain.pem'), keyFile: files.path('client.key') }))).toBe('CN=chained client');
    expect(await whoAmI(new HTTPSConnection('127.0.0.1', port, { context: ctx(), certFile: files.path('all.pem') }))).toBe('CN=chained client');
    // Without the intermediate the server (which trusts only the root) refuses: the chain is what passed above.
    const leafOnly = new HTTPSConnection('127.0.0.1', port, { context: ctx(), certFile: files.path('leaf.pem'), keyFile: files.path('client.key') });
    cleanups.push(() => leafOnly.close());
    await expect(whoAmI(leafOnly)).rejects.toThrow();
    // And without any certificate too.
    await expect(whoAmI(new HTTPSConnection('127.0.0.1', port, { context: ctx() }))).rejects.toThrow();
  });

  it('sends a PKCS#12 bundle given as bytes or as a file path; a wrong passphrase throws at construction', async () => {
    const pki = makePki();
    const intermediate = makeIdentity({ cn: 'ossl intermediate CA', issuer: pki.ca, ca: true });
    const leaf = makeIdentity({ cn: 'pkcs12 client', issuer: intermediate });
    const p12 = new PKCS12();
    p12.setPrivatekey(leaf.key);
    p12.setCertificate(leaf.cert);
    p12.setCaCertificates([intermediate.cert]);
    const pfx = p12.export({ passphrase: 'open sesame' });
    const files = tempFiles({ 'client.p12': pfx });
    cleanups.push(files.cleanup);
    const port = await mtlsServer(pki);

    expect(await whoAmI(new HTTPSConnection('127.0.0.1', port, { context: trusting(pki), pfx, passphrase: 'open sesame' }))).toBe('CN=pkcs12 client');
    expect(await whoAmI(new HTTPSConnection('127.0.0.1', port, { context: trusting(pki), pfx: new Uint8Array(pfx), passphrase: 'open sesame' }))).toBe('CN=pkcs12 client');
    expect(await whoAmI(new HTTPSConnection('127.0.0.1', port, { context: trusting(pki), pfx: files.path('client.p12'), passphrase: 'open sesame' }))).toBe('CN=pkcs12 client');
    const one = await request(`https://127.0.0.1:${port}/`, { context: trusting(pki), pfx: files.path('client.p12'), passphrase: 'open sesame' });
    expect(one.body.toString()).toBe('CN=pkcs12 client');

    let thrown: unknown;
    try {
      new HTTPSConnection('127.0.0.1', port, { context: trusting(pki), pfx, passphrase: 'wrong' });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(CryptoError);
    expect((thrown as CryptoError & { code?: string }).code).toBe('ERR_OSSL_PKCS12_MAC_VERIFY_FAILURE');
    expect((thrown as Error).message).toBe('could not parse the PKCS#12 data: mac verify failure');
    expect(() => new HTTPSConnection('127.0.0.1', port, { context: trusting(pki), pfx: files.path('client.p12') })).toThrow(CryptoError);
  });
});

describe('request() with an AbortSignal', () => {
  it('rejects with the signal reason when aborted while waiting, and closes the connection', async () => {
    const pki = makePki();
    const srv = await rawHttpsServer(pki.server, () => undefined);
    const headSeen = (): Promise<void> =>
      new Promise((resolve) => {
        const poll = (): void => (srv.requests.length > 0 ? resolve() : void setImmediate(poll));
        poll();
      });

    const ac = new AbortController();
    const pending = request(`https://127.0.0.1:${srv.port}/wait`, { context: trusting(pki), signal: ac.signal });
    await headSeen();
    ac.abort();
    const e = await failure(() => pending);
    expect(e).toBe(ac.signal.reason);
    expect(e.name).toBe('AbortError');
    await closed(srv.sockets[0]!);

    const custom = new AbortController();
    const reason = new Error('stop now');
    const second = request(`https://127.0.0.1:${srv.port}/wait2`, { context: trusting(pki), signal: custom.signal });
    while (srv.requests.length < 2) await new Promise((r) => setImmediate(r));
    custom.abort(reason);
    expect(await failure(() => second)).toBe(reason);
    await closed(srv.sockets[1]!);
  });

  it('rejects an already aborted signal before connecting', async () => {
    const pki = makePki();
    const srv = await recordingTlsServer(pki.server, cleanups);
    const signal = AbortSignal.abort();
    const e = await failure(() => request(`https://127.0.0.1:${srv.port}/`, { context: trusting(pki), signal }));
    expect(e).toBe(signal.reason);
    expect(e.name).toBe('AbortError');
    // A request made afterwards is the only connection the server ever saw.
    const sentinel = await request(`https://127.0.0.1:${srv.port}/sentinel`, { context: trusting(pki) });
    expect(sentinel.status).toBe(200);
    expect(srv.rec.connections).toBe(1);
    expect(srv.rec.received).toHaveLength(1);
    expect(srv.rec.received[0]).toMatch(/^GET \/sentinel /);
  });
});

describe('responses without a body', () => {
  it('reads HEAD (with Content-Length), 204 and 304 (with Content-Length) as empty and keeps the connection', async () => {
    const pki = makePki();
    const srv = await rawHttpsServer(pki.server, (req, s) => {
      if (req.method === 'HEAD') s.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\n');
      else if (req.path === '/no-content') s.write('HTTP/1.1 204 No Content\r\nX-Kind: 204\r\n\r\n');
      else if (req.path === '/not-modified') s.write('HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\nContent-Length: 1234\r\n\r\n');
      else s.write('HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world');
    });
    const conn = connection(pki, srv.port);

    await conn.request('HEAD', '/doc');
    let res = await conn.getresponse();
    expect([res.status, res.getheader('content-length')]).toEqual([200, '11']);
    expect(res.willClose).toBe(false);
    expect((await res.read()).length).toBe(0);
    expect(res.isClosed()).toBe(true);

    await conn.request('GET', '/no-content');
    res = await conn.getresponse();
    expect(res.status).toBe(204);
    expect((await res.read()).length).toBe(0);
    expect(res.isClosed()).toBe(true);

    await conn.request('GET', '/not-modified', null, { 'If-None-Match': '"v1"' });
    res = await conn.getresponse();
    expect([res.status, res.getheader('etag')]).toEqual([304, '"v1"']);
    expect((await res.read()).length).toBe(0);
    expect(res.isClosed()).toBe(true);

    // The framing stayed in step: the next body is read whole, on the same connection.
    await conn.request('GET', '/doc');
    res = await conn.getresponse();
    expect((await res.read()).toString()).toBe('hello world');

    expect(srv.connections()).toBe(1);
    expect(srv.requests.map((r) => `${r.connection} ${r.method} ${r.path}`)).toEqual(['0 HEAD /doc', '0 GET /no-content', '0 GET /not-modified', '0 GET /doc']);
  });
});
