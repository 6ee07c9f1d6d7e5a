// Loopback peers for the https-client tests: a TLS server and an HTTP proxy that record every byte
// they receive (to prove that a refused request sent nothing), and a small CONNECT proxy whose
// answer a test chooses. Every server registers its own cleanup.
import net from 'node:net';
import tls from 'node:tls';
import { listenLoopback, type Identity } from '@ossl/testkit';

export type Cleanups = Array<() => unknown>;

/** Listens on 127.0.0.1 (port 0), registers a cleanup that closes the server and its sockets. */
export const listen = (server: net.Server, cleanups: Cleanups, host = '127.0.0.1'): Promise<number> => listenLoopback(server, cleanups, host);

/** What a recording server saw: one entry per TCP connection, with every byte it received. */
export interface Recording {
  /** TCP connections accepted (counted when accepted, before any TLS). */
  connections: number;
  /** The bytes received on each connection (decrypted, for the TLS server), as latin1 text. */
  received: string[];
  /** The SNI name each TLS connection carried (`false` when none). */
  servernames: (string | false)[];
}

/**
 * A TLS server that records everything and answers each request head with an empty 200 response
 * (`Connection: close`).
 */
export async function recordingTlsServer(identity: Identity, cleanups: Cleanups): Promise<{ port: number; rec: Recording }> {
  const rec: Recording = { connections: 0, received: [], servernames: [] };
  const server = tls.createServer({ key: identity.keyPem, cert: identity.certPem }, (s) => {
    const index = rec.received.push('') - 1;
    rec.servernames.push((s as tls.TLSSocket & { servername?: string | false }).servername || false);
    s.on('data', (d: Buffer) => {
      rec.received[index] += d.toString('latin1');
      if (rec.received[index]!.includes('\r\n\r\n') && !s.writableEnded) s.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
    s.on('error', () => undefined);
  });
  server.on('connection', () => rec.connections++);
  server.on('tlsClientError', () => undefined);
  const port = await listen(server, cleanups);
  return { port, rec };
}

/**
 * A plain TCP server standing in for a proxy: records every byte and calls `act` with each socket
 * and the bytes seen so far, on connection (`data` undefined) and on each chunk.
 */
export async function scriptedProxy(
  cleanups: Cleanups,
  act: (socket: net.Socket, data: string | undefined) => void,
): Promise<{ port: number; rec: Recording; sockets: net.Socket[] }> {
  const rec: Recording = { connections: 0, received: [], servernames: [] };
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    rec.connections++;
    sockets.push(s);
    const index = rec.received.push('') - 1;
    s.on('error', () => undefined);
    s.on('data', (d: Buffer) => {
      rec.received[index] += d.toString('latin1');
      act(s, rec.received[index]);
    });
    act(s, undefined);
  });
  const port = await listen(server, cleanups);
  return { port, rec, sockets };
}

/**
 * A working CONNECT proxy: reads the request head, answers `200` (with `padding` bytes of extra
 * header lines) and then relays bytes both ways to 127.0.0.1:`targetPort`, whatever host was asked.
 */
export async function connectProxy(targetPort: number, cleanups: Cleanups, padding = 0): Promise<{ port: number; heads: string[] }> {
  const heads: string[] = [];
  const server = net.createServer((client) => {
    client.on('error', () => undefined);
    let head = Buffer.alloc(0);
    const onData = (d: Buffer): void => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      heads.push(head.subarray(0, end + 4).toString('latin1'));
      const upstream = net.connect(targetPort, '127.0.0.1', () => {
        const pad = padding > 0 ? `X-Pad: ${'p'.repeat(padding)}\r\n` : '';
        client.write(`HTTP/1.1 200 Connection established\r\n${pad}\r\n`);
        const rest = head.subarray(end + 4);
        if (rest.length > 0) upstream.write(rest);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
    };
    client.on('data', onData);
  });
  const port = await listen(server, cleanups);
  return { port, heads };
}
