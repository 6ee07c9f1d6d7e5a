// Regression tests for the https-client items of the security review (issue 9): request smuggling
// through header names and values, methods, URLs and tunnel hosts (item 6); Checker's wildcard rules
// (item 7); checkHostname (item 8); the CONNECT tunnel's timeout and size cap (item 11); options read
// from own properties only (item 13); option types (item 14).
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Context, createDefaultContext, TLS_CLIENT_METHOD, VERIFY_NONE, VERIFY_PEER } from '@ossl/ssl';
import { failureOf, makeIdentity, makePki, tempFiles, withPollutedPrototype, type Identity, type Pki } from '@ossl/testkit';
import { dumpCertificate, dumpPrivatekey, FILETYPE_PEM } from '@ossl/crypto';

import { BadStatusLine, Checker, HTTPException, HTTPSConnection, ProxyHTTPSConnection, request, WrongCertificate, WrongHost } from '../src/index.js';
import { connectProxy, recordingTlsServer, scriptedProxy, type Recording } from './support/servers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** What `fn` threw or rejected with (the test fails when it did not). */
const failure = failureOf;

/** Resolves when `socket` has closed (an error on the way, such as ECONNRESET, is expected). */
const closed = (socket: net.Socket): Promise<void> => (socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve())));

/** A CA-verifying default context for `pki`. */
const trusting = (pki: Pki): Context => createDefaultContext({ cadata: pki.ca.certPem });

/**
 * Proves that nothing reached a recording server since `before` connections: a valid request made
 * afterwards (and answered) is the only new connection, and it carries exactly what it should.
 */
async function expectOnlySentinel(pki: Pki, port: number, rec: Recording, before: number): Promise<void> {
  const conn = new HTTPSConnection('localhost', port, { context: trusting(pki) });
  try {
    await conn.request('GET', '/sentinel');
    await (await conn.getresponse()).read();
  } finally {
    conn.close();
  }
  expect(rec.connections).toBe(before + 1);
  // node:http adds `Connection: keep-alive` (HTTP/1.1's default, said aloud) to what httplib sends.
  expect(rec.received.slice(before)).toEqual([`GET /sentinel HTTP/1.1\r\nHost: localhost:${port}\r\nAccept-Encoding: identity\r\nConnection: keep-alive\r\n\r\n`]);
}

describe('HTTPSConnection request validation (header injection)', () => {
  const badNames = ['Bad Name', 'Bad\tName', 'X(a)', 'X-\x0bA', 'X-\x7f', 'X-\u0100', '', 'X:Y', 'X\r\nY', 'X\nY', 'X\0', 'Ä', 'X/Y', '@', '{a}', 'a"b', 'X,Y', 'X;Y', 'X=Y', 'X?', '[x]', '\\', 'X\u200b', 'Host: evil\r\nX'];
  const badValues = [
    'a\r\n\tX-Injected: 1', // obs-fold
    'a\r\n X-Injected: 1',
    'a\r\nX-Injected: 1',
    'a\nX-Injected: 1',
    'a\rX-Injected: 1',
    'a\r\n\r\nGET /evil HTTP/1.1',
    'a\0b',
    'a\x01',
    'a\x1f',
    'a\x7f',
    'a\u010d\u010aX-Injected: 1', // latin1 encoding would turn these into CR LF
    'a\u0100',
    '\u2028',
    '\ud83d\ude00',
  ];

  it('refuses header names that are not RFC 9110 tokens with ERR_INVALID_HTTP_TOKEN before connecting', async () => {
    const pki = makePki();
    const { port, rec } = await recordingTlsServer(pki.server, cleanups);
    for (const name of badNames) {
      const conn = new HTTPSConnection('localhost', port, { context: trusting(pki) });
      const e = await failure(() => conn.request('GET', '/', null, { [name]: 'x' }));
      expect(e, JSON.stringify(name)).toBeInstanceOf(TypeError);
      expect(e.code).toBe('ERR_INVALID_HTTP_TOKEN');
      expect(e.message).toMatch(/^Invalid header name /);
      conn.putrequest('GET', '/');
      expect(() => conn.putheader(name, 'x')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_HTTP_TOKEN' }));
      // A refused request leaves nothing behind: the next one is clean.
      expect(() => conn.putheader('X-Ok', 'y')).not.toThrow();
    }
    expect(() => new HTTPSConnection('localhost', port).putheader(42 as unknown as string, 'x')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    await expectOnlySentinel(pki, port, rec, 0);
  });

  it('refuses CR, LF, NUL, other controls, DEL, obs-fold and non-latin1 characters in values with ERR_INVALID_CHAR', async () => {
    const pki = makePki();
    const { port, rec } = await recordingTlsServer(pki.server, cleanups);
    for (const value of badValues) {
      const conn = new HTTPSConnection('localhost', port, { context: trusting(pki) });
      const e = await failure(() => conn.request('GET', '/', null, { 'X-A': value }));
      expect(e, JSON.stringify(value)).toBeInstanceOf(TypeError);
      expect(e.code).toBe('ERR_INVALID_CHAR');
      expect(e.message).toContain('"X-A"');
      conn.putrequest('GET', '/');
      expect(() => conn.putheader('X-A', 'fine', value)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_CHAR' }));
      // Through an array of values in request() too.
      await expect(conn.request('GET', '/', null, { 'X-A': ['fine', value] })).rejects.toMatchObject({ code: 'ERR_INVALID_CHAR' });
    }
    for (const value of [undefined, null, {}, Symbol('x'), NaN, Infinity, () => 'x']) {
      const conn = new HTTPSConnection('localhost', port, { context: trusting(pki) });
      await expect(conn.request('GET', '/', null, { 'X-A': value as string })).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_HTTP_INVALID_HEADER_VALUE' });
    }
    await expectOnlySentinel(pki, port, rec, 0);
  });

  it('sends TAB, latin1 text and numbers in values, and joins several values on one line', async () => {
    const pki = makePki();
    const { port, rec } = await recordingTlsServer(pki.server, cleanups);
    const conn = new HTTPSConnection('localhost', port, { context: trusting(pki) });
    cleanups.push(() => conn.close());
    conn.putrequest('GET', '/multi');
    conn.putheader('X-A', 'a', 'b', 3);
    conn.putheader('X-Tab', 'a\tb');
    conn.putheader('X-Latin', 'caf\u00e9');
    conn.putheader('X-Empty');
    conn.putheader("!#$%&'*+-.^_`|~09AZaz", 'tchar');
    await conn.endheaders();
    await (await conn.getresponse()).read();
    const got = rec.received[0]!;
    expect(got).toContain('\r\nX-A: a, b, 3\r\n');
    expect(got).toContain('\r\nX-Tab: a\tb\r\n');
    expect(got).toContain('\r\nX-Latin: caf\xe9\r\n');
    expect(got).toContain('\r\nX-Empty: \r\n');
    expect(got).toContain("\r\n!#$%&'*+-.^_`|~09AZaz: tchar\r\n");
    // Never folded: no line of the head starts with a space or a TAB.
    expect(got.split('\r\n').filter((l) => /^[ \t]/.test(l))).toEqual([]);

    const again = new HTTPSConnection('localhost', port, { context: trusting(pki) });
    cleanups.push(() => again.close());
    await again.request('GET', '/array', null, { 'X-List': ['one', 'two'] });
    await (await again.getresponse()).read();
    expect(rec.received[1]).toContain('\r\nX-List: one, two\r\n');
  });

  it('refuses request targets with controls, spaces, DEL or non-latin1 characters with ERR_UNESCAPED_CHARACTERS', async () => {
    const pki = makePki();
    const { port, rec } = await recordingTlsServer(pki.server, cleanups);
    for (const url of ['/a\tb', '/a\x01b', '/a\x7fb', '/a b', ' /', '/a\r\nX-Injected: 1', '/a\nb', '/a\0', '/\u0100', '/\u010d\u010aX: 1', '/x HTTP/1.1\r\nHost: evil\r\n\r\nGET /']) {
      const conn = new HTTPSConnection('localhost', port, { context: trusting(pki) });
      const e = await failure(() => conn.request('GET', url));
      expect(e, JSON.stringify(url)).toBeInstanceOf(TypeError);
      expect(e.code).toBe('ERR_UNESCAPED_CHARACTERS');
      expect(() => conn.putrequest('GET', url)).toThrow(TypeError);
    }
    await expect(new HTTPSConnection('localhost', port).request('GET', 42 as unknown as string)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
    await expectOnlySentinel(pki, port, rec, 0);
  });

  it('refuses methods that are not tokens with ERR_INVALID_HTTP_TOKEN', async () => {
    const pki = makePki();
    const { port, rec } = await recordingTlsServer(pki.server, cleanups);
    for (const method of ['GE\tT', 'G T', '', 'GET /x HTTP/1.1\r\nX:', 'GET\0', 'G\u00cbT', 'GET\u0100', 'GET\r\n', '(GET)']) {
      const conn = new HTTPSConnection('localhost', port, { context: trusting(pki) });
      const e = await failure(() => conn.request(method, '/'));
      expect(e, JSON.stringify(method)).toBeInstanceOf(TypeError);
      expect(e.code).toBe('ERR_INVALID_HTTP_TOKEN');
    }
    await expect(new HTTPSConnection('localhost', port).request(42 as unknown as string, '/')).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
    await expectOnlySentinel(pki, port, rec, 0);
  });

  it('makes request(url) check the string it was given, before WHATWG parsing strips TAB, CR and LF', async () => {
    const pki = makePki();
    const { port, rec } = await recordingTlsServer(pki.server, cleanups);
    const base = `https://localhost:${port}`;
    for (const url of [`${base}/a\tb`, `${base}/a b`, `${base}/a\r\nb`, `${base}/a\nb`, `\t${base}/`, `${base}/ `, `${base}/a\0`, `${base}/a\x7f`, `https://local\thost:${port}/`, `${base}/?q=\r\nX: 1`]) {
      const e = await failure(() => request(url, { context: trusting(pki) }));
      expect(e, JSON.stringify(url)).toBeInstanceOf(TypeError);
      expect(e.code).toBe('ERR_INVALID_URL');
    }
    await expect(request(`http://localhost:${port}/`, { context: trusting(pki) })).rejects.toMatchObject({ code: 'ERR_INVALID_URL_SCHEME' });
    await expect(request(`https://user@:${port}/`, { context: trusting(pki) })).rejects.toBeInstanceOf(TypeError);
    await expectOnlySentinel(pki, port, rec, 0);
    // A well-formed URL, given as a URL object, still works and keeps its query.
    const ok = await request(new URL(`${base}/path?q=1`), { context: trusting(pki) });
    expect(ok.status).toBe(200);
    expect(rec.received.at(-1)).toMatch(/^GET \/path\?q=1 HTTP\/1\.1\r\n/);
  });

  it('refuses a constructor host that is not a host name or an IP literal', async () => {
    const pki = makePki();
    const { port, rec } = await recordingTlsServer(pki.server, cleanups);
    for (const host of ['localhost\r\nX-Injected: 1', 'user@localhost', 'local host', 'localhost/x', 'a..b', '[localhost]', '[::1', `${'a'.repeat(64)}.test`, 'localhost\0']) {
      expect(() => new HTTPSConnection(host, port), JSON.stringify(host)).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' }));
    }
    expect(new HTTPSConnection('[::1]', port).host).toBe('::1');
    expect(new HTTPSConnection('[::1]:8443').port).toBe(8443);
    expect(new HTTPSConnection('example.test:8443').host).toBe('example.test');
    expect(new HTTPSConnection('b\u00fccher.example').host).toBe('xn--bcher-kva.example');
    await expectOnlySentinel(pki, port, rec, 0);
  });
});

describe('HTTPSConnection.setTunnel validation', () => {
  /** A proxy that records and refuses every CONNECT with 403. */
  const refusingProxy = () =>
    scriptedProxy(cleanups, (s, data) => {
      if (data?.includes('\r\n\r\n') && !s.writableEnded) s.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });

  it('refuses hosts that are not host names or IP literals, bad ports and bad headers, before any byte reaches the proxy', async () => {
    const pki = makePki();
    const { port, rec } = await refusingProxy();
    const conn = new HTTPSConnection('127.0.0.1', port, { context: trusting(pki), timeout: 2000 });
    const badHosts = ['a.test\r\nX-Injected: 1', 'user@a.test', 'user:pw@a.test', 'a.test/x', 'a test', 'a.test:443:1', '', '[a.test]', '[::1', '::1]', 'a..b', '.a', `${'a'.repeat(64)}.test`, 'a.test\t', 'a\0.test', '%0d%0a.test', 'a.test#x', 'a.test?x', 'a\u00a0.test', 'a\ufffd.test'];
    for (const host of badHosts) {
      expect(() => conn.setTunnel(host, 443), JSON.stringify(host)).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' }));
    }
    for (const host of [42, null, {}, ['a.test']]) expect(() => conn.setTunnel(host as unknown as string)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    for (const p of ['443\r\nX-Injected: 1', '44 3', '+443', '0x1bb', '1e3', '', ' 443', '443 ']) {
      expect(() => conn.setTunnel('a.test', p), JSON.stringify(p)).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' }));
    }
    for (const p of [0, -1, 65536, 1.5, NaN, Infinity, '0', '65536', '99999']) {
      expect(() => conn.setTunnel('a.test', p), String(p)).toThrow(expect.objectContaining({ name: 'RangeError', code: 'ERR_SOCKET_BAD_PORT' }));
    }
    for (const p of [true, {}, [443]]) expect(() => conn.setTunnel('a.test', p as unknown as number)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    expect(() => conn.setTunnel('a.test', 443, { 'Proxy-Authorization': 'x\r\nX-Injected: 1' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_CHAR' }));
    expect(() => conn.setTunnel('a.test', 443, { 'Bad Name': 'x' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_HTTP_TOKEN' }));
    expect(() => conn.setTunnel('a.test', 443, 'X: 1' as unknown as Record<string, string>)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    expect(rec.connections).toBe(0);
    // The refused calls set no tunnel; a valid one is what the proxy then sees, and nothing else.
    conn.setTunnel('a.test', '8443', { 'X-Tunnel': 'yes' });
    await expect(conn.connect()).rejects.toThrow(/^Tunnel connection failed: 403 Forbidden/);
    expect(rec.connections).toBe(1);
    expect(rec.received).toEqual(['CONNECT a.test:8443 HTTP/1.1\r\nHost: a.test:8443\r\nX-Tunnel: yes\r\nConnection: close\r\n\r\n']);
  });

  it('writes IPv6 literals in brackets, internationalised names as A-labels and "host:port" split', async () => {
    const { port, rec } = await refusingProxy();
    const cases: [string, number | undefined, string][] = [
      ['::1', 443, '[::1]:443'],
      ['[2001:db8::1]', 8443, '[2001:db8::1]:8443'],
      ['[::1]:8443', undefined, '[::1]:8443'],
      ['a.test:444', undefined, 'a.test:444'],
      ['b\u00fccher.example', 443, 'xn--bcher-kva.example:443'],
      ['127.0.0.1', 65535, '127.0.0.1:65535'],
      ['Under_score.A-B.test.', 1, 'Under_score.A-B.test.:1'],
    ];
    for (const [host, p, authority] of cases) {
      const conn = new HTTPSConnection('127.0.0.1', port, { context: createDefaultContext() });
      conn.setTunnel(host, p);
      await expect(conn.connect()).rejects.toThrow(/Tunnel connection failed: 403/);
      expect(rec.received.at(-1)).toBe(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\nConnection: close\r\n\r\n`);
    }
  });

  it('ProxyHTTPSConnection refuses injected tunnel hosts and sends proxy credentials as Basic auth', async () => {
    const { port, rec } = await refusingProxy();
    const bad = new ProxyHTTPSConnection('127.0.0.1', port, { context: createDefaultContext() });
    for (const url of ['https://a.test\r\nX-Injected: 1/', 'https://user@a.test/', 'https://a b/', 'https://a.test/\r\n']) {
      await expect(bad.request('GET', url), JSON.stringify(url)).rejects.toBeInstanceOf(TypeError);
    }
    expect(rec.connections).toBe(0);
    expect(() => new ProxyHTTPSConnection('127.0.0.1', port, { username: 'a:b', password: 'x' })).toThrow(/username/);
    expect(() => new ProxyHTTPSConnection('127.0.0.1', port, { username: 42 as unknown as string })).toThrow(/options\.username/);
    expect(() => new ProxyHTTPSConnection('127.0.0.1', port, { password: 'x' })).toThrow(/options\.username/);
    const authed = new ProxyHTTPSConnection('127.0.0.1', port, { context: createDefaultContext(), username: 'user', password: 'p\u00e4ss\r\n' });
    await expect(authed.request('GET', 'https://a.test/x?y')).rejects.toThrow(/Tunnel connection failed: 403/);
    const auth = Buffer.from('user:p\u00e4ss\r\n').toString('base64');
    expect(rec.received).toEqual([`CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\nProxy-Authorization: Basic ${auth}\r\nConnection: close\r\n\r\n`]);
  });
});

describe('the CONNECT tunnel', () => {
  const expectTunnelFailure = (e: Error & { code?: string }, code: string): void => {
    expect(e).toBeInstanceOf(HTTPException);
    expect(e.message).toMatch(/^Tunnel connection failed: /);
    expect(e.code).toBe(code);
  };

  it('fails when the proxy closes without an answer or in the middle of it', async () => {
    for (const reply of ['', 'HTTP/1.1 200 OK\r\n', 'HTTP/1.1 200 OK\r\nX-Half: 1\r\n\r']) {
      const { port } = await scriptedProxy(cleanups, (s, data) => {
        if (data !== undefined) s.end(reply);
      });
      const conn = new HTTPSConnection('127.0.0.1', port, { context: createDefaultContext() });
      conn.setTunnel('a.test', 443);
      expectTunnelFailure(await failure(() => conn.connect()), 'ERR_TUNNEL_CLOSED');
    }
    const { port } = await scriptedProxy(cleanups, (s, data) => {
      if (data !== undefined) s.end();
    });
    const one = await failure(() => request('https://a.test/', { proxy: ['127.0.0.1', port] }));
    expectTunnelFailure(one, 'ERR_TUNNEL_CLOSED');
  });

  it('fails with the transport error when the proxy resets the connection', async () => {
    const { port } = await scriptedProxy(cleanups, (s, data) => {
      if (data !== undefined) s.resetAndDestroy();
    });
    const conn = new HTTPSConnection('127.0.0.1', port, { context: createDefaultContext() });
    conn.setTunnel('a.test', 443);
    const e = await failure(() => conn.connect());
    expectTunnelFailure(e, 'ECONNRESET');
    expect((e as Error & { cause?: unknown }).cause).toBeInstanceOf(Error);
  });

  it('honours timeout when the proxy never answers, or answers only part of its headers', async () => {
    for (const reply of [null, 'HTTP/1.1 200 OK\r\nX-Slow: 1\r\n']) {
      const { port, sockets } = await scriptedProxy(cleanups, (s, data) => {
        if (data !== undefined && reply !== null && !s.writableEnded && data.endsWith('\r\n\r\n')) s.write(reply);
      });
      const conn = new HTTPSConnection('127.0.0.1', port, { context: createDefaultContext(), timeout: 300 });
      conn.setTunnel('a.test', 443);
      expectTunnelFailure(await failure(() => conn.connect()), 'ETIMEDOUT');
      // The client hung up: the proxy's socket closes.
      await closed(sockets[0]!);
    }
    const { port } = await scriptedProxy(cleanups, () => undefined);
    expectTunnelFailure(await failure(() => request('https://a.test/', { proxy: ['127.0.0.1', port], timeout: 300 })), 'ETIMEDOUT');
  });

  it('reads at most 64 KiB of the answer: endless headers, one endless line, or an over-long head fail without a timeout', async () => {
    const endless = (s: net.Socket): void => {
      s.write('HTTP/1.1 200 OK\r\n');
      const chunk = Buffer.from(`X-Pad: ${'A'.repeat(1000)}\r\n`.repeat(64));
      const pump = (): void => {
        while (!s.destroyed) if (!s.write(chunk)) return void s.once('drain', pump);
      };
      pump();
    };
    const replies: Array<(s: net.Socket) => void> = [
      endless,
      (s) => s.write(`HTTP/1.1 200 OK\r\nX-Long: ${'B'.repeat(70 * 1024)}`),
      (s) => s.write(`HTTP/1.1 200 OK\r\nX-Long: ${'C'.repeat(65 * 1024)}\r\n\r\n`),
    ];
    for (const reply of replies) {
      let answered = false;
      const { port, sockets } = await scriptedProxy(cleanups, (s, data) => {
        if (data !== undefined && !answered) {
          answered = true;
          reply(s);
        }
      });
      const conn = new HTTPSConnection('127.0.0.1', port, { context: createDefaultContext() });
      conn.setTunnel('a.test', 443);
      expectTunnelFailure(await failure(() => conn.connect()), 'ERR_TUNNEL_REPLY_TOO_LARGE');
      await closed(sockets[0]!);
    }
  });

  it('reports refusals and garbage from the proxy', async () => {
    const { port } = await scriptedProxy(cleanups, (s, data) => {
      if (data?.endsWith('\r\n\r\n')) s.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n');
    });
    const conn = new HTTPSConnection('127.0.0.1', port, { context: createDefaultContext() });
    conn.setTunnel('a.test', 443);
    const e = await failure(() => conn.connect());
    expectTunnelFailure(e, 'ERR_TUNNEL');
    expect(e.message).toBe('Tunnel connection failed: 407 Proxy Authentication Required');
    const garbage = await scriptedProxy(cleanups, (s, data) => {
      if (data?.endsWith('\r\n\r\n')) s.end('SSH-2.0-OpenSSH\r\n\r\n');
    });
    const g = new HTTPSConnection('127.0.0.1', garbage.port, { context: createDefaultContext() });
    g.setTunnel('a.test', 443);
    const ge = await failure(() => g.connect());
    expect(ge).toBeInstanceOf(BadStatusLine);
    expect(ge.message).toMatch(/^Tunnel connection failed: bad CONNECT response/);
  });

  it('fails (and does not hang) when the proxy hangs up after agreeing to tunnel', async () => {
    const { port } = await scriptedProxy(cleanups, (s, data) => {
      if (data === undefined) return;
      if (data.endsWith('\r\n\r\n') && !data.includes('\x16')) s.write('HTTP/1.1 200 Connection established\r\n\r\n');
      else s.end(); // the ClientHello: hang up
    });
    const conn = new HTTPSConnection('127.0.0.1', port, { context: createDefaultContext(), timeout: 5000 });
    conn.setTunnel('a.test', 443);
    await expect(conn.connect()).rejects.toBeInstanceOf(Error);
  });

  it('tunnels through a proxy whose answer has large headers (under the cap), with SNI for names only', async () => {
    const pki = makePki();
    const server = makeIdentity({ cn: 'tunnel target', issuer: pki.ca, sans: ['DNS:a.test', 'DNS:xn--bcher-kva.example', 'IP:127.0.0.1', 'IP:::1'] });
    const { port: target, rec } = await recordingTlsServer(server, cleanups);
    const { port, heads } = await connectProxy(target, cleanups, 60 * 1024);
    for (const [host, sni] of [['a.test', 'a.test'], ['b\u00fccher.example', 'xn--bcher-kva.example'], ['127.0.0.1', false], ['::1', false]] as const) {
      const conn = new HTTPSConnection('127.0.0.1', port, { context: trusting(pki), timeout: 5000 });
      conn.setTunnel(host, 443);
      await conn.request('GET', '/through');
      expect((await conn.getresponse()).status).toBe(200);
      conn.close();
      expect(rec.servernames.at(-1)).toBe(sni);
    }
    expect(heads.map((h) => h.split('\r\n')[0])).toEqual(['CONNECT a.test:443 HTTP/1.1', 'CONNECT xn--bcher-kva.example:443 HTTP/1.1', 'CONNECT 127.0.0.1:443 HTTP/1.1', 'CONNECT [::1]:443 HTTP/1.1']);
    expect(rec.received[3]).toMatch(/^GET \/through HTTP\/1\.1\r\nHost: \[::1\]\r\n/);
  });
});

describe('checkHostname', () => {
  /** A server whose certificate chains to the trusted CA but names other.test only. */
  async function otherServer(): Promise<{ pki: Pki; port: number; rec: Recording }> {
    const pki = makePki();
    const other = makeIdentity({ cn: 'other', issuer: pki.ca, sans: ['DNS:other.test'] });
    const { port, rec } = await recordingTlsServer(other, cleanups);
    return { pki, port, rec };
  }
  const handMade = (pki: Pki, mode = VERIFY_PEER): Context => {
    const c = new Context(TLS_CLIENT_METHOD);
    c.getCertStore().addCert(pki.ca.cert);
    c.setVerify(mode);
    return c;
  };
  const connectWith = async (host: string, port: number, options: object): Promise<string> => {
    const conn = new HTTPSConnection(host, port, options);
    try {
      await conn.connect();
      return 'CONNECTED';
    } catch (e) {
      return `${(e as Error).constructor.name} ${(e as { code?: string }).code}`;
    } finally {
      conn.close();
    }
  };

  it('keeps the host check on unless checkHostname is an own false, with the default and a hand-made context', async () => {
    const { pki, port } = await otherServer();
    const variants: Record<string, () => object> = {
      absent: () => ({}),
      undefined: () => ({ checkHostname: undefined }),
      null: () => ({ checkHostname: null }),
      true: () => ({ checkHostname: true }),
      0: () => ({ checkHostname: 0 }),
      "''": () => ({ checkHostname: '' }),
      "'false'": () => ({ checkHostname: 'false' }),
      'inherited false': () => Object.create({ checkHostname: false }) as object,
      'non-enumerable false': () => Object.defineProperty({}, 'checkHostname', { value: false, enumerable: false }),
    };
    for (const [cname, makeCtx] of Object.entries({ default: () => trusting(pki), 'hand-made': () => handMade(pki) })) {
      for (const host of ['localhost', '127.0.0.1']) {
        const mismatch = host === 'localhost' ? 'CertificateVerifyError HOSTNAME_MISMATCH' : 'CertificateVerifyError IP_ADDRESS_MISMATCH';
        for (const [vname, make] of Object.entries(variants)) {
          const opts = Object.assign(make(), { context: makeCtx() });
          expect(await connectWith(host, port, opts), `${cname} ${host} ${vname}`).toBe(mismatch);
        }
        expect(await connectWith(host, port, { context: makeCtx(), checkHostname: false }), `${cname} ${host} own false`).toBe('CONNECTED');
      }
    }
  });

  it('never turns the chain check off: own false still refuses an untrusted certificate', async () => {
    const pki = makePki();
    const stranger = makeIdentity({ cn: 'stranger', sans: ['DNS:localhost', 'IP:127.0.0.1'] });
    const { port } = await recordingTlsServer(stranger, cleanups);
    for (const host of ['localhost', '127.0.0.1']) {
      expect(await connectWith(host, port, { context: trusting(pki), checkHostname: false })).toMatch(/^CertificateVerifyError DEPTH_ZERO_SELF_SIGNED_CERT/);
      expect(await connectWith(host, port, { context: handMade(pki), checkHostname: false })).toMatch(/^CertificateVerifyError DEPTH_ZERO_SELF_SIGNED_CERT/);
    }
  });

  it('decides per connection: own false on a shared context does not weaken the next connection', async () => {
    const { pki, port } = await otherServer();
    const shared = trusting(pki);
    expect(await connectWith('127.0.0.1', port, { context: shared, checkHostname: false })).toBe('CONNECTED');
    expect(await connectWith('127.0.0.1', port, { context: shared })).toBe('CertificateVerifyError IP_ADDRESS_MISMATCH');
    expect(await connectWith('localhost', port, { context: shared, checkHostname: false })).toBe('CONNECTED');
    expect(await connectWith('localhost', port, { context: shared })).toBe('CertificateVerifyError HOSTNAME_MISMATCH');
    expect(shared.checkHostname).toBe(true);
  });

  it('matches names against DNS names and IP addresses against IP addresses, and sends SNI for names only', async () => {
    const pki = makePki();
    const { port, rec } = await recordingTlsServer(pki.server, cleanups);
    for (const ctx of [() => trusting(pki), () => handMade(pki)]) {
      for (const [host, sni] of [['localhost', 'localhost'], ['127.0.0.1', false]] as const) {
        // A whole exchange, so that the server has seen the handshake when the answer is back.
        const conn = new HTTPSConnection(host, port, { context: ctx() });
        await conn.request('GET', '/');
        expect((await conn.getresponse()).status).toBe(200);
        conn.close();
        expect(rec.servernames.at(-1)).toBe(sni);
      }
    }
    // A DNS name that looks like the IP does not match an IP host.
    const dnsOnly = makeIdentity({ cn: '127.0.0.1', issuer: pki.ca, sans: ['DNS:127.0.0.1'] });
    const { port: p2 } = await recordingTlsServer(dnsOnly, cleanups);
    expect(await connectWith('127.0.0.1', p2, { context: handMade(pki) })).toBe('CertificateVerifyError IP_ADDRESS_MISMATCH');
  });

  it('checks the name after the handshake when the context does not verify the peer', async () => {
    const { pki, port } = await otherServer();
    for (const host of ['localhost', '127.0.0.1']) {
      const mismatch = host === 'localhost' ? 'CertificateVerifyError HOSTNAME_MISMATCH' : 'CertificateVerifyError IP_ADDRESS_MISMATCH';
      expect(await connectWith(host, port, { context: handMade(pki, VERIFY_NONE) })).toBe(mismatch);
      expect(await connectWith(host, port, { context: new Context(TLS_CLIENT_METHOD) })).toBe(mismatch);
      expect(await connectWith(host, port, { context: handMade(pki, VERIFY_NONE), checkHostname: false })).toBe('CONNECTED');
    }
  });

  it('acts on the verdict of a context that verifies in deferred mode', async () => {
    const pki = makePki();
    const stranger = makeIdentity({ cn: 'stranger', sans: ['DNS:localhost'] });
    const { port } = await recordingTlsServer(stranger, cleanups);
    const deferred = new Context(TLS_CLIENT_METHOD);
    deferred.getCertStore().addCert(pki.ca.cert);
    deferred.setVerifyDeferred(VERIFY_PEER);
    expect(await connectWith('localhost', port, { context: deferred, checkHostname: false })).toBe('CertificateVerifyError DEPTH_ZERO_SELF_SIGNED_CERT');
    const { port: good } = await recordingTlsServer(pki.server, cleanups);
    expect(await connectWith('localhost', good, { context: deferred })).toBe('CONNECTED');
    const { port: other } = await otherServer().then(async (o) => {
      deferred.getCertStore().addCert(o.pki.ca.cert);
      return o;
    });
    expect(await connectWith('localhost', other, { context: deferred })).toBe('CertificateVerifyError HOSTNAME_MISMATCH');
  });

  it('reads checkHostname through request() as an own property only', async () => {
    const { pki, port } = await otherServer();
    await expect(request(`https://127.0.0.1:${port}/`, { context: trusting(pki) })).rejects.toMatchObject({ code: 'IP_ADDRESS_MISMATCH' });
    await expect(request(`https://127.0.0.1:${port}/`, Object.assign(Object.create({ checkHostname: false }) as object, { context: trusting(pki) }))).rejects.toMatchObject({ code: 'IP_ADDRESS_MISMATCH' });
    const ok = await request(`https://127.0.0.1:${port}/`, { context: trusting(pki), checkHostname: false });
    expect(ok.status).toBe(200);
  });
});

describe('options are read from own properties only', () => {
  const polluted = withPollutedPrototype;

  it('ignores a polluted Object.prototype in HTTPSConnection, request(), putrequest and ProxyHTTPSConnection', async () => {
    const pki = makePki();
    const attacker = makeIdentity({ cn: 'attacker', sans: ['DNS:localhost', 'IP:127.0.0.1'] });
    const { port: evil } = await recordingTlsServer(attacker, cleanups);
    const other = makeIdentity({ cn: 'other', issuer: pki.ca, sans: ['DNS:other.test'] });
    const { port: otherPort } = await recordingTlsServer(other, cleanups);
    const { port: good, rec } = await recordingTlsServer(pki.server, cleanups);
    const lax = new Context(TLS_CLIENT_METHOD);
    const attempt = async (fn: () => Promise<unknown>): Promise<string> => fn().then(() => 'CONNECTED', (e: { code?: string }) => `refused ${e.code}`);

    expect(await polluted({ context: lax }, () => attempt(() => new HTTPSConnection('localhost', evil).connect()))).toBe('refused DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(await polluted({ context: lax, checkHostname: false }, () => attempt(() => request(`https://localhost:${evil}/`)))).toBe('refused DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(await polluted({ checkHostname: false }, () => attempt(() => new HTTPSConnection('localhost', otherPort, { context: trusting(pki) }).connect()))).toBe('refused HOSTNAME_MISMATCH');
    expect(await polluted({ checker: { check: () => true } }, () => attempt(() => request(`https://localhost:${good}/`, { context: trusting(pki) })))).toBe('CONNECTED');
    // A polluted proxy, method, body or headers do not reach the wire.
    await polluted({ proxy: ['127.0.0.1', 1], method: 'DELETE', body: 'smuggled', headers: { 'X-Evil': '1' } }, () => request(`https://localhost:${good}/plain`, { context: trusting(pki) }));
    expect(rec.received.at(-1)).toBe(`GET /plain HTTP/1.1\r\nHost: localhost:${good}\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n`);
    // putrequest's skipHost / skipAcceptEncoding.
    await polluted({ skipHost: true, skipAcceptEncoding: true }, async () => {
      const conn = new HTTPSConnection('localhost', good, { context: trusting(pki) });
      conn.putrequest('GET', '/put');
      await conn.endheaders();
      await (await conn.getresponse()).read();
      conn.close();
    });
    expect(rec.received.at(-1)).toBe(`GET /put HTTP/1.1\r\nHost: localhost:${good}\r\nAccept-Encoding: identity\r\nConnection: keep-alive\r\n\r\n`);
    // ProxyHTTPSConnection's username.
    const proxy = await scriptedProxy(cleanups, (s, data) => {
      if (data?.endsWith('\r\n\r\n')) s.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
    await polluted({ username: 'u', password: 'p' }, () => attempt(() => new ProxyHTTPSConnection('127.0.0.1', proxy.port, { context: trusting(pki) }).request('GET', 'https://a.test/')));
    expect(proxy.rec.received).toEqual(['CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\nConnection: close\r\n\r\n']);
  });

  it('accepts null-prototype options and refuses options that are not objects', async () => {
    const pki = makePki();
    const { port } = await recordingTlsServer(pki.server, cleanups);
    const opts = Object.assign(Object.create(null) as object, { context: trusting(pki) });
    const conn = new HTTPSConnection('localhost', port, opts);
    await conn.connect();
    conn.close();
    for (const bad of [42, 'context', true]) {
      expect(() => new HTTPSConnection('localhost', port, bad as never)).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }));
      await expect(request(`https://localhost:${port}/`, bad as never)).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
      expect(() => conn.putrequest('GET', '/', bad as never)).toThrow(/"options" must be an object/);
    }
  });
});

describe('option types', () => {
  it('throws a TypeError or RangeError naming the option, synchronously and before any connection', async () => {
    const pki = makePki();
    const { port, rec } = await recordingTlsServer(pki.server, cleanups);
    const files = tempFiles({ 'c.pem': dumpCertificate(FILETYPE_PEM, pki.client.cert), 'k.pem': dumpPrivatekey(FILETYPE_PEM, pki.client.key) });
    cleanups.push(files.cleanup);
    const make = (options: object, host: unknown = 'localhost', p: unknown = port) => () => new HTTPSConnection(host as string, p as number, options);
    const cases: Array<[() => unknown, string, RegExp]> = [
      [make({ context: {} }), 'TypeError', /"options\.context" must be an @ossl\/ssl Context, got Object/],
      [make({ context: 'ctx' }), 'TypeError', /options\.context/],
      [make({ context: pki.ca.cert }), 'TypeError', /options\.context/],
      [make({ timeout: '1000' }), 'TypeError', /options\.timeout/],
      [make({ timeout: -1 }), 'RangeError', /options\.timeout/],
      [make({ timeout: NaN }), 'RangeError', /options\.timeout/],
      [make({ timeout: Infinity }), 'RangeError', /options\.timeout/],
      [make({ checker: {} }), 'TypeError', /options\.checker/],
      [make({ checker: 'AB:CD' }), 'TypeError', /options\.checker/],
      [make({ certFile: 42 }), 'TypeError', /options\.certFile/],
      [make({ certFile: {} }), 'TypeError', /options\.certFile/],
      [make({ certFile: files.path('c.pem'), keyFile: 42 }), 'TypeError', /options\.keyFile/],
      [make({ keyFile: files.path('k.pem') }), 'TypeError', /options\.certFile/],
      [make({ sourceAddress: '127.0.0.1' }), 'TypeError', /options\.sourceAddress/],
      [make({ sourceAddress: ['127.0.0.1'] }), 'TypeError', /options\.sourceAddress/],
      [make({ sourceAddress: ['127.0.0.1', 70000] }), 'RangeError', /options\.sourceAddress\[1\]/],
      [make({ sourceAddress: ['bad host', 0] }), 'TypeError', /options\.sourceAddress\[0\]/],
      [make({}, 'localhost', 0), 'RangeError', /"port"/],
      [make({}, 'localhost', 65536), 'RangeError', /"port"/],
      [make({}, 'localhost', -1), 'RangeError', /"port"/],
      [make({}, 'localhost', 1.5), 'RangeError', /"port"/],
      [make({}, 'localhost', '44a'), 'TypeError', /port/],
      [make({}, 'localhost', {}), 'TypeError', /"port"/],
      [make({}, ''), 'TypeError', /"host"/],
      [make({}, 42), 'TypeError', /"host"/],
      [make({}, null), 'TypeError', /"host"/],
      [() => new Checker('a b'), 'TypeError', /host/],
      [() => new Checker(42 as unknown as string), 'TypeError', /"host"/],
      [() => new Checker(null, 'xyz'), 'TypeError', /fingerprint/],
      [() => new Checker(null, pki.server.cert.digest('sha1')), 'TypeError', /SHA-256/],
      [() => new Checker(null, 42 as unknown as string), 'TypeError', /"fingerprint"/],
      [() => new Checker().check({} as never), 'TypeError', /"peerCert"/],
      [() => new Checker().check(pki.server.cert, 42 as never), 'TypeError', /"host"/],
      [() => new HTTPSConnection('localhost', port).setDebuglevel('1' as never), 'TypeError', /"level"/],
    ];
    for (const [fn, name, message] of cases) {
      let thrown: unknown;
      try {
        fn();
      } catch (e) {
        thrown = e;
      }
      expect(thrown, String(message)).toBeInstanceOf(name === 'TypeError' ? TypeError : RangeError);
      expect((thrown as Error).message).toMatch(message);
    }
    // The request-level options (rejections: these calls are async), before any connection too.
    const conn = new HTTPSConnection('localhost', port, { context: trusting(pki) });
    await expect(conn.request('POST', '/', 42 as never)).rejects.toThrow(/"body" must be a string, Buffer, Uint8Array, iterable or Readable, got number/);
    await expect(conn.request('POST', '/', {} as never)).rejects.toThrow(/"body"/);
    await expect(conn.request('GET', '/', null, 'X: 1' as never)).rejects.toThrow(/"headers" must be an object/);
    await expect(conn.request('GET', '/', null, [['X', '1']] as never)).rejects.toThrow(/"headers"/);
    await expect(conn.endheaders(5 as never)).rejects.toThrow(/"body"/);
    await expect(conn.send(undefined as never)).rejects.toThrow(/"data"/);
    expect(() => conn.putrequest('GET', '/', { skipHost: 'yes' } as never)).toThrow(/options\.skipHost/);
    const url = `https://localhost:${port}/`;
    const context = trusting(pki);
    for (const [options, message] of [
      [{ context, headers: 'X: 1' }, /options\.headers/],
      [{ context, headers: 42 }, /options\.headers/],
      [{ context, body: 42 }, /options\.body/],
      [{ context, body: { a: 1 } }, /options\.body/],
      [{ context, method: 42 }, /options\.method/],
      [{ context, method: 'GET /' }, /options\.method/],
      [{ context, proxy: 'http://proxy' }, /options\.proxy/],
      [{ context, proxy: ['127.0.0.1'] }, /options\.proxy/],
      [{ context, proxy: ['127.0.0.1', 0] }, /options\.proxy\[1\]/],
      [{ context: {} }, /options\.context/],
      [{ context, timeout: -5 }, /options\.timeout/],
      [{ context, checker: 'x' }, /options\.checker/],
    ] as const) {
      await expect(request(url, options as never), String(message)).rejects.toThrow(message);
    }
    await expect(request(42 as never)).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    await expectOnlySentinel(pki, port, rec, 0);
  });

  it('accepts the documented types: numeric timeouts, string ports of digits, Uint8Array bodies', async () => {
    const pki = makePki();
    const { port, rec } = await recordingTlsServer(pki.server, cleanups);
    const conn = new HTTPSConnection('localhost', String(port), { context: trusting(pki), timeout: 5000.5, sourceAddress: ['127.0.0.1', 0], checker: null, certFile: null });
    cleanups.push(() => conn.close());
    expect(conn.port).toBe(port);
    await conn.request('POST', '/u8', new Uint8Array([104, 105]));
    await (await conn.getresponse()).read();
    expect(rec.received[0]).toMatch(/^POST \/u8 HTTP\/1\.1\r\n[\s\S]*Content-Length: 2\r\n[\s\S]*\r\n\r\nhi$/);
  });
});

describe('Checker', () => {
  const leaf = (pki: Pki, ...sans: string[]): Identity => makeIdentity({ cn: 'leaf', issuer: pki.ca, sans });
  const accepts = (checker: Checker, cert: Identity['cert'], host?: string): boolean => {
    try {
      return checker.check(cert, host ?? null);
    } catch (e) {
      if (e instanceof WrongHost) return false;
      throw e;
    }
  };

  it('refuses partial wildcards and accepts a full wildcard for exactly one label, with OpenSSL matching', () => {
    const pki = makePki();
    const cases: Array<[string, string, boolean]> = [
      ['DNS:f*.example.test', 'foo.example.test', false],
      ['DNS:*o.example.test', 'foo.example.test', false],
      ['DNS:*-x.example.test', 'a-x.example.test', false],
      ['DNS:w*.example.test', 'www.example.test', false],
      ['DNS:x*y.example.test', 'xay.example.test', false],
      ['DNS:*.example.test', 'foo.example.test', true],
      ['DNS:*.example.test', 'a.b.example.test', false],
      ['DNS:*.example.test', 'example.test', false],
      ['DNS:*.EXAMPLE.test', 'FOO.example.TEST', true],
      ['DNS:*.test', 'example.test', false], // no wildcard directly under a public-suffix-like single label
      ['DNS:foo.example.test', 'foo.example.test', true],
      ['DNS:foo.example.test', 'bar.example.test', false],
      ['IP:127.0.0.1', '127.0.0.1', true],
      ['IP:127.0.0.1', '127.0.0.2', false],
      ['DNS:127.0.0.1', '127.0.0.1', false],
      ['IP:::1', '::1', true],
      ['IP:::1', '[::1]', true],
      ['IP:::1', '::2', false],
    ];
    for (const [san, host, want] of cases) {
      const { cert } = leaf(pki, san);
      expect(accepts(new Checker(host), cert), `${san} for ${host}`).toBe(want);
      // The connection's host is used when the Checker has none.
      expect(accepts(new Checker(), cert, host), `${san} for ${host} (connection host)`).toBe(want);
    }
    // The Checker's own host wins over the connection's.
    const { cert } = leaf(pki, 'DNS:a.test');
    expect(accepts(new Checker('a.test'), cert, 'b.test')).toBe(true);
    expect(accepts(new Checker('b.test'), cert, 'a.test')).toBe(false);
    expect(new Checker().check(cert)).toBe(true); // no name at all: only the pin (none) is checked
  });

  it('accepts the pinned SHA-256 fingerprint in any spelling and refuses any other certificate', () => {
    const pki = makePki();
    const fp = pki.server.cert.digest('sha256');
    for (const spelling of [fp, fp.toLowerCase(), fp.replace(/:/g, ''), fp.replace(/:/g, '').toLowerCase()]) {
      expect(new Checker(null, spelling).check(pki.server.cert)).toBe(true);
      expect(new Checker('localhost', spelling).check(pki.server.cert)).toBe(true);
    }
    const wrong = [pki.ca.cert, pki.client.cert, makePki().server.cert];
    for (const cert of wrong) {
      expect(() => new Checker(null, fp).check(cert)).toThrow(expect.objectContaining({ code: 'ERR_FINGERPRINT_MISMATCH' }));
    }
    expect(() => new Checker(null, fp).check(null)).toThrow(WrongCertificate);
    // The pin is checked before the name: a right name does not save a wrong certificate.
    expect(() => new Checker('localhost', pki.ca.cert.digest('sha256')).check(pki.server.cert)).toThrow(WrongCertificate);
    // A right pin does not save a wrong name.
    expect(() => new Checker('other.test', fp).check(pki.server.cert)).toThrow(WrongHost);
  });

  it('applies the same rules over a real connection', async () => {
    const pki = makePki();
    const partial = makeIdentity({ cn: 'partial', issuer: pki.ca, sans: ['DNS:f*.example.test', 'IP:127.0.0.1'] });
    const { port } = await recordingTlsServer(partial, cleanups);
    const context = trusting(pki);
    const refused = new HTTPSConnection('127.0.0.1', port, { context, checker: new Checker('foo.example.test') });
    await expect(refused.connect()).rejects.toBeInstanceOf(WrongHost);
    const pinned = new HTTPSConnection('127.0.0.1', port, { context, checker: new Checker(null, partial.cert.digest('sha256')) });
    await pinned.connect();
    pinned.close();
    const wrongPin = new HTTPSConnection('127.0.0.1', port, { context, checker: new Checker(null, pki.server.cert.digest('sha256')) });
    await expect(wrongPin.connect()).rejects.toBeInstanceOf(WrongCertificate);
  });
});
