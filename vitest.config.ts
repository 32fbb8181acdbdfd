import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests import the package by name, as users do; it resolves to the sources.
    alias: [
      { find: /^glasswork$/, replacement: src('index.ts') },
      { find: /^glasswork\/testing$/, replacement: src('testing/index.ts') },
      { find: /^glasswork\/otel$/, replacement: src('otel/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    // Files run one at a time: the fault, load and multi-process suites measure timings and
    // share servers, and on a small machine parallel files only contend for the same cores.
    fileParallelism: false,
    hookTimeout: 60_000,
    typecheck: {
      enabled: true,
      include: ['test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
});
