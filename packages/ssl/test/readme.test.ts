// The README's port of a small pyOpenSSL server and client, run as written (with temporary files).
import net from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { dumpCertificate, dumpPrivatekey, FILETYPE_PEM } from '@ossl/crypto';

import { Context, SocketConnection, TLS_METHOD, VERIFY_PEER } from '../src/index.js';
import { makePki, tempFiles } from './support/memory.js';

describe('README example', () => {
  it('serves and connects as the side-by-side port shows', async () => {
    const pki = makePki();
    const files = tempFiles({
      'server.pem': dumpCertificate(FILETYPE_PEM, pki.server.cert),
      'server.key': dumpPrivatekey(FILETYPE_PEM, pki.server.key),
      'ca.pem': dumpCertificate(FILETYPE_PEM, pki.ca.cert),
    });
    try {
      const ctx = new Context(TLS_METHOD);
      ctx.useCertificateFile(files.path('server.pem'));
      ctx.usePrivatekeyFile(files.path('server.key'));
      const listener = net.createServer().listen(0, '127.0.0.1');
      await once(listener, 'listening');
      const port = (listener.address() as net.AddressInfo).port;
      const server = new SocketConnection(ctx, listener);
      const served = server.accept().then(async ([conn]) => {
        await conn.doHandshake();
        await conn.sendall(Buffer.concat([Buffer.from('echo:'), await conn.recv(1024)]));
        await conn.shutdown();
        await conn.close();
      });

      const cctx = new Context(TLS_METHOD);
      cctx.loadVerifyLocations(files.path('ca.pem'));
      cctx.setVerify(VERIFY_PEER, (_conn, _cert, _errno, _depth, ok) => ok === 1);
      const client = new SocketConnection(cctx, new net.Socket());
      await client.connect(['127.0.0.1', port]);
      client.setTlsextHostName('localhost');
      await client.doHandshake();
      await client.sendall('hello');
      expect((await client.recv(1024)).toString()).toBe('echo:hello');
      await served;
      await client.close();
      await server.close();
    } finally {
      files.cleanup();
    }
  });
});
