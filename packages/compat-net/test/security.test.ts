// Regression tests for the compat-net items of the security review (issue 9): resumption must not
// bypass client-certificate checks (1), host names are always checked (5), inbound backpressure (9),
// dead transports and ragged EOFs (10), options read through own properties only (13), option types
// and node:tls's handshakeTimeout (14). Each test mints its own certificates and stays on loopback.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import nodeNet from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { CertificateVerifyError, Context, TLS_CLIENT_METHOD, TLS_METHOD, VERIFY_PEER } from '@ossl/ssl';
import { makeIdentity, makePki, tempFiles, withPollutedPrototype, type Identity, type Pki } from '@ossl/testkit';

import { CERT_NONE, CERT_REQUIRED, connect, createServer, fromSocket, SecureSocket, wrapSocket, type Server } from '../src/index.js';
import { anonymousDuplex, cleanupList, listen, rawConnect, until, watch, type Outcome } from './support/net.js';
import { expectAltnameError, expectOpensslError, thrownBy } from './support/node-shapes.js';

const cleanups = cleanupList();
afterEach(() => cleanups.run());
const later = cleanups.add;

type Version = 'TLSv1.3' | 'TLSv1.2';
const VERSIONS: Version[] = ['TLSv1.3', 'TLSv1.2'];

/** What a compat-net server saw of one client. */
interface Seen {
  kind: 'secureConnection' | 'tlsClientError';
  authorized?: boolean;
  authorizationError?: string | undefined;
  reused?: boolean;
  code?: string | undefined;
  /** tlsClientError: OpenSSL's verdict on the refused certificate (the socket's `connection.getVerifyError()`), if any. */
  verdict?: string | undefined;
}

/** A compat-net server asking for client certificates; records each connection or failure. */
async function certServer(pki: Pki, version: Version, extra: Record<string, unknown> = {}): Promise<{ server: Server; port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer(
    { cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.ca.certPem, requestCert: true, minVersion: version, maxVersion: version, ...extra },
    (s) => {
      seen.push({
        kind: 'secureConnection',
        authorized: s.authorized,
        authorizationError: s.authorizationError ?? undefined,
        reused: s.isSessionReused(),
      });
      s.on('error', () => undefined);
      s.end('hello');
    },
  );
  server.on('tlsClientError', (e: Error & { code?: string }, s: SecureSocket) => seen.push({ kind: 'tlsClientError', code: e.code, verdict: s.connection.getVerifyError()?.code }));
  const port = await listen(server, later);
  return { server, port, seen };
}

/** A node:tls client with an optional client certificate; resolves at close with its session (if any). */
function nodeClient(port: number, pki: Pki, version: Version, who: Identity | null, session?: Buffer): Promise<{ session: Buffer | null; reused: boolean; data: string; error: (Error & { code?: string }) | null }> {
  return new Promise((resolve) => {
    const t = tls.connect({
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca: pki.ca.certPem,
      ...(who ? { cert: who.certPem, key: who.keyPem } : {}),
      ...(session ? { session } : {}),
      minVersion: version,
      maxVersion: version,
    });
    const out = { session: null as Buffer | null, reused: false, data: '', error: null as (Error & { code?: string }) | null };
    t.on('session', (s: Buffer) => {
      out.session = s;
    });
    t.on('secureConnect', () => {
      out.reused = t.isSessionReused();
    });
    t.on('data', (d: Buffer) => {
      out.data += d.toString();
    });
    t.on('error', (e: Error & { code?: string }) => {
      out.error ??= e;
    });
    t.on('close', () => resolve(out));
  });
}

describe('client certificates and session resumption (servers with requestCert)', () => {
  for (const version of VERSIONS) {
    it(`lets a trusted client resume, authorized again, on ${version} (default session id context)`, async () => {
      const pki = makePki();
      const { port, seen } = await certServer(pki, version);
      const first = await nodeClient(port, pki, version, pki.client);
      expect(first.data).toBe('hello');
      expect(first.session).not.toBeNull();
      const second = await nodeClient(port, pki, version, pki.client, first.session!);
      expect(second.reused).toBe(true);
      expect(second.data).toBe('hello');
      expect(seen).toEqual([
        { kind: 'secureConnection', authorized: true, authorizationError: undefined, reused: false },
        { kind: 'secureConnection', authorized: true, authorizationError: undefined, reused: true },
      ]);
    });

    it(`lets a trusted client resume with a sessionIdContext of its own, or one set on server.context, on ${version}`, async () => {
      const pki = makePki();
      for (const setup of ['option', 'context'] as const) {
        const { server, port, seen } = await certServer(pki, version, setup === 'option' ? { sessionIdContext: 'my-app' } : {});
        if (setup === 'context') server.context.setSessionId('my-app');
        const first = await nodeClient(port, pki, version, pki.client);
        const second = await nodeClient(port, pki, version, pki.client, first.session!);
        expect(second.reused, setup).toBe(true);
        expect(seen.map((s) => [s.kind, s.authorized, s.reused]), setup).toEqual([
          ['secureConnection', true, false],
          ['secureConnection', true, true],
        ]);
      }
    });

    it(`refuses an untrusted client during the handshake, gives it no session, and refuses it again, on ${version}`, async () => {
      const pki = makePki();
      const selfSigned = makeIdentity({ cn: 'rogue client' });
      const otherCa = makePki().client; // issued by a CA the server does not trust
      for (const [who, verdict] of [
        [selfSigned, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
        // OpenSSL stops at the first failure it meets (node:tls, which lets verification run on, names the same case UNABLE_TO_VERIFY_LEAF_SIGNATURE).
        [otherCa, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
      ] as const) {
        for (const setup of ['default', 'context.setSessionId'] as const) {
          const { server, port, seen } = await certServer(pki, version);
          if (setup !== 'default') server.context.setSessionId('my-app');
          const first = await nodeClient(port, pki, version, who);
          expect(first.session, `${verdict} ${setup}`).toBeNull();
          expect(first.data).toBe('');
          // OpenSSL refused it inside the handshake, with the alert for an unknown issuer.
          expect(first.error?.code).toBe('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA');
          const second = await nodeClient(port, pki, version, who);
          expect(second.session).toBeNull();
          expect(second.data).toBe('');
          expect(second.error?.code).toBe('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA');
          // The server's report: OpenSSL's handshake failure in node's words, and OpenSSL's verdict.
          expect(seen, `${verdict} ${setup}`).toEqual([
            { kind: 'tlsClientError', code: 'ERR_SSL_CERTIFICATE_VERIFY_FAILED', verdict },
            { kind: 'tlsClientError', code: 'ERR_SSL_CERTIFICATE_VERIFY_FAILED', verdict },
          ]);
        }
      }
    });

    it(`reports the refused certificate in tlsClientError as node:tls shapes OpenSSL's error, with OpenSSL's verdict on the socket, on ${version}`, async () => {
      const pki = makePki();
      const { server, port } = await certServer(pki, version);
      const failed = once(server, 'tlsClientError') as Promise<[Error, SecureSocket]>;
      void nodeClient(port, pki, version, makeIdentity({ cn: 'rogue' }));
      const [err, sock] = await failed;
      expectOpensslError(err, { code: 'ERR_SSL_CERTIFICATE_VERIFY_FAILED', message: 'error:0A000086:SSL routines::certificate verify failed', library: 'SSL routines', reason: 'certificate verify failed' });
      const verdict = sock.connection.getVerifyError();
      expect(verdict).toBeInstanceOf(CertificateVerifyError);
      expect(verdict!.verifyCode).toBe(18);
      expect(verdict!.verifyMessage).toMatch(/self.signed/);
      expect(sock.authorized).toBe(false);
      await until(() => sock.destroyed);
    });

    it(`refuses a client without a certificate (rejectUnauthorized by default) and lets it in with rejectUnauthorized: false, on ${version}`, async () => {
      const pki = makePki();
      const strict = await certServer(pki, version);
      const refused = await nodeClient(strict.port, pki, version, null);
      expect(refused.data).toBe('');
      expect(refused.session).toBeNull();
      // The alert OpenSSL sends for a missing certificate, as node:tls names it.
      // OpenSSL 3.0 words the TLS 1.2 alert "sslv3 alert handshake failure", 3.5 "ssl/tls alert handshake failure".
      if (version === 'TLSv1.3') expect(refused.error?.code).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
      else expect(refused.error?.code).toMatch(/^ERR_SSL_SSL(V3|\/TLS)_ALERT_HANDSHAKE_FAILURE$/);
      expect(strict.seen).toEqual([{ kind: 'tlsClientError', code: 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE', verdict: undefined }]);
      const lax = await certServer(pki, version, { rejectUnauthorized: false });
      const first = await nodeClient(lax.port, pki, version, null);
      const second = await nodeClient(lax.port, pki, version, null, first.session!);
      expect(second.reused).toBe(true);
      // node's code for "no certificate", also on resumption (where node:tls itself, on TLS 1.3,
      // forgets it and says authorized).
      expect(lax.seen).toEqual([
        { kind: 'secureConnection', authorized: false, authorizationError: 'UNABLE_TO_GET_ISSUER_CERT', reused: false },
        { kind: 'secureConnection', authorized: false, authorizationError: 'UNABLE_TO_GET_ISSUER_CERT', reused: true },
      ]);
    });

    it(`keeps an untrusted client unauthorized when it resumes on a rejectUnauthorized: false server, on ${version}`, async () => {
      const pki = makePki();
      const { port, seen } = await certServer(pki, version, { rejectUnauthorized: false });
      const rogue = makeIdentity({ cn: 'rogue client' });
      const first = await nodeClient(port, pki, version, rogue);
      expect(first.session).not.toBeNull();
      const second = await nodeClient(port, pki, version, rogue, first.session!);
      expect(second.reused).toBe(true);
      // A trusted client on the same server is authorized, resumed or not.
      const third = await nodeClient(port, pki, version, pki.client);
      const fourth = await nodeClient(port, pki, version, pki.client, third.session!);
      expect(fourth.reused).toBe(true);
      expect(seen).toEqual([
        { kind: 'secureConnection', authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT', reused: false },
        { kind: 'secureConnection', authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT', reused: true },
        { kind: 'secureConnection', authorized: true, authorizationError: undefined, reused: false },
        { kind: 'secureConnection', authorized: true, authorizationError: undefined, reused: true },
      ]);
    });

    it(`resumes as a client (session option, getSession, isSessionReused) with the verdict the session holds, on ${version}`, async () => {
      const pki = makePki();
      const server = createServer({ cert: pki.server.certPem, key: pki.server.keyPem, minVersion: version, maxVersion: version }, (s) => {
        s.on('error', () => undefined);
        s.end('hello');
      });
      const port = await listen(server, later);
      const run = (extra: Record<string, unknown>): Promise<{ out: Outcome; session: Buffer | undefined; reused: boolean }> => {
        const sock = connect({ port, host: '127.0.0.1', ca: pki.ca.certPem, maxVersion: version, ...extra });
        let session: Buffer | undefined;
        let reused = false;
        sock.on('secureConnect', () => {
          reused = sock.isSessionReused();
        });
        sock.on('data', () => {
          session = sock.getSession();
        });
        return watch(sock).then((out) => ({ out, session, reused }));
      };
      const first = await run({ servername: 'localhost' });
      expect(first.out.authorized).toBe(true);
      expect(first.reused).toBe(false);
      expect(first.session).toBeInstanceOf(Buffer);
      const second = await run({ servername: 'localhost', session: first.session });
      expect(second.reused).toBe(true);
      expect(second.out.authorized).toBe(true);
      expect(second.out.data).toBe('hello');
      // A session from a connection that did not verify keeps that verdict when resumed.
      const lax = await run({ servername: 'wrong.example', rejectUnauthorized: false });
      expect(lax.out.authorized).toBe(false);
      expect(lax.out.authorizationError).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
      const laxAgain = await run({ servername: 'wrong.example', rejectUnauthorized: false, session: lax.session });
      expect(laxAgain.reused).toBe(true);
      expect(laxAgain.out.authorized).toBe(false);
      expect(laxAgain.out.authorizationError).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
      const strictAgain = await run({ servername: 'wrong.example', session: lax.session });
      expect(strictAgain.out.events).toEqual(['error(ERR_TLS_CERT_ALTNAME_INVALID)', 'close']);
      expectAltnameError(strictAgain.out.error, 'wrong.example');
      expect(strictAgain.out.data).toBe('');
      // A good session offered for another name: the server resumes it, and this name is still
      // checked (node:tls skips its identity check on resumption).
      for (const name of ['other.example', '127.0.0.2']) {
        const elsewhere = await run({ servername: name, rejectUnauthorized: false, session: first.session });
        expect(elsewhere.reused).toBe(true);
        expect(elsewhere.out.authorized).toBe(false);
        expect(elsewhere.out.authorizationError).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
        const refused = await run({ servername: name, session: first.session });
        expect(refused.out.events[0]).toBe('error(ERR_TLS_CERT_ALTNAME_INVALID)');
        // An IP address is checked against the IP names only, a host name against the DNS names.
        expectAltnameError(refused.out.error, name);
        expect(refused.out.data).toBe('');
      }
    });
  }

  it('verifies clients with the default trust when requestCert comes without ca', async () => {
    const pki = makePki();
    const seen: string[] = [];
    const server = createServer({ cert: pki.server.certPem, key: pki.server.keyPem, requestCert: true }, () => seen.push('secureConnection'));
    server.on('tlsClientError', (e: Error & { code?: string }, s: SecureSocket) => seen.push(`${e.code} ${s.connection.getVerifyError()?.code}`));
    const port = await listen(server, later);
    const out = await nodeClient(port, pki, 'TLSv1.3', pki.client);
    expect(out.data).toBe('');
    expect(out.session).toBeNull();
    expect(out.error?.code).toBe('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA');
    // The client sends its CA along; the default trust does not hold it.
    expect(seen).toEqual(['ERR_SSL_CERTIFICATE_VERIFY_FAILED SELF_SIGNED_CERT_IN_CHAIN']);
  });
});

describe('host-name checks without a servername', () => {
  /** A node:tls server with `id`'s certificate that records the SNI name each client sent. */
  async function nameServer(id: Identity): Promise<{ port: number; sni: Array<string | false> }> {
    const sni: Array<string | false> = [];
    const server = tls.createServer({ cert: id.certPem, key: id.keyPem }, (s) => {
      sni.push((s as tls.TLSSocket & { servername: string | false }).servername);
      s.on('error', () => undefined);
      s.end('hello');
    });
    server.on('tlsClientError', () => undefined);
    return { port: await listen(server, later), sni };
  }

  it('checks servername || host, sends SNI only for a non-empty, non-IP name, and matches IPs against IP SANs', async () => {
    const pki = makePki(); // the server certificate names localhost and 127.0.0.1
    const other = makeIdentity({ cn: 'other', issuer: pki.ca, sans: ['DNS:other.test'] });
    const good = await nameServer(pki.server);
    const bad = await nameServer(other);
    const ca = pki.ca.certPem;
    // [label, port, options, 'ok' or the name refused, the SNI the server saw]
    const cases: Array<[string, number, Record<string, unknown>, string, string | false | null]> = [
      ['host localhost', good.port, { host: 'localhost' }, 'ok', 'localhost'],
      ["host localhost, servername ''", good.port, { host: 'localhost', servername: '' }, 'ok', false],
      ['host 127.0.0.1 (IP SAN)', good.port, { host: '127.0.0.1' }, 'ok', false],
      ["host 127.0.0.1, servername ''", good.port, { host: '127.0.0.1', servername: '' }, 'ok', false],
      ['host 127.0.0.1, servername localhost', good.port, { host: '127.0.0.1', servername: 'localhost' }, 'ok', 'localhost'],
      ['host localhost', bad.port, { host: 'localhost' }, 'localhost', null],
      ["host localhost, servername ''", bad.port, { host: 'localhost', servername: '' }, 'localhost', null],
      ["host 127.0.0.1, servername ''", bad.port, { host: '127.0.0.1', servername: '' }, '127.0.0.1', null],
      ['host 127.0.0.1', bad.port, { host: '127.0.0.1' }, '127.0.0.1', null],
      ['host 127.0.0.1, servername other.test', bad.port, { host: '127.0.0.1', servername: 'other.test' }, 'ok', 'other.test'],
    ];
    for (const [label, port, extra, want, wantSni] of cases) {
      const out = await watch(connect({ port, ca, ...extra }));
      if (want === 'ok') {
        expect(out.authorized, label).toBe(true);
        expect(out.data, label).toBe('hello');
        const list = port === good.port ? good.sni : bad.sni;
        expect(list.at(-1), label).toBe(wantSni);
      } else {
        expect(out.events, label).toEqual(['error(ERR_TLS_CERT_ALTNAME_INVALID)', 'close']);
        expect(out.data, label).toBe('');
        // The name checked, in node:tls's words (an IP address against the IP names only).
        expectAltnameError(out.error, want);
      }
    }
    // With rejectUnauthorized: false the connection goes on, and says why it is not authorized.
    const lax = await watch(connect({ port: bad.port, host: 'localhost', ca, servername: '', rejectUnauthorized: false }), (s) => s.resume());
    expect(lax.authorized).toBe(false);
    expect(lax.authorizationError).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('checks the host given to SecureSocket.connect(port, host)', async () => {
    const pki = makePki();
    const other = makeIdentity({ cn: 'other', issuer: pki.ca, sans: ['DNS:other.test'] });
    const good = await nameServer(pki.server);
    const bad = await nameServer(other);
    const refused = await watch(new SecureSocket({ ca: pki.ca.certPem }).connect(bad.port, 'localhost'));
    expect(refused.events).toEqual(['error(ERR_TLS_CERT_ALTNAME_INVALID)', 'close']);
    expectAltnameError(refused.error, 'localhost');
    const refusedIp = await watch(new SecureSocket({ ca: pki.ca.certPem }).connect(bad.port, '127.0.0.1'));
    expect(refusedIp.events).toEqual(['error(ERR_TLS_CERT_ALTNAME_INVALID)', 'close']);
    expectAltnameError(refusedIp.error, '127.0.0.1');
    const ok = await watch(new SecureSocket({ ca: pki.ca.certPem }).connect(good.port, 'localhost'));
    expect(ok.authorized).toBe(true);
    expect(good.sni).toEqual(['localhost']);
  });

  it('fromSocket checks the name the socket was connected to, else its address, else refuses', async () => {
    const pki = makePki();
    const other = makeIdentity({ cn: 'other', issuer: pki.ca, sans: ['DNS:other.test'] });
    const good = await nameServer(pki.server);
    const bad = await nameServer(other);
    const ca = pki.ca.certPem;
    /** Refused for `name` (node's ERR_TLS_CERT_ALTNAME_INVALID naming it). */
    const refusedFor = (out: Outcome, name: string): void => {
      expect(out.events, name).toEqual(['error(ERR_TLS_CERT_ALTNAME_INVALID)', 'close']);
      expectAltnameError(out.error, name);
    };
    // The address it is connected to, else the name it was connected to.
    refusedFor(await watch(fromSocket(await rawConnect(bad.port), { ca })), '127.0.0.1');
    refusedFor(await watch(fromSocket(await rawConnect(bad.port, { host: 'localhost' }), { ca })), 'localhost');
    expect((await watch(fromSocket(await rawConnect(good.port, { host: 'localhost' }), { ca }))).authorized).toBe(true);
    expect((await watch(fromSocket(await rawConnect(good.port), { ca }))).authorized).toBe(true);
    expect((await watch(fromSocket(await rawConnect(bad.port), { ca, servername: 'other.test' }))).authorized).toBe(true);
    expect((await watch(fromSocket(await rawConnect(bad.port), { ca, host: 'other.test' }))).authorized).toBe(true);
    // A transport with no name or address to check: never authorized.
    const anon = await watch(fromSocket(anonymousDuplex(await rawConnect(good.port)), { ca }));
    expect(anon.events).toEqual(['error(ERR_SSL_NO_HOSTNAME)', 'close']);
    const anonLax = await watch(fromSocket(anonymousDuplex(await rawConnect(good.port)), { ca, rejectUnauthorized: false }), (s) => s.destroy());
    expect(anonLax.authorized).toBe(false);
    expect(anonLax.authorizationError).toBe('ERR_SSL_NO_HOSTNAME');
    // connect({socket}) is the same node-shaped entry.
    refusedFor(await watch(connect({ socket: await rawConnect(bad.port), ca })), '127.0.0.1');
  });

  it('wrapSocket requires serverHostname when it verifies (CPython: check_hostname requires server_hostname)', async () => {
    const pki = makePki();
    const files = tempFiles({ 'ca.pem': pki.ca.certPem });
    later(files.cleanup);
    const good = await nameServer(pki.server);
    for (const options of [{ caCerts: files.path('ca.pem') }, { caCerts: files.path('ca.pem'), serverHostname: '' }, { caCerts: files.path('ca.pem'), certReqs: CERT_REQUIRED }, { context: new Context(TLS_CLIENT_METHOD) }]) {
      const raw = await rawConnect(good.port);
      later(() => raw.destroy());
      let thrown: (Error & { code?: string }) | null = null;
      try {
        wrapSocket(raw, options);
      } catch (e) {
        thrown = e as Error & { code?: string };
      }
      expect(thrown, JSON.stringify(options)).toBeInstanceOf(TypeError);
      expect(thrown!.message).toMatch(/check_hostname requires server_hostname/);
      expect(thrown!.code).toBe('ERR_SSL_NO_HOSTNAME');
    }
    // CERT_NONE asks for no verification: no name is needed, and the peer is not authorized.
    const none = await watch(wrapSocket(await rawConnect(good.port), { certReqs: CERT_NONE }), (s) => s.resume());
    expect(none.events[0]).toBe('secureConnect');
    expect(none.authorized).toBe(false);
    const named = await watch(wrapSocket(await rawConnect(good.port), { caCerts: files.path('ca.pem'), serverHostname: 'localhost' }));
    expect(named.authorized).toBe(true);
    expect(named.data).toBe('hello');
    // The Python-shaped name keeps CPython's error: a CertificateVerifyError, not node's altname error.
    const misnamed = await watch(wrapSocket(await rawConnect(good.port), { caCerts: files.path('ca.pem'), serverHostname: 'other.test' }));
    expect(misnamed.events).toEqual(['error(HOSTNAME_MISMATCH)', 'close']);
    expect(misnamed.error).toBeInstanceOf(CertificateVerifyError);
    expect(misnamed.error!.message).toMatch(/^certificate verify failed: /);
  });

  it('names a lone untrusted leaf as node:tls does', async () => {
    const pki = makePki();
    const { port } = await nameServer(pki.server);
    const stranger = makePki().ca.certPem;
    const ours = await watch(connect({ port, host: 'localhost', ca: stranger }));
    const theirs = await new Promise<string | undefined>((resolve) => {
      const t = tls.connect({ port, host: 'localhost', ca: stranger });
      t.on('error', (e: Error & { code?: string }) => resolve(e.code));
    });
    expect(ours.error?.code).toBe(theirs);
  });
});

describe('inbound backpressure', () => {
  it('pauses the transport while the reader is paused, holds little, and delivers everything once resumed', async () => {
    const pki = makePki();
    let serverSock: SecureSocket | null = null;
    const server = createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (s) => {
      s.pause();
      serverSock = s;
    });
    const port = await listen(server, later);
    const client = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca.certPem });
    later(() => client.destroy());
    await once(client, 'secureConnect');
    const total = 16 * 1024 * 1024;
    const chunk = Buffer.alloc(1 << 20);
    for (let i = 0; i < total / chunk.length; i++) {
      chunk.fill(i & 0xff);
      client.write(Buffer.from(chunk));
    }
    await until(() => serverSock !== null && serverSock.socket!.isPaused());
    const sock = serverSock!;
    // While paused: the decrypted bytes stay near the high-water mark, the undecrypted ones near 128 KiB.
    const held = (): number => sock.readableLength + sock.connection.bioInPending();
    expect(sock.readableLength).toBeLessThanOrEqual(sock.readableHighWaterMark + 16 * 1024);
    expect(sock.connection.bioInPending()).toBeLessThanOrEqual(256 * 1024);
    const before = held();
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(sock.socket!.isPaused()).toBe(true);
    expect(held()).toBe(before);
    // Reading again resumes the transport; every byte arrives, in order.
    let received = 0;
    let inOrder = true;
    sock.on('data', (d: Buffer) => {
      for (let off = 0; off < d.length; off += 4096) if (d[off] !== ((received + off) >> 20) % 256) inOrder = false;
      received += d.length;
    });
    sock.resume();
    await until(() => received === total);
    expect(inOrder).toBe(true);
  });
});

describe('dead transports, hang-ups and ragged EOFs', () => {
  /** Wraps (or fromSockets) a client socket after `prep`, and records what happens. */
  async function deadCase(serverAct: (s: nodeNet.Socket) => void, prep: (raw: nodeNet.Socket, finished: Promise<unknown>) => Promise<void>, how: 'wrapSocket' | 'fromSocket' | 'connect', allowHalfOpen = false): Promise<string[]> {
    const pki = makePki();
    let finished: Promise<unknown> = Promise.resolve();
    let accepted!: () => void;
    const wasAccepted = new Promise<void>((resolve) => (accepted = resolve));
    const server = nodeNet.createServer({ allowHalfOpen: true }, (s) => {
      s.on('error', () => undefined);
      finished = once(s, 'finish'); // this side's FIN is out
      serverAct(s);
      accepted();
    });
    const port = await listen(server, later);
    const raw = await rawConnect(port, { allowHalfOpen });
    await wasAccepted;
    await prep(raw, finished);
    const sock =
      how === 'wrapSocket'
        ? wrapSocket(raw, { serverHostname: 'localhost' })
        : how === 'fromSocket'
          ? fromSocket(raw, { ca: pki.ca.certPem, servername: 'localhost' })
          : connect({ socket: raw, ca: pki.ca.certPem, servername: 'localhost' });
    const out = await watch(sock);
    return out.events;
  }
  const sawEnd = async (raw: nodeNet.Socket): Promise<void> => {
    raw.resume();
    await once(raw, 'end');
    raw.pause();
  };
  /** The peer's FIN has been sent; this side has not read it (it may or may not have arrived). */
  const finSent = async (_raw: nodeNet.Socket, finished: Promise<unknown>): Promise<void> => {
    await finished;
  };

  for (const how of ['wrapSocket', 'fromSocket', 'connect'] as const) {
    it(`${how}: a socket whose peer already closed, or that is destroyed, gives 'error' then 'close'`, async () => {
      const scenarios: Array<[string, (s: nodeNet.Socket) => void, (raw: nodeNet.Socket, finished: Promise<unknown>) => Promise<void>, boolean]> = [
        ['FIN not yet read', (s) => s.end(), finSent, false],
        ['FIN not yet read (allowHalfOpen)', (s) => s.end(), finSent, true],
        ['end already seen (allowHalfOpen)', (s) => s.end(), sawEnd, true],
        ['end already seen', (s) => s.end(), sawEnd, false],
        ['destroyed locally', () => undefined, async (raw) => {
          raw.destroy();
          await once(raw, 'close');
        }, false],
        ['STARTTLS greeting and FIN in one segment, greeting consumed', (s) => s.end('220 ready\r\n'), async (raw, finished) => {
          await once(raw, 'data');
          raw.pause();
          await finished;
        }, false],
        ['the peer hangs up on the ClientHello', (s) => s.once('data', () => s.end()), async () => undefined, false],
        ['the peer resets on the ClientHello', (s) => s.once('data', () => s.resetAndDestroy()), async () => undefined, false],
      ];
      for (const [label, act, prep, halfOpen] of scenarios) {
        const events = await deadCase(act, prep, how, halfOpen);
        // node:tls's clients report a hang-up from their 'end' listener: 'end' comes first, and only
        // with ECONNRESET. The Python-shaped wrapSocket has no 'end' before its error.
        const lead = events[0] === 'end' ? 1 : 0;
        if (lead === 1) {
          expect(how, label).not.toBe('wrapSocket');
          expect(events[1], label).toBe('error(ECONNRESET)');
        }
        expect(events.length - lead, label).toBe(2);
        expect(events[lead], label).toMatch(/^error\(/);
        expect(events[lead + 1], label).toBe('close');
      }
    });
  }

  it('names a hang-up mid-handshake as node:tls (ECONNRESET) or CPython (EOF occurred in violation of protocol)', async () => {
    const server = nodeNet.createServer((s) => {
      s.on('error', () => undefined);
      s.once('data', () => s.end());
    });
    const port = await listen(server, later);
    const node = await watch(connect({ port, host: '127.0.0.1', servername: 'localhost' }));
    // node:tls's order: the client's 'end', then the error it raises from its 'end' listener.
    expect(node.events).toEqual(['end', 'error(ECONNRESET)', 'close']);
    expect(node.error!.message).toBe('Client network socket disconnected before secure TLS connection was established');
    const py = await watch(wrapSocket(await rawConnect(port), { serverHostname: 'localhost' }));
    expect(py.events).toEqual(['error(ERR_SSL_EOF)', 'close']);
    expect(py.error!.message).toMatch(/EOF occurred in violation of protocol/);
  });

  it("reports a client that hangs up mid-handshake as the server's tlsClientError (socket hang up)", async () => {
    const pki = makePki();
    const server = createServer({ cert: pki.server.certPem, key: pki.server.keyPem });
    const port = await listen(server, later);
    const failed = once(server, 'tlsClientError');
    const raw = await rawConnect(port);
    raw.end(Buffer.from([0x16, 0x03, 0x01]));
    const [err] = await failed;
    expect(err.code).toBe('ECONNRESET');
    expect(err.message).toBe('socket hang up');
  });

  /** A proxy in front of a node:tls server that passes the ClientHello, then hangs up on the client's next flight. */
  async function hangupAfterFlight(pki: Pki, version: Version): Promise<number> {
    const real = tls.createServer({ cert: pki.server.certPem, key: pki.server.keyPem, minVersion: version, maxVersion: version }, (s) => s.on('error', () => undefined));
    real.on('tlsClientError', () => undefined);
    const realPort = await listen(real, later);
    const proxy = nodeNet.createServer((raw) => {
      raw.on('error', () => undefined);
      const up = nodeNet.connect(realPort, '127.0.0.1');
      up.on('error', () => undefined);
      let n = 0;
      raw.on('data', (d) => {
        n += 1;
        if (n === 1) up.write(d);
        else {
          raw.destroy();
          up.destroy();
        }
      });
      up.on('data', (d) => raw.write(d));
    });
    return listen(proxy, later);
  }

  for (const version of VERSIONS) {
    it(`a server that hangs up after its flight, on ${version}: never silence; suppressRaggedEofs: false makes it an error`, async () => {
      const pki = makePki();
      const port = await hangupAfterFlight(pki, version);
      const base = { port, host: 'localhost', ca: pki.ca.certPem, minVersion: version, maxVersion: version };
      const def = await watch(connect(base), (s) => s.resume());
      const strict = await watch(connect({ ...base, suppressRaggedEofs: false }), (s) => s.resume());
      if (version === 'TLSv1.3') {
        // The client's handshake is complete when the server's flight has arrived (RFC 8446).
        expect(def.events).toEqual(['secureConnect', 'end', 'close']);
        expect(strict.events).toEqual(['secureConnect', 'error(ERR_SSL_EOF)', 'close']);
      } else {
        // node:tls's order by default ('end' first); with suppressRaggedEofs: false no 'end' at all.
        expect(def.events).toEqual(['end', 'error(ECONNRESET)', 'close']);
        expect(strict.events).toEqual(['error(ECONNRESET)', 'close']);
      }
    });
  }

  it('suppressRaggedEofs: an EOF without close_notify is an end by default and an error when false; a close_notify is always an end', async () => {
    const pki = makePki();
    const ragged = tls.createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (s) => {
      s.on('error', () => undefined);
      s.write('data', () => s.destroy()); // no close_notify
    });
    const clean = createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (s) => {
      s.on('error', () => undefined);
      s.end('data');
    });
    const raggedPort = await listen(ragged, later);
    const cleanPort = await listen(clean, later);
    const ca = pki.ca.certPem;
    for (const version of VERSIONS) {
      const opts = { host: 'localhost', ca, maxVersion: version };
      const r1 = connect({ port: raggedPort, ...opts });
      const d1 = await watch(r1);
      expect(d1.data, version).toBe('data');
      expect(d1.events, version).toEqual(['secureConnect', 'end', 'close']);
      expect(r1.truncated).toBe(true);
      const d2 = await watch(connect({ port: raggedPort, ...opts, suppressRaggedEofs: false }));
      expect(d2.data, version).toBe('data');
      expect(d2.events, version).toEqual(['secureConnect', 'error(ERR_SSL_EOF)', 'close']);
      for (const suppressRaggedEofs of [true, false]) {
        const c = connect({ port: cleanPort, ...opts, suppressRaggedEofs });
        const d3 = await watch(c);
        expect(d3.data, version).toBe('data');
        expect(d3.events, `${version} ${suppressRaggedEofs}`).toEqual(['secureConnect', 'end', 'close']);
        expect(c.truncated).toBe(false);
      }
      const w = wrapSocket(await rawConnect(raggedPort), { serverHostname: 'localhost', context: clientContext(pki), suppressRaggedEofs: false });
      expect((await watch(w)).events, version).toEqual(['secureConnect', 'error(ERR_SSL_EOF)', 'close']);
    }
  });
});

/** A client Context that trusts `pki`'s CA and verifies (OpenSSL's verdict read afterwards). */
function clientContext(pki: Pki): Context {
  const ctx = new Context(TLS_METHOD);
  ctx.getCertStore().addCert(pki.ca.cert);
  ctx.setVerifyDeferred(VERIFY_PEER);
  return ctx;
}

describe('options are read from own properties only', () => {
  const polluted = withPollutedPrototype;

  it('keeps verifying clients whatever Object.prototype says', async () => {
    const pki = makePki();
    const attacker = makeIdentity({ cn: 'attacker', sans: ['DNS:localhost', 'IP:127.0.0.1'] });
    const other = makeIdentity({ cn: 'other', issuer: pki.ca, sans: ['DNS:other.test'] });
    const serve = (id: Identity): Promise<number> => {
      const s = tls.createServer({ cert: id.certPem, key: id.keyPem }, (c) => {
        c.on('error', () => undefined);
        c.end('hi');
      });
      s.on('tlsClientError', () => undefined);
      return listen(s, later);
    };
    const selfPort = await serve(attacker);
    const otherPort = await serve(other);
    const cases: Array<[Record<string, unknown>, () => SecureSocket, string]> = [
      [{ rejectUnauthorized: false }, () => connect({ port: selfPort, host: 'localhost' }), 'DEPTH_ZERO_SELF_SIGNED_CERT'],
      [{ ca: attacker.certPem }, () => connect({ port: selfPort, host: 'localhost' }), 'DEPTH_ZERO_SELF_SIGNED_CERT'],
      [{ servername: 'other.test' }, () => connect({ port: otherPort, host: 'localhost', ca: pki.ca.certPem }), 'ERR_TLS_CERT_ALTNAME_INVALID'],
      [{ host: 'other.test' }, () => connect({ port: otherPort, ca: pki.ca.certPem }), 'ERR_TLS_CERT_ALTNAME_INVALID'],
      [{ context: new Context(TLS_CLIENT_METHOD), rejectUnauthorized: false }, () => connect({ port: selfPort, host: 'localhost' }), 'DEPTH_ZERO_SELF_SIGNED_CERT'],
      [{ isServer: true }, () => connect({ port: selfPort, host: 'localhost' }), 'DEPTH_ZERO_SELF_SIGNED_CERT'],
      [{ rejectUnauthorized: false }, () => new SecureSocket({ ca: pki.ca.certPem }).connect(otherPort, 'localhost'), 'ERR_TLS_CERT_ALTNAME_INVALID'],
      [{ rejectUnauthorized: false, servername: 'other.test' }, () => fromSocket(anonymousDuplex(nodeNet.connect(otherPort, '127.0.0.1')), { ca: pki.ca.certPem }), 'ERR_SSL_NO_HOSTNAME'],
    ];
    for (const [props, make, code] of cases) {
      const out = await polluted(props, () => watch(make()));
      expect(out.events, JSON.stringify(Object.keys(props))).toEqual([`error(${code})`, 'close']);
      // The name checked is the caller's (or node's default), never an inherited servername or host.
      if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') expectAltnameError(out.error, 'localhost');
    }
    // wrapSocket: an inherited certReqs, serverHostname or suppressRaggedEofs changes nothing either.
    const raw = await rawConnect(otherPort);
    later(() => raw.destroy());
    await polluted({ certReqs: CERT_NONE, serverHostname: 'other.test' }, async () => {
      expect(() => wrapSocket(raw, {})).toThrow(/check_hostname requires server_hostname/);
    });
  });

  it('keeps refusing untrusted client certificates on a server whatever Object.prototype says', async () => {
    const pki = makePki();
    const out = await polluted({ rejectUnauthorized: false, ca: makeIdentity({ cn: 'rogue' }).certPem }, async () => {
      const { port, seen } = await certServer(pki, 'TLSv1.3');
      await nodeClient(port, pki, 'TLSv1.3', makeIdentity({ cn: 'rogue' }));
      return seen;
    });
    expect(out).toEqual([{ kind: 'tlsClientError', code: 'ERR_SSL_CERTIFICATE_VERIFY_FAILED', verdict: 'DEPTH_ZERO_SELF_SIGNED_CERT' }]);
  });

  it('turns rejectUnauthorized off only with an own false', async () => {
    const pki = makePki();
    const attacker = makeIdentity({ cn: 'attacker', sans: ['DNS:localhost'] });
    const s = tls.createServer({ cert: attacker.certPem, key: attacker.keyPem }, (c) => {
      c.on('error', () => undefined);
      c.end('hi');
    });
    s.on('tlsClientError', () => undefined);
    const port = await listen(s, later);
    for (const value of [undefined, null, 0, '', 'false', true]) {
      const out = await watch(connect({ port, host: 'localhost', ca: pki.ca.certPem, rejectUnauthorized: value as boolean }));
      expect(out.events, String(value)).toEqual(['error(DEPTH_ZERO_SELF_SIGNED_CERT)', 'close']);
    }
    const inherited = Object.create({ rejectUnauthorized: false }) as Record<string, unknown>;
    Object.assign(inherited, { port, host: 'localhost', ca: pki.ca.certPem });
    expect((await watch(connect(inherited as never))).events).toEqual(['error(DEPTH_ZERO_SELF_SIGNED_CERT)', 'close']);
    const lax = await watch(connect({ port, host: 'localhost', ca: pki.ca.certPem, rejectUnauthorized: false }));
    expect(lax.events[0]).toBe('secureConnect');
    expect(lax.authorized).toBe(false);
  });
});

describe('option types', () => {
  /** Calls `fn`, which must throw synchronously; returns what it threw. */
  function thrown(fn: () => unknown): Error & { code?: string } {
    try {
      fn();
    } catch (e) {
      return e as Error & { code?: string };
    }
    throw new Error('expected a throw');
  }

  it('refuses wrong types with a TypeError naming the option, before any connection', async () => {
    const pki = makePki();
    let connections = 0;
    const server = nodeNet.createServer((s) => {
      connections += 1;
      s.destroy();
    });
    const port = await listen(server, later);
    // `context` is not here: a value that is not an @ossl/ssl Context is ignored, as node:tls ignores
    // options it does not know (cross-copy.test.ts).
    const cases: Record<string, unknown[]> = {
      ca: [42, [42], {}, [pki.ca.certPem, 7], true],
      cert: [42, {}, [1]],
      key: [42, {}],
      passphrase: [42],
      servername: [42, {}],
      host: [42],
      ciphers: [42],
      ALPNProtocols: [42, {}, 'h2', ['h2', 42], [null]],
      minVersion: [42, 'TLSv9', 'SSLv3', 'tlsv1.3'],
      maxVersion: [13, 'TLSv1.4'],
      socket: [42, {}],
      session: [42, 'session'],
      timeout: ['soon'],
      highWaterMark: ['big'],
      port: ['https', -1, 70000, 1.5],
    };
    // As in node:tls, a passphrase is read (and checked) with the key it opens.
    const alongside: Record<string, Record<string, unknown>> = { passphrase: { key: pki.client.keyPem } };
    for (const [option, values] of Object.entries(cases)) {
      for (const value of values) {
        const options = { ...alongside[option], [option]: value };
        const err = thrown(() => connect({ port, host: '127.0.0.1', ...options } as never));
        const label = `${option}: ${String(value)}`;
        expect(err instanceof TypeError || err instanceof RangeError, label).toBe(true);
        // node's own words name a bad protocol version by its bound (ERR_TLS_INVALID_PROTOCOL_VERSION)
        // and a bad port as `Port` (ERR_SOCKET_BAD_PORT).
        const alias = ({ minVersion: 'minimum', maxVersion: 'maximum', port: 'Port' } as Record<string, string>)[option];
        expect(err.message, label).toMatch(new RegExp(`\\b${option}\\b${alias ? `|\\b${alias}\\b` : ''}`));
        expect(err.message, label).not.toMatch(/is not a function|Cannot read/);
        if (option === 'port') expect({ name: err.constructor.name, code: err.code, message: err.message }, label).toEqual(thrownBy(() => tls.connect({ host: '127.0.0.1', port: value } as never)));
        // Where node:tls names the option itself (createSecureContext's options), word for word.
        const theirs = thrownBy(() => tls.createSecureContext(options as tls.SecureContextOptions));
        if (theirs !== 'ok' && theirs.message.includes(`"options.${option}"`)) {
          expect({ name: err.constructor.name, code: err.code, message: err.message }, label).toEqual(theirs);
        }
      }
    }
    expect(thrown(() => connect({ port, ciphers: 1 } as never)).message).toBe('The "options.ciphers" property must be of type string. Received type number (1)');
    expect(thrown(() => connect({ port, minVersion: 'TLSv9' } as never)).code).toBe('ERR_TLS_INVALID_PROTOCOL_VERSION');
    expect(thrown(() => connect({ port, ca: 42 } as never)).code).toBe('ERR_INVALID_ARG_TYPE');
    expect(thrown(() => connect(null as never))).toBeInstanceOf(TypeError);
    expect(thrown(() => connect(true as never))).toBeInstanceOf(TypeError);
    // Servers, and the other entry points.
    const serverCases: Array<[string, unknown]> = [
      ['handshakeTimeout', 'soon'],
      ['sessionIdContext', 42],
      ['cert', 42],
    ];
    for (const [option, value] of serverCases) {
      const err = thrown(() => createServer({ [option]: value } as never));
      expect(err instanceof TypeError || err instanceof RangeError, option).toBe(true);
      expect(err.message, option).toMatch(new RegExp(`\\b${option}\\b`));
      expect({ name: err.constructor.name, code: err.code, message: err.message }, option).toEqual(thrownBy(() => tls.createServer({ [option]: value } as never)));
    }
    // A session id context longer than OpenSSL allows (32 bytes) is refused before anything listens.
    expect(thrown(() => createServer({ sessionIdContext: 'x'.repeat(33) })).message).toMatch(/session id context/);
    expect(thrown(() => createServer('options' as never))).toBeInstanceOf(TypeError);
    const raw = new nodeNet.Socket();
    for (const [option, value] of [['certReqs', 7], ['caCerts', 42], ['serverHostname', 42], ['keyfile', 42], ['context', {}], ['sslVersion', 'TLS']] as const) {
      const err = thrown(() => wrapSocket(raw, { serverHostname: 'localhost', [option]: value } as never));
      expect(err, option).toBeInstanceOf(TypeError);
      expect(err.message, option).toMatch(new RegExp(`\\b${option}\\b`));
    }
    expect(thrown(() => fromSocket(raw, { ca: 42 } as never)).message).toMatch(/\bca\b/);
    expect(thrown(() => new SecureSocket({ servername: 42 } as never)).message).toMatch(/\bservername\b/);
    // Nothing above reached the server: the next connection is its first.
    const probe = await rawConnect(port);
    await once(probe, 'close');
    expect(connections).toBe(1);
  });

  it('takes at createServer what node:tls takes there, and refuses what node:tls refuses there', () => {
    // node:tls checks the length of each ALPN protocol when the server is made; a negative
    // handshakeTimeout and an unknown `context` pass.
    const cases: Array<Record<string, unknown>> = [{ ALPNProtocols: [Buffer.alloc(256)] }, { handshakeTimeout: -1 }, { context: {} }];
    expect(cases.map((options) => thrownBy(() => createServer(options as never)))).toEqual(cases.map((options) => thrownBy(() => tls.createServer(options as never))));
    // A malformed wire-format buffer: Node 24 refuses it in these words; Node 20 took it. Refused here.
    expect(thrownBy(() => createServer({ ALPNProtocols: Buffer.from([5, 0x68]) } as never))).toEqual({
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_VALUE',
      message: "The argument 'ALPNProtocols' contains truncated protocol. Received <Buffer 05 68>",
    });
  });

  it("refuses a protocol version node:tls does not know with node:tls's error and words, naming the option", () => {
    const cases: Array<Record<string, unknown>> = [
      { minVersion: 'TLSv9' },
      { minVersion: 'SSLv3' },
      { minVersion: 'tlsv1.3' },
      { minVersion: 42 },
      { maxVersion: 'TLSv1.4' },
      { maxVersion: 13 },
    ];
    const ours = cases.map((options) => thrownBy(() => connect({ port: 9, host: '127.0.0.1', ...options } as never)));
    const theirs = cases.map((options) => thrownBy(() => tls.connect({ port: 9, host: '127.0.0.1', ...options } as tls.ConnectionOptions)));
    expect(ours).not.toContain('ok');
    ours.forEach((mine, i) => {
      const node = theirs[i]!;
      if (mine === 'ok' || node === 'ok') throw new Error('both refuse');
      // node's name, code and words, then the option they are about.
      expect({ ...mine, message: mine.message.slice(0, node.message.length) }).toEqual(node);
      expect(mine.message.slice(node.message.length)).toMatch(/^ \(options\.(min|max)Version\)$/);
    });
  });

  it("refuses a ca with no certificate in it with OpenSSL's error, as node reports it, and accepts null, false, '', arrays and concatenated PEM", async () => {
    const pki = makePki();
    const noStartLine = { code: 'ERR_OSSL_PEM_NO_START_LINE', message: 'error:0480006C:PEM routines::no start line', library: 'PEM routines', reason: 'no start line' };
    for (const ca of ['garbage', Buffer.from('garbage'), ['garbage'], [pki.ca.certPem, 'garbage']]) {
      expectOpensslError(thrown(() => connect({ port: 9, host: '127.0.0.1', ca: ca as string })), noStartLine);
    }
    // OpenSSL reads the entries in order: the first bad one is what is reported.
    expectOpensslError(thrown(() => connect({ port: 9, host: '127.0.0.1', ca: ['-----BEGIN CERTIFICATE-----', 7] as never })), {
      code: 'ERR_OSSL_PEM_BAD_END_LINE',
      message: 'error:04800066:PEM routines::bad end line',
      library: 'PEM routines',
      reason: 'bad end line',
    });
    const broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    const err = thrown(() => connect({ port: 9, host: '127.0.0.1', ca: broken }));
    expectOpensslError(err, { code: 'ERR_OSSL_ASN1_WRONG_TAG', message: 'error:068000A8:asn1 encoding routines::wrong tag', library: 'asn1 encoding routines', reason: 'wrong tag' });
    // The rest of OpenSSL's queue, as node gives it.
    expect((err as Error & { opensslErrorStack?: string[] }).opensslErrorStack).toEqual(expect.arrayContaining([expect.stringMatching(/^error:[0-9A-F]{8}:asn1 encoding routines::/)]));
    const server = tls.createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (s) => {
      s.on('error', () => undefined);
      s.end('hi');
    });
    const port = await listen(server, later);
    const unrelated = makePki().ca.certPem;
    for (const ca of [[unrelated, pki.ca.certPem], unrelated + pki.ca.certPem, Buffer.from(pki.ca.certPem), new Uint8Array(Buffer.from(pki.ca.certPem))]) {
      expect((await watch(connect({ port, host: 'localhost', ca: ca as string }))).authorized).toBe(true);
    }
    for (const ca of [null, false, '']) {
      // Absent: the default trust, which does not hold this test CA.
      expect((await watch(connect({ port, host: 'localhost', ca: ca as never }))).events, String(ca)).toEqual(['error(UNABLE_TO_VERIFY_LEAF_SIGNATURE)', 'close']);
    }
  });

  it('accepts node:tls protocol names and ALPN lists or wire format', async () => {
    const pki = makePki();
    const server = tls.createServer({ cert: pki.server.certPem, key: pki.server.keyPem, ALPNProtocols: ['h2', 'http/1.1'] }, (s) => {
      s.on('error', () => undefined);
      s.end('hi');
    });
    const port = await listen(server, later);
    const base = { port, host: 'localhost', ca: pki.ca.certPem };
    const protocol = async (extra: Record<string, unknown>): Promise<[string | null, string | false | null]> => {
      const sock = connect({ ...base, ...extra });
      let seen: [string | null, string | false | null] = [null, false];
      sock.on('secureConnect', () => {
        seen = [sock.getProtocol(), sock.alpnProtocol];
      });
      await watch(sock);
      return seen;
    };
    expect(await protocol({ maxVersion: 'TLSv1.2' })).toEqual(['TLSv1.2', false]);
    expect(await protocol({ minVersion: 'TLSv1.3' })).toEqual(['TLSv1.3', false]);
    expect(await protocol({ minVersion: 'TLSv1', maxVersion: 'TLSv1.3' })).toEqual(['TLSv1.3', false]);
    expect(await protocol({ ALPNProtocols: ['http/1.1'] })).toEqual(['TLSv1.3', 'http/1.1']);
    expect(await protocol({ ALPNProtocols: [Buffer.from('h2')] })).toEqual(['TLSv1.3', 'h2']);
    expect(await protocol({ ALPNProtocols: Buffer.from('\x03foo\x08http/1.1') })).toEqual(['TLSv1.3', 'http/1.1']);
    expect(await protocol({ ALPNProtocols: new Uint8Array(Buffer.from('\x02h2')) })).toEqual(['TLSv1.3', 'h2']);
  });
});

describe('handshakeTimeout', () => {
  it('drops clients that do not finish their handshake in time, with tlsClientError, and leaves finished ones alone', async () => {
    const pki = makePki();
    const errors: Array<Error & { code?: string }> = [];
    const secured: SecureSocket[] = [];
    const server = createServer({ cert: pki.server.certPem, key: pki.server.keyPem, handshakeTimeout: 300 }, (s) => {
      secured.push(s);
      s.on('data', (d) => s.write(d));
    });
    server.on('tlsClientError', (e: Error & { code?: string }) => errors.push(e));
    const port = await listen(server, later);
    // A finished connection first: its handshake timer would fire before the idle clients' below.
    const done = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca.certPem });
    later(() => done.destroy());
    await until(() => secured.length === 1);
    await Promise.all(
      [null, Buffer.from([0x16, 0x03, 0x01]), Buffer.from([0x16, 0x03, 0x01, 0x00, 0x40, 0x01])].map(async (bytes) => {
        const raw = await rawConnect(port);
        raw.resume();
        if (bytes) raw.write(bytes);
        await once(raw, 'close');
      }),
    );
    expect(errors.map((e) => [e.code, e.message])).toEqual(Array(3).fill(['ERR_TLS_HANDSHAKE_TIMEOUT', 'TLS handshake timeout']));
    done.write('still here');
    const [echo] = await once(done, 'data');
    expect(echo.toString()).toBe('still here');
  });

  const dist = join(__dirname, '..', 'dist', 'index.js');
  it.skipIf(!existsSync(dist))('does not keep the process alive once the socket is gone (default 120 s timer)', async () => {
    const pki = makePki();
    const script = `
      import net from 'node:net';
      const { createServer } = await import(${JSON.stringify(dist)});
      const [cert, key] = JSON.parse(process.argv[1]);
      const server = createServer({ cert, key });
      server.listen(0, '127.0.0.1', () => {
        const raw = net.connect(server.address().port, '127.0.0.1', () => raw.destroy());
        server.on('tlsClientError', () => server.close(() => console.log('closed')));
      });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, JSON.stringify([pki.server.certPem, pki.server.keyPem])], { stdio: ['ignore', 'pipe', 'inherit'] });
    later(() => child.kill());
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const [code] = await once(child, 'exit');
    expect(out.trim()).toBe('closed');
    expect(code).toBe(0);
  });
});
