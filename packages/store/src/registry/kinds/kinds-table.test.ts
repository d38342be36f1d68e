import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pods } from '@converge/core';
import { createBuiltinCatalog } from '@converge/core/kinds';
import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../backend/memory.backend.js';
import { Registry } from '../registry.js';
import type { StorageContext } from './kind-table-entry.js';
import { KIND_TABLE, kindRoutingOf, kindTableEntry, servedSubresourceOf } from './kinds-table.js';

const here = dirname(fileURLToPath(import.meta.url));
const storeSrc = join(here, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the kinds table', () => {
  it('has one row per kind, each in its own file', () => {
    const keys = KIND_TABLE.map((e) => `${e.group}/${e.resource}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining(['/pods', '/bindings', '/services', '/namespaces', '/nodes', '/serviceaccounts']));
  });

  it('says which subresources the API server serves itself, and nothing for the others', () => {
    const core = (resource: string) => ({ group: '', resource });
    expect(servedSubresourceOf(core('services'), 'proxy')).toBe('service-proxy');
    expect(servedSubresourceOf(core('nodes'), 'proxy')).toBe('node-proxy');
    for (const sub of ['log', 'exec', 'attach', 'portforward', 'proxy']) expect(servedSubresourceOf(core('pods'), sub)).toBe('kubelet');
    expect(servedSubresourceOf(core('serviceaccounts'), 'token')).toBe('token-request');
    expect(servedSubresourceOf(core('pods'), 'binding')).toBeUndefined();
    expect(servedSubresourceOf(core('pods'), 'toString')).toBeUndefined();
    expect(servedSubresourceOf({ group: 'apps', resource: 'pods' }, 'exec')).toBeUndefined();
    expect(kindTableEntry(core('configmaps'))).toBeUndefined();
  });

  it('tells the API server how to route the kinds whose definition does not say', () => {
    const core = (resource: string) => ({ group: '', resource });
    expect(kindRoutingOf(core('namespaces'))).toEqual({ addressedAsNamespace: true });
    expect(kindRoutingOf(core('bindings'))).toEqual({ createAs: { resource: 'pods', subresource: 'binding' } });
    expect(kindRoutingOf(core('pods'))).toEqual({});
    expect(kindRoutingOf(core('configmaps'))).toEqual({});
    expect(kindRoutingOf({ group: 'example.com', resource: 'namespaces' })).toEqual({});
  });

  it('creates a virtual kind only as a subresource some kind storage serves', () => {
    // Storages are made lazily from their context; making one touches neither ops nor allocations.
    const context = { ops: {}, services: {} } as unknown as StorageContext;
    for (const entry of KIND_TABLE) {
      const createAs = entry.routing?.createAs;
      if (createAs) {
        const parent = kindTableEntry({ group: entry.group, resource: createAs.resource });
        expect(
          Object.hasOwn(parent?.storage?.(context).create ?? {}, createAs.subresource),
          `${createAs.resource}/${createAs.subresource}`,
        ).toBe(true);
      }
    }
  });

  it('serves by create or update only subresources the kind definitions list, so the API server routes to them', () => {
    const catalog = createBuiltinCatalog();
    const context = { ops: {}, services: {} } as unknown as StorageContext;
    for (const entry of KIND_TABLE) {
      const storage = entry.storage?.(context) ?? {};
      const def = catalog.get({ group: entry.group, version: 'v1', resource: entry.resource });
      for (const sub of [...Object.keys(storage.create ?? {}), ...Object.keys(storage.update ?? {})]) {
        expect(def?.subresources?.others ?? [], `${entry.resource}/${sub}`).toContain(sub);
      }
    }
  });

  it('is the only place in the store that tests kind names', () => {
    // `resource === 'pods'`, `def.resource !== "services"`, `isPod`-style flags: kind tests belong in kinds/.
    const kindTest =
      /\.resource\s*[!=]==?\s*['"](?!string['"])[a-z]+['"]|['"][a-z]+['"]\s*[!=]==?\s*[\w.]*\.resource\b|\bis(Pod|Service|Namespace|Node)\b/;
    const offenders = sourceFiles(storeSrc)
      .filter((f) => !relative(storeSrc, f).startsWith(join('registry', 'kinds')))
      .filter((f) => kindTest.test(readFileSync(f, 'utf8')))
      .map((f) => relative(storeSrc, f));
    expect(offenders).toEqual([]);
  });

  it('answers NotFound for a subresource no kind storage declares, even one named like an Object member', async () => {
    const registry = new Registry({ backend: new MemoryBackend(), catalog: createBuiltinCatalog(), serviceAllocationRepairIntervalMs: 0 });
    const err = await registry
      .create(Pods, { metadata: { name: 'p', namespace: 'default' } }, { subresource: 'constructor' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'NotFound', message: 'the server could not find the requested resource (pods/constructor)' });
    await registry.close();
  });
});
