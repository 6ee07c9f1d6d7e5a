// The engine's additions for node:tls parity: session ticket keys, DH parameters, the peer's
// ephemeral key, record sizes, shared signature algorithms, IANA cipher names, the certificate and
// client-hello callbacks (with an external session cache), OCSP requests, protocol bounds, the order
// of deferred verification verdicts, the Transport driver and SocketConnection on top of it.
// Each API is tried with good inputs, bad inputs (TypeError naming the parameter, RangeError) and in
// the wrong state, and each behaviour is checked by what the peer observes.
import { createHash } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import net from 'node:net';
import { Duplex, PassThrough, Readable, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';

import {
  Connection,
  Context,
  epipeError,
  isTransportStream,
  OP_NO_TICKET,
  SESS_CACHE_NO_INTERNAL,
  SESS_CACHE_SERVER,
  Session,
  SocketConnection,
  SSLError,
  SysCallError,
  TLS1_2_VERSION,
  TLS1_3_VERSION,
  TLS_METHOD,
  Transport,
  VERIFY_PEER,
  WantReadError,
  WantX509LookupError,
  type TransportEvents,
} from '../src/index.js';
import { caught, handshake, makeIdentity, makePki, pair, serverContext, type Pki } from './support/memory.js';

const pki: Pki = makePki();
let rsa: Pki | null = null;
/** An RSA PKI (DHE-RSA and RSA-PSS need an RSA server key), made once. */
function rsaPki(): Pki {
  rsa ??= makePki('rsa');
  return rsa;
}

// Public DH parameters (Node's test/fixtures/keys/dh{512,1024,2048}.pem), inline
// so that the tests need no file outside the package.
const DH2048 = `-----BEGIN DH PARAMETERS-----
MIIBCAKCAQEA+/OlXG2eqOsd9oA6Rg9KDbU22adIXuuwSaVLiUFNIc4WYnzPuyd0
WcLajZzhXoUpN6GCLqXE+jBphHTh+xx6Y0ztlMldx0mnrLzacd236LCrTX5smojO
CQ3BFmbDn7naG2famOZXF3gLRkcAmUtHrn2hYRbEk+1+GD3yXUm/JgFcnAX2HUQa
b4sDL5NHMJ61+qE65qIIht9jOVovl4b7yOoyDu+JrheV0XBrc8WU03AGKcJnjW6i
YqKXQlpamVvL/QqWfhg3SztBxYADAURePTUmS1H1FTnxSdRoUK9ZwKoTeZFL6krT
3HK76Y0HXhwtjk3aXKTJyEDDLdYaltOCOwIBAg==
-----END DH PARAMETERS-----
`;
const DH512 = `-----BEGIN DH PARAMETERS-----
MEYCQQDItkdipTrinQp7aKt0GtwY7QE6tMKpg+r1zeucMrq9uNp8uLhHkF1OtqnL
StFTzxQIkjN2s8exIvoWZWiy/9DTAgEC
-----END DH PARAMETERS-----
`;
const DH1024 = `-----BEGIN DH PARAMETERS-----
MIGHAoGBAOJ2igPYPdXULPSXaeR40pdGRdQmiWchzxDbzExdaJ4Q/landa7K9jfj
KNV2heMpFoXa6+GkCxXSli+99j0W/ARK1nnZ9YaB42sp3g2oTmMevWyk9hfZTTUC
Pc3AyioJGTQV/5wqYPdSNAu5KdHFZkP26EhbGgnDZ2hg5vFQT6EjAgEC
-----END DH PARAMETERS-----
`;

/** Lets the client read what the server sent after the handshake (the TLS 1.3 tickets ride on it). */
function readTickets(client: Connection, server: Connection): void {
  server.send('x');
  client.bioWrite(server.bioRead(65536));
  expect(client.recv(1).toString()).toBe('x');
}

/** A client Session from a finished handshake with `sctx` (TLS 1.3 tickets read). */
function issueSession(sctx: Context, cctx: Context = new Context(TLS_METHOD)): Session {
  const { client, server } = pair(cctx, sctx);
  handshake(client, server);
  readTickets(client, server);
  return client.getSession()!;
}

/** Offers `session` to a server of `sctx`; returns whether each side says it resumed. */
function offer(session: Session, sctx: Context, cctx: Context = new Context(TLS_METHOD)): { client: boolean; server: boolean } {
  const { client, server } = pair(cctx, sctx);
  client.setSession(session);
  handshake(client, server);
  return { client: client.sessionReused(), server: server.sessionReused() };
}

/** A server Context that negotiates at most `version`. */
function serverAt(version: number, id = pki.server): Context {
  const ctx = serverContext(id);
  ctx.setMaxProtoVersion(version);
  return ctx;
}

/** The TLS records in `wire`: content type and length of each (the whole buffer must be records). */
function records(wire: Buffer): { type: number; length: number }[] {
  const out: { type: number; length: number }[] = [];
  let off = 0;
  while (off + 5 <= wire.length) {
    const length = wire.readUInt16BE(off + 3);
    out.push({ type: wire[off]!, length });
    off += 5 + length;
  }
  expect(off).toBe(wire.length);
  return out;
}

/** Every plaintext chunk `recv` returns (one record each) until the engine needs more bytes. */
function recvChunks(conn: Connection): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < 1000; i++) {
    try {
      chunks.push(conn.recv(65536));
    } catch (e) {
      if (e instanceof WantReadError) return chunks;
      throw e;
    }
  }
  throw new Error('recv did not run dry in 1000 calls');
}

/** What `fn` threw, or 'ALLOWED' when it did not throw. */
function attempt(fn: () => unknown): unknown {
  try {
    fn();
    return 'ALLOWED';
  } catch (e) {
    return e;
  }
}

// ---- 1. session ticket keys ---------------------------------------------------------------------

describe('Context.getTicketKeys / setTicketKeys', () => {
  it('getTicketKeys gives 48 bytes, the same on every call, and different ones per Context', () => {
    const a = new Context(TLS_METHOD);
    const first = a.getTicketKeys();
    expect(Buffer.isBuffer(first)).toBe(true);
    expect(first).toHaveLength(48);
    expect(a.getTicketKeys().equals(first)).toBe(true);
    // A copy: changing what was returned does not change the keys.
    first.fill(0);
    expect(a.getTicketKeys().equals(first)).toBe(false);
    expect(new Context(TLS_METHOD).getTicketKeys().equals(a.getTicketKeys())).toBe(false);
  });

  it('setTicketKeys takes 48 bytes (Buffer or Uint8Array), and getTicketKeys then returns them', () => {
    const ctx = new Context(TLS_METHOD);
    const keys = Buffer.from(Array.from({ length: 48 }, (_, i) => i));
    ctx.setTicketKeys(keys);
    expect(ctx.getTicketKeys().equals(keys)).toBe(true);
    const u8 = new Uint8Array(48).fill(0xa5);
    ctx.setTicketKeys(u8);
    expect(ctx.getTicketKeys().equals(Buffer.from(u8))).toBe(true);
  });

  it('setTicketKeys refuses a wrong length with RangeError and a non-byte value with TypeError naming "keys"', () => {
    const ctx = new Context(TLS_METHOD);
    const before = ctx.getTicketKeys();
    for (const n of [0, 16, 47, 49, 96]) {
      const e = caught(() => ctx.setTicketKeys(Buffer.alloc(n, 1)));
      expect(e, String(n)).toBeInstanceOf(RangeError);
      expect((e as Error).message).toMatch(/"keys".*48/);
    }
    for (const bad of ['k'.repeat(48), 48, null, undefined, {}, Array.from({ length: 48 }, () => 1), new ArrayBuffer(48), new Uint16Array(24)]) {
      const e = caught(() => ctx.setTicketKeys(bad as never));
      expect(e, String(bad)).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/"keys"/);
    }
    // Nothing refused changed the keys.
    expect(ctx.getTicketKeys().equals(before)).toBe(true);
  });

  it('setTicketKeys is refused while a Connection of the Context runs a callback', () => {
    const sctx = serverContext(pki.server);
    const keys = sctx.getTicketKeys();
    const refusals: unknown[] = [];
    sctx.setTlsextServernameCallback((conn) => {
      refusals.push(attempt(() => conn.getContext().setTicketKeys(Buffer.alloc(48, 9))));
    });
    const { client, server } = pair(new Context(TLS_METHOD), sctx);
    client.setTlsextHostName('localhost');
    handshake(client, server);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toHaveProperty('code', 'ERR_SSL_REENTRANT_CALL');
    expect(sctx.getTicketKeys().equals(keys)).toBe(true);
  });

  it.each([
    ['TLS 1.3', TLS1_3_VERSION],
    ['TLS 1.2', TLS1_2_VERSION],
  ])('a %s ticket resumes on another server Context with the same keys, and not on one with other keys', (_name, version) => {
    const keys = Buffer.alloc(48);
    for (let i = 0; i < 48; i++) keys[i] = (i * 7 + 3) & 0xff;
    const issuer = serverAt(version);
    issuer.setTicketKeys(keys);
    const same = serverAt(version);
    same.setTicketKeys(Buffer.from(keys));
    const other = serverAt(version);
    const otherKeys = Buffer.from(keys);
    otherKeys[47] = otherKeys[47]! ^ 1; // same key name, another AES key
    other.setTicketKeys(otherKeys);
    const renamed = serverAt(version);
    const renamedKeys = Buffer.from(keys);
    renamedKeys[0] = renamedKeys[0]! ^ 1; // another key name
    renamed.setTicketKeys(renamedKeys);

    const session = issueSession(issuer);
    expect(session.getProtocolVersion()).toBe(version);
    expect(session.hasTicket()).toBe(true);
    expect(offer(session, same)).toEqual({ client: true, server: true });
    // A server that cannot open the ticket does a full handshake (which still succeeds).
    expect(offer(session, renamed)).toEqual({ client: false, server: false });
    // Same key name, other keys: the ticket's HMAC does not check out, so no resumption either.
    expect(offer(session, other)).toEqual({ client: false, server: false });
    // ...and the issuer still resumes it.
    expect(offer(session, issuer)).toEqual({ client: true, server: true });
  });

  it('the Node cluster pattern: a second server given the first one\'s getTicketKeys() resumes its tickets', () => {
    const first = serverContext(pki.server);
    const keys = first.getTicketKeys();
    const second = serverContext(pki.server);
    second.setTicketKeys(keys);
    const session = issueSession(first);
    expect(offer(session, second)).toEqual({ client: true, server: true });
    // Two servers left with OpenSSL's own random keys do not resume each other's tickets.
    const a = serverContext(pki.server);
    const b = serverContext(pki.server);
    expect(offer(issueSession(a), b)).toEqual({ client: false, server: false });
    expect(offer(issueSession(a), a)).toEqual({ client: true, server: true });
  });

  it('a TLS 1.3 ticket issued before the first getTicketKeys() no longer resumes after it (the keys were replaced)', () => {
    const sctx = serverContext(pki.server);
    const before = issueSession(sctx);
    sctx.getTicketKeys();
    expect(offer(before, sctx)).toEqual({ client: false, server: false });
    expect(offer(issueSession(sctx), sctx)).toEqual({ client: true, server: true });
  });
});

// ---- 2. DH parameters and the peer's ephemeral key ------------------------------------------

describe('Context.useTmpDh / setDhAuto and Connection.getPeerTmpKey', () => {
  const DHE = 'DHE-RSA-AES128-GCM-SHA256';

  function dheContexts(prepare: (sctx: Context) => void): { client: Connection; server: Connection } {
    const sctx = serverAt(TLS1_2_VERSION, rsaPki().server);
    sctx.setCipherList(DHE);
    prepare(sctx);
    const cctx = new Context(TLS_METHOD);
    cctx.setCipherList(DHE);
    return pair(cctx, sctx);
  }

  it('useTmpDh returns the size in bits, from a string, a Buffer or a Uint8Array', () => {
    const ctx = new Context(TLS_METHOD);
    expect(ctx.useTmpDh(DH2048)).toBe(2048);
    expect(ctx.useTmpDh(Buffer.from(DH2048))).toBe(2048);
    expect(ctx.useTmpDh(new Uint8Array(Buffer.from(DH2048)) as unknown as Buffer)).toBe(2048);
    // 1024-bit groups are below OpenSSL 3.5's default security level (Node 24): refused there.
    let bits: number | Error;
    try {
      bits = ctx.useTmpDh(DH1024);
    } catch (e) {
      bits = e as Error;
    }
    if (typeof bits === 'number') expect(bits).toBe(1024);
    else expect(bits.message).toMatch(/too small/);
  });

  it('useTmpDh refuses non-PEM types with TypeError naming "pem", and PEM without DH parameters with SSLError', () => {
    const ctx = new Context(TLS_METHOD);
    for (const bad of [42, null, undefined, {}, [DH2048], new Uint16Array(4)]) {
      const e = caught(() => ctx.useTmpDh(bad as never));
      expect(e, String(bad)).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/"pem"/);
    }
    for (const garbage of ['not a PEM at all', '', DH2048.replace('MIIBCAKCAQEA', 'AAAA'), pki.server.certPem, Buffer.alloc(64, 0xff)]) {
      const e = caught(() => ctx.useTmpDh(garbage));
      expect(e).toBeInstanceOf(SSLError);
      expect(e).not.toBeInstanceOf(TypeError);
    }
  });

  it('useTmpDh refuses parameters below the security level (512 bits) with SSLError and keeps the ones in use', () => {
    const { client, server } = dheContexts((sctx) => {
      expect(sctx.useTmpDh(DH2048)).toBe(2048);
      const e = caught(() => sctx.useTmpDh(DH512));
      expect(e).toBeInstanceOf(SSLError);
      expect((e as Error).message).toMatch(/too small/);
    });
    handshake(client, server);
    expect(client.getPeerTmpKey()).toEqual({ type: 'DH', size: 2048 });
  });

  it('a DHE-RSA cipher is not negotiable without DH parameters', () => {
    const { client, server } = dheContexts(() => undefined);
    const e = caught(() => handshake(client, server));
    expect(e).toBeInstanceOf(SSLError);
    expect((e as SSLError).errors.map((x) => x.reason).join()).toMatch(/no shared cipher/);
  });

  it('with useTmpDh(2048-bit) DHE-RSA is negotiated and the client sees a 2048-bit DH key', () => {
    const { client, server } = dheContexts((sctx) => expect(sctx.useTmpDh(DH2048)).toBe(2048));
    expect(client.getPeerTmpKey()).toBeNull();
    handshake(client, server);
    expect(client.getCipherName()).toBe(DHE);
    expect(client.getPeerTmpKey()).toEqual({ type: 'DH', size: 2048 });
    expect(client.getCipherStandardName()).toBe('TLS_DHE_RSA_WITH_AES_128_GCM_SHA256');
  });

  it('setDhAuto makes DHE work without parameters', () => {
    const { client, server } = dheContexts((sctx) => sctx.setDhAuto());
    handshake(client, server);
    expect(server.getCipherName()).toBe(DHE);
    // OpenSSL matches the 2048-bit RSA key's strength (112 bits): a 2048-bit group.
    expect(client.getPeerTmpKey()).toEqual({ type: 'DH', size: 2048 });
  });

  it('useTmpDh and setDhAuto are refused while a Connection of the Context runs a callback', () => {
    const sctx = serverContext(pki.server);
    const refusals: unknown[] = [];
    sctx.setTlsextServernameCallback((conn) => {
      refusals.push(attempt(() => conn.getContext().useTmpDh(DH2048)));
      refusals.push(attempt(() => conn.getContext().setDhAuto()));
    });
    const { client, server } = pair(new Context(TLS_METHOD), sctx);
    client.setTlsextHostName('localhost');
    handshake(client, server);
    expect(refusals.map((r) => (r as { code?: string }).code)).toEqual(['ERR_SSL_REENTRANT_CALL', 'ERR_SSL_REENTRANT_CALL']);
  });

  it.each([
    ['X25519', { type: 'ECDH', name: 'X25519', size: 253 }],
    ['P-256', { type: 'ECDH', name: 'prime256v1', size: 256 }],
    ['P-384', { type: 'ECDH', name: 'secp384r1', size: 384 }],
  ])('ECDHE with %s: the client sees %o', (group, expected) => {
    for (const version of [TLS1_3_VERSION, TLS1_2_VERSION]) {
      // An RSA certificate: with TLS 1.2 an ECDSA one would also need its own curve among the groups.
      const sctx = serverAt(version, rsaPki().server);
      sctx.setGroups(group);
      const cctx = new Context(TLS_METHOD);
      cctx.setGroups([group]);
      const { client, server } = pair(cctx, sctx);
      expect(client.getPeerTmpKey()).toBeNull();
      expect(server.getPeerTmpKey()).toBeNull();
      handshake(client, server);
      expect(client.getProtocolVersion()).toBe(version);
      expect(client.getPeerTmpKey()).toEqual(expected);
    }
  });

  it('a PSK-only TLS 1.2 handshake (no key exchange key) gives null', () => {
    const sctx = serverAt(TLS1_2_VERSION);
    const cctx = new Context(TLS_METHOD);
    for (const c of [sctx, cctx]) c.setCipherList('PSK-AES128-GCM-SHA256');
    sctx.setPskServerCallback(() => Buffer.alloc(32, 1));
    cctx.setPskClientCallback(() => ['id', Buffer.alloc(32, 1)]);
    const { client, server } = pair(cctx, sctx);
    handshake(client, server);
    expect(client.getCipherName()).toBe('PSK-AES128-GCM-SHA256');
    expect(client.getPeerTmpKey()).toBeNull();
  });
});

// ---- 3. setMaxSendFragment ---------------------------------------------------------------------

describe('Connection.setMaxSendFragment', () => {
  it('takes 512 to 16384; refuses 511 and 16385 with RangeError, a non-number with TypeError naming "size"', () => {
    const conn = new Connection(new Context(TLS_METHOD));
    for (const ok of [512, 513, 4096, 16384]) conn.setMaxSendFragment(ok);
    for (const bad of [511, 16385, 0, -1, 65536]) {
      const e = caught(() => conn.setMaxSendFragment(bad));
      expect(e, String(bad)).toBeInstanceOf(RangeError);
      expect((e as Error).message).toMatch(/"size"/);
    }
    for (const bad of ['1024', null, undefined, 1024n, {}, [1024]]) {
      const e = caught(() => conn.setMaxSendFragment(bad as never));
      expect(e, String(bad)).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/"size"/);
    }
    // A number that is not an integer is a value out of range here, as for every integer
    // parameter of the package (expectInteger): RangeError, naming the parameter.
    for (const bad of [512.5, NaN, Infinity]) {
      const e = caught(() => conn.setMaxSendFragment(bad));
      expect(e, String(bad)).toBeInstanceOf(RangeError);
      expect((e as Error).message).toMatch(/"size"/);
    }
  });

  it.each([
    ['TLS 1.3', TLS1_3_VERSION],
    ['TLS 1.2', TLS1_2_VERSION],
  ])('%s: after setMaxSendFragment(512) a side sends at most 512 plaintext bytes per record', (_name, version) => {
    const payload = Buffer.alloc(4000);
    for (let i = 0; i < payload.length; i++) payload[i] = i & 0xff;
    for (const sender of ['client', 'server'] as const) {
      const { client, server } = pair(new Context(TLS_METHOD), serverAt(version));
      handshake(client, server);
      readTickets(client, server);
      const [from, to] = sender === 'client' ? [client, server] : [server, client];
      // Before: one record carries all 4000 bytes.
      expect(from.send(payload)).toBe(4000);
      const whole = from.bioRead(65536);
      const one = records(whole);
      expect(one).toHaveLength(1);
      expect(one[0]!.length).toBeGreaterThan(4000);
      to.bioWrite(whole);
      expect(recvChunks(to).map((c) => c.length)).toEqual([4000]);
      // After: 8 records (7 of 512 bytes and one of 416), none longer than 512 plus the record overhead.
      from.setMaxSendFragment(512);
      // Partial writes are on: one send takes one record's worth; sendall takes the rest.
      expect(from.send(payload)).toBe(512);
      expect(from.sendall(payload.subarray(512))).toBe(3488);
      const wire = from.bioRead(65536);
      const recs = records(wire);
      expect(recs).toHaveLength(8);
      for (const r of recs) {
        expect(r.type).toBe(23);
        expect(r.length).toBeLessThanOrEqual(512 + 64);
      }
      // The peer reads one record per recv: 8 chunks of at most 512 bytes that make up the payload.
      to.bioWrite(wire);
      const chunks = recvChunks(to);
      expect(chunks.map((c) => c.length)).toEqual([512, 512, 512, 512, 512, 512, 512, 416]);
      expect(Buffer.concat(chunks).equals(payload)).toBe(true);
    }
  });

  it('is refused from inside a callback of the same Connection', () => {
    const sctx = serverContext(pki.server);
    const refusals: unknown[] = [];
    sctx.setTlsextServernameCallback((conn) => {
      refusals.push(attempt(() => conn.setMaxSendFragment(1024)));
    });
    const { client, server } = pair(new Context(TLS_METHOD), sctx);
    client.setTlsextHostName('localhost');
    handshake(client, server);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toHaveProperty('code', 'ERR_SSL_REENTRANT_CALL');
  });
});

// ---- 4. getSharedSigalgs -------------------------------------------------------------------------

describe('Connection.getSharedSigalgs', () => {
  // As node:tls names them: the signature type, '+', the digest (UNDEF for EdDSA, which has none).
  // Newer OpenSSL adds algorithms (3.5: ML-DSA, 'id-ml-dsa-65+UNDEF'); the shape is the point.
  const NAME = /^[\w.-]+\+([\w-]+)$/;

  it('is empty before the handshake, and names the shared algorithms on the server after it', () => {
    const { client, server } = pair(new Context(TLS_METHOD), serverContext(pki.server));
    expect(server.getSharedSigalgs()).toEqual([]);
    expect(client.getSharedSigalgs()).toEqual([]);
    handshake(client, server);
    const shared = server.getSharedSigalgs();
    expect(shared.length).toBeGreaterThan(0);
    for (const s of shared) expect(s).toMatch(NAME);
    expect(shared).toContain('ECDSA+SHA256');
    expect(shared).toContain('RSA-PSS+SHA256');
    // The default client offers Ed25519, which a server may share too (its name has no digest).
    expect(shared).toContain('Ed25519+UNDEF');
  });

  it('is the intersection of what both sides allow with setSigalgs', () => {
    const sctx = serverContext(pki.server);
    sctx.setSigalgs(['ECDSA+SHA384', 'ECDSA+SHA256', 'RSA-PSS+SHA256']);
    const cctx = new Context(TLS_METHOD);
    cctx.setSigalgs('ECDSA+SHA256:ECDSA+SHA512:ECDSA+SHA384');
    const { client, server } = pair(cctx, sctx);
    handshake(client, server);
    expect([...server.getSharedSigalgs()].sort()).toEqual(['ECDSA+SHA256', 'ECDSA+SHA384']);
  });

  it.each([
    ['TLS 1.3', TLS1_3_VERSION],
    ['TLS 1.2', TLS1_2_VERSION],
  ])('%s: with setSigalgs("RSA-PSS+SHA384") on both sides the result is exactly ["RSA-PSS+SHA384"]', (_name, version) => {
    const sctx = serverAt(version, rsaPki().server);
    sctx.setSigalgs('RSA-PSS+SHA384');
    const cctx = new Context(TLS_METHOD);
    cctx.setSigalgs(['RSA-PSS+SHA384']);
    const { client, server } = pair(cctx, sctx);
    handshake(client, server);
    expect(server.getSharedSigalgs()).toEqual(['RSA-PSS+SHA384']);
  });

  it('on the client too when the server asks for its certificate', () => {
    const sctx = serverContext(pki.server);
    sctx.setSigalgs('ECDSA+SHA256');
    sctx.setVerify(VERIFY_PEER, () => true);
    const cctx = new Context(TLS_METHOD);
    cctx.setSigalgs('ECDSA+SHA256');
    cctx.useCertificate(pki.client.cert);
    cctx.usePrivatekey(pki.client.key);
    const { client, server } = pair(cctx, sctx);
    handshake(client, server);
    expect(client.getSharedSigalgs()).toEqual(['ECDSA+SHA256']);
    expect(server.getSharedSigalgs()).toEqual(['ECDSA+SHA256']);
  });

  it('Context.setSigalgs refuses a non-list with TypeError naming "sigalgs" and an unknown name with SSLError', () => {
    const ctx = new Context(TLS_METHOD);
    for (const bad of [42, null, {}]) {
      const e = caught(() => ctx.setSigalgs(bad as never));
      expect(e, String(bad)).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/"sigalgs"/);
    }
    const e = caught(() => ctx.setSigalgs('NOPE+SHA256'));
    expect(e).toBeInstanceOf(SSLError);
  });

  // BUG: an array whose elements are not strings is joined with ':' instead of being refused, so
  // [1, 2] reaches OpenSSL as "1:2" (an SSLError), and an object with a toString() is accepted. The
  // element should be refused as alpnWire does for ALPN lists: TypeError naming "sigalgs[i]".
  it('Context.setSigalgs refuses an array with a non-string element with TypeError naming it', () => {
    const ctx = new Context(TLS_METHOD);
    for (const bad of [[1, 2], ['ECDSA+SHA256', null], [{ toString: () => 'ECDSA+SHA256' }]]) {
      const e = caught(() => ctx.setSigalgs(bad as never));
      expect(e, String(bad)).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/"sigalgs\[\d\]"/);
    }
  });

  // BUG: the same in Context.setGroups: [{toString}] is accepted as the group it prints as.
  it('Context.setGroups refuses an array with a non-string element with TypeError naming it', () => {
    const ctx = new Context(TLS_METHOD);
    const e = caught(() => ctx.setGroups([{ toString: () => 'X25519' }] as never));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(/"groups\[0\]"/);
  });
});

// ---- 5. getCipherStandardName ----------------------------------------------------------------------

describe('Connection.getCipherStandardName', () => {
  it('is null before the handshake and the IANA name after a TLS 1.3 one', () => {
    const sctx = serverContext(pki.server);
    sctx.setCiphersuites('TLS_AES_256_GCM_SHA384');
    const { client, server } = pair(new Context(TLS_METHOD), sctx);
    expect(client.getCipherStandardName()).toBeNull();
    expect(server.getCipherStandardName()).toBeNull();
    handshake(client, server);
    expect(client.getCipherStandardName()).toBe('TLS_AES_256_GCM_SHA384');
    expect(server.getCipherStandardName()).toBe('TLS_AES_256_GCM_SHA384');
  });

  it('is the IANA TLS_ECDHE_... name, not OpenSSL\'s, after a TLS 1.2 handshake', () => {
    const sctx = serverAt(TLS1_2_VERSION);
    sctx.setCipherList('ECDHE-ECDSA-AES128-GCM-SHA256');
    const { client, server } = pair(new Context(TLS_METHOD), sctx);
    handshake(client, server);
    expect(client.getCipherName()).toBe('ECDHE-ECDSA-AES128-GCM-SHA256');
    expect(client.getCipherStandardName()).toBe('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
    expect(server.getCipherStandardName()).toBe('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
  });
});

// ---- 6. the certificate callback -------------------------------------------------------------------

describe('Context.setCertCallback', () => {
  function certServer(cb: (conn: Connection) => unknown): { client: Connection; server: Connection; sctx: Context } {
    const sctx = serverContext(pki.server);
    sctx.setCertCallback(cb as never);
    const { client, server } = pair(new Context(TLS_METHOD), sctx);
    return { client, server, sctx };
  }

  /** Sends the ClientHello to the server; returns what the server's doHandshake throws. */
  function helloToServer(client: Connection, server: Connection): unknown {
    expect(() => client.doHandshake()).toThrow(WantReadError);
    server.bioWrite(client.bioRead(65536));
    return caught(() => server.doHandshake());
  }

  it('takes a function or null, nothing else (TypeError naming "callback")', () => {
    const ctx = new Context(TLS_METHOD);
    for (const bad of ['cb', 42, {}, true]) {
      const e = caught(() => ctx.setCertCallback(bad as never));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/"callback"/);
    }
    ctx.setCertCallback(() => true);
    ctx.setCertCallback(null);
  });

  it('runs on the server once per handshake, with the server Connection', () => {
    const seen: Connection[] = [];
    const { client, server, sctx } = certServer((conn) => {
      seen.push(conn);
      return true;
    });
    handshake(client, server);
    expect(seen).toEqual([server]);
    const again = pair(new Context(TLS_METHOD), sctx);
    handshake(again.client, again.server);
    expect(seen).toEqual([server, again.server]);
    // Removed: no more calls.
    sctx.setCertCallback(null);
    const third = pair(new Context(TLS_METHOD), sctx);
    handshake(third.client, third.server);
    expect(seen).toHaveLength(2);
  });

  it('returning false suspends the handshake (WantX509LookupError) until a later doHandshake calls it again', () => {
    let ready = false;
    let calls = 0;
    const { client, server } = certServer(() => {
      calls++;
      return ready;
    });
    expect(helloToServer(client, server)).toBeInstanceOf(WantX509LookupError);
    expect(calls).toBe(1);
    expect(server.bioPending()).toBe(0); // nothing sent while suspended
    expect(caught(() => server.doHandshake())).toBeInstanceOf(WantX509LookupError);
    expect(calls).toBe(2);
    expect(server.isInitFinished()).toBe(false);
    ready = true;
    handshake(client, server);
    expect(calls).toBe(3);
    expect(client.isInitFinished() && server.isInitFinished()).toBe(true);
    expect(client.getPeerCertificate()!.digest('sha256')).toBe(pki.server.cert.digest('sha256'));
  });

  it('may switch the Connection to another Context, whose certificate the client then sees', () => {
    const other = serverContext(pki.client);
    const { client, server } = certServer((conn) => {
      conn.setContext(other);
      return true;
    });
    handshake(client, server);
    expect(client.getPeerCertificate()!.digest('sha256')).toBe(pki.client.cert.digest('sha256'));
    expect(server.getContext()).toBe(other);
  });

  it('may switch Context after a suspension too', () => {
    const other = serverContext(pki.client);
    let lookedUp: Context | null = null;
    const { client, server } = certServer((conn) => {
      if (lookedUp === null) return false;
      conn.setContext(lookedUp);
      return true;
    });
    expect(helloToServer(client, server)).toBeInstanceOf(WantX509LookupError);
    lookedUp = other;
    handshake(client, server);
    expect(client.getPeerCertificate()!.digest('sha256')).toBe(pki.client.cert.digest('sha256'));
  });

  it('a throw fails the handshake with the very value thrown, and the Connection then refuses I/O', () => {
    const boom = new Error('no certificate for you');
    const { client, server } = certServer(() => {
      throw boom;
    });
    expect(Object.is(caught(() => handshake(client, server)), boom)).toBe(true);
    expect(server.isInitFinished()).toBe(false);
    expect(caught(() => server.doHandshake())).toHaveProperty('code', 'ERR_SSL_CALLBACK_FAILED');
  });

  it('a non-boolean result fails the handshake with a TypeError naming the certificate callback', () => {
    for (const bad of [1, 0, 'yes', undefined, null, {}, Buffer.from('x')]) {
      const { client, server } = certServer(() => bad);
      const e = caught(() => handshake(client, server));
      expect(e, String(bad)).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/certificate callback/);
      expect(server.isInitFinished()).toBe(false);
    }
  });

  it('refuses re-entrant calls into its Connection and its Context, and the handshake goes on', () => {
    const refusals: unknown[] = [];
    const { client, server } = certServer((conn) => {
      refusals.push(attempt(() => conn.doHandshake()));
      refusals.push(attempt(() => conn.setAlpnProtos(['x'])));
      refusals.push(attempt(() => conn.getContext().setCipherList('AES128-SHA')));
      refusals.push(attempt(() => conn.getContext().setCertCallback(null)));
      return true;
    });
    handshake(client, server);
    expect(refusals).toHaveLength(4);
    for (const r of refusals) expect(r).toHaveProperty('code', 'ERR_SSL_REENTRANT_CALL');
  });
});

// ---- 7. the client-hello callback and an external session cache ------------------------------------

describe('Context.setClientHelloCallback, Connection.clientHelloInfo and setPendingSession', () => {
  /** A TLS 1.2 server with no tickets and no internal cache: only setPendingSession can resume. */
  function externalCacheServer(): Context {
    const sctx = serverAt(TLS1_2_VERSION);
    sctx.setOptions(OP_NO_TICKET);
    sctx.setSessionCacheMode(SESS_CACHE_SERVER | SESS_CACHE_NO_INTERNAL);
    return sctx;
  }

  /** A first, full handshake: the client's session to offer and the server's to store. */
  function firstHandshake(sctx: Context): { clientSession: Session; serverSession: Session } {
    const { client, server } = pair(new Context(TLS_METHOD), sctx);
    handshake(client, server);
    expect(server.sessionReused()).toBe(false);
    return { clientSession: client.getSession()!, serverSession: server.getSession()! };
  }

  it('takes a function or null, nothing else (TypeError naming "callback")', () => {
    const ctx = new Context(TLS_METHOD);
    for (const bad of ['cb', 42, {}]) {
      const e = caught(() => ctx.setClientHelloCallback(bad as never));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/"callback"/);
    }
    ctx.setClientHelloCallback(null);
  });

  it('clientHelloInfo() reads the ClientHello inside the callback and is null outside it', () => {
    const sctx = serverContext(pki.server);
    const infos: unknown[] = [];
    sctx.setClientHelloCallback((conn) => {
      infos.push(conn.clientHelloInfo());
      return true;
    });
    const { client, server } = pair(new Context(TLS_METHOD), sctx);
    expect(server.clientHelloInfo()).toBeNull();
    handshake(client, server);
    expect(server.clientHelloInfo()).toBeNull();
    expect(client.clientHelloInfo()).toBeNull();
    expect(infos).toHaveLength(1);
    const info = infos[0] as { sessionId: Buffer; hasTicket: boolean };
    expect(Buffer.isBuffer(info.sessionId)).toBe(true);
    // A TLS 1.3 client sends a random 32-byte legacy session id (middlebox compatibility).
    expect(info.sessionId).toHaveLength(32);
    expect(info.hasTicket).toBe(false);
  });

  it('TLS 1.2: reports the offered session id and whether a ticket is offered', () => {
    const infos: { sessionId: Buffer; hasTicket: boolean }[] = [];
    // With tickets (the default): a resuming client offers the ticket.
    const withTickets = serverAt(TLS1_2_VERSION);
    withTickets.setClientHelloCallback((conn) => {
      infos.push(conn.clientHelloInfo()!);
      return true;
    });
    const cctx = new Context(TLS_METHOD);
    cctx.setMaxProtoVersion(TLS1_2_VERSION);
    const first = pair(cctx, withTickets);
    handshake(first.client, first.server);
    expect(infos[0]!.hasTicket).toBe(false);
    expect(infos[0]!.sessionId).toHaveLength(0); // nothing to resume: no session id
    expect(offer(first.client.getSession()!, withTickets)).toEqual({ client: true, server: true });
    expect(infos[1]!.hasTicket).toBe(true);
    // Without tickets: the session id of the server's session is what the client offers.
    const sctx = externalCacheServer();
    const { clientSession, serverSession } = firstHandshake(sctx);
    sctx.setClientHelloCallback((conn) => {
      infos.push(conn.clientHelloInfo()!);
      return true;
    });
    offer(clientSession, sctx);
    expect(infos[2]!.hasTicket).toBe(false);
    expect(infos[2]!.sessionId.equals(serverSession.getId())).toBe(true);
    expect(infos[2]!.sessionId).toHaveLength(32);
  });

  it('resumes from the external cache: the callback suspends, setPendingSession supplies the session', () => {
    const sctx = externalCacheServer();
    const { clientSession, serverSession } = firstHandshake(sctx);
    const cache = new Map<string, Session>([[serverSession.getId().toString('hex'), serverSession]]);
    let calls = 0;
    let lookedUp = false;
    sctx.setClientHelloCallback((conn) => {
      calls++;
      expect(conn.clientHelloInfo()).not.toBeNull();
      return lookedUp;
    });
    const { client, server } = pair(new Context(TLS_METHOD), sctx);
    client.setSession(clientSession);
    expect(() => client.doHandshake()).toThrow(WantReadError);
    server.bioWrite(client.bioRead(65536));
    expect(caught(() => server.doHandshake())).toBeInstanceOf(WantX509LookupError);
    expect(calls).toBe(1);
    expect(server.bioPending()).toBe(0);
    // The application's asynchronous lookup finishes; the next doHandshake runs the callback again.
    server.setPendingSession(cache.get(clientSession.getId().toString('hex'))!);
    lookedUp = true;
    handshake(client, server);
    expect(calls).toBe(2);
    expect(server.sessionReused()).toBe(true);
    expect(client.sessionReused()).toBe(true);
  });

  it('TLS 1.3 stateful tickets (OP_NO_TICKET) resume from the external cache as well', () => {
    const sctx = serverContext(pki.server);
    sctx.setOptions(OP_NO_TICKET);
    sctx.setSessionCacheMode(SESS_CACHE_SERVER | SESS_CACHE_NO_INTERNAL);
    sctx.setNumTickets(1);
    const first = pair(new Context(TLS_METHOD), sctx);
    handshake(first.client, first.server);
    readTickets(first.client, first.server);
    const clientSession = first.client.getSession()!;
    const serverSession = first.server.getSession()!;
    expect(clientSession.getProtocolVersion()).toBe(TLS1_3_VERSION);
    let calls = 0;
    sctx.setClientHelloCallback(() => ++calls > 1); // the first call starts an asynchronous lookup
    const { client, server } = pair(new Context(TLS_METHOD), sctx);
    client.setSession(clientSession);
    expect(() => client.doHandshake()).toThrow(WantReadError);
    server.bioWrite(client.bioRead(65536));
    expect(caught(() => server.doHandshake())).toBeInstanceOf(WantX509LookupError);
    server.setPendingSession(serverSession);
    handshake(client, server);
    expect(calls).toBe(2);
    expect(server.sessionReused()).toBe(true);
    expect(client.sessionReused()).toBe(true);
    // Without the lookup, the same ticket gets a full handshake.
    sctx.setClientHelloCallback(() => true);
    expect(offer(clientSession, sctx)).toEqual({ client: false, server: false });
  });

  it('does a full handshake when no session was set, or when the one set was cleared with null', () => {
    for (const clear of [false, true]) {
      const sctx = externalCacheServer();
      const { clientSession, serverSession } = firstHandshake(sctx);
      let lookedUp = false;
      sctx.setClientHelloCallback(() => lookedUp);
      const { client, server } = pair(new Context(TLS_METHOD), sctx);
      client.setSession(clientSession);
      expect(() => client.doHandshake()).toThrow(WantReadError);
      server.bioWrite(client.bioRead(65536));
      expect(caught(() => server.doHandshake())).toBeInstanceOf(WantX509LookupError);
      if (clear) {
        server.setPendingSession(serverSession);
        server.setPendingSession(null);
      }
      lookedUp = true;
      handshake(client, server);
      expect(server.sessionReused()).toBe(false);
      expect(client.sessionReused()).toBe(false);
      expect(client.isInitFinished()).toBe(true);
    }
  });

  it('without the internal cache and without a callback, nothing resumes (the control case)', () => {
    const sctx = externalCacheServer();
    const { clientSession } = firstHandshake(sctx);
    expect(offer(clientSession, sctx)).toEqual({ client: false, server: false });
  });

  it('setPendingSession refuses anything but a Session or null with TypeError naming "session"', () => {
    const conn = new Connection(new Context(TLS_METHOD));
    conn.setAcceptState();
    for (const bad of ['x', 42, {}, undefined, Buffer.alloc(4)]) {
      const e = caught(() => conn.setPendingSession(bad as never));
      expect(e, String(bad)).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/"session"/);
    }
    conn.setPendingSession(null);
  });

  it('a throw fails the handshake with that value; a non-boolean result with a TypeError naming the callback', () => {
    const boom = { tag: 'hello' };
    const sctx = serverContext(pki.server);
    sctx.setClientHelloCallback(() => {
      throw boom;
    });
    const first = pair(new Context(TLS_METHOD), sctx);
    expect(Object.is(caught(() => handshake(first.client, first.server)), boom)).toBe(true);
    for (const bad of [1, 'true', null, undefined]) {
      const ctx = serverContext(pki.server);
      ctx.setClientHelloCallback(() => bad as never);
      const { client, server } = pair(new Context(TLS_METHOD), ctx);
      const e = caught(() => handshake(client, server));
      expect(e, String(bad)).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/client hello callback/);
      expect(server.isInitFinished()).toBe(false);
    }
  });

  it('refuses re-entrant mutators inside the callback; a session set before the handshake is found', () => {
    const sctx = externalCacheServer();
    const { clientSession, serverSession } = firstHandshake(sctx);
    const refusals: unknown[] = [];
    sctx.setClientHelloCallback((conn) => {
      refusals.push(attempt(() => conn.doHandshake()));
      refusals.push(attempt(() => conn.getContext().setSessionCacheMode(0)));
      refusals.push(attempt(() => conn.setMaxSendFragment(1024)));
      return true;
    });
    const { client, server } = pair(new Context(TLS_METHOD), sctx);
    client.setSession(clientSession);
    server.setPendingSession(serverSession);
    handshake(client, server);
    expect(refusals).toHaveLength(3);
    for (const r of refusals) expect(r).toHaveProperty('code', 'ERR_SSL_REENTRANT_CALL');
    // A session given before the handshake is found by the lookup as well.
    expect(server.sessionReused()).toBe(true);
  });
});

// ---- 8. ocspRequested --------------------------------------------------------------------------------

describe('Connection.ocspRequested', () => {
  it('is true on the server when the client called requestOcsp(), inside the OCSP callback and after', () => {
    const seen: boolean[] = [];
    const sctx = serverContext(pki.server);
    sctx.setOcspServerCallback((conn) => {
      seen.push(conn.ocspRequested());
      return Buffer.from('response');
    });
    const cctx = new Context(TLS_METHOD);
    cctx.setOcspClientCallback(() => true);
    const { client, server } = pair(cctx, sctx);
    expect(server.ocspRequested()).toBe(false);
    client.requestOcsp();
    handshake(client, server);
    expect(seen).toEqual([true]);
    expect(server.ocspRequested()).toBe(true);
  });

  it('is false on the server when the client did not ask (and the OCSP callback is not run)', () => {
    const seen: boolean[] = [];
    const sctx = serverContext(pki.server);
    sctx.setOcspServerCallback((conn) => {
      seen.push(conn.ocspRequested());
      return null;
    });
    sctx.setTlsextServernameCallback((conn) => {
      seen.push(conn.ocspRequested());
    });
    const { client, server } = pair(new Context(TLS_METHOD), sctx);
    client.setTlsextHostName('localhost');
    handshake(client, server);
    expect(seen).toEqual([false]);
    expect(server.ocspRequested()).toBe(false);
  });
});

// ---- 9. protocol version bounds --------------------------------------------------------------------

describe('Context.getMinProtoVersion / getMaxProtoVersion', () => {
  it('reflect the setters, 0 meaning no bound', () => {
    const ctx = new Context(TLS_METHOD);
    ctx.setMinProtoVersion(TLS1_2_VERSION);
    expect(ctx.getMinProtoVersion()).toBe(TLS1_2_VERSION);
    ctx.setMaxProtoVersion(TLS1_3_VERSION);
    expect(ctx.getMaxProtoVersion()).toBe(TLS1_3_VERSION);
    ctx.setMaxProtoVersion(TLS1_2_VERSION);
    expect(ctx.getMaxProtoVersion()).toBe(TLS1_2_VERSION);
    ctx.setMinProtoVersion(0);
    ctx.setMaxProtoVersion(0);
    expect(ctx.getMinProtoVersion()).toBe(0);
    expect(ctx.getMaxProtoVersion()).toBe(0);
  });

  it('a refused setter leaves the bound as it was', () => {
    const ctx = new Context(TLS_METHOD);
    ctx.setMinProtoVersion(TLS1_2_VERSION);
    ctx.setMaxProtoVersion(TLS1_3_VERSION);
    expect(caught(() => ctx.setMinProtoVersion('TLSv1.3' as never))).toBeInstanceOf(TypeError);
    expect(caught(() => ctx.setMaxProtoVersion(0x9999))).toHaveProperty('code', 'ERR_SSL_UNSUPPORTED_PROTOCOL');
    expect(ctx.getMinProtoVersion()).toBe(TLS1_2_VERSION);
    expect(ctx.getMaxProtoVersion()).toBe(TLS1_3_VERSION);
  });

  it('the setters are refused while a Connection of the Context runs a callback, and the bounds stay', () => {
    const sctx = serverContext(pki.server);
    sctx.setMinProtoVersion(TLS1_2_VERSION);
    const refusals: unknown[] = [];
    sctx.setTlsextServernameCallback((conn) => {
      refusals.push(attempt(() => conn.getContext().setMinProtoVersion(TLS1_3_VERSION)));
      refusals.push(attempt(() => conn.getContext().setMaxProtoVersion(TLS1_2_VERSION)));
    });
    const { client, server } = pair(new Context(TLS_METHOD), sctx);
    client.setTlsextHostName('localhost');
    handshake(client, server);
    expect(refusals.map((r) => (r as { code?: string }).code)).toEqual(['ERR_SSL_REENTRANT_CALL', 'ERR_SSL_REENTRANT_CALL']);
    expect(sctx.getMinProtoVersion()).toBe(TLS1_2_VERSION);
    expect(sctx.getMaxProtoVersion()).toBe(0);
  });

  it('the bound read back is the one a handshake honours', () => {
    const cctx = new Context(TLS_METHOD);
    cctx.setMaxProtoVersion(TLS1_2_VERSION);
    const { client, server } = pair(cctx, serverContext(pki.server));
    handshake(client, server);
    expect(client.getProtocolVersion()).toBe(cctx.getMaxProtoVersion());
  });
});

// ---- 11. deferred verification verdicts ---------------------------------------------------------------

describe('the order of deferred verification verdicts (setVerifyDeferred + setHost)', () => {
  /** The client's deferred verdict against a server with `id`, checking `host`, trusting `ca` if given. */
  function verdict(id: { cert: Pki['server']['cert']; key: Pki['server']['key'] }, host: string, ca: Pki['ca'] | null): number {
    const sctx = new Context(TLS_METHOD);
    sctx.useCertificate(id.cert);
    sctx.usePrivatekey(id.key);
    const cctx = new Context(TLS_METHOD);
    if (ca) cctx.getCertStore().addCert(ca.cert);
    const { client, server } = pair(cctx, sctx);
    client.setVerifyDeferred(VERIFY_PEER);
    client.setHost(host);
    handshake(client, server);
    expect(client.isInitFinished()).toBe(true);
    return client.getVerifyResult();
  }

  const selfSigned = makeIdentity({ cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'] });

  it('a trusted certificate for the name verifies (0)', () => {
    expect(verdict(pki.server, 'localhost', pki.ca)).toBe(0);
    expect(verdict(pki.server, '127.0.0.1', pki.ca)).toBe(0);
  });

  it('a self-signed certificate that also mismatches the name gives 18 (self-signed), not 62', () => {
    expect(verdict(selfSigned, 'wrong.example', null)).toBe(18);
    expect(verdict(selfSigned, '10.9.8.7', null)).toBe(18);
    expect(verdict(selfSigned, 'localhost', null)).toBe(18);
  });

  it('a trusted certificate with the wrong name gives 62 (64 for an IP address)', () => {
    expect(verdict(pki.server, 'wrong.example', pki.ca)).toBe(62);
    expect(verdict(pki.server, '10.9.8.7', pki.ca)).toBe(64);
  });

  it('an untrusted lone leaf (issuer unknown) gives 21, with or without a name mismatch', () => {
    expect(verdict(pki.server, 'localhost', null)).toBe(21);
    expect(verdict(pki.server, 'wrong.example', null)).toBe(21);
  });

  it('an expired certificate from a trusted CA with the wrong name gives 10 (expired), not 62', () => {
    const expired = makeIdentity({ cn: 'localhost', issuer: pki.ca, sans: ['DNS:localhost'], notBefore: -7200, notAfter: -3600 });
    expect(verdict(expired, 'localhost', pki.ca)).toBe(10);
    expect(verdict(expired, 'wrong.example', pki.ca)).toBe(10);
  });

  it('getVerifyError names the kept verdict', () => {
    const sctx = new Context(TLS_METHOD);
    sctx.useCertificate(selfSigned.cert);
    sctx.usePrivatekey(selfSigned.key);
    const { client, server } = pair(new Context(TLS_METHOD), sctx);
    client.setVerifyDeferred(VERIFY_PEER);
    client.setHost('wrong.example');
    handshake(client, server);
    expect(client.getVerifyError()).toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', verifyCode: 18 });
  });
});

// ---- 12. Transport -------------------------------------------------------------------------------------

/** A Duplex whose writes are recorded (and completed at once unless `hold`), and whose input the test pushes. */
function fakeStream(options: { writableHighWaterMark?: number; hold?: boolean } = {}): { stream: Duplex; written: Buffer[]; callbacks: Array<() => void> } {
  const written: Buffer[] = [];
  const callbacks: Array<() => void> = [];
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      written.push(Buffer.from(chunk));
      if (options.hold) callbacks.push(() => cb());
      else cb();
    },
    writableHighWaterMark: options.writableHighWaterMark,
  });
  return { stream, written, callbacks };
}

/** Transport events that count what they are told. */
function recorder(): TransportEvents & { inputs: number; errors: Error[]; closes: number } {
  const r = {
    inputs: 0,
    errors: [] as Error[],
    closes: 0,
    input() {
      r.inputs++;
    },
    error(err: Error) {
      r.errors.push(err);
    },
    close() {
      r.closes++;
    },
  };
  return r;
}

/** Lets the stream machinery run (bounded by a count of turns of the event loop). */
async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}

/** A client Connection that has queued its ClientHello. */
function helloClient(): Connection {
  const client = new Connection(new Context(TLS_METHOD));
  client.setConnectState();
  expect(() => client.doHandshake()).toThrow(WantReadError);
  expect(client.bioPending()).toBeGreaterThan(0);
  return client;
}

describe('isTransportStream and epipeError', () => {
  it('accepts what has write, on, pause and resume; refuses the rest', () => {
    expect(isTransportStream(new net.Socket())).toBe(true);
    expect(isTransportStream(new Duplex({ read() {}, write(_c, _e, cb) { cb(); } }))).toBe(true);
    expect(isTransportStream(new PassThrough())).toBe(true);
    expect(isTransportStream(new EventEmitter())).toBe(false);
    expect(isTransportStream({})).toBe(false);
    expect(isTransportStream(null)).toBe(false);
    expect(isTransportStream(undefined)).toBe(false);
    expect(isTransportStream('socket')).toBe(false);
    expect(isTransportStream(new Readable({ read() {} }))).toBe(false); // no write
    expect(isTransportStream(new Writable({ write(_c, _e, cb) { cb(); } }))).toBe(false); // no pause
  });

  it('epipeError is a SysCallError with code EPIPE and errno 32', () => {
    const e = epipeError();
    expect(e).toBeInstanceOf(SysCallError);
    expect(e.code).toBe('EPIPE');
    expect(e.errno).toBe(32);
  });
});

describe('Transport', () => {
  it('attach() feeds what the stream delivers into bioWrite and calls events.input each time', async () => {
    const server = new Connection(serverContext(pki.server));
    server.setAcceptState();
    const { stream } = fakeStream();
    const events = recorder();
    const t = new Transport(server, stream, events);
    expect(t.connection).toBe(server);
    expect(t.stream).toBe(stream);
    t.attach();
    t.attach(); // once only
    expect(stream.listenerCount('data')).toBe(1);
    const hello = helloClient().bioRead(65536);
    stream.push(hello.subarray(0, 10));
    await settle();
    expect(server.bioInPending()).toBe(10);
    expect(events.inputs).toBe(1);
    stream.push(hello.subarray(10));
    await settle();
    expect(server.bioInPending()).toBe(hello.length);
    expect(events.inputs).toBe(2);
    // The engine can run on what arrived: it answers with its flight.
    expect(() => server.doHandshake()).toThrow(WantReadError);
    expect(server.bioPending()).toBeGreaterThan(0);
    expect(t.eof).toBe(false);
  });

  it('eof becomes true on the stream\'s end, which reaches the engine as EOF and is announced with input', async () => {
    const { client, server } = pair(new Context(TLS_METHOD), serverContext(pki.server));
    handshake(client, server);
    readTickets(client, server);
    const { stream } = fakeStream();
    const events = recorder();
    const t = new Transport(client, stream, events);
    t.attach();
    stream.push(null);
    await settle();
    expect(t.eof).toBe(true);
    expect(events.inputs).toBe(1);
    // The engine was told: a read now reports the truncation instead of waiting.
    expect(caught(() => client.recv(10))).toBeInstanceOf(SysCallError);
  });

  it('attach() on a stream that already ended marks eof at once', async () => {
    const { stream } = fakeStream();
    stream.push(null);
    stream.resume();
    await once(stream, 'end');
    const events = recorder();
    const t = new Transport(helloClient(), stream, events);
    t.attach();
    expect(t.eof).toBe(true);
    expect(events.inputs).toBe(0); // not announced: nothing was waiting yet
  });

  it('passes the stream\'s error and close on', async () => {
    const { stream } = fakeStream();
    const events = recorder();
    const t = new Transport(helloClient(), stream, events);
    t.attach();
    const err = new Error('wire cut');
    stream.destroy(err);
    await settle();
    expect(events.errors).toEqual([err]);
    expect(events.closes).toBe(1);
    expect(t.eof).toBe(true);
    expect(t.writable).toBe(false);
  });

  it('flush() writes the engine\'s output in one write and returns the stream\'s write result', async () => {
    const { client, server } = pair(new Context(TLS_METHOD), serverContext(pki.server));
    handshake(client, server);
    readTickets(client, server);
    const big = Buffer.alloc(200_000, 0x5a);
    client.sendall(big);
    expect(client.bioPending()).toBeGreaterThan(65536);
    const { stream, written } = fakeStream({ writableHighWaterMark: 1 << 24 });
    const t = new Transport(client, stream, recorder());
    let cbArgs: unknown[] | null = null;
    expect(t.flush((...args) => (cbArgs = args))).toBe(true);
    expect(client.bioPending()).toBe(0);
    expect(written).toHaveLength(1);
    await settle();
    expect(cbArgs).not.toBeNull();
    expect(cbArgs![0] ?? null).toBeNull();
    // The one write is exactly the records of the 200 000 bytes.
    server.bioWrite(written[0]!);
    expect(Buffer.concat(recvChunks(server)).equals(big)).toBe(true);
  });

  it('flush() returns false when the stream is over its high-water mark', () => {
    const client = helloClient();
    const { stream, written } = fakeStream({ writableHighWaterMark: 16, hold: true });
    const t = new Transport(client, stream, recorder());
    expect(t.flush()).toBe(false);
    expect(written).toHaveLength(1);
  });

  it('flush() with nothing to send writes nothing, returns true and runs the callback at once', () => {
    const { stream, written } = fakeStream();
    const conn = new Connection(new Context(TLS_METHOD));
    const t = new Transport(conn, stream, recorder());
    let called = 0;
    expect(t.flush(() => called++)).toBe(true);
    expect(called).toBe(1);
    expect(written).toHaveLength(0);
    stream.end();
    // ...even on a stream that has ended: there is nothing to lose.
    expect(t.flush()).toBe(true);
  });

  it('flush() on an ended stream throws SysCallError EPIPE and drops the output', () => {
    const client = helloClient();
    const { stream, written } = fakeStream();
    stream.end();
    const t = new Transport(client, stream, recorder());
    expect(t.writable).toBe(false);
    const e = caught(() => t.flush());
    expect(e).toBeInstanceOf(SysCallError);
    expect(e).toHaveProperty('code', 'EPIPE');
    expect(e).toHaveProperty('errno', 32);
    expect(client.bioPending()).toBe(0);
    expect(written).toHaveLength(0);
  });

  it('flush(cb) on a destroyed stream passes EPIPE to the callback instead of throwing, and drops the output', () => {
    const client = helloClient();
    const { stream, written } = fakeStream();
    stream.destroy();
    const t = new Transport(client, stream, recorder());
    const errs: unknown[] = [];
    expect(t.flush((err) => errs.push(err))).toBe(true);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toBeInstanceOf(SysCallError);
    expect(errs[0]).toHaveProperty('code', 'EPIPE');
    expect(client.bioPending()).toBe(0);
    // Nothing of it is sent by a later flush either.
    expect(t.flush()).toBe(true);
    expect(written).toHaveLength(0);
  });

  it('throttle(true) pauses the stream and throttle(false) resumes it', () => {
    const { stream } = fakeStream();
    const t = new Transport(helloClient(), stream, recorder());
    t.attach();
    expect(stream.isPaused()).toBe(false);
    t.throttle(true);
    expect(stream.isPaused()).toBe(true);
    t.throttle(true);
    expect(stream.isPaused()).toBe(true);
    t.throttle(false);
    expect(stream.isPaused()).toBe(false);
  });

  it('throttle(false) does not undo a pause it did not make', () => {
    const { stream } = fakeStream();
    const t = new Transport(helloClient(), stream, recorder());
    t.attach();
    stream.pause(); // the owner's own pause
    t.throttle(false);
    expect(stream.isPaused()).toBe(true);
  });

  it('throttle pauses while the engine holds more input than inputHighWaterMark', async () => {
    const server = new Connection(serverContext(pki.server));
    server.setAcceptState();
    const { stream } = fakeStream();
    const t = new Transport(server, stream, recorder(), { inputHighWaterMark: 8 });
    t.attach();
    stream.push(Buffer.alloc(20, 0x16));
    await settle();
    expect(server.bioInPending()).toBe(20);
    t.throttle(false);
    expect(stream.isPaused()).toBe(true);
    server.takeInput();
    t.throttle(false);
    expect(stream.isPaused()).toBe(false);
  });

  it('detach() removes its listeners, pauses the stream and puts the unconsumed bytes back in front', async () => {
    const server = new Connection(serverContext(pki.server));
    server.setAcceptState();
    const { stream } = fakeStream();
    const before = ['data', 'end', 'error', 'close'].map((e) => stream.listenerCount(e));
    const events = recorder();
    const t = new Transport(server, stream, events);
    t.attach();
    expect(['data', 'end', 'error', 'close'].map((e) => stream.listenerCount(e))).not.toEqual(before);
    stream.push(Buffer.from('cleartext after TLS'));
    await settle();
    expect(server.bioInPending()).toBe(19);
    expect(t.detach()).toBe(stream);
    expect(['data', 'end', 'error', 'close'].map((e) => stream.listenerCount(e))).toEqual(before);
    expect(stream.isPaused()).toBe(true);
    expect(server.bioInPending()).toBe(0);
    expect(stream.read()?.toString()).toBe('cleartext after TLS');
    // What arrives afterwards is the stream's new owner's, not the engine's.
    const inputs = events.inputs;
    stream.push(Buffer.from('more'));
    stream.resume();
    await settle();
    expect(server.bioInPending()).toBe(0);
    expect(events.inputs).toBe(inputs);
    // And it can be attached again.
    stream.pause();
    t.attach();
    stream.push(Buffer.from('again'));
    await settle();
    expect(server.bioInPending()).toBe(5);
  });

  it('detach() puts the engine\'s leftover before what the paused stream still buffers', async () => {
    const server = new Connection(serverContext(pki.server));
    server.setAcceptState();
    const { stream } = fakeStream();
    const t = new Transport(server, stream, recorder());
    t.attach();
    stream.push(Buffer.from('first,'));
    await settle();
    t.throttle(true);
    stream.push(Buffer.from('second'));
    await settle();
    expect(server.bioInPending()).toBe(6); // "second" waits in the paused stream
    t.detach();
    const out: Buffer[] = [];
    for (let chunk = stream.read(); chunk !== null; chunk = stream.read()) out.push(chunk as Buffer);
    expect(Buffer.concat(out).toString()).toBe('first,second');
  });

  // BUG: Transport keeps its "I paused the stream" flag across detach(). throttle(true), then
  // detach() and attach() (which resumes the stream) leaves the flag set, so the next throttle(true)
  // believes the stream is already paused and lets it flow: back-pressure is lost after a re-attach.
  it('throttle(true) pauses again after detach() and a new attach()', () => {
    const { stream } = fakeStream();
    const t = new Transport(new Connection(new Context(TLS_METHOD)), stream, recorder());
    t.attach();
    t.throttle(true);
    expect(stream.isPaused()).toBe(true);
    t.detach();
    t.attach();
    expect(stream.isPaused()).toBe(false);
    t.throttle(true);
    expect(stream.isPaused()).toBe(true);
  });

  it('detach() with nothing left over unshifts nothing', () => {
    const { stream } = fakeStream();
    const t = new Transport(new Connection(new Context(TLS_METHOD)), stream, recorder());
    t.attach();
    t.detach();
    expect(stream.readableLength).toBe(0);
  });

  it('carries a full handshake and data both ways between two Transports over loopback sockets', async () => {
    const listener = net.createServer();
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    const port = (listener.address() as net.AddressInfo).port;
    const accepted = once(listener, 'connection');
    const clientSock = net.connect(port, '127.0.0.1');
    const [serverSock] = (await accepted) as [net.Socket];
    try {
      const { client, server } = pair(new Context(TLS_METHOD), serverContext(pki.server));
      const got: Record<'client' | 'server', Buffer[]> = { client: [], server: [] };
      const done: Record<'client' | 'server', () => void> = { client: () => undefined, server: () => undefined };
      const finished = {
        client: new Promise<void>((r) => (done.client = r)),
        server: new Promise<void>((r) => (done.server = r)),
      };
      const transports: Transport[] = [];
      const failures: Error[] = [];
      for (const [name, conn, sock] of [['client', client, clientSock], ['server', server, serverSock]] as const) {
        const step = (): void => {
          try {
            if (!conn.isInitFinished()) conn.doHandshake();
            for (let i = 0; i < 1000; i++) got[name].push(conn.recv(65536));
          } catch (e) {
            if (!(e instanceof WantReadError)) throw e;
          }
          t.flush();
          if (Buffer.concat(got[name]).length >= 100_000) done[name]();
        };
        const t: Transport = new Transport(conn, sock, { input: step, error: (e) => failures.push(e), close: () => undefined });
        transports.push(t);
        t.attach();
      }
      expect(() => client.doHandshake()).toThrow(WantReadError);
      transports[0]!.flush();
      // The client finishes first; the server once the client's Finished arrives.
      for (let i = 0; i < 1000 && !(client.isInitFinished() && server.isInitFinished()); i++) await settle(1);
      expect(client.isInitFinished() && server.isInitFinished()).toBe(true);
      const a = Buffer.alloc(100_000, 0x61);
      const b = Buffer.alloc(100_000, 0x62);
      client.sendall(a);
      transports[0]!.flush();
      server.sendall(b);
      transports[1]!.flush();
      await Promise.all([finished.client, finished.server]);
      expect(Buffer.concat(got.server).equals(a)).toBe(true);
      expect(Buffer.concat(got.client).equals(b)).toBe(true);
      expect(failures).toEqual([]);
      for (const t of transports) t.detach();
    } finally {
      clientSock.destroy();
      serverSock.destroy();
      await new Promise((r) => listener.close(r));
    }
  });
});

// ---- 13. SocketConnection over loopback, after its move onto Transport --------------------------------

describe('SocketConnection over Transport, end to end on loopback sockets', () => {
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

  async function recvExactly(conn: SocketConnection, n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let got = 0;
    while (got < n) {
      const chunk = await conn.recv(n - got);
      expect(chunk.length).toBeGreaterThan(0);
      parts.push(chunk);
      got += chunk.length;
    }
    return Buffer.concat(parts);
  }

  const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

  it('our client and our server handshake and move 1 MiB each way', async () => {
    const MiB = 1 << 20;
    const up = Buffer.alloc(MiB);
    const down = Buffer.alloc(MiB);
    for (let i = 0; i < MiB; i++) {
      up[i] = (i * 31) & 0xff;
      down[i] = (i * 17 + 5) & 0xff;
    }
    const listener = net.createServer();
    const port = await listen(listener);
    const acceptor = new SocketConnection(serverContext(pki.server), listener, { timeout: 60_000 });
    const serving = (async () => {
      const [conn] = await acceptor.accept();
      try {
        await conn.doHandshake();
        const received = await recvExactly(conn, MiB);
        await conn.sendall(down);
        return received;
      } finally {
        await conn.shutdown().catch(() => undefined);
        await conn.close();
      }
    })();
    const cctx = new Context(TLS_METHOD);
    cctx.getCertStore().addCert(pki.ca.cert);
    cctx.setVerify(VERIFY_PEER);
    const conn = new SocketConnection(cctx, new net.Socket(), { timeout: 60_000 });
    cleanups.push(() => conn.close());
    await conn.connect(['127.0.0.1', port]);
    conn.setTlsextHostName('localhost');
    await conn.doHandshake();
    expect(conn.getProtocolVersion()).toBe(TLS1_3_VERSION);
    expect(conn.getVerifyResult()).toBe(0);
    await conn.sendall(up);
    const received = await recvExactly(conn, MiB);
    expect(sha(received)).toBe(sha(down));
    expect(sha(await serving)).toBe(sha(up));
  });

  it('a server whose client hangs up mid-handshake gets SysCallError', async () => {
    const listener = net.createServer();
    const port = await listen(listener);
    const acceptor = new SocketConnection(serverContext(pki.server), listener, { timeout: 10_000 });
    const raw = net.connect(port, '127.0.0.1');
    cleanups.push(() => raw.destroy());
    const [conn] = await acceptor.accept();
    cleanups.push(() => conn.close());
    // Half a ClientHello, then the client is gone.
    const hello = helloClient().bioRead(65536);
    raw.end(hello.subarray(0, 20));
    const e = await conn.doHandshake().catch((err: unknown) => err);
    expect(e).toBeInstanceOf(SysCallError);
    expect(conn.isInitFinished()).toBe(false);
  });

  it('settimeout(50) makes the handshake with a silent peer fail with ETIMEDOUT', async () => {
    const server = net.createServer((s) => s.resume());
    const port = await listen(server);
    const sock = net.connect(port, '127.0.0.1');
    cleanups.push(() => sock.destroy());
    const conn = new SocketConnection(new Context(TLS_METHOD), sock);
    expect(conn.gettimeout()).toBeNull();
    conn.settimeout(50);
    expect(conn.gettimeout()).toBe(50);
    conn.setConnectState();
    const e = (await conn.doHandshake().catch((err: unknown) => err)) as SysCallError;
    expect(e).toBeInstanceOf(SysCallError);
    expect(e.code).toBe('ETIMEDOUT');
    expect(e.errno).toBe(110);
    expect(caught(() => conn.settimeout('50' as never))).toBeInstanceOf(TypeError);
    expect(conn.gettimeout()).toBe(50);
    conn.settimeout(null);
    expect(conn.gettimeout()).toBeNull();
  });

  it('settimeout(50) after the handshake: recv from a peer that sends nothing times out', async () => {
    const listener = net.createServer();
    const port = await listen(listener);
    const acceptor = new SocketConnection(serverContext(pki.server), listener, { timeout: 10_000 });
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => (release = r));
    const serving = (async () => {
      const [conn] = await acceptor.accept();
      await conn.doHandshake();
      await released; // silent until the client gave up
      await conn.close();
    })();
    const conn = new SocketConnection(new Context(TLS_METHOD), net.connect(port, '127.0.0.1'), { timeout: 10_000 });
    cleanups.push(() => conn.close());
    conn.setConnectState();
    await conn.doHandshake();
    conn.settimeout(50);
    const e = (await conn.recv(10).catch((err: unknown) => err)) as SysCallError;
    expect(e).toBeInstanceOf(SysCallError);
    expect(e.code).toBe('ETIMEDOUT');
    release();
    await serving;
  });
});
