// `deferEnd` (ossl's option, used by https-client for undici): the peer's end reaches a paused-mode
// reader only when it asks for more with nothing left, never while the last data waits unread; without
// it, the end comes as node:tls delivers it (as soon as the buffer is drained).
import { once } from 'node:events';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { makePki } from '@ossl/testkit';

import { connect, type SecureSocket } from '../src/index.js';
import { cleanupList, listen } from './support/net.js';

const cleanups = cleanupList();
afterEach(cleanups.run);

/** A node:tls server that sends `size` bytes and ends (close_notify, FIN) at once; resolves with its port and a promise of its close. */
async function sender(size: number): Promise<{ port: number; closed: Promise<void>; ca: string }> {
  const pki = makePki();
  let closedResolve!: () => void;
  const closed = new Promise<void>((r) => (closedResolve = r));
  const server = tls.createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (s) => {
    s.on('error', () => undefined);
    s.on('close', closedResolve);
    s.end(Buffer.alloc(size, 0x61));
  });
  const port = await listen(server, cleanups.add);
  return { port, closed, ca: pki.ca.certPem };
}

/**
 * Reads, in paused mode, only what is buffered (never asking with an empty buffer); resolves once
 * `want` bytes were taken. (`read(n)` with n > 0 is Python's Promise here; `read()` takes all.)
 */
async function take(sock: SecureSocket, want: number): Promise<number> {
  let got = 0;
  while (got < want) {
    const chunk = sock.readableLength > 0 ? (sock.read() as Buffer | null) : null;
    if (chunk === null) await once(sock, 'readable');
    else got += chunk.length;
  }
  return got;
}

/** Lets the event loop run `turns` times (macrotasks), counted, not timed. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

describe('deferEnd', () => {
  for (const deferEnd of [false, true]) {
    it(`${deferEnd ? 'holds' : 'delivers'} the end of a reader that took exactly the data${deferEnd ? ' until it asks again' : ''}`, async () => {
      const size = 48 * 1024;
      const { port, closed, ca } = await sender(size);
      const sock = connect({ port, host: 'localhost', ca, deferEnd });
      cleanups.add(() => sock.destroy());
      let ended = false;
      sock.on('end', () => (ended = true));
      await once(sock, 'secureConnect');
      expect(await take(sock, size)).toBe(size);
      await closed;
      await turns(20);
      if (!deferEnd) {
        expect(ended).toBe(true);
        return;
      }
      // Everything was taken, the peer is gone: still no 'end', until the reader asks for more.
      expect(ended).toBe(false);
      expect(sock.readableLength).toBe(0);
      expect(sock.read()).toBeNull();
      await once(sock, 'end');
      expect(ended).toBe(true);
    });
  }

  it('tells a reader waiting for readable, and ends when it reads', async () => {
    const { port, ca } = await sender(1000);
    const sock = connect({ port, host: 'localhost', ca, deferEnd: true });
    cleanups.add(() => sock.destroy());
    const chunks: Buffer[] = [];
    sock.on('readable', () => {
      for (let c = sock.read() as Buffer | null; c !== null; c = sock.read() as Buffer | null) chunks.push(c);
    });
    await once(sock, 'end');
    expect(Buffer.concat(chunks).length).toBe(1000);
  });

  it('ends a flowing reader after all of its data', async () => {
    const { port, ca } = await sender(100_000);
    const sock = connect({ port, host: 'localhost', ca, deferEnd: true });
    cleanups.add(() => sock.destroy());
    let n = 0;
    sock.on('data', (d: Buffer) => (n += d.length));
    await once(sock, 'end');
    expect(n).toBe(100_000);
  });
});

describe('deferEnd of the wrong type', () => {
  it('is a TypeError naming the option, before any connection', () => {
    for (const value of ['yes', 1, {}]) {
      expect(() => connect({ port: 9, host: '127.0.0.1', deferEnd: value as never })).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: expect.stringContaining('options.deferEnd') }));
    }
  });
});
