import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/meta.js';
import type { ResourceType } from '../api/resource-type.js';
import { mutable } from '../util/mutable.js';
import { VirtualClock } from '../util/virtual-clock.js';
import { createMergePatch } from './merge-patch.js';
import { patchFrom, patchStatus } from './status-patch.js';
import { WriteStoreFake } from '../../test/fakes/write-store.fake.js';

const Widgets: ResourceType = { group: 'example.com', version: 'v1', resource: 'widgets', kind: 'Widget', namespaced: true };

describe('createMergePatch', () => {
  it('sends changed and added fields, nulls for removed ones, and whole arrays', () => {
    expect(createMergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { a: 1, b: { c: 5 }, l: [1, 2, 3], n: 'x' })).toEqual({
      b: { c: 5, d: null },
      l: [1, 2, 3],
      n: 'x',
    });
    expect(createMergePatch({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBeUndefined();
  });
});

describe('patchStatus and patchFrom', () => {
  it('patches only what changed in status, through the status subresource, and nothing when unchanged', async () => {
    const store = new WriteStoreFake(new VirtualClock());
    const w = store.seed(Widgets, {
      metadata: { name: 'w', namespace: 'ns' },
      spec: { size: 1 },
      status: { ready: 0, phase: 'Pending', old: true },
    } as KubeObject);
    const updated = await patchStatus(store, Widgets, w, { ready: 1, phase: 'Pending' });
    expect(store.calls.at(-1)).toMatchObject({ verb: 'patch', subresource: 'status', body: { status: { ready: 1, old: null } } });
    expect(updated['status']).toEqual({ ready: 1, phase: 'Pending' });
    const calls = store.calls.length;
    expect(await patchStatus(store, Widgets, updated, { ready: 1, phase: 'Pending' })).toBe(updated);
    expect(store.calls).toHaveLength(calls);
  });

  it('adds a resourceVersion precondition when asked, failing on a stale original', async () => {
    const store = new WriteStoreFake(new VirtualClock());
    const w = store.seed(Widgets, { metadata: { name: 'w', namespace: 'ns' }, status: { ready: 0 } } as KubeObject);
    await patchStatus(store, Widgets, w, { ready: 1 });
    await expect(patchStatus(store, Widgets, w, { ready: 2 }, { optimistic: true })).rejects.toMatchObject({ reason: 'Conflict' });
  });

  it('patches the main resource from a changed copy, leaving status alone', async () => {
    const store = new WriteStoreFake(new VirtualClock());
    const w = store.seed(Widgets, {
      metadata: { name: 'w', namespace: 'ns', labels: { a: '1' } },
      spec: { size: 1 },
      status: { ready: 0 },
    } as KubeObject);
    const copy = mutable(w);
    copy.metadata.labels = { b: '2' };
    (copy['spec'] as { size: number }).size = 3;
    (copy['status'] as { ready: number }).ready = 9;
    const out = await patchFrom(store, Widgets, w, copy);
    expect(store.calls.at(-1)?.body).toEqual({ metadata: { labels: { a: null, b: '2' } }, spec: { size: 3 } });
    expect(out['status']).toEqual({ ready: 0 });
  });
});
