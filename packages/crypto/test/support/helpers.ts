import { execFileSync, spawnSync } from 'node:child_process';

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PKey, TYPE_EC, TYPE_RSA, X509, X509Extension } from '../../src/index.js';

export interface Identity {
  key: PKey;
  cert: X509;
}

let serial = 1n;

export interface IdentityOptions {
  cn: string;
  issuer?: Identity;
  ca?: boolean;
  pathlen?: number;
  sans?: string;
  rsa?: boolean;
  days?: number;
  /** Seconds from now; default -60. */
  notBefore?: number;
  /** Seconds from now; default `days` days. */
  notAfter?: number;
  extensions?: [string, boolean, string][];
  key?: PKey;
}

/** A key and certificate, self-signed or issued by `issuer` (the crypto tests' own small PKI). */
export function makeIdentity(opts: IdentityOptions): Identity {
  const key = opts.key ?? (opts.rsa ? PKey.generate(TYPE_RSA, 2048) : PKey.generate(TYPE_EC, 'prime256v1'));
  const cert = new X509();
  cert.setVersion(2);
  cert.setSerialNumber(serial++);
  cert.getSubject().CN = opts.cn;
  cert.setIssuer(opts.issuer ? opts.issuer.cert.getSubject() : cert.getSubject());
  cert.gmtimeAdjNotBefore(opts.notBefore ?? -60);
  cert.gmtimeAdjNotAfter(opts.notAfter ?? (opts.days ?? 1) * 86400);
  cert.setPubkey(key);
  const bc = opts.ca ? `CA:TRUE${opts.pathlen !== undefined ? `, pathlen:${opts.pathlen}` : ''}` : 'CA:FALSE';
  const exts = [new X509Extension('basicConstraints', true, bc)];
  if (opts.ca) exts.push(new X509Extension('keyUsage', true, 'keyCertSign, cRLSign'));
  if (opts.sans) exts.push(new X509Extension('subjectAltName', false, opts.sans));
  for (const [name, critical, value] of opts.extensions ?? []) exts.push(new X509Extension(name, critical, value));
  cert.addExtensions(exts);
  cert.sign(opts.issuer ? opts.issuer.key : key, 'sha256');
  return { key, cert };
}

/** A temporary directory holding `files`; `cleanup()` removes it. */
export function tempFiles(files: Record<string, string | Buffer>): { path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ossl-crypto-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the openssl CLI; returns stdout (throws with stderr on failure). */
export function openssl(args: string[], input?: string | Buffer): string {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

export function opensslBuffer(args: string[], input?: string | Buffer): Buffer {
  return execFileSync('openssl', args, { input, maxBuffer: 1 << 24 });
}

/** Runs `fn` and returns what it threw (fails the test if it did not throw). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}

/** The public test vectors (Wycheproof, CPython's certificates, OpenSSL's fuzz corpora): `test/vectors` in the repository. */
export function vectorsDir(): string {
  const dir = join(__dirname, '..', '..', '..', '..', 'test', 'vectors');
  if (!existsSync(dir)) throw new Error(`test vectors not found at ${dir}`);
  return dir;
}

/** The release series (`3.0`, `3.5`) of an OpenSSL version text such as `OpenSSL 3.0.19 27 Jan 2026` or `3.5.4`. */
function series(version: string): string {
  const m = /(\d+)\.(\d+)\.\d+/.exec(version);
  if (!m) throw new Error(`no OpenSSL version in ${JSON.stringify(version)}`);
  return `${m[1]}.${m[2]}`;
}

/** The OpenSSL release series inside this Node.js. */
export const nodeOpenSSLSeries = series(process.versions.openssl);

let systemSeries: string | null = null;
/**
 * Whether the system's OpenSSL (the openssl CLI, and Debian's pyOpenSSL, which uses the same libssl)
 * is of the same release series as the OpenSSL inside this Node.js.
 */
export function systemOpenSSLMatchesNode(): boolean {
  systemSeries ??= series(execFileSync('openssl', ['version'], { encoding: 'utf8' }));
  return systemSeries === nodeOpenSSLSeries;
}

let matchingCli: string | null = null;
/**
 * The openssl CLI of the same release series as Node's OpenSSL: the system's when it matches, else
 * the one `OSSL_TEST_OPENSSL` names (the test command fetches Debian's build of that series for
 * Node 22 and 24, whose OpenSSL 3.5 prints certificates a little differently from Debian 12's 3.0).
 * Text that OpenSSL printed through ossl is compared with what that same OpenSSL prints.
 */
export function opensslOfNode(args: string[], input?: string | Buffer): string {
  const cli = opensslOfNodePath();
  const r = spawnSync(cli, args, { input, encoding: 'latin1' });
  if (r.status !== 0) throw new Error(`${cli} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** The path of the openssl CLI of Node's OpenSSL series (see `opensslOfNode`). */
export function opensslOfNodePath(): string {
  if (matchingCli === null) {
    const candidate = systemOpenSSLMatchesNode() ? 'openssl' : process.env.OSSL_TEST_OPENSSL;
    if (!candidate) {
      throw new Error(
        `the openssl CLI of OpenSSL ${nodeOpenSSLSeries} (Node's series) is needed and the system's is another: ` +
          `run the tests with the README's test command, which fetches it, or set OSSL_TEST_OPENSSL`,
      );
    }
    const got = series(execFileSync(candidate, ['version'], { encoding: 'utf8' }));
    if (got !== nodeOpenSSLSeries) throw new Error(`${candidate} is OpenSSL ${got}, not ${nodeOpenSSLSeries}`);
    matchingCli = candidate;
  }
  return matchingCli;
}

/**
 * Deterministic mutations of `seed` (the same for the same `salt`): bit flips, truncations, runs of
 * one byte, a run of the input copied elsewhere into it, and pseudo-random bytes appended.
 */
export function* mutations(seed: Buffer, count: number, salt = 0): Generator<Buffer> {
  let state = (0x9e3779b9 ^ salt) >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  const noise = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => next() & 0xff));
  for (let i = 0; i < count; i++) {
    const copy = Buffer.from(seed);
    switch (i % 5) {
      case 0: {
        const bit = next() % (copy.length * 8);
        copy[bit >> 3]! ^= 1 << (bit & 7);
        yield copy;
        break;
      }
      case 1:
        yield copy.subarray(0, next() % copy.length);
        break;
      case 2: {
        const at = next() % copy.length;
        copy.fill(next() & 0xff, at, Math.min(copy.length, at + 1 + (next() % 8)));
        yield copy;
        break;
      }
      case 3: {
        const from = next() % copy.length;
        const to = next() % copy.length;
        yield Buffer.concat([copy.subarray(0, to), copy.subarray(from, from + 1 + (next() % 16)), copy.subarray(to)]);
        break;
      }
      default:
        yield Buffer.concat([copy.subarray(0, next() % copy.length), noise(next() % 64)]);
    }
  }
}
