/**
 * The protobuf `/openapi/v2` as the real kubectl 1.32 reads it, against a real API server:
 * `kind: List` manifests (validated client-side against v2, since a List has no operations to
 * ask the server for field validation), `kubectl get -o yaml | kubectl apply -f -`, `kubectl edit`
 * of several objects, `explain --output=plaintext-openapiv2`, and the v3 path beside it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chmodSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigMaps, Deployments, type Deployment } from '@converge/core';
import type { Kubectl } from '../testing/kubectl.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { OPENAPI_V2_PROTOBUF, OpenAPIService } from './openapi-service.js';

let server: TestServer;
let kubectl: Kubectl;
/** Every `/openapi/v2` answer: `<accept> -> <status>` (the Content-Type is checked in openapi-http.test.ts). */
const v2Answers: string[] = [];

beforeAll(async () => {
  server = await startTestServer({
    openapi: (catalog) => {
      const service = new OpenAPIService({ catalog });
      return {
        handle(req: IncomingMessage, res: ServerResponse, url: URL) {
          if (url.pathname === '/openapi/v2')
            res.on('finish', () => v2Answers.push(`${String(req.headers.accept ?? '')} -> ${res.statusCode}`));
          return service.handle(req, res, url);
        },
        close: () => service.close(),
      };
    },
  });
  kubectl = server.kubectl();
});

afterAll(async () => {
  await server?.close();
});

const deployment = (name: string, extra = '') => `- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: ${name}
    labels: { app: ${name} }
  spec:
    replicas: 1${extra}
    selector:
      matchLabels: { app: ${name} }
    template:
      metadata:
        labels: { app: ${name} }
      spec:
        containers:
        - name: app
          image: nginx:1.27
          ports:
          - containerPort: 80
`;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const imageOf = (d: Deployment): string =>
  (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image;

describe('kind: List under default validation', () => {
  test('apply -f of a List holding a ConfigMap and a Deployment creates both, after reading the v2 protobuf', async () => {
    const list = kubectl.file(
      'list.yaml',
      `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: settings
  data:
    mode: fast
${deployment('web')}`,
    );
    const out = await kubectl.ok(['apply', '-f', list]);
    expect(out).toContain('configmap/settings created');
    expect(out).toContain('deployment.apps/web created');
    const cm = await server.registry.get(ConfigMaps, { namespace: 'default', name: 'settings' });
    expect((cm as { data?: Record<string, string> }).data).toEqual({ mode: 'fast' });
    expect(imageOf((await server.registry.get(Deployments, { namespace: 'default', name: 'web' })) as Deployment)).toBe('nginx:1.27');
    expect(v2Answers.length).toBeGreaterThan(0);
    for (const answer of v2Answers) expect(answer).toMatch(new RegExp(`^${escape(OPENAPI_V2_PROTOBUF)}.* -> 200$`));
  });

  test('a List item with an unknown field is reported by kubectl with the field and its type, and nothing is stored', async () => {
    const list = kubectl.file('bad-list.yaml', `apiVersion: v1\nkind: List\nitems:\n${deployment('bad', '\n    replicaz: 3')}`);
    const r = await kubectl.run(['apply', '-f', list]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toContain('failed to download openapi');
    expect(r.stderr).toContain('error validating data');
    expect(r.stderr).toMatch(/unknown field "replicaz" in io\.k8s\.api\.apps\.v1\.DeploymentSpec/);
    await expect(server.registry.get(Deployments, { namespace: 'default', name: 'bad' })).rejects.toThrow(/not found/);
  });

  test('kubectl get of two deployments -o yaml piped into apply -f - is accepted, and edit of both saves both', async () => {
    const two = kubectl.file('two.yaml', `apiVersion: v1\nkind: List\nitems:\n${deployment('a')}${deployment('b')}`);
    expect(await kubectl.ok(['apply', '-f', two])).toContain('deployment.apps/b created');
    const listed = await kubectl.ok(['get', 'deploy', 'a', 'b', '-o', 'yaml']);
    expect(listed).toContain('kind: List');
    const applied = await kubectl.ok(['apply', '-f', '-'], { stdin: listed.replaceAll('image: nginx:1.27', 'image: nginx:1.28') });
    expect(applied).toMatch(/deployment\.apps\/a configured/);
    expect(applied).toMatch(/deployment\.apps\/b configured/);

    const editor = kubectl.file('editor.sh', '#!/bin/sh\nsed -i "s/image: nginx:1.28$/image: nginx:1.29/" "$1"\n');
    chmodSync(editor, 0o755);
    const edited = await kubectl.ok(['edit', 'deploy', 'a', 'b'], { env: { KUBE_EDITOR: editor } });
    expect(edited).toContain('deployment.apps/a edited');
    expect(edited).toContain('deployment.apps/b edited');
    for (const name of ['a', 'b'])
      expect(imageOf((await server.registry.get(Deployments, { namespace: 'default', name })) as Deployment)).toBe('nginx:1.29');
  });
});

describe('kind: List of custom resources', () => {
  test('items are checked against the CRD schema: fields under x-kubernetes-preserve-unknown-fields pass, a misspelt field is reported', async () => {
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
        properties:
          spec:
            type: object
            properties:
              color: { type: string, description: The colour of the widget. }
              port: { x-kubernetes-int-or-string: true, anyOf: [{ type: integer }, { type: string }] }
              extra:
                type: object
                x-kubernetes-preserve-unknown-fields: true
                properties:
                  known: { type: string }
`,
    );
    expect(await kubectl.ok(['apply', '-f', crd])).toContain('created');
    const widget = (name: string, spec: string) => `- apiVersion: shop.example.com/v1
  kind: Widget
  metadata: { name: ${name} }
  spec: ${spec}
`;
    const good = kubectl.file(
      'widgets.yaml',
      `apiVersion: v1
kind: List
items:
${widget('w1', '{ color: red, port: 8080, extra: { known: a, unknown: b } }')}${widget('w2', '{ port: http }')}`,
    );
    let r = await kubectl.run(['apply', '-f', good]);
    // The served kinds follow the CRD asynchronously: retry while kubectl does not know the kind yet.
    for (
      const deadline = Date.now() + 10_000;
      r.code !== 0 && /no matches for kind|could not find the requested resource/.test(r.stderr) && Date.now() < deadline;
    )
      r = await kubectl.run(['apply', '-f', good]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('widget.shop.example.com/w1 created');
    expect(r.stdout).toContain('widget.shop.example.com/w2 created');
    const bad = kubectl.file(
      'bad-widgets.yaml',
      `apiVersion: v1
kind: List
items:
${widget('w3', '{ colour: red }')}`,
    );
    const refused = await kubectl.run(['apply', '-f', bad]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/unknown field "colour" in com\.example\.shop\.v1\.Widget\.spec/);
  });
});

describe('explain', () => {
  test('explain deployment.spec --output=plaintext-openapiv2 prints the field docs from the v2 document', async () => {
    const out = await kubectl.ok(['explain', 'deployment.spec', '--output=plaintext-openapiv2']);
    expect(out).toMatch(/KIND:\s+Deployment/);
    expect(out).toMatch(/RESOURCE:\s+spec <Object>/); // the v2 explainer names every object type `Object`
    expect(out).toContain('The desired state of the Deployment.');
    expect(out).toMatch(/strategy\t<Object>\n\s+How old pods are replaced by new ones\./);
    expect(out).toMatch(/template\t<Object> -required-/);
    expect(out).toMatch(/replicas\t<integer>/);
  });

  test('the v3 path is unchanged: explain (plaintext) and apply -f of a single Deployment', async () => {
    const out = await kubectl.ok(['explain', 'deployment.spec.strategy']);
    expect(out).toMatch(/FIELD:\s+strategy <DeploymentStrategy>/);
    const single = kubectl.file('single.yaml', deployment('solo').replace(/^- /, '').replace(/^ {2}/gm, ''));
    expect(await kubectl.ok(['apply', '-f', single])).toContain('deployment.apps/solo created');
    const bad = kubectl.file('single-bad.yaml', deployment('solo-bad', '\n    replicaz: 3').replace(/^- /, '').replace(/^ {2}/gm, ''));
    const r = await kubectl.run(['apply', '-f', bad]);
    expect(r.stderr).toContain('Error from server (BadRequest)'); // a single object is still validated by the server
    expect(r.stderr).toContain('replicaz');
  });
});
