import { describe, expect, it } from 'vitest';
import type { ResourceDefinition } from '@converge/core';
import { createBuiltinCatalog } from '@converge/core/kinds';
import { parseTokenFile } from '../auth/static-token.authenticator.js';
import { DiscoveryService } from './discovery-service.js';
import { compareVersions } from './version-priority.js';

type Resource = { name: string; kind: string; verbs: string[]; group?: string; version?: string; shortNames?: string[] };

describe('discovery documents', () => {
  it('orders versions the way Kubernetes prefers them', () => {
    expect(['v1beta1', 'v1', 'v2alpha1', 'v2', 'v1beta2', 'foo'].sort(compareVersions)).toEqual([
      'v2',
      'v1',
      'v1beta2',
      'v1beta1',
      'v2alpha1',
      'foo',
    ]);
  });

  it('lists resources with their subresources and the kinds those answer with', () => {
    const d = new DiscoveryService(createBuiltinCatalog());
    const core = JSON.parse(d.resourceList('', 'v1')!.body) as { groupVersion: string; resources: Resource[] };
    expect(core.groupVersion).toBe('v1');
    const byName = new Map(core.resources.map((r) => [r.name, r]));
    expect(byName.get('pods')).toMatchObject({ kind: 'Pod', shortNames: ['po'] });
    expect(byName.get('pods/log')).toMatchObject({ kind: 'Pod', verbs: ['get'] });
    expect(byName.get('pods/exec')).toMatchObject({ kind: 'PodExecOptions', verbs: ['create', 'get'] });
    expect(byName.get('pods/eviction')).toMatchObject({ group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
    expect(byName.get('pods/binding')).toMatchObject({ kind: 'Binding', verbs: ['create'] });
    expect(byName.get('pods/status')).toMatchObject({ kind: 'Pod', verbs: ['get', 'patch', 'update'] });
    expect(byName.get('serviceaccounts/token')).toMatchObject({ group: 'authentication.k8s.io', kind: 'TokenRequest', verbs: ['create'] });
    const apps = JSON.parse(d.resourceList('apps', 'v1')!.body) as { resources: Resource[] };
    expect(apps.resources.find((r) => r.name === 'deployments/scale')).toMatchObject({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
    expect(d.resourceList('apps', 'v9')).toBeUndefined();
    d.close();
  });

  it('serves the aggregated form with the preferred version first', () => {
    const d = new DiscoveryService(createBuiltinCatalog());
    const agg = JSON.parse(d.aggregated('apis', 'v2').body) as {
      kind: string;
      items: { metadata: { name: string }; versions: { version: string }[] }[];
    };
    expect(agg.kind).toBe('APIGroupDiscoveryList');
    expect(agg.items[0]!.metadata.name).toBe('apiregistration.k8s.io');
    const autoscaling = agg.items.find((i) => i.metadata.name === 'autoscaling');
    expect(autoscaling?.versions[0]!.version).toBe('v2');
    const groups = JSON.parse(d.legacyGroupList().body) as { groups: { name: string; preferredVersion: { version: string } }[] };
    expect(groups.groups.find((g) => g.name === 'autoscaling')?.preferredVersion.version).toBe('v2');
    d.close();
  });

  it("gives versions sharing one storage the storage version's hash, and different storages different hashes", () => {
    const d = new DiscoveryService(createBuiltinCatalog());
    const hashOf = (group: string, version: string, resource: string) =>
      (JSON.parse(d.resourceList(group, version)!.body) as { resources: (Resource & { storageVersionHash?: string })[] }).resources.find(
        (r) => r.name === resource,
      )?.storageVersionHash;
    const v2 = hashOf('autoscaling', 'v2', 'horizontalpodautoscalers');
    expect(v2).toMatch(/^[A-Za-z0-9+/]{11}=$/);
    expect(hashOf('autoscaling', 'v1', 'horizontalpodautoscalers')).toBe(v2);
    expect(hashOf('events.k8s.io', 'v1', 'events')).toBe(hashOf('', 'v1', 'events'));
    expect(hashOf('apps', 'v1', 'deployments')).not.toBe(hashOf('apps', 'v1', 'replicasets'));
    d.close();
  });

  it('follows the catalog: a kind added or removed shows at once', () => {
    const catalog = createBuiltinCatalog();
    const d = new DiscoveryService(catalog);
    const before = d.legacyGroupList().etag;
    const cm = catalog.get({ group: '', version: 'v1', resource: 'configmaps' })!;
    const widget = {
      ...cm,
      group: 'example.com',
      kind: 'Widget',
      resource: 'widgets',
      singular: 'widget',
      listKind: 'WidgetList',
      shortNames: [],
    } as ResourceDefinition;
    catalog.add(widget);
    expect(d.legacyGroupList().etag).not.toBe(before);
    expect(d.resourceList('example.com', 'v1')).toBeDefined();
    catalog.remove(widget);
    expect(d.resourceList('example.com', 'v1')).toBeUndefined();
    d.close();
  });
});

describe('token files', () => {
  it('reads token,user,uid,"groups" lines', () => {
    expect(parseTokenFile('t1,alice,1,"a,b"\n\n# comment\nt2,bob,2\n')).toEqual([
      { token: 't1', user: 'alice', uid: '1', groups: ['a', 'b'] },
      { token: 't2', user: 'bob', uid: '2' },
    ]);
    expect(() => parseTokenFile('only,two')).toThrow(/line 1/);
  });
});
