// One SecureContext for the TLS options an Agent or a Dispatcher was made with, instead of one per
// connection: building a context parses every CA, certificate and key again (node:tls does that per
// connection, in C++; here it is the larger part of a new connection's cost).
import { createSecureContext, type SecureContext, type SecureContextOptions } from '@ossl/compat-net';

/** The options that go into a secure context (node:tls's `createSecureContext`). */
const CONTEXT_KEYS = [
  'ca', 'cert', 'key', 'passphrase', 'pfx', 'ciphers', 'ecdhCurve', 'dhparam', 'sigalgs', 'crl', 'minVersion', 'maxVersion',
  'secureProtocol', 'secureOptions', 'honorCipherOrder', 'sessionIdContext', 'sessionTimeout', 'ticketKeys',
  'privateKeyEngine', 'privateKeyIdentifier', 'clientCertEngine',
] as const;

/** The context options among `options` (own properties only). */
export function contextOptions(options: object): SecureContextOptions {
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of CONTEXT_KEYS) if (Object.hasOwn(options, key)) out[key] = (options as Record<string, unknown>)[key];
  return out as SecureContextOptions;
}

/** Whether `a` and `b` name the same context options (the same values, as node:http merges them). */
export function sameContextOptions(a: object, b: object): boolean {
  for (const key of CONTEXT_KEYS) if ((a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) return false;
  return true;
}

/** A SecureContext built once, on first use, from `options`' context options. */
export class SharedSecureContext {
  #options: SecureContextOptions;
  #context: SecureContext | null = null;

  constructor(options: object) {
    this.#options = contextOptions(options);
  }

  /** The context (built now if it was not yet; errors as `createSecureContext` throws them). */
  get(): SecureContext {
    return (this.#context ??= createSecureContext(this.#options));
  }
}
