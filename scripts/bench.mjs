#!/usr/bin/env node
// `pnpm run bench [id-prefix]`: runs the benchmarks whose id starts with the prefix.
// Every figure is printed as `bench: <id> = <number> <unit>` on its own line.
import { spawnSync } from 'node:child_process';
const prefix = process.argv[2] ?? '';
const r = spawnSync('node_modules/.bin/vitest', ['run', '--config', 'vitest.bench.config.ts', '--reporter=dot', '--silent=false'], {
  stdio: 'inherit',
  env: { ...process.env, BENCH_PREFIX: prefix },
});
process.exit(r.status === null ? 1 : 0);
