// ossl's TLS under the libraries built on node:https and undici: axios and got take the Agent,
// undici's own request() and Node's global fetch take createDispatcher's Dispatcher. Each one
// verifies by default (an untrusted server is refused) and reuses its connection (counted on the
// server).
import { once } from 'node:events';
import https from 'node:https';
import type net from 'node:net';
import axios from 'axios';
import got from 'got';
import { Agent as UndiciAgent, request as undiciRequest } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { CertificateVerifyError } from '@ossl/ssl';
import { makePki, type Pki } from '@ossl/testkit';

import { Agent, createDispatcher } from '../src/index.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A node:https server answering `<method> <url>`, counting TLS handshakes. */
async function server(pki: Pki): Promise<{ url: string; handshakes: () => number }> {
  let handshakes = 0;
  const srv = https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem, keepAlive: true }, (req, res) => {
    req.resume();
    req.on('end', () => {
      const text = `${req.method} ${req.url}`;
      res.setHeader('Content-Length', text.length);
      res.end(text);
    });
  });
  srv.on('secureConnection', () => handshakes++);
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  cleanups.push(() => new Promise((r) => { srv.closeAllConnections(); srv.close(r); }));
  return { url: `https://localhost:${(srv.address() as net.AddressInfo).port}`, handshakes: () => handshakes };
}

describe('libraries that take an https agent', () => {
  it('axios: requests over the ossl Agent, one connection for five requests, untrusted servers refused', async () => {
    const pki = makePki();
    const { url, handshakes } = await server(pki);
    const agent = new Agent({ ca: pki.ca.certPem, keepAlive: true });
    cleanups.push(() => agent.destroy());
    for (let i = 0; i < 5; i++) {
      const res = await axios.get(`${url}/a${i}`, { httpsAgent: agent });
      expect(res.status).toBe(200);
      expect(res.data).toBe(`GET /a${i}`);
    }
    expect(handshakes()).toBe(1);
    const stranger = new Agent({ ca: makePki().ca.certPem });
    cleanups.push(() => stranger.destroy());
    const e = await axios.get(`${url}/`, { httpsAgent: stranger }).catch((err: unknown) => err);
    expect((e as { code?: string }).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('got: requests over the ossl Agent, one connection for five requests, untrusted servers refused', async () => {
    const pki = makePki();
    const { url, handshakes } = await server(pki);
    const agent = new Agent({ ca: pki.ca.certPem, keepAlive: true });
    cleanups.push(() => agent.destroy());
    for (let i = 0; i < 5; i++) {
      expect(await got(`${url}/g${i}`, { agent: { https: agent }, retry: { limit: 0 } }).text()).toBe(`GET /g${i}`);
    }
    expect(handshakes()).toBe(1);
    const stranger = new Agent({ ca: makePki().ca.certPem });
    cleanups.push(() => stranger.destroy());
    const e = await got(`${url}/`, { agent: { https: stranger }, retry: { limit: 0 } }).catch((err: unknown) => err);
    expect((e as { code?: string }).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });
});

describe('libraries that take an undici Dispatcher', () => {
  it("undici's request() and Node's global fetch over createDispatcher: connections kept as undici keeps them, untrusted servers refused", async () => {
    const pki = makePki();
    const { url, handshakes } = await server(pki);
    const dispatcher = createDispatcher({ ca: pki.ca.certPem });
    cleanups.push(() => dispatcher.close());
    for (let i = 0; i < 3; i++) {
      const res = await undiciRequest(`${url}/u${i}`, { dispatcher });
      expect(res.statusCode).toBe(200);
      expect(await res.body.text()).toBe(`GET /u${i}`);
      const f = await globalThis.fetch(`${url}/f${i}`, { dispatcher } as unknown as RequestInit);
      expect(await f.text()).toBe(`GET /f${i}`);
    }
    const ours = handshakes();
    // undici's own connector on the same sequence is the oracle: its pool opens a second connection
    // for the request after the first (undici 7 marks a new client busy until its next dispatch).
    const stock = new UndiciAgent({ connect: { ca: pki.ca.certPem } });
    cleanups.push(() => stock.close());
    for (let i = 0; i < 3; i++) {
      await (await undiciRequest(`${url}/s${i}`, { dispatcher: stock })).body.text();
      await (await globalThis.fetch(`${url}/t${i}`, { dispatcher: stock } as unknown as RequestInit)).text();
    }
    expect(ours).toBe(handshakes() - ours);
    expect(ours).toBeLessThan(6);
    const stranger = createDispatcher({ ca: makePki().ca.certPem });
    cleanups.push(() => stranger.close());
    const e = await undiciRequest(`${url}/`, { dispatcher: stranger }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(CertificateVerifyError);
    expect((e as CertificateVerifyError).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    const g = await globalThis.fetch(`${url}/`, { dispatcher: stranger } as unknown as RequestInit).catch((err: unknown) => err);
    expect(g).toBeInstanceOf(TypeError);
    expect((g as Error).message).toBe('fetch failed');
    expect((g as Error & { cause?: unknown }).cause).toBeInstanceOf(CertificateVerifyError);
  });
});
