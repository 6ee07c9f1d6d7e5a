// https-client takes Contexts and Checkers made by the CJS builds (what `require()` gives a CommonJS
// caller), its errors are recognised across builds, and connections and responses print usefully.
import { once } from 'node:events';
import https from 'node:https';
import { createRequire } from 'node:module';
import type net from 'node:net';
import { inspect } from 'node:util';
import type * as sslTypes from '@ossl/ssl';
import { makePki } from '@ossl/testkit';
import { afterEach, describe, expect, it } from 'vitest';

import * as client from '../src/index.js';
import { Checker, HTTPSConnection, ProxyHTTPSConnection } from '../src/index.js';

const require = createRequire(import.meta.url);
const sslCjs = require('@ossl/ssl') as typeof sslTypes;
const clientCjs = require('@ossl/https-client') as typeof client;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function helloServer(pki: ReturnType<typeof makePki>): Promise<number> {
  const server = https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (_req, res) => res.end('hello'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise((r) => { server.closeAllConnections(); server.close(() => r(undefined)); }));
  return (server.address() as net.AddressInfo).port;
}

describe('https-client with objects of the CJS builds', () => {
  it('connects with a CJS Context and a CJS Checker, and prints the connection and response', async () => {
    const pki = makePki();
    const port = await helloServer(pki);
    const context = sslCjs.createDefaultContext({ cadata: pki.ca.certPem });
    const checker = new clientCjs.Checker('localhost', pki.server.cert.digest('sha256'));
    expect(checker).toBeInstanceOf(Checker);
    const conn = new HTTPSConnection('127.0.0.1', port, { context, checker, checkHostname: false });
    cleanups.push(() => conn.close());
    expect(inspect(conn)).toBe(`HTTPSConnection { host: '127.0.0.1', port: ${port}, connected: false }`);
    await conn.request('GET', '/');
    expect(inspect(conn)).toMatch(new RegExp(`^HTTPSConnection \\{ host: '127\\.0\\.0\\.1', port: ${port}, connected: true, protocol: 'TLSv1\\.3', cipher: 'TLS_\\w+' \\}$`));
    const res = await conn.getresponse();
    expect(inspect(res)).toBe("HTTPResponse { status: 200, reason: 'OK', version: 'HTTP/1.1', length: '5', closed: false, willClose: false }");
    expect((await res.read()).toString()).toBe('hello');
    expect(inspect(res)).toMatch(/closed: true/);
    expect(res.peerCertificate!.digest('sha256')).toBe(pki.server.cert.digest('sha256'));
  });

  it('recognises its errors and classes across builds', async () => {
    const pki = makePki();
    const port = await helloServer(pki);
    const conn = new clientCjs.HTTPSConnection('127.0.0.1', port, {
      context: sslCjs.createDefaultContext({ cadata: pki.ca.certPem }),
      checker: new Checker('other.example'),
      checkHostname: false,
    });
    cleanups.push(() => conn.close());
    const err = await conn.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(client.WrongHost);
    expect(err).toBeInstanceOf(client.HTTPException);
    expect(err).not.toBeInstanceOf(client.WrongCertificate);
    expect(conn).toBeInstanceOf(HTTPSConnection);
    expect(new clientCjs.ProxyHTTPSConnection('127.0.0.1', 3128)).toBeInstanceOf(HTTPSConnection);
    expect(new clientCjs.ProxyHTTPSConnection('127.0.0.1', 3128)).toBeInstanceOf(ProxyHTTPSConnection);
    expect(new clientCjs.HTTPSConnection('127.0.0.1', 3128)).not.toBeInstanceOf(ProxyHTTPSConnection);
  });

  it('refuses a forged Context, and prints a proxy connection and forged objects without throwing', async () => {
    const port = await helloServer(makePki());
    const forged = Object.create({ [Symbol.for('@ossl/brand')]: '@ossl/ssl:Context' }) as sslTypes.Context;
    expect(forged).toBeInstanceOf(sslCjs.Context);
    const conn = new HTTPSConnection('127.0.0.1', port, { context: forged });
    cleanups.push(() => conn.close());
    // The forgery passes the option check (a brand is only a claim), but it has no native handle.
    await expect(conn.connect()).rejects.toThrow(/"options.context" property must be/);
    const proxy = new ProxyHTTPSConnection('127.0.0.1', 3128);
    proxy.putrequest('GET', 'https://example.com/x');
    expect(inspect(proxy)).toBe("ProxyHTTPSConnection { host: '127.0.0.1', port: 3128, tunnel: 'example.com:443', connected: false }");
    for (const Class of [HTTPSConnection, client.HTTPResponse, Checker, ProxyHTTPSConnection]) {
      expect(() => inspect(Object.create(Class.prototype))).not.toThrow();
    }
  });
});
