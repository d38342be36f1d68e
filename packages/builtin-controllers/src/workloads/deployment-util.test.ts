import type { Deployment, ReplicaSet } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { scaleDeployment, type RolloutContext } from './deployment-rollout.js';
import {
  computeTemplateHash,
  maxUnavailable,
  POD_TEMPLATE_HASH_LABEL,
  resolveFenceposts,
  templatesEqualIgnoringHash,
} from './deployment-util.js';

describe('resolveFenceposts', () => {
  it.each<[number | string, number | string, number, number, number]>([
    // maxSurge, maxUnavailable, replicas -> surge, unavailable
    ['25%', '25%', 10, 3, 2],
    ['25%', '25%', 4, 1, 1],
    ['25%', '25%', 3, 1, 0],
    ['25%', '25%', 1, 1, 0],
    ['50%', '50%', 5, 3, 2],
    ['10%', '10%', 1, 1, 0],
    [2, 1, 10, 2, 1],
    ['100%', 0, 7, 7, 0],
    [0, 0, 5, 0, 1], // both zero: one may be unavailable, or nothing could move
    ['0%', '0%', 10, 0, 1],
    ['1%', '99%', 10, 1, 9],
  ])('maxSurge %s and maxUnavailable %s of %i replicas are %i and %i', (surge, unavailable, replicas, wantSurge, wantUnavailable) => {
    expect(resolveFenceposts(surge, unavailable, replicas)).toEqual({ surge: wantSurge, unavailable: wantUnavailable });
  });

  it('never lets more pods be unavailable than are desired', () => {
    const d = {
      metadata: {},
      spec: { replicas: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 5 } } },
    } as unknown as Deployment;
    expect(maxUnavailable(d)).toBe(2);
    expect(maxUnavailable({ ...d, spec: { ...d.spec!, strategy: { type: 'Recreate' } } } as Deployment)).toBe(0);
  });
});

describe('computeTemplateHash', () => {
  const template = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } };

  it('is the same for equal templates whatever their key order, and differs for another template', () => {
    const reordered = { spec: { containers: [{ image: 'i:1', name: 'c' }] }, metadata: { labels: { app: 'a' } } };
    expect(computeTemplateHash(template)).toBe(computeTemplateHash(reordered as never));
    expect(computeTemplateHash(template)).not.toBe(
      computeTemplateHash({ ...template, spec: { containers: [{ name: 'c', image: 'i:2' }] } }),
    );
  });

  it('changes with the collision count and uses no vowels', () => {
    const hashes = new Set([0, 1, 2, 3].map((n) => computeTemplateHash(template, n)));
    expect(hashes.size).toBe(4);
    for (const h of hashes) expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });

  it('ignores the pod-template-hash label when comparing templates', () => {
    const hashed = { ...template, metadata: { labels: { app: 'a', [POD_TEMPLATE_HASH_LABEL]: 'xyz' } } };
    expect(templatesEqualIgnoringHash(template, hashed)).toBe(true);
    expect(templatesEqualIgnoringHash(template, { ...hashed, metadata: { labels: { app: 'b', [POD_TEMPLATE_HASH_LABEL]: 'xyz' } } })).toBe(
      false,
    );
  });
});

describe('scaleDeployment', () => {
  const rs = (name: string, replicas: number, maxReplicas: number, created: string): ReplicaSet =>
    ({
      metadata: {
        name,
        uid: name,
        creationTimestamp: created,
        annotations: { 'deployment.kubernetes.io/max-replicas': String(maxReplicas) },
      },
      spec: { replicas, selector: {} },
    }) as ReplicaSet;
  const context = (replicas: number): { ctx: RolloutContext; sizes: Map<string, number> } => {
    const sizes = new Map<string, number>();
    const deployment = {
      metadata: { name: 'web' },
      spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } },
      status: { replicas: 13 },
    } as unknown as Deployment;
    return {
      sizes,
      ctx: {
        deployment,
        scale: async (r, n) => {
          sizes.set(r.metadata.name!, n);
          return { ...r, spec: { ...r.spec!, replicas: n } };
        },
      },
    };
  };

  it('spreads a scale-up over the active ReplicaSets in proportion, larger first', async () => {
    // 10 -> 15 replicas: allowed 15 + 4 surge = 19; today 8 + 5 = 13, sized for 13
    const { ctx, sizes } = context(15);
    await scaleDeployment(ctx, rs('new', 5, 13, '2026-01-02T00:00:00Z'), [rs('old', 8, 13, '2026-01-01T00:00:00Z')]);
    expect(Object.fromEntries(sizes)).toEqual({ old: 12, new: 7 });
  });

  it('spreads a scale-down the same way and never goes below zero', async () => {
    // 10 -> 2 replicas: allowed 2 + 1 surge = 3; today 13: -10
    const { ctx, sizes } = context(2);
    await scaleDeployment(ctx, rs('new', 5, 13, '2026-01-02T00:00:00Z'), [rs('old', 8, 13, '2026-01-01T00:00:00Z')]);
    expect(sizes.get('old')! + sizes.get('new')!).toBe(3);
    expect(Math.min(...sizes.values())).toBeGreaterThanOrEqual(0);
  });

  it('gives the whole count to the only active ReplicaSet', async () => {
    const { ctx, sizes } = context(7);
    await scaleDeployment(ctx, rs('new', 5, 13, '2026-01-02T00:00:00Z'), [rs('old', 0, 13, '2026-01-01T00:00:00Z')]);
    expect(Object.fromEntries(sizes)).toEqual({ new: 7 });
  });
});
