// Interop with node:tls, both directions, TLS 1.2 and 1.3, RSA and ECDSA, with and without client
// certificates; keying material, finished messages and key-log lines agree with node's.
import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { Context, SocketConnection, TLS1_2_VERSION, TLS_METHOD, VERIFY_FAIL_IF_NO_PEER_CERT, VERIFY_PEER, createDefaultContext } from '@ossl/ssl';
import { makePki, type KeyKind } from '@ossl/testkit';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function listen(server: net.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => server.close(() => r(undefined))));
  return (server.address() as net.AddressInfo).port;
}

const versions = [['TLSv1.3', undefined], ['TLSv1.2', 'TLSv1.2']] as const;

describe('our client against a node:tls server', () => {
  for (const kind of ['ec', 'rsa'] as KeyKind[]) {
    for (const [name, max] of versions) {
      for (const clientCert of [false, true]) {
        it(`${kind} ${name}${clientCert ? ' with a client certificate' : ''}: verifies, echoes, agrees on secrets`, async () => {
          const pki = makePki(kind);
          const nodeKeylog: string[] = [];
          let nodeSide: tls.TLSSocket | null = null;
          const server = tls.createServer({
            key: pki.server.keyPem,
            cert: pki.server.certPem,
            maxVersion: max,
            requestCert: clientCert,
            rejectUnauthorized: clientCert,
            ca: pki.ca.certPem,
          }, (s) => {
            nodeSide = s;
            s.on('data', (d) => s.write(Buffer.concat([Buffer.from('echo:'), d])));
            s.on('error', () => undefined);
          });
          server.on('keylog', (line) => nodeKeylog.push(line.toString().trim()));
          const port = await listen(server);
          const ctx = createDefaultContext({ cadata: pki.ca.certPem });
          if (clientCert) {
            ctx.useCertificate(pki.client.cert);
            ctx.usePrivatekey(pki.client.key);
          }
          const ourKeylog: string[] = [];
          ctx.setKeylogCallback((_c, line) => ourKeylog.push(line.toString()));
          const conn = new SocketConnection(ctx, new net.Socket(), { timeout: 10_000 });
          cleanups.push(() => conn.close());
          await conn.connect(['127.0.0.1', port]);
          conn.setTlsextHostName('localhost');
          await conn.doHandshake();
          expect(conn.getProtocolVersionName()).toBe(name);
          await conn.sendall('ping');
          expect((await conn.recv(100)).toString()).toBe('echo:ping');
          const peer = nodeSide as unknown as tls.TLSSocket;
          expect(peer.getProtocol()).toBe(name);
          if (clientCert) expect(peer.getPeerCertificate().subject.CN).toBe('ossl test client');
          expect(conn.exportKeyingMaterial('EXPERIMENTAL-interop', 48).equals(peer.exportKeyingMaterial(48, 'EXPERIMENTAL-interop', undefined as unknown as Buffer))).toBe(true);
          expect(conn.exportKeyingMaterial('EXPERIMENTAL-interop', 16, Buffer.from([1, 2])).equals(peer.exportKeyingMaterial(16, 'EXPERIMENTAL-interop', Buffer.from([1, 2])))).toBe(true);
          expect(conn.getFinished()!.equals(peer.getPeerFinished()!)).toBe(true);
          expect(conn.getPeerFinished()!.equals(peer.getFinished()!)).toBe(true);
          expect(ourKeylog.length).toBeGreaterThan(0);
          expect([...ourKeylog].sort()).toEqual([...nodeKeylog].sort());
          await conn.shutdown();
        });
      }
    }
  }

  it('fails with a verify error against a node server whose certificate does not match the name', async () => {
    const pki = makePki();
    const server = tls.createServer({ key: pki.server.keyPem, cert: pki.server.certPem });
    server.on('tlsClientError', () => undefined);
    const port = await listen(server);
    const conn = new SocketConnection(createDefaultContext({ cadata: pki.ca.certPem }), new net.Socket(), { timeout: 10_000 });
    cleanups.push(() => conn.close());
    await conn.connect(['127.0.0.1', port]);
    conn.setTlsextHostName('wrong.example');
    const e = (await conn.doHandshake().catch((err: unknown) => err)) as { code: string };
    expect(e.code).toBe('HOSTNAME_MISMATCH');
  });
});

describe('a node:tls client against our server', () => {
  for (const kind of ['ec', 'rsa'] as KeyKind[]) {
    for (const [name, max] of versions) {
      for (const clientCert of [false, true]) {
        it(`${kind} ${name}${clientCert ? ' with a client certificate' : ''}: node verifies us, data flows both ways`, async () => {
          const pki = makePki(kind);
          const sctx = new Context(TLS_METHOD);
          sctx.useCertificate(pki.server.cert);
          sctx.usePrivatekey(pki.server.key);
          if (max) sctx.setMaxProtoVersion(TLS1_2_VERSION);
          if (clientCert) {
            sctx.getCertStore().addCert(pki.ca.cert);
            sctx.setVerify(VERIFY_PEER | VERIFY_FAIL_IF_NO_PEER_CERT);
          }
          const listener = net.createServer();
          const port = await listen(listener);
          const acceptor = new SocketConnection(sctx, listener, { timeout: 10_000 });
          const serving = (async () => {
            const [conn] = await acceptor.accept();
            try {
              await conn.doHandshake();
              const got = await conn.recv(100);
              await conn.sendall(Buffer.concat([Buffer.from('echo:'), got]));
              return { peer: conn.getPeerCertificate()?.getSubject().CN ?? null, ekm: conn.exportKeyingMaterial('EXPERIMENTAL-interop', 32), finished: conn.getFinished() };
            } finally {
              await conn.shutdown().catch(() => false);
              await conn.close();
            }
          })();
          const client = tls.connect({
            port,
            host: '127.0.0.1',
            servername: 'localhost',
            ca: pki.ca.certPem,
            ...(clientCert ? { key: pki.client.keyPem, cert: pki.client.certPem } : {}),
          });
          cleanups.push(() => client.destroy());
          await once(client, 'secureConnect');
          expect(client.authorized).toBe(true);
          expect(client.getProtocol()).toBe(name);
          client.write('hi');
          const [reply] = await once(client, 'data');
          expect(reply.toString()).toBe('echo:hi');
          // Read node's side before our server closes the connection.
          const nodeEkm = client.exportKeyingMaterial(32, 'EXPERIMENTAL-interop', undefined as unknown as Buffer);
          const nodePeerFinished = client.getPeerFinished()!;
          const result = await serving;
          expect(result.peer).toBe(clientCert ? 'ossl test client' : null);
          expect(result.ekm.equals(nodeEkm)).toBe(true);
          expect(result.finished!.equals(nodePeerFinished)).toBe(true);
        });
      }
    }
  }
});
