// Connection.getGroupName (pyOpenSSL's get_group_name): the key-exchange group a handshake
// negotiated, by OpenSSL's name, and null before there is one.
import { describe, expect, it } from 'vitest';

import { Connection, Context, TLS1_2_VERSION, TLS_METHOD } from '../src/index.js';
import { handshake, makePki, pair, serverContext } from './support/memory.js';

describe('Connection.getGroupName', () => {
  const pki = makePki();

  it('is null before the handshake has a session, on both sides', () => {
    const { client, server } = pair(new Context(TLS_METHOD), serverContext(pki.server));
    expect(client.getGroupName()).toBeNull();
    expect(server.getGroupName()).toBeNull();
    expect(new Connection(new Context(TLS_METHOD)).getGroupName()).toBeNull();
  });

  it('names the group both sides negotiated, for TLS 1.3 and TLS 1.2', () => {
    // OpenSSL's default is its own first group (x25519 in 3.0, the X25519MLKEM768 hybrid in 3.5).
    const defaults = pair(new Context(TLS_METHOD), serverContext(pki.server));
    handshake(defaults.client, defaults.server);
    const [major, minor] = process.versions.openssl.split('.').map(Number) as [number, number];
    const expectedDefault = major > 3 || minor >= 5 ? 'X25519MLKEM768' : 'x25519';
    expect(defaults.client.getGroupName()).toBe(expectedDefault);
    expect(defaults.server.getGroupName()).toBe(expectedDefault);
    const cases: [string[] | null, number | null, string][] = [
      [['X25519'], null, 'x25519'],
      [['P-256'], null, 'secp256r1'],
      [['P-384'], null, 'secp384r1'],
      [['X448'], null, 'x448'],
      [['ffdhe2048'], null, 'ffdhe2048'],
      [['P-384', 'P-256'], TLS1_2_VERSION, 'secp384r1'],
    ];
    for (const [groups, max, expected] of cases) {
      const cctx = new Context(TLS_METHOD);
      if (groups) cctx.setGroups(groups);
      if (max) cctx.setMaxProtoVersion(max);
      const { client, server } = pair(cctx, serverContext(pki.server));
      handshake(client, server);
      expect(client.getGroupName(), `${groups} ${max}`).toBe(expected);
      expect(server.getGroupName(), `${groups} ${max}`).toBe(expected);
    }
  });

  it('names the group of a resumed TLS 1.3 handshake (a new key exchange)', () => {
    const cctx = new Context(TLS_METHOD);
    const sctx = serverContext(pki.server);
    const first = pair(cctx, sctx);
    handshake(first.client, first.server);
    expect(first.client.tryRecv(1)).toBeNull(); // takes the session tickets
    const session = first.client.getSession()!;
    cctx.setGroups(['P-256']);
    const again = pair(cctx, sctx);
    again.client.setSession(session);
    handshake(again.client, again.server);
    expect(again.client.sessionReused()).toBe(true);
    expect(again.client.getGroupName()).toBe('secp256r1');
  });
});
