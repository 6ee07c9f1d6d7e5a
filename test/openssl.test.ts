// Interop with the openssl CLI: our client against `openssl s_server`, `openssl s_client` against
// our server, both TLS versions, ECDSA and RSA, with and without client certificates.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpCertificate, dumpPrivatekey, FILETYPE_PEM } from '@ossl/crypto';
import {
  CertificateVerifyError,
  Context,
  SocketConnection,
  SSLError,
  TLS1_2_VERSION,
  TLS_METHOD,
  VERIFY_FAIL_IF_NO_PEER_CERT,
  VERIFY_PEER,
} from '@ossl/ssl';
import { makePki, tempFiles, type KeyKind, type Pki } from '@ossl/testkit';

import { pkiFiles } from './support/pki-files.js';
import { startPeer, startSServer, type Peer } from './support/peers.js';

const running: Peer[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  for (const c of cleanups.splice(0)) c();
});


function verifyingClientContext(caFile: string): Context {
  const ctx = new Context(TLS_METHOD);
  ctx.loadVerifyLocations(caFile);
  ctx.setVerify(VERIFY_PEER);
  return ctx;
}

describe('our client against openssl s_server', () => {
  for (const kind of ['ec', 'rsa'] as KeyKind[]) {
    for (const version of ['-tls1_3', '-tls1_2']) {
      it(`handshakes (${kind}, ${version}), verifies and exchanges data both ways`, async () => {
        const pki = makePki(kind);
        const f = pkiFiles(pki, (fn) => cleanups.push(fn));
        const server = await startSServer(['-cert', f.path('server.pem'), '-key', f.path('server.key'), version, '-naccept', '1']);
        running.push(server);
        const conn = new SocketConnection(verifyingClientContext(f.path('ca.pem')), new net.Socket(), { timeout: 10_000 });
        await conn.connect(['127.0.0.1', server.port]);
        conn.setTlsextHostName('localhost');
        conn.setHost('localhost');
        await conn.doHandshake();
        expect(conn.getProtocolVersionName()).toBe(version === '-tls1_3' ? 'TLSv1.3' : 'TLSv1.2');
        expect(conn.getPeerCertificate()!.getSubject().CN).toBe('localhost');
        await conn.sendall('hello from ossl\n');
        await server.waitFor('hello from ossl');
        server.proc.stdin.write('hello from s_server\n');
        let got = '';
        while (!got.includes('hello from s_server')) got += (await conn.recv(1024)).toString();
        expect(got).toContain('hello from s_server');
        await conn.shutdown();
        await conn.close();
      });
    }
  }

  it('authenticates with a client certificate when s_server demands one', async () => {
    const pki = makePki();
    const f = pkiFiles(pki, (fn) => cleanups.push(fn));
    const server = await startSServer(['-cert', f.path('server.pem'), '-key', f.path('server.key'), '-Verify', '2', '-CAfile', f.path('ca.pem'), '-verify_return_error', '-naccept', '1']);
    running.push(server);
    const ctx = verifyingClientContext(f.path('ca.pem'));
    ctx.useCertificate(pki.client.cert);
    ctx.usePrivatekey(pki.client.key);
    const conn = new SocketConnection(ctx, new net.Socket(), { timeout: 10_000 });
    await conn.connect(['127.0.0.1', server.port]);
    await conn.doHandshake();
    await conn.sendall('with client cert\n');
    await server.waitFor('with client cert');
    expect(server.output()).toMatch(/depth=0 C = US, O = ossl tests, CN = ossl test client/);
    await conn.close();
  });

  it('fails with CertificateVerifyError when the server certificate is not trusted', async () => {
    const pki = makePki();
    const other = makePki();
    const f = pkiFiles(pki, (fn) => cleanups.push(fn));
    const g = pkiFiles(other, (fn) => cleanups.push(fn));
    const server = await startSServer(['-cert', f.path('server.pem'), '-key', f.path('server.key'), '-naccept', '1']);
    running.push(server);
    const conn = new SocketConnection(verifyingClientContext(g.path('ca.pem')), new net.Socket(), { timeout: 10_000 });
    await conn.connect(['127.0.0.1', server.port]);
    const e = (await conn.doHandshake().catch((err: unknown) => err)) as CertificateVerifyError;
    expect(e).toBeInstanceOf(CertificateVerifyError);
    expect(e.verifyCode).toBe(20);
    await conn.close();
  });

  it('fails with SSL.Error naming the reason when no protocol version is shared', async () => {
    const pki = makePki();
    const f = pkiFiles(pki, (fn) => cleanups.push(fn));
    const server = await startSServer(['-cert', f.path('server.pem'), '-key', f.path('server.key'), '-tls1_3', '-naccept', '1']);
    running.push(server);
    const ctx = new Context(TLS_METHOD);
    ctx.setMaxProtoVersion(TLS1_2_VERSION);
    const conn = new SocketConnection(ctx, new net.Socket(), { timeout: 10_000 });
    await conn.connect(['127.0.0.1', server.port]);
    const e = (await conn.doHandshake().catch((err: unknown) => err)) as SSLError;
    expect(e).toBeInstanceOf(SSLError);
    expect(e.errors.map((x) => x.reason).join()).toMatch(/protocol version|unsupported protocol/);
    await conn.close();
  });
});

describe('openssl s_client against our server', () => {
  async function serveOnce(ctx: Context, onConn: (c: SocketConnection) => Promise<void>): Promise<{ port: number; done: Promise<void> }> {
    const listener = net.createServer();
    listener.listen(0, '127.0.0.1');
    await new Promise((r) => listener.once('listening', r));
    const acceptor = new SocketConnection(ctx, listener, { timeout: 10_000 });
    const done = (async () => {
      const [conn] = await acceptor.accept();
      try {
        await onConn(conn);
      } finally {
        await conn.close();
        await acceptor.close();
      }
    })();
    return { port: (listener.address() as net.AddressInfo).port, done };
  }

  for (const kind of ['ec', 'rsa'] as KeyKind[]) {
    for (const version of ['-tls1_3', '-tls1_2']) {
      it(`serves s_client (${kind}, ${version}), which verifies us, and echoes data`, async () => {
        const pki = makePki(kind);
        const f = pkiFiles(pki, (fn) => cleanups.push(fn));
        const sctx = new Context(TLS_METHOD);
        sctx.useCertificate(pki.server.cert);
        sctx.usePrivatekey(pki.server.key);
        const seen: string[] = [];
        const { port, done } = await serveOnce(sctx, async (conn) => {
          await conn.doHandshake();
          seen.push(conn.getProtocolVersionName(), conn.getServername() ?? '');
          let got = '';
          while (!got.includes('\n')) got += (await conn.recv(1024)).toString();
          await conn.sendall(`echo:${got}`);
          await conn.shutdown();
        });
        const client = startPeer('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-CAfile', f.path('ca.pem'), '-verify_return_error', '-verify_hostname', 'localhost', version]);
        running.push(client);
        await client.waitFor(/Verify return code: 0 \(ok\)/);
        client.proc.stdin.write('hello from s_client\n');
        await client.waitFor('echo:hello from s_client');
        await done;
        expect(seen).toEqual([version === '-tls1_3' ? 'TLSv1.3' : 'TLSv1.2', 'localhost']);
      });
    }
  }

  it('requires and verifies the client certificate of s_client', async () => {
    const pki = makePki();
    const f = pkiFiles(pki, (fn) => cleanups.push(fn));
    const sctx = new Context(TLS_METHOD);
    sctx.useCertificate(pki.server.cert);
    sctx.usePrivatekey(pki.server.key);
    sctx.loadVerifyLocations(f.path('ca.pem'));
    sctx.setVerify(VERIFY_PEER | VERIFY_FAIL_IF_NO_PEER_CERT);
    let peerCN: string | null = null;
    const { port, done } = await serveOnce(sctx, async (conn) => {
      await conn.doHandshake();
      peerCN = conn.getPeerCertificate()?.getSubject().CN ?? null;
      await conn.sendall('client-auth-ok\n');
      await conn.shutdown();
    });
    const client = startPeer('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-CAfile', f.path('ca.pem'), '-cert', f.path('client.pem'), '-key', f.path('client.key')]);
    running.push(client);
    await client.waitFor('client-auth-ok');
    await done;
    expect(peerCN).toBe('ossl test client');
  });

  it('fails cleanly when s_client offers no certificate it requires', async () => {
    const pki = makePki();
    const f = pkiFiles(pki, (fn) => cleanups.push(fn));
    const sctx = new Context(TLS_METHOD);
    sctx.useCertificate(pki.server.cert);
    sctx.usePrivatekey(pki.server.key);
    sctx.loadVerifyLocations(f.path('ca.pem'));
    sctx.setVerify(VERIFY_PEER | VERIFY_FAIL_IF_NO_PEER_CERT);
    let failure: unknown = null;
    const { port, done } = await serveOnce(sctx, async (conn) => {
      failure = await conn.doHandshake().catch((e: unknown) => e);
    });
    const client = startPeer('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-CAfile', f.path('ca.pem')]);
    running.push(client);
    await done;
    expect(failure).toBeInstanceOf(SSLError);
    expect((failure as SSLError).errors.map((x) => x.reason).join()).toMatch(/peer did not return a certificate|certificate required/);
  });
});
