// `Connection` as the package exports it: the sans-IO class, whose constructor also takes pyOpenSSL's
// socket form. A class cannot declare a constructor overload that returns another type, so the
// export is the class under a constructor interface that says so, and a type of the same name.
import type { Server } from 'node:net';
import type { Duplex } from 'node:stream';

import { Connection as ConnectionClass } from './connection.js';
import type { Context } from './context.js';
import type { SocketConnection, SocketConnectionOptions } from './socket-connection.js';

/** The two forms of `new Connection(...)`, pyOpenSSL's `SSL.Connection(context, socket=None)`. */
export interface ConnectionConstructor {
  /**
   * A sans-IO Connection (pyOpenSSL's memory-BIO mode).
   * @param context the settings to use (the Connection keeps it alive).
   * @param socket absent or null.
   */
  new (context: Context, socket?: null): ConnectionClass;
  /**
   * pyOpenSSL's socket mode: a `SocketConnection` over `socket`, whose `connect`, `accept`,
   * `doHandshake`, `recv`, `send`, `sendall` and `shutdown` return Promises.
   * @param context the settings to use.
   * @param socket a net.Socket (connected or not), any Duplex, or a listening net.Server for `accept()`.
   * @param options `timeout`: milliseconds any one wait for the peer may take (null: forever).
   */
  new <S extends Duplex | Server>(context: Context, socket: S, options?: SocketConnectionOptions): SocketConnection;
  /** The prototype of sans-IO Connections. */
  readonly prototype: ConnectionClass;
}

/** A sans-IO TLS connection (the instance type of `Connection`). */
export type Connection = ConnectionClass;

/**
 * A TLS connection: pyOpenSSL's `SSL.Connection` in memory-BIO (sans-IO) mode. Bytes from the peer
 * go in with `bioWrite`, bytes for the peer come out of `bioRead`; `doHandshake`, `send` and `recv`
 * throw `WantReadError` when they need more bytes from the peer, exactly where pyOpenSSL does.
 *
 * Given a socket, `new Connection(context, socket)` is pyOpenSSL's socket mode and returns a
 * `SocketConnection`, which drives a sans-IO Connection over the socket with Promises:
 *
 * ```ts
 * const conn = new Connection(ctx, new net.Socket());
 * await conn.connect(['example.com', 443]);
 * conn.setTlsextHostName('example.com');
 * await conn.doHandshake();
 * await conn.sendall('HEAD / HTTP/1.0\r\n\r\n');
 * ```
 * @class
 */
export const Connection = ConnectionClass as ConnectionConstructor;
