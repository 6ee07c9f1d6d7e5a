// pyOpenSSL 23 as the behaviour oracle: the same memory-BIO sequence gives the same outcome (value or
// exception class) at every step.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { Connection, Context, SSLError, TLS_METHOD, WantReadError } from '../src/index.js';
import { makePki } from './support/memory.js';

describe('Connection against pyOpenSSL', () => {
  it('gives the same outcome at every step of the same memory-BIO sequence', () => {
    const pki = makePki();
    const r = spawnSync('/usr/bin/python3', [join(__dirname, 'support', 'pyopenssl_sequence.py')], {
      input: JSON.stringify([pki.server.certPem, pki.server.keyPem]),
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`pyOpenSSL (python3-openssl) is needed: ${r.stderr}`);
    const theirs = JSON.parse(r.stdout) as [string, unknown][];

    const ours: [string, unknown][] = [];
    const step = (fn: () => unknown): void => {
      try {
        let v = fn();
        if (Buffer.isBuffer(v)) v = v.length < 20 ? v.toString('latin1') : `<${v.length} bytes>`;
        ours.push(['ok', v === undefined ? null : v]);
      } catch (e) {
        if (!(e instanceof SSLError)) throw e;
        const name = (e as Error).name === 'SSLError' ? 'Error' : (e as Error).name;
        ours.push(['raise', name]);
      }
    };
    const pair = () => {
      const sctx = new Context(TLS_METHOD);
      sctx.useCertificate(pki.server.cert);
      sctx.usePrivatekey(pki.server.key);
      const server = new Connection(sctx);
      server.setAcceptState();
      const client = new Connection(new Context(TLS_METHOD));
      client.setConnectState();
      return { client, server };
    };
    const pump = (a: Connection, b: Connection): void => {
      for (const [x, y] of [[a, b], [b, a]] as const) while (x.bioPending() > 0) y.bioWrite(x.bioRead(65536));
    };

    let { client, server } = pair();
    step(() => client.bioRead(100));
    step(() => server.recv(10));
    step(() => client.doHandshake());
    pump(client, server);
    step(() => server.doHandshake());
    pump(client, server);
    step(() => client.doHandshake());
    pump(client, server);
    step(() => server.doHandshake());
    step(() => client.send('x'));
    step(() => server.recv(10));
    pump(client, server);
    step(() => server.recv(10));
    step(() => client.shutdown());
    pump(client, server);
    step(() => server.recv(10));
    step(() => server.shutdown());
    pump(client, server);
    step(() => client.shutdown());

    ({ client, server } = pair());
    for (let i = 0; i < 4; i++) {
      for (const side of [client, server]) {
        try {
          side.doHandshake();
        } catch (e) {
          if (!(e instanceof WantReadError)) throw e;
        }
      }
      pump(client, server);
    }
    server.bioShutdown();
    step(() => server.recv(10));

    ({ server } = pair());
    server.bioWrite('GET / HTTP/1.0\r\n\r\n');
    step(() => server.doHandshake());
    // Using a Connection again after a fatal error is what OpenSSL says never to do, and what it
    // answers depends on its release (3.0: a system error; 3.5: "want read", which a driver would
    // wait on for ever). ossl refuses it the same way everywhere; pyOpenSSL passes OpenSSL's answer on.
    let again: unknown = null;
    try {
      server.doHandshake();
    } catch (e) {
      again = e;
    }
    expect(again).toBeInstanceOf(SSLError);
    expect(again).toHaveProperty('code', 'ERR_SSL_CONNECTION_FAILED');

    expect(theirs).toHaveLength(16);
    // EOF without close_notify is SysCallError on both sides, never a clean end.
    expect(theirs[13]).toEqual(['raise', 'SysCallError']);
    expect(ours).toEqual(theirs.slice(0, 15));
  });
});
