// Bad values for the inputs this package gained with node:http and undici underneath: client
// certificates as PKCS#12 (`pfx`, `passphrase`), certFile/keyFile that are garbage or do not match,
// `request({signal, proxyUsername})`, the response's `read(amt)`/`readline(limit)`/`getheader(name)`,
// `createDispatcher`'s `connectTimeout` and TLS options, and `fetch`'s `init`. Each is refused with a
// typed error naming the parameter (or OpenSSL's reason), before anything reaches a peer.
import { once } from 'node:events';
import https from 'node:https';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CryptoError, PKCS12 } from '@ossl/crypto';
import { createDefaultContext } from '@ossl/ssl';
import { failureOf, makePki, tempFiles } from '@ossl/testkit';

import { createDispatcher, fetch, HTTPResponse, HTTPSConnection, request } from '../src/index.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const typeErrorNaming = (name: string): Error => expect.objectContaining({ name: 'TypeError', message: expect.stringContaining(name) }) as Error;

describe('client certificates', () => {
  it('refuses pfx and passphrase of the wrong type, and pfx together with certFile', () => {
    for (const pfx of [42, {}, true]) expect(() => new HTTPSConnection('localhost', 443, { pfx: pfx as never })).toThrow(typeErrorNaming('options.pfx'));
    expect(() => new HTTPSConnection('localhost', 443, { pfx: Buffer.alloc(4), certFile: '/nonexistent.pem' })).toThrow(typeErrorNaming('options.pfx'));
    for (const passphrase of [42, {}, Buffer.from('x')]) {
      expect(() => new HTTPSConnection('localhost', 443, { passphrase: passphrase as never })).toThrow(typeErrorNaming('options.passphrase'));
    }
  });

  it('refuses garbage and truncated PKCS#12 bytes with OpenSSL reasons, at construction', () => {
    const pki = makePki();
    const p12 = new PKCS12();
    p12.setPrivatekey(pki.client.key);
    p12.setCertificate(pki.client.cert);
    const pfx = p12.export({ passphrase: 'pw' });
    for (const bad of [Buffer.from('not a PKCS#12 bundle'), pfx.subarray(0, pfx.length >> 1), Buffer.alloc(0)]) {
      const e = (() => {
        try {
          new HTTPSConnection('localhost', 443, { pfx: bad, passphrase: 'pw' });
        } catch (err) {
          return err;
        }
        return null;
      })();
      expect(e).toBeInstanceOf(CryptoError);
      expect((e as CryptoError).errors.length).toBeGreaterThan(0);
    }
  });

  it('refuses a certFile that holds no certificate, a missing file and a key that does not match', () => {
    const pki = makePki();
    const files = tempFiles({
      'garbage.pem': '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n',
      'truncated.pem': pki.client.certPem.slice(0, pki.client.certPem.length >> 1),
      'client.pem': pki.client.certPem,
      'other.key': pki.server.keyPem,
    });
    cleanups.push(files.cleanup);
    for (const certFile of [files.path('garbage.pem'), files.path('truncated.pem'), files.path('missing.pem')]) {
      expect(() => new HTTPSConnection('localhost', 443, { context: createDefaultContext(), certFile, keyFile: files.path('other.key') })).toThrow();
    }
    // A certificate with somebody else's key: OpenSSL's check refuses the pair.
    expect(() => new HTTPSConnection('localhost', 443, { context: createDefaultContext(), certFile: files.path('client.pem'), keyFile: files.path('other.key') })).toThrow(
      expect.objectContaining({ errors: expect.arrayContaining([expect.objectContaining({ reason: expect.stringMatching(/values mismatch|key values mismatch/) })]) }),
    );
  });
});

describe('request() options', () => {
  it('refuses a signal that is not an AbortSignal, proxy credentials that cannot be Basic, and bodies of other types', async () => {
    for (const signal of ['x', {}, 1]) await expect(request('https://localhost/', { signal: signal as never })).rejects.toThrow(typeErrorNaming('options.signal'));
    await expect(request('https://localhost/', { proxy: ['127.0.0.1', 3128], proxyUsername: 'a:b', proxyPassword: 'x' })).rejects.toThrow(/username/);
    await expect(request('https://localhost/', { proxy: ['127.0.0.1', 3128], proxyUsername: 42 as never })).rejects.toThrow(typeErrorNaming('options.username'));
    for (const body of [42, true, () => 'x']) await expect(request('https://localhost/', { method: 'POST', body: body as never })).rejects.toThrow(typeErrorNaming('options.body'));
  });
});

describe('HTTPResponse arguments', () => {
  it('refuses read(amt), readline(limit) and getheader(name) of the wrong type or range, and reads on', async () => {
    const pki = makePki();
    const server = https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (req, res) => res.end('line one\nline two\n'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(() => new Promise((r) => { server.closeAllConnections(); server.close(r); }));
    const conn = new HTTPSConnection('127.0.0.1', (server.address() as net.AddressInfo).port, { context: createDefaultContext({ cadata: pki.ca.certPem }) });
    cleanups.push(() => conn.close());
    await conn.request('GET', '/');
    const res = await conn.getresponse();
    for (const amt of [-1, 1.5, 'x', NaN]) await expect(res.read(amt as never)).rejects.toThrow(typeErrorNaming('amt'));
    for (const limit of ['x', 1.5]) await expect(res.readline(limit as never)).rejects.toThrow(typeErrorNaming('limit'));
    expect(() => res.getheader(42 as never)).toThrow(typeErrorNaming('name'));
    // None of that consumed anything.
    expect((await res.readline()).toString()).toBe('line one\n');
    expect((await res.read()).toString()).toBe('line two\n');
    expect(() => new HTTPResponse({} as never, { peer: null, timeout: null, request: {} as never })).toThrow(typeErrorNaming('message'));
  });
});

describe('createDispatcher and fetch inputs', () => {
  it('refuses connectTimeout of the wrong type or range, and garbage or truncated TLS options when made', () => {
    for (const t of ['x', {}]) expect(() => createDispatcher({ connectTimeout: t as never })).toThrow(typeErrorNaming('options.connectTimeout'));
    for (const t of [-1, Infinity, NaN]) expect(() => createDispatcher({ connectTimeout: t })).toThrow(expect.objectContaining({ name: 'RangeError', message: expect.stringContaining('options.connectTimeout') }));
    const pki = makePki();
    const truncated = pki.ca.certPem.slice(0, pki.ca.certPem.length >> 1);
    for (const ca of ['garbage', truncated]) expect(() => createDispatcher({ ca })).toThrow();
    expect(() => createDispatcher({ pfx: Buffer.from('not a bundle'), passphrase: 'x' })).toThrow();
    expect(() => createDispatcher({ cert: pki.client.certPem, key: pki.server.keyPem })).toThrow();
  });

  it('rejects an init that is not an object, without a connection', async () => {
    const e = await failureOf(() => fetch('https://localhost:1/', 'x' as never));
    expect(e).toMatchObject({ name: 'TypeError', message: expect.stringContaining('init') });
  });
});
