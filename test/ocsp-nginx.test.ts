// nginx's OCSP stapling (ssl_stapling) with a local responder on loopback: nginx asks our
// responder (an HTTP server answering with OCSPResponse.build) about its certificate and staples the
// answer; an ossl client with Context.requireOcspStaple checks it.
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpCertificate, dumpPrivatekey, FILETYPE_PEM, OCSPRequest, OCSPResponse, type OCSPCertStatus } from '@ossl/crypto';
import { Context, SocketConnection, SSLError, TLS_METHOD, VERIFY_PEER } from '@ossl/ssl';
import { makePki, tempFiles, type Pki } from '@ossl/testkit';

import { BIN, freePort, launch, nginxHead, waitForPort, type LaunchedPeer } from './support/interop.js';
import type { Peer } from './support/peers.js';

const running: Peer[] = [];
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A responder on 127.0.0.1 that answers every request with `status` for the certificates asked about, signed by the CA. */
async function startResponder(pki: Pki, status: OCSPCertStatus): Promise<{ port: number; requests: OCSPRequest[] }> {
  const requests: OCSPRequest[] = [];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      // RFC 6960: a POST body, or a GET with the request base64- and URL-encoded in the path.
      const der = req.method === 'GET' ? Buffer.from(decodeURIComponent((req.url ?? '/').slice(1)), 'base64') : Buffer.concat(parts);
      let request: OCSPRequest;
      try {
        request = OCSPRequest.fromDER(der);
      } catch {
        res.writeHead(200, { 'content-type': 'application/ocsp-response' });
        res.end(OCSPResponse.fromStatus('malformedRequest').toDER());
        return;
      }
      requests.push(request);
      const answer = OCSPResponse.build({
        responses: request.getCertIds().map((certId) => ({
          certId,
          status,
          ...(status === 'revoked' ? { revocationTime: new Date(Date.now() - 3_600_000), revocationReason: 'keyCompromise' as const } : {}),
          nextUpdate: new Date(Date.now() + 3_600_000),
        })),
        signer: pki.ca.cert,
        key: pki.ca.key,
        ...(request.getNonce() !== null ? { request } : {}),
      });
      res.writeHead(200, { 'content-type': 'application/ocsp-response' });
      res.end(answer.toDER());
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => server.close(() => r(undefined))));
  return { port: (server.address() as net.AddressInfo).port, requests };
}

async function startNginx(pki: Pki, responderPort: number): Promise<{ port: number; nginx: LaunchedPeer; errorLog: () => string }> {
  const files = tempFiles({
    // nginx finds the issuer for its OCSP request in the certificate chain.
    'chain.pem': dumpCertificate(FILETYPE_PEM, pki.server.cert).toString() + dumpCertificate(FILETYPE_PEM, pki.ca.cert).toString(),
    'server.key': dumpPrivatekey(FILETYPE_PEM, pki.server.key),
    'ca.pem': dumpCertificate(FILETYPE_PEM, pki.ca.cert),
  });
  cleanups.push(files.cleanup);
  const prefix = files.dir;
  mkdirSync(join(prefix, 'tmp'));
  const port = await freePort();
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `
${nginxHead(prefix, join(prefix, 'tmp'))}
  server {
    listen 127.0.0.1:${port} ssl;
    server_name localhost;
    ssl_certificate ${files.path('chain.pem')};
    ssl_certificate_key ${files.path('server.key')};
    ssl_stapling on;
    ssl_stapling_verify on;
    ssl_trusted_certificate ${files.path('ca.pem')};
    ssl_stapling_responder http://127.0.0.1:${responderPort}/;
    location / { return 200 "stapled\\n"; }
  }
}
`,
  );
  const nginx = launch(BIN.nginx, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], running);
  if (!(await waitForPort(port, nginx))) throw new Error(`nginx did not start: ${nginx.output()}`);
  return { port, nginx, errorLog: () => readFileSync(join(prefix, 'error.log'), 'utf8') };
}

function stapleContext(pki: Pki): Context {
  const ctx = new Context(TLS_METHOD);
  ctx.getCertStore().addCert(pki.ca.cert);
  ctx.setVerify(VERIFY_PEER);
  ctx.requireOcspStaple();
  return ctx;
}

/**
 * Connects until nginx staples: it asks the responder on the first handshake that needs a staple and
 * staples from then on. Bounded by count; returns the first handshake's outcome that is not
 * "no staple yet".
 */
async function connectUntilStapled(ctx: Context, port: number): Promise<{ conn: SocketConnection | null; error: unknown; attempts: number }> {
  for (let attempts = 1; attempts <= 50; attempts++) {
    const conn = new SocketConnection(ctx, new net.Socket(), { timeout: 10_000 });
    await conn.connect(['127.0.0.1', port]);
    conn.setTlsextHostName('localhost');
    try {
      await conn.doHandshake();
      return { conn, error: null, attempts };
    } catch (e) {
      await conn.close();
      if (!(e instanceof SSLError && e.code === 'ERR_OCSP_STAPLE_MISSING')) return { conn: null, error: e, attempts };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('nginx never stapled a response');
}

describe('nginx ssl_stapling with a local responder', () => {
  it("staples the responder's good answer, which requireOcspStaple accepts", async () => {
    const pki = makePki();
    const responder = await startResponder(pki, 'good');
    const { port } = await startNginx(pki, responder.port);
    const { conn, error } = await connectUntilStapled(stapleContext(pki), port);
    expect(error).toBeNull();
    expect(responder.requests.length).toBeGreaterThan(0);
    // nginx asked about its own certificate.
    const id = responder.requests[0]!.getCertIds()[0]!;
    expect(id.serialNumber).toBe(pki.server.cert.getSerialNumber());
    await conn!.sendall('GET / HTTP/1.0\r\nHost: localhost\r\n\r\n');
    let reply = '';
    for (let i = 0; i < 20 && !reply.includes('stapled'); i++) reply += (await conn!.recv(4096)).toString();
    expect(reply).toMatch(/^HTTP\/1\.1 200/);
    expect(reply).toContain('stapled');
    await conn!.close();
  });

  it('staples nothing for a revoked certificate, so requireOcspStaple fails closed', async () => {
    const pki = makePki();
    const responder = await startResponder(pki, 'revoked');
    const { port, errorLog } = await startNginx(pki, responder.port);
    const ctx = stapleContext(pki);
    // nginx asks on the first handshake, and keeps no answer that is not "good" (it logs it).
    for (let attempt = 0; attempt < 50 && !errorLog().includes('"revoked"'); attempt++) {
      const conn = new SocketConnection(ctx, new net.Socket(), { timeout: 10_000 });
      await conn.connect(['127.0.0.1', port]);
      const e = (await conn.doHandshake().catch((err: unknown) => err)) as SSLError;
      expect(e).toBeInstanceOf(SSLError);
      expect(e.code).toBe('ERR_OCSP_STAPLE_MISSING');
      await conn.close();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(responder.requests.length).toBeGreaterThan(0);
    expect(errorLog()).toMatch(/certificate status "revoked" in the OCSP response/);
    const conn = new SocketConnection(ctx, new net.Socket(), { timeout: 10_000 });
    await conn.connect(['127.0.0.1', port]);
    const e = (await conn.doHandshake().catch((err: unknown) => err)) as SSLError;
    expect(e.code).toBe('ERR_OCSP_STAPLE_MISSING');
    await conn.close();
  });
});
