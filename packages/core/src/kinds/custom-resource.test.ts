import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { crdManifestOf, definitionFromCRD, defineCustomResource } from './custom-resource.js';
import { CustomResourceDefinitions, type CustomResourceDefinition } from './misc/crd.kind.js';
import { jsonSchemaOf } from './schema/json-schema.js';
import { validateObject } from './validation/validate-object.js';

const Widgets = defineCustomResource({
  group: 'example.com',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  shortNames: ['wd'],
  spec: z.object({
    size: z.int().min(1).describe('How big the widget is.'),
    color: z.enum(['red', 'blue']).optional(),
    replicas: z.int().optional(),
    port: z.union([z.int(), z.string()]).optional().meta({ 'x-kubernetes-int-or-string': true }),
  }),
  status: z.object({ ready: z.boolean().optional(), replicas: z.int().optional() }),
  printerColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
});

const widget = (spec: Record<string, unknown>) =>
  ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec }) as never;

describe('defineCustomResource', () => {
  it('gives a typed definition with the names, subresources and columns', () => {
    expect(Widgets.resource).toBe('widgets');
    expect(Widgets.listKind).toBe('WidgetList');
    expect(Widgets.subresources).toEqual({
      status: true,
      scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
    });
    expect(Widgets.strategy?.statusFields).toEqual(['status']);
    expect(Widgets.printerColumns?.[0]?.value?.(widget({ size: 3 }), 0)).toBe(3);
    expect(Widgets.openAPIName).toBe('com.example.v1.Widget');
  });

  it('validates objects with the zod schema and prunes unknown fields', () => {
    const ok = validateObject(Widgets, widget({ size: 2, extra: 1 }));
    expect(ok.causes).toEqual([]);
    expect(ok.unknownFields).toEqual(['spec.extra']);
    const bad = validateObject(Widgets, widget({ size: 0, color: 'green' }));
    expect(bad.causes).toEqual([
      { reason: 'FieldValueInvalid', field: 'spec.size', message: 'Invalid value: 0: must be greater than or equal to 1' },
      { reason: 'FieldValueNotSupported', field: 'spec.color', message: 'Unsupported value: "green": supported values: "red", "blue"' },
    ]);
  });

  it('runs zod refinements the JSON schema cannot express and maps their issues to causes', () => {
    const Ranges = defineCustomResource({
      group: 'example.com',
      version: 'v1',
      kind: 'Range',
      plural: 'ranges',
      spec: z.object({ min: z.int(), max: z.int() }).refine((s) => s.min <= s.max, { message: 'min must not exceed max', path: ['max'] }),
    });
    const r = validateObject(Ranges, {
      apiVersion: 'example.com/v1',
      kind: 'Range',
      metadata: { name: 'r', namespace: 'd' },
      spec: { min: 5, max: 1 },
    } as never);
    expect(r.causes).toEqual([{ reason: 'FieldValueInvalid', field: 'spec.max', message: 'Invalid value: 1: min must not exceed max' }]);
    expect(validateObject(Ranges, { metadata: { name: 'r', namespace: 'd' }, spec: { min: 1, max: 5 } } as never).causes).toEqual([]);
  });

  it('emits a CRD manifest with a structural openAPIV3Schema that round-trips', () => {
    const crd = crdManifestOf(Widgets);
    expect(crd.metadata.name).toBe('widgets.example.com');
    expect(crd.spec.names).toEqual({ plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', shortNames: ['wd'] });
    const v = crd.spec.versions[0]!;
    expect(v.subresources).toEqual({ status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } });
    const schema = v.schema!.openAPIV3Schema as any;
    expect(schema.properties.metadata).toEqual({ type: 'object' });
    expect(schema.properties.spec.properties.size.description).toBe('How big the widget is.');
    expect(schema.properties.spec.properties.port).toEqual({
      'x-kubernetes-int-or-string': true,
      anyOf: [{ type: 'integer' }, { type: 'string' }],
    });
    expect(validateObject(CustomResourceDefinitions, crd).causes).toEqual([]);
    const served = definitionFromCRD(crd);
    expect(validateObject(served, widget({ size: 0 })).causes[0]?.message).toBe('Invalid value: 0: must be greater than or equal to 1');
  });
});

const crontabs: CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com',
    scope: 'Namespaced',
    names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: {
          status: {},
          scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' },
        },
        additionalPrinterColumns: [
          { name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' },
          { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        selectableFields: [{ jsonPath: '.spec.color' }],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['cronSpec'],
                properties: {
                  cronSpec: { type: 'string', pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$' },
                  image: { type: 'string', maxLength: 20 },
                  replicas: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
                  color: { type: 'string', enum: ['red', 'green'] },
                  port: { 'x-kubernetes-int-or-string': true },
                  tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
                  extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  nested: { type: 'object', properties: { a: { type: 'boolean' } } },
                  labels: { type: 'object', additionalProperties: { type: 'string' } },
                },
              },
              status: { type: 'object', properties: { replicas: { type: 'integer' }, labelSelector: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

const crontab = (spec: Record<string, unknown>) =>
  ({
    apiVersion: 'stable.example.com/v1',
    kind: 'CronTab',
    metadata: { name: 'c', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
    spec,
  }) as never;

describe('definitionFromCRD', () => {
  const def = definitionFromCRD(crontabs);

  it('serves the CRD names, scope and subresources', () => {
    expect([def.group, def.version, def.resource, def.kind, def.listKind, def.namespaced]).toEqual([
      'stable.example.com',
      'v1',
      'crontabs',
      'CronTab',
      'CronTabList',
      true,
    ]);
    expect(def.shortNames).toEqual(['ct']);
    expect(def.subresources?.scale?.labelSelectorPath).toBe('.status.labelSelector');
    expect(def.strategy?.statusFields).toEqual(['status']);
  });

  it('validates types, required fields, enums, bounds, patterns and list sets', () => {
    const r = validateObject(def, crontab({ image: 'x'.repeat(21), replicas: 11, color: 'blue', tags: ['a', 'a'], nested: { a: 'yes' } }));
    expect(r.causes).toEqual([
      { reason: 'FieldValueTooLong', field: 'spec.image', message: 'Too long: may not be more than 20 bytes' },
      { reason: 'FieldValueInvalid', field: 'spec.replicas', message: 'Invalid value: 11: must be less than or equal to 10' },
      { reason: 'FieldValueNotSupported', field: 'spec.color', message: 'Unsupported value: "blue": supported values: "red", "green"' },
      { reason: 'FieldValueDuplicate', field: 'spec.tags[1]', message: 'Duplicate value: "a"' },
      { reason: 'FieldValueTypeInvalid', field: 'spec.nested.a', message: 'Invalid value: "yes": must be of type boolean' },
      { reason: 'FieldValueRequired', field: 'spec.cronSpec', message: 'Required value' },
    ]);
    const p = validateObject(def, crontab({ cronSpec: 'every minute' }));
    expect(p.causes[0]?.field).toBe('spec.cronSpec');
    expect(p.causes[0]?.message).toContain('should match');
  });

  it('applies schema defaults, prunes unknown fields and keeps preserved ones', () => {
    const r = validateObject(
      def,
      crontab({ cronSpec: '* * * * */5', bogus: 1, extra: { anything: { goes: true } }, nested: { a: true, b: 2 }, port: 'http' }),
    );
    expect(r.causes).toEqual([]);
    expect([...r.unknownFields].sort()).toEqual(['spec.bogus', 'spec.nested.b']);
    expect((r.object as any).spec).toEqual({
      cronSpec: '* * * * */5',
      extra: { anything: { goes: true } },
      nested: { a: true },
      port: 'http',
      replicas: 1,
    });
  });

  it('accepts both shapes of an int-or-string field and nothing else', () => {
    expect(validateObject(def, crontab({ cronSpec: '* * * * *', port: 8080 })).causes).toEqual([]);
    expect(validateObject(def, crontab({ cronSpec: '* * * * *', port: true })).causes[0]?.message).toBe(
      'Invalid value: true: must be of type integer or string',
    );
  });

  it('computes printer columns from additionalPrinterColumns and selectable fields from selectableFields', () => {
    const now = Date.parse('2024-01-01T00:05:00Z');
    const cols = def.printerColumns!.map((c) => c.value!(crontab({ cronSpec: '* * * * *', replicas: 2, color: 'red' }), now));
    expect(cols).toEqual(['* * * * *', 2, '5m']);
    expect(def.strategy?.selectableFields?.['spec.color']?.(crontab({ color: 'red' }))).toBe('red');
  });

  it('evaluates printer columns with JSONPath filters, as operator CRDs write their Ready column', () => {
    const crd = structuredClone(crontabs) as CustomResourceDefinition;
    crd.spec.versions[0]!.additionalPrinterColumns = [
      { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    ];
    const served = definitionFromCRD(crd);
    const obj = {
      ...(crontab({ cronSpec: '* * * * *' }) as object),
      status: {
        conditions: [
          { type: 'Synced', status: 'False' },
          { type: 'Ready', status: 'True' },
        ],
      },
    } as never;
    expect(served.printerColumns![0]!.value!(obj, 0)).toBe('True');
  });

  it('publishes the CRD schema as the JSON schema of the kind', () => {
    expect(jsonSchemaOf(def).properties?.spec?.properties?.cronSpec?.type).toBe('string');
  });
});
