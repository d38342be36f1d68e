import { describe, expect, it } from 'vitest';
import {
  ConfigMaps,
  CustomResourceDefinitions,
  Deployments,
  EndpointSlices,
  Namespaces,
  PodDisruptionBudgets,
  Pods,
  Secrets,
  Services,
  ServiceAccounts,
  mutable,
  type CustomResourceDefinition,
  type KubeObject,
  type ResourceDefinition,
} from '@converge/core';
import { createBuiltinCatalog, definitionFromCRD } from '@converge/core/kinds';
import { VirtualClock } from '@converge/core/runtime';
import { MemoryBackend } from '../backend/memory.backend.js';
import { Registry } from './registry.js';

const NS = 'default';

async function setup() {
  const registry = new Registry({
    backend: new MemoryBackend(),
    catalog: createBuiltinCatalog(),
    clock: new VirtualClock(),
    serviceAllocationRepairIntervalMs: 0,
  });
  await registry.create(Namespaces, { metadata: { name: NS } });
  return registry;
}

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } };

describe('metadata.generation', () => {
  it('is left unset on kinds Kubernetes 1.32 does not track it for, on create and on update', async () => {
    const r = await setup();
    const untracked: [ResourceDefinition<any>, KubeObject][] = [
      [ConfigMaps, { metadata: { name: 'cm', namespace: NS }, data: { a: '1' } }],
      [Secrets, { metadata: { name: 's', namespace: NS }, stringData: { a: '1' } } as KubeObject],
      [Services, { metadata: { name: 'svc', namespace: NS }, spec: { ports: [{ port: 80 }] } }],
      [Pods, { metadata: { name: 'p', namespace: NS }, spec: { containers: [{ name: 'c', image: 'x:1' }] } }],
      [ServiceAccounts, { metadata: { name: 'sa', namespace: NS } }],
      [Namespaces, { metadata: { name: 'other', generation: 7 } }],
    ];
    for (const [def, obj] of untracked) {
      const created = await r.create(def, obj);
      expect(created.metadata.generation, def.kind).toBeUndefined();
      const next = mutable(created);
      next.metadata.labels = { changed: 'yes' };
      if (def === ConfigMaps) (next as any).data = { a: '2' };
      const updated = await r.update(def, next);
      expect(updated.metadata.generation, def.kind).toBeUndefined();
    }
    expect((await r.get(Namespaces, { name: NS })).metadata.generation).toBeUndefined();
  });

  it('starts at 1 and is bumped on spec changes only for the kinds that track it', async () => {
    const r = await setup();
    const d = await r.create(Deployments, {
      metadata: { name: 'd', namespace: NS },
      spec: { selector: { matchLabels: { app: 'web' } }, template },
    });
    expect(d.metadata.generation).toBe(1);
    const labelled = await r.update(Deployments, { ...mutable(d), metadata: { ...mutable(d).metadata, labels: { x: 'y' } } });
    expect(labelled.metadata.generation).toBe(1);
    const scaled = mutable(labelled);
    scaled.spec!.replicas = 3;
    expect((await r.update(Deployments, scaled)).metadata.generation).toBe(2);
    const pdb = await r.create(PodDisruptionBudgets, {
      metadata: { name: 'pdb', namespace: NS },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
    });
    expect(pdb.metadata.generation).toBe(1);
    const slice = await r.create(EndpointSlices, {
      metadata: { name: 'es', namespace: NS },
      addressType: 'IPv4',
      endpoints: [],
    } as KubeObject);
    expect(slice.metadata.generation).toBe(1);
  });

  it('is tracked for CustomResourceDefinitions and their custom resources', async () => {
    const r = await setup();
    const crd: CustomResourceDefinition = {
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } },
            },
          },
        ],
      },
    } as CustomResourceDefinition;
    const created = await r.create(CustomResourceDefinitions, crd);
    expect(created.metadata.generation).toBe(1);
    const widgets = definitionFromCRD(created);
    r.catalog.add(widgets);
    const w = await r.create(widgets, {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: NS },
      spec: { size: 1 },
    });
    expect(w.metadata.generation).toBe(1);
  });
});
