// In-memory peers, as pyOpenSSL's tests do it: two Connections joined by their memory BIOs.
import { Context, Connection, TLS_METHOD, WantReadError } from '../../src/index.js';
import type { Identity } from '@ossl/testkit';

export { makeIdentity, makePki, tempFiles, type Identity, type Pki } from '@ossl/testkit';

/** Moves every pending byte each way; returns whether anything moved. */
export function pump(a: Connection, b: Connection): boolean {
  let moved = false;
  for (const [from, to] of [[a, b], [b, a]] as const) {
    while (from.bioPending() > 0) {
      to.bioWrite(from.bioRead(65536));
      moved = true;
    }
  }
  return moved;
}

/** Drives both handshakes to the end (pyOpenSSL's handshake_in_memory); throws what either side throws. */
export function handshake(client: Connection, server: Connection): void {
  for (let round = 0; round < 20; round++) {
    let done = 0;
    for (const side of [client, server]) {
      try {
        side.doHandshake();
        done++;
      } catch (e) {
        if (!(e instanceof WantReadError)) throw e;
      }
    }
    const moved = pump(client, server);
    if (done === 2 && !moved) return;
  }
  throw new Error('handshake did not finish in 20 rounds');
}

/** A server Context with `id`'s certificate and key. */
export function serverContext(id: Identity, method = TLS_METHOD): Context {
  const ctx = new Context(method);
  ctx.useCertificate(id.cert);
  ctx.usePrivatekey(id.key);
  return ctx;
}

/** A client and a server Connection in connect and accept state. */
export function pair(clientCtx: Context, serverCtx: Context): { client: Connection; server: Connection } {
  const client = new Connection(clientCtx);
  client.setConnectState();
  const server = new Connection(serverCtx);
  server.setAcceptState();
  return { client, server };
}

/** What `fn` threw (the test fails when it did not throw). */
export function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}
