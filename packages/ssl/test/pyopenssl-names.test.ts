// pyOpenSSL's names in @ossl/ssl: the option and version constants (pyOpenSSL 23 under /usr/bin/python3
// as the oracle for their numbers), OpenSSL_version / SSLeay_version, NO_OVERLAPPING_PROTOCOLS,
// Context.setTmpEcdh, SocketConnection.connectEx and SocketConnection.sockShutdown.
import { spawnSync } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';

import { getEllipticCurve } from '@ossl/crypto';
import * as SSL from '../src/index.js';
import {
  Connection,
  Context,
  NO_OVERLAP,
  NO_OVERLAPPING_PROTOCOLS,
  OpenSSL_version,
  OPENSSL_BUILT_ON,
  OPENSSL_CFLAGS,
  OPENSSL_DIR,
  OPENSSL_PLATFORM,
  OPENSSL_VERSION,
  opensslVersion,
  SHUT_RD,
  SHUT_RDWR,
  SHUT_WR,
  SocketConnection,
  SSLError,
  SSLEAY_DIR,
  SSLEAY_VERSION,
  SSLeay_version,
  SysCallError,
  TLS1_2_VERSION,
  TLS_METHOD,
  WantReadError,
  ZeroReturnError,
} from '../src/index.js';
import { handshake, makePki, pair, serverContext } from './support/memory.js';

const PYTHON = '/usr/bin/python3';

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

/** A loopback port nobody listens on: one a server had, after that server closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** What a promise rejected with (the test fails when it resolved). */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (v) => {
      throw new Error(`expected a rejection, got ${String(v)}`);
    },
    (e: unknown) => e,
  );
}

// ---- 1. Constants against pyOpenSSL 23 ---------------------------------------------------------

describe('constants with pyOpenSSL 23 names and numbers', () => {
  function pyOpenSSLConstants(): Record<string, number> {
    const script = [
      'import json, OpenSSL.SSL as S',
      "names = [n for n in dir(S) if n.startswith(('OP_', 'OPENSSL_', 'SSLEAY_')) or n == 'FILETYPE_PEM']",
      'print(json.dumps({n: getattr(S, n) for n in names}))',
    ].join('\n');
    const r = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pyOpenSSL (python3-openssl) is needed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, number>;
  }

  it('has every OP_*, FILETYPE_PEM, OPENSSL_* and SSLEAY_* name of pyOpenSSL, with the same number', () => {
    const theirs = pyOpenSSLConstants();
    // OPENSSL_VERSION_NUMBER is the build's version (Node's OpenSSL here, the system's in pyOpenSSL).
    delete theirs.OPENSSL_VERSION_NUMBER;
    const opNames = Object.keys(theirs).filter((n) => n.startsWith('OP_'));
    // pyOpenSSL 23 has these; the oracle must really have given us the list (none is skipped: every
    // OP_ name of pyOpenSSL's SSL module is an option constant).
    for (const n of ['OP_ALL', 'OP_NO_TICKET', 'OP_MICROSOFT_SESS_ID_BUG', 'OP_TLS_D5_BUG', 'OP_NO_SSLv2', 'OP_EPHEMERAL_RSA']) {
      expect(opNames).toContain(n);
    }
    for (const n of ['FILETYPE_PEM', 'OPENSSL_VERSION', 'OPENSSL_CFLAGS', 'OPENSSL_BUILT_ON', 'OPENSSL_PLATFORM', 'OPENSSL_DIR']) {
      expect(Object.keys(theirs)).toContain(n);
    }
    for (const n of ['SSLEAY_VERSION', 'SSLEAY_CFLAGS', 'SSLEAY_BUILT_ON', 'SSLEAY_PLATFORM', 'SSLEAY_DIR']) {
      expect(Object.keys(theirs)).toContain(n);
    }
    const ours: Record<string, unknown> = {};
    for (const n of Object.keys(theirs)) ours[n] = (SSL as Record<string, unknown>)[n];
    expect(ours).toEqual(theirs);
  });

  it('keeps OP_ALL as OpenSSL 3 defines it, and the retired options at 0', () => {
    expect(SSL.OP_ALL).toBe(0x80000850);
    expect(SSL.OP_ALL).toBeGreaterThan(0); // bit 31 as a positive number, as Python has it
    for (const n of ['OP_MICROSOFT_SESS_ID_BUG', 'OP_TLS_D5_BUG', 'OP_NETSCAPE_CHALLENGE_BUG', 'OP_PKCS1_CHECK_1', 'OP_SINGLE_DH_USE'] as const) {
      expect(SSL[n]).toBe(0);
    }
    expect(SSL.FILETYPE_PEM).toBe(1);
  });
});

// ---- 2. OpenSSL_version / SSLeay_version -------------------------------------------------------

describe('OpenSSL_version and SSLeay_version', () => {
  it('gives the version text as a Buffer, with the OpenSSL Node.js runs on', () => {
    const v = OpenSSL_version(OPENSSL_VERSION);
    expect(Buffer.isBuffer(v)).toBe(true);
    expect(v.equals(Buffer.from(opensslVersion()))).toBe(true);
    const [major, minor] = process.versions.openssl.split('.');
    expect(v.toString()).toContain(`${major}.${minor}`);
    expect(v.toString()).toMatch(/^OpenSSL /);
    expect(SSLeay_version(SSLEAY_VERSION).equals(v)).toBe(true);
  });

  it('gives the build information for each type, SSLEAY_DIR as OPENSSLDIR', () => {
    expect(SSLeay_version(SSLEAY_DIR).toString()).toMatch(/^OPENSSLDIR:/);
    expect(OpenSSL_version(OPENSSL_DIR).equals(SSLeay_version(SSLEAY_DIR))).toBe(true);
    expect(OpenSSL_version(OPENSSL_BUILT_ON).toString()).toMatch(/^built on:/);
    expect(OpenSSL_version(OPENSSL_PLATFORM).toString()).toMatch(/^platform:/);
    expect(OpenSSL_version(OPENSSL_CFLAGS).toString()).toMatch(/^compiler:/);
    for (const type of [OPENSSL_DIR, OPENSSL_BUILT_ON, OPENSSL_PLATFORM, OPENSSL_CFLAGS]) {
      expect(OpenSSL_version(type).equals(Buffer.from(opensslVersion(type)))).toBe(true);
    }
  });

  it('refuses a type that is not an integer', () => {
    expect(() => OpenSSL_version('x' as never)).toThrow(TypeError);
    expect(() => OpenSSL_version(undefined as never)).toThrow(TypeError);
    expect(() => OpenSSL_version(1.5)).toThrow(RangeError);
    expect(() => SSLeay_version('x' as never)).toThrow(TypeError);
    expect(() => SSLeay_version(Number.NaN)).toThrow(RangeError);
  });
});

// ---- 3. NO_OVERLAPPING_PROTOCOLS ---------------------------------------------------------------

describe('NO_OVERLAPPING_PROTOCOLS', () => {
  it('is NO_OVERLAP', () => {
    expect(NO_OVERLAPPING_PROTOCOLS).toBe(NO_OVERLAP);
  });

  it('returned by the ALPN select callback, completes the handshake with no protocol on either side', () => {
    const pki = makePki();
    const sctx = serverContext(pki.server);
    const offers: string[][] = [];
    sctx.setAlpnSelectCallback((_conn, offered) => {
      offers.push(offered.map((b) => b.toString()));
      return NO_OVERLAPPING_PROTOCOLS;
    });
    const cctx = new Context(TLS_METHOD);
    cctx.setAlpnProtos(['h2', 'http/1.1']);
    const { client, server } = pair(cctx, sctx);
    handshake(client, server);
    expect(offers).toEqual([['h2', 'http/1.1']]);
    expect(client.isInitFinished()).toBe(true);
    expect(server.isInitFinished()).toBe(true);
    expect(client.getAlpnProtoNegotiated()).toBeNull();
    expect(server.getAlpnProtoNegotiated()).toBeNull();
    // The connection works.
    client.send('hello');
    server.bioWrite(client.bioRead(65536));
    expect(server.recv(100).toString()).toBe('hello');
  });
});

// ---- 4. Context.setTmpEcdh ---------------------------------------------------------------------

describe('Context.setTmpEcdh', () => {
  function tls12With(curveName: string | null): { client: Connection; server: Connection } {
    // An RSA certificate, so the ECDHE group is the only curve in play.
    const sctx = serverContext(makePki('rsa').server);
    sctx.setMaxProtoVersion(TLS1_2_VERSION);
    if (curveName !== null) sctx.setTmpEcdh(getEllipticCurve(curveName));
    const { client, server } = pair(new Context(TLS_METHOD), sctx);
    handshake(client, server);
    expect(client.getProtocolVersionName()).toBe('TLSv1.2');
    return { client, server };
  }

  it('without it, a TLS 1.2 server picks X25519 (so the next test shows the curve choice)', () => {
    const { client } = tls12With(null);
    expect(client.getPeerTmpKey()).toEqual({ type: 'ECDH', name: 'X25519', size: 253 });
  });

  it('makes the TLS 1.2 ECDHE key exchange use P-384 with secp384r1', () => {
    const { client } = tls12With('secp384r1');
    expect(client.getCipherName()).toMatch(/^ECDHE-RSA-/);
    expect(client.getPeerTmpKey()).toEqual({ type: 'ECDH', name: 'secp384r1', size: 384 });
  });

  it('makes the TLS 1.2 ECDHE key exchange use P-256 with prime256v1', () => {
    const { client } = tls12With('prime256v1');
    expect(client.getPeerTmpKey()).toEqual({ type: 'ECDH', name: 'prime256v1', size: 256 });
  });

  it('refuses an argument that is not a curve', () => {
    const ctx = new Context(TLS_METHOD);
    expect(() => ctx.setTmpEcdh(42 as never)).toThrow(TypeError);
    expect(() => ctx.setTmpEcdh(null as never)).toThrow(TypeError);
    expect(() => ctx.setTmpEcdh({ name: 42 } as never)).toThrow(TypeError);
  });
});

// ---- 5. SocketConnection.connectEx -------------------------------------------------------------

describe('SocketConnection.connectEx', () => {
  it('answers ECONNREFUSED for a loopback port nobody listens on', async () => {
    const port = await closedPort();
    const sock = new net.Socket();
    cleanups.push(() => sock.destroy());
    const conn = new SocketConnection(new Context(TLS_METHOD), sock, { timeout: 10_000 });
    const r = await conn.connectEx(['127.0.0.1', port]);
    expect(r).toBe(os.constants.errno.ECONNREFUSED);
    if (process.platform === 'linux') expect(r).toBe(111);
  });

  it('answers ECONNREFUSED for the {host, port} and port-number forms too', async () => {
    const port = await closedPort();
    for (const address of [{ host: '127.0.0.1', port }, port] as const) {
      const sock = new net.Socket();
      cleanups.push(() => sock.destroy());
      const conn = new SocketConnection(new Context(TLS_METHOD), sock, { timeout: 10_000 });
      expect(await conn.connectEx(address)).toBe(os.constants.errno.ECONNREFUSED);
    }
  });

  it('answers 0 for a listening TLS server, after which the handshake and a round trip work', async () => {
    const pki = makePki();
    const server = tls.createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (s) => {
      s.on('data', (d: Buffer) => s.write(Buffer.concat([Buffer.from('echo:'), d])));
      s.on('end', () => s.end());
    });
    const port = await listen(server);
    const sock = new net.Socket();
    cleanups.push(() => sock.destroy());
    const conn = new SocketConnection(new Context(TLS_METHOD), sock, { timeout: 10_000 });
    try {
      expect(await conn.connectEx(['127.0.0.1', port])).toBe(0);
      // connectEx, as connect, puts the connection in client mode.
      await conn.doHandshake();
      expect(conn.getProtocolVersionName()).toBe('TLSv1.3');
      expect(await conn.send('ping')).toBe(4);
      expect((await conn.recv(100)).toString()).toBe('echo:ping');
    } finally {
      await conn.close();
    }
  });

  it('rejects a bad address with TypeError, as connect does', async () => {
    // A bare number is a valid Address (a port on localhost), so the bad addresses are other things.
    for (const bad of ['nowhere', {}, { port: '443' }, null, undefined] as never[]) {
      const connect = await rejection(new SocketConnection(new Context(TLS_METHOD), new net.Socket()).connect(bad));
      const connectEx = await rejection(new SocketConnection(new Context(TLS_METHOD), new net.Socket()).connectEx(bad));
      expect(connect).toBeInstanceOf(TypeError);
      expect(connectEx).toBeInstanceOf(TypeError);
      expect((connectEx as Error).message).toBe((connect as Error).message);
    }
  });

  it('rejects with TypeError on a SocketConnection over a net.Server, as connect does', async () => {
    const listener = net.createServer();
    const conn = new SocketConnection(new Context(TLS_METHOD), listener);
    await expect(conn.connect(['127.0.0.1', 1])).rejects.toBeInstanceOf(TypeError);
    await expect(conn.connectEx(['127.0.0.1', 1])).rejects.toBeInstanceOf(TypeError);
  });
});

// ---- 6. SocketConnection.sockShutdown ----------------------------------------------------------

/**
 * A TLS server made of a sans-IO Connection over a plain TCP socket, so the test sees what reaches the
 * plain socket (its 'end', the FIN) and decides what the server sends. The socket is half-open: it
 * can still send after the client's FIN. `progress` fires after each chunk from the client and at its end.
 */
interface RawPeer {
  client: SocketConnection;
  clientSocket: net.Socket;
  peer: Connection;
  raw: net.Socket;
  /** Application data the peer has decrypted. */
  received: () => string;
  /** Whether the peer's plain socket saw the client's FIN. */
  ended: () => boolean;
  /** What the peer's engine threw (an alert from the client), or null. */
  peerError: () => unknown;
  /** Resolves once `cond()` holds, re-checking on each `progress` (event-driven, no polling). */
  until: (cond: () => boolean) => Promise<void>;
  /** Encrypts `data` on the peer and writes the records to the plain socket; returns their length. */
  peerSend: (data: string) => number;
}

async function rawPeer(): Promise<RawPeer> {
  const pki = makePki();
  const ctx = serverContext(pki.server);
  ctx.setNumTickets(0); // nothing follows the handshake but what the test sends
  const peer = new Connection(ctx);
  peer.setAcceptState();
  const events = new EventEmitter();
  const chunks: Buffer[] = [];
  let ended = false;
  let peerError: unknown = null;
  let raw: net.Socket | null = null;
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    raw = s;
    cleanups.push(() => s.destroy());
    s.on('data', (d: Buffer) => {
      peer.bioWrite(d);
      try {
        if (!peer.isInitFinished()) peer.doHandshake();
        for (;;) chunks.push(peer.recv(65536));
      } catch (e) {
        if (!(e instanceof WantReadError)) peerError ??= e;
      }
      if (peer.bioPending() > 0) s.write(peer.bioRead(1 << 20));
      events.emit('progress');
    });
    s.on('end', () => {
      ended = true;
      events.emit('progress');
    });
    events.emit('progress');
  });
  const port = await listen(server);
  const clientSocket = net.connect(port, '127.0.0.1');
  const client = new SocketConnection(new Context(TLS_METHOD), clientSocket, { timeout: 10_000 });
  cleanups.push(() => client.close());
  const until = async (cond: () => boolean): Promise<void> => {
    // The check and the listener come in one synchronous step, so no event is missed in between.
    while (!cond()) await once(events, 'progress');
  };
  client.setConnectState();
  await client.doHandshake();
  await until(() => peer.isInitFinished());
  const peerSend = (data: string): number => {
    peer.send(data);
    const wire = peer.bioRead(1 << 20);
    raw!.write(wire);
    return wire.length;
  };
  return {
    client,
    clientSocket,
    peer,
    raw: raw!,
    received: () => Buffer.concat(chunks).toString(),
    ended: () => ended,
    peerError: () => peerError,
    until,
    peerSend,
  };
}

/** Asserts that `e` is the engine's end of input without close_notify: SysCallError(-1, 'Unexpected EOF'). */
function expectUnexpectedEof(e: unknown): void {
  expect(e).toBeInstanceOf(SysCallError);
  expect(e).not.toBeInstanceOf(ZeroReturnError);
  expect((e as SysCallError).errno).toBe(-1);
  expect((e as SysCallError).message).toBe('Unexpected EOF');
}

describe('SocketConnection.sockShutdown', () => {
  it('SHUT_WR sends a FIN the peer sees as end, and the connection can still receive', async () => {
    const p = await rawPeer();
    try {
      await p.client.sendall('before');
      await p.until(() => p.received() === 'before');
      expect(p.ended()).toBe(false);
      await p.client.sockShutdown(SHUT_WR);
      await p.until(() => p.ended());
      expect(p.clientSocket.writableEnded).toBe(true);
      // No close_notify went out: the peer got no TLS data after 'before' and its TLS side is open.
      expect(p.received()).toBe('before');
      expect(p.peer.getShutdown()).toBe(0);
      // The reading side still works.
      p.peerSend('after the FIN');
      expect((await p.client.recv(100)).toString()).toBe('after the FIN');
      // Sending on it now is EPIPE, as Python's socket after shutdown(SHUT_WR).
      const e = (await rejection(p.client.send('too late'))) as SysCallError;
      expect(e).toBeInstanceOf(SysCallError);
      expect(e.errno).toBe(32);
      // A second SHUT_WR is harmless.
      await p.client.sockShutdown(SHUT_WR);
      // The peer's close_notify still arrives as a clean close.
      p.peer.shutdown();
      p.raw.write(p.peer.bioRead(1 << 20));
      expect(await rejection(p.client.recv(100))).toBeInstanceOf(ZeroReturnError);
    } finally {
      p.raw.end();
      await p.client.close();
    }
  });

  it('SHUT_RD makes a pending recv settle with SysCallError(-1, "Unexpected EOF")', async () => {
    const p = await rawPeer();
    try {
      let settled = false;
      const pending = p.client.recv(100).finally(() => {
        settled = true;
      });
      const outcome = rejection(pending);
      // Nothing has arrived, so the recv waits (one turn of the event loop lets it get there).
      await new Promise((r) => setImmediate(r));
      expect(settled).toBe(false);
      await p.client.sockShutdown(SHUT_RD);
      expectUnexpectedEof(await outcome);
      // Reading stopped: no FIN went out.
      expect(p.clientSocket.writableEnded).toBe(false);
      // OpenSSL 3 treats an EOF without close_notify as a fatal error: it sends the peer a fatal alert
      // (decode_error) over the still-open sending side, and the connection is dead from then on.
      await p.until(() => p.peerError() !== null);
      expect(p.peerError()).toBeInstanceOf(SSLError);
      expect((p.peerError() as Error).message).toMatch(/alert/);
      expect(p.ended()).toBe(false);
      expect(p.received()).toBe('');
      const again = await rejection(p.client.recv(100));
      expect(again).toBeInstanceOf(SSLError);
      expect(again).not.toBeInstanceOf(ZeroReturnError);
    } finally {
      p.raw.end();
      await p.client.close();
    }
  });

  it('SHUT_RD leaves sending working, and a later recv settles with SysCallError(-1, "Unexpected EOF")', async () => {
    const p = await rawPeer();
    try {
      await p.client.sockShutdown(SHUT_RD);
      // What arrives from now on is read off the socket and discarded: the engine never sees it.
      p.peerSend('late');
      await once(p.clientSocket, 'data');
      expect(p.client.connection.bioInPending()).toBe(0);
      // A second SHUT_RD is harmless.
      await p.client.sockShutdown(SHUT_RD);
      await p.client.sendall('still writing');
      await p.until(() => p.received() === 'still writing');
      expect(p.ended()).toBe(false);
      expectUnexpectedEof(await rejection(p.client.recv(100)));
    } finally {
      p.raw.end();
      await p.client.close();
    }
  });

  it('SHUT_RD first returns data already received, then the end of input', async () => {
    const p = await rawPeer();
    try {
      const wire = p.peerSend('arrived');
      // The Transport's 'data' listener, registered first, feeds each chunk to the engine before ours runs.
      while (p.client.connection.bioInPending() < wire) await once(p.clientSocket, 'data');
      await p.client.sockShutdown(SHUT_RD);
      expect((await p.client.recv(100)).toString()).toBe('arrived');
      expectUnexpectedEof(await rejection(p.client.recv(100)));
    } finally {
      p.raw.end();
      await p.client.close();
    }
  });

  it('SHUT_RDWR does both: the peer sees the FIN, send is EPIPE, recv ends with Unexpected EOF', async () => {
    const p = await rawPeer();
    try {
      await p.client.sockShutdown(SHUT_RDWR);
      await p.until(() => p.ended());
      expect(p.clientSocket.writableEnded).toBe(true);
      const e = (await rejection(p.client.send('x'))) as SysCallError;
      expect(e).toBeInstanceOf(SysCallError);
      expect(e.errno).toBe(32);
      expectUnexpectedEof(await rejection(p.client.recv(100)));
      // Nothing reached the peer: no data, no close_notify, no alert (the sending side was shut).
      expect(p.received()).toBe('');
      expect(p.peerError()).toBeNull();
      expect(p.peer.getShutdown()).toBe(0);
    } finally {
      p.raw.end();
      await p.client.close();
    }
  });

  it('close() after SHUT_RD with unread bytes finishes when the peer closes, not at the timeout', async () => {
    const p = await rawPeer();
    p.peerSend('never read');
    await once(p.clientSocket, 'data');
    await p.client.sockShutdown(SHUT_RD);
    p.peerSend('after');
    const closed = p.client.close();
    // The peer answers our FIN with its own; close() then settles on the socket's 'close'.
    await p.until(() => p.ended());
    p.raw.end();
    await closed;
    expect(p.clientSocket.destroyed).toBe(true);
  });

  it('refuses to shut down a socket that is not connected (ENOTCONN), and never waits', async () => {
    const conn = new SocketConnection(new Context(TLS_METHOD), new net.Socket());
    for (const how of [SHUT_RD, SHUT_WR, SHUT_RDWR]) {
      const e = (await rejection(conn.sockShutdown(how))) as SysCallError;
      expect(e).toBeInstanceOf(SysCallError);
      expect(e.code).toBe('ENOTCONN');
      expect(e.errno).toBe(os.constants.errno.ENOTCONN);
    }
  });

  it('refuses a "how" that is not SHUT_RD, SHUT_WR or SHUT_RDWR', async () => {
    expect([SHUT_RD, SHUT_WR, SHUT_RDWR]).toEqual([0, 1, 2]);
    const sock = new net.Socket();
    try {
      const conn = new SocketConnection(new Context(TLS_METHOD), sock);
      await expect(conn.sockShutdown(3)).rejects.toBeInstanceOf(RangeError);
      await expect(conn.sockShutdown(-1)).rejects.toBeInstanceOf(RangeError);
      await expect(conn.sockShutdown(1.5)).rejects.toBeInstanceOf(RangeError);
      await expect(conn.sockShutdown('x' as never)).rejects.toBeInstanceOf(TypeError);
      await expect(conn.sockShutdown(undefined as never)).rejects.toBeInstanceOf(TypeError);
      // Nothing was shut by the refused calls.
      expect(sock.writableEnded).toBe(false);
    } finally {
      sock.destroy();
    }
  });

  it('rejects with TypeError on a SocketConnection over a net.Server', async () => {
    const listener = net.createServer();
    const port = await listen(listener);
    expect(port).toBeGreaterThan(0);
    const conn = new SocketConnection(new Context(TLS_METHOD), listener);
    for (const how of [SHUT_RD, SHUT_WR, SHUT_RDWR]) {
      await expect(conn.sockShutdown(how)).rejects.toBeInstanceOf(TypeError);
    }
    expect(listener.listening).toBe(true);
  });
});
