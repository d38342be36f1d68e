/**
 * @kubernetes/client-node, unmodified, against the API server: typed APIs, the generic
 * KubernetesObjectApi, Watch, and the informer built on them.
 */
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  Watch,
  type V1ConfigMap,
  type V1Deployment,
  type V1Pod,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing/test-server.js';
import { waitFor } from '@converge/store/conformance';

let t: TestServer;
let kc: KubeConfig;
beforeAll(async () => {
  t = await startTestServer();
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: t.api.url, caData: Buffer.from(t.api.caCertPem!).toString('base64'), skipTLSVerify: false }],
    users: [{ name: 'u', token: t.api.adminToken }],
    contexts: [{ name: 'c', cluster: 'c', user: 'u', namespace: 'default' }],
    currentContext: 'c',
  });
});
afterAll(async () => {
  await t?.close();
});

const deployment = (name: string, replicas: number): V1Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});

describe('@kubernetes/client-node against the API server', () => {
  it('uses the typed CoreV1Api', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const ns = await core.listNamespace();
    expect(ns.items.map((n) => n.metadata?.name)).toEqual(expect.arrayContaining(['default', 'kube-system']));
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'typed' }, data: { a: '1' } } });
    expect(created.metadata?.uid).toBeTruthy();
    const read = await core.readNamespacedConfigMap({ name: 'typed', namespace: 'default' });
    expect(read.data).toEqual({ a: '1' });
    const notAJsonPatch = await core
      .patchNamespacedConfigMap({ name: 'typed', namespace: 'default', body: { data: { b: '2' } } })
      .catch((e: unknown) => e);
    expect(notAJsonPatch).toMatchObject({ code: 400 });
    const patched = await core.patchNamespacedConfigMap(
      { name: 'typed', namespace: 'default', body: { data: { b: '2' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.data).toEqual({ a: '1', b: '2' });
    await core.deleteNamespacedConfigMap({ name: 'typed', namespace: 'default' });
    await expect(core.readNamespacedConfigMap({ name: 'typed', namespace: 'default' })).rejects.toMatchObject({ code: 404 });
  });

  it('uses the typed AppsV1Api, including the scale subresource', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('typed-web', 2) });
    const list = await apps.listNamespacedDeployment({ namespace: 'default', labelSelector: 'app=typed-web' });
    expect(list.items).toHaveLength(1);
    const scale = await apps.readNamespacedDeploymentScale({ name: 'typed-web', namespace: 'default' });
    expect(scale.spec?.replicas).toBe(2);
    await apps.replaceNamespacedDeploymentScale({ name: 'typed-web', namespace: 'default', body: { ...scale, spec: { replicas: 3 } } });
    expect((await apps.readNamespacedDeployment({ name: 'typed-web', namespace: 'default' })).spec?.replicas).toBe(3);
  });

  it('reports API errors with their Status', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const err = await apps.readNamespacedDeployment({ name: 'missing', namespace: 'default' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 404 });
    expect(String((err as { body: string }).body)).toContain('deployments.apps \\"missing\\" not found');
  });

  it('uses the generic KubernetesObjectApi', async () => {
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const created = await objects.create<V1ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'generic', namespace: 'default' },
      data: { x: '1' },
    });
    expect(created.metadata?.resourceVersion).toBeTruthy();
    const read = await objects.read<V1ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'generic', namespace: 'default' },
    });
    expect(read.data).toEqual({ x: '1' });
    const patched = await objects.patch<V1ConfigMap>(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'generic', namespace: 'default' }, data: { y: '2' } },
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    );
    expect(patched.data).toEqual({ x: '1', y: '2' });
    const list = await objects.list('apps/v1', 'Deployment', 'default');
    expect(list.items.length).toBeGreaterThan(0);
    await objects.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'generic', namespace: 'default' } });
  });

  it('watches with Watch', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const rv = (await core.listNamespacedPod({ namespace: 'default' })).metadata?.resourceVersion;
    const events: { type: string; name?: string | undefined }[] = [];
    const watch = new Watch(kc);
    const ctl = await watch.watch(
      '/api/v1/namespaces/default/pods',
      { resourceVersion: rv },
      (type, obj: V1Pod) => events.push({ type, name: obj.metadata?.name }),
      () => undefined,
    );
    try {
      await core.createNamespacedPod({
        namespace: 'default',
        body: { metadata: { name: 'watched' }, spec: { containers: [{ name: 'c', image: 'x' }] } },
      });
      await core.deleteNamespacedPod({ name: 'watched', namespace: 'default' });
      await waitFor('two events', () => events.length >= 2);
      expect(events).toEqual([
        { type: 'ADDED', name: 'watched' },
        { type: 'DELETED', name: 'watched' },
      ]);
    } finally {
      ctl.abort();
    }
  });

  it('keeps an informer cache in step with the server', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1ConfigMap>(kc, '/api/v1/namespaces/default/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'default' }),
    );
    const added: string[] = [];
    informer.on('add', (o) => added.push(o.metadata?.name ?? ''));
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'before' } } });
    await informer.start();
    try {
      await waitFor('the listed object', () => informer.get('before', 'default'));
      await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'after' }, data: { v: '1' } } });
      await waitFor('the watched object', () => informer.get('after', 'default'));
      await core.patchNamespacedConfigMap({ name: 'after', namespace: 'default', body: [{ op: 'replace', path: '/data/v', value: '2' }] });
      await waitFor('the update', () => informer.get('after', 'default')?.data?.['v'] === '2');
      await core.deleteNamespacedConfigMap({ name: 'before', namespace: 'default' });
      await waitFor('the delete', () => informer.get('before', 'default') === undefined);
      expect(added).toEqual(expect.arrayContaining(['before', 'after']));
    } finally {
      await informer.stop();
    }
  });
});
