#!/usr/bin/env node
// A handshake-benchmark server in its own process: `node tls-peer.mjs ossl|node CERT KEY`. Prints its
// port, then accepts connections forever: handshake, one byte back, close.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';

import { loadCertificate, loadPrivatekey, FILETYPE_PEM } from '@ossl/crypto';
import { Context, SocketConnection, TLS_METHOD } from '@ossl/ssl';

const [impl, certFile, keyFile] = process.argv.slice(2);
const cert = readFileSync(certFile);
const key = readFileSync(keyFile);

let server;
if (impl === 'node') {
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
