import { once } from 'node:events';
import tls from 'node:tls';
import { it } from 'vitest';
import { makeIdentity, makePki } from '@ossl/testkit';
import { connect, createServer } from '../src/index.js';
import { listen, cleanupList } from './support/net.js';

const c = cleanupList();
const show = (label: string, e: any) => console.log(label, e && { ctor: e.constructor?.name, msg: e.message, code: e.code, keys: Object.keys(e), reason: e.reason, host: e.host, library: e.library, errors: e.errors?.length, cause: e.cause?.constructor?.name, causeCode: e.cause?.code, verifyCode: e.cause?.verifyCode });

it('probe client errors', async () => {
  const pki = makePki();
  const server = tls.createServer({ key: pki.server.keyPem, cert: pki.server.certPem }, (s) => { s.on('error', () => {}); s.end('x'); });
  server.on('tlsClientError', () => {});
  const port = await listen(server, c.add);
  for (const [lbl, mk] of [['ours', connect], ['node', tls.connect]] as const) {
    const a = (mk as any)({ port, host: '127.0.0.1', servername: 'localhost', ca: makePki().ca.certPem });
    const [e1] = await once(a, 'error'); show(lbl + ' untrusted', e1);
    const b = (mk as any)({ port, host: '127.0.0.1', servername: 'wrong.example', ca: pki.ca.certPem });
    const [e2] = await once(b, 'error'); show(lbl + ' misnamed', e2);
    console.log(lbl, 'cert keys', Object.keys(e2.cert).join(','), 'reasonOracle', tls.checkServerIdentity('wrong.example', e2.cert)?.message);
    const b2 = (mk as any)({ port, host: '127.0.0.2', ca: pki.ca.certPem });
    const [e3] = await once(b2, 'error'); show(lbl + ' ip mis', e3);
    const d = (mk as any)({ port, host: '127.0.0.1', servername: 'wrong.example', ca: pki.ca.certPem, rejectUnauthorized: false });
    await once(d, 'secureConnect'); console.log(lbl, 'lax', d.authorized, d.authorizationError); d.destroy();
    for (const ciphers of ['NOPE', 'TLS_NOPE', ':', 'TLS_NOPE:ECDHE-ECDSA-AES128-GCM-SHA256']) {
      try { const s = (mk as any)({ port: 9, host: '127.0.0.1', ciphers }); s.on('error', () => {}); s.destroy(); console.log(lbl, ciphers, 'no throw'); } catch (e) { show(lbl + ' ciphers ' + ciphers, e); }
    }
  }
  await c.run();
});
