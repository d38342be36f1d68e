/**
 * Deletion through the built-in controllers, in process (the registry over the memory
 * backend, the controller-manager composition on the wall clock), as `converge up` runs them.
 *
 * `gc.cascade.10k`: seconds from deleting (in the background) one ConfigMap that 10,000
 * ConfigMaps name as owner until the last of them is gone. `gc.cascade.10k.foreground`: the
 * same with `propagationPolicy: Foreground` (every dependent blocking), until the owner itself
 * is gone. `namespace.delete.5k`: seconds from deleting a namespace holding 5,000 objects of
 * ten kinds (ConfigMaps, Secrets, ServiceAccounts, Pods, Endpoints, Roles, RoleBindings,
 * Leases, LimitRanges and a custom resource) until the namespace is gone.
 */
import {
  ConfigMaps,
  Endpoints,
  isNotFound,
  Leases,
  LimitRanges,
  Namespaces,
  Pods,
  RoleBindings,
  Roles,
  Secrets,
  ServiceAccounts,
  silentLogger,
  type KubeObject,
  type ObjectStore,
  type ResourceType,
} from '../packages/core/src/index.js';
import { createBuiltinCatalog } from '../packages/core/src/kinds/index.js';
import { MemoryBackend, Registry } from '../packages/store/src/index.js';
import { catalogDiscovery, createControllerManager, GarbageCollector } from '../packages/builtin-controllers/src/index.js';
import { exampleKind } from '../packages/builtin-controllers/src/testing-fixtures/example-kind.fixture.js';
import { benchmark, report } from './kit.js';

const Gizmos = exampleKind({ kind: 'Gizmo', plural: 'gizmos' });

async function cluster() {
  const catalog = createBuiltinCatalog();
  catalog.add(Gizmos);
  const store = new Registry({ backend: new MemoryBackend(), catalog });
  for (const name of ['default', 'kube-system']) await store.create(Namespaces, { metadata: { name } });
  const cm = createControllerManager({ store, discovery: catalogDiscovery(catalog), logger: silentLogger(), leaderElection: false });
  const done = cm.manager.start();
  return {
    store,
    cm,
    stop: async () => {
      await cm.manager.stop();
      await done.catch(() => undefined);
      await store.close();
    },
  };
}

async function until(check: () => Promise<boolean>, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function gone(store: ObjectStore, type: ResourceType, key: { namespace?: string; name: string }): Promise<boolean> {
  try {
    await store.get(type, key);
    return false;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
}

async function cascade(policy: 'Background' | 'Foreground'): Promise<number> {
  const { store, cm, stop } = await cluster();
  try {
    const owner = await store.create(ConfigMaps, { metadata: { name: 'owner', namespace: 'default' } });
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid!, blockOwnerDeletion: true };
    for (let i = 0; i < 10_000; i++)
      await store.create(ConfigMaps, { metadata: { name: `dep-${i}`, namespace: 'default', ownerReferences: [ref] } });
    const gc = cm.manager.container.get(GarbageCollector);
    await until(async () => gc.graph.size() >= 10_001);
    const t0 = performance.now();
    await store.delete(ConfigMaps, { namespace: 'default', name: 'owner' }, { propagationPolicy: policy });
    if (policy === 'Foreground') await until(() => gone(store, ConfigMaps, { namespace: 'default', name: 'owner' }));
    else await until(async () => (await store.list(ConfigMaps, { namespace: 'default', limit: 1 })).items.length === 0);
    return (performance.now() - t0) / 1000;
  } finally {
    await stop();
  }
}

benchmark('gc.cascade.10k', async () => {
  report('gc.cascade.10k', await cascade('Background'), 's');
  report('gc.cascade.10k.foreground', await cascade('Foreground'), 's');
});

benchmark('namespace.delete.5k', async () => {
  const { store, stop } = await cluster();
  try {
    const ns = 'doomed';
    await store.create(Namespaces, { metadata: { name: ns } });
    const make: [ResourceType, (i: number) => KubeObject][] = [
      [ConfigMaps, (i) => ({ metadata: { name: `cm-${i}`, namespace: ns }, data: { i: String(i) } })],
      [Secrets, (i) => ({ metadata: { name: `s-${i}`, namespace: ns }, stringData: { i: String(i) } })],
      [ServiceAccounts, (i) => ({ metadata: { name: `sa-${i}`, namespace: ns } })],
      [Pods, (i) => ({ metadata: { name: `p-${i}`, namespace: ns }, spec: { containers: [{ name: 'c', image: 'busybox' }] } })],
      [Endpoints, (i) => ({ metadata: { name: `ep-${i}`, namespace: ns } })],
      [Roles, (i) => ({ metadata: { name: `r-${i}`, namespace: ns }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] })],
      [
        RoleBindings,
        (i) => ({
          metadata: { name: `rb-${i}`, namespace: ns },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `r-${i}` },
          subjects: [{ kind: 'User', name: 'u', apiGroup: 'rbac.authorization.k8s.io' }],
        }),
      ],
      [Leases, (i) => ({ metadata: { name: `l-${i}`, namespace: ns }, spec: { holderIdentity: 'x' } })],
      [
        LimitRanges,
        (i) => ({ metadata: { name: `lr-${i}`, namespace: ns }, spec: { limits: [{ type: 'Container', max: { cpu: '1' } }] } }),
      ],
      [Gizmos, (i) => ({ apiVersion: 'example.com/v1', kind: 'Gizmo', metadata: { name: `g-${i}`, namespace: ns }, spec: { size: i } })],
    ];
    for (const [type, obj] of make) for (let i = 0; i < 500; i++) await store.create(type as ResourceType<KubeObject>, obj(i));
    const t0 = performance.now();
    await store.delete(Namespaces, { name: ns });
    await until(() => gone(store, Namespaces, { name: ns }));
    report('namespace.delete.5k', (performance.now() - t0) / 1000, 's');
  } finally {
    await stop();
  }
});
