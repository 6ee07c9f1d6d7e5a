// The native-only loop (native_loop.c): built on first use into .cache/native-loop/ with the system C
// compiler against Debian's libssl-dev (OpenSSL 3.0.19, the version Node 20 bundles), then run for
// one measurement. Each function returns the parsed JSON, or { error } saying why there is no figure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, 'native_loop.c');
const binary = join(here, '..', '..', '.cache', 'native-loop', 'native_loop');

function build() {
  if (existsSync(binary) && statSync(binary).mtimeMs >= statSync(source).mtimeMs) return null;
  mkdirSync(dirname(binary), { recursive: true });
  const cc = spawnSync('cc', ['-O2', '-Wall', '-Wextra', '-o', binary, source, '-lssl', '-lcrypto'], { encoding: 'utf8' });
  if (cc.error) return `cc: ${cc.error.message}`;
  if (cc.status !== 0) return `cc failed (is libssl-dev installed?): ${cc.stderr.trim().split('\n').slice(-1)[0]}`;
  return null;
}

function run(args) {
  const failed = build();
  if (failed) return { error: failed };
  const r = spawnSync(binary, args, { encoding: 'utf8' });
  if (r.status !== 0) return { error: `native_loop ${args[0]}: ${r.stderr.trim().split('\n')[0] || `exit ${r.status}`}` };
  return JSON.parse(r.stdout);
}

/** d2i_X509 and the lazy structure's decode, per second, for the DER certificate in `file`. */
export const nativeCert = (file, seconds) => run(['cert', file, String(seconds)]);
/** TLS 1.3 full and resumed handshakes per second and bulk MB/s, both ends in memory. */
export const nativeTls = (certFile, keyFile, seconds) => run(['tls', certFile, keyFile, String(seconds)]);
/** DTLS 1.2 handshakes per second and bulk MB/s in `record`-byte records, both ends in memory. */
export const nativeDtls = (certFile, keyFile, seconds, record) => run(['dtls', certFile, keyFile, String(seconds), String(record)]);
