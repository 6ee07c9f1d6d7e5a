// What every compat-net SecureContext sets, as node:tls's do: OpenSSL releases an idle connection's
// record buffers, and keeps no sessions of its own (a client's go to 'session', a server's tickets
// and external cache handle resumption).
import { describe, expect, it } from 'vitest';
import { MODE_RELEASE_BUFFERS, SESS_CACHE_CLIENT, SESS_CACHE_NO_AUTO_CLEAR, SESS_CACHE_NO_INTERNAL, SESS_CACHE_SERVER } from '@ossl/ssl';

import { createSecureContext, createServer } from '../src/index.js';

describe('SecureContext defaults', () => {
  it('release idle buffers and keep no internal session cache, for clients and servers', () => {
    const client = createSecureContext({});
    const server = createServer({}).context;
    for (const ctx of [client.context, server]) {
      // setMode adds flags and returns the mode now set: adding none reads it.
      expect(ctx.setMode(0) & MODE_RELEASE_BUFFERS).toBe(MODE_RELEASE_BUFFERS);
      expect(ctx.getSessionCacheMode()).toBe(SESS_CACHE_CLIENT | SESS_CACHE_SERVER | SESS_CACHE_NO_INTERNAL | SESS_CACHE_NO_AUTO_CLEAR);
    }
  });
});
