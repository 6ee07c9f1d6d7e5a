// Gross-leak checks: repeat whole lifecycles many times and require that memory stops growing once
// warm (checked to catch a planted leak of one certificate per iteration while it was written). A leaked certificate, key, SSL or BIO per iteration (kilobytes each) would add megabytes
// per round; OpenSSL's and V8's caches settle during the warm-up rounds.
import { describe, expect, it } from 'vitest';
import {
  dumpCertificate,
  FILETYPE_ASN1,
  FILETYPE_PEM,
  loadCertificate,
  loadPkcs12,
  PKCS12,
  X509Store,
  X509StoreContext,
} from '@ossl/crypto';

import { Connection, Context, SSLError, TLS_METHOD } from '../src/index.js';
import { handshake, makePki, pair, serverContext } from './support/memory.js';

async function rssAfter(rounds: number, perRound: number, body: () => void): Promise<number[]> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with --expose-gc');
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < perRound; i++) body();
    for (let k = 0; k < 3; k++) {
      gc();
      // Node-API runs the finalizers of collected wrappers from the event loop, not inside gc().
      await new Promise((resolve) => setImmediate(resolve));
    }
    samples.push(process.memoryUsage().rss);
  }
  return samples;
}

/** Growth over the last rounds, after warm-up, in megabytes. */
function lateGrowthMB(samples: number[]): number {
  const warm = samples.slice(2);
  return (Math.max(...warm) - warm[0]!) / 1e6;
}

describe('no gross leaks', () => {
  it('in certificate loading, verification and PKCS#12', async () => {
    const pki = makePki();
    const der = dumpCertificate(FILETYPE_ASN1, pki.server.cert);
    const store = new X509Store();
    store.addCert(pki.ca.cert);
    const p12 = new PKCS12();
    p12.setPrivatekey(pki.server.key);
    p12.setCertificate(pki.server.cert);
    const bundle = p12.export({ passphrase: 'x', iter: 1 });
    const samples = await rssAfter(6, 1500, () => {
      const cert = loadCertificate(FILETYPE_ASN1, der);
      cert.getSubject().CN;
      new X509StoreContext(store, cert).verifyCertificate();
      loadPkcs12(bundle, 'x').getPrivatekey();
      try {
        loadCertificate(FILETYPE_PEM, 'garbage');
      } catch {
        // expected: the failure path must not leak either
      }
    });
    expect(lateGrowthMB(samples)).toBeLessThan(8);
  });

  it('a name view keeps its certificate alive after the certificate is dropped, and both are then freed', async () => {
    const pki = makePki();
    const pem = dumpCertificate(FILETYPE_PEM, pki.server.cert);
    const expected = pki.server.cert.getSubject().CN;
    const gc = globalThis.gc!;
    const settle = async (): Promise<void> => {
      for (let k = 0; k < 3; k++) {
        gc();
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    // Only the views are kept: the certificates behind them must survive collection.
    const views = Array.from({ length: 300 }, () => loadCertificate(FILETYPE_PEM, pem).getSubject());
    const issuers = Array.from({ length: 300 }, () => loadCertificate(FILETYPE_PEM, pem).getIssuer());
    await settle();
    expect(views.every((v) => v.CN === expected)).toBe(true);
    expect(issuers.every((v) => v.CN === pki.ca.cert.getSubject().CN)).toBe(true);
    // Views dropped with their certificates do not pile up.
    const samples = await rssAfter(6, 3000, () => {
      loadCertificate(FILETYPE_PEM, pem).getSubject().CN;
    });
    expect(lateGrowthMB(samples)).toBeLessThan(8);
  });

  it('in handshakes, data transfer and failed handshakes', async () => {
    const pki = makePki();
    const sctx = serverContext(pki.server);
    const cctx = new Context(TLS_METHOD);
    const samples = await rssAfter(6, 300, () => {
      const { client, server } = pair(cctx, sctx);
      handshake(client, server);
      client.send(Buffer.alloc(4096, 1));
      server.bioWrite(client.bioRead(65536));
      server.recv(8192);
      const bad = new Connection(sctx);
      bad.setAcceptState();
      bad.bioWrite('GET / HTTP/1.0\r\n\r\n');
      try {
        bad.doHandshake();
      } catch (e) {
        if (!(e instanceof SSLError)) throw e;
      }
    });
    expect(lateGrowthMB(samples)).toBeLessThan(8);
  });
});
