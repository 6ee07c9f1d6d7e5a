// DTLS over memory BIOs, following pyOpenSSL's own DTLS test: a stateless cookie exchange with
// DTLSv1Listen, then the handshake and data.
import { describe, expect, it } from 'vitest';

import { Connection, Context, DTLS_METHOD, OP_NO_QUERY_MTU, SSLError, WantReadError } from '../src/index.js';
import { makePki } from './support/memory.js';

function pumpOnce(from: Connection, to: Connection): boolean {
  if (from.bioPending() === 0) return false;
  to.bioWrite(from.bioRead(65536));
  return true;
}

function dtlsPair(verify: (conn: Connection, cookie: Buffer) => boolean) {
  const pki = makePki();
  const sctx = new Context(DTLS_METHOD);
  const generated: number[] = [];
  sctx.setCookieGenerateCallback(() => {
    generated.push(1);
    return Buffer.from('xyzzy');
  });
  sctx.setCookieVerifyCallback(verify);
  sctx.useCertificate(pki.server.cert);
  sctx.usePrivatekey(pki.server.key);
  sctx.setOptions(OP_NO_QUERY_MTU);
  const server = new Connection(sctx);
  server.setAcceptState();
  const cctx = new Context(DTLS_METHOD);
  cctx.setOptions(OP_NO_QUERY_MTU);
  const client = new Connection(cctx);
  client.setConnectState();
  // Memory BIOs cannot tell the path MTU (OP_NO_QUERY_MTU), so each side is told.
  client.setCiphertextMtu(1400);
  server.setCiphertextMtu(1400);
  return { client, server, generated };
}

describe('DTLS', () => {
  it('completes a cookie exchange, a handshake and a data exchange in memory', () => {
    const seen: string[] = [];
    const { client, server, generated } = dtlsPair((_c, cookie) => {
      seen.push(cookie.toString());
      return cookie.toString() === 'xyzzy';
    });
    expect(() => client.doHandshake()).toThrow(WantReadError);
    pumpOnce(client, server);
    // The first ClientHello has no cookie: the server answers with a HelloVerifyRequest.
    expect(() => server.DTLSv1Listen()).toThrow(WantReadError);
    expect(generated).toHaveLength(1);
    pumpOnce(server, client);
    expect(() => client.doHandshake()).toThrow(WantReadError);
    pumpOnce(client, server);
    server.DTLSv1Listen();
    expect(seen).toEqual(['xyzzy']);
    for (let i = 0; i < 10; i++) {
      let done = 0;
      for (const side of [client, server]) {
        try {
          side.doHandshake();
          done++;
        } catch (e) {
          if (!(e instanceof WantReadError)) throw e;
        }
      }
      const moved = pumpOnce(client, server) || pumpOnce(server, client);
      if (done === 2 && !moved) break;
    }
    expect(client.getProtocolVersionName()).toBe('DTLSv1.2');
    client.send('datagram');
    pumpOnce(client, server);
    expect(server.recv(100).toString()).toBe('datagram');
    expect(client.getCleartextMtu()).toBeGreaterThan(1300);
    expect(client.getCleartextMtu()).toBeLessThan(1400);
    expect(client.DTLSv1GetTimeout()).toBeNull();
    expect(client.DTLSv1HandleTimeout()).toBe(false);
  });

  it('keeps listening while cookies do not verify, and re-throws what a cookie callback throws', () => {
    const bad = dtlsPair(() => false);
    expect(() => bad.client.doHandshake()).toThrow(WantReadError);
    pumpOnce(bad.client, bad.server);
    expect(() => bad.server.DTLSv1Listen()).toThrow(WantReadError);
    pumpOnce(bad.server, bad.client);
    expect(() => bad.client.doHandshake()).toThrow(WantReadError);
    pumpOnce(bad.client, bad.server);
    expect(() => bad.server.DTLSv1Listen()).toThrow(WantReadError);

    const boom = new Error('cookie boom');
    const thrower = dtlsPair(() => {
      throw boom;
    });
    expect(() => thrower.client.doHandshake()).toThrow(WantReadError);
    pumpOnce(thrower.client, thrower.server);
    expect(() => thrower.server.DTLSv1Listen()).toThrow(WantReadError);
    pumpOnce(thrower.server, thrower.client);
    expect(() => thrower.client.doHandshake()).toThrow(WantReadError);
    pumpOnce(thrower.client, thrower.server);
    let caught: unknown;
    try {
      thrower.server.DTLSv1Listen();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(boom);
    expect(() => thrower.server.doHandshake()).toThrow(SSLError);
  });

  it('starts a retransmission timer while waiting for the server', () => {
    const { client } = dtlsPair(() => true);
    expect(() => client.doHandshake()).toThrow(WantReadError);
    const t = client.DTLSv1GetTimeout();
    expect(t).not.toBeNull();
    expect(t!).toBeGreaterThan(0);
    expect(t!).toBeLessThanOrEqual(1);
    expect(() => client.setCiphertextMtu(0)).toThrow(RangeError);
    expect(() => new Context(DTLS_METHOD).setCookieVerifyCallback('x' as never)).toThrow(TypeError);
  });
});
