/**
 * The imperative kubectl verbs CI scripts use: label, annotate, patch (json, merge, strategic),
 * scale, set, edit, delete (selectors, --all, cascade), wait, eviction, and the errors they
 * print, against `converge up`.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startConvergeCluster, type ConvergeCluster } from './support/converge-cluster.js';

let c: ConvergeCluster;
let dir: string;
beforeAll(async () => {
  // These tests write Deployment status and events by hand to check how kubectl prints them;
  // the workload controllers would rewrite both, so they are off here (kubectl-workloads tests them).
  c = await startConvergeCluster({ args: ['--controllers', '*,-deployment-controller,-replicaset-controller'] });
  dir = mkdtempSync(join(tmpdir(), 'converge-e2e-mut-'));
  ok(c.kubectl(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2', '--port=80']));
});
afterAll(async () => {
  if (c) expect(await c.stop()).toBe(0);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const jp = (args: string[], path: string) => ok(c.kubectl([...args, '-o', `jsonpath=${path}`]));

function script(name: string, body: string): string {
  const p = join(dir, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}

describe('labels and annotations', () => {
  it('adds, refuses to overwrite without --overwrite, overwrites, and removes with key-', () => {
    expect(ok(c.kubectl(['label', 'deploy', 'web', 'tier=be'])).trim()).toBe('deployment.apps/web labeled');
    const clash = c.kubectl(['label', 'deploy', 'web', 'tier=fe']);
    expect(clash.status).toBe(1);
    expect(clash.stderr).toContain("'tier' already has a value (be), and --overwrite is false");
    ok(c.kubectl(['label', 'deploy', 'web', 'tier=fe', '--overwrite']));
    expect(jp(['get', 'deploy', 'web'], '{.metadata.labels.tier}')).toBe('fe');
    expect(ok(c.kubectl(['label', 'deploy', 'web', 'tier-'])).trim()).toBe('deployment.apps/web unlabeled');
    expect(jp(['get', 'deploy', 'web'], '{.metadata.labels}')).toBe('{"app":"web"}');

    ok(c.kubectl(['annotate', 'deploy', 'web', 'note=first']));
    expect(c.kubectl(['annotate', 'deploy', 'web', 'note=second']).stderr).toContain(
      "--overwrite is false but found the following declared annotation(s): 'note' already has a value (first)",
    );
    ok(c.kubectl(['annotate', 'deploy', 'web', 'note=second', '--overwrite']));
    expect(jp(['get', 'deploy', 'web'], '{.metadata.annotations.note}')).toBe('second');
    ok(c.kubectl(['annotate', 'deploy', 'web', 'note-']));
    expect(jp(['get', 'deploy', 'web'], '{.metadata.annotations.note}')).toBe('');
  });

  it('labels every object matched by a selector or --all', () => {
    for (const n of ['l1', 'l2', 'l3']) ok(c.kubectl(['create', 'configmap', n]));
    const labelled = ok(c.kubectl(['label', 'cm', '--all', 'batch=x']))
      .trim()
      .split('\n');
    expect(labelled.filter((l) => /^configmap\/l\d labeled$/.test(l))).toHaveLength(3);
    ok(c.kubectl(['label', 'cm', 'l1', 'pick=me']));
    ok(c.kubectl(['label', 'cm', '-l', 'batch=x,pick', 'picked=yes']));
    expect(ok(c.kubectl(['get', 'cm', '-l', 'picked=yes', '-o', 'name'])).trim()).toBe('configmap/l1');
  });
});

describe('patch', () => {
  it('applies strategic-merge, merge and JSON patches', () => {
    ok(
      c.kubectl(['patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.26"}]}}}}']),
    );
    // Strategic merge keys containers by name: the port survives.
    expect(
      jp(['get', 'deploy', 'web'], '{.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}'),
    ).toBe('nginx:1.26 80');
    ok(c.kubectl(['patch', 'deploy', 'web', '--type=merge', '-p', '{"metadata":{"labels":{"merged":"yes"}}}']));
    ok(c.kubectl(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3}]']));
    expect(jp(['get', 'deploy', 'web'], '{.metadata.labels.merged} {.spec.replicas}')).toBe('yes 3');
    expect(ok(c.kubectl(['patch', 'deploy', 'web', '--type=merge', '-p', '{"spec":{"replicas":3}}'])).trim()).toBe(
      'deployment.apps/web patched (no change)',
    );
  });

  it('reports failed JSON-patch tests, missing paths and invalid values, changing nothing', () => {
    const rv = jp(['get', 'deploy', 'web'], '{.metadata.resourceVersion}');
    const failedTest = c.kubectl([
      'patch',
      'deploy',
      'web',
      '--type=json',
      '-p',
      '[{"op":"test","path":"/spec/replicas","value":99},{"op":"replace","path":"/spec/replicas","value":5}]',
    ]);
    expect(failedTest.status).toBe(1);
    expect(failedTest.stderr).toContain('testing value /spec/replicas failed');
    const missing = c.kubectl(['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/nope/x","value":1}]']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('/spec/nope/x');
    const invalid = c.kubectl(['patch', 'deploy', 'web', '--type=merge', '-p', '{"spec":{"replicas":-1}}']);
    expect(invalid.stderr.trim()).toBe(
      'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
    expect(jp(['get', 'deploy', 'web'], '{.metadata.resourceVersion} {.spec.replicas}')).toBe(`${rv} 3`);
  });

  it('patches the status subresource without touching spec or generation', () => {
    const gen = jp(['get', 'deploy', 'web'], '{.metadata.generation}');
    ok(c.kubectl(['patch', 'deploy', 'web', '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":3,"readyReplicas":1}}']));
    expect(jp(['get', 'deploy', 'web'], '{.status.readyReplicas} {.metadata.generation}')).toBe(`1 ${gen}`);
    expect(ok(c.kubectl(['get', 'deploy', 'web'])).split('\n')[1]).toMatch(/^web\s+1\/3\s/);
    // Status sent to the main resource is ignored.
    ok(c.kubectl(['patch', 'deploy', 'web', '--type=merge', '-p', '{"status":{"readyReplicas":3}}']));
    expect(jp(['get', 'deploy', 'web'], '{.status.readyReplicas}')).toBe('1');
  });
});

describe('scale and set', () => {
  it('scales through the scale subresource and honours --current-replicas', () => {
    expect(ok(c.kubectl(['scale', 'deploy', 'web', '--replicas=4'])).trim()).toBe('deployment.apps/web scaled');
    const scale = JSON.parse(ok(c.kubectl(['get', '--raw', '/apis/apps/v1/namespaces/default/deployments/web/scale'])));
    expect(scale).toMatchObject({ apiVersion: 'autoscaling/v1', kind: 'Scale', spec: { replicas: 4 }, status: { selector: 'app=web' } });
    const mismatch = c.kubectl(['scale', 'deploy', 'web', '--current-replicas=2', '--replicas=6']);
    expect(mismatch.status).toBe(1);
    expect(mismatch.stderr).toContain('Expected replicas to be 2, was 4');
    ok(c.kubectl(['scale', 'deploy', 'web', '--current-replicas=4', '--replicas=6']));
    expect(jp(['get', 'deploy', 'web'], '{.spec.replicas}')).toBe('6');
    expect(c.kubectl(['scale', 'deploy', 'nope', '--replicas=1']).stderr).toContain('deployments.apps "nope" not found');
  });

  it('sets image, env and resources on the pod template', () => {
    expect(ok(c.kubectl(['set', 'image', 'deploy/web', 'nginx=nginx:1.27'])).trim()).toBe('deployment.apps/web image updated');
    ok(c.kubectl(['set', 'env', 'deploy/web', 'A=1', 'B=2']));
    ok(c.kubectl(['set', 'env', 'deploy/web', 'A-']));
    ok(c.kubectl(['set', 'resources', 'deploy/web', '-c', 'nginx', '--limits=cpu=200m', '--requests=cpu=100m,memory=64Mi']));
    const container = JSON.parse(jp(['get', 'deploy', 'web'], '{.spec.template.spec.containers[0]}'));
    expect(container.image).toBe('nginx:1.27');
    expect(container.env).toEqual([{ name: 'B', value: '2' }]);
    expect(container.resources).toEqual({ limits: { cpu: '200m' }, requests: { cpu: '100m', memory: '64Mi' } });
    expect(ok(c.kubectl(['set', 'env', 'deploy/web', '--list']))).toContain('B=2');
    ok(c.kubectl(['rollout', 'restart', 'deploy/web']));
    expect(jp(['get', 'deploy', 'web'], '{.spec.template.metadata.annotations}')).toContain('kubectl.kubernetes.io/restartedAt');
    ok(c.kubectl(['rollout', 'pause', 'deploy/web']));
    expect(jp(['get', 'deploy', 'web'], '{.spec.paused}')).toBe('true');
    ok(c.kubectl(['rollout', 'resume', 'deploy/web']));
    expect(jp(['get', 'deploy', 'web'], '{.spec.paused}')).toBe('');
  });
});

describe('edit', () => {
  it('saves what the editor changed, and reports an invalid edit without saving it', () => {
    const editor = script('edit-ok.sh', `sed -i 's/replicas: 6/replicas: 7/' "$1"`);
    expect(ok(c.kubectl(['edit', 'deploy', 'web'], { env: { KUBE_EDITOR: editor } })).trim()).toBe('deployment.apps/web edited');
    expect(jp(['get', 'deploy', 'web'], '{.spec.replicas}')).toBe('7');
    const bad = script('edit-bad.sh', `sed -i 's/replicas: 7/replicas: -3/' "$1"`);
    const r = c.kubectl(['edit', 'deploy', 'web'], { env: { KUBE_EDITOR: bad } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('deployments.apps "web" is invalid');
    expect(jp(['get', 'deploy', 'web'], '{.spec.replicas}')).toBe('7');
    const none = script('edit-none.sh', 'true');
    expect(c.kubectl(['edit', 'cm', 'l1'], { env: { KUBE_EDITOR: none } }).stderr.trim()).toBe('Edit cancelled, no changes made.');
  });
});

describe('delete and wait', () => {
  it('deletes by name, selector and --all, and says what it did', () => {
    expect(ok(c.kubectl(['delete', 'cm', 'l1'])).trim()).toBe('configmap "l1" deleted');
    expect(c.kubectl(['delete', 'cm', 'l1']).stderr).toContain('configmaps "l1" not found');
    expect(c.kubectl(['delete', 'cm', 'l1', '--ignore-not-found']).status).toBe(0);
    for (const n of ['d1', 'd2', 'd3']) ok(c.kubectl(['create', 'configmap', n]));
    ok(c.kubectl(['label', 'cm', 'd1', 'd2', 'gone=soon']));
    expect(
      ok(c.kubectl(['delete', 'cm', '-l', 'gone=soon']))
        .trim()
        .split('\n'),
    ).toEqual(['configmap "d1" deleted', 'configmap "d2" deleted']);
    const deleted = ok(c.kubectl(['delete', 'cm', '--all']));
    expect(deleted).toContain('configmap "d3" deleted');
    // The cluster may publish kube-root-ca.crt again at once; nothing of ours is left.
    expect(
      ok(c.kubectl(['get', 'cm', '-o', 'name']))
        .trim()
        .split('\n')
        .filter((n) => /configmap\/(d|l)\d/.test(n)),
    ).toEqual([]);
  });

  it('deletes with --cascade=background and --grace-period=0 --force at once', () => {
    ok(c.kubectl(['create', 'deployment', 'short', '--image=x']));
    expect(ok(c.kubectl(['delete', 'deploy', 'short', '--cascade=background'])).trim()).toBe('deployment.apps "short" deleted');
    ok(c.kubectl(['run', 'p0', '--image=busybox', '--restart=Never']));
    const forced = c.kubectl(['delete', 'pod', 'p0', '--grace-period=0', '--force']);
    expect(forced.stdout.trim()).toBe('pod "p0" force deleted');
    expect(forced.stderr).toContain('Immediate deletion does not wait for confirmation');
    // A pod never bound to a node is deleted at once, as in Kubernetes.
    ok(c.kubectl(['run', 'p1', '--image=busybox', '--restart=Never']));
    ok(c.kubectl(['delete', 'pod', 'p1'], { timeoutMs: 10_000 }));
    expect(c.kubectl(['get', 'pod', 'p1']).stderr).toContain('pods "p1" not found');
  });

  it('waits for a condition, a jsonpath value and a deletion made in parallel', async () => {
    ok(c.kubectl(['create', 'deployment', 'waited', '--image=x']));
    ok(c.kubectl(['create', 'configmap', 'doomed']));
    // -v=6 logs the watch request of kubectl wait once it is established.
    const cond = c.kubectlBackground(['wait', '--for=condition=Available', 'deploy/waited', '--timeout=20s', '-v=6']);
    const del = c.kubectlBackground(['wait', '--for=delete', 'cm/doomed', '--timeout=20s', '-v=6']);
    try {
      await Promise.all([cond, del].map((w) => w.waitForStderr((s) => /watch=true\S* 200 OK/.test(s), 15_000)));
      ok(
        c.kubectl([
          'patch',
          'deploy',
          'waited',
          '--subresource=status',
          '--type=merge',
          '-p',
          '{"status":{"conditions":[{"type":"Available","status":"True","reason":"E2E","message":"ok","lastUpdateTime":"2024-01-01T00:00:00Z","lastTransitionTime":"2024-01-01T00:00:00Z"}]}}',
        ]),
      );
      expect(await cond.waitFor((s) => s.includes('deployment.apps/waited condition met'), 15_000)).toBeTruthy();
      ok(c.kubectl(['delete', 'cm', 'doomed']));
      await del.waitFor((s) => s.includes('configmap/doomed condition met'), 15_000);
    } finally {
      await Promise.all([cond.stop(), del.stop()]);
    }
    expect(ok(c.kubectl(['wait', '--for=jsonpath={.spec.replicas}=1', 'deploy/waited', '--timeout=5s'])).trim()).toBe(
      'deployment.apps/waited condition met',
    );
    const timeout = c.kubectl(['wait', '--for=condition=Progressing', 'deploy/waited', '--timeout=1s']);
    expect(timeout.status).toBe(1);
    expect(timeout.stderr).toContain('timed out waiting for the condition on deployments/waited');
  });
});

describe('eviction and bad input', () => {
  it('answers an eviction that a PodDisruptionBudget forbids with 429, and evicts a pending pod', () => {
    ok(c.kubectl(['create', 'pdb', 'guard', '--selector=app=guarded', '--min-available=1']));
    const pod = (name: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, labels: {app: guarded}}\nspec:\n  nodeName: n1\n  containers: [{name: c, image: busybox}]\n`;
    ok(c.kubectl(['create', '-f', '-'], { input: pod('running') }));
    ok(
      c.kubectl([
        'patch',
        'pod',
        'running',
        '--subresource=status',
        '--type=merge',
        '-p',
        '{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}',
      ]),
    );
    const eviction = (name: string) =>
      JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } });
    const refused = c.kubectl(['create', '--raw', '/api/v1/namespaces/default/pods/running/eviction', '-f', '-'], {
      input: eviction('running'),
    });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(jp(['get', 'pod', 'running'], '{.metadata.deletionTimestamp}')).toBe('');
    // Pending pods are not protected by the budget.
    ok(c.kubectl(['create', '-f', '-'], { input: pod('pending') }));
    const evicted = c.kubectl(['create', '--raw', '/api/v1/namespaces/default/pods/pending/eviction', '-f', '-'], {
      input: eviction('pending'),
    });
    expect(evicted.status).toBe(0);
    expect(jp(['get', 'pod', 'pending'], '{.metadata.deletionTimestamp}')).not.toBe('');
  });

  it('refuses bodies over 3 MiB with 413 and objects over 1 MiB with 422, and keeps serving', () => {
    const big = join(dir, 'big.txt');
    writeFileSync(big, 'x'.repeat(3 * 1024 * 1024 + 10));
    const tooLarge = c.kubectl(['create', 'configmap', 'big', `--from-file=${big}`]);
    expect(tooLarge.status).toBe(1);
    expect(tooLarge.stderr).toContain('Request entity too large: limit is 3145728');
    const mid = join(dir, 'mid.txt');
    writeFileSync(mid, 'y'.repeat(1024 * 1024 + 10));
    const tooLong = c.kubectl(['create', 'configmap', 'mid', `--from-file=${mid}`]);
    expect(tooLong.status).toBe(1);
    expect(tooLong.stderr).toContain('Too long: must have at most 1048576 bytes');
    expect(c.kubectl(['get', 'cm', 'big']).status).toBe(1);
    expect(ok(c.kubectl(['get', '--raw', '/healthz']))).toBe('ok');
  });

  it('prints field errors of an invalid pod and a selector mismatch as Kubernetes does', () => {
    const pod = c.kubectl(['create', '-f', '-'], {
      input:
        'apiVersion: v1\nkind: Pod\nmetadata: {name: invalidpod}\nspec:\n  containers:\n  - name: c\n    image: ""\n    ports: [{containerPort: 70000}]\n',
    });
    expect(pod.status).toBe(1);
    expect(pod.stderr).toContain('The Pod "invalidpod" is invalid:');
    expect(pod.stderr).toContain('spec.containers[0].image: Required value');
    expect(pod.stderr).toContain('spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive');
    const sel = c.kubectl(['create', '-f', '-'], {
      input:
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: badsel}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: c}}\n    spec: {containers: [{name: c, image: x}]}\n',
    });
    expect(sel.stderr).toContain(
      'The Deployment "badsel" is invalid: spec.template.metadata.labels: Invalid value: "map[string]string{\\"a\\":\\"c\\"}": `selector` does not match template `labels`',
    );
    const ns = c.kubectl(['create', 'namespace', 'UPPER']);
    expect(ns.stderr).toContain('The Namespace "UPPER" is invalid: metadata.name: Invalid value: "UPPER": a lowercase RFC 1123 label');
  });
});
