// Connection.getSelectedSrtpProfile (pyOpenSSL's get_selected_srtp_profile): the DTLS-SRTP
// protection profile that the use_srtp extension settled, after a DTLS handshake in memory.
import { describe, expect, it } from 'vitest';

import { Connection, Context, DTLS_METHOD, OP_NO_QUERY_MTU, TLS_METHOD, WantReadError } from '../src/index.js';
import { handshake, makePki, pair, serverContext } from './support/memory.js';

function dtlsHandshake(clientProfiles: string | null, serverProfiles: string | null): { client: Connection; server: Connection } {
  const pki = makePki();
  const sctx = new Context(DTLS_METHOD);
  sctx.useCertificate(pki.server.cert);
  sctx.usePrivatekey(pki.server.key);
  const cctx = new Context(DTLS_METHOD);
  for (const [ctx, profiles] of [[cctx, clientProfiles], [sctx, serverProfiles]] as const) {
    ctx.setOptions(OP_NO_QUERY_MTU);
    if (profiles !== null) ctx.setTlsextUseSrtp(profiles);
  }
  const client = new Connection(cctx);
  client.setConnectState();
  const server = new Connection(sctx);
  server.setAcceptState();
  client.setCiphertextMtu(1400);
  server.setCiphertextMtu(1400);
  for (let round = 0; round < 20 && !(client.isInitFinished() && server.isInitFinished()); round++) {
    for (const side of [client, server]) {
      try {
        side.doHandshake();
      } catch (e) {
        if (!(e instanceof WantReadError)) throw e;
      }
    }
    for (const [from, to] of [[client, server], [server, client]] as const) {
      while (from.bioPending() > 0) to.bioWrite(from.bioRead(65536));
    }
  }
  expect(client.isInitFinished() && server.isInitFinished()).toBe(true);
  return { client, server };
}

describe('Connection.getSelectedSrtpProfile', () => {
  it("names the profile both sides chose: the server's first that the client offers", () => {
    const { client, server } = dtlsHandshake('SRTP_AES128_CM_SHA1_32:SRTP_AES128_CM_SHA1_80', 'SRTP_AES128_CM_SHA1_80:SRTP_AES128_CM_SHA1_32');
    expect(server.getSelectedSrtpProfile().toString()).toBe('SRTP_AES128_CM_SHA1_80');
    expect(client.getSelectedSrtpProfile().toString()).toBe('SRTP_AES128_CM_SHA1_80');
    expect(Buffer.isBuffer(client.getSelectedSrtpProfile())).toBe(true);
    // The keying material SRTP derives from is the same on both sides.
    expect(client.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60).equals(server.exportKeyingMaterial('EXTRACTOR-dtls_srtp', 60))).toBe(true);
  });

  it('is empty when no profile was agreed, offered, or the handshake has not run', () => {
    expect(dtlsHandshake('SRTP_AES128_CM_SHA1_32', 'SRTP_AES128_CM_SHA1_80').client.getSelectedSrtpProfile().length).toBe(0);
    expect(dtlsHandshake(null, 'SRTP_AES128_CM_SHA1_80').server.getSelectedSrtpProfile().length).toBe(0);
    expect(dtlsHandshake('SRTP_AES128_CM_SHA1_80', null).client.getSelectedSrtpProfile().length).toBe(0);
    expect(new Connection(new Context(DTLS_METHOD)).getSelectedSrtpProfile().length).toBe(0);
    // TLS has no use_srtp.
    const { client, server } = pair(new Context(TLS_METHOD), serverContext(makePki().server));
    handshake(client, server);
    expect(client.getSelectedSrtpProfile().length).toBe(0);
  });

  it('refuses profile lists OpenSSL does not know', () => {
    expect(() => new Context(DTLS_METHOD).setTlsextUseSrtp('SRTP_NO_SUCH_PROFILE')).toThrow(/srtp unknown protection profile/);
    expect(() => new Context(DTLS_METHOD).setTlsextUseSrtp(80 as never)).toThrow(TypeError);
  });
});
