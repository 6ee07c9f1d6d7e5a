// Keys, certificates, Contexts and Sessions made by one build of the ossl packages work with another:
// a key made through `require('@ossl/crypto')` (the CJS build) is used by the ESM @ossl/ssl, and the
// CJS and ESM builds of @ossl/ssl take each other's objects.
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as cryptoEsm from '@ossl/crypto';
import { beforeAll, describe, expect, it } from 'vitest';

import * as src from '../src/index.js';
import { selfSignedWith } from '@ossl/testkit';
import { caught, handshake } from './support/memory.js';

type Crypto = typeof cryptoEsm;
type Ssl = typeof src;

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
/** The CJS builds, as `require()` gives them. */
const cryptoCjs = require('@ossl/crypto') as Crypto;
const sslCjs = require('@ossl/ssl') as Ssl;
let sslEsm: Ssl;

beforeAll(async () => {
  sslEsm = (await import(pathToFileURL(join(packageRoot, 'dist/index.js')).href)) as Ssl;
});


/** A client of `clientLib` and a server of `serverLib` on `serverCtx`, handshaken in memory. */
function connect(clientLib: Ssl, serverLib: Ssl, serverCtx: InstanceType<Ssl['Context']>, clientCtx = new clientLib.Context(clientLib.TLS_METHOD)) {
  const client = new clientLib.Connection(clientCtx);
  client.setConnectState();
  const server = new serverLib.Connection(serverCtx);
  server.setAcceptState();
  handshake(client as never, server as never);
  return { client, server };
}

describe('a key and certificate from the CJS @ossl/crypto in the ESM @ossl/ssl', () => {
  it('are used by Context.useCertificate / usePrivatekey and serve a handshake', () => {
    expect(cryptoCjs.PKey).not.toBe(cryptoEsm.PKey);
    const { key, cert } = selfSignedWith(cryptoCjs, 'cjs.example');
    for (const ssl of [src, sslEsm]) {
      const ctx = new ssl.Context(ssl.TLS_METHOD);
      ctx.useCertificate(cert);
      ctx.usePrivatekey(key);
      ctx.addExtraChainCert(cert);
      ctx.addClientCa(cert);
      ctx.setClientCaList([cert.getSubject()]);
      ctx.checkPrivatekey();
      ctx.getCertStore().addCert(cert);
      const { client } = connect(ssl, ssl, ctx);
      const peer = client.getPeerCertificate()!;
      // The certificate comes back as an ESM X509; the CJS class recognises it, and the other way round.
      expect(peer).toBeInstanceOf(cryptoCjs.X509);
      expect(peer).toBeInstanceOf(cryptoEsm.X509);
      expect(cert).toBeInstanceOf(cryptoEsm.X509);
      expect(key).toBeInstanceOf(cryptoEsm.PKey);
      expect(peer.digest('sha256')).toBe(cert.digest('sha256'));
      expect(cryptoEsm.dumpCertificate(cryptoEsm.FILETYPE_PEM, cert)).toEqual(cryptoCjs.dumpCertificate(cryptoCjs.FILETYPE_PEM, peer));
    }
  });

  it('are used by Connection.useCertificate / usePrivatekey', () => {
    const { key, cert } = selfSignedWith(cryptoCjs, 'conn.example');
    const server = new src.Connection(new src.Context(src.TLS_METHOD));
    server.useCertificate(cert);
    server.usePrivatekey(key);
    server.setAcceptState();
    const client = new src.Connection(new src.Context(src.TLS_METHOD));
    client.setConnectState();
    handshake(client, server);
    expect(client.getPeerCertificate()!.digest('sha256')).toBe(cert.digest('sha256'));
  });

  it('is refused with a TypeError when forged, before any native call', () => {
    const ctx = new src.Context(src.TLS_METHOD);
    const forged = Object.create({ [Symbol.for('@ossl/brand')]: '@ossl/crypto:PKey' }) as InstanceType<Crypto['PKey']>;
    const e = caught(() => ctx.usePrivatekey(forged));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(/"pkey" must be a PKey/);
    expect(caught(() => ctx.useCertificate(Object.create(cryptoCjs.X509.prototype)))).toBeInstanceOf(TypeError);
    // An object of another class is still refused by the brand check.
    expect(caught(() => ctx.useCertificate(selfSignedWith(cryptoCjs, 'k').key as never))).toBeInstanceOf(TypeError);
  });
});

describe('the CJS and ESM builds of @ossl/ssl', () => {
  it('take each other\'s Contexts, Connections and Sessions', () => {
    const { key, cert } = selfSignedWith(cryptoEsm, 'both.example');
    for (const [a, b] of [
      [sslCjs, src],
      [src, sslCjs],
      [sslCjs, sslEsm],
    ] as const) {
      expect(a.Context).not.toBe(b.Context);
      const serverCtx = new a.Context(a.TLS_METHOD);
      serverCtx.useCertificate(cert);
      serverCtx.usePrivatekey(key);
      serverCtx.setSessionId('cross');
      expect(serverCtx).toBeInstanceOf(b.Context);
      // A Context of build `a` drives Connections of build `b`.
      const clientCtx = new a.Context(a.TLS_METHOD);
      clientCtx.setMaxProtoVersion(a.TLS1_2_VERSION);
      const first = connect(b, b, serverCtx as never, clientCtx as never);
      expect(first.client).toBeInstanceOf(a.Connection);
      expect(first.client.getContext()).toBe(clientCtx);
      const session = first.client.getSession()!;
      expect(session).toBeInstanceOf(a.Session);
      // A Session of build `b` resumes on a Connection of build `a`.
      const client = new a.Connection(clientCtx);
      client.setConnectState();
      client.setSession(session as never);
      const server = new b.Connection(serverCtx as never);
      server.setAcceptState();
      handshake(client as never, server as never);
      expect(client.sessionReused()).toBe(true);
      server.setContext(new a.Context(a.TLS_METHOD) as never);
    }
  });

  it('recognise each other\'s errors', () => {
    const conn = new sslCjs.Connection(new sslCjs.Context(sslCjs.TLS_METHOD));
    conn.setConnectState();
    const e = caught(() => conn.recv(1));
    expect(e).toBeInstanceOf(src.WantReadError);
    expect(e).toBeInstanceOf(sslEsm.WantReadError);
    expect(e).toBeInstanceOf(src.Error);
    expect(e).toBeInstanceOf(cryptoEsm.OpenSSLError);
    expect(e).not.toBeInstanceOf(src.ZeroReturnError);
    expect(e).not.toBeInstanceOf(cryptoEsm.Error);
    expect(new sslCjs.CertificateVerifyError(10, 'certificate has expired')).toBeInstanceOf(src.CertificateVerifyError);
  });

  it('refuse a forged Context or Session with a TypeError', () => {
    const brand = Symbol.for('@ossl/brand');
    const forgedCtx = Object.create({ [brand]: '@ossl/ssl:Context' }) as InstanceType<Ssl['Context']>;
    expect(forgedCtx).toBeInstanceOf(src.Context);
    const e = caught(() => new src.Connection(forgedCtx));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(/"context" must be a Context/);
    const conn = new src.Connection(new src.Context(src.TLS_METHOD));
    expect(caught(() => conn.setSession(Object.create(sslCjs.Session.prototype)))).toBeInstanceOf(TypeError);
    // A Context whose handle is really a Connection's: the kind check catches it.
    const wrong = Object.create({ [brand]: '@ossl/ssl:Context', get [cryptoEsm.kHandle]() { return (conn as unknown as Record<symbol, unknown>)[cryptoEsm.kHandle]; } });
    expect(caught(() => conn.setContext(wrong))).toBeInstanceOf(TypeError);
  });
});
