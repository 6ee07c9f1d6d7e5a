// Agent: node:https's own client machinery (https.request, keep-alive pooling, the parser) over
// @ossl/compat-net sockets. The server is node:https; node:https's default Agent is the oracle.
import { once } from 'node:events';
import https from 'node:https';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Context, TLS_METHOD, VERIFY_PEER } from '@ossl/ssl';
import { makePki, type Pki } from '@ossl/testkit';

import { Agent, Checker } from '../src/index.js';

const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A node:https server answering `ok <path>`; counts its TLS connections and resumed ones. */
async function server(pki: Pki): Promise<{ port: number; connections: () => number; resumed: () => number }> {
  let connections = 0;
  let resumed = 0;
  const srv = https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (req, res) => res.end(`ok ${req.url}`));
  srv.on('secureConnection', (sock) => {
    connections++;
    if (sock.isSessionReused()) resumed++;
  });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  closers.push(() => new Promise((resolve) => srv.close(resolve)));
  closers.push(() => srv.closeAllConnections());
  return { port: (srv.address() as net.AddressInfo).port, connections: () => connections, resumed: () => resumed };
}

/** GET `path` with `agent`: the status and body, or the error. */
function get(port: number, path: string, agent: https.Agent, host = 'localhost'): Promise<{ status?: number; body?: string; error?: Error & { code?: string } }> {
  return new Promise((resolve) => {
    https
      .get({ host: '127.0.0.1', servername: host, port, path, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      })
      .on('error', (error: Error & { code?: string }) => resolve({ error }));
  });
}

describe('Agent (node:https over ossl TLS)', () => {
  it('serves https.get, verified, and keeps one connection alive across sequential requests', async () => {
    const pki = makePki();
    const srv = await server(pki);
    const agent = new Agent({ keepAlive: true, ca: pki.ca.certPem });
    closers.push(() => agent.destroy());
    for (let i = 0; i < 5; i++) expect(await get(srv.port, `/r${i}`, agent)).toEqual({ status: 200, body: `ok /r${i}` });
    expect(srv.connections()).toBe(1);
  });

  it('resumes sessions on new connections, as node:https does (the same counts as its default agent)', async () => {
    const pki = makePki();
    const ours = await server(pki);
    const agent = new Agent({ keepAlive: false, ca: pki.ca.certPem });
    for (let i = 0; i < 4; i++) expect((await get(ours.port, '/', agent)).status).toBe(200);
    const theirs = await server(pki);
    const nodeAgent = new https.Agent({ keepAlive: false, ca: pki.ca.certPem });
    for (let i = 0; i < 4; i++) expect((await get(theirs.port, '/', nodeAgent)).status).toBe(200);
    expect([ours.connections(), ours.resumed()]).toEqual([theirs.connections(), theirs.resumed()]);
    expect(ours.resumed()).toBeGreaterThan(0);
  });

  it("refuses an untrusted server and a wrong name with node:tls's codes, as node:https's agent does", async () => {
    const pki = makePki();
    const srv = await server(pki);
    const cases: Array<[https.AgentOptions, string]> = [
      [{}, 'localhost'],
      [{ ca: makePki().ca.certPem }, 'localhost'],
      [{ ca: pki.ca.certPem }, 'wrong.example'],
    ];
    for (const [options, host] of cases) {
      const ours = await get(srv.port, '/', new Agent(options), host);
      const theirs = await get(srv.port, '/', new https.Agent(options), host);
      expect(ours.error?.code, host).toBeDefined();
      expect(ours.error?.code).toBe(theirs.error?.code);
    }
    expect(srv.connections()).toBe(0);
  });

  it('runs a Checker on each connection: a wrong SHA-256 pin refuses, the right one passes', async () => {
    const pki = makePki();
    const srv = await server(pki);
    const right = new Checker(null, pki.server.cert.digest('sha256'));
    expect((await get(srv.port, '/pinned', new Agent({ ca: pki.ca.certPem, checker: right }))).body).toBe('ok /pinned');
    const wrong = new Checker(null, 'AB'.repeat(32));
    const refused = await get(srv.port, '/', new Agent({ ca: pki.ca.certPem, checker: wrong }));
    expect(refused.error?.code).toBe('ERR_FINGERPRINT_MISMATCH');
  });

  it('uses an @ossl/ssl Context as it is: its verify callback sees every certificate of the chain', async () => {
    const pki = makePki();
    const srv = await server(pki);
    const ctx = new Context(TLS_METHOD);
    ctx.getCertStore().addCert(pki.ca.cert);
    const depths: number[] = [];
    ctx.setVerify(VERIFY_PEER, (_conn, _cert, _errno, depth, ok) => {
      depths.push(depth);
      return ok === 1;
    });
    const agent = new Agent({ context: ctx });
    expect((await get(srv.port, '/ctx', agent)).body).toBe('ok /ctx');
    expect(depths.sort()).toEqual([0, 1]);
  });

  it('refuses a checker or context of the wrong type with a TypeError naming the option', () => {
    for (const [options, name] of [
      [{ checker: {} }, 'options.checker'],
      [{ checker: 'pin' }, 'options.checker'],
      [{ context: {} }, 'options.context'],
      [{ context: 42 }, 'options.context'],
    ] as const) {
      expect(() => new Agent(options as never)).toThrow(TypeError);
      expect(() => new Agent(options as never)).toThrow(name);
    }
  });
});
