import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';

import { Connection, Context, SocketConnection, SSLError, SysCallError, TLS_METHOD, VERIFY_PEER, WantReadError, ZeroReturnError } from '../src/index.js';
import { makePki, serverContext } from './support/memory.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function listen(server: net.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => server.close(() => r(undefined))));
  return (server.address() as net.AddressInfo).port;
}

describe('SocketConnection as a client of node:tls', () => {
  it('handshakes, verifies, and echoes data both ways', async () => {
    const pki = makePki();
    const server = tls.createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (s) => {
      s.on('data', (d) => s.write(Buffer.concat([Buffer.from('echo:'), d])));
      s.on('end', () => s.end());
    });
    const port = await listen(server);
    const ctx = new Context(TLS_METHOD);
    ctx.setVerify(VERIFY_PEER, (_c, _cert, errnum, _depth, ok) => ok === 1 || errnum === 20 || errnum === 21);
    const conn = new SocketConnection(ctx, new net.Socket(), { timeout: 5000 });
    await conn.connect(['127.0.0.1', port]);
    conn.setTlsextHostName('localhost');
    await conn.doHandshake();
    expect(conn.getProtocolVersionName()).toBe('TLSv1.3');
    expect(conn.getPeerCertificate()!.getSubject().CN).toBe('localhost');
    await conn.sendall('ping');
    expect((await conn.recv(100)).toString()).toBe('echo:ping');
    expect(await conn.shutdown()).toBe(false);
    await expect(conn.recv(100)).rejects.toBeInstanceOf(ZeroReturnError);
    await conn.close();
  });

  it('fails with SysCallError when the server hangs up mid-handshake', async () => {
    const server = net.createServer((s) => {
      s.once('data', () => s.destroy());
    });
    const port = await listen(server);
    const conn = new SocketConnection(new Context(TLS_METHOD), net.connect(port, '127.0.0.1'), { timeout: 5000 });
    conn.setConnectState();
    const e = await conn.doHandshake().catch((err: unknown) => err);
    expect(e).toBeInstanceOf(SysCallError);
    await conn.close();
  });

  it('times out instead of hanging on a silent peer', async () => {
    // The server reads (so it sees the close later) but never answers.
    const server = net.createServer((s) => s.resume());
    const port = await listen(server);
    const sock = net.connect(port, '127.0.0.1');
    cleanups.push(() => sock.destroy());
    const conn = new SocketConnection(new Context(TLS_METHOD), sock, { timeout: 200 });
    conn.setConnectState();
    const e = (await conn.doHandshake().catch((err: unknown) => err)) as SysCallError;
    expect(e).toBeInstanceOf(SysCallError);
    expect(e.code).toBe('ETIMEDOUT');
  });

  it('reports a refused connection as SysCallError', async () => {
    const server = net.createServer();
    const port = await listen(server);
    await new Promise((r) => server.close(r));
    cleanups.length = 0;
    const conn = new SocketConnection(new Context(TLS_METHOD), new net.Socket());
    const e = (await conn.connect(['127.0.0.1', port]).catch((err: unknown) => err)) as SysCallError;
    expect(e).toBeInstanceOf(SysCallError);
    expect(e.code).toBe('ECONNREFUSED');
  });

  it('reports an alert from the peer as SSL.Error', async () => {
    const pki = makePki();
    // node:tls demands a client certificate the client does not have.
    const server = tls.createServer({ key: pki.server.keyPem, cert: pki.server.certPem, requestCert: true, rejectUnauthorized: true, ca: pki.ca.certPem });
    server.on('tlsClientError', () => undefined);
    const port = await listen(server);
    const conn = new SocketConnection(new Context(TLS_METHOD), net.connect(port, '127.0.0.1'), { timeout: 5000 });
    conn.setConnectState();
    await conn.doHandshake();
    // TLS 1.3: the server's refusal arrives after the client's side of the handshake finished.
    const e = (await conn.recv(10).catch((err: unknown) => err)) as SSLError;
    expect(e).toBeInstanceOf(SSLError);
    expect(e.errors.map((x) => x.reason).join()).toMatch(/certificate required|alert/);
    await conn.close();
  });
});

describe('SocketConnection as a server for node:tls', () => {
  it('accepts, handshakes with a verifying node:tls client, and echoes', async () => {
    const pki = makePki('rsa');
    const listener = net.createServer();
    const port = await listen(listener);
    const acceptor = new SocketConnection(serverContext(pki.server), listener, { timeout: 5000 });
    const serving = (async () => {
      const [conn, addr] = await acceptor.accept();
      expect(addr[0]).toBe('127.0.0.1');
      await conn.doHandshake();
      const data = await conn.recv(1024);
      await conn.sendall(Buffer.concat([Buffer.from('echo:'), data]));
      await conn.shutdown();
      await conn.close();
    })();
    const client = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca.certPem });
    await once(client, 'secureConnect');
    expect(client.authorized).toBe(true);
    expect(client.getProtocol()).toBe('TLSv1.3');
    client.write('hi');
    const [reply] = await once(client, 'data');
    expect(reply.toString()).toBe('echo:hi');
    client.end();
    await serving;
  });

  it('rejects wrong arguments', async () => {
    expect(() => new SocketConnection(new Context(TLS_METHOD), 'socket' as never)).toThrow(TypeError);
    expect(() => new SocketConnection('ctx' as never, new net.Socket())).toThrow(TypeError);
    const conn = new SocketConnection(new Context(TLS_METHOD), new net.Socket());
    await expect(conn.recv('x' as never)).rejects.toBeInstanceOf(TypeError);
    await expect(conn.connect('nowhere' as never)).rejects.toBeInstanceOf(TypeError);
    await expect(conn.accept()).rejects.toBeInstanceOf(TypeError);
  });
});

/** Serves one connection with our own SocketConnection (which ends with a close_notify). */
async function ourServer(body: (conn: SocketConnection) => Promise<void>): Promise<number> {
  const pki = makePki();
  const listener = net.createServer();
  const port = await listen(listener);
  const acceptor = new SocketConnection(serverContext(pki.server), listener, { timeout: 10_000 });
  void (async () => {
    const [conn] = await acceptor.accept();
    try {
      await conn.doHandshake();
      await body(conn);
      await conn.shutdown();
    } finally {
      await conn.close();
    }
  })();
  return port;
}

describe('SocketConnection backpressure and makefile', () => {
  it('pauses the socket while the application does not read, and loses nothing', async () => {
    const total = 8 << 20;
    const port = await ourServer(async (conn) => {
      const block = Buffer.alloc(256 * 1024, 0x61);
      for (let sent = 0; sent < total; sent += block.length) await conn.sendall(block);
    });
    const sock = net.connect(port, '127.0.0.1');
    const conn = new SocketConnection(new Context(TLS_METHOD), sock, { timeout: 10_000 });
    conn.setConnectState();
    await conn.doHandshake();
    await new Promise((r) => setTimeout(r, 300));
    // The sender is far ahead, but the socket was paused instead of buffering everything.
    expect(sock.isPaused()).toBe(true);
    expect(conn.connection.bioInPending()).toBeLessThan(4 << 20);
    let got = 0;
    const file = conn.makefile();
    for (;;) {
      const chunk = await file.read(1 << 20);
      if (chunk.length === 0) break;
      got += chunk.length;
    }
    expect(got).toBe(total);
    await conn.close();
  });

  it('reads lines with makefile().readline and iterates them', async () => {
    const port = await ourServer(async (conn) => {
      await conn.sendall('first\nsecond\nthird');
    });
    const conn = new SocketConnection(new Context(TLS_METHOD), net.connect(port, '127.0.0.1'), { timeout: 10_000 });
    conn.setConnectState();
    await conn.doHandshake();
    const file = conn.makefile();
    expect((await file.readline()).toString()).toBe('first\n');
    const rest: string[] = [];
    for await (const line of file) rest.push(line.toString());
    expect(rest).toEqual(['second\n', 'third']);
    expect((await file.readline()).length).toBe(0);
    await conn.close();
  });

  it('keeps truncation an error in makefile reads (a peer that ends without close_notify)', async () => {
    const pki = makePki();
    // The server closes the TCP stream without a close_notify (destroy, not end: from Node 24 on,
    // node:tls's end() sends a close_notify).
    const server = tls.createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (s) => s.write('partial', () => s.destroy()));
    const port = await listen(server);
    const conn = new SocketConnection(new Context(TLS_METHOD), net.connect(port, '127.0.0.1'), { timeout: 10_000 });
    conn.setConnectState();
    await conn.doHandshake();
    await expect(conn.makefile().read()).rejects.toBeInstanceOf(SysCallError);
    await conn.close();
  });
});

describe('SocketConnection and a peer that resets', () => {
  it('reports a TCP reset mid-handshake as SysCallError with ECONNRESET', async () => {
    const server = net.createServer((s) => {
      s.once('data', () => s.resetAndDestroy());
    });
    const port = await listen(server);
    const conn = new SocketConnection(new Context(TLS_METHOD), net.connect(port, '127.0.0.1'), { timeout: 5000 });
    conn.setConnectState();
    const e = (await conn.doHandshake().catch((err: unknown) => err)) as SysCallError;
    expect(e).toBeInstanceOf(SysCallError);
    expect(e.code).toBe('ECONNRESET');
    expect(e.errno).toBe(104);
    await conn.close();
  });
});

describe('SocketConnection.recv takes every record that has arrived', () => {
  // The peer is a sans-IO Connection driven by hand over a raw TCP socket, so the test decides which
  // records travel together.
  async function rawPeer(): Promise<{ client: SocketConnection; peer: Connection; raw: net.Socket; arrived: (n: number) => Promise<void> }> {
    const pki = makePki();
    const ctx = serverContext(pki.server);
    ctx.setNumTickets(0); // nothing follows the handshake but what the test sends
    const peer = new Connection(ctx);
    peer.setAcceptState();
    let raw!: net.Socket;
    const server = net.createServer((s) => {
      raw = s;
      s.on('data', (d) => {
        peer.bioWrite(d);
        try {
          peer.doHandshake();
        } catch (e) {
          if (!(e instanceof WantReadError)) throw e;
        }
        if (peer.bioPending() > 0) s.write(peer.bioRead(1 << 20));
      });
    });
    const port = await listen(server);
    const client = new SocketConnection(new Context(TLS_METHOD), net.connect(port, '127.0.0.1'), { timeout: 10_000 });
    cleanups.push(() => client.close());
    client.setConnectState();
    await client.doHandshake();
    while (!peer.isInitFinished()) await new Promise((r) => setImmediate(r));
    const arrived = async (n: number) => {
      while (client.connection.bioInPending() < n) await new Promise((r) => setImmediate(r));
    };
    return { client, peer, raw, arrived };
  }

  it('returns three records that came in one segment from one recv', async () => {
    const { client, peer, raw, arrived } = await rawPeer();
    for (const part of ['one,', 'two,', 'three']) peer.send(part);
    const wire = peer.bioRead(1 << 20);
    raw.write(wire);
    await arrived(wire.length);
    expect((await client.recv(1000)).toString()).toBe('one,two,three');
    // ...never more than asked for; the rest waits for the next call.
    for (const part of ['four,', 'five']) peer.send(part);
    const wire2 = peer.bioRead(1 << 20);
    raw.write(wire2);
    await arrived(wire2.length);
    expect((await client.recv(7)).toString()).toBe('four,fi');
    expect((await client.recv(100)).toString()).toBe('ve');
  });

  it('returns the data before a close_notify, then ZeroReturnError', async () => {
    const { client, peer, raw, arrived } = await rawPeer();
    peer.send('last words');
    peer.shutdown();
    const wire = peer.bioRead(1 << 20);
    raw.write(wire);
    await arrived(wire.length);
    expect((await client.recv(1000)).toString()).toBe('last words');
    await expect(client.recv(1000)).rejects.toBeInstanceOf(ZeroReturnError);
  });

  it('returns the data before a damaged record, then the SSL.Error for it', async () => {
    const { client, peer, raw, arrived } = await rawPeer();
    peer.send('good');
    peer.send('tampered');
    const wire = Buffer.from(peer.bioRead(1 << 20));
    wire[wire.length - 1]! ^= 0x01; // the last byte of the second record's tag
    raw.write(wire);
    await arrived(wire.length);
    expect((await client.recv(1000)).toString()).toBe('good');
    const e = await client.recv(1000).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(SSLError);
    expect(e).not.toBeInstanceOf(ZeroReturnError);
    expect((e as SSLError).message).toMatch(/bad record mac|decryption failed/i);
  });
});
