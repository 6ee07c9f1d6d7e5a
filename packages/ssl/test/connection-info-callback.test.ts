// Connection.setInfoCallback: a connection's own info callback, called instead of its Context's,
// under the same rules (a throw fails the connection; null goes back to the Context's).
import { describe, expect, it } from 'vitest';

import { Connection, Context, SSL_CB_HANDSHAKE_DONE, SSL_CB_HANDSHAKE_START, TLS_METHOD, WantReadError } from '../src/index.js';
import { handshake, makePki, pair, serverContext } from './support/memory.js';

describe('Connection.setInfoCallback', () => {
  const pki = makePki();

  it("is called for that connection instead of the Context's, with the connection itself", () => {
    const cctx = new Context(TLS_METHOD);
    const fromContext: Connection[] = [];
    cctx.setInfoCallback((conn) => fromContext.push(conn));
    const own: [Connection, number, number][] = [];
    const mine = pair(cctx, serverContext(pki.server));
    mine.client.setInfoCallback((conn, where, ret) => own.push([conn, where, ret]));
    handshake(mine.client, mine.server);
    expect(own.length).toBeGreaterThan(2);
    expect(own.every(([conn]) => conn === mine.client)).toBe(true);
    expect(own.some(([, where]) => (where & SSL_CB_HANDSHAKE_START) !== 0)).toBe(true);
    expect(own.some(([, where]) => (where & SSL_CB_HANDSHAKE_DONE) !== 0)).toBe(true);
    expect(fromContext).toHaveLength(0);
    // Another connection of the same Context still gets the Context's callback.
    const other = pair(cctx, serverContext(pki.server));
    handshake(other.client, other.server);
    expect(fromContext.length).toBeGreaterThan(2);
    expect(fromContext.every((conn) => conn === other.client)).toBe(true);
  });

  it("null goes back to the Context's callback", () => {
    const cctx = new Context(TLS_METHOD);
    const fromContext: number[] = [];
    cctx.setInfoCallback((_conn, where) => fromContext.push(where));
    const own: number[] = [];
    const { client, server } = pair(cctx, serverContext(pki.server));
    client.setInfoCallback((_conn, where) => own.push(where));
    client.setInfoCallback(null);
    handshake(client, server);
    expect(own).toHaveLength(0);
    expect(fromContext.length).toBeGreaterThan(2);
  });

  it('a throw fails the connection, and the error comes out of the call that ran it', () => {
    const { client, server } = pair(new Context(TLS_METHOD), serverContext(pki.server));
    const boom = new Error('info callback failed');
    client.setInfoCallback(() => {
      throw boom;
    });
    let thrown: unknown = null;
    try {
      client.doHandshake();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBe(boom);
    expect(() => server.doHandshake()).toThrow(WantReadError); // nothing reached the server
    expect(() => client.doHandshake()).toThrow(); // the connection stays failed
  });

  it('refuses what is not a function or null', () => {
    const conn = new Connection(new Context(TLS_METHOD));
    expect(() => conn.setInfoCallback(42 as never)).toThrow(TypeError);
    expect(() => conn.setInfoCallback('cb' as never)).toThrow(TypeError);
    expect(() => conn.setInfoCallback(undefined as never)).toThrow(TypeError);
  });
});
