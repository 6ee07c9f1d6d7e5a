import { spawn } from 'node:child_process';
import { once } from 'node:events';
import https from 'node:https';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpCertificate, dumpPrivatekey, FILETYPE_PEM } from '@ossl/crypto';
import { CertificateVerifyError, createDefaultContext } from '@ossl/ssl';
import { makePki, tempFiles } from '@ossl/testkit';

import { BadStatusLine, Checker, HTTPSConnection, IncompleteRead, ProxyHTTPSConnection, request, ResponseNotReady, WrongCertificate, WrongHost } from '../src/index.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function listen(server: net.Server, host = '127.0.0.1'): Promise<number> {
  server.listen(0, host);
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => { (server as net.Server & { closeAllConnections?: () => void }).closeAllConnections?.(); server.close(() => r(undefined)); }));
  return (server.address() as net.AddressInfo).port;
}

function nodeServer(pki: ReturnType<typeof makePki>) {
  let connections = 0;
  const server = https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem, keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      if (req.url === '/chunked') {
        res.write('part one, ');
        res.write('part two, ');
        res.end('the end');
      } else if (req.url === '/empty') {
        res.writeHead(204).end();
      } else if (req.url === '/lines') {
        res.end('first\nsecond\n');
      } else {
        res.setHeader('X-Method', req.method ?? '');
        res.setHeader('Set-Cookie', ['a=1', 'b=2']);
        // A length also for HEAD (as nginx sends it): without one, node:http's parser closes after a HEAD.
        const text = `${req.method} ${req.url} ${body}`;
        res.setHeader('Content-Length', Buffer.byteLength(text));
        res.end(text);
      }
    });
  });
  server.on('secureConnection', () => connections++);
  return { server, connections: () => connections };
}

describe('HTTPSConnection against node:https', () => {
  it('keeps one verified connection alive across requests with every body framing', async () => {
    const pki = makePki();
    const { server, connections } = nodeServer(pki);
    const port = await listen(server);
    const conn = new HTTPSConnection('127.0.0.1', port, { context: createDefaultContext({ cadata: pki.ca.certPem }) });
    cleanups.push(() => conn.close());

    await conn.request('GET', '/hello');
    let res = await conn.getresponse();
    expect(res.status).toBe(200);
    expect(res.reason).toBe('OK');
    expect(res.version).toBe(11);
    expect(res.getheader('x-method')).toBe('GET');
    expect(res.getheader('Set-Cookie')).toBe('a=1, b=2');
    expect(res.getheader('missing', 'default')).toBe('default');
    expect(res.getheaders().filter(([k]) => k.toLowerCase() === 'set-cookie')).toHaveLength(2);
    expect(res.peerCertificate!.getSubject().CN).toBe('localhost');
    expect((await res.read()).toString()).toBe('GET /hello ');

    await conn.request('POST', '/submit', 'payload', { 'X-Test': 'yes' });
    res = await conn.getresponse();
    expect((await res.read(4)).toString()).toBe('POST');
    expect((await res.read()).toString()).toBe(' /submit payload');

    await conn.request('GET', '/chunked');
    res = await conn.getresponse();
    expect(res.getheader('transfer-encoding')).toBe('chunked');
    const parts: string[] = [];
    for await (const chunk of res) parts.push(chunk.toString());
    expect(parts.join('')).toBe('part one, part two, the end');

    await conn.request('HEAD', '/hello');
    res = await conn.getresponse();
    expect(res.isClosed()).toBe(true);
    expect((await res.read()).length).toBe(0);

    await conn.request('GET', '/empty');
    res = await conn.getresponse();
    expect(res.status).toBe(204);

    conn.putrequest('GET', '/lines');
    conn.putheader('Accept', 'text/plain');
    await conn.endheaders();
    res = await conn.getresponse();
    expect((await res.readline()).toString()).toBe('first\n');
    expect((await res.readline()).toString()).toBe('second\n');
    expect((await res.readline()).length).toBe(0);

    expect(connections()).toBe(1);
  });

  it('refuses a new request before the previous response is read', async () => {
    const pki = makePki();
    const port = await listen(nodeServer(pki).server);
    const conn = new HTTPSConnection('127.0.0.1', port, { context: createDefaultContext({ cadata: pki.ca.certPem }) });
    cleanups.push(() => conn.close());
    await conn.request('GET', '/a');
    await conn.getresponse();
    await expect(conn.request('GET', '/b')).rejects.toBeInstanceOf(ResponseNotReady);
    const fresh = new HTTPSConnection('127.0.0.1', port);
    expect(() => fresh.putheader('X', 'y')).toThrow(/putheader before putrequest/);
    fresh.putrequest('GET', '/');
    expect(() => fresh.putheader('X', 'a\r\nInjected: 1')).toThrow(/Invalid character in the value of header "X"/);
    await expect(fresh.request('GET', '/a b')).rejects.toThrow(/control character or a space/);
  });
});

describe('TLS sessions', () => {
  it('resumes between HTTPSConnections that share a Context and server, never across Contexts', async () => {
    const pki = makePki();
    const reused: boolean[] = [];
    const server = https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (req, res) => res.end('ok'));
    server.on('secureConnection', (s: import('node:tls').TLSSocket) => reused.push(s.isSessionReused()));
    const port = await listen(server);
    const get = async (context: ReturnType<typeof createDefaultContext>, host = '127.0.0.1'): Promise<void> => {
      const conn = new HTTPSConnection(host, port, { context });
      try {
        await conn.request('GET', '/');
        expect((await (await conn.getresponse()).read()).toString()).toBe('ok');
      } finally {
        conn.close();
      }
    };
    const shared = createDefaultContext({ cadata: pki.ca.certPem });
    await get(shared);
    await get(shared);
    await get(shared);
    await get(createDefaultContext({ cadata: pki.ca.certPem }));
    await get(shared, 'localhost');
    expect(reused).toEqual([false, true, true, false, false]);
  });
});

describe('verification', () => {
  it('verifies by default: unknown CA and wrong IP fail, with the codes node:tls uses', async () => {
    const pki = makePki();
    const port = await listen(nodeServer(pki).server, '0.0.0.0');
    const untrusted = new HTTPSConnection('127.0.0.1', port, { context: createDefaultContext({ cadata: makePki().ca.certPem }) });
    await expect(untrusted.request('GET', '/')).rejects.toMatchObject({ code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' });
    const wrongIp = new HTTPSConnection('127.0.0.2', port, { context: createDefaultContext({ cadata: pki.ca.certPem }) });
    const e = await wrongIp.request('GET', '/').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(CertificateVerifyError);
    expect((e as CertificateVerifyError).code).toBe('IP_ADDRESS_MISMATCH');
  });

  it('pins a fingerprint and a host with Checker', async () => {
    const pki = makePki();
    const port = await listen(nodeServer(pki).server);
    const context = createDefaultContext({ cadata: pki.ca.certPem });
    const good = new HTTPSConnection('127.0.0.1', port, { context, checker: new Checker(null, pki.server.cert.digest('sha256')) });
    await good.request('GET', '/');
    expect((await good.getresponse()).status).toBe(200);
    good.close();
    const wrongPin = new HTTPSConnection('127.0.0.1', port, { context, checker: new Checker(null, pki.ca.cert.digest('sha256')) });
    const pinError = await wrongPin.request('GET', '/').catch((err: unknown) => err);
    expect(pinError).toBeInstanceOf(WrongCertificate);
    const wrongHost = new HTTPSConnection('127.0.0.1', port, { context, checker: new Checker('other.example') });
    await expect(wrongHost.request('GET', '/')).rejects.toBeInstanceOf(WrongHost);
    expect(new Checker('localhost').check(pki.server.cert)).toBe(true);
  });
});

describe('bad servers', () => {
  async function rawTlsServer(pki: ReturnType<typeof makePki>, reply: string, end = true): Promise<number> {
    const { createServer } = await import('node:tls');
    const server = createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (s) => {
      s.once('data', () => (end ? s.end(reply) : s.write(reply)));
      s.on('error', () => undefined);
    });
    return listen(server);
  }

  it('raises BadStatusLine, IncompleteRead and errors on empty replies', async () => {
    const pki = makePki();
    const ctx = createDefaultContext({ cadata: pki.ca.certPem });
    const garbage = new HTTPSConnection('127.0.0.1', await rawTlsServer(pki, 'SMTP ready\r\n\r\n'), { context: ctx });
    await garbage.request('GET', '/');
    await expect(garbage.getresponse()).rejects.toBeInstanceOf(BadStatusLine);
    const short = new HTTPSConnection('127.0.0.1', await rawTlsServer(pki, 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a little'), { context: ctx });
    await short.request('GET', '/');
    const res = await short.getresponse();
    await expect(res.read()).rejects.toThrow();
    const silent = new HTTPSConnection('127.0.0.1', await rawTlsServer(pki, ''), { context: ctx });
    await silent.request('GET', '/');
    await expect(silent.getresponse()).rejects.toThrow();
    expect(IncompleteRead).toBeTypeOf('function');
  });
});

describe("python's http.server as the peer", () => {
  it('reads an HTTP/1.0 response whose body runs to the end of the connection', async () => {
    const pki = makePki();
    const files = tempFiles({
      'cert.pem': dumpCertificate(FILETYPE_PEM, pki.server.cert),
      'key.pem': dumpPrivatekey(FILETYPE_PEM, pki.server.key),
      'hello.txt': 'hello from python\n'.repeat(1000),
    });
    cleanups.push(files.cleanup);
    const proc = spawn('python3', ['-u', join(__dirname, 'support', 'python_https.py'), files.path('cert.pem'), files.path('key.pem'), files.path('')], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => proc.kill());
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      let err = '';
      proc.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /PORT (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
      proc.on('exit', (code) => reject(new Error(`python's http.server exited (${code}): ${err}`)));
    });
    const result = await request(`https://127.0.0.1:${port}/hello.txt`, { context: createDefaultContext({ cadata: pki.ca.certPem }) });
    expect(result.status).toBe(200);
    expect(result.body.toString()).toBe('hello from python\n'.repeat(1000));
    const missing = await request(`https://127.0.0.1:${port}/nope.txt`, { context: createDefaultContext({ cadata: pki.ca.certPem }) });
    expect(missing.status).toBe(404);
  });
});

describe('proxy tunnels through tinyproxy', () => {
  async function startTinyproxy(): Promise<number> {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const files = tempFiles({
      'tinyproxy.conf': `Port ${port}\nListen 127.0.0.1\nTimeout 30\nMaxClients 10\nAllow 127.0.0.1\nLogLevel Critical\n`,
    });
    cleanups.push(files.cleanup);
    const proc = spawn('tinyproxy', ['-d', '-c', files.path('tinyproxy.conf')], { stdio: 'ignore' });
    cleanups.push(() => proc.kill());
    for (let i = 0; i < 50; i++) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1');
        s.on('connect', () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
      if (ok) return port;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('tinyproxy did not start (is it installed? .ci/run installs it)');
  }

  it('tunnels with setTunnel, ProxyHTTPSConnection and request({proxy})', async () => {
    const pki = makePki();
    const target = await listen(nodeServer(pki).server);
    const proxyPort = await startTinyproxy();
    const context = createDefaultContext({ cadata: pki.ca.certPem });

    const conn = new HTTPSConnection('127.0.0.1', proxyPort, { context });
    conn.setTunnel('127.0.0.1', target);
    await conn.request('GET', '/through-tunnel');
    const res = await conn.getresponse();
    expect((await res.read()).toString()).toBe('GET /through-tunnel ');
    conn.close();

    const proxied = new ProxyHTTPSConnection('127.0.0.1', proxyPort, { context });
    await proxied.request('GET', `https://127.0.0.1:${target}/m2crypto-style`);
    expect((await (await proxied.getresponse()).read()).toString()).toBe('GET /m2crypto-style ');
    proxied.close();

    const one = await request(`https://127.0.0.1:${target}/one-shot`, { context, proxy: ['127.0.0.1', proxyPort] });
    expect(one.body.toString()).toBe('GET /one-shot ');

    const refused = new HTTPSConnection('127.0.0.1', proxyPort, { context });
    refused.setTunnel('127.0.0.1', 1);
    await expect(refused.request('GET', '/')).rejects.toThrow(/Tunnel connection failed/);
  });
});

describe('client certificates, source address and debug output', () => {
  it('authenticates with certFile/keyFile, binds sourceAddress and prints the exchange at debuglevel 1', async () => {
    const pki = makePki();
    const files = tempFiles({
      'client.pem': dumpCertificate(FILETYPE_PEM, pki.client.cert),
      'client.key': dumpPrivatekey(FILETYPE_PEM, pki.client.key),
    });
    cleanups.push(files.cleanup);
    let seenPeer: string | undefined;
    let seenPort: number | undefined;
    const server = https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const sock = req.socket as import('node:tls').TLSSocket;
      seenPeer = String(sock.getPeerCertificate().subject.CN);
      seenPort = sock.remotePort;
      res.end('authenticated');
    });
    const port = await listen(server);
    const conn = new HTTPSConnection('127.0.0.1', port, {
      context: createDefaultContext({ cadata: pki.ca.certPem }),
      certFile: files.path('client.pem'),
      keyFile: files.path('client.key'),
      sourceAddress: ['127.0.0.1', 0],
    });
    cleanups.push(() => conn.close());
    const writes: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    (process.stderr as unknown as { write: (s: string) => boolean }).write = (s: string) => {
      writes.push(String(s));
      return true;
    };
    conn.setDebuglevel(1);
    try {
      await conn.request('GET', '/me');
      const res = await conn.getresponse();
      expect((await res.read()).toString()).toBe('authenticated');
    } finally {
      (process.stderr as unknown as { write: typeof original }).write = original;
    }
    expect(seenPeer).toBe('ossl test client');
    expect(seenPort).toBeGreaterThan(0);
    expect(writes.some((w) => w.startsWith('send: "GET /me HTTP/1.1'))).toBe(true);
    expect(writes.some((w) => w.startsWith('reply: "HTTP/1.1 200 OK'))).toBe(true);
  });
});
