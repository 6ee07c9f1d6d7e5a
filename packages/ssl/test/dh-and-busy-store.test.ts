// DH parameters made by crypto's generateDhParameters used for DHE, and a Context's store while an
// asynchronous verification runs against it.
import { describe, expect, it } from 'vitest';
import { dumpCertificate, FILETYPE_PEM, generateDhParameters, generateDhParametersAsync, X509StoreContext } from '@ossl/crypto';

import { Context, SSLError, TLS1_2_VERSION, TLS_METHOD } from '../src/index.js';
import { handshake, makePki, pair, serverContext, tempFiles } from './support/memory.js';

describe('DHE with generated parameters', () => {
  it('negotiates finite-field DH of the generated size', async () => {
    const pki = makePki('rsa');
    // OpenSSL refuses DH below 80 bits of security (1024-bit primes) even at security level 0.
    for (const [pem, bits] of [
      [generateDhParameters(1024), 1024],
      [await generateDhParametersAsync(1024, 5), 1024],
    ] as const) {
      const server = serverContext(pki.server);
      // 1024-bit parameters pass only at security level 0; what is checked is that they are used.
      server.setCipherList('DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0');
      expect(server.useTmpDh(pem)).toBe(bits);
      const client = new Context(TLS_METHOD);
      client.setMaxProtoVersion(TLS1_2_VERSION);
      client.setCipherList('DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0');
      const { client: c, server: s } = pair(client, server);
      handshake(c, s);
      expect(c.getCipherName()).toBe('DHE-RSA-AES128-GCM-SHA256');
      expect(c.getPeerTmpKey()).toEqual({ type: 'DH', size: bits });
    }
  }, 300_000);
});

describe("a Context's store during an asynchronous verification", () => {
  it('refuses loadVerifyLocations and setDefaultVerifyPaths until it ends', async () => {
    const pki = makePki();
    const files = tempFiles({ 'ca.pem': dumpCertificate(FILETYPE_PEM, pki.ca.cert) });
    try {
      const ctx = new Context(TLS_METHOD);
      ctx.loadVerifyLocations(files.path('ca.pem'));
      const pending = new X509StoreContext(ctx.getCertStore(), pki.server.cert).getVerifiedChainAsync();
      const e = (() => {
        try {
          ctx.loadVerifyLocations(files.path('ca.pem'));
        } catch (err) {
          return err;
        }
        return null;
      })() as SSLError;
      expect(e).toBeInstanceOf(SSLError);
      expect(e.code).toBe('ERR_OSSL_STORE_BUSY');
      expect(() => ctx.setDefaultVerifyPaths()).toThrow(/verifying asynchronously/);
      expect((await pending).length).toBe(2);
      expect(() => ctx.loadVerifyLocations(files.path('ca.pem'))).not.toThrow();
    } finally {
      files.cleanup();
    }
  });
});
