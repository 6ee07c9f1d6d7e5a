#!/usr/bin/env node
// A benchmark server in its own process: `node tls-peer.mjs ossl|node|bulk CERT KEY`. Prints its port,
// then accepts connections forever. `ossl` and `node`: handshake, one byte back, close. `bulk` (node:tls):
// stream 32 MiB in 64 KiB writes, then close.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';

import { loadCertificate, loadPrivatekey, FILETYPE_PEM } from '@ossl/crypto';
import { Context, SocketConnection, TLS_METHOD } from '@ossl/ssl';

const [impl, certFile, keyFile] = process.argv.slice(2);
const cert = readFileSync(certFile);
const key = readFileSync(keyFile);

let server;
if (impl === 'bulk') {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  server = tls.createServer({ cert, key }, (s) => {
    s.on('error', () => {});
    let left = 512;
    const more = () => {
      while (left > 0) {
        left--;
        if (!s.write(chunk)) return void s.once('drain', more);
      }
      s.end();
    };
    more();
  });
} else if (impl === 'node') {
  server = tls.createServer({ cert, key }, (s) => {
    s.on('error', () => {});
    s.end('k');
  });
} else {
  const ctx = new Context(TLS_METHOD);
  ctx.useCertificate(loadCertificate(FILETYPE_PEM, cert));
  ctx.usePrivatekey(loadPrivatekey(FILETYPE_PEM, key));
  server = net.createServer((sock) => {
    sock.on('error', () => {});
    const conn = new SocketConnection(ctx, sock, { timeout: 10_000 });
    conn.setAcceptState();
    conn
      .doHandshake()
      .then(() => conn.sendall('k'))
      .then(() => conn.shutdown())
      .then(() => sock.end())
      .catch(() => sock.destroy());
  });
}
server.listen(0, '127.0.0.1', () => console.log(`PORT ${server.address().port}`));
