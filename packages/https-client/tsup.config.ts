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
  external: ['@ossl/native', '@ossl/crypto', '@ossl/ssl', '@ossl/compat-net', 'undici'],
});
