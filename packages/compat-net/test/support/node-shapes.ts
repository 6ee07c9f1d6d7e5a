// Assertions on the shapes node:tls gives its errors, with node:tls itself as the oracle wherever it
// can be asked: compat-net's node-shaped names must fail as node:tls fails, word for word.
import tls from 'node:tls';
import { expect } from 'vitest';
import { CertificateVerifyError } from '@ossl/ssl';

/** What a synchronous call did: `'ok'`, or the class, code and message of what it threw. */
export type Thrown = 'ok' | { name: string; code: unknown; message: string };

/** Runs `fn` and says what it threw (a socket or server it returns is closed at once). */
export function thrownBy(fn: () => unknown): Thrown {
  let made: unknown;
  try {
    made = fn();
  } catch (e) {
    const err = e as Error & { code?: unknown };
    return { name: err.constructor.name, code: err.code, message: err.message };
  }
  const closable = made as { on?: (e: string, f: () => void) => void; destroy?: () => void; close?: () => void } | null;
  closable?.on?.('error', () => undefined);
  closable?.destroy?.();
  return 'ok';
}

/**
 * node:tls's ERR_TLS_CERT_ALTNAME_INVALID for `host`: a plain Error (not a CertificateVerifyError)
 * with node's message, `reason`, `host` and `cert`, and the reason worded exactly as node:tls's own
 * checkServerIdentity words it for that certificate (an IP address against the IP list, a name
 * against the DNS names).
 */
export function expectAltnameError(err: unknown, host: string): void {
  const e = err as Error & { code?: string; reason?: string; host?: string; cert?: tls.PeerCertificate };
  expect(e).toBeInstanceOf(Error);
  expect(e).not.toBeInstanceOf(CertificateVerifyError);
  expect(e.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  expect(e.host).toBe(host);
  expect(e.cert).toEqual(expect.objectContaining({ raw: expect.any(Buffer) }));
  const theirs = tls.checkServerIdentity(host, e.cert!) as (Error & { reason?: string }) | undefined;
  expect(theirs, `node:tls accepts ${host} for this certificate`).toBeInstanceOf(Error);
  expect(e.reason).toBe(theirs!.reason);
  expect(e.message).toBe(`Hostname/IP does not match certificate's altnames: ${theirs!.reason}`);
}

/**
 * An OpenSSL failure as node:tls reports it: a plain Error whose message is OpenSSL's text for the
 * first queued error, node's `code` for it, `library` and `reason`, and OpenSSL's queue in a
 * non-enumerable `errors` (ossl's entries) that starts with that error.
 */
export function expectOpensslError(err: unknown, want: { code: string; message: string; library: string; reason: string }): void {
  const e = err as Error & { code?: string; library?: string; reason?: string; errors?: Array<{ reason: string }> };
  expect(e).toBeInstanceOf(Error);
  expect(e).not.toBeInstanceOf(TypeError);
  expect(e).not.toBeInstanceOf(RangeError);
  expect(e).not.toBeInstanceOf(CertificateVerifyError);
  expect({ code: e.code, message: e.message, library: e.library, reason: e.reason }).toEqual(want);
  expect(Object.keys(e)).not.toContain('errors');
  expect(Array.isArray(e.errors)).toBe(true);
  expect(e.errors![0]!.reason).toBe(want.reason);
}

/** Calls `fn`, which must throw synchronously; returns what it threw. */
export function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a throw');
}
