#!/usr/bin/env node
import { buildProgram } from './program.js';

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  // A failed start says why in one line (the stack only with CONVERGE_DEBUG=1).
  process.stderr.write(
    `converge: ${process.env['CONVERGE_DEBUG'] ? ((err as Error).stack ?? String(err)) : err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exitCode = 1;
}
