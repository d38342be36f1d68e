import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as main from './index.js';
import * as client from './client/index.js';
import * as informers from './runtime/informer/index.js';
import * as kinds from './kinds/index.js';
import * as runtime from './runtime/index.js';
import * as selectors from './selectors/index.js';
import * as validation from './kinds/validation/index.js';

const pkgDir = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
  exports: Record<string, { source: string; types: string; default: string }>;
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

describe("core's public surface", () => {
  it('gives every subpath export a source, types and default condition that point at the same entry', () => {
    for (const [key, target] of Object.entries(pkg.exports)) {
      expect(Object.keys(target), key).toEqual(['source', 'types', 'default']);
      expect(existsSync(join(pkgDir, target.source)), `${key}: ${target.source}`).toBe(true);
      const stem = target.source.replace(/^\.\/src\//, '').replace(/\.ts$/, '');
      expect(target.types, key).toBe(`./dist/${stem}.d.ts`);
      expect(target.default, key).toBe(`./dist/${stem}.js`);
      expect(target.source, key).not.toMatch(/\/internal\//);
    }
  });

  it('names every export of every entry (no export *)', () => {
    for (const [key, target] of Object.entries(pkg.exports)) {
      expect(readFileSync(join(pkgDir, target.source), 'utf8'), key).not.toMatch(/export\s+\*/);
    }
  });

  it('exports each value from exactly one entry', () => {
    const entries = {
      '.': main,
      './kinds': kinds,
      './validation': validation,
      './client': client,
      './informers': informers,
      './selectors': selectors,
      './runtime': runtime,
    };
    expect(Object.keys(entries).sort()).toEqual(Object.keys(pkg.exports).sort());
    const homes = new Map<string, string[]>();
    for (const [key, mod] of Object.entries(entries))
      for (const name of Object.keys(mod)) homes.set(name, [...(homes.get(name) ?? []), key]);
    expect([...homes].filter(([, where]) => where.length > 1)).toEqual([]);
  });

  it('keeps what a controller author needs in the main entry and server internals out of it', () => {
    for (const name of [
      'Controller',
      'controllerFor',
      'Manager',
      'SharedInformerFactory',
      'Deployments',
      'Pods',
      'defineCustomResource',
      'isNotFound',
      'mutable',
      'RemoteObjectStore',
      'TerminalError',
      'setControllerReference',
      'EventRecorder',
    ]) {
      expect(main, name).toHaveProperty(name);
    }
    for (const name of [
      'compileStructuralSchema',
      'zodIssuesToCauses',
      'requiredValue',
      'hpaV1ToV2',
      'listWatch',
      'reflect',
      'statusErrorFromResponse',
      'PodSchema',
      'VirtualClock',
      'ControllerRunner',
    ]) {
      expect(main, name).not.toHaveProperty(name);
    }
    expect(Object.keys(main).filter((n) => n.endsWith('Schema'))).toEqual([]);
  });

  it('keeps fakes out of src, so none is compiled into dist', () => {
    expect(files(join(pkgDir, 'src')).filter((f) => /\.fake\.ts$/.test(f))).toEqual([]);
    expect(files(join(pkgDir, 'test', 'fakes')).length).toBeGreaterThan(0);
  });
});
