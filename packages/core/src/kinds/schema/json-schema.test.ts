import { describe, expect, it } from 'vitest';
import { Deployments } from '../apps/deployment.kind.js';
import { Pods } from '../core/pod.kind.js';
import { Services } from '../core/service.kind.js';
import { Nodes } from '../core/node.kind.js';
import { jsonSchemaOf } from './json-schema.js';
import type { JSONSchemaNode } from '../validation/structural-schema.js';

const at = (s: JSONSchemaNode, ...path: string[]): JSONSchemaNode => {
  let n = s;
  for (const p of path) n = (p === '[]' ? n.items : n.properties?.[p])!;
  return n;
};

describe('the JSON schema of a kind', () => {
  const pod = jsonSchemaOf(Pods);
  const spec = at(pod, 'spec');
  const container = at(spec, 'containers', '[]');

  it('carries the list metadata that patches merge by', () => {
    const meta = (n: JSONSchemaNode) => [
      n['x-kubernetes-list-type'],
      n['x-kubernetes-list-map-keys'],
      n['x-kubernetes-patch-merge-key'],
      n['x-kubernetes-patch-strategy'],
    ];
    expect(meta(at(spec, 'containers'))).toEqual(['map', ['name'], 'name', 'merge']);
    expect(meta(at(spec, 'initContainers'))).toEqual(['map', ['name'], 'name', 'merge']);
    expect(meta(at(spec, 'volumes'))).toEqual(['map', ['name'], 'name', 'merge,retainKeys']);
    expect(meta(at(spec, 'imagePullSecrets'))).toEqual(['map', ['name'], 'name', 'merge']);
    expect(meta(at(spec, 'tolerations'))).toEqual(['atomic', undefined, undefined, undefined]);
    expect(meta(at(container, 'ports'))).toEqual(['map', ['containerPort', 'protocol'], 'containerPort', 'merge']);
    expect(meta(at(container, 'env'))).toEqual(['map', ['name'], 'name', 'merge']);
    expect(meta(at(container, 'volumeMounts'))).toEqual(['map', ['mountPath'], 'mountPath', 'merge']);
    expect(meta(at(pod, 'status', 'conditions'))).toEqual(['map', ['type'], 'type', 'merge']);
    expect(meta(at(pod, 'metadata', 'finalizers'))).toEqual(['set', undefined, undefined, 'merge']);
    expect(meta(at(pod, 'metadata', 'ownerReferences'))).toEqual(['map', ['uid'], 'uid', 'merge']);
    expect(meta(at(jsonSchemaOf(Services), 'spec', 'ports'))).toEqual(['map', ['port', 'protocol'], 'port', 'merge']);
    expect(meta(at(jsonSchemaOf(Nodes), 'status', 'addresses'))).toEqual(['map', ['type'], 'type', 'merge']);
    expect(meta(at(jsonSchemaOf(Deployments), 'status', 'conditions'))).toEqual(['map', ['type'], 'type', 'merge']);
    expect(at(jsonSchemaOf(Deployments), 'spec', 'strategy')['x-kubernetes-patch-strategy']).toBe('retainKeys');
  });

  it('describes kinds and fields for kubectl explain', () => {
    expect(pod.description).toMatch(/^A Pod/);
    expect(at(spec, 'restartPolicy').description).toMatch(/Always when unset/);
    expect(at(jsonSchemaOf(Deployments), 'spec', 'strategy', 'rollingUpdate', 'maxSurge').description).toMatch(/25%/);
  });

  it('marks int-or-string fields and quantities', () => {
    const surge = at(jsonSchemaOf(Deployments), 'spec', 'strategy', 'rollingUpdate', 'maxSurge');
    expect(surge['x-kubernetes-int-or-string']).toBe(true);
    expect(surge.anyOf).toEqual([{ type: 'integer' }, { type: 'string' }]);
    expect(at(jsonSchemaOf(Services), 'spec', 'ports', '[]', 'targetPort')['x-kubernetes-int-or-string']).toBe(true);
    const cpu = at(container, 'resources', 'limits').additionalProperties as JSONSchemaNode;
    expect(cpu['x-kubernetes-int-or-string']).toBe(true);
    expect(cpu.format).toBe('quantity');
  });

  it('uses OpenAPI integer formats without zod-specific bounds', () => {
    expect(at(jsonSchemaOf(Deployments), 'spec', 'replicas')).toEqual({
      type: 'integer',
      format: 'int32',
      description: 'Desired number of pods; 1 when unset.',
    });
    expect(at(pod, 'metadata', 'generation')).toMatchObject({ type: 'integer', format: 'int64' });
    expect(JSON.stringify(pod)).not.toContain('propertyNames');
  });

  it('is computed once per kind', () => {
    expect(jsonSchemaOf(Pods)).toBe(pod);
  });
});
