// pyOpenSSL's socket mode, `Connection(context, socket)`: the same calls pyOpenSSL programs make,
// against `openssl s_server`, and against pyOpenSSL itself running the other side in socket mode.
import { once } from 'node:events';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Connection, Context, SocketConnection, SysCallError, TLS_METHOD, VERIFY_PEER, ZeroReturnError } from '@ossl/ssl';
import { makePki } from '@ossl/testkit';

import { pkiFiles } from './support/pki-files.js';
import { startPeer, startSServer, type Peer } from './support/peers.js';

const running: Peer[] = [];
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  for (const c of cleanups.splice(0).reverse()) await c();
});

function verifyingContext(caFile: string): Context {
  const ctx = new Context(TLS_METHOD);
  ctx.loadVerifyLocations(caFile);
  ctx.setVerify(VERIFY_PEER);
  return ctx;
}

// pyOpenSSL in socket mode as a client: connect, SNI, handshake, sendall, recv, shutdown.
const PYOPENSSL_CLIENT = `
import socket, sys
from OpenSSL import SSL
ctx = SSL.Context(SSL.TLS_METHOD)
ctx.load_verify_locations(sys.argv[2])
ctx.set_verify(SSL.VERIFY_PEER, lambda *a: a[-1])
conn = SSL.Connection(ctx, socket.socket())
conn.connect(("127.0.0.1", int(sys.argv[1])))
conn.set_tlsext_host_name(b"localhost")
conn.do_handshake()
conn.sendall(b"from pyopenssl")
print("got", conn.recv(100).decode(), conn.get_protocol_version_name(), flush=True)
conn.shutdown()
conn.close()
`;

describe('new Connection(context, socket): pyOpenSSL socket mode', () => {
  it('is a SocketConnection that talks to openssl s_server', async () => {
    const pki = makePki();
    const f = pkiFiles(pki, (fn) => cleanups.push(fn));
    const server = await startSServer(['-cert', f.path('server.pem'), '-key', f.path('server.key'), '-naccept', '1']);
    running.push(server);
    const conn = new Connection(verifyingContext(f.path('ca.pem')), new net.Socket(), { timeout: 10_000 });
    expect(conn).toBeInstanceOf(SocketConnection);
    expect(conn.connection).toBeInstanceOf(Connection);
    await conn.connect(['127.0.0.1', server.port]);
    conn.setTlsextHostName('localhost');
    conn.setHost('localhost');
    await conn.doHandshake();
    expect(conn.getPeerCertificate()!.getSubject().CN).toBe('localhost');
    await conn.sendall('socket mode says hi\n');
    await server.waitFor('socket mode says hi');
    server.proc.stdin.write('s_server answers\n');
    let got = '';
    while (!got.includes('s_server answers')) got += (await conn.recv(1024)).toString();
    await conn.shutdown();
    await conn.close();
  });

  it('accepts on a listening net.Server, with pyOpenSSL in socket mode as the client', async () => {
    const pki = makePki();
    const f = pkiFiles(pki, (fn) => cleanups.push(fn));
    const listener = net.createServer();
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    cleanups.push(() => new Promise((r) => listener.close(() => r(undefined))));
    const ctx = new Context(TLS_METHOD);
    ctx.useCertificate(pki.server.cert);
    ctx.usePrivatekey(pki.server.key);
    const acceptor = new Connection(ctx, listener, { timeout: 30_000 });
    const client = startPeer('/usr/bin/python3', ['-c', PYOPENSSL_CLIENT, String((listener.address() as net.AddressInfo).port), f.path('ca.pem')]);
    running.push(client);
    const [conn, address] = await acceptor.accept();
    expect(address[0]).toBe('127.0.0.1');
    await conn.doHandshake();
    expect(conn.getServername()).toBe('localhost');
    let got = '';
    while (got.length < 'from pyopenssl'.length) got += (await conn.recv(100)).toString();
    expect(got).toBe('from pyopenssl');
    await conn.sendall('from ossl');
    await expect(conn.recv(100)).rejects.toBeInstanceOf(ZeroReturnError);
    const line = await client.waitFor(/got (.*) (TLSv1\.\d)/);
    expect(line[1]).toBe('from ossl');
    expect(line[2]).toBe(conn.getProtocolVersionName());
    await conn.close();
  });

  it('passes options through: a silent peer times out', async () => {
    const listener = net.createServer((s) => s.resume());
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    cleanups.push(() => new Promise((r) => listener.close(() => r(undefined))));
    const conn = new Connection(new Context(TLS_METHOD), new net.Socket(), { timeout: 200 });
    await conn.connect(['127.0.0.1', (listener.address() as net.AddressInfo).port]);
    const e = (await conn.doHandshake().catch((err: unknown) => err)) as SysCallError;
    expect(e).toBeInstanceOf(SysCallError);
    expect(e.code).toBe('ETIMEDOUT');
    await conn.close();
  });

  it('works over any Duplex', () => {
    const conn = new Connection(new Context(TLS_METHOD), new PassThrough());
    expect(conn).toBeInstanceOf(SocketConnection);
    conn.setConnectState();
    expect(conn.getStateString()).toMatch(/before SSL initialization/);
  });

  it('stays sans-IO without a socket, and subclasses still get a sans-IO Connection', () => {
    const ctx = new Context(TLS_METHOD);
    expect(new Connection(ctx)).not.toBeInstanceOf(SocketConnection);
    expect(new Connection(ctx, null)).toBeInstanceOf(Connection);
    class Mine extends Connection {
      side(): string {
        this.setConnectState();
        return this.getStateString();
      }
    }
    const mine = new Mine(ctx);
    expect(mine).toBeInstanceOf(Connection);
    expect(mine.side()).toMatch(/before SSL initialization/);
  });

  it('refuses bad arguments with TypeError naming them', () => {
    const ctx = new Context(TLS_METHOD);
    expect(() => new Connection(ctx, {} as never)).toThrow('"socket" must be a net.Socket, Duplex or net.Server, got Object');
    expect(() => new Connection(ctx, 'sock' as never)).toThrow(/"socket" must be/);
    expect(() => new Connection(ctx, 5 as never)).toThrow(/"socket" must be/);
    expect(() => new Connection('ctx' as never, new PassThrough())).toThrow('"context" must be a Context, got string');
    expect(() => new Connection(ctx, new PassThrough(), { timeout: 'soon' as never })).toThrow(TypeError);
    expect(() => new Connection(ctx, new PassThrough(), { timeout: -1 })).toThrow(RangeError);
    expect(() => new Connection(ctx, new PassThrough(), { timeout: 2 ** 31 })).toThrow(RangeError);
    expect(() => new Connection(ctx, null as never, { timeout: 5 })).toThrow(/options are for socket mode/);
    // Options are read from own properties only.
    const inherited = Object.create({ timeout: 'x' }) as { timeout?: number };
    expect(new Connection(ctx, new PassThrough(), inherited)).toBeInstanceOf(SocketConnection);
  });
});
