// Certificate Transparency in the handshake: SCTs from the TLS extension (setServerScts) and
// embedded in the certificate, checked by OpenSSL's policy (enableCt) or by a callback.
import { describe, expect, it } from 'vitest';
import { CTLogStore, SCT } from '@ossl/crypto';
import { embedScts, makeLog, sctList, x509Sct, type TestLog } from '@ossl/testkit';

import { Context, CT_VALIDATION_STRICT, SSLError, TLS1_2_VERSION, TLS_METHOD, VERIFY_PEER } from '../src/index.js';
import { caught, handshake, makeIdentity, pair } from './support/memory.js';

function setup(logs: TestLog[]) {
  const ca = makeIdentity({ cn: 'CT test CA', ca: true });
  const leaf = makeIdentity({ cn: 'localhost', issuer: ca, sans: ['DNS:localhost'] });
  const store = CTLogStore.fromLogs(logs.map((l) => ({ name: l.name, key: l.key })));
  const client = (): Context => {
    const ctx = new Context(TLS_METHOD);
    ctx.getCertStore().addCert(ca.cert);
    ctx.setVerify(VERIFY_PEER);
    ctx.setCtLogStore(store);
    return ctx;
  };
  const server = (): Context => {
    const ctx = new Context(TLS_METHOD);
    ctx.useCertificate(leaf.cert);
    ctx.usePrivatekey(leaf.key);
    return ctx;
  };
  return { ca, leaf, store, client, server };
}

for (const version of ['TLSv1.3', 'TLSv1.2'] as const) {
  describe(`CT over ${version}`, () => {
    const limit = (ctx: Context): Context => {
      if (version === 'TLSv1.2') ctx.setMaxProtoVersion(TLS1_2_VERSION);
      return ctx;
    };

    it('strict mode accepts a valid SCT sent in the TLS extension, and reports it', () => {
      const log = makeLog();
      const t = setup([log]);
      const sctx = limit(t.server());
      sctx.setServerScts(sctList([x509Sct(log, t.leaf.cert)]));
      const cctx = t.client();
      cctx.enableCt('strict');
      const { client, server } = pair(cctx, sctx);
      handshake(client, server);
      expect(client.getProtocolVersionName()).toBe(version);
      const scts = client.getPeerScts();
      expect(scts).toHaveLength(1);
      expect(scts[0]).toBeInstanceOf(SCT);
      expect(scts[0]!.source).toBe('tls');
      expect(scts[0]!.entryType).toBe('x509');
      expect(scts[0]!.validationStatus).toBe('valid');
      expect(scts[0]!.logId.equals(log.logId)).toBe(true);
    });

    it('strict mode accepts SCTs embedded in the certificate', () => {
      const log = makeLog();
      const t = setup([log]);
      embedScts(t.leaf, t.ca, [log]);
      const cctx = t.client();
      cctx.enableCt(CT_VALIDATION_STRICT);
      const { client, server } = pair(cctx, limit(t.server()));
      handshake(client, server);
      const scts = client.getPeerScts();
      expect(scts.map((s) => [s.source, s.entryType, s.validationStatus])).toEqual([['certificate', 'precert', 'valid']]);
    });

    it('strict mode refuses a server without SCTs, with SCTs of an unknown log, or with a forged SCT', () => {
      const log = makeLog();
      const stranger = makeLog('not in the store');
      const t = setup([log]);
      const forged = x509Sct(log, t.leaf.cert);
      forged[forged.length - 5]! ^= 0x01; // a bit of the signature
      for (const scts of [null, [x509Sct(stranger, t.leaf.cert)], [forged]]) {
        const sctx = limit(t.server());
        if (scts) sctx.setServerScts(sctList(scts));
        const cctx = t.client();
        cctx.enableCt('strict');
        const { client, server } = pair(cctx, sctx);
        const e = caught(() => handshake(client, server)) as SSLError;
        expect(e).toBeInstanceOf(SSLError);
        expect(e.errors.map((x) => x.reason).join()).toMatch(/callback failed|no valid scts/);
      }
    });

    it('permissive mode goes on and reports each verdict', () => {
      const log = makeLog();
      const stranger = makeLog('not in the store');
      const t = setup([log]);
      const sctx = limit(t.server());
      sctx.setServerScts(sctList([x509Sct(log, t.leaf.cert), x509Sct(stranger, t.leaf.cert), x509Sct(log, t.leaf.cert, { timestamp: Date.now() + 3_600_000 })]));
      const cctx = t.client();
      cctx.enableCt('permissive');
      const { client, server } = pair(cctx, sctx);
      handshake(client, server);
      // OpenSSL keeps them in its own order.
      expect(client.getPeerScts().map((s) => s.validationStatus).sort()).toEqual(['invalid', 'unknownLog', 'valid']);
    });

    it('a callback decides, with the SCTs and their verdicts; false or a throw fails the handshake', () => {
      const log = makeLog();
      const t = setup([log]);
      let seen: SCT[] = [];
      for (const [answer, ok] of [
        [() => true, true],
        [() => false, false],
        [() => {
          throw new Error('policy says no');
        }, false],
      ] as const) {
        const sctx = limit(t.server());
        sctx.setServerScts(sctList([x509Sct(log, t.leaf.cert)]));
        const cctx = t.client();
        cctx.setCtValidationCallback((conn, scts) => {
          expect(conn).toBeDefined();
          seen = scts;
          return answer();
        });
        const { client, server } = pair(cctx, sctx);
        if (ok) {
          handshake(client, server);
          expect(client.getProtocolVersionName()).toBe(version);
        } else {
          expect(caught(() => handshake(client, server))).toBeInstanceOf(Error);
        }
        expect(seen.map((s) => s.validationStatus)).toEqual(['valid']);
      }
    });
  });
}
