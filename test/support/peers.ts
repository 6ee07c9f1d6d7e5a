// Real peers nobody here wrote, run as child processes on loopback.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface Peer {
  proc: ChildProcessWithoutNullStreams;
  /** Everything the peer printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the output matches `pattern`; rejects on exit or after `ms`. */
  waitFor(pattern: RegExp | string, ms?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

export function startPeer(cmd: string, args: string[]): Peer {
  const proc = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const listeners = new Set<() => void>();
  let exited = false;
  const onData = (d: Buffer): void => {
    out += d.toString('latin1');
    for (const l of [...listeners]) l();
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  proc.on('exit', () => {
    exited = true;
    for (const l of [...listeners]) l();
  });
  proc.stdin.on('error', () => undefined);
  return {
    proc,
    output: () => out,
    waitFor(pattern, ms = 120_000) {
      const re = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`${cmd} did not print ${re} within ${ms} ms; output:\n${out}`));
        }, ms);
        const check = (): void => {
          const m = out.match(re);
          if (m) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve(m);
          } else if (exited) {
            clearTimeout(timer);
            listeners.delete(check);
            reject(new Error(`${cmd} exited before printing ${re}; output:\n${out}`));
          }
        };
        listeners.add(check);
        check();
      });
    },
    stop() {
      if (exited) return Promise.resolve();
      return new Promise((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      });
    },
  };
}

/** Starts `openssl s_server` on a free loopback port; resolves once it accepts. */
export async function startSServer(args: string[]): Promise<Peer & { port: number }> {
  const peer = startPeer('openssl', ['s_server', '-accept', '127.0.0.1:0', ...args]);
  const m = await peer.waitFor(/ACCEPT 127\.0\.0\.1:(\d+)/);
  return Object.assign(peer, { port: Number(m[1]) });
}
