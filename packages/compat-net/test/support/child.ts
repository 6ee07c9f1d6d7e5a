// Runs a TypeScript file of this package in a child node process (through vite-node, as vitest runs
// the tests), for what node and compat-net read only when a process starts.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const viteNode = createRequire(require.resolve('vitest/package.json')).resolve('vite-node/vite-node.mjs');
const packageDir = join(__dirname, '..', '..');

/**
 * Runs `script` (a path) with node flags `execArgv` and the environment changed by `env` (undefined
 * removes a variable); resolves with its stdout once it exits 0, rejects with its stderr otherwise.
 */
export function runScript(script: string, options: { env?: Record<string, string | undefined>; execArgv?: string[] } = {}): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.execArgv ?? []), viteNode, script], { cwd: packageDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} exited with ${code}: ${err}`))));
  });
}
