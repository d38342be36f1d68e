/**
 * The real kubectl (from PATH) against the API server: reading, labelling, patching, watching
 * and deleting. One server for the whole file; each test asserts what kubectl printed or
 * what the store holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kubectl } from './testing/kubectl.js';
import { startTestServer, type TestServer } from './testing/test-server.js';

let t: TestServer;
let k: Kubectl;
const pods = { group: '', version: 'v1', resource: 'pods' };

beforeAll(async () => {
  t = await startTestServer();
  k = t.kubectl();
  const def = t.catalog.get(pods)!;
  for (const [name, app, node] of [
    ['web-1', 'web', 'node-a'],
    ['web-2', 'web', 'node-b'],
    ['db-1', 'db', 'node-a'],
  ] as const) {
    await t.registry.create(def, {
      metadata: { name, namespace: 'default', labels: { app } },
      spec: { nodeName: node, containers: [{ name: 'c', image: `${app}:1` }] },
    });
  }
  await t.registry.create(t.catalog.get({ group: '', version: 'v1', resource: 'namespaces' })!, { metadata: { name: 'other' } });
  await t.registry.create(def, {
    metadata: { name: 'elsewhere', namespace: 'other', labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'x' }] },
  });
});
afterAll(async () => {
  await t?.close();
});

describe('kubectl reads', () => {
  it('prints the server version', async () => {
    const out = await k.ok(['version']);
    expect(out).toMatch(/Server Version: v1\.32\.0\+converge\./);
  });

  it('lists the built-in resources as Kubernetes does', async () => {
    const out = await k.ok(['api-resources']);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/);
    const row = (name: string) => lines.find((l) => l.startsWith(`${name} `))?.split(/\s+/);
    expect(row('pods')).toEqual(['pods', 'po', 'v1', 'true', 'Pod']);
    expect(row('deployments')).toEqual(['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
    expect(row('namespaces')).toEqual(['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    expect(row('customresourcedefinitions')).toEqual([
      'customresourcedefinitions',
      'crd,crds',
      'apiextensions.k8s.io/v1',
      'false',
      'CustomResourceDefinition',
    ]);
    expect(row('horizontalpodautoscalers')).toEqual([
      'horizontalpodautoscalers',
      'hpa',
      'autoscaling/v2',
      'true',
      'HorizontalPodAutoscaler',
    ]);
    expect(row('selfsubjectaccessreviews')).toEqual([
      'selfsubjectaccessreviews',
      'authorization.k8s.io/v1',
      'false',
      'SelfSubjectAccessReview',
    ]);
    const namespacedOnly = await k.ok(['api-resources', '--namespaced=false', '-o', 'name']);
    expect(namespacedOnly.split('\n')).toContain('nodes');
    expect(namespacedOnly.split('\n')).not.toContain('pods');
  });

  it('lists the API versions', async () => {
    const out = (await k.ok(['api-versions'])).trim().split('\n');
    expect(out).toEqual(
      expect.arrayContaining(['v1', 'apps/v1', 'batch/v1', 'apiextensions.k8s.io/v1', 'autoscaling/v2', 'rbac.authorization.k8s.io/v1']),
    );
  });

  it('prints the cluster info', async () => {
    const out = await k.ok(['cluster-info']);
    expect(out).toContain(`Kubernetes control plane is running at ${t.api.url}`);
  });

  it('gets pods as a table, wide, by label and by field', async () => {
    const table = await k.ok(['get', 'pods']);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(table).toMatch(/^web-1\s+0\/1\s+Pending\s+0\s+\d+s$/m);
    const wide = await k.ok(['get', 'pods', '-o', 'wide']);
    expect(wide.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
    expect(wide).toMatch(/^web-2\s+.*\s+<none>\s+node-b\s+<none>\s+<none>$/m);
    const byLabel = await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'name']);
    expect(byLabel.trim().split('\n')).toEqual(['pod/web-1', 'pod/web-2']);
    const byField = await k.ok(['get', 'pods', '--field-selector', 'spec.nodeName=node-a', '-o', 'name']);
    expect(byField.trim().split('\n')).toEqual(['pod/db-1', 'pod/web-1']);
  });

  it('gets across all namespaces with labels and label columns', async () => {
    const out = await k.ok(['get', 'pods', '-A', '--show-labels']);
    expect(out.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+LABELS$/);
    expect(out).toMatch(/^other\s+elsewhere\s+.*app=web$/m);
    const cols = await k.ok(['get', 'pods', '-L', 'app']);
    expect(cols.split('\n')[0]).toMatch(/\sAPP$/);
    expect(cols).toMatch(/^db-1\s+.*\sdb$/m);
  });

  it('prints objects as YAML, JSON and JSONPath', async () => {
    const yaml = await k.ok(['get', 'pod', 'web-1', '-o', 'yaml']);
    expect(yaml).toContain('kind: Pod');
    expect(yaml).toContain('name: web-1');
    const json = JSON.parse(await k.ok(['get', 'pod', 'web-1', '-o', 'json'])) as { spec: { nodeName: string } };
    expect(json.spec.nodeName).toBe('node-a');
    const path = await k.ok(['get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}']);
    expect(path).toBe('db-1 web-1 web-2');
    const list = JSON.parse(await k.ok(['get', 'pods', '-l', 'app=db', '-o', 'json'])) as { kind: string; items: unknown[] };
    expect(list.kind).toBe('List');
    expect(list.items).toHaveLength(1);
  });

  it('gets events without a leading NAME column, the name last in -o wide', async () => {
    const events = t.catalog.get({ group: '', version: 'v1', resource: 'events' })!;
    await t.registry.create(events, {
      metadata: { name: 'web-1.abc', namespace: 'default' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1' },
      reason: 'Pulled',
      message: 'Image pulled',
      type: 'Normal',
      source: { component: 'kubelet' },
      count: 1,
    });
    const lines = (await k.ok(['get', 'events'])).trim().split('\n');
    expect(lines[0]!.split(/\s{2,}/)).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(lines[1]).toMatch(/\s+Normal\s+Pulled\s+pod\/web-1\s+Image pulled$/);
    const wide = (await k.ok(['get', 'events', '-o', 'wide'])).trim().split('\n');
    expect(wide[0]!.split(/\s{2,}/)).toEqual([
      'LAST SEEN',
      'TYPE',
      'REASON',
      'OBJECT',
      'SUBOBJECT',
      'SOURCE',
      'MESSAGE',
      'FIRST SEEN',
      'COUNT',
      'NAME',
    ]);
    expect(wide[1]).toMatch(/web-1\.abc$/);
  });

  it('describes a pod', async () => {
    const out = await k.ok(['describe', 'pod', 'web-1']);
    expect(out).toMatch(/^Name:\s+web-1$/m);
    expect(out).toMatch(/^Namespace:\s+default$/m);
    expect(out).toMatch(/^Node:\s+node-a/m);
    expect(out).toMatch(/^Labels:\s+app=web$/m);
  });

  it('says what is not found the way Kubernetes says it', async () => {
    const r = await k.run(['get', 'deployment', 'web']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('Error from server (NotFound): deployments.apps "web" not found');
  });
});

describe('kubectl writes', () => {
  it('labels and annotates', async () => {
    expect((await k.ok(['label', 'pod', 'web-1', 'tier=frontend'])).trim()).toBe('pod/web-1 labeled');
    expect((await k.ok(['annotate', 'pod', 'web-1', 'owner=team-a'])).trim()).toBe('pod/web-1 annotated');
    const p = await t.registry.get(t.catalog.get(pods)!, { namespace: 'default', name: 'web-1' });
    expect(p.metadata.labels).toEqual({ app: 'web', tier: 'frontend' });
    expect(p.metadata.annotations).toMatchObject({ owner: 'team-a' });
  });

  it('patches with json, merge and strategic merge patches', async () => {
    await k.ok(['patch', 'pod', 'web-2', '--type=json', '-p', '[{"op":"add","path":"/metadata/labels/j","value":"1"}]']);
    await k.ok(['patch', 'pod', 'web-2', '--type=merge', '-p', '{"metadata":{"labels":{"m":"2"}}}']);
    const out = await k.ok(['patch', 'pod', 'web-2', '-p', '{"spec":{"containers":[{"name":"c","image":"web:2"}]}}']);
    expect(out.trim()).toBe('pod/web-2 patched');
    const p = await t.registry.get(t.catalog.get(pods)!, { namespace: 'default', name: 'web-2' });
    expect(p.metadata.labels).toEqual({ app: 'web', j: '1', m: '2' });
    expect((p['spec'] as { containers: { image: string }[] }).containers[0]!.image).toBe('web:2');
  });

  it('watches pods and prints each change as a row', async () => {
    const w = k.start(['get', 'pods', '-l', 'app=db', '-w']);
    try {
      await w.waitFor(/^db-1\s+0\/1\s+Pending/m);
      await k.ok(['label', 'pod', 'db-1', 'watched=yes']);
      const out = await w.waitFor(/db-1[^\n]*\n[^\n]*db-1/);
      expect(out.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
      expect(out.split('\n').filter((l) => l.startsWith('db-1'))).toHaveLength(2);
    } finally {
      await w.stop();
    }
  });

  it('deletes, and waits for a deletion', async () => {
    const def = t.catalog.get(pods)!;
    await t.registry.create(def, { metadata: { name: 'doomed', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    const waiting = k.run(['wait', '--for=delete', 'pod/doomed', '--timeout=15s']);
    expect((await k.ok(['delete', 'pod', 'doomed'])).trim()).toBe('pod "doomed" deleted');
    const w = await waiting;
    expect(w.code).toBe(0);
    await expect(t.registry.get(def, { namespace: 'default', name: 'doomed' })).rejects.toMatchObject({ reason: 'NotFound' });
  });

  it('deletes with each cascade mode, recording the propagation policy', async () => {
    const cm = t.catalog.get({ group: '', version: 'v1', resource: 'configmaps' })!;
    for (const mode of ['foreground', 'background', 'orphan']) {
      await t.registry.create(cm, { metadata: { name: `c-${mode}`, namespace: 'default', finalizers: ['example.com/hold'] } });
      const out = await k.ok(['delete', 'configmap', `c-${mode}`, `--cascade=${mode}`, '--wait=false']);
      expect(out.trim()).toBe(`configmap "c-${mode}" deleted`);
      const held = await t.registry.get(cm, { namespace: 'default', name: `c-${mode}` });
      expect(held.metadata.deletionTimestamp).toBeTruthy();
      const f = held.metadata.finalizers ?? [];
      if (mode === 'foreground') expect(f).toContain('foregroundDeletion');
      if (mode === 'orphan') expect(f).toContain('orphan');
      if (mode === 'background') expect(f).toEqual(['example.com/hold']);
    }
  });

  it('waits for a condition', async () => {
    const def = t.catalog.get(pods)!;
    const waiting = k.run(['wait', '--for=condition=Ready', 'pod/web-1', '--timeout=15s']);
    const current = await t.registry.get(def, { namespace: 'default', name: 'web-1' });
    await t.registry.update(
      def,
      { ...current, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
      { subresource: 'status' },
    );
    const r = await waiting;
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('pod/web-1 condition met');
  });
});
