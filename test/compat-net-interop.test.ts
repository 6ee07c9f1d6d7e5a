// @ossl/compat-net (node:tls on OpenSSL) in both roles against peers nobody here wrote: openssl
// s_server/s_client, CPython's ssl module, curl, GnuTLS (gnutls-serv/gnutls-cli) and nginx. Every cell
// of TLS 1.2/1.3 x RSA-2048/ECDSA P-256 x with/without client certificate checks the handshake, the
// negotiated protocol on both sides, the key type each side saw, 64 KiB each way, that the verifying
// side authorized the peer, and the peer certificate's subject CN. A compat-net server that requires a
// client certificate refuses a client without one, and the peer sees the handshake fail.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import type { Peer } from './support/peers.js';
import { startSServer } from './support/peers.js';
import {
  BIN,
  CELLS,
  REFUSALS,
  SIZE,
  TO_CLIENT,
  TO_SERVER,
  cipherPattern,
  connectCompat,
  curlFlags,
  expectedKey,
  freePort,
  gnutlsPriority,
  gnutlsVersion,
  keyOf,
  lastLine,
  launch,
  opensslFlag,
  parseResponse,
  pemIn,
  pkiSets,
  pythonSummary,
  readAll,
  readExactly,
  serveCompat,
  seenBy,
  sha256,
  startNginx,
  startPython,
  waitForPort,
  type Cell,
  type Seen,
} from './support/interop.js';

/** Hang guard only: a cell takes well under a second; nothing here waits on time. */
const HANG_GUARD = 60_000;

const running: Peer[] = [];
/** Destroys the compat-net clients, before the peers they talk to are stopped. */
const clients: Array<() => unknown> = [];
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c();
  await Promise.all(running.splice(0).map((p) => p.stop()));
  for (const c of cleanups.splice(0).reverse()) await c();
});
const pkis = pkiSets();
afterAll(() => pkis.cleanup());

/** node:tls's code for a client that sent no certificate to a server requiring one ('tlsClientError'). */
const REFUSED_CODE = 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE';
const SERVER_CN = 'localhost';
const CLIENT_CN = 'ossl test client';

/** What the compat-net client must have seen: the server verified, its CN and key, the pinned version. */
function expectClientSide(seen: Seen, cell: Cell): void {
  expect(seen.protocol).toBe(cell.version);
  expect(seen.authorized).toBe(true);
  expect(seen.authorizationError).toBeNull();
  expect(seen.peerCN).toBe(SERVER_CN);
  expect(seen.peerKey).toBe(expectedKey(cell.kind));
  expect(seen.cipher).toMatch(cipherPattern(cell));
}

/** What the compat-net server must have seen: the pinned version, and the client verified when it must present one. */
function expectServerSide(seen: Seen, cell: Cell): void {
  expect(seen.protocol).toBe(cell.version);
  expect(seen.cipher).toMatch(cipherPattern(cell));
  if (cell.clientCert) {
    expect(seen.authorized).toBe(true);
    expect(seen.authorizationError).toBeNull();
    expect(seen.peerCN).toBe(CLIENT_CN);
    expect(seen.peerKey).toBe(expectedKey(cell.kind));
  } else {
    expect(seen.peerKey).toBeNull();
  }
}

/** Compares two payloads without printing 64 KiB on a mismatch. */
function expectPayload(got: Buffer | string, want: Buffer): void {
  const b = typeof got === 'string' ? Buffer.from(got, 'latin1') : got;
  expect({ length: b.length, sha256: sha256(b) }).toEqual({ length: want.length, sha256: sha256(want) });
}

// ---------------------------------------------------------------------------------------------------
describe('openssl s_server with a compat-net client', () => {
  it.each(CELLS)('$label', async (cell) => {
    const { pki, path } = pkis.get(cell.kind);
    const args = ['-cert', path('server.pem'), '-key', path('server.key'), opensslFlag(cell.version), '-naccept', '1'];
    if (cell.clientCert) args.push('-Verify', '2', '-CAfile', path('ca.pem'), '-verify_return_error');
    const server = await startSServer(args);
    running.push(server);
    const sock = await connectCompat(server.port, pki, cell, clients);
    const seen = seenBy(sock);
    expectClientSide(seen, cell);

    sock.write(TO_SERVER);
    await server.waitFor(lastLine(TO_SERVER));
    const out = server.output();
    expect(out.includes(TO_SERVER.toString('latin1'))).toBe(true);
    server.proc.stdin.write(TO_CLIENT);
    expectPayload(await readExactly(sock, SIZE), TO_CLIENT);

    // What s_server saw: the cipher the client negotiated and, with client auth, the verified client.
    expect(out).toContain(`CIPHER is ${seen.cipher}`);
    if (cell.clientCert) {
      expect(out).toMatch(/depth=0 C = US, O = ossl tests, CN = ossl test client\r?\nverify return:1/);
      expect(out).toContain(`subject=C = US, O = ossl tests, CN = ${CLIENT_CN}`);
      expect(keyOf(pemIn(out, 'Client certificate'))).toBe(expectedKey(cell.kind));
    } else {
      expect(out).not.toContain('Client certificate');
    }
    sock.end();
  }, HANG_GUARD);
});

describe('openssl s_client with a compat-net server', () => {
  function sClient(port: number, cell: Cell, path: (n: string) => string, withCert: boolean) {
    const args = ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-CAfile', path('ca.pem'), '-verify_return_error', '-verify_hostname', 'localhost', opensslFlag(cell.version)];
    if (withCert) args.push('-cert', path('client.pem'), '-key', path('client.key'));
    return launch(BIN.openssl, args, running);
  }

  it.each(CELLS)('$label', async (cell) => {
    const { pki, path } = pkis.get(cell.kind);
    const server = await serveCompat(pki, cell, { requireCert: cell.clientCert }, cleanups);
    const client = sClient(server.port, cell, path, cell.clientCert);
    await client.waitFor(/Verify return code: 0 \(ok\)/);
    client.proc.stdin.write(TO_SERVER);
    const served = await server.served;
    expectServerSide(served, cell);
    expectPayload(served.received, TO_SERVER);
    await client.waitFor(lastLine(TO_CLIENT));
    const out = client.output();
    expect(out.includes(TO_CLIENT.toString('latin1'))).toBe(true);

    // What s_client saw: the version and cipher, the verified server, its CN and key.
    expect(out).toContain(`New, ${cell.version}, Cipher is ${served.cipher}`);
    expect(out).toContain('Verification: OK');
    expect(out).toContain(`Verified peername: localhost`);
    expect(out).toContain(`subject=C = US, O = ossl tests, CN = ${SERVER_CN}`);
    expect(keyOf(pemIn(out, 'Server certificate'))).toBe(expectedKey(cell.kind));
  }, HANG_GUARD);

  it.each(REFUSALS)('refuses s_client without a client certificate ($label)', async (cell) => {
    const { pki, path } = pkis.get(cell.kind);
    const server = await serveCompat(pki, cell, { requireCert: true }, cleanups);
    const client = sClient(server.port, cell, path, false);
    expect((await server.refused as NodeJS.ErrnoException).code).toBe(REFUSED_CODE);
    await client.exited;
    expect(server.secureConnections()).toBe(0);
    // TLS 1.2: the server's handshake_failure alert; TLS 1.3: certificate_required, read after the client's Finished.
    expect(client.output()).toMatch(cell.version === 'TLSv1.3' ? /tlsv13 alert certificate required.*SSL alert number 116/ : /sslv3 alert handshake failure.*SSL alert number 40/);
  }, HANG_GUARD);
});

// ---------------------------------------------------------------------------------------------------
describe('CPython ssl server with a compat-net client', () => {
  async function run(cell: Cell) {
    const { pki, path } = pkis.get(cell.kind);
    const server = startPython('server', {
      cert: path('server.pem'),
      key: path('server.key'),
      ca: path('ca.pem'),
      requireCert: cell.clientCert,
      version: cell.version,
      reply: path('to-client.bin'),
      expect: SIZE,
    }, running);
    const port = Number((await server.waitFor(/PORT (\d+)/))[1]);
    const sock = await connectCompat(port, pki, cell, clients);
    const seen = seenBy(sock);
    sock.write(TO_SERVER);
    const got = await readExactly(sock, SIZE);
    const py = await pythonSummary(server);
    sock.end();
    return { seen, got, py };
  }

  it.each(CELLS)('$label', async (cell) => {
    const { seen, got, py } = await run(cell);
    expectClientSide(seen, cell);
    expectPayload(got, TO_CLIENT);
    expect(py.error).toBeUndefined();
    expect(py.version).toBe(cell.version);
    expect(py.cipher).toBe(seen.cipher);
    expect(py.received_len).toBe(SIZE);
    expect(py.received_sha256).toBe(sha256(TO_SERVER));
    if (cell.clientCert) {
      // CERT_REQUIRED: the handshake only completes with a verified client; getpeercert() is its dict.
      expect(py.peercert?.subject).toContainEqual([['commonName', CLIENT_CN]]);
      expect(keyOf(Buffer.from(py.peer_der!, 'base64'))).toBe(expectedKey(cell.kind));
    } else {
      expect(py.peercert).toBeNull();
    }
  }, HANG_GUARD);
});

describe('CPython ssl client with a compat-net server', () => {
  async function run(cell: Cell, withCert = cell.clientCert, requireCert = cell.clientCert) {
    const { pki, path } = pkis.get(cell.kind);
    const server = await serveCompat(pki, cell, { requireCert }, cleanups);
    const client = startPython('client', {
      port: server.port,
      ca: path('ca.pem'),
      hostname: 'localhost',
      version: cell.version,
      ...(withCert ? { cert: path('client.pem'), key: path('client.key') } : {}),
      ...(withCert || !requireCert ? { send: path('to-server.bin'), expect: SIZE } : { expect: 1 }),
    }, running);
    return { server, client, py: await pythonSummary(client) };
  }

  it.each(CELLS)('$label', async (cell) => {
    const { server, py } = await run(cell);
    const served = await server.served;
    expectServerSide(served, cell);
    expectPayload(served.received, TO_SERVER);
    expect(py.error).toBeUndefined();
    expect(py.version).toBe(cell.version);
    expect(py.cipher).toBe(served.cipher);
    expect(py.received_sha256).toBe(sha256(TO_CLIENT));
    // create_default_context verified the chain and the host name; getpeercert() is the server's dict.
    expect(py.peercert?.subject).toContainEqual([['commonName', SERVER_CN]]);
    expect(py.peercert?.subjectAltName).toEqual([['DNS', 'localhost'], ['IP Address', '127.0.0.1']]);
    expect(keyOf(Buffer.from(py.peer_der!, 'base64'))).toBe(expectedKey(cell.kind));
  }, HANG_GUARD);

  it.each(REFUSALS)('refuses a CPython client without a client certificate ($label)', async (cell) => {
    const { server, py } = await run(cell, false, true);
    expect((await server.refused as NodeJS.ErrnoException).code).toBe(REFUSED_CODE);
    expect(server.secureConnections()).toBe(0);
    expect(py.type).toBe('SSLError');
    // TLS 1.2: the handshake fails; TLS 1.3: the client's handshake is done, the alert arrives with the first read.
    expect({ stage: py.stage, error: py.error }).toEqual(
      cell.version === 'TLSv1.3' ? { stage: 'data', error: 'TLSV13_ALERT_CERTIFICATE_REQUIRED' } : { stage: 'handshake', error: 'SSLV3_ALERT_HANDSHAKE_FAILURE' },
    );
  }, HANG_GUARD);
});

describe("CPython's and compat-net's getpeercert() agree on the same certificate", () => {
  it.each(CELLS.filter((c) => c.clientCert))('$label', async (cell) => {
    const { pki, path } = pkis.get(cell.kind);
    // The server certificate: CPython's client and compat-net's client both see it.
    const server = await serveCompat(pki, cell, { requireCert: true }, cleanups);
    const pyClient = startPython('client', { port: server.port, ca: path('ca.pem'), hostname: 'localhost', version: cell.version, cert: path('client.pem'), key: path('client.key'), send: path('to-server.bin'), expect: SIZE }, running);
    const pyView = await pythonSummary(pyClient);
    const served = await server.served;
    // The client certificate: CPython's server and compat-net's server both see it.
    const pyServer = startPython('server', { cert: path('server.pem'), key: path('server.key'), ca: path('ca.pem'), requireCert: true, version: cell.version, reply: path('to-client.bin'), expect: SIZE }, running);
    const port = Number((await pyServer.waitFor(/PORT (\d+)/))[1]);
    const sock = await connectCompat(port, pki, cell, clients);
    const compatView = seenBy(sock);
    sock.write(TO_SERVER);
    await readExactly(sock, SIZE);
    const pyServerView = await pythonSummary(pyServer);
    sock.end();

    // Both views are full dicts (subject, issuer, version, serialNumber, notBefore/notAfter, SANs), not `{}`.
    expect(pyView.peercert).toMatchObject({ subject: expect.arrayContaining([[['commonName', SERVER_CN]]]), subjectAltName: [['DNS', 'localhost'], ['IP Address', '127.0.0.1']] });
    expect(compatView.peercert).toEqual(JSON.parse(JSON.stringify(pyView.peercert)));
    expect(pyServerView.peercert).toMatchObject({ subject: expect.arrayContaining([[['commonName', CLIENT_CN]]]), serialNumber: expect.any(String) });
    expect(served.peercert).toEqual(JSON.parse(JSON.stringify(pyServerView.peercert)));
  }, HANG_GUARD);
});

// ---------------------------------------------------------------------------------------------------
describe('curl with a compat-net HTTPS server', () => {
  /** curl POSTs TO_SERVER, or (`post` false) GETs with one small write after the handshake. */
  function curl(port: number, cell: Cell, path: (n: string) => string, withCert: boolean, out: string, post = true) {
    const args = ['-sS', '-v', '--http1.1', '--cacert', path('ca.pem'), '--resolve', `localhost:${port}:127.0.0.1`, ...curlFlags(cell.version)];
    if (withCert) args.push('--cert', path('client.pem'), '--key', path('client.key'));
    if (post) args.push('-H', 'Content-Type: application/octet-stream', '-H', 'Expect:', '--data-binary', `@${path('to-server.bin')}`);
    args.push('-o', out, '-w', 'HTTP-CODE:%{http_code} VERIFY:%{ssl_verify_result}\n%{certs}', `https://localhost:${port}/`);
    return launch(BIN.curl, args, running);
  }

  it.each(CELLS)('$label', async (cell) => {
    const { pki, path } = pkis.get(cell.kind);
    const server = await serveCompat(pki, cell, { requireCert: cell.clientCert, http: true }, cleanups);
    const outFile = path(`curl-${cell.version}-${cell.clientCert}.out`);
    const client = curl(server.port, cell, path, cell.clientCert, outFile);
    const code = await client.exited;
    const out = client.output();
    expect(code, out).toBe(0);
    const served = await server.served;
    expectServerSide(served, cell);
    expect(served.head).toMatch(/^POST \/ HTTP\/1\.1\r\n/);
    expectPayload(served.received, TO_SERVER);
    expectPayload(readFileSync(outFile), TO_CLIENT);

    // What curl saw: the version and cipher, the verified server, its CN and key.
    expect(out).toContain(`SSL connection using ${cell.version} / ${served.cipher}`);
    expect(out).toContain('HTTP-CODE:200 VERIFY:0');
    expect(out).toContain('SSL certificate verify ok.');
    expect(out).toMatch(new RegExp(`subject: C ?= ?US; O ?= ?ossl tests; CN ?= ?${SERVER_CN}`));
    expect(keyOf(pemIn(out, 'Subject:'))).toBe(expectedKey(cell.kind));
  }, HANG_GUARD);

  it.each(REFUSALS)('refuses curl without a client certificate ($label)', async (cell) => {
    const { pki, path } = pkis.get(cell.kind);
    const server = await serveCompat(pki, cell, { requireCert: true, http: true }, cleanups);
    // A GET: in TLS 1.3 curl writes right after its Finished, and the refusing server's reset could
    // break a 64 KiB upload (curl: 55) before curl reads the alert; one small write always goes out first.
    const client = curl(server.port, cell, path, false, path(`curl-refused-${cell.version}.out`), false);
    expect((await server.refused as NodeJS.ErrnoException).code).toBe(REFUSED_CODE);
    const code = await client.exited;
    expect(server.secureConnections()).toBe(0);
    // TLS 1.2: the handshake fails (35); TLS 1.3: curl's handshake is done, the alert ends its first read (56).
    if (cell.version === 'TLSv1.3') {
      expect(code).toBe(56);
      expect(client.output()).toMatch(/curl: \(56\) .*tlsv13 alert certificate required/);
    } else {
      expect(code).toBe(35);
      expect(client.output()).toMatch(/curl: \(35\) .*sslv3 alert handshake failure/);
    }
  }, HANG_GUARD);
});

// ---------------------------------------------------------------------------------------------------
describe('gnutls-serv with a compat-net client', () => {
  it.each(CELLS)('$label', async (cell) => {
    const { pki, path } = pkis.get(cell.kind);
    const port = await freePort();
    const args = ['--x509certfile', path('server.pem'), '--x509keyfile', path('server.key'), '--port', String(port), '--echo', '--priority', gnutlsPriority(cell.version)];
    if (cell.clientCert) args.push('--require-client-cert', '--verify-client-cert', '--x509cafile', path('ca.pem'));
    // gnutls-serv prints the connection's details on a block-buffered stdout: line-buffer it (coreutils' stdbuf).
    const server = launch('stdbuf', ['-oL', BIN.gnutlsServ, ...args], running);
    expect(await waitForPort(port, server), `gnutls-serv did not start: ${server.output()}`).toBe(true);
    const sock = await connectCompat(port, pki, cell, clients);
    const seen = seenBy(sock);
    expectClientSide(seen, cell);
    sock.write(TO_SERVER);
    // gnutls-serv --echo sends back what it received.
    expectPayload(await readExactly(sock, SIZE), TO_SERVER);
    sock.end();

    // What gnutls-serv saw: the version (and, with client auth, the trusted client, its CN and key).
    await server.waitFor(/- Description: \(TLS[\d.]+-X\.509\)/);
    if (cell.clientCert) await server.waitFor(/Certificate\[0\] info:[\s\S]*?-----END CERTIFICATE-----/);
    const out = server.output();
    expect(out).toContain(`- Description: (${gnutlsVersion(cell.version)}-X.509)`);
    if (cell.clientCert) {
      expect(out).toContain('- Status: The certificate is trusted.');
      expect(out).toContain(`Subject: CN=${CLIENT_CN},O=ossl tests,C=US`);
      expect(keyOf(pemIn(out, 'Certificate[0] info'))).toBe(expectedKey(cell.kind));
    }
  }, HANG_GUARD);
});

describe('gnutls-cli with a compat-net server', () => {
  function gnutlsCli(port: number, cell: Cell, path: (n: string) => string, withCert: boolean) {
    const args = ['--x509cafile', path('ca.pem'), '--port', String(port), '--priority', gnutlsPriority(cell.version)];
    if (withCert) args.push('--x509certfile', path('client.pem'), '--x509keyfile', path('client.key'));
    args.push('localhost');
    return launch(BIN.gnutlsCli, args, running);
  }

  it.each(CELLS)('$label', async (cell) => {
    const { pki, path } = pkis.get(cell.kind);
    const server = await serveCompat(pki, cell, { requireCert: cell.clientCert }, cleanups);
    const client = gnutlsCli(server.port, cell, path, cell.clientCert);
    await client.waitFor(/Handshake was completed/);
    client.proc.stdin.write(TO_SERVER);
    const served = await server.served;
    expectServerSide(served, cell);
    expectPayload(served.received, TO_SERVER);
    await client.waitFor(lastLine(TO_CLIENT));
    const out = client.output();
    expect(out.includes(TO_CLIENT.toString('latin1'))).toBe(true);

    // What gnutls-cli saw: the version, the trusted server, its CN and key.
    expect(out).toContain(`- Description: (${gnutlsVersion(cell.version)}-X.509)`);
    expect(out).toContain('- Status: The certificate is trusted.');
    const info = /- subject `([^']*)', issuer `[^']*', serial \S+, (RSA|EC\/ECDSA) key (\d+) bits/.exec(out);
    expect(info?.slice(1)).toEqual([`CN=${SERVER_CN},O=ossl tests,C=US`, cell.kind === 'rsa' ? 'RSA' : 'EC/ECDSA', cell.kind === 'rsa' ? '2048' : '256']);
    if (cell.clientCert) expect(out).toContain('- Successfully sent 1 certificate(s) to server.');
  }, HANG_GUARD);

  it.each(REFUSALS)('refuses gnutls-cli without a client certificate ($label)', async (cell) => {
    const { pki, path } = pkis.get(cell.kind);
    const server = await serveCompat(pki, cell, { requireCert: true }, cleanups);
    const client = gnutlsCli(server.port, cell, path, false);
    expect((await server.refused as NodeJS.ErrnoException).code).toBe(REFUSED_CODE);
    await client.exited;
    expect(server.secureConnections()).toBe(0);
    expect(client.output()).toContain(cell.version === 'TLSv1.3' ? '*** Received alert [116]: Certificate is required' : '*** Received alert [40]: Handshake failed');
  }, HANG_GUARD);
});

// ---------------------------------------------------------------------------------------------------
describe('nginx with a compat-net client speaking HTTP/1.0', () => {
  it.each(CELLS)('$label', async (cell) => {
    const set = pkis.get(cell.kind);
    const nginx = await startNginx(set, cell.clientCert, running, cleanups);
    const sock = await connectCompat(nginx.port, set.pki, cell, clients);
    const seen = seenBy(sock);
    expectClientSide(seen, cell);
    sock.write(`POST /echo HTTP/1.0\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\nContent-Length: ${SIZE}\r\n\r\n`);
    sock.write(TO_SERVER);
    const res = parseResponse(await readAll(sock));
    expect(res.status).toBe('HTTP/1.1 200 OK');
    expect(res.headers.server).toMatch(/^nginx/);
    expectPayload(res.body, TO_CLIENT);
    expect(nginx.bodies).toHaveLength(1);
    expectPayload(nginx.bodies[0]!, TO_SERVER);
    expect(sock.truncated).toBe(false);

    // What nginx saw: the version and cipher and, with client auth, the verified client, its DN and key.
    expect(res.headers['x-tls-protocol']).toBe(cell.version);
    expect(res.headers['x-tls-cipher']).toBe(seen.cipher);
    if (cell.clientCert) {
      expect(res.headers['x-client-verify']).toBe('SUCCESS');
      expect(res.headers['x-client-dn']).toBe(`CN=${CLIENT_CN},O=ossl tests,C=US`);
      expect(keyOf(decodeURIComponent(res.headers['x-client-cert']!))).toBe(expectedKey(cell.kind));
    } else {
      expect(res.headers['x-client-verify']).toBe('NONE');
    }
  }, HANG_GUARD);
});
