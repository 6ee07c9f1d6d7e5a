// What console.log and util.inspect print for ssl objects: a useful one-liner, never a secret, never
// a throw; and class names that survive the build.
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';

import * as ssl from '../src/index.js';
import {
  Connection,
  Context,
  createDefaultContext,
  SocketConnection,
  TLS1_2_VERSION,
  TLS_CLIENT_METHOD,
  TLS_METHOD,
  VERIFY_FAIL_IF_NO_PEER_CERT,
  VERIFY_PEER,
  WantReadError,
} from '../src/index.js';
import { handshake, makePki, pair, serverContext } from './support/memory.js';

/** Exports that are another class under a second name (pyOpenSSL's `Error`, Python's `ssl` names). */
const ALIASES: Record<string, string> = {
  Error: 'SSLError',
  SSLWantReadError: 'WantReadError',
  SSLWantWriteError: 'WantWriteError',
  SSLZeroReturnError: 'ZeroReturnError',
  SSLSyscallError: 'SysCallError',
  SSLCertVerificationError: 'CertificateVerifyError',
};

describe('class names in the build', () => {
  it('keeps every class name in the CJS build', () => {
    const cjs = createRequire(import.meta.url)('@ossl/ssl') as Record<string, unknown>;
    for (const [exported, value] of Object.entries(cjs)) {
      if (typeof value !== 'function' || !/^class\b/.test(Function.prototype.toString.call(value))) continue;
      expect((value as { name: string }).name, exported).toBe(ALIASES[exported] ?? exported);
    }
    expect(new (cjs.WantReadError as typeof WantReadError)().name).toBe('WantReadError');
  });
});

describe('ssl objects printed', () => {
  it('prints a Context by method, verify mode and host-name checking', () => {
    expect(inspect(new Context(TLS_METHOD))).toBe("Context { method: 'TLS_METHOD', verifyMode: 'VERIFY_NONE', checkHostname: false }");
    const ctx = new Context(TLS_CLIENT_METHOD);
    ctx.setVerify(VERIFY_PEER | VERIFY_FAIL_IF_NO_PEER_CERT);
    ctx.setVerifyDepth(4);
    expect(inspect(ctx)).toBe("Context { method: 'TLS_CLIENT_METHOD', verifyMode: 'VERIFY_PEER|VERIFY_FAIL_IF_NO_PEER_CERT', verifyDepth: 4, checkHostname: false }");
    expect(inspect(createDefaultContext())).toMatch(/verifyMode: 'VERIFY_PEER', checkHostname: true \}$/);
  });

  it('prints a Connection by side and state, and version and cipher after the handshake', () => {
    const pki = makePki();
    const clientCtx = new Context(TLS_METHOD);
    const { client, server } = pair(clientCtx, serverContext(pki.server));
    expect(inspect(new Connection(clientCtx))).toBe("Connection { state: 'before SSL initialization' }");
    expect(inspect(client)).toBe("Connection { side: 'client', state: 'before SSL initialization' }");
    client.setTlsextHostName('server.example');
    handshake(client, server);
    const text = inspect(client);
    expect(text).toMatch(/^Connection \{ side: 'client', state: 'SSL negotiation finished successfully', version: 'TLSv1\.3', cipher: 'TLS_\w+', servername: 'server\.example', sessionReused: false \}$/);
    expect(inspect(server)).toMatch(/^Connection \{ side: 'server', /);
  });

  it('prints a Session without its master secret', () => {
    const pki = makePki();
    const clientCtx = new Context(TLS_METHOD);
    clientCtx.setMaxProtoVersion(TLS1_2_VERSION);
    const { client, server } = pair(clientCtx, serverContext(pki.server));
    handshake(client, server);
    const session = client.getSession()!;
    const text = inspect(session);
    expect(text).toMatch(/^Session \{ id: '[0-9A-F]{16}…', protocol: 'TLSv1\.2', cipher: '[\w-]+', resumable: true, ticket: true, time: \d{4}-[^,]+, timeout: \d+ \}$/);
    const secret = client.masterKey()!.toString('hex');
    expect(text.toLowerCase()).not.toContain(secret.slice(0, 16));
  });

  it('prints a SocketConnection and its file', () => {
    const conn = new SocketConnection(new Context(TLS_METHOD), new PassThrough(), { timeout: 1000 });
    conn.setConnectState();
    expect(inspect(conn)).toBe("SocketConnection { side: 'client', state: 'before SSL initialization', timeout: 1000 }");
    expect(inspect(conn.makefile())).toBe('SocketFile { buffered: 0, eof: false }');
  });

  it('never throws, not for a forged object of any class', () => {
    for (const [exported, Class] of Object.entries(ssl)) {
      if (typeof Class !== 'function' || !/^class\b/.test(Function.prototype.toString.call(Class))) continue;
      const forged = Object.create((Class as { prototype: object }).prototype) as object;
      expect(() => inspect(forged), exported).not.toThrow();
    }
  });
});
