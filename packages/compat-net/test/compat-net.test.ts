import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import nodeNet from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpCertificate, dumpPrivatekey, FILETYPE_PEM, loadCertificate } from '@ossl/crypto';
import { CertificateVerifyError, Context, TLS_METHOD } from '@ossl/ssl';
import { makePki, tempFiles } from '@ossl/testkit';

import net, {
  CERT_REQUIRED,
  certTimeToSeconds,
  certToPythonDict,
  connect,
  createServer,
  DERCertToPEMCert,
  getServerCertificate,
  PEMCertToDERCert,
  PROTOCOL_TLS_CLIENT,
  readline,
  readlines,
  SecureSocket,
  wrapSocket,
  writelines,
} from '../src/index.js';
import { runScript } from './support/child.js';
import { expectAltnameError, expectOpensslError, thrown, thrownBy } from './support/node-shapes.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function listen(server: nodeNet.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => server.close(() => r(undefined))));
  return (server.address() as nodeNet.AddressInfo).port;
}

function nodeEchoServer(pki: ReturnType<typeof makePki>, extra: tls.TlsOptions = {}) {
  return tls.createServer({ key: pki.server.keyPem, cert: pki.server.certPem, ...extra }, (s) => {
    s.on('data', (d) => s.write(Buffer.concat([Buffer.from('echo:'), d])));
    s.on('end', () => s.end());
    s.on('error', () => undefined);
  });
}

describe('connect (a client with net.Socket shape)', () => {
  it('verifies the server, fires connect and secureConnect, and echoes through events', async () => {
    const pki = makePki();
    const port = await listen(nodeEchoServer(pki));
    const events: string[] = [];
    const sock = connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca.certPem });
    sock.on('connect', () => events.push('connect'));
    await once(sock, 'secureConnect');
    events.push('secureConnect');
    expect(events).toEqual(['connect', 'secureConnect']);
    expect(sock.authorized).toBe(true);
    expect(sock.encrypted).toBe(true);
    expect(sock.getProtocol()).toBe('TLSv1.3');
    expect(sock.version()).toBe('TLSv1.3');
    expect(sock.cipher()![1]).toBe('TLSv1.3');
    expect(sock.getCipher()!.name).toMatch(/^TLS_/);
    expect(sock.getPeerCertificate().subject).toMatchObject({ CN: 'localhost' });
    expect(sock.getpeercert()).toEqual(certToPythonDict(pki.server.cert));
    expect((sock.getpeercert(true) as Buffer).equals(Buffer.from(pki.server.cert.toX509Certificate().raw))).toBe(true);
    expect(sock.remotePort).toBe(port);
    expect(sock.remoteAddress).toBe('127.0.0.1');
    sock.setNoDelay(true);
    sock.setKeepAlive(true, 1000);
    sock.write('ping');
    const [data] = await once(sock, 'data');
    expect(data.toString()).toBe('echo:ping');
    expect(sock.bytesRead).toBeGreaterThan(0);
    sock.end();
    await once(sock, 'close');
  });

  it("fails as node:tls does for an untrusted or misnamed server, and obeys rejectUnauthorized: false", async () => {
    const pki = makePki();
    const server = nodeEchoServer(pki);
    server.on('tlsClientError', () => undefined);
    const port = await listen(server);
    /** The first error of a client, ours or node:tls's (the oracle). */
    const failure = async (make: (o: tls.ConnectionOptions) => tls.TLSSocket | SecureSocket, options: tls.ConnectionOptions) => {
      const [err] = await once(make(options), 'error');
      return err as Error & { code?: string; reason?: string; host?: string };
    };
    const ours = (o: tls.ConnectionOptions) => connect(o as never);
    const untrusted = { port, host: '127.0.0.1', servername: 'localhost', ca: makePki().ca.certPem };
    const e1 = await failure(ours, untrusted);
    // node's error, not a CertificateVerifyError: the verify name as code, OpenSSL's text as message.
    expect(e1).not.toBeInstanceOf(CertificateVerifyError);
    expect(e1.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE'); // as node:tls names it for a lone leaf
    expect(e1.message).toBe('unable to verify the first certificate');
    const n1 = await failure(tls.connect, untrusted);
    // Node 24 adds a hint to its message ("; if the root CA is installed locally, ..."): ours is its start.
    expect([e1.constructor.name, e1.code, n1.message.startsWith(e1.message)]).toEqual([n1.constructor.name, n1.code, true]);
    const misnamed = { port, host: '127.0.0.1', servername: 'wrong.example', ca: pki.ca.certPem };
    const e2 = await failure(ours, misnamed);
    expectAltnameError(e2, 'wrong.example');
    const n2 = await failure(tls.connect, misnamed);
    expect([e2.constructor.name, e2.code, e2.message, e2.reason, e2.host]).toEqual([n2.constructor.name, n2.code, n2.message, n2.reason, n2.host]);
    const lax = connect({ ...misnamed, rejectUnauthorized: false });
    await once(lax, 'secureConnect');
    expect(lax.authorized).toBe(false);
    expect(lax.authorizationError).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(lax.getpeercert()).toEqual({});
    lax.destroy();
    const nodeLax = tls.connect({ ...misnamed, rejectUnauthorized: false });
    await once(nodeLax, 'secureConnect');
    expect([nodeLax.authorized, nodeLax.authorizationError]).toEqual([false, 'ERR_TLS_CERT_ALTNAME_INVALID']);
    nodeLax.destroy();
  });

  /**
   * Two node:tls servers, of CAs `one` and `two`, and `run(env, execArgv)`: what compat-net and
   * node:tls, in a child process started with that environment and those flags, make of each when no
   * `ca` is given (node reads NODE_EXTRA_CA_CERTS and --use-openssl-ca at startup).
   */
  async function defaultTrust() {
    const [one, two] = [makePki(), makePki()];
    const ports = [await listen(nodeEchoServer(one)), await listen(nodeEchoServer(two))];
    const files = tempFiles({ 'one.pem': one.ca.certPem, 'two.pem': two.ca.certPem });
    cleanups.push(files.cleanup);
    const script = join(__dirname, 'support', 'default-trust-child.ts');
    const run = async (env: Record<string, string | undefined>, execArgv: string[] = []): Promise<Array<{ ours: string; node: string }>> =>
      JSON.parse(await runScript(script, { env: { NODE_EXTRA_CA_CERTS: undefined, SSL_CERT_FILE: undefined, SSL_CERT_DIR: files.dir, NODE_OPTIONS: undefined, ...env, TRUST_PORTS: ports.join(',') }, execArgv }));
    return { run, one: files.path('one.pem'), two: files.path('two.pem') };
  }
  const authorized = { ours: 'authorized', node: 'authorized' };
  const untrusted = { ours: 'error UNABLE_TO_VERIFY_LEAF_SIGNATURE', node: 'error UNABLE_TO_VERIFY_LEAF_SIGNATURE' };

  it("trusts node's roots plus NODE_EXTRA_CA_CERTS when no ca is given, and the system store (SSL_CERT_FILE) only with --use-openssl-ca, as node:tls", async () => {
    const { run, one, two } = await defaultTrust();
    // NODE_EXTRA_CA_CERTS adds to the default trust; the system store (SSL_CERT_FILE) is not read.
    expect(await run({ NODE_EXTRA_CA_CERTS: one, SSL_CERT_FILE: two })).toEqual([authorized, untrusted]);
    expect(await run({ SSL_CERT_FILE: two })).toEqual([untrusted, untrusted]);
    // With --use-openssl-ca the system store is the default trust.
    expect(await run({ SSL_CERT_FILE: one }, ['--use-openssl-ca'])).toEqual([authorized, untrusted]);
  });

  it('adds NODE_EXTRA_CA_CERTS to the system store with --use-openssl-ca, as node:tls', async () => {
    const { run, one, two } = await defaultTrust();
    expect(await run({ SSL_CERT_FILE: one, NODE_EXTRA_CA_CERTS: two }, ['--use-openssl-ca'])).toEqual([authorized, authorized]);
  });

  it('reports a refused connection as an error event', async () => {
    const probe = nodeNet.createServer();
    const port = await listen(probe);
    await new Promise((r) => probe.close(r));
    cleanups.length = 0;
    const sock = connect(port, '127.0.0.1');
    const [err] = await once(sock, 'error');
    expect(err.code).toBe('ECONNREFUSED');
  });
});

describe('createServer (a server with net.Server shape)', () => {
  it('serves node:tls clients, with and without client certificates', async () => {
    const pki = makePki();
    const server = createServer({ cert: pki.server.certPem, key: pki.server.keyPem, requestCert: true, rejectUnauthorized: true, ca: pki.ca.certPem }, (sock) => {
      sock.on('data', (d) => sock.write(`hello ${(sock.getpeercert() as { subject: [string, string][][] }).subject[2]![0]![1]}: ${d}`));
    });
    const port = await listen(server);
    const client = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca.certPem, key: pki.client.keyPem, cert: pki.client.certPem });
    cleanups.push(() => client.destroy());
    await once(client, 'secureConnect');
    expect(client.authorized).toBe(true);
    client.write('hi');
    const [reply] = await once(client, 'data');
    expect(reply.toString()).toBe('hello ossl test client: hi');

    const failures: Error[] = [];
    server.on('tlsClientError', (e: Error) => failures.push(e));
    const anon = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca.certPem });
    anon.on('error', () => undefined);
    await new Promise((resolve) => anon.on('close', resolve));
    expect(failures.length).toBe(1);
  });

  it('is what `import net from "@ossl/compat-net"` gives existing socket code', async () => {
    const pki = makePki();
    // Code written for node:net, taking the module as a parameter: unchanged except for the module.
    async function lineClient(netModule: typeof net, port: number): Promise<string> {
      const sock = netModule.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca.certPem });
      sock.write('GET line\n');
      const [data] = await once(sock, 'data');
      sock.end();
      return data.toString();
    }
    const server = net.createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (sock) => {
      sock.on('data', () => sock.end('the line\n'));
    });
    const port = await listen(server);
    expect(await lineClient(net, port)).toBe('the line\n');
  });
});

describe('wrapSocket (STARTTLS)', () => {
  it('upgrades a plain connection mid-stream on both sides and unwraps it again', async () => {
    const pki = makePki();
    const files = tempFiles({
      'cert.pem': dumpCertificate(FILETYPE_PEM, pki.server.cert),
      'key.pem': dumpPrivatekey(FILETYPE_PEM, pki.server.key),
      'ca.pem': dumpCertificate(FILETYPE_PEM, pki.ca.cert),
    });
    cleanups.push(files.cleanup);
    const server = nodeNet.createServer(async (plain) => {
      const [cmd] = await once(plain, 'data');
      expect(cmd.toString()).toBe('STARTTLS\r\n');
      plain.write('GO\r\n');
      const secure = wrapSocket(plain, { serverSide: true, certfile: files.path('cert.pem'), keyfile: files.path('key.pem') });
      const line = await readline(secure);
      secure.write(`secret ${line}`);
      const back = await secure.unwrap();
      back.write('plain again\r\n');
      back.resume();
    });
    const port = await listen(server);
    const plain = nodeNet.connect(port, '127.0.0.1');
    cleanups.push(() => plain.destroy());
    await once(plain, 'connect');
    plain.write('STARTTLS\r\n');
    const [go] = await once(plain, 'data');
    expect(go.toString()).toBe('GO\r\n');
    const secure = wrapSocket(plain, { caCerts: files.path('ca.pem'), serverHostname: 'localhost', certReqs: CERT_REQUIRED, sslVersion: PROTOCOL_TLS_CLIENT });
    await once(secure, 'secureConnect');
    expect(secure.authorized).toBe(true);
    writelines(secure, ['a b c', '\n']);
    expect((await readline(secure)).toString()).toBe('secret a b c\n');
    const raw = await secure.unwrap();
    const afterPromise = once(raw, 'data');
    raw.resume();
    const [after] = await afterPromise;
    expect(after.toString()).toBe('plain again\r\n');
  });

  it('refuses protocols OpenSSL 3 no longer has and things that are not sockets', () => {
    expect(() => wrapSocket({} as never)).toThrow(TypeError);
    expect(() => wrapSocket(new nodeNet.Socket(), { sslVersion: 1 })).toThrow(/TLS 1.2 and 1.3 only/);
  });
});

describe('Python helpers', () => {
  it('convert certificate times and encodings as Python does', () => {
    expect(certTimeToSeconds('May  9 00:00:00 2007 GMT')).toBe(1178668800);
    expect(certTimeToSeconds('Jan  5 09:34:43 2018 GMT')).toBe(1515144883);
    expect(() => certTimeToSeconds('2007-05-09')).toThrow(RangeError);
    const pki = makePki();
    const der = Buffer.from(pki.server.cert.toX509Certificate().raw);
    const pem = DERCertToPEMCert(der);
    expect(PEMCertToDERCert(pem).equals(der)).toBe(true);
    expect(loadCertificate(FILETYPE_PEM, pem).digest('sha256')).toBe(pki.server.cert.digest('sha256'));
    expect(() => PEMCertToDERCert('junk')).toThrow(RangeError);
  });

  it("builds getpeercert() dicts equal to CPython's for its test certificates", () => {
    const dir = join(__dirname, '..', '..', '..', 'test', 'vectors', 'cpython-certdata');
    const decoded = JSON.parse(readFileSync(join(dir, 'decoded.json'), 'utf8')) as Record<string, unknown>;
    let compared = 0;
    for (const [file, expected] of Object.entries(decoded)) {
      if (typeof expected === 'string') continue;
      expect(certToPythonDict(loadCertificate(FILETYPE_PEM, readFileSync(join(dir, file)))), file).toEqual(expected);
      compared++;
    }
    expect(compared).toBe(12);
  });

  it("fetches a server's certificate like ssl.get_server_certificate", async () => {
    const pki = makePki();
    const port = await listen(nodeEchoServer(pki));
    const pem = await getServerCertificate(['127.0.0.1', port]);
    expect(loadCertificate(FILETYPE_PEM, pem).digest('sha256')).toBe(pki.server.cert.digest('sha256'));
    await expect(getServerCertificate(['nowhere'] as never)).rejects.toBeInstanceOf(TypeError);
  });
});

describe('SecureSocket over any Duplex', () => {
  it('reads lines with readline/readlines, and ends cleanly', async () => {
    const pki = makePki();
    // The server closes without a close_notify (destroy, not end: from Node 24 on, node:tls's end()
    // sends one).
    const server = tls.createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (s) => {
      s.write('one\ntwo\nthree\n', () => s.destroy());
      s.on('error', () => undefined);
    });
    const port = await listen(server);
    const sock = new SecureSocket({ ca: pki.ca.certPem, servername: 'localhost', context: undefined });
    sock.connect(port, '127.0.0.1');
    await once(sock, 'secureConnect');
    expect((await readline(sock)).toString()).toBe('one\n');
    expect((await readlines(sock)).map(String)).toEqual(['two\n', 'three\n']);
    // The stream ends, and says it was not a clean end.
    expect(sock.truncated).toBe(true);
    expect(new Context(TLS_METHOD)).toBeInstanceOf(Context);
  });
});

describe('SecureSocket faults', () => {
  it('reports a peer that hangs up mid-handshake as an error, and writes after close fail', async () => {
    const server = nodeNet.createServer((s) => s.once('data', () => s.destroy()));
    const port = await listen(server);
    const sock = connect({ port, host: '127.0.0.1', servername: 'localhost' });
    const [err] = await once(sock, 'error');
    expect(['ECONNRESET', 'ERR_SSL_SYSCALL', 'EPIPE']).toContain((err as { code: string }).code);
    expect(sock.destroyed).toBe(true);
    await new Promise<void>((resolve) => {
      sock.write('late', (e) => {
        expect(e).toBeTruthy();
        resolve();
      });
    });
  });

  it('reports garbage from the peer as an SSL error with OpenSSL reasons', async () => {
    const server = nodeNet.createServer((s) => {
      s.once('data', () => s.write('HTTP/1.1 400 Bad Request\r\n\r\n'));
      s.on('error', () => undefined);
    });
    const port = await listen(server);
    const sock = connect({ port, host: '127.0.0.1', servername: 'localhost' });
    const [err] = await once(sock, 'error');
    expect((err as { errors: { reason: string }[] }).errors.map((e) => e.reason).join()).toMatch(/wrong version number|record|packet/);
  });

  it('times out like net.Socket', async () => {
    const server = nodeNet.createServer((s) => s.resume());
    const port = await listen(server);
    const sock = connect({ port, host: '127.0.0.1', servername: 'localhost', timeout: 150 });
    await once(sock, 'timeout');
    sock.destroy();
    expect(sock.destroyed).toBe(true);
  });
});

describe('the ciphers option, as node:tls reads it', () => {
  /** What a client with `ciphers` negotiates with a node:tls server, or the error it ends with. */
  async function negotiate(connectWith: (options: Record<string, unknown>) => tls.TLSSocket | SecureSocket, port: number, pki: ReturnType<typeof makePki>, ciphers: string): Promise<string> {
    return new Promise((resolve) => {
      let sock: tls.TLSSocket | SecureSocket;
      try {
        sock = connectWith({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca.certPem, ciphers });
      } catch (e) {
        resolve(`threw ${(e as { code?: string }).code}`);
        return;
      }
      sock.once('secureConnect', () => {
        resolve(`${sock.getProtocol()} ${sock.getCipher()!.name}`);
        sock.destroy();
      });
      sock.once('error', (e: Error & { code?: string }) => resolve(`error ${e.code}`));
    });
  }

  it('takes TLS 1.3 suite names beside the TLS 1.2 list and negotiates what node:tls negotiates', async () => {
    const pki = makePki();
    const port = await listen(nodeEchoServer(pki));
    const cases = [
      'TLS_AES_128_GCM_SHA256',
      'TLS_CHACHA20_POLY1305_SHA256:ECDHE-ECDSA-AES256-GCM-SHA384',
      'ECDHE-ECDSA-AES128-GCM-SHA256',
      'TLS_AES_256_GCM_SHA384::',
    ];
    for (const ciphers of cases) {
      const ours = await negotiate((o) => connect(o as never), port, pki, ciphers);
      expect(ours, ciphers).toBe(await negotiate((o) => tls.connect(o), port, pki, ciphers));
      expect(ours, ciphers).toMatch(/^TLSv1\.3 TLS_/);
    }
    // Only a TLS 1.2 list, with TLS 1.3 turned off: that list is used.
    const twelve = await negotiate((o) => connect({ ...o, maxVersion: 'TLSv1.2' } as never), port, pki, 'ECDHE-ECDSA-AES128-GCM-SHA256');
    expect(twelve).toBe('TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256');
  });

  it("refuses a list that names nothing, or no cipher OpenSSL knows, before connecting, with node:tls's errors", () => {
    const options = (ciphers: string) => ({ port: 9, host: '127.0.0.1', ciphers });
    expect(thrown(() => connect(options(':'))).code).toBe('ERR_INVALID_ARG_VALUE');
    // As in node:tls, an empty string means the default list.
    const s = connect(options(''));
    s.on('error', () => undefined);
    s.destroy();
    expectOpensslError(thrown(() => connect(options('NOPE'))), { code: 'ERR_SSL_NO_CIPHER_MATCH', message: 'error:0A0000B9:SSL routines::no cipher match', library: 'SSL routines', reason: 'no cipher match' });
    // Word for word what node:tls throws, for TLS 1.3 suites and TLS 1.2 lists alike.
    for (const ciphers of [':', '::', 'NOPE', 'TLS_NOPE', 'TLS_NOPE:ECDHE-ECDSA-AES128-GCM-SHA256', 'TLS_AES_128_GCM_SHA256:NOPE']) {
      const ours = thrownBy(() => connect(options(ciphers)));
      expect(ours, ciphers).not.toBe('ok');
      expect(ours, ciphers).toEqual(thrownBy(() => tls.connect(options(ciphers))));
    }
  });
});

describe('the end of the handshake and the first writes', () => {
  it("leave together: the transport is corked while the 'secure' listeners run, then uncorked", async () => {
    const pki = makePki();
    const seen: number[] = [];
    const server = createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (s) => {
      const raw = s.socket as nodeNet.Socket;
      seen.push(raw.writableCorked);
      s.write('x');
      process.nextTick(() => process.nextTick(() => seen.push(raw.writableCorked)));
      s.on('error', () => undefined);
    });
    const port = await listen(server);
    const client = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca.certPem });
    const [data] = (await once(client, 'data')) as [Buffer];
    client.destroy();
    expect(data.toString()).toBe('x');
    expect(seen).toEqual([1, 0]);
  });
});

describe("the client's 'session' event", () => {
  it.each(['TLSv1.3', 'TLSv1.2'] as const)("is emitted after secureConnect as each session arrives, as node:tls emits it, and never for a refused connection (%s)", async (version) => {
    const pki = makePki();
    const port = await listen(
      tls.createServer({ key: pki.server.keyPem, cert: pki.server.certPem, minVersion: version, maxVersion: version }, (s) => {
        s.on('error', () => undefined);
        s.end('x');
      }),
    );
    interface Run {
      /** secureConnect, session and error(<code>), in order. */
      events: string[];
      sessions: Buffer[];
      /** For each 'session': whether getSession() returned that session while it was emitted. */
      current: boolean[];
      reused: boolean | null;
      error: string | null;
    }
    const run = (make: (o: Record<string, unknown>) => tls.TLSSocket | SecureSocket, extra: Record<string, unknown>): Promise<Run> =>
      new Promise((resolve) => {
        const sock = make({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca.certPem, ...extra });
        const out: Run = { events: [], sessions: [], current: [], reused: null, error: null };
        sock.on('session', (der: Buffer) => {
          out.events.push('session');
          out.sessions.push(der);
          out.current.push(sock.getSession()?.equals(der) === true);
        });
        sock.on('secureConnect', () => {
          out.events.push('secureConnect');
          out.reused = sock.isSessionReused();
        });
        sock.on('data', () => undefined);
        sock.on('error', (e: Error & { code?: string }) => {
          out.events.push(`error(${e.code})`);
          out.error = e.code ?? e.message;
        });
        sock.on('close', () => setImmediate(() => resolve(out)));
      });
    const scenario = async (make: (o: Record<string, unknown>) => tls.TLSSocket | SecureSocket): Promise<[Run, Run, Run]> => {
      const first = await run(make, {});
      const again = await run(make, { session: first.sessions.at(-1) });
      // A connection refused for its name.
      const refused = await run(make, { servername: 'other.test' });
      return [first, again, refused];
    };
    const [first, again, refused] = await scenario((o) => connect(o as never));
    expect(first.error).toBeNull();
    expect(first.reused).toBe(false);
    expect(first.events[0]).toBe('secureConnect');
    expect(first.sessions.length).toBeGreaterThanOrEqual(1);
    expect(first.sessions.every((d) => Buffer.isBuffer(d) && d.length > 0)).toBe(true);
    expect(first.current).toEqual(first.sessions.map(() => true));
    expect(again.error).toBeNull();
    expect(again.reused).toBe(true);
    // A connection refused for its name hands out no session to resume.
    expect(refused.error).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(refused.sessions).toEqual([]);
    expect(refused.events).toEqual(['error(ERR_TLS_CERT_ALTNAME_INVALID)']);
    // node:tls, on the same server: the same events in the same order, as many sessions, and the same
    // for a resumed connection.
    const theirs = await scenario((o) => tls.connect(o as tls.ConnectionOptions));
    expect([first, again, refused].map((r) => r.events)).toEqual(theirs.map((r) => r.events));
    expect(theirs.map((r) => r.reused)).toEqual([false, true, null]);
  });
});
