import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumpCertificate, FILETYPE_PEM, X509 } from '@ossl/crypto';

import {
  CertificateVerifyError,
  Connection,
  Context,
  MSG_PEEK,
  RECEIVED_SHUTDOWN,
  SENT_SHUTDOWN,
  SSLError,
  SysCallError,
  TLS1_2_VERSION,
  TLS1_3_VERSION,
  TLS_METHOD,
  VERIFY_FAIL_IF_NO_PEER_CERT,
  VERIFY_PEER,
  WantReadError,
  ZeroReturnError,
} from '../src/index.js';
import { caught, handshake, makeIdentity, makePki, pair, pump, serverContext, tempFiles } from './support/memory.js';

const vectors = join(__dirname, '..', '..', '..', 'test', 'vectors');

describe('Connection handshake in memory', () => {
  it('completes TLS 1.3 with ECDSA and RSA certificates and exchanges data', () => {
    for (const kind of ['ec', 'rsa'] as const) {
      const pki = makePki(kind);
      const { client, server } = pair(new Context(TLS_METHOD), serverContext(pki.server));
      handshake(client, server);
      expect(client.getProtocolVersionName()).toBe('TLSv1.3');
      expect(client.getProtocolVersion()).toBe(TLS1_3_VERSION);
      expect(client.getCipherName()).toMatch(/^TLS_/);
      expect(client.getCipherName()).toBe(server.getCipherName());
      expect(client.getCipherBits()).toBeGreaterThanOrEqual(128);
      expect(client.getCipherVersion()).toBe('TLSv1.3');
      expect(client.getPeerCertificate()!.digest('sha256')).toBe(pki.server.cert.digest('sha256'));
      expect(server.getPeerCertificate()).toBeNull();
      expect(server.getCertificate()!.getSubject().CN).toBe('localhost');
      expect(client.send('hello server')).toBe(12);
      pump(client, server);
      expect(server.recv(100).toString()).toBe('hello server');
      server.send(Buffer.from('hello client'));
      pump(client, server);
      expect(client.recv(5).toString()).toBe('hello');
      expect(client.pending()).toBe(7);
      expect(client.recv(100, MSG_PEEK).toString()).toBe(' client');
      expect(client.read(100).toString()).toBe(' client');
    }
  });

  it('negotiates TLS 1.2 when the server allows no more', () => {
    const pki = makePki();
    const sctx = serverContext(pki.server);
    sctx.setMaxProtoVersion(TLS1_2_VERSION);
    const { client, server } = pair(new Context(TLS_METHOD), sctx);
    handshake(client, server);
    expect(client.getProtocolVersionName()).toBe('TLSv1.2');
    expect(client.getCipherName()).toMatch(/^ECDHE-ECDSA-/);
  });

  it('throws WantReadError exactly where pyOpenSSL does', () => {
    const pki = makePki();
    const { client, server } = pair(new Context(TLS_METHOD), serverContext(pki.server));
    // The client writes its hello and then needs the server's answer.
    expect(() => client.doHandshake()).toThrow(WantReadError);
    expect(client.bioPending()).toBeGreaterThan(0);
    // The server has nothing to read yet.
    expect(() => server.doHandshake()).toThrow(WantReadError);
    expect(() => server.bioRead(100)).toThrow(WantReadError);
    handshake(client, server);
    expect(() => server.recv(10)).toThrow(WantReadError);
    // Retry errors carry no stack frames (they are control flow), and leave stack traces of other
    // errors as they were.
    const retry = caught(() => server.recv(10)) as WantReadError;
    expect(retry).toBeInstanceOf(SSLError);
    expect(retry.code).toBe('ERR_SSL_WANT_READ');
    expect(retry.stack).toBe(`WantReadError: ${retry.message}`);
    expect(Error.stackTraceLimit).toBeGreaterThan(0);
    expect(new Error('after').stack).toMatch(/\n\s+at /);
  });

  it('moves large writes in many records', () => {
    const pki = makePki();
    const { client, server } = pair(new Context(TLS_METHOD), serverContext(pki.server));
    handshake(client, server);
    const big = Buffer.alloc(1 << 20, 7);
    big.write('start');
    expect(client.sendall(big)).toBe(big.length);
    pump(client, server);
    const parts: Buffer[] = [];
    let got = 0;
    while (got < big.length) {
      const chunk = server.recv(65536);
      parts.push(chunk);
      got += chunk.length;
    }
    expect(Buffer.concat(parts).equals(big)).toBe(true);
  });
});

describe('Connection shutdown and truncation', () => {
  it('reports the close_notify as ZeroReturnError and shutdown() false then true', () => {
    const pki = makePki();
    const { client, server } = pair(new Context(TLS_METHOD), serverContext(pki.server));
    handshake(client, server);
    expect(client.shutdown()).toBe(false);
    expect(client.getShutdown()).toBe(SENT_SHUTDOWN);
    pump(client, server);
    expect(() => server.recv(10)).toThrow(ZeroReturnError);
    expect(server.getShutdown() & RECEIVED_SHUTDOWN).toBe(RECEIVED_SHUTDOWN);
    expect(server.shutdown()).toBe(true);
    pump(client, server);
    expect(client.shutdown()).toBe(true);
  });

  it('tryRecv returns null where recv throws WantReadError, and otherwise behaves as recv', () => {
    const pki = makePki();
    const { client, server } = pair(new Context(TLS_METHOD), serverContext(pki.server));
    handshake(client, server);
    expect(server.tryRecv(10)).toBeNull();
    expect(() => server.recv(10)).toThrow(WantReadError);
    client.sendall('hello, tryRecv');
    pump(client, server);
    expect(server.tryRecv(5)!.toString()).toBe('hello');
    expect(server.tryRecv(100)!.toString()).toBe(', tryRecv');
    expect(server.tryRecv(100)).toBeNull();
    expect(() => server.tryRecv(-1)).toThrow(RangeError);
    expect(() => server.tryRecv('10' as never)).toThrow(TypeError);
    client.shutdown();
    pump(client, server);
    expect(() => server.tryRecv(10)).toThrow(ZeroReturnError);
    const other = pair(new Context(TLS_METHOD), serverContext(pki.server));
    handshake(other.client, other.server);
    other.server.bioShutdown();
    expect(caught(() => other.server.tryRecv(10))).toBeInstanceOf(SysCallError);
  });

  it('reports EOF without close_notify as SysCallError, never as a clean end', () => {
    const pki = makePki();
    const { client, server } = pair(new Context(TLS_METHOD), serverContext(pki.server));
    handshake(client, server);
    server.bioShutdown();
    const e = caught(() => server.recv(10));
    expect(e).toBeInstanceOf(SysCallError);
    expect(e).toBeInstanceOf(SSLError);
    expect(e).not.toBeInstanceOf(ZeroReturnError);
    expect((e as SysCallError).errno).toBe(-1);
  });

  it('fails cleanly when the peer hangs up mid-handshake', () => {
    const pki = makePki();
    const { client, server } = pair(new Context(TLS_METHOD), serverContext(pki.server));
    expect(() => client.doHandshake()).toThrow(WantReadError);
    pump(client, server);
    expect(() => server.doHandshake()).toThrow(WantReadError);
    client.bioShutdown();
    expect(() => client.doHandshake()).toThrow(SysCallError);
  });
});

describe('Connection with a hostile or incompatible peer', () => {
  it('fails with OpenSSL reasons on garbage from the peer', () => {
    const pki = makePki();
    const { server } = pair(new Context(TLS_METHOD), serverContext(pki.server));
    server.bioWrite(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    const e = caught(() => server.doHandshake()) as SSLError;
    expect(e).toBeInstanceOf(SSLError);
    expect(e.errors.map((x) => x.reason).join()).toMatch(/http request|wrong version number|record/);
  });

  it('survives the OpenSSL fuzz corpus on both sides', () => {
    const pki = makePki();
    const sctx = serverContext(pki.server);
    for (const side of ['server', 'client'] as const) {
      const dir = join(vectors, 'openssl-fuzz', side);
      const files = readdirSync(dir);
      expect(files.length).toBeGreaterThan(20);
      for (const f of files) {
        const conn = new Connection(side === 'server' ? sctx : new Context(TLS_METHOD));
        if (side === 'server') conn.setAcceptState();
        else {
          conn.setConnectState();
          expect(() => conn.doHandshake()).toThrow(WantReadError);
        }
        conn.bioWrite(readFileSync(join(dir, f)));
        conn.bioShutdown();
        const e = caught(() => conn.doHandshake());
        expect(e).toBeInstanceOf(SSLError);
      }
    }
  });

  it('fails when there is no common protocol or cipher', () => {
    const pki = makePki();
    const sctx = serverContext(pki.server);
    sctx.setMinProtoVersion(TLS1_3_VERSION);
    const cctx = new Context(TLS_METHOD);
    cctx.setMaxProtoVersion(TLS1_2_VERSION);
    const { client, server } = pair(cctx, sctx);
    const e = caught(() => handshake(client, server)) as SSLError;
    expect(e).toBeInstanceOf(SSLError);
    expect(e.errors.map((x) => x.reason).join()).toMatch(/unsupported protocol|protocol version/);

    const s2 = serverContext(pki.server);
    s2.setMaxProtoVersion(TLS1_2_VERSION);
    s2.setCipherList('ECDHE-ECDSA-AES128-GCM-SHA256');
    const c2 = new Context(TLS_METHOD);
    c2.setCipherList('ECDHE-ECDSA-AES256-GCM-SHA384');
    const p2 = pair(c2, s2);
    const e2 = caught(() => handshake(p2.client, p2.server)) as SSLError;
    expect(e2.errors.map((x) => x.reason).join()).toMatch(/no shared cipher|handshake failure/);
  });
});

describe('Connection after a fatal error', () => {
  it('refuses further I/O the same way on every OpenSSL release, and still hands out the alert', () => {
    const pki = makePki();
    const cctx = new Context(TLS_METHOD);
    cctx.setVerify(VERIFY_PEER); // trusts nothing: the server's certificate is refused
    const { client, server } = pair(cctx, serverContext(pki.server));
    const first = caught(() => handshake(client, server));
    expect(first).toBeInstanceOf(CertificateVerifyError);
    // The alert OpenSSL queued for the peer can still be read and sent.
    expect(client.bioPending()).toBeGreaterThan(0);
    expect(client.bioRead(1024).length).toBeGreaterThan(0);
    for (const op of [() => client.doHandshake(), () => client.recv(10), () => client.send('x'), () => client.shutdown()]) {
      const e = caught(op);
      expect(e).toBeInstanceOf(SSLError);
      expect(e).toHaveProperty('code', 'ERR_SSL_CONNECTION_FAILED');
    }
  });
});

describe('Connection verification', () => {
  it('verifies the server against a trusted CA and the host name', () => {
    const pki = makePki();
    const files = tempFiles({ 'ca.pem': dumpCertificate(FILETYPE_PEM, pki.ca.cert) });
    try {
      const cctx = new Context(TLS_METHOD);
      cctx.loadVerifyLocations(files.path('ca.pem'));
      cctx.setVerify(VERIFY_PEER);
      const ok = pair(cctx, serverContext(pki.server));
      ok.client.setHost('localhost');
      ok.client.setTlsextHostName('localhost');
      handshake(ok.client, ok.server);
      expect(ok.client.getVerifyResult()).toBe(0);
      expect(ok.server.getServername()).toBe('localhost');

      const bad = pair(cctx, serverContext(pki.server));
      bad.client.setHost('other.example');
      const e = caught(() => handshake(bad.client, bad.server));
      expect(e).toBeInstanceOf(CertificateVerifyError);
      expect((e as CertificateVerifyError).code).toBe('HOSTNAME_MISMATCH');
      expect((e as CertificateVerifyError).verifyCode).toBe(62);

      const ip = pair(cctx, serverContext(pki.server));
      ip.client.setHost('127.0.0.1');
      handshake(ip.client, ip.server);
    } finally {
      files.cleanup();
    }
  });

  it('raises CertificateVerifyError with OpenSSL codes for untrusted and expired servers', () => {
    const pki = makePki();
    const cctx = new Context(TLS_METHOD);
    cctx.setVerify(VERIFY_PEER);
    const p = pair(cctx, serverContext(pki.server));
    const e = caught(() => handshake(p.client, p.server)) as CertificateVerifyError;
    expect(e).toBeInstanceOf(CertificateVerifyError);
    expect(e.code).toBe('UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    expect(e.verifyMessage).toBe('unable to get local issuer certificate');

    const self = makeIdentity({ cn: 'self' });
    const p2 = pair(cctx, serverContext(self));
    expect((caught(() => handshake(p2.client, p2.server)) as CertificateVerifyError).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');

    const expired = makeIdentity({ cn: 'old', issuer: pki.ca, notBefore: -7200, notAfter: -3600 });
    const files = tempFiles({ 'ca.pem': dumpCertificate(FILETYPE_PEM, pki.ca.cert) });
    try {
      const c3 = new Context(TLS_METHOD);
      c3.loadVerifyLocations(files.path('ca.pem'));
      c3.setVerify(VERIFY_PEER);
      const p3 = pair(c3, serverContext(expired));
      expect((caught(() => handshake(p3.client, p3.server)) as CertificateVerifyError).code).toBe('CERT_HAS_EXPIRED');
    } finally {
      files.cleanup();
    }
  });

  it('calls the verify callback once per chain element and obeys its verdict', () => {
    const pki = makePki();
    const seen: [string | null, number, number, number][] = [];
    const cctx = new Context(TLS_METHOD);
    let verdict = true;
    cctx.setVerify(VERIFY_PEER, (conn, cert, errnum, depth, ok) => {
      expect(conn).toBeInstanceOf(Connection);
      expect(cert).toBeInstanceOf(X509);
      seen.push([cert.getSubject().CN, errnum, depth, ok]);
      return verdict;
    });
    const sctx = serverContext(pki.server);
    sctx.addExtraChainCert(pki.ca.cert);
    const p = pair(cctx, sctx);
    handshake(p.client, p.server);
    // The CA is not trusted, so OpenSSL reports an error at depth 1 that the callback overrides.
    expect(seen[0]).toEqual(['ossl test CA', 19, 1, 0]);
    expect(seen.at(-1)).toEqual(['localhost', 0, 0, 1]);
    expect(p.client.getPeerCertChain()!.map((c) => c.getSubject().CN)).toEqual(['localhost', 'ossl test CA']);

    verdict = false;
    const p2 = pair(cctx, sctx);
    const e = caught(() => handshake(p2.client, p2.server)) as SSLError;
    expect(e).toBeInstanceOf(SSLError);
    expect(e.errors.map((x) => x.reason)).toContain('certificate verify failed');
  });

  it('re-throws what the verify callback throws and stops the handshake', () => {
    const pki = makePki();
    const boom = new Error('callback failed');
    const cctx = new Context(TLS_METHOD);
    cctx.setVerify(VERIFY_PEER, () => {
      throw boom;
    });
    const p = pair(cctx, serverContext(pki.server));
    expect(caught(() => handshake(p.client, p.server))).toBe(boom);
    // The handshake does not carry on after the failure.
    expect(() => p.client.doHandshake()).toThrow(SSLError);

    const typed = new Context(TLS_METHOD);
    typed.setVerify(VERIFY_PEER, () => 'yes' as never);
    const p2 = pair(typed, serverContext(pki.server));
    expect(caught(() => handshake(p2.client, p2.server))).toBeInstanceOf(TypeError);
  });

  it('refuses to re-enter the Connection from its own callback', () => {
    const pki = makePki();
    const cctx = new Context(TLS_METHOD);
    cctx.setVerify(VERIFY_PEER, (conn) => {
      conn.doHandshake();
      return true;
    });
    const p = pair(cctx, serverContext(pki.server));
    const e = caught(() => handshake(p.client, p.server));
    expect(e).toBeInstanceOf(SSLError);
    expect(e).toHaveProperty('code', 'ERR_SSL_REENTRANT_CALL');
    expect((e as Error).message).toMatch(/^Connection\.doHandshake\(\) cannot be called from inside one of this Connection's callbacks/);
  });

  it('requires a client certificate when told to', () => {
    const pki = makePki();
    const files = tempFiles({ 'ca.pem': dumpCertificate(FILETYPE_PEM, pki.ca.cert) });
    try {
      const sctx = serverContext(pki.server);
      sctx.loadVerifyLocations(files.path('ca.pem'));
      sctx.setVerify(VERIFY_PEER | VERIFY_FAIL_IF_NO_PEER_CERT);
      const anon = pair(new Context(TLS_METHOD), sctx);
      const e = caught(() => handshake(anon.client, anon.server)) as SSLError;
      expect(e).toBeInstanceOf(SSLError);
      expect(e.errors.map((x) => x.reason).join()).toMatch(/peer did not return a certificate|certificate required/);

      const withCert = pair(serverContext(pki.client), sctx);
      handshake(withCert.client, withCert.server);
      expect(withCert.server.getPeerCertificate()!.getSubject().CN).toBe('ossl test client');
    } finally {
      files.cleanup();
    }
  });
});

describe('Connection arguments', () => {
  it('rejects wrong types with TypeError naming the parameter', () => {
    const ctx = new Context(TLS_METHOD);
    expect(() => new Connection('ctx' as never)).toThrow('"context" must be a Context, got string');
    const conn = new Connection(ctx);
    expect(() => conn.send(5 as never)).toThrow('"buf" must be a Buffer or string, got number');
    expect(() => conn.recv('10' as never)).toThrow(TypeError);
    expect(() => conn.bioWrite(null as never)).toThrow(TypeError);
    expect(() => conn.bioRead(-1)).toThrow(RangeError);
    expect(() => conn.setTlsextHostName('bad\0name')).toThrow(RangeError);
    expect(() => conn.setVerify(VERIFY_PEER, 3 as never)).toThrow(TypeError);
    expect(() => conn.useCertificate({} as never)).toThrow(TypeError);
    expect(() => new Connection(ctx, {} as never)).toThrow(/"socket" must be a net.Socket/);
  });

  it('keeps state strings and application data', () => {
    const conn = new Connection(new Context(TLS_METHOD));
    conn.setConnectState();
    expect(conn.getStateString()).toMatch(/before SSL initialization/);
    expect(conn.getCipherName()).toBeNull();
    expect(conn.getCipherList().length).toBeGreaterThan(5);
    conn.setAppData(42);
    expect(conn.getAppData()).toBe(42);
    expect(conn.getContext()).toBeInstanceOf(Context);
  });
});

describe('the rest of the Connection and Context surface', () => {
  it('uses per-Connection certificates, reads into buffers and reports want/shutdown state', async () => {
    const { MODE_RELEASE_BUFFERS } = await import('../src/index.js');
    const pki = makePki();
    const sctx = new Context(TLS_METHOD);
    expect(sctx.setMode(MODE_RELEASE_BUFFERS) & MODE_RELEASE_BUFFERS).toBe(MODE_RELEASE_BUFFERS);
    sctx.setTlsextUseSrtp('SRTP_AES128_CM_SHA1_80');
    expect(() => sctx.setTlsextUseSrtp('NOPE')).toThrow(SSLError);
    const { client, server } = pair(new Context(TLS_METHOD), sctx);
    server.useCertificate(pki.server.cert);
    server.usePrivatekey(pki.server.key);
    expect(client.wantRead()).toBe(false);
    expect(() => client.doHandshake()).toThrow(WantReadError);
    expect(client.wantWrite()).toBe(true);
    expect(client.wantRead()).toBe(true);
    handshake(client, server);
    expect(client.getPeerCertificate()!.getSubject().CN).toBe('localhost');
    client.write('into a buffer');
    pump(client, server);
    const buf = Buffer.alloc(64);
    expect(server.recvInto(buf, 4)).toBe(4);
    expect(buf.subarray(0, 4).toString()).toBe('into');
    expect(server.recvInto(buf)).toBe(9);
    expect(() => server.recvInto('x' as never)).toThrow(TypeError);
    server.setShutdown(SENT_SHUTDOWN | RECEIVED_SHUTDOWN);
    expect(server.getShutdown()).toBe(SENT_SHUTDOWN | RECEIVED_SHUTDOWN);
  });
});

describe('lifetimes', () => {
  it('keeps working after its Context and certificates are dropped and collected', async () => {
    const make = () => {
      const pki = makePki();
      return pair(new Context(TLS_METHOD), serverContext(pki.server));
    };
    const { client, server } = make();
    for (let i = 0; i < 3; i++) {
      globalThis.gc?.();
      await new Promise((r) => setImmediate(r));
    }
    handshake(client, server);
    expect(client.getPeerCertificate()!.getSubject().CN).toBe('localhost');
    expect(server.getContext()).toBeInstanceOf(Context);
  });
});
