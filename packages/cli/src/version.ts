import { readFileSync } from 'node:fs';

/** The version of the converge CLI, read from its package.json. */
export function convergeVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
