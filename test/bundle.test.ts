// Bundlers and the addon: @ossl/native loads a compiled .node file found relative to its own files
// (node-gyp-build), which a bundle cannot carry. Bundled with esbuild and `@ossl/native` marked
// external, an app works; bundled with @ossl/native inside, loading the addon fails. The READMEs say so.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';

// Inside the workspace, so that the external @ossl/native resolves from node_modules at run time.
const work = mkdtempSync(join(__dirname, '.bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const app = `import { PKey, TYPE_EC, X509, dumpCertificate, FILETYPE_PEM } from '@ossl/crypto';
const key = PKey.generate(TYPE_EC, 'prime256v1');
const cert = new X509();
cert.getSubject().CN = 'bundled.example';
cert.setIssuer(cert.getSubject());
cert.gmtimeAdjNotBefore(0);
cert.gmtimeAdjNotAfter(3600);
cert.setPubkey(key);
cert.sign(key, 'sha256');
process.stdout.write(dumpCertificate(FILETYPE_PEM, cert));
`;

async function bundle(name: string, format: 'esm' | 'cjs', external: string[]): Promise<string> {
  const entry = join(work, `${name}.mjs`);
  writeFileSync(entry, app);
  const outfile = join(work, `${name}.out.${format === 'esm' ? 'mjs' : 'cjs'}`);
  await build({ entryPoints: [entry], bundle: true, platform: 'node', target: 'node20', format, outfile, external, logLevel: 'silent' });
  return outfile;
}

describe('bundling an app that uses ossl with esbuild', () => {
  it.each(['esm', 'cjs'] as const)('works as %s when @ossl/native is external, and the certificate reads back', async (format) => {
    const out = await bundle(`external-${format}`, format, ['@ossl/native']);
    const pem = execFileSync(process.execPath, [out], { encoding: 'utf8' });
    const subject = execFileSync('openssl', ['x509', '-noout', '-subject'], { input: pem, encoding: 'utf8' });
    expect(subject.trim()).toBe('subject=CN = bundled.example');
  });

  it('fails to load the addon when @ossl/native is bundled in', async () => {
    const out = await bundle('inlined', 'cjs', []);
    const r = spawnSync(process.execPath, [out], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/native build|ossl\.node|prebuild|Cannot find/i);
  });
});
