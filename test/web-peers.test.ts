// HTTP over TLS with peers nobody here wrote: curl as a client of a compat-net server, nginx as the
// server for https-client and compat-net, and GnuTLS (gnutls-cli / gnutls-serv) against @ossl/ssl and
// compat-net.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpCertificate, dumpPrivatekey, FILETYPE_PEM } from '@ossl/crypto';
import { connect, createServer, type SecureSocket } from '@ossl/compat-net';
import { HTTPSConnection } from '@ossl/https-client';
import { Context, SocketConnection, TLS_METHOD, createDefaultContext } from '@ossl/ssl';
import { makePki, tempFiles, type Pki } from '@ossl/testkit';

import { nginxHead } from './support/interop.js';
import { pkiFiles } from './support/pki-files.js';
import { startPeer, type Peer } from './support/peers.js';

const running: Peer[] = [];
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  for (const c of cleanups.splice(0).reverse()) await c();
});


/** Resolves once something accepts TCP connections on the port (or fails after ~5 s). */
/**
 * Waits until `port` accepts connections (true) or `peer` exits (false). There is no time limit of
 * its own: a busy machine only makes it slower, and a real hang is caught by the test's hang guard.
 */
async function waitForPort(port: number, peer: Peer): Promise<boolean> {
  for (;;) {
    if (peer.proc.exitCode !== null || peer.proc.signalCode !== null) return false;
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.on('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Listens on a free loopback port, closed after the test; returns the port. */
async function listen(server: net.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => server.close(() => r(undefined))));
  return (server.address() as net.AddressInfo).port;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('curl against a compat-net HTTPS server', () => {
  it('verifies the server and gets the page', async () => {
    const pki = makePki();
    const f = pkiFiles(pki, (fn) => cleanups.push(fn));
    const server = createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (sock) => {
      sock.once('data', () => sock.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\nConnection: close\r\n\r\nhello, curl\n'));
    });
    const port = await listen(server);
    const curl = spawn('curl', ['-sS', '--cacert', f.path('ca.pem'), '--resolve', `localhost:${port}:127.0.0.1`, `https://localhost:${port}/`]);
    let out = '';
    curl.stdout.on('data', (d) => (out += d));
    let err = '';
    curl.stderr.on('data', (d) => (err += d));
    const [code] = await once(curl, 'exit');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe('hello, curl\n');
  });
});

/** Starts nginx serving `files` over TLS with the PKI's server certificate; returns its port. */
async function startNginx(pki: Pki, files: Record<string, string | Buffer>): Promise<number> {
  const f = pkiFiles(pki, (fn) => cleanups.push(fn));
  const root = join(f.path('www'));
  mkdirSync(root);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(root, name), content);
  const port = await freePort();
  const prefix = f.path('nginx');
  mkdirSync(prefix);
  writeFileSync(join(prefix, 'nginx.conf'), `
${nginxHead(prefix, prefix)}
  server {
    listen 127.0.0.1:${port} ssl;
    server_name localhost;
    ssl_certificate ${f.path('server.pem')};
    ssl_certificate_key ${f.path('server.key')};
    keepalive_requests 100;
    root ${root};
  }
}
`);
  // Debian installs nginx in /usr/sbin, which a non-login PATH may lack.
  const nginx = startPeer(existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf')]);
  running.push(nginx);
  expect(await waitForPort(port, nginx), `nginx did not start: ${nginx.output()}`).toBe(true);
  return port;
}

describe('https-client against nginx', () => {
  it('fetches static files over one kept-alive, verified connection', async () => {
    const pki = makePki();
    const port = await startNginx(pki, { 'index.html': '<h1>nginx says hi</h1>\n', 'big.bin': Buffer.alloc(300_000, 7) });
    const conn = new HTTPSConnection('localhost', port, { context: createDefaultContext({ cadata: pki.ca.certPem }) });
    cleanups.push(() => conn.close());
    await conn.request('GET', '/index.html');
    let res = await conn.getresponse();
    expect(res.status).toBe(200);
    expect(res.getheader('server')).toMatch(/^nginx/);
    expect((await res.read()).toString()).toBe('<h1>nginx says hi</h1>\n');
    await conn.request('GET', '/big.bin');
    res = await conn.getresponse();
    const body = await res.read();
    expect(body.length).toBe(300_000);
    expect(body.every((b) => b === 7)).toBe(true);
    await conn.request('GET', '/missing');
    res = await conn.getresponse();
    expect(res.status).toBe(404);
    await res.read();
  });
});

/** Everything a SecureSocket receives until it ends. */
async function readAll(sock: SecureSocket): Promise<Buffer> {
  const parts: Buffer[] = [];
  sock.on('data', (d: Buffer) => parts.push(d));
  await once(sock, 'end');
  return Buffer.concat(parts);
}

describe('compat-net clients against nginx and gnutls-serv', () => {
  it('a compat-net client verifies nginx, speaks HTTP/1.0 and sees its close_notify', async () => {
    const pki = makePki();
    const port = await startNginx(pki, { 'big.bin': Buffer.alloc(200_000, 9) });
    const sock = connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca.certPem });
    await once(sock, 'secureConnect');
    expect(sock.authorized).toBe(true);
    sock.write('GET /big.bin HTTP/1.0\r\nHost: localhost\r\n\r\n');
    const reply = await readAll(sock);
    const head = reply.subarray(0, reply.indexOf('\r\n\r\n')).toString();
    expect(head).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(head).toMatch(/\r\nServer: nginx/);
    const body = reply.subarray(reply.indexOf('\r\n\r\n') + 4);
    expect(body.length).toBe(200_000);
    expect(body.every((b) => b === 9)).toBe(true);
    expect(sock.truncated).toBe(false);
    sock.destroy();

    // A lone leaf from an issuer the client does not trust: the code node:tls gives for the same server.
    const otherCa = makePki().ca.certPem;
    const untrusted = connect({ port, host: '127.0.0.1', servername: 'localhost', ca: otherCa });
    const [err] = await once(untrusted, 'error');
    const viaNode = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: otherCa });
    const [nodeErr] = await once(viaNode, 'error');
    expect(err.code).toBe(nodeErr.code);
    expect(err.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('a compat-net client verifies gnutls-serv and echoes through it', async () => {
    const pki = makePki();
    const f = pkiFiles(pki, (fn) => cleanups.push(fn));
    const port = await freePort();
    const server = startPeer('gnutls-serv', ['--x509certfile', f.path('server.pem'), '--x509keyfile', f.path('server.key'), '--port', String(port), '--echo']);
    running.push(server);
    expect(await waitForPort(port, server), `gnutls-serv did not start: ${server.output()}`).toBe(true);
    const sock = connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca.certPem });
    cleanups.push(() => sock.destroy());
    await once(sock, 'secureConnect');
    expect(sock.authorized).toBe(true);
    expect(sock.getProtocol()).toBe('TLSv1.3');
    sock.write('echo me, gnutls\n');
    const [echoed] = await once(sock, 'data');
    expect(echoed.toString()).toBe('echo me, gnutls\n');
  });

  it('gnutls-cli verifies a compat-net server', async () => {
    const pki = makePki();
    const f = pkiFiles(pki, (fn) => cleanups.push(fn));
    const server = createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (sock) => {
      sock.on('data', (d) => sock.write(Buffer.concat([Buffer.from('compat-net:'), d])));
      sock.on('error', () => undefined);
    });
    const port = await listen(server);
    const client = startPeer('gnutls-cli', ['--x509cafile', f.path('ca.pem'), '--port', String(port), 'localhost']);
    running.push(client);
    await client.waitFor(/Handshake was completed/);
    client.proc.stdin.write('hi from gnutls\n');
    await client.waitFor('compat-net:hi from gnutls');
  });
});

describe('GnuTLS against @ossl/ssl', () => {
  it('gnutls-cli verifies our server and exchanges data', async () => {
    const pki = makePki();
    const f = pkiFiles(pki, (fn) => cleanups.push(fn));
    const sctx = new Context(TLS_METHOD);
    sctx.useCertificate(pki.server.cert);
    sctx.usePrivatekey(pki.server.key);
    const listener = net.createServer();
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    const port = (listener.address() as net.AddressInfo).port;
    const acceptor = new SocketConnection(sctx, listener, { timeout: 10_000 });
    const serving = (async () => {
      const [conn] = await acceptor.accept();
      await conn.doHandshake();
      const line = await conn.makefile().readline();
      await conn.sendall(Buffer.concat([Buffer.from('echo:'), line]));
      await conn.shutdown();
      await conn.close();
      await acceptor.close();
      return conn.getProtocolVersionName();
    })();
    const client = startPeer('gnutls-cli', ['--x509cafile', f.path('ca.pem'), '--port', String(port), 'localhost']);
    running.push(client);
    await client.waitFor(/Handshake was completed/);
    client.proc.stdin.write('hello from gnutls\n');
    await client.waitFor('echo:hello from gnutls');
    expect(await serving).toBe('TLSv1.3');
  });

  it('our client verifies gnutls-serv', async () => {
    const pki = makePki();
    const f = pkiFiles(pki, (fn) => cleanups.push(fn));
    const port = await freePort();
    const server = startPeer('gnutls-serv', ['--x509certfile', f.path('server.pem'), '--x509keyfile', f.path('server.key'), '--port', String(port), '--echo']);
    running.push(server);
    expect(await waitForPort(port, server), `gnutls-serv did not start: ${server.output()}`).toBe(true);
    const conn = new SocketConnection(createDefaultContext({ cadata: pki.ca.certPem }), new net.Socket(), { timeout: 10_000 });
    cleanups.push(() => conn.close());
    await conn.connect(['127.0.0.1', port]);
    conn.setTlsextHostName('localhost');
    await conn.doHandshake();
    await conn.sendall('echo me\n');
    expect((await conn.makefile().readline()).toString()).toBe('echo me\n');
    expect(spawnSync('gnutls-cli', ['--version']).status).toBe(0);
  });
});
