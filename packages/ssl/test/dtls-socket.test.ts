// DTLS over real datagrams: our DTLSSocket client against our DTLSServer on UDP loopback, directly or
// through a small UDP proxy (written here with node:dgram) that drops, duplicates and reorders
// datagrams by a fixed pattern. Every loop is bounded by a count; nothing asserts on time.
import { createHash, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { EventEmitter, once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';

import {
  CertificateVerifyError,
  Connection,
  Context,
  DTLS1_2_VERSION,
  DTLS1_VERSION,
  DTLS_CLIENT_METHOD,
  DTLS_METHOD,
  DTLS_SERVER_METHOD,
  DTLSServer,
  DTLSSocket,
  OP_NO_QUERY_MTU,
  SSLError,
  SysCallError,
  TLS_METHOD,
  VERIFY_PEER,
  splitRecords,
  type DTLSConnectOptions,
  type DTLSServerOptions,
} from '../src/index.js';
import { makePki, type Pki } from './support/memory.js';

const pki = makePki();

/** DTLS record content types (the first byte of a record). */
const CHANGE_CIPHER_SPEC = 20;
const ALERT = 21;
const HANDSHAKE = 22;
const APPLICATION_DATA = 23;
/** Handshake message types (the first byte after a record header). */
const CLIENT_HELLO = 1;
const SERVER_HELLO = 2;
const HELLO_VERIFY_REQUEST = 3;
const RECORD_HEADER = 13;
const HANDSHAKE_HEADER = 12;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function serverContext(method = DTLS_METHOD, ids: Pki = pki): Context {
  const ctx = new Context(method);
  ctx.useCertificate(ids.server.cert);
  ctx.usePrivatekey(ids.server.key);
  return ctx;
}

function clientContext(method = DTLS_METHOD, ids: Pki = pki): Context {
  const ctx = new Context(method);
  ctx.getCertStore().addCert(ids.ca.cert);
  ctx.setVerify(VERIFY_PEER);
  ctx.checkHostname = true;
  return ctx;
}

async function startServer(options: DTLSServerOptions = {}, ctx = serverContext()): Promise<{ server: DTLSServer; port: number }> {
  const server = new DTLSServer(ctx, options);
  cleanups.push(() => server.close());
  const { port } = await server.listen(0);
  return { server, port };
}

async function connect(port: number, options: Partial<DTLSConnectOptions> = {}, ctx = clientContext()): Promise<DTLSSocket> {
  const socket = await DTLSSocket.connect(ctx, { port, host: '127.0.0.1', servername: 'localhost', ...options });
  cleanups.push(() => socket.close());
  return socket;
}

/** A plain UDP socket on 127.0.0.1 that queues what it receives. */
async function udpSocket(): Promise<{ socket: dgram.Socket; port: number; next: () => Promise<Buffer>; received: Buffer[] }> {
  const socket = dgram.createSocket('udp4');
  const received: Buffer[] = [];
  const waiting: Array<(b: Buffer) => void> = [];
  socket.on('message', (m) => {
    const w = waiting.shift();
    if (w) w(m);
    else received.push(m);
  });
  let open = true;
  cleanups.push(() => {
    if (open) socket.close();
    open = false;
  });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return {
    socket,
    port: socket.address().port,
    received,
    next: () => {
      const queued = received.shift();
      return queued ? Promise.resolve(queued) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

/** A UDP port on 127.0.0.1 where nothing listens (bound, then closed). */
async function deadPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  s.bind(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Element `i` of `list`, which must be there. */
function nth<T>(list: readonly T[], i = 0): T {
  const v = list[i];
  if (v === undefined) throw new Error(`expected an element at ${i} of ${list.length}`);
  return v;
}

/** The records of one datagram: [content type, first payload byte]. */
function recordsOf(datagram: Buffer): Array<{ type: number; first: number }> {
  const out: Array<{ type: number; first: number }> = [];
  for (let at = 0; at + RECORD_HEADER <= datagram.length; at += RECORD_HEADER + datagram.readUInt16BE(at + 11)) {
    out.push({ type: datagram.readUInt8(at), first: at + RECORD_HEADER < datagram.length ? datagram.readUInt8(at + RECORD_HEADER) : -1 });
  }
  return out;
}

/** A sans-IO DTLS client's first flight, cut into datagrams as DTLSSocket would send it. */
function clientHelloFlight(conn: Connection): Buffer[] {
  expect(conn.tryHandshake()).toBe(false);
  return splitRecords(conn.bioRead(conn.bioPending()), 1200);
}

function sansIoClient(): Connection {
  const conn = new Connection(clientContext());
  conn.setOptions(OP_NO_QUERY_MTU);
  conn.setCiphertextMtu(1200);
  conn.setConnectState();
  conn.setTlsextHostName('localhost');
  return conn;
}

/** The cookie of a HelloVerifyRequest datagram. */
function cookieOf(hvr: Buffer): Buffer {
  const body = RECORD_HEADER + HANDSHAKE_HEADER;
  return hvr.subarray(body + 3, body + 3 + hvr.readUInt8(body + 2));
}

/** Message `i` of a run: a header naming it and bytes derived from it, `size` bytes in all. */
function payload(tag: string, i: number, size = 100): Buffer {
  const head = Buffer.from(`${tag}:${i}:`);
  const seed = createHash('sha256').update(head).digest();
  const body = Buffer.alloc(size - head.length);
  for (let k = 0; k < body.length; k++) body[k] = seed.readUInt8(k % seed.length) ^ (k & 0xff);
  return Buffer.concat([head, body]);
}

/** The index of a message made by `payload(tag, …)`, after checking every byte of it. */
function indexOf(tag: string, m: Buffer, size = 100): number {
  const match = /^([^:]+):(\d+):/.exec(m.subarray(0, 32).toString('latin1'));
  expect(match?.[1]).toBe(tag);
  const i = Number(match![2]);
  expect(m.equals(payload(tag, i, size))).toBe(true);
  return i;
}

async function recvN(socket: DTLSSocket, n: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const m = await socket.recv();
    expect(m).not.toBeNull();
    out.push(m!);
  }
  return out;
}

type Direction = 'c2s' | 's2c';
type Action = 'pass' | 'drop' | 'dup' | 'hold';
interface Datagram {
  dir: Direction;
  data: Buffer;
  /** 1-based count of this kind of datagram (application data or not) in this direction. */
  n: number;
  app: boolean;
  action: Action;
}
type Policy = (d: Omit<Datagram, 'action'>) => Action;

const passAll: Policy = () => 'pass';

/**
 * A UDP proxy on 127.0.0.1 between one client and a server: each datagram goes through `policy`,
 * which passes it, drops it, sends it twice, or holds it back and sends it after the next one in the
 * same direction. Everything it saw is in `seen`, what it sent in `forwarded` (in order).
 */
class UdpProxy extends EventEmitter {
  readonly seen: Datagram[] = [];
  readonly forwarded: Datagram[] = [];
  policy: Policy;
  readonly #socket = dgram.createSocket('udp4');
  readonly #serverPort: number;
  #client: { address: string; port: number } | null = null;
  readonly #held: Record<Direction, Datagram | null> = { c2s: null, s2c: null };
  readonly #counts = { c2s: { app: 0, other: 0 }, s2c: { app: 0, other: 0 } };
  #open = true;

  private constructor(serverPort: number, policy: Policy) {
    super();
    this.#serverPort = serverPort;
    this.policy = policy;
    this.#socket.on('message', (m, rinfo) => this.#onMessage(m, rinfo));
  }

  static async start(serverPort: number, policy: Policy = passAll): Promise<UdpProxy> {
    const proxy = new UdpProxy(serverPort, policy);
    cleanups.push(() => proxy.close());
    proxy.#socket.bind(0, '127.0.0.1');
    await once(proxy.#socket, 'listening');
    return proxy;
  }

  get port(): number {
    return this.#socket.address().port;
  }

  #onMessage(data: Buffer, rinfo: dgram.RemoteInfo): void {
    const dir: Direction = rinfo.port === this.#serverPort ? 's2c' : 'c2s';
    if (dir === 'c2s') this.#client = { address: rinfo.address, port: rinfo.port };
    const app = data.length > 0 && data[0] === APPLICATION_DATA;
    const counts = this.#counts[dir];
    const n = app ? ++counts.app : ++counts.other;
    const d: Datagram = { dir, data, n, app, action: 'pass' };
    d.action = this.policy(d);
    this.seen.push(d);
    if (d.action === 'hold' && this.#held[dir] === null) {
      this.#held[dir] = d;
    } else if (d.action !== 'drop') {
      this.#send(d);
      if (d.action === 'dup') this.#send(d);
      this.#release(dir);
    }
    this.emit('datagram', d);
  }

  #release(dir: Direction): void {
    const held = this.#held[dir];
    this.#held[dir] = null;
    if (held) this.#send(held);
  }

  #send(d: Datagram): void {
    this.forwarded.push(d);
    if (d.dir === 'c2s') this.#socket.send(d.data, this.#serverPort, '127.0.0.1');
    else if (this.#client) this.#socket.send(d.data, this.#client.port, this.#client.address);
  }

  /** Sends what is held back, in both directions. */
  flush(): void {
    this.#release('c2s');
    this.#release('s2c');
  }

  /** Sends `data` as if it came from one side (the server sees it from the proxy's address). */
  inject(dir: Direction, data: Buffer): void {
    if (dir === 'c2s') this.#socket.send(data, this.#serverPort, '127.0.0.1');
    else this.#socket.send(data, this.#client!.port, this.#client!.address);
  }

  /** Resolves once `predicate` holds (checked now and after each datagram). */
  waitFor(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (!predicate()) return;
        this.off('datagram', check);
        resolve();
      };
      this.on('datagram', check);
    });
  }

  count(dir: Direction, app: boolean): number {
    return this.#counts[dir][app ? 'app' : 'other'];
  }

  close(): void {
    if (this.#open) this.#socket.close();
    this.#open = false;
  }
}

describe('DTLSSocket and DTLSServer over UDP loopback', () => {
  it('handshakes DTLS 1.2 with a verified, host-checked certificate and exchanges messages both ways', async () => {
    const { server, port } = await startServer();
    const accepted = server.accept();
    const ctx = clientContext();
    expect(ctx.checkHostname).toBe(true);
    const client = await connect(port, { servername: 'localhost' }, ctx);
    const peer = await accepted;

    expect(client.connection.getProtocolVersionName()).toBe('DTLSv1.2');
    expect(peer.connection.getProtocolVersionName()).toBe('DTLSv1.2');
    expect(client.connection.getPeerCertificate()!.getSubject().CN).toBe('localhost');
    expect(peer.connection.getServername()).toBe('localhost');
    expect(client.remoteAddress).toBe('127.0.0.1');
    expect(client.remotePort).toBe(port);
    expect(peer.remoteAddress).toBe('127.0.0.1');
    expect(peer.remotePort).toBeGreaterThan(0);
    expect(peer.remotePort).not.toBe(port);
    expect(server.associations).toBe(1);

    client.send('hello server');
    expect((await peer.recv())!.toString()).toBe('hello server');
    peer.send(Buffer.from('hello client'));
    expect((await client.recv())!.toString()).toBe('hello client');
    // A Uint8Array view with an offset: only its own bytes travel.
    const backing = Buffer.from('xxxsliced-bytesyyy');
    client.send(new Uint8Array(backing.buffer, backing.byteOffset + 3, 12));
    expect((await peer.recv())!.toString()).toBe('sliced-bytes');

    // A message of exactly the cleartext MTU arrives intact, each way.
    const mtu = client.getCleartextMtu();
    expect(mtu).toBeGreaterThan(1100);
    expect(mtu).toBeLessThan(1200);
    expect(peer.getCleartextMtu()).toBe(mtu);
    const full = randomBytes(mtu);
    client.send(full);
    expect((await peer.recv())!.equals(full)).toBe(true);
    const back = randomBytes(mtu);
    peer.send(back);
    expect((await client.recv())!.equals(back)).toBe(true);
  });

  it('rejects with CertificateVerifyError for a servername the certificate does not match, or an untrusted CA', async () => {
    const { server, port } = await startServer();
    const failures: Array<{ err: Error; address: string }> = [];
    server.on('handshakeError', (err: Error, peer: { address: string; port: number }) => failures.push({ err, address: peer.address }));

    const serverSaw = once(server, 'handshakeError');
    const wrong = (await DTLSSocket.connect(clientContext(), { port, host: '127.0.0.1', servername: 'wrong.example' }).catch((e: unknown) => e)) as CertificateVerifyError;
    expect(wrong).toBeInstanceOf(CertificateVerifyError);
    expect(wrong.verifyCode).toBe(62); // X509_V_ERR_HOSTNAME_MISMATCH
    expect(wrong.code).toBe('HOSTNAME_MISMATCH');
    // The client's alert ends the server's half of the handshake too, and no state is left.
    await serverSaw;
    expect(nth(failures).address).toBe('127.0.0.1');
    expect(nth(failures).err).toBeInstanceOf(SSLError);
    expect(server.associations).toBe(0);

    const untrusted = (await DTLSSocket.connect(clientContext(DTLS_METHOD, makePki()), { port, host: '127.0.0.1', servername: 'localhost' }).catch((e: unknown) => e)) as CertificateVerifyError;
    expect(untrusted).toBeInstanceOf(CertificateVerifyError);
    expect(untrusted.verifyCode).toBe(20); // X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY

    // The server still serves a good client afterwards.
    const ok = await connect(port);
    expect(ok.connection.getProtocolVersionName()).toBe('DTLSv1.2');
  });

  it('delivers 200 messages sent in a row, in order, and echoes them through the message event', async () => {
    const { server, port } = await startServer();
    server.on('connection', (peer: DTLSSocket) => peer.on('message', (m: Buffer) => peer.send(m)));
    const client = await connect(port);
    const count = 200;
    for (let i = 0; i < count; i++) client.send(payload('row', i));
    const echoes = await recvN(client, count);
    expect(echoes.map((m) => indexOf('row', m))).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it("emits 'message' on the client for each record, and recv() takes what no listener took", async () => {
    const { server, port } = await startServer();
    const accepted = server.accept();
    const client = await connect(port);
    const peer = await accepted;
    const events: string[] = [];
    const three = new Promise<void>((resolve) => {
      const onMessage = (m: Buffer): void => {
        events.push(m.toString());
        if (events.length === 3) {
          client.off('message', onMessage);
          resolve();
        }
      };
      client.on('message', onMessage);
    });
    for (const m of ['one', 'two', 'three']) peer.send(m);
    await three;
    expect(events).toEqual(['one', 'two', 'three']);
    // Without a listener, messages queue for recv().
    peer.send('queued-1');
    peer.send('queued-2');
    expect((await client.recv())!.toString()).toBe('queued-1');
    expect((await client.recv())!.toString()).toBe('queued-2');
  });

  it("close() sends close_notify: the other side's recv() resolves null and it emits 'close'", async () => {
    const { server, port } = await startServer();

    // The client closes.
    let accepted = server.accept();
    const client = await connect(port);
    let peer = await accepted;
    const peerClosed = once(peer, 'close');
    const pendingOwn = client.recv();
    await client.close();
    expect(await pendingOwn).toBeNull(); // a recv() pending on the closing side ends too
    expect(await peer.recv()).toBeNull();
    await peerClosed;
    expect(await peer.recv()).toBeNull();
    expect(server.associations).toBe(0);
    expect(() => client.send('late')).toThrow(SSLError);
    await client.close(); // a second close does nothing

    // The server's side closes.
    accepted = server.accept();
    const client2 = await connect(port);
    peer = await accepted;
    const clientClosed = once(client2, 'close');
    await peer.close();
    expect(await client2.recv()).toBeNull();
    await clientClosed;
    const e = (() => {
      try {
        client2.send('after close');
      } catch (err) {
        return err as SSLError;
      }
      throw new Error('send after close did not throw');
    })();
    expect(e).toBeInstanceOf(SSLError);
    expect(e.code).toBe('ERR_DTLS_NOT_OPEN');

    // server.close() ends every association on its side.
    accepted = server.accept();
    await connect(port);
    const peer3 = await accepted;
    const peer3Closed = once(peer3, 'close');
    expect(server.associations).toBe(1);
    await server.close();
    await peer3Closed;
    expect(server.associations).toBe(0);
    expect(await peer3.recv()).toBeNull();
  });

  // The server socket is not connected, so node:dgram's send(data, port, address) resolves the
  // address first (a tick later, even for an IP literal): DTLSServer.close() waits for the
  // close_notify alerts to be handed over before it closes the socket. Seen through a proxy: after
  // server.close(), a marker datagram sent from the server's old port arrives after the alert.
  it('sends each peer a close_notify from server.close()', async () => {
    const { server, port } = await startServer();
    const proxy = await UdpProxy.start(port);
    const accepted = server.accept();
    await connect(proxy.port);
    await accepted;
    await server.close();
    const marker = dgram.createSocket('udp4');
    cleanups.push(() => marker.close());
    marker.bind(port, '127.0.0.1');
    await once(marker, 'listening');
    marker.send(Buffer.from('marker'), proxy.port, '127.0.0.1');
    await proxy.waitFor(() => proxy.seen.some((d) => d.data.toString() === 'marker'));
    const afterHandshake = proxy.seen.filter((d) => d.dir === 's2c' && d.data.toString() !== 'marker' && recordsOf(d.data).every((r) => r.type === ALERT));
    expect(afterHandshake).toHaveLength(1);
  });

  it('serves 10 clients at once, each getting its own data back, and counts their associations', async () => {
    const { server, port } = await startServer();
    const peerClosed: Array<Promise<unknown>> = [];
    server.on('connection', (peer: DTLSSocket) => {
      peerClosed.push(once(peer, 'close'));
      peer.on('message', (m: Buffer) => peer.send(Buffer.concat([Buffer.from(`${peer.remotePort}>`), m])));
    });
    const clients = await Promise.all(Array.from({ length: 10 }, () => connect(port)));
    expect(server.associations).toBe(10);
    expect(peerClosed).toHaveLength(10);
    expect(new Set(clients.map((c) => c.connection.getProtocolVersionName()))).toEqual(new Set(['DTLSv1.2']));

    for (const [i, c] of clients.entries()) for (let j = 0; j < 5; j++) c.send(payload(`client${i}`, j));
    const replies = await Promise.all(clients.map((c) => recvN(c, 5)));
    const serverSidePorts = new Set<string>();
    for (const [i, got] of replies.entries()) {
      const indices = got.map((m) => {
        const gt = m.indexOf('>');
        serverSidePorts.add(m.subarray(0, gt).toString());
        return indexOf(`client${i}`, m.subarray(gt + 1));
      });
      expect(indices).toEqual([0, 1, 2, 3, 4]);
    }
    expect(serverSidePorts.size).toBe(10); // ten distinct server-side associations

    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(peerClosed);
    expect(server.associations).toBe(0);
  });

  it('negotiates DTLS 1.0 when both sides allow it, and fails cleanly when the versions do not meet', async () => {
    const sctx = serverContext();
    sctx.setCipherList('DEFAULT:@SECLEVEL=0'); // DTLS 1.0 signs with MD5+SHA1, refused above level 0
    const { port } = await startServer({}, sctx);
    const cctx = clientContext();
    cctx.setCipherList('DEFAULT:@SECLEVEL=0');
    cctx.setMaxProtoVersion(DTLS1_VERSION);
    const old = await connect(port, {}, cctx);
    expect(old.connection.getProtocolVersionName()).toBe('DTLSv1');

    const strict = serverContext();
    strict.setMinProtoVersion(DTLS1_2_VERSION);
    const { server, port: strictPort } = await startServer({}, strict);
    const serverSaw = once(server, 'handshakeError');
    const legacy = clientContext();
    legacy.setCipherList('DEFAULT:@SECLEVEL=0');
    legacy.setMaxProtoVersion(DTLS1_VERSION);
    const e = (await DTLSSocket.connect(legacy, { port: strictPort, host: '127.0.0.1', servername: 'localhost' }).catch((err: unknown) => err)) as SSLError;
    expect(e).toBeInstanceOf(SSLError);
    expect(e.errors.map((x) => x.reason).join()).toMatch(/protocol version/);
    const [serverErr] = (await serverSaw) as [SSLError];
    expect(serverErr.errors.map((x) => x.reason).join()).toMatch(/unsupported protocol|protocol version/);
    expect(server.associations).toBe(0);
  });

  it('keeps datagrams within the MTU: handshake messages are fragmented, and a record larger than the MTU travels alone', async () => {
    const { server, port } = await startServer({ mtu: 300 });
    const proxy = await UdpProxy.start(port);
    const accepted = server.accept();
    const client = await connect(proxy.port, { mtu: 300 });
    const peer = await accepted;
    // The server's certificate flight does not fit 300 bytes: OpenSSL fragments it.
    expect(proxy.seen.filter((d) => d.dir === 's2c').length).toBeGreaterThan(3);
    for (const d of proxy.seen) expect(d.data.length).toBeLessThanOrEqual(300);

    const mtu = client.getCleartextMtu();
    expect(mtu).toBeLessThan(300);
    const fits = randomBytes(mtu);
    client.send(fits);
    expect((await peer.recv())!.equals(fits)).toBe(true);
    const tooBig = randomBytes(mtu + 1);
    client.send(tooBig);
    expect((await peer.recv())!.equals(tooBig)).toBe(true);
    const app = proxy.seen.filter((d) => d.app && d.dir === 'c2s');
    expect(app.map((d) => d.data.length)).toEqual([300, 301]);
  });
});

describe('the stateless cookie exchange', () => {
  it('answers a hand-made ClientHello with a HelloVerifyRequest and keeps no state until the cookie comes back', async () => {
    const { server, port } = await startServer({ handshakeTimeout: 1000 });
    const errors: Error[] = [];
    server.on('handshakeError', (e: Error) => errors.push(e));
    const conn = sansIoClient();
    const flight = clientHelloFlight(conn);
    expect(flight).toHaveLength(1);
    const hello = nth(flight);
    expect(recordsOf(hello)).toEqual([{ type: HANDSHAKE, first: CLIENT_HELLO }]);

    const a = await udpSocket();
    a.socket.send(hello, port, '127.0.0.1');
    const hvr = await a.next();
    expect(recordsOf(hvr)).toEqual([{ type: HANDSHAKE, first: HELLO_VERIFY_REQUEST }]);
    const cookie = cookieOf(hvr);
    expect(cookie).toHaveLength(32); // the built-in cookie: HMAC-SHA256 of the peer's address
    expect(server.associations).toBe(0);

    // The same ClientHello again: the same cookie (it depends on the address only), still no state.
    a.socket.send(hello, port, '127.0.0.1');
    const hvr2 = await a.next();
    expect(cookieOf(hvr2).equals(cookie)).toBe(true);
    expect(server.associations).toBe(0);

    // The client answers the HelloVerifyRequest with a ClientHello that carries the cookie.
    conn.bioWrite(hvr);
    expect(conn.tryHandshake()).toBe(false);
    const withCookie = splitRecords(conn.bioRead(conn.bioPending()), 1200);
    expect(withCookie).toHaveLength(1);
    expect(nth(withCookie).includes(cookie)).toBe(true);

    // From another address the cookie is not good: another HelloVerifyRequest, with another cookie.
    const b = await udpSocket();
    b.socket.send(nth(withCookie), port, '127.0.0.1');
    const hvrB = await b.next();
    expect(recordsOf(hvrB)[0]).toEqual({ type: HANDSHAKE, first: HELLO_VERIFY_REQUEST });
    expect(cookieOf(hvrB).equals(cookie)).toBe(false);
    expect(server.associations).toBe(0);

    // From the address it was made for, the server keeps state and answers with its ServerHello.
    a.socket.send(nth(withCookie), port, '127.0.0.1');
    const serverFlight = await a.next();
    expect(recordsOf(serverFlight)[0]).toEqual({ type: HANDSHAKE, first: SERVER_HELLO });
    expect(server.associations).toBe(1);
    expect(errors).toEqual([]);

    // A client that goes silent after the cookie exchange costs state only until handshakeTimeout.
    const [timedOut, peer] = (await once(server, 'handshakeError')) as [SysCallError, { address: string; port: number }];
    expect(timedOut).toBeInstanceOf(SysCallError);
    expect(timedOut.code).toBe('ETIMEDOUT');
    expect(peer).toEqual({ address: '127.0.0.1', port: a.port });
    expect(server.associations).toBe(0);
  });

  it('ignores garbage datagrams, before and after a handshake, without state and without a crash', async () => {
    const { server, port } = await startServer();
    server.on('connection', (peer: DTLSSocket) => peer.on('message', (m: Buffer) => peer.send(m)));
    const errors: Error[] = [];
    server.on('handshakeError', (e: Error) => errors.push(e));
    const header = (type: number, length: number, version = 0xfefd): Buffer => {
      const h = Buffer.alloc(RECORD_HEADER);
      h[0] = type;
      h.writeUInt16BE(version, 1);
      h.writeUInt16BE(length, 11);
      return h;
    };
    const garbage = [
      Buffer.alloc(0),
      Buffer.from([HANDSHAKE]),
      Buffer.alloc(100, 0xab),
      Buffer.concat([header(HANDSHAKE, 50), Buffer.alloc(50, 1)]), // a handshake record of nonsense
      Buffer.concat([header(HANDSHAKE, 40), Buffer.from([CLIENT_HELLO]), Buffer.alloc(39, 0xff)]), // a broken ClientHello
      header(HANDSHAKE, 65535), // a header promising more than the datagram holds
      Buffer.concat([header(APPLICATION_DATA, 20), Buffer.alloc(20)]),
      Buffer.concat([header(ALERT, 2), Buffer.from([2, 40])]),
      Buffer.concat([header(HANDSHAKE, 10, 0x0303), Buffer.alloc(10)]), // a TLS version number
      Buffer.alloc(20000, HANDSHAKE),
      randomBytes(1200),
    ];
    const raw = await udpSocket();
    for (const g of garbage) raw.socket.send(g, port, '127.0.0.1');
    // A ClientHello after the garbage, from the same socket: its answer comes after all of it was read.
    raw.socket.send(nth(clientHelloFlight(sansIoClient())), port, '127.0.0.1');
    const answer = await raw.next();
    expect(recordsOf(answer)[0]).toEqual({ type: HANDSHAKE, first: HELLO_VERIFY_REQUEST });
    expect(raw.received).toEqual([]); // nothing answered the garbage
    expect(server.associations).toBe(0);
    expect(errors).toEqual([]);

    // Garbage into an open association, each way (through a proxy, so it comes from the peer's address).
    const proxy = await UdpProxy.start(port);
    const client = await connect(proxy.port);
    expect(server.associations).toBe(1);
    for (const g of garbage) {
      proxy.inject('c2s', g);
      proxy.inject('s2c', g);
    }
    for (let i = 0; i < 5; i++) client.send(payload('after-garbage', i));
    expect((await recvN(client, 5)).map((m) => indexOf('after-garbage', m))).toEqual([0, 1, 2, 3, 4]);
    expect(server.associations).toBe(1);
    expect(errors).toEqual([]);
  });

  it("uses the Context's own cookie callbacks with cookies: 'context'", async () => {
    const ctx = serverContext();
    const generated: Buffer[] = [];
    const verified: Buffer[] = [];
    let counter = 0;
    ctx.setCookieGenerateCallback(() => {
      const cookie = Buffer.from(`cookie-${++counter}`);
      generated.push(cookie);
      return cookie;
    });
    ctx.setCookieVerifyCallback((_conn: Connection, cookie: Buffer) => {
      verified.push(Buffer.from(cookie));
      return generated.some((g) => g.equals(cookie));
    });
    const { server, port } = await startServer({ cookies: 'context' }, ctx);
    const client = await connect(port);
    expect(client.connection.getProtocolVersionName()).toBe('DTLSv1.2');
    expect(generated.length).toBeGreaterThanOrEqual(1);
    expect(verified.length).toBeGreaterThanOrEqual(1);
    expect(verified.some((v) => v.toString() === 'cookie-1')).toBe(true);
    expect(server.associations).toBe(1);

    // The HelloVerifyRequest carries the callback's cookie.
    const raw = await udpSocket();
    raw.socket.send(nth(clientHelloFlight(sansIoClient())), port, '127.0.0.1');
    expect(cookieOf(await raw.next()).toString()).toBe(`cookie-${counter}`);
  });

  it('never lets a client in whose cookie the verify callback refuses', async () => {
    const ctx = serverContext();
    let generatedCount = 0;
    let verifiedCount = 0;
    ctx.setCookieGenerateCallback(() => {
      generatedCount++;
      return Buffer.from('a-cookie');
    });
    ctx.setCookieVerifyCallback(() => {
      verifiedCount++;
      return false;
    });
    const { server, port } = await startServer({ cookies: 'context' }, ctx);
    const proxy = await UdpProxy.start(port);
    const e = (await DTLSSocket.connect(clientContext(), { port: proxy.port, host: '127.0.0.1', servername: 'localhost', handshakeTimeout: 1500 }).catch((err: unknown) => err)) as SysCallError;
    expect(e).toBeInstanceOf(SysCallError);
    expect(e.code).toBe('ETIMEDOUT');
    expect(generatedCount).toBeGreaterThanOrEqual(2); // the first ClientHello, and the one with the cookie
    expect(verifiedCount).toBeGreaterThanOrEqual(1);
    // Everything the server sent was a HelloVerifyRequest.
    const fromServer = proxy.seen.filter((d) => d.dir === 's2c');
    expect(fromServer.length).toBeGreaterThanOrEqual(2);
    for (const d of fromServer) expect(recordsOf(d.data)).toEqual([{ type: HANDSHAKE, first: HELLO_VERIFY_REQUEST }]);
    expect(server.associations).toBe(0);
  });

  it("replaces the Context's cookie callbacks with its own by default (cookies: 'builtin')", async () => {
    const ctx = serverContext();
    let called = 0;
    ctx.setCookieGenerateCallback(() => {
      called++;
      return Buffer.from('mine');
    });
    ctx.setCookieVerifyCallback(() => {
      called++;
      return true;
    });
    const { port } = await startServer({}, ctx);
    const raw = await udpSocket();
    raw.socket.send(nth(clientHelloFlight(sansIoClient())), port, '127.0.0.1');
    const cookie = cookieOf(await raw.next());
    expect(cookie).toHaveLength(32);
    expect(cookie.toString()).not.toBe('mine');
    await connect(port);
    expect(called).toBe(0);
  });

  // With cookies: 'builtin', the callbacks on a Context find each Connection's peer address whichever
  // DTLSServer made it: two servers sharing a Context both bind their cookies to the address.
  it('binds built-in cookies to the peer address even when two servers share a Context', async () => {
    const shared = serverContext();
    const { port: firstPort } = await startServer({}, shared);
    await startServer({}, shared);
    const cookies: Buffer[] = [];
    for (let i = 0; i < 2; i++) {
      const raw = await udpSocket();
      raw.socket.send(nth(clientHelloFlight(sansIoClient())), firstPort, '127.0.0.1');
      cookies.push(cookieOf(await raw.next()));
    }
    expect(nth(cookies, 0).equals(nth(cookies, 1))).toBe(false);
  });
});

describe('a lossy path', () => {
  /**
   * Handshake datagrams (not application data), counted per direction: of the first 12, every 3rd
   * is dropped, every 4th sent twice, the 5th held back and sent after the next. After those, all pass.
   */
  const lossyHandshake: Policy = (d) => {
    if (d.app || d.n > 12) return 'pass';
    if (d.n % 3 === 0) return 'drop';
    if (d.n % 4 === 0) return 'dup';
    if (d.n === 5) return 'hold';
    return 'pass';
  };
  /** Application data, counted per direction: every 3rd dropped, every 4th doubled, every 5th held back. */
  const lossyData: Policy = (d) => {
    if (!d.app) return 'pass';
    if (d.n % 3 === 0) return 'drop';
    if (d.n % 4 === 0) return 'dup';
    if (d.n % 5 === 0) return 'hold';
    return 'pass';
  };

  /** Sends `count` messages one way through the lossy proxy, then 'END' on a clean path; checks what arrived. */
  async function lossyRun(proxy: UdpProxy, from: DTLSSocket, to: DTLSSocket, dir: Direction, tag: string, count: number): Promise<number[]> {
    const before = proxy.count(dir, true);
    proxy.policy = (d) => (d.dir === dir ? lossyData({ ...d, n: d.n - before }) : 'pass');
    for (let i = 0; i < count; i++) from.send(payload(tag, i, 300));
    await proxy.waitFor(() => proxy.count(dir, true) >= before + count);
    proxy.policy = passAll;
    proxy.flush();
    from.send('END');
    const got: number[] = [];
    for (let k = 0; k <= count; k++) {
      const m = await to.recv();
      expect(m).not.toBeNull();
      if (m!.toString() === 'END') break;
      got.push(indexOf(tag, m!, 300)); // every byte as sent: nothing arrives corrupted
    }
    // Exactly the datagrams the proxy let through arrive, once each (DTLS drops the replayed
    // duplicates), in the order the proxy sent them.
    const forwarded = proxy.forwarded.filter((d) => d.dir === dir && d.app && d.n > before && d.n <= before + count).map((d) => d.n - before - 1);
    expect(got).toEqual([...new Set(forwarded)]);
    expect(got).toHaveLength(count - Math.floor(count / 3));
    expect(new Set(got).size).toBe(got.length);
    return got;
  }

  it('completes the handshake through drops, duplicates and reordering, and delivers what is not lost intact', { timeout: 120_000 }, async () => {
    const { server, port } = await startServer({ mtu: 400, handshakeTimeout: null });
    const proxy = await UdpProxy.start(port, lossyHandshake);
    const accepted = server.accept();
    const client = await connect(proxy.port, { mtu: 400, handshakeTimeout: null });
    const peer = await accepted;
    expect(client.connection.getProtocolVersionName()).toBe('DTLSv1.2');
    // The proxy really did drop, duplicate and reorder handshake datagrams both ways.
    for (const dir of ['c2s', 's2c'] as const) {
      const acts = proxy.seen.filter((d) => d.dir === dir && !d.app).map((d) => d.action);
      expect(acts).toContain('drop');
    }
    expect(proxy.seen.some((d) => d.action === 'dup')).toBe(true);
    expect(proxy.seen.some((d) => d.action === 'hold')).toBe(true);
    // Retransmission: more handshake datagrams went each way than a clean handshake needs.
    expect(proxy.count('c2s', false)).toBeGreaterThan(3);
    expect(server.associations).toBe(1);

    const count = 60;
    const up = await lossyRun(proxy, client, peer, 'c2s', 'up', count);
    const down = await lossyRun(proxy, peer, client, 's2c', 'down', count);
    // By the pattern: #3 dropped, #4 doubled (arrives once), #5 held until #7 passed (#6 dropped), ...
    expect(up.slice(0, 9)).toEqual([0, 1, 3, 6, 4, 7, 10, 9, 12]);
    expect(down.slice(0, 9)).toEqual([0, 1, 3, 6, 4, 7, 10, 9, 12]);

    // The association still works on a clean path, and closes cleanly.
    client.send('still here');
    expect((await peer.recv())!.toString()).toBe('still here');
    const peerClosed = once(peer, 'close');
    await client.close();
    expect(await peer.recv()).toBeNull();
    await peerClosed;
  });

  it('rejects connect with SysCallError ETIMEDOUT when nothing comes back from the server', async () => {
    const { server, port } = await startServer();
    const proxy = await UdpProxy.start(port, (d) => (d.dir === 's2c' ? 'drop' : 'pass'));
    const e = (await DTLSSocket.connect(clientContext(), { port: proxy.port, host: '127.0.0.1', servername: 'localhost', handshakeTimeout: 2000 }).catch((err: unknown) => err)) as SysCallError;
    expect(e).toBeInstanceOf(SysCallError);
    expect(e.code).toBe('ETIMEDOUT');
    expect(e.errno).toBe(110);
    await proxy.waitFor(() => proxy.seen.some((d) => d.dir === 's2c'));
    // The server answered (a HelloVerifyRequest the proxy dropped) and kept nothing.
    expect(proxy.seen.filter((d) => d.dir === 's2c').every((d) => d.action === 'drop')).toBe(true);
    expect(server.associations).toBe(0);
  });

  // Records the engine reads while it completes the handshake (application data that overtook the
  // peer's last handshake flight; OpenSSL buffers it) arrive before any caller can have attached a
  // 'message' listener: they wait, and go to the first listener attached. The proxy here holds the
  // server's ChangeCipherSpec/Finished datagram back until the server's first application datagram
  // has passed it.
  it("emits 'message' for data that overtook the server's Finished (queued before any listener could exist)", async () => {
    const { server, port } = await startServer();
    server.on('connection', (peer: DTLSSocket) => {
      peer.send('first');
      peer.on('message', (m: Buffer) => {
        if (m.toString() === 'more') peer.send('second');
      });
    });
    const proxy = await UdpProxy.start(port, (d) => (d.dir === 's2c' && recordsOf(d.data).some((r) => r.type === CHANGE_CIPHER_SPEC) ? 'hold' : 'pass'));
    const client = await connect(proxy.port);
    const events: string[] = [];
    const second = new Promise<void>((resolve) =>
      client.on('message', (m: Buffer) => {
        events.push(m.toString());
        if (m.toString() === 'second') resolve();
      }),
    );
    client.send('more');
    await second;
    expect(events).toEqual(['first', 'second']);
  });
});

describe('bad input and failures', () => {
  it('validates the arguments of DTLSSocket.connect, reading options from own properties only', async () => {
    const ctx = clientContext();
    const fails = (context: unknown, options: unknown) => DTLSSocket.connect(context as Context, options as DTLSConnectOptions);
    await expect(fails('ctx', { port: 4433 })).rejects.toThrow(TypeError);
    await expect(fails('ctx', { port: 4433 })).rejects.toThrow(/"context"/);
    await expect(fails(null, { port: 4433 })).rejects.toThrow(/"context"/);
    await expect(fails(ctx, { port: 0 })).rejects.toThrow(RangeError);
    await expect(fails(ctx, { port: 0 })).rejects.toThrow(/"port"/);
    await expect(fails(ctx, { port: 70000 })).rejects.toThrow(RangeError);
    await expect(fails(ctx, { port: 70000 })).rejects.toThrow(/"port"/);
    await expect(fails(ctx, { port: 1.5 })).rejects.toThrow(RangeError);
    await expect(fails(ctx, { port: '1' })).rejects.toThrow(TypeError);
    await expect(fails(ctx, { port: '1' })).rejects.toThrow(/"port"/);
    await expect(fails(ctx, {})).rejects.toThrow(/"port"/);
    await expect(fails(ctx, undefined)).rejects.toThrow(/"port"/);
    await expect(fails(ctx, 'options')).rejects.toThrow(TypeError);
    await expect(fails(ctx, { port: 4433, host: 5 })).rejects.toThrow(/"host"/);
    await expect(fails(ctx, { port: 4433, host: '127.0.0.1', mtu: 100 })).rejects.toThrow(RangeError);
    await expect(fails(ctx, { port: 4433, host: '127.0.0.1', mtu: 100 })).rejects.toThrow(/"mtu"/);
    await expect(fails(ctx, { port: 4433, host: '127.0.0.1', mtu: 70000 })).rejects.toThrow(/"mtu"/);
    await expect(fails(ctx, { port: 4433, host: '127.0.0.1', mtu: 'x' })).rejects.toThrow(TypeError);
    await expect(fails(ctx, { port: 4433, host: '127.0.0.1', mtu: 'x' })).rejects.toThrow(/"mtu"/);
    await expect(fails(ctx, { port: 4433, host: '127.0.0.1', handshakeTimeout: -1 })).rejects.toThrow(RangeError);
    await expect(fails(ctx, { port: 4433, host: '127.0.0.1', handshakeTimeout: -1 })).rejects.toThrow(/"handshakeTimeout"/);
    await expect(fails(ctx, { port: 4433, host: '127.0.0.1', handshakeTimeout: '5' })).rejects.toThrow(TypeError);
    await expect(fails(ctx, { port: 4433, host: '127.0.0.1', servername: 5 })).rejects.toThrow(TypeError);
    await expect(fails(ctx, { port: 4433, host: '127.0.0.1', servername: 5 })).rejects.toThrow(/"servername"/);
    // Inherited options are not read: no port at all.
    await expect(fails(ctx, Object.create({ port: 4433, host: '127.0.0.1' }))).rejects.toThrow(/"port"/);
  });

  it('validates the arguments of DTLSServer and listen', async () => {
    expect(() => new DTLSServer({} as Context)).toThrow(TypeError);
    expect(() => new DTLSServer({} as Context)).toThrow(/"context"/);
    expect(() => new DTLSServer(serverContext(), { cookies: 'x' as never })).toThrow(TypeError);
    expect(() => new DTLSServer(serverContext(), { cookies: 'x' as never })).toThrow(/"cookies"/);
    expect(() => new DTLSServer(serverContext(), { mtu: 100 })).toThrow(/"mtu"/);
    expect(() => new DTLSServer(serverContext(), { handshakeTimeout: -1 })).toThrow(/"handshakeTimeout"/);
    expect(() => new DTLSServer(serverContext(), 'x' as never)).toThrow(TypeError);
    // Own properties only: an inherited bad value is not read.
    expect(() => new DTLSServer(serverContext(), Object.create({ mtu: 100, cookies: 'x' }))).not.toThrow();

    const server = new DTLSServer(serverContext(), { handshakeTimeout: null });
    cleanups.push(() => server.close());
    expect(() => server.address()).toThrow(SSLError);
    await expect(server.listen('1' as never)).rejects.toThrow(/"port"/);
    await expect(server.listen(0, 5 as never)).rejects.toThrow(/"host"/);
    const addr = await server.listen(0);
    expect(addr.address).toBe('127.0.0.1');
    expect(server.address().port).toBe(addr.port);
    const again = (await server.listen(0).catch((e: unknown) => e)) as SSLError;
    expect(again).toBeInstanceOf(SSLError);
    expect(again.code).toBe('ERR_DTLS_LISTENING');
  });

  it('refuses to send after close() with SSLError, and a send of a non-buffer with TypeError', async () => {
    const { server, port } = await startServer();
    const accepted = server.accept();
    const client = await connect(port);
    const peer = await accepted;
    expect(() => client.send(5 as never)).toThrow(TypeError);
    expect(() => client.send(5 as never)).toThrow(/"data"/);
    expect(() => client.send({ length: 1 } as never)).toThrow(TypeError);
    // The association is still fine after those.
    client.send('fine');
    expect((await peer.recv())!.toString()).toBe('fine');
    await client.close();
    expect(() => client.send('x')).toThrow(SSLError);
    expect(await client.recv()).toBeNull();
  });

  it('sends one record of up to 16384 bytes and refuses a larger one with RangeError before the engine sees it', async () => {
    const { server, port } = await startServer();
    const accepted = server.accept();
    const client = await connect(port);
    const peer = await accepted;
    const max = randomBytes(16384);
    client.send(max);
    expect((await peer.recv())!.equals(max)).toBe(true);
    expect(() => client.send(Buffer.alloc(16385))).toThrow('"data" must be at most 16384 bytes (one DTLS record), got 16385');
    expect(() => client.send(Buffer.alloc(16385))).toThrow(RangeError);
  });

  // An oversized send() is refused before the engine sees it, so the association goes on.
  it('keeps the association usable after an oversized send is refused', async () => {
    const { server, port } = await startServer();
    const accepted = server.accept();
    const client = await connect(port);
    const peer = await accepted;
    expect(() => client.send(Buffer.alloc(20000))).toThrow();
    client.send('small');
    expect((await peer.recv())!.toString()).toBe('small');
  });

  it('fails a connect to a port where nothing listens with SysCallError ECONNREFUSED (the ICMP answer)', async () => {
    const port = await deadPort();
    const e = (await DTLSSocket.connect(clientContext(), { port, host: '127.0.0.1', servername: 'localhost', handshakeTimeout: 30_000 }).catch((err: unknown) => err)) as SysCallError;
    // Linux reports the ICMP port unreachable to the connected UDP socket.
    expect(e).toBeInstanceOf(SysCallError);
    expect(e.code).toBe('ECONNREFUSED');
    expect(e.errno).toBe(111);
  });

  it('fails cleanly with contexts that cannot do a DTLS client or server', async () => {
    const { server, port } = await startServer();
    const serverErrors: Error[] = [];
    server.on('handshakeError', (e: Error) => serverErrors.push(e));

    // A server-only method, or a TLS (stream) Context, as a client: refused before anything is sent.
    await expect(DTLSSocket.connect(new Context(DTLS_SERVER_METHOD), { port, host: '127.0.0.1' })).rejects.toThrow(/"context" must be a DTLS Context \(DTLS_METHOD or DTLS_CLIENT_METHOD\)/);
    await expect(DTLSSocket.connect(new Context(TLS_METHOD), { port, host: '127.0.0.1' })).rejects.toThrow(TypeError);
    expect(server.associations).toBe(0);
    expect(serverErrors).toEqual([]);

    // A DTLS client method still works, for comparison.
    const ok = await connect(port, {}, clientContext(DTLS_CLIENT_METHOD));
    expect(ok.connection.getProtocolVersionName()).toBe('DTLSv1.2');

    // A TLS Context, or a client-only one, for a server: refused when the server is made.
    expect(() => new DTLSServer(serverContext(TLS_METHOD))).toThrow(/"context" must be a DTLS Context \(DTLS_METHOD or DTLS_SERVER_METHOD\)/);
    expect(() => new DTLSServer(new Context(DTLS_CLIENT_METHOD))).toThrow(TypeError);
  });

  it('rejects listen() on a busy port with SysCallError EADDRINUSE, with or without an error listener', async () => {
    const busy = await udpSocket();
    for (const listening of [false, true]) {
      const server = new DTLSServer(serverContext());
      cleanups.push(() => server.close());
      const emitted: Error[] = [];
      if (listening) server.on('error', (e: Error) => emitted.push(e));
      const e = (await server.listen(busy.port).catch((err: unknown) => err)) as SysCallError;
      expect(e).toBeInstanceOf(SysCallError);
      expect(e.code).toBe('EADDRINUSE');
      // The bind failure is the listen() rejection, not an 'error' event as well.
      expect(emitted).toEqual([]);
    }
  });

  // A failed bind leaves the server not listening, and free to listen again.
  it('can listen again after a listen() on a busy port failed', async () => {
    const busy = await udpSocket();
    const server = new DTLSServer(serverContext());
    cleanups.push(() => server.close());
    await expect(server.listen(busy.port)).rejects.toThrow(/EADDRINUSE/);
    const addr = await server.listen(0);
    expect(addr.port).toBeGreaterThan(0);
  });
});

describe('splitRecords', () => {
  function record(type: number, length: number, fill: number): Buffer {
    const r = Buffer.alloc(RECORD_HEADER + length, fill);
    r[0] = type;
    r.writeUInt16BE(0xfefd, 1);
    r.fill(0, 3, 11);
    r.writeUInt16BE(length, 11);
    return r;
  }

  it('packs whole records into datagrams up to the MTU', () => {
    const [a, b, c] = [record(HANDSHAKE, 100, 1), record(HANDSHAKE, 100, 2), record(CHANGE_CIPHER_SPEC, 100, 3)];
    const out = splitRecords(Buffer.concat([a, b, c]), 250);
    expect(out).toHaveLength(2);
    expect(nth(out, 0).equals(Buffer.concat([a, b]))).toBe(true);
    expect(nth(out, 1).equals(c)).toBe(true);
    // Exactly the MTU still fits.
    const exact = splitRecords(Buffer.concat([a, b, c]), 3 * 113);
    expect(exact).toHaveLength(1);
    expect(nth(exact)).toHaveLength(339);
    // One byte less: the third record goes to a second datagram.
    expect(splitRecords(Buffer.concat([a, b, c]), 338).map((d) => d.length)).toEqual([226, 113]);
  });

  it('sends a record larger than the MTU alone', () => {
    const small1 = record(HANDSHAKE, 20, 1);
    const big = record(APPLICATION_DATA, 500, 2);
    const small2 = record(HANDSHAKE, 20, 3);
    const out = splitRecords(Buffer.concat([small1, big, small2]), 200);
    expect(out.map((d) => d.length)).toEqual([33, 513, 33]);
    expect(nth(out, 1).equals(big)).toBe(true);
    expect(splitRecords(big, 200)).toHaveLength(1);
  });

  it('keeps trailing bytes that are not a record with what precedes them', () => {
    const a = record(HANDSHAKE, 30, 1);
    const tail = Buffer.from([1, 2, 3, 4, 5]);
    const out = splitRecords(Buffer.concat([a, tail]), 1200);
    expect(out).toHaveLength(1);
    expect(nth(out).equals(Buffer.concat([a, tail]))).toBe(true);
    // A header promising more bytes than there are: the rest goes as it is.
    const truncated = record(HANDSHAKE, 50, 7).subarray(0, 30);
    const out2 = splitRecords(Buffer.concat([a, truncated]), 1200);
    expect(Buffer.concat(out2).equals(Buffer.concat([a, truncated]))).toBe(true);
    // Fewer bytes than a header: one datagram of them.
    expect(splitRecords(tail, 1200).map((d) => [...d])).toEqual([[1, 2, 3, 4, 5]]);
  });

  it('returns [] for empty input, and its datagrams always add up to the input', () => {
    expect(splitRecords(Buffer.alloc(0), 1200)).toEqual([]);
    const records = Array.from({ length: 20 }, (_, i) => record(i % 2 ? HANDSHAKE : APPLICATION_DATA, (i * 37) % 300, i));
    const all = Buffer.concat(records);
    for (const mtu of [256, 400, 1200]) {
      const out = splitRecords(all, mtu);
      expect(Buffer.concat(out).equals(all)).toBe(true);
      for (const d of out) {
        // Each datagram is whole records, and over the MTU only when it is one record.
        const recs = recordsOf(d);
        const total = recs.length;
        if (d.length > mtu) expect(total).toBe(1);
      }
    }
  });
});
