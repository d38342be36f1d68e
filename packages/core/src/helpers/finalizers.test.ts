import { describe, expect, it } from 'vitest';
import { conflict } from '../api/errors.js';
import type { KubeObject } from '../api/meta.js';
import type { ResourceType } from '../api/resource-type.js';
import { VirtualClock } from '../util/virtual-clock.js';
import { addFinalizer, finalize, hasFinalizer, removeFinalizer } from './finalizers.js';
import { WriteStoreFake } from '../../test/fakes/write-store.fake.js';

const Widgets: ResourceType = { group: 'example.com', version: 'v1', resource: 'widgets', kind: 'Widget', namespaced: true };
const F = 'example.com/cleanup';

describe('finalizers', () => {
  it('adds, finds and removes a finalizer in place, reporting changes', () => {
    const obj: KubeObject = { metadata: { name: 'w', finalizers: ['other'] } };
    expect(addFinalizer(obj, F)).toBe(true);
    expect(addFinalizer(obj, F)).toBe(false);
    expect(hasFinalizer(obj, F)).toBe(true);
    expect(removeFinalizer(obj, F)).toBe(true);
    expect(removeFinalizer(obj, F)).toBe(false);
    expect(obj.metadata.finalizers).toEqual(['other']);
    removeFinalizer(obj, 'other');
    expect(obj.metadata.finalizers).toBeUndefined();
  });

  it('ensures the finalizer on a live object with a guarded patch, and does nothing when present', async () => {
    const store = new WriteStoreFake(new VirtualClock());
    const w = store.seed(Widgets, { metadata: { name: 'w', namespace: 'ns', finalizers: ['other'] } });
    const cleanups: string[] = [];
    const r = await finalize(store, Widgets, w, { finalizer: F, cleanup: (o) => void cleanups.push(o.metadata.name!) });
    expect(r).toMatchObject({ deleting: false, changed: true });
    expect(r.object.metadata.finalizers).toEqual(['other', F]);
    expect(store.calls.at(-1)?.body).toEqual({ metadata: { finalizers: ['other', F], resourceVersion: w.metadata.resourceVersion } });
    const again = await finalize(store, Widgets, r.object, { finalizer: F, cleanup: () => undefined });
    expect(again).toMatchObject({ deleting: false, changed: false });
    expect(cleanups).toEqual([]);
  });

  it('runs the cleanup when the object is being deleted, then removes the finalizer so the object goes', async () => {
    const store = new WriteStoreFake(new VirtualClock());
    store.seed(Widgets, { metadata: { name: 'w', namespace: 'ns', finalizers: [F] } });
    const deleting = await store.delete(Widgets, { namespace: 'ns', name: 'w' });
    expect(deleting.metadata.deletionTimestamp).toBeDefined();
    const order: string[] = [];
    const r = await finalize(store, Widgets, deleting, {
      finalizer: F,
      cleanup: async () => {
        order.push(`cleanup with finalizers ${store.peek(Widgets, { namespace: 'ns', name: 'w' })?.metadata.finalizers}`);
      },
    });
    expect(order).toEqual([`cleanup with finalizers ${F}`]);
    expect(r).toMatchObject({ deleting: true, changed: true });
    expect(store.peek(Widgets, { namespace: 'ns', name: 'w' })).toBeUndefined();
  });

  it('keeps the finalizer when the cleanup fails, and reports a deleting object without it as done', async () => {
    const store = new WriteStoreFake(new VirtualClock());
    store.seed(Widgets, { metadata: { name: 'w', namespace: 'ns', finalizers: [F, 'other'] } });
    const deleting = await store.delete(Widgets, { namespace: 'ns', name: 'w' });
    await expect(
      finalize(store, Widgets, deleting, { finalizer: F, cleanup: () => Promise.reject(new Error('bucket busy')) }),
    ).rejects.toThrow('bucket busy');
    expect(store.peek(Widgets, { namespace: 'ns', name: 'w' })?.metadata.finalizers).toEqual([F, 'other']);
    const done = await finalize(store, Widgets, deleting, { finalizer: F, cleanup: () => undefined });
    expect(done.object.metadata.finalizers).toEqual(['other']);
    const after = await finalize(store, Widgets, done.object, { finalizer: F, cleanup: () => Promise.reject(new Error('must not run')) });
    expect(after).toMatchObject({ deleting: true, changed: false });
  });

  it('fails with Conflict rather than dropping a finalizer another controller added meanwhile', async () => {
    const store = new WriteStoreFake(new VirtualClock());
    const stale = store.seed(Widgets, { metadata: { name: 'w', namespace: 'ns' } });
    await store.patch(Widgets, { namespace: 'ns', name: 'w' }, { type: 'merge', body: { metadata: { finalizers: ['theirs'] } } });
    await expect(finalize(store, Widgets, stale, { finalizer: F, cleanup: () => undefined })).rejects.toMatchObject({ reason: 'Conflict' });
    expect(store.peek(Widgets, { namespace: 'ns', name: 'w' })?.metadata.finalizers).toEqual(['theirs']);
    expect(conflict(Widgets, 'w').reason).toBe('Conflict');
  });
});
