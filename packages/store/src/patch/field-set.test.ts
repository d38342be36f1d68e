import { describe, expect, it } from 'vitest';
import { ensureNamedFieldsAreMembers, removeFields, toFieldSet, compareObjects } from './field-set-walkers.js';
import {
  difference,
  fromFieldsV1,
  intersection,
  isEmptySet,
  memberPaths,
  pathString,
  recursiveDifference,
  toFieldsV1,
  union,
} from './field-set.js';
import { schemaNavigator } from './schema-navigator.js';
import type { JSONSchemaNode } from '@converge/core/validation';

const str = { type: 'string' };
/** A hand-written schema with every list and map type apply distinguishes. */
const schema = schemaNavigator({
  type: 'object',
  properties: {
    apiVersion: str,
    kind: str,
    metadata: {
      type: 'object',
      properties: {
        name: str,
        labels: { type: 'object', additionalProperties: str },
        finalizers: { type: 'array', items: str, 'x-kubernetes-list-type': 'set' },
      },
    },
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer' },
        selector: {
          type: 'object',
          'x-kubernetes-map-type': 'atomic',
          properties: { matchLabels: { type: 'object', additionalProperties: str } },
        },
        args: { type: 'array', items: str },
        containers: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            properties: {
              name: str,
              image: str,
              ports: {
                type: 'array',
                'x-kubernetes-list-type': 'map',
                'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
                items: { type: 'object', properties: { containerPort: { type: 'integer' }, protocol: str } },
              },
            },
          },
        },
      },
    },
  },
} as JSONSchemaNode);

const obj = {
  apiVersion: 'apps/v1',
  kind: 'Thing',
  metadata: { name: 'a', labels: { app: 'web' }, finalizers: ['x.io/f'] },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    args: ['a'],
    containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }],
  },
};

describe('field sets', () => {
  it('compute the fields of a value in FieldsV1 as Kubernetes encodes them', () => {
    expect(toFieldsV1(toFieldSet(obj, schema))).toEqual({
      'f:apiVersion': {},
      'f:kind': {},
      'f:metadata': { 'f:finalizers': { 'v:"x.io/f"': {} }, 'f:labels': { 'f:app': {} }, 'f:name': {} },
      'f:spec': {
        'f:args': {},
        'f:containers': {
          'k:{"name":"web"}': {
            '.': {},
            'f:image': {},
            'f:name': {},
            'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
          },
        },
        'f:replicas': {},
        'f:selector': {},
      },
    });
  });

  it('round-trip through FieldsV1 and print paths as structured-merge-diff does', () => {
    const set = toFieldSet(obj, schema);
    const back = fromFieldsV1(toFieldsV1(set))!;
    expect(toFieldsV1(back)).toEqual(toFieldsV1(set));
    const paths = memberPaths(back).map(pathString);
    expect(paths).toContain('.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"]');
    expect(paths).toContain('.metadata.finalizers[="x.io/f"]');
    expect(paths).toContain('.spec.replicas');
    expect(paths).not.toContain('.spec');
    expect(fromFieldsV1({ 'x:bad': {} })).toBeUndefined();
  });

  it('support union, difference, recursive difference and intersection', () => {
    const a = fromFieldsV1({ 'f:spec': { 'f:replicas': {}, 'f:template': { '.': {}, 'f:x': {} } } })!;
    const b = fromFieldsV1({ 'f:spec': { 'f:template': {} } })!;
    expect(toFieldsV1(difference(a, b))).toEqual({ 'f:spec': { 'f:replicas': {}, 'f:template': { 'f:x': {} } } });
    expect(toFieldsV1(recursiveDifference(a, b))).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(toFieldsV1(intersection(a, b))).toEqual({ 'f:spec': { 'f:template': {} } });
    expect(toFieldsV1(union(b, fromFieldsV1({ 'f:spec': { 'f:replicas': {} } })!))).toEqual({
      'f:spec': { 'f:replicas': {}, 'f:template': {} },
    });
    expect(isEmptySet(difference(b, b))).toBe(true);
  });

  it('compare versions into added, modified and removed fields, entries included', () => {
    const next = {
      ...obj,
      metadata: { ...obj.metadata, labels: { tier: 'fe' } },
      spec: { ...obj.spec, replicas: 3, containers: [{ name: 'side', image: 'x' }] },
    };
    const c = compareObjects(obj, next, schema);
    expect(memberPaths(c.modified).map(pathString)).toEqual(['.spec.replicas']);
    expect(memberPaths(c.added).map(pathString)).toEqual([
      '.metadata.labels.tier',
      '.spec.containers[name="side"]',
      '.spec.containers[name="side"].image',
      '.spec.containers[name="side"].name',
    ]);
    expect(memberPaths(c.removed).map(pathString)).toContain(
      '.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].containerPort',
    );
    expect(memberPaths(compareObjects(obj, obj, schema).modified)).toEqual([]);
  });

  it('remove fields, dropping emptied maps and lists and sharing the rest', () => {
    const set = fromFieldsV1({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"web"}': {} }, 'f:replicas': {} },
    })!;
    const out = removeFields(obj, set, schema) as typeof obj;
    expect(out.metadata).toEqual({ name: 'a', finalizers: ['x.io/f'] });
    expect(out.spec).toEqual({ selector: { matchLabels: { app: 'web' } }, args: ['a'] });
    expect(out.spec.selector).toBe(obj.spec.selector);
    expect(obj.spec.replicas).toBe(2);
  });

  it('make struct fields on the way to members members themselves, but not map keys', () => {
    const set = fromFieldsV1({ 'f:metadata': { 'f:labels': { 'f:app': {} } } })!;
    const ensured = ensureNamedFieldsAreMembers(set, schema);
    expect(memberPaths(ensured).map(pathString)).toEqual(['.metadata', '.metadata.labels', '.metadata.labels.app']);
  });
});
