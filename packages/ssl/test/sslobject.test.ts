// Python's memory layer (MemoryBIO, SSLObject, Context.wrapBio) held to CPython: the same sequence of
// calls runs in CPython's ssl module (support/sslobject_sequence.py) and here, and every step must
// answer alike: the value (or its length), the exception's class, and which MemoryBIOs hold bytes.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumpCertificate, dumpPrivatekey, FILETYPE_PEM } from '@ossl/crypto';

import {
  CertificateVerifyError,
  CHANNEL_BINDING_TYPES,
  Context,
  createDefaultContext,
  MemoryBIO,
  OP_IGNORE_UNEXPECTED_EOF,
  Session,
  SSLCertVerificationError,
  SSLEOFError,
  SSLError,
  SSLObject,
  SSLWantReadError,
  SSLZeroReturnError,
  SysCallError,
  TLS1_2_VERSION,
  TLS_SERVER_METHOD,
  WantReadError,
  ZeroReturnError,
} from '../src/index.js';
import { makeIdentity, makePki, tempFiles } from './support/memory.js';

type Step = [string, [string, unknown], number[]];

/** The class name CPython raises for what ossl threw. */
function pythonName(e: unknown): string {
  if (e instanceof SSLEOFError) return 'SSLEOFError';
  if (e instanceof WantReadError) return 'SSLWantReadError';
  if (e instanceof ZeroReturnError) return 'SSLZeroReturnError';
  if (e instanceof CertificateVerifyError) return 'SSLCertVerificationError';
  if (e instanceof SysCallError) return 'SSLSyscallError';
  if (e instanceof SSLError) return 'SSLError';
  if (e instanceof RangeError) return 'ValueError';
  if (e instanceof TypeError) return 'TypeError';
  throw e;
}

/** A value as the Python script writes it (bytes by length, dictionaries by their keys). */
function describe_(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return { bytes: value.length };
  if (Array.isArray(value)) return value.map(describe_);
  if (value instanceof SSLObject || value instanceof Session) return { object: value.constructor.name };
  if (value !== null && typeof value === 'object') return { dict: Object.keys(value).sort() };
  return value === undefined ? null : value;
}

function runOurs(files: { path: (n: string) => string }, version: '1.2' | '1.3'): Step[] {
  const trace: Step[] = [];
  const step = (label: string, fn: () => unknown, bios: MemoryBIO[]): void => {
    let result: [string, unknown];
    try {
      result = ['ok', describe_(fn())];
    } catch (e) {
      result = ['raise', pythonName(e)];
    }
    trace.push([label, result, bios.map((b) => b.pending)]);
  };
  const clientContext = (ignoreEof = false): Context => {
    const ctx = createDefaultContext({ cafile: files.path('ca.pem') });
    if (version === '1.2') ctx.setMaxProtoVersion(TLS1_2_VERSION);
    if (ignoreEof) ctx.setOptions(OP_IGNORE_UNEXPECTED_EOF);
    return ctx;
  };
  const serverContext = (): Context => {
    const ctx = new Context(TLS_SERVER_METHOD);
    ctx.useCertificateFile(files.path('server.pem'));
    ctx.usePrivatekeyFile(files.path('server.key'));
    return ctx;
  };
  const newPair = (hostname = 'localhost', ignoreEof = false) => {
    const bios = [new MemoryBIO(), new MemoryBIO(), new MemoryBIO(), new MemoryBIO()] as const;
    const client = clientContext(ignoreEof).wrapBio(bios[0], bios[1], { serverHostname: hostname });
    const server = serverContext().wrapBio(bios[2], bios[3], true);
    return { client, server, bios };
  };

  let { client, server, bios } = newPair();
  let [cIn, cOut, sIn, sOut] = bios;
  const all = (): MemoryBIO[] => [cIn, cOut, sIn, sOut];
  step('client.do_handshake', () => client.doHandshake(), all());
  step('client.read before', () => client.read(), all());
  step('client.getpeercert before', () => client.getpeercert(), all());
  step('client.version before', () => client.version(), all());
  step('client.cipher before', () => client.cipher() === null, all());
  step('client.get_channel_binding before', () => client.getChannelBinding(), all());
  step('to server', () => sIn.write(cOut.read()) > 0, all());
  step('server.do_handshake', () => server.doHandshake(), all());
  step('to client', () => cIn.write(sOut.read()) > 0, all());
  step('client.do_handshake 2', () => client.doHandshake(), all());
  step('client.version', () => client.version(), all());
  step('client.cipher', () => client.cipher()!.slice(1), all());
  step('client.getpeercert', () => client.getpeercert(), all());
  step('client.getpeercert binary', () => client.getpeercert(true), all());
  step('client.selected_alpn_protocol', () => client.selectedAlpnProtocol(), all());
  step('client.compression', () => client.compression(), all());
  step('client.get_channel_binding', () => client.getChannelBinding(), all());
  step('client.get_channel_binding bad', () => client.getChannelBinding('tls-server-end-point'), all());
  step('to server 2', () => sIn.write(cOut.read()) > 0, all());
  step('server.do_handshake 2', () => server.doHandshake(), all());
  step('server.getpeercert', () => server.getpeercert(), all());
  step('server.shared_ciphers nonempty', () => server.sharedCiphers()!.length > 0, all());
  step('server.get_channel_binding equal', () => server.getChannelBinding()!.equals(client.getChannelBinding()!), all());
  step('client.write', () => client.write(Buffer.from('hello')), all());
  step('to server 3', () => sIn.write(cOut.read()) > 0, all());
  step('server.read', () => server.read(1024), all());
  step('server.read again', () => server.read(1024), all());
  step('to client 2', () => cIn.write(sOut.read()) > 0, all());
  step('client.read tickets', () => client.read(), all());
  step('client.session', () => client.session !== null, all());
  step('client.session_reused', () => client.sessionReused, all());
  step('server.write big', () => server.write(Buffer.alloc(20000, 'x')), all());
  step('to client 3', () => cIn.write(sOut.read()) > 0, all());
  step('client.read 16384', () => client.read(16384), all());
  step('client.pending', () => client.pending(), all());
  step('client.read rest', () => client.read(100000), all());
  const buf = Buffer.alloc(10);
  step('client.read empty into', () => client.read(5, buf), all());
  step('client.read negative', () => client.read(-1), all());
  step('client.read zero', () => client.read(0), all());
  step('server.write 3', () => server.write(Buffer.from('abc')), all());
  step('to client 4', () => cIn.write(sOut.read()) > 0, all());
  step('client.read into', () => client.read(5, buf), all());
  step('client.unwrap', () => client.unwrap(), all());
  step('to server 4', () => sIn.write(cOut.read()) > 0, all());
  step('server.read close', () => server.read(), all());
  step('server.read close again', () => server.read(), all());
  step('server.unwrap', () => server.unwrap(), all());
  step('to client 5', () => cIn.write(sOut.read()) > 0, all());
  step('client.unwrap 2', () => client.unwrap(), all());
  step('client.read after unwrap', () => client.read(), all());

  for (const ignoreEof of [false, true]) {
    ({ client, server, bios } = newPair('localhost', ignoreEof));
    [cIn, cOut, sIn, sOut] = bios;
    for (let i = 0; i < 3; i++) {
      for (const side of [client, server]) {
        try {
          side.doHandshake();
        } catch (e) {
          if (!(e instanceof SSLWantReadError)) throw e;
        }
      }
      sIn.write(cOut.read());
      cIn.write(sOut.read());
    }
    const tag = ignoreEof ? 'eof ignored' : 'eof';
    step(`${tag}: client.read`, () => client.read(), all());
    step(`${tag}: write_eof`, () => cIn.writeEof(), all());
    step(`${tag}: c_in.eof`, () => cIn.eof, all());
    step(`${tag}: client.read after`, () => client.read(), all());
  }

  ({ client, server, bios } = newPair('wrong.example'));
  [cIn, cOut, sIn, sOut] = bios;
  step('mismatch: client.do_handshake', () => client.doHandshake(), all());
  step('mismatch: to server', () => sIn.write(cOut.read()) > 0, all());
  step('mismatch: server.do_handshake', () => server.doHandshake(), all());
  step('mismatch: to client', () => cIn.write(sOut.read()) > 0, all());
  step('mismatch: client.do_handshake 2', () => client.doHandshake(), all());

  const b = new MemoryBIO();
  step('bio.write', () => b.write(Buffer.from('abcdef')), [b]);
  step('bio.read 2', () => b.read(2), [b]);
  step('bio.eof', () => b.eof, [b]);
  step('bio.write_eof', () => b.writeEof(), [b]);
  step('bio.eof after write_eof', () => b.eof, [b]);
  step('bio.write after eof', () => b.write(Buffer.from('x')), [b]);
  step('bio.read all', () => b.read(), [b]);
  step('bio.eof drained', () => b.eof, [b]);
  step('bio.read empty', () => b.read(), [b]);

  step('wrap_bio server with hostname', () => serverContext().wrapBio(new MemoryBIO(), new MemoryBIO(), { serverSide: true, serverHostname: 'x' }), []);
  step('wrap_bio check_hostname without hostname', () => clientContext().wrapBio(new MemoryBIO(), new MemoryBIO()), []);
  return trace;
}

/** Which MemoryBIOs hold bytes: the counts themselves differ with each side's ClientHello. */
const shape = (trace: Step[]) => trace.map(([label, result, pending]) => [label, result, pending.map((n) => n > 0)]);

describe('MemoryBIO and SSLObject answer as CPython', () => {
  for (const version of ['1.3', '1.2'] as const) {
    it(`runs CPython's sequence alike over TLS ${version}`, () => {
      const pki = makePki();
      const files = tempFiles({
        'ca.pem': dumpCertificate(FILETYPE_PEM, pki.ca.cert),
        'server.pem': dumpCertificate(FILETYPE_PEM, pki.server.cert),
        'server.key': dumpPrivatekey(FILETYPE_PEM, pki.server.key),
      });
      try {
        const script = join(__dirname, 'support', 'sslobject_sequence.py');
        const r = spawnSync('/usr/bin/python3', [script, files.path('ca.pem'), files.path('server.pem'), files.path('server.key'), version], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`CPython failed: ${r.stderr}`);
        const theirs = JSON.parse(r.stdout) as Step[];
        const ours = runOurs(files, version);
        expect(ours.map((s) => s[0])).toEqual(theirs.map((s) => s[0]));
        for (let i = 0; i < theirs.length; i++) {
          const expected = theirs[i]!;
          // CPython 3.11.2 (Debian's) raises its base SSLError for an EOF without close_notify; later
          // CPython releases raise SSLEOFError, as its documentation says and ossl does (a subclass
          // of SSLError, so either catch works).
          if (expected[0] === 'eof: client.read after' && ours[i]![1][1] === 'SSLEOFError' && expected[1][1] === 'SSLError') expected[1][1] = 'SSLEOFError';
          expect(shape([ours[i]!])[0], expected[0]).toEqual(shape([expected])[0]);
        }
        // Where the sizes do not depend on the ClientHello, they are the same bytes.
        const at = (trace: Step[], label: string) => trace.find((s) => s[0] === label)!;
        for (const label of ['client.read 16384', 'client.read rest', 'bio.read 2', 'bio.read all']) expect(at(ours, label)).toEqual(at(theirs, label));
      } finally {
        files.cleanup();
      }
    });
  }
});

describe('SSLObject beyond the CPython sequence', () => {
  function pair(clientOptions: Parameters<Context['wrapBio']>[2] = { serverHostname: 'localhost' }, setUp: (sctx: Context) => void = () => undefined) {
    const pki = makePki();
    const cctx = createDefaultContext({ cadata: dumpCertificate(FILETYPE_PEM, pki.ca.cert) });
    const sctx = new Context(TLS_SERVER_METHOD);
    sctx.useCertificate(pki.server.cert);
    sctx.usePrivatekey(pki.server.key);
    setUp(sctx);
    const [cIn, cOut, sIn, sOut] = [new MemoryBIO(), new MemoryBIO(), new MemoryBIO(), new MemoryBIO()];
    const client = cctx.wrapBio(cIn, cOut, clientOptions);
    const server = sctx.wrapBio(sIn, sOut, true);
    const pump = (): void => {
      for (let i = 0; i < 10; i++) {
        for (const side of [client, server]) {
          try {
            side.doHandshake();
          } catch (e) {
            if (!(e instanceof SSLWantReadError)) throw e;
          }
        }
        if (cOut.pending === 0 && sOut.pending === 0) return;
        sIn.write(cOut.read());
        cIn.write(sOut.read());
      }
    };
    return { pki, cctx, sctx, client, server, pump, cIn, cOut, sIn, sOut };
  }

  it('gives tls-exporter channel bindings equal on both sides, and CHANNEL_BINDING_TYPES lists both', () => {
    const p = pair();
    p.pump();
    expect(CHANNEL_BINDING_TYPES).toEqual(['tls-unique', 'tls-exporter']);
    const c = p.client.getChannelBinding('tls-exporter')!;
    expect(c).toHaveLength(32);
    expect(c.equals(p.server.getChannelBinding('tls-exporter')!)).toBe(true);
    expect(c.equals(p.client.getChannelBinding('tls-unique')!)).toBe(false);
    expect(p.client.group()).toMatch(/x25519|p-256|prime256v1|mlkem/i);
    // The server signed with its P-256 key; the client sent no certificate and signed nothing.
    expect(p.client.serverSigalg()).toBe('ECDSA+SHA256');
    expect(p.server.serverSigalg()).toBe('ECDSA+SHA256');
    expect(p.client.clientSigalg()).toBeNull();
    expect(p.server.clientSigalg()).toBeNull();
  });

  it('shares ciphers only on the server: the ones the client offered and the server allows', () => {
    const p = pair();
    p.pump();
    expect(p.client.sharedCiphers()).toBeNull();
    const shared = p.server.sharedCiphers()!;
    expect(shared.length).toBeGreaterThan(0);
    for (const [name, proto, bits] of shared) {
      expect(typeof name).toBe('string');
      expect(proto).toMatch(/^(TLSv1(\.[0-3])?|SSLv3)$/);
      expect(bits).toBeGreaterThanOrEqual(128);
    }
    // A server limited to one TLS 1.2 suite shares that one and no other TLS 1.2 suite.
    const q = pair({ serverHostname: 'localhost' }, (sctx) => sctx.setCipherList('ECDHE-ECDSA-AES128-GCM-SHA256'));
    expect(q.server.sharedCiphers()).toBeNull(); // before the ClientHello
    q.pump();
    const tls12 = q.server.sharedCiphers()!.filter(([, proto]) => proto !== 'TLSv1.3');
    expect(tls12).toEqual([['ECDHE-ECDSA-AES128-GCM-SHA256', 'TLSv1.2', 128]]);
  });

  it('resumes a session given to wrapBio', () => {
    const p = pair();
    p.pump();
    p.client.write(Buffer.from('x'));
    p.sIn.write(p.cOut.read());
    p.server.read();
    p.cIn.write(p.sOut.read());
    expect(() => p.client.read()).toThrow(SSLWantReadError);
    const session = p.client.session!;
    expect(session).toBeInstanceOf(Session);
    const [cIn, cOut, sIn, sOut] = [new MemoryBIO(), new MemoryBIO(), new MemoryBIO(), new MemoryBIO()];
    const client = p.cctx.wrapBio(cIn, cOut, false, 'localhost', session);
    const server = p.sctx.wrapBio(sIn, sOut, true);
    for (let i = 0; i < 5; i++) {
      for (const side of [client, server]) {
        try {
          side.doHandshake();
        } catch (e) {
          if (!(e instanceof SSLWantReadError)) throw e;
        }
      }
      sIn.write(cOut.read());
      cIn.write(sOut.read());
    }
    expect(client.sessionReused).toBe(true);
    expect(server.sessionReused).toBe(true);
  });

  it('names its errors as Python does', () => {
    expect(SSLWantReadError).toBe(WantReadError);
    expect(SSLZeroReturnError).toBe(ZeroReturnError);
    expect(SSLCertVerificationError).toBe(CertificateVerifyError);
    expect(new SSLEOFError()).toBeInstanceOf(SysCallError);
    expect(new SSLEOFError().errno).toBe(-1);
  });

  it('refuses bad arguments', () => {
    const ctx = createDefaultContext();
    const bio = new MemoryBIO();
    expect(() => ctx.wrapBio({} as never, bio)).toThrow(TypeError);
    expect(() => ctx.wrapBio(bio, 'x' as never)).toThrow(TypeError);
    expect(() => ctx.wrapBio(bio, bio, { serverHostname: 'a' })).toThrow(RangeError); // one BIO both ways
    expect(() => ctx.wrapBio(new MemoryBIO(), new MemoryBIO(), { serverSide: 'yes' as never })).toThrow(TypeError);
    expect(() => ctx.wrapBio(new MemoryBIO(), new MemoryBIO(), { serverHostname: 5 as never })).toThrow(TypeError);
    expect(() => ctx.wrapBio(new MemoryBIO(), new MemoryBIO(), { serverHostname: 'a', session: {} as never })).toThrow(TypeError);
    expect(() => new (SSLObject as unknown as new () => SSLObject)()).toThrow(/does not have a public constructor/);
    expect(() => bio.write('text' as never)).toThrow(TypeError);
    expect(() => bio.read('1' as never)).toThrow(TypeError);
    const obj = ctx.wrapBio(new MemoryBIO(), new MemoryBIO(), false, 'localhost');
    expect(() => obj.read(1.5)).toThrow(RangeError);
    expect(() => obj.read(5, 'buf' as never)).toThrow(TypeError);
    expect(() => obj.write('text' as never)).toThrow(TypeError);
    expect(() => obj.getpeercert('yes' as never)).toThrow(TypeError);
    expect(() => obj.getChannelBinding('tls-server-end-point')).toThrow(RangeError);
    // Options are read from own properties only.
    const inherited = Object.create({ serverSide: true }) as { serverSide?: boolean };
    expect(ctx.wrapBio(new MemoryBIO(), new MemoryBIO(), inherited).serverSide).toBe(false);
  });

  it('Context reports its store, sessions and verify flags as Python does', () => {
    const p = pair();
    expect(p.cctx.certStoreStats()).toEqual({ x509: 1, crl: 0, x509_ca: 1 });
    const [dict] = p.cctx.getCaCerts();
    expect(dict!.subject).toEqual([[['countryName', 'US']], [['organizationName', 'ossl tests']], [['commonName', 'ossl test CA']]]);
    expect(p.cctx.getCaCerts(true)[0]).toEqual(dumpCertificate(2, p.pki.ca.cert));
    // A leaf added to the store counts as a certificate, not a CA.
    p.cctx.getCertStore().addCert(makeIdentity({ cn: 'leaf', issuer: p.pki.ca }).cert);
    expect(p.cctx.certStoreStats()).toEqual({ x509: 2, crl: 0, x509_ca: 1 });
    p.pump();
    const stats = p.sctx.sessionStats();
    expect(stats.accept).toBe(1);
    expect(stats.accept_good).toBe(1);
    expect(p.cctx.sessionStats().connect_good).toBe(1);
    expect(Object.keys(stats).sort()).toEqual(['accept', 'accept_good', 'accept_renegotiate', 'cache_full', 'connect', 'connect_good', 'connect_renegotiate', 'hits', 'misses', 'number', 'timeouts']);
    const flags = p.cctx.verifyFlags;
    p.cctx.verifyFlags = 0x20; // VERIFY_X509_STRICT
    expect(p.cctx.verifyFlags).toBe(0x20);
    p.cctx.verifyFlags = flags;
    expect(p.cctx.verifyFlags).toBe(flags);
    expect(() => {
      p.cctx.verifyFlags = -1;
    }).toThrow(RangeError);
    expect(() => {
      p.cctx.verifyFlags = 'x' as never;
    }).toThrow(TypeError);
  });
});
