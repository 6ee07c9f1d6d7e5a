// Trust roots: the system store (setDefaultVerifyPaths) and Node's bundled roots both verify the
// real-world server chains of the x509-limbo "online" cases at their validation times.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCertificate, FILETYPE_PEM, X509StoreContext } from '@ossl/crypto';

import { Context, TLS_METHOD } from '../src/index.js';

const dir = join(__dirname, '..', '..', '..', '..', 'shared', 'vectors', 'x509-limbo', 'online');
interface Limbo {
  peer_certificate: string;
  untrusted_intermediates: string[];
  validation_time: string;
  expected_peer_name: { value: string };
}
const cases = readdirSync(dir).filter((f) => f.endsWith('.limbo.json')).map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as Limbo] as const);

describe('trust roots', () => {
  it('has the online limbo cases to check', () => {
    expect(cases.length).toBeGreaterThanOrEqual(14);
  });

  for (const source of ['system store (setDefaultVerifyPaths)', "Node's bundled roots"] as const) {
    it(`verifies real server chains with the ${source}`, () => {
      const ctx = new Context(TLS_METHOD);
      if (source.startsWith('system')) ctx.setDefaultVerifyPaths();
      else ctx.loadNodeRootCertificates();
      const store = ctx.getCertStore();
      for (const [file, c] of cases) {
        store.setTime(new Date(c.validation_time));
        const leaf = loadCertificate(FILETYPE_PEM, c.peer_certificate);
        const chain = new X509StoreContext(store, leaf, c.untrusted_intermediates.map((p) => loadCertificate(FILETYPE_PEM, p))).getVerifiedChain();
        expect(chain.length, file).toBeGreaterThanOrEqual(2);
        expect(chain[0]!.digest('sha256'), file).toBe(leaf.digest('sha256'));
      }
    });
  }
});
