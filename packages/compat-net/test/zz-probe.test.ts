import tls from 'node:tls';
import nodeNet from 'node:net';
import { it } from 'vitest';
import { makePki } from '@ossl/testkit';
import { connect, createServer, wrapSocket, fromSocket, SecureSocket } from '../src/index.js';

const tr = (f: () => unknown): any => { try { const r: any = f(); r?.on?.('error', () => {}); r?.destroy?.(); return null; } catch (e) { return e; } };

it('probe', async () => {
  const pki = makePki();
  const cases: Record<string, unknown[]> = {
      ca: [42, [42], {}, ['-----BEGIN CERTIFICATE-----', 7], true],
      cert: [42, {}, [1]],
      key: [42, {}],
      passphrase: [42],
      servername: [42, {}],
      host: [42],
      ciphers: [42],
      ALPNProtocols: [42, {}, 'h2', ['h2', 42], [null]],
      minVersion: [42, 'TLSv9', 'SSLv3', 'tlsv1.3'],
      maxVersion: [13, 'TLSv1.4'],
      context: [{}, 'ctx', new (class Context {})()],
      socket: [42, {}],
      session: [42, 'session'],
      timeout: ['soon'],
      highWaterMark: ['big'],
      port: ['https', -1, 70000, 1.5],
  };
  for (const [option, values] of Object.entries(cases)) for (const value of values) {
    const e = tr(() => connect({ port: 9, host: '127.0.0.1', [option]: value } as never));
    const n = tr(() => tls.createSecureContext({ [option]: value } as never));
    console.log('C', option, JSON.stringify(value), e ? `${e.constructor.name} ${e.code} ${e.message}` : 'NO THROW', '| node ctx:', n ? `${n.constructor.name} ${n.code} ${n.message}` : 'no');
  }
  const serverCases: Array<[string, unknown]> = [ ['handshakeTimeout', 'soon'], ['handshakeTimeout', -1], ['sessionIdContext', 42], ['sessionIdContext', 'x'.repeat(33)], ['ALPNProtocols', [Buffer.alloc(256)]], ['ALPNProtocols', Buffer.from([5, 0x68])], ['cert', 42], ['context', {}]];
  for (const [option, value] of serverCases) {
    const e = tr(() => createServer({ [option]: value } as never));
    const n = tr(() => tls.createServer({ [option]: value } as never));
    console.log('S', option, e ? `${e.constructor.name} ${e.code} ${e.message}` : 'NO THROW', '| node:', n ? `${n.constructor.name} ${n.code} ${n.message}` : 'no');
  }
  const raw = new nodeNet.Socket();
  for (const [option, value] of [['certReqs', 7], ['caCerts', 42], ['serverHostname', 42], ['keyfile', 42], ['context', {}], ['sslVersion', 'TLS']] as const) {
    const e = tr(() => wrapSocket(raw, { serverHostname: 'localhost', [option]: value } as never));
    console.log('W', option, e ? `${e.constructor.name} ${e.code} ${e.message}` : 'NO THROW');
  }
  let e = tr(() => fromSocket(raw, { ca: 42 } as never)); console.log('F', e?.message);
  e = tr(() => new SecureSocket({ servername: 42 } as never)); console.log('SS', e?.message);
  e = tr(() => connect({ port: 9, minVersion: 'TLSv9' } as never)); console.log('X', e?.code);
  e = tr(() => connect({ port: 9, passphrase: 42, key: pki.client.keyPem } as never)); console.log('P', e?.code, e?.message);
  e = tr(() => tls.connect({ port: 9, passphrase: 42, key: pki.client.keyPem } as never)); console.log('Pn', e?.code, e?.message);
});
