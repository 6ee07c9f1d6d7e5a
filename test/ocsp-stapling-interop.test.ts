// OCSP stapling against the openssl CLI, on loopback only: our client (Context.requireOcspStaple,
// setOcspClientCallback) against `openssl s_server -status_file` and `s_server -status` fetching from a
// live responder, `openssl s_client -status` against our server, and our client against our server.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OCSPCertId, OCSPRequest, OCSPResponse, X509Extension, dumpCertificate, dumpPrivatekey, FILETYPE_PEM, type X509 } from '@ossl/crypto';
import { CertificateVerifyError, Context, SocketConnection, SSLError, TLS1_2_VERSION, TLS_METHOD, VERIFY_PEER } from '@ossl/ssl';
import { makeIdentity, makePki, tempFiles, type Identity, type Pki } from '@ossl/testkit';

import { pkiFiles } from './support/pki-files.js';
import { startPeer, startSServer, type Peer } from './support/peers.js';

const running: Peer[] = [];
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  for (const c of cleanups.splice(0).reverse()) await c();
});

function register(fn: () => unknown): void {
  cleanups.push(fn);
}

/** Whole seconds ago (ASN.1 times have no fractions). */
function secondsAgo(seconds: number): Date {
  return new Date((Math.floor(Date.now() / 1000) - seconds) * 1000);
}

type Status = 'good' | 'revoked' | 'unknown';

/** A response about pki.server's certificate, signed by pki.ca. */
function buildStaple(pki: Pki, status: Status): OCSPResponse {
  return OCSPResponse.build({
    responses: [
      status === 'revoked'
        ? { cert: pki.server.cert, issuer: pki.ca.cert, status, revocationTime: secondsAgo(3600), revocationReason: 'keyCompromise' }
        : { cert: pki.server.cert, issuer: pki.ca.cert, status },
    ],
    signer: pki.ca.cert,
    key: pki.ca.key,
  });
}

/** A client Context that trusts the CA in `caFile`, verifies the server and requires a good staple. */
function strictClient(caFile: string, max: number | null = null): Context {
  const ctx = new Context(TLS_METHOD);
  if (max !== null) ctx.setMaxProtoVersion(max);
  ctx.loadVerifyLocations(caFile);
  ctx.setVerify(VERIFY_PEER);
  ctx.requireOcspStaple();
  return ctx;
}

/** A SocketConnection client to 127.0.0.1:port for `localhost`, closed after the test. */
async function connectTo(ctx: Context, port: number): Promise<SocketConnection> {
  const conn = new SocketConnection(ctx, new net.Socket(), { timeout: 10_000 });
  register(() => conn.close());
  await conn.connect(['127.0.0.1', port]);
  conn.setTlsextHostName('localhost');
  conn.setHost('localhost');
  return conn;
}

/** What a promise rejected with (the test fails when it resolved). */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

/** Sends a line to s_server and waits for it there: the handshake finished on its side too. */
async function roundTrip(conn: SocketConnection, server: Peer, line: string): Promise<void> {
  await conn.sendall(`${line}\n`);
  await server.waitFor(line);
}

const VERSIONS = [
  { flag: '-tls1_3', name: 'TLSv1.3', max: null },
  { flag: '-tls1_2', name: 'TLSv1.2', max: TLS1_2_VERSION },
] as const;

describe('our client against openssl s_server -status_file', () => {
  /** s_server for pki.server stapling `staple` (DER in a file), or nothing when it is null. */
  async function sServer(pki: Pki, staple: OCSPResponse | null, extra: string[] = []) {
    const f = pkiFiles(pki, register);
    const args = ['-cert', f.path('server.pem'), '-key', f.path('server.key'), '-naccept', '1', ...extra];
    if (staple !== null) {
      writeFileSync(f.path('resp.der'), staple.toDER());
      args.push('-status_file', f.path('resp.der'));
    }
    const server = await startSServer(args);
    running.push(server);
    return { f, server };
  }

  for (const v of VERSIONS) {
    it(`requireOcspStaple passes for a good staple (${v.name})`, async () => {
      const pki = makePki();
      const { f, server } = await sServer(pki, buildStaple(pki, 'good'), [v.flag]);
      const conn = await connectTo(strictClient(f.path('ca.pem')), server.port);
      await conn.doHandshake();
      expect(conn.getProtocolVersionName()).toBe(v.name);
      expect(conn.getPeerCertificate()!.getSubject().CN).toBe('localhost');
      await roundTrip(conn, server, 'stapled and good');
    });

    it(`requireOcspStaple fails a revoked staple with CertificateVerifyError CERT_REVOKED (${v.name})`, async () => {
      const pki = makePki();
      const { f, server } = await sServer(pki, buildStaple(pki, 'revoked'), [v.flag]);
      const conn = await connectTo(strictClient(f.path('ca.pem')), server.port);
      const e = await rejection(conn.doHandshake());
      expect(e).toBeInstanceOf(CertificateVerifyError);
      expect((e as CertificateVerifyError).code).toBe('CERT_REVOKED');
      expect((e as Error).message).toContain('keyCompromise');
      expect(conn.isInitFinished()).toBe(false);
      // s_server was told: it reports the client's alert.
      await server.waitFor(/bad certificate status response/);
    });
  }

  it('requireOcspStaple fails an unknown status with ERR_OCSP_STATUS_UNKNOWN', async () => {
    const pki = makePki();
    const { f, server } = await sServer(pki, buildStaple(pki, 'unknown'));
    const conn = await connectTo(strictClient(f.path('ca.pem')), server.port);
    const e = await rejection(conn.doHandshake());
    expect(e).toBeInstanceOf(SSLError);
    expect((e as SSLError).code).toBe('ERR_OCSP_STATUS_UNKNOWN');
  });

  it('requireOcspStaple fails a staple signed by an unrelated CA with ERR_OCSP_STAPLE_INVALID', async () => {
    const pki = makePki();
    const other = makePki();
    const foreign = OCSPResponse.build({
      responses: [{ cert: pki.server.cert, issuer: pki.ca.cert, status: 'good' }],
      signer: other.ca.cert,
      key: other.ca.key,
    });
    const { f, server } = await sServer(pki, foreign);
    const conn = await connectTo(strictClient(f.path('ca.pem')), server.port);
    const e = await rejection(conn.doHandshake());
    expect(e).toBeInstanceOf(SSLError);
    expect((e as SSLError).code).toBe('ERR_OCSP_STAPLE_INVALID');
  });

  it('requireOcspStaple fails with ERR_OCSP_STAPLE_MISSING when s_server staples nothing', async () => {
    const pki = makePki();
    const { f, server } = await sServer(pki, null);
    const conn = await connectTo(strictClient(f.path('ca.pem')), server.port);
    const e = await rejection(conn.doHandshake());
    expect(e).toBeInstanceOf(SSLError);
    expect(e).not.toBeInstanceOf(CertificateVerifyError);
    expect((e as SSLError).code).toBe('ERR_OCSP_STAPLE_MISSING');
  });

  for (const status of ['good', 'revoked'] as const) {
    it(`setOcspClientCallback gets s_server's staple parsed, saying ${status}`, async () => {
      const pki = makePki();
      const staple = buildStaple(pki, status);
      const { f, server } = await sServer(pki, staple);
      const ctx = new Context(TLS_METHOD);
      ctx.loadVerifyLocations(f.path('ca.pem'));
      ctx.setVerify(VERIFY_PEER);
      const seen: Array<{ der: Buffer; response: OCSPResponse | null }> = [];
      ctx.setOcspClientCallback((_conn, der, _data, response) => {
        seen.push({ der, response });
        return true;
      });
      const conn = await connectTo(ctx, server.port);
      conn.requestOcsp();
      await conn.doHandshake();
      expect(seen).toHaveLength(1);
      const { der, response } = seen[0]!;
      expect(der.equals(staple.toDER())).toBe(true);
      expect(response).toBeInstanceOf(OCSPResponse);
      expect(response!.statusName).toBe('successful');
      response!.verify(ctx.getCertStore());
      const single = response!.getStatus(pki.server.cert, pki.ca.cert);
      expect(single?.status).toBe(status);
      expect(single?.revocationReason ?? null).toBe(status === 'revoked' ? 'keyCompromise' : null);
      await roundTrip(conn, server, `callback saw ${status}`);
    });
  }

  it('setOcspClientCallback gets null when s_server staples nothing', async () => {
    const pki = makePki();
    const { f, server } = await sServer(pki, null);
    const ctx = new Context(TLS_METHOD);
    ctx.loadVerifyLocations(f.path('ca.pem'));
    ctx.setVerify(VERIFY_PEER);
    const seen: Array<OCSPResponse | null> = [];
    let derLength = -1;
    ctx.setOcspClientCallback((_conn, der, _data, response) => {
      seen.push(response);
      derLength = der.length;
      return true;
    });
    const conn = await connectTo(ctx, server.port);
    conn.requestOcsp();
    await conn.doHandshake();
    expect(seen).toEqual([null]);
    expect(derLength).toBe(0);
    await roundTrip(conn, server, 'nothing stapled');
  });
});

/** The openssl index line of `cert` (openssl ca's index.txt, which `openssl ocsp -index` reads). */
function indexLine(cert: X509, revokedAt: Date | null): string {
  const asn1 = (d: Date): string => d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  let serial = cert.getSerialNumber().toString(16).toUpperCase();
  if (serial.length % 2 === 1) serial = `0${serial}`;
  const notAfter = asn1(new Date(Date.now() + 86_400_000));
  const subject = `/C=US/O=ossl tests/CN=${cert.getSubject().CN}`;
  return revokedAt === null
    ? `V\t${notAfter}\t\t${serial}\tunknown\t${subject}\n`
    : `R\t${notAfter}\t${asn1(revokedAt)},keyCompromise\t${serial}\tunknown\t${subject}\n`;
}

function runOpenssl(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, (err, _stdout, stderr) => (err ? reject(new Error(`openssl ${args.join(' ')}: ${stderr}`)) : resolve()));
  });
}

describe('our client against openssl s_server -status, fetching from a live OCSP responder', () => {
  // `openssl ocsp -port` listens on every interface, never on loopback only; so the responder here is an
  // HTTP server on 127.0.0.1 that answers each request by running `openssl ocsp -index` on it (-reqin,
  // -respout): openssl's own responder logic, over loopback.
  async function liveResponder(status: 'good' | 'revoked') {
    const http1 = http.createServer();
    const requests: OCSPRequest[] = [];
    const sockets = new Set<net.Socket>();
    http1.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    http1.listen(0, '127.0.0.1');
    await once(http1, 'listening');
    register(
      () =>
        new Promise((resolve) => {
          for (const s of sockets) s.destroy();
          http1.close(() => resolve(undefined));
        }),
    );
    const port = (http1.address() as net.AddressInfo).port;
    const ca = makeIdentity({ cn: 'ossl OCSP test CA', ca: true });
    const server: Identity = makeIdentity({
      cn: 'localhost',
      issuer: ca,
      sans: ['DNS:localhost', 'IP:127.0.0.1'],
      extraExtensions: () => [new X509Extension('authorityInfoAccess', false, `OCSP;URI:http://127.0.0.1:${port}/`)],
    });
    const pki: Pki = { ca, server, client: makeIdentity({ cn: 'unused client', issuer: ca }) };
    const f = tempFiles({
      'ca.pem': dumpCertificate(FILETYPE_PEM, ca.cert),
      'ca.key': dumpPrivatekey(FILETYPE_PEM, ca.key),
      'server.pem': dumpCertificate(FILETYPE_PEM, server.cert),
      'server.key': dumpPrivatekey(FILETYPE_PEM, server.key),
      'index.txt': indexLine(server.cert, status === 'revoked' ? secondsAgo(3600) : null),
    });
    register(f.cleanup);
    let n = 0;
    http1.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const i = n++;
        const body = Buffer.concat(chunks);
        requests.push(OCSPRequest.fromDER(body));
        writeFileSync(f.path(`req${i}.der`), body);
        const args = ['ocsp', '-index', f.path('index.txt'), '-CA', f.path('ca.pem'), '-rsigner', f.path('ca.pem'), '-rkey', f.path('ca.key')];
        runOpenssl([...args, '-reqin', f.path(`req${i}.der`), '-respout', f.path(`resp${i}.der`)]).then(
          () => {
            res.writeHead(200, { 'content-type': 'application/ocsp-response' });
            res.end(readFileSync(f.path(`resp${i}.der`)));
          },
          (err: Error) => {
            res.writeHead(500);
            res.end(err.message);
          },
        );
      });
    });
    return { pki, f, requests };
  }

  for (const status of ['good', 'revoked'] as const) {
    it(`requireOcspStaple ${status === 'good' ? 'passes' : 'fails with CERT_REVOKED'} for a ${status} certificate`, async () => {
      const { pki, f, requests } = await liveResponder(status);
      const server = await startSServer(['-cert', f.path('server.pem'), '-key', f.path('server.key'), '-CAfile', f.path('ca.pem'), '-status', '-naccept', '1']);
      running.push(server);
      const ctx = strictClient(f.path('ca.pem'));
      const conn = await connectTo(ctx, server.port);
      if (status === 'good') {
        await conn.doHandshake();
        await roundTrip(conn, server, 'fetched and good');
      } else {
        const e = await rejection(conn.doHandshake());
        expect(e).toBeInstanceOf(CertificateVerifyError);
        expect((e as CertificateVerifyError).code).toBe('CERT_REVOKED');
        expect((e as Error).message).toContain('keyCompromise');
      }
      // s_server asked the responder, about this server's certificate.
      expect(requests).toHaveLength(1);
      const ids = requests[0]!.getCertIds();
      expect(ids).toHaveLength(1);
      expect(ids[0]!.equals(OCSPCertId.create(pki.server.cert, pki.ca.cert))).toBe(true);
    });
  }
});

describe('openssl s_client -status against our server', () => {
  /** Our server (`ctx`) on 127.0.0.1 for one connection: handshake, a line, close_notify; `done` settles after it. */
  async function serveOnce(ctx: Context) {
    const listener = net.createServer();
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    const acceptor = new SocketConnection(ctx, listener, { timeout: 10_000 });
    register(() => new Promise((r) => (listener.listening ? listener.close(() => r(undefined)) : r(undefined))));
    const done = (async () => {
      const [conn] = await acceptor.accept();
      try {
        await conn.doHandshake();
        await conn.sendall('served by ossl\n');
        await conn.shutdown();
      } finally {
        await conn.close();
        await acceptor.close();
      }
    })();
    return { port: (listener.address() as net.AddressInfo).port, done };
  }

  function staplingContext(pki: Pki, answer: () => OCSPResponse | Buffer | null): { ctx: Context; calls: () => number } {
    const ctx = new Context(TLS_METHOD);
    ctx.useCertificate(pki.server.cert);
    ctx.usePrivatekey(pki.server.key);
    let calls = 0;
    ctx.setOcspServerCallback(() => {
      calls++;
      return answer();
    });
    return { ctx, calls: () => calls };
  }

  function sClient(port: number, caFile: string, extra: string[] = []): Peer {
    const client = startPeer('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-status', '-CAfile', caFile, ...extra]);
    running.push(client);
    return client;
  }

  for (const v of VERSIONS) {
    it(`s_client sees our good staple: successful, Cert Status: good (${v.name})`, async () => {
      const pki = makePki();
      const f = pkiFiles(pki, register);
      const staple = buildStaple(pki, 'good');
      const { ctx, calls } = staplingContext(pki, () => staple);
      const { port, done } = await serveOnce(ctx);
      const client = sClient(port, f.path('ca.pem'), [v.flag]);
      await client.waitFor('served by ossl');
      await done;
      const out = client.output();
      expect(out).toContain('OCSP Response Status: successful');
      expect(out).toMatch(/Cert Status: good/);
      expect(out).not.toContain('no response sent');
      expect(out).toMatch(/Verify return code: 0 \(ok\)/);
      expect(out).toContain(`New, ${v.name}, Cipher is`);
      expect(calls()).toBe(1);
    });
  }

  it('s_client sees our revoked staple, sent as DER: Cert Status: revoked', async () => {
    const pki = makePki();
    const f = pkiFiles(pki, register);
    const der = buildStaple(pki, 'revoked').toDER();
    const { ctx, calls } = staplingContext(pki, () => der);
    const { port, done } = await serveOnce(ctx);
    const client = sClient(port, f.path('ca.pem'));
    await client.waitFor('served by ossl');
    await done;
    const out = client.output();
    expect(out).toContain('OCSP Response Status: successful');
    expect(out).toMatch(/Cert Status: revoked/);
    expect(out).toMatch(/Revocation Reason: keyCompromise/);
    expect(out).not.toMatch(/Cert Status: good/);
    expect(calls()).toBe(1);
  });

  it('s_client prints "no response sent" when our callback returns null', async () => {
    const pki = makePki();
    const f = pkiFiles(pki, register);
    const { ctx, calls } = staplingContext(pki, () => null);
    const { port, done } = await serveOnce(ctx);
    const client = sClient(port, f.path('ca.pem'));
    await client.waitFor('served by ossl');
    await done;
    const out = client.output();
    expect(out).toContain('OCSP response: no response sent');
    expect(out).not.toContain('OCSP Response Status');
    expect(calls()).toBe(1);
  });

  it('s_client without -status is not stapled to: our callback does not run', async () => {
    const pki = makePki();
    const f = pkiFiles(pki, register);
    const staple = buildStaple(pki, 'good');
    const { ctx, calls } = staplingContext(pki, () => staple);
    const { port, done } = await serveOnce(ctx);
    const client = startPeer('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-CAfile', f.path('ca.pem')]);
    running.push(client);
    await client.waitFor('served by ossl');
    await done;
    expect(client.output()).not.toContain('OCSP');
    expect(calls()).toBe(0);
  });
});

describe('our client against our server over sockets', () => {
  async function run(pki: Pki, answer: () => OCSPResponse | null, max: number | null) {
    const f = pkiFiles(pki, register);
    const sctx = new Context(TLS_METHOD);
    sctx.useCertificate(pki.server.cert);
    sctx.usePrivatekey(pki.server.key);
    sctx.setOcspServerCallback(() => answer());
    const listener = net.createServer();
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    const acceptor = new SocketConnection(sctx, listener, { timeout: 10_000 });
    register(() => acceptor.close());
    const serverSide = (async () => {
      const [conn] = await acceptor.accept();
      register(() => conn.close());
      await conn.doHandshake();
      let got = '';
      for (let i = 0; i < 100 && !got.includes('\n'); i++) got += (await conn.recv(1024)).toString();
      await conn.sendall(`echo:${got}`);
      return conn;
    })();
    const client = await connectTo(strictClient(f.path('ca.pem'), max), (listener.address() as net.AddressInfo).port);
    return { client, serverSide };
  }

  for (const v of VERSIONS) {
    it(`requireOcspStaple passes for a good staple and data flows (${v.name})`, async () => {
      const pki = makePki();
      const staple = buildStaple(pki, 'good');
      const { client, serverSide } = await run(pki, () => staple, v.max);
      await client.doHandshake();
      expect(client.getProtocolVersionName()).toBe(v.name);
      await client.sendall('hello\n');
      let got = '';
      for (let i = 0; i < 100 && !got.includes('echo:hello\n'); i++) got += (await client.recv(1024)).toString();
      expect(got).toBe('echo:hello\n');
      const server = await serverSide;
      expect(server.ocspRequested()).toBe(true);
    });
  }

  it('requireOcspStaple fails a revoked staple, and our server fails its handshake too', async () => {
    const pki = makePki();
    const staple = buildStaple(pki, 'revoked');
    const { client, serverSide } = await run(pki, () => staple, null);
    const [clientError, serverError] = await Promise.all([rejection(client.doHandshake()), rejection(serverSide)]);
    expect(clientError).toBeInstanceOf(CertificateVerifyError);
    expect((clientError as CertificateVerifyError).code).toBe('CERT_REVOKED');
    // The client's alert failed our server's handshake (it did not wait for a time-out).
    expect(serverError).toBeInstanceOf(SSLError);
    expect((serverError as SSLError).errors.map((x) => x.reason).join()).toMatch(/bad certificate status response/);
  });
});
