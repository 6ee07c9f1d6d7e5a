// Options and mode, on a Context and on one Connection (pyOpenSSL's set_options/clear_options,
// set_mode/clear_mode): what they return, what they change, and the values they refuse.
import net from 'node:net';
import { describe, expect, it } from 'vitest';

import {
  Connection,
  Context,
  MODE_AUTO_RETRY,
  MODE_ENABLE_PARTIAL_WRITE,
  MODE_RELEASE_BUFFERS,
  OP_NO_TICKET,
  OP_NO_TLSv1_3,
  SocketConnection,
  TLS_METHOD,
} from '../src/index.js';
import { handshake, makePki, pair, serverContext } from './support/memory.js';

describe('Context modes', () => {
  it('adds, removes and reports MODE_* flags, returning the mode now in force', () => {
    const ctx = new Context(TLS_METHOD);
    const start = ctx.getMode();
    expect(start & MODE_AUTO_RETRY).toBe(MODE_AUTO_RETRY); // OpenSSL's default
    expect(ctx.setMode(MODE_ENABLE_PARTIAL_WRITE)).toBe(start | MODE_ENABLE_PARTIAL_WRITE);
    expect(ctx.getMode()).toBe(start | MODE_ENABLE_PARTIAL_WRITE);
    expect(ctx.clearMode(MODE_ENABLE_PARTIAL_WRITE | MODE_AUTO_RETRY)).toBe(start & ~(MODE_ENABLE_PARTIAL_WRITE | MODE_AUTO_RETRY));
    expect(ctx.getMode() & (MODE_ENABLE_PARTIAL_WRITE | MODE_AUTO_RETRY)).toBe(0);
  });

  it('refuses flags that are not integers from 0 to 2^32 - 1, changing nothing', () => {
    const ctx = new Context(TLS_METHOD);
    const before = ctx.getMode();
    expect(() => ctx.setMode(-1)).toThrow(RangeError);
    expect(() => ctx.clearMode(2 ** 32)).toThrow(RangeError);
    expect(() => ctx.clearMode(1.5)).toThrow(RangeError);
    expect(() => ctx.setMode('4' as never)).toThrow(TypeError);
    expect(() => ctx.clearMode(null as never)).toThrow(TypeError);
    expect(ctx.getMode()).toBe(before);
  });

  it('refuses options outside 0 to 2^64 - 1 (a negative number used to set every option)', () => {
    const ctx = new Context(TLS_METHOD);
    const before = ctx.getOptions();
    expect(() => ctx.setOptions(-1)).toThrow(RangeError);
    expect(() => ctx.setOptions(-1n)).toThrow(RangeError);
    expect(() => ctx.clearOptions(2n ** 64n)).toThrow(RangeError);
    expect(() => ctx.setOptions('1' as never)).toThrow(TypeError);
    expect(ctx.getOptions()).toBe(before);
  });
});

describe('Connection options and modes', () => {
  it("start as the context's and change for that connection alone", () => {
    const pki = makePki();
    const sctx = serverContext(pki.server);
    const cctx = new Context(TLS_METHOD);
    const limited = new Connection(cctx);
    expect(limited.getOptions()).toBe(cctx.getOptions());
    expect(limited.getMode()).toBe(cctx.getMode());
    expect(limited.setOptions(OP_NO_TLSv1_3)).toBe(cctx.getOptions() + OP_NO_TLSv1_3);
    expect(limited.setMode(MODE_RELEASE_BUFFERS)).toBe(cctx.getMode() | MODE_RELEASE_BUFFERS);
    expect(cctx.getOptions() & OP_NO_TLSv1_3).toBe(0);
    expect(cctx.getMode() & MODE_RELEASE_BUFFERS).toBe(0);

    limited.setConnectState();
    const server = new Connection(sctx);
    server.setAcceptState();
    handshake(limited, server);
    expect(limited.getProtocolVersionName()).toBe('TLSv1.2');
    // Another connection of the same context still negotiates TLS 1.3.
    const other = pair(cctx, sctx);
    handshake(other.client, other.server);
    expect(other.client.getProtocolVersionName()).toBe('TLSv1.3');

    expect(limited.clearOptions(OP_NO_TLSv1_3) & OP_NO_TLSv1_3).toBe(0);
    expect(limited.clearMode(MODE_RELEASE_BUFFERS) & MODE_RELEASE_BUFFERS).toBe(0);
  });

  it('on a server connection, apply to that handshake only', () => {
    const pki = makePki();
    const sctx = serverContext(pki.server);
    const cctx = new Context(TLS_METHOD);
    const limited = pair(cctx, sctx);
    limited.server.setOptions(OP_NO_TLSv1_3);
    handshake(limited.client, limited.server);
    expect(limited.server.getProtocolVersionName()).toBe('TLSv1.2');
    const other = pair(cctx, sctx);
    handshake(other.client, other.server);
    expect(other.server.getProtocolVersionName()).toBe('TLSv1.3');
  });

  it('refuses bad values as the context does', () => {
    const conn = new Connection(new Context(TLS_METHOD));
    const options = conn.getOptions();
    const mode = conn.getMode();
    expect(() => conn.setOptions(-1)).toThrow(RangeError);
    expect(() => conn.clearOptions({} as never)).toThrow(TypeError);
    expect(() => conn.setMode(-4)).toThrow(RangeError);
    expect(() => conn.clearMode(undefined as never)).toThrow(TypeError);
    expect(conn.getOptions()).toBe(options);
    expect(conn.getMode()).toBe(mode);
  });

  it('SocketConnection offers them, on its engine', () => {
    const sc = new SocketConnection(new Context(TLS_METHOD), new net.Socket());
    expect(sc.setOptions(OP_NO_TICKET) & OP_NO_TICKET).toBe(OP_NO_TICKET);
    expect(sc.connection.getOptions()).toBe(sc.getOptions());
    expect(sc.setMode(MODE_ENABLE_PARTIAL_WRITE)).toBe(sc.connection.getMode());
    expect(sc.clearMode(MODE_ENABLE_PARTIAL_WRITE) & MODE_ENABLE_PARTIAL_WRITE).toBe(0);
  });
});
