/**
 * @kubernetes/client-node, unmodified, against `converge up` (a real process, loaded from the
 * kubeconfig it writes), used the way operator frameworks use it: list then watch from the
 * list's resourceVersion, bookmarks and sendInitialEvents, single-object watches by field
 * selector, paging, every patch content type, and server-side apply with field managers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// client-node is a dependency of packages/apiserver; the root does not list it.
import {
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  Watch,
  type KubernetesObject,
  type V1ConfigMap,
} from '../../packages/apiserver/node_modules/@kubernetes/client-node/dist/index.js';
import { startConvergeCluster, type ConvergeCluster } from './support/converge-cluster.js';
import { waitFor } from '../../packages/store/src/conformance/wait-for.js';

let c: ConvergeCluster;
let kc: KubeConfig;
let core: CoreV1Api;
const ns = 'default';
beforeAll(async () => {
  c = await startConvergeCluster();
  kc = new KubeConfig();
  kc.loadFromFile(c.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  if (c) expect(await c.stop()).toBe(0);
});

type WatchEvent = { type: string; name?: string | undefined; rv?: string | undefined; annotations?: Record<string, string> | undefined };

/** Starts a watch and collects its events until `stop()`; `done` resolves when the server ends it. */
async function collect(path: string, query: Record<string, string | number | boolean | undefined>) {
  const events: WatchEvent[] = [];
  let ended: (err: unknown) => void = () => {};
  const done = new Promise<unknown>((resolve) => (ended = resolve));
  const req = await new Watch(kc).watch(
    path,
    query,
    (type: string, obj: KubernetesObject) =>
      events.push({ type, name: obj.metadata?.name, rv: obj.metadata?.resourceVersion, annotations: obj.metadata?.annotations }),
    (err: unknown) => ended(err),
  );
  return { events, done, stop: () => req.abort() };
}

const cm = (name: string, data: Record<string, string> = {}, labels: Record<string, string> = {}): V1ConfigMap => ({
  metadata: { name, labels },
  data,
});

describe('@kubernetes/client-node against converge up', () => {
  it('lists, then watches from the list resourceVersion and sees every later change in order, once', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: cm('before') });
    const list = await core.listNamespacedConfigMap({ namespace: ns });
    const listRv = list.metadata!.resourceVersion!;
    expect(list.items.map((i) => i.metadata!.name)).toContain('before');
    const w = await collect(`/api/v1/namespaces/${ns}/configmaps`, { resourceVersion: listRv, allowWatchBookmarks: true });
    try {
      await core.createNamespacedConfigMap({ namespace: ns, body: cm('op1', { a: '1' }) });
      await core.patchNamespacedConfigMap(
        { name: 'op1', namespace: ns, body: [{ op: 'add', path: '/data/b', value: '2' }] },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      );
      await core.patchNamespacedConfigMap(
        { name: 'op1', namespace: ns, body: { data: { c: '3' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await core.patchNamespacedConfigMap(
        { name: 'op1', namespace: ns, body: { data: { d: '4' } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
      await core.deleteNamespacedConfigMap({ name: 'op1', namespace: ns });
      await waitFor('the DELETED event', () => w.events.some((e) => e.type === 'DELETED'));
      const changes = w.events.filter((e) => e.type !== 'BOOKMARK');
      expect(changes.map((e) => `${e.type} ${e.name}`)).toEqual([
        'ADDED op1',
        'MODIFIED op1',
        'MODIFIED op1',
        'MODIFIED op1',
        'DELETED op1',
      ]);
      const rvs = changes.map((e) => Number(e.rv));
      expect(rvs.every((rv, i) => rv > Number(listRv) && (i === 0 || rv > rvs[i - 1]!))).toBe(true);
    } finally {
      w.stop();
    }
  });

  it('resumes a watch from a resourceVersion in the past and replays what happened since', async () => {
    const start = (await core.createNamespacedConfigMap({ namespace: ns, body: cm('resume', { v: '0' }) })).metadata!.resourceVersion!;
    for (let i = 1; i <= 3; i++) {
      await core.patchNamespacedConfigMap(
        { name: 'resume', namespace: ns, body: { data: { v: String(i) } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    }
    const w = await collect(`/api/v1/namespaces/${ns}/configmaps`, { resourceVersion: start, fieldSelector: 'metadata.name=resume' });
    try {
      await waitFor('three replayed updates', () => w.events.filter((e) => e.type === 'MODIFIED').length === 3);
      expect(w.events.map((e) => e.type)).toEqual(['MODIFIED', 'MODIFIED', 'MODIFIED']);
    } finally {
      w.stop();
    }
  });

  it('sends initial events then a bookmark marking their end (sendInitialEvents, as WatchList informers ask)', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: cm('initial-a', {}, { set: 'initial' }) });
    await core.createNamespacedConfigMap({ namespace: ns, body: cm('initial-b', {}, { set: 'initial' }) });
    const w = await collect(`/api/v1/namespaces/${ns}/configmaps`, {
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
      allowWatchBookmarks: true,
      labelSelector: 'set=initial',
    });
    try {
      await waitFor('the initial-events-end bookmark', () => w.events.some((e) => e.type === 'BOOKMARK'));
      expect(w.events.map((e) => `${e.type} ${e.type === 'BOOKMARK' ? '' : e.name}`.trim())).toEqual([
        'ADDED initial-a',
        'ADDED initial-b',
        'BOOKMARK',
      ]);
      const bookmark = w.events.at(-1)!;
      expect(bookmark.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
      expect(Number(bookmark.rv)).toBeGreaterThanOrEqual(Math.max(...w.events.slice(0, 2).map((e) => Number(e.rv))));
      await core.createNamespacedConfigMap({ namespace: ns, body: cm('initial-c', {}, { set: 'initial' }) });
      await waitFor('the later ADDED', () => w.events.some((e) => e.name === 'initial-c'));
    } finally {
      w.stop();
    }
  });

  it('ends a watch after timeoutSeconds, as informers expect before they re-watch', async () => {
    const started = Date.now();
    const w = await collect(`/api/v1/namespaces/${ns}/configmaps`, {
      timeoutSeconds: 1,
      resourceVersion: '0',
      fieldSelector: 'metadata.name=none',
    });
    const err = await w.done;
    expect(err ?? null).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('pages a list with limit and continue, and filters by label', async () => {
    for (let i = 0; i < 7; i++)
      await core.createNamespacedConfigMap({ namespace: ns, body: cm(`page-${i}`, {}, { page: 'yes', odd: String(i % 2) }) });
    const names: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const page = await core.listNamespacedConfigMap({
        namespace: ns,
        labelSelector: 'page=yes',
        limit: 3,
        ...(cont !== undefined && { _continue: cont }),
      });
      names.push(...page.items.map((i) => i.metadata!.name!));
      cont = page.metadata!._continue || undefined;
      // As in Kubernetes, remainingItemCount is left out when the list has a selector.
      expect(page.metadata!.remainingItemCount).toBeUndefined();
      pages++;
    } while (cont);
    expect(pages).toBe(3);
    expect(names).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'page-5', 'page-6']);
    const unfiltered = await core.listNamespacedConfigMap({ namespace: ns, limit: 2 });
    expect(unfiltered.metadata!.remainingItemCount).toBeGreaterThan(0);
    const odd = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'page=yes,odd in (1)' });
    expect(odd.items.map((i) => i.metadata!.name)).toEqual(['page-1', 'page-3', 'page-5']);
  });

  it('reports Conflict on an update with a stale resourceVersion and NotFound with the Status', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: ns, body: cm('stale', { a: '1' }) });
    await core.patchNamespacedConfigMap(
      { name: 'stale', namespace: ns, body: { data: { a: '2' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const err = (await core
      .replaceNamespacedConfigMap({ name: 'stale', namespace: ns, body: { ...created, data: { a: '3' } } })
      .catch((e: unknown) => e)) as { code: number; body: string };
    expect(err.code).toBe(409);
    expect(JSON.parse(err.body)).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });
    const missing = (await core.readNamespacedConfigMap({ name: 'missing', namespace: ns }).catch((e: unknown) => e)) as {
      code: number;
      body: string;
    };
    expect(missing.code).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({
      reason: 'NotFound',
      message: 'configmaps "missing" not found',
      details: { name: 'missing', kind: 'configmaps' },
    });
  });

  it('server-side applies through KubernetesObjectApi: creates, conflicts between managers, forces', async () => {
    const api = KubernetesObjectApi.makeApiClient(kc);
    const apply = (manager: string, data: Record<string, string>, force = false) =>
      api.patch(
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa', namespace: ns }, data } as KubernetesObject,
        undefined,
        undefined,
        manager,
        force,
        PatchStrategy.ServerSideApply,
      );
    const created = (await apply('operator-a', { owned: 'a' })) as V1ConfigMap;
    expect(created.data).toEqual({ owned: 'a' });
    expect(created.metadata!.managedFields!.map((m) => `${m.manager}/${m.operation}`)).toEqual(['operator-a/Apply']);
    const conflict = (await apply('operator-b', { owned: 'b' }).catch((e: unknown) => e)) as { code: number; body: string };
    expect(conflict.code).toBe(409);
    const status = JSON.parse(conflict.body);
    expect(status).toMatchObject({ reason: 'Conflict' });
    expect(status.details.causes).toEqual([expect.objectContaining({ reason: 'FieldManagerConflict', field: '.data.owned' })]);
    expect(status.message).toContain('operator-a');
    const forced = (await apply('operator-b', { owned: 'b' }, true)) as V1ConfigMap;
    expect(forced.data).toEqual({ owned: 'b' });
    expect(forced.metadata!.managedFields!.map((m) => m.manager)).toEqual(['operator-b']);
  });
});
