// compat-net takes Contexts, Sessions and certificates made by the CJS builds of @ossl/ssl and
// @ossl/crypto (what `require()` gives a CommonJS caller), and prints its sockets and servers usefully.
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import type * as cryptoTypes from '@ossl/crypto';
import type * as sslTypes from '@ossl/ssl';
import { makePki } from '@ossl/testkit';
import { afterEach, describe, expect, it } from 'vitest';

import { certToPythonDict, connect, createServer, SecureContext, SecureSocket } from '../src/index.js';
import { cleanupList, listen } from './support/net.js';

const require = createRequire(import.meta.url);
const cryptoCjs = require('@ossl/crypto') as typeof cryptoTypes;
const sslCjs = require('@ossl/ssl') as typeof sslTypes;

const cleanup = cleanupList();
afterEach(() => cleanup.run());

/** A server Context of the CJS @ossl/ssl holding the CJS @ossl/crypto's copies of the server's identity. */
function cjsServerContext(pki: ReturnType<typeof makePki>): sslTypes.Context {
  const ctx = new sslCjs.Context(sslCjs.TLS_METHOD);
  ctx.useCertificate(cryptoCjs.loadCertificate(cryptoCjs.FILETYPE_PEM, pki.server.certPem));
  ctx.usePrivatekey(cryptoCjs.loadPrivatekey(cryptoCjs.FILETYPE_PEM, pki.server.keyPem));
  ctx.setSessionId('cross-copy');
  return ctx;
}

describe('compat-net with objects of the CJS builds', () => {
  it('serves with a CJS Context, resumes a CJS Session and prints both ends', async () => {
    const pki = makePki();
    const server = createServer({ context: cjsServerContext(pki) }, (s) => {
      s.on('data', (d) => s.write(d));
      s.on('error', () => undefined);
    });
    const port = await listen(server, cleanup.add);

    const options = { port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca.certPem, maxVersion: 'TLSv1.2' as const };
    const first = connect(options);
    expect(inspect(first)).toMatch(/^SecureSocket \{ side: 'client', secure: false, authorized: false, servername: 'localhost' \}$/);
    await once(first, 'secureConnect');
    expect(first.authorized).toBe(true);
    expect(inspect(first)).toMatch(
      new RegExp(`^SecureSocket \\{ side: 'client', secure: true, authorized: true, servername: 'localhost', protocol: 'TLSv1\\.2', cipher: '[\\w-]+', peer: '127\\.0\\.0\\.1:${port}' \\}$`),
    );
    const der = first.getSession()!;
    first.destroy();

    // The session, as a Session object of the CJS @ossl/ssl.
    const session = sslCjs.Session.fromDER(der);
    const second = connect({ ...options, session });
    cleanup.add(() => second.destroy());
    await once(second, 'secureConnect');
    expect(second.isSessionReused()).toBe(true);
    expect(second.authorized).toBe(true);
    // The server prints as node:tls's Server does (its class is `Server`), with the CJS Context it serves with.
    expect(inspect(server)).toMatch(new RegExp(`^Server \\{ listening: true, address: '127\\.0\\.0\\.1:${port}', handshakeTimeout: 120000, context: Context \\{ method: 'TLS_METHOD', .* \\} \\}$`));
  });

  it('converts a CJS X509 to Python\'s dict', () => {
    const pki = makePki();
    const cert = cryptoCjs.loadCertificate(cryptoCjs.FILETYPE_PEM, pki.server.certPem);
    expect(certToPythonDict(cert)).toEqual(certToPythonDict(pki.server.cert));
  });

  /**
   * Checks what happens to a `context` that is not an @ossl/ssl Context: servers ignore it, as node:tls
   * ignores options it does not know (and serve with what the other options build); clients refuse it.
   */
  async function ignoredContext(context: unknown): Promise<void> {
    const pki = makePki();
    const server = createServer({ context, cert: pki.server.certPem, key: pki.server.keyPem } as never, (s) => {
      s.on('error', () => undefined);
      s.end('hi');
    });
    // The server's context is the one built from cert and key, which serves the certificate.
    expect(server.context).not.toBe(context);
    expect(server.context).toBeInstanceOf(sslCjs.Context);
    const port = await listen(server, cleanup.add);
    // A client refuses it outright, before connecting: a TypeError naming the option.
    const options = { port, host: '127.0.0.1', servername: 'localhost', context: context as sslTypes.Context };
    for (const make of [() => connect(options), () => connect({ ...options, ca: pki.ca.certPem }), () => new SecureSocket({ ...options, ca: pki.ca.certPem })]) {
      expect(make).toThrow(TypeError);
      expect(make).toThrow(/options\.context/);
    }
    // The server, built from cert and key, still serves a client that trusts the CA.
    const { context: _ignored, ...clean } = options;
    const trusting = connect({ ...clean, ca: pki.ca.certPem });
    await once(trusting, 'secureConnect');
    expect(trusting.authorized).toBe(true);
    trusting.destroy();
  }

  it('a context option that is not an @ossl/ssl Context: servers ignore it (as node:tls), clients refuse it', async () => {
    for (const fake of [{}, 'ctx', new (class Context {})(), { verifyMode: 0, checkHostname: false }]) await ignoredContext(fake);
  });

  it('a forged Context (an object claiming the brand) is treated the same way: it cannot steer anything', async () => {
    const forged = Object.create({ [Symbol.for('@ossl/brand')]: '@ossl/ssl:Context' }) as sslTypes.Context;
    await ignoredContext(forged);
  });

  it('prints a server socket and a closed server without throwing', async () => {
    const pki = makePki();
    const server = createServer({ cert: pki.server.certPem, key: pki.server.keyPem });
    const unlistened = inspect(server);
    const port = await listen(server, cleanup.add);
    const accepted = once(server, 'secureConnection') as Promise<[SecureSocket]>;
    const client = connect({ port, host: '127.0.0.1', servername: 'localhost', ca: pki.ca.certPem });
    cleanup.add(() => client.destroy());
    const [sock] = await accepted;
    expect(inspect(sock)).toMatch(/^SecureSocket \{ side: 'server', secure: true, authorized: false, servername: 'localhost', protocol: 'TLSv1\.3', cipher: 'TLS_\w+', peer: '127\.0\.0\.1:\d+' \}$/);
    sock.destroy();
    expect(inspect(sock)).toMatch(/destroyed: true \}$/);
    expect(() => inspect(Object.create(SecureSocket.prototype))).not.toThrow();
    // A server not yet listening prints as node:tls's Server does (its class is `Server`).
    expect(unlistened).toMatch(/^Server \{ listening: false, handshakeTimeout: 120000, context: Context \{/);
  });
});
