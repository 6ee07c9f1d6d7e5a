import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = join(__dirname, '..', 'dist', 'cli.js');

describe('ossl-demo', () => {
  it('serves TLS on loopback, connects a verifying client and echoes the message', async () => {
    const { stdout } = await run(process.execPath, [cli, '--message', 'demo test 123'], { timeout: 30_000 });
    expect(stdout).toContain(`OpenSSL ${process.versions.openssl.replace(/\+.*$/, '')}`);
    expect(stdout).toMatch(/TLS echo server listening on 127\.0\.0\.1:\d+/);
    expect(stdout).toContain('peer subject /C=US/O=ossl demo/CN=localhost');
    expect(stdout).toContain('peer issuer  /C=US/O=ossl demo/CN=ossl demo CA');
    expect(stdout).toContain('verified     yes');
    expect(stdout).toMatch(/protocol {5}TLSv1\.3/);
    expect(stdout).toMatch(/cipher {7}TLS_[A-Z0-9_]+ \(\d+ bits\)/);
    expect(stdout).toContain('echoed       demo test 123');
    expect(stdout).toContain('retrofitted net code');
    expect(stdout).toContain('authorized   true');
    expect(stdout).toMatch(/cipher\(\) {5}\["TLS_[A-Z0-9_]+","TLSv1.3",\d+\]/);
    expect(stdout).toContain('["commonName","localhost"]');
    expect(stdout.match(/echoed {7}demo test 123/g)).toHaveLength(2);
    expect(stdout).toContain('GET /first   200 OK: demo test 123 (you asked for /first)');
    expect(stdout).toContain('GET /second  200 OK: demo test 123 (you asked for /second)');
  });

  it('works with RSA keys too', async () => {
    const { stdout } = await run(process.execPath, [cli, '--rsa'], { timeout: 30_000 });
    expect(stdout).toContain('[sha256WithRSAEncryption]');
    expect(stdout).toContain('echoed       hello from ossl');
  });
});
