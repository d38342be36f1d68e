import { describe, expect, it } from 'vitest';
import { StatusError } from '@converge/core';
import { INITIAL_EVENTS_END_ANNOTATION } from '@converge/core/informers';
import type { HarnessAccessor } from './harness.js';
import { ConfigMapsType, EventRecorder, NS, configMap, createNamespace } from './fixtures.js';

/** WATCH: ordered exactly-once events from a resourceVersion, initial events, bookmarks, expiry, selectors, timeouts. */
export function watchSuite(h: HarnessAccessor): void {
  describe('watch', () => {
    it('sends ADDED, MODIFIED and DELETED in order, exactly once, after a resourceVersion', async () => {
      const { store } = h();
      await createNamespace(store);
      const before = await store.create(ConfigMapsType, configMap('old'));
      const rec = new EventRecorder(store.watch(ConfigMapsType, { namespace: NS, resourceVersion: before.metadata.resourceVersion! }));
      const a = await store.create(ConfigMapsType, configMap('a', { v: '1' }));
      const a2 = await store.update(ConfigMapsType, configMap('a', { v: '2' }));
      const gone = await store.delete(ConfigMapsType, { namespace: NS, name: 'a' });
      const events = await rec.waitFor(3);
      expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
        ['ADDED', 'a'],
        ['MODIFIED', 'a'],
        ['DELETED', 'a'],
      ]);
      expect(events[0]!.object.metadata.resourceVersion).toBe(a.metadata.resourceVersion);
      expect(events[1]!.object.metadata.resourceVersion).toBe(a2.metadata.resourceVersion);
      expect(Number(events[2]!.object.metadata.resourceVersion)).toBeGreaterThan(Number(a2.metadata.resourceVersion));
      expect(events[2]!.object.metadata.resourceVersion).toBe(gone.metadata.resourceVersion);
      expect(Object.isFrozen(events[0]!.object)).toBe(true);
      await store.create(ConfigMapsType, configMap('b'));
      await rec.waitFor(4);
      expect(rec.types()).toEqual(['ADDED', 'MODIFIED', 'DELETED', 'ADDED']);
      rec.stop();
    });

    it('replays changes made before the watch started from an older resourceVersion', async () => {
      const { store } = h();
      await createNamespace(store);
      const first = await store.create(ConfigMapsType, configMap('a'));
      await store.create(ConfigMapsType, configMap('b'));
      await store.update(ConfigMapsType, configMap('a', { x: 'y' }));
      const rec = new EventRecorder(store.watch(ConfigMapsType, { namespace: NS, resourceVersion: first.metadata.resourceVersion! }));
      const events = await rec.waitFor(2);
      expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
        ['ADDED', 'b'],
        ['MODIFIED', 'a'],
      ]);
      rec.stop();
    });

    it('starts with the current state as ADDED events when no resourceVersion is given', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(ConfigMapsType, configMap('a'));
      await store.create(ConfigMapsType, configMap('b'));
      const rec = new EventRecorder(store.watch(ConfigMapsType, { namespace: NS }));
      await rec.waitFor(2);
      await store.create(ConfigMapsType, configMap('c'));
      const events = await rec.waitFor(3);
      expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
        ['ADDED', 'a'],
        ['ADDED', 'b'],
        ['ADDED', 'c'],
      ]);
      rec.stop();
    });

    it('marks the end of the initial events with an annotated BOOKMARK under sendInitialEvents', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(ConfigMapsType, configMap('a'));
      const latest = await store.create(ConfigMapsType, configMap('b'));
      const rec = new EventRecorder(store.watch(ConfigMapsType, { namespace: NS, sendInitialEvents: true, allowWatchBookmarks: true }));
      const events = await rec.waitFor(3);
      expect(events.map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'BOOKMARK']);
      const bookmark = events[2]!.object;
      expect(bookmark.metadata.annotations?.[INITIAL_EVENTS_END_ANNOTATION]).toBe('true');
      expect(Number(bookmark.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(latest.metadata.resourceVersion));
      await store.delete(ConfigMapsType, { namespace: NS, name: 'a' });
      const [, , , deleted] = await rec.waitFor(4);
      expect(deleted!.type).toBe('DELETED');
      rec.stop();
    });

    it('fails with 410 Expired from a resourceVersion older than the kept history', async (ctx) => {
      const harness = h();
      if (!harness.compact) return ctx.skip();
      const { store } = harness;
      await createNamespace(store);
      const old = await store.create(ConfigMapsType, configMap('a'));
      for (let i = 0; i < 3; i++) await store.update(ConfigMapsType, configMap('a', { n: String(i) }));
      await harness.compact();
      const rec = new EventRecorder(store.watch(ConfigMapsType, { namespace: NS, resourceVersion: old.metadata.resourceVersion! }));
      await rec.waitForEnd();
      expect(rec.error).toBeInstanceOf(StatusError);
      expect((rec.error as StatusError).code).toBe(410);
      expect((rec.error as StatusError).reason).toBe('Expired');
    });

    it('filters by selector, sending DELETED when an object leaves the selection and ADDED when it enters', async () => {
      const { store } = h();
      await createNamespace(store);
      const start = await store.create(ConfigMapsType, configMap('other', {}, { app: 'db' }));
      const rec = new EventRecorder(
        store.watch(ConfigMapsType, { namespace: NS, labelSelector: 'app=web', resourceVersion: start.metadata.resourceVersion! }),
      );
      await store.create(ConfigMapsType, configMap('a', {}, { app: 'web' }));
      await store.update(ConfigMapsType, configMap('other', { x: '1' }, { app: 'db' }));
      await store.update(ConfigMapsType, configMap('a', {}, { app: 'db' }));
      await store.update(ConfigMapsType, configMap('a', {}, { app: 'web' }));
      await store.update(ConfigMapsType, configMap('a', { k: 'v' }, { app: 'web' }));
      const events = await rec.waitFor(4);
      expect(events.map((e) => e.type)).toEqual(['ADDED', 'DELETED', 'ADDED', 'MODIFIED']);
      expect(events.every((e) => e.object.metadata.name === 'a')).toBe(true);
      rec.stop();
    });

    it('stops delivering once unsubscribed', async () => {
      const { store } = h();
      await createNamespace(store);
      const rec = new EventRecorder(store.watch(ConfigMapsType, { namespace: NS }));
      await store.create(ConfigMapsType, configMap('a'));
      await rec.waitFor(1);
      rec.stop();
      await store.create(ConfigMapsType, configMap('b'));
      await store.list(ConfigMapsType, { namespace: NS });
      expect(rec.events).toHaveLength(1);
    });

    it('ends after timeoutSeconds', async (ctx) => {
      const harness = h();
      if (!harness.advanceClock) return ctx.skip();
      const { store } = harness;
      await createNamespace(store);
      const rec = new EventRecorder(store.watch(ConfigMapsType, { namespace: NS, timeoutSeconds: 5 }));
      await store.create(ConfigMapsType, configMap('a'));
      await rec.waitFor(1);
      expect(rec.completed).toBe(false);
      await harness.advanceClock(5_000);
      await rec.waitForEnd();
      expect(rec.completed).toBe(true);
      expect(rec.error).toBeUndefined();
    });

    it('sends BOOKMARKs with the newest resourceVersion when allowed', async (ctx) => {
      const harness = h();
      if (!harness.advanceClock || !harness.bookmarkIntervalMs) return ctx.skip();
      const { store } = harness;
      await createNamespace(store);
      const start = await store.create(ConfigMapsType, configMap('a'));
      const rec = new EventRecorder(
        store.watch(ConfigMapsType, { namespace: NS, resourceVersion: start.metadata.resourceVersion!, allowWatchBookmarks: true }),
      );
      const b = await store.create(ConfigMapsType, configMap('b'));
      await rec.waitFor(1);
      await harness.advanceClock(harness.bookmarkIntervalMs);
      const [added, bookmark] = await rec.waitFor(2);
      expect(added!.type).toBe('ADDED');
      expect(bookmark!.type).toBe('BOOKMARK');
      expect(Number(bookmark!.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(b.metadata.resourceVersion));
      rec.stop();
    });

    it('rejects a malformed resourceVersion with BadRequest', async () => {
      const { store } = h();
      await createNamespace(store);
      const rec = new EventRecorder(store.watch(ConfigMapsType, { namespace: NS, resourceVersion: 'not-a-number' }));
      await rec.waitForEnd();
      expect((rec.error as StatusError).reason).toBe('BadRequest');
    });
  });
}
