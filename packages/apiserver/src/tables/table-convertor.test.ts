import { describe, expect, it } from 'vitest';
import type { KubeObject, ResourceDefinition } from '@converge/core';
import { createBuiltinCatalog } from '@converge/core/kinds';
import { TableConvertor } from './table-convertor.js';

const NOW = Date.parse('2024-01-01T01:00:00Z');

describe('TableConvertor', () => {
  const catalog = createBuiltinCatalog();
  const pods = catalog.get({ group: '', version: 'v1', resource: 'pods' })!;
  const tables = new TableConvertor();
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web',
      namespace: 'default',
      creationTimestamp: '2024-01-01T00:55:00Z',
      labels: { app: 'web' },
      managedFields: [{ manager: 'x' }],
    },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] },
    status: { phase: 'Running', podIP: '10.0.0.5' },
  };

  it("puts Name first and keeps the kind's columns, wide ones with a priority", () => {
    const cols = tables.columnDefinitions(pods);
    expect(cols[0]).toMatchObject({ name: 'Name', format: 'name', priority: 0 });
    expect(cols.map((c) => c.name).slice(0, 6)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP']);
    expect(cols.find((c) => c.name === 'IP')!.priority).toBe(1);
  });

  it('computes cells and carries the object as PartialObjectMetadata without managed fields', () => {
    const row = tables.row(pods, pod, { now: NOW, includeObject: 'Metadata' });
    expect(row.cells[0]).toBe('web');
    expect(row.cells[4]).toBe('5m');
    expect(row.cells[5]).toBe('10.0.0.5');
    expect(row.object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T00:55:00Z', labels: { app: 'web' } },
    });
    expect(tables.row(pods, pod, { now: NOW, includeObject: 'None' }).object).toBeUndefined();
  });

  it('gives a kind without columns Name and Age', () => {
    const { printerColumns: _columns, ...bare }: ResourceDefinition = pods;
    expect(tables.columnDefinitions(bare).map((c) => c.name)).toEqual(['Name', 'Age']);
    expect(tables.row(bare, pod, { now: NOW, includeObject: 'None' }).cells).toEqual(['web', '5m']);
  });

  it('types JSONPath cells of custom columns, turning dates into ages', () => {
    const custom = {
      ...pods,
      printerColumns: [
        { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
        { name: 'Ready', type: 'boolean', jsonPath: '.status.ready' },
        { name: 'Created', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        { name: 'Missing', type: 'string', jsonPath: '.spec.nothing' },
      ],
    } as ResourceDefinition;
    const obj = {
      metadata: { name: 'c', creationTimestamp: '2023-12-30T01:00:00Z' },
      spec: { replicas: 2 },
      status: { ready: true },
    } as KubeObject;
    expect(tables.row(custom, obj, { now: NOW, includeObject: 'None' }).cells).toEqual(['c', 2, true, '2d', null]);
  });

  it('builds a whole Table, without headers when asked', () => {
    const t = tables.table(pods, [pod], { now: NOW, includeObject: 'Metadata', resourceVersion: '7', noHeaders: true });
    expect(t).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '7' }, columnDefinitions: [] });
  });

  it('gives Events no leading Name column: LAST SEEN first, the name last among the wide columns', () => {
    for (const group of ['', 'events.k8s.io']) {
      const events = catalog.all().find((d) => d.group === group && d.kind === 'Event')!;
      const cols = tables.columnDefinitions(events);
      expect(cols.filter((c) => c.priority === 0).map((c) => c.name)).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
      expect(cols.filter((c) => c.priority > 0).map((c) => c.name)).toEqual(['Subobject', 'Source', 'First Seen', 'Count', 'Name']);
    }
  });

  it('lets the rule for a leading Name column be replaced', () => {
    const noNames = new TableConvertor({ hasNameColumn: () => false });
    expect(noNames.columnDefinitions(pods)[0]!.name).toBe('Ready');
    const events = catalog.all().find((d) => d.group === '' && d.kind === 'Event')!;
    expect(new TableConvertor({ hasNameColumn: () => true }).columnDefinitions(events)[0]!.name).toBe('Name');
  });
});
