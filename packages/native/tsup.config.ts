import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/ts/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  // Not cleaned first: `prepack` rebuilds dist/ while other packages' tests may be loading it (the
  // test command packs this package as published), and one entry writes the same files every time.
  clean: false,
  target: 'node20',
  shims: false,
});
