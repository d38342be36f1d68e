import { defineConfig } from 'vitest/config';

// Benchmarks run through vitest (TypeScript, decorators, workspace sources) but are not tests:
// `pnpm run bench [prefix]` runs them, and they never fail the suite.
export default defineConfig({
  resolve: { conditions: ['source'] },
  // Tests and benchmarks run from the packages' sources (the `source` export condition), never from dist/.
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } } as never,
  test: {
    include: ['bench/**/*.bench.ts', 'packages/*/bench/**/*.bench.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
