import { describe, expect, it } from 'vitest';
import { ConfigMaps, Deployments, Namespaces, StatusError, defineCustomResource, type KubeObject } from '@converge/core';
import { createBuiltinCatalog } from '@converge/core/kinds';
import { VirtualClock } from '@converge/core/runtime';
import { z } from 'zod';
import { MemoryBackend } from '../backend/memory.backend.js';
import { Registry } from './registry.js';

const NS = 'default';
const Widgets = defineCustomResource({
  group: 'example.com',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  spec: z.object({ size: z.enum(['S', 'M', 'L']), replicas: z.int().min(0) }),
});

async function setup() {
  const catalog = createBuiltinCatalog();
  catalog.add(Widgets);
  const registry = new Registry({ backend: new MemoryBackend(), catalog, clock: new VirtualClock(), serviceAllocationRepairIntervalMs: 0 });
  await registry.create(Namespaces, { metadata: { name: NS } });
  return registry;
}

async function errorOf(p: Promise<unknown>): Promise<StatusError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected a StatusError');
}

describe('fieldValidation', () => {
  it('reports unknown fields of a custom resource as a strict decoding error before its schema errors', async () => {
    const r = await setup();
    const bad = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: NS },
      spec: { size: 'XL', replicas: -1, extra: 1 },
    } as never;
    const err = await errorOf(r.create(Widgets, bad, { fieldValidation: 'Strict' }));
    expect(err.code).toBe(400);
    expect(err.message).toBe('strict decoding error: unknown field "spec.extra"');
    await expect(r.get(Widgets, { namespace: NS, name: 'w' })).rejects.toThrow(/not found/);
    const invalid = await errorOf(r.create(Widgets, bad, { fieldValidation: 'Ignore' }));
    expect(invalid.code).toBe(422);
  });

  it('does the same for built-in kinds, on create and on update', async () => {
    const r = await setup();
    const d = {
      metadata: { name: 'd', namespace: NS },
      spec: {
        replicas: -1,
        bogus: true,
        selector: { matchLabels: { app: 'a' } },
        template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } },
      },
    } as KubeObject;
    const err = await errorOf(r.create(Deployments, d as never, { fieldValidation: 'Strict' }));
    expect([err.code, err.message]).toEqual([400, 'strict decoding error: unknown field "spec.bogus"']);
    const cm = await r.create(ConfigMaps, { metadata: { name: 'c', namespace: NS }, data: { a: '1' } });
    const upd = await errorOf(
      r.update(ConfigMaps, { ...cm, metadata: { ...cm.metadata, labels: { 'bad key!': 'x' } }, extra: 1 } as never, {
        fieldValidation: 'Strict',
      }),
    );
    expect([upd.code, upd.message]).toEqual([400, 'strict decoding error: unknown field "extra"']);
  });

  it('warns about unknown fields under Warn even when the object is invalid', async () => {
    const r = await setup();
    const warnings: string[] = [];
    const bad = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: NS },
      spec: { size: 'XL', replicas: 1, extra: 1 },
    } as never;
    const err = await errorOf(r.create(Widgets, bad, { fieldValidation: 'Warn', onWarning: (w) => warnings.push(w) }));
    expect(err.code).toBe(422);
    expect(warnings).toEqual(['unknown field "spec.extra"']);
  });
});
