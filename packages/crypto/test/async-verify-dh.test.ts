// The async forms DESIGN.md promises: chain verification and DH parameters on the libuv thread pool.
// Verification is held to the synchronous verifier and to `openssl verify` (x509-limbo's chains);
// DH parameters to `openssl dhparam -check`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import {
  CryptoError,
  dumpCertificate,
  FILETYPE_ASN1,
  FILETYPE_PEM,
  generateDhParameters,
  generateDhParametersAsync,
  loadCertificate,
  X509,
  X509Store,
  X509StoreContext,
  X509StoreContextError,
} from '../src/index.js';
import { makeIdentity, opensslOfNode, opensslOfNodePath, tempFiles, vectorsDir } from './support/helpers.js';

function chain() {
  const root = makeIdentity({ cn: 'Root', ca: true });
  const inter = makeIdentity({ cn: 'Intermediate', ca: true, issuer: root });
  const leaf = makeIdentity({ cn: 'leaf.example', issuer: inter, sans: 'DNS:leaf.example' });
  return { root, inter, leaf };
}

const der = (c: X509): string => dumpCertificate(FILETYPE_ASN1, c).toString('hex');

type Outcome = { ok: true; chain: string[] } | { ok: false; code: number; depth: number; message: string; cert: string | null };

function outcomeOf(run: () => X509[]): Outcome {
  try {
    return { ok: true, chain: run().map(der) };
  } catch (e) {
    if (!(e instanceof X509StoreContextError)) throw e;
    const [code, depth, message] = e.errors;
    return { ok: false, code, depth, message, cert: e.certificate ? der(e.certificate) : null };
  }
}

async function asyncOutcomeOf(run: () => Promise<X509[]>): Promise<Outcome> {
  try {
    return { ok: true, chain: (await run()).map(der) };
  } catch (e) {
    if (!(e instanceof X509StoreContextError)) throw e;
    const [code, depth, message] = e.errors;
    return { ok: false, code, depth, message, cert: e.certificate ? der(e.certificate) : null };
  }
}

interface LimboCase {
  id: string;
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time: string | null;
}

describe('X509StoreContext.verifyCertificateAsync / getVerifiedChainAsync', () => {
  it('verifies a chain on the thread pool and returns it leaf first', async () => {
    const { root, inter, leaf } = chain();
    const store = new X509Store();
    store.addCert(root.cert);
    const ctx = new X509StoreContext(store, leaf.cert, [inter.cert]);
    await expect(ctx.verifyCertificateAsync()).resolves.toBeUndefined();
    const got = await ctx.getVerifiedChainAsync();
    expect(got.map((c) => c.getSubject().CN)).toEqual(['leaf.example', 'Intermediate', 'Root']);
    expect(got[0]).toBeInstanceOf(X509);
  });

  it('rejects with X509StoreContextError carrying code, depth, message and certificate', async () => {
    const { root, inter, leaf } = chain();
    const store = new X509Store();
    store.addCert(root.cert);
    const e = (await new X509StoreContext(store, leaf.cert).verifyCertificateAsync().catch((err: unknown) => err)) as X509StoreContextError;
    expect(e).toBeInstanceOf(X509StoreContextError);
    expect(e.errors).toEqual([20, 0, 'unable to get local issuer certificate']);
    expect(der(e.certificate!)).toBe(der(leaf.cert));
    // An expired chain, judged at a time after it ends.
    store.setTime(new Date(Date.now() + 3 * 86400_000));
    const expired = (await new X509StoreContext(store, leaf.cert, [inter.cert]).getVerifiedChainAsync().catch((err: unknown) => err)) as X509StoreContextError;
    expect(expired.errors[0]).toBe(10);
  });

  it("answers as the synchronous verifier and as `openssl verify` for every x509-limbo chain", async () => {
    const limbo = JSON.parse(readFileSync(join(vectorsDir(), 'x509-limbo', 'limbo-early.json'), 'utf8')) as { testcases: LimboCase[] };
    const cli = opensslOfNodePath();
    let verified = 0;
    let refused = 0;
    for (const t of limbo.testcases) {
      const store = new X509Store();
      for (const pem of t.trusted_certs) store.addCert(loadCertificate(FILETYPE_PEM, pem));
      const at = t.validation_time === null ? null : new Date(t.validation_time);
      if (at) store.setTime(at);
      const peer = loadCertificate(FILETYPE_PEM, t.peer_certificate);
      const untrusted = t.untrusted_intermediates.map((p) => loadCertificate(FILETYPE_PEM, p));
      const ctx = new X509StoreContext(store, peer, untrusted);
      const sync = outcomeOf(() => ctx.getVerifiedChain());
      const asynchronous = await asyncOutcomeOf(() => ctx.getVerifiedChainAsync());
      expect(asynchronous, t.id).toEqual(sync);
      // The openssl CLI on the same OpenSSL series: the same verdict and the same error code.
      const files = tempFiles({
        'trusted.pem': t.trusted_certs.join(''),
        'untrusted.pem': t.untrusted_intermediates.join(''),
        'peer.pem': t.peer_certificate,
      });
      try {
        const args = ['verify', '-CAfile', files.path('trusted.pem')];
        if (t.untrusted_intermediates.length > 0) args.push('-untrusted', files.path('untrusted.pem'));
        if (at) args.push('-attime', String(Math.floor(at.getTime() / 1000)));
        const r = spawnSync(cli, [...args, files.path('peer.pem')], { encoding: 'latin1' });
        const out = r.stdout + r.stderr;
        if (sync.ok) {
          expect(r.status, `${t.id}: ${out}`).toBe(0);
          verified++;
        } else {
          expect(r.status, t.id).not.toBe(0);
          expect(out, t.id).toContain(`error ${sync.code} at ${sync.depth} depth`);
          refused++;
        }
      } finally {
        files.cleanup();
      }
    }
    expect(verified).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });

  it('verifies copies: changing the certificates after the call does not change what is verified', async () => {
    const { root, inter, leaf } = chain();
    const store = new X509Store();
    store.addCert(root.cert);
    const original = der(leaf.cert);
    const pending = new X509StoreContext(store, leaf.cert, [inter.cert]).getVerifiedChainAsync();
    leaf.cert.setSerialNumber(999_999n);
    leaf.cert.getSubject().CN = 'changed.example';
    inter.cert.getSubject().CN = 'Changed intermediate';
    const got = await pending;
    expect(der(got[0]!)).toBe(original);
    expect(got[1]!.getSubject().CN).toBe('Intermediate');
  });

  it('runs many verifications against one store at once', async () => {
    const { root, inter, leaf } = chain();
    const other = makeIdentity({ cn: 'stranger.example' });
    const store = new X509Store();
    store.addCert(root.cert);
    const runs = Array.from({ length: 64 }, (_, i) =>
      i % 2 === 0
        ? new X509StoreContext(store, leaf.cert, [inter.cert]).getVerifiedChainAsync().then((c) => c.length)
        : new X509StoreContext(store, other.cert).verifyCertificateAsync().then(
            () => -1,
            (e: X509StoreContextError) => -e.errors[0],
          ),
    );
    const results = await Promise.all(runs);
    expect(results.filter((r) => r === 3)).toHaveLength(32);
    expect(results.filter((r) => r === -18)).toHaveLength(32); // self-signed, not trusted
  });

  it('refuses to load locations into a store while it verifies, and allows it after', async () => {
    const { root, inter, leaf } = chain();
    const files = tempFiles({ 'ca.pem': dumpCertificate(FILETYPE_PEM, root.cert) });
    try {
      const store = new X509Store();
      store.addCert(root.cert);
      const pending = new X509StoreContext(store, leaf.cert, [inter.cert]).verifyCertificateAsync();
      const busy = (() => {
        try {
          store.loadLocations(files.path('ca.pem'));
        } catch (e) {
          return e;
        }
        return null;
      })() as CryptoError;
      expect(busy).toBeInstanceOf(CryptoError);
      expect(busy.code).toBe('ERR_OSSL_STORE_BUSY');
      expect(() => store.setDefaultPaths()).toThrow(/verifying asynchronously/);
      // Settings and certificates may still change: the verification has its own copy of the settings.
      store.addCert(inter.cert);
      await pending;
      expect(() => store.loadLocations(files.path('ca.pem'))).not.toThrow();
      expect(() => store.setDefaultPaths()).not.toThrow();
    } finally {
      files.cleanup();
    }
  });

  it('rejects bad arguments', async () => {
    const { root, leaf } = chain();
    const store = new X509Store();
    store.addCert(root.cert);
    // A chain element that is not a certificate is refused when the context is made.
    expect(() => new X509StoreContext(store, leaf.cert, ['x' as never])).toThrow(TypeError);
    // A forged X509 (the brand without a native handle) rejects, it does not crash.
    const forged = Object.create(X509.prototype) as X509;
    await expect(new X509StoreContext(store, forged).verifyCertificateAsync()).rejects.toBeInstanceOf(TypeError);
  });
});

describe('generateDhParameters / generateDhParametersAsync', () => {
  function check(pem: Buffer, bits: number, generator: number): void {
    expect(pem.toString()).toMatch(/^-----BEGIN DH PARAMETERS-----\n[\s\S]+\n-----END DH PARAMETERS-----\n$/);
    expect(opensslOfNode(['dhparam', '-check', '-noout'], pem) + '').toBe('');
    const text = opensslOfNode(['dhparam', '-text', '-noout'], pem);
    expect(text).toContain(`(${bits} bit)`);
    expect(text).toMatch(new RegExp(`G(enerator)?:\\s+${generator} \\(0x${generator}\\)`, 'i'));
  }

  it('makes safe-prime parameters that `openssl dhparam -check` accepts', () => {
    check(generateDhParameters(512), 512, 2);
    check(generateDhParameters(512, 5), 512, 5);
    // Two runs give two primes.
    expect(generateDhParameters(512).equals(generateDhParameters(512))).toBe(false);
  });

  it('makes them on the thread pool, several at once', async () => {
    const got = await Promise.all([generateDhParametersAsync(512), generateDhParametersAsync(512, 5), generateDhParametersAsync(768)]);
    check(got[0], 512, 2);
    check(got[1], 512, 5);
    check(got[2], 768, 2);
  });

  it('refuses bad sizes and generators with TypeError or RangeError naming them', async () => {
    expect(() => generateDhParameters('2048' as never)).toThrow('"bits" must be a number, got string');
    expect(() => generateDhParameters(511)).toThrow('"bits" must be 512 to 10000, got 511');
    expect(() => generateDhParameters(20000)).toThrow(RangeError);
    expect(() => generateDhParameters(1024.5)).toThrow(RangeError);
    expect(() => generateDhParameters(512, 3)).toThrow('"generator" must be 2 or 5, got 3');
    expect(() => generateDhParameters(512, null as never)).toThrow('"generator" must be a number, got null');
    await expect(generateDhParametersAsync(100)).rejects.toThrow(RangeError);
    await expect(generateDhParametersAsync(512, '2' as never)).rejects.toThrow(TypeError);
  });
});
