import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Class names survive the build (`X509`, not `_X509`): they show in util.inspect, error names and messages.
  keepNames: true,
  external: ['@ossl/native', '@ossl/crypto', '@ossl/ssl'],
  // require('@ossl/compat-net') is the module object itself, as require('node:tls') is: mutable, so a
  // program's `tls.DEFAULT_MAX_VERSION = 'TLSv1.2'` takes effect (`.default` points back to it).
  footer: ({ format }) => (format === 'cjs' ? { js: 'module.exports = module.exports.default;' } : {}),
});
