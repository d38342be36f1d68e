import { describe, expect, it } from 'vitest';
import type { HarnessAccessor } from './harness.js';
import { ConfigMapsType, NS, PodsType, configMap, createNamespace, pod, statusErrorOf } from './fixtures.js';

/** LIST: selectors, pagination with continue tokens, resourceVersion semantics. */
export function listSuite(h: HarnessAccessor): void {
  describe('list', () => {
    it('lists in name order with the list kind and a resourceVersion, frozen', async () => {
      const { store } = h();
      await createNamespace(store);
      for (const n of ['c', 'a', 'b']) await store.create(ConfigMapsType, configMap(n));
      const list = await store.list(ConfigMapsType, { namespace: NS });
      expect(list.kind).toBe('ConfigMapList');
      expect(list.apiVersion).toBe('v1');
      expect(list.items.map((i) => i.metadata.name)).toEqual(['a', 'b', 'c']);
      expect(Number(list.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(list.items[2]!.metadata.resourceVersion));
      expect(Object.isFrozen(list.items)).toBe(true);
      expect(Object.isFrozen(list.items[0])).toBe(true);
    });

    it('lists one namespace or all of them', async () => {
      const { store } = h();
      await createNamespace(store);
      await createNamespace(store, 'other');
      await store.create(ConfigMapsType, configMap('a'));
      await store.create(ConfigMapsType, configMap('a', {}, undefined, 'other'));
      expect((await store.list(ConfigMapsType, { namespace: NS })).items).toHaveLength(1);
      expect((await store.list(ConfigMapsType, { namespace: 'other' })).items).toHaveLength(1);
      expect((await store.list(ConfigMapsType)).items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual([
        `${NS}/a`,
        'other/a',
      ]);
    });

    it('filters by equality- and set-based label selectors', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(ConfigMapsType, configMap('a', {}, { app: 'web', tier: 'fe' }));
      await store.create(ConfigMapsType, configMap('b', {}, { app: 'web', tier: 'be' }));
      await store.create(ConfigMapsType, configMap('c', {}, { app: 'db' }));
      const names = async (labelSelector: string) =>
        (await store.list(ConfigMapsType, { namespace: NS, labelSelector })).items.map((i) => i.metadata.name);
      expect(await names('app=web')).toEqual(['a', 'b']);
      expect(await names('app!=web')).toEqual(['c']);
      expect(await names('tier in (fe,xx)')).toEqual(['a']);
      expect(await names('tier notin (fe)')).toEqual(['b', 'c']);
      expect(await names('tier')).toEqual(['a', 'b']);
      expect(await names('!tier')).toEqual(['c']);
      expect(await names('app=web,tier=be')).toEqual(['b']);
      const err = await statusErrorOf(store.list(ConfigMapsType, { namespace: NS, labelSelector: 'app in (' }));
      expect(err.reason).toBe('BadRequest');
    });

    it("filters by field selectors, including a kind's own selectable fields", async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(PodsType, pod('p1', { nodeName: 'n1' }));
      await store.create(PodsType, pod('p2', { nodeName: 'n2' }));
      await store.create(PodsType, pod('p3'));
      const names = async (fieldSelector: string) =>
        (await store.list(PodsType, { namespace: NS, fieldSelector })).items.map((i) => i.metadata.name);
      expect(await names('spec.nodeName=n1')).toEqual(['p1']);
      expect(await names('spec.nodeName!=n1')).toEqual(['p2', 'p3']);
      expect(await names('spec.nodeName=')).toEqual(['p3']);
      expect(await names('metadata.name=p2')).toEqual(['p2']);
      expect(await names(`metadata.namespace=${NS},status.phase=Pending`)).toEqual(['p1', 'p2', 'p3']);
      const err = await statusErrorOf(store.list(PodsType, { namespace: NS, fieldSelector: 'spec.bogus=1' }));
      expect(err.reason).toBe('BadRequest');
    });

    it('pages with limit and continue, covering every object exactly once from one snapshot', async () => {
      const { store } = h();
      await createNamespace(store);
      for (let i = 0; i < 25; i++) await store.create(ConfigMapsType, configMap(`cm-${String(i).padStart(2, '0')}`));
      const first = await store.list(ConfigMapsType, { namespace: NS, limit: 10 });
      expect(first.items).toHaveLength(10);
      expect(first.metadata.continue).toBeTruthy();
      expect(first.metadata.remainingItemCount).toBe(15);
      // Writes after the first page are not seen by later pages.
      await store.create(ConfigMapsType, configMap('cm-99'));
      await store.delete(ConfigMapsType, { namespace: NS, name: 'cm-20' });
      const seen = first.items.map((i) => i.metadata.name);
      let token = first.metadata.continue;
      while (token) {
        const page = await store.list(ConfigMapsType, { namespace: NS, limit: 10, continue: token });
        expect(page.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
        seen.push(...page.items.map((i) => i.metadata.name));
        token = page.metadata.continue;
      }
      expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `cm-${String(i).padStart(2, '0')}`));
    });

    it('fills pages with matching objects when a selector is given', async () => {
      const { store } = h();
      await createNamespace(store);
      for (let i = 0; i < 30; i++)
        await store.create(ConfigMapsType, configMap(`cm-${String(i).padStart(2, '0')}`, {}, { even: String(i % 2 === 0) }));
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await store.list(ConfigMapsType, {
          namespace: NS,
          limit: 4,
          labelSelector: 'even=true',
          ...(token ? { continue: token } : {}),
        });
        expect(page.items.length).toBeLessThanOrEqual(4);
        seen.push(...page.items.map((i) => i.metadata.name!));
        token = page.metadata.continue;
      } while (token);
      expect(seen).toEqual(Array.from({ length: 15 }, (_, i) => `cm-${String(i * 2).padStart(2, '0')}`));
    });

    it('rejects a continue token that is not one', async () => {
      const { store } = h();
      await createNamespace(store);
      const err = await statusErrorOf(store.list(ConfigMapsType, { namespace: NS, limit: 1, continue: 'garbage!' }));
      expect(err.reason).toBe('BadRequest');
    });

    it('answers 410 Expired for a continue token older than the kept history', async (ctx) => {
      const harness = h();
      if (!harness.compact) return ctx.skip();
      const { store } = harness;
      await createNamespace(store);
      for (let i = 0; i < 5; i++) await store.create(ConfigMapsType, configMap(`cm-${i}`));
      const first = await store.list(ConfigMapsType, { namespace: NS, limit: 2 });
      for (let i = 0; i < 3; i++) await store.update(ConfigMapsType, configMap('cm-4', { n: String(i) }));
      await harness.compact();
      const err = await statusErrorOf(store.list(ConfigMapsType, { namespace: NS, limit: 2, continue: first.metadata.continue! }));
      expect(err.code).toBe(410);
      expect(err.reason).toBe('Expired');
    });

    it('serves an exact resourceVersion from history', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(ConfigMapsType, configMap('a', { v: '1' }));
      const then = await store.list(ConfigMapsType, { namespace: NS });
      await store.update(ConfigMapsType, configMap('a', { v: '2' }));
      await store.create(ConfigMapsType, configMap('b'));
      const exact = await store.list(ConfigMapsType, {
        namespace: NS,
        resourceVersion: then.metadata.resourceVersion!,
        resourceVersionMatch: 'Exact',
      });
      expect(exact.metadata.resourceVersion).toBe(then.metadata.resourceVersion);
      expect(exact.items.map((i) => [i.metadata.name, (i.data as Record<string, string>).v])).toEqual([['a', '1']]);
      const notOlder = await store.list(ConfigMapsType, {
        namespace: NS,
        resourceVersion: then.metadata.resourceVersion!,
        resourceVersionMatch: 'NotOlderThan',
      });
      expect(notOlder.items).toHaveLength(2);
      const any = await store.list(ConfigMapsType, { namespace: NS, resourceVersion: '0' });
      expect(any.items.length).toBeGreaterThan(0);
    });

    it('checks resourceVersion parameters the way Kubernetes does', async () => {
      const { store } = h();
      await createNamespace(store);
      const list = await store.list(ConfigMapsType, { namespace: NS });
      const future = String(Number(list.metadata.resourceVersion) + 1000);
      const tooLarge = await statusErrorOf(
        store.list(ConfigMapsType, { namespace: NS, resourceVersion: future, resourceVersionMatch: 'Exact' }),
      );
      expect(tooLarge.code).toBe(504);
      expect(tooLarge.message).toContain('Too large resource version');
      expect((await statusErrorOf(store.list(ConfigMapsType, { namespace: NS, resourceVersionMatch: 'Exact' }))).reason).toBe('BadRequest');
      expect(
        (await statusErrorOf(store.list(ConfigMapsType, { namespace: NS, resourceVersion: '0', resourceVersionMatch: 'Exact' }))).reason,
      ).toBe('BadRequest');
      expect((await statusErrorOf(store.list(ConfigMapsType, { namespace: NS, resourceVersion: 'abc' }))).reason).toBe('BadRequest');
    });
  });
}
