// The signature algorithm each side signed the handshake with (Connection.getSignatureAlgorithm /
// getPeerSignatureAlgorithm), as node:tls names signature algorithms.
import { describe, expect, it } from 'vitest';

import { Context, TLS1_2_VERSION, TLS_METHOD, VERIFY_PEER } from '../src/index.js';
import { handshake, makeIdentity, makePki, pair, serverContext } from './support/memory.js';

describe('signature algorithms of the handshake', () => {
  for (const version of ['TLSv1.3', 'TLSv1.2']) {
    it(`names what each side signed with (${version})`, () => {
      const pki = makePki('ec');
      const rsaClient = makeIdentity({ cn: 'rsa client', issuer: pki.ca, kind: 'rsa' });
      const sctx = serverContext(pki.server);
      sctx.setVerify(VERIFY_PEER, () => true);
      const cctx = new Context(TLS_METHOD);
      if (version === 'TLSv1.2') cctx.setMaxProtoVersion(TLS1_2_VERSION);
      cctx.useCertificate(rsaClient.cert);
      cctx.usePrivatekey(rsaClient.key);
      const { client, server } = pair(cctx, sctx);
      expect(client.getSignatureAlgorithm()).toBeNull();
      expect(client.getPeerSignatureAlgorithm()).toBeNull();
      handshake(client, server);
      expect(client.getProtocolVersionName()).toBe(version);
      // The server's P-256 key signs with ECDSA; the client's RSA key with RSA-PSS (TLS 1.3 allows
      // nothing else, and OpenSSL prefers it in TLS 1.2).
      expect(client.getPeerSignatureAlgorithm()).toBe('ECDSA+SHA256');
      expect(server.getSignatureAlgorithm()).toBe('ECDSA+SHA256');
      expect(server.getPeerSignatureAlgorithm()).toBe('RSA-PSS+SHA256');
      expect(client.getSignatureAlgorithm()).toBe('RSA-PSS+SHA256');
      expect(client.getSharedSigalgs()).toContain('ECDSA+SHA256');
    });
  }

  it('is null for a client without a certificate', () => {
    const pki = makePki('rsa');
    const { client, server } = pair(new Context(TLS_METHOD), serverContext(pki.server));
    handshake(client, server);
    expect(client.getSignatureAlgorithm()).toBeNull();
    expect(server.getPeerSignatureAlgorithm()).toBeNull();
    expect(client.getPeerSignatureAlgorithm()).toBe('RSA-PSS+SHA256');
  });
});

describe('Connection.setVerifyResult (M2Crypto set_verify_result)', () => {
  it('records a verdict that getVerifyResult and getVerifyError report, and refuses bad values', () => {
    const pki = makePki('ec');
    const { client, server } = pair(new Context(TLS_METHOD), serverContext(pki.server));
    handshake(client, server);
    expect(client.getVerifyResult()).toBe(20); // the CA is not trusted: VERIFY_NONE went on and kept the verdict
    client.setVerifyResult(0);
    expect(client.getVerifyError()).toBeNull();
    client.setVerifyResult(23);
    expect(client.getVerifyResult()).toBe(23);
    expect(client.getVerifyError()!.code).toBe('CERT_REVOKED');
    expect(() => client.setVerifyResult(-1)).toThrow(RangeError);
    expect(() => client.setVerifyResult('23' as never)).toThrow(TypeError);
  });
});
