import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * DESIGN.md's dependency direction: core ← store ← apiserver; core ← {builtin-controllers,
 * scheduler, kubelet, proxy}; testing ← core + store; only cli imports everything.
 */
const allowed: Record<string, string[]> = {
  core: [],
  store: ['core'],
  apiserver: ['core', 'store'],
  'builtin-controllers': ['core'],
  scheduler: ['core'],
  kubelet: ['core'],
  proxy: ['core'],
  testing: ['core', 'store'],
  cli: ['core', 'store', 'apiserver', 'builtin-controllers', 'scheduler', 'kubelet', 'proxy', 'testing'],
};

/**
 * What a package's tests (`*.test.ts`, never shipped) may use besides: the FakeStore of
 * `testing` and the registry of `store` under it. Listed as devDependencies only.
 */
const allowedInTests: Record<string, string[]> = {
  'builtin-controllers': ['testing', 'store'],
  scheduler: ['testing', 'store'],
  kubelet: ['testing', 'store'],
  proxy: ['testing', 'store'],
};

const root = join(import.meta.dirname, '..', 'packages');

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : sourceFiles(p);
    return /\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.test.ts') && !name.endsWith('.fixture.ts') ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"]@converge\/([a-z-]+)/g)) out.push(m[1]!);
  return out;
}

describe('the dependency direction of DESIGN.md', () => {
  const packages = readdirSync(root).filter((p) => existsSync(join(root, p, 'package.json')));

  it('knows every package in the workspace', () => {
    for (const p of packages) expect(Object.keys(allowed), `package ${p} is not in DESIGN.md's map`).toContain(p);
  });

  it('is kept by every import in every package source file', () => {
    const violations: string[] = [];
    for (const p of packages) {
      for (const f of sourceFiles(join(root, p, 'src'))) {
        for (const dep of importsOf(f)) {
          if (dep !== p && !allowed[p]?.includes(dep)) violations.push(`${f.slice(root.length + 1)} imports @converge/${dep}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('is kept by every package.json dependency list', () => {
    const violations: string[] = [];
    for (const p of packages) {
      const pkg = JSON.parse(readFileSync(join(root, p, 'package.json'), 'utf8'));
      for (const dep of Object.keys(pkg.dependencies ?? {})) {
        const m = /^@converge\/(.+)$/.exec(dep);
        if (m && !allowed[p]?.includes(m[1]!)) violations.push(`${p} depends on ${dep}`);
      }
      for (const dep of Object.keys(pkg.devDependencies ?? {})) {
        const m = /^@converge\/(.+)$/.exec(dep);
        if (m && !allowed[p]?.includes(m[1]!) && !allowedInTests[p]?.includes(m[1]!)) violations.push(`${p} depends (dev) on ${dep}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('catches an import that runs back up', () => {
    // The check itself must be able to fail: a scheduler file importing the store is a violation.
    expect(allowed.scheduler).not.toContain('store');
    expect(importsOf(join(import.meta.dirname, 'fixtures', 'bad-import.ts.txt'))).toEqual(['store']);
  });
});
