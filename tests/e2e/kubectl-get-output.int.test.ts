/**
 * `kubectl get` and `describe` the way scripts read them: every output format, selectors,
 * sorting, chunking, and watches (-w, --watch-only, --output-watch-events) with changes made
 * in parallel, against `converge up`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startConvergeCluster, tableRows, type ConvergeCluster } from './support/converge-cluster.js';

let c: ConvergeCluster;
beforeAll(async () => {
  // These tests write Deployment status and events by hand to check how kubectl prints them;
  // the workload controllers would rewrite both, so they are off here (kubectl-workloads tests them).
  c = await startConvergeCluster({ args: ['--controllers', '*,-deployment-controller,-replicaset-controller'] });
  ok(c.kubectl(['create', 'namespace', 'other']));
  ok(c.kubectl(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2']));
  ok(c.kubectl(['create', 'service', 'clusterip', 'web', '--tcp=80:8080']));
  for (let i = 1; i <= 12; i++) {
    ok(c.kubectl(['create', 'configmap', `c${String(i).padStart(2, '0')}`, `--from-literal=k=${i}`]));
  }
  // The cluster adds its own objects (kube-root-ca.crt): the tests count only theirs, labelled e2e.
  ok(c.kubectl(['label', 'configmap', ...Array.from({ length: 12 }, (_, i) => `c${String(i + 1).padStart(2, '0')}`), 'e2e=yes']));
  ok(c.kubectl(['label', 'configmap', 'c01', 'c02', 'c03', 'tier=front', 'team=a']));
  ok(c.kubectl(['label', 'configmap', 'c04', 'c05', 'tier=back', 'team=b']));
  ok(c.kubectl(['label', 'configmap', 'c06', 'tier=db']));
  ok(c.kubectl(['create', 'configmap', 'elsewhere', '-n', 'other', '--from-literal=x=1']));
});
afterAll(async () => {
  if (c) expect(await c.stop()).toBe(0);
});

const names = (stdout: string) => stdout.trim().split('\n').filter(Boolean);

describe('kubectl get output formats', () => {
  it('prints the Deployment and Service tables, with extra columns in -o wide', () => {
    const deploy = tableRows(ok(c.kubectl(['get', 'deploy'])));
    expect(deploy[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(deploy[1]!.slice(0, 4)).toEqual(['web', '0/2', '0', '0']);
    const wide = tableRows(ok(c.kubectl(['get', 'deploy', '-o', 'wide'])));
    expect(wide[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(wide[1]!.slice(-3)).toEqual(['nginx', 'nginx:1.25', 'app=web']);
    const svc = tableRows(ok(c.kubectl(['get', 'svc', 'web', '-o', 'wide'])));
    expect(svc[0]).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    expect(svc[1]![1]).toBe('ClusterIP');
    expect(svc[1]![4]).toBe('80/TCP');
    const ns = tableRows(ok(c.kubectl(['get', 'ns'])));
    expect(ns[0]).toEqual(['NAME', 'STATUS', 'AGE']);
    expect(ns.map((r) => r[0])).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'other']));
  });

  it('prints yaml, json, jsonpath, custom-columns and name', () => {
    const yaml = ok(c.kubectl(['get', 'cm', 'c01', '-o', 'yaml']));
    expect(yaml).toMatch(/^apiVersion: v1\n/);
    expect(yaml).toContain('kind: ConfigMap');
    expect(yaml).toContain('  k: "1"');
    const json = JSON.parse(ok(c.kubectl(['get', 'cm', '-l', 'e2e', '-o', 'json'])));
    expect(json.kind).toBe('List');
    expect(json.items).toHaveLength(12);
    expect(json.items[0].metadata.resourceVersion).toMatch(/^\d+$/);
    expect(ok(c.kubectl(['get', 'cm', '-l', 'tier=front', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.data.k};{end}']))).toBe(
      'c01=1;c02=2;c03=3;',
    );
    const cols = tableRows(
      ok(c.kubectl(['get', 'cm', '-l', 'tier', '-o', 'custom-columns=NAME:.metadata.name,TIER:.metadata.labels.tier,K:.data.k'])),
    );
    expect(cols).toEqual([
      ['NAME', 'TIER', 'K'],
      ['c01', 'front', '1'],
      ['c02', 'front', '2'],
      ['c03', 'front', '3'],
      ['c04', 'back', '4'],
      ['c05', 'back', '5'],
      ['c06', 'db', '6'],
    ]);
    expect(names(ok(c.kubectl(['get', 'deploy,svc', '-l', 'app=web', '-o', 'name'])))).toEqual(['deployment.apps/web', 'service/web']);
  });

  it('shows labels with --show-labels and -L, and namespaces with -A', () => {
    const shown = tableRows(ok(c.kubectl(['get', 'cm', 'c01', 'c06', '--show-labels'])));
    expect(shown[0]).toEqual(['NAME', 'DATA', 'AGE', 'LABELS']);
    expect(shown[1]![3]).toBe('e2e=yes,team=a,tier=front');
    expect(shown[2]![3]).toBe('e2e=yes,tier=db');
    const L = tableRows(ok(c.kubectl(['get', 'cm', '-l', 'tier', '-L', 'tier,team'])));
    expect(L[0]).toEqual(['NAME', 'DATA', 'AGE', 'TIER', 'TEAM']);
    expect(L.find((r) => r[0] === 'c06')).toEqual(['c06', '1', expect.any(String), 'db']);
    const all = tableRows(ok(c.kubectl(['get', 'cm', '-A', '--field-selector', 'metadata.name=elsewhere'])));
    expect(all).toEqual([
      ['NAMESPACE', 'NAME', 'DATA', 'AGE'],
      ['other', 'elsewhere', '1', expect.any(String)],
    ]);
    const allNs = tableRows(ok(c.kubectl(['get', 'cm', '--all-namespaces', '-l', 'team=b', '--show-labels'])));
    expect(allNs.map((r) => [r[0], r[1], r[4]])).toEqual([
      ['NAMESPACE', 'NAME', 'LABELS'],
      ['default', 'c04', 'e2e=yes,team=b,tier=back'],
      ['default', 'c05', 'e2e=yes,team=b,tier=back'],
    ]);
  });

  it('selects with equality and set-based label selectors and field selectors', () => {
    const sel = (s: string) => names(ok(c.kubectl(['get', 'cm', '-l', s, '-o', 'name']))).map((n) => n.replace('configmap/', ''));
    expect(sel('tier in (front,db)')).toEqual(['c01', 'c02', 'c03', 'c06']);
    expect(sel('tier notin (front),tier')).toEqual(['c04', 'c05', 'c06']);
    expect(sel('tier,!team')).toEqual(['c06']);
    expect(sel('team!=a,tier')).toEqual(['c04', 'c05', 'c06']);
    expect(sel('tier=front,team=a')).toEqual(['c01', 'c02', 'c03']);
    const noMatch = c.kubectl(['get', 'cm', '-l', 'tier=nowhere']);
    expect(noMatch.stdout).toBe('');
    expect(noMatch.stderr.trim()).toBe('No resources found in default namespace.');
    expect(
      names(ok(c.kubectl(['get', 'cm', '-l', 'e2e', '--field-selector', 'metadata.name!=c01,metadata.namespace=default', '-o', 'name']))),
    ).toHaveLength(11);
    const badField = c.kubectl(['get', 'cm', '--field-selector', 'data.k=1']);
    expect(badField.status).toBe(1);
    expect(badField.stderr).toContain('BadRequest');
    expect(badField.stderr).toContain('data.k');
  });

  it('sorts with --sort-by and pages with --chunk-size', () => {
    ok(c.kubectl(['annotate', 'cm', 'c01', 'rank=3']));
    ok(c.kubectl(['annotate', 'cm', 'c02', 'rank=1']));
    ok(c.kubectl(['annotate', 'cm', 'c03', 'rank=2']));
    const sorted = tableRows(ok(c.kubectl(['get', 'cm', '-l', 'tier=front', '--sort-by=.metadata.annotations.rank', '--no-headers'])));
    expect(sorted.map((r) => r[0])).toEqual(['c02', 'c03', 'c01']);
    // --chunk-size=5 over 12 objects: three list requests, each following the previous continue token.
    const chunked = c.kubectl(['get', 'cm', '-l', 'e2e', '--chunk-size=5', '--no-headers', '-v=6']);
    expect(chunked.status).toBe(0);
    expect(tableRows(chunked.stdout)).toHaveLength(12);
    const requests = chunked.stderr
      .split('\n')
      .filter((l) => /GET https:\/\/\S+\/api\/v1\/namespaces\/default\/configmaps\?\S*limit=5/.test(l));
    expect(requests).toHaveLength(3);
    expect(requests[0]).not.toContain('continue=');
    expect(requests[1]).toContain('continue=');
    expect(requests[2]).toContain('continue=');
    const all = names(ok(c.kubectl(['get', 'cm', '-l', 'e2e', '--chunk-size=1', '-o', 'name'])));
    expect(all).toHaveLength(12);
  });

  it('describes a Deployment, a Service and a ConfigMap', () => {
    const d = ok(c.kubectl(['describe', 'deploy', 'web']));
    expect(d).toMatch(/^Name:\s+web$/m);
    expect(d).toMatch(/^Replicas:\s+2 desired \| 0 updated \| 0 total \| 0 available \| 0 unavailable$/m);
    expect(d).toMatch(/^StrategyType:\s+RollingUpdate$/m);
    expect(d).toMatch(/^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m);
    expect(d).toMatch(/Image:\s+nginx:1.25/);
    const s = ok(c.kubectl(['describe', 'svc', 'web']));
    expect(s).toMatch(/^Selector:\s+app=web$/m);
    expect(s).toMatch(/^TargetPort:\s+8080\/TCP$/m);
    const cm = ok(c.kubectl(['describe', 'cm', 'c01']));
    expect(cm).toMatch(/^Labels:\s+e2e=yes\n\s+team=a\n\s+tier=front$/m);
    expect(cm).toMatch(/^k:\n----\n1$/m);
  });

  it('lists events with the columns kubectl users know, and shows them in describe and kubectl events', () => {
    const uid = ok(c.kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.uid}']));
    const event = `apiVersion: v1
kind: Event
metadata: {name: web.scaled}
involvedObject: {apiVersion: apps/v1, kind: Deployment, name: web, namespace: default, uid: ${uid}}
reason: ScalingReplicaSet
message: Scaled up replica set web-1 to 2
type: Normal
count: 3
firstTimestamp: "2024-01-01T00:00:00Z"
lastTimestamp: "2024-01-01T00:01:00Z"
source: {component: deployment-controller}
`;
    ok(c.kubectl(['create', '-f', '-'], { input: event }));
    const rows = tableRows(ok(c.kubectl(['get', 'events'])));
    expect(rows[0]).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(rows.find((r) => r[2] === 'ScalingReplicaSet')!.slice(1)).toEqual([
      'Normal',
      'ScalingReplicaSet',
      'deployment/web',
      'Scaled up replica set web-1 to 2',
    ]);
    const wide = tableRows(ok(c.kubectl(['get', 'events', '-o', 'wide'])));
    expect(wide[0]).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME']);
    expect(
      ok(c.kubectl(['get', 'events', '--field-selector', 'involvedObject.kind=Deployment,reason=ScalingReplicaSet', '-o', 'name'])).trim(),
    ).toBe('event/web.scaled');
    const described = ok(c.kubectl(['describe', 'deploy', 'web']));
    expect(described).toMatch(
      /Normal\s+ScalingReplicaSet\s+\S+ \(x3 over \S+\)\s+deployment-controller\s+Scaled up replica set web-1 to 2/,
    );
    expect(ok(c.kubectl(['events', '--for', 'deploy/web']))).toMatch(
      /ScalingReplicaSet\s+Deployment\/web\s+Scaled up replica set web-1 to 2/,
    );
  });
});

describe('kubectl get --watch', () => {
  it('streams rows for changes made in parallel with -w and --watch-only', async () => {
    ok(c.kubectl(['create', 'configmap', 'anchor']));
    ok(c.kubectl(['label', 'configmap', 'anchor', 'watched=anchor']));
    const w = c.kubectlBackground(['get', 'cm', '-l', 'watched', '-w']);
    const only = c.kubectlBackground(['get', 'cm', '--watch-only', '-o', 'name', '-v=6']);
    const events = c.kubectlBackground(['get', 'deploy', '-w', '--output-watch-events']);
    try {
      await events.waitFor((s) => /ADDED\s+web\s+0\/2/.test(s));
      await w.waitFor((s) => /^anchor\s+0\s+/m.test(s));
      // -v=6 logs the watch request once its response headers arrived: the watch is established.
      await only.waitForStderr((s) => /GET https:\S+configmaps\?\S*watch=true\S* 200 OK/.test(s));
      ok(c.kubectl(['create', 'configmap', 'live', '--from-literal=a=1']));
      ok(c.kubectl(['label', 'configmap', 'live', 'watched=yes']));
      ok(c.kubectl(['scale', 'deploy', 'web', '--replicas=4']));
      ok(c.kubectl(['delete', 'configmap', 'live']));
      const out = await w.waitFor((s) => (s.match(/^live\s+1\s+/gm) ?? []).length >= 2);
      expect(out).toMatch(/^NAME\s+DATA\s+AGE$/m);
      await only.waitFor((s) => (s.match(/^configmap\/live$/gm) ?? []).length >= 3);
      expect(only.stdout()).not.toContain('c01');
      expect(only.stdout()).not.toContain('kube-root-ca.crt');
      expect(only.stdout()).not.toContain('anchor');
      const ev = await events.waitFor((s) => /MODIFIED\s+web\s+0\/4/.test(s));
      expect(ev).toMatch(/^EVENT\s+NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
    } finally {
      await Promise.all([w.stop(), only.stop(), events.stop()]);
    }
  });

  it('streams -o jsonpath output with -w as the object changes', async () => {
    const w = c.kubectlBackground(['get', 'cm', 'c07', '-w', '-o', 'jsonpath={.metadata.name}:{.data.k}{"\\n"}']);
    try {
      await w.waitFor((s) => s.includes('c07:7'));
      ok(c.kubectl(['patch', 'cm', 'c07', '--type=merge', '-p', '{"data":{"k":"77"}}']));
      await w.waitFor((s) => s.includes('c07:77'));
    } finally {
      await w.stop();
    }
  });
});
