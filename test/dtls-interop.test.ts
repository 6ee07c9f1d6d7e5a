// DTLS interop over UDP loopback with peers nobody here wrote: our DTLSSocket client against
// `openssl s_server -dtls` and `gnutls-serv --udp --echo`, and `openssl s_client -dtls` and
// `gnutls-cli --udp` against our DTLSServer (which makes each of them go through its cookie exchange).
// Nothing waits on time: each step waits for what the peer prints or sends.
import { createHmac, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { Context, DTLS_METHOD, DTLSServer, DTLSSocket, VERIFY_PEER, type Connection } from '@ossl/ssl';
import { makePki } from '@ossl/testkit';

import { pkiFiles } from './support/pki-files.js';
import { startPeer, type Peer } from './support/peers.js';

const running: Peer[] = [];
/** Our sockets and servers. */
const cleanups: Array<() => unknown> = [];
const tempDirs: Array<() => unknown> = [];
afterEach(async () => {
  // Our sockets first (their close_notify goes to a peer still running), then the peers, then files.
  for (const c of cleanups.splice(0).reverse()) await c();
  await Promise.all(running.splice(0).map((p) => p.stop()));
  for (const c of tempDirs.splice(0)) await c();
});

function files() {
  const pki = makePki();
  return { pki, f: pkiFiles(pki, (fn) => tempDirs.push(fn)) };
}

/** A UDP port on 127.0.0.1 that is free now (bound, then closed), for a peer that needs a number. */
async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  s.bind(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function peer(cmd: string, args: string[]): Peer {
  const p = startPeer(cmd, args);
  running.push(p);
  return p;
}

/** A client Context that verifies the server against `caFile` and checks its host name. */
function verifyingClient(caFile: string): Context {
  const ctx = new Context(DTLS_METHOD);
  ctx.loadVerifyLocations(caFile);
  ctx.setVerify(VERIFY_PEER);
  ctx.checkHostname = true;
  return ctx;
}

async function connect(ctx: Context, port: number): Promise<DTLSSocket> {
  const socket = await DTLSSocket.connect(ctx, { port, host: '127.0.0.1', servername: 'localhost' });
  cleanups.push(() => socket.close());
  return socket;
}

/** The next message, as text (the association must still be open). */
async function recvText(socket: DTLSSocket): Promise<string> {
  const m = await socket.recv();
  expect(m).not.toBeNull();
  return m!.toString();
}

/**
 * Our echo server with `cookies: 'context'`, on counting cookie callbacks (a MAC under a random key:
 * the callbacks see the Connection, not the peer's address).
 */
async function echoServer(ids: ReturnType<typeof makePki>): Promise<{ server: DTLSServer; port: number; cookies: { generated: number; verified: number; good: number }; peers: DTLSSocket[] }> {
  const ctx = new Context(DTLS_METHOD);
  ctx.useCertificate(ids.server.cert);
  ctx.usePrivatekey(ids.server.key);
  const key = randomBytes(32);
  const cookies = { generated: 0, verified: 0, good: 0 };
  const cookieFor = (_conn: Connection): Buffer => createHmac('sha256', key).update('dtls-interop').digest();
  ctx.setCookieGenerateCallback((conn) => {
    cookies.generated++;
    return cookieFor(conn);
  });
  ctx.setCookieVerifyCallback((conn, cookie) => {
    cookies.verified++;
    const ok = cookie.equals(cookieFor(conn));
    if (ok) cookies.good++;
    return ok;
  });
  const server = new DTLSServer(ctx, { cookies: 'context' });
  const peers: DTLSSocket[] = [];
  server.on('connection', (p: DTLSSocket) => {
    peers.push(p);
    p.on('message', (m: Buffer) => p.send(Buffer.concat([Buffer.from('echo:'), m])));
  });
  cleanups.push(() => server.close());
  const { port } = await server.listen(0, '127.0.0.1');
  return { server, port, cookies, peers };
}

describe('our DTLSSocket against openssl s_server', () => {
  for (const version of ['-dtls', '-dtls1_2']) {
    it(`handshakes (${version}), verifies the server against the CA and exchanges a line each way`, async () => {
      const { f } = files();
      const port = await freeUdpPort();
      const server = peer('openssl', ['s_server', version, '-accept', `127.0.0.1:${port}`, '-cert', f.path('server.pem'), '-key', f.path('server.key'), '-naccept', '1']);
      await server.waitFor('ACCEPT');
      const client = await connect(verifyingClient(f.path('ca.pem')), port);
      expect(client.connection.getProtocolVersionName()).toBe('DTLSv1.2');
      expect(client.connection.getPeerCertificate()!.getSubject().CN).toBe('localhost');
      client.send('hello from ossl\n');
      await server.waitFor('hello from ossl');
      server.proc.stdin.write('hello from s_server\n');
      expect(await recvText(client)).toBe('hello from s_server\n');
      await server.waitFor(/CIPHER is \S+/);
    });
  }

  it('presents a client certificate when s_server asks for one (-verify 1 -CAfile)', async () => {
    const { pki, f } = files();
    const port = await freeUdpPort();
    const server = peer('openssl', ['s_server', '-dtls', '-accept', `127.0.0.1:${port}`, '-cert', f.path('server.pem'), '-key', f.path('server.key'), '-verify', '1', '-CAfile', f.path('ca.pem'), '-verify_return_error', '-naccept', '1']);
    await server.waitFor('ACCEPT');
    const ctx = verifyingClient(f.path('ca.pem'));
    ctx.useCertificate(pki.client.cert);
    ctx.usePrivatekey(pki.client.key);
    const client = await connect(ctx, port);
    client.send('with client cert\n');
    await server.waitFor('with client cert');
    expect(server.output()).toMatch(/depth=0 C = US, O = ossl tests, CN = ossl test client\nverify return:1/);
    expect(server.output()).toMatch(/subject=C = US, O = ossl tests, CN = ossl test client/);
    server.proc.stdin.write('client cert seen\n');
    expect(await recvText(client)).toBe('client cert seen\n');
  });
});

describe('openssl s_client against our DTLSServer', () => {
  for (const version of ['-dtls', '-dtls1_2']) {
    it(`serves s_client (${version}) through the cookie exchange; s_client verifies us and gets its line echoed`, async () => {
      const { pki, f } = files();
      const { server, port, cookies, peers } = await echoServer(pki);
      const client = peer('openssl', ['s_client', version, '-connect', `127.0.0.1:${port}`, '-CAfile', f.path('ca.pem'), '-servername', 'localhost', '-verify_return_error', '-verify_hostname', 'localhost']);
      await client.waitFor(/Verify return code: 0 \(ok\)/);
      expect(client.output()).toMatch(/Protocol\s*: DTLSv1\.2/);
      expect(client.output()).toMatch(/subject=C = US, O = ossl tests, CN = localhost/);
      client.proc.stdin.write('hello from s_client\n');
      await client.waitFor('echo:hello from s_client');

      // Our server made s_client go through a HelloVerifyRequest before it kept any state.
      expect(cookies.generated).toBeGreaterThanOrEqual(1);
      expect(cookies.good).toBeGreaterThanOrEqual(1);
      expect(peers).toHaveLength(1);
      expect(peers[0]!.connection.getServername()).toBe('localhost');
      expect(peers[0]!.connection.getProtocolVersionName()).toBe('DTLSv1.2');
      expect(server.associations).toBe(1);

      // At the end of its input s_client sends close_notify: our side closes and forgets it.
      const closed = once(peers[0]!, 'close');
      client.proc.stdin.end();
      await closed;
      expect(server.associations).toBe(0);
    });
  }
});

describe('GnuTLS against our DTLSServer, and our DTLSSocket against GnuTLS', () => {
  it('serves gnutls-cli --udp, which completes the handshake after our cookie exchange and gets its line echoed', async () => {
    const { pki, f } = files();
    const { server, port, cookies, peers } = await echoServer(pki);
    const client = peer('gnutls-cli', ['--udp', '--x509cafile', f.path('ca.pem'), '--sni-hostname', 'localhost', '--verify-hostname', 'localhost', '-p', String(port), '127.0.0.1']);
    await client.waitFor('- Handshake was completed');
    expect(client.output()).toMatch(/- Status: The certificate is trusted/);
    expect(client.output()).toMatch(/\(DTLS1\.2-X\.509\)/);
    client.proc.stdin.write('hello from gnutls\n');
    await client.waitFor('echo:hello from gnutls');
    expect(cookies.generated).toBeGreaterThanOrEqual(1);
    expect(cookies.good).toBeGreaterThanOrEqual(1);
    expect(peers).toHaveLength(1);
    expect(peers[0]!.connection.getServername()).toBe('localhost');
    expect(server.associations).toBe(1);

    const closed = once(peers[0]!, 'close');
    client.proc.stdin.end();
    await closed;
    expect(server.associations).toBe(0);
  });

  it('talks to gnutls-serv --udp --echo (which runs its own cookie exchange) and gets the echo back', async () => {
    const { f } = files();
    const port = await freeUdpPort();
    // gnutls-serv has no option to bind one address: it listens on the wildcard addresses; we only
    // ever talk to it on 127.0.0.1.
    const server = peer('gnutls-serv', ['--udp', '--echo', '-p', String(port), '--x509certfile', f.path('server.pem'), '--x509keyfile', f.path('server.key')]);
    await server.waitFor(new RegExp(`UDP Echo Server listening on IPv4 .* port ${port}\\.\\.\\.done`));
    const client = await connect(verifyingClient(f.path('ca.pem')), port);
    expect(client.connection.getProtocolVersionName()).toBe('DTLSv1.2');
    expect(client.connection.getPeerCertificate()!.getSubject().CN).toBe('localhost');
    client.send('hello gnutls-serv\n');
    expect(await recvText(client)).toBe('hello gnutls-serv\n');
    // A longer record comes back in pieces (gnutls-serv echoes what each read returned), all of it.
    const big = randomBytes(500).toString('hex');
    client.send(big);
    let echoed = '';
    for (let i = 0; i < big.length && echoed.length < big.length; i++) echoed += await recvText(client);
    expect(echoed).toBe(big);
  });
});
