// A throwaway PKI for tests: every test makes its own keys and certificates with @ossl/crypto.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dumpCertificate,
  dumpPrivatekey,
  FILETYPE_PEM,
  PKey,
  TYPE_EC,
  TYPE_RSA,
  X509,
  X509Extension,
  X509Name,
} from '@ossl/crypto';

export interface Identity {
  key: PKey;
  cert: X509;
  certPem: string;
  keyPem: string;
}

export type KeyKind = 'ec' | 'rsa';

export function makeKey(kind: KeyKind = 'ec'): PKey {
  return kind === 'rsa' ? PKey.generate(TYPE_RSA, 2048) : PKey.generate(TYPE_EC, 'prime256v1');
}

let serial = 1000n;

export interface CertOptions {
  cn: string;
  issuer?: Identity;
  ca?: boolean;
  sans?: string[];
  kind?: KeyKind;
  notBefore?: number;
  notAfter?: number;
  extraExtensions?: (cert: X509, issuer: X509) => X509Extension[];
}

/** Makes a key and a certificate, self-signed or issued by `issuer`. */
export function makeIdentity(opts: CertOptions): Identity {
  const key = makeKey(opts.kind);
  const cert = new X509();
  cert.setVersion(2);
  cert.setSerialNumber(serial++);
  const subject = cert.getSubject();
  subject.C = 'US';
  subject.O = 'ossl tests';
  subject.CN = opts.cn;
  cert.setIssuer(opts.issuer ? opts.issuer.cert.getSubject() : subject);
  cert.gmtimeAdjNotBefore(opts.notBefore ?? -60);
  cert.gmtimeAdjNotAfter(opts.notAfter ?? 24 * 3600);
  cert.setPubkey(key);
  const issuerCert = opts.issuer ? opts.issuer.cert : cert;
  const exts = [
    new X509Extension('basicConstraints', true, opts.ca ? 'CA:TRUE' : 'CA:FALSE'),
    new X509Extension('keyUsage', true, opts.ca ? 'keyCertSign, cRLSign' : 'digitalSignature, keyEncipherment'),
    new X509Extension('subjectKeyIdentifier', false, 'hash', { subject: cert }),
  ];
  if (opts.issuer) exts.push(new X509Extension('authorityKeyIdentifier', false, 'keyid:always', { issuer: issuerCert }));
  if (opts.sans && opts.sans.length > 0) exts.push(new X509Extension('subjectAltName', false, opts.sans.join(', ')));
  if (opts.extraExtensions) exts.push(...opts.extraExtensions(cert, issuerCert));
  cert.addExtensions(exts);
  cert.sign(opts.issuer ? opts.issuer.key : key, 'sha256');
  return {
    key,
    cert,
    certPem: dumpCertificate(FILETYPE_PEM, cert).toString(),
    keyPem: dumpPrivatekey(FILETYPE_PEM, key).toString(),
  };
}

export interface Pki {
  ca: Identity;
  server: Identity;
  client: Identity;
}

/** A CA, a server certificate for localhost/127.0.0.1 and a client certificate, all issued by the CA. */
export function makePki(kind: KeyKind = 'ec'): Pki {
  const ca = makeIdentity({ cn: 'ossl test CA', ca: true, kind });
  const server = makeIdentity({ cn: 'localhost', issuer: ca, sans: ['DNS:localhost', 'IP:127.0.0.1'], kind });
  const client = makeIdentity({ cn: 'ossl test client', issuer: ca, kind });
  return { ca, server, client };
}

/** A temporary directory with files written into it; `cleanup()` removes it. */
export function tempFiles(files: Record<string, string | Buffer>): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ossl-test-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { dir, path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The @ossl/crypto module, as any build or copy of it exports it (ESM, CJS, a second install). */
export type CryptoModule = typeof import('@ossl/crypto');

/**
 * A P-256 key and a self-signed certificate for `cn` (a CA when `ca`), made entirely with `lib`: the
 * cross-copy tests use it to make objects with one build or copy of @ossl/crypto and use them with another.
 */
export function selfSignedWith(lib: CryptoModule, cn: string, options: { ca?: boolean } = {}): { key: InstanceType<CryptoModule['PKey']>; cert: InstanceType<CryptoModule['X509']> } {
  const key = lib.PKey.generate(lib.TYPE_EC, 'prime256v1');
  const cert = new lib.X509();
  cert.setVersion(2);
  cert.setSerialNumber(serial++);
  cert.getSubject().CN = cn;
  cert.setIssuer(cert.getSubject());
  cert.gmtimeAdjNotBefore(-60);
  cert.gmtimeAdjNotAfter(3600);
  cert.setPubkey(key);
  if (options.ca) cert.addExtensions([new lib.X509Extension('basicConstraints', true, 'CA:TRUE')]);
  cert.sign(key, 'sha256');
  return { key, cert };
}

/**
 * Runs `fn` with `props` set on Object.prototype (what a prototype-pollution attack does), and
 * removes them once its promise settles.
 */
export async function withPollutedPrototype<T>(props: Record<string, unknown>, fn: () => Promise<T> | T): Promise<T> {
  const proto = Object.prototype as Record<string, unknown>;
  for (const [k, v] of Object.entries(props)) proto[k] = v;
  try {
    return await fn();
  } finally {
    for (const k of Object.keys(props)) delete proto[k];
  }
}

export { X509Name };

/**
 * Listens on `host` (127.0.0.1 by default), port 0, and registers a cleanup that destroys every
 * socket the server accepted and closes it. Resolves with the port.
 */
export async function listenLoopback(server: import('node:net').Server, cleanups: Array<() => unknown>, host = '127.0.0.1'): Promise<number> {
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s: import('node:net').Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  cleanups.push(
    () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve(undefined));
      }),
  );
  return (server.address() as import('node:net').AddressInfo).port;
}

/** What `fn` threw or rejected with; fails (throws) when it did not. */
export async function failureOf(fn: () => unknown): Promise<Error & { code?: string; cause?: unknown }> {
  try {
    await fn();
  } catch (e) {
    return e as Error & { code?: string; cause?: unknown };
  }
  throw new Error('expected a failure, got none');
}
export * from './ct-log.js';
