// Trust roots: the system store (setDefaultVerifyPaths) and Node's bundled roots both verify the
// real-world server chains of the x509-limbo "online" cases at their validation times.
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CRL, dumpCrl, loadCertificate, FILETYPE_PEM, Revoked, X509, X509StoreContext, X509StoreContextError, X509StoreFlags } from '@ossl/crypto';

import { Context, getDefaultVerifyPaths, TLS_METHOD } from '../src/index.js';
import { makePki, tempFiles } from './support/memory.js';

const dir = join(__dirname, '..', '..', '..', 'test', 'vectors', 'x509-limbo', 'online');
interface Limbo {
  peer_certificate: string;
  untrusted_intermediates: string[];
  validation_time: string;
  expected_peer_name: { value: string };
}
const cases = readdirSync(dir).filter((f) => f.endsWith('.limbo.json')).map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as Limbo] as const);

describe('trust roots', () => {
  it('has the online limbo cases to check', () => {
    expect(cases.length).toBeGreaterThanOrEqual(14);
  });

  for (const source of ['system store (setDefaultVerifyPaths)', 'system store (loadDefaultTrust)', "Node's bundled roots"] as const) {
    it(`verifies real server chains with the ${source}`, () => {
      const ctx = new Context(TLS_METHOD);
      if (source.includes('setDefaultVerifyPaths')) ctx.setDefaultVerifyPaths();
      else if (source.includes('loadDefaultTrust')) ctx.loadDefaultTrust();
      else ctx.loadNodeRootCertificates();
      const store = ctx.getCertStore();
      for (const [file, c] of cases) {
        store.setTime(new Date(c.validation_time));
        const leaf = loadCertificate(FILETYPE_PEM, c.peer_certificate);
        const chain = new X509StoreContext(store, leaf, c.untrusted_intermediates.map((p) => loadCertificate(FILETYPE_PEM, p))).getVerifiedChain();
        expect(chain.length, file).toBeGreaterThanOrEqual(2);
        expect(chain[0]!.digest('sha256'), file).toBe(leaf.digest('sha256'));
      }
    });
  }
});

describe('getDefaultVerifyPaths', () => {
  it("reports the OpenSSL inside Node's defaults and the variables that override them", () => {
    const p = getDefaultVerifyPaths();
    expect(p.opensslCafileEnv).toBe('SSL_CERT_FILE');
    expect(p.opensslCapathEnv).toBe('SSL_CERT_DIR');
    // The same compiled-in places the openssl CLI of a build reports as OPENSSLDIR.
    const dir = /OPENSSLDIR: "([^"]*)"/.exec(readFileSync(process.execPath).toString('latin1'));
    expect(dir).not.toBeNull();
    expect(p.opensslCafile).toBe(`${dir![1]}/cert.pem`);
    expect(p.opensslCapath).toBe(`${dir![1]}/certs`);
    const cafile = process.env.SSL_CERT_FILE ?? p.opensslCafile;
    expect(p.cafile).toBe(statOrNull(cafile)?.isFile() ? cafile : null);
    const capath = process.env.SSL_CERT_DIR ?? p.opensslCapath;
    expect(p.capath).toBe(statOrNull(capath)?.isDirectory() ? capath : null);
  });

  it('follows SSL_CERT_FILE and SSL_CERT_DIR, and says null for what is not there', () => {
    const files = tempFiles({ 'ca.pem': makePki().ca.certPem });
    withEnv({ SSL_CERT_FILE: files.path('ca.pem'), SSL_CERT_DIR: files.dir }, () => {
      expect(getDefaultVerifyPaths()).toMatchObject({ cafile: files.path('ca.pem'), capath: files.dir });
    });
    withEnv({ SSL_CERT_FILE: files.path('missing.pem'), SSL_CERT_DIR: files.path('ca.pem') }, () => {
      expect(getDefaultVerifyPaths()).toMatchObject({ cafile: null, capath: null });
    });
    files.cleanup();
  });
});

describe('loadDefaultTrust', () => {
  const restore: (() => void)[] = [];
  afterEach(() => restore.splice(0).forEach((f) => f()));

  function verifies(ctx: Context, leaf: X509): boolean {
    try {
      new X509StoreContext(ctx.getCertStore(), leaf).verifyCertificate();
      return true;
    } catch (e) {
      expect(e).toBeInstanceOf(X509StoreContextError);
      return false;
    }
  }

  it('trusts the CAs of SSL_CERT_FILE, as setDefaultVerifyPaths does, and sees the file change', () => {
    const a = makePki();
    const b = makePki();
    const files = tempFiles({ 'bundle.pem': `a bundle may have text between its entries\n${a.ca.certPem}`, empty: '' });
    restore.push(files.cleanup);
    restore.push(setEnv({ SSL_CERT_FILE: files.path('bundle.pem'), SSL_CERT_DIR: files.path('empty') }));

    const first = new Context(TLS_METHOD);
    first.loadDefaultTrust();
    expect(verifies(first, a.server.cert)).toBe(true);
    expect(verifies(first, b.server.cert)).toBe(false);
    // setDefaultVerifyPaths reads the same file to the same effect.
    const viaOpenSSL = new Context(TLS_METHOD);
    viaOpenSSL.setDefaultVerifyPaths();
    expect(verifies(viaOpenSSL, a.server.cert)).toBe(true);

    // Each context's store is its own: adding to one does not reach the next.
    first.getCertStore().addCert(b.ca.cert);
    expect(verifies(first, b.server.cert)).toBe(true);
    const second = new Context(TLS_METHOD);
    second.loadDefaultTrust();
    expect(verifies(second, a.server.cert)).toBe(true);
    expect(verifies(second, b.server.cert)).toBe(false);

    // A changed bundle is read again.
    writeFileSync(files.path('bundle.pem'), b.ca.certPem);
    const later = new Date(statSync(files.path('bundle.pem')).mtimeMs + 5000);
    utimesSync(files.path('bundle.pem'), later, later);
    const third = new Context(TLS_METHOD);
    third.loadDefaultTrust();
    expect(verifies(third, b.server.cert)).toBe(true);
    expect(verifies(third, a.server.cert)).toBe(false);
  });

  it('trusts nothing of a bundle with a damaged entry, as OpenSSL does', () => {
    const a = makePki();
    const garbage = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n';
    const files = tempFiles({ 'bundle.pem': a.ca.certPem + garbage, empty: '' });
    restore.push(files.cleanup);
    restore.push(setEnv({ SSL_CERT_FILE: files.path('bundle.pem'), SSL_CERT_DIR: files.path('empty') }));
    for (const load of ['setDefaultVerifyPaths', 'loadDefaultTrust'] as const) {
      const ctx = new Context(TLS_METHOD);
      ctx[load]();
      expect(verifies(ctx, a.server.cert), load).toBe(false);
    }
  });

  it('loads the CRLs of the bundle too', () => {
    const a = makePki();
    const crl = new CRL();
    const revoked = new Revoked();
    revoked.setSerial(a.server.cert.getSerialNumber().toString(16));
    revoked.setRevDate(new Date(Date.now() - 60_000));
    crl.addRevoked(revoked);
    crl.setLastUpdate(new Date(Date.now() - 60_000));
    crl.setNextUpdate(new Date(Date.now() + 3_600_000));
    crl.sign(a.ca.cert, a.ca.key, 'sha256');
    const files = tempFiles({ 'bundle.pem': a.ca.certPem + dumpCrl(FILETYPE_PEM, crl).toString(), empty: '' });
    restore.push(files.cleanup);
    restore.push(setEnv({ SSL_CERT_FILE: files.path('bundle.pem'), SSL_CERT_DIR: files.path('empty') }));
    for (const load of ['setDefaultVerifyPaths', 'loadDefaultTrust'] as const) {
      const ctx = new Context(TLS_METHOD);
      ctx[load]();
      expect(verifies(ctx, a.server.cert), load).toBe(true);
      ctx.getCertStore().setFlags(X509StoreFlags.CRL_CHECK);
      expect(verifies(ctx, a.server.cert), `${load} with CRL_CHECK`).toBe(false);
    }
  });

  it('trusts nothing extra when SSL_CERT_FILE names a missing file or a directory', () => {
    const a = makePki();
    const files = tempFiles({ empty: '' });
    restore.push(files.cleanup);
    for (const file of [files.path('missing.pem'), files.dir]) {
      restore.push(setEnv({ SSL_CERT_FILE: file, SSL_CERT_DIR: files.dir }));
      const ctx = new Context(TLS_METHOD);
      ctx.loadDefaultTrust();
      expect(verifies(ctx, a.server.cert)).toBe(false);
    }
  });
});

function statOrNull(path: string) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function setEnv(vars: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

function withEnv(vars: Record<string, string>, fn: () => void): void {
  const undo = setEnv(vars);
  try {
    fn();
  } finally {
    undo();
  }
}
