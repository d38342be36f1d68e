import { deepFreeze, Deployments, Pods, StatusError } from '@converge/core';
import { jsonSchemaOf } from '@converge/core/kinds';
import type { JSONSchemaNode } from '@converge/core/validation';
import { describe, expect, it } from 'vitest';
import { schemaNavigator } from './schema-navigator.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

const podSchema = schemaNavigator(jsonSchemaOf(Pods));
const deploySchema = schemaNavigator(jsonSchemaOf(Deployments));

function failure(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StatusError);
    return err as StatusError;
  }
  throw new Error('expected a StatusError');
}

const pod = () =>
  deepFreeze({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', labels: { app: 'web' }, finalizers: ['a', 'b'] },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.25',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
        },
        { name: 'side', image: 'busybox', args: ['sleep', '1'] },
      ],
      volumes: [{ name: 'v1', emptyDir: {} }],
      tolerations: [{ key: 'k', operator: 'Exists' }],
    },
    status: {
      conditions: [
        { type: 'Ready', status: 'False' },
        { type: 'Initialized', status: 'True' },
      ],
    },
  });

type Any = Record<string, any>;
const smp = (orig: unknown, patch: unknown, schema = podSchema) => applyStrategicMergePatch(orig, patch, schema) as Any;

describe('strategic merge patch', () => {
  it('adds and removes labels as kubectl label and annotate send them', () => {
    const p = pod();
    const out = smp(p, { metadata: { labels: { tier: 'fe', app: null }, annotations: { note: 'x' } } });
    expect(out.metadata.labels).toEqual({ tier: 'fe' });
    expect(out.metadata.annotations).toEqual({ note: 'x' });
    expect(out.spec).toBe(p.spec);
    expect(p.metadata.labels).toEqual({ app: 'web' });
  });

  it('merges containers by name and their env and ports by key, leaving the rest shared', () => {
    const p = pod();
    const out = smp(p, {
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.26',
            env: [
              { name: 'B', value: '3' },
              { name: 'C', value: '4' },
            ],
          },
        ],
      },
    });
    const web = out.spec.containers.find((c: Any) => c.name === 'web');
    expect(web.image).toBe('nginx:1.26');
    expect(web.ports).toBe(p.spec.containers[0]!.ports);
    expect(web.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '3' },
      { name: 'C', value: '4' },
    ]);
    expect(out.spec.containers.map((c: Any) => c.name)).toEqual(['web', 'side']);
    expect(out.spec.containers[1]).toBe(p.spec.containers[1]);
    expect(out.spec.volumes).toBe(p.spec.volumes);
  });

  it('puts new list items before server-only items, as Kubernetes orders them', () => {
    const out = smp(pod(), { spec: { containers: [{ name: 'new', image: 'x' }] } });
    expect(out.spec.containers.map((c: Any) => c.name)).toEqual(['new', 'web', 'side']);
  });

  it('replaces lists without a merge strategy (tolerations, args)', () => {
    const out = smp(pod(), { spec: { tolerations: [{ key: 'z', operator: 'Exists' }], containers: [{ name: 'side', args: ['x'] }] } });
    expect(out.spec.tolerations).toEqual([{ key: 'z', operator: 'Exists' }]);
    expect(out.spec.containers[1].args).toEqual(['x']);
  });

  it('merges primitive lists with the merge strategy (finalizers) and deletes from them with $deleteFromPrimitiveList', () => {
    expect(smp(pod(), { metadata: { finalizers: ['c', 'a'] } }).metadata.finalizers).toEqual(['c', 'a', 'b']);
    expect(smp(pod(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }).metadata.finalizers).toEqual(['b']);
    expect(failure(() => smp(pod(), { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } })).message).toBe(
      'invalid patch format of primitive list',
    );
  });

  it('deletes list items with $patch: delete and replaces whole lists with $patch: replace', () => {
    const del = smp(pod(), { spec: { containers: [{ name: 'side', $patch: 'delete' }] } });
    expect(del.spec.containers.map((c: Any) => c.name)).toEqual(['web']);
    const rep = smp(pod(), { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } });
    expect(rep.spec.containers).toEqual([{ name: 'only', image: 'x' }]);
    const conds = smp(pod(), { status: { conditions: [{ type: 'Ready', status: 'True' }] } });
    expect(conds.status.conditions).toEqual([
      { type: 'Ready', status: 'True' },
      { type: 'Initialized', status: 'True' },
    ]);
  });

  it('replaces or empties maps with $patch: replace / delete', () => {
    const rep = smp(pod(), { metadata: { labels: { $patch: 'replace', only: 'x' } } });
    expect(rep.metadata.labels).toEqual({ only: 'x' });
    const del = smp(pod(), { metadata: { labels: { $patch: 'delete' } } });
    expect(del.metadata.labels).toEqual({});
    expect(failure(() => smp(pod(), { metadata: { labels: { $patch: 'bogus' } } })).message).toContain('unknown patch type: "bogus"');
  });

  it('clears fields not listed in $retainKeys (a volume switching source)', () => {
    const out = smp(pod(), { spec: { volumes: [{ $retainKeys: ['configMap', 'name'], name: 'v1', configMap: { name: 'cm' } }] } });
    expect(out.spec.volumes).toEqual([{ name: 'v1', configMap: { name: 'cm' } }]);
    expect(failure(() => smp(pod(), { spec: { volumes: [{ $retainKeys: ['name'], name: 'v1', configMap: { name: 'cm' } }] } })).code).toBe(
      422,
    );
  });

  it('applies kubectl apply’s three-way patch with $setElementOrder, deletions and $retainKeys', () => {
    const live = deepFreeze({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
      spec: {
        replicas: 2,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        template: {
          spec: {
            containers: [
              {
                name: 'a',
                image: 'a:1',
                env: [
                  { name: 'X', value: '1' },
                  { name: 'Y', value: '2' },
                ],
                terminationMessagePath: '/dev/termination-log',
              },
              { name: 'b', image: 'b:1' },
              { name: 'injected', image: 'sidecar' },
            ],
          },
        },
      },
    });
    const patch = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":1}' } },
      spec: {
        strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }, { name: 'c' }],
            containers: [
              { '$setElementOrder/env': [{ name: 'X' }], env: [{ $patch: 'delete', name: 'Y' }], image: 'a:2', name: 'a' },
              { image: 'c:1', name: 'c' },
            ],
          },
        },
      },
    };
    const out = smp(live, patch, deploySchema);
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
    expect(out.spec.replicas).toBe(2);
    expect(out.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBe('{"new":1}');
    const cs = out.spec.template.spec.containers;
    expect(cs.map((c: Any) => c.name)).toEqual(['b', 'a', 'c', 'injected']);
    expect(cs[1]).toEqual({ name: 'a', image: 'a:2', env: [{ name: 'X', value: '1' }], terminationMessagePath: '/dev/termination-log' });
    expect(cs[0]).toBe(live.spec.template.spec.containers[1]);
  });

  it('reorders a list named only by $setElementOrder and rejects an order that contradicts the patch', () => {
    const out = smp(pod(), { spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'web' }] } });
    expect(out.spec.containers.map((c: Any) => c.name)).toEqual(['side', 'web']);
    const err = failure(() =>
      smp(pod(), {
        spec: {
          '$setElementOrder/containers': [{ name: 'side' }, { name: 'web' }],
          containers: [
            { name: 'web', image: 'x' },
            { name: 'side', image: 'y' },
          ],
        },
      }),
    );
    expect(err.code).toBe(400);
    expect(err.message).toContain("doesn't match $setElementOrder list");
  });

  it('rejects merge-list items without their merge key and lists mixing types', () => {
    expect(failure(() => smp(pod(), { spec: { containers: [{ image: 'x' }] } })).message).toContain(
      'does not contain declared merge key: name',
    );
    expect(failure(() => smp(pod(), { metadata: { finalizers: [1] } })).message).toContain('list element types are not identical');
  });

  it('merges maps and replaces lists of fields the schema does not know', () => {
    const schema = schemaNavigator({
      type: 'object',
      properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    } as JSONSchemaNode);
    const out = smp({ spec: { a: { b: 1, c: 2 }, l: [1, 2] } }, { spec: { a: { b: 3 }, l: [3] } }, schema);
    expect(out).toEqual({ spec: { a: { b: 3, c: 2 }, l: [3] } });
  });

  it('strips directives and nulls from values it adds', () => {
    const out = smp(
      { spec: {} },
      { spec: { containers: [{ name: 'x', image: null, env: [{ name: 'A', $patch: 'delete' }] }], nodeSelector: { a: 'b', c: null } } },
    );
    expect(out.spec).toEqual({ containers: [{ name: 'x', env: [] }], nodeSelector: { a: 'b' } });
  });
});
