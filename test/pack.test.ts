// Users install only the layers they need: @ossl/native and @ossl/crypto, packed as they would be
// published and installed with npm into an empty folder outside the repository, build the addon and
// make a key and a self-signed certificate that the openssl CLI reads.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'ossl-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function pnpm(args: string[], cwd: string): string {
  // The pnpm that runs this test suite (npm_execpath), else the pinned one through npx.
  const execpath = process.env.npm_execpath;
  if (execpath && /pnpm/.test(execpath)) return execFileSync(process.execPath, [execpath, ...args], { cwd, encoding: 'utf8' });
  return execFileSync('npx', ['--yes', 'pnpm@10.34.9', ...args], { cwd, encoding: 'utf8' });
}

describe('packed @ossl/native + @ossl/crypto installed with npm', () => {
  it('build the addon on install and make a self-signed certificate', () => {
    const tarballs = join(work, 'tarballs');
    for (const pkg of ['native', 'crypto']) pnpm(['pack', '--pack-destination', tarballs], join(root, 'packages', pkg));
    const files = readdirSync(tarballs).sort();
    expect(files).toEqual([expect.stringMatching(/^ossl-crypto-.*\.tgz$/), expect.stringMatching(/^ossl-native-.*\.tgz$/)]);
    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', ...files.map((f) => join(tarballs, f))], {
      cwd: app,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(readdirSync(join(app, 'node_modules', '@ossl')).sort()).toEqual(['crypto', 'native']);
    writeFileSync(
      join(app, 'make-cert.mjs'),
      `import { PKey, TYPE_EC, X509, dumpCertificate, FILETYPE_PEM } from '@ossl/crypto';
       const key = PKey.generate(TYPE_EC, 'prime256v1');
       const cert = new X509();
       cert.setVersion(2);
       cert.setSerialNumber(7n);
       cert.getSubject().CN = 'installed.from.tarball';
       cert.setIssuer(cert.getSubject());
       cert.gmtimeAdjNotBefore(0);
       cert.gmtimeAdjNotAfter(3600);
       cert.setPubkey(key);
       cert.sign(key, 'sha256');
       process.stdout.write(dumpCertificate(FILETYPE_PEM, cert));`,
    );
    const pem = execFileSync(process.execPath, ['make-cert.mjs'], { cwd: app, encoding: 'utf8' });
    const subject = execFileSync('openssl', ['x509', '-noout', '-subject'], { input: pem, encoding: 'utf8' });
    expect(subject.trim()).toBe('subject=CN = installed.from.tarball');
    const ldd = execFileSync('ldd', [join(app, 'node_modules', '@ossl', 'native', 'build', 'Release', 'ossl.node')], { encoding: 'utf8' });
    expect(ldd).not.toMatch(/libssl|libcrypto/);
  }, 240_000);
});
