// Helpers of node-surface.test.ts: node:tls peers and recorders that run the same scenario against
// compat-net and against node:tls (the oracle), so the two can be compared value for value.
import { once } from 'node:events';
import nodeNet from 'node:net';
import nodeTls from 'node:tls';
import type { Duplex } from 'node:stream';
import { listenAt } from './net.js';

/** What one client connection did, from creation to 'close'. */
export interface ClientRun {
  /** Events in order: `connect`, `secureConnect`, `session`, `end`, `error(<code>)`, `close`. */
  events: string[];
  /** The first 'error'. */
  error: (Error & Record<string, unknown>) | null;
  /** Everything read. */
  data: Buffer;
  /** The last 'session' value. */
  session: Buffer | null;
  /** Read at 'secureConnect'. */
  authorized: boolean | null;
  authorizationError: unknown;
  reused: boolean | null;
  protocol: string | null;
  alpnProtocol: unknown;
}

type AnyTlsSocket = Duplex & {
  authorized?: boolean;
  authorizationError?: unknown;
  isSessionReused?: () => boolean;
  getProtocol?: () => string | null;
  alpnProtocol?: unknown;
};

/**
 * Records a client TLS socket (compat-net's or node:tls's) until it closes. `onSecure` runs at
 * 'secureConnect' (after the values above are read); by default the client just reads until the end.
 */
export function record(sock: AnyTlsSocket, onSecure?: (sock: AnyTlsSocket) => void): Promise<ClientRun> {
  return new Promise((resolve) => {
    const out: ClientRun = { events: [], error: null, data: Buffer.alloc(0), session: null, authorized: null, authorizationError: undefined, reused: null, protocol: null, alpnProtocol: undefined };
    sock.on('connect', () => out.events.push('connect'));
    sock.on('secureConnect', () => {
      out.events.push('secureConnect');
      out.authorized = sock.authorized ?? null;
      out.authorizationError = sock.authorizationError;
      out.reused = sock.isSessionReused?.() ?? null;
      out.protocol = sock.getProtocol?.() ?? null;
      out.alpnProtocol = sock.alpnProtocol;
      onSecure?.(sock);
    });
    sock.on('session', (s: Buffer) => {
      out.events.push('session');
      out.session = s;
    });
    sock.on('data', (d: Buffer) => {
      out.data = Buffer.concat([out.data, d]);
    });
    sock.on('end', () => out.events.push('end'));
    sock.on('error', (e: Error & Record<string, unknown>) => {
      out.events.push(`error(${String(e.code)})`);
      out.error ??= e;
    });
    sock.on('close', () => {
      out.events.push('close');
      resolve(out);
    });
  });
}

/** The events of a run with the (repeatable) 'session' entries removed: TLS 1.3 sends a number of tickets. */
export function withoutSessions(events: string[]): string[] {
  return events.filter((e) => e !== 'session');
}

/** Listens on a unix socket path; closed (connections destroyed) at cleanup. */
export function listenPath(server: nodeNet.Server, path: string, cleanup: (fn: () => unknown) => void): Promise<void> {
  return listenAt(server, path, cleanup);
}

/** Resolves after `n` turns of the event loop (a count, never a delay). */
export async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

/** What a synchronous call threw, as `{name, code, message}`, or `'ok'`. */
export function outcome(fn: () => unknown): 'ok' | { name: string; code: unknown; message: string } {
  try {
    fn();
    return 'ok';
  } catch (e) {
    const err = e as Error & { code?: unknown };
    return { name: err.name, code: err.code, message: err.message };
  }
}

/** A node:tls server whose connections get `greeting` and are ended; errors of its sockets are ignored. */
export function nodeGreeter(options: nodeTls.TlsOptions, greeting = 'hello'): nodeTls.Server {
  const server = nodeTls.createServer(options, (s) => {
    s.on('error', () => undefined);
    s.end(greeting);
  });
  server.on('tlsClientError', () => undefined);
  return server;
}
