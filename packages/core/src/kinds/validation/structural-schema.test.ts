import { describe, expect, it } from 'vitest';
import { compileStructuralSchema, newValidationContext, type JSONSchemaNode } from './structural-schema.js';

function run(schema: JSONSchemaNode, value: unknown, options = {}) {
  const ctx = newValidationContext();
  compileStructuralSchema(schema, options)(value, ctx);
  return { value, causes: ctx.causes, unknown: ctx.unknownFields };
}

const schema: JSONSchemaNode = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    count: { type: 'integer', format: 'int32', minimum: 0 },
    ratio: { type: 'number', exclusiveMinimum: 0 },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    items: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
    port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
    when: { type: 'string', format: 'date-time' },
    free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    maybe: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    ref: { $ref: '#/$defs/Thing' },
  },
  $defs: { Thing: { type: 'object', properties: { x: { type: 'boolean' } } } },
};

describe('the structural validator', () => {
  it('accepts a valid value and changes nothing', () => {
    const v = {
      name: 'a',
      count: 3,
      ratio: 0.5,
      labels: { a: 'b' },
      items: [{ id: 'x' }],
      port: 'http',
      when: '2024-01-01T00:00:00Z',
      free: { any: [1] },
      ref: { x: true },
    };
    const r = run(schema, structuredClone(v));
    expect(r.causes).toEqual([]);
    expect(r.value).toEqual(v);
  });

  it('reports wrong JSON types with the path and the value', () => {
    const r = run(schema, { name: 1, count: 1.5, labels: { app: 2 }, items: 'no', port: [], ref: { x: 'y' } });
    expect(r.causes.map((c) => [c.field, c.message])).toEqual([
      ['name', 'Invalid value: 1: must be of type string'],
      ['count', 'Invalid value: 1.5: must be of type integer'],
      ['labels[app]', 'Invalid value: 2: must be of type string'],
      ['items', 'Invalid value: "no": must be of type array'],
      ['port', 'Invalid value: []: must be of type integer or string'],
      ['ref.x', 'Invalid value: "y": must be of type boolean'],
    ]);
    expect(r.causes.every((c) => c.reason === 'FieldValueTypeInvalid')).toBe(true);
  });

  it('checks bounds, int32 range, required fields in list items and date-times', () => {
    const r = run(schema, { count: -1, ratio: 0, items: [{ id: 'a' }, {}], when: 'yesterday' });
    expect(r.causes.map((c) => [c.field, c.message])).toEqual([
      ['count', 'Invalid value: -1: must be greater than or equal to 0'],
      ['ratio', 'Invalid value: 0: must be greater than 0'],
      ['items[1].id', 'Required value'],
      ['when', 'Invalid value: "yesterday": must be an RFC 3339 date-time'],
    ]);
    expect(run(schema, { count: 2 ** 31 }).causes[0]?.message).toBe('Invalid value: 2147483648: must be less than or equal to 2147483647');
  });

  it('prunes unknown fields, reporting each path, but keeps preserved ones', () => {
    const v = { name: 'a', bogus: 1, items: [{ id: 'x', extra: true }], free: { kept: { deep: 1 } }, ref: { x: true, y: 1 } };
    const r = run(schema, v);
    expect(r.causes).toEqual([]);
    expect(r.unknown).toEqual(['bogus', 'items[0].extra', 'ref.y']);
    expect(v).toEqual({ name: 'a', items: [{ id: 'x' }], free: { kept: { deep: 1 } }, ref: { x: true } });
  });

  it('drops nulls of fields that are not nullable and keeps nullable ones', () => {
    const v = { name: null, maybe: null, labels: { a: null } } as Record<string, unknown>;
    const r = run(schema, v);
    expect(r.causes).toEqual([]);
    expect(v).toEqual({ maybe: null, labels: {} });
  });

  it('rejects a null list item', () => {
    expect(run(schema, { items: [null] }).causes[0]).toMatchObject({ field: 'items[0]', message: 'Invalid value: null: must not be null' });
  });

  it('checks enums, patterns and lengths of strings', () => {
    const s: JSONSchemaNode = {
      type: 'object',
      properties: {
        e: { type: 'string', enum: ['A', 'B'] },
        p: { type: 'string', pattern: '^x+$' },
        l: { type: 'string', maxLength: 3, minLength: 2 },
      },
    };
    expect(run(s, { e: 'C', p: 'y', l: 'abcd' }).causes.map((c) => [c.reason, c.message])).toEqual([
      ['FieldValueNotSupported', 'Unsupported value: "C": supported values: "A", "B"'],
      ['FieldValueInvalid', 'Invalid value: "y": should match \'^x+$\''],
      ['FieldValueTooLong', 'Too long: may not be more than 3 bytes'],
    ]);
    expect(run(s, { l: 'a' }).causes[0]?.message).toBe('Invalid value: "a": should be at least 2 chars long');
  });

  it('applies defaults of missing properties', () => {
    const s: JSONSchemaNode = {
      type: 'object',
      properties: { n: { type: 'integer', default: 1 }, o: { type: 'object', default: { a: 1 }, properties: { a: { type: 'integer' } } } },
    };
    const v: Record<string, unknown> = {};
    run(s, v);
    expect(v).toEqual({ n: 1, o: { a: 1 } });
  });

  it('rejects duplicates of set and map lists only when asked to', () => {
    const s: JSONSchemaNode = {
      type: 'object',
      properties: {
        set: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        map: {
          type: 'array',
          items: { type: 'object', properties: { k: { type: 'string' }, v: { type: 'integer' } } },
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['k'],
        },
      },
    };
    const v = {
      set: ['a', 'b', 'a'],
      map: [
        { k: 'x', v: 1 },
        { k: 'x', v: 2 },
      ],
    };
    expect(run(s, structuredClone(v)).causes).toEqual([]);
    expect(run(s, structuredClone(v), { checkListTypes: true }).causes.map((c) => [c.field, c.message])).toEqual([
      ['set[2]', 'Duplicate value: "a"'],
      ['map[1]', 'Duplicate value: {"k":"x"}'],
    ]);
  });

  it('rejects a non-object at the root', () => {
    expect(run(schema, 'x').causes[0]).toMatchObject({ field: '', message: 'Invalid value: "x": must be of type object' });
  });
});
