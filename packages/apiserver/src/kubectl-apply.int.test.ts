/**
 * The real kubectl against the API server for declarative work, under kubectl's default
 * client-side validation (OpenAPI v3) and strict server-side field validation: create -f,
 * apply -f (client- and server-side), diff, replace, edit, scale, explain, custom resources,
 * and the messages kubectl prints for bad manifests. One server for the whole file.
 */
import { chmodSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kubectl } from './testing/kubectl.js';
import { startTestServer, type TestServer } from './testing/test-server.js';

let t: TestServer;
let k: Kubectl;
const deployments = { group: 'apps', version: 'v1', resource: 'deployments' };

beforeAll(async () => {
  t = await startTestServer();
  k = t.kubectl();
});
afterAll(async () => {
  await t?.close();
});

const deployment = (name: string, replicas: number | string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: main
        image: nginx:1.27
        ports:
        - containerPort: 80
${extra}`;

async function stored(
  name: string,
): Promise<Record<string, unknown> & { spec: { replicas: number }; metadata: { annotations?: Record<string, string> } }> {
  return (await t.registry.get(t.catalog.get(deployments)!, { namespace: 'default', name })) as never;
}

describe('kubectl create -f and apply -f', () => {
  it('creates from a manifest under default validation', async () => {
    const f = k.file('created.yaml', deployment('created', 1));
    expect((await k.ok(['create', '-f', f])).trim()).toBe('deployment.apps/created created');
    expect((await stored('created')).spec.replicas).toBe(1);
  });

  it('applies, re-applies a change, and says when nothing changed', async () => {
    const f = k.file('applied.yaml', deployment('applied', 2));
    expect((await k.ok(['apply', '-f', f])).trim()).toBe('deployment.apps/applied created');
    const first = await stored('applied');
    expect(first.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain('"replicas":2');
    expect((await k.ok(['apply', '-f', f])).trim()).toBe('deployment.apps/applied unchanged');
    k.file('applied.yaml', deployment('applied', 3));
    expect((await k.ok(['apply', '-f', f])).trim()).toBe('deployment.apps/applied configured');
    expect((await stored('applied')).spec.replicas).toBe(3);
  });

  it('merges containers by name on a client-side apply', async () => {
    const f = k.file('merged.yaml', deployment('merged', 1));
    await k.ok(['apply', '-f', f]);
    await k.ok([
      'patch',
      'deployment',
      'merged',
      '--type=json',
      '-p',
      '[{"op":"add","path":"/spec/template/spec/containers/0/env","value":[{"name":"FROM_PATCH","value":"1"}]}]',
    ]);
    k.file('merged.yaml', deployment('merged', 1).replace('nginx:1.27', 'nginx:1.28'));
    await k.ok(['apply', '-f', f]);
    const d = (await stored('merged')) as unknown as {
      spec: { template: { spec: { containers: { image: string; env?: { name: string }[] }[] } } };
    };
    expect(d.spec.template.spec.containers).toHaveLength(1);
    expect(d.spec.template.spec.containers[0]!.image).toBe('nginx:1.28');
    expect(d.spec.template.spec.containers[0]!.env).toEqual([{ name: 'FROM_PATCH', value: '1' }]);
  });

  it('diffs a manifest against the live object', async () => {
    const f = k.file('diffed.yaml', deployment('applied', 3));
    const same = await k.run(['diff', '-f', f]);
    expect(same.code).toBe(0);
    k.file('diffed.yaml', deployment('applied', 5));
    const changed = await k.run(['diff', '-f', f]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/^-\s+replicas: 3$/m);
    expect(changed.stdout).toMatch(/^\+\s+replicas: 5$/m);
    expect((await stored('applied')).spec.replicas).toBe(3);
  });

  it('replaces from a manifest', async () => {
    const f = k.file('replaced.yaml', deployment('created', 4));
    expect((await k.ok(['replace', '-f', f])).trim()).toBe('deployment.apps/created replaced');
    expect((await stored('created')).spec.replicas).toBe(4);
  });

  it('edits with KUBE_EDITOR', async () => {
    const editor = k.file('editor.sh', '#!/bin/sh\nsed -i "s/replicas: 4/replicas: 7/" "$1"\n');
    chmodSync(editor, 0o755);
    const out = await k.ok(['edit', 'deployment', 'created'], { env: { KUBE_EDITOR: editor } });
    expect(out.trim()).toBe('deployment.apps/created edited');
    expect((await stored('created')).spec.replicas).toBe(7);
  });

  it('scales', async () => {
    expect((await k.ok(['scale', 'deployment', 'created', '--replicas=2'])).trim()).toBe('deployment.apps/created scaled');
    expect((await stored('created')).spec.replicas).toBe(2);
    const wrong = await k.run(['scale', 'deployment', 'created', '--replicas=3', '--current-replicas=9']);
    expect(wrong.code).not.toBe(0);
    expect((await stored('created')).spec.replicas).toBe(2);
  });
});

describe('kubectl apply --server-side', () => {
  it('creates, detects a conflict with another manager, and takes the field with --force-conflicts', async () => {
    const f = k.file('ssa.yaml', deployment('ssa', 2));
    expect((await k.ok(['apply', '--server-side', '-f', f])).trim()).toBe('deployment.apps/ssa serverside-applied');
    await k.ok(['scale', 'deployment', 'ssa', '--replicas=3']);
    k.file('ssa.yaml', deployment('ssa', 4));
    const conflict = await k.run(['apply', '--server-side', '-f', f]);
    expect(conflict.code).toBe(1);
    // kubectl scale names no field manager: the server names it after the User-Agent.
    expect(conflict.stderr).toContain(
      'error: Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas',
    );
    expect((await stored('ssa')).spec.replicas).toBe(3);
    expect((await k.ok(['apply', '--server-side', '--force-conflicts', '-f', f])).trim()).toBe('deployment.apps/ssa serverside-applied');
    expect((await stored('ssa')).spec.replicas).toBe(4);
  });
});

describe('kubectl with bad manifests', () => {
  it('rejects unknown fields with the server message and stores nothing', async () => {
    const f = k.file('unknown.yaml', deployment('unknown', 1).replace('  replicas: 1\n', '  replicas: 1\n  replica: 2\n'));
    const r = await k.run(['apply', '-f', f]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `Error from server (BadRequest): error when creating "${f}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica"`,
    );
    await expect(stored('unknown')).rejects.toMatchObject({ reason: 'NotFound' });
  });

  it('prints the field errors of an invalid object', async () => {
    const f = k.file('invalid.yaml', deployment('web', -1));
    const r = await k.run(['apply', '-f', f]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`);
    await expect(stored('web')).rejects.toMatchObject({ reason: 'NotFound' });
  });

  it('refuses an invalid name', async () => {
    const r = await k.run(['create', 'configmap', 'Bad_Name']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"');
  });
});

describe('kubectl explain', () => {
  it('explains a nested field of a built-in kind', async () => {
    const out = await k.ok(['explain', 'deployment.spec.replicas']);
    expect(out).toMatch(/KIND:\s+Deployment/);
    expect(out).toMatch(/FIELD:\s+replicas <integer>/);
  });
});

describe('custom resources through kubectl', () => {
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gizmos.example.com
spec:
  group: example.com
  names:
    plural: gizmos
    singular: gizmo
    kind: Gizmo
    shortNames: [gz]
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size:
                type: integer
                minimum: 1
                description: How big the gizmo is.
    additionalPrinterColumns:
    - name: Size
      type: integer
      jsonPath: .spec.size
`;
  const gizmo = (size: number) => `apiVersion: example.com/v1
kind: Gizmo
metadata:
  name: g1
spec:
  size: ${size}
`;

  it('creates a CRD, waits for it, then applies, lists, explains and deletes its objects', async () => {
    expect((await k.ok(['apply', '-f', k.file('crd.yaml', crd)])).trim()).toBe(
      'customresourcedefinition.apiextensions.k8s.io/gizmos.example.com created',
    );
    expect((await k.ok(['wait', '--for', 'condition=Established', 'crd/gizmos.example.com', '--timeout=10s'])).trim()).toBe(
      'customresourcedefinition.apiextensions.k8s.io/gizmos.example.com condition met',
    );
    const f = k.file('g1.yaml', gizmo(3));
    expect((await k.ok(['apply', '-f', f])).trim()).toBe('gizmo.example.com/g1 created');
    k.file('g1.yaml', gizmo(5));
    expect((await k.ok(['apply', '-f', f])).trim()).toBe('gizmo.example.com/g1 configured');
    const list = await k.ok(['get', 'gz']);
    // As in Kubernetes, a CRD with its own columns gets no automatic AGE column.
    expect(list.split('\n')[0]).toMatch(/^NAME\s+SIZE$/);
    expect(list).toMatch(/^g1\s+5$/m);
    const explained = await k.ok(['explain', 'gizmo.spec.size']);
    expect(explained).toContain('How big the gizmo is.');
    const bad = await k.run(['apply', '-f', k.file('g2.yaml', gizmo(0).replace('g1', 'g2'))]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('spec.size');
    expect((await k.ok(['delete', 'crd', 'gizmos.example.com'])).trim()).toBe(
      'customresourcedefinition.apiextensions.k8s.io "gizmos.example.com" deleted',
    );
    expect(t.catalog.get({ group: 'example.com', version: 'v1', resource: 'gizmos' })).toBeUndefined();
  });
});
