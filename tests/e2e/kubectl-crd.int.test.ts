/**
 * CustomResourceDefinitions as a user drives them with kubectl against `converge up`: the kind
 * appears at once (discovery, printer columns, explain, validation, status and scale
 * subresources), custom objects go through apply/patch/label/watch, and deleting the CRD
 * removes the kind and its objects.
 */
import { describe, expect, it } from 'vitest';
import { ok, tableRows } from './support/converge-cluster.js';
import { useFileCluster } from './support/file-cluster.js';

const c = useFileCluster();

const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wg], categories: [all]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas, labelSelectorPath: .status.selector}
    additionalPrinterColumns:
    - {name: Size, type: string, jsonPath: .spec.size}
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    schema:
      openAPIV3Schema:
        type: object
        description: A widget made by the e2e tests.
        properties:
          spec:
            type: object
            description: What the widget should be.
            required: [size]
            properties:
              size: {type: string, enum: [S, M, L], description: How big the widget is.}
              replicas: {type: integer, minimum: 0, default: 1}
              tags: {type: array, items: {type: string}}
          status:
            type: object
            properties:
              replicas: {type: integer}
              selector: {type: string}
`;

const widgets = `apiVersion: example.com/v1
kind: Widget
metadata: {name: w1}
spec: {size: M, tags: [a]}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w2}
spec: {size: L, replicas: 3}
`;

const jp = (args: string[], path: string) => ok(c.kubectl([...args, '-o', `jsonpath=${path}`]));

describe('CustomResourceDefinitions through kubectl', () => {
  it('registers the kind at once: Established, discovery, short names and categories', () => {
    expect(ok(c.kubectl(['apply', '-f', '-'], { input: crd })).trim()).toBe(
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created',
    );
    expect(ok(c.kubectl(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=10s'])).trim()).toBe(
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com condition met',
    );
    expect(jp(['get', 'crd', 'widgets.example.com'], '{.status.acceptedNames.kind} {.status.storedVersions}')).toBe('Widget ["v1"]');
    const resources = tableRows(ok(c.kubectl(['api-resources', '--api-group=example.com'])));
    expect(resources[1]).toEqual(['widgets', 'wg', 'example.com/v1', 'true', 'Widget']);
    expect(ok(c.kubectl(['api-versions']))).toContain('example.com/v1\n');
  });

  it('applies custom objects with schema defaults and prints the additional printer columns', () => {
    const r = ok(c.kubectl(['apply', '-f', '-'], { input: widgets }));
    expect(r.trim().split('\n')).toEqual(['widget.example.com/w1 created', 'widget.example.com/w2 created']);
    const rows = tableRows(ok(c.kubectl(['get', 'widgets'])));
    expect(rows.map((row) => row.slice(0, 3))).toEqual([
      ['NAME', 'SIZE', 'REPLICAS'],
      ['w1', 'M', '1'],
      ['w2', 'L', '3'],
    ]);
    expect(rows[0]![3]).toBe('AGE');
    expect(
      ok(c.kubectl(['get', 'wg', '-o', 'name']))
        .trim()
        .split('\n'),
    ).toEqual(['widget.example.com/w1', 'widget.example.com/w2']);
    expect(ok(c.kubectl(['get', 'all', '-o', 'name']))).toContain('widget.example.com/w1');
    expect(ok(c.kubectl(['get', 'wg', '--field-selector', 'metadata.name=w2', '-o', 'name'])).trim()).toBe('widget.example.com/w2');
    expect(
      ok(c.kubectl(['apply', '-f', '-'], { input: widgets }))
        .trim()
        .split('\n'),
    ).toEqual(['widget.example.com/w1 unchanged', 'widget.example.com/w2 unchanged']);
  });

  it('rejects objects that break the schema with one cause per field, storing nothing', () => {
    const r = c.kubectl(['apply', '-f', '-'], {
      input: 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: bad}\nspec: {size: XL, replicas: -1}\n',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('The Widget "bad" is invalid:');
    expect(r.stderr).toContain('spec.replicas: Invalid value: -1:');
    expect(r.stderr).toContain('spec.size: Unsupported value: "XL": supported values: "S", "M", "L"');
    const missing = c.kubectl(['apply', '-f', '-'], {
      input: 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: bad}\nspec: {replicas: 1}\n',
    });
    expect(missing.stderr).toContain('spec.size: Required value');
    expect(c.kubectl(['get', 'wg', 'bad']).stderr).toContain('widgets.example.com "bad" not found');
  });

  it('explains the custom kind from its schema', () => {
    const spec = ok(c.kubectl(['explain', 'widget.spec']));
    expect(spec).toMatch(/^GROUP:\s+example.com$/m);
    expect(spec).toMatch(/^KIND:\s+Widget$/m);
    expect(spec).toContain('What the widget should be.');
    expect(spec).toMatch(/size\s+<string> -required-/);
    expect(spec).toContain('How big the widget is.');
    expect(spec).toMatch(/tags\s+<\[\]string>/);
    const recursive = ok(c.kubectl(['explain', 'widgets', '--recursive']));
    expect(recursive).toContain('A widget made by the e2e tests.');
    expect(recursive).toMatch(/status\s+<Object>\n\s+replicas\s+<integer>\n\s+selector\s+<string>/);
  });

  it('patches with JSON and merge patches, refuses strategic merge, and labels', () => {
    ok(c.kubectl(['patch', 'wg', 'w1', '--type=json', '-p', '[{"op":"add","path":"/spec/tags/-","value":"b"}]']));
    ok(c.kubectl(['patch', 'wg', 'w1', '--type=merge', '-p', '{"spec":{"size":"S"}}']));
    expect(jp(['get', 'wg', 'w1'], '{.spec.size} {.spec.tags}')).toBe('S ["a","b"]');
    const smp = c.kubectl(['patch', 'wg', 'w1', '-p', '{"spec":{"size":"L"}}']);
    expect(smp.status).toBe(1);
    expect(smp.stderr).toContain('application/strategic-merge-patch+json is not supported by example.com/v1, Kind=Widget');
    ok(c.kubectl(['label', 'wg', 'w1', 'team=e2e']));
    expect(ok(c.kubectl(['get', 'wg', '-l', 'team=e2e', '-o', 'name'])).trim()).toBe('widget.example.com/w1');
  });

  it('keeps status and spec apart through the status subresource, and scales through the scale subresource', () => {
    const gen = jp(['get', 'wg', 'w2'], '{.metadata.generation}');
    expect(ok(c.kubectl(['patch', 'wg', 'w2', '--type=merge', '-p', '{"status":{"replicas":9}}'])).trim()).toBe(
      'widget.example.com/w2 patched (no change)',
    );
    ok(c.kubectl(['patch', 'wg', 'w2', '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":2,"selector":"app=w2"}}']));
    expect(jp(['get', 'wg', 'w2'], '{.status.replicas} {.status.selector} {.metadata.generation}')).toBe(`2 app=w2 ${gen}`);
    expect(ok(c.kubectl(['scale', 'wg', 'w2', '--replicas=5'])).trim()).toBe('widget.example.com/w2 scaled');
    const scale = JSON.parse(ok(c.kubectl(['get', '--raw', '/apis/example.com/v1/namespaces/default/widgets/w2/scale'])));
    expect(scale).toMatchObject({
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      spec: { replicas: 5 },
      status: { replicas: 2, selector: 'app=w2' },
    });
    expect(jp(['get', 'wg', 'w2'], '{.spec.replicas}')).toBe('5');
    expect(Number(jp(['get', 'wg', 'w2'], '{.metadata.generation}'))).toBe(Number(gen) + 1);
  });

  it('streams custom objects with -w and ends when the CRD is deleted, which removes the kind and its objects', async () => {
    const w = c.kubectlBackground(['get', 'wg', '-w']);
    try {
      await w.waitFor((s) => /^w2\s+L\s+5\s/m.test(s));
      ok(c.kubectl(['apply', '-f', '-'], { input: 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w3}\nspec: {size: S}\n' }));
      await w.waitFor((s) => /^w3\s+S\s+1\s/m.test(s));
      expect(ok(c.kubectl(['delete', 'crd', 'widgets.example.com'])).trim()).toBe(
        'customresourcedefinition.apiextensions.k8s.io "widgets.example.com" deleted',
      );
    } finally {
      await w.stop();
    }
    const gone = c.kubectl(['get', 'wg']);
    expect(gone.status).toBe(1);
    // kubectl's discovery cache may still know the short name; either way the kind is gone.
    expect(gone.stderr).toMatch(
      /the server doesn't have a resource type "wg"|Unable to list "example.com\/v1, Resource=widgets": the server could not find the requested resource/,
    );
    expect(c.kubectl(['get', '--raw', '/apis/example.com/v1/namespaces/default/widgets']).stderr).toContain('NotFound');
    expect(ok(c.kubectl(['api-resources', '-o', 'name']))).not.toContain('widgets');
    // Recreating the CRD starts empty: the old objects went with it.
    ok(c.kubectl(['apply', '-f', '-'], { input: crd }));
    ok(c.kubectl(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=10s']));
    const empty = c.kubectl(['get', 'widgets']);
    expect(empty.stdout).toBe('');
    expect(empty.stderr.trim()).toBe('No resources found in default namespace.');
  });

  it('serves a cluster-scoped CRD that preserves unknown fields', () => {
    const gadgets = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  scope: Cluster
  names: {plural: gadgets, singular: gadget, kind: Gadget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, x-kubernetes-preserve-unknown-fields: true, properties: {color: {type: string}}}
`;
    ok(c.kubectl(['apply', '-f', '-'], { input: gadgets }));
    ok(c.kubectl(['wait', '--for=condition=Established', 'crd/gadgets.example.com', '--timeout=10s']));
    ok(
      c.kubectl(['apply', '-f', '-'], {
        input: 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1}\nspec: {color: red, anything: {goes: [1, 2]}}\n',
      }),
    );
    expect(jp(['get', 'gadget', 'g1'], '{.spec.anything.goes} {.metadata.namespace}')).toBe('[1,2] ');
    expect(tableRows(ok(c.kubectl(['get', 'gadgets'])))[0]).toEqual(['NAME', 'AGE']);
    const bad = c.kubectl(['apply', '-f', '-'], {
      input:
        'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: bad.example.com}\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {plural: things, kind: Thing}\n  versions: [{name: v1, served: true, storage: true}]\n',
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('metadata.name: Invalid value: "bad.example.com": must be spec.names.plural+"."+spec.group');
    expect(bad.stderr).toContain('spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required');
  });
});
