import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumpCertificate, dumpPrivatekey, FILETYPE_PEM, X509, X509Name } from '@ossl/crypto';

import {
  CertificateVerifyError,
  Connection,
  Context,
  createDefaultContext,
  NO_OVERLAP,
  OP_ALLOW_CLIENT_RENEGOTIATION,
  OP_NO_TICKET,
  Purpose,
  Session,
  SESS_CACHE_BOTH,
  SESS_CACHE_SERVER,
  SSL_CB_HANDSHAKE_DONE,
  SSL_CB_HANDSHAKE_START,
  SSLError,
  TLS1_2_VERSION,
  TLS1_3_VERSION,
  TLS_METHOD,
  VERIFY_FAIL_IF_NO_PEER_CERT,
  VERIFY_PEER,
  WantReadError,
} from '../src/index.js';
import { caught, handshake, makeIdentity, makePki, pair, pump, serverContext, tempFiles } from './support/memory.js';

const vectors = join(__dirname, '..', '..', '..', 'test', 'vectors');

/** Lets the client read what the server sent after the handshake (TLS 1.3 session tickets). */
function drain(conn: Connection): void {
  try {
    conn.recv(1);
  } catch (e) {
    if (!(e instanceof WantReadError)) throw e;
  }
}

describe('sessions', () => {
  it('resumes a TLS 1.3 session, visible on both sides, also from a new client Context after DER/PEM', () => {
    const pki = makePki();
    const sctx = serverContext(pki.server);
    const first = pair(new Context(TLS_METHOD), sctx);
    handshake(first.client, first.server);
    drain(first.client);
    const session = first.client.getSession()!;
    expect(session.isResumable()).toBe(true);
    expect(session.getProtocolVersion()).toBe(TLS1_3_VERSION);
    expect(session.hasTicket()).toBe(true);

    const second = pair(new Context(TLS_METHOD), sctx);
    second.client.setSession(session);
    handshake(second.client, second.server);
    expect(second.client.sessionReused()).toBe(true);
    expect(second.server.sessionReused()).toBe(true);

    const fromPem = Session.fromPEM(session.toPEM());
    expect(fromPem.toDER().equals(session.toDER())).toBe(true);
    const third = pair(new Context(TLS_METHOD), sctx);
    third.client.setSession(Session.fromDER(session.toDER()));
    handshake(third.client, third.server);
    expect(third.client.sessionReused()).toBe(true);

    // A session for another server is not resumed.
    const other = pair(new Context(TLS_METHOD), serverContext(makePki().server));
    other.client.setSession(session);
    handshake(other.client, other.server);
    expect(other.client.sessionReused()).toBe(false);
  });

  it('resumes a TLS 1.2 session by id from the server cache', () => {
    const pki = makePki();
    const sctx = serverContext(pki.server);
    sctx.setMaxProtoVersion(TLS1_2_VERSION);
    sctx.setOptions(OP_NO_TICKET);
    sctx.setSessionId('ossl-tests');
    expect(sctx.setSessionCacheMode(SESS_CACHE_SERVER)).toBe(SESS_CACHE_SERVER);
    expect(sctx.getSessionCacheMode()).toBe(SESS_CACHE_SERVER);
    sctx.setTimeout(600);
    expect(sctx.getTimeout()).toBe(600);
    const a = pair(new Context(TLS_METHOD), sctx);
    handshake(a.client, a.server);
    const session = a.client.getSession()!;
    expect(session.getId().length).toBe(32);
    const b = pair(new Context(TLS_METHOD), sctx);
    b.client.setSession(session);
    handshake(b.client, b.server);
    expect(b.server.sessionReused()).toBe(true);
    expect(b.client.masterKey()!.equals(a.client.masterKey()!)).toBe(true);
    expect(SESS_CACHE_BOTH).toBe(3);
  });

  it('rejects garbage sessions and wrong types', () => {
    expect(() => Session.fromDER(Buffer.from('garbage'))).toThrow(SSLError);
    expect(() => Session.fromDER(Buffer.alloc(0))).toThrow(SSLError);
    expect(() => Session.fromPEM('no pem here')).toThrow(RangeError);
    expect(() => new Session()).toThrow(TypeError);
    expect(() => new Connection(new Context(TLS_METHOD)).setSession({} as never)).toThrow(TypeError);
  });
});

describe('handshake secrets and messages', () => {
  for (const version of [TLS1_2_VERSION, TLS1_3_VERSION]) {
    it(`agree on both sides (TLS ${version === TLS1_3_VERSION ? '1.3' : '1.2'})`, () => {
      const pki = makePki();
      const sctx = serverContext(pki.server);
      sctx.setMaxProtoVersion(version);
      const { client, server } = pair(new Context(TLS_METHOD), sctx);
      expect(client.getFinished()).toBeNull();
      handshake(client, server);
      expect(client.getFinished()!.equals(server.getPeerFinished()!)).toBe(true);
      expect(server.getFinished()!.equals(client.getPeerFinished()!)).toBe(true);
      const a = client.exportKeyingMaterial('EXPERIMENTAL-ossl', 32);
      expect(a.equals(server.exportKeyingMaterial('EXPERIMENTAL-ossl', 32))).toBe(true);
      const withContext = client.exportKeyingMaterial('EXPERIMENTAL-ossl', 32, Buffer.from('ctx'));
      expect(withContext.equals(a)).toBe(false);
      expect(withContext.equals(server.exportKeyingMaterial('EXPERIMENTAL-ossl', 32, 'ctx'))).toBe(true);
      expect(client.serverRandom()!.equals(server.serverRandom()!)).toBe(true);
      expect(client.clientRandom()!.equals(server.clientRandom()!)).toBe(true);
      expect(client.clientRandom()!.length).toBe(32);
      if (version === TLS1_2_VERSION) expect(client.masterKey()!.equals(server.masterKey()!)).toBe(true);
      expect(() => client.exportKeyingMaterial('x', 0)).toThrow(RangeError);
    });
  }
});

describe('renegotiation (TLS 1.2)', () => {
  it('renegotiates when the client asks and the server allows it', () => {
    const pki = makePki();
    const sctx = serverContext(pki.server);
    sctx.setMaxProtoVersion(TLS1_2_VERSION);
    sctx.setOptions(OP_ALLOW_CLIENT_RENEGOTIATION);
    const { client, server } = pair(new Context(TLS_METHOD), sctx);
    handshake(client, server);
    const before = client.getFinished()!;
    expect(client.renegotiate()).toBe(true);
    expect(client.renegotiatePending()).toBe(true);
    // The client drives the new handshake; the server handles it inside recv.
    for (let i = 0; i < 10 && client.renegotiatePending(); i++) {
      try {
        client.doHandshake();
      } catch (e) {
        if (!(e instanceof WantReadError)) throw e;
      }
      pump(client, server);
      try {
        server.recv(10);
      } catch (e) {
        if (!(e instanceof WantReadError)) throw e;
      }
      pump(client, server);
    }
    expect(client.totalRenegotiations()).toBe(1);
    expect(client.renegotiatePending()).toBe(false);
    expect(client.getFinished()!.equals(before)).toBe(false);
    client.send('after');
    pump(client, server);
    expect(server.recv(10).toString()).toBe('after');
  });
});

describe('ALPN', () => {
  function alpnPair(select: (conn: Connection, offered: Buffer[]) => unknown) {
    const pki = makePki();
    const sctx = serverContext(pki.server);
    sctx.setAlpnSelectCallback(select as never);
    const cctx = new Context(TLS_METHOD);
    cctx.setAlpnProtos(['h2', Buffer.from('http/1.1')]);
    return pair(cctx, sctx);
  }

  it('negotiates what the server callback picks from the offer', () => {
    let offered: string[] = [];
    const { client, server } = alpnPair((_c, list) => {
      offered = list.map((b) => b.toString());
      return 'http/1.1';
    });
    handshake(client, server);
    expect(offered).toEqual(['h2', 'http/1.1']);
    expect(client.getAlpnProtoNegotiated()!.toString()).toBe('http/1.1');
    expect(server.getAlpnProtoNegotiated()!.toString()).toBe('http/1.1');
  });

  it('goes on without ALPN on NO_OVERLAP', () => {
    const { client, server } = alpnPair(() => NO_OVERLAP);
    handshake(client, server);
    expect(client.getAlpnProtoNegotiated()).toBeNull();
  });

  it('fails closed when the callback throws or returns a wrong type', () => {
    const boom = new Error('alpn boom');
    const p = alpnPair(() => {
      throw boom;
    });
    expect(caught(() => handshake(p.client, p.server))).toBe(boom);
    expect(() => p.server.doHandshake()).toThrow(/failed in one of its callbacks/);
    const q = alpnPair(() => 42);
    expect(caught(() => handshake(q.client, q.server))).toBeInstanceOf(TypeError);
  });

  it('refuses invalid protocol lists', () => {
    const ctx = new Context(TLS_METHOD);
    expect(() => ctx.setAlpnProtos([''])).toThrow(RangeError);
    expect(() => ctx.setAlpnProtos(['x'.repeat(256)])).toThrow(RangeError);
    expect(() => ctx.setAlpnProtos('h2' as never)).toThrow(TypeError);
    // A NUL byte is data, not a terminator.
    ctx.setAlpnProtos([Buffer.from('a\0b')]);
  });
});

describe('SNI', () => {
  it('lets the servername callback switch the Context', () => {
    const a = makePki();
    const b = makeIdentity({ cn: 'b.example', issuer: a.ca, sans: ['DNS:b.example'] });
    const ctxA = serverContext(a.server);
    const ctxB = serverContext(b);
    const seen: (string | null)[] = [];
    ctxA.setTlsextServernameCallback((conn) => {
      seen.push(conn.getServername());
      if (conn.getServername() === 'b.example') conn.setContext(ctxB);
    });
    const p = pair(new Context(TLS_METHOD), ctxA);
    p.client.setTlsextHostName('b.example');
    handshake(p.client, p.server);
    expect(seen).toEqual(['b.example']);
    expect(p.client.getPeerCertificate()!.getSubject().CN).toBe('b.example');
    expect(p.server.getContext()).toBe(ctxB);
  });

  it('stops the handshake when the callback throws (never swallowed)', () => {
    const pki = makePki();
    const sctx = serverContext(pki.server);
    const boom = new Error('sni boom');
    sctx.setTlsextServernameCallback(() => {
      throw boom;
    });
    const p = pair(new Context(TLS_METHOD), sctx);
    p.client.setTlsextHostName('x.example');
    expect(caught(() => handshake(p.client, p.server))).toBe(boom);
    expect(() => p.server.doHandshake()).toThrow(SSLError);
  });
});

describe('info and keylog callbacks', () => {
  it('report handshake start and end, and NSS key-log lines for the connection', () => {
    const pki = makePki();
    const sctx = serverContext(pki.server);
    const where: number[] = [];
    sctx.setInfoCallback((conn, w) => {
      expect(conn).toBeInstanceOf(Connection);
      where.push(w);
    });
    const cctx = new Context(TLS_METHOD);
    const lines: string[] = [];
    cctx.setKeylogCallback((conn, line) => {
      expect(conn).toBeInstanceOf(Connection);
      lines.push(line.toString());
    });
    const { client, server } = pair(cctx, sctx);
    handshake(client, server);
    expect(where.some((w) => (w & SSL_CB_HANDSHAKE_START) !== 0)).toBe(true);
    expect(where.some((w) => (w & SSL_CB_HANDSHAKE_DONE) !== 0)).toBe(true);
    const labels = lines.map((l) => l.split(' ')[0]);
    expect(labels).toEqual(expect.arrayContaining(['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0', 'EXPORTER_SECRET']));
    for (const l of lines) expect(l.split(' ')[1]).toBe(client.clientRandom()!.toString('hex'));
  });

  it('fail closed when an info callback throws', () => {
    const pki = makePki();
    const sctx = serverContext(pki.server);
    const boom = new Error('info boom');
    sctx.setInfoCallback(() => {
      throw boom;
    });
    const p = pair(new Context(TLS_METHOD), sctx);
    expect(caught(() => handshake(p.client, p.server))).toBe(boom);
    expect(() => p.server.send('x')).toThrow(SSLError);
    expect(() => sctx.setInfoCallback('no' as never)).toThrow(TypeError);
  });
});

describe('OCSP stapling', () => {
  function ocspPair(accept: boolean) {
    const pki = makePki();
    const sctx = serverContext(pki.server);
    const staple = Buffer.from('pretend DER OCSP response');
    sctx.setOcspServerCallback((conn, data) => {
      expect(data).toBe('server-data');
      return staple;
    }, 'server-data');
    const cctx = new Context(TLS_METHOD);
    const got: Buffer[] = [];
    cctx.setOcspClientCallback((conn, ocsp, data) => {
      expect(data).toBe('client-data');
      got.push(ocsp);
      return accept;
    }, 'client-data');
    const p = pair(cctx, sctx);
    p.client.requestOcsp();
    return { ...p, got, staple };
  }

  it('staples what the server callback returns and shows it to the client callback', () => {
    const { client, server, got, staple } = ocspPair(true);
    handshake(client, server);
    expect(got).toHaveLength(1);
    expect(got[0]!.equals(staple)).toBe(true);
  });

  it('stops the handshake when the client callback rejects the response', () => {
    const { client, server } = ocspPair(false);
    expect(caught(() => handshake(client, server))).toBeInstanceOf(SSLError);
  });
});

describe('PSK', () => {
  for (const version of [TLS1_2_VERSION, TLS1_3_VERSION]) {
    it(`authenticates with a pre-shared key (TLS ${version === TLS1_3_VERSION ? '1.3' : '1.2'})`, () => {
      const keys: Record<string, Buffer> = { alice: Buffer.alloc(32, 7) };
      const sctx = new Context(TLS_METHOD);
      sctx.setMaxProtoVersion(version);
      sctx.setMinProtoVersion(version);
      sctx.setCipherList('PSK');
      sctx.setCiphersuites('TLS_AES_128_GCM_SHA256');
      sctx.usePskIdentityHint('hint!');
      const identities: string[] = [];
      sctx.setPskServerCallback((_c, identity) => {
        identities.push(identity!.toString());
        return keys[identity!.toString()] ?? null;
      });
      const cctx = new Context(TLS_METHOD);
      cctx.setMaxProtoVersion(version);
      cctx.setCipherList('PSK');
      cctx.setCiphersuites('TLS_AES_128_GCM_SHA256');
      cctx.setPskClientCallback(() => ['alice', keys.alice!]);
      const p = pair(cctx, sctx);
      handshake(p.client, p.server);
      expect(identities).toContain('alice');
      p.client.send('psk data');
      pump(p.client, p.server);
      expect(p.server.recv(100).toString()).toBe('psk data');

      const wrong = new Context(TLS_METHOD);
      wrong.setMaxProtoVersion(version);
      wrong.setCipherList('PSK');
      wrong.setCiphersuites('TLS_AES_128_GCM_SHA256');
      wrong.setPskClientCallback(() => ['alice', Buffer.alloc(32, 8)]);
      const q = pair(wrong, sctx);
      expect(caught(() => handshake(q.client, q.server))).toBeInstanceOf(SSLError);

      const bad = new Context(TLS_METHOD);
      bad.setMaxProtoVersion(version);
      bad.setCipherList('PSK');
      bad.setCiphersuites('TLS_AES_128_GCM_SHA256');
      bad.setPskClientCallback(() => 'nope' as never);
      const r = pair(bad, sctx);
      expect(caught(() => handshake(r.client, r.server))).toBeInstanceOf(TypeError);
    });
  }
});

describe('client certificates', () => {
  it('sends the client CA list and honours setVerifyDepth', () => {
    const pki = makePki();
    const files = tempFiles({ 'ca.pem': dumpCertificate(FILETYPE_PEM, pki.ca.cert) });
    try {
      const sctx = serverContext(pki.server);
      sctx.loadVerifyLocations(files.path('ca.pem'));
      sctx.setClientCaList([pki.ca.cert.getSubject()]);
      sctx.addClientCa(pki.server.cert);
      sctx.setVerify(VERIFY_PEER | VERIFY_FAIL_IF_NO_PEER_CERT);
      const p = pair(serverContext(pki.client), sctx);
      expect(p.server.getClientCaList().map((n) => n.CN)).toEqual(['ossl test CA', 'localhost']);
      handshake(p.client, p.server);
      expect(p.client.getClientCaList().map((n) => n.CN)).toEqual(['ossl test CA', 'localhost']);
      expect(p.server.getVerifiedChain()!.map((c) => c.getSubject().CN)).toEqual(['ossl test client', 'ossl test CA']);

      // A chain through an intermediate is too long for depth 0.
      const inter = makeIdentity({ cn: 'Inter', ca: true, issuer: pki.ca });
      const leaf = makeIdentity({ cn: 'localhost', issuer: inter, sans: ['DNS:localhost'] });
      const deep = serverContext(leaf);
      deep.addExtraChainCert(inter.cert);
      const cctx = new Context(TLS_METHOD);
      cctx.loadVerifyLocations(files.path('ca.pem'));
      cctx.setVerify(VERIFY_PEER);
      const fine = pair(cctx, deep);
      handshake(fine.client, fine.server);
      cctx.setVerifyDepth(0);
      expect(cctx.getVerifyDepth()).toBe(0);
      const q = pair(cctx, deep);
      expect((caught(() => handshake(q.client, q.server)) as CertificateVerifyError).code).toBe('CERT_CHAIN_TOO_LONG');
      expect(() => sctx.setClientCaList(['x' as never])).toThrow(TypeError);
      expect(() => sctx.loadClientCa(files.path('missing.pem'))).toThrow(SSLError);
      sctx.loadClientCa(files.path('ca.pem'));
    } finally {
      files.cleanup();
    }
  });

  it('asks for the client certificate after a TLS 1.3 handshake (post-handshake auth)', () => {
    const pki = makePki();
    const files = tempFiles({ 'ca.pem': dumpCertificate(FILETYPE_PEM, pki.ca.cert) });
    try {
      const sctx = serverContext(pki.server);
      sctx.loadVerifyLocations(files.path('ca.pem'));
      const cctx = serverContext(pki.client);
      cctx.setPostHandshakeAuth(true);
      const { client, server } = pair(cctx, sctx);
      handshake(client, server);
      expect(server.getPeerCertificate()).toBeNull();
      server.setVerify(VERIFY_PEER | VERIFY_FAIL_IF_NO_PEER_CERT);
      server.verifyClientPostHandshake();
      server.send('please authenticate');
      pump(client, server);
      expect(client.recv(100).toString()).toBe('please authenticate');
      pump(client, server);
      client.send('here I am');
      pump(client, server);
      expect(server.recv(100).toString()).toBe('here I am');
      expect(server.getPeerCertificate()!.getSubject().CN).toBe('ossl test client');
    } finally {
      files.cleanup();
    }
  });
});

describe('Context configuration', () => {
  it('restricts groups and signature algorithms', () => {
    const pki = makePki();
    const sctx = serverContext(pki.server);
    sctx.setGroups(['X25519']);
    sctx.setSigalgs('ECDSA+SHA256');
    const p = pair(new Context(TLS_METHOD), sctx);
    handshake(p.client, p.server);
    const cctx = new Context(TLS_METHOD);
    cctx.setGroups('P-384');
    const q = pair(cctx, sctx);
    expect(caught(() => handshake(q.client, q.server))).toBeInstanceOf(SSLError);
    expect(() => sctx.setGroups(['NOPE'])).toThrow(SSLError);
    expect(() => sctx.setSigalgs(['NOPE+SHA1'])).toThrow(SSLError);
    sctx.setTmpEcdh('prime256v1');
  });

  it('uses DH parameters for DHE suites', () => {
    const rsa = makePki('rsa');
    const sctx = serverContext(rsa.server);
    sctx.setMaxProtoVersion(TLS1_2_VERSION);
    sctx.loadTmpDh(join(vectors, 'cpython-certdata', 'ffdh3072.pem'));
    sctx.setCipherList('DHE-RSA-AES128-GCM-SHA256');
    const p = pair(new Context(TLS_METHOD), sctx);
    handshake(p.client, p.server);
    expect(p.client.getCipherName()).toBe('DHE-RSA-AES128-GCM-SHA256');
    expect(() => sctx.loadTmpDh(join(vectors, 'cpython-certdata', 'keycert.pem'))).toThrow(SSLError);
  });

  it('shares its certificate store', () => {
    const pki = makePki();
    const cctx = new Context(TLS_METHOD);
    cctx.setVerify(VERIFY_PEER);
    cctx.getCertStore().addCert(pki.ca.cert);
    const p = pair(cctx, serverContext(pki.server));
    handshake(p.client, p.server);
    expect(p.client.getVerifiedChain()).toHaveLength(2);
  });

  it('asks the passwd callback for an encrypted key file', () => {
    const id = makeIdentity({ cn: 'pw' });
    const files = tempFiles({ 'k.pem': dumpPrivatekey(FILETYPE_PEM, id.key, 'aes-256-cbc', 'sesame') });
    try {
      const ctx = new Context(TLS_METHOD);
      const calls: [number, boolean, unknown][] = [];
      ctx.setPasswdCb((max, verify, data) => {
        calls.push([max, verify, data]);
        return 'sesame';
      }, 'ud');
      ctx.usePrivatekeyFile(files.path('k.pem'));
      expect(calls[0]![1]).toBe(false);
      expect(calls[0]![2]).toBe('ud');
      expect(calls[0]![0]).toBeGreaterThan(100);
      ctx.setPasswdCb(() => 'wrong');
      expect(() => ctx.usePrivatekeyFile(files.path('k.pem'))).toThrow(SSLError);
      const boom = new Error('pw boom');
      ctx.setPasswdCb(() => {
        throw boom;
      });
      expect(caught(() => ctx.usePrivatekeyFile(files.path('k.pem')))).toBe(boom);
    } finally {
      files.cleanup();
    }
  });
});

describe('createDefaultContext', () => {
  it('verifies the chain and the host name by default', () => {
    const pki = makePki();
    const ctx = createDefaultContext({ cadata: pki.ca.certPem });
    expect(ctx.getVerifyMode()).toBe(VERIFY_PEER);
    const ok = pair(ctx, serverContext(pki.server));
    ok.client.setTlsextHostName('localhost');
    handshake(ok.client, ok.server);
    const ip = pair(ctx, serverContext(pki.server));
    ip.client.setTlsextHostName('127.0.0.1');
    handshake(ip.client, ip.server);
    expect(ip.server.getServername()).toBeNull();

    const wrong = pair(ctx, serverContext(pki.server));
    wrong.client.setTlsextHostName('evil.example');
    expect((caught(() => handshake(wrong.client, wrong.server)) as CertificateVerifyError).code).toBe('HOSTNAME_MISMATCH');

    const none = pair(ctx, serverContext(pki.server));
    expect(() => none.client.doHandshake()).toThrow(/setTlsextHostName/);

    const untrusted = pair(createDefaultContext({ cadata: makePki().ca.certPem }), serverContext(pki.server));
    untrusted.client.setTlsextHostName('localhost');
    expect((caught(() => handshake(untrusted.client, untrusted.server)) as CertificateVerifyError).code).toBe('UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
  });

  it('trusts the system store (or Node roots) when given nothing, and rejects bad options', () => {
    const ctx = createDefaultContext();
    const p = pair(ctx, serverContext(makePki().server));
    p.client.setTlsextHostName('localhost');
    expect(caught(() => handshake(p.client, p.server))).toBeInstanceOf(CertificateVerifyError);
    expect(createDefaultContext({ purpose: Purpose.CLIENT_AUTH }).getVerifyMode()).toBe(0);
    expect(() => createDefaultContext({ purpose: 'BOTH' as never })).toThrow(TypeError);
    expect(() => createDefaultContext({ cadata: 'no certs' })).toThrow(RangeError);
    expect(readFileSync).toBeTypeOf('function');
    expect(new X509Name()).toBeInstanceOf(X509Name);
    expect(X509).toBeTypeOf('function');
  });

  it('lets one Connection opt out of the host check with setHost(null), the chain still verified', () => {
    const pki = makePki();
    const ctx = createDefaultContext({ cadata: pki.ca.certPem });
    const optOut = pair(ctx, serverContext(pki.server));
    optOut.client.setTlsextHostName('other.example');
    optOut.client.setHost(null);
    handshake(optOut.client, optOut.server);
    expect(optOut.client.getVerifyResult()).toBe(0);
    // Only that Connection: the next one from the same Context checks again.
    const next = pair(ctx, serverContext(pki.server));
    next.client.setTlsextHostName('other.example');
    expect((caught(() => handshake(next.client, next.server)) as CertificateVerifyError).code).toBe('HOSTNAME_MISMATCH');
    // The chain is still verified.
    const untrusted = pair(ctx, serverContext(makePki().server));
    untrusted.client.setHost(null);
    expect(caught(() => handshake(untrusted.client, untrusted.server))).toBeInstanceOf(CertificateVerifyError);
    expect(() => new Connection(ctx).setHost('')).toThrow(RangeError);
    expect(() => new Connection(ctx).setHost(5 as never)).toThrow(TypeError);
  });

  it('reads its options through own properties only', () => {
    const pki = makePki();
    const proto = Object.prototype as Record<string, unknown>;
    proto.cadata = makePki().ca.certPem; // an attacker's CA
    proto.purpose = 'CLIENT_AUTH';
    try {
      const ctx = createDefaultContext({ cadata: pki.ca.certPem });
      expect(ctx.getVerifyMode()).toBe(VERIFY_PEER);
      expect(ctx.checkHostname).toBe(true);
      const p = pair(ctx, serverContext(pki.server));
      p.client.setTlsextHostName('localhost');
      handshake(p.client, p.server);
      // The inherited cadata was not added: a server of the attacker's CA is refused.
      const bare = createDefaultContext({ capath: '/nonexistent-ossl-dir' });
      const attacker = pair(bare, serverContext(makePki().server));
      attacker.client.setTlsextHostName('localhost');
      expect(caught(() => handshake(attacker.client, attacker.server))).toBeInstanceOf(CertificateVerifyError);
    } finally {
      delete proto.cadata;
      delete proto.purpose;
    }
    expect(() => createDefaultContext(42 as never)).toThrow(TypeError);
  });

  it('lets a client that a server verified resume its session', () => {
    const pki = makePki();
    const sctx = createDefaultContext({ purpose: Purpose.CLIENT_AUTH, cadata: pki.ca.certPem });
    sctx.useCertificate(pki.server.cert);
    sctx.usePrivatekey(pki.server.key);
    sctx.setVerify(VERIFY_PEER | VERIFY_FAIL_IF_NO_PEER_CERT);
    const cctx = createDefaultContext({ cadata: pki.ca.certPem });
    cctx.useCertificate(pki.client.cert);
    cctx.usePrivatekey(pki.client.key);
    const first = pair(cctx, sctx);
    first.client.setTlsextHostName('localhost');
    handshake(first.client, first.server);
    first.server.send('x');
    first.client.bioWrite(first.server.bioRead(65536));
    first.client.recv(1);
    const again = pair(cctx, sctx);
    again.client.setTlsextHostName('localhost');
    again.client.setSession(first.client.getSession()!);
    handshake(again.client, again.server);
    expect(again.server.sessionReused()).toBe(true);
    expect(again.server.getVerifyResult()).toBe(0);
    expect(again.server.getPeerCertificate()!.digest('sha256')).toBe(pki.client.cert.digest('sha256'));
  });
});
