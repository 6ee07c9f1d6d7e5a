import dgram from 'node:dgram';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Context, DTLS_METHOD, TLS_METHOD, VERIFY_PEER, DTLSSocket, DTLSServer, splitRecords } from '../src/index.js';
import { makePki } from './support/memory.js';

const pki = makePki();
function sctx() { const c = new Context(DTLS_METHOD); c.useCertificate(pki.server.cert); c.usePrivatekey(pki.server.key); return c; }
function cctx() { const c = new Context(DTLS_METHOD); c.getCertStore().addCert(pki.ca.cert); c.setVerify(VERIFY_PEER); c.checkHostname = true; return c; }

describe('explore', () => {
  it('big', async () => {
    const server = new DTLSServer(sctx());
    const addr = await server.listen(0);
    const acc2 = server.accept();
    const c2 = await DTLSSocket.connect(cctx(), { port: addr.port, host: '127.0.0.1', servername: 'localhost' });
    const p2 = await acc2;
    c2.on('error', (e) => console.log('c2 error event', e.message));
    c2.on('close', () => console.log('c2 close event'));
    try { c2.send(Buffer.alloc(16384, 1)); console.log('16384 ->', (await p2.recv())?.length); } catch (e) { console.log('16384 err', e); }
    try { c2.send(Buffer.alloc(16385, 1)); console.log('16385 ->', (await p2.recv())?.length); } catch (e) { console.log('16385 err', (e as Error).message); }
    try { c2.send('small'); console.log('small ->', String(await p2.recv())); } catch (e) { console.log('small err', e); }
    await c2.close();
    console.log('p2 recv after c2.close', await Promise.race([p2.recv(), new Promise((r) => setTimeout(() => r('pending'), 500))]));
    await server.close();
  });
  it('listen in use', async () => {
    const s = dgram.createSocket('udp4'); s.bind(0, '127.0.0.1'); await once(s, 'listening'); const port = s.address().port;
    const server = new DTLSServer(sctx());
    const e = await server.listen(port).catch((e) => e);
    console.log('listen in use', e);
    s.close();
  });
});
