/**
 * Manifests through `kubectl create -f`, `apply -f` (client-side three-way merge and
 * server-side apply), `diff`, `replace` and `--prune`, under kubectl's default (strict)
 * validation, against `converge up`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startConvergeCluster, type ConvergeCluster } from './support/converge-cluster.js';

let c: ConvergeCluster;
let dir: string;
beforeAll(async () => {
  c = await startConvergeCluster();
  dir = mkdtempSync(join(tmpdir(), 'converge-e2e-apply-'));
});
afterAll(async () => {
  if (c) expect(await c.stop()).toBe(0);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
}

const deployment = (o: { labels: string; ports: string; env: string; sidecar: boolean }) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  labels: {${o.labels}}
spec:
  replicas: 2
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
      - name: main
        image: nginx:1.25
        ports: [${o.ports}]
        env: [${o.env}]
${o.sidecar ? '      - {name: side, image: busybox, command: [sleep, "3600"]}\n' : ''}`;

const service = `apiVersion: v1
kind: Service
metadata: {name: app}
spec:
  selector: {app: app}
  ports: [{port: 80, targetPort: 80}]
`;

const json = (args: string[]) => JSON.parse(ok(c.kubectl([...args, '-o', 'json'])));

describe('kubectl apply (client-side) against converge up', () => {
  it('creates a directory of multi-document manifests, then reports them unchanged', () => {
    file(
      'app/deploy.yaml',
      `${deployment({ labels: 'app: app, tier: be, removeme: "yes"', ports: '{containerPort: 80}, {containerPort: 9090, name: metrics}', env: '{name: A, value: "1"}, {name: B, value: "2"}', sidecar: true })}---\n${service}`,
    );
    file('app/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: appcfg, labels: {app: app}}\ndata: {k: v}\n');
    const first = c.kubectl(['apply', '-f', join(dir, 'app')]);
    expect(first.stderr).toBe('');
    expect(first.stdout.trim().split('\n').sort()).toEqual([
      'configmap/appcfg created',
      'deployment.apps/app created',
      'service/app created',
    ]);
    const again = ok(c.kubectl(['apply', '-f', join(dir, 'app')]));
    expect(again.trim().split('\n').sort()).toEqual([
      'configmap/appcfg unchanged',
      'deployment.apps/app unchanged',
      'service/app unchanged',
    ]);
    const d = json(['get', 'deploy', 'app']);
    expect(JSON.parse(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'])).toMatchObject({
      kind: 'Deployment',
      metadata: { name: 'app' },
    });
    const withFields = JSON.parse(ok(c.kubectl(['get', 'deploy', 'app', '-o', 'json', '--show-managed-fields'])));
    expect(withFields.metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`)).toContain(
      'kubectl-client-side-apply/Update',
    );
  });

  it('three-way merges a changed manifest: removes a port, an env var, a label and a container, keeps foreign changes', () => {
    ok(c.kubectl(['annotate', 'deploy', 'app', 'owner=someone-else']));
    ok(c.kubectl(['set', 'env', 'deploy/app', '-c', 'main', 'FROM_SET=1']));
    const changed = file(
      'app2.yaml',
      deployment({ labels: 'app: app, tier: be', ports: '{containerPort: 80}', env: '{name: A, value: "1"}', sidecar: false }),
    );
    const diff = c.kubectl(['diff', '-f', changed]);
    expect(diff.status).toBe(1);
    expect(diff.stdout).toMatch(/^-\s+removeme: "yes"$/m);
    expect(diff.stdout).toMatch(/^-\s+- containerPort: 9090$/m);
    expect(ok(c.kubectl(['apply', '-f', changed])).trim()).toBe('deployment.apps/app configured');
    const d = json(['get', 'deploy', 'app']);
    expect(d.metadata.labels).toEqual({ app: 'app', tier: 'be' });
    expect(d.metadata.annotations.owner).toBe('someone-else');
    const containers = d.spec.template.spec.containers;
    expect(containers.map((x: { name: string }) => x.name)).toEqual(['main']);
    expect(containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    // A's from the manifest, FROM_SET from `kubectl set env` (not in last-applied, so kept), B removed.
    expect(containers[0].env.map((e: { name: string }) => e.name).sort()).toEqual(['A', 'FROM_SET']);
    const same = c.kubectl(['diff', '-f', changed]);
    expect(same.status).toBe(0);
    expect(same.stdout).toBe('');
  });

  it('rejects unknown fields under default validation and stores nothing; --validate=warn stores the rest', () => {
    const bad = file('bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: badcm, foo: bar}\ndata: {k: v}\nbogus: 1\n');
    const r = c.kubectl(['apply', '-f', bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('strict decoding error: unknown field "bogus", unknown field "metadata.foo"');
    expect(c.kubectl(['get', 'cm', 'badcm']).stderr).toContain('configmaps "badcm" not found');
    const created = c.kubectl(['create', '-f', bad, '--validate=warn']);
    expect(created.stdout.trim()).toBe('configmap/badcm created');
    expect(created.stderr).toContain('Warning: unknown field "bogus"');
    expect(ok(c.kubectl(['get', 'cm', 'badcm', '-o', 'jsonpath={.data.k}']))).toBe('v');
    const malformed = file('malformed.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: [\n');
    const m = c.kubectl(['apply', '-f', malformed]);
    expect(m.status).toBe(1);
    expect(m.stderr).toContain('error converting YAML to JSON');
  });

  it('reports create -f conflicts per object, and replace -f with a stale resourceVersion as a Conflict', () => {
    const again = c.kubectl(['create', '-f', join(dir, 'app')]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('Error from server (AlreadyExists): error when creating');
    expect(again.stderr).toContain('configmaps "appcfg" already exists');
    const live = ok(c.kubectl(['get', 'cm', 'appcfg', '-o', 'yaml']));
    const stale = file('stale.yaml', live);
    ok(c.kubectl(['label', 'cm', 'appcfg', 'bump=1']));
    const r = c.kubectl(['replace', '-f', stale]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'Operation cannot be fulfilled on configmaps "appcfg": the object has been modified; please apply your changes to the latest version and try again',
    );
    const fresh = file('fresh.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: appcfg}\ndata: {k: replaced}\n');
    expect(ok(c.kubectl(['replace', '-f', fresh])).trim()).toBe('configmap/appcfg replaced');
    expect(json(['get', 'cm', 'appcfg']).data).toEqual({ k: 'replaced' });
  });

  it('prunes objects of the label set that left the manifests (apply --prune -l)', () => {
    const set = file(
      'prune/set.yaml',
      ['pa', 'pb', 'pc'].map((n) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}, labels: {set: p}}\n`).join('---\n'),
    );
    ok(c.kubectl(['apply', '-f', set, '-l', 'set=p', '--prune']));
    ok(c.kubectl(['create', 'configmap', 'bystander']));
    ok(c.kubectl(['label', 'configmap', 'bystander', 'set=p']));
    writeFileSync(set, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: pa, labels: {set: p}}\n');
    const r = ok(c.kubectl(['apply', '-f', set, '-l', 'set=p', '--prune']));
    expect(r).toContain('configmap/pa unchanged');
    expect(r).toContain('configmap/pb pruned');
    expect(r).toContain('configmap/pc pruned');
    // Objects never applied (no last-applied annotation) are not pruned.
    expect(
      ok(c.kubectl(['get', 'cm', '-l', 'set=p', '-o', 'name']))
        .trim()
        .split('\n'),
    ).toEqual(['configmap/bystander', 'configmap/pa']);
  });

  it('changes nothing with --dry-run=server', () => {
    const cm = file('dry.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dry}\ndata: {a: "1"}\n');
    expect(ok(c.kubectl(['apply', '-f', cm, '--dry-run=server'])).trim()).toBe('configmap/dry created (server dry run)');
    expect(c.kubectl(['get', 'cm', 'dry']).status).toBe(1);
    expect(ok(c.kubectl(['delete', 'cm', 'appcfg', '--dry-run=server'])).trim()).toBe('configmap "appcfg" deleted (server dry run)');
    expect(ok(c.kubectl(['get', 'cm', 'appcfg', '-o', 'name'])).trim()).toBe('configmap/appcfg');
  });
});

describe('kubectl apply --server-side against converge up', () => {
  const manifest = (labels: string, env: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ssa, labels: {${labels}}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ssa}}
  template:
    metadata: {labels: {app: ssa}}
    spec:
      containers:
      - {name: main, image: nginx, env: [${env}]}
      - {name: side, image: busybox}
`;

  it('creates, records the field manager, and removes fields the manager stops applying', () => {
    const first = file('ssa1.yaml', manifest('a: "1", b: "2"', '{name: A, value: "1"}, {name: B, value: "2"}'));
    expect(ok(c.kubectl(['apply', '--server-side', '-f', first])).trim()).toBe('deployment.apps/ssa serverside-applied');
    const d = JSON.parse(ok(c.kubectl(['get', 'deploy', 'ssa', '-o', 'json', '--show-managed-fields'])));
    // The deployment controller's own writes (revision annotation, status) are managed apart from kubectl's apply.
    const applied = d.metadata.managedFields.filter((m: { operation: string }) => m.operation === 'Apply');
    expect(applied).toEqual([expect.objectContaining({ manager: 'kubectl', operation: 'Apply', fieldsType: 'FieldsV1' })]);
    expect(applied[0].fieldsV1['f:metadata']['f:labels']).toEqual({ 'f:a': {}, 'f:b': {} });
    const second = file('ssa2.yaml', manifest('a: "1"', '{name: A, value: "1"}'));
    ok(c.kubectl(['apply', '--server-side', '-f', second]));
    const after = json(['get', 'deploy', 'ssa']);
    expect(after.metadata.labels).toEqual({ a: '1' });
    expect(after.spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }]);
    expect(after.spec.template.spec.containers.map((x: { name: string }) => x.name)).toEqual(['main', 'side']);
  });

  it('answers a conflict with another manager, and takes the field over with --force-conflicts', () => {
    ok(c.kubectl(['set', 'image', 'deploy/ssa', 'side=busybox:2']));
    const mine = file('ssa3.yaml', manifest('a: "1"', '{name: A, value: "1"}'));
    const conflict = c.kubectl(['apply', '--server-side', '-f', mine]);
    expect(conflict.status).toBe(1);
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl-set"');
    expect(conflict.stderr).toContain('.spec.template.spec.containers[name="side"].image');
    expect(json(['get', 'deploy', 'ssa']).spec.template.spec.containers[1].image).toBe('busybox:2');
    ok(c.kubectl(['apply', '--server-side', '--force-conflicts', '-f', mine]));
    const d = JSON.parse(ok(c.kubectl(['get', 'deploy', 'ssa', '-o', 'json', '--show-managed-fields'])));
    expect(d.spec.template.spec.containers[1].image).toBe('busybox');
    expect(d.metadata.managedFields.map((m: { manager: string }) => m.manager)).not.toContain('kubectl-set');
  });

  it('lets two managers own different fields of one object', () => {
    const base = file('cm-a.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {a: "1"}\n');
    const other = file('cm-b.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {b: "2"}\n');
    ok(c.kubectl(['apply', '--server-side', '--field-manager=team-a', '-f', base]));
    ok(c.kubectl(['apply', '--server-side', '--field-manager=team-b', '-f', other]));
    const cm = JSON.parse(ok(c.kubectl(['get', 'cm', 'shared', '-o', 'json', '--show-managed-fields'])));
    expect(cm.data).toEqual({ a: '1', b: '2' });
    expect(cm.metadata.managedFields.map((m: { manager: string }) => m.manager).sort()).toEqual(['team-a', 'team-b']);
    const clash = file('cm-c.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared}\ndata: {a: "9"}\n');
    const r = c.kubectl(['apply', '--server-side', '--field-manager=team-b', '-f', clash]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('conflict with "team-a": .data.a');
  });
});
