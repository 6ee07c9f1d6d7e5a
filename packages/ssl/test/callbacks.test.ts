// Every callback OpenSSL runs, against everything a callback can do wrong: throw an Error or any
// primitive, return a value of the wrong type or length, re-enter its Connection, or change its
// Context. The rule (native/src/common/callback_scope.h): no abort, the operation fails closed, and
// the very value the callback threw comes out of the call that ran it.
import { describe, expect, it } from 'vitest';
import { dumpPrivatekey, FILETYPE_PEM } from '@ossl/crypto';

import {
  Connection,
  Context,
  DTLS_METHOD,
  OP_NO_QUERY_MTU,
  Session,
  SSLError,
  TLS1_2_VERSION,
  TLS1_3_VERSION,
  TLS_METHOD,
  VERIFY_PEER,
  WantReadError,
} from '../src/index.js';
import { caught, handshake, makePki, pair, serverContext, tempFiles, type Pki } from './support/memory.js';

type Callback = (conn: Connection | null, ...args: unknown[]) => unknown;

/** One place where OpenSSL calls back: how to install a callback there and run what calls it. */
interface Site {
  name: string;
  /** Installs `cb`; `go()` runs the OpenSSL call that calls it; `finished()` says whether a handshake completed. */
  setup(cb: Callback): { go: () => void; finished: () => boolean };
  /** What a well-behaved callback returns, from the callback's arguments. */
  good(args: unknown[]): unknown;
  /** Results of the wrong type, and of a wrong length or value (refused with an error naming the callback). */
  wrongType: unknown[];
  wrongLength: unknown[];
  /** A call that re-enters the callback's own object. */
  reenter(conn: Connection | null, ctx: Context): unknown;
}

const pki: Pki = makePki();
const KEY = Buffer.alloc(32, 7);

function memoryHandshake(sctx: Context, cctx: Context, prep?: (client: Connection) => void) {
  const { client, server } = pair(cctx, sctx);
  prep?.(client);
  return { go: () => handshake(client, server), finished: () => client.isInitFinished() && server.isInitFinished(), client, server };
}

function pskContexts(): { sctx: Context; cctx: Context } {
  const sctx = serverContext(pki.server);
  const cctx = new Context(TLS_METHOD);
  for (const c of [sctx, cctx]) {
    c.setMaxProtoVersion(TLS1_2_VERSION);
    c.setCipherList('PSK');
  }
  return { sctx, cctx };
}

function dtls(install: (sctx: Context) => void) {
  const sctx = new Context(DTLS_METHOD);
  sctx.useCertificate(pki.server.cert);
  sctx.usePrivatekey(pki.server.key);
  sctx.setOptions(OP_NO_QUERY_MTU);
  install(sctx);
  const server = new Connection(sctx);
  server.setAcceptState();
  server.setCiphertextMtu(1400);
  const cctx = new Context(DTLS_METHOD);
  cctx.setOptions(OP_NO_QUERY_MTU);
  const client = new Connection(cctx);
  client.setConnectState();
  client.setCiphertextMtu(1400);
  return { sctx, server, client };
}

/** Runs DTLSv1Listen through the cookie exchange (both cookie callbacks run). */
function listen(server: Connection, client: Connection): void {
  for (let i = 0; i < 4; i++) {
    try {
      client.doHandshake();
    } catch (e) {
      if (!(e instanceof WantReadError)) throw e;
    }
    if (client.bioPending() > 0) server.bioWrite(client.bioRead(65536));
    try {
      server.DTLSv1Listen();
      return;
    } catch (e) {
      if (!(e instanceof WantReadError)) throw e;
    }
    if (server.bioPending() > 0) client.bioWrite(server.bioRead(65536));
  }
  throw new Error('no cookie exchange');
}

let session: Session | null = null;
/** A session from a finished TLS 1.3 handshake, to offer from where it must be refused. */
function savedSession(): Session {
  if (session === null) {
    const { client, server } = pair(new Context(TLS_METHOD), serverContext(pki.server));
    handshake(client, server);
    server.send('x');
    client.bioWrite(server.bioRead(65536));
    client.recv(1);
    session = client.getSession()!;
  }
  return session;
}

const encryptedKey = dumpPrivatekey(FILETYPE_PEM, pki.server.key, 'aes-128-cbc', 'pw');

const SITES: Site[] = [
  {
    name: 'verify (client)',
    setup(cb) {
      const cctx = new Context(TLS_METHOD);
      cctx.getCertStore().addCert(pki.ca.cert);
      cctx.setVerify(VERIFY_PEER, cb as never);
      return memoryHandshake(serverContext(pki.server), cctx);
    },
    good: () => true,
    wrongType: ['yes', {}, null, undefined],
    wrongLength: [],
    reenter: (conn) => conn!.doHandshake(),
  },
  {
    name: 'verify (server)',
    setup(cb) {
      const sctx = serverContext(pki.server);
      sctx.getCertStore().addCert(pki.ca.cert);
      sctx.setVerify(VERIFY_PEER, cb as never);
      const cctx = new Context(TLS_METHOD);
      cctx.useCertificate(pki.client.cert);
      cctx.usePrivatekey(pki.client.key);
      return memoryHandshake(sctx, cctx);
    },
    good: () => true,
    wrongType: [Buffer.from('1'), Symbol('x')],
    wrongLength: [],
    reenter: (conn) => conn!.setSession(savedSession()),
  },
  {
    name: 'SNI',
    setup(cb) {
      const sctx = serverContext(pki.server);
      sctx.setTlsextServernameCallback(cb as never);
      return memoryHandshake(sctx, new Context(TLS_METHOD), (c) => c.setTlsextHostName('localhost'));
    },
    good: () => undefined,
    wrongType: [],
    wrongLength: [],
    reenter: (conn) => conn!.doHandshake(),
  },
  {
    name: 'ALPN select',
    setup(cb) {
      const sctx = serverContext(pki.server);
      sctx.setAlpnSelectCallback(cb as never);
      const cctx = new Context(TLS_METHOD);
      cctx.setAlpnProtos(['h2', 'http/1.1']);
      return memoryHandshake(sctx, cctx);
    },
    good: (args) => (args[0] as Buffer[])[0],
    wrongType: [new Uint16Array([0x6832]), new Float32Array(1), new DataView(new ArrayBuffer(2)), {}, 42, true],
    wrongLength: ['', Buffer.alloc(256, 0x61), 'spdy/3'],
    reenter: (conn) => conn!.setAlpnProtos(['x']),
  },
  ...(['client', 'server'] as const).flatMap((side): Site[] => [
    {
      name: `info (${side})`,
      setup(cb) {
        const sctx = serverContext(pki.server);
        const cctx = new Context(TLS_METHOD);
        (side === 'client' ? cctx : sctx).setInfoCallback(cb as never);
        return memoryHandshake(sctx, cctx);
      },
      good: () => undefined,
      wrongType: [],
      wrongLength: [],
      reenter: (conn) => conn!.bioWrite(Buffer.alloc(16, 0x16)),
    },
    {
      name: `keylog (${side})`,
      setup(cb) {
        const sctx = serverContext(pki.server);
        const cctx = new Context(TLS_METHOD);
        (side === 'client' ? cctx : sctx).setKeylogCallback(cb as never);
        return memoryHandshake(sctx, cctx);
      },
      good: () => undefined,
      wrongType: [],
      wrongLength: [],
      reenter: (conn) => conn!.send('early'),
    },
  ]),
  {
    name: 'OCSP (server)',
    setup(cb) {
      const sctx = serverContext(pki.server);
      sctx.setOcspServerCallback(cb as never);
      const cctx = new Context(TLS_METHOD);
      cctx.setOcspClientCallback(() => true);
      return memoryHandshake(sctx, cctx, (c) => c.requestOcsp());
    },
    good: () => Buffer.from('response'),
    wrongType: [new Float64Array(2), {}, 42, 'text'.length],
    wrongLength: [],
    reenter: (conn) => conn!.setShutdown(3),
  },
  {
    name: 'OCSP (client)',
    setup(cb) {
      const sctx = serverContext(pki.server);
      sctx.setOcspServerCallback(() => Buffer.from('response'));
      const cctx = new Context(TLS_METHOD);
      cctx.setOcspClientCallback(cb as never);
      return memoryHandshake(sctx, cctx, (c) => c.requestOcsp());
    },
    good: () => true,
    wrongType: ['yes', 1, null, Buffer.from('ok')],
    wrongLength: [],
    reenter: (conn) => conn!.setTlsextHostName('again.test'),
  },
  {
    name: 'PSK (server)',
    setup(cb) {
      const { sctx, cctx } = pskContexts();
      sctx.setPskServerCallback(cb as never);
      cctx.setPskClientCallback(() => ['id', KEY]);
      return memoryHandshake(sctx, cctx);
    },
    good: () => KEY,
    wrongType: [new Uint16Array(8), {}, 42, [KEY]],
    wrongLength: [Buffer.alloc(0), Buffer.alloc(1000, 1)],
    reenter: (conn) => conn!.useCertificate(pki.client.cert),
  },
  {
    name: 'PSK (client)',
    setup(cb) {
      const { sctx, cctx } = pskContexts();
      sctx.setPskServerCallback(() => KEY);
      cctx.setPskClientCallback(cb as never);
      return memoryHandshake(sctx, cctx);
    },
    good: () => ['id', KEY],
    // null is not wrong: it offers no pre-shared key (tested below).
    wrongType: [42, 'id', ['id'], ['id', 5], [new Uint16Array(4), KEY], ['id', new Int8Array(8)]],
    wrongLength: [['i'.repeat(300), KEY], ['a\0b', KEY], ['id', Buffer.alloc(0)], ['id', Buffer.alloc(1000, 1)]],
    reenter: (conn) => conn!.setVerify(0),
  },
  {
    name: 'DTLS cookie generate',
    setup(cb) {
      const { server, client } = dtls((sctx) => {
        sctx.setCookieGenerateCallback(cb as never);
        sctx.setCookieVerifyCallback(() => true);
      });
      return { go: () => listen(server, client), finished: () => false };
    },
    good: () => Buffer.from('cookie'),
    wrongType: [new Uint16Array(4), {}, 42, null],
    wrongLength: [Buffer.alloc(0), Buffer.alloc(256, 1)],
    reenter: (conn) => conn!.DTLSv1Listen(),
  },
  {
    name: 'DTLS cookie verify',
    setup(cb) {
      const { server, client } = dtls((sctx) => {
        sctx.setCookieGenerateCallback(() => Buffer.from('cookie'));
        sctx.setCookieVerifyCallback(cb as never);
      });
      return { go: () => listen(server, client), finished: () => false };
    },
    good: () => true,
    wrongType: ['yes', 1, Buffer.from('cookie')],
    wrongLength: [],
    reenter: (conn) => conn!.bioRead(10),
  },
  {
    name: 'passphrase (Context.usePrivatekeyFile)',
    setup(cb) {
      const files = tempFiles({ 'key.pem': encryptedKey });
      const ctx = new Context(TLS_METHOD);
      ctx.setPasswdCb((maxLength, verify) => cb(null, maxLength, verify) as never);
      return {
        go: () => {
          try {
            ctx.usePrivatekeyFile(files.path('key.pem'));
          } finally {
            files.cleanup();
          }
        },
        finished: () => false,
      };
    },
    good: () => 'pw',
    wrongType: [new Uint16Array([1, 2]), new Int32Array(2), 42, {}, null, undefined],
    wrongLength: ['x'.repeat(5000)],
    reenter: () => {
      throw new Error('unused: a passphrase callback has no Connection');
    },
  },
];

/** Runs the site with `cb`; returns what the operation threw and whether a handshake completed. */
function runSite(site: Site, cb: Callback): { error: unknown; finished: boolean } {
  const { go, finished } = site.setup(cb);
  let error: unknown = undefined;
  let threw = false;
  try {
    go();
  } catch (e) {
    threw = true;
    error = e;
  }
  if (!threw) throw new Error(`${site.name}: the operation did not fail`);
  return { error, finished: finished() };
}

const THROWN: [string, () => unknown][] = [
  ['an Error', () => new Error('boom')],
  ['a string', () => 'bad peer'],
  ['a number', () => 42],
  ['undefined', () => undefined],
  ['null', () => null],
  ['a symbol', () => Symbol('cb')],
  ['an object', () => ({ tag: 'obj' })],
];

describe.each(SITES.map((s) => [s.name, s] as const))('the %s callback', (_name, site) => {
  it.each(THROWN)('fails closed and re-throws %s as is', (_label, make) => {
    const value = make();
    const { error, finished } = runSite(site, () => {
      throw value;
    });
    expect(Object.is(error, value)).toBe(true);
    expect(finished).toBe(false);
  });

  if (site.wrongType.length > 0) it('refuses results of the wrong type with an error naming the callback', () => {
    for (const bad of site.wrongType) {
      const { error, finished } = runSite(site, () => bad);
      expect(error, String(bad)).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/callback/);
      expect(finished).toBe(false);
    }
  });

  if (site.wrongLength.length > 0) it('refuses results of a wrong length or value', () => {
    for (const bad of site.wrongLength) {
      const { error, finished } = runSite(site, () => bad);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/callback|PSK|cookie|passphrase/);
      expect(finished).toBe(false);
    }
  });

  // A passphrase callback has no Connection; its Context is covered below.
  if (!site.name.startsWith('passphrase')) it('refuses re-entry into its Connection, and the call goes on when the callback does', () => {
    const refusals: unknown[] = [];
    let sawConn = false;
    const { go } = site.setup((conn, ...args) => {
      if (conn !== null && refusals.length === 0) {
        sawConn = true;
        try {
          site.reenter(conn, conn.getContext());
        } catch (e) {
          refusals.push(e);
        }
      }
      return site.good(args);
    });
    try {
      go();
    } catch (e) {
      // DTLS listening ends with the server's handshake still to run; the others complete.
      if (!site.name.startsWith('DTLS')) throw e;
    }
    expect(sawConn).toBe(true);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toBeInstanceOf(SSLError);
    expect(refusals[0]).toHaveProperty('code', 'ERR_SSL_REENTRANT_CALL');
  });

  if (!site.name.startsWith('passphrase')) it('refuses to change its Context from inside the callback', () => {
    const refusals: unknown[] = [];
    const ownContexts: Context[] = [];
    const { go } = site.setup((conn, ...args) => {
      if (refusals.length === 0) {
        const ctx = conn?.getContext() ?? null;
        const attempts: (() => void)[] = ctx
          ? [() => ctx.setCipherList('AES128-SHA'), () => ctx.setVerify(0), () => ctx.useCertificate(pki.client.cert), () => ctx.setInfoCallback(null)]
          : [];
        for (const attempt of attempts) {
          try {
            attempt();
            refusals.push('ALLOWED');
          } catch (e) {
            refusals.push(e);
          }
        }
        if (ctx) ownContexts.push(ctx);
      }
      return site.good(args);
    });
    try {
      go();
    } catch (e) {
      if (!site.name.startsWith('DTLS')) throw e;
    }
    expect(refusals).toHaveLength(4);
    for (const r of refusals) expect(r).toHaveProperty('code', 'ERR_SSL_REENTRANT_CALL');
    // Once OpenSSL has returned, the same Context can be changed again.
    ownContexts[0]!.setCipherList('AES128-SHA');
  });

  if (!site.name.startsWith('passphrase')) it('a re-entry the callback does not catch is what the operation throws', () => {
    const { error, finished } = runSite(site, (conn) => {
      if (conn) site.reenter(conn, conn.getContext());
      throw new Error('no Connection');
    });
    expect(error).toHaveProperty('code', 'ERR_SSL_REENTRANT_CALL');
    expect(finished).toBe(false);
  });
});

describe('after a callback failed', () => {
  it('the Connection refuses further I/O', () => {
    const sctx = serverContext(pki.server);
    const cctx = new Context(TLS_METHOD);
    cctx.setKeylogCallback(() => {
      throw new Error('keylog');
    });
    const { client, server } = pair(cctx, sctx);
    expect(() => handshake(client, server)).toThrow('keylog');
    for (const op of [() => client.doHandshake(), () => client.send('x'), () => client.recv(1), () => client.shutdown()]) {
      expect(op).toThrow(expect.objectContaining({ code: 'ERR_SSL_CALLBACK_FAILED' }));
    }
  });

  it('an info or keylog callback that throws leaves no bytes of that call for the peer', () => {
    for (const install of [(c: Context) => c.setKeylogCallback(() => { throw new Error('x'); }), (c: Context) => c.setInfoCallback(() => { throw new Error('x'); })]) {
      const sctx = serverContext(pki.server);
      install(sctx);
      const { client, server } = pair(new Context(TLS_METHOD), sctx);
      expect(() => client.doHandshake()).toThrow(WantReadError);
      server.bioWrite(client.bioRead(65536));
      expect(() => server.doHandshake()).toThrow('x');
      // The server's flight (ServerHello ... Finished) never reaches the client.
      expect(server.bioPending()).toBe(0);
      expect(client.isInitFinished()).toBe(false);
    }
  });

  it('a passphrase callback cannot change the Context that is loading the key', () => {
    const files = tempFiles({ 'key.pem': encryptedKey });
    try {
      const ctx = new Context(TLS_METHOD);
      let refusal: unknown = null;
      ctx.setPasswdCb(() => {
        try {
          ctx.usePrivatekeyFile(files.path('key.pem'));
        } catch (e) {
          refusal = e;
        }
        return 'pw';
      });
      ctx.usePrivatekeyFile(files.path('key.pem'));
      expect(refusal).toHaveProperty('code', 'ERR_SSL_REENTRANT_CALL');
      ctx.useCertificate(pki.server.cert);
      ctx.checkPrivatekey();
    } finally {
      files.cleanup();
    }
  });
});

describe('SNI callback', () => {
  it('may switch the Connection to another Context, whose callbacks then run', () => {
    const other = serverContext(pki.client);
    const seen: string[] = [];
    other.setAlpnSelectCallback((_c, offered) => {
      seen.push('other ALPN');
      return offered[0]!;
    });
    const sctx = serverContext(pki.server);
    sctx.setTlsextServernameCallback((conn) => {
      seen.push(`sni ${conn.getServername()}`);
      conn.setContext(other);
      // Still refused: the new Context is in use by this handshake now.
      expect(() => other.setCipherList('AES128-SHA')).toThrow(expect.objectContaining({ code: 'ERR_SSL_REENTRANT_CALL' }));
    });
    const cctx = new Context(TLS_METHOD);
    cctx.setAlpnProtos(['h2']);
    const { client, server } = pair(cctx, sctx);
    client.setTlsextHostName('client.test');
    handshake(client, server);
    expect(seen).toEqual(['sni client.test', 'other ALPN']);
    expect(client.getPeerCertificate()!.digest('sha256')).toBe(pki.client.cert.digest('sha256'));
    expect(server.getContext()).toBe(other);
    other.setCipherList('AES128-SHA');
  });
});

describe('sessions and verification verdicts', () => {
  it('a deferred verdict is kept in the session and comes back on resumption', () => {
    const sctx = serverContext(pki.server);
    for (const trusted of [false, true]) {
      const cctx = new Context(TLS_METHOD);
      if (trusted) cctx.getCertStore().addCert(pki.ca.cert);
      cctx.setVerifyDeferred(VERIFY_PEER);
      const first = pair(cctx, sctx);
      handshake(first.client, first.server);
      expect(first.client.getVerifyResult() === 0).toBe(trusted);
      first.server.send('x');
      first.client.bioWrite(first.server.bioRead(65536));
      first.client.recv(1); // reads the TLS 1.3 tickets too
      const again = pair(cctx, sctx);
      again.client.setSession(first.client.getSession()!);
      handshake(again.client, again.server);
      expect(again.client.sessionReused()).toBe(true);
      expect(again.client.getVerifyResult()).toBe(first.client.getVerifyResult());
      expect(again.client.getVerifyError()?.code ?? null).toBe(trusted ? null : 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    }
  });

  it('setVerifyDeferred refuses a mode of the wrong type', () => {
    expect(() => new Context(TLS_METHOD).setVerifyDeferred('peer' as never)).toThrow(TypeError);
    const conn = new Connection(new Context(TLS_METHOD));
    expect(() => conn.setVerifyDeferred(undefined as never)).toThrow(TypeError);
    expect(conn.getVerifyError()).toBeNull();
  });
});

describe('the new-session callback', () => {
  /** A client that has finished its handshake with `version` and reads what the server sent next. */
  function clientAfterHandshake(version: number, cb: (conn: Connection, session: Session) => unknown) {
    const sctx = serverContext(pki.server);
    sctx.setMaxProtoVersion(version);
    const cctx = new Context(TLS_METHOD);
    cctx.setNewSessionCallback(cb as never);
    const { client, server } = pair(cctx, sctx);
    return {
      client,
      run: () => {
        handshake(client, server);
        server.send('x');
        client.bioWrite(server.bioRead(65536));
        return client.recv(10);
      },
    };
  }

  it('gets each session a client can resume: one with TLS 1.2, each ticket with TLS 1.3', () => {
    for (const [version, count] of [[TLS1_2_VERSION, 1], [TLS1_3_VERSION, 2]] as const) {
      const sessions: Session[] = [];
      const { run } = clientAfterHandshake(version, (_conn, s) => sessions.push(s));
      expect(run().toString()).toBe('x');
      expect(sessions).toHaveLength(count);
      for (const s of sessions) {
        expect(s).toBeInstanceOf(Session);
        expect(s.getProtocolVersion()).toBe(version);
        expect(s.isResumable()).toBe(true);
      }
    }
  });

  it.each(THROWN)('re-throws %s from the call that ran it, and the Connection then refuses I/O', (_label, make) => {
    const value = make();
    const { client, run } = clientAfterHandshake(TLS1_3_VERSION, () => {
      throw value;
    });
    expect(Object.is(caught(run), value)).toBe(true);
    expect(caught(() => client.recv(10))).toHaveProperty('code', 'ERR_SSL_CALLBACK_FAILED');
  });

  it('refuses re-entry into its Connection and changes to its Context', () => {
    const refusals: unknown[] = [];
    const { run } = clientAfterHandshake(TLS1_3_VERSION, (conn) => {
      for (const attempt of [() => conn.send('y'), () => conn.getContext().setCipherList('AES128-SHA')]) {
        try {
          attempt();
          refusals.push('ALLOWED');
        } catch (e) {
          refusals.push((e as { code?: string }).code);
        }
      }
    });
    expect(run().toString()).toBe('x');
    expect(new Set(refusals)).toEqual(new Set(['ERR_SSL_REENTRANT_CALL']));
  });

  it('takes a function or null, nothing else', () => {
    const ctx = new Context(TLS_METHOD);
    expect(() => ctx.setNewSessionCallback('no' as never)).toThrow(TypeError);
    ctx.setNewSessionCallback(null);
  });
});

describe('the PSK (client) callback answering null', () => {
  it('offers no pre-shared key: a PSK-only handshake fails with OpenSSL\'s error, not a TypeError', () => {
    const { sctx, cctx } = pskContexts();
    sctx.setPskServerCallback(() => KEY);
    let calls = 0;
    cctx.setPskClientCallback(() => {
      calls++;
      return null;
    });
    const { go, finished } = memoryHandshake(sctx, cctx);
    let error: unknown = null;
    try {
      go();
    } catch (e) {
      error = e;
    }
    expect(calls).toBe(1);
    expect(error).toBeInstanceOf(SSLError);
    expect(error).not.toBeInstanceOf(TypeError);
    expect(finished()).toBe(false);
  });
});
