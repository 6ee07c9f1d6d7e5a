// Interop with CPython's `ssl` module (a peer nobody here wrote): both directions, TLS 1.2 and 1.3,
// RSA and ECDSA, with and without client certificates.
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpCertificate, dumpPrivatekey, FILETYPE_PEM } from '@ossl/crypto';
import { Context, SocketConnection, SSLError, TLS1_2_VERSION, TLS_METHOD, VERIFY_FAIL_IF_NO_PEER_CERT, VERIFY_PEER, createDefaultContext } from '@ossl/ssl';
import { makePki, tempFiles, type KeyKind, type Pki } from '@ossl/testkit';

import { pkiFiles } from './support/pki-files.js';
import { startPeer, type Peer } from './support/peers.js';

const PY = 'python3';
const script = join(__dirname, 'support', 'python_peer.py');
const running: Peer[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  for (const c of cleanups.splice(0)) c();
});


const cases: [KeyKind, 'tls1_3' | 'tls1_2', boolean][] = [];
for (const kind of ['ec', 'rsa'] as KeyKind[]) for (const v of ['tls1_3', 'tls1_2'] as const) for (const cc of [false, true]) cases.push([kind, v, cc]);

describe('our client against a python ssl server', () => {
  for (const [kind, version, clientCert] of cases) {
    it(`${kind} ${version}${clientCert ? ' with a client certificate' : ''}`, async () => {
      const pki = makePki(kind);
      const f = pkiFiles(pki, (fn) => cleanups.push(fn));
      const args = ['-u', script, 'server', f.path('server.pem'), f.path('server.key'), '--ca', f.path('ca.pem'), '--max', version];
      if (clientCert) args.push('--require-cert');
      const server = startPeer(PY, args);
      running.push(server);
      const port = Number((await server.waitFor(/PORT (\d+)/))[1]);
      const ctx = createDefaultContext({ cafile: f.path('ca.pem') });
      if (clientCert) {
        ctx.useCertificate(pki.client.cert);
        ctx.usePrivatekey(pki.client.key);
      }
      const conn = new SocketConnection(ctx, new net.Socket(), { timeout: 10_000 });
      await conn.connect(['127.0.0.1', port]);
      conn.setTlsextHostName('localhost');
      await conn.doHandshake();
      await conn.sendall('hello python\n');
      const reply = await conn.makefile().readline();
      expect(reply.toString()).toBe('echo:hello python\n');
      await conn.shutdown();
      const summary = JSON.parse((await server.waitFor(/^\{.*\}$/m))[0]);
      expect(summary.version).toBe(version === 'tls1_3' ? 'TLSv1.3' : 'TLSv1.2');
      expect(summary.cipher).toBe(conn.getCipherName());
      expect(summary.peer_cn).toBe(clientCert ? 'ossl test client' : null);
      await conn.close();
    });
  }

  it('fails when python demands a client certificate we do not have', async () => {
    const pki = makePki();
    const f = pkiFiles(pki, (fn) => cleanups.push(fn));
    const server = startPeer(PY, ['-u', script, 'server', f.path('server.pem'), f.path('server.key'), '--ca', f.path('ca.pem'), '--require-cert', '--max', 'tls1_2']);
    running.push(server);
    const port = Number((await server.waitFor(/PORT (\d+)/))[1]);
    const conn = new SocketConnection(createDefaultContext({ cafile: f.path('ca.pem') }), new net.Socket(), { timeout: 10_000 });
    await conn.connect(['127.0.0.1', port]);
    conn.setTlsextHostName('localhost');
    const e = await conn.doHandshake().catch((err: unknown) => err);
    expect(e).toBeInstanceOf(SSLError);
    await conn.close();
  });
});

describe('a python ssl client against our server', () => {
  for (const [kind, version, clientCert] of cases) {
    it(`${kind} ${version}${clientCert ? ' with a client certificate' : ''}`, async () => {
      const pki = makePki(kind);
      const f = pkiFiles(pki, (fn) => cleanups.push(fn));
      const sctx = new Context(TLS_METHOD);
      sctx.useCertificate(pki.server.cert);
      sctx.usePrivatekey(pki.server.key);
      if (version === 'tls1_2') sctx.setMaxProtoVersion(TLS1_2_VERSION);
      if (clientCert) {
        sctx.loadVerifyLocations(f.path('ca.pem'));
        sctx.setVerify(VERIFY_PEER | VERIFY_FAIL_IF_NO_PEER_CERT);
      }
      const listener = net.createServer();
      listener.listen(0, '127.0.0.1');
      await new Promise((r) => listener.once('listening', r));
      const port = (listener.address() as net.AddressInfo).port;
      const acceptor = new SocketConnection(sctx, listener, { timeout: 10_000 });
      const serving = (async () => {
        const [conn] = await acceptor.accept();
        try {
          await conn.doHandshake();
          const line = await conn.makefile().readline();
          await conn.sendall(Buffer.concat([Buffer.from('echo:'), line]));
          return { peer: conn.getPeerCertificate()?.getSubject().CN ?? null, version: conn.getProtocolVersionName() };
        } finally {
          await conn.shutdown().catch(() => false);
          await conn.close();
          await acceptor.close();
        }
      })();
      const args = ['-u', script, 'client', String(port), f.path('ca.pem'), 'localhost', 'hello ossl', '--max', version];
      if (clientCert) args.push('--cert', f.path('client.pem'), '--key', f.path('client.key'));
      const client = startPeer(PY, args);
      running.push(client);
      const summary = JSON.parse((await client.waitFor(/^\{.*\}$/m))[0]);
      expect(summary.reply).toBe('echo:hello ossl');
      expect(summary.version).toBe(version === 'tls1_3' ? 'TLSv1.3' : 'TLSv1.2');
      const result = await serving;
      expect(result.peer).toBe(clientCert ? 'ossl test client' : null);
      expect(result.version).toBe(summary.version);
    });
  }
});
