// Servers, sockets and event recorders shared by the compat-net tests. Everything stays on loopback.
import { once } from 'node:events';
import nodeNet from 'node:net';
import { Duplex } from 'node:stream';

/** Runs `fn`s registered during a test after it, last first. */
export function cleanupList(): { add: (fn: () => unknown) => void; run: () => Promise<void> } {
  const fns: Array<() => unknown> = [];
  return {
    add: (fn) => fns.push(fn),
    run: async () => {
      for (const fn of fns.splice(0).reverse()) await fn();
    },
  };
}

/** Listens on `where` (a port and host, or a unix socket path); closed at cleanup, its connections destroyed. */
export async function listenAt(server: nodeNet.Server, where: [number, string] | string, cleanup: (fn: () => unknown) => void): Promise<void> {
  const open = new Set<nodeNet.Socket>();
  server.on('connection', (s: nodeNet.Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  if (typeof where === 'string') server.listen(where);
  else server.listen(where[0], where[1]);
  await once(server, 'listening');
  cleanup(
    () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  );
}

/** Listens on 127.0.0.1 on a free port; the server is closed at cleanup (its connections destroyed). */
export async function listen(server: nodeNet.Server, cleanup: (fn: () => unknown) => void): Promise<number> {
  await listenAt(server, [0, '127.0.0.1'], cleanup);
  return (server.address() as nodeNet.AddressInfo).port;
}

/** A plain TCP connection to 127.0.0.1:`port` (or `host`), once connected. */
export async function rawConnect(port: number, options: { host?: string; allowHalfOpen?: boolean } = {}): Promise<nodeNet.Socket> {
  const raw = nodeNet.connect({ port, host: options.host ?? '127.0.0.1', allowHalfOpen: options.allowHalfOpen ?? false });
  raw.on('error', () => undefined);
  await once(raw, 'connect');
  return raw;
}

export interface Outcome {
  /** The events in order: `secureConnect`, `end`, `close`, and `error(<code>)`. */
  events: string[];
  error: (Error & { code?: string }) | null;
  authorized: boolean;
  /** Why the peer was not authorized, as node:tls says it: a code such as `'ERR_TLS_CERT_ALTNAME_INVALID'`. */
  authorizationError: string | null;
  data: string;
}

type Watched = Duplex & { authorized?: boolean; authorizationError?: string | null };

/**
 * Records what a TLS socket does until it closes: the events, the first error and the data. The
 * socket is read (flowing) and closed by the caller's `after` step, if any, once secure.
 */
export function watch(sock: Watched, after?: (sock: Watched) => void): Promise<Outcome> {
  return new Promise((resolve) => {
    const out: Outcome = { events: [], error: null, authorized: false, authorizationError: null, data: '' };
    sock.on('secureConnect', () => {
      out.events.push('secureConnect');
      out.authorized = sock.authorized === true;
      out.authorizationError = sock.authorizationError ?? null;
      after?.(sock);
    });
    sock.on('data', (d: Buffer) => {
      out.data += d.toString();
    });
    sock.on('end', () => out.events.push('end'));
    sock.on('error', (e: Error & { code?: string }) => {
      out.events.push(`error(${e.code})`);
      out.error ??= e;
    });
    sock.on('close', () => {
      out.events.push('close');
      resolve(out);
    });
  });
}

/**
 * A Duplex over a net.Socket that hides where it goes (no `remoteAddress`, no host): a transport
 * compat-net cannot take a host name from.
 */
export function anonymousDuplex(raw: nodeNet.Socket): Duplex {
  const d = new Duplex({
    read() {
      raw.resume();
    },
    write(chunk, _enc, cb) {
      raw.write(chunk, cb);
    },
    final(cb) {
      raw.end();
      cb();
    },
    destroy(err, cb) {
      raw.destroy();
      cb(err);
    },
  });
  raw.on('error', (e) => d.destroy(e));
  raw.on('data', (c) => {
    if (!d.push(c)) raw.pause();
  });
  raw.on('end', () => d.push(null));
  raw.on('close', () => d.destroy());
  return d;
}

/** Waits for `predicate` to hold, checking after each turn of the event loop (never a fixed delay). */
export async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 5));
}
