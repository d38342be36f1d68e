import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const apiserverSrc = join(here, '..');

/**
 * Request routing and the resource handlers: what the store's kinds table (`kindRoutingOf`,
 * `servedSubresourceOf`) answers for them. Admission plugins and the bootstrap act on and
 * create named kinds, as Kubernetes' do, and are not here.
 */
const ROUTING_DIRS = ['server', 'handlers'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

// `def.resource === 'namespaces'`, `'bindings' !== def.resource`, `obj.kind === 'Pod'`; a
// response's `kind !== 'Status'` and negotiated targets (`target.kind === 'table'`) are no kind tests.
const KIND_TEST =
  /\.resource\s*[!=]==?\s*['"][a-z]+['"]|['"][a-z]+['"]\s*[!=]==?\s*[\w.]*\.resource\b|\.kind\s*[!=]==?\s*['"](?!Status['"])[A-Z]\w*['"]|['"](?!Status['"])[A-Z]\w*['"]\s*[!=]==?\s*[\w.]*\.kind\b/;

function offenders(files: readonly string[]): string[] {
  return files.filter((f) => KIND_TEST.test(readFileSync(f, 'utf8'))).map((f) => relative(apiserverSrc, f));
}

describe('kind names in the API server', () => {
  it('are not tested by request routing or the resource handlers, which ask the kinds table', () => {
    const files = ROUTING_DIRS.flatMap((d) => sourceFiles(join(apiserverSrc, d)));
    expect(files.length).toBeGreaterThan(5);
    expect(offenders(files)).toEqual([]);
  });

  it('would be caught in the forms the check looks for', () => {
    const probe = (line: string) => KIND_TEST.test(line);
    expect(probe(`if (def.group === '' && def.resource === 'namespaces') {}`)).toBe(true);
    expect(probe(`if ('bindings' !== def.resource) {}`)).toBe(true);
    expect(probe(`if (obj.kind === "Pod") {}`)).toBe(true);
    expect(probe(`if (target.kind === 'table') {}`)).toBe(false);
    expect(probe(`if ((v as KubeObject).kind !== 'Status') {}`)).toBe(false);
  });
});
