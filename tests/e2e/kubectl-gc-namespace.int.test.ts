/**
 * Deletion as kubectl drives it against `converge up`, whose built-in controllers run in
 * process: `kubectl delete namespace` returns once the namespace controller has emptied the
 * namespace (custom resources included) and it is gone; `kubectl delete --cascade=...`
 * returns with the owner's dependents handled by the garbage collector as Kubernetes does.
 */
import { describe, expect, it } from 'vitest';
import { ok } from './support/converge-cluster.js';
import { useFileCluster } from './support/file-cluster.js';

const c = useFileCluster();

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gizmos.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: gizmos, singular: gizmo, kind: Gizmo}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;

/** Creates ConfigMap `owner` and dependents `dep-1`, `dep-2` (and `grandchild`, owned by `dep-1`) in a namespace. */
function ownerWithDependents(ns: string): void {
  ok(c.kubectl(['create', 'namespace', ns]));
  ok(c.kubectl(['-n', ns, 'create', 'configmap', 'owner']));
  const ownerUid = ok(c.kubectl(['-n', ns, 'get', 'configmap', 'owner', '-o', 'jsonpath={.metadata.uid}']));
  const dep = (name: string, owner: string, uid: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  ownerReferences:\n  - {apiVersion: v1, kind: ConfigMap, name: ${owner}, uid: ${uid}, blockOwnerDeletion: true}\n`;
  ok(c.kubectl(['-n', ns, 'apply', '-f', '-'], { input: `${dep('dep-1', 'owner', ownerUid)}---\n${dep('dep-2', 'owner', ownerUid)}` }));
  const dep1Uid = ok(c.kubectl(['-n', ns, 'get', 'configmap', 'dep-1', '-o', 'jsonpath={.metadata.uid}']));
  ok(c.kubectl(['-n', ns, 'apply', '-f', '-'], { input: dep('grandchild', 'dep-1', dep1Uid) }));
}

function configMapNames(ns: string): string[] {
  return ok(c.kubectl(['-n', ns, 'get', 'configmaps', '-o', 'jsonpath={.items[*].metadata.name}']))
    .split(/\s+/)
    .filter((n) => n && n !== 'kube-root-ca.crt')
    .sort();
}

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('kubectl delete with the garbage collector and the namespace controller', () => {
  it('kubectl delete --cascade=foreground returns once the dependents are gone, and the owner is gone', () => {
    ownerWithDependents('gc-fg');
    ok(c.kubectl(['-n', 'gc-fg', 'delete', 'configmap/owner', '--cascade=foreground'], { timeoutMs: 60_000 }));
    expect(configMapNames('gc-fg')).toEqual([]);
  });

  it('kubectl delete --cascade=background returns at once and the dependents follow', async () => {
    ownerWithDependents('gc-bg');
    ok(c.kubectl(['-n', 'gc-bg', 'delete', 'configmap/owner', '--cascade=background']));
    await until(() => configMapNames('gc-bg').length === 0, 'the dependents to be collected');
  });

  it('kubectl delete --cascade=orphan leaves the dependents without the reference to the owner', () => {
    ownerWithDependents('gc-orphan');
    ok(c.kubectl(['-n', 'gc-orphan', 'delete', 'configmap/owner', '--cascade=orphan'], { timeoutMs: 60_000 }));
    expect(configMapNames('gc-orphan')).toEqual(['dep-1', 'dep-2', 'grandchild']);
    expect(ok(c.kubectl(['-n', 'gc-orphan', 'get', 'configmap', 'dep-1', '-o', 'jsonpath={.metadata.ownerReferences}']))).toBe('');
    expect(ok(c.kubectl(['-n', 'gc-orphan', 'get', 'configmap', 'grandchild', '-o', 'jsonpath={.metadata.ownerReferences[0].name}']))).toBe(
      'dep-1',
    );
  });

  it('kubectl delete namespace returns once everything in it, custom resources included, is gone', () => {
    ok(c.kubectl(['apply', '-f', '-'], { input: crd }));
    ok(c.kubectl(['wait', '--for=condition=Established', 'crd/gizmos.example.com', '--timeout=30s']));
    ok(c.kubectl(['create', 'namespace', 'doomed']));
    ok(c.kubectl(['-n', 'doomed', 'create', 'configmap', 'a', '--from-literal=k=v']));
    ok(c.kubectl(['-n', 'doomed', 'create', 'secret', 'generic', 's', '--from-literal=k=v']));
    ok(
      c.kubectl(['-n', 'doomed', 'apply', '-f', '-'], {
        input: 'apiVersion: example.com/v1\nkind: Gizmo\nmetadata: {name: g1}\nspec: {size: 1}\n',
      }),
    );
    ok(c.kubectl(['delete', 'namespace', 'doomed'], { timeoutMs: 60_000 }));
    const after = c.kubectl(['get', 'namespace', 'doomed']);
    expect(after.status).not.toBe(0);
    expect(after.stderr).toContain('NotFound');
  });

  it('a namespace waits for a custom resource held by a finalizer, with its conditions saying so', async () => {
    ok(c.kubectl(['create', 'namespace', 'held']));
    ok(
      c.kubectl(['-n', 'held', 'apply', '-f', '-'], {
        input: 'apiVersion: example.com/v1\nkind: Gizmo\nmetadata: {name: g1, finalizers: [example.com/hold]}\nspec: {size: 1}\n',
      }),
    );
    ok(c.kubectl(['delete', 'namespace', 'held', '--wait=false']));
    await until(
      () =>
        c.kubectl(['get', 'namespace', 'held', '-o', 'jsonpath={.status.conditions[?(@.type=="NamespaceFinalizersRemaining")].reason}'])
          .stdout === 'SomeFinalizersRemain',
      'the finalizers condition',
    );
    expect(ok(c.kubectl(['get', 'namespace', 'held', '-o', 'jsonpath={.status.phase}']))).toBe('Terminating');
    ok(c.kubectl(['-n', 'held', 'patch', 'gizmo', 'g1', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']));
    ok(c.kubectl(['wait', '--for=delete', 'namespace/held', '--timeout=60s'], { timeoutMs: 70_000 }));
  });

  it('kubectl delete crd keeps the CRD Terminating until its custom objects, held by finalizers, are gone', async () => {
    ok(
      c.kubectl(['apply', '-f', '-'], {
        input:
          'apiVersion: example.com/v1\nkind: Gizmo\nmetadata: {name: held, namespace: default, finalizers: [example.com/hold]}\nspec: {size: 1}\n',
      }),
    );
    ok(c.kubectl(['delete', 'crd', 'gizmos.example.com', '--wait=false']));
    await until(
      () =>
        c.kubectl(['get', 'crd', 'gizmos.example.com', '-o', 'jsonpath={.status.conditions[?(@.type=="Terminating")].reason}']).stdout ===
        'InstanceDeletionInProgress',
      'the Terminating condition',
    );
    expect(ok(c.kubectl(['get', 'crd', 'gizmos.example.com', '-o', 'jsonpath={.metadata.finalizers}']))).toContain(
      'customresourcecleanup.apiextensions.k8s.io',
    );
    expect(ok(c.kubectl(['-n', 'default', 'get', 'gizmo', 'held', '-o', 'jsonpath={.metadata.deletionTimestamp}']))).not.toBe('');
    ok(c.kubectl(['-n', 'default', 'patch', 'gizmo', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']));
    ok(c.kubectl(['wait', '--for=delete', 'crd/gizmos.example.com', '--timeout=60s'], { timeoutMs: 70_000 }));
  });
});
