#!/usr/bin/env node
// ossl-demo: mints a CA and a server certificate, serves TLS on loopback with @ossl/ssl, connects a
// verifying client, and prints what the handshake negotiated and what came back. Everything it
// prints comes from the run itself.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import {
  dumpCertificate,
  FILETYPE_PEM,
  opensslVersion,
  PKey,
  TYPE_EC,
  TYPE_RSA,
  X509,
  X509Extension,
} from '@ossl/crypto';
import { Context, SocketConnection, TLS_METHOD, VERIFY_PEER } from '@ossl/ssl';
import secureNet from '@ossl/compat-net';
import { HTTPSConnection } from '@ossl/https-client';
import { createDefaultContext } from '@ossl/ssl';

interface Issued {
  key: PKey;
  cert: X509;
}

function newKey(rsa: boolean): PKey {
  return rsa ? PKey.generate(TYPE_RSA, 2048) : PKey.generate(TYPE_EC, 'prime256v1');
}

/** A self-signed CA certificate valid for a day. */
function mintCA(rsa: boolean): Issued {
  const key = newKey(rsa);
  const cert = new X509();
  cert.setVersion(2);
  cert.setSerialNumber(1n);
  const name = cert.getSubject();
  name.C = 'US';
  name.O = 'ossl demo';
  name.CN = 'ossl demo CA';
  cert.setIssuer(name);
  cert.gmtimeAdjNotBefore(-60);
  cert.gmtimeAdjNotAfter(24 * 3600);
  cert.setPubkey(key);
  cert.addExtensions([
    new X509Extension('basicConstraints', true, 'CA:TRUE, pathlen:0'),
    new X509Extension('keyUsage', true, 'keyCertSign, cRLSign'),
    new X509Extension('subjectKeyIdentifier', false, 'hash', { subject: cert }),
  ]);
  cert.sign(key, 'sha256');
  return { key, cert };
}

/** A server certificate for localhost and 127.0.0.1, issued by `ca`. */
function mintServer(ca: Issued, rsa: boolean): Issued {
  const key = newKey(rsa);
  const cert = new X509();
  cert.setVersion(2);
  cert.setSerialNumber(2n);
  const name = cert.getSubject();
  name.C = 'US';
  name.O = 'ossl demo';
  name.CN = 'localhost';
  cert.setIssuer(ca.cert.getSubject());
  cert.gmtimeAdjNotBefore(-60);
  cert.gmtimeAdjNotAfter(24 * 3600);
  cert.setPubkey(key);
  cert.addExtensions([
    new X509Extension('basicConstraints', true, 'CA:FALSE'),
    new X509Extension('keyUsage', true, 'digitalSignature, keyEncipherment'),
    new X509Extension('extendedKeyUsage', false, 'serverAuth'),
    new X509Extension('subjectAltName', false, 'DNS:localhost, IP:127.0.0.1'),
    new X509Extension('authorityKeyIdentifier', false, 'keyid:always', { issuer: ca.cert }),
  ]);
  cert.sign(ca.key, 'sha256');
  return { key, cert };
}

/** Serves one TLS echo connection on `listener`. */
async function serveEcho(ctx: Context, listener: net.Server): Promise<void> {
  const acceptor = new SocketConnection(ctx, listener, { timeout: 10_000 });
  const [conn] = await acceptor.accept();
  try {
    await conn.doHandshake();
    for (;;) {
      const data = await conn.recv(16384).catch(() => null);
      if (data === null || data.length === 0) break;
      await conn.sendall(data);
    }
    await conn.shutdown().catch(() => false);
  } finally {
    await conn.close();
  }
}

/**
 * The SSLeay "five lines": plain net code, unchanged but for the module it uses, now speaks TLS.
 * `echoOver(net)` is ordinary node:net code; it is handed @ossl/compat-net instead of node:net.
 */
async function retrofit(server: Issued, ca: Issued, message: string): Promise<void> {
  const certPem = dumpCertificate(FILETYPE_PEM, server.cert).toString();
  const keyPem = (await import('@ossl/crypto')).dumpPrivatekey(FILETYPE_PEM, server.key).toString();
  const caPem = dumpCertificate(FILETYPE_PEM, ca.cert).toString();
  type NetLike = typeof secureNet;
  async function echoOver(net: NetLike): Promise<{ reply: string; sock: InstanceType<NetLike['SecureSocket']> }> {
    const srv = net.createServer({ cert: certPem, key: keyPem }, (sock) => sock.on('data', (d) => sock.end(d)));
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', () => resolve()));
    const { port } = srv.address() as net.AddressInfo;
    const sock = net.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: caPem });
    sock.write(message);
    const reply = await new Promise<string>((resolve, reject) => {
      let got = '';
      sock.on('data', (d: Buffer) => (got += d.toString()));
      sock.on('end', () => resolve(got));
      sock.on('error', reject);
    });
    await new Promise((resolve) => srv.close(resolve));
    return { reply, sock };
  }
  const { reply, sock } = await echoOver(secureNet);
  const peer = sock.getpeercert() as { subject: [string, string][][] };
  console.log('retrofitted net code (import net from "@ossl/compat-net")');
  console.log(`  authorized   ${sock.authorized}`);
  console.log(`  cipher()     ${JSON.stringify(sock.cipher())}`);
  console.log(`  getpeercert  subject ${JSON.stringify(peer.subject)}`);
  console.log(`  echoed       ${reply}`);
}

/** An HTTPS exchange: a compat-net server answering HTTP, fetched with @ossl/https-client, twice on one connection. */
async function fetchOverHttps(server: Issued, ca: Issued, message: string): Promise<void> {
  const { dumpPrivatekey } = await import('@ossl/crypto');
  const srv = secureNet.createServer({ cert: dumpCertificate(FILETYPE_PEM, server.cert), key: dumpPrivatekey(FILETYPE_PEM, server.key) }, (sock) => {
    let buffered = '';
    sock.on('data', (d: Buffer) => {
      buffered += d.toString('latin1');
      while (buffered.includes('\r\n\r\n')) {
        const [head] = buffered.split('\r\n\r\n', 1);
        buffered = buffered.slice(head!.length + 4);
        const path = head!.split(' ')[1] ?? '/';
        const body = `${message} (you asked for ${path})`;
        sock.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      }
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', () => resolve()));
  const { port } = srv.address() as net.AddressInfo;
  const conn = new HTTPSConnection('127.0.0.1', port, { context: createDefaultContext({ cadata: dumpCertificate(FILETYPE_PEM, ca.cert).toString() }) });
  console.log('HTTPS fetch (HTTPSConnection, one kept-alive connection)');
  for (const path of ['/first', '/second']) {
    await conn.request('GET', path);
    const res = await conn.getresponse();
    console.log(`  GET ${path.padEnd(8)} ${res.status} ${res.reason}: ${(await res.read()).toString()}`);
  }
  conn.close();
  await new Promise((resolve) => srv.close(resolve));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      message: { type: 'string', short: 'm', default: 'hello from ossl' },
      rsa: { type: 'boolean', default: false },
    },
  });
  const rsa = values.rsa ?? false;
  const message = values.message ?? 'hello from ossl';

  console.log(`ossl demo — ${opensslVersion()} (the copy inside Node ${process.version})`);
  const ca = mintCA(rsa);
  const server = mintServer(ca, rsa);
  console.log(`minted CA      ${ca.cert.getSubject()}  [${ca.cert.getSignatureAlgorithm()}]`);
  console.log(`minted server  ${server.cert.getSubject()}  [${server.cert.getExtension(3).toString()}]`);
  console.log(`  SHA-256      ${server.cert.digest('sha256')}`);

  const dir = mkdtempSync(join(tmpdir(), 'ossl-demo-'));
  try {
    writeFileSync(join(dir, 'ca.pem'), dumpCertificate(FILETYPE_PEM, ca.cert));

    const sctx = new Context(TLS_METHOD);
    sctx.useCertificate(server.cert);
    sctx.usePrivatekey(server.key);
    sctx.checkPrivatekey();
    const listener = net.createServer();
    listener.listen(0, '127.0.0.1');
    await new Promise((resolve) => listener.once('listening', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    console.log(`TLS echo server listening on 127.0.0.1:${port}`);
    const serving = serveEcho(sctx, listener);

    const cctx = new Context(TLS_METHOD);
    cctx.loadVerifyLocations(join(dir, 'ca.pem'));
    cctx.setVerify(VERIFY_PEER);
    const client = new SocketConnection(cctx, new net.Socket(), { timeout: 10_000 });
    await client.connect(['127.0.0.1', port]);
    client.setTlsextHostName('localhost');
    client.setHost('localhost');
    await client.doHandshake();
    const peer = client.getPeerCertificate();
    console.log('client handshake done');
    console.log(`  peer subject ${peer?.getSubject() ?? '(none)'}`);
    console.log(`  peer issuer  ${peer?.getIssuer() ?? '(none)'}`);
    console.log(`  verified     ${client.getVerifyResult() === 0 ? 'yes' : 'no'} (chain to the demo CA, host name localhost)`);
    console.log(`  protocol     ${client.getProtocolVersionName()}`);
    console.log(`  cipher       ${client.getCipherName()} (${client.getCipherBits()} bits)`);
    await client.sendall(message);
    let echoed = Buffer.alloc(0);
    while (echoed.length < Buffer.byteLength(message)) echoed = Buffer.concat([echoed, await client.recv(16384)]);
    console.log(`  sent         ${message}`);
    console.log(`  echoed       ${echoed.toString()}`);
    await client.shutdown();
    await client.close();
    await serving;
    await new Promise((resolve) => listener.close(resolve));

    await retrofit(server, ca, message);
    await fetchOverHttps(server, ca, message);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error('ossl demo failed:', err);
  process.exitCode = 1;
});
