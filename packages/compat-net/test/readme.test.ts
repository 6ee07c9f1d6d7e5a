// The README's retrofit example, run as written: the first ```js block after "Example: retrofit" is
// copied into a module inside this package (so that `import net from '@ossl/compat-net'` resolves to
// this package's build), with `cert`, `key` and `ca` defined before it, and run in a child process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makePki } from '@ossl/testkit';

const here = dirname(fileURLToPath(import.meta.url));

/** The code of the README's retrofit example. */
function retrofitExample(): string {
  const readme = readFileSync(join(here, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Example: retrofit'));
  const match = /```js\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('the README has no retrofit example');
  return match[1]!;
}

describe('README', () => {
  it('runs the retrofit example as written: a verified TLS 1.3 echo', () => {
    const code = retrofitExample();
    expect(code).toContain("import net from '@ossl/compat-net'");
    const pki = makePki();
    const dir = mkdtempSync(join(here, '.readme-'));
    try {
      // Imports stay first; the example's free names come after them.
      const imports = code.split('\n').filter((line) => line.startsWith('import '));
      const body = code.split('\n').filter((line) => !line.startsWith('import '));
      const prelude = [
        `const cert = ${JSON.stringify(pki.server.certPem)};`,
        `const key = ${JSON.stringify(pki.server.keyPem)};`,
        `const ca = ${JSON.stringify(pki.ca.certPem)};`,
      ];
      const file = join(dir, 'example.mjs');
      writeFileSync(file, [...imports, ...prelude, ...body].join('\n'));
      const run = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 30_000 });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout.trim().split('\n')).toEqual(['true TLSv1.3', 'echo:hello']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
