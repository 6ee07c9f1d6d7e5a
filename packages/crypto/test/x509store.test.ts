import { describe, expect, it } from 'vitest';

import {
  CRL,
  CryptoError,
  dumpCertificate,
  FILETYPE_PEM,
  Revoked,
  X509,
  X509Store,
  X509StoreContext,
  X509StoreContextError,
  X509StoreFlags,
} from '../src/index.js';
import { makeIdentity, tempFiles, thrown } from './support/helpers.js';

function chain() {
  const root = makeIdentity({ cn: 'Root', ca: true });
  const inter = makeIdentity({ cn: 'Intermediate', ca: true, issuer: root });
  const leaf = makeIdentity({ cn: 'leaf.example', issuer: inter, sans: 'DNS:leaf.example' });
  return { root, inter, leaf };
}

function failure(store: X509Store, cert: X509, untrusted: X509[] | null = null): X509StoreContextError {
  const e = thrown(() => new X509StoreContext(store, cert, untrusted).verifyCertificate());
  expect(e).toBeInstanceOf(X509StoreContextError);
  return e as X509StoreContextError;
}

describe('X509StoreContext.verifyCertificate', () => {
  it('verifies a chain through an untrusted intermediate and returns it leaf first', () => {
    const { root, inter, leaf } = chain();
    const store = new X509Store();
    store.addCert(root.cert);
    const ctx = new X509StoreContext(store, leaf.cert, [inter.cert]);
    expect(() => ctx.verifyCertificate()).not.toThrow();
    expect(ctx.getVerifiedChain().map((c) => c.getSubject().CN)).toEqual(['leaf.example', 'Intermediate', 'Root']);
  });

  it('reports an unknown issuer with code, depth, message and certificate', () => {
    const { root, leaf } = chain();
    const store = new X509Store();
    store.addCert(root.cert);
    const e = failure(store, leaf.cert);
    expect(e.errors).toEqual([20, 0, 'unable to get local issuer certificate']);
    expect(e.message).toBe('unable to get local issuer certificate');
    expect(e.code).toBe('UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    expect(e.certificate!.getSubject().CN).toBe('leaf.example');
  });

  it('reports expired and not-yet-valid certificates, and honours setTime', () => {
    const root = makeIdentity({ cn: 'Root', ca: true, days: 30, notBefore: -86400 });
    const expired = makeIdentity({ cn: 'old', issuer: root, notBefore: -7200, notAfter: -3600 });
    const future = makeIdentity({ cn: 'new', issuer: root, notBefore: 86400, notAfter: 2 * 86400 });
    const store = new X509Store();
    store.addCert(root.cert);
    expect(failure(store, expired.cert).errors.slice(0, 2)).toEqual([10, 0]);
    expect(failure(store, expired.cert).code).toBe('CERT_HAS_EXPIRED');
    expect(failure(store, future.cert).code).toBe('CERT_NOT_YET_VALID');
    store.setTime(new Date(Date.now() - 5400 * 1000));
    new X509StoreContext(store, expired.cert).verifyCertificate();
  });

  it('reports a self-signed leaf, a bad signature and an exceeded path length', () => {
    const self = makeIdentity({ cn: 'self' });
    const store = new X509Store();
    expect(failure(store, self.cert).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');

    const root = makeIdentity({ cn: 'Root', ca: true });
    store.addCert(root.cert);
    const forged = makeIdentity({ cn: 'forged', issuer: root });
    forged.cert.sign(makeIdentity({ cn: 'other' }).key, 'sha256');
    expect(failure(store, forged.cert).code).toBe('CERT_SIGNATURE_FAILURE');

    const strictRoot = makeIdentity({ cn: 'PathRoot', ca: true, pathlen: 0 });
    const inter = makeIdentity({ cn: 'PathInter', ca: true, issuer: strictRoot });
    const leaf = makeIdentity({ cn: 'path.leaf', issuer: inter });
    const s2 = new X509Store();
    s2.addCert(strictRoot.cert);
    const e = failure(s2, leaf.cert, [inter.cert]);
    expect(e.code).toBe('PATH_LENGTH_EXCEEDED');
    // OpenSSL reports the depth of the CA whose pathlen constraint was exceeded.
    expect(e.errors[1]).toBe(2);
  });

  it('enforces name constraints', () => {
    const root = makeIdentity({ cn: 'NC Root', ca: true, extensions: [['nameConstraints', true, 'permitted;DNS:.good.example']] });
    const ok = makeIdentity({ cn: 'a.good.example', issuer: root, sans: 'DNS:a.good.example' });
    const bad = makeIdentity({ cn: 'a.evil.example', issuer: root, sans: 'DNS:a.evil.example' });
    const store = new X509Store();
    store.addCert(root.cert);
    new X509StoreContext(store, ok.cert).verifyCertificate();
    expect(failure(store, bad.cert).code).toBe('PERMITTED_VIOLATION');
  });

  it('checks revocation with CRL_CHECK', () => {
    const root = makeIdentity({ cn: 'CRL Root', ca: true });
    const leaf = makeIdentity({ cn: 'revoked.example', issuer: root });
    const good = makeIdentity({ cn: 'good.example', issuer: root });
    const crl = new CRL();
    const r = new Revoked();
    r.setSerial(leaf.cert.getSerialNumber().toString(16));
    r.setRevDate(new Date());
    r.setReason('keyCompromise');
    crl.addRevoked(r);
    crl.export(root.cert, root.key, FILETYPE_PEM, 1, 'sha256');
    const store = new X509Store();
    store.addCert(root.cert);
    store.setFlags(X509StoreFlags.CRL_CHECK);
    expect(failure(store, good.cert).code).toBe('UNABLE_TO_GET_CRL');
    store.addCrl(crl);
    new X509StoreContext(store, good.cert).verifyCertificate();
    const e = failure(store, leaf.cert);
    expect(e.code).toBe('CERT_REVOKED');
    expect(e.errors[2]).toBe('certificate revoked');
  });

  it('accepts a trusted intermediate as an anchor with PARTIAL_CHAIN', () => {
    const { inter, leaf } = chain();
    const store = new X509Store();
    store.addCert(inter.cert);
    expect(failure(store, leaf.cert).code).toBe('UNABLE_TO_GET_ISSUER_CERT');
    store.setFlags(X509StoreFlags.PARTIAL_CHAIN);
    expect(new X509StoreContext(store, leaf.cert).getVerifiedChain()).toHaveLength(2);
  });

  it('loads trusted certificates from a file and switches stores', () => {
    const { root, inter, leaf } = chain();
    const files = tempFiles({ 'roots.pem': dumpCertificate(FILETYPE_PEM, root.cert) });
    try {
      const store = new X509Store();
      store.loadLocations(files.path('roots.pem'));
      const ctx = new X509StoreContext(new X509Store(), leaf.cert, [inter.cert]);
      expect(() => ctx.verifyCertificate()).toThrow(X509StoreContextError);
      ctx.setStore(store);
      ctx.verifyCertificate();
      expect(() => store.loadLocations(files.path('missing.pem'))).toThrow(CryptoError);
      expect(() => store.loadLocations(null, null)).toThrow(RangeError);
    } finally {
      files.cleanup();
    }
  });

  it('rejects wrong argument types', () => {
    const store = new X509Store();
    const { leaf } = chain();
    expect(() => new X509StoreContext({} as never, leaf.cert)).toThrow(TypeError);
    expect(() => new X509StoreContext(store, 'cert' as never)).toThrow('"certificate" must be an X509, got string');
    expect(() => new X509StoreContext(store, leaf.cert, [1 as never])).toThrow('"chain[0]" must be an X509, got number');
    expect(() => store.addCert(null as never)).toThrow(TypeError);
    expect(() => store.addCrl({} as never)).toThrow(TypeError);
    expect(() => store.setTime('now' as never)).toThrow(TypeError);
    expect(() => store.setFlags('x' as never)).toThrow(TypeError);
  });
});
