import { describe, expect, it } from 'vitest';
import { mutable, type KubeObject } from '@converge/core';
import type { HarnessAccessor } from './harness.js';
import {
  BindingsType,
  DeploymentsType,
  ReplicationControllersType,
  NS,
  PodDisruptionBudgetsType,
  PodsType,
  createNamespace,
  deployment,
  pod,
  statusErrorOf,
} from './fixtures.js';

interface ScaleObject extends KubeObject {
  spec: { replicas: number };
  status: { replicas: number; selector?: string };
}

function pdb(name: string, matchLabels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: NS },
    spec: { minAvailable: 1, selector: { matchLabels } },
  };
}

async function readyPod(h: HarnessAccessor, name: string, labels: Record<string, string>): Promise<KubeObject> {
  const { store } = h();
  const p = await store.create(PodsType, pod(name, { labels, nodeName: 'node-1' }));
  return store.update(
    PodsType,
    { ...mutable(p), status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
    { subresource: 'status' },
  );
}

/** The scale, binding and eviction subresources. */
export function subresourcesSuite(h: HarnessAccessor): void {
  describe('scale subresource', () => {
    it('reads an autoscaling/v1 Scale with the selector as a string', async () => {
      const { store } = h();
      await createNamespace(store);
      const d = await store.create(DeploymentsType, deployment('web', 2));
      const scale = (await store.get(DeploymentsType, { namespace: NS, name: 'web' }, { subresource: 'scale' })) as ScaleObject;
      expect(scale.apiVersion).toBe('autoscaling/v1');
      expect(scale.kind).toBe('Scale');
      expect(scale.metadata.name).toBe('web');
      expect(scale.metadata.resourceVersion).toBe(d.metadata.resourceVersion);
      expect(scale.spec.replicas).toBe(2);
      expect(scale.status.replicas).toBe(0);
      expect(scale.status.selector).toBe('app=web');
    });

    it('writes spec.replicas through the Scale, conditionally on its resourceVersion', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(DeploymentsType, deployment('web', 2));
      const scale = (await store.get(DeploymentsType, { namespace: NS, name: 'web' }, { subresource: 'scale' })) as ScaleObject;
      const updated = (await store.update(
        DeploymentsType,
        { ...mutable(scale), spec: { replicas: 5 } },
        { subresource: 'scale' },
      )) as ScaleObject;
      expect(updated.spec.replicas).toBe(5);
      const d = await store.get(DeploymentsType, { namespace: NS, name: 'web' });
      expect((d.spec as { replicas: number }).replicas).toBe(5);
      expect(d.metadata.generation).toBe(2);
      const stale = await statusErrorOf(
        store.update(DeploymentsType, { ...mutable(scale), spec: { replicas: 1 } }, { subresource: 'scale' }),
      );
      expect(stale.reason).toBe('Conflict');
      const patched = (await store.patch(
        DeploymentsType,
        { namespace: NS, name: 'web' },
        { type: 'merge', body: { spec: { replicas: 7 } } },
        { subresource: 'scale' },
      )) as ScaleObject;
      expect(patched.spec.replicas).toBe(7);
    });

    it('formats the plain label map of a ReplicationController as the selector', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(ReplicationControllersType, {
        apiVersion: 'v1',
        kind: 'ReplicationController',
        metadata: { name: 'rc', namespace: NS },
        spec: {
          replicas: 2,
          selector: { app: 'rc', tier: 'x' },
          template: { metadata: { labels: { app: 'rc', tier: 'x' } }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } },
        },
      });
      const scale = (await store.get(ReplicationControllersType, { namespace: NS, name: 'rc' }, { subresource: 'scale' })) as ScaleObject;
      expect(scale.spec.replicas).toBe(2);
      expect(scale.status.selector).toBe('app=rc,tier=x');
    });

    it('rejects negative replicas with Invalid', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(DeploymentsType, deployment('web'));
      const err = await statusErrorOf(
        store.update(
          DeploymentsType,
          { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: NS }, spec: { replicas: -1 } },
          { subresource: 'scale' },
        ),
      );
      expect(err.reason).toBe('Invalid');
      expect(err.details?.causes?.[0]?.field).toBe('spec.replicas');
    });
  });

  describe('pods/binding', () => {
    it('binds a pod to a node once, then answers Conflict', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(PodsType, pod('p'));
      const binding = {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'p', namespace: NS },
        target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' },
      };
      await store.create(PodsType, binding, { subresource: 'binding', name: 'p' });
      const bound = await store.get(PodsType, { namespace: NS, name: 'p' });
      expect((bound.spec as { nodeName: string }).nodeName).toBe('node-1');
      const conditions = (bound.status as { conditions: { type: string; status: string }[] }).conditions;
      expect(conditions.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
      const err = await statusErrorOf(
        store.create(PodsType, { ...binding, target: { kind: 'Node', name: 'node-2' } }, { subresource: 'binding', name: 'p' }),
      );
      expect(err.reason).toBe('Conflict');
      expect(err.code).toBe(409);
      expect(err.message).toContain('is already assigned to node "node-1"');
    });

    it('binds through the core/v1 bindings collection as well', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(PodsType, pod('p'));
      await store.create(BindingsType, {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'p', namespace: NS },
        target: { kind: 'Node', name: 'node-9' },
      });
      expect(((await store.get(PodsType, { namespace: NS, name: 'p' })).spec as { nodeName: string }).nodeName).toBe('node-9');
      const missing = await statusErrorOf(
        store.create(BindingsType, {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name: 'ghost', namespace: NS },
          target: { kind: 'Node', name: 'node-9' },
        }),
      );
      expect(missing.reason).toBe('NotFound');
    });
  });

  describe('pods/eviction', () => {
    it('deletes a pod no disruption budget protects', async () => {
      const { store } = h();
      await createNamespace(store);
      await readyPod(h, 'p', { app: 'web' });
      await store.create(
        PodsType,
        { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p', namespace: NS } },
        { subresource: 'eviction', name: 'p' },
      );
      const after = await store.get(PodsType, { namespace: NS, name: 'p' }).catch(() => undefined);
      expect(after === undefined || after.metadata.deletionTimestamp !== undefined).toBe(true);
    });

    it('answers 429 TooManyRequests when a disruption budget allows no disruption, and takes one when it allows it', async (ctx) => {
      const { store } = h();
      await createNamespace(store);
      const served = await store.list(PodDisruptionBudgetsType, { namespace: NS }).then(
        () => true,
        () => false,
      );
      if (!served) return ctx.skip();
      await readyPod(h, 'p1', { app: 'web' });
      await readyPod(h, 'p2', { app: 'web' });
      const budget = await store.create(PodDisruptionBudgetsType, pdb('web', { app: 'web' }));
      const blocked = {
        ...mutable(budget),
        status: {
          observedGeneration: budget.metadata.generation,
          disruptionsAllowed: 0,
          currentHealthy: 1,
          desiredHealthy: 1,
          expectedPods: 2,
        },
      };
      const b2 = await store.update(PodDisruptionBudgetsType, blocked, { subresource: 'status' });
      const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p1', namespace: NS } };
      const err = await statusErrorOf(store.create(PodsType, eviction, { subresource: 'eviction', name: 'p1' }));
      expect(err.code).toBe(429);
      expect(err.reason).toBe('TooManyRequests');
      expect(err.message).toBe("Cannot evict pod as it would violate the pod's disruption budget.");
      await store.get(PodsType, { namespace: NS, name: 'p1' });
      await store.update(
        PodDisruptionBudgetsType,
        { ...mutable(b2), status: { ...(b2.status as object), disruptionsAllowed: 1, currentHealthy: 2 } },
        { subresource: 'status' },
      );
      await store.create(PodsType, eviction, { subresource: 'eviction', name: 'p1' });
      const after = await store.get(PodDisruptionBudgetsType, { namespace: NS, name: 'web' });
      expect((after.status as { disruptionsAllowed: number }).disruptionsAllowed).toBe(0);
      expect(Object.keys((after.status as { disruptedPods: object }).disruptedPods)).toEqual(['p1']);
      const evicted = await store.get(PodsType, { namespace: NS, name: 'p1' });
      expect(evicted.metadata.deletionTimestamp).toBeTruthy();
    });
  });
}
