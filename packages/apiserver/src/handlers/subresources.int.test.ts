import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../testing/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const deployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});
const pod = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name: 'c', image: 'x' }] },
});

describe('subresources', () => {
  it('reads and writes the scale subresource as an autoscaling/v1 Scale', async () => {
    await call(t.api, { method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', body: deployment('web', 2) });
    const scale = await call(t.api, { path: '/apis/apps/v1/namespaces/default/deployments/web/scale' });
    expect(scale.status).toBe(200);
    const s = scale.json<{ kind: string; apiVersion: string; spec: { replicas: number }; status: { selector: string } }>();
    expect(s).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 } });
    expect(s.status.selector).toBe('app=web');
    const put = await call(t.api, {
      method: 'PUT',
      path: '/apis/apps/v1/namespaces/default/deployments/web/scale',
      body: { ...s, spec: { replicas: 4 } },
    });
    expect(put.status).toBe(200);
    expect(put.json()).toMatchObject({ kind: 'Scale', spec: { replicas: 4 } });
    const patched = await call(t.api, {
      method: 'PATCH',
      path: '/apis/apps/v1/namespaces/default/deployments/web/scale',
      body: { spec: { replicas: 5 } },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(patched.json()).toMatchObject({ spec: { replicas: 5 } });
    const d = await call(t.api, { path: '/apis/apps/v1/namespaces/default/deployments/web' });
    expect(d.json()).toMatchObject({ spec: { replicas: 5 } });
  });

  it('writes status only through the status subresource', async () => {
    const d = (await call(t.api, { path: '/apis/apps/v1/namespaces/default/deployments/web' })).json<
      Record<string, unknown> & { spec: Record<string, unknown> }
    >();
    const withStatus = { ...d, status: { replicas: 5, readyReplicas: 3 } };
    await call(t.api, { method: 'PUT', path: '/apis/apps/v1/namespaces/default/deployments/web', body: withStatus });
    const main = await call(t.api, { path: '/apis/apps/v1/namespaces/default/deployments/web' });
    expect(main.json<{ status?: { readyReplicas?: number } }>().status?.readyReplicas).toBeUndefined();
    const current = main.json<Record<string, unknown>>();
    const st = await call(t.api, {
      method: 'PUT',
      path: '/apis/apps/v1/namespaces/default/deployments/web/status',
      body: { ...current, status: { replicas: 5, readyReplicas: 3 } },
    });
    expect(st.status).toBe(200);
    expect(st.json()).toMatchObject({ status: { readyReplicas: 3 } });
    const get = await call(t.api, { path: '/apis/apps/v1/namespaces/default/deployments/web/status' });
    expect(get.json()).toMatchObject({ kind: 'Deployment', status: { readyReplicas: 3 } });
  });

  it('binds a pod with 201, and answers 409 when it is already bound', async () => {
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/pods', body: pod('bind-me') });
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bind-me' }, target: { kind: 'Node', name: 'n1' } };
    const r = await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/pods/bind-me/binding', body: binding });
    expect(r.status).toBe(201);
    expect(r.json()).toMatchObject({ kind: 'Status', status: 'Success' });
    expect((await call(t.api, { path: '/api/v1/namespaces/default/pods/bind-me' })).json()).toMatchObject({ spec: { nodeName: 'n1' } });
    const again = await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/pods/bind-me/binding',
      body: { ...binding, target: { kind: 'Node', name: 'n2' } },
    });
    expect(again.status).toBe(409);
    expect(again.json()).toMatchObject({ reason: 'Conflict' });
  });

  it('binds through the core bindings collection too', async () => {
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/pods', body: pod('bind-2') });
    const r = await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/bindings',
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bind-2' }, target: { kind: 'Node', name: 'n3' } },
    });
    expect(r.status).toBe(201);
    expect((await call(t.api, { path: '/api/v1/namespaces/default/pods/bind-2' })).json()).toMatchObject({ spec: { nodeName: 'n3' } });
  });

  it('finalizes a Namespace through namespaces/<name>/finalize, a path no other cluster-scoped kind has', async () => {
    await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fin' } },
    });
    const ns = (await call(t.api, { path: '/api/v1/namespaces/fin' })).json<Record<string, unknown>>();
    const r = await call(t.api, {
      method: 'PUT',
      path: '/api/v1/namespaces/fin/finalize',
      body: { ...ns, spec: { finalizers: ['example.com/hold'] } },
    });
    expect(r.status).toBe(200);
    expect((await call(t.api, { path: '/api/v1/namespaces/fin' })).json()).toMatchObject({ spec: { finalizers: ['example.com/hold'] } });
    await call(t.api, { method: 'POST', path: '/api/v1/nodes', body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'fin-node' } } });
    const node = await call(t.api, {
      method: 'PUT',
      path: '/api/v1/nodes/fin-node/finalize',
      body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'fin-node' } },
    });
    expect(node.status).toBe(404);
    expect((await call(t.api, { path: '/api/v1/namespaces/default/nodes/fin-node' })).status).toBe(404);
  });

  it('evicts a pod with 201, and answers 429 when a PodDisruptionBudget forbids it', async () => {
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/pods', body: pod('evict-me') });
    const ok = await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/pods/evict-me/eviction',
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'evict-me' } },
    });
    expect(ok.status).toBe(201);
    expect((await call(t.api, { path: '/api/v1/namespaces/default/pods/evict-me' })).status).toBe(404);

    await call(t.api, {
      method: 'POST',
      path: '/apis/policy/v1/namespaces/default/poddisruptionbudgets',
      body: {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'keep' },
        spec: { minAvailable: 1, selector: { matchLabels: { app: 'kept' } } },
      },
    });
    const created = await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/pods', body: pod('kept', { app: 'kept' }) });
    const p = created.json<Record<string, unknown>>();
    const running = { ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
    await call(t.api, { method: 'PUT', path: '/api/v1/namespaces/default/pods/kept/status', body: running });
    const pdb = (await call(t.api, { path: '/apis/policy/v1/namespaces/default/poddisruptionbudgets/keep' })).json<
      Record<string, unknown>
    >();
    await call(t.api, {
      method: 'PUT',
      path: '/apis/policy/v1/namespaces/default/poddisruptionbudgets/keep/status',
      body: { ...pdb, status: { currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 1, observedGeneration: 1 } },
    });
    const refused = await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/pods/kept/eviction',
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'kept' } },
    });
    expect(refused.status).toBe(429);
    expect(refused.json()).toMatchObject({ reason: 'TooManyRequests' });
    expect((await call(t.api, { path: '/api/v1/namespaces/default/pods/kept' })).status).toBe(200);
  });

  it('answers pods/log, exec, attach and portforward with a 503 saying no kubelet is connected', async () => {
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/pods', body: pod('logs') });
    const unbound = await call(t.api, { path: '/api/v1/namespaces/default/pods/logs/log' });
    expect(unbound.status).toBe(400);
    expect(unbound.json()).toMatchObject({ message: 'pod logs does not have a host assigned' });
    await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/pods/logs/binding',
      body: { metadata: { name: 'logs' }, target: { name: 'n1' } },
    });
    for (const sub of ['log', 'exec?command=ls', 'attach', 'portforward?ports=80']) {
      const r = await call(t.api, { method: sub.startsWith('log') ? 'GET' : 'POST', path: `/api/v1/namespaces/default/pods/logs/${sub}` });
      expect(r.status).toBe(503);
      expect(r.json<{ message: string }>().message).toContain('no kubelet is connected for node "n1"');
    }
    const missing = await call(t.api, { path: '/api/v1/namespaces/default/pods/nope/log' });
    expect(missing.status).toBe(404);
  });

  it('answers 404 for a subresource a kind does not have', async () => {
    const r = await call(t.api, { path: '/api/v1/namespaces/default/configmaps/x/scale' });
    expect(r.status).toBe(404);
  });
});

describe('patches', () => {
  it('applies json, merge and strategic merge patches by content type', async () => {
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/pods', body: pod('patched', { a: '1' }) });
    const json = await call(t.api, {
      method: 'PATCH',
      path: '/api/v1/namespaces/default/pods/patched',
      body: [{ op: 'add', path: '/metadata/labels/b', value: '2' }],
      headers: { 'Content-Type': 'application/json-patch+json' },
    });
    expect(json.status).toBe(200);
    const merge = await call(t.api, {
      method: 'PATCH',
      path: '/api/v1/namespaces/default/pods/patched',
      body: { metadata: { labels: { a: null } } },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(merge.json()).toMatchObject({ metadata: { labels: { b: '2' } } });
    const smp = await call(t.api, {
      method: 'PATCH',
      path: '/api/v1/namespaces/default/pods/patched',
      body: { spec: { containers: [{ name: 'c', image: 'y' }] } },
      headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
    });
    expect(smp.status).toBe(200);
    expect(smp.json()).toMatchObject({ spec: { containers: [{ name: 'c', image: 'y' }] } });
  });

  it('refuses an unknown patch type with 415, force without apply and apply without a field manager with 422', async () => {
    const bad = await call(t.api, {
      method: 'PATCH',
      path: '/api/v1/namespaces/default/pods/patched',
      body: {},
      headers: { 'Content-Type': 'application/json' },
    });
    expect(bad.status).toBe(415);
    const force = await call(t.api, {
      method: 'PATCH',
      path: '/api/v1/namespaces/default/pods/patched?force=true',
      body: {},
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(force.status).toBe(422);
    const apply = await call(t.api, {
      method: 'PATCH',
      path: '/api/v1/namespaces/default/pods/patched',
      body: 'metadata: {}',
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
    });
    expect(apply.status).toBe(422);
    expect(apply.json<{ message: string }>().message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
  });

  it('refuses a malformed patch body with 400', async () => {
    const r = await call(t.api, {
      method: 'PATCH',
      path: '/api/v1/namespaces/default/pods/patched',
      body: '{"metadata":',
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(r.status).toBe(400);
  });
});

describe('deletes', () => {
  it('keeps an object with finalizers and answers it with its deletionTimestamp', async () => {
    await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: { metadata: { name: 'held', finalizers: ['example.com/hold'] } },
    });
    const r = await call(t.api, { method: 'DELETE', path: '/api/v1/namespaces/default/configmaps/held' });
    expect(r.status).toBe(200);
    expect(r.json<{ metadata: { deletionTimestamp?: string } }>().metadata.deletionTimestamp).toBeTruthy();
  });

  it('records the propagation policy as a finalizer', async () => {
    await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: { metadata: { name: 'fg', finalizers: ['example.com/hold'] } },
    });
    const r = await call(t.api, {
      method: 'DELETE',
      path: '/api/v1/namespaces/default/configmaps/fg',
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' },
    });
    expect(r.json<{ metadata: { finalizers: string[] } }>().metadata.finalizers).toContain('foregroundDeletion');
  });

  it('deletes a collection by label selector', async () => {
    for (const n of ['dc1', 'dc2', 'dc3'])
      await call(t.api, {
        method: 'POST',
        path: '/api/v1/namespaces/default/configmaps',
        body: { metadata: { name: n, labels: { dc: n === 'dc3' ? 'keep' : 'go' } } },
      });
    const r = await call(t.api, { method: 'DELETE', path: '/api/v1/namespaces/default/configmaps?labelSelector=dc%3Dgo' });
    expect(r.status).toBe(200);
    expect(r.json<{ items: unknown[] }>().items).toHaveLength(2);
    const left = await call(t.api, { path: '/api/v1/namespaces/default/configmaps?labelSelector=dc' });
    expect(left.json<{ items: { metadata: { name: string } }[] }>().items.map((i) => i.metadata.name)).toEqual(['dc3']);
  });
});
