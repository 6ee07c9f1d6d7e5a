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

  it('emits CertificateVerifyError for an untrusted or misnamed server, and obeys rejectUnauthorized: false', async () => {
    const pki = makePki();
    const server = nodeEchoServer(pki);
    server.on('tlsClientError', () => undefined);
    const port = await listen(server);
    const untrusted = connect({ port, host: '127.0.0.1', servername: 'localhost', ca: makePki().ca.certPem });
    const [e1] = await once(untrusted, 'error');
    expect(e1).toBeInstanceOf(CertificateVerifyError);
    expect(e1.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE'); // as node:tls names it for a lone leaf
    const misnamed = connect({ port, host: '127.0.0.1', servername: 'wrong.example', ca: pki.ca.certPem });
    const [e2] = await once(misnamed, 'error');
    expect(e2.code).toBe('HOSTNAME_MISMATCH');
    const lax = connect({ port, host: '127.0.0.1', servername: 'wrong.example', ca: pki.ca.certPem, rejectUnauthorized: false });
    await once(lax, 'secureConnect');
    expect(lax.authorized).toBe(false);
    expect((lax.authorizationError as CertificateVerifyError).code).toBe('HOSTNAME_MISMATCH');
    expect(lax.getpeercert()).toEqual({});
    lax.destroy();
  });

  it('trusts the default CA file (SSL_CERT_FILE) when no ca is given, and rejects what it does not hold', async () => {
    const pki = makePki();
    const port = await listen(nodeEchoServer(pki));
    const files = tempFiles({ 'bundle.pem': pki.ca.certPem, 'other.pem': makePki().ca.certPem, empty: '' });
    const saved = [process.env.SSL_CERT_FILE, process.env.SSL_CERT_DIR];
    cleanups.push(() => {
      for (const [k, v] of [['SSL_CERT_FILE', saved[0]], ['SSL_CERT_DIR', saved[1]]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      files.cleanup();
    });
    process.env.SSL_CERT_DIR = files.path('empty');
    for (const round of [1, 2]) {
      process.env.SSL_CERT_FILE = files.path('bundle.pem');
      const ok = connect({ port, host: '127.0.0.1', servername: 'localhost' });
      await once(ok, 'secureConnect');
      expect(ok.authorized, `round ${round}`).toBe(true);
      ok.destroy();
      process.env.SSL_CERT_FILE = files.path('other.pem');
      const refused = connect({ port, host: '127.0.0.1', servername: 'localhost' });
      const [err] = await once(refused, 'error');
      expect(err.code, `round ${round}`).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    }
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

  it('refuses a list that names nothing, or no cipher OpenSSL knows, before connecting', () => {
    expect(() => connect({ port: 9, host: '127.0.0.1', ciphers: ':' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
    // As in node:tls, an empty string means the default list.
    const s = connect({ port: 9, host: '127.0.0.1', ciphers: '' });
    s.on('error', () => undefined);
    s.destroy();
    expect(() => connect({ port: 9, host: '127.0.0.1', ciphers: 'NOPE' })).toThrow(/options\.ciphers.*no cipher match/);
    expect(() => connect({ port: 9, host: '127.0.0.1', ciphers: 'TLS_NOPE' })).toThrow(/options\.ciphers/);
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
  it.each(['TLSv1.3', 'TLSv1.2'] as const)('hands out sessions that resume, and none for a refused connection (%s)', async (version) => {
    const pki = makePki();
    const port = await listen(
      tls.createServer({ key: pki.server.keyPem, cert: pki.server.certPem, minVersion: version, maxVersion: version }, (s) => {
        s.on('error', () => undefined);
        s.end('x');
      }),
    );
    const run = (extra: Record<string, unknown>): Promise<{ sessions: Buffer[]; reused: boolean | null; error: string | null }> =>
      new Promise((resolve) => {
        const sock = connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca.certPem, ...extra } as never);
        const out = { sessions: [] as Buffer[], reused: null as boolean | null, error: null as string | null };
        sock.on('session', (der: Buffer) => out.sessions.push(der));
        sock.on('secureConnect', () => {
          out.reused = sock.isSessionReused();
        });
        sock.on('data', () => undefined);
        sock.on('error', (e: Error & { code?: string }) => {
          out.error = e.code ?? e.message;
        });
        sock.on('close', () => setImmediate(() => resolve(out)));
      });
    const first = await run({});
    expect(first.error).toBeNull();
    expect(first.reused).toBe(false);
    expect(first.sessions.length).toBeGreaterThanOrEqual(1);
    expect(first.sessions.every((d) => Buffer.isBuffer(d) && d.length > 0)).toBe(true);
    const again = await run({ session: first.sessions.at(-1) });
    expect(again.error).toBeNull();
    expect(again.reused).toBe(true);
    // A connection refused for its name hands out no session to resume.
    const refused = await run({ servername: 'other.test' });
    expect(refused.error).toBe('HOSTNAME_MISMATCH');
    expect(refused.sessions).toEqual([]);
  });
});
