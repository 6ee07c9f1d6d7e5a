// OCSP stapling in memory: a server staples an OCSPResponse built with @ossl/crypto (or its DER), and
// a client with Context.requireOcspStaple checks it during the handshake, over TLS 1.3 and TLS 1.2.
// Each failure is checked on both sides: the client's error, and the alert that fails the server.
import { afterEach, describe, expect, it } from 'vitest';
import { dumpCertificate, FILETYPE_PEM, OCSPResponse, X509Extension, type OCSPStatusSpec } from '@ossl/crypto';

import {
  CertificateVerifyError,
  Connection,
  Context,
  SSLError,
  TLS1_2_VERSION,
  TLS_METHOD,
  VERIFY_PEER,
  WantReadError,
} from '../src/index.js';
import { caught, handshake, makeIdentity, makePki, pair, pump, serverContext, tempFiles, type Identity, type Pki } from './support/memory.js';

const pki: Pki = makePki();
/** An unrelated CA (and its own server), which has no say on pki's certificates. */
const other: Pki = makePki();

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Whole seconds: ASN.1 times have no fractions, so dates read back compare equal. */
function secondsFromNow(seconds: number): Date {
  return new Date((Math.floor(Date.now() / 1000) + seconds) * 1000);
}

type Extra = Partial<Pick<OCSPStatusSpec, 'revocationTime' | 'revocationReason' | 'thisUpdate' | 'nextUpdate'>>;

/** A response about pki.server's certificate, signed by pki.ca unless `signer` says otherwise. */
function stapleFor(status: 'good' | 'revoked' | 'unknown', extra: Extra = {}, signer: Identity = pki.ca, about: Identity = pki.server): OCSPResponse {
  return OCSPResponse.build({
    responses: [{ cert: about.cert, issuer: pki.ca.cert, status, ...extra }],
    signer: signer.cert,
    key: signer.key,
  });
}

/** A delegated OCSP responder issued by `issuer`, with the OCSPSigning usage unless `eku` is false. */
function responder(issuer: Identity, eku = true): Identity {
  return makeIdentity({
    cn: 'ossl test OCSP responder',
    issuer,
    extraExtensions: () => (eku ? [new X509Extension('extendedKeyUsage', false, 'OCSPSigning')] : []),
  });
}

type ServerAnswer = Buffer | OCSPResponse | null;

interface Versioned {
  label: string;
  /** The maximum protocol version to set on both sides, or null for the default (TLS 1.3). */
  max: number | null;
  name: string;
}
const VERSIONS: Versioned[] = [
  { label: 'TLS 1.3', max: null, name: 'TLSv1.3' },
  { label: 'TLS 1.2', max: TLS1_2_VERSION, name: 'TLSv1.2' },
];

/** A server Context for pki.server whose OCSP callback answers with `answer()`; `calls` counts its calls. */
function staplingServer(v: Versioned, answer: (conn: Connection) => ServerAnswer) {
  const ctx = serverContext(pki.server);
  if (v.max !== null) ctx.setMaxProtoVersion(v.max);
  const calls: Connection[] = [];
  ctx.setOcspServerCallback((conn) => {
    calls.push(conn);
    return answer(conn);
  });
  return { ctx, calls };
}

/** A client Context that trusts pki.ca, verifies the server, and (unless `options` is false) requires a staple. */
function strictClient(v: Versioned, options?: Parameters<Context['requireOcspStaple']>[0] | false): Context {
  const ctx = new Context(TLS_METHOD);
  if (v.max !== null) ctx.setMaxProtoVersion(v.max);
  ctx.getCertStore().addCert(pki.ca.cert);
  ctx.setVerify(VERIFY_PEER);
  if (options !== false) ctx.requireOcspStaple(options);
  return ctx;
}

/** Runs a handshake; returns both Connections and what it threw (undefined when it finished). */
function attempt(cctx: Context, sctx: Context, prep?: (client: Connection) => void) {
  const { client, server } = pair(cctx, sctx);
  prep?.(client);
  let error: unknown = undefined;
  try {
    handshake(client, server);
  } catch (e) {
    error = e;
  }
  return { client, server, error };
}

/**
 * After the client failed the handshake: its alert reaches the server, whose doHandshake then fails
 * (rather than waiting for more). Returns the server's error.
 */
function serverSeesAlert(client: Connection, server: Connection): SSLError {
  expect(client.bioPending(), 'the client wrote an alert').toBeGreaterThan(0);
  pump(client, server);
  const e = caught(() => server.doHandshake());
  expect(e).toBeInstanceOf(SSLError);
  expect(e).not.toBeInstanceOf(WantReadError);
  expect(server.isInitFinished()).toBe(false);
  return e as SSLError;
}

/** Expects the handshake to have failed on the client with SSLError `code`, and the server to have been told. */
function expectStapleFailure(r: ReturnType<typeof attempt>, code: string, message?: RegExp): SSLError {
  expect(r.error).toBeInstanceOf(SSLError);
  const e = r.error as SSLError;
  expect(e.code).toBe(code);
  if (message) expect(e.message).toMatch(message);
  expect(r.client.isInitFinished()).toBe(false);
  const serverError = serverSeesAlert(r.client, r.server);
  expect(serverError.errors.map((x) => x.reason).join()).toMatch(/bad certificate status response/);
  return e;
}

describe.each(VERSIONS.map((v) => [v.label, v] as const))('requireOcspStaple over %s', (_label, v) => {
  it('passes with a good staple returned as an OCSPResponse', () => {
    const staple = stapleFor('good');
    const { ctx, calls } = staplingServer(v, () => staple);
    const r = attempt(strictClient(v), ctx);
    expect(r.error).toBeUndefined();
    expect(r.client.isInitFinished()).toBe(true);
    expect(r.server.isInitFinished()).toBe(true);
    expect(r.client.getProtocolVersionName()).toBe(v.name);
    expect(calls).toHaveLength(1);
    expect(r.server.ocspRequested()).toBe(true);
    // Application data flows after the check.
    r.client.send('after the staple');
    r.server.bioWrite(r.client.bioRead(65536));
    expect(r.server.recv(100).toString()).toBe('after the staple');
  });

  it('passes with a good staple returned as DER', () => {
    const der = stapleFor('good').toDER();
    const { ctx, calls } = staplingServer(v, () => der);
    const r = attempt(strictClient(v), ctx);
    expect(r.error).toBeUndefined();
    expect(r.client.isInitFinished()).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('passes with a CA read by loadVerifyLocations', () => {
    const files = tempFiles({ 'ca.pem': dumpCertificate(FILETYPE_PEM, pki.ca.cert) });
    cleanups.push(files.cleanup);
    const cctx = new Context(TLS_METHOD);
    if (v.max !== null) cctx.setMaxProtoVersion(v.max);
    cctx.loadVerifyLocations(files.path('ca.pem'));
    cctx.setVerify(VERIFY_PEER);
    cctx.requireOcspStaple();
    const staple = stapleFor('good');
    const r = attempt(cctx, staplingServer(v, () => staple).ctx);
    expect(r.error).toBeUndefined();
    expect(r.client.isInitFinished()).toBe(true);
  });

  it('fails a revoked certificate with CertificateVerifyError CERT_REVOKED, naming the reason and time', () => {
    const revokedAt = secondsFromNow(-7200);
    const staple = stapleFor('revoked', { revocationTime: revokedAt, revocationReason: 'keyCompromise' });
    const r = attempt(strictClient(v), staplingServer(v, () => staple).ctx);
    expect(r.error).toBeInstanceOf(CertificateVerifyError);
    const e = r.error as CertificateVerifyError;
    expect(e.code).toBe('CERT_REVOKED');
    expect(e.verifyCode).toBe(23);
    expect(e.message).toContain('keyCompromise');
    expect(e.message).toContain(revokedAt.toISOString());
    expect(r.client.isInitFinished()).toBe(false);
    // The verdict is the Connection's as well, as a revoked CRL entry's would be.
    expect(r.client.getVerifyResult()).toBe(23);
    expect(r.client.getVerifyError()!.code).toBe('CERT_REVOKED');
    serverSeesAlert(r.client, r.server);
  });

  it('fails a revoked certificate with no reason given', () => {
    const staple = stapleFor('revoked', { revocationTime: secondsFromNow(-60) });
    const r = attempt(strictClient(v), staplingServer(v, () => staple).ctx);
    expect(r.error).toBeInstanceOf(CertificateVerifyError);
    expect((r.error as CertificateVerifyError).code).toBe('CERT_REVOKED');
    expect((r.error as Error).message).not.toMatch(/\(/);
  });

  it('fails an unknown status with ERR_OCSP_STATUS_UNKNOWN', () => {
    const staple = stapleFor('unknown');
    const e = expectStapleFailure(attempt(strictClient(v), staplingServer(v, () => staple).ctx), 'ERR_OCSP_STATUS_UNKNOWN');
    expect(e).not.toBeInstanceOf(CertificateVerifyError);
  });

  it('fails when the server staples nothing (null), with ERR_OCSP_STAPLE_MISSING', () => {
    const { ctx, calls } = staplingServer(v, () => null);
    expectStapleFailure(attempt(strictClient(v), ctx), 'ERR_OCSP_STAPLE_MISSING');
    expect(calls).toHaveLength(1);
  });

  it('fails when the server has no OCSP callback at all, and an empty Buffer counts as none', () => {
    const plain = serverContext(pki.server);
    if (v.max !== null) plain.setMaxProtoVersion(v.max);
    expectStapleFailure(attempt(strictClient(v), plain), 'ERR_OCSP_STAPLE_MISSING');
    expectStapleFailure(attempt(strictClient(v), staplingServer(v, () => Buffer.alloc(0)).ctx), 'ERR_OCSP_STAPLE_MISSING');
  });

  it('with required: false, passes without a staple but still checks one that is stapled', () => {
    const none = attempt(strictClient(v, { required: false }), staplingServer(v, () => null).ctx);
    expect(none.error).toBeUndefined();
    expect(none.client.isInitFinished()).toBe(true);
    const revoked = stapleFor('revoked', { revocationTime: secondsFromNow(-60) });
    const r = attempt(strictClient(v, { required: false }), staplingServer(v, () => revoked).ctx);
    expect(r.error).toBeInstanceOf(CertificateVerifyError);
    expect((r.error as CertificateVerifyError).code).toBe('CERT_REVOKED');
  });

  it('fails a staple signed by an unrelated CA with ERR_OCSP_STAPLE_INVALID', () => {
    const staple = stapleFor('good', {}, other.ca);
    expectStapleFailure(attempt(strictClient(v), staplingServer(v, () => staple).ctx), 'ERR_OCSP_STAPLE_INVALID', /does not verify/);
  });

  it("fails a staple signed by the server's own key (not a responder) with ERR_OCSP_STAPLE_INVALID", () => {
    const staple = stapleFor('good', {}, pki.server);
    expectStapleFailure(attempt(strictClient(v), staplingServer(v, () => staple).ctx), 'ERR_OCSP_STAPLE_INVALID', /does not verify/);
  });

  it('fails a staple about another certificate (not covering the server) with ERR_OCSP_STAPLE_INVALID', () => {
    // Signed by the right CA, about a certificate it issued, only not this server's.
    const staple = stapleFor('good', {}, pki.ca, pki.client);
    expect(staple.getStatus(pki.client.cert, pki.ca.cert)?.status).toBe('good');
    expect(staple.getStatus(pki.server.cert, pki.ca.cert)).toBeNull();
    expectStapleFailure(attempt(strictClient(v), staplingServer(v, () => staple).ctx), 'ERR_OCSP_STAPLE_INVALID', /does not cover/);
  });

  it('fails an expired staple (nextUpdate an hour ago) with ERR_OCSP_STAPLE_INVALID', () => {
    const staple = stapleFor('good', { thisUpdate: secondsFromNow(-7200), nextUpdate: secondsFromNow(-3600) });
    expectStapleFailure(attempt(strictClient(v), staplingServer(v, () => staple).ctx), 'ERR_OCSP_STAPLE_INVALID', /not current/);
  });

  it('passes a staple that expired within clockSkew, and fails it with a smaller clockSkew', () => {
    const staple = stapleFor('good', { thisUpdate: secondsFromNow(-7200), nextUpdate: secondsFromNow(-100) });
    const lenient = attempt(strictClient(v), staplingServer(v, () => staple).ctx);
    expect(lenient.error).toBeUndefined();
    expect(lenient.client.isInitFinished()).toBe(true);
    const wide = attempt(strictClient(v, { clockSkew: 3600 }), staplingServer(v, () => staple).ctx);
    expect(wide.error).toBeUndefined();
    expectStapleFailure(attempt(strictClient(v, { clockSkew: 10 }), staplingServer(v, () => staple).ctx), 'ERR_OCSP_STAPLE_INVALID', /not current/);
  });

  it('fails a staple from the future (thisUpdate beyond clockSkew) with ERR_OCSP_STAPLE_INVALID', () => {
    const staple = stapleFor('good', { thisUpdate: secondsFromNow(3600), nextUpdate: secondsFromNow(7200) });
    expectStapleFailure(attempt(strictClient(v), staplingServer(v, () => staple).ctx), 'ERR_OCSP_STAPLE_INVALID', /not current/);
  });

  it('fails a staple older than maxAge with ERR_OCSP_STAPLE_INVALID, and passes it without maxAge', () => {
    const staple = stapleFor('good', { thisUpdate: secondsFromNow(-3600) });
    expect(attempt(strictClient(v), staplingServer(v, () => staple).ctx).error).toBeUndefined();
    expect(attempt(strictClient(v, { maxAge: 7200 }), staplingServer(v, () => staple).ctx).error).toBeUndefined();
    expectStapleFailure(attempt(strictClient(v, { maxAge: 60 }), staplingServer(v, () => staple).ctx), 'ERR_OCSP_STAPLE_INVALID', /not current/);
  });

  it("fails an unsuccessful response (OCSPResponse.fromStatus('tryLater')) with ERR_OCSP_STAPLE_INVALID", () => {
    const staple = OCSPResponse.fromStatus('tryLater');
    expect(staple.statusName).toBe('tryLater');
    expectStapleFailure(attempt(strictClient(v), staplingServer(v, () => staple).ctx), 'ERR_OCSP_STAPLE_INVALID', /tryLater/);
  });

  it('fails garbage bytes stapled with ERR_OCSP_STAPLE_INVALID', () => {
    const { ctx, calls } = staplingServer(v, () => Buffer.from('garbage'));
    expectStapleFailure(attempt(strictClient(v), ctx), 'ERR_OCSP_STAPLE_INVALID', /not one/);
    expect(calls).toHaveLength(1);
  });

  it('passes a staple from a delegated responder (OCSPSigning, issued by the CA)', () => {
    const r1 = responder(pki.ca);
    const staple = stapleFor('good', {}, r1);
    expect(staple.certificates.map((c) => c.digest('sha256'))).toEqual([r1.cert.digest('sha256')]);
    const r = attempt(strictClient(v), staplingServer(v, () => staple).ctx);
    expect(r.error).toBeUndefined();
    expect(r.client.isInitFinished()).toBe(true);
  });

  it('passes a delegated responder whose chain is passed in `certificates` as well', () => {
    const r1 = responder(pki.ca);
    const staple = OCSPResponse.build({
      responses: [{ cert: pki.server.cert, issuer: pki.ca.cert, status: 'good' }],
      signer: r1.cert,
      key: r1.key,
      certificates: [pki.ca.cert],
    });
    expect(staple.certificates.map((c) => c.digest('sha256'))).toEqual([r1.cert.digest('sha256'), pki.ca.cert.digest('sha256')]);
    const r = attempt(strictClient(v), staplingServer(v, () => staple).ctx);
    expect(r.error).toBeUndefined();
    expect(r.client.isInitFinished()).toBe(true);
  });

  // `includeSigner: false` (OpenSSL's OCSP_NOCERTS) leaves out the signer's certificate only: the
  // ones of `certificates` are still there, so the staple verifies.
  it('passes a delegated responder included only via `certificates` (includeSigner: false)', () => {
    const r1 = responder(pki.ca);
    const staple = OCSPResponse.build({
      responses: [{ cert: pki.server.cert, issuer: pki.ca.cert, status: 'good' }],
      signer: r1.cert,
      key: r1.key,
      includeSigner: false,
      certificates: [r1.cert],
    });
    const r = attempt(strictClient(v), staplingServer(v, () => staple).ctx);
    expect(r.error).toBeUndefined();
    expect(staple.certificates.map((c) => c.digest('sha256'))).toEqual([r1.cert.digest('sha256')]);
  });

  it('fails a delegated responder whose certificate is left out of the response', () => {
    const r1 = responder(pki.ca);
    const staple = OCSPResponse.build({
      responses: [{ cert: pki.server.cert, issuer: pki.ca.cert, status: 'good' }],
      signer: r1.cert,
      key: r1.key,
      includeSigner: false,
    });
    expect(staple.certificates).toHaveLength(0);
    expectStapleFailure(attempt(strictClient(v), staplingServer(v, () => staple).ctx), 'ERR_OCSP_STAPLE_INVALID', /does not verify/);
  });

  it('fails a responder without the OCSPSigning usage, or one issued by an unrelated CA', () => {
    const noEku = stapleFor('good', {}, responder(pki.ca, false));
    expectStapleFailure(attempt(strictClient(v), staplingServer(v, () => noEku).ctx), 'ERR_OCSP_STAPLE_INVALID', /does not verify/);
    const foreign = stapleFor('good', {}, responder(other.ca));
    expectStapleFailure(attempt(strictClient(v), staplingServer(v, () => foreign).ctx), 'ERR_OCSP_STAPLE_INVALID', /does not verify/);
  });

  it('a revoked status from a delegated responder fails with CERT_REVOKED', () => {
    const staple = stapleFor('revoked', { revocationTime: secondsFromNow(-60), revocationReason: 'superseded' }, responder(pki.ca));
    const r = attempt(strictClient(v), staplingServer(v, () => staple).ctx);
    expect(r.error).toBeInstanceOf(CertificateVerifyError);
    expect((r.error as CertificateVerifyError).code).toBe('CERT_REVOKED');
    expect((r.error as Error).message).toContain('superseded');
  });

  it('fails closed when the server callback throws: that very error, and the client is told', () => {
    const boom = new Error('responder down');
    const r = attempt(strictClient(v), staplingServer(v, () => {
      throw boom;
    }).ctx);
    expect(Object.is(r.error, boom)).toBe(true);
    expect(r.server.isInitFinished()).toBe(false);
    expect(r.client.isInitFinished()).toBe(false);
    // The server's alert reaches the client, whose handshake then fails instead of waiting.
    expect(r.server.bioPending()).toBeGreaterThan(0);
    pump(r.client, r.server);
    const e = caught(() => r.client.doHandshake());
    expect(e).toBeInstanceOf(SSLError);
    expect(e).not.toBeInstanceOf(WantReadError);
  });

  it('fails the handshake with a TypeError (not a crash) when the server callback returns a number or a string', () => {
    for (const wrong of [42, 'not DER', { der: Buffer.alloc(3) }]) {
      const r = attempt(strictClient(v), staplingServer(v, () => wrong as never).ctx);
      expect(r.error).toBeInstanceOf(TypeError);
      expect((r.error as Error).message).toMatch(/OCSP server callback/);
      expect(r.server.isInitFinished()).toBe(false);
      expect(r.client.isInitFinished()).toBe(false);
    }
  });
});

describe('the client callback of setOcspClientCallback', () => {
  for (const v of VERSIONS) {
    it(`gets the stapled response parsed as its 4th argument, equal to what was stapled (${v.label})`, () => {
      const staple = stapleFor('good');
      const seen: Array<{ der: Buffer; data: unknown; response: OCSPResponse | null; conn: Connection }> = [];
      const cctx = new Context(TLS_METHOD);
      if (v.max !== null) cctx.setMaxProtoVersion(v.max);
      const token = { tag: 'data' };
      cctx.setOcspClientCallback((conn, der, data, response) => {
        seen.push({ der, data, response, conn });
        return true;
      }, token);
      const r = attempt(cctx, staplingServer(v, () => staple).ctx, (c) => c.requestOcsp());
      expect(r.error).toBeUndefined();
      expect(seen).toHaveLength(1);
      expect(seen[0]!.conn).toBe(r.client);
      expect(seen[0]!.data).toBe(token);
      expect(seen[0]!.der.equals(staple.toDER())).toBe(true);
      const parsed = seen[0]!.response;
      expect(parsed).toBeInstanceOf(OCSPResponse);
      expect(parsed!.toDER().equals(staple.toDER())).toBe(true);
      expect(parsed!.statusName).toBe('successful');
      expect(parsed!.responses.map((x) => x.status)).toEqual(['good']);
      expect(parsed!.getStatus(pki.server.cert, pki.ca.cert)?.status).toBe('good');
    });
  }

  it('gets null (and empty DER) when nothing was stapled, and null for bytes that are not a response', () => {
    const seen: Array<{ der: Buffer; response: OCSPResponse | null }> = [];
    const cctx = new Context(TLS_METHOD);
    cctx.setOcspClientCallback((_conn, der, _data, response) => {
      seen.push({ der, response });
      return true;
    });
    const v = VERSIONS[0]!;
    expect(attempt(cctx, staplingServer(v, () => null).ctx, (c) => c.requestOcsp()).error).toBeUndefined();
    expect(attempt(cctx, staplingServer(v, () => Buffer.from('garbage')).ctx, (c) => c.requestOcsp()).error).toBeUndefined();
    expect(seen).toHaveLength(2);
    expect(seen[0]!.der.length).toBe(0);
    expect(seen[0]!.response).toBeNull();
    expect(seen[1]!.der.toString()).toBe('garbage');
    expect(seen[1]!.response).toBeNull();
  });

  it('gets a revoked status parsed, and its false fails the handshake', () => {
    const staple = stapleFor('revoked', { revocationTime: secondsFromNow(-60), revocationReason: 'cACompromise' });
    const statuses: string[] = [];
    const cctx = new Context(TLS_METHOD);
    cctx.setOcspClientCallback((_conn, _der, _data, response) => {
      const s = response?.responses[0];
      statuses.push(`${s?.status}:${s?.revocationReason}`);
      return s?.status === 'good';
    });
    const r = attempt(cctx, staplingServer(VERSIONS[0]!, () => staple).ctx, (c) => c.requestOcsp());
    expect(statuses).toEqual(['revoked:cACompromise']);
    expect(r.error).toBeInstanceOf(SSLError);
    expect(r.client.isInitFinished()).toBe(false);
    serverSeesAlert(r.client, r.server);
  });

  it('runs only for Connections that asked with requestOcsp (the server is not asked otherwise)', () => {
    const staple = stapleFor('good');
    let clientCalls = 0;
    const cctx = new Context(TLS_METHOD);
    cctx.setOcspClientCallback(() => {
      clientCalls++;
      return true;
    });
    const { ctx, calls } = staplingServer(VERSIONS[0]!, () => staple);
    const quiet = attempt(cctx, ctx);
    expect(quiet.error).toBeUndefined();
    expect(quiet.server.ocspRequested()).toBe(false);
    expect(calls).toHaveLength(0);
    expect(clientCalls).toBe(0);
    const asking = attempt(cctx, ctx, (c) => c.requestOcsp());
    expect(asking.error).toBeUndefined();
    expect(asking.server.ocspRequested()).toBe(true);
    expect(calls).toHaveLength(1);
    expect(clientCalls).toBe(1);
  });
});

describe('Context.requireOcspStaple', () => {
  it('makes every client Connection of the Context ask for a staple', () => {
    const staple = stapleFor('good');
    const v = VERSIONS[0]!;
    const cctx = strictClient(v);
    const { ctx, calls } = staplingServer(v, () => staple);
    for (let i = 0; i < 3; i++) {
      const r = attempt(cctx, ctx);
      expect(r.error).toBeUndefined();
      expect(r.server.ocspRequested()).toBe(true);
    }
    expect(calls).toHaveLength(3);
  });

  it('replaces the client callback set before it', () => {
    let oldCalls = 0;
    const v = VERSIONS[0]!;
    const cctx = strictClient(v, false);
    cctx.setOcspClientCallback(() => {
      oldCalls++;
      return true;
    });
    cctx.requireOcspStaple();
    const r = attempt(cctx, staplingServer(v, () => null).ctx);
    expect((r.error as SSLError).code).toBe('ERR_OCSP_STAPLE_MISSING');
    expect(oldCalls).toBe(0);
  });

  it('refuses bad options: TypeError for a wrong type, RangeError for a bad number', () => {
    const ctx = new Context(TLS_METHOD);
    expect(() => ctx.requireOcspStaple({ required: 'yes' as never })).toThrow(TypeError);
    expect(() => ctx.requireOcspStaple({ required: 'yes' as never })).toThrow(/"required"/);
    expect(() => ctx.requireOcspStaple('x' as never)).toThrow(TypeError);
    expect(() => ctx.requireOcspStaple({ clockSkew: -1 })).toThrow(RangeError);
    expect(() => ctx.requireOcspStaple({ clockSkew: -1 })).toThrow(/"clockSkew"/);
    expect(() => ctx.requireOcspStaple({ clockSkew: 1.5 })).toThrow(RangeError);
    expect(() => ctx.requireOcspStaple({ clockSkew: '300' as never })).toThrow(TypeError);
    expect(() => ctx.requireOcspStaple({ maxAge: -2 })).toThrow(RangeError);
    expect(() => ctx.requireOcspStaple({ maxAge: 'old' as never })).toThrow(TypeError);
    // A refused call changes nothing: the Context's Connections are not asked for a staple.
    const { ctx: sctx, calls } = staplingServer(VERSIONS[0]!, () => null);
    const r = attempt(ctx, sctx);
    expect(r.error).toBeUndefined();
    expect(r.server.ocspRequested()).toBe(false);
    expect(calls).toHaveLength(0);
  });

  it('reads options from own properties only', () => {
    const v = VERSIONS[0]!;
    // An inherited `required: 'yes'` is not seen, so it is not refused either.
    expect(() => new Context(TLS_METHOD).requireOcspStaple(Object.create({ required: 'yes', clockSkew: -1 }))).not.toThrow();
    // An inherited `required: false` is not seen: a missing staple still fails.
    const cctx = strictClient(v, false);
    cctx.requireOcspStaple(Object.create({ required: false }));
    const r = attempt(cctx, staplingServer(v, () => null).ctx);
    expect((r.error as SSLError).code).toBe('ERR_OCSP_STAPLE_MISSING');
    // The same option as an own property is.
    const own = strictClient(v, false);
    own.requireOcspStaple({ required: false });
    expect(attempt(own, staplingServer(v, () => null).ctx).error).toBeUndefined();
  });
});


/** A session to resume, from a finished handshake of `client` (a TLS 1.3 ticket is read first). */
function sessionOf(r: ReturnType<typeof attempt>) {
  r.server.send('x');
  r.client.bioWrite(r.server.bioRead(65536));
  expect(r.client.recv(1).toString()).toBe('x');
  const session = r.client.getSession();
  expect(session).not.toBeNull();
  return session!;
}

describe('requireOcspStaple and session resumption', () => {
  it('resumes a TLS 1.2 session without asking the server for a new staple', () => {
    const v = VERSIONS[1]!;
    const staple = stapleFor('good');
    const cctx = strictClient(v);
    const { ctx, calls } = staplingServer(v, () => staple);
    const first = attempt(cctx, ctx);
    expect(first.error).toBeUndefined();
    const session = sessionOf(first);
    const second = attempt(cctx, ctx, (c) => c.setSession(session));
    expect(second.error).toBeUndefined();
    expect(second.client.sessionReused()).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('resumes a TLS 1.3 session when a staple is not required', () => {
    const v = VERSIONS[0]!;
    const staple = stapleFor('good');
    const cctx = strictClient(v, { required: false });
    const { ctx } = staplingServer(v, () => staple);
    const first = attempt(cctx, ctx);
    expect(first.error).toBeUndefined();
    const second = attempt(cctx, ctx, (c) => c.setSession(sessionOf(first)));
    expect(second.error).toBeUndefined();
    expect(second.client.sessionReused()).toBe(true);
  });

  // OpenSSL runs the client's status callback at the end of every TLS 1.3 handshake, resumed ones
  // included, where the server sends no Certificate and so no staple: a resumed session was checked
  // when it was made.
  it('resumes a TLS 1.3 session whose staple was checked', () => {
    const v = VERSIONS[0]!;
    const staple = stapleFor('good');
    const cctx = strictClient(v);
    const { ctx } = staplingServer(v, () => staple);
    const first = attempt(cctx, ctx);
    expect(first.error).toBeUndefined();
    const second = attempt(cctx, ctx, (c) => c.setSession(sessionOf(first)));
    expect(second.client.sessionReused()).toBe(true);
    expect(second.error).toBeUndefined();
  });
});
