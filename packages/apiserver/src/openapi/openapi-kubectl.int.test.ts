/**
 * The OpenAPI documents as kubectl 1.32 reads them, against a real API server with the
 * OpenAPIService (and the protobuf body decoder) plugged in: `explain`, `create -f`, client-side
 * `apply -f`, `replace -f`, `edit` and `apply --server-side` under default validation, a custom
 * resource added at run time, and no command here needing `/openapi/v2` (its protobuf form, which
 * `kind: List` manifests need, is tested in v2-protobuf-kubectl.int.test.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chmodSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { defineCustomResource, Deployments, mutable, type Deployment } from '@converge/core';
import { decodeProtobufObject } from '../protobuf/protobuf-codec.js';
import type { Kubectl } from '../testing/kubectl.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { OpenAPIService } from './openapi-service.js';

let server: TestServer;
let kubectl: Kubectl;
/** Every OpenAPI request kubectl made: `<path> <accept>`. */
const openapiRequests: string[] = [];

beforeAll(async () => {
  server = await startTestServer({
    protobuf: decodeProtobufObject,
    openapi: (catalog) => {
      const service = new OpenAPIService({ catalog });
      return {
        handle(req: IncomingMessage, res: ServerResponse, url: URL) {
          openapiRequests.push(`${url.pathname} ${String(req.headers.accept ?? '')}`);
          return service.handle(req, res, url);
        },
      };
    },
  });
  kubectl = server.kubectl();
});

afterAll(async () => {
  await server?.close();
});

describe('kubectl explain', () => {
  test('explain deployment.spec.strategy prints the field, its type and its fields with their docs', async () => {
    const out = await kubectl.ok(['explain', 'deployment.spec.strategy']);
    expect(out).toMatch(/KIND:\s+Deployment/);
    expect(out).toMatch(/FIELD:\s+strategy <DeploymentStrategy>/);
    expect(out).toContain('How old pods are replaced by new ones.');
    expect(out.split('How old pods are replaced by new ones.').length - 1).toBe(1); // the field's sentence is not repeated as its type's
    expect(out).toMatch(/rollingUpdate\s+<RollingUpdateDeployment>/);
    expect(out).toMatch(/type\s+<string>/);
  });

  test('explain pods --recursive prints the nested fields of containers', async () => {
    const out = await kubectl.ok(['explain', 'pods', '--recursive']);
    expect(out).toMatch(/containers\s+<\[\]Container> -required-/);
    expect(out).toMatch(/ports\s+<\[\]ContainerPort>/);
    expect(out).toMatch(/containerPort\s+<integer> -required-/);
    expect(out).toMatch(/resources\s+<ResourceRequirements>/);
    expect(out).toMatch(/limits\s+<map\[string\]Quantity>/);
    expect(out).toMatch(/creationTimestamp\s+<string>/);
    expect(out).toMatch(/^ {2}metadata\t<ObjectMeta>$/m); // never -required-: a name may be generated
    expect(await kubectl.ok(['explain', 'deployment.spec.template'])).toMatch(/^ {2}metadata\t<ObjectMeta>$/m); // nor in pod templates
  });

  test('explain of a custom resource added at run time prints its schema', async () => {
    server.catalog.add(
      defineCustomResource({
        group: 'stable.example.com',
        version: 'v1',
        kind: 'CronTab',
        plural: 'crontabs',
        description: 'A CronTab runs an image on a schedule.',
        spec: z.object({
          cronSpec: z.string().meta({ description: 'The schedule, in cron format.' }),
          image: z.string().meta({ description: 'The image to run.' }),
          replicas: z.number().int().optional().meta({ description: 'How many copies to run.' }),
        }),
      }),
    );
    const out = await kubectl.ok(['explain', 'crontabs.spec']);
    expect(out).toMatch(/KIND:\s+CronTab/);
    expect(out).toMatch(/cronSpec\s+<string> -required-/);
    expect(out).toContain('The schedule, in cron format.');
    expect(out).toMatch(/replicas\s+<integer>/);
  });

  test('explain of a custom resource whose CRD was just applied prints the CRD schema', async () => {
    const crd = kubectl.file(
      'crd.yaml',
      `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.shop.example.com
spec:
  group: shop.example.com
  names: { plural: widgets, singular: widget, kind: Widget, listKind: WidgetList }
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        description: A widget for sale.
        properties:
          spec:
            type: object
            description: What the widget is.
            properties:
              color: { type: string, description: The colour of the widget. }
              size: { type: integer, description: Its size in centimetres. }
`,
    );
    expect(await kubectl.ok(['apply', '-f', crd])).toContain(
      'customresourcedefinition.apiextensions.k8s.io/widgets.shop.example.com created',
    );
    let out = '';
    for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
      const r = await kubectl.run(['explain', 'widgets.spec']);
      out = r.stdout;
      if (r.code === 0) break;
    }
    expect(out).toMatch(/KIND:\s+Widget/);
    expect(out).toContain('The colour of the widget.');
    expect(out).toMatch(/size\s+<integer>/);
    const top = await kubectl.ok(['explain', 'widgets']);
    expect(top).toMatch(/^ {2}metadata\t<ObjectMeta>$/m);
    expect(top).not.toContain('<no description>'); // apiVersion, kind and metadata are described as Kubernetes does
    expect(await kubectl.ok(['explain', 'widgets.metadata.labels'])).toMatch(/FIELD:\s+labels <map\[string\]string>/);
  });
});

describe('manifests under default validation', () => {
  const manifest = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: app
        image: ${image}
        ports:
        - containerPort: 80
      - name: sidecar
        image: busybox:1.36
`;

  test('create -f, then apply -f merges containers by name (a field set by someone else survives)', async () => {
    const first = kubectl.file('web-1.yaml', manifest('nginx:1.26'));
    expect(await kubectl.ok(['apply', '-f', first])).toContain('deployment.apps/web created');

    // Another writer adds an env var to the `app` container, outside the last-applied configuration.
    const live = await server.registry.get(Deployments, { namespace: 'default', name: 'web' });
    const changed = mutable(live) as Deployment;
    const app = (changed.spec as { template: { spec: { containers: { name: string; env?: unknown[] }[] } } }).template.spec.containers.find(
      (c) => c.name === 'app',
    )!;
    app.env = [{ name: 'FROM_ELSEWHERE', value: 'kept' }];
    await server.registry.update(Deployments, changed);

    const second = kubectl.file('web-2.yaml', manifest('nginx:1.27'));
    expect(await kubectl.ok(['apply', '-f', second])).toContain('deployment.apps/web configured');
    const after = (await server.registry.get(Deployments, { namespace: 'default', name: 'web' })) as Deployment;
    const containers = (after.spec as { template: { spec: { containers: { name: string; image: string; env?: { name: string }[] }[] } } })
      .template.spec.containers;
    expect(containers.map((c) => c.name)).toEqual(['app', 'sidecar']);
    expect(containers[0]!.image).toBe('nginx:1.27');
    expect(containers[0]!.env?.map((e) => e.name)).toEqual(['FROM_ELSEWHERE']);

    // Dropping the sidecar from the manifest deletes just that element: the patch names it by key.
    const third = kubectl.file('web-3.yaml', manifest('nginx:1.27').replace(/ {6}- name: sidecar\n {8}image: busybox:1.36\n/, ''));
    expect(await kubectl.ok(['apply', '-f', third])).toContain('deployment.apps/web configured');
    const last = (await server.registry.get(Deployments, { namespace: 'default', name: 'web' })) as Deployment;
    const remaining = (last.spec as { template: { spec: { containers: { name: string; env?: { name: string }[] }[] } } }).template.spec
      .containers;
    expect(remaining.map((c) => c.name)).toEqual(['app']);
    expect(remaining[0]!.env?.map((e) => e.name)).toEqual(['FROM_ELSEWHERE']);
  });

  test('create -f of a manifest with an unknown field is refused by the server, not by a client-side schema check', async () => {
    const bad = kubectl.file(
      'bad.yaml',
      manifest('nginx:1.27').replace('name: web\n', 'name: web-bad\n').replace('replicas: 2', 'replicas: 2\n  replicaz: 3'),
    );
    const r = await kubectl.run(['create', '-f', bad]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toContain('failed to download openapi');
    expect(r.stderr).not.toContain('error validating data');
    expect(r.stderr).toContain('Error from server (BadRequest)');
    expect(r.stderr).toContain('replicaz');
    await expect(server.registry.get(Deployments, { namespace: 'default', name: 'web-bad' })).rejects.toThrow(/not found/);
  });

  test('replace -f, edit and apply --server-side work under default validation', async () => {
    const path = kubectl.file('web-4.yaml', manifest('nginx:1.28'));
    expect(await kubectl.ok(['replace', '-f', path])).toContain('deployment.apps/web replaced');
    const editor = kubectl.file('editor.sh', '#!/bin/sh\nsed -i "s/image: nginx:1.28$/image: nginx:1.29/" "$1"\n');
    chmodSync(editor, 0o755);
    expect(await kubectl.ok(['edit', 'deployment/web'], { env: { KUBE_EDITOR: editor } })).toContain('deployment.apps/web edited');
    expect(await kubectl.ok(['apply', '--server-side', '--force-conflicts', '-f', path])).toContain('serverside-applied');
    const d = (await server.registry.get(Deployments, { namespace: 'default', name: 'web' })) as Deployment;
    expect((d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image).toBe('nginx:1.28');
  });

  test('kubectl read the v3 documents and never needed /openapi/v2', () => {
    expect(openapiRequests.some((r) => r.startsWith('/openapi/v3 '))).toBe(true);
    expect(openapiRequests.some((r) => r.startsWith('/openapi/v3/apis/apps/v1 '))).toBe(true);
    expect(openapiRequests.filter((r) => r.startsWith('/openapi/v2'))).toEqual([]);
  });
});
