// @ossl/compat-net against real peers: openssl s_server / s_client and python's ssl module.
import { once } from 'node:events';
import type net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpCertificate, dumpPrivatekey, FILETYPE_PEM } from '@ossl/crypto';
import compatNet, { connect, createServer, readline } from '@ossl/compat-net';
import { makePki, tempFiles, type Pki } from '@ossl/testkit';

import { pkiFiles } from './support/pki-files.js';
import { startPeer, startSServer, type Peer } from './support/peers.js';

const running: Peer[] = [];
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  for (const c of cleanups.splice(0).reverse()) await c();
});


describe('compat-net and the openssl CLI', () => {
  it('connects to openssl s_server, verifies it and exchanges lines', async () => {
    const pki = makePki();
    const f = pkiFiles(pki, (fn) => cleanups.push(fn));
    const server = await startSServer(['-cert', f.path('server.pem'), '-key', f.path('server.key'), '-naccept', '1']);
    running.push(server);
    const sock = connect({ port: server.port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca.certPem });
    cleanups.push(() => sock.destroy());
    await once(sock, 'secureConnect');
    expect(sock.authorized).toBe(true);
    sock.write('from compat-net\n');
    await server.waitFor('from compat-net');
    server.proc.stdin.write('from s_server\n');
    expect((await readline(sock)).toString()).toBe('from s_server\n');
  });

  it('serves openssl s_client, which verifies the server', async () => {
    const pki = makePki();
    const f = pkiFiles(pki, (fn) => cleanups.push(fn));
    const server = createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (sock) => {
      sock.on('data', (d) => sock.write(`echo:${d}`));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(() => new Promise((r) => server.close(() => r(undefined))));
    const port = (server.address() as net.AddressInfo).port;
    const client = startPeer('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-CAfile', f.path('ca.pem'), '-verify_return_error']);
    running.push(client);
    await client.waitFor(/Verify return code: 0 \(ok\)/);
    client.proc.stdin.write('hello compat\n');
    await client.waitFor('echo:hello compat');
  });
});

describe('compat-net and python ssl', () => {
  it('is a server python verifies and talks to', async () => {
    const pki = makePki();
    const f = pkiFiles(pki, (fn) => cleanups.push(fn));
    const server = compatNet.createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (sock) => {
      sock.on('data', (d) => sock.write(`echo:${d}`));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(() => new Promise((r) => server.close(() => r(undefined))));
    const port = (server.address() as net.AddressInfo).port;
    const client = startPeer('python3', ['-u', join(__dirname, 'support', 'python_peer.py'), 'client', String(port), f.path('ca.pem'), 'localhost', 'from python']);
    running.push(client);
    const summary = JSON.parse((await client.waitFor(/^\{.*\}$/m))[0]);
    expect(summary.reply).toBe('echo:from python');
    expect(summary.version).toBe('TLSv1.3');
  });
});
